package ecs

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func fixedClock() func() time.Time {
	t0 := time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)
	return func() time.Time { return t0 }
}

func newTestRegistry() *Registry {
	return NewRegistry(func(o *RegistryOptions) {
		o.Region, o.Account, o.Clock = "eu-west-1", "111122223333", fixedClock()
	})
}

func sleepTD(family string) *TaskDefinition {
	return &TaskDefinition{
		Family: family,
		ContainerDefinitions: []ContainerDefinition{{
			Name: "sleep", Image: "busybox", Memory: ptr(10), Essential: ptr(true),
		}},
	}
}

func TestRegistryRegisterFillsOutputMembers(t *testing.T) {
	r := newTestRegistry()
	in := sleepTD("sleep360")
	in.CPU, in.Memory = ".25 vCPU", "0.5GB"
	in.NetworkMode = NetworkModeAwsvpc
	in.RequiresCompatibilities = []Compatibility{CompatibilityFargate}
	in.ContainerDefinitions[0].HealthCheck = &HealthCheck{Command: []string{"CMD", "true"}}

	got, err := r.Register(in, []Tag{{Key: "k", Value: "v"}})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:ecs:eu-west-1:111122223333:task-definition/sleep360:1", got.TaskDefinitionARN)
	require.Equal(t, 1, got.Revision)
	require.Equal(t, TaskDefinitionStatusActive, got.Status)
	require.Equal(t, "256", got.CPU, "vCPU strings become CPU units")
	require.Equal(t, "512", got.Memory, "GB strings become MiB")
	require.Equal(t, []Compatibility{CompatibilityEC2, CompatibilityFargate}, got.Compatibilities)
	require.Equal(t, []Attribute{{Name: AttrHealthCheck}, {Name: AttrTaskENI}}, got.RequiresAttributes)
	require.True(t, got.RegisteredAt.Equal(fixedClock()()))
	require.Equal(t, []Tag{{Key: "k", Value: "v"}}, r.Tags(got.TaskDefinitionARN))
	require.Equal(t, ".25 vCPU", in.CPU, "the caller's task definition is not modified")
}

func TestRegistryBridgeCompatibilities(t *testing.T) {
	got, err := newTestRegistry().Register(sleepTD("web"), nil)
	require.NoError(t, err)
	require.Equal(t, []Compatibility{CompatibilityExternal, CompatibilityEC2}, got.Compatibilities)
}

func TestRegistryRevisionsAreNeverReused(t *testing.T) {
	r := newTestRegistry()
	for range 3 {
		_, err := r.Register(sleepTD("web"), nil)
		require.NoError(t, err)
	}
	_, err := r.Deregister("web:3")
	require.NoError(t, err)
	next, err := r.Register(sleepTD("web"), nil)
	require.NoError(t, err)
	require.Equal(t, 4, next.Revision)
}

func TestRegistryDescribe(t *testing.T) {
	r := newTestRegistry()
	for range 3 {
		_, err := r.Register(sleepTD("web"), nil)
		require.NoError(t, err)
	}
	_, err := r.Deregister("arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3")
	require.NoError(t, err)

	tests := []struct {
		ref     string
		wantRev int
		wantErr error
	}{
		{"web", 2, nil}, // latest ACTIVE: 3 is INACTIVE
		{"web:1", 1, nil},
		{"web:3", 3, nil}, // INACTIVE stays describable by revision
		{"arn:aws:ecs:eu-west-1:111122223333:task-definition/web:2", 2, nil},
		{"web:4", 0, ErrNotFound},
		{"web:0", 0, ErrInvalid},
		{"web:x", 0, ErrInvalid},
		{"nope", 0, ErrNotFound},
		{"", 0, ErrInvalid},
		{"arn:aws:ecs:eu-west-1:111122223333:service/web", 0, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			td, err := r.Describe(tt.ref)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				require.Equal(t, ClientException, apiErr.Type)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.wantRev, td.Revision)
		})
	}
	inactive, err := r.Describe("web:3")
	require.NoError(t, err)
	require.Equal(t, TaskDefinitionStatusInactive, inactive.Status)
	require.False(t, inactive.DeregisteredAt.IsZero())
}

func TestRegistryAllInactive(t *testing.T) {
	r := newTestRegistry()
	_, err := r.Register(sleepTD("web"), nil)
	require.NoError(t, err)
	_, err = r.Deregister("web:1")
	require.NoError(t, err)
	_, err = r.Describe("web")
	require.ErrorIs(t, err, ErrInactive)
	_, err = r.Deregister("web:1")
	require.ErrorIs(t, err, ErrInactive)
	_, err = r.Deregister("web")
	require.ErrorIs(t, err, ErrInvalid, "deregistration names a revision")
}

