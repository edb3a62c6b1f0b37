package deploy_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	memory := 128
	td := &ecs.TaskDefinition{Family: "web", Revision: 1, TaskDefinitionARN: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
		ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: "nginx", Memory: &memory}}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	service := func() *ecs.Service {
		return deploy.StartDeployment(&ecs.Service{ServiceName: "web", ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/c",
			ServiceARN: "arn:aws:ecs:us-east-1:123456789012:service/c/web", DesiredCount: 2, LaunchType: ecs.LaunchTypeEC2},
			td.TaskDefinitionARN, "ecs-svc/1", t0)
	}
	tds := map[string]*ecs.TaskDefinition{td.TaskDefinitionARN: td}
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*ecs.Service]():        {func() any { return service() }},
			zerotest.TypeOf[*ecs.TaskDefinition](): {func() any { return td }},
			zerotest.TypeOf[*deploy.State](): {func() any {
				placer, err := deploy.PlacementPlacer(tds, nil)(deploy.Observation{})
				require.NoError(t, err)
				return &deploy.State{Service: service(), TaskDefinitions: tds, Placer: placer, Now: t0}
			}},
		},
		Funcs: []any{
			(*deploy.ApplyError).Error,
			(*deploy.ApplyError).Unwrap,
			deploy.DefaultAvailabilityZoneRebalancing,
			(*deploy.Driver).Run,
			(*deploy.Driver).Step,
			deploy.EnginePlacer,
			deploy.Memory.Backoff,
			deploy.PlacementPlacer,
			deploy.RunningTasks,
			deploy.StartDeployment,
			deploy.Step,
			deploy.SystemClock.Now,
			deploy.SystemClock.Wait,
			deploy.Threshold,
			deploy.ValidateDeploymentConfiguration,
			deploy.ValidateService,
			deploy.ViewTasks,
		},
	})
}
