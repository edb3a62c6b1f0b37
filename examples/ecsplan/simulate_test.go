package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/stretchr/testify/require"
)

// simArgs are the command line of the example day of testdata/simulate:
// a web service scaled by target tracking at 50 % CPU through a morning
// rise and an evening fall, and a worker, on an Auto Scaling group
// capacity provider with managed scaling.
func simArgs(extra ...string) []string {
	d := filepath.Join("testdata", "simulate")
	return append([]string{"-services", filepath.Join(d, "services.json"), "-load", filepath.Join(d, "load.csv"),
		"-capacity-providers", filepath.Join(d, "providers.json"), "-auto-scaling-groups", filepath.Join(d, "groups.json"),
		"-scalable-targets", filepath.Join(d, "targets.json"), "-scaling-policies", filepath.Join(d, "policies.json")}, extra...)
}

// runCmd runs ecsplan with args and returns its exit status and output.
func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestSimulateGolden pins the text, CSV and HTML of the example day.
// Target tracking scales out fast and in slowly
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html):
// web's desired count follows its CPU load up to 10 tasks (450 % of one
// task's CPU at a 50 % target is 9, and more while the load rises) and
// back to its minimum of 2, and managed scaling adds an instance for the
// peak and removes it after.
func TestSimulateGolden(t *testing.T) {
	for _, f := range []string{"text", "csv", "html"} {
		t.Run(f, func(t *testing.T) {
			code, out, errOut := runCmd(append([]string{"simulate"}, simArgs("-interval", "30m", "-o", f)...)...)
			require.Equal(t, exitOK, code, errOut)
			golden(t, "simulate."+f, out)
		})
	}
}

// TestSimulateJSON checks the JSON's samples against its summaries.
func TestSimulateJSON(t *testing.T) {
	code, out, errOut := runCmd(append([]string{"simulate"}, simArgs("-span", "12h", "-o", "json")...)...)
	require.Equal(t, exitOK, code, errOut)
	var rep simReport
	require.NoError(t, ecs.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Samples, 12*12+1)
	require.Equal(t, []string{"web", "worker"}, rep.ServiceNames)
	peak := 0
	for _, s := range rep.Samples {
		require.Len(t, s.Services, 2)
		require.Len(t, s.Instances, len(rep.Pools))
		peak = max(peak, s.Services[0].Desired)
		require.GreaterOrEqual(t, s.Services[0].Desired, 2, "the scalable target's minimum")
		require.LessOrEqual(t, s.Services[0].Desired, 12, "the scalable target's maximum")
	}
	require.Equal(t, rep.Services[0].MaxDesired, peak)
	require.Greater(t, peak, 2, "the morning's load scales web out")
	require.Equal(t, rep.Samples[len(rep.Samples)-1].Cost, rep.Cost)
}

// TestSimulateUsage checks the refusals of the command line and input.
func TestSimulateUsage(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no services", []string{"-load", "x.csv"}, "-services is required"},
		{"no load", []string{"-services", "x.json"}, "-load is required"},
		{"bad span", simArgs("-span", "0s"), "-span"},
		{"bad interval", simArgs("-interval", "90s"), "-interval"},
		{"bad output", simArgs("-o", "yaml"), `-o "yaml"`},
		{"bad start", simArgs("-start", "monday"), "-start"},
		{"providers without groups", []string{"-services", "s.json", "-load", "l.csv", "-capacity-providers", "p.json"}, "go together"},
		{"no capacity", []string{"-services", filepath.Join("testdata", "simulate", "services.json"), "-load", filepath.Join("testdata", "simulate", "load.csv")}, "no capacity"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCmd(append([]string{"simulate"}, tt.args...)...)
			require.Equal(t, exitUsage, code)
			require.Contains(t, errOut, tt.msg)
		})
	}
}

// benchDay is a cluster of instances instances over three zones and
// services services, each scaled by target tracking at 50 % CPU between 2
// and 40 tasks under a daily curve that peaks at midday.
func benchDay(services, instances int) *simInput {
	in := &simInput{load: map[string]loadCurve{}}
	for i := range instances {
		zone := "us-east-1" + string("abc"[i%3])
		in.instances = append(in.instances, ecs.ContainerInstance{
			EC2InstanceID: fmt.Sprintf("i-%017x", i+1), Status: "ACTIVE", AgentConnected: true,
			RegisteredResources: []ecs.Resource{{Name: "CPU", Type: "INTEGER", IntegerValue: 2048}, {Name: "MEMORY", Type: "INTEGER", IntegerValue: 7680}},
			Attributes:          []ecs.Attribute{{Name: "ecs.instance-type", Value: "m5.large"}, {Name: "ecs.availability-zone", Value: zone}},
		})
	}
	cpu, mem := 256, 512
	for i := range services {
		name := fmt.Sprintf("svc%02d", i)
		td := &ecs.TaskDefinition{Family: name, Revision: 1,
			TaskDefinitionARN:    ecs.TaskDefinitionARN(ecs.DefaultRegion, ecs.DefaultAccount, name, 1).String(),
			ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "app", CPU: cpu, Memory: &mem, Essential: ptr(true)}}}
		svc := &ecs.Service{ServiceName: name, TaskDefinition: td.TaskDefinitionARN, DesiredCount: 4, LaunchType: ecs.LaunchTypeEC2,
			SchedulingStrategy: "REPLICA", DeploymentConfiguration: &ecs.DeploymentConfiguration{MaximumPercent: ptr(200), MinimumHealthyPercent: ptr(100)}}
		in.services = append(in.services, serviceDef{svc, td})
		id := "service/default/" + name
		in.targets = append(in.targets, autoscaling.ScalableTarget{ServiceNamespace: "ecs", ResourceId: id,
			ScalableDimension: "ecs:service:DesiredCount", MinCapacity: 2, MaxCapacity: 40})
		in.policies = append(in.policies, autoscaling.ScalingPolicy{PolicyName: name + "-cpu", ServiceNamespace: "ecs", ResourceId: id,
			ScalableDimension: "ecs:service:DesiredCount", PolicyType: "TargetTrackingScaling",
			TargetTrackingScalingPolicyConfiguration: &autoscaling.TargetTrackingScalingPolicyConfiguration{TargetValue: 50,
				PredefinedMetricSpecification: &autoscaling.PredefinedMetricSpecification{PredefinedMetricType: "ECSServiceAverageCPUUtilization"}}})
		peak := float64(400 + 20*i)
		in.load[name] = loadCurve{{0, loadAt(100)}, {6 * time.Hour, loadAt(150)}, {12 * time.Hour, loadAt(peak)},
			{18 * time.Hour, loadAt(peak / 2)}, {24 * time.Hour, loadAt(100)}}
	}
	return in
}

