package deploy

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// slotPlacer is a placer for tests: every ACTIVE instance holds up to
// slots tasks (0: any number); tasks go to the Availability Zone (the one
// asked for, if any), then the instance, with the fewest tasks of the
// service, ties by ARN; scale-in takes from the fullest zone and instance.
type slotPlacer struct {
	arns  []string
	az    map[string]string
	state map[string]string
	used  map[string]int // tasks holding room (not STOPPED)
	group map[string]int // tasks of the service counted by spread
	where map[string]string
	slots int
	calls int
}

func newSlotPlacer(instances []ecs.ContainerInstance, tasks []ecs.Task, slots int) *slotPlacer {
	p := &slotPlacer{
		az: map[string]string{}, state: map[string]string{}, used: map[string]int{},
		group: map[string]int{}, where: map[string]string{}, slots: slots,
	}
	for _, ci := range instances {
		p.arns = append(p.arns, ci.ContainerInstanceARN)
		p.state[ci.ContainerInstanceARN] = ci.Status
		for _, a := range ci.Attributes {
			if a.Name == "ecs.availability-zone" {
				p.az[ci.ContainerInstanceARN] = a.Value
			}
		}
	}
	slices.Sort(p.arns)
	for _, t := range tasks {
		if t.LastStatus == "STOPPED" {
			continue
		}
		p.used[t.ContainerInstanceARN]++
		p.where[t.TaskARN] = t.ContainerInstanceARN
		if t.DesiredStatus != "STOPPED" {
			p.group[t.ContainerInstanceARN]++
		}
	}
	return p
}

func (p *slotPlacer) fits(arn string) bool {
	return p.state[arn] == "ACTIVE" && (p.slots == 0 || p.used[arn] < p.slots)
}

func (p *slotPlacer) azCount(az string) int {
	n := 0
	for _, a := range p.arns {
		if p.az[a] == az {
			n += p.group[a]
		}
	}
	return n
}

func (p *slotPlacer) Place(r PlaceRequest) (PlaceResult, error) {
	p.calls++
	var res PlaceResult
	for k, task := range r.TaskARNs {
		best := ""
		if len(r.Instances) > 0 {
			if p.fits(r.Instances[k]) {
				best = r.Instances[k]
			}
		} else {
			for _, a := range p.arns {
				if !p.fits(a) || r.AvailabilityZone != "" && p.az[a] != r.AvailabilityZone {
					continue
				}
				if best == "" || cmp.Or(cmp.Compare(p.azCount(p.az[a]), p.azCount(p.az[best])),
					cmp.Compare(p.group[a], p.group[best])) < 0 {
					best = a
				}
			}
		}
		if best == "" {
			res.Event = fmt.Sprintf("(service %s) was unable to place a task because no container instance met all of its requirements.", r.Service)
			continue
		}
		p.used[best]++
		p.group[best]++
		p.where[task] = best
		res.Placed = append(res.Placed, PlacedTask{TaskARN: task, ContainerInstanceARN: best, AvailabilityZone: p.az[best]})
	}
	return res, nil
}

func (p *slotPlacer) Zones(r PlaceRequest) ([]string, error) {
	elig, err := p.Eligible(r)
	var out []string
	for _, a := range elig {
		if !slices.Contains(out, p.az[a]) && p.az[a] != "" {
			out = append(out, p.az[a])
		}
	}
	return out, err
}

func (p *slotPlacer) Eligible(PlaceRequest) ([]string, error) {
	var out []string
	for _, a := range p.arns {
		if p.state[a] == "ACTIVE" {
			out = append(out, a)
		}
	}
	return out, nil
}

func (p *slotPlacer) SelectStop(r StopRequest) ([]string, error) {
	cand := slices.Clone(r.Candidates)
	var out []string
	for range r.Count {
		slices.SortStableFunc(cand, func(a, b string) int {
			ia, ib := p.where[a], p.where[b]
			return cmp.Or(-cmp.Compare(p.azCount(p.az[ia]), p.azCount(p.az[ib])),
				-cmp.Compare(p.group[ia], p.group[ib]), cmp.Compare(a, b))
		})
		out = append(out, cand[0])
		p.group[p.where[cand[0]]]--
		cand = cand[1:]
	}
	return out, nil
}

