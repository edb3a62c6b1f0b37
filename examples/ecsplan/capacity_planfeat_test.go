package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/placement"
)

// TestCapacityPlanZoneLossFlag: -survive-zone-loss alone means minimum
// healthy, =full the desired count; the JSON says which.
func TestCapacityPlanZoneLossFlag(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want any // surviveZoneLoss in the JSON, or part of stderr
	}{
		{[]string{"-survive-zone-loss"}, 0, "minimum-healthy"},
		{[]string{"-survive-zone-loss=true"}, 0, "minimum-healthy"},
		{[]string{"-survive-zone-loss=minimum-healthy"}, 0, "minimum-healthy"},
		{[]string{"-survive-zone-loss=full"}, 0, "full"},
		{[]string{"-survive-zone-loss=FULL"}, 0, "full"},
		{[]string{"-survive-zone-loss=Minimum-Healthy"}, 0, "minimum-healthy"},
		{[]string{"-survive-zone-loss=1"}, 0, "minimum-healthy"},
		{[]string{"-survive-zone-loss=FALSE"}, 0, nil},
		{[]string{"-survive-zone-loss=yes"}, 2, "want minimum-healthy (the same as no value), full or false"},
		{[]string{"-survive-zone-loss=false"}, 0, nil},
		{nil, 0, nil},
		{[]string{"-survive-zone-loss=half"}, 2, "want minimum-healthy (the same as no value), full or false"},
		{[]string{"-survive-zone-loss", "-azs", "us-east-1a"}, 2, "SurviveZoneLoss needs at least 2 Availability Zones"},
		{[]string{"-survive-zone-loss", "full"}, 2, "-survive-zone-loss takes its value after =: -survive-zone-loss=full"},
		{[]string{"--survive-zone-loss", "minimum-healthy"}, 2, "-survive-zone-loss=minimum-healthy"},
	}
	for _, tt := range tests {
		args := planArgsFor(append([]string{"-instance-types", "testdata/capacity/types.json", "-o", "json"}, tt.args...)...)
		code, out, errs := runPlanT(t, args...)
		require.Equal(t, tt.code, code, "%v: %s", tt.args, errs)
		if code != 0 {
			require.Contains(t, errs, tt.want)
			continue
		}
		var got struct {
			SurviveZoneLoss any      `json:"surviveZoneLoss"`
			Notes           []string `json:"notes"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		require.Equal(t, tt.want, got.SurviveZoneLoss, "%v", tt.args)
		if tt.want != nil {
			require.Contains(t, got.Notes[len(got.Notes)-1], "survives the loss of any one zone")
		}
	}
}

// TestCapacityPlanSpotJSON: the JSON carries the Spot bound, each option
// instance's on-demand count, and the warnings with their data.
func TestCapacityPlanSpotJSON(t *testing.T) {
	args := planArgsFor("-instance-types", "testdata/capacity/types.json", "-o", "json")
	args[2] = "testdata/capacity/services-nosurge.json"
	code, out, errs := runPlanT(t, args...)
	require.Equal(t, 0, code, errs)
	var got struct {
		Warnings  []string `json:"warnings"`
		SpotRisks []struct {
			Service, Zone           string
			Running, MinimumHealthy int
		} `json:"spotRisks"`
		MaxSpotShare float64 `json:"maxSpotShare"`
		Options      []struct {
			Instances []struct {
				Count, OnDemand int
			} `json:"instances"`
		} `json:"options"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, 1.0, got.MaxSpotShare)
	require.Len(t, got.SpotRisks, 2)
	require.Equal(t, "api", got.SpotRisks[0].Service)
	require.Equal(t, 2, got.SpotRisks[0].MinimumHealthy)
	require.Len(t, got.Warnings, 2)

	code, out, errs = runPlanT(t, append(args, "-max-spot-share", "0.5")...)
	require.Equal(t, 0, code, errs)
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, 0.5, got.MaxSpotShare)
	// Exactly half Spot: the bound does not bound the risk, an
	// interruption of the Spot instance still leaves both services short.
	require.Len(t, got.SpotRisks, 2, "1 of 2 instances Spot")
	require.Len(t, got.Warnings, 2)
	od := 0
	for _, ic := range got.Options[1].Instances {
		od += ic.OnDemand
	}
	require.Equal(t, 1, od)

	for _, bad := range []string{"1.5", "-0.1", "NaN"} {
		code, _, errs = runPlanT(t, append(args, "-max-spot-share", bad)...)
		require.Equal(t, 2, code)
		require.Contains(t, errs, "-max-spot-share")
	}
}

