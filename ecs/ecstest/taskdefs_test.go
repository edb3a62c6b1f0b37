package ecstest

import (
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func webRequest(family string) ecs.RegisterTaskDefinitionRequest {
	return ecs.RegisterTaskDefinitionRequest{
		Family: family,
		ContainerDefinitions: []ecs.ContainerDefinition{{
			Name: "web", Image: "nginx", CPU: 256, Memory: ptr(512),
			PortMappings: []ecs.PortMapping{{ContainerPort: ptr(80)}},
		}},
		CPU: "0.25 vCPU",
	}
}

func TestTaskDefinitionLifecycle(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)

	req := webRequest("web")
	req.Tags = []ecs.Tag{{Key: "team", Value: "edge"}}
	var reg ecs.RegisterTaskDefinitionResponse
	c.call("RegisterTaskDefinition", req, &reg)
	require.Equal(t, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", reg.TaskDefinition.TaskDefinitionARN)
	require.Equal(t, ecs.TaskDefinitionStatusActive, reg.TaskDefinition.Status)
	require.Equal(t, "256", reg.TaskDefinition.CPU, "cpu is normalised to CPU units")
	require.Equal(t, t0, reg.TaskDefinition.RegisteredAt.Time, "stamped by the virtual clock")
	require.Equal(t, req.Tags, reg.Tags)
	c.call("RegisterTaskDefinition", webRequest("web"), nil)

	for _, ref := range []string{"web", "web:2", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"} {
		var out ecs.DescribeTaskDefinitionResponse
		c.call("DescribeTaskDefinition", ecs.DescribeTaskDefinitionRequest{TaskDefinition: ref}, &out)
		require.Equal(t, 2, out.TaskDefinition.Revision, ref)
		require.Empty(t, out.Tags, "tags only when included")
	}
	var withTags ecs.DescribeTaskDefinitionResponse
	c.call("DescribeTaskDefinition", ecs.DescribeTaskDefinitionRequest{TaskDefinition: "web:1", Include: []ecs.TaskDefinitionField{"TAGS"}}, &withTags)
	require.Equal(t, req.Tags, withTags.Tags)

	var dereg ecs.DeregisterTaskDefinitionResponse
	c.call("DeregisterTaskDefinition", ecs.DeregisterTaskDefinitionRequest{TaskDefinition: "web:2"}, &dereg)
	require.Equal(t, ecs.TaskDefinitionStatusInactive, dereg.TaskDefinition.Status)
	require.Equal(t, t0, dereg.TaskDefinition.DeregisteredAt.Time)
	require.Equal(t, "ClientException", c.fail("DeregisterTaskDefinition", ecs.DeregisterTaskDefinitionRequest{TaskDefinition: "web:2"}).Type)

	var latest ecs.DescribeTaskDefinitionResponse
	c.call("DescribeTaskDefinition", ecs.DescribeTaskDefinitionRequest{TaskDefinition: "web"}, &latest)
	require.Equal(t, 1, latest.TaskDefinition.Revision, "the family names its latest ACTIVE revision")
}

func TestRegisterTaskDefinitionRefuses(t *testing.T) {
	c := newAPIClient(t, newTestECS(t))
	tests := []struct {
		name    string
		req     ecs.RegisterTaskDefinitionRequest
		errType string
	}{
		{"no containers", ecs.RegisterTaskDefinitionRequest{Family: "web"}, "ClientException"},
		{"bad family", ecs.RegisterTaskDefinitionRequest{Family: "web app!", ContainerDefinitions: webRequest("x").ContainerDefinitions}, "ClientException"},
		{"reserved tag", func() ecs.RegisterTaskDefinitionRequest {
			r := webRequest("web")
			r.Tags = []ecs.Tag{{Key: "aws:cloudformation:stack-name", Value: "x"}}
			return r
		}(), "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.errType, c.fail("RegisterTaskDefinition", tt.req).Type)
		})
	}
}

