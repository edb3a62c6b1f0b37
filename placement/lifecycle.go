package placement

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// ErrNoTask is returned by Stop for a task the engine does not hold or
// already stopped.
var ErrNoTask = fmt.Errorf("placement: no such task: %w", ecs.ErrNotFound)

// Stop removes a task from its instance: its CPU, memory, GPUs, host
// ports and ENIs are free again and it no longer counts for its group.
func (e *Engine) Stop(id TaskID) error {
	if e == nil {
		return errNilEngine
	}
	e.lock()
	defer e.mu.Unlock()
	k, ok := e.s.slotOf(id)
	if !ok {
		return fmt.Errorf("task %d: %w", id, ErrNoTask)
	}
	return e.s.stop(k)
}

// stop stops the task in slot k and frees the slot for a later task.
func (s *state) stop(k int32) error {
	t := &s.tasks[k]
	var err error
	switch {
	case t.shape.net != nil:
		err = s.inst[t.inst].net.Unbind(t.shape.net, s.taskPorts(t))
	case int(k) < len(s.allocs) && s.allocs[k] != nil: // a loaded task
		err = s.inst[t.inst].net.Release(s.allocs[k])
	}
	if err != nil {
		return fmt.Errorf("task %s: %w", t.arn, err)
	}
	s.change(t.inst, t.group, t.shape, -1)
	if t.held {
		in := &s.inst[t.inst]
		in.relCPU -= t.shape.cpu
		in.relMem -= t.shape.mem
	}
	t.stopped, t.arn = true, ""
	t.gen++ // its id is no longer the engine's
	s.free = append(s.free, k)
	return nil
}

// Hold takes a task out of its group while it keeps what it took, as a
// task asked to stop does until it has stopped (a loaded task desired
// STOPPED is held the same way): it no longer counts for spread,
// distinctInstance or task:group, and its instance counts its CPU and
// memory as on their way back for scale-in by binpack. Stop releases it
// when it has stopped. Holding a held task does nothing.
func (e *Engine) Hold(id TaskID) error {
	if e == nil {
		return errNilEngine
	}
	e.lock()
	defer e.mu.Unlock()
	k, ok := e.s.slotOf(id)
	if !ok {
		return fmt.Errorf("task %d: %w", id, ErrNoTask)
	}
	e.s.hold(k)
	return nil
}

// hold takes a task out of its group while it keeps what it took, as a
// task asked to stop does until it has stopped: it no longer counts for
// spread, distinctInstance or task:group, and its instance counts its
// CPU and memory as on their way back for scale-in by binpack.
func (s *state) hold(k int32) {
	t := &s.tasks[k]
	if t.held || t.stopped {
		return
	}
	s.update(t.inst, t.group, 0, 0, 0, 0, -1)
	in := &s.inst[t.inst]
	in.relCPU += t.shape.cpu
	in.relMem += t.shape.mem
	t.group, t.held = -1, true
}

// Tasks returns the tasks the engine holds on its instances, loaded and
// placed, that have not been stopped, in the order it learned of them.
func (e *Engine) Tasks() []TaskState {
	if e == nil {
		return nil
	}
	e.lock()
	defer e.mu.Unlock()
	var live []int32
	for k := range e.s.tasks {
		if !e.s.tasks[k].stopped {
			live = append(live, int32(k))
		}
	}
	e.s.byAge(live, false)
	out := make([]TaskState, 0, len(live))
	for _, k := range live {
		out = append(out, e.s.taskState(k))
	}
	return out
}

// byAge sorts slots by the order the engine learned of their tasks,
// newest first when newest is set.
func (s *state) byAge(slots []int32, newest bool) {
	slices.SortFunc(slots, func(a, b int32) int {
		c := cmp.Compare(s.tasks[a].seq, s.tasks[b].seq)
		if newest {
			return -c
		}
		return c
	})
}

// TaskState describes a task the engine holds.
type TaskState struct {
	Task                 TaskID
	TaskARN              string
	ContainerInstanceARN string
	InstanceID           string
	AvailabilityZone     string
	// Group is the task's group; empty for a task on its way out (loaded
	// desired STOPPED, or chosen by ScaleIn with KeepResources), which
	// counts for no group.
	Group string
}

func (s *state) taskState(k int32) TaskState {
	t := &s.tasks[k]
	id := s.taskID(k)
	name := &s.names[t.inst]
	ts := TaskState{Task: id, TaskARN: t.arn, ContainerInstanceARN: name.arn, InstanceID: name.id, AvailabilityZone: name.az}
	if t.group >= 0 {
		ts.Group = s.groups.names[t.group]
	}
	return ts
}
