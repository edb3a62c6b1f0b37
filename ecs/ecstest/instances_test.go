package ecstest

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var longARN = regexp.MustCompile(`^arn:aws:ecs:us-east-1:123456789012:container-instance/default/[0-9a-f]{32}$`)

func TestRegisterContainerInstance(t *testing.T) {
	c5large, ok := ecs.DefaultCatalog().Lookup("c5.large")
	require.True(t, ok)
	tests := []struct {
		name    string
		req     ecs.RegisterContainerInstanceRequest
		az, typ string
		cpu     int
		mem     int
	}{
		{
			name: "type and zone from attributes, resources from the catalogue",
			req: ecs.RegisterContainerInstanceRequest{Attributes: []ecs.Attribute{
				{Name: "ecs.availability-zone", Value: "us-east-1a"}, {Name: "ecs.instance-type", Value: "c5.large"},
			}},
			az: "us-east-1a", typ: "c5.large", cpu: c5large.CPU, mem: c5large.RegisteredMemoryMiB,
		},
		{
			name: "type and zone from the identity document",
			req: ecs.RegisterContainerInstanceRequest{
				InstanceIdentityDocument: `{"availabilityZone":"us-east-1b","instanceType":"c5.large","instanceId":"i-0123456789abcdef0","region":"us-east-1"}`,
			},
			az: "us-east-1b", typ: "c5.large", cpu: c5large.CPU, mem: c5large.RegisteredMemoryMiB,
		},
		{
			name: "attributes win over the document",
			req: ecs.RegisterContainerInstanceRequest{
				InstanceIdentityDocument: `{"availabilityZone":"us-east-1b","instanceType":"c5.large"}`,
				Attributes:               []ecs.Attribute{{Name: "ecs.availability-zone", Value: "us-east-1c"}},
			},
			az: "us-east-1c", typ: "c5.large", cpu: c5large.CPU, mem: c5large.RegisteredMemoryMiB,
		},
		{
			name: "totalResources win over the catalogue",
			req: ecs.RegisterContainerInstanceRequest{
				Attributes:     []ecs.Attribute{{Name: "ecs.instance-type", Value: "c5.large"}},
				TotalResources: []ecs.Resource{{Name: "MEMORY", Type: "INTEGER", IntegerValue: 3000}},
			},
			typ: "c5.large", cpu: c5large.CPU, mem: 3000,
		},
		{
			name: "an uncatalogued type with totalResources",
			req: ecs.RegisterContainerInstanceRequest{
				Attributes: []ecs.Attribute{{Name: "ecs.instance-type", Value: "x9.huge"}},
				TotalResources: []ecs.Resource{
					{Name: "CPU", Type: "INTEGER", IntegerValue: 1024}, {Name: "MEMORY", Type: "INTEGER", IntegerValue: 900},
				},
			},
			typ: "x9.huge", cpu: 1024, mem: 900,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newAPIClient(t, newTestECS(t))
			var out ecs.RegisterContainerInstanceResponse
			c.call("RegisterContainerInstance", tt.req, &out)
			ci := *out.ContainerInstance
			require.Regexp(t, longARN, ci.ContainerInstanceARN)
			require.Equal(t, "ACTIVE", ci.Status)
			require.EqualValues(t, 1, ci.Version)
			require.True(t, ci.AgentConnected)
			require.Equal(t, t0, ci.RegisteredAt.Time)
			az, _ := attribute(ci, "ecs.availability-zone")
			typ, _ := attribute(ci, "ecs.instance-type")
			require.Equal(t, tt.az, az)
			require.Equal(t, tt.typ, typ)
			_, hasENI := attribute(ci, ecs.AttrTaskENI)
			require.True(t, hasENI, "the agent's capabilities are added")
			reg, err := ecs.ParseResources(ci.RegisteredResources)
			require.NoError(t, err)
			require.Equal(t, tt.cpu, reg.CPU)
			require.Equal(t, tt.mem, reg.MemoryMiB)
			if diff := cmp.Diff(ci.RegisteredResources, ci.RemainingResources); diff != "" {
				t.Fatalf("with no tasks, all remains (-registered +remaining):\n%s", diff)
			}
		})
	}
}

