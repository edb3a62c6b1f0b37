package capacity

import (
	"context"
	"errors"
	"testing"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// fakeGroup is an Auto Scaling group that records what it is told.
type fakeGroup struct {
	calls []int
	err   error
}

func (g *fakeGroup) SetDesiredCapacity(_ context.Context, group string, n int) error {
	if group != "my-asg" {
		return errors.New("wrong group " + group)
	}
	if g.err != nil {
		return g.err
	}
	g.calls = append(g.calls, n)
	return nil
}

func TestDriverScaleInAfter15Datapoints(t *testing.T) {
	g := &fakeGroup{}
	dr, err := NewDriver("my-asg", provider(nil), g)
	require.NoError(t, err)
	s := ScalingState{Instances: append(busy(1), empty(2)...), DesiredCapacity: 3}
	for i := 1; i < ScaleInDatapoints; i++ {
		d, err := dr.Step(context.Background(), s)
		require.NoError(t, err)
		require.Equal(t, Hold, d.Action, "minute %d", i)
	}
	d, err := dr.Step(context.Background(), s)
	require.NoError(t, err)
	require.Equal(t, ScaleIn, d.Action)
	require.Equal(t, []int{2}, g.calls, "a step removes at most half of the group's 3 (rule 140)")
	s.Instances, s.DesiredCapacity = s.Instances[:2], 2
	d, err = dr.Step(context.Background(), s)
	require.NoError(t, err)
	require.Equal(t, ScaleIn, d.Action, "the count of low datapoints carries on: the next step follows a minute later")
	require.Equal(t, []int{2, 1}, g.calls)
}

func TestDriverScaleOutRestartsScaleIn(t *testing.T) {
	g := &fakeGroup{}
	dr, err := NewDriver("my-asg", provider(nil), g)
	require.NoError(t, err)
	low := ScalingState{Instances: append(busy(1), empty(1)...), DesiredCapacity: 2}
	for range 10 {
		_, err := dr.Step(context.Background(), low)
		require.NoError(t, err)
	}
	high := low
	high.Provisioning, high.Shapes = tasks(9, ecs.Resources{CPU: 1024}), []InstanceShape{xlarge}
	d, err := dr.Step(context.Background(), high)
	require.NoError(t, err)
	require.Equal(t, ScaleOut, d.Action)
	require.Equal(t, 4, d.Desired) // busy 1 + 3 new
	d, err = dr.Step(context.Background(), low)
	require.NoError(t, err)
	require.Equal(t, 1, d.LowDatapoints, "the count starts again")
	require.Equal(t, []int{4}, g.calls)
}

func TestDriverErrors(t *testing.T) {
	_, err := NewDriver("my-asg", ecs.AutoScalingGroupProvider{}, &fakeGroup{})
	require.ErrorIs(t, err, ecs.ErrInvalid)

	boom := errors.New("throttled")
	g := &fakeGroup{err: boom}
	dr, err := NewDriver("my-asg", provider(nil), g)
	require.NoError(t, err)
	s := ScalingState{Provisioning: tasks(1, ecs.Resources{CPU: 1}), Shapes: []InstanceShape{xlarge}}
	_, err = dr.Step(context.Background(), s)
	require.ErrorIs(t, err, boom)
	require.Contains(t, err.Error(), "scale-out of my-asg to 1")

	require.NoError(t, Apply(context.Background(), g, "my-asg", Decision{Action: Hold}), "Hold calls nothing")
}
