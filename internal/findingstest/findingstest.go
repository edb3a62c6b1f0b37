// Package findingstest checks, in tests, an error that a validator of the
// library returns for a request with several problems: ECS's answer for
// the first problem, wrapping an *ecs.FindingsError with all of them.
package findingstest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ecscore/ecscore/ecs"
)

// Check fails t unless err wraps ecs.ErrInvalid and an *ecs.FindingsError
// holding exactly want, and is an *ecs.APIError of want's first finding's
// exception and message, as ECS answers the request.
func Check(t testing.TB, err error, want ecs.Findings) {
	t.Helper()
	if !errors.Is(err, ecs.ErrInvalid) {
		t.Fatalf("error %v does not wrap ecs.ErrInvalid", err)
	}
	var fe *ecs.FindingsError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v does not wrap an *ecs.FindingsError", err)
	}
	if diff := cmp.Diff(want, fe.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	var ae *ecs.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not an *ecs.APIError", err)
	}
	if len(want) > 0 && (ae.Type != want[0].Exception || ae.Message != want[0].Message) {
		t.Errorf("error = %s: %s, want the first finding's %s: %s", ae.Type, ae.Message, want[0].Exception, want[0].Message)
	}
}
