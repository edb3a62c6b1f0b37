package ecstest

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// instanceIDPattern matches the IDs ECS gives container instances: 32 hex
// digits, or a UUID in older ARNs.
var instanceIDPattern = regexp.MustCompile(`^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)

// LoadContainerInstances registers with the cluster ref names the container
// instances of a describe-container-instances output (see
// ecs.DecodeContainerInstances), as they are there: each keeps its ID
// (its ARN is re-formed for this account, Region and cluster), EC2
// instance ID, attributes, registered resources, version information,
// tags and status, ACTIVE or DRAINING. Deregistered (INACTIVE) instances
// are skipped. Either every instance is loaded or, on an error, none.
// TODO(placement): load the tasks of a describe-tasks output with them.
func (e *ECS) LoadContainerInstances(ctx context.Context, ref string, list []ecs.ContainerInstance) ([]ecs.ContainerInstance, error) {
	type loaded struct {
		reg    *registration
		id     string
		status string
	}
	var todo []loaded
	ids := map[string]int{}
	for i := range list {
		ci := &list[i]
		status := ci.Status
		switch status {
		case statusInactive:
			continue
		case "":
			status = statusActive
		case statusActive, statusDraining:
		default:
			return nil, invalidParameter("containerInstances[%d]: status %q cannot be loaded: use ACTIVE or DRAINING.", i, status)
		}
		reg, err := e.prepare(Instance{
			EC2InstanceID:  ci.EC2InstanceID,
			Attributes:     ci.Attributes,
			TotalResources: ci.RegisteredResources,
			VersionInfo:    ci.VersionInfo,
			Tags:           ci.Tags,
		}, false)
		if err != nil {
			return nil, fmt.Errorf("containerInstances[%d]: %w", i, err)
		}
		id := ""
		if slash := strings.LastIndexByte(ci.ContainerInstanceARN, '/'); slash >= 0 {
			id = ci.ContainerInstanceARN[slash+1:]
		}
		if !instanceIDPattern.MatchString(id) {
			id = ""
		}
		if j, dup := ids[id]; dup && id != "" {
			return nil, invalidParameter("containerInstances[%d] has the ID of containerInstances[%d], %s.", i, j, id)
		}
		ids[id] = i
		todo = append(todo, loaded{reg, id, status})
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return nil, err
	}
	for _, l := range todo {
		if inst := cl.instances[l.id]; l.id != "" && inst != nil {
			return nil, invalidParameter("Container instance %s is already registered in cluster %s.", l.id, cl.info.ClusterName)
		}
	}
	out := make([]ecs.ContainerInstance, 0, len(todo))
	for _, l := range todo {
		inst := e.addLocked(cl, l.reg, l.id, l.status)
		out = append(out, *inst.describe())
	}
	e.changed(cl, nil, true)
	return out, nil
}
