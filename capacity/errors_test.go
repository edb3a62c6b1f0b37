package capacity

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/placement"
)

// TestErrorReason checks that the package's errors read "capacity: " and
// their reason, that ErrorReason gives the reason alone, and that a
// wrapping error keeps its whole message.
func TestErrorReason(t *testing.T) {
	_, sizeErr := DefaultPrices().CheapestFargate(1024, 200000, Platform{})
	_, prepErr := prepare([]Workload{{Name: "web"}}, 0)
	require.ErrorIs(t, prepErr, placement.ErrNoTaskDefinition)
	checkErr := testPlanner(nil).Check(context.Background(),
		[]Workload{{Name: "web", TaskDefinition: td("web", 4096, 512), DesiredCount: 1}}, nil)
	var pe *PlacementError
	require.ErrorAs(t, checkErr, &pe)
	plain := errors.New("capacity: something else")
	tests := []struct {
		name   string
		err    error
		reason string
	}{
		{"no Fargate size", sizeErr, "no Fargate size for LINUX holds cpu 1024 and memory 200000 MiB"},
		{"a workload", prepErr, `workload "web": ` + placement.ErrNoTaskDefinition.Error()},
		{"placement", checkErr, pe.Reason()},
		{"another error", plain, "capacity: something else"},
		{"wrapped", fmt.Errorf("no count holds the workloads: %w", sizeErr), "no count holds the workloads: " + sizeErr.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.reason, ErrorReason(tt.err))
			if _, ok := tt.err.(reasoner); ok {
				require.Equal(t, "capacity: "+tt.reason, tt.err.Error())
			}
		})
	}
}
