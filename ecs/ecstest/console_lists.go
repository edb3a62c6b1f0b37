package ecstest

import (
	"cmp"
	"container/heap"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// The console's lists: a page of a cluster's instances, services and
// tasks, with counts of all.

// instancesView counts the cluster's instances and draws a page of them.
// e.mu must be held.
func (e *ECS) instancesView(cl *cluster, q consoleQuery) instancesView {
	var v instancesView
	var cpuLeft, memLeft [10]int
	type cell struct {
		inst      *instance
		zone, typ string
		cpu, mem  usage
	}
	var cells []cell
	for _, inst := range cl.instances {
		switch {
		case inst.ci.Status == statusInactive:
			v.Inactive++
			continue
		case inst.ci.Status == statusDraining:
			v.Draining++
		}
		v.Registered++
		if !inst.ci.AgentConnected {
			v.Disconnected++
		}
		c := cell{inst: inst}
		c.cpu, c.mem = inst.consoleUsage()
		v.CPU.add(c.cpu)
		v.Memory.add(c.mem)
		cpuLeft[tenth(c.cpu)]++
		memLeft[tenth(c.mem)]++
		c.zone, _ = attrValue(inst.ci.Attributes, ecs.AttrAvailabilityZone)
		c.typ, _ = attrValue(inst.ci.Attributes, ecs.AttrInstanceType)
		cells = append(cells, c)
	}
	v.CPULeft = histogram("CPU", cpuLeft)
	v.MemoryLeft = histogram("memory", memLeft)
	slices.SortFunc(cells, func(a, b cell) int {
		return cmp.Or(strings.Compare(a.zone, b.zone), strings.Compare(a.typ, b.typ),
			strings.Compare(a.inst.ci.ContainerInstanceARN, b.inst.ci.ContainerInstanceARN))
	})
	from, to, page := pageOf(len(cells), q.instPage, consoleCells)
	v.Page = q.pager("container instances", from, to, len(cells), func(q *consoleQuery, n int) { q.instPage = n }, page)
	v.Heat.Width, v.Heat.Height = heatSize(to - from)
	for i, c := range cells[from:to] {
		running, pending := 0, 0
		for _, tk := range c.inst.tasks {
			switch tk.t.LastStatus {
			case ecs.TaskStatusRunning:
				running++
			case ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating:
				pending++
			}
		}
		name := cmp.Or(c.inst.ci.EC2InstanceID, taskIDOf(c.inst.ci.ContainerInstanceARN))
		title := name + " (" + cmp.Or(c.typ, "no type") + ", " + cmp.Or(c.zone, "no zone") + ") " + c.inst.ci.Status
		if !c.inst.ci.AgentConnected {
			title += ", agent disconnected"
		}
		title += ": CPU " + thousands(c.cpu.Remaining) + " of " + thousands(c.cpu.Registered) + " units left, memory " +
			thousands(c.mem.Remaining) + " of " + thousands(c.mem.Registered) + " MiB left; " +
			strconv.Itoa(running) + " running, " + strconv.Itoa(pending) + " pending"
		v.Heat.Cells = append(v.Heat.Cells, heatCellAt(i, c.cpu, c.mem, title,
			c.inst.ci.Status == statusDraining || !c.inst.ci.AgentConnected))
	}
	return v
}

// servicesView lists a page of the cluster's services, ACTIVE and
// DRAINING, by name. e.mu must be held.
func (e *ECS) servicesView(cl *cluster, q consoleQuery) servicesView {
	var v servicesView
	var shown []*service
	for _, svc := range cl.services {
		switch svc.info().Status {
		case serviceActive:
			v.Active++
		case serviceDraining:
			v.Draining++
		default:
			v.Inactive++
			continue
		}
		shown = append(shown, svc)
	}
	slices.SortFunc(shown, func(a, b *service) int { return strings.Compare(a.name, b.name) })
	from, to, page := pageOf(len(shown), q.svcPage, consoleServices)
	v.Page = q.pager("services", from, to, len(shown), func(q *consoleQuery, n int) { q.svcPage = n }, page)
	for _, svc := range shown[from:to] {
		v.List = append(v.List, serviceRow(svc.info()))
	}
	return v
}

func serviceRow(s *ecs.Service) serviceView {
	v := serviceView{
		Name: s.ServiceName, Status: s.Status, TaskDefinition: shortTaskDef(s.TaskDefinition),
		Launch:  string(s.LaunchType),
		Desired: s.DesiredCount, Running: s.RunningCount, Pending: s.PendingCount,
		Bar: newCountBar(s.DesiredCount, s.RunningCount, s.PendingCount),
	}
	if len(s.CapacityProviderStrategy) > 0 {
		names := make([]string, len(s.CapacityProviderStrategy))
		for i, p := range s.CapacityProviderStrategy {
			names[i] = p.CapacityProvider
		}
		v.Launch = strings.Join(names, ", ")
	}
	for _, d := range s.Deployments {
		v.Deployments = append(v.Deployments, deploymentView{
			Kind: "deployment", ID: d.ID, Status: d.Status, Rollout: string(d.RolloutState), Reason: d.RolloutStateReason,
			TaskDefinition: shortTaskDef(d.TaskDefinition), Created: timeText(d.CreatedAt),
			Desired: d.DesiredCount, Pending: d.PendingCount, Running: d.RunningCount, Failed: d.FailedTasks,
		})
	}
	for _, ts := range s.TaskSets {
		v.Deployments = append(v.Deployments, deploymentView{
			Kind: "task set", ID: ts.ID, Status: ts.Status, Rollout: string(ts.StabilityStatus),
			TaskDefinition: shortTaskDef(ts.TaskDefinition), Created: timeText(ts.CreatedAt),
			Desired: ts.ComputedDesiredCount, Pending: ts.PendingCount, Running: ts.RunningCount,
		})
	}
	for i, ev := range s.Events { // newest first, as ECS lists them
		if i == consoleEvents {
			v.MoreEvents = len(s.Events) - i
			break
		}
		v.Events = append(v.Events, eventView{At: timeText(ev.CreatedAt), Message: clip(ev.Message, consoleMessage)})
	}
	return v
}

// taskStatuses are the task statuses in the order of the lifecycle.
var taskStatuses = []ecs.TaskStatus{
	ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating, ecs.TaskStatusRunning,
	ecs.TaskStatusDeactivating, ecs.TaskStatusStopping, ecs.TaskStatusDeprovisioning, ecs.TaskStatusStopped,
}

// tasksView counts the cluster's tasks by status and lists a page of the
// newest, the first consoleNewest reachable. e.mu must be held.
func (e *ECS) tasksView(cl *cluster, q consoleQuery) tasksView {
	v := tasksView{Total: len(cl.tasks)}
	counts := make([]int, len(taskStatuses))
	depth := min((q.taskPage+1)*consoleTasks, consoleNewest)
	newest := &taskHeap{}
	for _, tk := range cl.tasks {
		if i := slices.Index(taskStatuses, tk.t.LastStatus); i >= 0 {
			counts[i]++
		}
		if newest.Len() < depth {
			heap.Push(newest, tk)
		} else if newer(tk, (*newest)[0]) {
			(*newest)[0] = tk
			heap.Fix(newest, 0)
		}
	}
	for i, s := range taskStatuses {
		switch s {
		case ecs.TaskStatusRunning:
			v.running += counts[i]
		case ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating:
			v.pending += counts[i]
		}
	}
	v.ByStatus = statusChart(taskStatuses, counts)
	list := []*task(*newest)
	slices.SortFunc(list, func(a, b *task) int {
		if newer(a, b) {
			return -1
		}
		return 1
	})
	reach := min(len(cl.tasks), consoleNewest)
	from, to, page := pageOf(reach, q.taskPage, consoleTasks)
	v.Page = q.pager("tasks, newest first", from, to, reach, func(q *consoleQuery, n int) { q.taskPage = n }, page)
	if len(cl.tasks) > consoleNewest {
		v.Page.Note = "The pages reach the newest " + thousands(consoleNewest) + " of " + thousands(len(cl.tasks)) +
			" tasks; aws ecs list-tasks lists them all."
	}
	for _, tk := range list[from:min(to, len(list))] {
		v.List = append(v.List, taskRow(tk))
	}
	return v
}

func taskRow(tk *task) taskView {
	t := &tk.t
	where := "Fargate"
	if tk.inst != nil {
		where = cmp.Or(tk.inst.ci.EC2InstanceID, taskIDOf(tk.inst.ci.ContainerInstanceARN))
	} else if t.LaunchType != ecs.LaunchTypeFargate && t.LaunchType != "" {
		where = "not placed"
	}
	return taskView{
		ID: tk.id(), Group: t.Group, TaskDefinition: shortTaskDef(t.TaskDefinitionARN),
		LastStatus: string(t.LastStatus), DesiredStatus: string(t.DesiredStatus), Health: string(t.HealthStatus),
		Where: where, Zone: t.AvailabilityZone, Created: timeText(t.CreatedAt), Stopped: t.StoppedReason,
	}
}

// newer orders tasks newest first, then by ID (the IDs, which differ
// from their first characters, not the ARNs, which share their first
// fifty).
func newer(a, b *task) bool {
	if c := a.t.CreatedAt.Compare(b.t.CreatedAt.Time); c != 0 {
		return c > 0
	}
	return a.id() < b.id()
}

// taskHeap holds the newest tasks seen, the oldest of them on top, so
// that the newest n of a cluster cost n log n, not a sort of them all.
type taskHeap []*task

func (h taskHeap) Len() int           { return len(h) }
func (h taskHeap) Less(i, j int) bool { return newer(h[j], h[i]) }
func (h taskHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *taskHeap) Push(x any)        { *h = append(*h, x.(*task)) }
func (h *taskHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
