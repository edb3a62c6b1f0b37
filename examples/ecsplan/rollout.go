package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/rollout"
)

const rolloutUsage = `usage: ecsplan rollout -service SERVICE.json -cluster INSTANCES.json -task-definition NEW.json
	[-current-task-definition OLD.json] [-tasks TASKS.json] [-fail-new N] [-unhealthy-new N]
	[-seed S] [-max-time 2h] [-start-delay 30s] [-stop-timeout 30s] [-o text|json|csv|markdown|html]
	[-strategy ROLLING|BLUE_GREEN|LINEAR|CANARY] [-bake-time MIN]
	[-step-percent P] [-step-bake-time MIN] [-canary-percent P] [-canary-bake-time MIN]

rollout predicts a rolling deployment: it updates the service of
describe-services output to the new task definition and simulates the ECS
service scheduler on the container instances of describe-container-instances
output, step by step, until the deployment completes, fails, or gets stuck.
The current tasks come from describe-tasks output (-tasks) or are placed
first from the service's deployments and the current task definition.
A new task definition without a revision (or with the current one's) is
registered as the next revision of the current one's family.
-unhealthy-new fails health checks: it has no effect (and says so on
stderr) when the new task definition has none on an essential container
and the service has no load balancer.
-strategy (default: the service's deploymentConfiguration.strategy)
simulates a BLUE_GREEN, LINEAR or CANARY deployment: the green revision
scales up beside the blue one, test then production traffic shifts (all at
once, -step-percent every -step-bake-time minutes, or -canary-percent then
the rest after -canary-bake-time minutes), both run for -bake-time
minutes, and blue drains from its target groups (300 s deregistration
delay) and stops. The service's loadBalancers need advancedConfiguration
(the alternate target group). The timeline shows the stage and the
production traffic on green at each step, and the peak task count.
-o json gives the report with the header's facts; -o csv one row a
step (the events of a step one a line in its events cell); -o markdown
GitHub tables of the steps, the events and the stages; -o html one
self-contained page (no network needed) with those tables and charts of
the old and new tasks running and healthy over time with the events on
the timeline and, for BLUE_GREEN, LINEAR and CANARY, the production
traffic split with the stages.
Exit status: 0 COMPLETED, 1 FAILED or STUCK, 2 usage or input error.
`

// errRolloutUsage marks an error in the command line or the input.
var errRolloutUsage = errors.New("usage")

// rolloutArgs is the parsed command line of rollout.
type rolloutArgs struct {
	service, cluster, taskDef, currentTD, tasks, output string
	failNew, unhealthyNew                               int
	seed                                                uint64
	maxTime, startDelay, stopTimeout                    time.Duration
	// The strategy and its settings; -1 (or "") keeps the service's.
	strategy                       string
	bakeTime, stepBake, canaryBake int
	stepPercent, canaryPercent     float64
}

