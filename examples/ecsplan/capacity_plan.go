package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

const capacityPlanUsage = `usage: ecsplan capacity plan -services SERVICES.json [-task-definitions FILE...]
	[-instance-types TYPES.json] [-types m5.large,c6g.*] [-arch x86_64|arm64]
	[-azs a,b,c] [-headroom K] [-survive-zone-loss[=full]] [-max-spot-share S] [-mixed]
	[-o text|json|csv|markdown|html]

plan finds, for each instance type, the fewest container instances per
Availability Zone on which every service fits: at its desired count, during
each service's deployment (maximumPercent), with its daemons on every
instance and, with -headroom, room for K more tasks of the largest. Then it
prices each option (EC2 on demand, EC2 Spot, Fargate, Fargate Spot) for a
month of 730 hours and recommends the cheapest. SERVICES.json is
describe-services output; the task definitions come from -task-definitions
(files of describe-task-definition output or register-task-definition input)
or from a top-level "taskDefinitions" array in SERVICES.json. TYPES.json
replaces the instance type catalogue and the EC2 prices:
[{"instanceType", "vcpu", "memoryMiB", "maxEnis", "trunkEnis",
"pricePerHour", "spotPricePerHour"}]. -types keeps the instance types named
or matching a pattern (* and ?), -arch those of one CPU architecture; a
service runs only on types of its task definition's
runtimePlatform.cpuArchitecture (X86_64 when it names none). Utilisation is
in percent; STRANDED is what the instances keep unused of one resource
because the other runs out first.
-survive-zone-loss plans, for each type, the fewest instances on which every
service keeps its minimum healthy tasks (ceil(desiredCount x
minimumHealthyPercent / 100)) after the loss of any one zone, the lost
tasks re-placed on the other zones' instances with the service's placement
strategy and constraints, as ECS replaces the tasks of a draining
instance. Each service's scheduler re-places up to its desired count on
its own, in no set order: a service must keep its minimum even when every
other service has re-placed its lost tasks first (largest services first,
or smallest first). -survive-zone-loss=full keeps each service's desired
count.
-mixed lets the EC2 and EC2_SPOT options combine instance types: the
services are grouped by the shape of their tasks (CPU-heavy up to 3 GiB a
vCPU, balanced up to 6, memory-heavy), each group planned on a fleet of its
own type, pinned there (a memberOf constraint on
attribute:ecs.instance-type), when that costs less than any single type;
a note says why, or why not. It plans each group over every type. With
-max-spot-share below 1 only the EC2 option mixes types: the EC2_SPOT
option stays on one type (a note says so).
-max-spot-share S keeps at least 1-S of the EC2_SPOT option's instances
(rounded up) on demand, the Spot ones spread over the zones, and of each
service's FARGATE_SPOT tasks on FARGATE. When the recommended option runs
on Spot (any share of it), a WARNING names each service that an interruption of the
Spot capacity of one zone (EC2 reclaims Spot instances by pool: one
instance type in one zone) would leave below its minimum healthy tasks,
its lost tasks re-placed where the other instances have room.
-o json carries everything the text shows; -o csv is one table (its
"row" column tells options, instance types, zones of a type, Fargate
sizes and services that cannot be placed apart); -o markdown gives GitHub tables; -o html
one self-contained page (no network needed) with the tables and charts of
the options' costs and of each instance type's cost, utilisation,
instances per zone and utilisation per zone, every figure of which -o json carries.
Exit status: 0 a plan, 1 a service no option can run or one above ECS's
quota of 5,000 tasks per service, 2 usage or input error.
`

// errPlanUsage marks an error in the command line or the input.
var errPlanUsage = errors.New("usage")

// planArgs is the parsed command line of capacity plan.
type planArgs struct {
	services, types, output string
	arch                    string
	taskDefs                []string
	typeFilter              []string
	azs                     []string
	headroom                int
	zoneLoss                capacity.ZoneLoss
	maxSpotShare            float64
	mixed                   bool
}

// fileList is a flag that collects file names, repeatable.
type fileList []string

func (f *fileList) String() string { return strings.Join(*f, " ") }

func (f *fileList) Set(v string) error {
	*f = append(*f, v)
	return nil
}

