package deploy_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
)

// cluster returns two instances of 2 vCPU and 4 GiB in two zones.
func cluster() []ecs.ContainerInstance {
	var out []ecs.ContainerInstance
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		out = append(out, ecs.ContainerInstance{
			ContainerInstanceARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/%032d", i),
			EC2InstanceID:        fmt.Sprintf("i-%017d", i),
			Status:               "ACTIVE", AgentConnected: true,
			RegisteredResources: ecs.Resources{CPU: 2048, MemoryMiB: 4096}.ResourceList(),
			Attributes:          []ecs.Attribute{{Name: "ecs.availability-zone", Value: az}},
		})
	}
	return out
}

func taskDefinition(rev int) *ecs.TaskDefinition {
	return &ecs.TaskDefinition{
		TaskDefinitionARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/web:%d", rev),
		Family:            "web", Revision: rev, CPU: "256", Memory: "512",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx"}},
	}
}

// Threshold gives the circuit breaker's failure threshold.
func ExampleThreshold() {
	for _, desired := range []int{1, 4, 25, 400, 800} {
		fmt.Print(deploy.Threshold(nil, desired), " ")
	}
	fmt.Println()
	// Output: 3 3 13 200 200
}

// rollingUpdate returns a service of four tasks of web:1 running on
// cluster(), just updated to web:2 at start, at minimumHealthyPercent
// minPct and maximumPercent maxPct, with its task definitions and tasks
// and the instances holding them.
func rollingUpdate(minPct, maxPct int, start time.Time) (*ecs.Service, map[string]*ecs.TaskDefinition, []ecs.Task, []ecs.ContainerInstance) {
	old, next := taskDefinition(1), taskDefinition(2)
	tds := map[string]*ecs.TaskDefinition{old.TaskDefinitionARN: old, next.TaskDefinitionARN: next}
	svc := &ecs.Service{
		ServiceARN: "arn:aws:ecs:us-east-1:123456789012:service/prod/web", ServiceName: "web",
		DesiredCount: 4, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{MinimumHealthyPercent: ptr(minPct), MaximumPercent: ptr(maxPct)},
		Deployments: []ecs.Deployment{{ID: deploy.DeploymentID(1, 0), Status: "PRIMARY",
			TaskDefinition: old.TaskDefinitionARN, DesiredCount: 4, RunningCount: 4}},
	}
	tasks, instances, err := deploy.RunningTasks(svc, &svc.Deployments[0], old, 4, cluster(), 1, start.Add(-time.Hour))
	if err != nil {
		panic(err)
	}
	return deploy.StartDeployment(svc, next.TaskDefinitionARN, deploy.DeploymentID(1, 1), start), tds, tasks, instances
}

// Step is one decision of the service scheduler, a pure function of the
// state: here the first step of a rolling update of four tasks at
// minimumHealthyPercent 50 and maximumPercent 150. Two old tasks stop,
// leaving ceil(4 × 50%) = 2 healthy, and four new ones start in their
// place, making floor(4 × 150%) = 6 running or pending.
func ExampleStep() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	svc, tds, tasks, instances := rollingUpdate(50, 150, now)
	placer, err := deploy.PlacementPlacer(tds)(deploy.Observation{Tasks: tasks, Instances: instances})
	if err != nil {
		panic(err)
	}
	res, err := deploy.Step(&deploy.State{
		Service: svc, Tasks: tasks, TaskDefinitions: tds, Instances: instances,
		Placer: placer, Now: now, Memory: deploy.NewMemory(1),
	})
	if err != nil {
		panic(err)
	}
	for _, s := range res.Stop {
		fmt.Println("stop", s.StopCode)
	}
	for _, s := range res.Start {
		fmt.Println("start web:2 in", s.AvailabilityZone)
	}
	for _, d := range res.Service.Deployments {
		fmt.Println(d.Status, d.TaskDefinition[len(d.TaskDefinition)-5:], d.RolloutState, "running", d.RunningCount, "pending", d.PendingCount)
	}
	for _, e := range res.Events {
		fmt.Println(e.Message)
	}
	// Output:
	// stop ServiceSchedulerInitiated
	// stop ServiceSchedulerInitiated
	// start web:2 in us-east-1a
	// start web:2 in us-east-1b
	// start web:2 in us-east-1a
	// start web:2 in us-east-1b
	// PRIMARY web:2 IN_PROGRESS running 0 pending 4
	// ACTIVE web:1 COMPLETED running 2 pending 0
	// (service web) has stopped 2 running tasks: (task 7212a63eafa4c59b1319d7c3bf3df2ae) (task b2a7df7f60852a6ea15808d6fef3ac15).
	// (service web) has started 4 tasks: (task 910a2dec89025cc1beeb8da1658eec67) (task f893a2eefb32555e71c18690ee42c90b) (task 71bb54d8d101b5b9c34d0bff90150280) (task e099ec6cd7363ca585e7bb0f12278575).
}