func parseRolloutArgs(args []string, stderr io.Writer) (*rolloutArgs, error) {
	a := &rolloutArgs{}
	fs := flag.NewFlagSet("rollout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, rolloutUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&a.service, "service", "", "describe-services output holding one service (JSON)")
	fs.StringVar(&a.cluster, "cluster", "", "describe-container-instances output (JSON)")
	fs.StringVar(&a.taskDef, "task-definition", "", "the new task definition (JSON)")
	fs.StringVar(&a.currentTD, "current-task-definition", "", "the current task definition (JSON)")
	fs.StringVar(&a.tasks, "tasks", "", "describe-tasks output of the service's current tasks (JSON)")
	fs.IntVar(&a.failNew, "fail-new", 0, "the first N new tasks stop before RUNNING; -1 means all")
	fs.IntVar(&a.unhealthyNew, "unhealthy-new", 0, "the first N new tasks fail their health checks; -1 means all")
	fs.Uint64Var(&a.seed, "seed", 0, "seed of the IDs and of placement's tie breaks")
	fs.DurationVar(&a.maxTime, "max-time", rollout.DefaultMaxTime, "simulated time after which the deployment counts as STUCK")
	fs.DurationVar(&a.startDelay, "start-delay", 30*time.Second, "time from a task's start to RUNNING")
	fs.DurationVar(&a.stopTimeout, "stop-timeout", 30*time.Second, "time a task takes to stop when its task definition sets no stopTimeout")
	fs.StringVar(&a.output, "o", "text", "output: text, json, csv, markdown or html")
	fs.StringVar(&a.strategy, "strategy", "", "deployment strategy: ROLLING, BLUE_GREEN, LINEAR or CANARY (default: the service's)")
	fs.IntVar(&a.bakeTime, "bake-time", -1, "BLUE_GREEN, LINEAR, CANARY: minutes both revisions run after the production traffic shift (default: the service's, else 0)")
	fs.Float64Var(&a.stepPercent, "step-percent", -1, "LINEAR: percent of production traffic shifted at each step (default 10)")
	fs.IntVar(&a.stepBake, "step-bake-time", -1, "LINEAR: minutes between steps (default 6)")
	fs.Float64Var(&a.canaryPercent, "canary-percent", -1, "CANARY: percent of production traffic shifted first (default 5)")
	fs.IntVar(&a.canaryBake, "canary-bake-time", -1, "CANARY: minutes before the rest shifts (default 10)")
	if err := fs.Parse(args); err != nil {
		return nil, errRolloutUsage
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("%w: unexpected argument %q", errRolloutUsage, fs.Arg(0))
	case a.service == "" || a.cluster == "" || a.taskDef == "":
		return nil, fmt.Errorf("%w: -service, -cluster and -task-definition are required", errRolloutUsage)
	case a.tasks == "" && a.currentTD == "":
		return nil, fmt.Errorf("%w: give the current tasks (-tasks) or the current task definition (-current-task-definition)", errRolloutUsage)
	case checkFormat(a.output) != nil:
		return nil, fmt.Errorf("%w: %w", errRolloutUsage, checkFormat(a.output))
	case a.failNew < -1 || a.unhealthyNew < -1:
		return nil, fmt.Errorf("%w: -fail-new and -unhealthy-new take a count or -1", errRolloutUsage)
	case a.maxTime <= 0 || a.startDelay <= 0 || a.stopTimeout <= 0:
		return nil, fmt.Errorf("%w: durations must be positive", errRolloutUsage)
	}
	return a, nil
}

// runRollout runs ecsplan rollout and returns the exit status.
func runRollout(args []string, stdout, stderr io.Writer) int {
	a, err := parseRolloutArgs(args, stderr)
	if err != nil {
		if !errors.Is(err, errRolloutUsage) || err.Error() != "usage" {
			fmt.Fprintln(stderr, "ecsplan rollout:", err)
		}
		return 2
	}
	in, err := loadRollout(a)
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan rollout:", err)
		return 2
	}
	if w := unhealthyNewWarning(a, in); w != "" {
		fmt.Fprintln(stderr, "ecsplan rollout:", w)
	}
	var kinds [][]deploy.EventKind // each step's Result.Kinds, as rep.Steps
	prog, first := newProgress(stderr), time.Time{}
	opts := []func(*rollout.Options){
		rollout.WithTiming(rollout.Timing(a.startDelay, a.stopTimeout)),
		rollout.WithFaults(ecstest.TaskFaults{FailToStart: a.failNew, FailHealthChecks: a.unhealthyNew}),
		rollout.WithSeed(a.seed), rollout.WithMaxTime(a.maxTime),
		rollout.OnStep(func(st *deploy.State, res *deploy.Result) {
			kinds = append(kinds, res.Kinds)
			if len(kinds) == 1 {
				first = st.Now
			}
			prog.show("simulating: step %d, %s simulated", len(kinds), clock(int64(st.Now.Sub(first)/time.Second)))
		}),
	}
	if in.tasks != nil {
		opts = append(opts, rollout.WithTasks(in.tasks))
	}
	rep, err := rollout.Simulate(context.Background(), in.svc, in.oldTD, in.newTD, in.instances, opts...)
	prog.done()
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan rollout:", err)
		return 2
	}
	switch a.output {
	case "json":
		err = writeRolloutJSON(stdout, in, a, rep)
	case "csv":
		err = writeRolloutCSV(stdout, rep, kinds)
	case "markdown":
		err = writeRolloutMarkdown(stdout, in, a, rep, kinds)
	case "html":
		err = writeRolloutHTML(stdout, in, a, rep, kinds)
	default:
		err = writeRolloutText(stdout, in, a, rep, kinds)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan rollout:", err)
		return 2
	}
	if rep.Outcome == rollout.Completed {
		return 0
	}
	return 1
}