// parsePlanArgs parses the command line. The arguments that follow a
// -task-definitions file, up to the next flag, are task definition files
// as well, so that a shell glob can name them.
func parsePlanArgs(args []string, stderr io.Writer) (*planArgs, error) {
	a := &planArgs{}
	fs := flag.NewFlagSet("ecsplan capacity plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, capacityPlanUsage)
		fs.PrintDefaults()
	}
	if err := zoneLossValueApart(args); err != nil {
		return nil, err
	}
	var tds fileList
	fs.StringVar(&a.services, "services", "", "describe-services output (JSON)")
	fs.Var(&tds, "task-definitions", "task definition `FILE`s; repeatable, and the arguments after one up to the next flag")
	fs.StringVar(&a.types, "instance-types", "", "instance types and EC2 prices replacing the catalogue (JSON)")
	azs := fs.String("azs", strings.Join(capacity.DefaultAvailabilityZones(), ","), "Availability Zones, comma-separated")
	fs.IntVar(&a.headroom, "headroom", 0, "room for `K` more tasks of the largest task")
	fs.StringVar(&a.output, "o", "text", "output: text, json, csv, markdown or html")
	typeFilter := fs.String("types", "", "instance `TYPES` to plan, comma-separated names or patterns (m5.*)")
	fs.StringVar(&a.arch, "arch", "", "plan only instance types of this CPU architecture: x86_64 or arm64")
	fs.BoolVar(&a.mixed, "mixed", false, "let the EC2 options combine instance types, the services grouped by the shape of their tasks")
	fs.Float64Var(&a.maxSpotShare, "max-spot-share", 1, "the largest `SHARE` (0 to 1) of the Spot options' instances, and of each service's Fargate Spot tasks, on Spot")
	fs.Var(zoneLossFlag{&a.zoneLoss}, "survive-zone-loss", "survive the loss of any one zone: each service keeps its minimum healthy tasks, or with =full its desired count")
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return nil, errPlanUsage
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(tds) == 0 {
			return nil, fmt.Errorf("%w: unexpected argument %q", errPlanUsage, rest[0])
		}
		for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			tds, rest = append(tds, rest[0]), rest[1:]
		}
	}
	a.taskDefs = tds
	for _, z := range strings.Split(*azs, ",") {
		if z = strings.TrimSpace(z); z != "" {
			a.azs = append(a.azs, z)
		}
	}
	for _, t := range strings.Split(*typeFilter, ",") {
		if t = strings.TrimSpace(t); t != "" {
			a.typeFilter = append(a.typeFilter, t)
		}
	}
	switch {
	case a.arch != "" && a.arch != "x86_64" && a.arch != "arm64":
		return nil, fmt.Errorf("%w: -arch %q: want x86_64 or arm64", errPlanUsage, a.arch)
	case a.services == "":
		return nil, fmt.Errorf("%w: -services is required", errPlanUsage)
	case len(a.azs) == 0:
		return nil, fmt.Errorf("%w: -azs names no Availability Zone", errPlanUsage)
	case !(a.maxSpotShare >= 0 && a.maxSpotShare <= 1):
		return nil, fmt.Errorf("%w: -max-spot-share %v: want a share from 0 to 1", errPlanUsage, a.maxSpotShare)
	case a.headroom < 0:
		return nil, fmt.Errorf("%w: -headroom must not be negative", errPlanUsage)
	}
	if err := checkFormat(a.output); err != nil {
		return nil, fmt.Errorf("%w: %w", errPlanUsage, err)
	}
	return a, nil
}

