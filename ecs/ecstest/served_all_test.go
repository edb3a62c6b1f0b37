package ecstest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// stillUnsupported lists the operations of the ECS API model that ecstest
// does not serve yet: each answers UnsupportedFeatureException. Issue 15
// asks for none; TestEveryOperationServed fails when one of them is
// served (remove it from this list then) or when an operation not listed
// here is not.
var stillUnsupported = []string{
}

// TestEveryOperationServed dispatches every operation of the API model
// (service-2.json) over HTTP, with an empty request, and checks that
// none answers UnsupportedFeatureException but those stillUnsupported
// lists; it logs those, so that a reader sees what is left.
func TestEveryOperationServed(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	for _, op := range stillUnsupported {
		require.True(t, slices.Contains(modelOperations(), op), "%s is not an operation of the model", op)
	}
	var missing []string
	for _, op := range modelOperations() {
		status, body := c.raw(op, []byte(`{}`))
		var apiErr apiError
		if status != http.StatusOK {
			require.NoError(t, json.Unmarshal(body, &apiErr), "%s: %s", op, body)
			require.NotEqual(t, http.StatusInternalServerError, status, "%s: %s", op, body)
		}
		unsupported := apiErr.Type == "UnsupportedFeatureException"
		if unsupported {
			missing = append(missing, op)
		}
		switch listed := slices.Contains(stillUnsupported, op); {
		case unsupported && !listed:
			t.Errorf("%s answers UnsupportedFeatureException: %s", op, apiErr.Message)
		case !unsupported && listed:
			t.Errorf("%s is served now: remove it from stillUnsupported (served_all_test.go)", op)
		}
	}
	if len(missing) > 0 {
		t.Logf("%d of the model's %d operations are still unsupported: %v", len(missing), len(modelOperations()), missing)
	}
}
