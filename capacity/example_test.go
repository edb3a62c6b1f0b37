package capacity_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

func ExampleSplit() {
	strategy := []ecs.CapacityProviderStrategyItem{
		{CapacityProvider: "A", Base: 2, Weight: 1},
		{CapacityProvider: "B", Weight: 1},
	}
	counts, err := capacity.Split(strategy, nil, 6)
	if err != nil {
		panic(err)
	}
	fmt.Println(counts)
	// Output: [4 2]
}

func ExampleSplitter() {
	s, err := capacity.NewSplitter([]ecs.CapacityProviderStrategyItem{
		{CapacityProvider: "A", Weight: 1},
		{CapacityProvider: "B", Weight: 4},
	})
	if err != nil {
		panic(err)
	}
	var order []string
	for range 5 {
		order = append(order, s.Strategy()[s.Next()].CapacityProvider)
	}
	fmt.Println(strings.Join(order, " "))
	// The service scales out by 5 more: the split goes on from its counts.
	fmt.Println(s.Take(5), s.Counts())
	// Output:
	// B B A B B
	// [1 4] [2 8]
}

func ExampleSplitter_Place() {
	s, err := capacity.NewSplitter([]ecs.CapacityProviderStrategyItem{
		{CapacityProvider: "on-demand", Base: 1, Weight: 1},
		{CapacityProvider: "spot", Weight: 1},
	})
	if err != nil {
		panic(err)
	}
	free := map[string]int{"on-demand": 1, "spot": 5} // task slots, as placement would find them
	room := func(p string) bool {
		if free[p] == 0 {
			return false
		}
		free[p]--
		return true
	}
	for _, p := range s.Place(4, room, true) {
		fmt.Printf("task %d: %s placed=%t fallback=%q\n", p.Task, p.Provider, p.Placed, p.Fallback)
	}
	// Output:
	// task 0: on-demand placed=true fallback=""
	// task 1: on-demand placed=false fallback="spot"
	// task 2: on-demand placed=false fallback="spot"
	// task 3: on-demand placed=false fallback="spot"
}

func ExampleResolve() {
	cluster := &ecs.Cluster{
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []ecs.CapacityProviderStrategyItem{
			{CapacityProvider: "FARGATE", Base: 1, Weight: 1},
			{CapacityProvider: "FARGATE_SPOT", Weight: 3},
		},
	}
	l, err := capacity.Resolve("", nil, cluster)
	fmt.Println(l.Default, len(l.Strategy), err)

	_, err = capacity.Resolve(ecs.LaunchTypeFargate, l.Strategy, cluster)
	fmt.Println(err)
	// Output:
	// true 2 <nil>
	// InvalidParameterException: Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.
}

func ExampleValidateStrategy() {
	err := capacity.ValidateStrategy([]ecs.CapacityProviderStrategyItem{
		{CapacityProvider: "FARGATE", Weight: 1},
		{CapacityProvider: "my-asg", Weight: 1},
	})
	fmt.Println(err)
	// Output:
	// InvalidParameterException: A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.
}

func ExampleParseStrategy() {
	s, err := capacity.ParseStrategy("FARGATE:base=2,weight=1,FARGATE_SPOT:weight=3")
	if err != nil {
		panic(err)
	}
	counts, err := capacity.SplitCounts(s, 10)
	fmt.Println(counts, err)
	// Output: [{FARGATE 4} {FARGATE_SPOT 6}] <nil>
}

func ExamplePriceTable_CheapestFargate() {
	prices := capacity.DefaultPrices()
	for _, on := range []capacity.Platform{
		{},
		{Architecture: ecs.CPUArchitectureArm64},
		{Spot: true},
	} {
		q, err := prices.CheapestFargate(700, 1500, on)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s spot=%t: %d CPU, %d MiB, $%.5f/h, $%.2f/month\n",
			q.Rate.OS, q.Rate.Architecture, q.Rate.Spot, q.Size.CPU, q.Size.MemoryMiB, q.Hourly, q.Monthly())
	}
	// Output:
	// LINUX X86_64 spot=false: 1024 CPU, 2048 MiB, $0.04937/h, $36.04/month
	// LINUX ARM64 spot=false: 1024 CPU, 2048 MiB, $0.03950/h, $28.84/month
	// LINUX X86_64 spot=true: 1024 CPU, 2048 MiB, $0.01572/h, $11.48/month
}