// runCapacityPlan runs ecsplan capacity plan and returns the exit status.
func runCapacityPlan(args []string, stdout, stderr io.Writer) int {
	a, err := parsePlanArgs(args, stderr)
	if err != nil {
		if err.Error() != "usage" {
			fmt.Fprintln(stderr, "ecsplan capacity plan:", err)
		}
		return exitUsage
	}
	ws, err := loadWorkloads(a)
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan capacity plan:", err)
		return exitUsage
	}
	opts := capacity.PlannerOptions{AvailabilityZones: a.azs, Headroom: a.headroom,
		InstanceTypes: a.typeFilter, Architecture: a.arch, SurviveZoneLoss: a.zoneLoss,
		MinOnDemandShare: 1 - a.maxSpotShare, MixedTypes: a.mixed}
	if a.types != "" {
		if opts.Catalog, opts.Prices, err = readInstanceTypes(a.types); err != nil {
			fmt.Fprintln(stderr, "ecsplan capacity plan:", err)
			return exitUsage
		}
	}
	if opts.Prices == nil {
		opts.Prices = capacity.DefaultPrices()
	}
	prog := newProgress(stderr)
	if prog != nil {
		opts.Progress = func(pr capacity.PlanProgress) {
			prog.show("planning: %d/%d instance types, %d placement checks", pr.Done, pr.Types, pr.Checks)
		}
	}
	plan, err := capacity.NewPlanner(func(o *capacity.PlannerOptions) { *o = opts }).Plan(context.Background(), ws)
	prog.done()
	if errors.Is(err, capacity.ErrTasksPerService) {
		// A service ECS would not run: a problem of the input, not of
		// the command line.
		fmt.Fprintln(stderr, "ecsplan capacity plan:", err)
		return exitProblems
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan capacity plan:", err)
		return exitUsage
	}
	switch a.output {
	case "json":
		err = writePlanJSON(stdout, plan, opts.Prices, ws, a.headroom)
	case "csv":
		err = writePlanCSV(stdout, plan)
	case "markdown":
		err = writePlanMarkdown(stdout, plan, opts.Prices, ws, a.headroom)
	case "html":
		err = writePlanHTML(stdout, plan, opts.Prices, ws, a.headroom)
	default:
		err = writePlanText(stdout, plan, opts.Prices, ws, a.headroom)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan capacity plan:", err)
		return exitUsage
	}
	if !plan.Placeable() {
		return exitProblems
	}
	return exitOK
}

// loadWorkloads reads the services and their task definitions. Services
// that are INACTIVE or DRAINING (being deleted) are left out.
func loadWorkloads(a *planArgs) ([]capacity.Workload, error) {
	defs, err := loadServiceDefs(a.services, a.taskDefs)
	if err != nil {
		return nil, err
	}
	ws := make([]capacity.Workload, 0, len(defs))
	for _, d := range defs {
		ws = append(ws, capacity.WorkloadFor(d.svc, d.td))
	}
	return ws, nil
}

// serviceDef is an active service of describe-services output and the
// task definition it runs.
type serviceDef struct {
	svc *ecs.Service
	td  *ecs.TaskDefinition
}

// loadServiceDefs reads describe-services output and the task definitions
// of its active services: a top-level "taskDefinitions" array beside
// "services", and the files taskDefs names.
func loadServiceDefs(services string, taskDefs []string) ([]serviceDef, error) {
	data, err := os.ReadFile(services)
	if err != nil {
		return nil, err
	}
	svcs, _, err := ecs.DecodeServices(data, ecs.Lenient)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", services, err)
	}
	tds, err := embeddedTaskDefinitions(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", services, err)
	}
	for _, path := range taskDefs {
		td, err := readFile(path, func(b []byte) (*ecs.TaskDefinition, error) {
			td, _, err := ecs.DecodeTaskDefinition(b, ecs.Lenient)
			return td, err
		})
		if err != nil {
			return nil, err
		}
		tds = append(tds, td)
	}
	var defs []serviceDef
	for i := range svcs {
		svc := &svcs[i]
		if svc.Status == "INACTIVE" || svc.Status == "DRAINING" {
			continue
		}
		if svc.ServiceName == "" {
			return nil, fmt.Errorf("%s: service %d has no serviceName", services, i)
		}
		td := findTaskDefinition(tds, svc.TaskDefinition)
		if td == nil {
			return nil, fmt.Errorf("service %s: task definition %q not given (-task-definitions, or \"taskDefinitions\" in %s)",
				svc.ServiceName, svc.TaskDefinition, services)
		}
		defs = append(defs, serviceDef{svc, td})
	}
	if len(defs) == 0 {
		return nil, fmt.Errorf("%s: no active service", services)
	}
	return defs, nil
}

