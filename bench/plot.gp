# The latency distributions of docs/bench.md as an SVG: one panel per figure, in each
# one column per kernel with every sample (jittered sideways) over a box plot.
# Usage: gnuplot -e "data='SAMPLES'; out='OUT.svg'; kernels='K1 K2...'; when='TEXT'" bench/plot.gp
# SAMPLES has "KERNEL FIGURE VALUE UNIT" lines (scripts/bench.sh); the kernels are
# drawn in the order given.

array fig[3] = ["entry_to_suspended", "wake_by_config_read", "wake_by_power_control"]
array caption[3] = ["ENTRY to runtime suspended", "wake by config read (to eventfd)", \
	"wake by power/control (to eventfd)"]
n = words(kernels)
sample(i, f) = strcol(1) eq word(kernels, i) && strcol(2) eq f ? $3 : NaN

set terminal svg size 1200, 540 dynamic enhanced font "sans,12" background "white"
set output out
set multiplot title "Latency of each sample, ".when. \
	" (points: the samples; box: quartiles and median; whiskers: 1.5 IQR)"
set style boxplot nooutliers
set style fill transparent solid 0.15 border
set boxwidth 0.5
set border 3
set tics nomirror
set grid ytics lc "gray80"
set xrange [0.5 : n + 0.5]
set yrange [* : *]
set offsets 0, 0, graph 0.05, graph 0.05
set ylabel "ms"
set xtics () rotate by -20 noenhanced
do for [i = 1 : n] { set xtics add (word(kernels, i) i) }
unset key
set size 1 / 3.0, 0.8
do for [p = 1 : 3] {
	set origin (p - 1) / 3.0, 0.11
	set title caption[p] noenhanced
	plot for [i = 1 : n] data using (i):(sample(i, fig[p])) with boxplot lc i, \
		for [i = 1 : n] data using (i + (rand(0) - 0.5) * 0.4):(sample(i, fig[p])) \
			with points pt 7 ps 0.45 lc i
}

# The legend: a plot of its own along the bottom, as wide as the picture
set origin 0, 0
set size 1, 0.07
set margins 0, 0, 0, 0
set offsets 0, 0, 0, 0
unset border
unset tics
unset grid
unset title
unset ylabel
set yrange [0 : 1]
set key center center horizontal reverse Left noenhanced samplen 1 width 2
plot -1 notitle, for [i = 1 : n] keyentry with points pt 7 ps 0.8 lc i title word(kernels, i)
unset multiplot
