package ecs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

// Launch type lists for rule cases.
var (
	onEC2      = []Compatibility{CompatibilityEC2}
	onFargate  = []Compatibility{CompatibilityFargate}
	onExternal = []Compatibility{CompatibilityExternal}
	onManaged  = []Compatibility{CompatibilityManagedInstances}
	onAll      = []Compatibility{CompatibilityEC2, CompatibilityFargate, CompatibilityExternal, CompatibilityManagedInstances}
)

// ruleCase is one table test of the rules: a valid task definition
// changed by edit, validated for launch types lt, and the findings it
// must give (none for a valid input).
type ruleCase struct {
	name string
	rule int
	lt   []Compatibility
	opts ValidationOptions
	edit func(td *TaskDefinition)
	want []wantFinding
}

// wantFinding is the part of a finding a rule case checks.
type wantFinding struct {
	Code     string
	Path     string
	Severity Severity
}

func wantErr(code, path string) wantFinding  { return wantFinding{code, path, SeverityError} }
func wantWarn(code, path string) wantFinding { return wantFinding{code, path, SeverityWarning} }

// vInt and vBool return pointers for the API's boxed members.
func vInt(n int) *int    { return &n }
func vBool(b bool) *bool { return &b }

// validTD returns a task definition that is valid on every launch type:
// awsvpc, 256 CPU units and 512 MiB, one essential nginx container.
func validTD() *TaskDefinition {
	return &TaskDefinition{
		Family:      "web",
		NetworkMode: NetworkModeAwsvpc,
		CPU:         "256",
		Memory:      "512",
		ContainerDefinitions: []ContainerDefinition{{
			Name:         "app",
			Image:        "nginx:1.25",
			Essential:    vBool(true),
			PortMappings: []PortMapping{{ContainerPort: vInt(80)}},
		}},
	}
}

// sidecar returns a non-essential container without ports.
func sidecar(name string) ContainerDefinition {
	return ContainerDefinition{Name: name, Image: "busybox", Essential: vBool(false)}
}

// windowsTD returns validTD on Windows Server 2022 with a Fargate size.
func windowsTD(td *TaskDefinition) {
	td.RuntimePlatform = &RuntimePlatform{OperatingSystemFamily: OSFamilyWindowsServer2022Core, CPUArchitecture: CPUArchitectureX86_64}
	td.CPU, td.Memory = "1024", "2048"
}

// bridgeTD switches validTD to bridge mode.
func bridgeTD(td *TaskDefinition) { td.NetworkMode = NetworkModeBridge }

// container0 returns the first container of td.
func container0(td *TaskDefinition) *ContainerDefinition { return &td.ContainerDefinitions[0] }

// ruleCases collects every table of rule cases; the catalogue test reads
// the codes they expect.
func ruleCases() []ruleCase {
	return slices.Concat(taskRuleCases(), sizeRuleCases(), containerRuleCases(), dependencyRuleCases(),
		memberRuleCases(), portRuleCases(), volumeRuleCases(), taskOptionRuleCases(), fargateRuleCases(),
		platformRuleCases())
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(fmt.Sprintf("rule%d/%s", tc.rule, tc.name), func(t *testing.T) {
			td := validTD()
			if tc.edit != nil {
				tc.edit(td)
			}
			opts := tc.opts
			opts.LaunchTypes = tc.lt
			got := ValidateTaskDefinition(td, func(o *ValidationOptions) { *o = opts })
			checkFindings(t, got, tc.want)
		})
	}
}

// checkFindings compares the findings' codes, paths and severities with
// want, in any order, and checks that each finding has a message.
func checkFindings(t *testing.T, got Findings, want []wantFinding) {
	t.Helper()
	gotW := make([]wantFinding, len(got))
	for i, f := range got {
		gotW[i] = wantFinding{f.Code, f.Path, f.Severity}
		require.NotEmpty(t, f.Message, "finding %s has no message", f.Code)
		require.True(t, strings.HasSuffix(f.Message, "."), "message %q is not a sentence", f.Message)
	}
	less := func(a, b wantFinding) int { return strings.Compare(a.Path+" "+a.Code, b.Path+" "+b.Code) }
	slices.SortFunc(gotW, less)
	want = slices.Clone(want)
	slices.SortFunc(want, less)
	if diff := cmp.Diff(want, gotW, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("findings (-want +got):\n%s\nall findings:\n%s", diff, formatFindings(got))
	}
}

