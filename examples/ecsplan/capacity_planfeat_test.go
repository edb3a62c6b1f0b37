package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
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
		{[]string{"-survive-zone-loss=false"}, 0, nil},
		{nil, 0, nil},
		{[]string{"-survive-zone-loss=half"}, 2, "want minimum-healthy (the same as no value), full or false"},
		{[]string{"-survive-zone-loss", "-azs", "us-east-1a"}, 2, "SurviveZoneLoss needs at least 2 Availability Zones"},
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
