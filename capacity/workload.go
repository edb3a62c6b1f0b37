package capacity

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// Default maximumPercent of a deployment, as the ECS API sets it when a
// service leaves it unset (rules 117 and 119): package ecs's defaults,
// which package deploy applies too.
const (
	DefaultReplicaMaximumPercent = ecs.DefaultReplicaMaximumPercent
	DefaultDaemonMaximumPercent  = ecs.DefaultDaemonMaximumPercent
)

// Workload is one service the planner sizes capacity for: what each task
// takes (its task definition), how many run, where they may go, and how
// far a deployment may surge.
type Workload struct {
	// Name is the service's name; its tasks form the task group
	// service:<Name>. Names must be distinct and not empty.
	Name string
	// TaskDefinition is the definition the service runs.
	TaskDefinition *ecs.TaskDefinition
	// DesiredCount is the number of tasks of a REPLICA service.
	DesiredCount int
	// Daemon marks a DAEMON service: one task on every instance its
	// constraints admit, placed before any replica task.
	Daemon bool
	// Strategy and Constraints are the service's placement strategy
	// (empty: the service default) and constraints.
	Strategy    []ecs.PlacementStrategy
	Constraints []ecs.PlacementConstraint
	// MaximumPercent caps the tasks RUNNING or PENDING during a
	// deployment: ⌊DesiredCount × MaximumPercent / 100⌋
	// (ecs.DeploymentBounds). 0 means DefaultReplicaMaximumPercent. Below
	// 100 the deployment stops old tasks before it starts new ones, so the
	// peak the planner sizes for is DesiredCount.
	MaximumPercent int
	// MinimumHealthyPercent is the service's
	// deploymentConfiguration.minimumHealthyPercent; nil means
	// ECS's default for a replica service, 100 (rule 118). Only a plan
	// that survives a zone loss, and the Spot warning, read it.
	MinimumHealthyPercent *int
}

// minimumHealthyPercent returns w's minimumHealthyPercent, 100 when unset.
func (w *Workload) minimumHealthyPercent() int {
	if w.MinimumHealthyPercent == nil {
		return ecs.DefaultReplicaMinimumHealthyPercent
	}
	return *w.MinimumHealthyPercent
}

// WorkloadFor returns the workload of svc, as describe-services shows it,
// running td. The deployment surge is the service's maximumPercent, or
// 200 when unset; a blue/green, linear or canary deployment (ECS's own, or
// CodeDeploy's) brings up a full second set of tasks, which 200 also
// expresses.
//
// A nil svc gives the workload of td alone: no name, no task.
func WorkloadFor(svc *ecs.Service, td *ecs.TaskDefinition) Workload {
	if svc == nil {
		return Workload{TaskDefinition: td}
	}
	w := Workload{
		Name:           svc.ServiceName,
		TaskDefinition: td,
		DesiredCount:   svc.DesiredCount,
		Daemon:         svc.SchedulingStrategy == ecs.SchedulingStrategyDaemon,
		Strategy:       svc.PlacementStrategy,
		Constraints:    svc.PlacementConstraints,
	}
	if cfg := svc.DeploymentConfiguration; cfg != nil && cfg.MaximumPercent != nil {
		w.MaximumPercent = *cfg.MaximumPercent
	}
	if cfg := svc.DeploymentConfiguration; cfg != nil && cfg.MinimumHealthyPercent != nil {
		mhp := *cfg.MinimumHealthyPercent
		w.MinimumHealthyPercent = &mhp
	}
	fullSet := svc.DeploymentController != nil && svc.DeploymentController.Type == ecs.DeploymentControllerTypeCodeDeploy
	if cfg := svc.DeploymentConfiguration; cfg != nil {
		switch cfg.Strategy {
		case ecs.DeploymentStrategyBlueGreen, ecs.DeploymentStrategyLinear, ecs.DeploymentStrategyCanary:
			fullSet = true
		}
	}
	if fullSet {
		w.MaximumPercent = 200
	}
	return w
}

// maxTasks returns the tasks of w live at the peak of a deployment: the
// deployment's maximum (ecs.DeploymentBounds), but never fewer than the
// desired count, which run before a deployment and after it whatever the
// maximum, and never more than twice the desired count: a deployment
// starts at most the desired count of new tasks while the old ones, at
// most the desired count, stop, so a maximumPercent above 200 adds no
// task.
func (w *Workload) maxTasks() int {
	if w.Daemon {
		return w.DesiredCount
	}
	pct := w.MaximumPercent
	if pct == 0 {
		pct = DefaultReplicaMaximumPercent
	}
	_, maximum := ecs.DeploymentBounds(w.DesiredCount, 0, min(max(pct, 0), 200))
	return max(maximum, w.DesiredCount)
}

// DefaultMaxTasksPerService is ECS's quota of tasks per service, the
// largest desired count a service may have (the Amazon ECS service quota
// "Tasks per service": 5,000; rule 147). A Planner refuses a replica
// workload above it, or above its own MaxTasksPerService.
const DefaultMaxTasksPerService = 5000

// ErrTasksPerService is wrapped by the error of a Planner for a workload
// whose desired count, or a Headroom, is above the quota of tasks per
// service.
var ErrTasksPerService = errors.New("above the quota of tasks per service")

