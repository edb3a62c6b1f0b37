package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

const placeUsage = `usage: ecsplan place -cluster INSTANCES.json [-tasks TASKS.json] -task-definition TD.json
	[-count N] [-service NAME | -group G] [-strategy TYPE[:FIELD]]... [-constraint distinctInstance | -constraint memberOf:EXPR]...
	[-overrides OVERRIDES.json] [-seed S] [-o text|json]

place runs RunTask offline: it places N tasks of the task definition on the
container instances of describe-container-instances output (and the tasks
of describe-tasks output already on them), as ECS would, and prints the
tasks placed and, for the first that did not fit, why.
`

// errPlaceUsage marks an error in the command line.
var errPlaceUsage = errors.New("usage")

// placeArgs is the parsed command line of place.
type placeArgs struct {
	cluster, tasks, taskDef, overrides string
	group, service, output             string
	count                              int
	seed                               uint64
	strategies                         []ecs.PlacementStrategy
	constraints                        []ecs.PlacementConstraint
}

// strategyFlag collects -strategy TYPE[:FIELD] in order.
type strategyFlag struct{ list *[]ecs.PlacementStrategy }

func (f strategyFlag) String() string { return "" }

func (f strategyFlag) Set(v string) error {
	typ, field, _ := strings.Cut(v, ":")
	*f.list = append(*f.list, ecs.PlacementStrategy{Type: ecs.PlacementStrategyType(typ), Field: field})
	return nil
}

// constraintFlag collects -constraint TYPE[:EXPR] in order.
type constraintFlag struct{ list *[]ecs.PlacementConstraint }

func (f constraintFlag) String() string { return "" }

func (f constraintFlag) Set(v string) error {
	typ, expr, _ := strings.Cut(v, ":")
	*f.list = append(*f.list, ecs.PlacementConstraint{Type: ecs.PlacementConstraintType(typ), Expression: expr})
	return nil
}

func parsePlaceArgs(args []string, stderr io.Writer) (*placeArgs, error) {
	a := &placeArgs{}
	fs := flag.NewFlagSet("place", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, placeUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&a.cluster, "cluster", "", "describe-container-instances output (JSON)")
	fs.StringVar(&a.tasks, "tasks", "", "describe-tasks output of the tasks already running (JSON)")
	fs.StringVar(&a.taskDef, "task-definition", "", "task definition (JSON)")
	fs.StringVar(&a.overrides, "overrides", "", "RunTask overrides (JSON)")
	fs.StringVar(&a.group, "group", "", "task group (default family:<family>)")
	fs.StringVar(&a.service, "service", "", "place the tasks of the service `NAME`: group service:NAME, a service's default strategy, events naming it")
	fs.StringVar(&a.output, "o", "text", "output: text or json")
	fs.IntVar(&a.count, "count", 1, "tasks to place; above 10, successive RunTask calls of at most 10")
	fs.Uint64Var(&a.seed, "seed", 0, "seed of the random strategy and of the task IDs")
	fs.Var(strategyFlag{&a.strategies}, "strategy", "placement strategy TYPE[:FIELD], in order (default random)")
	fs.Var(constraintFlag{&a.constraints}, "constraint", "placement constraint distinctInstance or memberOf:EXPR")
	if err := fs.Parse(args); err != nil {
		return nil, errPlaceUsage
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("%w: unexpected argument %q", errPlaceUsage, fs.Arg(0))
	case a.cluster == "" || a.taskDef == "":
		return nil, fmt.Errorf("%w: -cluster and -task-definition are required", errPlaceUsage)
	case a.count < 1:
		return nil, fmt.Errorf("%w: -count must be at least 1", errPlaceUsage)
	case a.output != "json" && a.output != "text":
		return nil, fmt.Errorf("%w: -o must be text or json", errPlaceUsage)
	case a.service != "" && a.group != "":
		return nil, fmt.Errorf("%w: -service and -group cannot both be given: a service's tasks are in group service:NAME", errPlaceUsage)
	case len(a.strategies) > placement.MaxStrategies:
		return nil, fmt.Errorf("%w: at most %d -strategy", errPlaceUsage, placement.MaxStrategies)
	}
	return a, nil
}

