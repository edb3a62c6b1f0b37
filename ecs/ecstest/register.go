package ecstest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Instance is a host that registers as a container instance: what the ECS
// agent tells RegisterContainerInstance about it.
type Instance struct {
	// InstanceType is the EC2 instance type ("c5.large"). When empty it is
	// read from the ecs.instance-type attribute.
	InstanceType string
	// AvailabilityZone is the instance's Availability Zone ("us-east-1a").
	// When empty it is read from the ecs.availability-zone attribute; an
	// instance with neither (an External one) has no zone.
	AvailabilityZone string
	// EC2InstanceID is the instance ID ("i-0abc..."); when empty one is
	// derived from the seed.
	EC2InstanceID string
	// Attributes are the instance's attributes. The attributes the agent
	// always reports (the zone, the type, the OS, the CPU architecture
	// and the capabilities of a current agent on the ECS-optimized AMI) are
	// added where Attributes does not give them.
	Attributes []ecs.Attribute
	// TotalResources are the resources the instance registers. Each one
	// replaces the catalogue's figure of the same name; CPU and MEMORY must
	// come from one or the other.
	TotalResources []ecs.Resource
	// VersionInfo is the agent's and Docker's version, if known.
	VersionInfo *ecs.VersionInfo
	// Tags are the container instance's tags.
	Tags []ecs.Tag
	// ContainerInstanceARN, when set, re-registers that container
	// instance, as an agent does after a restart.
	ContainerInstanceARN string
}

// reservedPorts returns the TCP ports the agent registers as taken on every
// instance: SSH, the Docker daemon (2375, 2376) and the agent's
// introspection and credentials endpoints (the agent's
// DefaultReservedPorts).
func reservedPorts() []int { return []int{22, 2375, 2376, 51678, 51679} }

// agentCapabilities are the capability attributes an ECS agent of 2024 or
// later reports on the ECS-optimized Amazon Linux AMI with default
// settings, so that task definitions that require them can be placed.
// Trunking, GPUs and non-local volume drivers need settings and are not
// among them.
func agentCapabilities() []string {
	names := []string{
		ecs.AttrTaskENI, ecs.AttrHealthCheck, ecs.AttrContainerOrdering,
		ecs.AttrExecRoleAwslogs, ecs.AttrExecRoleECRPull, ecs.AttrEFS,
		ecs.AttrContainerPortRange, ecs.AttrSecretsSSMEnv, ecs.AttrSecretsASMEnv,
		ecs.AttrPrivileged, ecs.AttrTaskIAMRole, ecs.AttrTaskIAMRoleHost, ecs.AttrECRAuth,
	}
	for _, d := range []string{"json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens", "none"} {
		names = append(names, ecs.AttrLoggingDriverPrefix+d)
	}
	return names
}

// addAgentAttributes adds to attrs the attributes an agent always reports
// that it lacks: the OS type, the CPU architecture of a catalogued type and
// the capabilities.
func addAgentAttributes(attrs map[string]string, it ecs.InstanceType, known bool) {
	if _, ok := attrs[ecs.AttrOSType]; !ok {
		attrs[ecs.AttrOSType] = "linux"
	}
	if _, ok := attrs[ecs.AttrCPUArchitecture]; !ok && known && it.Architecture != "" {
		attrs[ecs.AttrCPUArchitecture] = it.Architecture
	}
	for _, name := range agentCapabilities() {
		if _, ok := attrs[name]; !ok {
			attrs[name] = ""
		}
	}
}

// registration is a container instance built from an Instance, before it
// has an ID, an ARN and a registration time.
type registration struct {
	ec2ID      string
	attributes []ecs.Attribute
	resources  []ecs.Resource
	version    *ecs.VersionInfo
	tags       []ecs.Tag
}