func ptr[T any](v T) *T { return &v }

// loadAt is a load of cpu percent of one task's CPU.
func loadAt(cpu float64) ecstest.ServiceLoad { return ecstest.ServiceLoad{CPU: cpu} }

// BenchmarkSimulateDay simulates a 24-hour day of 50 services on a
// 500-instance cluster, sampled every 5 minutes; the target is under 5 s
// (sim-s/op).
func BenchmarkSimulateDay(b *testing.B) {
	a := &simulateArgs{span: 24 * time.Hour, interval: 5 * time.Minute, start: defaultSimStart, seed: 1}
	var rep *simReport
	for b.Loop() {
		var err error
		if rep, err = simulate(context.Background(), benchDay(50, 500), a, func(time.Duration) {}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "sim-s/op")
	started := 0
	for _, s := range rep.Services {
		started += s.TasksStarted
	}
	b.ReportMetric(float64(started), "tasks-started")
}

// TestBenchDayScales checks that the benchmark's day scales: every
// service goes above its starting count at the midday peak.
func TestBenchDayScales(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated day")
	}
	a := &simulateArgs{span: 14 * time.Hour, interval: 30 * time.Minute, start: defaultSimStart, seed: 1}
	rep, err := simulate(context.Background(), benchDay(5, 30), a, func(time.Duration) {})
	require.NoError(t, err)
	for _, s := range rep.Services {
		require.Greater(t, s.MaxDesired, 4, s.Service)
		require.Zero(t, s.UnableToPlace, s.Service)
	}
	require.True(t, strings.HasPrefix(rep.Pools[0], "m5.large "))
}

// TestSimulateStaticAndScheduled runs services on instances that stay
// (-cluster) with a scheduled action that raises web's minimum capacity
// at noon, as Application Auto Scaling's scheduled scaling does
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html):
// from then on web runs at least 4 tasks; a service no instance has room
// for counts its "unable to place" events, and the exit status is 1.
func TestSimulateStaticAndScheduled(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	services := write("services.json", `{"services": [
		{"serviceName": "web", "taskDefinition": "web", "desiredCount": 2, "launchType": "EC2"},
		{"serviceName": "huge", "taskDefinition": "huge", "desiredCount": 1, "launchType": "EC2"}],
	"taskDefinitions": [
		{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx", "cpu": 256, "memory": 256}]},
		{"family": "huge", "containerDefinitions": [{"name": "huge", "image": "x", "cpu": 256, "memory": 65536}]}]}`)
	load := write("load.csv", "time,service,cpu\n00:00,web,20\n")
	targets := write("targets.json", `{"ScalableTargets": [{"ServiceNamespace": "ecs", "ResourceId": "service/default/web",
		"ScalableDimension": "ecs:service:DesiredCount", "MinCapacity": 2, "MaxCapacity": 8}]}`)
	actions := write("actions.json", `{"ScheduledActions": [{"ScheduledActionName": "noon", "ServiceNamespace": "ecs",
		"ResourceId": "service/default/web", "ScalableDimension": "ecs:service:DesiredCount",
		"Schedule": "cron(0 12 * * ? *)", "ScalableTargetAction": {"MinCapacity": 4, "MaxCapacity": 8}}]}`)
	code, out, errOut := runCmd("simulate", "-services", services, "-load", load,
		"-cluster", filepath.Join("..", "..", "ecs", "testdata", "describe-container-instances-small-cluster.json"),
		"-scalable-targets", targets, "-scheduled-actions", actions, "-interval", "1h", "-o", "json")
	require.Equal(t, exitProblems, code, errOut)
	var rep simReport
	require.NoError(t, ecs.Unmarshal([]byte(out), &rep))
	for _, s := range rep.Samples {
		want := 2
		if s.T >= 12*3600 { // the action runs at noon, before the sample
			want = 4
		}
		require.Equal(t, want, s.Services[0].Desired, "web at %s", offsetString(time.Duration(s.T)*time.Second))
	}
	require.Equal(t, []string{"c5.xlarge us-east-1c", "m5.large us-east-1a", "m5.large us-east-1b"}, rep.Pools)
	require.Positive(t, rep.Services[1].UnableToPlace, "huge fits no instance")
	require.InDelta(t, 24, rep.Services[1].WaitingTaskHours, 0.01)
	require.Positive(t, rep.Cost)
}
