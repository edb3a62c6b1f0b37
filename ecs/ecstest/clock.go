package ecstest

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// DefaultSpeed is the speed of a Clock that no one set: one real second is
// a virtual minute, so a 30-second task start takes half a second.
const DefaultSpeed = 60

// MaxSpeed is the fastest a Clock runs: a million virtual seconds (about
// 11.6 days) per real second. A faster clock would gain a time.Duration's
// whole range (292 years) in under three real hours, and a speed of 1e10
// overflowed it in one second; a test that needs more time than MaxSpeed
// gives stops the clock and calls Advance, which has no such limit.
const MaxSpeed = 1e6

// Clock is a virtual clock. It runs at Speed × real time from the instant
// it was made at; with speed 0 it stands still and moves only when Advance
// or AdvanceTo moves it. Functions scheduled with AfterFunc run in order of
// their virtual time (ties in the order they were scheduled, but the
// services' scheduler steps after everything else due): at speed 0,
// on the goroutine that advances the clock, each seeing Now equal to its
// own time, which makes a run deterministic; at a positive speed, on a
// goroutine of the clock when real time reaches them, or on an advancing
// goroutine if Advance passes them first.
//
// A simulator drives a Clock as a discrete-event loop: Next says when the
// earliest scheduled function is due and AdvanceTo jumps there and runs it.
//
// A Clock is safe for concurrent use. A scheduled function may call Now,
// Speed, Next, AfterFunc and At, and Stop on a Timer (scheduling more work
// from a timer is how a simulation proceeds), but not Advance, AdvanceTo or
// Wait, which would wait for it.
//
// The zero Clock stands still at the zero time until SetSpeed starts it.
// The methods of a nil *Clock return zero values (AfterFunc and At a nil
// *Timer, which Stop accepts), and SetSpeed and Wait an error.
type Clock struct {
	realNow func() time.Time // time.Now; tests replace it

	fire sync.Mutex // held while timers run, so that they run one at a time

	mu      sync.Mutex
	speed   float64
	base    time.Time // virtual time at anchor
	anchor  time.Time // real time when base was taken
	timers  timerHeap
	seq     uint64
	wake    chan struct{} // pokes the runner goroutine (capacity 1)
	done    chan struct{} // closed by Close
	running bool          // the runner goroutine is started
	closed  bool
}

