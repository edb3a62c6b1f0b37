package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// TestCapacityPlanFilters checks -types and -arch, and that the testdata
// task definitions, which name no CPU architecture, are planned on
// x86_64 types only (ECS's default X86_64:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html).
func TestCapacityPlanFilters(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wantEC2 func(string) bool // the EC2 option's instance type; nil: no EC2 plan
		stderr  string
	}{
		{"default: an x86_64 type", nil, 0, isArch("x86_64"), ""},
		{"a family pattern", []string{"-types", "m5.*"}, 0, func(n string) bool { return strings.HasPrefix(n, "m5.") }, ""},
		{"names", []string{"-types", "c5.xlarge, m5.large"}, 0, func(n string) bool { return n == "c5.xlarge" || n == "m5.large" }, ""},
		{"x86_64", []string{"-arch", "x86_64"}, 0, isArch("x86_64"), ""},
		{"arm64 only: no EC2 plan for x86_64 tasks", []string{"-arch", "arm64"}, 0, nil, ""},
		{"an arm64 name only", []string{"-types", "m6g.large"}, 0, nil, ""},
		{"unknown architecture", []string{"-arch", "sparc"}, 2, nil, `-arch "sparc": want x86_64 or arm64`},
		{"pattern matching nothing", []string{"-types", "zz.*"}, 2, nil, `pattern "zz.*" matches no`},
		{"unknown type", []string{"-types", "zz.large"}, 2, nil, "zz.large is not in the catalogue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runPlanT(t, planArgsFor(append(tt.args, "-o", "json")...)...)
			require.Equal(t, tt.code, code, errs)
			require.Contains(t, errs, tt.stderr)
			if code == 2 {
				return
			}
			var got struct {
				Options []struct {
					Instances []struct {
						InstanceType string `json:"instanceType"`
					} `json:"instances"`
					StrandedCPU       *int   `json:"strandedCpu"`
					StrandedMemoryMiB *int   `json:"strandedMemoryMiB"`
					Unavailable       string `json:"unavailable"`
				} `json:"options"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			ec2 := got.Options[0]
			if tt.wantEC2 == nil {
				require.Empty(t, ec2.Instances)
				require.NotEmpty(t, ec2.Unavailable)
				return
			}
			require.NotEmpty(t, ec2.Instances)
			require.True(t, tt.wantEC2(ec2.Instances[0].InstanceType), ec2.Instances[0].InstanceType)
			require.NotNil(t, ec2.StrandedCPU)
			require.NotNil(t, ec2.StrandedMemoryMiB)
		})
	}
}

func isArch(arch string) func(string) bool {
	return func(n string) bool {
		it, ok := ecs.DefaultCatalog().Lookup(n)
		return ok && it.Architecture == arch
	}
}

func TestCapacityPlanTextStranded(t *testing.T) {
	code, out, errs := runPlanT(t, planArgsFor("-instance-types", "testdata/capacity/types.json")...)
	require.Equal(t, 0, code, errs)
	require.Contains(t, out, "SPOT/MONTH  STRANDED")
	require.Regexp(t, `c5\.xlarge .* \d+ (CPU|MiB)\n`, out)
}
