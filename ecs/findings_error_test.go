package ecs_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

func TestFindingsRequestErr(t *testing.T) {
	warn := ecs.Finding{Path: "a", Code: "w", Severity: ecs.SeverityWarning, Message: "guidance"}
	first := ecs.Finding{Path: "b", Code: "x", Severity: ecs.SeverityError, Exception: ecs.ClientException, Message: "first"}
	second := ecs.Finding{Path: "c", Code: "y", Severity: ecs.SeverityError, Message: "second"}
	tests := []struct {
		name     string
		fs       ecs.Findings
		wantType string
		wantMsg  string
	}{
		{"none", nil, "", ""},
		{"warnings only", ecs.Findings{warn}, "", ""},
		{"first error after a warning", ecs.Findings{warn, first, second}, ecs.ClientException, "first"},
		{"exception defaults to InvalidParameterException", ecs.Findings{second, first}, ecs.InvalidParameterException, "second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fs.RequestErr()
			if tt.wantType == "" {
				require.NoError(t, err)
				return
			}
			var ae *ecs.APIError
			require.True(t, errors.As(err, &ae))
			if ae.Type != tt.wantType || ae.Message != tt.wantMsg {
				t.Errorf("error = %v, want %s: %s", err, tt.wantType, tt.wantMsg)
			}
			require.ErrorIs(t, err, ecs.ErrInvalid)
			var fe *ecs.FindingsError
			require.ErrorAs(t, err, &fe)
			if diff := cmp.Diff(tt.fs, fe.Findings); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if fe.Error() != tt.wantMsg {
				t.Errorf("FindingsError.Error() = %q, want %q", fe.Error(), tt.wantMsg)
			}
		})
	}
	var nilErr *ecs.FindingsError
	if nilErr.Error() != "<nil>" {
		t.Errorf("nil FindingsError.Error() = %q", nilErr.Error())
	}
}
