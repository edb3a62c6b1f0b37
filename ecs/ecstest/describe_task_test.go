package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// detail returns the value of an attachment's detail.
func detail(a ecs.Attachment, name string) string {
	for _, d := range a.Details {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}

// TestAwsvpcTaskDescribed checks a Fargate task as describe-tasks shows
// it (the API reference's Task, Attachment and NetworkInterface shapes;
// the task lifecycle page of the developer guide): its ENI attachment
// with subnet, ENI ID, MAC address, private DNS name and address, going
// ATTACHING → ATTACHED → DETACHING → DELETED with the task; each
// container's network interface on that address; the CPU architecture
// attribute; 20 GiB of ephemeral storage; one containerOverrides entry per
// container; each container's cpu, "0" when its definition sets none;
// connectivity CONNECTED from PENDING, kept when it stops.
func TestAwsvpcTaskDescribed(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	_, err := e.Registry().Register(&ecs.TaskDefinition{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, CPU: "256", Memory: "512",
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		ContainerDefinitions: []ecs.ContainerDefinition{
			{Name: "app", Image: "nginx", CPU: 128},
			{Name: "sidecar", Image: "envoy"},
		},
	}, nil)
	require.NoError(t, err)
	nc := &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-a1", "subnet-b2"}}}
	resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "api", LaunchType: ecs.LaunchTypeFargate, Count: ptr(2), NetworkConfiguration: nc})
	require.NoError(t, err)
	require.Len(t, resp.Tasks, 2)

	tk := resp.Tasks[0]
	require.Len(t, tk.Attachments, 1)
	att := tk.Attachments[0]
	require.Equal(t, "ElasticNetworkInterface", att.Type)
	require.Equal(t, "ATTACHING", att.Status, "PROVISIONING: the ENI is being attached")
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, att.ID)
	require.Contains(t, nc.AwsvpcConfiguration.Subnets, detail(att, "subnetId"))
	require.Regexp(t, `^eni-[0-9a-f]{17}$`, detail(att, "networkInterfaceId"))
	require.Regexp(t, `^0a(:[0-9a-f]{2}){5}$`, detail(att, "macAddress"))
	ip := detail(att, "privateIPv4Address")
	require.Regexp(t, `^10\.[0-9]+\.[0-9]+\.[0-9]+$`, ip)
	require.Equal(t, "ip-"+dashed(ip)+".ec2.internal", detail(att, "privateDnsName"))
	require.NotEqual(t, ip, detail(resp.Tasks[1].Attachments[0], "privateIPv4Address"), "each task its own address")
	for _, c := range tk.Containers {
		require.Equal(t, []ecs.NetworkInterface{{AttachmentID: att.ID, PrivateIpv4Address: ip}}, c.NetworkInterfaces, c.Name)
	}
	require.Equal(t, []ecs.Attribute{{Name: "ecs.cpu-architecture", Value: "x86_64"}}, tk.Attributes)
	require.Equal(t, &ecs.EphemeralStorage{SizeInGiB: 20}, tk.EphemeralStorage)
	require.Equal(t, "128", tk.Containers[0].CPU)
	require.Equal(t, "0", tk.Containers[1].CPU)
	if diff := cmp.Diff([]ecs.ContainerOverride{{Name: "app"}, {Name: "sidecar"}}, tk.Overrides.ContainerOverrides); diff != "" {
		t.Fatalf("containerOverrides (-want +got):\n%s", diff)
	}
	require.Empty(t, tk.Connectivity, "the agent does not have the task yet")
	require.Equal(t, "1.4.0", tk.PlatformVersion)

	advance(e, time.Minute)
	tk = describeTask(t, e, tk.TaskARN)
	require.Equal(t, ecs.TaskStatusRunning, tk.LastStatus)
	require.Equal(t, "ATTACHED", tk.Attachments[0].Status)
	require.Equal(t, ecs.ConnectivityConnected, tk.Connectivity)

	_, err = e.stopTaskRef(ctx, "", tk.TaskARN, "")
	require.NoError(t, err)
	for tk.LastStatus != ecs.TaskStatusDeprovisioning {
		advance(e, time.Second)
		tk = describeTask(t, e, tk.TaskARN)
	}
	require.Equal(t, "DETACHING", tk.Attachments[0].Status)
	advance(e, time.Minute)
	tk = describeTask(t, e, tk.TaskARN)
	require.Equal(t, ecs.TaskStatusStopped, tk.LastStatus)
	require.Equal(t, "DELETED", tk.Attachments[0].Status)
	require.Equal(t, ecs.ConnectivityConnected, tk.Connectivity, "ECS keeps showing the last connectivity")

	// What DescribeTasks returns is a copy.
	tk.Attachments[0].Details[0].Value = "changed"
	tk.Overrides.ContainerOverrides[0].Name = "changed"
	again := describeTask(t, e, tk.TaskARN)
	require.NotEqual(t, "changed", again.Attachments[0].Details[0].Value)
	require.Equal(t, "app", again.Overrides.ContainerOverrides[0].Name)
}

// TestBridgeTaskDescribed checks a bridge task on an instance: no ENI, the
// instance's CPU architecture, no ephemeral storage (a Fargate member).
func TestBridgeTaskDescribed(t *testing.T) {
	e := newTestECS(t)
	register(t, e, "m6g.large", "us-east-1a")
	td := taskDef(t, e, "web", 128, 128, 0)
	tk := mustRunTask(t, e, td.TaskDefinitionARN, 1).Tasks[0]
	require.Empty(t, tk.Attachments)
	require.Equal(t, []ecs.Attribute{{Name: "ecs.cpu-architecture", Value: "arm64"}}, tk.Attributes)
	require.Nil(t, tk.EphemeralStorage)
	require.Empty(t, tk.Containers[0].NetworkInterfaces)
}