// applyStrategy sets the strategy flags on the service's deployment
// configuration; BLUE_GREEN's bake time, which ECS requires, is 0 when
// neither the flags nor the service give it.
func applyStrategy(svc *ecs.Service, a *rolloutArgs) {
	cfg := &ecs.DeploymentConfiguration{}
	if svc.DeploymentConfiguration != nil {
		c := *svc.DeploymentConfiguration
		cfg = &c
	}
	if a.strategy != "" {
		cfg.Strategy = ecs.DeploymentStrategy(strings.ToUpper(a.strategy))
	}
	if a.bakeTime >= 0 {
		cfg.BakeTimeInMinutes = &a.bakeTime
	} else if cfg.Strategy == ecs.DeploymentStrategyBlueGreen && cfg.BakeTimeInMinutes == nil {
		zero := 0
		cfg.BakeTimeInMinutes = &zero
	}
	if cfg.Strategy == ecs.DeploymentStrategyLinear && (a.stepPercent >= 0 || a.stepBake >= 0) {
		lc := &ecs.LinearConfiguration{StepPercent: 10, StepBakeTimeInMinutes: 6}
		if cfg.LinearConfiguration != nil {
			*lc = *cfg.LinearConfiguration
		}
		if a.stepPercent >= 0 {
			lc.StepPercent = a.stepPercent
		}
		if a.stepBake >= 0 {
			lc.StepBakeTimeInMinutes = a.stepBake
		}
		cfg.LinearConfiguration = lc
	}
	if cfg.Strategy == ecs.DeploymentStrategyCanary && (a.canaryPercent >= 0 || a.canaryBake >= 0) {
		cc := &ecs.CanaryConfiguration{CanaryPercent: 5, CanaryBakeTimeInMinutes: 10}
		if cfg.CanaryConfiguration != nil {
			*cc = *cfg.CanaryConfiguration
		}
		if a.canaryPercent >= 0 {
			cc.CanaryPercent = a.canaryPercent
		}
		if a.canaryBake >= 0 {
			cc.CanaryBakeTimeInMinutes = a.canaryBake
		}
		cfg.CanaryConfiguration = cc
	}
	svc.DeploymentConfiguration = cfg
}

// rolloutInput is what the input files describe: the service with its
// current deployment, the current and new task definitions, the cluster
// and, from -tasks, the service's tasks (nil: placed by the simulation).
type rolloutInput struct {
	svc          *ecs.Service
	oldTD, newTD *ecs.TaskDefinition
	instances    []ecs.ContainerInstance
	tasks        []ecs.Task
}

