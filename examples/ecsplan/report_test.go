package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files: go test ./examples/ecsplan/ -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/NAME.golden, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create it")
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; -update rewrites it):\n%s", path, diff)
	}
}

// requireRectangularCSV checks that out parses as CSV with a header row
// and that every record has the header's number of fields.
func requireRectangularCSV(t *testing.T, out string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll() // FieldsPerRecord 0: all as the first
	require.NoError(t, err)
	require.Greater(t, len(recs), 1, "a header and rows")
	return recs
}

func TestCapacityPlanGolden(t *testing.T) {
	const noSurge = "testdata/capacity/services-nosurge.json"
	tests := []struct {
		name, types string
		services    string // instead of services.json
		extra       []string
	}{
		{"plan", "testdata/capacity/types.json", "", []string{"-headroom", "2"}},
		// Types too small for any service: rows of services that cannot
		// be placed on EC2, and an option without a Spot price.
		{"plan-unplaceable", "testdata/capacity/tiny.json", "", []string{"-headroom", "2"}},
		// Deployments without surge room (maximumPercent 100): the
		// recommended all-Spot fleet loses services below their minimum
		// healthy tasks when one zone's Spot instances go: warnings.
		{"plan-spot", "testdata/capacity/types.json", noSurge, nil},
		// The same surviving a zone's loss, at most half of it Spot.
		{"plan-zoneloss", "testdata/capacity/types.json", noSurge, []string{"-survive-zone-loss", "-max-spot-share", "0.5"}},
		// A memory-heavy cache beside CPU-heavy web and api: a mixed
		// fleet is the cheapest Spot option, not the cheapest on demand.
		{"plan-mixed", "testdata/capacity/types.json", "testdata/capacity/services-mixed.json",
			[]string{"-task-definitions", "testdata/capacity/cache.json", "-mixed"}},
	}
	for _, tt := range tests {
		for _, format := range []string{"csv", "markdown", "html"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				args := planArgsFor(append([]string{"-instance-types", tt.types, "-o", format}, tt.extra...)...)
				if tt.services != "" {
					args[2] = tt.services
				}
				code, out, errs := runPlanT(t, args...)
				require.Equal(t, 0, code, errs)
				switch format {
				case "csv":
					recs := requireRectangularCSV(t, out)
					require.Equal(t, "row", recs[0][0])
				case "html":
					requireSelfContainedHTML(t, out, 5)
				}
				golden(t, tt.name+"."+format, out)
			})
		}
	}
}

func TestMarkdownCellEscapes(t *testing.T) {
	var b bytes.Buffer
	tb := table{header: []string{"a", "b"}}
	tb.add(`x|y`, "two\nlines")
	require.NoError(t, tb.writeMarkdown(&b))
	require.Equal(t, "| a | b |\n|---|---|\n| x\\|y | two lines |\n", b.String())
}

func TestOutputFormatUsage(t *testing.T) {
	code, _, errs := runPlanT(t, planArgsFor("-o", "pdf")...)
	require.Equal(t, 2, code)
	require.Contains(t, errs, `-o "pdf": want text, json, csv, markdown, html`)
}