// embeddedTaskDefinitions reads a top-level "taskDefinitions" array.
func embeddedTaskDefinitions(data []byte) ([]*ecs.TaskDefinition, error) {
	var doc struct {
		TaskDefinitions []json.RawMessage `json:"taskDefinitions"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		return nil, nil // a bare array of services
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []*ecs.TaskDefinition
	for i, raw := range doc.TaskDefinitions {
		td, _, err := ecs.DecodeTaskDefinition(raw, ecs.Lenient)
		if err != nil {
			return nil, fmt.Errorf("taskDefinitions[%d]: %w", i, err)
		}
		out = append(out, td)
	}
	return out, nil
}

// findTaskDefinition returns the task definition ref names: by ARN, by
// family:revision, or by family (the highest revision given).
func findTaskDefinition(tds []*ecs.TaskDefinition, ref string) *ecs.TaskDefinition {
	name := ref[strings.LastIndexByte(ref, '/')+1:]
	family, rev, hasRev := strings.Cut(name, ":")
	var best *ecs.TaskDefinition
	for _, td := range tds {
		switch {
		case td.TaskDefinitionARN != "" && td.TaskDefinitionARN == ref:
			return td
		case td.Family != family:
		case hasRev && strconv.Itoa(td.Revision) == rev:
			return td
		case !hasRev && (best == nil || td.Revision > best.Revision):
			best = td
		}
	}
	if best == nil && hasRev {
		// A definition given without a revision stands for any revision.
		for _, td := range tds {
			if td.Family == family && td.Revision == 0 {
				return td
			}
		}
	}
	return best
}

// instanceTypeJSON is one entry of TYPES.json.
type instanceTypeJSON struct {
	InstanceType        string   `json:"instanceType"`
	VCPU                int      `json:"vcpu"`
	MemoryMiB           int      `json:"memoryMiB"`
	RegisteredMemoryMiB int      `json:"registeredMemoryMiB,omitempty"`
	MaxENIs             int      `json:"maxEnis"`
	TrunkENIs           int      `json:"trunkEnis"`
	Architecture        string   `json:"architecture,omitempty"`
	GPUs                int      `json:"gpus,omitempty"`
	PricePerHour        *float64 `json:"pricePerHour"`
	SpotPricePerHour    *float64 `json:"spotPricePerHour"`
}

// readInstanceTypes reads TYPES.json: a catalogue of exactly its types
// (registered CPU and memory derived where not given; the architecture of
// a type the default catalogue knows, else x86_64) and the default price
// table with its EC2 prices replaced by the file's.
func readInstanceTypes(path string) (*ecs.Catalog, *capacity.PriceTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list []instanceTypeJSON
	if err := dec.Decode(&list); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	prices := capacity.DefaultPrices()
	prices.EC2 = capacity.EC2Prices{OnDemand: map[string]float64{}, Spot: map[string]float64{},
		Notes: []string{"from " + path}}
	types := make([]ecs.InstanceType, 0, len(list))
	for i, t := range list {
		switch {
		case t.InstanceType == "" || t.VCPU <= 0 || t.MemoryMiB <= 0:
			return nil, nil, fmt.Errorf("%s: [%d]: instanceType, vcpu and memoryMiB are required", path, i)
		case t.MaxENIs < 0 || t.TrunkENIs < 0 || t.GPUs < 0 || t.RegisteredMemoryMiB < 0:
			return nil, nil, fmt.Errorf("%s: [%d]: a count is negative", path, i)
		case t.PricePerHour != nil && !(*t.PricePerHour >= 0), t.SpotPricePerHour != nil && !(*t.SpotPricePerHour >= 0):
			return nil, nil, fmt.Errorf("%s: [%d]: a price is negative", path, i)
		}
		arch := t.Architecture
		if known, ok := ecs.DefaultCatalog().Lookup(t.InstanceType); ok && arch == "" {
			arch = known.Architecture
		}
		types = append(types, ecs.InstanceType{Name: t.InstanceType, VCPUs: t.VCPU, MemoryMiB: t.MemoryMiB,
			RegisteredMemoryMiB: t.RegisteredMemoryMiB, MaxENIs: t.MaxENIs, TrunkENIs: t.TrunkENIs,
			Architecture: cmp.Or(arch, "x86_64"), GPUs: t.GPUs})
		if t.PricePerHour != nil {
			prices.EC2.OnDemand[t.InstanceType] = *t.PricePerHour
		}
		if t.SpotPricePerHour != nil {
			prices.EC2.Spot[t.InstanceType] = *t.SpotPricePerHour
		}
	}
	if len(types) == 0 {
		return nil, nil, fmt.Errorf("%s: no instance type", path)
	}
	return ecs.NewCatalog(types...), prices, nil
}
