package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs/ecstest"
)

const simulateUsage = `usage: ecsplan simulate -services SERVICES.json [-task-definitions FILE...]
	-load LOAD.csv [-cluster INSTANCES.json]
	[-capacity-providers PROVIDERS.json -auto-scaling-groups GROUPS.json]
	[-scalable-targets TARGETS.json] [-scaling-policies POLICIES.json]
	[-scheduled-actions ACTIONS.json] [-span 24h] [-interval 5m]
	[-start 2026-01-05T00:00:00Z] [-seed N] [-o text|json|csv|html]
	[-spot-ec2-rate R] [-spot-fargate-rate R] [-spot-draining]

simulate runs the services on the virtual clock of ecscore's in-memory ECS
(package ecstest) for -span under the load of LOAD.csv, with Application
Auto Scaling (the scalable targets, scaling policies and scheduled actions
of describe-scalable-targets, describe-scaling-policies and
describe-scheduled-actions output), the capacity providers' managed
scaling of their Auto Scaling groups, and placement as ECS does it, and
reports every -interval (and at the end of -span): each service's
desired, running and pending tasks and CPU utilisation, the instances per
type and zone, the tasks that waited and the placements that failed, and
what was spent so far (the capacity package's on-demand prices; Fargate
tasks by their size and platform, FARGATE_SPOT at the Spot rate). The
figures are integrated on the virtual clock: they do not depend on
-interval. A run holds at most 1,000,000 figures (samples × (services +
instance pools)).
SERVICES.json is describe-services output (the services start at their
desiredCount); their task definitions come from -task-definitions or a
top-level "taskDefinitions" array in it. INSTANCES.json is
describe-container-instances output: instances that stay. PROVIDERS.json is
describe-capacity-providers output and GROUPS.json
describe-auto-scaling-groups output (a group's instance type from an
"InstanceType" member, its instances or its mixed instances policy); the
cluster's default strategy is the providers, weight 1 each; FARGATE and
FARGATE_SPOT are associated with the cluster when a service's
capacityProviderStrategy names them.
LOAD.csv has a header row naming its columns: time (HH:MM, HH:MM:SS or a
duration such as 90m from the start, up to 744h), service, and any of cpu
(the CPU the service's work needs, in percent of one task's CPU, summed
over its tasks: 250 keeps 5 tasks at 50 %), memory (the same for memory)
and requests (per minute, spread over the healthy targets); the load
changes linearly between rows.
The Spot flags interrupt the Spot instances (of groups whose mixed
instances policy has OnDemandPercentageAboveBaseCapacity 0) and the
FARGATE_SPOT tasks at the rates given, per instance-hour and per
task-hour, drawn from -seed (ecstest's SpotModel; -spot-draining is the
agent's ECS_ENABLE_SPOT_INSTANCE_DRAINING): the report counts the
interruptions and the tasks they replaced.
-o json carries every sample; -o csv is one table (its "row" column tells
service and instance rows apart); -o html one self-contained page with the
charts.
Exit status: 0 a simulation, 1 a service that could not place tasks, 2 usage
or input error.
`

// simulateArgs is the parsed command line of simulate.
type simulateArgs struct {
	services, cluster, groups, providers string
	targets, policies, actions, load     string
	taskDefs                             []string
	span, interval                       time.Duration
	start                                time.Time
	seed                                 uint64
	output                               string
	spot                                 ecstest.SpotModel
}

// maxSimSpan is the longest run, and the latest time of a load file.
const maxSimSpan = 31 * 24 * time.Hour

// maxSpotRate is the highest Spot interruption rate ecstest's SpotModel
// takes: one an instance-minute.
const maxSpotRate = 60

// errSimUsage marks an error in the command line.
var errSimUsage = errors.New("usage")

// defaultSimStart is a Monday at midnight UTC, so that the cron schedules
// of scheduled actions fall as in a week.
var defaultSimStart = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

