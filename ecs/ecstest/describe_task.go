package ecstest

import (
	"fmt"
	"strconv"

	"github.com/ecscore/ecscore/ecs"
)

// What describe-tasks shows of a task beyond its lifecycle: the ENI of an
// awsvpc task, its containers' network interfaces, its attributes, its
// ephemeral storage on Fargate and its overrides, one per container.

// attachmentENI is the type of a task's ENI attachment.
const attachmentENI = "ElasticNetworkInterface"

// ENI attachment statuses, as the ENI goes with the task: ATTACHING while
// the task is PROVISIONING, ATTACHED from PENDING, DETACHING while it is
// DEPROVISIONING, DELETED once it is STOPPED.
const (
	eniAttaching = "ATTACHING"
	eniAttached  = "ATTACHED"
	eniDetaching = "DETACHING"
	eniDeleted   = "DELETED"
)

// defaultFargateStorage is the ephemeral storage of a Fargate task whose
// task definition asks for none: 20 GiB (the Fargate task storage page of
// the ECS developer guide).
const defaultFargateStorage = 20

// subnetAddrs hands out the private IPv4 addresses of one subnet, in
// order: subnet k (in the order subnets are first used) is 10.k/16 taken
// as 10.(k mod 256).0.0/16, and its first four addresses and last are
// skipped, as AWS reserves them in every subnet.
type subnetAddrs struct {
	octet byte
	next  uint32
}

// addr returns the subnet's next address.
func (s *subnetAddrs) addr() string {
	const size, reserved = 1 << 16, 4
	if s.next < reserved || s.next >= size-1 {
		s.next = reserved
	}
	n := s.next
	s.next++
	return fmt.Sprintf("10.%d.%d.%d", s.octet, n>>8, n&0xff)
}

// subnet returns the address source of the subnet id. e.mu must be held.
func (e *ECS) subnet(id string) *subnetAddrs {
	if s, ok := e.subnets[id]; ok {
		return s
	}
	if e.subnets == nil {
		e.subnets = map[string]*subnetAddrs{}
	}
	s := &subnetAddrs{octet: byte(len(e.subnets))}
	e.subnets[id] = s
	return s
}

// eniOf returns the ENI attachment of a new awsvpc task in zone az, in a
// subnet of nc (the one of the zone's place among a, b, c..., modulo the
// subnets given), and the address it gives the task. e.mu must be held.
func (e *ECS) eniOf(nc *ecs.NetworkConfiguration, az string) (ecs.Attachment, string) {
	subnet := "subnet-" + e.ids.next("subnet")[:17]
	if nc != nil && nc.AwsvpcConfiguration != nil && len(nc.AwsvpcConfiguration.Subnets) > 0 {
		subnets := nc.AwsvpcConfiguration.Subnets
		k := 0
		if az != "" {
			k = int(az[len(az)-1]-'a') % len(subnets)
		}
		subnet = subnets[max(k, 0)]
	}
	ip := e.subnet(subnet).addr()
	mac := e.ids.next("mac")
	dns := "ip-" + dashed(ip) + "." + e.arns.region + ".compute.internal"
	if e.arns.region == "us-east-1" {
		dns = "ip-" + dashed(ip) + ".ec2.internal"
	}
	return ecs.Attachment{
		ID:     uuid(e.ids.next("attachment")),
		Type:   attachmentENI,
		Status: eniAttaching,
		Details: []ecs.KeyValuePair{
			{Name: "subnetId", Value: subnet},
			{Name: "networkInterfaceId", Value: "eni-" + e.ids.next("eni")[:17]},
			{Name: "macAddress", Value: "0a:" + mac[0:2] + ":" + mac[2:4] + ":" + mac[4:6] + ":" + mac[6:8] + ":" + mac[8:10]},
			{Name: "privateDnsName", Value: dns},
			{Name: "privateIPv4Address", Value: ip},
		},
	}, ip
}

// dashed writes an IPv4 address with dashes, as EC2's private DNS names
// do.
func dashed(ip string) string {
	b := []byte(ip)
	for i, c := range b {
		if c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

// uuid formats 32 hex digits as a UUID.
func uuid(hex string) string {
	return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:32]
}

// setENIStatus moves the task's ENI attachment to status.
func (tk *task) setENIStatus(status string) {
	for i := range tk.t.Attachments {
		if a := &tk.t.Attachments[i]; a.Type == attachmentENI {
			a.Status = status
		}
	}
}

// taskAttributes returns the attributes describe-tasks shows of a task:
// its CPU architecture, its instance's or else its task definition's
// (x86_64 when it names none). Tasks of one architecture share the slice,
// which nothing changes (cloneTask copies it out). e.mu must be held.
func (e *ECS) taskAttributes(td *ecs.TaskDefinition, inst *instance) []ecs.Attribute {
	arch := "x86_64"
	if rp := td.RuntimePlatform; rp != nil && rp.CPUArchitecture != "" {
		arch = string(rp.CPUArchitecture)
	}
	if inst != nil {
		if a, ok := attrValue(inst.ci.Attributes, ecs.AttrCPUArchitecture); ok {
			arch = a
		}
	}
	if attrs, ok := e.archAttrs[arch]; ok {
		return attrs
	}
	if e.archAttrs == nil {
		e.archAttrs = map[string][]ecs.Attribute{}
	}
	attrs := []ecs.Attribute{{Name: ecs.AttrCPUArchitecture, Value: arch}}
	e.archAttrs[arch] = attrs
	return attrs
}

// fargateStorage returns a Fargate task's ephemeral storage: its task
// definition's, or the default 20 GiB.
func fargateStorage(td *ecs.TaskDefinition) int {
	if td.EphemeralStorage != nil && td.EphemeralStorage.SizeInGiB > 0 {
		return td.EphemeralStorage.SizeInGiB
	}
	return defaultFargateStorage
}

// itoa returns n in decimal, one string for every task that shows it
// (CPU units, MiB): a cluster of a hundred thousand tasks holds a few
// such strings, not a few for each. e.mu must be held.
func (e *ECS) itoa(n int) string {
	if s, ok := e.numbers[n]; ok {
		return s
	}
	if e.numbers == nil {
		e.numbers = map[int]string{}
	}
	s := strconv.Itoa(n)
	e.numbers[n] = s
	return s
}

// taskOverrides returns the overrides describe-tasks shows of a task
// started with o: one containerOverrides entry per container of td, in
// the task definition's order, those o gives as given and the others
// with their name alone, as ECS echoes them. The tasks of a task
// definition started without overrides share theirs, which nothing
// changes (cloneTask copies them out). e.mu must be held.
func (e *ECS) taskOverrides(td *ecs.TaskDefinition, o *ecs.TaskOverride) *ecs.TaskOverride {
	if o == nil {
		if shared, ok := e.plainOverrides[td.TaskDefinitionARN]; ok {
			return shared
		}
	}
	out := overridesOf(o)
	given := out.ContainerOverrides
	out.ContainerOverrides = make([]ecs.ContainerOverride, 0, len(td.ContainerDefinitions))
	for i := range td.ContainerDefinitions {
		name := td.ContainerDefinitions[i].Name
		co := ecs.ContainerOverride{Name: name}
		for _, g := range given {
			if g.Name == name {
				co = g
			}
		}
		out.ContainerOverrides = append(out.ContainerOverrides, co)
	}
	if o == nil {
		if e.plainOverrides == nil {
			e.plainOverrides = map[string]*ecs.TaskOverride{}
		}
		e.plainOverrides[td.TaskDefinitionARN] = out
	}
	return out
}
