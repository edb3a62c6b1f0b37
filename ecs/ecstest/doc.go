// Package ecstest provides an in-memory ECS control plane for tests, named
// like net/http/httptest: no AWS account, no Docker, deterministic when
// its clock is stopped. Its entry points: New returns an ECS, driven
// through methods named after the API's operations (CreateService,
// RunTask, ...); NewServer serves it over HTTP to the AWS SDKs and the aws
// CLI; ECS.Settle moves the clock until a service is steady, so that a
// test needs no polling loop. With aws-sdk-go-v2 (the nested module
// ecs/ecstest/sdktest has the whole program as its Example):
//
//	e := ecstest.New(ecstest.WithClock(ecstest.NewClock(t0, 0)))
//	srv := ecstest.NewServer(e)
//	defer srv.Close()
//	client := ecs.New(ecs.Options{Region: "us-east-1",
//		BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
//		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
//	client.CreateService(ctx, &ecs.CreateServiceInput{...})
//	e.Settle(ctx, "default", "web", time.Hour)
//
// An ECS holds one account and Region: the task definition registry of
// package ecs, clusters, container instances registered with a type, an
// Availability Zone and attributes (their resources taken from the
// instance type catalogue as the agent computes them), tasks, services,
// and capacity providers over simulated Auto Scaling groups. It is built
// from the library's own packages, not a second model: the placement
// package decides where tasks go, the deploy package's scheduler runs the
// services, and the capacity package validates strategies, divides tasks
// over providers and makes the managed scaling decisions. Its Go API is
// named after the API's operations (RunTask, CreateService,
// PutClusterCapacityProviders, ...) and fails with *ecs.APIError values of
// the API's exception types. Handler serves the same control plane over
// the ECS JSON protocol, and NewServer starts it on a loopback port for
// the AWS SDKs and the aws CLI.
//
// # Time
//
// A Clock runs at a speed times real time (DefaultSpeed, 60, unless told
// otherwise), or stands still at speed 0 and moves only when Advance moves
// it, or when a client posts to /_ecslocal/advance?seconds=N. Everything
// that happens later happens on it, in order of virtual time: a task's
// lifecycle, PROVISIONING → PENDING → ACTIVATING → RUNNING →
// DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED, with the delays of
// a Timing (WithTiming); health checks; the services' scheduler steps; and
// managed scaling's evaluation of each provider every minute.
//
// # Tasks
//
// RunTask places tasks with the placement engine on a snapshot of the
// cluster taken under the ECS's lock, so each task sees the ones before it
// and no instance is ever committed beyond what it registered; a task
// that does not fit is a failure naming each instance that turned it away
// and why (RESOURCE:MEMORY, RESOURCE:PORTS, ATTRIBUTE, ...). A task holds
// its instance's resources from its placement until it is STOPPED, and
// describe-container-instances shows what remains. StartTask places on
// named instances; StopTask stops with stop code UserInitiated.
//
// # Services
//
// Each service is run by a deploy.Driver whose Runtime is the cluster and
// whose Clock is the ECS's. A step runs when anything it looks at changes
// (its tasks, the cluster's instances, resources freed) and when a step
// asks to be woken (a task turns healthy, a back-off ends), always on the
// clock, under the ECS's lock, once everything else due at that instant
// has happened; what the step itself sets going does not wake it again.
// So rolling deployments, replacement of failed or unhealthy tasks, the
// circuit breaker and rollback, draining, and the service events are the
// deploy package's, as ECS would give them. OnServiceStep shows each
// step's state and result. A service of the EXTERNAL or CODE_DEPLOY
// deployment controller runs task sets instead (see Task sets below).
//
// # Load balancers and deployment strategies
//
// A service's loadBalancers are checked as CreateService checks them and
// simulated: target groups exist from their first use by ARN with ELB's
// defaults (PutTargetGroup changes them), a RUNNING task registers with
// each, turns healthy after one passing health check and unhealthy after
// unhealthyThresholdCount failed ones (SetTargetHealth makes them fail or
// pass; DescribeTargetHealth shows them), counts as healthy only when
// healthy in all, and drains for the deregistration delay before it
// stops (targets.go). The BLUE_GREEN, LINEAR and CANARY strategies run
// their lifecycle stages on the clock beside the deploy package's
// scheduler, which holds the blue tasks until the clean-up
// (deploy.State.Hold): lifecycle hooks whose Lambda outcome a test sets
// (SetHookOutcome) or that PAUSE until ContinueServiceDeployment, traffic
// shifted only to healthy green tasks, rollback on a failed hook, the
// circuit breaker or an alarm; ServiceTraffic shows the traffic split and
// the stages (strategy.go, strategy_run.go).
//
// # Faults
//
// A test injects what goes wrong through the Go API: InjectTaskFaults
// (tasks that fail to start, or fail their health checks), ExitContainer
// (an essential container exits with a code), SetHealth (health check
// results per task or per container), UpdateContainerInstancesState
// (draining), TerminateInstance, DisconnectAgent, InterruptSpotInstance
// (the two-minute EC2 Spot warning), InterruptFargateSpot, LoseZone (an
// Availability Zone is lost) and SetAlarm (a deployment alarm). What ECS
// does next follows from the scheduler. The same seed and the same calls
// give the same events.
//
// # Capacity
//
// CreateAutoScalingGroup adds a simulated Auto Scaling group; a capacity
// provider over it (CreateCapacityProvider) associated with a cluster
// (PutClusterCapacityProviders, or CreateCluster) launches its instances,
// which register through the RegisterContainerInstance path, and managed
// scaling (capacity.Driver) sets its desired capacity from the tasks the
// cluster's services are short of.
//
// # Loading a cluster
//
// LoadCluster starts a cluster as busy as a real one: it loads the
// container instances of a describe-container-instances output, their
// remainingResources authoritative for CPU, MEMORY, GPU, PORTS and
// PORTS_UDP as they are to the placement package's snapshots, with the
// tasks of a describe-tasks output that run on them, which hold what they
// take, count for their task groups and go on with their lifecycle until
// they are stopped. LoadContainerInstances loads the instances alone.
// LoadService then loads a service of a describe-services output with the
// task definitions its deployments run: it takes over the loaded tasks of
// its group and goes on from where it stands, in the middle of a
// deployment if it is in one. A whole rollout simulated this way is
// package rollout's Simulate.
//
// # Identifiers
//
// Container instance IDs (32 hex digits, in long-format ARNs), task IDs,
// EC2 instance IDs and request IDs derive from a seed (WithSeed), and so
// do the scheduler's task, deployment and event IDs: the same seed and
// the same operations give the same identifiers.
//
// # What is served
//
// Task definitions: RegisterTaskDefinition, DescribeTaskDefinition,
// DeregisterTaskDefinition, DeleteTaskDefinitions, ListTaskDefinitions,
// ListTaskDefinitionFamilies. Clusters: CreateCluster, DescribeClusters,
// ListClusters, DeleteCluster, UpdateCluster, UpdateClusterSettings.
// Container instances: RegisterContainerInstance,
// DeregisterContainerInstance, ListContainerInstances (its filter, a
// cluster query language expression, evaluated by the placement package's
// Snapshot.Match on the cluster as it is), DescribeContainerInstances,
// UpdateContainerInstancesState,
// PutAttributes, DeleteAttributes, ListAttributes. Tasks: RunTask,
// StartTask, StopTask, ListTasks, DescribeTasks, UpdateTaskProtection,
// GetTaskProtection. Services: CreateService, UpdateService,
// DeleteService, ListServices, DescribeServices, ListServiceDeployments,
// DescribeServiceDeployments, DescribeServiceRevisions,
// StopServiceDeployment, ContinueServiceDeployment. Capacity providers:
// CreateCapacityProvider, UpdateCapacityProvider, DeleteCapacityProvider,
// DescribeCapacityProviders, PutClusterCapacityProviders. Tags:
// TagResource, UntagResource, ListTagsForResource, on clusters, services,
// tasks, task definitions, container instances and capacity providers,
// with the tags services and RunTask propagate and the ECS managed tags.
// Account settings: PutAccountSetting, PutAccountSettingDefault,
// DeleteAccountSetting, ListAccountSettings; awsvpcTrunking gives the
// instances registered after it ENI trunking, containerInsights is the
// setting of new clusters, the others are stored and reported.
//
// Daemons: RegisterDaemonTaskDefinition, DescribeDaemonTaskDefinition,
// ListDaemonTaskDefinitions, DeleteDaemonTaskDefinition, CreateDaemon,
// UpdateDaemon, DeleteDaemon, DescribeDaemon, ListDaemons,
// ListDaemonDeployments, DescribeDaemonDeployments,
// DescribeDaemonRevisions. A daemon runs one task on each instance of its
// capacity providers (Managed Instances ones only, as ECS: others are an
// InvalidParameterException), placed when the
// instance registers, before any other task, and running before any
// other task there does; an instance whose daemon task stops is drained
// and replaced; a deployment drains drainPercent of the instances at a
// time and their replacements run the target revision, with a bake time,
// a circuit breaker and alarms that roll it back.
//
// Task sets: CreateTaskSet, UpdateTaskSet, DeleteTaskSet,
// DescribeTaskSets, UpdateServicePrimaryTaskSet, for services of the
// EXTERNAL and CODE_DEPLOY deployment controllers, which run no
// deployments of their own. Each task set keeps ⌈desiredCount × scale /
// 100⌉ tasks (its computedDesiredCount), started by its ID, run by the
// deploy package's scheduler on the cluster's live engine like every
// service's; it is STEADY_STATE once they all run healthy, PRIMARY when
// made so (the service then shows its task definition, launch and
// network), DRAINING when deleted until its tasks have stopped. A
// CODE_DEPLOY service starts with a PRIMARY task set at 100 percent and
// refuses a new task definition in UpdateService; a test drives it as
// CodeDeploy does, with the task set operations (the task sets it
// creates have startedBy CODE_DEPLOY).
//
// Every deployment a service's scheduler runs is recorded as ECS records
// a service deployment, with a service revision per configuration, and
// kept 90 days; tasks protected from scale-in are not chosen to stop by
// scale-in or deployments (deploy.StopFilter).
//
// Every other operation of the API answers 400 UnsupportedFeatureException
// saying so; none pretends to succeed.
package ecstest
