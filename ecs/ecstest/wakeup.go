package ecstest

import "time"

// wakeup is the one pending run of something that steps on the virtual
// clock (a service's scheduler, a daemon's deployment): asked to run at
// several times, it runs once, at the earliest.
type wakeup struct {
	next *Timer    // the pending run, or nil
	at   time.Time // when next is due
	gen  uint64    // moves on with each run set, so a stopped one does nothing
}

// set has f run under e.mu at the end of instant t, unless a run is due
// by then already; an earlier t replaces a later pending run. e.mu must
// be held.
func (w *wakeup) set(e *ECS, t time.Time, f func()) {
	if w.next != nil {
		if !w.at.After(t) {
			return
		}
		w.next.Stop()
	}
	w.gen++
	gen := w.gen
	w.at = t
	w.next = e.clock.atEnd(t, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if w.gen == gen {
			w.next = nil
			f()
		}
	})
}

// dueBy reports whether a run is pending at t or before.
func (w *wakeup) dueBy(t time.Time) bool { return w.next != nil && !w.at.After(t) }
