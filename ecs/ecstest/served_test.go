package ecstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIssue15OperationsAreServed checks that the operations of tags,
// account settings, cluster and task definition updates, service
// deployments and task protection are served: none answers
// UnsupportedFeatureException, even to an empty request.
func TestIssue15OperationsAreServed(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	ops := []string{
		"TagResource", "UntagResource", "ListTagsForResource",
		"PutAccountSetting", "PutAccountSettingDefault", "DeleteAccountSetting", "ListAccountSettings",
		"UpdateCluster", "UpdateClusterSettings", "DeleteTaskDefinitions",
		"ListServiceDeployments", "DescribeServiceDeployments", "DescribeServiceRevisions",
		"StopServiceDeployment", "ContinueServiceDeployment",
		"UpdateTaskProtection", "GetTaskProtection",
	}
	served := e.Handler().(*handler).ops
	for _, op := range ops {
		t.Run(op, func(t *testing.T) {
			require.True(t, slices.Contains(modelOperations(), op), "an operation of the model")
			require.Contains(t, served, op)
			status, body := c.raw(op, []byte(`{}`))
			if status == http.StatusOK {
				return
			}
			require.Equal(t, http.StatusBadRequest, status, "%s", body)
			var e apiError
			require.NoError(t, json.Unmarshal(body, &e))
			require.NotEqual(t, "UnsupportedFeatureException", e.Type, e.Message)
		})
	}
}
