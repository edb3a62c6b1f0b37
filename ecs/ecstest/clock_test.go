package ecstest

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestClockStopped(t *testing.T) {
	c := NewClock(t0, 0)
	defer c.Close()
	require.Equal(t, t0, c.Now())
	require.Equal(t, t0.Add(90*time.Second), c.Advance(90*time.Second))
	require.Equal(t, t0.Add(90*time.Second), c.Now(), "a stopped clock stays where it was moved")
	require.Equal(t, t0.Add(90*time.Second), c.AdvanceTo(t0), "the clock never goes back")
	require.Equal(t, t0.Add(90*time.Second), c.Advance(-time.Hour))
	require.Equal(t, t0.Add(time.Hour), c.AdvanceTo(t0.Add(time.Hour)))
}

func TestClockTimersRunInOrder(t *testing.T) {
	c := NewClock(t0, 0)
	defer c.Close()
	var got []string
	at := func(name string) func() {
		return func() { got = append(got, name+"@"+c.Now().Sub(t0).String()) }
	}
	c.AfterFunc(30*time.Second, at("b"))
	c.AfterFunc(10*time.Second, at("a"))
	c.AfterFunc(30*time.Second, at("c")) // same time as b: runs after it
	stopped := c.AfterFunc(20*time.Second, at("stopped"))
	c.AfterFunc(40*time.Second, func() {
		at("d")()
		c.AfterFunc(5*time.Second, at("e")) // due inside the same advance
		c.AfterFunc(time.Hour, at("late"))
	})
	require.True(t, stopped.Stop())
	require.False(t, stopped.Stop(), "a stopped timer stops once")

	next, ok := c.Next()
	require.True(t, ok)
	require.Equal(t, t0.Add(10*time.Second), next)

	c.Advance(time.Minute)
	want := []string{"a@10s", "b@30s", "c@30s", "d@40s", "e@45s"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("timers ran (-want +got):\n%s", diff)
	}
	require.Equal(t, t0.Add(time.Minute), c.Now())
	next, ok = c.Next()
	require.True(t, ok)
	require.Equal(t, t0.Add(40*time.Second+time.Hour), next)
}

func TestClockDiscreteEventLoop(t *testing.T) {
	// A simulator steps from event to event with Next and AdvanceTo.
	c := NewClock(t0, 0)
	defer c.Close()
	var ticks []time.Duration
	var tick func()
	tick = func() {
		ticks = append(ticks, c.Now().Sub(t0))
		if len(ticks) < 4 {
			c.AfterFunc(15*time.Second, tick)
		}
	}
	c.AfterFunc(0, tick)
	for {
		next, ok := c.Next()
		if !ok {
			break
		}
		c.AdvanceTo(next)
	}
	require.Equal(t, []time.Duration{0, 15 * time.Second, 30 * time.Second, 45 * time.Second}, ticks)
}

func TestClockSpeed(t *testing.T) {
	real := t0
	c := NewClock(t0, 60)
	defer c.Close()
	c.mu.Lock()
	c.realNow = func() time.Time { return real }
	c.anchor = real
	c.mu.Unlock()

	real = real.Add(time.Second)
	require.Equal(t, t0.Add(time.Minute), c.Now(), "one real second is a virtual minute at speed 60")
	require.Equal(t, t0.Add(2*time.Minute), c.Advance(time.Minute), "Advance moves a running clock on")

	c.SetSpeed(0)
	real = real.Add(time.Hour)
	require.Equal(t, t0.Add(2*time.Minute), c.Now(), "speed 0 stops the clock")
	require.Equal(t, 0.0, c.Speed())

	c.SetSpeed(2)
	real = real.Add(10 * time.Second)
	require.Equal(t, t0.Add(2*time.Minute+20*time.Second), c.Now())
}

