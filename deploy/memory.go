package deploy

import (
	"fmt"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// Memory is what the service scheduler carries from one step to the next
// that the ECS API does not show: the IDs it has handed out, the tasks it
// has already accounted for, its launch back-off, and the events it must
// not repeat. Step returns a new Memory and never changes the one it is
// given, so a Memory may be kept, compared and replayed.
type Memory struct {
	seed, seq     uint64
	primary       string              // the PRIMARY deployment at the previous step
	alarmsAtStart bool                // an alarm was in ALARM when primary started
	aliases       map[string]string   // deployment ID → the deployment that adopted its tasks
	seen          map[string]struct{} // STOPPED tasks already accounted for
	healthy       map[string]struct{} // primary tasks healthy at the previous step
	failures      int                 // consecutive tasks that failed to start
	nextLaunch    time.Time           // launches wait until then (back-off)
	window        time.Time           // start of the launch-rate minute
	launched      int                 // tasks launched in that minute
	lastEvent     map[string]time.Time
	steadySince   time.Time // zero when the service is not in steady state
	rebalanceTask string    // the task started to rebalance zones, until it is healthy
	rebalancing   bool      // zone rebalancing is under way (its event written)
}

// NewMemory returns the Memory of a scheduler that has never run, whose
// IDs (tasks, deployments, events) derive from seed.
func NewMemory(seed uint64) Memory { return Memory{seed: seed} }

// Backoff returns the number of consecutive tasks that failed to start
// and the time before which no task is launched (zero when none).
func (m Memory) Backoff() (failures int, until time.Time) { return m.failures, m.nextLaunch }

// next returns the next 64 random bits of the memory's sequence.
func (m *Memory) next() uint64 {
	m.seq++
	return splitmix(m.seed + m.seq*0x9e3779b97f4a7c15)
}

// splitmix is the SplitMix64 finaliser.
func splitmix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// taskID returns a new task ID: 32 hex digits, the long ARN format's.
func (m *Memory) taskID() string {
	return fmt.Sprintf("%016x%016x", m.next(), m.next())
}

// eventID returns a new event ID in the UUID form ECS uses.
func (m *Memory) eventID() string {
	a, b := m.next(), m.next()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		a>>32, a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff)
}

// DeploymentID returns a deployment ID in ECS's form, ecs-svc/ and 19
// digits, derived from seed and n: the same arguments give the same ID.
func DeploymentID(seed, n uint64) string {
	return fmt.Sprintf("ecs-svc/%019d", splitmix(seed^splitmix(n+1))%1e19)
}

// deploymentID returns a new deployment ID from the memory's sequence.
func (m *Memory) deploymentID() string {
	return DeploymentID(m.seed, m.next())
}

// owner returns the deployment that owns tasks started by id.
func (m *Memory) owner(id string) string {
	for range 8 { // an alias chain is short; the bound guards a cycle
		to, ok := m.aliases[id]
		if !ok {
			break
		}
		id = to
	}
	return id
}

// alias records that deployment to adopted the tasks of from.
func (m *Memory) alias(from, to string) {
	a := make(map[string]string, len(m.aliases)+1)
	for k, v := range m.aliases {
		a[k] = v
	}
	a[from] = to
	m.aliases = a
}

// taskARN returns the ARN of a new task of a service whose ARN (or
// cluster ARN) is svcARN, in the long format:
// arn:aws:ecs:<region>:<account>:task/<cluster>/<id>. Without either ARN
// it is in ecs.DefaultRegion, ecs.DefaultAccount and cluster default.
func taskARN(svcARN, clusterARN, id string) string {
	region, account, cluster := ecs.DefaultRegion, ecs.DefaultAccount, "default"
	if svc, err := ecs.ParseARN(svcARN); err == nil {
		region, account = svc.Region, svc.Account
		if svc.Cluster != "" {
			cluster = svc.Cluster
		}
	} else if c, err := ecs.ParseARN(clusterARN); err == nil {
		region, account, cluster = c.Region, c.Account, c.Name
	}
	return ecs.TaskARN(region, account, cluster, id).String()
}

// shortID returns the last part of an ARN: a task's ID.
func shortID(arn string) string { return ecs.ResourceID(arn) }