// TestCapacityPlanJSONCarriesText checks the members that carry what the
// text shows beyond the options: the per-type table, the notes, the
// Fargate comparison and the prices.
func TestCapacityPlanJSONCarriesText(t *testing.T) {
	code, out, errs := runPlanT(t, planArgsFor("-instance-types", "testdata/capacity/types.json", "-headroom", "2", "-o", "json")...)
	require.Equal(t, 0, code, errs)
	var got struct {
		Services          int      `json:"services"`
		AvailabilityZones []string `json:"availabilityZones"`
		Headroom          int      `json:"headroom"`
		Notes             []string `json:"notes"`
		Prices            struct {
			Region        string `json:"region"`
			HoursPerMonth int    `json:"hoursPerMonth"`
		} `json:"prices"`
		Types   []typeJSON    `json:"types"`
		Fargate []fargateJSON `json:"fargate"`
		Options []struct {
			Notes []string `json:"notes"`
		} `json:"options"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, 3, got.Services)
	require.Equal(t, 2, got.Headroom)
	require.Len(t, got.AvailabilityZones, 3)
	require.NotNil(t, got.Notes)
	require.Equal(t, 730, got.Prices.HoursPerMonth)
	names := []string{}
	for _, tp := range got.Types {
		names = append(names, tp.InstanceType)
	}
	require.Equal(t, []string{"c5.xlarge", "m5.large", "r5.large"}, names, "cheapest on demand first, as the text")
	require.Equal(t, []int{2, 2, 0}, got.Types[0].Counts)
	require.Equal(t, 4, got.Types[0].Instances)
	require.InDelta(t, 46.9, got.Types[0].CPUUtilization, 0.001)
	require.NotNil(t, got.Types[0].SpotMonthly)
	require.Nil(t, got.Types[2].SpotMonthly, "r5.large has no Spot price in types.json")
	require.Len(t, got.Fargate, 2)
	require.Equal(t, fargateJSON{Service: "api", Tasks: 4, CPU: 1024, MemoryMiB: 2048, MonthlyCost: 144.16,
		SpotMonthlyCost: got.Fargate[1].SpotMonthlyCost}, got.Fargate[1])
	require.Contains(t, got.Options[2].Notes, "1 daemon service(s) left out: Fargate runs no daemons (run them as sidecars)")
}

func TestRolloutGolden(t *testing.T) {
	tests := []struct {
		name string
		args func(*testing.T) []string
		code int
	}{
		{"rollout-failed", func(t *testing.T) []string { return append(rolloutFiles(t, "100", "200"), "-fail-new", "-1") }, 1},
		{"rollout-canary", func(*testing.T) []string { return rolloutCanaryArgs }, 0},
	}
	for _, tt := range tests {
		for _, format := range []string{"csv", "markdown", "html"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				code, out, errs := runRolloutT(t, append(tt.args(t), "-o", format)...)
				require.Equal(t, tt.code, code, errs)
				switch format {
				case "csv":
					recs := requireRectangularCSV(t, out)
					require.Equal(t, "events", recs[0][len(recs[0])-1])
				case "html":
					requireSelfContainedHTML(t, out, 1)
				}
				golden(t, tt.name+"."+format, out)
			})
		}
	}
}

// TestRolloutTextEventLines: each event is a line of its own, indented
// under its step, not a column of the step's line (issue 18).
func TestRolloutTextEventLines(t *testing.T) {
	code, out, stderr := runRolloutT(t, rolloutFiles(t, "50", "100")...)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(out, "\n")
	i := slices.Index(lines, "          (service web) has reached a steady state.")
	require.Positive(t, i, out)
	require.True(t, strings.HasPrefix(lines[i-1], "          (service web) (deployment "), lines[i-1])
	require.True(t, strings.HasPrefix(lines[i-2], "0:03:30 "), lines[i-2])
	require.NotContains(t, out, " | ")
	for _, l := range lines {
		require.Equal(t, strings.TrimRight(l, " "), l, "no trailing blanks")
	}
}

// TestRolloutJSONCarriesText: -o json keeps the report's members and adds
// the header's facts.
func TestRolloutJSONCarriesText(t *testing.T) {
	code, out, stderr := runRolloutT(t, append(rolloutFiles(t, "50", "100"), "-o", "json")...)
	require.Equal(t, 0, code, stderr)
	var got struct {
		rolloutJSON
		Service            string          `json:"service"`
		DesiredCount       int             `json:"desiredCount"`
		FromTaskDefinition string          `json:"fromTaskDefinition"`
		ToTaskDefinition   string          `json:"toTaskDefinition"`
		Bounds             rolloutBounds   `json:"bounds"`
		Timing             rolloutTimingJS `json:"timing"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, "COMPLETED", got.Outcome)
	require.NotEmpty(t, got.Steps)
	require.Equal(t, "web", got.Service)
	require.Equal(t, 3, got.DesiredCount)
	require.True(t, strings.HasSuffix(got.FromTaskDefinition, "task-definition/web:1"), got.FromTaskDefinition)
	require.True(t, strings.HasSuffix(got.ToTaskDefinition, "task-definition/web:2"), got.ToTaskDefinition)
	require.Equal(t, rolloutBounds{50, 2, 100, 3}, got.Bounds)
	require.Equal(t, rolloutTimingJS{30, "40s after RUNNING (no health check)", 30}, got.Timing)
}
