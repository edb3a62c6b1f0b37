package placement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/placement"
)

// The body of a loop over Instances may call the engine's other methods:
// the iterator does not hold the engine's lock while it yields.
func TestInstancesLoopCallsEngine(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b"), newInstance("c")), nil, false)
	done := make(chan []string, 1)
	go func() {
		var seen []string
		for st := range e.Instances() {
			got, ok := e.Instance(st.ContainerInstanceARN)
			if !ok || got.ContainerInstanceARN != st.ContainerInstanceARN {
				break
			}
			_ = e.Stats()
			if _, err := e.Place(&placement.Request{TaskDefinition: taskDef("web", 128, 128), Count: 1}); err != nil {
				break
			}
			seen = append(seen, st.InstanceID)
		}
		done <- seen
	}()
	select {
	case seen := <-done:
		require.Equal(t, []string{"a", "b", "c"}, seen)
	case <-time.After(10 * time.Second):
		t.Fatal("Instances holds the engine's lock while it yields: the loop body deadlocked")
	}
}

// Stopping a loop over Instances early leaves the engine usable.
func TestInstancesBreak(t *testing.T) {
	e := engine(t, cluster(newInstance("a"), newInstance("b")), nil, false)
	for range e.Instances() {
		break
	}
	_, ok := e.Instance(ciARN("b"))
	require.True(t, ok)
}