// loadRollout reads the input files.
func loadRollout(a *rolloutArgs) (*rolloutInput, error) {
	svc, err := readService(a.service)
	if err != nil {
		return nil, err
	}
	applyStrategy(svc, a)
	if err := deploy.ValidateDeploymentConfiguration(svc.SchedulingStrategy, svc.DeploymentConfiguration); err != nil {
		return nil, fmt.Errorf("%s: %w", a.service, err)
	}
	instances, err := readFile(a.cluster, func(b []byte) ([]ecs.ContainerInstance, error) {
		ci, _, err := ecs.DecodeContainerInstances(b, ecs.Lenient)
		return ci, err
	})
	if err != nil {
		return nil, err
	}
	newTD, newRevision, err := readTaskDefinition(a.taskDef, svc)
	if err != nil {
		return nil, err
	}
	cur := currentDeployment(svc, a.seed)
	in := &rolloutInput{svc: svc, newTD: newTD, instances: instances}
	if a.currentTD != "" {
		var oldRevision bool
		if in.oldTD, oldRevision, err = readTaskDefinition(a.currentTD, svc); err != nil {
			return nil, err
		}
		if !oldRevision { // the revision the service runs, if of this family
			if family, rev := tdFamilyRevision(cur.TaskDefinition); family == in.oldTD.Family && rev > 0 {
				in.oldTD.Revision = rev
			}
			in.oldTD.TaskDefinitionARN = tdARN(svc, in.oldTD.Family, in.oldTD.Revision)
		}
		cur.TaskDefinition = in.oldTD.TaskDefinitionARN
	}
	if a.tasks != "" {
		if in.tasks, err = readTasks(a.tasks, svc, cur, in); err != nil {
			return nil, err
		}
	}
	// The new definition is registered after the current one: without a
	// revision of its own, or with the current one's ARN, it takes the
	// next revision of the family, so that old and new tasks differ.
	if family, rev := tdFamilyRevision(cur.TaskDefinition); !newRevision || newTD.TaskDefinitionARN == cur.TaskDefinition {
		newTD.Revision = 1
		if family == newTD.Family {
			newTD.Revision = rev + 1
		}
		newTD.TaskDefinitionARN = tdARN(svc, newTD.Family, newTD.Revision)
	}
	svc.TaskDefinition = cur.TaskDefinition
	svc.Deployments = []ecs.Deployment{*cur}
	return in, nil
}