func formatFindings(fs Findings) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("\t" + f.String() + "\n")
	}
	return b.String()
}

func TestValidTaskDefinitionOnEveryLaunchType(t *testing.T) {
	for _, lt := range onAll {
		require.Empty(t, ValidateTaskDefinition(validTD(), func(o *ValidationOptions) {
			o.LaunchTypes = []Compatibility{lt}
		}), lt)
	}
}

func TestValidateNil(t *testing.T) {
	fs := ValidateTaskDefinition(nil)
	require.Len(t, fs, 1)
	require.Equal(t, codeNotTaskDefinition, fs[0].Code)
}

func TestLaunchTypesDefault(t *testing.T) {
	td := validTD()
	td.NetworkMode = NetworkModeBridge
	require.Empty(t, ValidateTaskDefinition(td), "EC2 when requiresCompatibilities is empty")
	td.RequiresCompatibilities = onFargate
	fs := ValidateTaskDefinition(td)
	require.Equal(t, codeFargateNetworkMode, fs[0].Code, "requiresCompatibilities is used")
	require.Empty(t, ValidateTaskDefinition(td, func(o *ValidationOptions) {
		o.LaunchTypes = onEC2
	}), "LaunchTypes replaces requiresCompatibilities")
}

func TestFindingsErr(t *testing.T) {
	require.NoError(t, Findings(nil).Err())
	warn := Findings{{Code: codeMemoryMinimum, Severity: SeverityWarning, Message: "m."}}
	require.NoError(t, warn.Err(), "warnings alone are not an error")
	require.False(t, warn.HasErrors())

	td := validTD()
	td.NetworkMode = NetworkModeBridge
	err := ValidateTaskDefinition(td, func(o *ValidationOptions) {
		o.LaunchTypes = onFargate
	}).Err()
	require.Error(t, err)
	var verr *ValidationError
	require.True(t, errors.As(fmt.Errorf("register: %w", err), &verr))
	require.Equal(t, codeFargateNetworkMode, verr.Findings[0].Code)
	require.Contains(t, err.Error(), "invalid task definition: 1 error\n\tnetworkMode: error: fargate.network-mode: ")
}

func TestFindingString(t *testing.T) {
	f := Finding{Path: "cpu", Code: "task.cpu-form", Severity: SeverityError, Message: "Bad.", Line: 3, Column: 9}
	require.Equal(t, "3:9: cpu: error: task.cpu-form: Bad.", f.String())
	f = Finding{Code: "json.syntax", Severity: SeverityError, Message: "Bad."}
	require.Equal(t, "error: json.syntax: Bad.", f.String())
}

func TestAPIMessages(t *testing.T) {
	td := validTD()
	td.NetworkMode = NetworkModeBridge
	td.CPU = "128"
	c := container0(td)
	c.CPU, c.Memory = 256, vInt(1024)
	c.Links = []string{"app"}
	got := map[string]string{}
	for _, f := range ValidateTaskDefinition(td, func(o *ValidationOptions) {
		o.LaunchTypes = []Compatibility{CompatibilityFargate, CompatibilityEC2}
	}) {
		got[f.Code] = f.APIMessage
	}
	want := map[string]string{
		codeFargateNetworkMode: "Fargate only supports network mode 'awsvpc'.",
		codeFargateTaskSize:    "Invalid 'cpu' setting for task.",
		codeTaskCPUSum:         "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.",
		codeMemoryExceedsTask:  "The 'memory' setting for container 'app' is greater than for the task.",
		codeLinksCycle:         "Container links should not have a cycle",
		codeFargateUnsupported: "",
	}
	require.Equal(t, want, got)
}