// runPlace runs "ecsplan place" and returns its exit status: 0 when all
// tasks were placed, 1 when some were not, 2 for a usage or input error.
func runPlace(args []string, stdout, stderr io.Writer) int {
	a, err := parsePlaceArgs(args, stderr)
	if err != nil {
		if err != errPlaceUsage {
			fmt.Fprintln(stderr, "ecsplan place:", err)
		}
		return 2
	}
	in, err := loadPlaceInput(a)
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan place:", err)
		return 2
	}
	out, err := in.run(a)
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan place:", err)
		return 2
	}
	if a.output == "text" {
		err = out.writeText(stdout)
	} else {
		err = out.writeJSON(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan place:", err)
		return 2
	}
	if out.unplaced > 0 {
		return 1
	}
	return 0
}

// placeInput is what the files give.
type placeInput struct {
	engine    *placement.Engine
	td        *ecs.TaskDefinition
	overrides *ecs.TaskOverride
}

func loadPlaceInput(a *placeArgs) (*placeInput, error) {
	data, err := os.ReadFile(a.taskDef)
	if err != nil {
		return nil, err
	}
	td, _, err := ecs.DecodeTaskDefinition(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.taskDef, err)
	}
	if err := placement.ValidatePlacement(a.strategies, a.constraints, td); err != nil {
		return nil, fmt.Errorf("%w: %v", errPlaceUsage, err)
	}
	in := &placeInput{td: td}
	if a.overrides != "" {
		if data, err = os.ReadFile(a.overrides); err != nil {
			return nil, err
		}
		in.overrides = new(ecs.TaskOverride)
		if err := ecs.Unmarshal(data, in.overrides); err != nil {
			return nil, fmt.Errorf("%s: %w", a.overrides, err)
		}
	}
	if data, err = os.ReadFile(a.cluster); err != nil {
		return nil, err
	}
	instances, _, err := ecs.DecodeContainerInstances(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.cluster, err)
	}
	var tasks []ecs.Task
	if a.tasks != "" {
		if data, err = os.ReadFile(a.tasks); err != nil {
			return nil, err
		}
		if tasks, _, err = ecs.DecodeTasks(data); err != nil {
			return nil, fmt.Errorf("%s: %w", a.tasks, err)
		}
	}
	snap, err := placement.NewSnapshot(instances, tasks, func(o *placement.SnapshotOptions) {
		o.TaskDefinition = func(arn string) *ecs.TaskDefinition {
			if arn != "" && arn == td.TaskDefinitionARN {
				return td
			}
			return nil
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.cluster, err)
	}
	in.engine = placement.NewEngine(snap)
	return in, nil
}

// placeOutput is the outcome: the tasks placed and the failures of the
// first task that did not fit.
type placeOutput struct {
	Tasks    []ecs.Task    `json:"tasks"`
	Failures []ecs.Failure `json:"failures"`
	unplaced int
	event    string
	reasons  []placement.ReasonCount
}

// run places the tasks as successive RunTask calls of at most ten, the
// state carrying over. Call c is seeded with the seed plus c times an odd
// constant, so that each has its own random order.
func (in *placeInput) run(a *placeArgs) (*placeOutput, error) {
	out := &placeOutput{Tasks: []ecs.Task{}, Failures: []ecs.Failure{}}
	for call, done := 0, 0; done < a.count; call++ {
		n := min(placement.MaxRunTaskCount, a.count-done)
		res, err := in.engine.Place(&placement.Request{
			TaskDefinition: in.td, Overrides: in.overrides, Count: n, Group: a.group, Service: a.service,
			Strategy: a.strategies, Constraints: a.constraints,
			Seed: a.seed + uint64(call)*0x9E3779B97F4A7C15,
		})
		if err != nil {
			return nil, err
		}
		for _, p := range res.Placements {
			out.Tasks = append(out.Tasks, in.task(p, a.seed, len(out.Tasks)))
		}
		done += n
		if res.Unplaced > 0 {
			out.unplaced = a.count - len(out.Tasks)
			out.Failures = append(out.Failures, res.Explanation.Failures...)
			out.event = res.Explanation.Event()
			out.reasons = res.Explanation.Reasons
			break
		}
	}
	return out, nil
}