func TestClockRunsTimersInRealTime(t *testing.T) {
	// The timers are set while the clock stands still, so that a slow
	// machine pausing between two AfterFunc calls cannot change the
	// times they are due; then the clock runs at 100,000 times real time
	// (a virtual minute is 0.6 ms).
	c := NewClock(t0, 0)
	defer c.Close()
	var mu sync.Mutex
	var order []int
	done := make(chan struct{})
	for i, d := range []time.Duration{3 * time.Minute, time.Minute, 2 * time.Minute} {
		c.AfterFunc(d, func() {
			mu.Lock()
			defer mu.Unlock()
			order = append(order, i)
			if len(order) == 3 {
				close(done)
			}
		})
	}
	require.NoError(t, c.SetSpeed(100_000))
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("timers did not run while the clock ran")
	}
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []int{1, 2, 0}, order)
}

func TestClockCloseKeepsTimers(t *testing.T) {
	c := NewClock(t0, 0)
	ran := false
	c.AfterFunc(time.Second, func() { ran = true })
	c.Close()
	c.Close()
	c.SetSpeed(10) // no runner after Close
	c.SetSpeed(0)
	c.Advance(time.Hour)
	require.True(t, ran, "Advance still runs timers after Close")
}

// TestClockRejectsBadSpeed checks that a speed that is not a finite
// number of at least 0 stops a new clock and is refused by SetSpeed.
func TestClockRejectsBadSpeed(t *testing.T) {
	for _, speed := range []float64{-1, math.Inf(1), math.NaN()} {
		require.Zero(t, NewClock(t0, speed).Speed(), "NewClock at speed %v", speed)
		c := NewClock(t0, 2)
		require.Error(t, c.SetSpeed(speed), "speed %v", speed)
		require.Equal(t, 2.0, c.Speed(), "SetSpeed(%v) changed the speed", speed)
		c.Close()
	}
}

// A Clock is the service scheduler's clock.
var _ deploy.Clock = (*Clock)(nil)

func TestClockWait(t *testing.T) {
	c := NewClock(t0, 0)
	defer c.Close()
	ctx := context.Background()
	require.NoError(t, c.Wait(ctx, t0, nil), "a time already reached returns at once")

	done := make(chan error, 1)
	go func() { done <- c.Wait(ctx, t0.Add(time.Minute), nil) }()
	for {
		if _, ok := c.Next(); ok {
			break // the waiter is scheduled
		}
		time.Sleep(time.Millisecond)
	}
	c.Advance(30 * time.Second)
	select {
	case <-done:
		t.Fatal("Wait returned before the clock reached its time")
	default:
	}
	c.Advance(30 * time.Second)
	require.NoError(t, <-done)

	changed := make(chan struct{}, 1)
	changed <- struct{}{}
	require.NoError(t, c.Wait(ctx, time.Time{}, changed), "a change ends the wait")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, c.Wait(cancelled, t0.Add(time.Hour), nil), context.Canceled)
	_, pending := c.Next()
	require.False(t, pending, "a wait that ended leaves no timer behind")
}

// TestClockSaturates checks that the fastest clock, left running for
// longer than a time.Duration can hold in virtual time, stands at the
// latest time rather than wrapping around to the past (issue 12: -speed
// 1e10 sent ecslocal's clock back to 1734), and that a speed above
// MaxSpeed is refused.
func TestClockSaturates(t *testing.T) {
	real := t0
	c := NewClock(t0, MaxSpeed)
	c.realNow = func() time.Time { return real }
	c.anchor = real
	for _, after := range []time.Duration{time.Hour, 1000 * time.Hour, 100_000 * time.Hour} {
		real = t0.Add(after)
		now := c.Now()
		require.False(t, now.Before(t0), "after %v of real time the clock reads %v, before its start", after, now)
	}
	require.Equal(t, t0.Add(math.MaxInt64), c.Now(), "a clock past a Duration's range saturates")
	require.Error(t, c.SetSpeed(MaxSpeed*10))
	require.Equal(t, MaxSpeed, c.Speed())
	require.Equal(t, 0.0, NewClock(t0, 1e10).Speed(), "NewClock refuses a speed above MaxSpeed by stopping")
}
