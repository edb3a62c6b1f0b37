package cql_test

import (
	"reflect"
	"testing"

	"github.com/ecscore/ecscore/ecs/cql"
	"github.com/ecscore/ecscore/internal/zerotest"
)

// TestZeroValues calls every exported function and method of the package
// with nil, zero values and extreme numbers: each returns an error or a
// documented zero result, never a panic (zerotest describes the calls).
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, zerotest.Table{
		Dir: ".",
		Values: map[reflect.Type][]func() any{
			zerotest.TypeOf[cql.Expr](): {
				func() any {
					e, _ := cql.Parse(`attribute:a == b and not(attribute:c exists or runningTasksCount > 1)`)
					return e
				},
				func() any { return (*cql.Not)(nil) },
				func() any { return &cql.Not{} },
				func() any { return &cql.And{Exprs: []cql.Expr{nil, (*cql.Or)(nil), &cql.Or{}}} },
				func() any { return &cql.Or{Exprs: []cql.Expr{(*cql.Compare)(nil), &cql.Compare{}, &cql.Exists{}}} },
			},
		},
		Funcs: []any{
			(*cql.And).String,
			(*cql.Compare).String,
			(*cql.Error).Error,
			(*cql.Exists).String,
			cql.Inspect,
			(*cql.Not).String,
			(*cql.Or).String,
			cql.Subject.String,
			(*cql.Value).String,
			cql.Version.Compare,
			cql.Version.String,
		},
	})
}
