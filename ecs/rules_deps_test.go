package ecs

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestDependencyRules(t *testing.T) { runRuleCases(t, dependencyRuleCases()) }

// withDependency adds a non-essential container "init" and makes app
// depend on target with cond.
func withDependency(target string, cond ContainerCondition) func(td *TaskDefinition) {
	return func(td *TaskDefinition) {
		td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("init"))
		container0(td).DependsOn = []ContainerDependency{{ContainerName: target, Condition: cond}}
	}
}

// withLinks makes a bridge task of app and db, app linking to links.
func withLinks(links ...string) func(td *TaskDefinition) {
	return func(td *TaskDefinition) {
		bridgeTD(td)
		td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("db"))
		container0(td).Links = links
	}
}

// dependencyRuleCases covers rules 25 and 28.
func dependencyRuleCases() []ruleCase {
	const dep = "containerDefinitions[0].dependsOn[0]"
	return []ruleCase{
		{name: "START, COMPLETE and SUCCESS on a non-essential container", rule: 25, lt: onAll, edit: func(td *TaskDefinition) {
			withDependency("init", ContainerConditionStart)(td)
			c := container0(td)
			c.DependsOn = append(c.DependsOn, ContainerDependency{ContainerName: "init", Condition: ContainerConditionComplete},
				ContainerDependency{ContainerName: "init", Condition: ContainerConditionSuccess})
		}},
		{name: "HEALTHY on a container with a health check", rule: 25, lt: onAll, edit: func(td *TaskDefinition) {
			withDependency("init", ContainerConditionHealthy)(td)
			td.ContainerDefinitions[1].HealthCheck = &HealthCheck{Command: healthCommand}
		}},
		{name: "HEALTHY on a container without health check", rule: 25, lt: onAll, edit: withDependency("init", ContainerConditionHealthy),
			want: []wantFinding{wantErr(codeDependsOnHealthy, dep+".condition")}},
		{name: "COMPLETE on an essential container", rule: 25, lt: onAll, edit: func(td *TaskDefinition) {
			withDependency("init", ContainerConditionComplete)(td)
			td.ContainerDefinitions[1].Essential = nil
		}, want: []wantFinding{wantErr(codeDependsOnEssential, dep+".condition")}},
		{name: "dependency on no container", rule: 25, lt: onAll, edit: withDependency("migrate", ContainerConditionStart),
			want: []wantFinding{wantErr(codeDependsOnUnknown, dep+".containerName")}},
		{name: "dependency on itself", rule: 25, lt: onAll, edit: withDependency("app", ContainerConditionStart),
			want: []wantFinding{wantErr(codeDependsOnSelf, dep+".containerName")}},
		{name: "dependency without members", rule: 25, lt: onAll, edit: withDependency("", ""),
			want: []wantFinding{wantErr(codeDependsOnName, dep+".containerName"), wantErr(codeDependsOnCondition, dep+".condition")}},
		{name: "unknown condition", rule: 25, lt: onAll, edit: withDependency("init", "READY"),
			want: []wantFinding{wantErr(codeDependsOnCondition, dep+".condition")}},
		{name: "dependency cycle", rule: 25, lt: onAll, edit: func(td *TaskDefinition) {
			withDependency("init", ContainerConditionStart)(td)
			db := sidecar("db")
			db.DependsOn = []ContainerDependency{{ContainerName: "app", Condition: ContainerConditionStart}}
			td.ContainerDefinitions[1].DependsOn = []ContainerDependency{{ContainerName: "db", Condition: ContainerConditionStart}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, db)
		}, want: []wantFinding{wantErr(codeDependsOnCycle, "containerDefinitions[2].dependsOn[0].containerName")}},
		{name: "links in bridge mode", rule: 28, lt: []Compatibility{CompatibilityEC2, CompatibilityExternal}, edit: withLinks("db", "db:database")},
		{name: "links in awsvpc mode", rule: 28, lt: []Compatibility{CompatibilityEC2, CompatibilityFargate}, edit: func(td *TaskDefinition) {
			withLinks("db")(td)
			td.NetworkMode = NetworkModeAwsvpc
		}, want: []wantFinding{wantErr(codeLinksNetworkMode, "containerDefinitions[0].links")}},
		{name: "links in host mode", rule: 28, lt: onEC2, edit: func(td *TaskDefinition) {
			withLinks("db")(td)
			td.NetworkMode = NetworkModeHost
		}, want: []wantFinding{wantErr(codeLinksNetworkMode, "containerDefinitions[0].links")}},
		{name: "link forms", rule: 28, lt: onEC2, edit: withLinks("db:data base", "db:a:b", ""),
			want: []wantFinding{
				wantErr(codeLinksForm, "containerDefinitions[0].links[0]"),
				wantErr(codeLinksForm, "containerDefinitions[0].links[1]"),
				wantErr(codeLinksForm, "containerDefinitions[0].links[2]"),
			}},
		{name: "link to no container", rule: 28, lt: onEC2, edit: withLinks("cache"),
			want: []wantFinding{wantErr(codeLinksUnknown, "containerDefinitions[0].links[0]")}},
		{name: "links in a cycle", rule: 28, lt: onEC2, edit: func(td *TaskDefinition) {
			withLinks("db")(td)
			td.ContainerDefinitions[1].Links = []string{"app:web"}
		}, want: []wantFinding{wantErr(codeLinksCycle, "containerDefinitions[1].links[0]")}},
		{name: "link to itself", rule: 28, lt: onEC2, edit: withLinks("app"),
			want: []wantFinding{wantErr(codeLinksCycle, "containerDefinitions[0].links[0]")}},
	}
}

