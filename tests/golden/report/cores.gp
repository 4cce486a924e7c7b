# cores.gp: written by vioperf; `gnuplot cores.gp` in this directory redraws cores.png and cores.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'cores.png'
set title 'CPU cores used by frame size'
set xlabel 'frame size (bytes, with FCS)' offset 0,0.6
set ylabel 'cores'
set key below
set grid ytics
set border 3
set tics nomirror
set xtics ('64' 0, '512' 1, '1518' 2, 'imix' 3)
set xrange [-0.5:3.5]
set yrange [0:*]
$s0 << EOD
0 1.1 1.1 1.1
2 1.08 1.08 1.08
EOD
$s1 << EOD
0 1.13 1.13 1.13
1 1.13 1.13 1.13
2 1.13 1.13 1.13
EOD
$s2 << EOD
0 2 2 2
1 2 2 2
2 2 2 2
3 2 2 2
EOD
$s3 << EOD
0 2 2 2
1 2 2 2
2 2 2 2
3 2 2 2
EOD
plot $s0 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'tc-sw h2g mrr', \
     $s1 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-net h2g mrr', \
     $s2 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user g2h mrr', \
     $s3 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user h2g mrr'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'cores.svg'
replot
unset output