func TestRegisterContainerInstanceRefuses(t *testing.T) {
	c := newAPIClient(t, newTestECS(t))
	tests := []struct {
		name    string
		req     ecs.RegisterContainerInstanceRequest
		errType string
	}{
		{"no type and no resources", ecs.RegisterContainerInstanceRequest{}, "InvalidParameterException"},
		{"uncatalogued type", ecs.RegisterContainerInstanceRequest{Attributes: []ecs.Attribute{{Name: "ecs.instance-type", Value: "x9.huge"}}}, "InvalidParameterException"},
		{"bad document", ecs.RegisterContainerInstanceRequest{InstanceIdentityDocument: "{nope"}, "InvalidParameterException"},
		{"bad attribute name", ecs.RegisterContainerInstanceRequest{Attributes: []ecs.Attribute{{Name: "a b", Value: "c"}}}, "InvalidParameterException"},
		{"bad port", ecs.RegisterContainerInstanceRequest{
			Attributes:     []ecs.Attribute{{Name: "ecs.instance-type", Value: "c5.large"}},
			TotalResources: []ecs.Resource{{Name: "PORTS", Type: "STRINGSET", StringSetValue: []string{"http"}}},
		}, "InvalidParameterException"},
		{"no such cluster", ecs.RegisterContainerInstanceRequest{Cluster: "gone", Attributes: []ecs.Attribute{{Name: "ecs.instance-type", Value: "c5.large"}}}, "ClusterNotFoundException"},
		{"no such instance to re-register", ecs.RegisterContainerInstanceRequest{
			Attributes:           []ecs.Attribute{{Name: "ecs.instance-type", Value: "c5.large"}},
			ContainerInstanceARN: "arn:aws:ecs:us-east-1:123456789012:container-instance/default/0123456789abcdef0123456789abcdef",
		}, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.errType, c.fail("RegisterContainerInstance", tt.req).Type)
		})
	}
	ci, err := newTestECS(t).LaunchInstance(context.Background(), "",
		Instance{InstanceType: "c5.large", Attributes: []ecs.Attribute{{Name: "ecs.instance-type", Value: "m5.large"}}})
	requireAPIError(t, err, "InvalidParameterException")
	require.Nil(t, ci)
}

func TestIdentifiersFollowTheSeed(t *testing.T) {
	arns := func(seed uint64) []string {
		e := newTestECS(t, WithSeed(seed))
		var out []string
		for range 3 {
			ci := register(t, e, "c5.large", "us-east-1a")
			out = append(out, ci.ContainerInstanceARN, ci.EC2InstanceID)
		}
		return out
	}
	require.Equal(t, arns(42), arns(42), "the same seed gives the same identifiers")
	require.NotEqual(t, arns(42), arns(43))
	require.Regexp(t, `^i-[0-9a-f]{17}$`, arns(42)[1])
}

func TestContainerInstanceStates(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	a := register(t, e, "c5.large", "us-east-1a")
	b := register(t, e, "c5.large", "us-east-1b")
	id := func(ci *ecs.ContainerInstance) string {
		return ci.ContainerInstanceARN[len(ci.ContainerInstanceARN)-32:]
	}

	list, failures, err := e.updateContainerInstancesState(ctx, "", []string{id(a), "0123456789abcdef0123456789abcdef"}, "DRAINING")
	require.NoError(t, err)
	require.Equal(t, "DRAINING", list[0].Status)
	require.EqualValues(t, 2, list[0].Version)
	require.Equal(t, []ecs.Failure{{ARN: "arn:aws:ecs:us-east-1:123456789012:container-instance/default/0123456789abcdef0123456789abcdef", Reason: "MISSING"}}, failures)

	_, _, err = e.updateContainerInstancesState(ctx, "", []string{id(a)}, "INACTIVE")
	requireAPIError(t, err, "InvalidParameterException")

	for status, want := range map[string][]string{
		"":         slices.Sorted(slices.Values([]string{a.ContainerInstanceARN, b.ContainerInstanceARN})),
		"DRAINING": {a.ContainerInstanceARN},
		"ACTIVE":   {b.ContainerInstanceARN},
	} {
		got, err := e.listContainerInstances(ctx, "", status, "")
		require.NoError(t, err)
		require.Equal(t, want, got, "status %q", status)
	}

	gone, err := e.deregisterContainerInstance(ctx, "default", b.ContainerInstanceARN, false)
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", gone.Status)
	got, err := e.listContainerInstances(ctx, "", "", "")
	require.NoError(t, err)
	require.Equal(t, []string{a.ContainerInstanceARN}, got, "deregistered instances are not listed")
	described, failures, err := e.describeContainerInstances(ctx, "", []string{id(b)})
	require.NoError(t, err)
	require.Empty(t, failures)
	require.Equal(t, "INACTIVE", described[0].Status, "but they are described")
	_, err = e.deregisterContainerInstance(ctx, "", id(b), false)
	requireAPIError(t, err, "InvalidParameterException")
	_, failures, err = e.updateContainerInstancesState(ctx, "", []string{id(b)}, "ACTIVE")
	require.NoError(t, err)
	require.Equal(t, "INACTIVE", failures[0].Reason)

	_, err = e.LaunchInstance(ctx, "", Instance{InstanceType: "c5.large", ContainerInstanceARN: b.ContainerInstanceARN})
	requireAPIError(t, err, "ClientException")
}