func TestFindCyclesReportsEachBackEdge(t *testing.T) {
	// 0 -> 1 -> 2 -> 0 and 2 -> 2; 3 -> 1 joins the first cycle.
	edges := [][]int{{1}, {2}, {0, 2}, {1}}
	next := func(u, j int) (int, bool) {
		if j >= len(edges[u]) {
			return 0, false
		}
		return edges[u][j], true
	}
	var got [][]int
	findCycles(len(edges), next, func(u, j int, cycle []int) { got = append(got, slices.Clone(cycle)) })
	if diff := cmp.Diff([][]int{{0, 1, 2}, {2}}, got); diff != "" {
		t.Fatalf("cycles (-want +got):\n%s", diff)
	}
}

// TestLongDependencyCycles checks that the messages of many long cycles
// stay short: container i depends on i+1 and on container 0, so each of
// the n dependencies on container 0 closes a cycle through up to n
// containers. Listing every name would make the findings quadratic in
// the task definition's size.
func TestLongDependencyCycles(t *testing.T) {
	const n = 400
	td := validTD()
	td.ContainerDefinitions = nil
	for i := range n {
		c := sidecar("c" + itoa(i))
		if i+1 < n {
			c.DependsOn = append(c.DependsOn, ContainerDependency{ContainerName: "c" + itoa(i+1), Condition: ContainerConditionStart})
		}
		if i > 0 {
			c.DependsOn = append(c.DependsOn, ContainerDependency{ContainerName: "c0", Condition: ContainerConditionStart})
		}
		td.ContainerDefinitions = append(td.ContainerDefinitions, c)
	}
	cycles := 0
	for _, f := range ValidateTaskDefinition(td) {
		if f.Code != codeDependsOnCycle {
			continue
		}
		cycles++
		require.Less(t, len(f.Message), 400, "message %q", f.Message)
	}
	require.Equal(t, n-1, cycles, "each dependency on c0 closes a cycle")
}

func TestCycleNames(t *testing.T) {
	cds := make([]ContainerDefinition, 12)
	for i := range cds {
		cds[i].Name = "c" + itoa(i)
	}
	require.Equal(t, `"c0" -> "c1" -> "c0"`, cycleNames(cds, []int{0, 1}))
	require.Equal(t, `"c3" -> "c3"`, cycleNames(cds, []int{3}))
	require.Equal(t, `"c0" -> "c1" -> "c2" -> "c3" -> "c4" -> "c5" -> "c6" -> "c7" -> "c8" -> ... 2 more -> "c11" -> "c0"`,
		cycleNames(cds, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}))
}