func ExampleSpotInterruption() {
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	e := capacity.SpotInterruption{TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/web/1", At: at}
	task := ecs.Task{TaskARN: e.TaskARN, LastStatus: "RUNNING", DesiredStatus: "RUNNING"}
	e.Apply(&task)
	fmt.Println(task.DesiredStatus, task.StopCode, task.StoppedReason)
	fmt.Println(e.KillAt(0).Format(time.TimeOnly), e.ReclaimAt().Format(time.TimeOnly))
	// Output:
	// STOPPED SpotInterruption Your Spot Task was interrupted.
	// 12:00:30 12:02:00
}

func ExampleDecide() {
	target := 80
	p := ecs.AutoScalingGroupProvider{
		AutoScalingGroupARN:          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web",
		ManagedScaling:               &ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled, TargetCapacity: &target},
		ManagedTerminationProtection: ecs.ManagedTerminationProtectionEnabled,
	}
	s := capacity.ScalingState{
		Instances: []capacity.Instance{{ID: "i-1", NonDaemonTasks: 3}, {ID: "i-2", NonDaemonTasks: 1}},
		Provisioning: []ecs.Resources{
			{CPU: 1024, MemoryMiB: 2048}, {CPU: 1024, MemoryMiB: 2048}, {CPU: 1024, MemoryMiB: 2048},
		},
		Shapes:          []capacity.InstanceShape{{Name: "m5.large", CPU: 2048, MemoryMiB: 7680, ENIs: 2}},
		DesiredCapacity: 2,
	}
	d := capacity.Decide(p, s)
	fmt.Printf("M=%d N=%d CPR=%.0f %s to %d\n", d.Estimate.M(), d.Estimate.Running, d.Reservation, d.Action, d.Desired)
	// Output: M=4 N=2 CPR=200 scale-out to 5
}

func ExampleScalingDefaults() {
	// The autoScalingGroupProvider member of describe-capacity-providers.
	doc := `{
		"autoScalingGroupArn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web",
		"managedScaling": {"status": "ENABLED", "targetCapacity": 80, "instanceWarmupPeriod": 60},
		"managedTerminationProtection": "ENABLED"
	}`
	var p ecs.AutoScalingGroupProvider
	if err := ecs.Unmarshal([]byte(doc), &p); err != nil {
		panic(err)
	}
	if err := capacity.ValidateProvider(p); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", capacity.ScalingDefaults(*p.ManagedScaling))
	// Output: {Enabled:true TargetCapacity:80 MinimumScalingStepSize:1 MaximumScalingStepSize:10000 InstanceWarmupPeriod:1m0s}
}

// printer is a Scaler that prints what it is told.
type printer struct{}

func (printer) SetDesiredCapacity(_ context.Context, group string, n int) error {
	fmt.Printf("set %s to %d\n", group, n)
	return nil
}

func ExampleDriver() {
	p := ecs.AutoScalingGroupProvider{
		AutoScalingGroupARN: "arn:asg/web",
		ManagedScaling:      &ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled},
	}
	dr, err := capacity.NewDriver("web", p, printer{})
	if err != nil {
		panic(err)
	}
	idle := capacity.ScalingState{
		Instances:       []capacity.Instance{{ID: "i-1", NonDaemonTasks: 1}, {ID: "i-2"}},
		DesiredCapacity: 2,
	}
	for minute := 1; minute <= capacity.ScaleInDatapoints; minute++ {
		d, err := dr.Step(context.Background(), idle)
		if err != nil {
			panic(err)
		}
		if d.Action != capacity.Hold {
			fmt.Printf("minute %d: %s, CPR %.0f\n", minute, d.Action, d.Reservation)
		}
	}
	// Output:
	// set web to 1
	// minute 15: scale-in, CPR 50
}
