package placement_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// TestReasons checks each filter's reason (rule 99) and that an instance
// failing several is reported under the first in ECS's order.
func TestReasons(t *testing.T) {
	awsvpc := func() *ecs.TaskDefinition {
		td := taskDef("web", 256, 512)
		td.NetworkMode = ecs.NetworkModeAwsvpc
		return td
	}
	gpu := taskDef("web", 256, 512)
	gpu.ContainerDefinitions[0].ResourceRequirements = []ecs.ResourceRequirement{{Type: ecs.ResourceTypeGPU, Value: "1"}}
	attr := taskDef("web", 256, 512)
	attr.RequiresAttributes = []ecs.Attribute{{Name: "com.example.ssd"}}
	udp := taskDef("web", 256, 512)
	port := 53
	udp.ContainerDefinitions[0].PortMappings = []ecs.PortMapping{{ContainerPort: &port, HostPort: &port, Protocol: ecs.TransportProtocolUDP}}
	tests := []struct {
		name        string
		in          *instance
		td          *ecs.TaskDefinition
		constraints []ecs.PlacementConstraint
		want        string
	}{
		// Rule 85: the agent must be connected; AGENT comes first.
		{"agent", newInstance("a").disconnected().free(0, 0), taskDef("web", 256, 512), nil, "AGENT"},
		{"cpu before memory", newInstance("a").free(128, 128), taskDef("web", 256, 512), nil, "RESOURCE:CPU"},
		{"memory", newInstance("a").free(2048, 128), taskDef("web", 256, 512), nil, "RESOURCE:MEMORY"},
		{"gpu", newInstance("a"), gpu, nil, "RESOURCE:GPU"},
		{"ports", newInstance("a").ports(22, 80), taskDef("web", 256, 512, 80), nil, "RESOURCE:PORTS"},
		{"ports reserved", newInstance("a"), taskDef("web", 256, 512, 22), nil, "RESOURCE:PORTS"},
		{"ports udp", newInstance("a").udpPorts(53), udp, nil, "RESOURCE:PORTS_UDP"},
		// Rule 99: an awsvpc task needs an ENI slot and the task-eni
		// attribute; the ENI limit comes first.
		{"eni before attribute", newInstance("a").attr(ecs.AttrInstanceType, "unknown.type"), awsvpc(), nil, "RESOURCE:ENI"},
		{"attribute derived", newInstance("a"), awsvpc(), nil, "ATTRIBUTE"},
		{"attribute required", newInstance("a"), attr, nil, "ATTRIBUTE"},
		// Rule 93: constraints come last, in list order.
		{"memberOf", newInstance("a"), taskDef("web", 256, 512), []ecs.PlacementConstraint{memberOf("attribute:ecs.instance-type == t2.small")}, placement.MemberOfUnsatisfied},
		{"resources before constraints", newInstance("a").free(0, 4096), taskDef("web", 256, 512), []ecs.PlacementConstraint{memberOf("attribute:x exists")}, "RESOURCE:CPU"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engine(t, cluster(tt.in), nil, false)
			_, res := place(t, e, &placement.Request{TaskDefinition: tt.td, Constraints: tt.constraints})
			require.Equal(t, 1, res.Unplaced)
			ex := res.Explanation
			require.NotNil(t, ex.Closest)
			require.Equal(t, tt.want, ex.Closest.Reason)
			require.Len(t, ex.Reasons, 1)
			require.Equal(t, tt.want, ex.Reasons[0].String())
			require.Equal(t, 1, ex.Reasons[0].Count)
			require.Len(t, ex.Failures, 1)
			require.Equal(t, ciARN("a"), ex.Failures[0].ARN)
			require.Equal(t, tt.want, ex.Failures[0].Reason)
			require.NotEmpty(t, ex.Failures[0].Detail)
		})
	}
}

// Rule 93: distinctInstance turns away an instance already running a task
// of the group, including the request's own earlier tasks.
func TestDistinctInstance(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b")), nil, false)
	got, res := place(t, e, &placement.Request{
		TaskDefinition: taskDef("web", 128, 128), Count: 3,
		Constraints: []ecs.PlacementConstraint{distinct()},
	})
	require.Equal(t, []string{"a", "b"}, got)
	require.Equal(t, 1, res.Unplaced)
	require.Equal(t, placement.DistinctInstanceUnsatisfied, res.Explanation.Closest.Reason)
	// Another group may still use both.
	got, _ = place(t, e, &placement.Request{
		TaskDefinition: taskDef("api", 128, 128), Count: 2,
		Constraints: []ecs.PlacementConstraint{distinct()},
	})
	require.Equal(t, []string{"a", "b"}, got)
}

