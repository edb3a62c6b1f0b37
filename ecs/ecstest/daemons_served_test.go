package ecstest

import (
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestDaemonsServed runs the daemon operations over the ECS JSON
// protocol: every one answers, with the shapes of the API, and the
// daemon's exceptions by their names.
func TestDaemonsServed(t *testing.T) {
	e := newTestECS(t)
	daemonFleet(t, e, 1)
	c := newAPIClient(t, e)
	var reg ecs.RegisterDaemonTaskDefinitionResponse
	c.call("RegisterDaemonTaskDefinition", &ecs.RegisterDaemonTaskDefinitionRequest{Family: "agent", Memory: "512",
		ContainerDefinitions: []ecs.DaemonContainerDefinition{{Name: "agent", Image: "agent:1"}}}, &reg)
	var td ecs.DescribeDaemonTaskDefinitionResponse
	c.call("DescribeDaemonTaskDefinition", &ecs.DescribeDaemonTaskDefinitionRequest{DaemonTaskDefinition: "agent:1"}, &td)
	require.Equal(t, reg.DaemonTaskDefinitionARN, td.DaemonTaskDefinition.DaemonTaskDefinitionARN)
	var tds ecs.ListDaemonTaskDefinitionsResponse
	c.call("ListDaemonTaskDefinitions", &ecs.ListDaemonTaskDefinitionsRequest{}, &tds)
	require.Len(t, tds.DaemonTaskDefinitions, 1)

	var created ecs.CreateDaemonResponse
	c.call("CreateDaemon", &ecs.CreateDaemonRequest{DaemonName: "agent", DaemonTaskDefinitionARN: reg.DaemonTaskDefinitionARN,
		CapacityProviderARNs: []string{"arn:aws:ecs:us-east-1:123456789012:capacity-provider/fleet"}}, &created)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:daemon/default/agent", created.DaemonARN)
	advance(e, 3*time.Minute)
	var d ecs.DescribeDaemonResponse
	c.call("DescribeDaemon", &ecs.DescribeDaemonRequest{DaemonARN: created.DaemonARN}, &d)
	require.Equal(t, 1, d.Daemon.CurrentRevisions[0].TotalRunningCount)
	var list ecs.ListDaemonsResponse
	c.call("ListDaemons", &ecs.ListDaemonsRequest{ClusterARN: "default"}, &list)
	require.Len(t, list.DaemonSummariesList, 1)
	var deps ecs.ListDaemonDeploymentsResponse
	c.call("ListDaemonDeployments", &ecs.ListDaemonDeploymentsRequest{DaemonARN: created.DaemonARN}, &deps)
	require.Len(t, deps.DaemonDeployments, 1)
	var desc ecs.DescribeDaemonDeploymentsResponse
	c.call("DescribeDaemonDeployments", &ecs.DescribeDaemonDeploymentsRequest{DaemonDeploymentARNs: []string{created.DeploymentARN}}, &desc)
	require.Equal(t, ecs.DaemonDeploymentStatusSuccessful, desc.DaemonDeployments[0].Status)
	var revs ecs.DescribeDaemonRevisionsResponse
	c.call("DescribeDaemonRevisions", &ecs.DescribeDaemonRevisionsRequest{DaemonRevisionARNs: []string{desc.DaemonDeployments[0].TargetDaemonRevision.ARN}}, &revs)
	require.Len(t, revs.DaemonRevisions, 1)
	var upd ecs.UpdateDaemonResponse
	c.call("UpdateDaemon", &ecs.UpdateDaemonRequest{DaemonARN: created.DaemonARN, DaemonTaskDefinitionARN: reg.DaemonTaskDefinitionARN,
		CapacityProviderARNs: []string{"fleet"}}, &upd)
	var del ecs.DeleteDaemonResponse
	c.call("DeleteDaemon", &ecs.DeleteDaemonRequest{DaemonARN: created.DaemonARN}, &del)
	require.Equal(t, ecs.DaemonStatusDeleteInProgress, del.Status)
	require.Equal(t, "DaemonNotActiveException", c.fail("DeleteDaemon", &ecs.DeleteDaemonRequest{DaemonARN: created.DaemonARN}).Type)
	require.Equal(t, "DaemonNotFoundException", c.fail("DescribeDaemon", &ecs.DescribeDaemonRequest{
		DaemonARN: "arn:aws:ecs:us-east-1:123456789012:daemon/default/nope"}).Type)
	var deleted ecs.DeleteDaemonTaskDefinitionResponse
	c.call("DeleteDaemonTaskDefinition", &ecs.DeleteDaemonTaskDefinitionRequest{DaemonTaskDefinition: "agent:1"}, &deleted)
	require.Equal(t, reg.DaemonTaskDefinitionARN, deleted.DaemonTaskDefinitionARN)
}
