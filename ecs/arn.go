package ecs

import (
	"fmt"
	"strconv"
	"strings"
)

// The Region and account ECS ARNs name when nothing else says which (the
// defaults of NewRegistry and RegistryOptions).
const (
	DefaultRegion  = "us-east-1"
	DefaultAccount = "123456789012"
)

// Resource types of ECS ARNs: the part of the resource before its first
// slash.
const (
	ARNTypeCluster           = "cluster"
	ARNTypeContainerInstance = "container-instance"
	ARNTypeService           = "service"
	ARNTypeTask              = "task"
	ARNTypeTaskDefinition    = "task-definition"
	ARNTypeContainer         = "container"
	ARNTypeCapacityProvider  = "capacity-provider"
	ARNTypeTaskSet           = "task-set"
)

// ARN is an ECS Amazon Resource Name,
// arn:PARTITION:ecs:REGION:ACCOUNT:TYPE/RESOURCE, read into its parts:
//
//	cluster/NAME                             Name
//	task-definition/FAMILY[:REVISION]        Name (the family), Revision
//	container-instance/[CLUSTER/]ID          Cluster, Name
//	service/[CLUSTER/]NAME                   Cluster, Name
//	task/[CLUSTER/]ID                        Cluster, Name
//	container/[CLUSTER/]ID                   Cluster, Name
//	task-set/[CLUSTER/]REST                  Cluster, Name
//
// The resources of a cluster have a long form, which names the cluster,
// and an old short form, which does not (Cluster is then ""); in the long
// form Name is everything after the cluster (task-set/CLUSTER/SERVICE/ID
// has Name SERVICE/ID). Any other resource type keeps all of what follows
// its slash in Name. Rules 5 and 6 of the ECS semantics.
type ARN struct {
	Partition string // "aws", "aws-cn", "aws-us-gov", ...
	Service   string // "ecs"
	Region    string
	Account   string
	// ResourceType is what the resource part names before its first
	// slash, one of the ARNType constants or another.
	ResourceType string
	// Cluster is the cluster of a resource of a cluster in the long
	// form, else "".
	Cluster string
	// Name is the name or ID of the resource; for a task definition, its
	// family.
	Name string
	// Revision is a task definition's revision, 0 when the ARN names
	// none.
	Revision int
}

// clusterScoped reports whether resources of type t belong to a cluster
// and so may name it (long form) or not (short form).
func clusterScoped(t string) bool {
	switch t {
	case ARNTypeContainerInstance, ARNTypeService, ARNTypeTask, ARNTypeContainer, ARNTypeTaskSet:
		return true
	}
	return false
}

// ParseARN reads an ECS ARN. Partition, Region and account must be
// present, the service must be ecs, and the resource must be TYPE/...
// with what the type needs (see ARN). A revision must be a positive
// decimal number written without a sign or leading zeros. What ParseARN
// accepts, String writes back byte for byte.
func ParseARN(s string) (ARN, error) {
	fail := func(why string) (ARN, error) {
		return ARN{}, fmt.Errorf("%q is not an ECS ARN: %s", s, why)
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) < 6 || f[0] != "arn" {
		return fail("want arn:PARTITION:ecs:REGION:ACCOUNT:RESOURCE")
	}
	a := ARN{Partition: f[1], Service: f[2], Region: f[3], Account: f[4]}
	switch {
	case a.Partition == "":
		return fail("no partition")
	case a.Service != "ecs":
		return fail("service " + strconv.Quote(a.Service) + " is not ecs")
	case a.Region == "":
		return fail("no Region")
	case a.Account == "":
		return fail("no account")
	}
	typ, path, ok := strings.Cut(f[5], "/")
	if !ok || typ == "" {
		return fail("resource " + strconv.Quote(f[5]) + " is not TYPE/...")
	}
	a.ResourceType = typ
	switch {
	case typ == ARNTypeTaskDefinition:
		family, rev, hasRev := strings.Cut(path, ":")
		if family == "" {
			return fail("no task definition family")
		}
		a.Name = family
		if hasRev {
			n, err := parseRevision(rev)
			if err != nil {
				return fail(err.Error())
			}
			a.Revision = n
		}
	case clusterScoped(typ):
		if cluster, rest, long := strings.Cut(path, "/"); long {
			if cluster == "" || rest == "" {
				return fail("no cluster or no " + typ)
			}
			a.Cluster, a.Name = cluster, rest
		} else {
			a.Name = path
		}
	default:
		a.Name = path
	}
	if a.Name == "" {
		return fail("no " + typ)
	}
	return a, nil
}

// parseRevision reads a task definition revision: a positive decimal
// number, without a sign or leading zeros.
func parseRevision(s string) (int, error) {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return 0, fmt.Errorf("revision %q is not a positive number", s)
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("revision %q is not a positive number", s)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("revision %q is out of range", s)
	}
	return n, nil
}

