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
	if t.alloc != nil {
		if err := s.inst[t.inst].net.Release(t.alloc); err != nil {
			return fmt.Errorf("task %s: %w", t.arn, err)
		}
	}
	s.change(t.inst, t.group, t.cpu, t.mem, t.gpu, -1)
	t.stopped = true
	return nil
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
	// Group is the task's group; empty for a loaded task desired STOPPED,
	// which counts for no group.
	Group string
}

func (s *state) taskState(id TaskID) TaskState {
	t := &s.tasks[id]
	in := &s.inst[t.inst]
	ts := TaskState{Task: id, TaskARN: t.arn, ContainerInstanceARN: in.arn, InstanceID: in.id, AvailabilityZone: in.az}
	if t.group >= 0 {
		ts.Group = s.groups.names[t.group]
	}
	return ts
}

// PlaceDaemon places one task of the request on each candidate instance
// that does not already run a task of its group (rule 103): in ARN order,
// with no strategy, each instance held to the same filters and
// constraints as any placement. Count, Strategy and AllOrNothing are
// ignored. When some instances cannot take the task, the explanation
// lists them; they are the daemon's pending tasks.
func (e *Engine) PlaceDaemon(req *Request) (*Result, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.s
	r := *req
	r.Strategy, r.AllOrNothing = RunTaskDefaultStrategy(), false
	d, err := s.compile(&r)
	if err != nil {
		return nil, err
	}
	start := s.examined
	res := &Result{}
	var failed []int32
	for i := range s.inst {
		in := &s.inst[i]
		if !s.candidate(in, d) || in.count(d.group) > 0 {
			continue
		}
		if !s.fits(int32(i), d) {
			failed = append(failed, int32(i))
			continue
		}
		p, err := s.place(int32(i), d, taskARN(req, len(res.Placements)), nil)
		if err != nil {
			return nil, err
		}
		res.Placements = append(res.Placements, p)
	}
	if len(failed) > 0 {
		res.Unplaced = len(failed)
		res.Explanation = s.explain(d, req, len(res.Placements), failed)
	}
	res.Examined = int(s.examined - start)
	return res, nil
}