func TestListTaskDefinitions(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	for _, f := range []string{"web", "web", "webapp", "api"} {
		c.call("RegisterTaskDefinition", webRequest(f), nil)
	}
	c.call("DeregisterTaskDefinition", ecs.DeregisterTaskDefinitionRequest{TaskDefinition: "api:1"}, nil)
	arn := func(s string) string { return "arn:aws:ecs:us-east-1:123456789012:task-definition/" + s }
	tests := []struct {
		name string
		req  ecs.ListTaskDefinitionsRequest
		want []string
	}{
		{"ACTIVE by default", ecs.ListTaskDefinitionsRequest{}, []string{arn("web:1"), arn("web:2"), arn("webapp:1")}},
		{"INACTIVE", ecs.ListTaskDefinitionsRequest{Status: "INACTIVE"}, []string{arn("api:1")}},
		{"familyPrefix is a whole family", ecs.ListTaskDefinitionsRequest{FamilyPrefix: "web"}, []string{arn("web:1"), arn("web:2")}},
		{"DESC", ecs.ListTaskDefinitionsRequest{Sort: "DESC"}, []string{arn("webapp:1"), arn("web:2"), arn("web:1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out ecs.ListTaskDefinitionsResponse
			c.call("ListTaskDefinitions", tt.req, &out)
			if diff := cmp.Diff(tt.want, out.TaskDefinitionARNs); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
	require.Equal(t, "InvalidParameterException", c.fail("ListTaskDefinitions", ecs.ListTaskDefinitionsRequest{Status: "GONE"}).Type)
	require.Equal(t, "InvalidParameterException", c.fail("ListTaskDefinitions", ecs.ListTaskDefinitionsRequest{Sort: "UP"}).Type)
}

func TestListTaskDefinitionFamilies(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	for _, f := range []string{"web", "webapp", "api"} {
		c.call("RegisterTaskDefinition", webRequest(f), nil)
	}
	c.call("DeregisterTaskDefinition", ecs.DeregisterTaskDefinitionRequest{TaskDefinition: "webapp:1"}, nil)
	tests := []struct {
		req  ecs.ListTaskDefinitionFamiliesRequest
		want []string
	}{
		{ecs.ListTaskDefinitionFamiliesRequest{}, []string{"api", "web", "webapp"}},
		{ecs.ListTaskDefinitionFamiliesRequest{Status: "ALL", FamilyPrefix: "web"}, []string{"web", "webapp"}},
		{ecs.ListTaskDefinitionFamiliesRequest{Status: "ACTIVE"}, []string{"api", "web"}},
		{ecs.ListTaskDefinitionFamiliesRequest{Status: "INACTIVE"}, []string{"webapp"}},
		{ecs.ListTaskDefinitionFamiliesRequest{FamilyPrefix: "x"}, []string{}},
	}
	for _, tt := range tests {
		var out ecs.ListTaskDefinitionFamiliesResponse
		c.call("ListTaskDefinitionFamilies", tt.req, &out)
		if diff := cmp.Diff(tt.want, out.Families); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.req, diff)
		}
	}
	require.Equal(t, "InvalidParameterException", c.fail("ListTaskDefinitionFamilies", ecs.ListTaskDefinitionFamiliesRequest{Status: "SOME"}).Type)
}

func TestRegisterChecksPlacementConstraints(t *testing.T) {
	c := newAPIClient(t, newTestECS(t))
	for _, tt := range []struct {
		pc  ecs.TaskDefinitionPlacementConstraint
		typ string
	}{
		{ecs.TaskDefinitionPlacementConstraint{Type: "distinctInstance"}, "ClientException"},
		{ecs.TaskDefinitionPlacementConstraint{Type: "memberOf", Expression: "attribute:ecs.instance-type =~"}, "InvalidParameterException"},
	} {
		req := webRequest("web")
		req.PlacementConstraints = []ecs.TaskDefinitionPlacementConstraint{tt.pc}
		require.Equal(t, tt.typ, c.fail("RegisterTaskDefinition", req).Type, "%+v", tt.pc)
	}
}
