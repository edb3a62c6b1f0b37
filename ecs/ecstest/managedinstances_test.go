package ecstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

const (
	miRole    = "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
	miProfile = "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
)

// miConfig returns a valid Managed Instances provider configuration: 2 to
// 8 vCPUs, at least 4 GiB, Intel or AMD, changed by f.
func miConfig(f func(*ecs.CreateManagedInstancesProviderConfiguration)) *ecs.CreateManagedInstancesProviderConfiguration {
	c := &ecs.CreateManagedInstancesProviderConfiguration{
		InfrastructureRoleARN: miRole,
		InstanceLaunchTemplate: &ecs.InstanceLaunchTemplate{
			EC2InstanceProfileARN: miProfile,
			NetworkConfiguration:  &ecs.ManagedInstancesNetworkConfiguration{Subnets: []string{"subnet-1"}},
			InstanceRequirements: &ecs.InstanceRequirementsRequest{
				VCPUCount: &ecs.VCpuCountRangeRequest{Min: ptr(2), Max: ptr(8)},
				MemoryMiB: &ecs.MemoryMiBRequest{Min: ptr(4096)},
			},
		},
	}
	if f != nil {
		f(c)
	}
	return c
}

// miProvider creates the Managed Instances provider "mi" in the default
// cluster with the configuration miConfig(f) gives, and makes it the
// cluster's only provider and default strategy.
func miProvider(t testing.TB, e *ECS, f func(*ecs.CreateManagedInstancesProviderConfiguration)) {
	t.Helper()
	ctx := context.Background()
	_, err := e.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderRequest{Name: "mi", Cluster: "default",
		ManagedInstancesProvider: miConfig(f), Tags: []ecs.Tag{{Key: "team", Value: "web"}}})
	require.NoError(t, err)
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default",
		CapacityProviders: []string{"mi"}, DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{{CapacityProvider: "mi", Weight: 1}}})
	require.NoError(t, err)
}

// miTaskDef registers a Managed Instances task definition in host mode
// with the CPU units and MiB given.
func miTaskDef(t testing.TB, e *ECS, family string, cpu, mem int) {
	t.Helper()
	_, err := e.RegisterTaskDefinition(context.Background(), &ecs.RegisterTaskDefinitionRequest{
		Family: family, NetworkMode: ecs.NetworkModeHost, RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityManagedInstances},
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "public.ecr.aws/nginx/nginx:1.27", CPU: cpu, Memory: ptr(mem), Essential: ptr(true)}},
	})
	require.NoError(t, err)
}

func managedInstances(t testing.TB, e *ECS) []GroupInstance {
	t.Helper()
	list, err := e.ManagedInstances(context.Background(), "mi")
	require.NoError(t, err)
	return list
}