// Rules 85 and 106: only ACTIVE instances are candidates; EXTERNAL tasks
// go only to external instances and EC2 tasks never there; a capacity
// provider limits the instances to its own.
func TestCandidates(t *testing.T) {
	ext := newInstance("ext").attr(ecs.AttrExternal, "")
	cp := newInstance("cp")
	cp.CapacityProviderName = "spot"
	ins := cluster(newInstance("draining").status("DRAINING"), ext, cp, newInstance("plain"))
	tests := []struct {
		name string
		req  placement.Request
		want []string
	}{
		{"ec2", placement.Request{Count: 4, Strategy: []ecs.PlacementStrategy{spread("instanceId")}}, []string{"cp", "plain", "cp", "plain"}},
		{"external", placement.Request{Count: 2, LaunchType: ecs.LaunchTypeExternal}, []string{"ext", "ext"}},
		{"capacity provider", placement.Request{Count: 2, CapacityProvider: "spot"}, []string{"cp", "cp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engine(t, ins, nil, false)
			req := tt.req
			req.TaskDefinition = taskDef("web", 128, 128)
			got, _ := place(t, e, &req)
			require.Equal(t, tt.want, got)
		})
	}
}

// Rule 100: the service event names the closest instance and what it
// lacked, in the API's words.
func TestEvent(t *testing.T) {
	const tail = " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
	const head = "(service web) was unable to place a task because no container instance met all of its requirements."
	tests := []struct {
		name        string
		ins         []*instance
		td          *ecs.TaskDefinition
		constraints []ecs.PlacementConstraint
		want        string
	}{{
		name: "memory",
		ins:  []*instance{newInstance("aaa").free(2048, 100), newInstance("bbb").free(2048, 400)},
		td:   taskDef("web", 256, 512),
		want: head + " The closest matching (container-instance bbb) has insufficient memory available." + tail,
	}, {
		name: "cpu",
		ins:  []*instance{newInstance("aaa").free(100, 4096)},
		td:   taskDef("web", 256, 512),
		want: head + " The closest matching (container-instance aaa) has insufficient CPU units available." + tail,
	}, {
		name: "ports",
		ins:  []*instance{newInstance("aaa").ports(80)},
		td:   taskDef("web", 256, 512, 80),
		want: head + " The closest matching (container-instance aaa) is already using a port required by your task." + tail,
	}, {
		name: "agent",
		ins:  []*instance{newInstance("aaa").disconnected()},
		td:   taskDef("web", 256, 512),
		want: head + ` The closest matching (container-instance aaa) encountered error "AGENT".` + tail,
	}, {
		name:        "constraint",
		ins:         []*instance{newInstance("aaa")},
		td:          taskDef("web", 256, 512),
		constraints: []ecs.PlacementConstraint{memberOf("attribute:stack == prod")},
		want:        head + ` The closest matching (container-instance aaa) encountered error "MemberOf placement constraint unsatisfied.".` + tail,
	}, {
		// The closest fails the fewest filters: bbb lacks only memory,
		// aaa lacks CPU and memory.
		name: "fewest failures wins",
		ins:  []*instance{newInstance("aaa").free(10, 500), newInstance("bbb").free(2048, 10)},
		td:   taskDef("web", 256, 512),
		want: head + " The closest matching (container-instance bbb) has insufficient memory available." + tail,
	}, {
		name: "no instances",
		td:   taskDef("web", 256, 512),
		want: head + " Reason: No Container Instances were found in your cluster.",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engine(t, cluster(tt.ins...), nil, false)
			_, res := place(t, e, &placement.Request{TaskDefinition: tt.td, Service: "web", Constraints: tt.constraints})
			require.NotNil(t, res.Explanation)
			if diff := cmp.Diff(tt.want, res.Explanation.Event()); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

// Rule 100: ECS writes the placement failure sentence for services,
// "(service NAME) was unable to place a task …". A request's service
// names itself; a standalone task of group service:NAME is named NAME,
// never "(service service:NAME)"; one of another group keeps its group.
func TestEventName(t *testing.T) {
	const rest = " was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance aaa) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
	tests := []struct {
		name           string
		service, group string
		want           string
	}{
		{"service", "web", "", "(service web)"},
		{"service group", "", "service:web", "(service web)"},
		{"default family group", "", "", "(service family:web)"},
		{"other group", "", "batch-jobs", "(service batch-jobs)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engine(t, cluster(newInstance("aaa").free(2048, 100)), nil, false)
			_, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 256, 512), Service: tt.service, Group: tt.group})
			require.NotNil(t, res.Explanation)
			require.Equal(t, tt.want+rest, res.Explanation.Event())
		})
	}
}

// Rule 100: ties between equally failing instances go to the smallest
// fractional shortfall, then to the ARN; every failure is listed, sorted
// by ARN.
func TestExplanationClosest(t *testing.T) {
	e := engine(t, cluster(
		newInstance("c").free(2048, 500), // short 12 of 512
		newInstance("a").free(2048, 100), // short 412
		newInstance("b").free(2048, 500), // short 12: ties with c, ARN first
		newInstance("d").free(100, 4096).disconnected(),
	), nil, false)
	_, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 256, 512)})
	ex := res.Explanation
	require.Equal(t, "b", ex.Closest.InstanceID)
	require.Equal(t, []placement.ReasonCount{{Reason: placement.ReasonAgent, Count: 1}, {Reason: placement.ReasonMemory, Count: 3}}, ex.Reasons)
	var arns []string
	for _, f := range ex.Failures {
		arns = append(arns, f.ARN)
	}
	require.Equal(t, []string{ciARN("a"), ciARN("b"), ciARN("c"), ciARN("d")}, arns)
	require.Equal(t, []string{"RESOURCE:MEMORY: needs 512 MiB of memory, 500 available"}, ex.Closest.Lacked)
}
