package ecstest

import (
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// The console is a read-only page of the control plane for a person with
// a browser, which Handler serves at GET / to a request that accepts
// text/html (console_page.go writes it). What it costs is bounded
// whatever the size of the world: it lists at most these many of each
// thing, and pages through the rest, with counts and charts of the whole.
const (
	consoleClusters = 100  // clusters listed
	consoleCells    = 500  // instances per page of the heat map
	consoleServices = 50   // services per page
	consoleEvents   = 3    // the newest events of each service
	consoleMessage  = 200  // characters of an event shown
	consoleTasks    = 50   // tasks per page
	consoleNewest   = 5000 // the newest tasks the pages reach
	consoleRefresh  = 2    // seconds between the page's looks at the clock
	maxRefresh      = 3600
)

// consoleQuery is what the page's URL asks for: a cluster, a page of
// each list, and how often the page looks at the clock (0: never).
type consoleQuery struct {
	cluster                     string
	instPage, svcPage, taskPage int
	refresh                     int
	refreshSet                  bool // the URL names refresh, which links keep
}

// parseConsoleQuery reads the page's query. It is lenient, as a page is:
// a page number or refresh that is not one is the default.
func parseConsoleQuery(q url.Values) consoleQuery {
	c := consoleQuery{cluster: q.Get("cluster"), refresh: consoleRefresh}
	num := func(key string, most int) (int, bool) {
		n, err := strconv.Atoi(q.Get(key))
		if err != nil || n < 0 {
			return 0, false
		}
		return min(n, most), true
	}
	c.instPage, _ = num("instances", 1<<20)
	c.svcPage, _ = num("services", 1<<20)
	c.taskPage, _ = num("tasks", consoleNewest/consoleTasks)
	if n, ok := num("refresh", maxRefresh); ok {
		c.refresh, c.refreshSet = n, true
	}
	return c
}

// link returns the page's URL with the query q asks for, one member
// changed by edit.
func (q consoleQuery) link(edit func(*consoleQuery)) string {
	edit(&q)
	v := url.Values{}
	if q.cluster != "" {
		v.Set("cluster", q.cluster)
	}
	for key, n := range map[string]int{"instances": q.instPage, "services": q.svcPage, "tasks": q.taskPage} {
		if n > 0 {
			v.Set(key, strconv.Itoa(n))
		}
	}
	if q.refreshSet {
		v.Set("refresh", strconv.Itoa(q.refresh))
	}
	if len(v) == 0 {
		return "/"
	}
	return "/?" + v.Encode()
}

// consoleView is what the page shows, gathered under the lock and
// written after it.
type consoleView struct {
	Region, Account string
	Now             string // the clock, as a person reads it
	NowEpoch        string // the clock as /_ecslocal/clock answers it, for the page's script
	Speed           string
	Refresh         int
	Clusters        []clusterRow
	MoreClusters    int
	Missing         string // a cluster the URL names that there is not
	Cluster         *clusterDetail
}

// usage is an amount of a resource registered and what of it is left.
type usage struct{ Registered, Remaining int }

// UsedPercent is the part of Registered that is taken, in percent.
func (u usage) UsedPercent() int {
	if u.Registered <= 0 {
		return 0
	}
	return int(float64(u.Registered-u.Remaining) * 100 / float64(u.Registered))
}

func (u *usage) add(v usage) { u.Registered += v.Registered; u.Remaining += v.Remaining }

// clusterRow is a cluster in the list of clusters.
type clusterRow struct {
	Name, Status, Link  string
	Selected            bool
	Instances, Services int
	Running, Pending    int
	CPU, Memory         usage
}

// clusterDetail is the cluster the page shows: its instances, services
// and tasks.
type clusterDetail struct {
	Name      string
	Instances instancesView
	Services  servicesView
	Tasks     tasksView
}

// instancesView shows the cluster's container instances: counts and
// totals of all, and a page of them as a heat map.
type instancesView struct {
	Registered, Draining, Inactive, Disconnected int
	CPU, Memory                                  usage
	CPULeft, MemoryLeft                          template.HTML // charts of instances by the part of their CPU, memory left
	Heat                                         heatMap
	Page                                         pager
}

// servicesView shows a page of the cluster's services.
type servicesView struct {
	Active, Draining, Inactive int
	List                       []serviceView
	Page                       pager
}

// serviceView is one service with its deployments and newest events.
type serviceView struct {
	Name, Status, TaskDefinition, Launch string
	Desired, Running, Pending            int
	Bar                                  countBar
	Deployments                          []deploymentView
	Events                               []eventView
	MoreEvents                           int
}

// deploymentView is a deployment or a task set of a service.
type deploymentView struct {
	Kind, ID, Status, Rollout, Reason, TaskDefinition, Created string
	Desired, Pending, Running, Failed                          int
}

// eventView is a service event.
type eventView struct{ At, Message string }

// tasksView shows the cluster's tasks: counts by status of all, and a
// page of the newest.
type tasksView struct {
	Total            int
	ByStatus         template.HTML // a chart of tasks by last status
	List             []taskView
	Page             pager
	running, pending int // as DescribeClusters counts them
}

// taskView is one task.
type taskView struct {
	ID, Group, TaskDefinition, LastStatus, DesiredStatus, Health string
	Where, Zone, Created, Stopped                                string
}

// pager says which part of a list the page shows, and links to the
// parts before and after.
type pager struct {
	What            string
	From, To, Total int
	Prev, Next      string
	Note            string // what the pages do not reach
}

// gatherConsole gathers what the page shows, under e.mu.
func (e *ECS) gatherConsole(q consoleQuery) *consoleView {
	now := e.clock.Now()
	v := &consoleView{
		Region: e.arns.region, Account: e.arns.account,
		Now: now.UTC().Format(consoleTime), NowEpoch: epochText(now),
		Speed: speedText(e.clock.Speed()), Refresh: q.refresh,
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	names := slices.SortedFunc(maps.Keys(e.clusters), func(a, b string) int {
		// ACTIVE clusters first, then by name.
		aa, ba := e.clusters[a].info.Status == statusActive, e.clusters[b].info.Status == statusActive
		if aa != ba {
			if aa {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	sel := e.consoleSelect(q.cluster, names)
	if q.cluster != "" && sel == nil {
		v.Missing = q.cluster
	}
	if sel != nil {
		v.Cluster = &clusterDetail{
			Name:      sel.info.ClusterName,
			Instances: e.instancesView(sel, q),
			Services:  e.servicesView(sel, q),
			Tasks:     e.tasksView(sel, q),
		}
	}
	for i, name := range names {
		cl := e.clusters[name]
		if i >= consoleClusters && cl != sel {
			v.MoreClusters++
			continue
		}
		row := clusterRow{
			Name: cl.info.ClusterName, Status: cl.info.Status, Selected: cl == sel,
			Instances: cl.registeredCount(), Services: cl.activeServices(false),
			Link: q.link(func(q *consoleQuery) {
				q.cluster, q.instPage, q.svcPage, q.taskPage = cl.info.ClusterName, 0, 0, 0
			}),
		}
		if cl == sel { // counted already: the cluster's tasks and instances are walked once
			d := v.Cluster
			row.Running, row.Pending = d.Tasks.running, d.Tasks.pending
			row.CPU, row.Memory = d.Instances.CPU, d.Instances.Memory
		} else {
			row.Running, row.Pending = cl.taskCounts()
			row.CPU, row.Memory = clusterUsage(cl)
		}
		v.Clusters = append(v.Clusters, row)
	}
	return v
}

// consoleSelect returns the cluster the page shows: the one the URL
// names, or else the default cluster, or the first ACTIVE one. e.mu must
// be held.
func (e *ECS) consoleSelect(ref string, names []string) *cluster {
	if ref != "" {
		name, ok := e.arns.clusterName(ref)
		if !ok {
			return nil
		}
		return e.clusters[name]
	}
	if cl := e.clusters[defaultCluster]; cl != nil && cl.info.Status == statusActive {
		return cl
	}
	if len(names) > 0 {
		return e.clusters[names[0]]
	}
	return nil
}

// clusterUsage sums the CPU and memory of the cluster's registered
// instances.
func clusterUsage(cl *cluster) (cpu, mem usage) {
	for _, inst := range cl.instances {
		if inst.ci.Status != statusInactive {
			c, m := inst.consoleUsage()
			cpu.add(c)
			mem.add(m)
		}
	}
	return cpu, mem
}

// consoleUsage returns the instance's CPU and memory, registered and
// left, as describe-container-instances counts them (used), without
// copying its ports.
func (inst *instance) consoleUsage() (cpu, mem usage) {
	for _, r := range inst.ci.RegisteredResources {
		switch r.Name {
		case ecs.ResourceCPU:
			cpu.Registered = resourceInt(r)
		case ecs.ResourceMemory:
			mem.Registered = resourceInt(r)
		}
	}
	usedCPU, usedMem := inst.held.cpu, inst.held.mem
	for _, tk := range inst.tasks {
		usedCPU += tk.demand.CPU
		usedMem += tk.demand.MemoryMiB
	}
	cpu.Remaining = cpu.Registered - max(usedCPU, 0)
	mem.Remaining = mem.Registered - max(usedMem, 0)
	return cpu, mem
}

// resourceInt is the amount of an INTEGER, LONG or DOUBLE resource, as
// subtract reads it.
func resourceInt(r ecs.Resource) int {
	switch {
	case r.LongValue != 0 && r.IntegerValue == 0:
		return int(r.LongValue)
	case r.DoubleValue != 0 && r.IntegerValue == 0:
		return int(r.DoubleValue)
	}
	return r.IntegerValue
}

// pageOf returns the bounds of page n (from 0) of a list of total items,
// size a page, and the page it is: the last one when n is beyond it.
func pageOf(total, n, size int) (from, to, page int) {
	last := max(total-1, 0) / size
	page = min(n, last)
	from = page * size
	return from, min(from+size, total), page
}

// pager describes items from to to of total, with links to the pages
// before and after.
func (q consoleQuery) pager(what string, from, to, total int, set func(*consoleQuery, int), page int) pager {
	p := pager{What: what, From: from + 1, To: to, Total: total}
	if total == 0 {
		p.From = 0
	}
	if page > 0 {
		p.Prev = q.link(func(q *consoleQuery) { set(q, page-1) })
	}
	if to < total {
		p.Next = q.link(func(q *consoleQuery) { set(q, page+1) })
	}
	return p
}

// clip returns s cut to n characters, with an ellipsis where cut.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// shortTaskDef returns FAMILY:REVISION of a task definition ARN, or the
// reference as it is.
func shortTaskDef(arn string) string {
	if _, rest, ok := strings.Cut(arn, ":task-definition/"); ok {
		return rest
	}
	return arn
}

// consoleTime is how the page writes a time.
const consoleTime = "2006-01-02 15:04:05Z"

// epochText is t as the API writes it, in epoch seconds.
func epochText(t time.Time) string {
	b, _ := ecs.NewTime(t).MarshalJSON() // never fails
	return string(b)
}

func timeText(t ecs.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(consoleTime)
}

func speedText(speed float64) string {
	if speed == 0 {
		return "stopped: it moves when /_ecslocal/advance moves it"
	}
	return strconv.FormatFloat(speed, 'g', -1, 64) + "× real time"
}

// thousands writes n with a comma between each group of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
