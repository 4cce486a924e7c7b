# latency.gp: written by vioperf; `gnuplot latency.gp` in this directory redraws latency.png and latency.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'latency.png'
set title 'One-way latency percentiles'
set xlabel '' offset 0,0.6
set ylabel 'latency (µs, log scale)'
set key below
set grid ytics
set border 3
set tics nomirror
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set xtics rotate by 20 right
$lat << EOD
"tc-sw h2g mrr 64" 30.03 75.075 120.12
"vhost-net h2g mrr 64" 45 112.5 180
"vhost-user g2h mrr 64" 14 35 56
"vhost-user h2g mrr 64" 14 35 56
EOD
plot $lat using 2:xtic(1) title 'p50', '' using 3 title 'p99', '' using 4 title 'p99.9'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'latency.svg'
replot
unset output
