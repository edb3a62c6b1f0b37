package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// smallCluster is describe-container-instances output of three instances
// that stay: two m5.large and a c5.xlarge.
var smallCluster = filepath.Join("..", "..", "ecs", "testdata", "describe-container-instances-small-cluster.json")

// writeFiles writes name → content into a new directory and returns the
// paths by name.
func writeFiles(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	dir, paths := t.TempDir(), map[string]string{}
	for name, data := range files {
		paths[name] = filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(paths[name], []byte(data), 0o644))
	}
	return paths
}

// simJSON runs ecsplan simulate -o json with args and decodes its report.
func simJSON(t *testing.T, wantCode int, args ...string) *simReport {
	t.Helper()
	code, out, errOut := runCmd(append(append([]string{"simulate"}, args...), "-o", "json")...)
	require.Equal(t, wantCode, code, errOut)
	var rep simReport
	require.NoError(t, ecs.Unmarshal([]byte(out), &rep))
	return &rep
}

// TestSimulateCostSoFar checks that a sample's cost is what was spent up
// to its time: nothing at the start, then the static instances' price
// per hour for each hour (two m5.large and a c5.xlarge, on demand).
func TestSimulateCostSoFar(t *testing.T) {
	p := writeFiles(t, map[string]string{
		"services.json": `{"services": [{"serviceName": "web", "taskDefinition": "web", "desiredCount": 1, "launchType": "EC2"}],
			"taskDefinitions": [{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx", "cpu": 256, "memory": 256}]}]}`,
		"load.csv": "time,service,cpu\n00:00,web,20\n",
	})
	rep := simJSON(t, exitOK, "-services", p["services.json"], "-load", p["load.csv"], "-cluster", smallCluster,
		"-span", "3h", "-interval", "1h")
	prices := capacity.DefaultPrices().EC2.OnDemand
	hourly := 2*prices["m5.large"] + prices["c5.xlarge"]
	require.Len(t, rep.Samples, 4)
	for k, s := range rep.Samples {
		require.InDelta(t, round2(float64(k)*hourly), s.Cost, 1e-9, "cost so far at %dh", k)
	}
	require.InDelta(t, round2(3*hourly), rep.Cost, 1e-9)
}

// TestSimulateIntervalIndependent checks that the figures of a run do
// not depend on how often it samples: the example day sampled every
// minute and every hour has the same waiting task-hours, desired counts,
// instance-hours and costs, and the same samples on the hour.
func TestSimulateIntervalIndependent(t *testing.T) {
	fine := simJSON(t, exitOK, simArgs("-interval", "1m")...)
	coarse := simJSON(t, exitOK, simArgs("-interval", "60m")...)
	require.Empty(t, cmp.Diff(fine.Services, coarse.Services))
	require.Empty(t, cmp.Diff(fine.Instances, coarse.Instances))
	require.Equal(t, fine.Cost, coarse.Cost)
	require.Len(t, fine.Samples, 24*60+1)
	require.Len(t, coarse.Samples, 24+1)
	for i, s := range coarse.Samples {
		require.Empty(t, cmp.Diff(fine.Samples[60*i], s), "sample at %dh", i)
	}
	web := fine.Services[0]
	require.Equal(t, "web", web.Service)
	// web waits while its first tasks and those of its morning rise
	// start, and for the instance managed scaling launches: minutes, not
	// the hours the samples' intervals made of it.
	require.Less(t, web.WaitingTaskHours, 0.5)
}

// TestSimulateSpanNotWhole checks that a span that is not a whole number
// of intervals ends with a sample at its end, and is charged to its end.
func TestSimulateSpanNotWhole(t *testing.T) {
	rep := simJSON(t, exitOK, simArgs("-span", "70m", "-interval", "30m")...)
	var ts []int64
	for _, s := range rep.Samples {
		ts = append(ts, s.T)
	}
	require.Equal(t, []int64{0, 1800, 3600, 4200}, ts)
	hours := 0.0
	for _, p := range rep.Instances {
		hours += p.InstanceHours
	}
	// The group starts with two instances and launches none in the first
	// hour: 2 × 70 minutes.
	require.InDelta(t, 2*70.0/60, hours, 0.01)
}

