# latency_load.gp: written by vioperf; `gnuplot latency_load.gp` in this directory redraws latency_load.png and latency_load.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'latency_load.png'
set title 'Latency under load'
set xlabel 'offered load (% of NDR)' offset 0,0.6
set ylabel 'latency (µs, log scale)'
set key below
set grid ytics
set border 3
set tics nomirror
set logscale y
set xrange [0:100]
$l0 << EOD
10 7.75 7.6725 7.843 3.1
50 10.5 10.395 10.626 4.2
90 24.5 24.255 24.794 9.8
EOD
plot $l0 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc 1 title 'vhost-user h2g fixed 64 p99', \
     $l0 using 1:5 with linespoints dt 2 lw 1 pt 6 lc 1 title 'vhost-user h2g fixed 64 p50'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'latency_load.svg'
replot
unset output