// TestCapacityPlanMixedJSON: -mixed makes the EC2_SPOT option a fleet of
// c5.xlarge for the CPU-heavy services and m5.large for the
// memory-heavy cache, its parts in the JSON, and says why.
func TestCapacityPlanMixedJSON(t *testing.T) {
	args := planArgsFor("-instance-types", "testdata/capacity/types.json", "-o", "json",
		"-task-definitions", "testdata/capacity/cache.json", "-mixed")
	args[2] = "testdata/capacity/services-mixed.json"
	code, out, errs := runPlanT(t, args...)
	require.Equal(t, 0, code, errs)
	var got struct {
		Notes   []string `json:"notes"`
		Options []struct {
			Kind  string `json:"kind"`
			Parts []struct {
				InstanceType string   `json:"instanceType"`
				Services     []string `json:"services"`
				Shape        string   `json:"shape"`
			} `json:"parts"`
		} `json:"options"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Empty(t, got.Options[0].Parts, "on demand, r5.large alone is cheaper")
	spot := got.Options[1]
	require.Len(t, spot.Parts, 2)
	require.Equal(t, "c5.xlarge", spot.Parts[0].InstanceType)
	require.Equal(t, []string{"api", "web"}, spot.Parts[0].Services)
	require.Equal(t, "memory-heavy", spot.Parts[1].Shape)
	require.Contains(t, got.Notes[0], "EC2: no mixed fleet costs less")
	require.Contains(t, got.Notes[1], "EC2_SPOT is a mixed fleet")
}

// TestCapacityPlanSpotShareAsWritten: the plan reports -max-spot-share as
// the user wrote it, without the noise of 1 − (1 − S) in floats, and a
// tiny on-demand share is not rounded to 0 %.
func TestCapacityPlanSpotShareAsWritten(t *testing.T) {
	tests := []struct {
		share, text string
		json        float64
	}{
		{"0.3", "Spot share bounded (-max-spot-share 0.3): at least 70% of the EC2_SPOT instances", 0.3},
		{"0.7", "Spot share bounded (-max-spot-share 0.7): at least 30% of the EC2_SPOT instances", 0.7},
		{"0.9999999999", "Spot share bounded (-max-spot-share 0.9999999999): at least 1e-08% of the EC2_SPOT instances", 0.9999999999},
	}
	for _, tt := range tests {
		args := planArgsFor("-instance-types", "testdata/capacity/types.json", "-max-spot-share", tt.share)
		code, out, errs := runPlanT(t, append(args, "-o", "text")...)
		require.Equal(t, 0, code, errs)
		require.Contains(t, out, tt.text)
		require.Contains(t, out, "ALL SPOT/MONTH", "the bound is not the types' all-Spot price")
		code, out, errs = runPlanT(t, append(args, "-o", "json")...)
		require.Equal(t, 0, code, errs)
		var got struct {
			MaxSpotShare float64 `json:"maxSpotShare"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		require.Equal(t, tt.json, got.MaxSpotShare)
		require.Contains(t, out, `"maxSpotShare": `+tt.share+",")
	}
}

// TestShortReasonNamesZone: a type's failure after a zone loss names the
// zone lost, and the service.
func TestShortReasonNamesZone(t *testing.T) {
	ex := &placement.Explanation{Reasons: []placement.ReasonCount{{Reason: placement.ReasonCPU}}}
	tests := []struct {
		pe   *capacity.PlacementError
		want string
	}{
		{&capacity.PlacementError{Phase: capacity.PhaseZoneLoss, Zone: "us-east-1a", Workload: "api", Explanation: ex}, "zone loss of us-east-1a: api: "},
		{&capacity.PlacementError{Phase: capacity.PhaseSteady, Workload: "api", Explanation: ex}, "steady state of api: "},
	}
	for _, tt := range tests {
		got := shortReason(tt.pe)
		require.True(t, strings.HasPrefix(got, tt.want), "%q starts with %q", got, tt.want)
	}
}
