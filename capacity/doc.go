// Package capacity models where ECS tasks get their capacity: launch types
// and capacity provider strategies, how a strategy's base and weights divide
// a service's tasks, what Fargate costs, and how managed scaling sizes an
// Auto Scaling group provider. Its entry points: NewPlanner and
// Planner.Plan (how many instances of which type a set of services needs),
// NewSplitter (a strategy's division of tasks over providers) and Decide
// (managed scaling's decision). Everything here is a pure function of its
// inputs, or a small value that carries counts forward; the one effect,
// setting an Auto Scaling group's desired capacity, goes through the Scaler
// interface the caller implements.
//
// # Vocabulary
//
//   - Launch type: EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES, given
//     instead of a strategy. Resolve applies the rules: a launch type and a
//     strategy together are refused; neither means the cluster's default
//     strategy; a cluster without one falls back to the EC2 launch type.
//   - Capacity provider: FARGATE and FARGATE_SPOT, which ECS reserves, or
//     a provider the account created over an Auto Scaling group.
//   - Strategy: up to 20 items {capacityProvider, base, weight}. Only one
//     item may have a base (0–100000); weights are 0–1000, and with more
//     than one item at least one must be above 0. A strategy cannot mix
//     Fargate and Auto Scaling group providers, nor name a provider twice.
//     StrategyProblems lists what the API would refuse.
//   - Split: the division of a service's tasks over the items. The base
//     first; then task k of the rest goes to the item with the largest
//     w·k/W − r (its weight share of k minus the tasks it has beyond its
//     base), ties to the earlier item. Split (and Splitter.Take) gives
//     what that rule gives task by task at a cost that does not grow with
//     the number of tasks. A Splitter carries the counts, so a
//     scale-out continues the split. Place checks each task against the
//     room its provider has and reports the ones that found none, as ECS
//     does; a what-if run shows where they would have gone.
//   - Fargate size and price: a task size is a valid cpu/memory pair (the
//     table is ecs.FargateSizes); its price per hour is vCPUs × (vCPU-hour
//     rate + OS licence) + GB × GB-hour rate, from a PriceTable
//     (DefaultPrices, or LoadPrices for another region or date).
//     CheapestFargate picks the cheapest size that holds given needs.
//   - Spot interruption: a SpotInterruption event marks a FARGATE_SPOT task
//     stopped with stop code SpotInterruption, two minutes' warning.
//   - Managed scaling: each minute ECS computes M, the instances the
//     provider needs, and N, those it runs; the metric
//     CapacityProviderReservation is M/N × 100, and the group is sized to
//     ⌈M × 100 / targetCapacity⌉ instances, a scale-out clamped to the
//     minimum and maximum scaling step sizes and held while an instance
//     warms up, a scale-in after 15 low datapoints and, with managed
//     termination protection, of empty instances only. The provider's
//     settings are the API's own shapes, ecs.AutoScalingGroupProvider and
//     ecs.ManagedScaling, checked by ProviderProblems; ScalingDefaults
//     resolves their optional members into a ScalingParams, the plain
//     values the decision functions (ScaleOutStep, DesiredInstances) take.
//   - Capacity plan: for each instance type, the fewest container
//     instances per Availability Zone on which the placement package
//     places a set of services (Workload, WorkloadFor) in every phase
//     Check runs; then the monthly cost of each option (EC2, EC2_SPOT,
//     FARGATE, FARGATE_SPOT) and the cheapest. A Planner does it.
//
// # Pipeline of managed scaling
//
//	ecs.AutoScalingGroupProvider ──ScalingDefaults──▶ ScalingParams ──┐
//	ScalingState ──EstimateNeeds──▶ Estimate (M, N, excluded tasks) ──┤
//	                                                                   └─Decide─▶ Decision ──Apply──▶ Scaler.SetDesiredCapacity
//	(Driver.Step carries the low datapoints between evaluations)
//
// # Capacity planning
//
//	[]Workload ──prepare──▶ daemons first, then replicas largest task first
//	           (a desired count above MaxTasksPerService, 5,000, refused)
//	for each instance type, Parallelism at a time (errgroup):
//	  probe: one instance per zone; does each task fit at all?
//	then, for each type, on Planner.Instances(counts) through placement:
//	  lower bound (CPU, memory, GPUs, ENIs, static ports; daemons taken off)
//	  ──▶ the least n per zone that passes ──▶ trim: each zone, last first,
//	      to the least that passes, until no zone can lose an instance
//	  ──▶ with SurviveZoneLoss, fewest: the counts of each smaller total
//	      that can survive, most balanced first, until a total where
//	      none passes (bounded; a plan note where the bound stops it)
//	  ──▶ TypePlan{Counts, utilisation, on-demand and Spot cost}
//	options: cheapest TypePlan on demand (EC2) and at Spot (EC2_SPOT),
//	         Fargate and Fargate Spot ──▶ Recommended
//	finish: MixedTypes ──▶ each group of services by task shape planned
//	        alone; a cheaper combination of types replaces EC2/EC2_SPOT
//	        MinOnDemandShare ──▶ the Spot options partly on demand
//	        the recommended option on Spot   ──▶ SpotRisks, Warnings
//
// A check places, on a fresh snapshot of the instances, each daemon on
// every instance (an instance its constraints exclude is not the
// daemon's), then every replica service at its desired count (one
// placement request per service), then, on top of that steady state and
// removed again, Headroom more tasks of the service with the largest
// task, then each service's deployment surge, one service at a time:
// ⌊desired × maximumPercent / 100⌋ tasks live at once (rule 117; 200 when
// unset, a full second set for blue/green, linear, canary and CodeDeploy
// deployments; never more than twice the desired count). Every placement
// goes through placement.Engine with the service's strategy and
// constraints. With SurviveZoneLoss, each zone's loss is one more such
// phase: the tasks of the other zones stay where the steady state put
// them, and each service's missing tasks (to its minimum healthy count,
// or its desired count) are placed on the other zones' instances, as ECS
// replaces the tasks of a draining instance (rule 167).
//
// The searches for the least n, and for the least count of a zone, take
// whether a count passes to grow with the count, and go by estimates: a
// failed check says how many tasks each phase it placed left unplaced,
// and a passed one, placing up to 16 instances' worth more tasks of
// each, how much room each left; per phase, a line through the nearest
// two points gives the count where it would pass, the highest of them is
// the next count to check, and a step that halves the interval replaces
// an estimate the check contradicts, so that a search takes a few checks
// near the answer and never more than a binary search's order. While
// searching, a check places on top of the steady state only four
// critical phases (of those that failed in some check, the ones that
// failed last, which a failing check meets first); the n found and the
// trimmed counts are checked with every phase, and a phase that fails
// there becomes critical and the search goes on. A plan's outcomes are
// kept by counts, so no counts are placed twice, and the instances of a
// type are built once and shared by its checks. A plan's cost is the
// checks it runs, each placing the tasks of the workloads once on its
// instances; its memory, beyond the instances of the largest count
// checked, is what placement holds for the tasks of one check.
//
// The planner's choices, where ECS leaves the answer open:
//
//   - Steady state order: a real cluster's state depends on the order in
//     which services scaled; the planner places the largest tasks first
//     (most memory, then CPU), which packs best. Headroom covers worse
//     orders.
//   - Instances: Linux, ACTIVE, with the agent's registration (the type's
//     CPU units, its registered memory, the default reserved ports) and
//     every capability the task definitions need, as an up-to-date
//     ECS-optimized AMI has. A task definition that names a CPU
//     architecture runs only on types of it; one that names none only on
//     x86_64 types (ECS's default X86_64); a Windows task on none.
//   - Minimality is per zone count: removing any one instance fails, but
//     a zone may end with none when the strategy does not need it (a
//     binpacked service fits in one zone).
//   - A workload no type can run is left out of every type's plan and
//     reported; a type that cannot run a workload another type can has
//     no plan.
//   - Costs are for HoursPerMonth hours. EC2 prices are per instance
//     from the PriceTable; the embedded table has no EC2 Spot prices, so
//     EC2_SPOT is reported without a cost rather than with an invented
//     one. Fargate costs each replica service's desired count at the
//     cheapest Fargate size that holds its task: the steady state only,
//     since a deployment's surge is billed by the second while it lasts
//     and Fargate needs no headroom; daemons have no Fargate form and are
//     left out; a task that needs a GPU, or more than the largest size,
//     cannot run there. Recommended is the cheapest priced option that
//     runs every replica service.
//
// BenchmarkPlan plans 50 services (two of them daemons; bridge, awsvpc
// and host-port tasks; spread, binpack and default strategies) over 5
// instance types in 3 zones: 30 placements of the whole workload a plan
// (64 with the doubling and binary searches the estimates replaced),
// 40–70 ms of CPU (98–124 before) on a shared 2-vCPU VM (Go 1.26).
// BenchmarkPlanTestdata5000 (examples/ecsplan's services at 5,000 tasks
// each, 3 types) takes 24 checks, about 1 s and 1.8 s of CPU a plan, 460
// MB allocated (82 checks, 8–14 s of CPU and 2.9 GB before);
// BenchmarkPlanLarge (100 services, 100,000 tasks, 5 types, 122,064
// instances in all) 57 checks, 38 s of CPU, 8.3 GB allocated (157, 166 s
// and 26 GB before). Nearly all of a plan's time is placement's: a check
// places its tasks one request per service, and undoes each surge task
// by task.
//
// # Sources and assumptions
//
// The rules are 130 to 143, restated with their sources in the module's
// RULES.md, and rules 59 and 67 (ecs/RULES.md). Where ECS documents nothing,
// this package makes these assumptions:
//
//   - The split's rounding (open point 7): the largest-deficit rule above,
//     which gives B, B, A, B, B for A weight 1 and B weight 4.
//   - An item "has a base" when its base is above 0; an item with an
//     explicit base of 0 is not counted against the one-base rule.
//   - With no launch type, no strategy and no cluster default, ECS uses
//     the EC2 launch type (Open point 12).
//   - The reservation with no instance running is 100 when nothing is
//     needed and 200 otherwise; M counts the instances that run a
//     non-daemon task plus those the waiting tasks need, estimated by
//     binpacking each group of identical tasks onto the largest instance
//     shape and taking the largest count (Open point 9, after the AWS blog
//     "Deep dive on Amazon ECS cluster auto scaling").
//   - Managed scaling whose status is absent is DISABLED; managed
//     termination protection without managed scaling protects nothing.
//
// # The API's messages
//
// Errors are *ecs.APIError values of type InvalidParameterException that
// wrap ecs.ErrInvalid. Three messages are the API's own, as users quoted
// them from real InvalidParameterException errors: a launch type with a
// strategy ("Specifying both a launch type and capacity provider strategy
// is not supported. ..."), a mix of Fargate and Auto Scaling group
// providers ("A capacity provider strategy cannot contain a mix of ..."),
// and a cluster default strategy whose weights are all 0 ("There are no
// capacity providers with a weight value greater than zero defined in the
// default capacity provider strategy. ..."). The message for a provider the
// cluster lacks was quoted as ECS's in a third-party source. Two are the
// developer guide's sentences, not seen as error texts: at most 20
// providers, and one base. The all-zero message for a request's own
// strategy adapts the default strategy's. Out-of-range numbers use the
// AWS front end's "1 validation error detected: ..." form. The message for
// a duplicate provider and the refusal of the MANAGED_INSTANCES launch type
// are written in the API's style; their texts are not ECS's.
package capacity
