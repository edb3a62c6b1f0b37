package ecstest_test

import (
	"context"
	"math"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// world is a control plane with a cluster (the default one), an
	// instance, a task definition and a service of one task.
	world := func(opts ...func(*ecstest.Options)) *ecstest.ECS {
		e := ecstest.New(append(opts, ecstest.WithClock(ecstest.NewClock(t0, 0)))...)
		_, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "default"})
		require.NoError(t, err)
		_, err = e.LaunchInstance(ctx, "default", ecstest.Instance{InstanceType: "c5.large", AvailabilityZone: "us-east-1a"})
		require.NoError(t, err)
		memory, one := 256, 1
		_, err = e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{Family: "web",
			ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "nginx", Memory: &memory}}})
		require.NoError(t, err)
		_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "web", TaskDefinition: "web", DesiredCount: &one})
		require.NoError(t, err)
		e.Clock().Advance(time.Minute)
		return e
	}
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*ecstest.ECS](): {
				// Every stage of the task lifecycle as long as a duration
				// can be, on a clock far in the future.
				func() any {
					const forever = time.Duration(math.MaxInt64)
					e := world(ecstest.WithTiming(ecstest.Timing{Provisioning: forever, Pending: forever, Activating: forever,
						Deactivating: forever, Stopping: forever, Deprovisioning: forever, StopTimeout: forever}))
					e.Clock().Advance(forever)
					return e
				},
				func() any { return world() },
			},
			zerotest.TypeOf[*ecstest.Clock](): {func() any {
				c := ecstest.NewClock(t0, 0)
				c.AfterFunc(time.Second, func() {})
				return c
			}},
			zerotest.TypeOf[*ecstest.Timer](): {func() any {
				return ecstest.NewClock(t0, 0).AfterFunc(time.Second, func() {})
			}},
			zerotest.TypeOf[*ecstest.Server](): {func() any { return ecstest.NewServer(nil) }},
			zerotest.TypeOf[*http.Server]():    {func() any { return &http.Server{} }},
			zerotest.TypeOf[func(*ecstest.Options)](): {
				func() any { return ecstest.WithClock(&ecstest.Clock{}) },
				func() any { return ecstest.WithClock(nil) },
				func() any { return ecstest.WithCatalog(nil) },
				func() any { return ecstest.WithPrices(nil) },
				func() any {
					return ecstest.WithSpotModel(ecstest.SpotModel{EC2PerInstanceHour: math.NaN(), FargatePerTaskHour: -1})
				},
				func() any { return ecstest.WithLogger(nil) },
				func() any { return ecstest.WithSeed(math.MaxUint64) },
				func() any { return ecstest.WithRegion("") },
				func() any {
					return ecstest.WithQuotas(ecstest.Quotas{ClustersPerRegion: -1, TasksPerService: math.MaxInt64})
				},
			},
			zerotest.TypeOf[func(*ecstest.HandlerOptions)](): {
				func() any { return ecstest.MaxRequests(-1, math.MaxInt64) },
				func() any { return ecstest.MaxRequests(math.MaxInt64, -1) },
				func() any { return ecstest.AllowHosts("", "\x00") },
			},
			zerotest.TypeOf[func(*ecstest.ServerOptions)](): {
				func() any {
					return ecstest.WithTimeouts(ecstest.Timeouts{ReadHeader: -1, Read: math.MaxInt64, Idle: math.MinInt64})
				},
				func() any { return ecstest.WithHandlerOptions(nil, ecstest.MaxRequests(0, 0)) },
			},
		},
		Funcs: []any{
			ecstest.AllowHosts,
			(*ecstest.Clock).Advance,
			(*ecstest.Clock).AdvanceTo,
			(*ecstest.Clock).AfterFunc,
			(*ecstest.Clock).At,
			(*ecstest.Clock).Close,
			(*ecstest.Clock).Next,
			(*ecstest.Clock).Now,
			(*ecstest.Clock).SetSpeed,
			(*ecstest.Clock).Speed,
			(*ecstest.Clock).Wait,
			(*ecstest.ECS).Account,
			(*ecstest.ECS).Catalog,
			(*ecstest.ECS).Clock,
			(*ecstest.ECS).Close,
			(*ecstest.ECS).ListScalableTargetTags,
			(*ecstest.ECS).TagScalableTarget,
			(*ecstest.ECS).UntagScalableTarget,
			(*ecstest.ECS).DeleteMetricAlarm,
			(*ecstest.ECS).DeleteScalingPolicy,
			(*ecstest.ECS).DeleteScheduledAction,
			(*ecstest.ECS).DeregisterScalableTarget,
			(*ecstest.ECS).DescribeScalableTargets,
			(*ecstest.ECS).DescribeScalingActivities,
			(*ecstest.ECS).DescribeScalingPolicies,
			(*ecstest.ECS).DescribeScheduledActions,
			(*ecstest.ECS).Metrics,
			(*ecstest.ECS).PutMetricAlarm,
			(*ecstest.ECS).PutScalingPolicy,
			(*ecstest.ECS).PutScheduledAction,
			(*ecstest.ECS).RegisterScalableTarget,
			(*ecstest.ECS).SetLoad,
			(*ecstest.ECS).ContinueServiceDeployment,
			(*ecstest.ECS).CreateAutoScalingGroup,
			(*ecstest.ECS).CreateCapacityProvider,
			(*ecstest.ECS).CreateCluster,
			(*ecstest.ECS).CreateDaemon,
			(*ecstest.ECS).CreateExpressGatewayService,
			(*ecstest.ECS).CreateService,
			(*ecstest.ECS).CreateTaskSet,
			(*ecstest.ECS).DeleteAccountSetting,
			(*ecstest.ECS).DeleteAttributes,
			(*ecstest.ECS).DeleteCapacityProvider,
			(*ecstest.ECS).DeleteCluster,
			(*ecstest.ECS).DeleteDaemon,
			(*ecstest.ECS).DeleteDaemonTaskDefinition,
			(*ecstest.ECS).DeleteExpressGatewayService,
			(*ecstest.ECS).DeleteRule,
			(*ecstest.ECS).DeleteService,
			(*ecstest.ECS).DeleteTaskDefinitions,
			(*ecstest.ECS).DeleteTaskSet,
			(*ecstest.ECS).DeregisterContainerInstance,
			(*ecstest.ECS).DeregisterTaskDefinition,
			(*ecstest.ECS).DescribeAutoScalingGroup,
			(*ecstest.ECS).DescribeCapacityProviders,
			(*ecstest.ECS).DescribeClusters,
			(*ecstest.ECS).DescribeContainerInstances,
			(*ecstest.ECS).DescribeDaemon,
			(*ecstest.ECS).DescribeDaemonDeployments,
			(*ecstest.ECS).DescribeDaemonRevisions,
			(*ecstest.ECS).DescribeDaemonTaskDefinition,
			(*ecstest.ECS).DescribeExpressGatewayService,
			(*ecstest.ECS).DescribeServiceDeployments,
			(*ecstest.ECS).DescribeServiceRevisions,
			(*ecstest.ECS).DescribeRule,
			(*ecstest.ECS).DescribeServices,
			(*ecstest.ECS).DescribeTargetHealth,
			(*ecstest.ECS).DescribeTaskDefinition,
			(*ecstest.ECS).DescribeTaskSets,
			(*ecstest.ECS).DescribeTasks,
			(*ecstest.ECS).DisconnectAgent,
			(*ecstest.ECS).DisableRule,
			(*ecstest.ECS).DiscoverPollEndpoint,
			(*ecstest.ECS).DiscoveryInstances,
			(*ecstest.ECS).EnableRule,
			(*ecstest.ECS).ExecuteCommand,
			(*ecstest.ECS).ExitContainer,
			(*ecstest.ECS).GetTaskProtection,
			(*ecstest.ECS).Handler,
			(*ecstest.ECS).HookInvocations,
			(*ecstest.ECS).InRegion,
			(*ecstest.ECS).InjectTaskFaults,
			(*ecstest.ECS).InterruptFargateSpot,
			(*ecstest.ECS).InterruptSpotInstance,
			(*ecstest.ECS).LaunchInstance,
			(*ecstest.ECS).ListAccountSettings,
			(*ecstest.ECS).ListAttributes,
			(*ecstest.ECS).ListClusters,
			(*ecstest.ECS).ListContainerInstances,
			(*ecstest.ECS).ListDaemonDeployments,
			(*ecstest.ECS).ListDaemonTaskDefinitions,
			(*ecstest.ECS).ListDaemons,
			(*ecstest.ECS).ListRules,
			(*ecstest.ECS).ListServiceDeployments,
			(*ecstest.ECS).ListServices,
			(*ecstest.ECS).ListServicesByNamespace,
			(*ecstest.ECS).ListTagsForResource,
			(*ecstest.ECS).ListTargetsByRule,
			(*ecstest.ECS).ListTaskDefinitionFamilies,
			(*ecstest.ECS).ListTaskDefinitions,
			(*ecstest.ECS).ListTasks,
			(*ecstest.ECS).LoadCluster,
			(*ecstest.ECS).LoadContainerInstances,
			(*ecstest.ECS).LoadService,
			(*ecstest.ECS).LoseZone,
			(*ecstest.ECS).ManagedInstances,
			(*ecstest.ECS).OnReset,
			(*ecstest.ECS).OnServiceStep,
			(*ecstest.ECS).PutAccountSetting,
			(*ecstest.ECS).PutAccountSettingDefault,
			(*ecstest.ECS).PutAttributes,
			(*ecstest.ECS).PutClusterCapacityProviders,
			(*ecstest.ECS).PutRule,
			(*ecstest.ECS).PutTargets,
			(*ecstest.ECS).PutTargetGroup,
			(*ecstest.ECS).ReconnectAgent,
			(*ecstest.ECS).Region,
			(*ecstest.ECS).RegisterContainerInstance,
			(*ecstest.ECS).RegisterDaemonTaskDefinition,
			(*ecstest.ECS).RegisterTaskDefinition,
			(*ecstest.ECS).Registry,
			(*ecstest.ECS).Reset,
			(*ecstest.ECS).RemoveTargets,
			(*ecstest.ECS).RestoreZone,
			(*ecstest.ECS).RuleInvocations,
			(*ecstest.ECS).RunTask,
			(*ecstest.ECS).ServiceTraffic,
			(*ecstest.ECS).SetAlarm,
			(*ecstest.ECS).SetDiscoveryHealth,
			(*ecstest.ECS).SetDesiredCapacity,
			(*ecstest.ECS).SetHealth,
			(*ecstest.ECS).SetHookOutcome,
			(*ecstest.ECS).SetSpotModel,
			(*ecstest.ECS).SetTargetHealth,
			(*ecstest.ECS).Settle,
			(*ecstest.ECS).SpotModel,
			(*ecstest.ECS).SpotStats,
			(*ecstest.ECS).StartTask,
			(*ecstest.ECS).StopServiceDeployment,
			(*ecstest.ECS).StopTask,
			(*ecstest.ECS).SubmitAttachmentStateChanges,
			(*ecstest.ECS).SubmitContainerStateChange,
			(*ecstest.ECS).SubmitTaskStateChange,
			(*ecstest.ECS).TagResource,
			(*ecstest.ECS).Tasks,
			(*ecstest.ECS).TerminateInstance,
			(*ecstest.ECS).UntagResource,
			(*ecstest.ECS).UpdateCapacityProvider,
			(*ecstest.ECS).UpdateCluster,
			(*ecstest.ECS).UpdateClusterSettings,
			(*ecstest.ECS).UpdateContainerAgent,
			(*ecstest.ECS).UpdateContainerInstancesState,
			(*ecstest.ECS).UpdateDaemon,
			(*ecstest.ECS).UpdateExpressGatewayService,
			(*ecstest.ECS).UpdateService,
			(*ecstest.ECS).UpdateServicePrimaryTaskSet,
			(*ecstest.ECS).UpdateTaskProtection,
			(*ecstest.ECS).UpdateTaskSet,
			ecstest.New,
			ecstest.NewClock,
			ecstest.NewServer,
			(*ecstest.Server).Client,
			(*ecstest.Server).Close,
			ecstest.Timeouts.Apply,
			(*ecstest.Timer).Stop,
			(*ecstest.Timer).When,
			ecstest.WithCatalog,
			ecstest.WithClock,
			ecstest.WithHandlerOptions,
			ecstest.WithLogger,
			ecstest.WithPrices,
			ecstest.WithQuotas,
			ecstest.WithSpotModel,
			ecstest.WithStrictRequests,
			ecstest.WithTimeouts,
			ecstest.WithTiming,
		},
	})
}
