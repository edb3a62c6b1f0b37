package capacity_test

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/internal/zerotest"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	strategy := []ecs.CapacityProviderStrategyItem{{CapacityProvider: "FARGATE", Base: 2, Weight: 1},
		{CapacityProvider: "FARGATE_SPOT", Weight: 3}}
	target := 100
	provider := ecs.AutoScalingGroupProvider{AutoScalingGroupARN: "arn:asg",
		ManagedScaling: &ecs.ManagedScaling{Status: ecs.ManagedScalingStatusEnabled, TargetCapacity: &target}}
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[*capacity.Splitter](): {func() any {
				s, err := capacity.NewSplitter(strategy)
				require.NoError(t, err)
				s.Take(5)
				return s
			}},
			zerotest.TypeOf[*capacity.PriceTable](): {func() any { return capacity.DefaultPrices() }},
			zerotest.TypeOf[capacity.Scaler]():      {func() any { return scalerFunc(nil) }},
			zerotest.TypeOf[*capacity.Driver](): {func() any {
				d, err := capacity.NewDriver("asg", provider, scalerFunc(nil))
				require.NoError(t, err)
				return d
			}},
			zerotest.TypeOf[io.Reader]():                          {func() any { return strings.NewReader(`{"region":"x"}`) }},
			zerotest.TypeOf[[]ecs.CapacityProviderStrategyItem](): {func() any { return strategy }},
		},
		Funcs: []any{
			capacity.Apply,
			capacity.Cost.Priced,
			capacity.Decide,
			(*capacity.Driver).Step,
			capacity.ErrorReason,
			capacity.Estimate.M,
			capacity.Estimate.Reservation,
			capacity.EstimateNeeds,
			capacity.FargateRate.Hourly,
			capacity.FargateTask.Monthly,
			capacity.Launch.Fargate,
			capacity.LoadPrices,
			capacity.NewPlanner,
			capacity.NewDriver,
			capacity.NewSplitter,
			capacity.PlanScaleOut,
			(*capacity.PlacementError).Error,
			(*capacity.PlacementError).Reason,
			(*capacity.Plan).Placeable,
			(*capacity.Planner).Check,
			(*capacity.Planner).Instances,
			(*capacity.Planner).Plan,
			(*capacity.PriceTable).CheapestFargate,
			(*capacity.PriceTable).CheapestFargateFor,
			(*capacity.PriceTable).EC2Hourly,
			(*capacity.PriceTable).EphemeralStorageHourly,
			(*capacity.PriceTable).FargateHourly,
			(*capacity.PriceTable).Rate,
			capacity.ProviderProblems,
			capacity.Quote.Monthly,
			capacity.Removable,
			capacity.Resolve,
			capacity.ScaleOutStep,
			capacity.ScalingDefaults,
			capacity.ShapeOf,
			capacity.Split,
			capacity.SplitCounts,
			(*capacity.Splitter).Counts,
			(*capacity.Splitter).Next,
			(*capacity.Splitter).Peek,
			(*capacity.Splitter).Place,
			(*capacity.Splitter).Record,
			(*capacity.Splitter).Release,
			(*capacity.Splitter).Resume,
			(*capacity.Splitter).Strategy,
			(*capacity.Splitter).Take,
			capacity.SpotInterruption.Apply,
			capacity.SpotInterruption.KillAt,
			capacity.SpotInterruption.ReclaimAt,
			capacity.SpotInterruption.StopCode,
			capacity.SpotSupported,
			(*capacity.StrategyFlag).Set,
			(*capacity.StrategyFlag).String,
			capacity.StrategyIsFargate,
			capacity.StrategyProblems,
			(*capacity.TypePlan).Instances,
			capacity.ValidateProvider,
			capacity.ValidateStrategy,
			capacity.WorkloadFor,
		},
	})
}

// scalerFunc is a capacity.Scaler; a nil one accepts every capacity.
type scalerFunc func(ctx context.Context, group string, n int) error

func (f scalerFunc) SetDesiredCapacity(ctx context.Context, group string, n int) error {
	if f == nil {
		return nil
	}
	return f(ctx, group, n)
}