func TestReregisterKeepsCustomAttributes(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	ci := register(t, e, "c5.large", "us-east-1a")
	_, err := e.putAttributes(ctx, "", []ecs.Attribute{{Name: "stack", Value: "blue", TargetID: ci.ContainerInstanceARN}})
	require.NoError(t, err)
	again, err := e.LaunchInstance(ctx, "", Instance{InstanceType: "c5.xlarge", AvailabilityZone: "us-east-1a", ContainerInstanceARN: ci.ContainerInstanceARN})
	require.NoError(t, err)
	require.Equal(t, ci.ContainerInstanceARN, again.ContainerInstanceARN)
	stack, _ := attribute(*again, "stack")
	typ, _ := attribute(*again, "ecs.instance-type")
	require.Equal(t, "blue", stack)
	require.Equal(t, "c5.xlarge", typ)
	require.EqualValues(t, 3, again.Version)
}

func TestAttributes(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	a := register(t, e, "c5.large", "us-east-1a")
	b := register(t, e, "c5.large", "us-east-1b")
	put := func(attrs ...ecs.Attribute) error {
		_, err := e.putAttributes(ctx, "", attrs)
		return err
	}
	require.NoError(t, put(
		ecs.Attribute{Name: "stack", Value: "prod", TargetID: a.ContainerInstanceARN},
		ecs.Attribute{Name: "stack", Value: "test", TargetType: "container-instance", TargetID: b.ContainerInstanceARN[len(b.ContainerInstanceARN)-32:]},
	))
	got, err := e.listAttributes(ctx, "", "container-instance", "stack", "")
	require.NoError(t, err)
	want := []ecs.Attribute{
		{Name: "stack", Value: "prod", TargetType: "container-instance", TargetID: a.ContainerInstanceARN},
		{Name: "stack", Value: "test", TargetType: "container-instance", TargetID: b.ContainerInstanceARN},
	}
	slices.SortFunc(want, func(x, y ecs.Attribute) int { return strings.Compare(x.TargetID, y.TargetID) })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	got, err = e.listAttributes(ctx, "", "container-instance", "stack", "prod")
	require.NoError(t, err)
	require.Len(t, got, 1)

	requireAPIError(t, put(ecs.Attribute{Name: "x", Value: "y", TargetID: "0123456789abcdef0123456789abcdef"}), "TargetNotFoundException")
	requireAPIError(t, put(ecs.Attribute{Name: "x", Value: " y", TargetID: a.ContainerInstanceARN}), "InvalidParameterException")
	requireAPIError(t, put(ecs.Attribute{Name: "x", Value: "y"}), "InvalidParameterException")
	var eleven []ecs.Attribute
	for i := range 10 {
		eleven = append(eleven, ecs.Attribute{Name: "k" + string(rune('a'+i)), Value: "v", TargetID: a.ContainerInstanceARN})
	}
	requireAPIError(t, put(eleven...), "AttributeLimitExceededException")
	require.NoError(t, put(eleven[:9]...), "nine more make ten custom attributes")

	_, err = e.deleteAttributes(ctx, "", []ecs.Attribute{{Name: "stack", TargetID: a.ContainerInstanceARN}})
	require.NoError(t, err)
	got, err = e.listAttributes(ctx, "", "container-instance", "stack", "")
	require.NoError(t, err)
	require.Len(t, got, 1)
	_, err = e.listAttributes(ctx, "", "cluster", "", "")
	requireAPIError(t, err, "InvalidParameterException")
}

func TestLoadContainerInstances(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile("../testdata/describe-container-instances-small-cluster.json")
	require.NoError(t, err)
	list, _, err := ecs.DecodeContainerInstances(data)
	require.NoError(t, err)
	e := newTestECS(t)
	loaded, err := e.LoadContainerInstances(ctx, "", list)
	require.NoError(t, err)
	require.Len(t, loaded, len(list))
	for i, ci := range loaded {
		require.Equal(t, list[i].EC2InstanceID, ci.EC2InstanceID)
		require.Equal(t, list[i].RegisteredResources, ci.RegisteredResources)
		require.Equal(t, list[i].ContainerInstanceARN[len(list[i].ContainerInstanceARN)-32:], ci.ContainerInstanceARN[len(ci.ContainerInstanceARN)-32:], "the ID is kept")
	}
	_, err = e.LoadContainerInstances(ctx, "", list)
	requireAPIError(t, err, "InvalidParameterException")
	arns, err := e.listContainerInstances(ctx, "", "", "")
	require.NoError(t, err)
	require.Len(t, arns, len(list), "a failed load changes nothing")
}