// TestManagedInstancesValidation: CreateCapacityProvider checks every
// member of managedInstancesProvider (rules 170, 171: API
// CreateManagedInstancesProviderConfiguration,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateManagedInstancesProviderConfiguration.html,
// InstanceRequirementsRequest,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InstanceRequirementsRequest.html,
// InfrastructureOptimization,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InfrastructureOptimization.html).
func TestManagedInstancesValidation(t *testing.T) {
	reqs := func(f func(*ecs.InstanceRequirementsRequest)) func(*ecs.CreateManagedInstancesProviderConfiguration) {
		return func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			f(c.InstanceLaunchTemplate.InstanceRequirements)
		}
	}
	cases := []struct {
		name    string
		cluster string
		f       func(*ecs.CreateManagedInstancesProviderConfiguration)
		asg     bool
		want    string
	}{
		{"no cluster", "-", nil, false, "cluster is required"},
		{"unknown cluster", "nowhere", nil, false, "Cluster not found"},
		{"both kinds", "", nil, true, "not both"},
		{"role missing", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) { c.InfrastructureRoleARN = "" }, false, "Value null at 'managedInstancesProvider.infrastructureRoleArn'"},
		{"role not a role", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) { c.InfrastructureRoleARN = miProfile }, false, "infrastructureRoleArn"},
		{"no template", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) { c.InstanceLaunchTemplate = nil }, false, "Value null at 'managedInstancesProvider.instanceLaunchTemplate'"},
		{"profile not a profile", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InstanceLaunchTemplate.EC2InstanceProfileARN = miRole
		}, false, "ec2InstanceProfileArn"},
		{"no network", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InstanceLaunchTemplate.NetworkConfiguration = nil
		}, false, "instanceLaunchTemplate.networkConfiguration' failed"},
		{"no subnet", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InstanceLaunchTemplate.NetworkConfiguration.Subnets = nil
		}, false, "at least one subnet"},
		{"storage 0", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InstanceLaunchTemplate.StorageConfiguration = &ecs.ManagedInstancesStorageConfiguration{StorageSizeGiB: ptr(0)}
		}, false, "greater than or equal to 1"},
		{"capacity option", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InstanceLaunchTemplate.CapacityOptionType = "CHEAP"
		}, false, "enum value set: [ON_DEMAND, SPOT, RESERVED]"},
		{"propagate", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) { c.PropagateTags = "ALL" }, false, "enum value set"},
		{"scaleInAfter", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InfrastructureOptimization = &ecs.InfrastructureOptimization{ScaleInAfter: ptr(3601)}
		}, false, "-1 or from 0 to 3600"},
		{"scaleInAfter -2", "", func(c *ecs.CreateManagedInstancesProviderConfiguration) {
			c.InfrastructureOptimization = &ecs.InfrastructureOptimization{ScaleInAfter: ptr(-2)}
		}, false, "-1 or from 0 to 3600"},
		{"no vCPU", "", reqs(func(r *ecs.InstanceRequirementsRequest) { r.VCPUCount = nil }), false, "instanceRequirements.vCpuCount'"},
		{"no memory min", "", reqs(func(r *ecs.InstanceRequirementsRequest) { r.MemoryMiB.Min = nil }), false, "memoryMiB.min'"},
		{"vCPU max below min", "", reqs(func(r *ecs.InstanceRequirementsRequest) { r.VCPUCount.Max = ptr(1) }), false, "vCpuCount.max 1 is below its min 2"},
		{"manufacturer", "", reqs(func(r *ecs.InstanceRequirementsRequest) { r.CPUManufacturers = []ecs.CpuManufacturer{"via"} }), false, "enum value set"},
		{"allowed and excluded", "", reqs(func(r *ecs.InstanceRequirementsRequest) {
			r.AllowedInstanceTypes, r.ExcludedInstanceTypes = []string{"m5.*"}, []string{"m5.large"}
		}), false, "cannot be specified together"},
		{"bad pattern", "", reqs(func(r *ecs.InstanceRequirementsRequest) { r.AllowedInstanceTypes = []string{"m5/large"} }), false, "not an instance type"},
		{"memory per vCPU", "", reqs(func(r *ecs.InstanceRequirementsRequest) {
			r.MemoryGiBPerVCpu = &ecs.MemoryGiBPerVCpuRequest{Min: ptr(8.0), Max: ptr(2.0)}
		}), false, "max 2 is below min 8"},
		{"unknown figure", "", reqs(func(r *ecs.InstanceRequirementsRequest) {
			r.NetworkBandwidthGbps = &ecs.NetworkBandwidthGbpsRequest{Min: ptr(10.0)}
		}), false, "networkBandwidthGbps: ecstest's instance type catalogue"},
		{"nothing meets", "", reqs(func(r *ecs.InstanceRequirementsRequest) { r.VCPUCount.Min, r.VCPUCount.Max = ptr(1000), nil }), false, "No instance type of the catalogue meets"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newTestECS(t)
			req := &ecs.CreateCapacityProviderRequest{Name: "mi", Cluster: "default", ManagedInstancesProvider: miConfig(c.f)}
			switch c.cluster {
			case "-":
				req.Cluster = ""
			case "":
			default:
				req.Cluster = c.cluster
			}
			if c.asg {
				req.AutoScalingGroupProvider = &ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "arn"}
			}
			_, err := e.CreateCapacityProvider(context.Background(), req)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
			var apiErr *ecs.APIError
			require.True(t, errors.As(err, &apiErr))
			resp, err := e.DescribeCapacityProviders(context.Background(), &ecs.DescribeCapacityProvidersRequest{CapacityProviders: []string{"mi"}})
			require.NoError(t, err)
			require.Len(t, resp.Failures, 1, "a refused provider is not created")
		})
	}
}

