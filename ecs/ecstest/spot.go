package ecstest

import (
	"context"
	"hash/fnv"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/ecscore/ecscore/capacity"
)

// DefaultRebalanceLead is how long before its interruption a Spot
// instance of a group with capacity rebalance gets its rebalance
// recommendation, when SpotModel.RebalanceLead does not say. EC2 sends
// the recommendation "before" the two-minute notice without a figure; ten
// minutes is the project's choice (Open point 21).
const DefaultRebalanceLead = 10 * time.Minute

// maxSpotRate bounds the interruption rates SetSpotModel takes: more than
// one interruption a minute per instance or task is not a model of Spot.
const maxSpotRate = 60

// SpotModel is a seeded model of Spot interruptions (rules 175 to 178):
// each EC2 Spot instance (of an Auto Scaling group with Spot, or of a
// Managed Instances provider with capacityOptionType SPOT) and each
// FARGATE_SPOT task is interrupted after a time drawn, when it starts,
// from an exponential distribution with the rate given, from the ECS's
// seed and the instance's or task's ID: the same seed and operations give
// the same interruptions. A zero SpotModel interrupts nothing.
type SpotModel struct {
	// EC2PerInstanceHour is the rate of interruptions of an EC2 Spot
	// instance, per instance-hour (0.05: one in twenty hours).
	EC2PerInstanceHour float64 `json:"ec2PerInstanceHour"`
	// FargatePerTaskHour is the rate of interruptions of a FARGATE_SPOT
	// task, per task-hour.
	FargatePerTaskHour float64 `json:"fargatePerTaskHour"`
	// InstanceDraining is the agent's ECS_ENABLE_SPOT_INSTANCE_DRAINING:
	// with it, ECS sets an EC2 Spot container instance DRAINING when its
	// two-minute warning arrives; without it (the agent's default) the
	// instance runs on until EC2 terminates it. Managed Instances are
	// always drained.
	InstanceDraining bool `json:"instanceDraining"`
	// RebalanceLead is how long before its interruption an instance of
	// a group with capacity rebalance gets its rebalance recommendation
	// (DefaultRebalanceLead when 0).
	RebalanceLead time.Duration `json:"-"`
}

// SpotStats counts what the Spot model did since the ECS was made or
// reset: what a simulated day on Spot costs in replaced tasks.
type SpotStats struct {
	// InstanceInterruptions counts the two-minute warnings EC2 Spot
	// instances got.
	InstanceInterruptions int `json:"instanceInterruptions"`
	// RebalanceRecommendations counts the rebalance recommendations that
	// made a group with capacity rebalance replace an instance before
	// its interruption.
	RebalanceRecommendations int `json:"rebalanceRecommendations"`
	// FargateInterruptions counts the FARGATE_SPOT tasks interrupted.
	FargateInterruptions int `json:"fargateInterruptions"`
	// ReplacedTasks counts the tasks an interruption or a rebalance
	// stopped: the FARGATE_SPOT tasks interrupted and the non-daemon
	// tasks on the EC2 instances warned or rebalanced.
	ReplacedTasks int `json:"replacedTasks"`
}

// spotState is the ECS's Spot model and what it did.
type spotState struct {
	model SpotModel
	stats SpotStats
	gen   uint64 // moves on with the model: the draws of the one before are void
	// live holds the EC2 Spot instances the model may interrupt, with
	// their scheduled rebalance and interruption; tasks holds the
	// FARGATE_SPOT tasks' scheduled interruptions. A redraw, a release or
	// a termination stops the timers it replaces, so that the clock holds
	// at most one draw per instance and task, however often the model is
	// set.
	live  map[*instance]*spotDraw
	tasks map[*task]*Timer
}

// spotDraw is what the model scheduled for an EC2 Spot instance.
type spotDraw struct {
	rebalance bool   // of a group with capacity rebalance
	recommend *Timer // the rebalance recommendation (nil when none)
	interrupt *Timer // the two-minute warning (nil when the rate is 0)
}

// stop cancels what d scheduled.
func (d *spotDraw) stop() {
	d.recommend.Stop()
	d.interrupt.Stop()
	d.recommend, d.interrupt = nil, nil
}

