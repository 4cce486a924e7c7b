# mpps.gp: written by vioperf; `gnuplot mpps.gp` in this directory redraws mpps.png and mpps.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'mpps.png'
set title 'Received Mpps by frame size'
set xlabel 'frame size (bytes, with FCS)' offset 0,0.6
set ylabel 'Mpps'
set key below
set grid ytics
set border 3
set tics nomirror
set xtics ('64' 0, '512' 1, '1518' 2, 'imix' 3)
set xrange [-0.5:3.5]
set yrange [0:*]
$s0 << EOD
0 0.52052 0.5148 0.52624
2 0.41 0.4059 0.41492
EOD
$s1 << EOD
0 0.36 0.3564 0.36432
1 0.33 0.3267 0.33396
2 0.25 0.2475 0.253
EOD
$s2 << EOD
0 6.696 6.62904 6.77635
1 3.813 3.77487 3.85876
2 1.488 1.47312 1.50586
3 3.069 3.03831 3.10583
EOD
$s3 << EOD
0 7.2 7.128 7.2864
1 4.1 4.059 4.1492
2 1.6 1.584 1.6192
3 3.3 3.267 3.3396
EOD
plot $s0 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'tc-sw h2g mrr', \
     $s1 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-net h2g mrr', \
     $s2 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user g2h mrr', \
     $s3 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user h2g mrr'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'mpps.svg'
replot
unset output
