# cycles.gp: written by vioperf; `gnuplot cycles.gp` in this directory redraws cycles.png and cycles.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'cycles.png'
set title 'CPU cycles per packet by frame size'
set xlabel 'frame size (bytes, with FCS)' offset 0,0.6
set ylabel 'cycles per packet'
set key below
set grid ytics
set border 3
set tics nomirror
set xtics ('64' 0, '512' 1, '1518' 2, 'imix' 3)
set xrange [-0.5:3.5]
set yrange [0:*]
$s0 << EOD
0 6129.25 6061.9 6196.6
2 7639 7548.4 7716.2
EOD
$s1 << EOD
0 9102.8 8994.8 9194.7
1 9930.3 9812.6 10030.6
2 13108 12952.6 13240.4
EOD
$s2 << EOD
0 866.2 855.9 874.9
1 1521.1 1503.1 1536.5
2 3897.8 3851.6 3937.2
3 1889.9 1867.5 1909
EOD
$s3 << EOD
0 805.6 796 813.7
1 1414.6 1397.9 1428.9
2 3625 3582 3661.6
3 1757.6 1736.7 1775.3
EOD
plot $s0 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'tc-sw h2g mrr', \
     $s1 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-net h2g mrr', \
     $s2 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user g2h mrr', \
     $s3 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user h2g mrr'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'cycles.svg'
replot
unset output