// String writes the ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE/ and
// then [CLUSTER/]NAME, or for a task definition FAMILY[:REVISION].
func (a ARN) String() string {
	var b strings.Builder
	b.Grow(len(a.Partition) + len(a.Service) + len(a.Region) + len(a.Account) + len(a.ResourceType) + len(a.Cluster) + len(a.Name) + 16)
	b.WriteString("arn:")
	b.WriteString(a.Partition)
	b.WriteByte(':')
	b.WriteString(a.Service)
	b.WriteByte(':')
	b.WriteString(a.Region)
	b.WriteByte(':')
	b.WriteString(a.Account)
	b.WriteByte(':')
	b.WriteString(a.ResourceType)
	b.WriteByte('/')
	if a.Cluster != "" {
		b.WriteString(a.Cluster)
		b.WriteByte('/')
	}
	b.WriteString(a.Name)
	if a.Revision != 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(a.Revision))
	}
	return b.String()
}

// ID returns the last part of the ARN's resource path, the bare ID (or
// name) ECS uses in events: a task's or container instance's ID, a
// service's or cluster's name, a task definition's FAMILY:REVISION.
func (a ARN) ID() string {
	id := a.Name
	if a.Revision != 0 {
		id += ":" + strconv.Itoa(a.Revision)
	}
	return ResourceID(id)
}

// ResourceID returns what follows the last slash of arn, the bare ID of
// the resource it names, or arn itself when it has no slash (an ID
// already). Unlike ParseARN it takes any string.
func ResourceID(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

// ecsARN returns an ARN in the aws partition.
func ecsARN(region, account, typ, cluster, name string) ARN {
	return ARN{Partition: "aws", Service: "ecs", Region: region, Account: account, ResourceType: typ, Cluster: cluster, Name: name}
}

// ClusterARN returns the ARN of the cluster called name:
// arn:aws:ecs:REGION:ACCOUNT:cluster/NAME.
func ClusterARN(region, account, name string) ARN {
	return ecsARN(region, account, ARNTypeCluster, "", name)
}

// ContainerInstanceARN returns a container instance ARN in the long form:
// arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID.
func ContainerInstanceARN(region, account, cluster, id string) ARN {
	return ecsARN(region, account, ARNTypeContainerInstance, cluster, id)
}

// ServiceARN returns a service ARN in the long form:
// arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME.
func ServiceARN(region, account, cluster, name string) ARN {
	return ecsARN(region, account, ARNTypeService, cluster, name)
}

// TaskARN returns a task ARN in the long form:
// arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID.
func TaskARN(region, account, cluster, id string) ARN {
	return ecsARN(region, account, ARNTypeTask, cluster, id)
}

// ContainerARN returns a container ARN naming the cluster:
// arn:aws:ecs:REGION:ACCOUNT:container/CLUSTER/ID.
func ContainerARN(region, account, cluster, id string) ARN {
	return ecsARN(region, account, ARNTypeContainer, cluster, id)
}

// TaskDefinitionARN returns the ARN of revision of family:
// arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION (without
// :REVISION when revision is 0).
func TaskDefinitionARN(region, account, family string, revision int) ARN {
	a := ecsARN(region, account, ARNTypeTaskDefinition, "", family)
	a.Revision = revision
	return a
}

// ParseTaskDefinitionRef reads a reference to a task definition as the
// API takes it: family, family:revision or a task definition ARN
// (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY[:REVISION]).
// hasRevision reports whether it names a revision, which is then positive.
func ParseTaskDefinitionRef(ref string) (family string, revision int, hasRevision bool, err error) {
	s := ref
	if strings.HasPrefix(s, "arn:") {
		_, rest, ok := strings.Cut(s, ":task-definition/")
		if !ok {
			return "", 0, false, fmt.Errorf("%q is not a task definition ARN", ref)
		}
		s = rest
	}
	family, revText, hasRevision := strings.Cut(s, ":")
	if family == "" {
		return "", 0, false, fmt.Errorf("task definition %q names no family", ref)
	}
	if hasRevision {
		revision, err = strconv.Atoi(revText)
		if err != nil || revision < 1 {
			return "", 0, false, fmt.Errorf("task definition %q: revision %q is not a positive number", ref, revText)
		}
	}
	return family, revision, hasRevision, nil
}

// Task group names (rule 98): the tasks of a service are in the group
// service:NAME, standalone tasks by default in family:FAMILY.
const (
	serviceGroupPrefix = "service:"
	familyGroupPrefix  = "family:"
)

// ServiceGroup returns the task group of the service called name,
// service:NAME.
func ServiceGroup(name string) string { return serviceGroupPrefix + name }

// FamilyGroup returns the default task group of standalone tasks of
// family, family:FAMILY.
func FamilyGroup(family string) string { return familyGroupPrefix + family }
