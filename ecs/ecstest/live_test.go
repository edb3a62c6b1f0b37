package ecstest

import (
	"context"
	"testing"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/stretchr/testify/require"
)

// TestStepsOnlyWhatChanged checks which services step when a task that
// belongs to none of them stops and frees its resources: the service
// waiting for room (its last step left a task unplaced) looks again, the
// service whose tasks and instances did not change does not. A freed
// instance's room matters only to a service that could not place.
func TestStepsOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	e := newTestECS(t)
	register(t, e, "m5.xlarge", "us-east-1a") // 4096 CPU units
	solo := taskDef(t, e, "solo", 256, 256)
	big := taskDef(t, e, "big", 1536, 512)
	small := taskDef(t, e, "small", 256, 256)
	run := mustRunTask(t, e, solo.TaskDefinitionARN, 1)
	mustCreateService(t, e, "big", big.TaskDefinitionARN, 3)     // two fit: 3072 units
	mustCreateService(t, e, "small", small.TaskDefinitionARN, 2) // 512 more
	advance(e, 10*time.Minute)
	require.Equal(t, 2, describeService(t, e, "big").RunningCount, "the third task of big has no room")
	require.Equal(t, 2, describeService(t, e, "small").RunningCount)

	steps := map[string]int{}
	for _, name := range []string{"big", "small"} {
		require.NoError(t, e.OnServiceStep("", name, func(*deploy.State, *deploy.Result) { steps[name]++ }))
	}
	_, err := e.stopTaskRef(ctx, "", run.Tasks[0].TaskARN, "")
	require.NoError(t, err)
	advance(e, time.Minute)
	require.Positive(t, steps["big"], "the service waiting for room looks again when room is freed")
	require.Zero(t, steps["small"], "a service with all its tasks placed and nothing of its own changed does not step")
}
