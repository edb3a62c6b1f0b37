package ecstest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// listTags returns the tags of the resource arn through the Go API.
func listTags(t testing.TB, e *ECS, arn string) []ecs.Tag {
	t.Helper()
	resp, err := e.ListTagsForResource(context.Background(), &ecs.ListTagsForResourceRequest{ResourceARN: arn})
	require.NoError(t, err)
	return resp.Tags
}

// taggedWorld returns an ECS with one resource of each taggable kind, and
// their ARNs by kind.
func taggedWorld(t *testing.T) (*ECS, map[string]string) {
	t.Helper()
	ctx := context.Background()
	e := newTestECS(t)
	ci := register(t, e, "c5.large", "us-east-1a")
	td := taskDef(t, e, "web", 256, 256)
	svc := mustCreateService(t, e, "web", "web", 1)
	task := mustRunTask(t, e, "web", 1).Tasks[0]
	group, err := e.CreateAutoScalingGroup(ctx, AutoScalingGroup{Name: "workers", InstanceType: "c5.large", MaxSize: 2})
	require.NoError(t, err)
	cp, err := e.createCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "asg",
		AutoScalingGroupProvider: &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: group}})
	require.NoError(t, err)
	return e, map[string]string{
		"cluster":            "arn:aws:ecs:us-east-1:123456789012:cluster/default",
		"service":            svc.ServiceARN,
		"task":               task.TaskARN,
		"task definition":    td.TaskDefinitionARN,
		"container instance": ci.ContainerInstanceARN,
		"capacity provider":  cp.CapacityProviderARN,
	}
}

func TestTagEveryResource(t *testing.T) {
	ctx := context.Background()
	e, arns := taggedWorld(t)
	for kind, arn := range arns {
		t.Run(kind, func(t *testing.T) {
			require.Empty(t, listTags(t, e, arn))
			_, err := e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: arn,
				Tags: []ecs.Tag{{Key: "team", Value: "a"}, {Key: "stack", Value: "dev"}}})
			require.NoError(t, err)
			_, err = e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: arn,
				Tags: []ecs.Tag{{Key: "stack", Value: "prod"}, {Key: "owner", Value: ""}}})
			require.NoError(t, err)
			require.Empty(t, cmp.Diff([]ecs.Tag{{Key: "team", Value: "a"}, {Key: "stack", Value: "prod"}, {Key: "owner"}},
				listTags(t, e, arn)), "a key given again takes the new value where it stands")

			_, err = e.UntagResource(ctx, &ecs.UntagResourceRequest{ResourceARN: arn, TagKeys: []string{"team", "nothing"}})
			require.NoError(t, err)
			require.Empty(t, cmp.Diff([]ecs.Tag{{Key: "stack", Value: "prod"}, {Key: "owner"}}, listTags(t, e, arn)))
		})
	}

	// The describe operations show the same tags.
	svc := describeService(t, e, "web")
	require.Empty(t, cmp.Diff([]ecs.Tag{{Key: "stack", Value: "prod"}, {Key: "owner"}}, svc.Tags))
	task := describeTask(t, e, arns["task"])
	require.Equal(t, "prod", task.Tags[0].Value)
	require.Equal(t, "prod", e.Registry().Tags(arns["task definition"])[0].Value)
	cps, _, err := e.describeCapacityProviders(ctx, []string{"asg"})
	require.NoError(t, err)
	require.Equal(t, "prod", cps[0].Tags[0].Value)
	cis, _, err := e.describeContainerInstances(ctx, "", []string{arns["container instance"]})
	require.NoError(t, err)
	require.Equal(t, "prod", cis[0].Tags[0].Value)
	cls, _, err := e.describeClusters(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, "prod", cls[0].Tags[0].Value)

	// A step of the service keeps its tags.
	advance(e, time.Minute)
	require.Len(t, describeService(t, e, "web").Tags, 2)
}