// TestManagedInstancesDescribe: DescribeCapacityProviders shows a Managed
// Instances provider with type MANAGED_INSTANCES, its cluster and the
// defaults of what it left out (ON_DEMAND, BASIC monitoring, propagateTags
// NONE); it can join only its own cluster; UpdateCapacityProvider changes
// its configuration (API CapacityProvider and UpdateCapacityProvider,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateCapacityProvider.html).
func TestManagedInstancesDescribe(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	miProvider(t, e, nil)
	resp, err := e.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersRequest{CapacityProviders: []string{"mi"}})
	require.NoError(t, err)
	require.Len(t, resp.CapacityProviders, 1)
	got := resp.CapacityProviders[0]
	want := miConfig(nil)
	wantLT := *want.InstanceLaunchTemplate
	wantLT.CapacityOptionType, wantLT.Monitoring = ecs.CapacityOptionTypeOnDemand, ecs.ManagedInstancesMonitoringOptionsBasic
	require.Empty(t, cmp.Diff(ecs.CapacityProvider{
		CapacityProviderARN: "arn:aws:ecs:us-east-1:123456789012:capacity-provider/mi", Name: "mi", Cluster: "default",
		Status: ecs.CapacityProviderStatusActive, UpdateStatus: ecs.CapacityProviderUpdateStatusCreateComplete,
		Type: ecs.CapacityProviderTypeManagedInstances,
		ManagedInstancesProvider: &ecs.ManagedInstancesProvider{InfrastructureRoleARN: miRole, InstanceLaunchTemplate: &wantLT,
			PropagateTags: ecs.PropagateMITagsNone},
	}, got))

	_, err = e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "other"})
	require.NoError(t, err)
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "other", CapacityProviders: []string{"mi"}})
	require.ErrorContains(t, err, "already associated")

	up, err := e.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderRequest{Name: "mi", ManagedInstancesProvider: &ecs.UpdateManagedInstancesProviderConfiguration{
		InfrastructureRoleARN:      miRole,
		InfrastructureOptimization: &ecs.InfrastructureOptimization{ScaleInAfter: ptr(-1)},
		InstanceLaunchTemplate:     &ecs.InstanceLaunchTemplateUpdate{StorageConfiguration: &ecs.ManagedInstancesStorageConfiguration{StorageSizeGiB: ptr(100)}},
	}})
	require.NoError(t, err)
	require.Equal(t, ecs.CapacityProviderUpdateStatusUpdateComplete, up.CapacityProvider.UpdateStatus)
	require.Equal(t, -1, *up.CapacityProvider.ManagedInstancesProvider.InfrastructureOptimization.ScaleInAfter)
	require.Equal(t, 100, *up.CapacityProvider.ManagedInstancesProvider.InstanceLaunchTemplate.StorageConfiguration.StorageSizeGiB)
	require.Equal(t, []string{"subnet-1"}, up.CapacityProvider.ManagedInstancesProvider.InstanceLaunchTemplate.NetworkConfiguration.Subnets)

	_, err = e.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderRequest{Name: "mi", ManagedInstancesProvider: &ecs.UpdateManagedInstancesProviderConfiguration{
		InfrastructureRoleARN: miRole, InfrastructureOptimization: &ecs.InfrastructureOptimization{ScaleInAfter: ptr(5000)}}})
	require.ErrorContains(t, err, "scaleInAfter")
	_, err = e.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderRequest{Name: "mi", AutoScalingGroupProvider: &ecs.AutoScalingGroupProviderUpdate{}})
	require.ErrorContains(t, err, "cannot be updated on the Managed Instances capacity provider")
}

