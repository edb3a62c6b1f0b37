package capacity

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

// Scaler sets the desired capacity of an Auto Scaling group. The caller
// implements it: with the AWS SDK against a real group, or with a
// simulated group in a test.
type Scaler interface {
	SetDesiredCapacity(ctx context.Context, group string, n int) error
}

// Apply carries out d on group through sc: it sets the desired capacity
// when d scales out or in, and does nothing for Hold. A nil sc is an
// error unless d holds.
func Apply(ctx context.Context, sc Scaler, group string, d Decision) error {
	if d.Action == Hold {
		return nil
	}
	if sc == nil {
		return fmt.Errorf("capacity: %s of %s to %d: no Scaler to apply it with", d.Action, group, d.Desired)
	}
	if err := sc.SetDesiredCapacity(ctx, group, d.Desired); err != nil {
		return fmt.Errorf("capacity: %s of %s to %d: %w", d.Action, group, d.Desired, err)
	}
	return nil
}

// Driver runs managed scaling for one Auto Scaling group provider, one
// evaluation per Step (ECS evaluates every minute), carrying the count of
// low datapoints from one evaluation to the next. It is not safe for
// concurrent use. Its zero value has no Scaler: its Step decides but
// cannot apply a decision other than Hold, and says so.
type Driver struct {
	Group    string // the name or ARN SetDesiredCapacity is given
	Provider ecs.AutoScalingGroupProvider
	Scaler   Scaler
	low      int
}

// NewDriver returns a Driver for provider, refusing settings the API
// would refuse.
func NewDriver(group string, provider ecs.AutoScalingGroupProvider, sc Scaler) (*Driver, error) {
	if err := ValidateProvider(provider); err != nil {
		return nil, err
	}
	return &Driver{Group: group, Provider: provider, Scaler: sc}, nil
}

// Step decides on s (with the driver's own count of low datapoints) and
// applies the decision. The count moves on only when the decision is
// applied without error.
func (dr *Driver) Step(ctx context.Context, s ScalingState) (Decision, error) {
	if dr == nil {
		return Decision{}, errors.New("capacity: Step of a nil *Driver")
	}
	s.LowDatapoints = dr.low
	d := Decide(dr.Provider, s)
	if err := Apply(ctx, dr.Scaler, dr.Group, d); err != nil {
		return d, err
	}
	dr.low = d.LowDatapoints
	return d, nil
}
