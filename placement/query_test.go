package placement_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// querySnapshot is a cluster of four instances that differ in every
// subject of the cluster query language:
//
//	a: ACTIVE, m5.large in us-east-1a, stack=prod, agent 1.89.2,
//	   registered 2024-03-01, 2 running tasks of service:web
//	b: DRAINING, c5.xlarge in us-east-1b, agent disconnected, agent
//	   1.14.0, registered 2018-01-01, a task of service:api desired STOPPED
//	c: INACTIVE, t3.micro in us-east-1c, stack=dev, no agent version,
//	   registered 2020-06-18, 1 running task of family:batch
//	d: ACTIVE, t3.small in us-east-1a, agent 1.90.0, registered
//	   2024-03-01, nothing running
func querySnapshot(t *testing.T) *placement.Snapshot {
	t.Helper()
	day := func(s string) ecs.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return ecs.NewTime(d)
	}
	a := newInstance("a").attr("stack", "prod").running(2)
	a.RegisteredAt = day("2024-03-01")
	b := newInstance("b").az("us-east-1b").attr(ecs.AttrInstanceType, "c5.xlarge").disconnected().status("DRAINING")
	b.VersionInfo.AgentVersion, b.RegisteredAt = "1.14.0", day("2018-01-01")
	c := newInstance("c").az("us-east-1c").attr(ecs.AttrInstanceType, "t3.micro").attr("stack", "dev").status("INACTIVE").running(1)
	c.VersionInfo, c.RegisteredAt = nil, day("2020-06-18")
	d := newInstance("d").attr(ecs.AttrInstanceType, "t3.small")
	d.VersionInfo.AgentVersion, d.RegisteredAt = "1.90.0", day("2024-03-01")
	web, batch := taskDef("web", 256, 256), taskDef("batch", 256, 256)
	stopping := runningTask("t-api", "b", web, "service:api")
	stopping.DesiredStatus = "STOPPED"
	tasks := []ecs.Task{
		runningTask("t-web-1", "a", web, "service:web"),
		runningTask("t-web-2", "a", web, "service:web"),
		stopping,
		runningTask("t-batch", "c", batch, "family:batch"),
	}
	snap, err := placement.NewSnapshot(cluster(d, c, b, a), tasks)
	require.NoError(t, err)
	return snap
}

func TestSnapshotMatch(t *testing.T) {
	snap := querySnapshot(t)
	for _, tc := range []struct {
		expr string
		want string // instance ids, in order
	}{
		// attribute:<name>
		{"attribute:ecs.instance-type == m5.large", "a"},
		{"attribute:ecs.instance-type equals m5.large", "a"},
		{"attribute:ecs.instance-type != m5.large", "b c d"},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1c]", "a c d"},
		{"attribute:ecs.availability-zone !in [us-east-1a, us-east-1c]", "b"},
		{"attribute:ecs.instance-type =~ t3.*", "c d"},
		{"attribute:ecs.instance-type !~ t3.*", "a b"},
		{"attribute:stack exists", "a c"},
		{"attribute:stack !exists", "b d"},
		{"attribute:stack != prod", "b c d"}, // an instance without the attribute satisfies every negated operator
		{"attribute:stack > dev", "a"},
		{"attribute:nosuch == x", ""},
		// task:group: the loaded tasks not desired STOPPED.
		{"task:group == service:web", "a"},
		{"task:group == service:api", ""},
		{"task:group =~ service:.*", "a"},
		{"task:group in [service:web, family:batch]", "a c"},
		{"task:group exists", "a c"},
		{"not(task:group == service:web)", "b c d"},
		// runningTasksCount, as the instances describe it.
		{"runningTasksCount == 0", "b d"},
		{"runningTasksCount > 0", "a c"},
		{"runningTasksCount >= 2", "a"},
		{"runningTasksCount != 1", "a b d"},
		// agentConnected.
		{"agentConnected == true", "a c d"},
		{"agentConnected == false", "b"},
		{"agentConnected in [false]", "b"},
		// agentVersion, per component; no version satisfies only !=.
		{"agentVersion < 1.89.10", "a b"},
		{"agentVersion >= 1.89.2", "a d"},
		{"agentVersion == 1.14.0", "b"},
		{"agentVersion != 1.14.0", "a c d"},
		// ec2InstanceId and registeredAt.
		{"ec2InstanceId in ['i-a', 'i-c']", "a c"},
		{"ec2InstanceId =~ 'i-[bd]'", "b d"},
		{"registeredAt < 2020-06-18", "b"},
		{"registeredAt >= 2020-06-18T00:00:00Z", "a c d"},
		{"registeredAt == 2024-03-01", "a d"},
		// Compound expressions.
		{"attribute:ecs.availability-zone == us-east-1a and runningTasksCount == 0", "d"},
		{"attribute:stack == dev || agentConnected == false", "b c"},
		{"(attribute:stack exists && !(task:group exists)) or agentVersion > 1.89.2", "d"},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			got, err := snap.Match(tc.expr)
			require.NoError(t, err)
			want := []string{}
			for _, id := range strings.Fields(tc.want) {
				want = append(want, ciARN(id))
			}
			require.Equal(t, want, got)
		})
	}
}

func TestSnapshotMatchInvalid(t *testing.T) {
	snap := querySnapshot(t)
	for _, expr := range []string{
		"",
		"attribute:stack",
		"attribute:stack ==",
		"runningTasksCount == many",
		"agentVersion =~ 1.*",
		"agentConnected > true",
		"registeredAt < yesterday",
		"attribute:ecs.instance-type =~ (",
		"task:group == web and",
		"nosuch == 1",
		strings.Repeat("attribute:a == b or ", 100) + "attribute:a == b",
	} {
		t.Run(expr, func(t *testing.T) {
			got, err := snap.Match(expr)
			require.Nil(t, got)
			var ae *ecs.APIError
			require.True(t, errors.As(err, &ae), "%v", err)
			require.Equal(t, ecs.InvalidParameterException, ae.Type)
			require.ErrorIs(t, err, ecs.ErrInvalid)
			if len(expr) > placement.MaxExpressionLen {
				require.Contains(t, ae.Message, "must not exceed 2000 characters")
			} else {
				require.Contains(t, ae.Message, "Invalid cluster query language expression")
			}
		})
	}
}

// Match does not change the snapshot, nor the engines built on it, and
// sees only the snapshot's state, not what an engine placed since.
func TestSnapshotMatchLeavesSnapshot(t *testing.T) {
	snap := querySnapshot(t)
	e := placement.NewEngine(snap)
	res, err := e.Place(&placement.Request{TaskDefinition: taskDef("web", 128, 128), Group: "service:new",
		Constraints: []ecs.PlacementConstraint{memberOf("ec2InstanceId == i-d")}})
	require.NoError(t, err)
	require.Len(t, res.Placements, 1)
	got, err := snap.Match("task:group == service:new or runningTasksCount > 2")
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = snap.Match("task:group == service:web")
	require.NoError(t, err)
	require.Equal(t, []string{ciARN("a")}, got)
}