// quotaError says that a workload asks for more tasks than one service
// may have.
type quotaError struct {
	workload string // empty for the Headroom
	tasks    int
	quota    int
}

func (e *quotaError) Error() string { return errPrefix + e.Reason() }

// Reason names the workload, the count and the quota.
func (e *quotaError) Reason() string {
	what := fmt.Sprintf("workload %q: desired count %d", e.workload, e.tasks)
	if e.workload == "" {
		what = fmt.Sprintf("a headroom of %d tasks", e.tasks)
	}
	return fmt.Sprintf("%s is %v, %d (ECS service quota \"Tasks per service\", 5,000 unless raised)",
		what, ErrTasksPerService, e.quota)
}

func (e *quotaError) Unwrap() error { return ErrTasksPerService }

// prepared is a workload read once: what one task takes and the facts
// the planner filters instance types by.
type prepared struct {
	w       *Workload
	idx     int // in the caller's order
	demand  ecs.Resources
	surge   int    // tasks added at the peak of a deployment
	arch    string // "x86_64" or "arm64": the task definition's, X86_64 when it names none
	windows bool   // a Windows task: the planner's instances run Linux
	static  bool   // binds a static host port: one task per instance
}

// prepare checks the workloads and reads them. A replica workload whose
// desired count is above quota tasks is refused (quota 0 means
// DefaultMaxTasksPerService), before anything sized by the count is
// built. Replica workloads come first-fit decreasing (the most memory,
// then the most CPU, then by name); daemons keep their order and come
// before them.
func prepare(ws []Workload, quota int) ([]prepared, error) {
	quota = cmp.Or(quota, DefaultMaxTasksPerService)
	var out []prepared
	seen := map[string]bool{}
	for i := range ws {
		w := &ws[i]
		switch {
		case w.Name == "":
			return nil, fmt.Errorf("capacity: workload %d has no name", i)
		case seen[w.Name]:
			return nil, fmt.Errorf("capacity: workload %q given twice", w.Name)
		case w.TaskDefinition == nil:
			return nil, &workloadError{workload: w.Name, err: placement.ErrNoTaskDefinition}
		case w.DesiredCount < 0:
			return nil, &workloadError{workload: w.Name, err: fmt.Errorf("desired count %d is negative", w.DesiredCount)}
		case w.MinimumHealthyPercent != nil && (*w.MinimumHealthyPercent < 0 || *w.MinimumHealthyPercent > 100):
			return nil, &workloadError{workload: w.Name, err: fmt.Errorf("minimumHealthyPercent %d is not between 0 and 100", *w.MinimumHealthyPercent)}
		case !w.Daemon && w.DesiredCount > quota:
			return nil, &quotaError{workload: w.Name, tasks: w.DesiredCount, quota: quota}
		}
		seen[w.Name] = true
		if err := placement.ValidatePlacement(w.Strategy, w.Constraints, w.TaskDefinition); err != nil {
			return nil, &workloadError{workload: w.Name, err: err}
		}
		d, err := placement.TaskDemand(w.TaskDefinition, nil)
		if err != nil {
			return nil, &workloadError{workload: w.Name, err: err}
		}
		p := prepared{w: w, idx: i, demand: d, surge: w.maxTasks() - w.DesiredCount,
			static: len(d.PortsTCP)+len(d.PortsUDP) > 0}
		p.arch = "x86_64" // ECS's default when runtimePlatform.cpuArchitecture is absent
		if rp := w.TaskDefinition.RuntimePlatform; rp != nil {
			p.windows = rp.OperatingSystemFamily.Windows()
			if rp.CPUArchitecture == ecs.CPUArchitectureArm64 {
				p.arch = "arm64"
			}
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b prepared) int {
		if a.w.Daemon != b.w.Daemon {
			if a.w.Daemon {
				return -1
			}
			return 1
		}
		if a.w.Daemon {
			return 0
		}
		return cmp.Or(
			cmp.Compare(b.demand.MemoryMiB, a.demand.MemoryMiB),
			cmp.Compare(b.demand.CPU, a.demand.CPU),
			strings.Compare(a.w.Name, b.w.Name))
	})
	return out, nil
}

// index returns the index of p in ws, which holds it.
func (p *prepared) index(ws []prepared) int {
	for i := range ws {
		if &ws[i] == p {
			return i
		}
	}
	panic("capacity: a prepared workload outside its slice")
}

// inOrder returns ws in the caller's order.
func inOrder(ws []prepared) []prepared {
	out := slices.Clone(ws)
	slices.SortFunc(out, func(a, b prepared) int { return cmp.Compare(a.idx, b.idx) })
	return out
}

// largestTask returns the replica workload whose task is the largest (the most
// memory, then CPU; prepare's order), or nil when there is none.
func largestTask(ws []prepared) *prepared {
	for i := range ws {
		if !ws[i].w.Daemon {
			return &ws[i]
		}
	}
	return nil
}

// ErrNoAvailabilityZone is returned by a Planner given no Availability
// Zone.
var ErrNoAvailabilityZone = errors.New("capacity: no Availability Zone to plan")

// keep returns the workloads of ws (by index) that ok keeps, in order.
func keep(ws []prepared, ok func(w int, p *prepared) bool) []prepared {
	kept := make([]prepared, 0, len(ws))
	for w := range ws {
		if ok(w, &ws[w]) {
			kept = append(kept, ws[w])
		}
	}
	return kept
}