// TestManagedInstancesTypeSelection: ECS picks the instance types that
// meet the instance requirements, the cheapest first (rule 172: "Amazon
// ECS Managed Instances instance types",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-instance-types.html).
func TestManagedInstancesTypeSelection(t *testing.T) {
	e := newTestECS(t)
	names := func(r *ecs.InstanceRequirementsRequest) []string {
		var out []string
		for _, t := range candidateTypes(e.catalog, e.prices, r) {
			out = append(out, t.Name)
		}
		return out
	}
	base := func(f func(*ecs.InstanceRequirementsRequest)) *ecs.InstanceRequirementsRequest {
		r := miConfig(nil).InstanceLaunchTemplate.InstanceRequirements
		f(r)
		return r
	}
	intel := names(base(func(r *ecs.InstanceRequirementsRequest) {
		r.CPUManufacturers = []ecs.CpuManufacturer{ecs.CpuManufacturerIntel}
		r.VCPUCount.Max = ptr(2)
	}))
	require.NotEmpty(t, intel)
	for _, n := range intel {
		it, _ := e.catalog.Lookup(n)
		require.Equal(t, 2, it.VCPUs, n)
		require.Equal(t, "x86_64", it.Architecture, n)
		require.Equal(t, ecs.CpuManufacturerIntel, manufacturerOf(it), n)
	}
	require.Equal(t, "c5.large", intel[0], "the cheapest Intel type of 2 vCPUs")

	graviton := names(base(func(r *ecs.InstanceRequirementsRequest) {
		r.CPUManufacturers = []ecs.CpuManufacturer{ecs.CpuManufacturerAmazonWebServices}
	}))
	require.NotEmpty(t, graviton)
	for _, n := range graviton {
		it, _ := e.catalog.Lookup(n)
		require.Equal(t, "arm64", it.Architecture, n)
	}

	allowed := names(base(func(r *ecs.InstanceRequirementsRequest) { r.AllowedInstanceTypes = []string{"m5.*"} }))
	require.Equal(t, []string{"m5.large", "m5.xlarge", "m5.2xlarge"}, allowed)
	family := names(base(func(r *ecs.InstanceRequirementsRequest) { r.AllowedInstanceTypes = []string{"m5"} }))
	require.Equal(t, allowed, family, "a bare family allows its sizes (and not m5d or m5a)")
	noM5 := names(base(func(r *ecs.InstanceRequirementsRequest) { r.ExcludedInstanceTypes = []string{"m5"} }))
	require.NotEmpty(t, noM5)
	for _, n := range noM5 {
		require.NotRegexp(t, `^m5\.`, n, "excluding the family leaves none of it")
	}
	excluded := names(base(func(r *ecs.InstanceRequirementsRequest) { r.ExcludedInstanceTypes = []string{"c*", "m*"} }))
	for _, n := range excluded {
		require.NotRegexp(t, `^[cm]`, n)
	}
	require.Empty(t, names(base(func(r *ecs.InstanceRequirementsRequest) {
		r.MemoryGiBPerVCpu = &ecs.MemoryGiBPerVCpuRequest{Min: ptr(64.0)}
	})))
	for _, n := range names(nil) {
		require.Regexp(t, `^m[5-9]`, n, "without requirements: general purpose, current generation")
	}
	require.Equal(t, ecs.InstanceGenerationPrevious, generationOf("m4.large"))
	require.Equal(t, ecs.InstanceGenerationCurrent, generationOf("t3.micro"))
	require.True(t, localStorageOf(ecs.InstanceType{Name: "m5d.large"}))
}

