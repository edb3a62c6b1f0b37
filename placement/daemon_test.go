package placement_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Rule 103: a daemon runs on each ACTIVE instance that meets all its
// constraints, whatever room the instance has left; rules 85, 93 and 99
// say what an instance must be to run a task at all.
func TestEligible(t *testing.T) {
	ssd := taskDef("agent", 128, 128)
	ssd.RequiresAttributes = []ecs.Attribute{{Name: "com.example.ssd"}}
	inTD := taskDef("agent", 128, 128)
	inTD.PlacementConstraints = []ecs.TaskDefinitionPlacementConstraint{{Type: "memberOf", Expression: "attribute:ecs.instance-type == c5.xlarge"}}
	ins := cluster(
		newInstance("a"),
		newInstance("b").free(0, 0), // full: still eligible
		newInstance("c").status("DRAINING"),
		newInstance("d").disconnected(),
		newInstance("e").attr(ecs.AttrInstanceType, "c5.xlarge").attr("com.example.ssd", ""),
		newInstance("f").attr(ecs.AttrExternal, ""),
		newInstance("g").attr(ecs.AttrAvailabilityZone, "us-east-1c").status("DRAINING"),
		newInstance("h").attr(ecs.AttrAvailabilityZone, "us-east-1b").attr(ecs.AttrInstanceType, "c5.xlarge"),
	)
	tests := []struct {
		name string
		req  placement.Request
		want []string
	}{
		{"room is not looked at; DRAINING and disconnected are not eligible (rules 85, 106)",
			placement.Request{TaskDefinition: taskDef("agent", 128, 128)}, []string{"a", "b", "e", "h"}},
		{"required attributes (rule 99)", placement.Request{TaskDefinition: ssd}, []string{"e"}},
		{"memberOf of the request (rule 103)",
			placement.Request{TaskDefinition: taskDef("agent", 128, 128), Constraints: []ecs.PlacementConstraint{memberOf("attribute:ecs.instance-type == m5.large")}},
			[]string{"a", "b"}},
		{"memberOf of the task definition (rule 93)", placement.Request{TaskDefinition: inTD}, []string{"e", "h"}},
		{"distinctInstance concerns tasks, not instances",
			placement.Request{TaskDefinition: taskDef("agent", 128, 128), Constraints: []ecs.PlacementConstraint{distinct()}},
			[]string{"a", "b", "e", "h"}},
		{"EXTERNAL tasks only on external instances",
			placement.Request{TaskDefinition: taskDef("agent", 128, 128), LaunchType: ecs.LaunchTypeExternal}, []string{"f"}},
		{"Instances limits the candidates",
			placement.Request{TaskDefinition: taskDef("agent", 128, 128), Instances: []string{ciARN("b"), ciARN("c"), ciARN("zz")}}, []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engine(t, ins, nil, false)
			got, err := e.Eligible(&tt.req)
			require.NoError(t, err)
			var want []string
			for _, id := range tt.want {
				want = append(want, ciARN(id))
			}
			require.Equal(t, want, got)
			// EligibleZones: the zones of the same instances.
			var zones []string
			for _, arn := range got {
				if st, _ := e.Instance(arn); st.AvailabilityZone != "" && !slices.Contains(zones, st.AvailabilityZone) {
					zones = append(zones, st.AvailabilityZone)
				}
			}
			slices.Sort(zones)
			gotZones, err := e.EligibleZones(&tt.req)
			require.NoError(t, err)
			require.Equal(t, zones, gotZones)
		})
	}
	t.Run("task:group is read as the tasks stand now", func(t *testing.T) {
		e := engine(t, cluster(newInstance("a"), newInstance("b")), nil, false)
		place(t, e, &placement.Request{TaskDefinition: taskDef("db", 128, 128), Service: "db", Instances: []string{ciARN("b")}})
		got, err := e.Eligible(&placement.Request{TaskDefinition: taskDef("agent", 128, 128),
			Constraints: []ecs.PlacementConstraint{memberOf("task:group == service:db")}})
		require.NoError(t, err)
		require.Equal(t, []string{ciARN("b")}, got)
	})
	t.Run("an invalid request is refused", func(t *testing.T) {
		e := engine(t, ins, nil, false)
		_, err := e.Eligible(&placement.Request{TaskDefinition: taskDef("agent", 128, 128), Constraints: []ecs.PlacementConstraint{memberOf("attribute:x ==")}})
		var apiErr *ecs.APIError
		require.ErrorAs(t, err, &apiErr)
	})
}

// Rule 103: a scheduler places a daemon's task on a named instance,
// without a constraint: instances without an EC2 ID take it, and the
// ten constraints of the task stay available.
func TestPlaceDaemonOnInstances(t *testing.T) {
	noEC2 := newInstance("b")
	noEC2.EC2InstanceID = ""
	e := engine(t, cluster(newInstance("a"), noEC2, newInstance("c").free(64, 64), newInstance("d")), nil, false)
	var ten []ecs.PlacementConstraint
	for range placement.MaxConstraints {
		ten = append(ten, memberOf("attribute:ecs.instance-type == m5.large"))
	}
	req := &placement.Request{
		TaskDefinition: taskDef("agent", 128, 128), Service: "agent", Constraints: ten,
		Instances: []string{ciARN("d"), ciARN("c"), ciARN("b")},
		TaskARNs:  []string{"task-d", "task-c", "task-b"},
	}
	res, err := e.PlaceDaemon(req)
	require.NoError(t, err)
	got := map[string]string{}
	for _, p := range res.Placements {
		got[p.TaskARN] = p.InstanceID
	}
	require.Equal(t, map[string]string{"task-d": "d", "task-b": "b"}, got, "task k goes to instance k or nowhere")
	require.Equal(t, 1, res.Unplaced)
	require.Equal(t, "c", res.Explanation.Closest.InstanceID)
	require.Equal(t, 1, res.Explanation.Candidates, "instances not named are not reported")

	res, err = e.PlaceDaemon(req)
	require.NoError(t, err)
	require.Empty(t, res.Placements, "one task per instance")
}

// Request.Instances limits a placement to the instances it names: here
// one Availability Zone, as zone rebalancing asks (rule 105).
func TestPlaceOnInstances(t *testing.T) {
	ins := cluster(newInstance("a1").az("us-east-1a"), newInstance("b1").az("us-east-1b"), newInstance("b2").az("us-east-1b").free(64, 64))
	e := engine(t, ins, nil, false)
	got, res := place(t, e, &placement.Request{TaskDefinition: taskDef("web", 128, 128), Service: "web", Count: 3,
		Instances: []string{ciARN("b1"), ciARN("b2")}})
	require.Equal(t, []string{"b1", "b1", "b1"}, got)
	require.Zero(t, res.Unplaced)
	_, res = place(t, e, &placement.Request{TaskDefinition: taskDef("web", 4096, 128), Service: "web",
		Instances: []string{ciARN("b1"), ciARN("b2")}})
	require.Equal(t, 2, res.Explanation.Candidates)
}
