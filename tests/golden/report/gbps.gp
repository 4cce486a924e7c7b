# gbps.gp: written by vioperf; `gnuplot gbps.gp` in this directory redraws gbps.png and gbps.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'gbps.png'
set title 'L1 Gbit/s by frame size'
set xlabel 'frame size (bytes, with FCS)' offset 0,0.6
set ylabel 'Gbit/s (L1)'
set key below
set grid ytics
set border 3
set tics nomirror
set xtics ('64' 0, '512' 1, '1518' 2, 'imix' 3)
set xrange [-0.5:3.5]
set yrange [0:*]
$s0 << EOD
0 0.349789 0.345946 0.353633
2 5.04464 4.99419 5.10518
EOD
$s1 << EOD
0 0.24192 0.239501 0.244823
1 1.40448 1.39044 1.42133
2 3.076 3.04524 3.11291
EOD
$s2 << EOD
0 4.49971 4.45471 4.55371
1 16.2281 16.0658 16.4229
2 18.3084 18.1253 18.5281
3 9.17836 9.08657 9.2885
EOD
$s3 << EOD
0 4.8384 4.79002 4.89646
1 17.4496 17.2751 17.659
2 19.6864 19.4895 19.9226
3 9.8692 9.77051 9.98763
EOD
plot $s0 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'tc-sw h2g mrr', \
     $s1 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-net h2g mrr', \
     $s2 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user g2h mrr', \
     $s3 using 1:2:3:4 with yerrorlines lw 2 pt 7 title 'vhost-user h2g mrr', \
     10 with lines dt 2 lw 1 lc rgb '#707070' title '10 Gbit/s line rate (reference)'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'gbps.svg'
replot
unset output