// TestManagedInstancesLaunchAndPlace: a service on a Managed Instances
// provider with no instance waits; ECS launches instances of the cheapest
// type that meets the requirements and holds the tasks, registers them in
// the cluster with the provider's name (and its tags, propagateTags
// CAPACITY_PROVIDER), and places the tasks on them with launch type
// MANAGED_INSTANCES (rule 172: "Amazon ECS Managed Instances auto scaling
// and task placement",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html).
func TestManagedInstancesLaunchAndPlace(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	miProvider(t, e, func(c *ecs.CreateManagedInstancesProviderConfiguration) {
		c.PropagateTags = ecs.PropagateMITagsCapacityProvider
		c.InstanceLaunchTemplate.InstanceRequirements.CPUManufacturers = []ecs.CpuManufacturer{ecs.CpuManufacturerIntel}
	})
	miTaskDef(t, e, "web", 1024, 1024)
	mustCreateService(t, e, "web", "web", 4)
	advance(e, time.Minute) // the evaluation sees 4 tasks waiting
	launching := managedInstances(t, e)
	require.NotEmpty(t, launching)
	for _, in := range launching {
		require.Empty(t, in.ContainerInstanceARN, "launching")
	}
	advance(e, 2*time.Minute)
	list := managedInstances(t, e)
	require.Equal(t, 2, len(list), "one subnet: two c5.large (2 vCPUs, 3.6 GiB) binpack four tasks of 1 vCPU and 1 GiB")
	for _, in := range list {
		require.Equal(t, "c5.large", in.InstanceType)
		require.NotEmpty(t, in.ContainerInstanceARN)
		require.Equal(t, "us-east-1a", in.AvailabilityZone, "the zone of the one subnet")
	}
	ci, err := e.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesRequest{ContainerInstances: []string{list[0].ContainerInstanceARN},
		Include: []ecs.ContainerInstanceField{ecs.ContainerInstanceFieldTags}})
	require.NoError(t, err)
	require.Equal(t, "mi", ci.ContainerInstances[0].CapacityProviderName)
	require.Equal(t, []ecs.Tag{{Key: "team", Value: "web"}}, ci.ContainerInstances[0].Tags)
	v, _ := attribute(ci.ContainerInstances[0], ecs.AttrInstanceType)
	require.Equal(t, "c5.large", v)

	advance(e, time.Minute)
	require.Equal(t, 4, describeService(t, e, "web").RunningCount)
	for _, tk := range serviceTasks(t, e, "web") {
		require.Equal(t, ecs.LaunchTypeManagedInstances, tk.LaunchType)
		require.Equal(t, "mi", tk.CapacityProviderName)
	}
}

// TestManagedInstancesCompatibility: a task definition without the
// MANAGED_INSTANCES compatibility cannot run on a Managed Instances
// provider (rule 170: "Amazon ECS task definitions for Amazon ECS Managed
// Instances",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-tasks-services.html).
func TestManagedInstancesCompatibility(t *testing.T) {
	e := newTestECS(t)
	miProvider(t, e, nil)
	taskDef(t, e, "ec2only", 256, 256)
	_, err := e.CreateService(context.Background(), &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "ec2only", DesiredCount: ptr(1)})
	require.ErrorContains(t, err, "does not support launch_type MANAGED_INSTANCES")
}

// TestManagedInstancesIdleScaleIn: once an instance has run no task for
// scaleInAfter seconds ECS deregisters and terminates it; with -1 it
// never does (rule 173: API InfrastructureOptimization,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InfrastructureOptimization.html;
// "Amazon ECS Managed Instances infrastructure optimization",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-infrastructure-optimization.html).
func TestManagedInstancesIdleScaleIn(t *testing.T) {
	for _, c := range []struct {
		name  string
		after *int
		gone  time.Duration // after the service scales to 0; 0: never
	}{
		{"default 300 s", nil, 6 * time.Minute},
		{"600 s", ptr(600), 11 * time.Minute},
		{"never", ptr(-1), 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			e := newTestECS(t)
			miProvider(t, e, func(cfg *ecs.CreateManagedInstancesProviderConfiguration) {
				if c.after != nil {
					cfg.InfrastructureOptimization = &ecs.InfrastructureOptimization{ScaleInAfter: c.after}
				}
			})
			miTaskDef(t, e, "web", 1024, 1024)
			mustCreateService(t, e, "web", "web", 1)
			advance(e, 4*time.Minute)
			require.Equal(t, 1, describeService(t, e, "web").RunningCount)
			require.Len(t, managedInstances(t, e), 1)
			arn := managedInstances(t, e)[0].ContainerInstanceARN
			_, err := e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(0)})
			require.NoError(t, err)
			advance(e, 2*time.Minute)
			require.Len(t, managedInstances(t, e), 1, "idle for less than scaleInAfter")
			limit := 30 * time.Minute
			if c.gone > 0 {
				limit = c.gone
			}
			advance(e, limit-2*time.Minute)
			if c.gone == 0 {
				require.Len(t, managedInstances(t, e), 1)
				return
			}
			require.Empty(t, managedInstances(t, e))
			ci, err := e.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesRequest{ContainerInstances: []string{arn}})
			require.NoError(t, err)
			require.Equal(t, "INACTIVE", ci.ContainerInstances[0].Status)
		})
	}
}