// fargateServices is describe-services output of one service of n tasks
// of 1 vCPU and 2 GB on Fargate: launch and strategy are its launchType
// or capacityProviderStrategy members, os its runtime platform's family.
func fargateServices(n int, launch, os string) string {
	return fmt.Sprintf(`{"services": [{"serviceName": "api", "taskDefinition": "api", "desiredCount": %d, %s,
		"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0a"], "assignPublicIp": "DISABLED"}}}],
	"taskDefinitions": [{"family": "api", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "1024", "memory": "2048",
		"runtimePlatform": {"operatingSystemFamily": %q, "cpuArchitecture": "X86_64"},
		"containerDefinitions": [{"name": "api", "image": "api", "essential": true}]}]}`, n, launch, os)
}

// TestSimulateFargate checks the cost of Fargate tasks: by their size at
// the capacity package's rates (https://aws.amazon.com/fargate/pricing/),
// FARGATE_SPOT tasks at the Spot rate, a Windows task with its licence,
// whether the service names Fargate by launch type or by a capacity
// provider strategy of FARGATE and FARGATE_SPOT (which ECS associates
// with the cluster for it). Two Linux tasks of 1 vCPU and 2 GB for 10
// hours cost 2 × 10 × (0.04048 + 2 × 0.004445) = 0.99 (less the seconds
// they take to start).
func TestSimulateFargate(t *testing.T) {
	prices := capacity.DefaultPrices()
	size := ecs.FargateSize{CPU: 1024, MemoryMiB: 2048}
	rate := func(p capacity.Platform) float64 {
		h, err := prices.FargateHourly(size, p)
		require.NoError(t, err)
		return h
	}
	linux, spot := rate(capacity.Platform{}), rate(capacity.Platform{Spot: true})
	windows := rate(capacity.Platform{OS: "WINDOWS_SERVER_2022_CORE"})
	for _, tt := range []struct {
		name, launch, os string
		want             float64 // per hour of the service's two tasks
	}{
		{"launch type", `"launchType": "FARGATE"`, "LINUX", 2 * linux},
		{"strategy FARGATE", `"capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}]`, "LINUX", 2 * linux},
		{"strategy FARGATE_SPOT", `"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]`, "LINUX", 2 * spot},
		{"strategy base on demand", `"capacityProviderStrategy": [{"capacityProvider": "FARGATE", "base": 1, "weight": 0},
			{"capacityProvider": "FARGATE_SPOT", "weight": 1}]`, "LINUX", linux + spot},
		{"windows", `"launchType": "FARGATE"`, "WINDOWS_SERVER_2022_CORE", 2 * windows},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFiles(t, map[string]string{"services.json": fargateServices(2, tt.launch, tt.os),
				"load.csv": "time,service,cpu\n00:00,api,50\n"})
			rep := simJSON(t, exitOK, "-services", p["services.json"], "-load", p["load.csv"], "-span", "10h", "-interval", "60m")
			require.Empty(t, rep.Notes)
			require.Equal(t, 2, rep.Services[0].TasksStarted)
			require.InDelta(t, 10*tt.want, rep.Services[0].Cost, 0.01)
			require.Equal(t, rep.Services[0].Cost, rep.Cost)
		})
	}
	require.InDelta(t, 0.99, 20*linux, 0.005)
}

