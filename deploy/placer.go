package deploy

import (
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Placer is what the service scheduler needs from placement: where new
// tasks go and which tasks go first on scale-in, decided on the cluster
// snapshot taken for one step. Step decides how many tasks to start and
// stop; the Placer decides where, and never the other way round.
//
// A Placer is a session over one snapshot: the tasks one Place call places
// take room that later calls in the same step see. Build a new one for each
// step (the Driver does, through its NewPlacer function). PlacementPlacer
// adapts the placement package's engine.
type Placer interface {
	// Place places the tasks r names, in order, and reports where each one
	// went. Tasks that fit nowhere are left out of the result, whose Event
	// then says why in the words of ECS's service event. An error means
	// the request itself is wrong (an invalid strategy or constraint).
	Place(r PlaceRequest) (PlaceResult, error)
	// Eligible returns the ARNs of the container instances that may run a
	// task of r at all: ACTIVE, agent connected, and meeting the task's
	// required attributes and every placement constraint, whatever room
	// they have left. The DAEMON scheduler keeps one task on each.
	Eligible(r PlaceRequest) ([]string, error)
	// Zones returns the Availability Zones of the instances Eligible
	// returns, each once, in any order: the zones Availability Zone
	// rebalancing balances the service's tasks over (rule 105).
	Zones(r PlaceRequest) ([]string, error)
	// SelectStop chooses r.Count of r.Candidates to stop, by the
	// scale-in rule of r.Strategy (the default service rule when it is
	// empty), and returns their ARNs in the order they should stop. The
	// tasks chosen are on their way out for the rest of the step: later
	// choices and placements balance without them.
	SelectStop(r StopRequest) ([]string, error)
}

// StopFilter is a Placer that keeps some tasks from being chosen to stop:
// ECS's task scale-in protection (UpdateTaskProtection), which ecstest's
// placer implements. Step then chooses none of the tasks Keep reports,
// neither on scale-in nor among the surplus tasks of a deployment nor to
// rebalance Availability Zones: the service runs above its desired count,
// or the deployment waits, until they are no longer kept. Tasks that are
// not healthy, failed their health checks or run on a draining instance
// are stopped all the same, as they are without a choice.
type StopFilter interface {
	Placer
	// Keep reports whether the task must not be chosen to stop.
	Keep(taskARN string) bool
}

// PlaceRequest asks a Placer to place tasks of one service deployment.
type PlaceRequest struct {
	// Service is the service's name; its tasks form the task group
	// service:<Service>, and it names the service in the failure event.
	Service string
	// TaskDefinition is the deployment's task definition.
	TaskDefinition *ecs.TaskDefinition
	// TaskARNs names the tasks to place, one ARN a task.
	TaskARNs []string
	// Instances, when not empty, pins task k to container instance
	// Instances[k]: the DAEMON scheduler's one task per instance. A task
	// that does not fit its instance is left unplaced.
	Instances []string
	// AvailabilityZone, when set, limits the tasks to instances in that
	// Availability Zone: Availability Zone rebalancing's start (rule
	// 105). A task that fits none there is left unplaced.
	AvailabilityZone string
	// Strategy and Constraints are the service's placement strategy
	// chain and placement constraints.
	Strategy    []ecs.PlacementStrategy
	Constraints []ecs.PlacementConstraint
	// LaunchType and CapacityProviderStrategy are the service's.
	LaunchType               ecs.LaunchType
	CapacityProviderStrategy []ecs.CapacityProviderStrategyItem
	// Seed seeds the random strategy and tie breaks.
	Seed uint64
}

// PlaceResult is where a Placer put the tasks of a PlaceRequest.
type PlaceResult struct {
	// Placed lists the tasks that found a place, in request order.
	Placed []PlacedTask
	// Event, when some task found no place, is the service event ECS
	// writes for it: "(service X) was unable to place a task because no
	// container instance met all of its requirements. ...".
	Event string
}

// PlacedTask is where one task goes.
type PlacedTask struct {
	TaskARN string
	// EngineTask is the task's ID in the placement engine that placed it
	// (placement.Placement.Task), for a runtime that keeps that engine
	// (EnginePlacer) and stops the task in it once the task has stopped.
	// It means nothing on Fargate or for a Placer of another kind.
	EngineTask           placement.TaskID
	ContainerInstanceARN string // empty on Fargate
	AvailabilityZone     string
	CapacityProvider     string
	// Containers are the task's containers with the host ports placement
	// gave them (networkBindings), in bridge and host network modes.
	Containers []ecs.Container
}

// StopRequest asks a Placer which tasks to stop first.
type StopRequest struct {
	Service    string
	Strategy   []ecs.PlacementStrategy
	Candidates []string // task ARNs, each in the snapshot
	Count      int
	// Seed seeds the random strategy.
	Seed uint64
}