func TestTagRefusals(t *testing.T) {
	ctx := context.Background()
	e, arns := taggedWorld(t)
	_, err := e.createCluster(ctx, ecs.Cluster{ClusterName: "gone"})
	require.NoError(t, err)
	_, err = e.deleteCluster(ctx, "gone")
	require.NoError(t, err)
	many := make([]ecs.Tag, 50)
	for i := range many {
		many[i] = ecs.Tag{Key: fmt.Sprintf("k%02d", i)}
	}
	tooMany := append([]ecs.Tag{{Key: "one-more"}}, many...)
	tests := []struct {
		name     string
		arn      string
		tags     []ecs.Tag
		wantType string
		wantMsg  string
	}{
		{name: "no ARN", tags: []ecs.Tag{{Key: "a"}}, wantType: ecs.InvalidParameterException},
		{name: "no tags", arn: arns["cluster"], wantType: ecs.InvalidParameterException},
		{name: "not an ARN", arn: "default", tags: []ecs.Tag{{Key: "a"}}, wantType: ecs.InvalidParameterException},
		{name: "a reserved key", arn: arns["cluster"], tags: []ecs.Tag{{Key: "AWS:team"}}, wantType: ecs.InvalidParameterException},
		{name: "a key too long", arn: arns["cluster"], tags: []ecs.Tag{{Key: string(make([]byte, 129))}}, wantType: ecs.InvalidParameterException},
		{name: "a key of another character", arn: arns["cluster"], tags: []ecs.Tag{{Key: "team!"}}, wantType: ecs.InvalidParameterException},
		{name: "over 50 in one request", arn: arns["cluster"], tags: tooMany, wantType: ecs.InvalidParameterException},
		{name: "a short service ARN", arn: "arn:aws:ecs:us-east-1:123456789012:service/web", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.InvalidParameterException, wantMsg: "Long arn format must be used for tagging operations"},
		{name: "an unknown cluster", arn: "arn:aws:ecs:us-east-1:123456789012:cluster/nowhere", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.ClusterNotFoundException},
		{name: "the service of an unknown cluster", arn: "arn:aws:ecs:us-east-1:123456789012:service/nowhere/web", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.ClusterNotFoundException},
		{name: "a deleted cluster", arn: "arn:aws:ecs:us-east-1:123456789012:cluster/gone", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.InvalidParameterException, wantMsg: "The specified cluster is inactive. Specify an active cluster and try again."},
		{name: "an unknown service", arn: "arn:aws:ecs:us-east-1:123456789012:service/default/api", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.ResourceNotFoundException},
		{name: "an unknown task", arn: "arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.ResourceNotFoundException},
		{name: "an unknown revision", arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:9", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.ResourceNotFoundException},
		{name: "a family", arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.InvalidParameterException},
		{name: "another Region", arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/default", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.ResourceNotFoundException},
		{name: "FARGATE", arn: "arn:aws:ecs:us-east-1:123456789012:capacity-provider/FARGATE", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.InvalidParameterException},
		{name: "a container", arn: "arn:aws:ecs:us-east-1:123456789012:container/default/0123", tags: []ecs.Tag{{Key: "a"}},
			wantType: ecs.InvalidParameterException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: tt.arn, Tags: tt.tags})
			apiErr := requireAPIError(t, err, tt.wantType)
			if tt.wantMsg != "" {
				require.Equal(t, tt.wantMsg, apiErr.Message)
			}
		})
	}

	t.Run("50 tags and one more", func(t *testing.T) {
		_, err := e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: arns["cluster"], Tags: many})
		require.NoError(t, err)
		_, err = e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: arns["cluster"], Tags: []ecs.Tag{{Key: "one-more"}}})
		requireAPIError(t, err, ecs.LimitExceededException)
		_, err = e.TagResource(ctx, &ecs.TagResourceRequest{ResourceARN: arns["cluster"], Tags: []ecs.Tag{{Key: "k00", Value: "again"}}})
		require.NoError(t, err, "a key it has does not add a tag")
		require.Len(t, listTags(t, e, arns["cluster"]), 50)
	})
	t.Run("untag", func(t *testing.T) {
		_, err := e.UntagResource(ctx, &ecs.UntagResourceRequest{ResourceARN: arns["cluster"]})
		requireAPIError(t, err, ecs.InvalidParameterException)
		_, err = e.UntagResource(ctx, &ecs.UntagResourceRequest{ResourceARN: arns["cluster"], TagKeys: []string{"aws:ecs:clusterName"}})
		requireAPIError(t, err, ecs.InvalidParameterException)
		_, err = e.UntagResource(ctx, &ecs.UntagResourceRequest{ResourceARN: "arn:aws:ecs:us-east-1:123456789012:service/default/api", TagKeys: []string{"a"}})
		requireAPIError(t, err, ecs.ResourceNotFoundException)
	})
	t.Run("list", func(t *testing.T) {
		_, err := e.ListTagsForResource(ctx, &ecs.ListTagsForResourceRequest{ResourceARN: "arn:aws:ecs:us-east-1:123456789012:service/default/api"})
		requireAPIError(t, err, ecs.InvalidParameterException)
		_, err = e.ListTagsForResource(ctx, &ecs.ListTagsForResourceRequest{ResourceARN: "arn:aws:ecs:us-east-1:123456789012:cluster/nowhere"})
		requireAPIError(t, err, ecs.ClusterNotFoundException)
	})
}

