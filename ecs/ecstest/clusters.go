package ecstest

import (
	"context"
	"maps"
	"regexp"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Statuses of clusters and container instances, as the API spells them.
const (
	statusActive   = "ACTIVE"
	statusDraining = "DRAINING"
	statusInactive = "INACTIVE"
)

// defaultCluster is the cluster an operation acts on when it names none.
const defaultCluster = "default"

// maxDescribe is the most clusters or container instances one describe
// call takes.
const maxDescribe = 100

var clusterNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// cluster is a cluster, its container instances, tasks and services.
type cluster struct {
	info      ecs.Cluster                    // status and what CreateCluster set; counts are computed
	instances map[string]*instance           // by container instance ID, INACTIVE ones included
	tasks     map[string]*task               // by task ID, STOPPED ones included
	services  map[string]*service            // by name, INACTIVE ones included
	tds       map[string]*ecs.TaskDefinition // the task definitions of its tasks, by ARN
	live      live                           // kept current as things happen
	dead      bool                           // dropped by Reset: schedules nothing more
	// waiting are the tasks that wait in PROVISIONING for capacity, in
	// creation order (provisioning.go); waitKick is set while a placement
	// of them is scheduled.
	waiting  []*waitingTask
	waitKick bool
}

// newCluster returns an empty cluster.
func newCluster(info ecs.Cluster) *cluster {
	return &cluster{
		info:      info,
		instances: map[string]*instance{},
		tasks:     map[string]*task{},
		services:  map[string]*service{},
		tds:       map[string]*ecs.TaskDefinition{},
	}
}

// createCluster is CreateCluster with the request's members as arguments.
func (e *ECS) createCluster(ctx context.Context, c ecs.Cluster) (*ecs.Cluster, error) {
	name := c.ClusterName
	if name == "" {
		name = defaultCluster
	}
	if !clusterNamePattern.MatchString(name) {
		return nil, invalidParameter("Cluster name %q is not valid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.", name)
	}
	if err := checkTags(c.Tags); err != nil {
		return nil, err
	}
	if err := checkClusterConfiguration(c.Configuration); err != nil {
		return nil, err
	}
	settings, err := clusterSettings(c.Settings, e.accountSetting(ecs.SettingNameContainerInsights))
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl := e.clusters[name]
	if cl != nil && cl.info.Status != statusActive {
		cl = nil
	}
	if err := e.checkClusterProviders(cl, c.CapacityProviders, c.DefaultCapacityProviderStrategy); err != nil {
		return nil, err
	}
	if cl != nil {
		return e.describeCluster(cl), nil
	}
	if err := e.checkClusterQuota(); err != nil {
		return nil, err
	}
	cl = newCluster(ecs.Cluster{
		ClusterARN:                      e.arns.cluster(name),
		ClusterName:                     name,
		Status:                          statusActive,
		Tags:                            slices.Clone(c.Tags),
		Settings:                        settings,
		Configuration:                   deepCopy(c.Configuration),
		CapacityProviders:               slices.Clone(c.CapacityProviders),
		DefaultCapacityProviderStrategy: slices.Clone(c.DefaultCapacityProviderStrategy),
		ServiceConnectDefaults:          deepCopy(c.ServiceConnectDefaults),
	})
	e.clusters[name] = cl
	e.associate(cl, cl.info.CapacityProviders)
	return e.describeCluster(cl), nil
}

// clusterSettings checks the settings of a new cluster and fills in the
// default, containerInsights as the account's setting of it says
// (insights).
func clusterSettings(in []ecs.ClusterSetting, insights string) ([]ecs.ClusterSetting, error) {
	out := []ecs.ClusterSetting{{Name: ecs.ClusterSettingNameContainerInsights, Value: insights}}
	for _, s := range in {
		if s.Name != ecs.ClusterSettingNameContainerInsights {
			return nil, invalidParameter("Cluster setting name %q is not valid: the only setting is containerInsights.", s.Name)
		}
		switch s.Value {
		case "enabled", "disabled", "enhanced":
			out[0].Value = s.Value
		default:
			return nil, invalidParameter("Cluster setting containerInsights value %q is not valid: use enabled, disabled or enhanced.", s.Value)
		}
	}
	return out, nil
}

// describeClusters is DescribeClusters with the request's members as arguments.
func (e *ECS) describeClusters(ctx context.Context, refs []string) ([]ecs.Cluster, []ecs.Failure, error) {
	if len(refs) == 0 {
		refs = []string{defaultCluster}
	}
	if len(refs) > maxDescribe {
		return nil, nil, invalidParameter("clusters can have at most %d items.", maxDescribe)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	clusters := []ecs.Cluster{}
	failures := []ecs.Failure{}
	for _, ref := range refs {
		name, ok := e.arns.clusterName(ref)
		cl := e.clusters[name]
		if !ok || cl == nil {
			arn := ref
			if ok {
				arn = e.arns.cluster(name)
			}
			failures = append(failures, ecs.Failure{ARN: arn, Reason: "MISSING"})
			continue
		}
		clusters = append(clusters, *e.describeCluster(cl))
	}
	return clusters, failures, nil
}

// listClusters is ListClusters with the request's members as arguments.
func (e *ECS) listClusters(ctx context.Context) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	arns := []string{}
	for _, cl := range e.clusters {
		if cl.info.Status == statusActive {
			arns = append(arns, cl.info.ClusterARN)
		}
	}
	slices.Sort(arns)
	return arns, nil
}

// deleteCluster is DeleteCluster with the request's members as arguments.
func (e *ECS) deleteCluster(ctx context.Context, ref string) (*ecs.Cluster, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	if cl.registeredCount() > 0 {
		return nil, apiErrorf(ecs.ClusterContainsContainerInstancesException, ecs.ErrInvalid,
			"The Cluster cannot be deleted while Container Instances are active or draining.")
	}
	if cl.activeServices(true) > 0 {
		return nil, apiErrorf(ecs.ClusterContainsServicesException, ecs.ErrInvalid,
			"The Cluster cannot be deleted while Services are active.")
	}
	if running, pending := cl.taskCounts(); running+pending > 0 || cl.stoppingTasks() > 0 {
		return nil, apiErrorf(ecs.ClusterContainsTasksException, ecs.ErrInvalid,
			"The Cluster cannot be deleted while Tasks are active.")
	}
	cl.info.Status = statusInactive
	e.associate(cl, nil)
	return e.describeCluster(cl), nil
}

// activeCluster returns the ACTIVE cluster ref names ("" for the default
// cluster) or a ClusterNotFoundException. e.mu must be held.
func (e *ECS) activeCluster(ref string) (*cluster, error) {
	if ref == "" {
		ref = defaultCluster
	}
	name, ok := e.arns.clusterName(ref)
	cl := e.clusters[name]
	if !ok || cl == nil || cl.info.Status != statusActive {
		return nil, clusterNotFound()
	}
	return cl, nil
}

// describeCluster returns a copy of cl with its counts. e.mu must be held.
func (e *ECS) describeCluster(cl *cluster) *ecs.Cluster {
	c := cl.info
	c.Tags = slices.Clone(c.Tags)
	c.Settings = slices.Clone(c.Settings)
	c.Configuration = deepCopy(c.Configuration)
	c.CapacityProviders = slices.Clone(c.CapacityProviders)
	c.DefaultCapacityProviderStrategy = slices.Clone(c.DefaultCapacityProviderStrategy)
	c.ServiceConnectDefaults = deepCopy(c.ServiceConnectDefaults)
	c.Statistics = []ecs.KeyValuePair{}
	c.RegisteredContainerInstancesCount = cl.registeredCount()
	c.RunningTasksCount, c.PendingTasksCount = cl.taskCounts()
	c.ActiveServicesCount = cl.activeServices(false)
	return &c
}

// taskCounts counts the cluster's RUNNING tasks and those on their way
// there (PROVISIONING, PENDING, ACTIVATING).
func (cl *cluster) taskCounts() (running, pending int) {
	for _, tk := range cl.tasks {
		switch tk.t.LastStatus {
		case ecs.TaskStatusRunning:
			running++
		case ecs.TaskStatusProvisioning, ecs.TaskStatusPending, ecs.TaskStatusActivating:
			pending++
		}
	}
	return running, pending
}

// stoppingTasks counts the cluster's tasks on their way to STOPPED.
func (cl *cluster) stoppingTasks() int {
	n := 0
	for _, tk := range cl.tasks {
		switch tk.t.LastStatus {
		case ecs.TaskStatusDeactivating, ecs.TaskStatusStopping, ecs.TaskStatusDeprovisioning:
			n++
		}
	}
	return n
}

// activeServices counts the cluster's ACTIVE services, and its DRAINING
// ones too with draining.
func (cl *cluster) activeServices(draining bool) int {
	n := 0
	for _, svc := range cl.services {
		switch svc.info().Status {
		case serviceActive:
			n++
		case serviceDraining:
			if draining {
				n++
			}
		}
	}
	return n
}

// registeredCount counts the ACTIVE and DRAINING container instances.
func (cl *cluster) registeredCount() int {
	n := 0
	for in := range maps.Values(cl.instances) {
		if in.ci.Status != statusInactive {
			n++
		}
	}
	return n
}

// deepCopy copies a value of an API shape through its JSON, which the
// shapes round-trip exactly. It is for the rarely copied nested members.
func deepCopy[T any](v *T) *T {
	if v == nil {
		return nil
	}
	data, err := ecs.Marshal(v)
	if err != nil {
		panic("ecstest: copy " + err.Error()) // the API's shapes always encode
	}
	out := new(T)
	if err := ecs.Unmarshal(data, out); err != nil {
		panic("ecstest: copy " + err.Error())
	}
	return out
}
