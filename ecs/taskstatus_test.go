package ecs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTaskStatus(t *testing.T) {
	tests := []struct {
		status   TaskStatus
		order    int
		terminal bool
		known    bool
	}{
		{TaskStatusProvisioning, 1, false, true},
		{TaskStatusPending, 2, false, true},
		{TaskStatusActivating, 3, false, true},
		{TaskStatusRunning, 4, false, true},
		{TaskStatusDeactivating, 5, false, true},
		{TaskStatusStopping, 6, false, true},
		{TaskStatusDeprovisioning, 7, false, true},
		{TaskStatusStopped, 8, true, true},
		{TaskStatusDeleted, 9, true, true},
		{"", 0, false, false},
		{"NAPPING", 0, false, false},
		{"running", 0, false, false}, // the API spells statuses in capitals
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			require.Equal(t, tt.order, tt.status.Order(), "Order")
			require.Equal(t, tt.terminal, tt.status.Terminal(), "Terminal")
			require.Equal(t, tt.known, tt.status.Known(), "Known")
		})
	}
}

// TestTaskStatusValuesInLifecycleOrder checks that Values lists the statuses
// in the order of rule 108, which Order follows.
func TestTaskStatusValuesInLifecycleOrder(t *testing.T) {
	values := TaskStatus("").Values()
	require.Len(t, values, 9)
	for i, s := range values {
		require.Equal(t, i+1, s.Order(), "%s", s)
	}
}

func TestTaskStatusKeepsUnknownValue(t *testing.T) {
	doc := `{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/default/0123456789abcdef0123456789abcdef","lastStatus":"NAPPING","containers":[{"name":"web","lastStatus":"DOZING"}]}`

	tasks, _, err := DecodeTasks([]byte(doc))
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	task := tasks[0]
	require.Equal(t, TaskStatus("NAPPING"), task.LastStatus)
	require.False(t, task.LastStatus.Known())
	require.False(t, task.LastStatus.Terminal())
	require.Zero(t, task.LastStatus.Order())
	require.Equal(t, TaskStatus("DOZING"), task.Containers[0].LastStatus)

	out, err := Marshal(task)
	require.NoError(t, err)
	// The unboxed members (version, enableExecuteCommand) are written
	// with their zero values, as ECS writes them.
	want := strings.Replace(doc, `{"taskArn"`, `{"version":0,"enableExecuteCommand":false,"taskArn"`, 1)
	require.JSONEq(t, want, string(out))

	// encoding/json keeps it too.
	var std Task
	require.NoError(t, json.Unmarshal([]byte(doc), &std))
	require.Equal(t, task.LastStatus, std.LastStatus)
	out, err = json.Marshal(std)
	require.NoError(t, err)
	require.JSONEq(t, want, string(out))
}
