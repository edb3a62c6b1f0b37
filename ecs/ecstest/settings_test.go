package ecstest

import (
	"context"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

const (
	testRoot = "arn:aws:iam::123456789012:root"
	testUser = "arn:aws:iam::123456789012:user/dev"
)

// listSettings lists account settings through the Go API.
func listSettings(t testing.TB, e *ECS, req *ecs.ListAccountSettingsRequest) []ecs.Setting {
	t.Helper()
	resp, err := e.ListAccountSettings(context.Background(), req)
	require.NoError(t, err)
	require.Empty(t, resp.NextToken)
	return resp.Settings
}

// valueOf returns the value of the setting name in list, "" without one.
func valueOf(list []ecs.Setting, name ecs.SettingName) string {
	for _, s := range list {
		if s.Name == name {
			return s.Value
		}
	}
	return ""
}

func TestAccountSettingDefaults(t *testing.T) {
	e := newTestECS(t)
	want := []ecs.Setting{
		{Name: "serviceLongArnFormat", Value: "enabled", PrincipalARN: testRoot, Type: "user"},
		{Name: "taskLongArnFormat", Value: "enabled", PrincipalARN: testRoot, Type: "user"},
		{Name: "containerInstanceLongArnFormat", Value: "enabled", PrincipalARN: testRoot, Type: "user"},
		{Name: "awsvpcTrunking", Value: "disabled", PrincipalARN: testRoot, Type: "user"},
		{Name: "containerInsights", Value: "disabled", PrincipalARN: testRoot, Type: "user"},
		{Name: "fargateFIPSMode", Value: "disabled", PrincipalARN: testRoot, Type: "user"},
		{Name: "tagResourceAuthorization", Value: "on", PrincipalARN: testRoot, Type: "user"},
		{Name: "fargateTaskRetirementWaitPeriod", Value: "7", PrincipalARN: testRoot, Type: "user"},
		{Name: "guardDutyActivate", Value: "off", PrincipalARN: testRoot, Type: "aws_managed"},
		{Name: "defaultLogDriverMode", Value: "non-blocking", PrincipalARN: testRoot, Type: "user"},
	}
	resp, err := e.ListAccountSettings(context.Background(), &ecs.ListAccountSettingsRequest{EffectiveSettings: true})
	require.NoError(t, err)
	require.Empty(t, cmp.Diff(want, resp.Settings), "ten a page")
	require.NotEmpty(t, resp.NextToken)
	rest, err := e.ListAccountSettings(context.Background(), &ecs.ListAccountSettingsRequest{EffectiveSettings: true, NextToken: resp.NextToken})
	require.NoError(t, err)
	require.Empty(t, cmp.Diff([]ecs.Setting{{Name: "fargateEventWindows", Value: "disabled", PrincipalARN: testRoot, Type: "user"}}, rest.Settings))
	require.Empty(t, rest.NextToken)

	require.Empty(t, listSettings(t, e, &ecs.ListAccountSettingsRequest{}), "nothing is set")
}

func TestAccountSettingsPerPrincipal(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	put := func(name ecs.SettingName, value, principal string) *ecs.Setting {
		t.Helper()
		resp, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: name, Value: value, PrincipalARN: principal})
		require.NoError(t, err)
		return resp.Setting
	}
	require.Equal(t, &ecs.Setting{Name: "containerInsights", Value: "enhanced", PrincipalARN: testUser, Type: "user"},
		put("containerInsights", "enhanced", testUser))
	def, err := e.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultRequest{Name: "containerInsights", Value: "enabled"})
	require.NoError(t, err)
	require.Equal(t, testRoot, def.Setting.PrincipalARN, "the default is the root user's setting")

	effective := func(principal string) string {
		return valueOf(listSettings(t, e, &ecs.ListAccountSettingsRequest{Name: "containerInsights", EffectiveSettings: true, PrincipalARN: principal}), "containerInsights")
	}
	require.Equal(t, "enhanced", effective(testUser), "a user's own setting wins")
	require.Equal(t, "enabled", effective("arn:aws:iam::123456789012:role/ci"), "another takes the account's default")
	require.Equal(t, "enabled", effective(""))
	require.Equal(t, []ecs.Setting{{Name: "containerInsights", Value: "enhanced", PrincipalARN: testUser, Type: "user"}},
		listSettings(t, e, &ecs.ListAccountSettingsRequest{PrincipalARN: testUser}), "without effectiveSettings, only its own")
	require.Empty(t, listSettings(t, e, &ecs.ListAccountSettingsRequest{Name: "containerInsights", Value: "disabled", EffectiveSettings: true}),
		"the value filter")

	del, err := e.DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingRequest{Name: "containerInsights", PrincipalARN: testUser})
	require.NoError(t, err)
	require.Equal(t, "enhanced", del.Setting.Value, "the setting deleted")
	require.Equal(t, "enabled", effective(testUser), "then the account's default")
	_, err = e.DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingRequest{Name: "containerInsights"})
	require.NoError(t, err)
	require.Equal(t, "disabled", effective(testUser), "then the setting's default")

	put("fargateTaskRetirementWaitPeriod", "14", "")
	require.Equal(t, "14", e.accountSetting("fargateTaskRetirementWaitPeriod"))
	_, err = e.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultRequest{Name: "guardDutyActivate", Value: "on"})
	require.NoError(t, err, "GuardDuty sets guardDutyActivate as the account's default")
	require.NoError(t, e.Reset(ctx))
	require.Equal(t, "7", e.accountSetting("fargateTaskRetirementWaitPeriod"), "Reset forgets the settings")
}

func TestAccountSettingRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"no name", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Value: "enabled"})
			return err
		}},
		{"an unknown name", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "dualStackIPv6", Value: "enabled"})
			return err
		}},
		{"a value the setting does not take", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "awsvpcTrunking", Value: "on"})
			return err
		}},
		{"opting out of long ARNs", func() error {
			_, err := e.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultRequest{Name: "taskLongArnFormat", Value: "disabled"})
			return err
		}},
		{"guardDutyActivate is read-only", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "guardDutyActivate", Value: "on"})
			return err
		}},
		{"deleting guardDutyActivate", func() error {
			_, err := e.DeleteAccountSetting(ctx, &ecs.DeleteAccountSettingRequest{Name: "guardDutyActivate"})
			return err
		}},
		{"a user's fargateTaskRetirementWaitPeriod", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "fargateTaskRetirementWaitPeriod", Value: "0", PrincipalARN: testUser})
			return err
		}},
		{"a principal of another account", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "awsvpcTrunking", Value: "enabled", PrincipalARN: "arn:aws:iam::210987654321:root"})
			return err
		}},
		{"a principal that is not a user or role", func() error {
			_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "awsvpcTrunking", Value: "enabled", PrincipalARN: "arn:aws:iam::123456789012:group/dev"})
			return err
		}},
		{"a value filter without a name", func() error {
			_, err := e.ListAccountSettings(ctx, &ecs.ListAccountSettingsRequest{Value: "enabled"})
			return err
		}},
		{"maxResults above 10", func() error {
			_, err := e.ListAccountSettings(ctx, &ecs.ListAccountSettingsRequest{MaxResults: 11})
			return err
		}},
		{"a token of another operation", func() error {
			_, err := e.ListAccountSettings(ctx, &ecs.ListAccountSettingsRequest{NextToken: "bm90IGEgdG9rZW4"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireAPIError(t, tt.call(), ecs.InvalidParameterException)
		})
	}
}