// Fixtures.

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const (
	svcARN = "arn:aws:ecs:us-east-1:123456789012:service/prod/web"
	tdOld  = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"
	tdNew  = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"
	depOld = "ecs-svc/1111111111111111111"
	depNew = "ecs-svc/2222222222222222222"
)

func ptr[T any](v T) *T { return &v }

// taskDefs returns the two revisions, without health checks.
func taskDefs() map[string]*ecs.TaskDefinition {
	td := func(arn string, rev int) *ecs.TaskDefinition {
		return &ecs.TaskDefinition{TaskDefinitionARN: arn, Family: "web", Revision: rev,
			ContainerDefinitions: []ecs.ContainerDefinition{{Name: "web", Image: "nginx", Memory: ptr(256)}}}
	}
	return map[string]*ecs.TaskDefinition{tdOld: td(tdOld, 1), tdNew: td(tdNew, 2)}
}

// rollingService returns a service of desired tasks rolling from web:1
// (deployment depOld, COMPLETED) to web:2 (depNew, IN_PROGRESS).
func rollingService(desired, minPct, maxPct int) *ecs.Service {
	return &ecs.Service{
		ServiceARN: svcARN, ServiceName: "web", DesiredCount: desired, TaskDefinition: tdNew,
		SchedulingStrategy: ecs.SchedulingStrategyReplica, LaunchType: ecs.LaunchTypeEC2,
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			MinimumHealthyPercent: ptr(minPct), MaximumPercent: ptr(maxPct),
		},
		Deployments: []ecs.Deployment{
			{ID: depNew, Status: "PRIMARY", TaskDefinition: tdNew, DesiredCount: desired,
				CreatedAt: ecs.NewTime(t0), RolloutState: ecs.DeploymentRolloutStateInProgress},
			{ID: depOld, Status: "ACTIVE", TaskDefinition: tdOld, DesiredCount: desired,
				CreatedAt: ecs.NewTime(t0.Add(-time.Hour)), RolloutState: ecs.DeploymentRolloutStateCompleted},
		},
	}
}

// instances returns n ACTIVE instances over azs zones.
func instances(n, azs int) []ecs.ContainerInstance {
	out := make([]ecs.ContainerInstance, n)
	for i := range out {
		out[i] = ecs.ContainerInstance{
			ContainerInstanceARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/%032x", i),
			EC2InstanceID:        fmt.Sprintf("i-%017x", i),
			Status:               "ACTIVE", AgentConnected: true,
			Attributes: []ecs.Attribute{{Name: "ecs.availability-zone", Value: fmt.Sprintf("us-east-1%c", 'a'+i%azs)}},
		}
	}
	return out
}

// runningTasks returns n healthy RUNNING tasks of a deployment, spread
// over the instances.
func runningTasks(dep, td string, n int, insts []ecs.ContainerInstance, from int) []ecs.Task {
	out := make([]ecs.Task, n)
	for i := range out {
		ci := insts[(from+i)%len(insts)]
		out[i] = ecs.Task{
			TaskARN:              fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/prod/%s%024x", dep[len(dep)-4:]+"beef", from+i),
			TaskDefinitionARN:    td,
			StartedBy:            dep,
			Group:                "service:web",
			ContainerInstanceARN: ci.ContainerInstanceARN,
			LastStatus:           "RUNNING", DesiredStatus: "RUNNING",
			CreatedAt: ecs.NewTime(t0.Add(-2 * time.Hour)), StartedAt: ecs.NewTime(t0.Add(-2 * time.Hour)),
		}
	}
	return out
}

// rollingState is the first step of a deployment: desired old tasks
// running healthy, no new task yet.
func rollingState(desired, minPct, maxPct int) *State {
	insts := instances(max(desired, 3), 3)
	tasks := runningTasks(depOld, tdOld, desired, insts, 0)
	return &State{
		Service: rollingService(desired, minPct, maxPct), Tasks: tasks,
		TaskDefinitions: taskDefs(), Instances: insts,
		Placer: newSlotPlacer(insts, tasks, 0), Now: t0, Memory: NewMemory(1),
	}
}

// messages returns the events' messages.
func messages(evs []ecs.ServiceEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return out
}
