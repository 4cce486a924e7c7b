# plan.gp: written by vioperf; `gnuplot plan.gp` in this directory redraws plan.png and plan.svg
set encoding utf8
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
    set terminal pngcairo size 900,540 noenhanced font 'sans,13' background '#ffffff'
} else {
    set terminal png size 900,540 noenhanced background '#ffffff'
}
set output 'plan.png'
set title 'Cores needed for 10 Mpps of 64 B frames'
set xlabel '' offset 0,0.6
set ylabel 'cores (log scale)'
set key below
set grid ytics
set border 3
set tics nomirror
set style data histograms
set style fill solid 0.85 border -1
set boxwidth 0.7
set logscale y
set xtics rotate by 20 right
$plan << EOD
"tc-sw h2g" 21.1353
"vhost-net h2g" 31.389
"vhost-user g2h" 2.56873
"vhost-user h2g" 2.38902
EOD
plot $plan using 2:xtic(1) title 'cores needed (linear model)', 32 with lines dt 2 lc rgb '#707070' title 'one host: 32 cores'
set terminal svg size 900,540 noenhanced font 'sans,13' background '#ffffff'
set output 'plan.svg'
replot
unset output