// TestFargateRates checks a task's hourly prices against the capacity
// package's: on demand, Spot only when the service uses it, and no Spot
// price for Windows.
func TestFargateRates(t *testing.T) {
	prices := capacity.DefaultPrices()
	td := &ecs.TaskDefinition{Family: "api", CPU: ".5 vCPU", Memory: "2 GB",
		RuntimePlatform: &ecs.RuntimePlatform{CPUArchitecture: ecs.CPUArchitectureArm64}}
	got, err := fargateRates(prices, td, true)
	require.NoError(t, err)
	size := ecs.FargateSize{CPU: 512, MemoryMiB: 2048}
	od, err := prices.FargateHourly(size, capacity.Platform{Architecture: ecs.CPUArchitectureArm64})
	require.NoError(t, err)
	sp, err := prices.FargateHourly(size, capacity.Platform{Architecture: ecs.CPUArchitectureArm64, Spot: true})
	require.NoError(t, err)
	require.Equal(t, simRate{onDemand: od, spot: sp}, got)
	got, err = fargateRates(prices, td, false)
	require.NoError(t, err)
	require.Equal(t, simRate{onDemand: od}, got)
	td.RuntimePlatform = &ecs.RuntimePlatform{OperatingSystemFamily: "WINDOWS_SERVER_2022_CORE"}
	_, err = fargateRates(prices, td, true)
	require.ErrorIs(t, err, capacity.ErrNoPrice)
	_, err = fargateRates(prices, &ecs.TaskDefinition{Family: "ec2only"}, false)
	require.ErrorContains(t, err, "cpu")
}

// TestSimulateBounds checks the bounds of a run: a load row after the
// longest span (31 days) is refused, as is a run that would hold more
// than maxSimFigures figures, before it starts.
func TestSimulateBounds(t *testing.T) {
	var svcs, tds, load strings.Builder
	load.WriteString("time,service,cpu\n")
	for i := range 60 {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&svcs, `%s{"serviceName": "s%02d", "taskDefinition": "s%02d", "desiredCount": 1, "launchType": "EC2"}`, sep, i, i)
		fmt.Fprintf(&tds, `%s{"family": "s%02d", "containerDefinitions": [{"name": "a", "image": "a", "cpu": 8, "memory": 8}]}`, sep, i)
		fmt.Fprintf(&load, "00:00,s%02d,1\n", i)
	}
	p := writeFiles(t, map[string]string{
		"services.json": `{"services": [` + svcs.String() + `], "taskDefinitions": [` + tds.String() + `]}`,
		"load.csv":      load.String(),
		"late.csv":      "time,service,cpu\n00:00,s00,1\n745h,s00,2\n",
	})
	code, _, errOut := runCmd("simulate", "-services", p["services.json"], "-load", p["late.csv"], "-cluster", smallCluster)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, `row 3: time "745h"`)
	code, _, errOut = runCmd("simulate", "-services", p["services.json"], "-load", p["load.csv"], "-cluster", smallCluster,
		"-span", "744h", "-interval", "1m")
	require.Equal(t, exitUsage, code)
	require.Contains(t, errOut, "44641 samples of 60 services and up to 3 instance pools")
	// The same at an hour's interval runs.
	require.NoError(t, checkSimSize(&simInput{services: make([]serviceDef, 60)}, &simulateArgs{span: maxSimSpan, interval: time.Hour}))
}

// spotGroups is the example day's group with a mixed instances policy of
// one On-Demand instance and Spot above it (pct is
// OnDemandPercentageAboveBaseCapacity).
func spotGroups(pct int) string {
	return fmt.Sprintf(`{"AutoScalingGroups": [{"AutoScalingGroupName": "shop-workers",
		"AutoScalingGroupARN": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:7e0b4f6e-0000-4000-8000-000000000001:autoScalingGroupName/shop-workers",
		"MinSize": 1, "MaxSize": 12, "DesiredCapacity": 2, "AvailabilityZones": ["us-east-1a", "us-east-1b"],
		"MixedInstancesPolicy": {"LaunchTemplate": {"Overrides": [{"InstanceType": "c5.xlarge"}]},
			"InstancesDistribution": {"OnDemandBaseCapacity": 1, "OnDemandPercentageAboveBaseCapacity": %d}}}]}`, pct)
}

