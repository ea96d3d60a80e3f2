// Command plot turns `go test -bench` output into an SVG chart of ns/op
// against the slot count N for the BenchmarkDirect series (slotnet, the
// plain-loop limit and EventBus), taking the median of repeated runs.
//
//	go test -run '^$' -bench 'Direct$' -count 6 ./bench | go run ./bench/plot > docs/dispatch.svg
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// series are the BenchmarkDirect sub-benchmarks drawn, with their colours.
var series = []struct{ name, label, colour string }{
	{"limit=funcslice", "limit: loop over []func(int)", "#2b8a3e"},
	{"slotnet", "slotnet direct Emit", "#1c7ed6"},
	{"eventbus", "EventBus Publish", "#e8590c"},
}

var line = regexp.MustCompile(`^BenchmarkDirect/([^/]+)/N=(\d+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

func main() {
	samples, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(1)
	}
	if len(samples) == 0 {
		fmt.Fprintln(os.Stderr, "plot: no BenchmarkDirect lines on stdin")
		os.Exit(1)
	}
	writeSVG(os.Stdout, medians(samples))
}

type key struct {
	series string
	n      int
}

func parse(r io.Reader) (map[key][]float64, error) {
	out := make(map[key][]float64)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			return nil, err
		}
		out[key{m[1], n}] = append(out[key{m[1], n}], v)
	}
	return out, sc.Err()
}

func medians(s map[key][]float64) map[key]float64 {
	out := make(map[key]float64, len(s))
	for k, vs := range s {
		sort.Float64s(vs)
		if len(vs)%2 == 1 {
			out[k] = vs[len(vs)/2]
		} else {
			out[k] = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
	}
	return out
}

const (
	width, height = 720, 440
	left, right   = 70, 230
	top, bottom   = 30, 50
)

// writeSVG draws log-scaled ns/op (y) against N (x, categorical) per series.
func writeSVG(w io.Writer, med map[key]float64) {
	ns := []int{0, 1, 10, 100}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range med {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	lo, hi = math.Pow(10, math.Floor(math.Log10(math.Max(lo, 0.1)))), math.Pow(10, math.Ceil(math.Log10(hi)))
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	x := func(i int) float64 { return left + plotW*float64(i)/float64(len(ns)-1) }
	y := func(v float64) float64 {
		return top + plotH*(1-(math.Log10(v)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo)))
	}
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(w, `<text x="%d" y="18" font-size="14">Direct emit: ns per emit against the number of slots (log scale, median)</text>`+"\n", left)
	for d := lo; d <= hi*1.0001; d *= 10 {
		fmt.Fprintf(w, `<line x1="%d" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%g ns</text>`+"\n",
			left, left+plotW, y(d), y(d), left-6, y(d)+4, d)
	}
	for i, n := range ns {
		fmt.Fprintf(w, `<text x="%.1f" y="%d" text-anchor="middle">N=%d</text>`+"\n", x(i), height-bottom+20, n)
	}
	for si, s := range series {
		var pts []string
		for i, n := range ns {
			if v, ok := med[key{s.name, n}]; ok {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
				fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", x(i), y(v), s.colour)
			}
		}
		fmt.Fprintf(w, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", s.colour, strings.Join(pts, " "))
		ly := top + 20 + 22*si
		fmt.Fprintf(w, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="3"/><text x="%d" y="%d">%s</text>`+"\n",
			width-right+15, width-right+35, ly, ly, s.colour, width-right+40, ly+4, s.label)
	}
	fmt.Fprintln(w, "</svg>")
}