func TestContainerInsightsSettingIsNewClustersDefault(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	insights := func(name string) string {
		t.Helper()
		list, _, err := e.describeClusters(ctx, []string{name})
		require.NoError(t, err)
		return list[0].Settings[0].Value
	}
	require.Equal(t, "disabled", insights("default"))
	_, err := e.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultRequest{Name: "containerInsights", Value: "enhanced"})
	require.NoError(t, err)
	_, err = e.createCluster(ctx, ecs.Cluster{ClusterName: "observed"})
	require.NoError(t, err)
	_, err = e.createCluster(ctx, ecs.Cluster{ClusterName: "quiet", Settings: []ecs.ClusterSetting{{Name: "containerInsights", Value: "disabled"}}})
	require.NoError(t, err)
	require.Equal(t, "enhanced", insights("observed"), "a new cluster takes the account's setting")
	require.Equal(t, "disabled", insights("quiet"), "unless it gives its own")
	require.Equal(t, "disabled", insights("default"), "a cluster created before keeps its setting")
}

func TestAwsvpcTrunkingSetting(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	before := register(t, e, "c5.large", "us-east-1a")
	_, err := e.PutAccountSetting(ctx, &ecs.PutAccountSettingRequest{Name: "awsvpcTrunking", Value: "enabled"})
	require.NoError(t, err)
	after := register(t, e, "c5.large", "us-east-1a")
	windows, err := e.LaunchInstance(ctx, "", Instance{InstanceType: "c5.large", AvailabilityZone: "us-east-1a",
		Attributes: []ecs.Attribute{{Name: ecs.AttrOSType, Value: "windows"}}})
	require.NoError(t, err)

	_, ok := attribute(*before, ecs.AttrTaskENITrunking)
	require.False(t, ok, "an instance registered before the setting has no trunk")
	_, ok = attribute(*after, ecs.AttrTaskENITrunking)
	require.True(t, ok, "one registered after has")
	_, ok = attribute(*windows, ecs.AttrTaskENITrunking)
	require.False(t, ok, "Windows instances have no trunk")

	td, err := e.Registry().Register(&ecs.TaskDefinition{Family: "eni", NetworkMode: ecs.NetworkModeAwsvpc,
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "nginx", CPU: 64, Memory: ptr(64)}}}, nil)
	require.NoError(t, err)
	placed := map[string]int{}
	for range 4 {
		resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: td.TaskDefinitionARN, Count: ptr(10),
			NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}}})
		require.NoError(t, err)
		for _, tk := range resp.Tasks {
			placed[tk.ContainerInstanceARN]++
		}
	}
	require.Equal(t, 2, placed[before.ContainerInstanceARN], "a c5.large runs 2 awsvpc tasks without trunking")
	require.Equal(t, 10, placed[after.ContainerInstanceARN], "and 10 with it")
}

func TestAccountSettingsOverHTTP(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	var put ecs.PutAccountSettingResponse
	c.call("PutAccountSetting", &ecs.PutAccountSettingRequest{Name: "awsvpcTrunking", Value: "enabled"}, &put)
	require.Equal(t, &ecs.Setting{Name: "awsvpcTrunking", Value: "enabled", PrincipalARN: testRoot, Type: "user"}, put.Setting)
	status, body := c.raw("ListAccountSettings", []byte(`{"name":"awsvpcTrunking"}`))
	require.Equal(t, 200, status, "%s", body)
	require.JSONEq(t, `{"settings":[{"name":"awsvpcTrunking","value":"enabled","principalArn":"arn:aws:iam::123456789012:root","type":"user"}]}`, string(body))
	c.call("DeleteAccountSetting", &ecs.DeleteAccountSettingRequest{Name: "awsvpcTrunking"}, nil)
	status, body = c.raw("ListAccountSettings", []byte(`{}`))
	require.Equal(t, 200, status, "%s", body)
	require.JSONEq(t, `{"settings":[]}`, string(body))
	require.Equal(t, ecs.InvalidParameterException, c.fail("PutAccountSettingDefault", &ecs.PutAccountSettingDefaultRequest{Name: "awsvpcTrunking", Value: "yes"}).Type)
}