// TestManagedInstancesDaemons: a daemon on a Managed Instances provider
// runs one task on each instance ECS launches for it, before the
// application's tasks; an instance running only its daemon task is idle,
// and scaled in (rules 173, 174: docManagedDaemons).
func TestManagedInstancesDaemons(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	miProvider(t, e, func(c *ecs.CreateManagedInstancesProviderConfiguration) {
		c.InfrastructureOptimization = &ecs.InfrastructureOptimization{ScaleInAfter: ptr(60)}
	})
	td := daemonTD(t, e, "agent:1")
	_, err := e.CreateDaemon(ctx, &ecs.CreateDaemonRequest{DaemonName: "agent", DaemonTaskDefinitionARN: td, CapacityProviderARNs: []string{"mi"}})
	require.NoError(t, err)
	miTaskDef(t, e, "web", 1024, 1024)
	mustCreateService(t, e, "web", "web", 2)
	advance(e, 4*time.Minute)
	apps := serviceTasks(t, e, "web")
	require.Len(t, apps, 2)
	daemons := daemonTasks(t, e)
	require.Len(t, daemons, len(managedInstances(t, e)))
	for _, app := range apps {
		require.Equal(t, ecs.TaskStatusRunning, app.LastStatus)
		dt := daemons[app.ContainerInstanceARN]
		require.NotEmpty(t, dt.TaskARN, "the application task's instance runs the daemon")
		require.False(t, app.StartedAt.Before(dt.StartedAt.Time), "the daemon task runs first")
	}
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(0)})
	require.NoError(t, err)
	advance(e, 5*time.Minute)
	require.Empty(t, managedInstances(t, e), "instances running only daemon tasks are idle")
	require.Empty(t, daemonTasks(t, e))
}

// TestManagedInstancesRunTask: RunTask through a Managed Instances
// provider with no instance answers its tasks PROVISIONING (the shared
// waiting of provisioning.go, rule 156); ECS launches an instance for
// them and they run there (rule 172:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html).
func TestManagedInstancesRunTask(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	miProvider(t, e, nil)
	miTaskDef(t, e, "job", 512, 512)
	resp, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "job", Count: ptr(3)})
	require.NoError(t, err)
	require.Empty(t, resp.Failures)
	require.Len(t, resp.Tasks, 3)
	for _, tk := range resp.Tasks {
		require.Equal(t, ecs.TaskStatusProvisioning, tk.LastStatus)
		require.Equal(t, ecs.LaunchTypeManagedInstances, tk.LaunchType)
		require.Empty(t, tk.ContainerInstanceARN)
	}
	advance(e, 3*time.Minute)
	list := managedInstances(t, e)
	require.Len(t, list, 1, "one instance holds three tasks of half a vCPU")
	for _, tk := range resp.Tasks {
		got := describeTask(t, e, tk.TaskARN)
		require.Equal(t, ecs.TaskStatusRunning, got.LastStatus)
		require.Equal(t, list[0].ContainerInstanceARN, got.ContainerInstanceARN)
		require.Equal(t, ecs.LaunchTypeManagedInstances, got.LaunchType)
	}
}

