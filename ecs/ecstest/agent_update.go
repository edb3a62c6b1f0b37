package ecstest

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// LatestAgentVersion is the newest version of the ECS container agent in
// ecstest's world: UpdateContainerAgent updates an older agent to it.
const LatestAgentVersion = "1.89.2"

// agentUpdateStage is how long each stage of an agent update takes
// (PENDING, STAGING, STAGED, UPDATING), until UPDATED.
const agentUpdateStage = 15 * time.Second

// UpdateContainerAgent updates the agent of a container instance to
// LatestAgentVersion, as
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateContainerAgent.html
// describes it: the instance's agentUpdateStatus goes PENDING, STAGING,
// STAGED, UPDATING, then UPDATED with the new agentVersion in its
// versionInfo; its tasks keep running. An agent whose version the
// instance did not register is a MissingVersionException; one already at
// the latest version, a NoUpdateAvailableException; one whose update is
// under way, an UpdateInProgressException.
func (e *ECS) UpdateContainerAgent(ctx context.Context, req *ecs.UpdateContainerAgentRequest) (*ecs.UpdateContainerAgentResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil || req.ContainerInstance == "" {
		return nil, invalidParameter("containerInstance is required.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, inst, err := e.clusterInstance(req.Cluster, req.ContainerInstance)
	if err != nil {
		return nil, err
	}
	ci := &inst.ci
	switch {
	case ci.VersionInfo == nil || ci.VersionInfo.AgentVersion == "":
		return nil, apiErrorf(ecs.MissingVersionException, nil,
			"Amazon ECS can't determine the current version of the container agent on container instance %s.", ci.ContainerInstanceARN)
	case ci.AgentUpdateStatus != "" && ci.AgentUpdateStatus != ecs.AgentUpdateStatusUpdated && ci.AgentUpdateStatus != ecs.AgentUpdateStatusFailed:
		return nil, apiErrorf(ecs.UpdateInProgressException, nil,
			"An update of the container agent of container instance %s is %s.", ci.ContainerInstanceARN, ci.AgentUpdateStatus)
	case !olderVersion(ci.VersionInfo.AgentVersion, LatestAgentVersion):
		return nil, apiErrorf(ecs.NoUpdateAvailableException, nil,
			"There is no update available for the container agent %s of container instance %s.", ci.VersionInfo.AgentVersion, ci.ContainerInstanceARN)
	}
	e.setAgentUpdate(inst, ecs.AgentUpdateStatusPending)
	stages := []ecs.AgentUpdateStatus{ecs.AgentUpdateStatusStaging, ecs.AgentUpdateStatusStaged, ecs.AgentUpdateStatusUpdating, ecs.AgentUpdateStatusUpdated}
	for k, st := range stages {
		e.clock.AfterFunc(time.Duration(k+1)*agentUpdateStage, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if cl.dead || inst.ci.Status == statusInactive {
				return
			}
			if st == ecs.AgentUpdateStatusUpdated {
				v := *inst.ci.VersionInfo
				v.AgentVersion = LatestAgentVersion
				inst.ci.VersionInfo = &v
			}
			e.setAgentUpdate(inst, st)
		})
	}
	return &ecs.UpdateContainerAgentResponse{ContainerInstance: inst.describe()}, nil
}

// setAgentUpdate records the stage of an instance's agent update. e.mu
// must be held.
func (e *ECS) setAgentUpdate(inst *instance, st ecs.AgentUpdateStatus) {
	inst.ci.AgentUpdateStatus = st
	inst.ci.Version++
	e.changed(inst.cl, nil, true)
}

// olderVersion reports whether the dotted version a is older than b.
func olderVersion(a, b string) bool {
	pa := strings.Split(strings.TrimPrefix(a, "v"), ".")
	pb := strings.Split(strings.TrimPrefix(b, "v"), ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}
