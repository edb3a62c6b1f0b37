package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestParseLoadCSV checks the load file: columns by name, offsets in
// either form, empty cells as 0, and the refusals.
func TestParseLoadCSV(t *testing.T) {
	got, err := parseLoadCSV(strings.NewReader("service, time ,cpu,requests\nweb,06:00,300,\nweb,00:00,100,6000\napi,90m,,120\n"))
	require.NoError(t, err)
	want := map[string]loadCurve{
		"web": {{0, ecstest.ServiceLoad{CPU: 100, Requests: 6000}}, {6 * time.Hour, ecstest.ServiceLoad{CPU: 300}}},
		"api": {{90 * time.Minute, ecstest.ServiceLoad{Requests: 120}}},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(loadPoint{})); d != "" {
		t.Fatalf("curves (-want +got):\n%s", d)
	}
	require.Equal(t, ecstest.ServiceLoad{CPU: 200, Requests: 3000}, got["web"].at(3*time.Hour), "linear between rows")
	require.Equal(t, ecstest.ServiceLoad{CPU: 300}, got["web"].at(30*time.Hour), "the last row's after it")
	require.Equal(t, ecstest.ServiceLoad{Requests: 120}, got["api"].at(0), "the first row's before it")

	for _, tt := range []struct{ name, in, msg string }{
		{"empty", "", "empty"},
		{"unknown column", "time,service,disk\n", `"disk"`},
		{"no load column", "time,service\n", "none of cpu"},
		{"no service column", "time,cpu\n", "no service"},
		{"no rows", "time,service,cpu\n", "no rows"},
		{"bad time", "time,service,cpu\n25:61,web,1\n", `time "25:61"`},
		{"negative", "time,service,cpu\n00:00,web,-1\n", `cpu "-1"`},
		{"NaN", "time,service,cpu\n00:00,web,NaN\n", `cpu "NaN"`},
		{"two at once", "time,service,cpu\n00:00,web,1\n0m,web,2\n", "two rows at 00:00"},
		{"no service", "time,service,cpu\n00:00,,1\n", "service is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseLoadCSV(strings.NewReader(tt.in))
			require.ErrorContains(t, err, tt.msg)
		})
	}
}

// FuzzParseLoadCSV checks that any file is read or refused with an
// error, never a panic, and that a curve read is in order with values in
// bounds.
func FuzzParseLoadCSV(f *testing.F) {
	f.Add("time,service,cpu,memory,requests\n00:00,web,100,50,6000\n12:00,web,400,80,24000\n")
	f.Add("service,time,cpu\nweb,90m,1e3\n")
	f.Add("time,service,requests\n\"00:00\",\"a,b\",1\n")
	f.Fuzz(func(t *testing.T, in string) {
		curves, err := parseLoadCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, c := range curves {
			for i, p := range c {
				require.True(t, p.at >= 0 && p.at <= maxLoadOffset)
				require.True(t, i == 0 || c[i-1].at < p.at)
				for _, v := range []float64{p.load.CPU, p.load.Memory, p.load.Requests} {
					require.True(t, v >= 0 && v <= maxLoadValue)
				}
			}
		}
	})
}