func parseSimulateArgs(args []string, stderr io.Writer) (*simulateArgs, error) {
	a := &simulateArgs{}
	fs := flag.NewFlagSet("ecsplan simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, simulateUsage)
		fs.PrintDefaults()
	}
	var tds fileList
	fs.StringVar(&a.services, "services", "", "describe-services output (JSON)")
	fs.Var(&tds, "task-definitions", "task definition `FILE`s; repeatable, and the arguments after one up to the next flag")
	fs.StringVar(&a.load, "load", "", "the load curve (CSV)")
	fs.StringVar(&a.cluster, "cluster", "", "describe-container-instances output: instances that stay (JSON)")
	fs.StringVar(&a.providers, "capacity-providers", "", "describe-capacity-providers output (JSON)")
	fs.StringVar(&a.groups, "auto-scaling-groups", "", "describe-auto-scaling-groups output (JSON)")
	fs.StringVar(&a.targets, "scalable-targets", "", "describe-scalable-targets output (JSON)")
	fs.StringVar(&a.policies, "scaling-policies", "", "describe-scaling-policies output (JSON)")
	fs.StringVar(&a.actions, "scheduled-actions", "", "describe-scheduled-actions output (JSON)")
	fs.DurationVar(&a.span, "span", 24*time.Hour, "how long to simulate")
	fs.DurationVar(&a.interval, "interval", 5*time.Minute, "how often to sample (a whole number of minutes)")
	start := fs.String("start", defaultSimStart.Format(time.RFC3339), "the wall-clock time of the start (RFC 3339), for cron schedules")
	fs.Uint64Var(&a.seed, "seed", 1, "the seed of identifiers and tie breaks")
	fs.StringVar(&a.output, "o", "text", "output: text, json, csv or html")
	fs.Float64Var(&a.spot.EC2PerInstanceHour, "spot-ec2-rate", 0, "interruptions of an EC2 Spot instance per instance-hour (0.05: one in 20 hours)")
	fs.Float64Var(&a.spot.FargatePerTaskHour, "spot-fargate-rate", 0, "interruptions of a FARGATE_SPOT task per task-hour")
	fs.BoolVar(&a.spot.InstanceDraining, "spot-draining", false, "drain an EC2 Spot instance at its two-minute warning (ECS_ENABLE_SPOT_INSTANCE_DRAINING)")
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, errSimUsage
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(tds) == 0 {
			return nil, fmt.Errorf("%w: unexpected argument %q", errSimUsage, rest[0])
		}
		for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			tds, rest = append(tds, rest[0]), rest[1:]
		}
	}
	a.taskDefs = tds
	var err error
	if a.start, err = time.Parse(time.RFC3339, *start); err != nil {
		return nil, fmt.Errorf("%w: -start %q: want an RFC 3339 time", errSimUsage, *start)
	}
	switch {
	case a.services == "":
		return nil, fmt.Errorf("%w: -services is required", errSimUsage)
	case a.load == "":
		return nil, fmt.Errorf("%w: -load is required", errSimUsage)
	case a.span < time.Minute || a.span > maxSimSpan:
		return nil, fmt.Errorf("%w: -span %s: want from 1m to 744h (31 days)", errSimUsage, a.span)
	case a.interval < time.Minute || a.interval%time.Minute != 0 || a.interval > a.span:
		return nil, fmt.Errorf("%w: -interval %s: want whole minutes, at most -span", errSimUsage, a.interval)
	case (a.providers == "") != (a.groups == ""):
		return nil, fmt.Errorf("%w: -capacity-providers and -auto-scaling-groups go together", errSimUsage)
	}
	for _, r := range []struct {
		name string
		v    float64
	}{{"-spot-ec2-rate", a.spot.EC2PerInstanceHour}, {"-spot-fargate-rate", a.spot.FargatePerTaskHour}} {
		if !(r.v >= 0 && r.v <= maxSpotRate) {
			return nil, fmt.Errorf("%w: %s %g: want from 0 to %d interruptions an hour", errSimUsage, r.name, r.v, maxSpotRate)
		}
	}
	switch a.output {
	case "text", "json", "csv", "html":
	default:
		return nil, fmt.Errorf("%w: -o %q: want text, json, csv or html", errSimUsage, a.output)
	}
	return a, nil
}

// runSimulate runs ecsplan simulate and returns the exit status.
func runSimulate(args []string, stdout, stderr io.Writer) int {
	a, err := parseSimulateArgs(args, stderr)
	if err != nil {
		if err != errSimUsage {
			fmt.Fprintln(stderr, "ecsplan simulate:", err)
		}
		return exitUsage
	}
	in, err := loadSimInput(a)
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan simulate:", err)
		return exitUsage
	}
	prog := newProgress(stderr)
	rep, err := simulate(context.Background(), in, a, func(t time.Duration) {
		prog.show("simulating: %s of %s", offsetString(t), offsetString(a.span))
	})
	prog.done()
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan simulate:", err)
		return exitUsage
	}
	switch a.output {
	case "json":
		err = writeSimJSON(stdout, rep)
	case "csv":
		err = writeSimCSV(stdout, rep)
	case "html":
		err = writeSimHTML(stdout, rep)
	default:
		err = writeSimText(stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan simulate:", err)
		return exitUsage
	}
	for _, s := range rep.Services {
		if s.UnableToPlace > 0 {
			return exitProblems
		}
	}
	return exitOK
}
