package deploy

import (
	"slices"
	"time"

	"github.com/ecscore/ecscore/ecs"
)

// StartDeployment returns a copy of svc with a new PRIMARY deployment id
// of the task definition, as UpdateService makes one: IN_PROGRESS, with
// the service's desired count, launch type, capacity provider strategy,
// platform and network configuration. The PRIMARY deployment before it
// becomes ACTIVE; one without a rolloutState that has all its tasks
// running counts as COMPLETED, so that a rollback can return to it. The
// next Step resets the launch back-off for it. A nil svc gives nil.
func StartDeployment(svc *ecs.Service, taskDefinition, id string, now time.Time) *ecs.Service {
	if svc == nil {
		return nil
	}
	out := *svc
	out.TaskDefinition = taskDefinition
	out.Deployments = make([]ecs.Deployment, 0, len(svc.Deployments)+1)
	t := ecs.NewTime(now)
	out.Deployments = append(out.Deployments, ecs.Deployment{
		ID: id, Status: "PRIMARY", TaskDefinition: taskDefinition, DesiredCount: svc.DesiredCount,
		CreatedAt: t, UpdatedAt: t, LaunchType: svc.LaunchType,
		CapacityProviderStrategy: slices.Clone(svc.CapacityProviderStrategy),
		PlatformVersion:          svc.PlatformVersion, PlatformFamily: svc.PlatformFamily,
		NetworkConfiguration: svc.NetworkConfiguration,
		RolloutState:         ecs.DeploymentRolloutStateInProgress, RolloutStateReason: inProgressReason(id),
	})
	for _, d := range svc.Deployments {
		if d.Status == "PRIMARY" {
			d.Status, d.UpdatedAt = "ACTIVE", t
			if d.RolloutState == "" && d.RunningCount >= d.DesiredCount && d.PendingCount == 0 {
				d.RolloutState = ecs.DeploymentRolloutStateCompleted
			}
		}
		out.Deployments = append(out.Deployments, d)
	}
	return &out
}