// TestSimulateSpot checks that a simulated day shows what Spot costs in
// replaced tasks (ecstest's SpotModel, rules 175 to 178): the Spot
// instances of a group with 0 % On-Demand above its base are interrupted
// at -spot-ec2-rate and their tasks replaced, FARGATE_SPOT tasks at
// -spot-fargate-rate, each interruption a task started again.
func TestSimulateSpot(t *testing.T) {
	d := filepath.Join("testdata", "simulate")
	p := writeFiles(t, map[string]string{"groups.json": spotGroups(0), "groups50.json": spotGroups(50),
		"fargate.json": fargateServices(2, `"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]`, "LINUX"),
		"load.csv":     "time,service,cpu\n00:00,api,50\n"})
	ec2 := func(extra ...string) []string {
		return append([]string{"-services", filepath.Join(d, "services.json"), "-load", filepath.Join(d, "load.csv"),
			"-capacity-providers", filepath.Join(d, "providers.json"), "-auto-scaling-groups", p["groups.json"],
			"-scalable-targets", filepath.Join(d, "targets.json"), "-scaling-policies", filepath.Join(d, "policies.json")}, extra...)
	}
	t.Run("ec2", func(t *testing.T) {
		calm := simJSON(t, exitOK, ec2()...)
		rep := simJSON(t, exitOK, ec2("-spot-ec2-rate", "0.2", "-spot-draining")...)
		require.NotNil(t, rep.Spot)
		require.Positive(t, rep.Spot.Stats.InstanceInterruptions)
		require.Positive(t, rep.Spot.Stats.ReplacedTasks)
		require.Positive(t, rep.Spot.SpotInstanceHours)
		require.Contains(t, rep.Notes, "the price table has no EC2 Spot prices: Spot Instances cost the on-demand price here")
		started := func(r *simReport) int { return r.Services[0].TasksStarted + r.Services[1].TasksStarted }
		require.Greater(t, started(rep), started(calm), "the interrupted instances' tasks start again")
		require.Zero(t, calm.Spot.Stats.InstanceInterruptions, "no model, no interruptions")
		again := simJSON(t, exitOK, ec2("-spot-ec2-rate", "0.2", "-spot-draining")...)
		require.Equal(t, rep.Spot, again.Spot, "the same seed draws the same interruptions")
	})
	t.Run("fargate", func(t *testing.T) {
		rep := simJSON(t, exitOK, "-services", p["fargate.json"], "-load", p["load.csv"], "-span", "10h", "-spot-fargate-rate", "0.5")
		require.NotNil(t, rep.Spot)
		require.Positive(t, rep.Spot.Stats.FargateInterruptions)
		require.Equal(t, rep.Spot.Stats.FargateInterruptions, rep.Spot.Stats.ReplacedTasks)
		require.Equal(t, 2+rep.Spot.Stats.FargateInterruptions, rep.Services[0].TasksStarted)
	})
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"negative rate", ec2("-spot-ec2-rate", "-1"), "-spot-ec2-rate -1: want from 0 to 60"},
		{"NaN rate", ec2("-spot-fargate-rate", "NaN"), "-spot-fargate-rate NaN"},
		{"partial Spot", append(ec2(), "-auto-scaling-groups", p["groups50.json"]), "OnDemandPercentageAboveBaseCapacity 50"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCmd(append([]string{"simulate"}, tt.args...)...)
			require.Equal(t, exitUsage, code)
			require.Contains(t, errOut, tt.msg)
		})
	}
}

// TestSimulateJSONStreamed checks that the JSON written a sample at a
// time is the bytes of the report marshalled whole.
func TestSimulateJSONStreamed(t *testing.T) {
	for _, args := range [][]string{simArgs("-span", "3h"), simArgs("-span", "1m", "-interval", "1m")} {
		rep := simJSON(t, exitOK, args...)
		var got bytes.Buffer
		require.NoError(t, writeSimJSON(&got, rep))
		want, err := ecs.MarshalIndent(rep, "  ")
		require.NoError(t, err)
		require.Equal(t, string(want)+"\n", got.String())
	}
}
