package deploy

import (
	"container/heap"
	"time"
)

// timer is a scheduled transition.
type timer struct {
	at   time.Time
	seq  int
	task int // index in sim.tasks; -1 for a wake-up only
	gen  int
	kind timerKind
}

type timerKind uint8

const (
	timerRunning timerKind = iota
	timerFailStart
	timerHealth
	timerStopped
	timerWake
)

type timers []timer

// timers is a heap of timers, earliest first, in scheduling order.
func (q timers) Len() int { return len(q) }
func (q timers) Less(i, j int) bool {
	return q[i].at.Before(q[j].at) || q[i].at.Equal(q[j].at) && q[i].seq < q[j].seq
}
func (q timers) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *timers) Push(x any)   { *q = append(*q, x.(timer)) }
func (q *timers) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// schedule adds a transition of task (or a bare wake-up, task -1).
func (s *sim) schedule(at time.Time, task int, kind timerKind) {
	s.seq++
	gen := 0
	if task >= 0 {
		gen = s.tasks[task].gen
	}
	heap.Push(&s.queue, timer{at: at, seq: s.seq, task: task, gen: gen, kind: kind})
}
