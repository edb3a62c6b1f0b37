package ecstest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
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

func (a arns) prefix() string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:", a.region, a.account)
}

// cluster returns the ARN of the cluster called name.
func (a arns) cluster(name string) string {
	return a.prefix() + "cluster/" + name
}

// containerInstance returns a container instance ARN in the long format,
// which names the cluster.
func (a arns) containerInstance(cluster, id string) string {
	return a.prefix() + "container-instance/" + cluster + "/" + id
}

// clusterName reads a cluster reference: a name, or an ARN of this account
// and Region. ok is false for an ARN of another account, Region or kind,
// which names no cluster here.
func (a arns) clusterName(ref string) (name string, ok bool) {
	if !strings.HasPrefix(ref, "arn:") {
		return ref, ref != ""
	}
	name, ok = strings.CutPrefix(ref, a.prefix()+"cluster/")
	return name, ok && name != ""
}

// containerInstanceID reads a container instance reference: an ID, an ARN
// in the long format (which must name cluster) or in the old short format
// (container-instance/ID). ok is false for an ARN that names another
// cluster, account or Region.
func (a arns) containerInstanceID(cluster, ref string) (id string, ok bool) {
	return a.childID("container-instance/", cluster, ref)
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
	return a.prefix() + "task/" + cluster + "/" + id
}

// container returns a container ARN.
func (a arns) container(cluster, id string) string {
	return a.prefix() + "container/" + cluster + "/" + id
}

// service returns a service ARN in the long format, which names the
// cluster.
func (a arns) service(cluster, name string) string {
	return a.prefix() + "service/" + cluster + "/" + name
}

// taskID reads a task reference: an ID, or an ARN in the long format
// (which must name cluster) or the old short one (task/ID).
func (a arns) taskID(cluster, ref string) (id string, ok bool) {
	return a.childID("task/", cluster, ref)
}

// serviceName reads a service reference: a name, or an ARN in the long
// format (which must name cluster) or the old short one (service/NAME).
func (a arns) serviceName(cluster, ref string) (name string, ok bool) {
	return a.childID("service/", cluster, ref)
}

// childID reads a reference to a resource of a cluster, of the kind
// whose ARNs have the resource part kind (with its slash).
func (a arns) childID(kind, cluster, ref string) (string, bool) {
	if !strings.HasPrefix(ref, "arn:") {
		return ref, ref != "" && !strings.Contains(ref, "/")
	}
	rest, ok := strings.CutPrefix(ref, a.prefix()+kind)
	if !ok {
		return "", false
	}
	if c, id, long := strings.Cut(rest, "/"); long {
		return id, c == cluster && id != "" && !strings.Contains(id, "/")
	}
	return rest, rest != ""
}