// readFile reads path and decodes it.
func readFile[T any](path string, decode func([]byte) (T, error)) (T, error) {
	var zero T
	b, err := os.ReadFile(path)
	if err != nil {
		return zero, err
	}
	v, err := decode(b)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// readService reads describe-services output holding one service.
func readService(path string) (*ecs.Service, error) {
	svcs, err := readFile(path, func(b []byte) ([]ecs.Service, error) {
		s, _, err := ecs.DecodeServices(b, ecs.Lenient)
		return s, err
	})
	if err != nil {
		return nil, err
	}
	if len(svcs) != 1 {
		return nil, fmt.Errorf("%s: holds %d services, not one", path, len(svcs))
	}
	svc := &svcs[0]
	if svc.ServiceName == "" {
		return nil, fmt.Errorf("%s: the service has no serviceName", path)
	}
	if svc.LaunchType == "" && len(svc.CapacityProviderStrategy) == 0 {
		svc.LaunchType = ecs.LaunchTypeEC2
	}
	svc.Events = nil
	return svc, nil
}

// readTaskDefinition reads a task definition and reports whether it names
// its revision (in revision or taskDefinitionArn). One without gets
// revision 1 and an ARN in the service's region and account, which the
// caller may change.
func readTaskDefinition(path string, svc *ecs.Service) (*ecs.TaskDefinition, bool, error) {
	td, err := readFile(path, func(b []byte) (*ecs.TaskDefinition, error) {
		td, _, err := ecs.DecodeTaskDefinition(b, ecs.Lenient)
		return td, err
	})
	if err != nil {
		return nil, false, err
	}
	if td.Family == "" {
		return nil, false, fmt.Errorf("%s: the task definition has no family", path)
	}
	if td.Revision == 0 {
		if family, rev := tdFamilyRevision(td.TaskDefinitionARN); family == td.Family {
			td.Revision = rev
		}
	}
	named := td.Revision > 0
	if !named {
		td.Revision = 1
	}
	if td.TaskDefinitionARN == "" {
		td.TaskDefinitionARN = tdARN(svc, td.Family, td.Revision)
	}
	return td, named, nil
}

// tdFamilyRevision splits a task definition ARN (or FAMILY:REVISION) into
// its family and revision; the revision is 0 when there is none.
func tdFamilyRevision(arn string) (string, int) {
	ref := ecs.ResourceID(arn)
	family, rev, ok := strings.Cut(ref, ":")
	if !ok {
		return family, 0
	}
	n, err := strconv.Atoi(rev)
	if err != nil || n < 0 {
		return family, 0
	}
	return family, n
}

// tdARN returns the ARN of family:rev in the service's partition, region
// and account (ecs.DefaultRegion and ecs.DefaultAccount without a service
// ARN).
func tdARN(svc *ecs.Service, family string, rev int) string {
	a := ecs.TaskDefinitionARN(ecs.DefaultRegion, ecs.DefaultAccount, family, rev)
	if s, err := ecs.ParseARN(svc.ServiceARN); err == nil {
		a.Partition, a.Region, a.Account = s.Partition, s.Region, s.Account
	}
	return a.String()
}

// currentDeployment returns the service's PRIMARY deployment, or one made
// from the service, COMPLETED.
func currentDeployment(svc *ecs.Service, seed uint64) *ecs.Deployment {
	i := slices.IndexFunc(svc.Deployments, func(d ecs.Deployment) bool { return d.Status == "PRIMARY" })
	d := ecs.Deployment{Status: "PRIMARY", TaskDefinition: svc.TaskDefinition, DesiredCount: svc.DesiredCount,
		RunningCount: svc.DesiredCount, LaunchType: svc.LaunchType}
	if i >= 0 {
		d = svc.Deployments[i]
	}
	if d.ID == "" {
		d.ID = deploy.DeploymentID(seed, 0)
	}
	if d.RolloutState == "" || d.RolloutState == ecs.DeploymentRolloutStateInProgress {
		d.RolloutState = ecs.DeploymentRolloutStateCompleted
	}
	return &d
}

// readTasks reads the service's current tasks from describe-tasks output;
// a current task definition not given is made up from a task
// (ecs.TaskDefinitionFromTask).
func readTasks(path string, svc *ecs.Service, cur *ecs.Deployment, in *rolloutInput) ([]ecs.Task, error) {
	all, err := readFile(path, func(b []byte) ([]ecs.Task, error) {
		t, _, err := ecs.DecodeTasks(b, ecs.Lenient)
		return t, err
	})
	if err != nil {
		return nil, err
	}
	var tasks []ecs.Task
	for _, t := range all {
		if t.LastStatus == ecs.TaskStatusStopped || t.Group != "" && t.Group != ecs.ServiceGroup(svc.ServiceName) {
			continue
		}
		t.Group = ecs.ServiceGroup(svc.ServiceName)
		if t.StartedBy == "" {
			t.StartedBy = cur.ID
		}
		tasks = append(tasks, t)
	}
	if len(tasks) == 0 {
		return nil, fmt.Errorf("%s: no task of service %s", path, svc.ServiceName)
	}
	if in.oldTD == nil || cur.TaskDefinition == "" {
		t := tasks[0]
		cur.TaskDefinition = t.TaskDefinitionARN
		td := ecs.TaskDefinitionFromTask(&t, nil)
		td.TaskDefinitionARN = t.TaskDefinitionARN
		td.Family, td.Revision = tdFamilyRevision(t.TaskDefinitionARN)
		in.oldTD = td
	}
	return tasks, nil
}

// writeRolloutText writes the timeline, one line a step; kinds are the
// kinds of each step's events.
func writeRolloutText(w io.Writer, in *rolloutInput, a *rolloutArgs, rep *rollout.Report, kinds [][]deploy.EventKind) error {
	svc := in.svc
	minPct, maxPct := ecs.DeploymentPercentages(svc.SchedulingStrategy, svc.DeploymentConfiguration)
	minimum, maximum := ecs.DeploymentBounds(svc.DesiredCount, minPct, maxPct)
	fmt.Fprintf(w, "service %s: %d tasks, %s -> %s\n", svc.ServiceName, svc.DesiredCount,
		ecs.ResourceID(svc.Deployments[0].TaskDefinition), ecs.ResourceID(in.newTD.TaskDefinitionARN))
	fmt.Fprintf(w, "bounds: minimumHealthyPercent %d (%d tasks), maximumPercent %d (%d tasks)\n", minPct, minimum, maxPct, maximum)
	fmt.Fprintf(w, "timing: start to RUNNING %v; healthy %s; stop %v (or stopTimeout); launch back-off %s\n",
		a.startDelay, healthRule(in.newTD), a.stopTimeout,
		"from the 2nd consecutive failure 15s, doubling to 15m")
	traffic := len(rep.Stages) > 0
	if traffic {
		fmt.Fprintf(w, "strategy: %s\n", svc.DeploymentConfiguration.Strategy)
		fmt.Fprintln(w, "time      old run/pend/healthy  new run/pend/healthy  started stopped  stage                          green")
	} else {
		fmt.Fprintln(w, "time      old run/pend/healthy  new run/pend/healthy  started stopped")
	}
	for i := range rep.Steps {
		s := &rep.Steps[i]
		stage := ""
		if traffic {
			st, green := stageCells(s)
			stage = fmt.Sprintf("  %-30s %5s", st, green)
		}
		fmt.Fprintf(w, "%-8s  %4d %4d %4d         %4d %4d %4d        %7d %7d%s\n", clock(s.T),
			s.Old.Running, s.Old.Pending, s.Old.Healthy, s.New.Running, s.New.Pending, s.New.Healthy,
			s.Started, s.Stopped, stage)
		// Each event on a line of its own under its step, so that a long
		// event message neither hides the next nor widens the table.
		for _, e := range stepEvents(rep, kinds, i) {
			fmt.Fprintf(w, "          %s\n", e)
		}
	}
	if traffic {
		fmt.Fprintln(w, "stages:")
		start := rep.Stages[0].At.Time
		for _, st := range rep.Stages {
			note := ""
			if st.Note != "" {
				note = " (" + st.Note + ")"
			}
			fmt.Fprintf(w, "  %-8s %-30s production %g%% green, test %g%% green%s\n", clock(int64(st.At.Sub(start)/time.Second)),
				st.Stage, st.Production.Green, st.Test.Green, note)
		}
	}
	fmt.Fprintf(w, "peak tasks: %d (old and new side by side)\n", rep.PeakTasks)
	rolled := ""
	if rep.RolledBack {
		rolled = " (rolled back)"
	}
	fmt.Fprintf(w, "predicted duration: %s%s\n", clock(rep.DurationSeconds), rolled)
	_, err := fmt.Fprintf(w, "outcome: %s\n", rep.Outcome)
	return err
}

func healthRule(td *ecs.TaskDefinition) string {
	if hc := essentialHealthCheck(td); hc != nil {
		start, interval := 0, 30
		if hc.StartPeriod != nil {
			start = *hc.StartPeriod
		}
		if hc.Interval != nil {
			interval = *hc.Interval
		}
		return fmt.Sprintf("%ds after RUNNING (startPeriod %d + interval %d)", start+interval, start, interval)
	}
	return "40s after RUNNING (no health check)"
}

// essentialHealthCheck returns the health check of the first essential
// container that has one with a command, as the simulator counts them, or
// nil.
func essentialHealthCheck(td *ecs.TaskDefinition) *ecs.HealthCheck {
	if td == nil {
		return nil
	}
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		if hc := c.HealthCheck; hc != nil && len(hc.Command) > 0 && (c.Essential == nil || *c.Essential) {
			return hc
		}
	}
	return nil
}