// WithSpotModel is the option that sets Options.Spot.
func WithSpotModel(m SpotModel) func(*Options) { return func(o *Options) { o.Spot = m } }

// checkSpotModel checks the rates of m.
func checkSpotModel(m SpotModel) error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"ec2PerInstanceHour", m.EC2PerInstanceHour}, {"fargatePerTaskHour", m.FargatePerTaskHour}} {
		if math.IsNaN(r.v) || r.v < 0 || r.v > maxSpotRate {
			return invalidParameter("%s must be from 0 to %d, not %g.", r.name, maxSpotRate, r.v)
		}
	}
	if m.RebalanceLead < 0 {
		return invalidParameter("rebalanceLead must not be negative.")
	}
	return nil
}

// SetSpotModel replaces the Spot interruption model: the Spot instances
// and FARGATE_SPOT tasks running now draw their interruptions afresh from
// the new one (from now), as those that start later do.
func (e *ECS) SetSpotModel(ctx context.Context, m SpotModel) error {
	if err := e.usable(); err != nil {
		return err
	}
	if err := checkSpotModel(m); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.spot.model = m
	e.spot.gen++
	// In order of ARN, so that draws due at the same instant run in the
	// same order every time.
	insts := slices.SortedFunc(maps.Keys(e.spot.live), func(a, b *instance) int {
		return strings.Compare(a.ci.ContainerInstanceARN, b.ci.ContainerInstanceARN)
	})
	for _, inst := range insts {
		e.drawInstance(inst, e.spot.live[inst])
	}
	for _, name := range slices.Sorted(maps.Keys(e.clusters)) {
		cl := e.clusters[name]
		for _, id := range slices.Sorted(maps.Keys(cl.tasks)) {
			if tk := cl.tasks[id]; tk.t.CapacityProviderName == capacity.FargateSpot && !tk.stopping() && !tk.stopped() {
				e.drawTask(tk)
			}
		}
	}
	return nil
}