func TestRegistryFailedCallChangesNothing(t *testing.T) {
	r := newTestRegistry()
	_, err := r.Register(sleepTD("web"), nil)
	require.NoError(t, err)
	before := slices.Collect(r.TaskDefinitions("", ""))

	bad := []*TaskDefinition{
		nil,
		{Family: "web"}, // no containers
		{ContainerDefinitions: sleepTD("x").ContainerDefinitions}, // no family
		{Family: "bad family", ContainerDefinitions: sleepTD("x").ContainerDefinitions},
		func() *TaskDefinition { td := sleepTD("web"); td.CPU = "0.1 vCPU"; return td }(),
	}
	for i, td := range bad {
		_, err := r.Register(td, nil)
		require.ErrorIs(t, err, ErrInvalid, "case %d", i)
	}
	_, err = r.Deregister("web:9")
	require.ErrorIs(t, err, ErrNotFound)
	after := slices.Collect(r.TaskDefinitions("", ""))
	require.Empty(t, cmp.Diff(before, after))
	next, err := r.Register(sleepTD("web"), nil)
	require.NoError(t, err)
	require.Equal(t, 2, next.Revision, "refused registrations used no revision")
}

func TestRegistryListings(t *testing.T) {
	r := newTestRegistry()
	for _, fam := range []string{"web", "api", "web-canary", "api"} {
		_, err := r.Register(sleepTD(fam), nil)
		require.NoError(t, err)
	}
	_, err := r.Deregister("web-canary:1")
	require.NoError(t, err)
	require.Equal(t, []string{"api", "web", "web-canary"}, slices.Collect(r.Families("")))
	require.Equal(t, []string{"api", "web"}, slices.Collect(r.Families(TaskDefinitionStatusActive)))
	var arns []string
	for td := range r.TaskDefinitions("web", "") {
		arns = append(arns, fmt.Sprintf("%s:%d", td.Family, td.Revision))
	}
	require.Equal(t, []string{"web:1", "web-canary:1"}, arns)
}

func TestRegistryReRegisterDescribeOutput(t *testing.T) {
	td, _, err := DecodeTaskDefinition(readTestdata(t, "api-examples/describe-task-definition-1-output.json"))
	require.NoError(t, err)
	got, err := newTestRegistry().Register(td, nil)
	require.NoError(t, err)
	require.Equal(t, 1, got.Revision, "output-only members of the input are ignored")
}

func TestRegistryConcurrentRegistrations(t *testing.T) {
	r := newTestRegistry()
	const n = 64
	var wg sync.WaitGroup
	revs := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			td, err := r.Register(sleepTD("web"), nil)
			if err != nil {
				t.Error(err)
				return
			}
			revs[i] = td.Revision
			if _, err := r.Describe("web"); err != nil && !errors.Is(err, ErrInactive) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	slices.Sort(revs)
	for i, rev := range revs {
		require.Equal(t, i+1, rev, "each revision given exactly once")
	}
}

func ExampleRegistry() {
	reg := NewRegistry(func(o *RegistryOptions) { o.Region, o.Account = "us-east-1", "123456789012" })
	td, _, err := DecodeTaskDefinition([]byte(`{
		"family": "web",
		"cpu": "1 vCPU", "memory": "2 GB",
		"containerDefinitions": [{"name": "nginx", "image": "nginx:1.27"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	got, err := reg.Register(td, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.TaskDefinitionARN, got.CPU, got.Memory, got.Compatibilities)
	// Output: arn:aws:ecs:us-east-1:123456789012:task-definition/web:1 1024 2048 [EXTERNAL EC2]
}

func TestRegistryRefusesInvalidWithFindings(t *testing.T) {
	r := newTestRegistry()
	td := sleepTD("web")
	td.RequiresCompatibilities = []Compatibility{CompatibilityFargate}
	td.NetworkMode = NetworkModeBridge
	_, err := r.Register(td, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, ClientException, apiErr.Type)
	require.ErrorIs(t, err, ErrInvalid)
	var verr *ValidationError
	require.ErrorAs(t, err, &verr, "the findings travel with the error")
	require.NotEmpty(t, verr.Findings)
	require.Empty(t, slices.Collect(r.TaskDefinitions("", "")), "a refused registration stores nothing")
}

// TestRegistryRefusesValuesOutOfRange checks that a value a Go caller can
// set but the API cannot hold is refused as invalid input, and that
// output-only members, which Register ignores, cannot make it fail.
func TestRegistryRefusesValuesOutOfRange(t *testing.T) {
	r := newTestRegistry()
	td := sleepTD("web")
	td.ContainerDefinitions[0].Memory = ptr(1 << 40)
	_, err := r.Register(td, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, ClientException, apiErr.Type)
	require.ErrorIs(t, err, ErrInvalid)
	require.Empty(t, slices.Collect(r.TaskDefinitions("", "")))

	td = sleepTD("web")
	td.RegisteredAt = NewTime(time.Date(100000, 1, 1, 0, 0, 0, 0, time.UTC))
	got, err := r.Register(td, nil)
	require.NoError(t, err, "registeredAt is output-only")
	require.True(t, got.RegisteredAt.Equal(fixedClock()()))
}