// NewClock returns a clock that reads start now and runs at speed × real
// time. Speed 0 stops it, and so does a speed checkSpeed refuses (negative,
// infinite, NaN or above MaxSpeed).
func NewClock(start time.Time, speed float64) *Clock {
	if checkSpeed(speed) != nil {
		speed = 0
	}
	c := &Clock{
		realNow: time.Now,
		speed:   speed,
		base:    start,
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	c.anchor = c.realNow()
	return c
}

// checkSpeed refuses a speed that is not a number from 0 to MaxSpeed.
func checkSpeed(speed float64) error {
	if !(speed >= 0 && speed <= MaxSpeed) { // NaN fails both
		return fmt.Errorf("ecstest: clock speed %v is not a number from 0 to %v", speed, MaxSpeed)
	}
	return nil
}

// scaled returns elapsed × speed, saturating at the limits of a
// time.Duration: converting a float64 beyond them to an integer is not
// defined in Go, and on amd64 sent the clock back three centuries.
func scaled(elapsed time.Duration, speed float64) time.Duration {
	v := float64(elapsed) * speed
	switch {
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return time.Duration(v)
}

// errNilClock is the error of the methods of a nil *Clock.
var errNilClock = errors.New("ecstest: the Clock is nil")

// Now returns the virtual time.
func (c *Clock) Now() time.Time {
	if c == nil {
		return time.Time{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.speed == 0 {
		return c.base
	}
	elapsed := c.real().Sub(c.anchor)
	return c.base.Add(scaled(elapsed, c.speed))
}

// real returns the real time now (the zero Clock has no realNow).
func (c *Clock) real() time.Time {
	if c.realNow == nil {
		return time.Now()
	}
	return c.realNow()
}

// Speed returns how many virtual seconds pass in a real one.
func (c *Clock) Speed() float64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// SetSpeed changes the speed from now on; the time read so far is kept.
// Speed 0 stops the clock. A negative, infinite or NaN speed is an error,
// and changes nothing.
func (c *Clock) SetSpeed(speed float64) error {
	if c == nil {
		return errNilClock
	}
	if err := checkSpeed(speed); err != nil {
		return err
	}
	c.mu.Lock()
	c.base = c.nowLocked()
	c.anchor = c.real()
	c.speed = speed
	c.startRunnerLocked()
	wake := c.wake
	c.mu.Unlock()
	poke(wake)
	return nil
}

// Advance moves the clock forward by d, running every scheduled function
// that falls due on the way, and returns the new time. A d of 0 or less
// only runs what is already due.
func (c *Clock) Advance(d time.Duration) time.Time {
	if c == nil {
		return time.Time{}
	}
	c.mu.Lock()
	target := c.nowLocked().Add(max(d, 0))
	c.mu.Unlock()
	return c.AdvanceTo(target)
}

// AdvanceTo moves the clock forward to t, running every scheduled function
// due by t, and returns the new time. A t before Now moves nothing: the
// clock never goes back.
func (c *Clock) AdvanceTo(t time.Time) time.Time {
	if c == nil {
		return time.Time{}
	}
	c.fire.Lock()
	defer c.fire.Unlock()
	for {
		c.mu.Lock()
		now := c.nowLocked()
		if len(c.timers) == 0 || c.timers[0].when.After(t) {
			if t.After(now) {
				c.base = c.base.Add(t.Sub(now))
				now = t
			}
			c.mu.Unlock()
			return now
		}
		tm := heap.Pop(&c.timers).(*Timer)
		if tm.when.After(now) {
			c.base = c.base.Add(tm.when.Sub(now))
		}
		c.mu.Unlock()
		tm.f()
	}
}

// Next returns the virtual time at which the earliest scheduled function
// is due, and false when none is scheduled.
func (c *Clock) Next() (time.Time, bool) {
	if c == nil {
		return time.Time{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		return time.Time{}, false
	}
	return c.timers[0].when, true
}

// AfterFunc schedules f to run when the clock has moved on by d (at once,
// on the next Advance or runner wake-up, when d ≤ 0), and returns a Timer
// that can cancel it. A nil f schedules nothing: the Timer is stopped.
func (c *Clock) AfterFunc(d time.Duration, f func()) *Timer {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	when := c.nowLocked().Add(max(d, 0))
	c.mu.Unlock()
	return c.At(when, f)
}

// At schedules f to run when the clock reaches t (on the next Advance or
// runner wake-up, when t is not after Now), and returns a Timer that can
// cancel it. A nil f schedules nothing: the Timer is stopped.
func (c *Clock) At(t time.Time, f func()) *Timer { return c.at(t, f, false) }

// atEnd schedules f like At, but to run at the end of its instant: after
// every function due at t that was not scheduled with atEnd, those that
// such functions schedule for t included. A service's scheduler step runs
// so, once all that happens at an instant has happened.
func (c *Clock) atEnd(t time.Time, f func()) *Timer { return c.at(t, f, true) }

func (c *Clock) at(t time.Time, f func(), end bool) *Timer {
	if c == nil {
		return nil
	}
	if f == nil {
		return &Timer{c: c, when: t, index: -1}
	}
	c.mu.Lock()
	c.seq++
	tm := &Timer{c: c, when: t, seq: c.seq, f: f, end: end}
	heap.Push(&c.timers, tm)
	first := c.timers[0] == tm
	c.startRunnerLocked()
	wake := c.wake
	c.mu.Unlock()
	if first {
		poke(wake)
	}
	return tm
}

// Wait returns nil when the clock reaches until (at once if it has; never
// when until is zero) or when changed receives, and ctx's error when ctx
// is done first. With Now it makes a Clock a deploy.Clock, so that the
// service scheduler's Driver can run on virtual time: at speed 0 it waits
// until the test advances the clock past until.
func (c *Clock) Wait(ctx context.Context, until time.Time, changed <-chan struct{}) error {
	if c == nil {
		return errNilClock
	}
	var reached chan struct{}
	if !until.IsZero() {
		if !until.After(c.Now()) {
			return nil
		}
		reached = make(chan struct{})
		t := c.At(until, func() { close(reached) })
		defer t.Stop()
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-reached:
	case <-changed:
	}
	return nil
}

// dropAll cancels every function scheduled on the clock (Reset's).
func (c *Clock) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.timers {
		t.index = -1
	}
	c.timers = nil
}

// Close stops the goroutine that runs scheduled functions in real time.
// Scheduled functions stay scheduled and still run when Advance reaches
// them. Close is safe to call more than once.
func (c *Clock) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		c.chansLocked()
		close(c.done)
	}
}

// chansLocked makes the runner's channels, which the zero Clock lacks.
func (c *Clock) chansLocked() {
	if c.wake == nil {
		c.wake = make(chan struct{}, 1)
	}
	if c.done == nil {
		c.done = make(chan struct{})
	}
}

// poke wakes the runner goroutine through wake, the clock's wake channel
// read under its lock.
func poke(wake chan struct{}) {
	select {
	case wake <- struct{}{}:
	default:
	}
}

// startRunnerLocked starts the runner goroutine the first time the clock
// runs with a function scheduled; it is not needed before.
func (c *Clock) startRunnerLocked() {
	if c.running || c.closed || c.speed == 0 || len(c.timers) == 0 {
		return
	}
	c.running = true
	c.chansLocked()
	go c.run()
}

// run sleeps until the earliest scheduled function is due in real time and
// runs what is due, until Close.
func (c *Clock) run() {
	var sleep *time.Timer
	for {
		c.mu.Lock()
		wait := time.Duration(-1) // nothing to wait for
		if c.speed > 0 && len(c.timers) > 0 {
			virtual := c.timers[0].when.Sub(c.nowLocked())
			wait = max(scaled(virtual, 1/c.speed), 0)
		}
		c.mu.Unlock()
		if wait == 0 {
			c.runDue()
			continue
		}
		var alarm <-chan time.Time
		if wait > 0 {
			if sleep == nil {
				sleep = time.NewTimer(wait)
			} else {
				sleep.Reset(wait)
			}
			alarm = sleep.C
		}
		select {
		case <-c.done:
			if sleep != nil {
				sleep.Stop()
			}
			return
		case <-c.wake:
		case <-alarm:
		}
	}
}

// runDue runs the functions due by now, without moving the clock.
func (c *Clock) runDue() {
	c.fire.Lock()
	defer c.fire.Unlock()
	for {
		c.mu.Lock()
		if len(c.timers) == 0 || c.timers[0].when.After(c.nowLocked()) {
			c.mu.Unlock()
			return
		}
		tm := heap.Pop(&c.timers).(*Timer)
		c.mu.Unlock()
		tm.f()
	}
}

// Timer is a function scheduled on a Clock by AfterFunc.
type Timer struct {
	c     *Clock
	when  time.Time
	seq   uint64
	f     func()
	end   bool // runs after the others due at when (atEnd)
	index int  // in the heap; -1 once it ran or was stopped
}

// When returns the virtual time the timer is due at (zero for a nil or
// zero Timer).
func (t *Timer) When() time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.when
}

// Stop cancels the timer. It reports whether it did: false when the
// function already ran or the timer was already stopped, and for a nil or
// zero Timer.
func (t *Timer) Stop() bool {
	if t == nil || t.c == nil {
		return false
	}
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&t.c.timers, t.index)
	return true
}

// timerHeap orders timers by due time, those scheduled with atEnd after
// the others, then by the order they were made.
type timerHeap []*Timer

func (h timerHeap) Len() int { return len(h) }

func (h timerHeap) Less(i, j int) bool {
	if c := h[i].when.Compare(h[j].when); c != 0 {
		return c < 0
	}
	if h[i].end != h[j].end {
		return !h[i].end
	}
	return h[i].seq < h[j].seq
}

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}

func (h *timerHeap) Push(x any) {
	t := x.(*Timer)
	t.index = len(*h)
	*h = append(*h, t)
}

func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