// SpotModel returns the Spot interruption model in force.
func (e *ECS) SpotModel() SpotModel {
	if e.usable() != nil {
		return SpotModel{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.spot.model
}

// SpotStats returns what the Spot model did so far.
func (e *ECS) SpotStats() SpotStats {
	if e.usable() != nil {
		return SpotStats{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.spot.stats
}

// draw returns the time to the interruption of what id names, at the
// rate per hour, from the seed, the model's generation and id; false
// when the rate is 0.
func (e *ECS) draw(id string, rate float64) (time.Duration, bool) {
	if rate <= 0 {
		return 0, false
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	r := rand.New(rand.NewPCG(e.seed, h.Sum64()^e.spot.gen))
	hours := r.ExpFloat64() / rate
	return time.Duration(min(hours*float64(time.Hour), float64(math.MaxInt64/2))), true
}

// spotLaunched starts the Spot model's clock for an EC2 Spot instance
// that has registered; rebalance marks one of a group with capacity
// rebalance. e.mu must be held.
func (e *ECS) spotLaunched(inst *instance, rebalance bool) {
	if e.spot.live == nil {
		e.spot.live = map[*instance]*spotDraw{}
	}
	if d := e.spot.live[inst]; d != nil {
		d.stop()
	}
	d := &spotDraw{rebalance: rebalance}
	e.spot.live[inst] = d
	e.drawInstance(inst, d)
}

// spotReleased ends the Spot model's clock for inst: interrupted,
// rebalanced or gone, it is interrupted no more. e.mu must be held.
func (e *ECS) spotReleased(inst *instance) {
	if d := e.spot.live[inst]; d != nil {
		d.stop()
		delete(e.spot.live, inst)
	}
}

// spotTaskReleased ends the Spot model's clock for a task asked to stop.
// e.mu must be held.
func (e *ECS) spotTaskReleased(tk *task) {
	if t, ok := e.spot.tasks[tk]; ok {
		t.Stop()
		delete(e.spot.tasks, tk)
	}
}

// drawInstance schedules the interruption of inst the model draws, and
// before it the rebalance recommendation when sd.rebalance is set and the
// lead fits, in place of what sd held. e.mu must be held.
func (e *ECS) drawInstance(inst *instance, sd *spotDraw) {
	sd.stop()
	d, ok := e.draw(inst.ci.EC2InstanceID, e.spot.model.EC2PerInstanceHour)
	if !ok {
		return
	}
	gen := e.spot.gen
	lead := e.spot.model.RebalanceLead
	if lead == 0 {
		lead = DefaultRebalanceLead
	}
	if sd.rebalance && d > lead {
		sd.recommend = e.clock.AfterFunc(d-lead, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			sd.recommend = nil
			if e.spot.gen == gen && e.spot.live[inst] == sd && inst.ci.Status == statusActive {
				e.rebalanceLocked(inst)
			}
		})
	}
	sd.interrupt = e.clock.AfterFunc(d, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		sd.interrupt = nil
		if e.spot.gen == gen && e.spot.live[inst] == sd && inst.ci.Status != statusInactive {
			e.interruptLocked(inst, e.spot.model.InstanceDraining || inst.managed)
		}
	})
}

// rebalanceLocked is a rebalance recommendation to an instance of a group
// with capacity rebalance (rule 177): the group launches its replacement
// and drains it, with managed draining, before it terminates it, as a
// scale-in does. e.mu must be held.
func (e *ECS) rebalanceLocked(inst *instance) {
	g, m := e.memberOf(inst)
	if g == nil || m == nil || m.draining {
		return
	}
	e.spot.stats.RebalanceRecommendations++
	e.spot.stats.ReplacedTasks += nonDaemonTasks(inst)
	e.spotReleased(inst)
	m.draining = true
	if g.provider.draining() && len(inst.tasks) > 0 {
		inst.ci.Status = statusDraining
		inst.ci.Version++
		e.changed(inst.cl, nil, true)
		e.stopDaemonsIfDrained(inst)
	} else {
		e.removeMember(g, m)
	}
	e.reconcileGroup(g)
}

// interruptLocked delivers the two-minute Spot interruption warning to
// inst (rules 175, 176): DRAINING at once when draining is set, and
// terminated when the two minutes are up. e.mu must be held.
func (e *ECS) interruptLocked(inst *instance, draining bool) {
	e.spotReleased(inst)
	e.spot.stats.InstanceInterruptions++
	e.spot.stats.ReplacedTasks += nonDaemonTasks(inst)
	if draining && inst.ci.Status == statusActive {
		inst.ci.Status = statusDraining
		inst.ci.Version++
		e.changed(inst.cl, nil, true)
	}
	e.clock.AfterFunc(capacity.SpotWarning, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if inst.ci.Status != statusInactive {
			e.terminateLocked(inst)
		}
	})
}

// spotTaskStarted starts the Spot model's clock for a FARGATE_SPOT task.
// e.mu must be held.
func (e *ECS) spotTaskStarted(tk *task) {
	if e.spot.model.FargatePerTaskHour > 0 {
		e.drawTask(tk)
	}
}

// drawTask schedules the interruption of a FARGATE_SPOT task the model
// draws (rule 178): its SIGTERM and two-minute warning with stop code
// SpotInterruption and stoppedReason "Your Spot Task was interrupted.",
// as InterruptFargateSpot gives. e.mu must be held.
func (e *ECS) drawTask(tk *task) {
	e.spotTaskReleased(tk)
	arn := tk.t.TaskARN
	d, ok := e.draw(arn, e.spot.model.FargatePerTaskHour)
	if !ok {
		return
	}
	gen := e.spot.gen
	if e.spot.tasks == nil {
		e.spot.tasks = map[*task]*Timer{}
	}
	var t *Timer
	t = e.clock.AfterFunc(d, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.spot.tasks[tk] == t {
			delete(e.spot.tasks, tk)
		}
		if e.spot.gen != gen || tk.t.TaskARN != arn || tk.stopping() || tk.stopped() {
			return
		}
		e.spot.stats.FargateInterruptions++
		e.spot.stats.ReplacedTasks++
		si := capacity.SpotInterruption{TaskARN: arn, At: e.clock.Now()}
		e.stopTask(tk, si.StopCode(), capacity.SpotStoppedReason)
	})
	e.spot.tasks[tk] = t
}