// unhealthyNewWarning returns why -unhealthy-new has no effect, or "":
// the simulator fails the health checks of the new tasks, but a task
// whose task definition has no health check on an essential container
// and whose service has no load balancer is healthy by the 40-second
// rule whatever its checks would say.
func unhealthyNewWarning(a *rolloutArgs, in *rolloutInput) string {
	if a.unhealthyNew == 0 || len(in.svc.LoadBalancers) > 0 || essentialHealthCheck(in.newTD) != nil {
		return ""
	}
	return fmt.Sprintf("warning: -unhealthy-new %d has no effect: the new task definition %s has no health check on an essential container "+
		"and the service has no load balancer, so its tasks turn healthy by the 40-second rule", a.unhealthyNew, ecs.ResourceID(in.newTD.TaskDefinitionARN))
}

func clock(sec int64) string {
	return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// otherEvents returns the step's events but those listing started and
// stopped tasks (deploy.EventStarted, deploy.EventStopped), which the
// counts show; kinds are the events' kinds.
func otherEvents(events []string, kinds []deploy.EventKind) []string {
	var out []string
	for i, e := range events {
		if i < len(kinds) && (kinds[i] == deploy.EventStarted || kinds[i] == deploy.EventStopped) {
			continue
		}
		out = append(out, e)
	}
	return out
}
