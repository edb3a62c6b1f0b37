// The parameter audit (issue 13, item 3). For each operation ecstest
// serves, every request member of the API model (service-2.json) and of
// the operation's API reference page, and each rule they state (required
// members, lengths, ranges, patterns, list limits, enum values, members
// that exclude each other or need another, members allowed only with a
// launch type, network mode or scheduling strategy), is a row of a table
// test that sends the request over the ECS JSON protocol and checks ECS's
// exception and message, or that ECS accepts it. A row cites the sentence
// of the reference it encodes, and the real ECS answer its message comes
// from where one is known; where none is, the message is a sentence that
// names the member and the rule.
//
// Operations audited, by test:
//   - CreateService, UpdateService: params_services_test.go
//   - RunTask, StartTask: params_tasks_test.go
//   - CreateCluster, UpdateCluster, UpdateClusterSettings,
//     PutClusterCapacityProviders, DescribeClusters, DeleteCluster:
//     params_clusters_test.go
//   - CreateCapacityProvider, UpdateCapacityProvider,
//     DeleteCapacityProvider, DescribeCapacityProviders:
//     params_providers_test.go
//   - RegisterContainerInstance, DescribeContainerInstances,
//     ListContainerInstances, UpdateContainerInstancesState,
//     DeregisterContainerInstance, PutAttributes, ListAttributes,
//     ListTasks, DescribeTasks, StopTask, ListServices, DescribeServices,
//     DeleteService: params_instances_test.go
//   - RegisterTaskDefinition (its own members; the container definitions'
//     rules are the ecs package's), DescribeTaskDefinition,
//     DeregisterTaskDefinition, ListTaskDefinitions,
//     ListTaskDefinitionFamilies, DeleteTaskDefinitions, TagResource,
//     UntagResource, ListTagsForResource, PutAccountSetting,
//     PutAccountSettingDefault, DeleteAccountSetting, ListAccountSettings,
//     UpdateTaskProtection, GetTaskProtection, ListServiceDeployments,
//     DescribeServiceDeployments, StopServiceDeployment, ExecuteCommand,
//     ListServicesByNamespace, UpdateContainerAgent:
//     params_misc_test.go and params_taskdefs_test.go
//   - every operation the Go API serves, for the enum and nested
//     required members: TestModelConstraints (params_model_test.go)
//
// Rules every operation shares (enum values, required members of nested
// structures) are checked once, driven by the model (params_model.go);
// the rows above exercise them per operation.
//
// Left to the helpers who add them: load balancers, Service Connect and
// VPC Lattice configurations, deployment controllers other than ECS,
// lifecycle hooks and alarms, task sets, daemons, Express Gateway.

package ecstest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// refusal is a row of the parameter audit: a request body as a client
// writes it, and how ECS answers it. An empty typ means ECS accepts the
// request, which ecstest must not refuse.
type refusal struct {
	name string
	body string // the request, JSON
	typ  string // the exception, or "" for a request ECS accepts
	msg  string // the message, or a part of it
	doc  string // where the rule is stated (the API reference, or a real ECS answer)
}

// paramsWorld returns an ECS with what the audit's requests refer to: the
// default cluster with one m5.large instance; task definitions web
// (bridge, container app with containerPort 8080 on a dynamic host port),
// api (awsvpc, EC2 and Fargate, 256 CPU units, 512 MiB), roled (api with a
// task role), ebs (api with a volume configured at launch, data), and
// gone (deregistered); and the service svc of web, desiredCount 1.
func paramsWorld(t *testing.T) (*ECS, *apiClient) {
	t.Helper()
	e := newTestECS(t)
	register(t, e, "m5.large", "us-east-1a")
	taskDef(t, e, "web", 128, 128, 0)
	awsvpc := func(family, role string, vols ...ecs.Volume) {
		_, err := e.Registry().Register(&ecs.TaskDefinition{
			Family: family, NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512", TaskRoleARN: role,
			RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate, ecs.CompatibilityEC2},
			ContainerDefinitions:    []ecs.ContainerDefinition{{Name: "app", Image: "nginx"}},
			Volumes:                 vols,
		}, nil)
		require.NoError(t, err)
	}
	awsvpc("api", "")
	awsvpc("roled", "arn:aws:iam::123456789012:role/app")
	awsvpc("ebs", "", ecs.Volume{Name: "data", ConfiguredAtLaunch: ptr(true)})
	gone := taskDef(t, e, "gone", 128, 128)
	_, err := e.Registry().Deregister(gone.TaskDefinitionARN)
	require.NoError(t, err)
	c := newAPIClient(t, e)
	c.call("CreateService", map[string]any{"serviceName": "svc", "taskDefinition": "web", "desiredCount": 1}, nil)
	return e, c
}

// checkRefusals sends each row's body to op and checks the answer. A $
// in a body is a name of the row's own ("r" and its index), so that a
// row that creates something leaves the others unaffected.
func checkRefusals(t *testing.T, c *apiClient, op string, rows []refusal) {
	t.Helper()
	for i, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			body := strings.ReplaceAll(r.body, "$", "r"+strconv.Itoa(i))
			require.True(t, json.Valid([]byte(body)), "the row's body is not JSON: %s", body)
			status, data := c.raw(op, []byte(body))
			if r.typ == "" {
				require.Equal(t, http.StatusOK, status, "%s accepts this (%s); ecstest answered %s", op, r.doc, data)
				return
			}
			require.Equal(t, http.StatusBadRequest, status, "%s refuses this (%s); ecstest answered %s", op, r.doc, data)
			var got apiError
			require.NoError(t, json.Unmarshal(data, &got))
			require.Equal(t, r.typ, got.Type, "rule: %s; message %q", r.doc, got.Message)
			require.True(t, strings.Contains(got.Message, r.msg), "rule: %s\nwant a message with %q\ngot %q", r.doc, r.msg, got.Message)
		})
	}
}
