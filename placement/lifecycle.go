package placement

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// ErrNoTask is returned by Stop for a task the engine does not hold or
// already stopped.
var ErrNoTask = fmt.Errorf("placement: no such task: %w", ecs.ErrNotFound)

// Stop removes a task from its instance: its CPU, memory, GPUs, host
// ports and ENIs are free again and it no longer counts for its group.
func (e *Engine) Stop(id TaskID) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.s.stop(id)
}

func (s *state) stop(id TaskID) error {
	if id < 0 || int(id) >= len(s.tasks) || s.tasks[id].stopped {
		return fmt.Errorf("task %d: %w", id, ErrNoTask)
	}
	t := &s.tasks[id]
	var err error
	switch {
	case int(id) < len(s.allocs):
		if a := s.allocs[id]; a != nil {
			err = s.inst[t.inst].net.Release(a)
		}
	case t.shape.net != nil:
		err = s.inst[t.inst].net.Unbind(t.shape.net, s.taskPorts(t))
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
	t.stopped = true
	t.arn = "" // a stopped task keeps only its place in s.tasks
	return nil
}

// Hold takes a task out of its group while it keeps what it took, as a
// task asked to stop does until it has stopped (a loaded task desired
// STOPPED is held the same way): it no longer counts for spread,
// distinctInstance or task:group, and its instance counts its CPU and
// memory as on their way back for scale-in by binpack. Stop releases it
// when it has stopped. Holding a held task does nothing.
func (e *Engine) Hold(id TaskID) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if id < 0 || int(id) >= len(e.s.tasks) || e.s.tasks[id].stopped {
		return fmt.Errorf("task %d: %w", id, ErrNoTask)
	}
	e.s.hold(id)
	return nil
}

// hold takes a task out of its group while it keeps what it took, as a
// task asked to stop does until it has stopped: it no longer counts for
// spread, distinctInstance or task:group, and its instance counts its
// CPU and memory as on their way back for scale-in by binpack.
func (s *state) hold(id TaskID) {
	t := &s.tasks[id]
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
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []TaskState
	for k := range e.s.tasks {
		if !e.s.tasks[k].stopped {
			out = append(out, e.s.taskState(TaskID(k)))
		}
	}
	return out
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

func (s *state) taskState(id TaskID) TaskState {
	t := &s.tasks[id]
	name := &s.names[t.inst]
	ts := TaskState{Task: id, TaskARN: t.arn, ContainerInstanceARN: name.arn, InstanceID: name.id, AvailabilityZone: name.az}
	if t.group >= 0 {
		ts.Group = s.groups.names[t.group]
	}
	return ts
}
