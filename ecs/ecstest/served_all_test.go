package ecstest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryOperationServed dispatches every operation of the API model
// (service-2.json) over HTTP, with an empty request, and checks that none
// answers UnsupportedFeatureException (issue 15: the whole ECS API
// served) or fails with a fault of ecstest's own (status 500).
func TestEveryOperationServed(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	served := e.Handler().(*handler).ops
	for _, op := range modelOperations() {
		require.Contains(t, served, op, "the dispatch table serves %s", op)
		status, body := c.raw(op, []byte(`{}`))
		if status == http.StatusOK {
			continue
		}
		var apiErr apiError
		require.NoError(t, json.Unmarshal(body, &apiErr), "%s: %s", op, body)
		require.NotEqual(t, http.StatusInternalServerError, status, "%s: %s", op, body)
		if apiErr.Type == "UnsupportedFeatureException" {
			t.Errorf("%s answers UnsupportedFeatureException: %s", op, apiErr.Message)
		}
	}
}