// task describes a placed task as RunTask returns it.
func (in *placeInput) task(p placement.Placement, seed uint64, index int) ecs.Task {
	region, account, cluster := placeARNParts(p.ContainerInstanceARN)
	pcg := rand.NewPCG(seed, uint64(index))
	id := fmt.Sprintf("%016x%016x", pcg.Uint64(), pcg.Uint64())
	tdARN := in.td.TaskDefinitionARN
	if tdARN == "" {
		tdARN = ecs.TaskDefinitionARN(region, account, in.td.Family, max(in.td.Revision, 1)).String()
	}
	t := ecs.Task{
		TaskARN:              ecs.TaskARN(region, account, cluster, id).String(),
		ClusterARN:           ecs.ClusterARN(region, account, cluster).String(),
		TaskDefinitionARN:    tdARN,
		ContainerInstanceARN: p.ContainerInstanceARN,
		AvailabilityZone:     p.AvailabilityZone,
		Group:                p.Group,
		LastStatus:           ecs.TaskStatusPending,
		DesiredStatus:        ecs.DesiredStatusRunning,
		LaunchType:           ecs.LaunchTypeEC2,
		Containers:           make([]ecs.Container, 0, len(p.Containers)),
	}
	for _, c := range p.Containers {
		// Every container carries networkBindings, empty for one that
		// binds no host port (awsvpc, none, or no port mappings): the
		// generated type leaves out a nil list.
		nb := c.NetworkBindings
		if nb == nil {
			nb = []ecs.NetworkBinding{}
		}
		t.Containers = append(t.Containers, ecs.Container{Name: c.Name, NetworkBindings: nb})
	}
	return t
}

// placeARNParts reads the region, account and cluster of a container instance
// ARN (arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID); the old
// form without a cluster gives "default", and what is not an ARN
// ecs.DefaultRegion and ecs.DefaultAccount as well.
func placeARNParts(arn string) (region, account, cluster string) {
	a, err := ecs.ParseARN(arn)
	if err != nil {
		return ecs.DefaultRegion, ecs.DefaultAccount, "default"
	}
	cluster = a.Cluster
	if cluster == "" {
		cluster = "default"
	}
	return a.Region, a.Account, cluster
}

func (out *placeOutput) writeJSON(w io.Writer) error {
	data, err := ecs.MarshalIndent(out, "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func (out *placeOutput) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tCONTAINER INSTANCE\tAZ\tGROUP\tHOST PORTS")
	for _, t := range out.Tasks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", placeShortID(t.TaskARN), placeShortID(t.ContainerInstanceARN), t.AvailabilityZone, t.Group, placeHostPorts(t))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d placed", len(out.Tasks))
	if out.unplaced == 0 {
		_, err := fmt.Fprintln(w, ".")
		return err
	}
	fmt.Fprintf(w, ", %d not placed.\n\n%s\n", out.unplaced, out.event)
	for _, r := range out.reasons {
		fmt.Fprintf(w, "  %-50s %d instances\n", r, r.Count)
	}
	return nil
}

func placeShortID(arn string) string { return ecs.ResourceID(arn) }

// placeHostPorts lists a task's host ports with the container ports they
// map to, as docker ps does: 80->80/tcp, 49153->8080/tcp.
func placeHostPorts(t ecs.Task) string {
	var ports []string
	for _, c := range t.Containers {
		for _, b := range c.NetworkBindings {
			proto := string(b.Protocol)
			switch {
			case b.HostPortRange != "":
				ports = append(ports, b.HostPortRange+"->"+b.ContainerPortRange+"/"+proto)
			case b.HostPort != nil && b.ContainerPort != nil:
				ports = append(ports, fmt.Sprintf("%d->%d/%s", *b.HostPort, *b.ContainerPort, proto))
			case b.HostPort != nil:
				ports = append(ports, fmt.Sprintf("%d/%s", *b.HostPort, proto))
			}
		}
	}
	if len(ports) == 0 {
		return "-"
	}
	return strings.Join(ports, ",")
}