// TestManagedInstancesSpot: a provider with capacityOptionType SPOT
// launches Spot Instances, which the Spot model interrupts; ECS drains
// the instance at the warning and replaces its tasks on a new instance
// (rules 175, 176:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InstanceLaunchTemplate.html).
func TestManagedInstancesSpot(t *testing.T) {
	e := newTestECS(t, WithSpotModel(SpotModel{EC2PerInstanceHour: 1}))
	miProvider(t, e, func(c *ecs.CreateManagedInstancesProviderConfiguration) {
		c.InstanceLaunchTemplate.CapacityOptionType = ecs.CapacityOptionTypeSpot
	})
	miTaskDef(t, e, "web", 1024, 1024)
	mustCreateService(t, e, "web", "web", 2)
	for range 12 * 60 {
		advance(e, time.Minute)
		if e.SpotStats().InstanceInterruptions > 0 {
			break
		}
	}
	require.Equal(t, 1, e.SpotStats().InstanceInterruptions)
	require.NoError(t, e.SetSpotModel(context.Background(), SpotModel{}))
	advance(e, 10*time.Minute)
	require.Equal(t, 2, describeService(t, e, "web").RunningCount, "the tasks run again on a new instance")
}

// TestManagedInstancesServed: CreateCapacityProvider with
// managedInstancesProvider over the ECS JSON protocol, and
// DescribeCapacityProviders answering it as ECS writes it.
func TestManagedInstancesServed(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	var out ecs.CreateCapacityProviderResponse
	c.call("CreateCapacityProvider", &ecs.CreateCapacityProviderRequest{Name: "mi", Cluster: "default", ManagedInstancesProvider: miConfig(nil)}, &out)
	require.Equal(t, ecs.CapacityProviderTypeManagedInstances, out.CapacityProvider.Type)
	bad := c.fail("CreateCapacityProvider", map[string]any{"name": "mi2", "cluster": "default", "managedInstancesProvider": map[string]any{
		"infrastructureRoleArn": miRole, "instanceLaunchTemplate": map[string]any{"ec2InstanceProfileArn": miProfile,
			"networkConfiguration": map[string]any{"subnets": []string{"subnet-1"}}, "monitoring": "OFTEN"}}})
	require.Equal(t, "InvalidParameterException", bad.Type)
	require.Contains(t, bad.Message, "managedInstancesProvider.instanceLaunchTemplate.monitoring")
}

// TestManagedInstancesSpreadZones: with subnets in three zones, ECS
// spreads a service's tasks over at least three instances in different
// zones before it binpacks them; with one subnet it binpacks (rule 172:
// "Amazon ECS Managed Instances auto scaling and task placement",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html).
func TestManagedInstancesSpreadZones(t *testing.T) {
	e := newTestECS(t)
	miProvider(t, e, func(c *ecs.CreateManagedInstancesProviderConfiguration) {
		c.InstanceLaunchTemplate.NetworkConfiguration.Subnets = []string{"subnet-a", "subnet-b", "subnet-c"}
	})
	miTaskDef(t, e, "web", 512, 512)
	mustCreateService(t, e, "web", "web", 3)
	advance(e, 4*time.Minute)
	list := managedInstances(t, e)
	require.Len(t, list, 3, "three tasks that one instance holds, spread over three")
	zones := map[string]bool{}
	for _, in := range list {
		zones[in.AvailabilityZone] = true
	}
	require.Len(t, zones, 3)
	require.Equal(t, 3, describeService(t, e, "web").RunningCount)
	perInstance := map[string]int{}
	for _, tk := range serviceTasks(t, e, "web") {
		perInstance[tk.ContainerInstanceARN]++
	}
	require.Len(t, perInstance, 3, "one task on each instance")
}