// prepare checks in and works out its attributes and resources. With
// agentDefaults it adds the attributes an agent always reports where in
// lacks them.
func (e *ECS) prepare(in Instance, agentDefaults bool) (*registration, error) {
	attrs, err := attributeMap(in.Attributes)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, value string }{
		{ecs.AttrInstanceType, in.InstanceType},
		{ecs.AttrAvailabilityZone, in.AvailabilityZone},
	} {
		if f.value == "" {
			continue
		}
		if have, ok := attrs[f.name]; ok && have != f.value {
			return nil, invalidParameter("Attribute %s is %q but the instance says %q.", f.name, have, f.value)
		}
		attrs[f.name] = f.value
	}
	typ := attrs[ecs.AttrInstanceType]
	it, known := e.catalog.Lookup(typ)
	resources, err := e.resources(typ, it, known, in.TotalResources)
	if err != nil {
		return nil, err
	}
	if agentDefaults {
		addAgentAttributes(attrs, it, known)
		e.addTrunking(attrs, it, known)
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	return &registration{
		ec2ID:      in.EC2InstanceID,
		attributes: attributeList(attrs),
		resources:  resources,
		version:    deepCopy(in.VersionInfo),
		tags:       slices.Clone(in.Tags),
	}, nil
}

// resources returns what an instance registers: the catalogue's figures
// for its type (CPU, MEMORY, the reserved PORTS, PORTS_UDP and its GPUs),
// each replaced by the resource of the same name in total.
func (e *ECS) resources(typ string, it ecs.InstanceType, known bool, total []ecs.Resource) ([]ecs.Resource, error) {
	if _, err := ecs.ParseResources(total); err != nil {
		return nil, invalidParameter("totalResources: %v.", err)
	}
	var base []ecs.Resource
	if known {
		base = ecs.Resources{CPU: it.CPU, MemoryMiB: it.RegisteredMemoryMiB, GPUs: it.GPUs,
			PortsTCP: reservedPorts()}.ResourceList()
	}
	out := slices.Clone(base)
	for i, r := range total {
		if r.Name == "" {
			return nil, invalidParameter("totalResources[%d] has no name.", i)
		}
		if (r.Name == ecs.ResourceCPU || r.Name == ecs.ResourceMemory) && (r.IntegerValue < 0 || r.LongValue < 0 || r.DoubleValue < 0) {
			return nil, invalidParameter("totalResources[%d] (%s) is negative.", i, r.Name)
		}
		r.StringSetValue = slices.Clone(r.StringSetValue)
		if j := slices.IndexFunc(out, func(b ecs.Resource) bool { return b.Name == r.Name }); j >= 0 {
			out[j] = r
		} else {
			out = append(out, r)
		}
	}
	has := func(name string) bool {
		return slices.ContainsFunc(out, func(r ecs.Resource) bool { return r.Name == name })
	}
	if !has(ecs.ResourceCPU) || !has(ecs.ResourceMemory) {
		what := "no instance type (attribute " + ecs.AttrInstanceType + ")"
		if typ != "" {
			what = fmt.Sprintf("instance type %q, which is not in the instance type catalogue,", typ)
		}
		return nil, invalidParameter("The instance has %s and its totalResources do not give both CPU and MEMORY.", what)
	}
	return out, nil
}

// attributeMap checks attributes as an agent reports them and returns them
// by name; a later attribute of a name replaces an earlier one.
func attributeMap(list []ecs.Attribute) (map[string]string, error) {
	m := make(map[string]string, len(list)+32)
	for _, a := range list {
		if err := checkAttributeName(a.Name); err != nil {
			return nil, err
		}
		if a.Value != "" {
			if err := checkAttributeValue(a.Name, a.Value); err != nil {
				return nil, err
			}
		}
		m[a.Name] = a.Value
	}
	return m, nil
}

// attributeList returns attributes by name as a list in order of name.
func attributeList(m map[string]string) []ecs.Attribute {
	list := make([]ecs.Attribute, 0, len(m))
	for name, value := range m {
		list = append(list, ecs.Attribute{Name: name, Value: value})
	}
	slices.SortFunc(list, func(a, b ecs.Attribute) int { return strings.Compare(a.Name, b.Name) })
	return list
}
