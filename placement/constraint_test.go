package placement_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// memberOfCluster has instances that differ in every subject of the
// cluster query language.
func memberOfCluster() ([]ecs.ContainerInstance, []ecs.Task) {
	at := func(s string) ecs.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return ecs.NewTime(t)
	}
	a := newInstance("a").attr(ecs.AttrInstanceType, "t2.small").az("us-east-1a").attr("stack", "prod").attr("cores", "8").running(1)
	a.VersionInfo.AgentVersion = "1.9.0"
	a.RegisteredAt = at("2018-01-01T00:00:00Z")
	b := newInstance("b").attr(ecs.AttrInstanceType, "g2.2xlarge").az("us-east-1b").attr("cores", "16")
	b.VersionInfo.AgentVersion = "1.14.5"
	b.RegisteredAt = at("2018-06-18T22:28:28Z")
	c := newInstance("c").attr(ecs.AttrInstanceType, "g2.8xlarge").az("us-east-1d").attr("stack", "dev").attr("cores", "abc")
	c.VersionInfo.AgentVersion = "1.20.0"
	c.RegisteredAt = at("2019-03-01T12:00:00Z")
	tasks := []ecs.Task{
		{TaskARN: "t1", ContainerInstanceARN: ciARN("a"), Group: "service:production", LastStatus: "RUNNING", DesiredStatus: "RUNNING"},
		{TaskARN: "t2", ContainerInstanceARN: ciARN("b"), Group: "database", LastStatus: "RUNNING", DesiredStatus: "RUNNING"},
	}
	return cluster(a, b, c), tasks
}

// TestMemberOf evaluates every subject and operator of the cluster query
// language (rules 96 and 97), with the documented examples.
func TestMemberOf(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		// The documented examples (rule 96).
		{"attribute:ecs.instance-type == t2.small", []string{"a"}},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", []string{"a", "b"}},
		{"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d", []string{"b"}},
		{"task:group == service:production", []string{"a"}},
		{"not(task:group == database)", []string{"a", "c"}},
		{"runningTasksCount == 1", []string{"a"}},
		{"agentVersion < 1.14.5", []string{"a"}},
		{"registeredAt < 2018-02-13", []string{"a"}},
		{"ec2InstanceId in ['i-a', 'i-c']", []string{"a", "c"}},
		// Word operators and the rest of the operators.
		{"attribute:ecs.instance-type equals t2.small", []string{"a"}},
		{"attribute:stack exists", []string{"a", "c"}},
		{"attribute:stack !exists", []string{"b"}},
		{"attribute:stack not_exists", []string{"b"}},
		{"attribute:stack != prod", []string{"b", "c"}},
		{"attribute:stack !in [prod]", []string{"b", "c"}},
		{"attribute:ecs.instance-type !~ g2.*", []string{"a"}},
		{"attribute:ecs.instance-type matches 'g2\\.(2|8)xlarge'", []string{"b", "c"}},
		// Attribute orderings compare decimal numbers as numbers (8 <
		// 16), other values as strings ("abc" > "10" byte-wise).
		{"attribute:cores > 10", []string{"b", "c"}},
		{"attribute:cores >= 8", []string{"a", "b", "c"}},
		{"attribute:cores less_than 9", []string{"a"}},
		// agentVersion compares per component (1.9.0 < 1.14.5).
		{"agentVersion >= 1.14.5", []string{"b", "c"}},
		{"agentVersion > 1.9", []string{"b", "c"}},
		{"agentVersion == 1.14.5", []string{"b"}},
		{"registeredAt >= 2018-06-18T22:28:28+00:00", []string{"b", "c"}},
		{"registeredAt > 2018-06-18T22:28:28Z", []string{"c"}},
		{"registeredAt <= 2018-06-18T22:28:28", []string{"a", "b"}},
		{"runningTasksCount > 0", []string{"a"}},
		{"runningTasksCount != 1", []string{"b", "c"}},
		{"agentConnected == true", []string{"a", "b", "c"}},
		{"agentConnected != true", nil},
		{"ec2InstanceId =~ 'i-[ab]'", []string{"a", "b"}},
		{"task:group exists", []string{"a", "b"}},
		{"task:group !exists", []string{"c"}},
		{"task:group in [database, other]", []string{"b"}},
		{"task:group =~ service:.*", []string{"a"}},
		{"task:group != database", []string{"a", "c"}},
		{"attribute:stack == prod or attribute:stack == dev && attribute:cores == abc", []string{"a", "c"}},
		{"(attribute:stack == prod or attribute:stack == dev) and not attribute:cores == abc", []string{"a"}},
	}
	ins, tasks := memberOfCluster()
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			for _, exhaustive := range []bool{false, true} {
				e := engine(t, ins, tasks, exhaustive)
				got, _ := place(t, e, &placement.Request{
					TaskDefinition: taskDef("web", 128, 128), Count: len(ins),
					Constraints: []ecs.PlacementConstraint{distinct(), memberOf(tt.expr)},
				})
				slices.Sort(got)
				require.Equal(t, tt.want, nilIfEmpty(got))
			}
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// Rule 97: task:group affinity sees the request's own tasks as they are
// placed: runningTasksCount too.
func TestMemberOfSeesPlacedTasks(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b")), nil, false)
	got, res := place(t, e, &placement.Request{
		TaskDefinition: taskDef("web", 128, 128), Count: 3,
		Strategy:    []ecs.PlacementStrategy{spread("instanceId")},
		Constraints: []ecs.PlacementConstraint{memberOf("runningTasksCount < 1")},
	})
	require.Equal(t, []string{"a", "b"}, got)
	require.Equal(t, 1, res.Unplaced)
	got, _ = place(t, e, &placement.Request{
		TaskDefinition: taskDef("api", 128, 128), Count: 2, Group: "api",
		Constraints: []ecs.PlacementConstraint{memberOf("task:group == family:web")},
	})
	require.Len(t, got, 2)
}