func TestTasksTakeTags(t *testing.T) {
	ctx := context.Background()
	tdTags := []ecs.Tag{{Key: "from", Value: "task-definition"}, {Key: "family", Value: "web"}}
	svcTags := []ecs.Tag{{Key: "from", Value: "service"}}
	tests := []struct {
		name      string
		propagate ecs.PropagateTags
		managed   bool
		want      []ecs.Tag
	}{
		{name: "none", propagate: ecs.PropagateTagsNone, want: nil},
		{name: "from the service", propagate: ecs.PropagateTagsService, want: svcTags},
		{name: "from the task definition", propagate: ecs.PropagateTagsTaskDefinition, want: tdTags},
		{name: "managed", propagate: ecs.PropagateTagsNone, managed: true, want: []ecs.Tag{
			{Key: ManagedTagClusterName, Value: "default"}, {Key: ManagedTagServiceName, Value: "web"}}},
		{name: "from the service, and managed", propagate: ecs.PropagateTagsService, managed: true, want: []ecs.Tag{
			{Key: "from", Value: "service"}, {Key: ManagedTagClusterName, Value: "default"}, {Key: ManagedTagServiceName, Value: "web"}}},
	}
	for _, tt := range tests {
		t.Run("service: "+tt.name, func(t *testing.T) {
			e := newTestECS(t)
			register(t, e, "c5.large", "us-east-1a")
			taskDef(t, e, "web", 256, 256)
			require.NoError(t, e.Registry().SetTags("web:1", tdTags))
			_, err := e.createService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: ptr(2),
				Tags: svcTags, PropagateTags: tt.propagate, EnableECSManagedTags: tt.managed})
			require.NoError(t, err)
			advance(e, time.Minute)
			tasks := serviceTasks(t, e, "web")
			require.Len(t, tasks, 2)
			for _, tk := range tasks {
				require.Empty(t, cmp.Diff(tt.want, tk.Tags, cmp.Comparer(func(a, b []ecs.Tag) bool {
					return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b)
				})))
				require.Empty(t, cmp.Diff(tk.Tags, listTags(t, e, tk.TaskARN), cmp.Comparer(func(a, b []ecs.Tag) bool {
					return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b)
				})))
			}
		})
	}

	t.Run("run-task", func(t *testing.T) {
		e := newTestECS(t)
		register(t, e, "c5.large", "us-east-1a")
		taskDef(t, e, "web", 256, 256)
		require.NoError(t, e.Registry().SetTags("web:1", tdTags))
		resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "web", Tags: []ecs.Tag{{Key: "from", Value: "request"}},
			PropagateTags: ecs.PropagateTagsTaskDefinition, EnableECSManagedTags: true})
		require.NoError(t, err)
		require.Empty(t, cmp.Diff([]ecs.Tag{{Key: "from", Value: "request"}, {Key: "family", Value: "web"},
			{Key: ManagedTagClusterName, Value: "default"}}, resp.Tasks[0].Tags), "the request's tags win over the task definition's")
		_, err = e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "web", PropagateTags: ecs.PropagateTagsService})
		requireAPIError(t, err, ecs.InvalidParameterException)
	})
}

