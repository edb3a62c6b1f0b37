package capacity

import (
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// MaxScaleOutTasks is the most tasks one PlanScaleOut takes: ten times the
// quota of tasks waiting in PROVISIONING per cluster (rule 157), a bound on
// its memory and time.
const MaxScaleOutTasks = 5000

// MaxScaleOutInstances is the most instances a group of PlanScaleOut
// grows to: the quota of 5,000 container instances per cluster.
const MaxScaleOutInstances = 5000

// MaxScaleOutEvaluations is the most evaluations, one a virtual minute,
// PlanScaleOut runs before it gives up on a scale-out that goes on.
const MaxScaleOutEvaluations = 1000

// ScaleOutRun is what managed scaling does, evaluation after evaluation,
// to an Auto Scaling group from which tasks wait for capacity: the
// planned counterpart of a simulated scale-out.
type ScaleOutRun struct {
	// Desired lists the group's desired capacity after each scale-out,
	// in order.
	Desired []int
	// Instances is the group's instances at the end.
	Instances int
	// Placed and Waiting count the tasks placed at the end and those
	// still waiting (excluded ones, or past the group's maximum size).
	Placed, Waiting int
	// Evaluations is how many one-minute evaluations ran.
	Evaluations int
}

// PlanScaleOut plans how managed scaling of provider p grows a group of
// the instance types shapes from desired instances (all registered and
// empty), launching the first type (a mixed instances policy's
// prioritized strategy) while managed scaling estimates with all of them
// (rule 139: the largest figures give the fewest instances, a lower bound
// that later evaluations correct),
// while tasks wait in PROVISIONING for it (rule 156), with the model
// ecs/ecstest simulates: each minute the waiting tasks that fit take room
// on the group's instances, in order, first fit; then Decide evaluates
// the reservation with the tasks still waiting, and a scale-out's
// instances register at once (a launch takes less than the minute to the
// next evaluation). It stops when no task waits, when a scale-out is no
// longer possible (every waiting task excluded, or the group at maxSize),
// or after MaxScaleOutEvaluations. maxSize 0 or above
// MaxScaleOutInstances means MaxScaleOutInstances. More than
// MaxScaleOutTasks tasks, desired below 0 or above the maximum size, or
// no shape, are not taken: PlanScaleOut returns the zero ScaleOutRun.
//
// It places by first fit, where ECS places by the task's strategy: for
// identical tasks the instance counts agree; for mixed ones ECS's
// placement may need fewer or more instances than first fit.
func PlanScaleOut(p ecs.AutoScalingGroupProvider, shapes []InstanceShape, tasks []ecs.Resources, desired, maxSize int) ScaleOutRun {
	if maxSize <= 0 || maxSize > MaxScaleOutInstances {
		maxSize = MaxScaleOutInstances
	}
	if len(tasks) > MaxScaleOutTasks || desired < 0 || desired > maxSize || len(shapes) == 0 {
		return ScaleOutRun{}
	}
	shape := shapes[0]
	var run ScaleOutRun
	// The evaluations' clock; an instance launched at the zero time
	// counts as launched long ago (Instance.LaunchedAt).
	now := time.Time{}.Add(24 * time.Hour)
	free := make([]ecs.Resources, 0, desired)
	busy := make([]int, 0, desired) // tasks per instance
	for range desired {
		free, busy = append(free, fresh(shape)), append(busy, 0)
	}
	launched := make([]time.Time, desired)
	waiting := slices.Clone(tasks)
	var low int
	for range MaxScaleOutEvaluations {
		waiting = slices.DeleteFunc(waiting, func(r ecs.Resources) bool {
			for i := range free {
				if take(&free[i], r) {
					busy[i]++
					return true
				}
			}
			return false
		})
		if len(waiting) == 0 {
			break
		}
		run.Evaluations++
		st := ScalingState{Now: now, Provisioning: waiting, Shapes: shapes,
			DesiredCapacity: len(free), MaxSize: maxSize, LowDatapoints: low}
		for i := range free {
			st.Instances = append(st.Instances, Instance{LaunchedAt: launched[i], NonDaemonTasks: busy[i]})
		}
		d := Decide(p, st)
		low = d.LowDatapoints
		at := now
		now = now.Add(time.Minute)
		if d.Action != ScaleOut {
			if d.Estimate.AllExcluded || !providerScaling(p).Enabled || len(free) >= maxSize {
				break
			}
			continue // held by an instance's warm-up
		}
		for len(free) < d.Desired {
			free, busy, launched = append(free, fresh(shape)), append(busy, 0), append(launched, at)
		}
		run.Desired = append(run.Desired, d.Desired)
	}
	run.Instances, run.Waiting = len(free), len(waiting)
	run.Placed = len(tasks) - len(waiting)
	return run
}

// fresh returns what a fresh instance of shape offers tasks.
func fresh(s InstanceShape) ecs.Resources {
	return ecs.Resources{CPU: s.CPU, MemoryMiB: s.MemoryMiB, GPUs: s.GPUs, ENIs: s.ENIs,
		PortsTCP: slices.Clone(s.ReservedTCP), PortsUDP: slices.Clone(s.ReservedUDP)}
}

// take takes r from what an instance has left, f (whose ports are those
// taken), when it fits, and reports whether it did. A dimension r does
// not need is not checked: an instance type without an ENI figure runs
// tasks that need none.
func take(f *ecs.Resources, r ecs.Resources) bool {
	if r.CPU > f.CPU || r.MemoryMiB > f.MemoryMiB || r.GPUs > f.GPUs || r.ENIs > f.ENIs ||
		overlaps(r.PortsTCP, f.PortsTCP) || overlaps(r.PortsUDP, f.PortsUDP) {
		return false
	}
	f.CPU -= r.CPU
	f.MemoryMiB -= r.MemoryMiB
	f.GPUs -= r.GPUs
	f.ENIs -= r.ENIs
	f.PortsTCP = append(f.PortsTCP, r.PortsTCP...)
	f.PortsUDP = append(f.PortsUDP, r.PortsUDP...)
	return true
}