// TestManagedInstancesLeaveCluster: a Managed Instances provider taken off
// its cluster has its instances terminated, and can then be deleted (API
// PutClusterCapacityProviders and DeleteCapacityProvider,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCapacityProvider.html).
func TestManagedInstancesLeaveCluster(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	miProvider(t, e, func(c *ecs.CreateManagedInstancesProviderConfiguration) {
		c.InfrastructureOptimization = &ecs.InfrastructureOptimization{ScaleInAfter: ptr(-1)}
	})
	miTaskDef(t, e, "web", 512, 512)
	mustCreateService(t, e, "web", "web", 1)
	advance(e, 4*time.Minute)
	list := managedInstances(t, e)
	require.Len(t, list, 1)
	_, err := e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default", CapacityProviders: []string{}})
	require.ErrorContains(t, err, "in use", "a service uses it")
	_, err = e.DeleteService(ctx, &ecs.DeleteServiceRequest{Service: "web", Force: ptr(true)})
	require.NoError(t, err)
	advance(e, 2*time.Minute)
	_, err = e.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderRequest{CapacityProvider: "mi"})
	require.ErrorContains(t, err, "associated with cluster")
	_, err = e.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersRequest{Cluster: "default", CapacityProviders: []string{}})
	require.NoError(t, err)
	require.Empty(t, managedInstances(t, e))
	require.Equal(t, statusInactive, instanceStatus(t, e, list[0].ContainerInstanceARN))
	resp, err := e.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderRequest{CapacityProvider: "mi"})
	require.NoError(t, err)
	require.Equal(t, ecs.CapacityProviderStatusInactive, resp.CapacityProvider.Status)
}

// TestManagedInstancesAwsvpc: awsvpc tasks need an ENI each, and ECS
// accounts for the ENIs of the types it launches (rule 172: "ENI density
// considerations",
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html):
// small tasks that CPU and memory would put on one c5.large need as many
// instances as its two awsvpc tasks allow.
func TestManagedInstancesAwsvpc(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	miProvider(t, e, func(c *ecs.CreateManagedInstancesProviderConfiguration) {
		c.InstanceLaunchTemplate.InstanceRequirements.AllowedInstanceTypes = []string{"c5.large"}
	})
	_, err := e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{
		Family: "api", NetworkMode: ecs.NetworkModeAwsvpc, RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityManagedInstances},
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "nginx", CPU: 128, Memory: ptr(128), Essential: ptr(true)}},
	})
	require.NoError(t, err)
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "api", TaskDefinition: "api", DesiredCount: ptr(4),
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}}})
	require.NoError(t, err)
	for range 10 {
		advance(e, time.Minute)
	}
	require.Equal(t, 4, describeService(t, e, "api").RunningCount)
	require.Len(t, managedInstances(t, e), 2, "two awsvpc tasks on each c5.large (three ENIs, one the instance's)")
}

// TestManagedInstancesLaunchForEveryTask: the type ECS launches holds
// every waiting task, not only the one with the most CPU: a task of 4
// vCPUs and 1 GiB and one of 256 CPU units and 27 GiB both run after one
// launch, on instances with the memory of the second (rule 172: ECS
// launches the instances the waiting tasks need,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html).
func TestManagedInstancesLaunchForEveryTask(t *testing.T) {
	e := newTestECS(t)
	miProvider(t, e, nil)
	miTaskDef(t, e, "cpu", 4096, 1024)
	miTaskDef(t, e, "mem", 256, 27*1024)
	mustCreateService(t, e, "cpu", "cpu", 1)
	mustCreateService(t, e, "mem", "mem", 1)
	advance(e, time.Minute) // the evaluation sees both waiting
	first := managedInstances(t, e)
	require.NotEmpty(t, first)
	advance(e, 3*time.Minute)
	require.Equal(t, 1, describeService(t, e, "cpu").RunningCount)
	require.Equal(t, 1, describeService(t, e, "mem").RunningCount, "the first launch holds the task with the most memory too")
	for _, in := range first {
		typ, ok := e.catalog.Lookup(in.InstanceType)
		require.True(t, ok, in.InstanceType)
		require.GreaterOrEqual(t, typ.MemoryMiB, 27*1024, in.InstanceType)
	}
}