// virtualClock is a Clock of virtual time: a wait returns at once when the
// runtime has changed, and otherwise jumps to the time waited for.
type virtualClock struct{ now time.Time }

func (c *virtualClock) Now() time.Time { return c.now }

func (c *virtualClock) Wait(_ context.Context, until time.Time, changed <-chan struct{}) error {
	select {
	case <-changed:
		return nil
	default:
	}
	if until.IsZero() {
		return errors.New("clock: nothing will change")
	}
	c.now = until
	return nil
}

// instantRuntime is a Runtime of tasks that start RUNNING and stop at
// once. A real one calls RunTask or StartTask, StopTask and
// describe-tasks, and reports the instances' remaining resources as they
// change.
type instantRuntime struct {
	clock     *virtualClock
	tasks     []ecs.Task
	instances []ecs.ContainerInstance
	changed   chan struct{} // buffered: holds a value after a change
}

func (r *instantRuntime) change() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

func (r *instantRuntime) Observe(context.Context) (deploy.Observation, error) {
	obs := deploy.Observation{Tasks: slices.Clone(r.tasks), Instances: r.instances}
	// A STOPPED task is reported once.
	r.tasks = slices.DeleteFunc(r.tasks, func(t ecs.Task) bool { return t.LastStatus == "STOPPED" })
	return obs, nil
}

func (r *instantRuntime) StartTask(_ context.Context, s deploy.Start) error {
	now := ecs.NewTime(r.clock.now)
	r.tasks = append(r.tasks, ecs.Task{
		TaskARN: s.TaskARN, TaskDefinitionARN: s.TaskDefinitionARN, StartedBy: s.StartedBy, Group: s.Group,
		ContainerInstanceARN: s.ContainerInstanceARN, AvailabilityZone: s.AvailabilityZone, Containers: s.Containers,
		LaunchType: s.LaunchType, LastStatus: "RUNNING", DesiredStatus: "RUNNING", CreatedAt: now, StartedAt: now,
	})
	r.change()
	return nil
}

func (r *instantRuntime) StopTask(_ context.Context, s deploy.Stop) error {
	for i := range r.tasks {
		if t := &r.tasks[i]; t.TaskARN == s.TaskARN {
			t.LastStatus, t.DesiredStatus, t.StopCode, t.StoppedReason = "STOPPED", "STOPPED", s.StopCode, s.Reason
			t.StoppedAt = ecs.NewTime(r.clock.now)
		}
	}
	r.change()
	return nil
}

func (r *instantRuntime) Changes() <-chan struct{} { return r.changed }

// A Driver runs the scheduler against a Runtime, the world it starts and
// stops tasks in: observe, Step, apply, wait for a change or the time the
// step asks to run again. Here a rolling update of four tasks at 100/200
// runs to completion: four new tasks start, turn healthy by the 40-second
// rule, and then the old ones stop.
func ExampleDriver() {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	svc, tds, tasks, instances := rollingUpdate(100, 200, start)
	c := &virtualClock{now: start}
	d := &deploy.Driver{
		Service: svc, TaskDefinitions: tds,
		Runtime:   &instantRuntime{clock: c, tasks: tasks, instances: instances, changed: make(chan struct{}, 1)},
		Clock:     c,
		NewPlacer: deploy.PlacementPlacer(tds),
		Memory:    deploy.NewMemory(1),
		OnStep: func(st *deploy.State, res *deploy.Result) {
			fmt.Printf("t=%2ds: stop %d, start %d\n", st.Now.Sub(start)/time.Second, len(res.Stop), len(res.Start))
			for _, e := range res.Events {
				fmt.Println("  ", e.Message)
			}
		},
	}
	completed := func(res *deploy.Result) bool {
		return res.Service.Deployments[0].RolloutState == ecs.DeploymentRolloutStateCompleted
	}
	if err := d.Run(context.Background(), completed); err != nil {
		panic(err)
	}
	fmt.Println(d.Service.Deployments[0].RolloutStateReason)
	// Output:
	// t= 0s: stop 0, start 4
	//    (service web) has started 4 tasks: (task 910a2dec89025cc1beeb8da1658eec67) (task f893a2eefb32555e71c18690ee42c90b) (task 71bb54d8d101b5b9c34d0bff90150280) (task e099ec6cd7363ca585e7bb0f12278575).
	// t= 0s: stop 0, start 0
	// t=40s: stop 4, start 0
	//    (service web) has stopped 4 running tasks: (task 66c858132aa9dad14a7745bdd9af334f) (task 7212a63eafa4c59b1319d7c3bf3df2ae) (task b2a7df7f60852a6ea15808d6fef3ac15) (task e8a56f90329f8c96a13cd902a4d55555).
	// t=40s: stop 0, start 0
	//    (service web) (deployment ecs-svc/4522410275139603566) deployment completed.
	//    (service web) has reached a steady state.
	// ECS deployment ecs-svc/4522410275139603566 completed.
}

func ptr[T any](v T) *T { return &v }