func TestTagsOverHTTP(t *testing.T) {
	e, arns := taggedWorld(t)
	c := newAPIClient(t, e)
	status, body := c.raw("ListTagsForResource", []byte(`{"resourceArn":"`+arns["service"]+`"}`))
	require.Equal(t, 200, status)
	require.JSONEq(t, `{"tags":[]}`, string(body), "a resource without tags has an empty list")
	for _, arn := range []string{arns["cluster"], arns["service"], arns["task"]} {
		c.call("TagResource", &ecs.TagResourceRequest{ResourceARN: arn, Tags: []ecs.Tag{{Key: "team", Value: "a"}}}, nil)
		var list ecs.ListTagsForResourceResponse
		c.call("ListTagsForResource", &ecs.ListTagsForResourceRequest{ResourceARN: arn}, &list)
		require.Equal(t, []ecs.Tag{{Key: "team", Value: "a"}}, list.Tags)
	}
	c.call("UntagResource", &ecs.UntagResourceRequest{ResourceARN: arns["task"], TagKeys: []string{"team"}}, nil)
	status, body = c.raw("ListTagsForResource", []byte(`{"resourceArn":"`+arns["task"]+`"}`))
	require.Equal(t, 200, status)
	require.JSONEq(t, `{"tags":[]}`, string(body), "an empty list is written")

	// Tags are shown only when asked for.
	tests := []struct {
		op, request string
		tags        func(body []byte) []ecs.Tag
	}{
		{"DescribeClusters", `{"clusters":["default"]%s}`, func(b []byte) []ecs.Tag {
			var r ecs.DescribeClustersResponse
			require.NoError(t, ecs.Unmarshal(b, &r))
			return r.Clusters[0].Tags
		}},
		{"DescribeServices", `{"services":["web"]%s}`, func(b []byte) []ecs.Tag {
			var r ecs.DescribeServicesResponse
			require.NoError(t, ecs.Unmarshal(b, &r))
			return r.Services[0].Tags
		}},
		{"DescribeTasks", `{"tasks":["` + arns["task"] + `"]%s}`, func(b []byte) []ecs.Tag {
			var r ecs.DescribeTasksResponse
			require.NoError(t, ecs.Unmarshal(b, &r))
			return r.Tasks[0].Tags
		}},
	}
	c.call("TagResource", &ecs.TagResourceRequest{ResourceARN: arns["task"], Tags: []ecs.Tag{{Key: "team", Value: "a"}}}, nil)
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			status, body := c.raw(tt.op, fmt.Appendf(nil, tt.request, ""))
			require.Equal(t, 200, status, "%s", body)
			require.Empty(t, tt.tags(body), "no tags without include")
			status, body = c.raw(tt.op, fmt.Appendf(nil, tt.request, `,"include":["TAGS"]`))
			require.Equal(t, 200, status, "%s", body)
			require.Equal(t, []ecs.Tag{{Key: "team", Value: "a"}}, tt.tags(body))
		})
	}

	e2 := c.fail("TagResource", &ecs.TagResourceRequest{ResourceARN: "arn:aws:ecs:us-east-1:123456789012:service/default/api",
		Tags: []ecs.Tag{{Key: "a"}}})
	require.Equal(t, ecs.ResourceNotFoundException, e2.Type)
}