// Rules 87 and 93: the API refuses invalid constraints and strategies.
func TestInvalidRequests(t *testing.T) {
	long := make([]byte, placement.MaxExpressionLen+1)
	for i := range long {
		long[i] = 'a'
	}
	tdConstraint := taskDef("web", 128, 128)
	tdConstraint.PlacementConstraints = []ecs.TaskDefinitionPlacementConstraint{{Type: "memberOf", Expression: "attribute:a exists"}}
	ten := make([]ecs.PlacementConstraint, 10)
	for i := range ten {
		ten[i] = memberOf("attribute:a exists")
	}
	tests := []struct {
		name string
		req  placement.Request
		want string
	}{
		{"six strategies", placement.Request{Strategy: make([]ecs.PlacementStrategy, 6)}, "The number of placement strategies must not exceed 5."},
		{"binpack field", placement.Request{Strategy: []ecs.PlacementStrategy{binpack("gpu")}}, `Invalid field "gpu" for binpack placement strategy. Valid values are cpu and memory.`},
		{"spread field", placement.Request{Strategy: []ecs.PlacementStrategy{spread("zone")}}, `Invalid field "zone" for spread placement strategy. Valid values are instanceId, host, or attribute:<name>.`},
		{"strategy type", placement.Request{Strategy: []ecs.PlacementStrategy{{Type: "pack"}}}, `Invalid placement strategy type "pack". Valid values are random, spread and binpack.`},
		{"distinct with expression", placement.Request{Constraints: []ecs.PlacementConstraint{{Type: "distinctInstance", Expression: "x"}}}, "The distinctInstance placement constraint does not take an expression."},
		{"memberOf without expression", placement.Request{Constraints: []ecs.PlacementConstraint{{Type: "memberOf"}}}, "The memberOf placement constraint requires an expression."},
		{"memberOf too long", placement.Request{Constraints: []ecs.PlacementConstraint{memberOf(string(long))}}, "The memberOf placement constraint expression must not exceed 2000 characters."},
		{"eleven constraints", placement.Request{TaskDefinition: tdConstraint, Constraints: ten}, "The number of placement constraints must not exceed 10, including those in the task definition."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engine(t, cluster(newInstance("a")), nil, false)
			req := tt.req
			if req.TaskDefinition == nil {
				req.TaskDefinition = taskDef("web", 128, 128)
			}
			_, err := e.Place(&req)
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, ecs.InvalidParameterException, apiErr.Type)
			require.Equal(t, tt.want, apiErr.Message)
			require.ErrorIs(t, err, ecs.ErrInvalid)
		})
	}
}

func TestInvalidExpression(t *testing.T) {
	e := engine(t, cluster(newInstance("a")), nil, false)
	_, err := e.Place(&placement.Request{TaskDefinition: taskDef("web", 128, 128), Constraints: []ecs.PlacementConstraint{memberOf("agentVersion == banana")}})
	var apiErr *ecs.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, ecs.InvalidParameterException, apiErr.Type)
	require.Contains(t, apiErr.Message, "agentVersion == banana")
}

func TestValidateRunTask(t *testing.T) {
	n := func(v int) *int { return &v }
	td := taskDef("web", 128, 128)
	tests := []struct {
		name string
		req  ecs.RunTaskRequest
		want string // "" for valid
	}{
		{"valid", ecs.RunTaskRequest{Count: n(10)}, ""},
		{"count zero", ecs.RunTaskRequest{Count: n(0)}, "Count must be between 1 and 10."},
		{"count eleven", ecs.RunTaskRequest{Count: n(11)}, "Count must be between 1 and 10."},
		{"override unknown container", ecs.RunTaskRequest{Overrides: &ecs.TaskOverride{ContainerOverrides: []ecs.ContainerOverride{{Name: "db"}}}}, "Override for container named db is not a container in the TaskDefinition."},
		{"strategy", ecs.RunTaskRequest{PlacementStrategy: []ecs.PlacementStrategy{binpack("disk")}}, `Invalid field "disk" for binpack placement strategy. Valid values are cpu and memory.`},
		{"random field ignored", ecs.RunTaskRequest{PlacementStrategy: []ecs.PlacementStrategy{{Type: "random", Field: "x"}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := placement.ValidateRunTask(&tt.req, td)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			var apiErr *ecs.APIError
			require.ErrorAs(t, err, &apiErr)
			require.Equal(t, tt.want, apiErr.Message)
		})
	}
}
