package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs/ecstest"
)

// The load curve of ecsplan simulate is a CSV file with a header row
// naming its columns, in any order:
//
//	time      the offset from the simulation's start: HH:MM or HH:MM:SS
//	          (hours may pass 24) or a Go duration (90m, 1h30m)
//	service   the service's name
//	cpu       the CPU the service's work needs, in percent of one task's
//	          CPU, summed over its tasks: 250 keeps 5 tasks at 50 % each
//	memory    the memory it needs, in percent of one task's memory, summed
//	requests  the requests a minute its load balancer receives, spread
//	          over its healthy targets
//
// time and service are required, and at least one of cpu, memory and
// requests; an empty cell is 0. Between two rows of a service its load
// changes linearly; before its first row and after its last it stays at
// theirs. Rows need not be in order; two rows of a service at one time
// are an error.

// Bounds of a load file, so that a file cannot take unbounded memory or
// time.
const (
	maxLoadRows   = 1_000_000
	maxLoadValue  = 1e9
	maxLoadOffset = maxSimSpan // a row after the longest run is of no use
)

// loadPoint is a service's load at an offset from the start.
type loadPoint struct {
	at   time.Duration
	load ecstest.ServiceLoad
}

// loadCurve is a service's load over time: points in order of offset.
type loadCurve []loadPoint

// at returns the load at offset d, linear between points.
func (c loadCurve) at(d time.Duration) ecstest.ServiceLoad {
	if len(c) == 0 {
		return ecstest.ServiceLoad{}
	}
	i, _ := slices.BinarySearchFunc(c, d, func(p loadPoint, d time.Duration) int { return cmpDuration(p.at, d) })
	switch {
	case i == 0:
		return c[0].load
	case i == len(c):
		return c[len(c)-1].load
	case c[i].at == d:
		return c[i].load
	}
	a, b := c[i-1], c[i]
	f := float64(d-a.at) / float64(b.at-a.at)
	lerp := func(x, y float64) float64 { return x + (y-x)*f }
	return ecstest.ServiceLoad{CPU: lerp(a.load.CPU, b.load.CPU), Memory: lerp(a.load.Memory, b.load.Memory),
		Requests: lerp(a.load.Requests, b.load.Requests)}
}

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parseLoadCSV reads a load file: each service's curve, by name.
func parseLoadCSV(r io.Reader) (map[string]loadCurve, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("load: the file is empty: want a header row (time,service,cpu,memory,requests)")
	}
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "time", "service", "cpu", "memory", "requests":
		default:
			return nil, fmt.Errorf("load: header column %d %q: want time, service, cpu, memory or requests", i+1, h)
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("load: header names %s twice", h)
		}
		col[h] = i
	}
	_, hasCPU := col["cpu"]
	_, hasMem := col["memory"]
	_, hasReq := col["requests"]
	if _, ok := col["time"]; !ok {
		return nil, errors.New("load: the header has no time column")
	}
	if _, ok := col["service"]; !ok {
		return nil, errors.New("load: the header has no service column")
	}
	if !hasCPU && !hasMem && !hasReq {
		return nil, errors.New("load: the header has none of cpu, memory and requests")
	}
	curves := map[string]loadCurve{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		if row > maxLoadRows+1 {
			return nil, fmt.Errorf("load: more than %d rows", maxLoadRows)
		}
		p, svc, err := loadRow(rec, col)
		if err != nil {
			return nil, fmt.Errorf("load: row %d: %w", row, err)
		}
		curves[svc] = append(curves[svc], p)
	}
	for svc, c := range curves {
		slices.SortStableFunc(c, func(a, b loadPoint) int { return cmpDuration(a.at, b.at) })
		for i := 1; i < len(c); i++ {
			if c[i].at == c[i-1].at {
				return nil, fmt.Errorf("load: service %s has two rows at %s", svc, offsetString(c[i].at))
			}
		}
	}
	if len(curves) == 0 {
		return nil, errors.New("load: no rows after the header")
	}
	return curves, nil
}

// loadRow reads one row.
func loadRow(rec []string, col map[string]int) (loadPoint, string, error) {
	cell := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var p loadPoint
	at, err := parseOffset(cell("time"))
	if err != nil {
		return p, "", err
	}
	p.at = at
	svc := cell("service")
	if svc == "" {
		return p, "", errors.New("service is empty")
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"cpu", &p.load.CPU}, {"memory", &p.load.Memory}, {"requests", &p.load.Requests}} {
		s := cell(f.name)
		if s == "" {
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > maxLoadValue {
			return p, "", fmt.Errorf("%s %q: want a number from 0 to %g", f.name, s, maxLoadValue)
		}
		*f.v = v
	}
	return p, svc, nil
}

// parseOffset reads a time cell: HH:MM, HH:MM:SS or a Go duration, from 0
// to the longest run (31 days).
func parseOffset(s string) (time.Duration, error) {
	bad := fmt.Errorf("time %q: want HH:MM, HH:MM:SS or a duration such as 90m, from 0 to %s", s, offsetString(maxLoadOffset))
	var d time.Duration
	if parts := strings.Split(s, ":"); len(parts) == 2 || len(parts) == 3 {
		units := []time.Duration{time.Hour, time.Minute, time.Second}
		for i, part := range parts {
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 || part == "" || part[0] == '+' || (i > 0 && (n > 59 || len(part) != 2)) || n > 1e5 {
				return 0, bad
			}
			d += time.Duration(n) * units[i]
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	if d < 0 || d > maxLoadOffset {
		return 0, bad
	}
	return d, nil
}

// offsetString writes an offset as HH:MM (HH:MM:SS with seconds).
func offsetString(d time.Duration) string {
	h, m, s := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}
