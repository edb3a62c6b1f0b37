package capacity

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/netmode"
	"github.com/ecscore/ecscore/placement"
)

// PlanAgentVersion is the agent version the planner's container instances
// report, for constraints over agentVersion.
const PlanAgentVersion = "1.100.0"

// DefaultAvailabilityZones returns the zones a plan spreads over when
// the Planner names none: us-east-1a, us-east-1b and us-east-1c.
func DefaultAvailabilityZones() []string {
	return []string{"us-east-1a", "us-east-1b", "us-east-1c"}
}

// isFact reports whether name is an attribute the planner sets from the
// instance itself, which a task definition's requiresAttributes never adds.
func isFact(name string) bool {
	switch name {
	case ecs.AttrAvailabilityZone, ecs.AttrInstanceType, ecs.AttrOSType, ecs.AttrOSFamily,
		ecs.AttrCPUArchitecture, ecs.AttrExternal, ecs.AttrTaskENITrunking:
		return true
	}
	return false
}

// capabilities returns the attributes every planned instance advertises:
// the task ENI, and each capability a workload's task definition needs
// (ecs.RequiredAttributes and its requiresAttributes), as an up-to-date
// ECS-optimized AMI advertises them; then extra, which replaces any of the
// same name. Sorted by name.
func capabilities(ws []prepared, extra []ecs.Attribute) []ecs.Attribute {
	byName := map[string]ecs.Attribute{ecs.AttrTaskENI: {Name: ecs.AttrTaskENI}}
	add := func(a ecs.Attribute) {
		if _, ok := byName[a.Name]; !ok && !isFact(a.Name) {
			byName[a.Name] = ecs.Attribute{Name: a.Name, Value: a.Value}
		}
	}
	for _, p := range ws {
		for _, a := range p.w.TaskDefinition.RequiresAttributes {
			add(a)
		}
		for _, a := range ecs.RequiredAttributes(p.w.TaskDefinition) {
			add(a)
		}
	}
	for _, a := range extra {
		byName[a.Name] = a
	}
	out := make([]ecs.Attribute, 0, len(byName))
	for _, a := range byName {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b ecs.Attribute) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// builder makes the container instances of one instance type.
type builder struct {
	it    ecs.InstanceType
	caps  []ecs.Attribute
	trunk bool
	azs   []string
	pool  [][]ecs.ContainerInstance // per zone, grown on demand
	// What every instance of a zone shares: its attributes, and the
	// registered (and remaining) resources and version of every
	// instance.
	attrs   [][]ecs.Attribute
	res     []ecs.Resource
	version *ecs.VersionInfo
	out     []ecs.ContainerInstance // the slice instances returns
}

// instances returns counts[i] instances in zone i, zone after zone. The
// slice is the builder's, valid until the next call; the instances share
// their slices and pointers with one another and with earlier calls:
// they must not be changed.
func (b *builder) instances(counts []int) []ecs.ContainerInstance {
	b.out = b.out[:0]
	for z, n := range counts {
		for len(b.pool[z]) < n {
			b.pool[z] = append(b.pool[z], b.instance(z, len(b.pool[z])))
		}
		b.out = append(b.out, b.pool[z][:n]...)
	}
	return b.out
}

// The account and cluster the container instance ARNs of a plan name.
const (
	planAccount = "000000000000"
	planCluster = "capacity-plan"
)

// instance builds instance k of zone z: fresh, ACTIVE and connected, with
// what the agent registers for the type (CPU units, registered memory,
// the default reserved ports, GPUs) and its attributes. Instances sort by
// type, zone, then k.
func (b *builder) instance(z, k int) ecs.ContainerInstance {
	az := b.azs[z]
	if b.attrs == nil {
		b.share()
	}
	region := strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz")
	id := fmt.Sprintf("%s-%s-%05d", b.it.Name, az, k)
	return ecs.ContainerInstance{
		ContainerInstanceARN: ecs.ContainerInstanceARN(region, planAccount, planCluster, id).String(),
		EC2InstanceID:        "i-" + id,
		Status:               "ACTIVE",
		AgentConnected:       true,
		VersionInfo:          b.version,
		RegisteredResources:  b.res,
		RemainingResources:   b.res,
		Attributes:           b.attrs[z],
	}
}

// share builds what the instances share.
func (b *builder) share() {
	// The agent's GPU IDs are gpu-0, gpu-1, ... (ecs.Resources.ResourceList).
	b.res = ecs.Resources{
		CPU: b.it.CPU, MemoryMiB: b.it.RegisteredMemoryMiB, GPUs: b.it.GPUs,
		PortsTCP: netmode.DefaultReservedPorts(true),
	}.ResourceList()
	b.version = &ecs.VersionInfo{AgentVersion: PlanAgentVersion}
	arch := b.it.Architecture
	if arch == "" {
		arch = "x86_64"
	}
	b.attrs = make([][]ecs.Attribute, len(b.azs))
	for z, az := range b.azs {
		attrs := append(make([]ecs.Attribute, 0, len(b.caps)+5), b.caps...)
		attrs = append(attrs,
			ecs.Attribute{Name: ecs.AttrAvailabilityZone, Value: az},
			ecs.Attribute{Name: ecs.AttrInstanceType, Value: b.it.Name},
			ecs.Attribute{Name: ecs.AttrOSType, Value: "linux"},
			ecs.Attribute{Name: ecs.AttrCPUArchitecture, Value: arch},
		)
		if b.trunk {
			attrs = append(attrs, ecs.Attribute{Name: ecs.AttrTaskENITrunking})
		}
		slices.SortStableFunc(attrs, func(a, b ecs.Attribute) int { return strings.Compare(a.Name, b.Name) })
		b.attrs[z] = attrs
	}
}

// own gives ci slices and pointers of its own, for a caller that may
// change it.
func own(ci *ecs.ContainerInstance) {
	ci.RegisteredResources = cloneResources(ci.RegisteredResources)
	ci.RemainingResources = cloneResources(ci.RemainingResources)
	ci.Attributes = slices.Clone(ci.Attributes)
	if ci.VersionInfo != nil {
		v := *ci.VersionInfo
		ci.VersionInfo = &v
	}
}

func cloneResources(rs []ecs.Resource) []ecs.Resource {
	out := slices.Clone(rs)
	for i := range out {
		out[i].StringSetValue = slices.Clone(out[i].StringSetValue)
	}
	return out
}

// snapshotOptions are the options the planner's snapshots use: the
// catalogue for ENI limits, the agent's default network settings.
func (p *Planner) snapshotOptions() func(*placement.SnapshotOptions) {
	cat := p.catalog()
	return func(o *placement.SnapshotOptions) {
		o.Network = netmode.Options{Catalog: cat, OmitMetricsPort: true}
	}
}

// Instances returns the container instances a plan of instanceType with
// counts[i] instances in the Planner's zone i stands for, as the agent
// would register them: ACTIVE and connected, the type's CPU units and
// registered memory, the default reserved ports (22, 2375, 2376, 51678,
// 51679), its GPUs, and the attributes ecs.availability-zone,
// ecs.instance-type, ecs.os-type (linux), ecs.cpu-architecture,
// ecs.capability.task-eni (and ecs.capability.task-eni-trunking with
// ENITrunking), every capability the workloads' task definitions need,
// and the Planner's Attributes. Check places workloads on them.
func (p *Planner) Instances(workloads []Workload, instanceType string, counts []int) ([]ecs.ContainerInstance, error) {
	if p == nil {
		p = &Planner{} // a nil Planner plans as the zero one
	}
	ws, err := p.prepare(workloads)
	if err != nil {
		return nil, err
	}
	b, err := p.builder(ws, instanceType)
	if err != nil {
		return nil, err
	}
	if len(counts) != len(b.azs) {
		return nil, fmt.Errorf("capacity: %d counts for %d Availability Zones", len(counts), len(b.azs))
	}
	for z, n := range counts {
		if n < 0 {
			return nil, fmt.Errorf("capacity: negative count %d for %s", n, b.azs[z])
		}
	}
	out := slices.Clone(b.instances(counts))
	for i := range out {
		own(&out[i])
	}
	return out, nil
}

func (p *Planner) builder(ws []prepared, instanceType string) (*builder, error) {
	it, ok := p.catalog().Lookup(instanceType)
	if !ok {
		return nil, fmt.Errorf("capacity: instance type %q is not in the catalogue", instanceType)
	}
	azs := p.zones()
	if len(azs) == 0 {
		return nil, ErrNoAvailabilityZone
	}
	return &builder{it: it, caps: capabilities(ws, p.o.Attributes), trunk: p.o.ENITrunking,
		azs: azs, pool: make([][]ecs.ContainerInstance, len(azs))}, nil
}
