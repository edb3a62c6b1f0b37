package ecstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// exampleFile reads one of the API's examples (examples-1.json of the API
// model, shipped in ecs/testdata/api-examples).
func exampleFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "api-examples", name))
	require.NoError(t, err)
	return data
}

// missingKeys returns the paths of the members of the example output want
// that got lacks: for objects, every key of want; for lists, the first
// elements of both. got may hold more.
func missingKeys(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return nil // a different kind is a wrong value, not a missing key
		}
		var out []string
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, path+"."+k)
				continue
			}
			out = append(out, missingKeys(path+"."+k, wv, gv)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(w) == 0 || len(g) == 0 {
			return nil
		}
		return missingKeys(path+"[0]", w[0], g[0])
	}
	return nil
}

// TestAPIExamplesReplayed runs the scenarios of the API's own examples
// (examples-1.json: register-task-definition, create-cluster,
// describe-clusters, describe-container-instances, run-task,
// describe-tasks, describe-task-definition, create-service,
// describe-services) on the served ECS, creating first what each refers
// to, and requires every member of each example's output in ours: ECS
// writes them, so clients read them.
func TestAPIExamplesReplayed(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	send := func(op string, body string) map[string]any {
		t.Helper()
		status, data := c.raw(op, []byte(body))
		require.Equal(t, http.StatusOK, status, "%s: %s", op, data)
		var out map[string]any
		require.NoError(t, json.Unmarshal(data, &out))
		return out
	}
	check := func(example string, got map[string]any) {
		t.Helper()
		var want map[string]any
		require.NoError(t, json.Unmarshal(exampleFile(t, example), &want))
		missing := missingKeys("", want, got)
		slices.Sort(missing)
		require.Empty(t, missing, "%s: members of the API's example missing from ours", example)
	}
	check("register-task-definition-1-output.json",
		send("RegisterTaskDefinition", string(exampleFile(t, "register-task-definition-1-input.json"))))
	check("create-cluster-1-output.json", send("CreateCluster", string(exampleFile(t, "create-cluster-1-input.json"))))
	check("describe-clusters-1-output.json", send("DescribeClusters", string(exampleFile(t, "describe-clusters-1-input.json"))))

	ci := register(t, e, "m5.large", "us-east-1a")
	check("describe-container-instances-1-output.json",
		send("DescribeContainerInstances", fmt.Sprintf(`{"cluster":"default","containerInstances":[%q]}`, ci.ContainerInstanceARN)))

	check("run-task-1-output.json", send("RunTask", string(exampleFile(t, "run-task-1-input.json"))))

	// The example describes hello_world:8 with two containers; register
	// its task definition as the example shows it.
	var hello struct {
		TaskDefinition map[string]any `json:"taskDefinition"`
	}
	require.NoError(t, json.Unmarshal(exampleFile(t, "describe-task-definition-1-output.json"), &hello))
	reg := map[string]any{}
	for _, k := range []string{"family", "containerDefinitions", "volumes"} {
		reg[k] = hello.TaskDefinition[k]
	}
	body, err := json.Marshal(reg)
	require.NoError(t, err)
	send("RegisterTaskDefinition", string(body))
	check("describe-task-definition-1-output.json", send("DescribeTaskDefinition", `{"taskDefinition":"hello_world:1"}`))

	check("create-service-1-output.json", send("CreateService", string(exampleFile(t, "create-service-1-input.json"))))
	check("describe-services-1-output.json", send("DescribeServices", string(exampleFile(t, "describe-services-1-input.json"))))

	// The example describes a RUNNING task of a service, with a host port.
	advance(e, 2*time.Minute)
	tasks := serviceTasks(t, e, "ecs-simple-service")
	require.NotEmpty(t, tasks)
	check("describe-tasks-1-output.json", send("DescribeTasks", fmt.Sprintf(`{"tasks":[%q]}`, tasks[0].TaskARN)))
}
