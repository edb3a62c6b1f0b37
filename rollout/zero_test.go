package rollout_test

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/ecscore/ecscore/deploy"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/ecscore/ecscore/rollout"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[func(*rollout.Options)](): {
				func() any { return rollout.WithMaxTime(math.MaxInt64) },
				func() any { return rollout.WithMaxTime(-1) },
				func() any { return rollout.WithTiming(rollout.Timing(math.MaxInt64, math.MaxInt64)) },
				func() any { return rollout.WithTiming(rollout.Timing(-1, -1)) },
				func() any { return rollout.WithStart(time.Unix(1<<62, 0)) },
				func() any { return rollout.WithAlarm("a", -1, math.MaxInt64) },
				func() any { return rollout.WithFaults(ecstest.TaskFaults{}) },
				func() any { return rollout.WithTasks([]ecs.Task{{}}) },
				func() any { return rollout.WithSchedulerOptions(deploy.Options{}) },
				func() any { return rollout.OnStep(nil) },
			},
		},
		Base: map[string]func() []any{
			"Simulate": func() []any {
				from, to := taskDefs()
				return []any{context.Background(), service(3, 50, 200), from, to, instances(3, 3, 0), ([]func(*rollout.Options))(nil)}
			},
		},
		Funcs: []any{
			rollout.OnStep,
			rollout.Simulate,
			rollout.WithFaults,
			rollout.WithSchedulerOptions,
			rollout.WithStart,
			rollout.WithTasks,
			rollout.WithTiming,
		},
	})
}
