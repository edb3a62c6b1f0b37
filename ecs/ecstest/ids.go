package ecstest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// idSource derives identifiers from a seed: the n-th identifier of a kind
// is a hash of (seed, kind, n), so the same seed and the same sequence of
// operations give the same identifiers, and identifiers of one kind do not
// depend on how many of another were made. It is not safe for concurrent
// use; the ECS guards it.
type idSource struct {
	seed uint64
	n    map[string]uint64
}

func newIDSource(seed uint64) *idSource {
	return &idSource{seed: seed, n: map[string]uint64{}}
}

// next returns the next 32 hex digits of kind.
func (s *idSource) next(kind string) string {
	s.n[kind]++
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], s.seed)
	binary.BigEndian.PutUint64(buf[8:], s.n[kind])
	h := sha256.New()
	h.Write(buf[:])
	h.Write([]byte(kind))
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:16])
}

// ec2InstanceID returns an EC2 instance ID in the long form, i- and 17 hex
// digits, for an instance registered without one.
func (s *idSource) ec2InstanceID() string {
	return "i-" + s.next("ec2-instance")[:17]
}

// arns forms and reads the ARNs of one account and Region.
type arns struct {
	region, account string
}

// prefix returns arn:aws:ecs:REGION:ACCOUNT:, what every ARN of the
// account and Region starts with.
func (a arns) prefix() string {
	return "arn:aws:ecs:" + a.region + ":" + a.account + ":"
}

// cluster returns the ARN of the cluster called name.
func (a arns) cluster(name string) string {
	return ecs.ClusterARN(a.region, a.account, name).String()
}

// containerInstance returns a container instance ARN in the long format,
// which names the cluster.
func (a arns) containerInstance(cluster, id string) string {
	return ecs.ContainerInstanceARN(a.region, a.account, cluster, id).String()
}

// parse reads ref as an ARN of this account and Region (in the aws
// partition) of resource type typ.
func (a arns) parse(typ, ref string) (ecs.ARN, bool) {
	p, err := ecs.ParseARN(ref)
	ok := err == nil && p.Partition == "aws" && p.Region == a.region && p.Account == a.account && p.ResourceType == typ
	return p, ok
}

// clusterName reads a cluster reference: a name, or an ARN of this account
// and Region. ok is false for an ARN of another account, Region or kind,
// which names no cluster here.
func (a arns) clusterName(ref string) (name string, ok bool) {
	if !strings.HasPrefix(ref, "arn:") {
		return ref, ref != ""
	}
	if p, ok := a.parse(ecs.ARNTypeCluster, ref); ok {
		return p.Name, true
	}
	return "", false
}

// containerInstanceID reads a container instance reference: an ID, an ARN
// in the long format (which must name cluster) or in the old short format
// (container-instance/ID). ok is false for an ARN that names another
// cluster, account or Region.
func (a arns) containerInstanceID(cluster, ref string) (id string, ok bool) {
	return a.childID(ecs.ARNTypeContainerInstance, cluster, ref)
}

// seq returns the next number of kind, from 1: a counter that the seed
// does not change, for what must differ from one call to the next (the
// seed of a placement).
func (s *idSource) seq(kind string) uint64 {
	s.n[kind]++
	return s.n[kind]
}

// task returns a task ARN in the long format, which names the cluster.
func (a arns) task(cluster, id string) string {
	return ecs.TaskARN(a.region, a.account, cluster, id).String()
}

// container returns a container ARN.
func (a arns) container(cluster, id string) string {
	return ecs.ContainerARN(a.region, a.account, cluster, id).String()
}

// service returns a service ARN in the long format, which names the
// cluster.
func (a arns) service(cluster, name string) string {
	return ecs.ServiceARN(a.region, a.account, cluster, name).String()
}

// taskID reads a task reference: an ID, or an ARN in the long format
// (which must name cluster) or the old short one (task/ID).
func (a arns) taskID(cluster, ref string) (id string, ok bool) {
	return a.childID(ecs.ARNTypeTask, cluster, ref)
}

// serviceName reads a service reference: a name, or an ARN in the long
// format (which must name cluster) or the old short one (service/NAME).
func (a arns) serviceName(cluster, ref string) (name string, ok bool) {
	return a.childID(ecs.ARNTypeService, cluster, ref)
}

// childID reads a reference to a resource of a cluster of type typ: an
// ID, or an ARN of this account and Region. An ARN in the long form must
// name cluster (its ID is returned even when it names another).
func (a arns) childID(typ, cluster, ref string) (string, bool) {
	if !strings.HasPrefix(ref, "arn:") {
		return ref, ref != "" && !strings.Contains(ref, "/")
	}
	p, ok := a.parse(typ, ref)
	if !ok {
		return "", false
	}
	if p.Cluster != "" {
		return p.Name, p.Cluster == cluster && !strings.Contains(p.Name, "/")
	}
	return p.Name, true
}
