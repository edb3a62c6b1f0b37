package ecstest

import (
	"context"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// requireRefused requires err to be an *ecs.APIError of the type given
// whose message contains part.
func requireRefused(t *testing.T, err error, typ, part string) {
	t.Helper()
	require.Contains(t, requireAPIError(t, err, typ).Message, part)
}

// TestQuotas checks each quota of the ECS developer guide's quotas table
// that the served operations touch (rules 144 to 147 and 151 of the
// project's reading of it), on small quotas set with WithQuotas, and
// that a refused call changes nothing.
func TestQuotas(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t, WithQuotas(Quotas{ClustersPerRegion: 2, InstancesPerCluster: 2, ServicesPerCluster: 2, TasksPerService: 3}))
	td := taskDef(t, e, "web", 128, 128)

	_, err := e.createCluster(ctx, ecs.Cluster{ClusterName: "second"})
	require.NoError(t, err)
	_, err = e.createCluster(ctx, ecs.Cluster{ClusterName: "third"})
	requireRefused(t, err, ecs.ClientException, "2 clusters per Region")
	names, err := e.listClusters(ctx)
	require.NoError(t, err)
	require.Len(t, names, 2)

	register(t, e, "m5.large", "us-east-1a")
	register(t, e, "m5.large", "us-east-1b")
	_, err = e.LaunchInstance(ctx, "", Instance{InstanceType: "m5.large", AvailabilityZone: "us-east-1c"})
	requireRefused(t, err, ecs.ClientException, "container instances per cluster")

	mustCreateService(t, e, "a", td.TaskDefinitionARN, 3)
	_, err = e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "big", TaskDefinition: td.TaskDefinitionARN, DesiredCount: ptr(4)})
	requireRefused(t, err, ecs.InvalidParameterException, "quota of tasks per service")
	_, err = e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "neg", TaskDefinition: td.TaskDefinitionARN, DesiredCount: ptr(-1)})
	requireRefused(t, err, ecs.InvalidParameterException, "at least 0")
	_, err = e.updateService(ctx, &ecs.UpdateServiceRequest{Service: "a", DesiredCount: ptr(2147483647)})
	requireRefused(t, err, ecs.InvalidParameterException, "quota of tasks per service")
	require.Equal(t, 3, describeService(t, e, "a").DesiredCount, "a refused update changes nothing")
	mustCreateService(t, e, "b", td.TaskDefinitionARN, 1)
	_, err = e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "c", TaskDefinition: td.TaskDefinitionARN, DesiredCount: ptr(1)})
	requireRefused(t, err, ecs.InvalidParameterException, "quota of services per cluster")
}

// TestDefaultQuotas checks the defaults of the quotas table: 5,000 tasks
// per service, so a desiredCount of 2147483647 is refused rather than
// started without end.
func TestDefaultQuotas(t *testing.T) {
	require.Equal(t, Quotas{ClustersPerRegion: 10000, InstancesPerCluster: 5000, ServicesPerCluster: 5000, TasksPerService: 5000, ProvisioningTasksPerCluster: 500}, DefaultQuotas())
	e := newTestECS(t)
	td := taskDef(t, e, "web", 128, 128)
	_, err := e.createService(context.Background(), &ecs.CreateServiceRequest{ServiceName: "huge", TaskDefinition: td.TaskDefinitionARN, DesiredCount: ptr(2147483647)})
	requireRefused(t, err, ecs.InvalidParameterException, "5000, the quota of tasks per service")
}

// TestTaskDefinitionSizeQuota checks the 64 KiB quota on a task
// definition (rule 7).
func TestTaskDefinitionSizeQuota(t *testing.T) {
	e := newTestECS(t)
	env := []ecs.KeyValuePair{}
	for i := range 700 {
		env = append(env, ecs.KeyValuePair{Name: "VARIABLE_" + strings.Repeat("X", 60) + string(rune('A'+i%26)), Value: strings.Repeat("v", 40)})
	}
	_, err := e.Registry().Register(&ecs.TaskDefinition{Family: "big", ContainerDefinitions: []ecs.ContainerDefinition{
		{Name: "app", Image: "nginx", Memory: ptr(128), Environment: env}}}, nil)
	requireRefused(t, err, ecs.ClientException, "at most 65536")
}

// TestIntegerResourceRange checks that an INTEGER resource beyond 32 bits
// is refused at registration rather than wrapping where it is counted.
func TestIntegerResourceRange(t *testing.T) {
	e := newTestECS(t)
	_, err := e.LaunchInstance(context.Background(), "", Instance{TotalResources: []ecs.Resource{
		{Name: "CPU", Type: "INTEGER", LongValue: 9223372036854775807},
		{Name: "MEMORY", Type: "INTEGER", IntegerValue: 4096},
	}})
	requireRefused(t, err, ecs.InvalidParameterException, "outside the range of an INTEGER resource")
}
