package zerotest_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/internal/zerotest"
)

// The functions of testdata/sample, defined here to be called.

type Box struct{ n *int }

func (b *Box) Get() int { return *b.n }

func Fine(s []string) int { return len(s) }

func Sleepy(d time.Duration) {
	if d == math.MaxInt64 {
		time.Sleep(time.Hour)
	}
}

// recorder is a zerotest.T that keeps what it is told.
type recorder struct{ errors, logs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// TestRunFindsPanicsAndMissingRows checks that Run reports a method that
// panics on a nil or zero receiver and an exported function without a
// row, and nothing about the functions that behave.
func TestRunFindsPanicsAndMissingRows(t *testing.T) {
	var r recorder
	zerotest.Run(&r, zerotest.Table{Dir: "testdata/sample", Funcs: []any{(*Box).Get, Fine},
		Skip: map[string]string{"Sleepy": "TestRunFindsHangs calls it"}})
	all := strings.Join(r.errors, "\n")
	for _, want := range []string{"Box.Get(nil) panics", "Box.Get(&Box{}) panics", "Missing is exported"} {
		if !strings.Contains(all, want) {
			t.Errorf("Run did not report %q; it reported:\n%s", want, all)
		}
	}
	for _, fine := range []string{"Fine", "Scalar", "Sleepy"} {
		if strings.Contains(all, fine) {
			t.Errorf("Run reported %s, which behaves or needs no row:\n%s", fine, all)
		}
	}
}

// TestRunFindsHangs checks that a call that does not return within the
// Table's timeout is reported.
func TestRunFindsHangs(t *testing.T) {
	var r recorder
	zerotest.Run(&r, zerotest.Table{Dir: "testdata/sample", Funcs: []any{Sleepy}, Timeout: 50 * time.Millisecond,
		Skip: map[string]string{"Box.Get": "the other test's", "Fine": "the other test's", "Missing": "the other test's"}})
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "Sleepy(MaxInt64) did not return") {
		t.Errorf("Run reported %q, want one hang of Sleepy(MaxInt64)", r.errors)
	}
}
