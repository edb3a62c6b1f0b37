package ecstest

import (
	"maps"
	"slices"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// live is what a cluster keeps current as things happen, so that a
// scheduler step costs what the step touches, never the size of the
// cluster (as kube-scheduler's cache keeps its nodes): one placement
// engine holding every task that holds an instance's resources, the
// instances as a scheduler step reads them, the services
// waiting for room, and the Fargate tasks per group and zone. A task
// changes the engine, never the instances as a step reads them
// (registered).
//
// The engine and the instances are dropped when an instance
// comes, goes or changes (its status, attributes or agent), which is
// rare, and built again from the cluster when next needed; between those
// times tasks change them one at a time.
type live struct {
	eng *placement.Engine // nil: build it again (engine)

	desc []ecs.ContainerInstance // registered; nil: build again

	// starved holds the services whose last step left tasks unplaced:
	// resources freed anywhere in the cluster may let them place, so a
	// task that stops wakes them, and no other service.
	starved map[string]*service

	// fargate counts the Fargate tasks that are not STOPPED, by group
	// and zone, for fargateZone; nil: count again.
	fargate map[string]map[string]int
}

// invalidate drops what an instance's change makes out of date: the
// engine, the described instances and the Fargate counts, built again
// when next needed. e.mu must be held.
func (cl *cluster) invalidate() {
	cl.live.eng = nil
	cl.live.desc = nil
	cl.live.fargate = nil
}

// engine returns the cluster's placement engine, building it from the
// cluster's instances and the tasks that hold their resources when it was
// dropped. Each task the engine holds learns its ID there, for Stop and
// Hold. e.mu must be held.
func (e *ECS) engine(cl *cluster) (*placement.Engine, error) {
	if cl.live.eng != nil {
		return cl.live.eng, nil
	}
	snap, err := e.snapshot(cl)
	if err != nil {
		return nil, err
	}
	eng := placement.NewEngine(snap)
	for _, ts := range eng.Tasks() {
		if tk := cl.tasks[taskIDOf(ts.TaskARN)]; tk != nil {
			tk.eng, tk.engID = eng, ts.Task
		}
	}
	cl.live.eng = eng
	return eng, nil
}

// placed records that the cluster's engine holds tk as its task id.
func (tk *task) placed(eng *placement.Engine, id placement.TaskID) {
	tk.eng, tk.engID = eng, id
}

// holdInEngine takes a task asked to stop out of its group in the
// engine: it keeps what it took until it has stopped. e.mu must be held.
func (cl *cluster) holdInEngine(tk *task) {
	if tk.eng != nil && tk.eng == cl.live.eng {
		if err := tk.eng.Hold(tk.engID); err != nil {
			cl.invalidate() // the engine disagrees with the cluster: build it again
		}
	}
}

// stopInEngine frees in the engine what a STOPPED task held. e.mu must be
// held.
func (cl *cluster) stopInEngine(tk *task) {
	if tk.eng != nil && tk.eng == cl.live.eng {
		if err := tk.eng.Stop(tk.engID); err != nil {
			cl.invalidate()
		}
	}
	tk.eng = nil
}

// registered returns the cluster's container instances, INACTIVE ones
// included, in order of ARN, as they registered and stand now: ARN,
// status, agent, attributes and registered resources, without what
// their tasks take (no remainingResources, no task counts), which only
// the cluster's engine keeps current. It is what a scheduler step reads
// of the instances (deploy.Observation.Instances): the same slice each
// time until an instance changes. The caller must not change it or keep
// it past the lock. e.mu must be held.
func (e *ECS) registered(cl *cluster) []ecs.ContainerInstance {
	if cl.live.desc == nil {
		ids := slices.Sorted(maps.Keys(cl.instances))
		cl.live.desc = make([]ecs.ContainerInstance, len(ids))
		for i, id := range ids {
			cl.live.desc[i] = *asRegistered(cl.instances[id])
		}
	}
	return cl.live.desc
}

// asRegistered returns a copy of the container instance as it
// registered and stands now, without what its tasks take. The copy
// shares its lists with the instance, which replaces a list when it
// changes, never its elements: a change to an instance drops the copies
// (cluster.invalidate), and they are only read.
func asRegistered(inst *instance) *ecs.ContainerInstance {
	c := inst.ci
	c.RemainingResources = nil
	c.Attachments = nil
	return &c
}

// fargateCount returns the Fargate tasks of the cluster that are not
// STOPPED, by group and zone, counting them the first time. e.mu must be
// held.
func (cl *cluster) fargateCount() map[string]map[string]int {
	if cl.live.fargate == nil {
		cl.live.fargate = map[string]map[string]int{}
		for _, tk := range cl.tasks {
			if tk.onFargate() && !tk.stopped() {
				cl.countFargate(tk, 1)
			}
		}
	}
	return cl.live.fargate
}

// countFargate adds delta to the count of tk's group and zone, when the
// counts are kept. e.mu must be held.
func (cl *cluster) countFargate(tk *task, delta int) {
	if cl.live.fargate == nil {
		return
	}
	byZone := cl.live.fargate[tk.t.Group]
	if byZone == nil {
		byZone = map[string]int{}
		cl.live.fargate[tk.t.Group] = byZone
	}
	byZone[tk.t.AvailabilityZone] += delta
}
