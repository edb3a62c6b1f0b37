// Package zerotest checks that a package's exported functions and methods
// never panic or hang when given nil, zero values or extreme numbers: each
// returns an error or a documented zero result instead.
//
// A package's zero-value test lists its exported functions and method
// expressions in a Table; Run calls each one many times, with every
// argument in turn replaced by the variants of its type (nil, a pointer to
// a zero value, a zero struct, structs whose fields are all extreme, -1,
// math.MaxInt32, math.MaxInt64, NaN, ±Inf, huge durations, slices and maps
// holding nil or zero elements, nil callbacks and options), and methods on
// a nil receiver, a zero-value receiver and the Table's live values. A
// panic or a call that does not return fails the test. Run also parses the
// package's sources and fails if an exported function or method whose
// parameters (receiver included) are not all plain scalars is missing from
// the Table, so a new exported function needs a row.
//
// A context.Context argument is always a live context with a short
// deadline: like the standard library, the packages require a non-nil
// Context.
//
// Two environment variables help while mending a package:
// ZEROTEST_VERBOSE=1 prints each call before it is made (to find the call
// that exhausted memory), and ZEROTEST_SKIP=text skips the calls whose
// printed form contains text (to find the next failure meanwhile).
package zerotest

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// Table lists what Run calls.
type Table struct {
	// Dir is the package's directory (usually ".").
	Dir string
	// Funcs are the package's exported functions and method expressions,
	// such as ecs.ParseARN and (*ecs.Registry).Register.
	Funcs []any
	// Values gives, per type, makers of further values to pass where that
	// type is expected: live receivers (a constructed engine rather than a
	// zero one) and implementations of the interfaces the package takes.
	// The first maker of a receiver's type makes the receiver of the calls
	// that vary the other arguments. Each call gets fresh values; a value
	// with a Close method is closed after the call, and so is a result.
	Values map[reflect.Type][]func() any
	// Base gives, per function ("Func" or "Type.Method"), the arguments
	// (receiver first) that the others vary from, each call anew: for a
	// function that needs several arguments right before it reaches the
	// code worth calling.
	Base map[string]func() []any
	// Skip names functions ("Func" or "Type.Method") that need no row,
	// each with the reason.
	Skip map[string]string
	// Timeout is how long one call may take before it counts as a hang
	// (default 10 s).
	Timeout time.Duration
}

// TypeOf returns the reflect.Type of T, for Table.Values keys.
func TypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

var (
	contextType = reflect.TypeFor[context.Context]()
	timeType    = reflect.TypeFor[time.Time]()
	errorType   = reflect.TypeFor[error]()
)

// T is what Run reports to: a *testing.T.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

var _ T = (*testing.T)(nil)

// Run calls every function of tb as the package doc describes and checks
// that tb covers the package's exported API.
func Run(t T, tb Table) {
	t.Helper()
	if tb.Timeout == 0 {
		tb.Timeout = 10 * time.Second
	}
	covered := map[string]bool{}
	calls := 0
	defer func() { t.Logf("%d calls of %d functions", calls, len(tb.Funcs)) }()
	for _, f := range tb.Funcs {
		v := reflect.ValueOf(f)
		if v.Kind() != reflect.Func || v.IsNil() {
			t.Fatalf("Funcs holds %T, not a function", f)
			return
		}
		name := funcName(v)
		covered[name] = true
		r := runner{t: t, tb: &tb, name: name, fn: v}
		ok := r.run()
		calls += r.calls
		if !ok {
			return // a hang: the stuck goroutine is still running
		}
	}
	want, err := Exported(tb.Dir)
	if err != nil {
		t.Fatalf("%v", err)
		return
	}
	for _, name := range want {
		if !covered[name] && tb.Skip[name] == "" {
			t.Errorf("%s is exported and takes a pointer, interface, slice, map, func or struct, but has no row in the zero-value table", name)
		}
	}
}

// funcName returns "Func" or "Type.Method" for a function or a method
// expression.
func funcName(v reflect.Value) string {
	full := runtime.FuncForPC(v.Pointer()).Name()
	if i := strings.LastIndex(full, "/"); i >= 0 {
		full = full[i+1:]
	}
	if i := strings.Index(full, "."); i >= 0 {
		full = full[i+1:]
	}
	return strings.NewReplacer("(*", "", ")", "").Replace(full)
}

// runner calls one function with its argument variants.
type runner struct {
	t        T
	tb       *Table
	name     string
	fn       reflect.Value
	failures int // the panics seen
	calls    int // the calls made
}

// arg makes one argument value afresh.
type arg struct {
	desc string
	make func() reflect.Value
}

// run makes the calls; it reports false after a hang.
func (r *runner) run() bool {
	ft := r.fn.Type()
	n := ft.NumIn()
	params := make([][]arg, n)
	for i := range n {
		pt := ft.In(i)
		variadic := ft.IsVariadic() && i == n-1
		params[i] = r.variants(pt, 2, variadic)
	}
	method := strings.Contains(r.name, ".") && n > 0
	if method {
		// The receiver: nil, the zero value, then the live values.
		params[0] = r.receivers(ft.In(0))
	}
	// The baseline the arguments vary from: the Table's Base for the
	// function, else a live value of the argument's type, else its first
	// variant (the zero value).
	base := make([]arg, n)
	for i := range n {
		base[i] = params[i][0]
		if live := r.extra(ft.In(i)); len(live) > 0 && !(ft.IsVariadic() && i == n-1) {
			base[i] = live[0]
		}
		if method && i == 0 {
			base[i] = params[0][len(params[0])-1] // live if any, else zero
		}
		if mk := r.tb.Base[r.name]; mk != nil {
			base[i] = arg{"base", func() reflect.Value {
				args := mk()
				if i >= len(args) || args[i] == nil {
					return reflect.Zero(ft.In(i))
				}
				return reflect.ValueOf(args[i]).Convert(ft.In(i))
			}}
		}
	}
	if method {
		for _, rv := range params[0] {
			args := slices.Clone(base)
			args[0] = rv
			if !r.call(args) {
				return false
			}
		}
	}
	first := 0
	if method {
		first = 1
	}
	combos := 1
	for _, p := range params[first:] {
		combos *= len(p)
	}
	if combos <= maxCombos {
		// Few enough for every combination: a document and a target
		// that each pass alone may not pass together.
		return r.product(base, params, first)
	}
	for i := first; i < n; i++ {
		for _, v := range params[i] {
			args := slices.Clone(base)
			args[i] = v
			if !r.call(args) {
				return false
			}
		}
	}
	return true
}

// maxCombos bounds the calls of a function whose arguments are all
// combined; past it, each argument varies alone.
const maxCombos = 1000

// product calls with every combination of params[i:], base before i.
func (r *runner) product(base []arg, params [][]arg, i int) bool {
	if i == len(base) {
		return r.call(base)
	}
	for _, v := range params[i] {
		args := slices.Clone(base)
		args[i] = v
		if !r.product(args, params, i+1) {
			return false
		}
	}
	return true
}

// call makes one call; it reports false after a hang.
func (r *runner) call(args []arg) bool {
	vals := make([]reflect.Value, len(args))
	descs := make([]string, len(args))
	for i, a := range args {
		vals[i] = a.make()
		descs[i] = a.desc
	}
	call := fmt.Sprintf("%s(%s)", r.name, strings.Join(descs, ", "))
	r.calls++
	if sk := os.Getenv("ZEROTEST_SKIP"); sk != "" && strings.Contains(call, sk) {
		return true
	}
	if os.Getenv("ZEROTEST_VERBOSE") != "" {
		fmt.Fprintln(os.Stderr, "zerotest:", call)
	}
	done := make(chan string, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Sprintf("%v\n%s", p, stack())
			}
		}()
		var out []reflect.Value
		if r.fn.Type().IsVariadic() {
			out = r.fn.CallSlice(vals)
		} else {
			out = r.fn.Call(vals)
		}
		for _, v := range append(out, vals...) {
			closeValue(v)
		}
		done <- ""
	}()
	timer := time.NewTimer(r.tb.Timeout)
	defer timer.Stop()
	select {
	case msg := <-done:
		if msg != "" {
			// Report a few panics of each function: one fix usually
			// mends the others.
			if r.failures++; r.failures <= 4 {
				r.t.Errorf("%s panics: %s", call, msg)
			}
		}
		return true
	case <-timer.C:
		r.t.Errorf("%s did not return within %v", call, r.tb.Timeout)
		return false
	}
}

// closeValue closes a value made for a call or returned by it (a server,
// a control plane), if it has a Close method.
func closeValue(v reflect.Value) {
	if !v.IsValid() || !v.CanInterface() {
		return
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return
	}
	defer func() { _ = recover() }() // closing a zero value may panic: not what is tested here
	if c, ok := v.Interface().(interface{ Close() }); ok {
		c.Close()
	}
}

// stack returns the frames of the panicking call that are in the module.
func stack() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var b strings.Builder
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, "ecscore/ecscore") && !strings.Contains(f.Function, "zerotest") {
			fmt.Fprintf(&b, "\t%s\n\t\t%s:%d\n", f.Function, f.File, f.Line)
		}
		if !more {
			break
		}
	}
	return b.String()
}

// receivers returns a method's receivers: nil (for a pointer), the zero
// value, then the Table's live values.
func (r *runner) receivers(t reflect.Type) []arg {
	var out []arg
	if t.Kind() == reflect.Pointer {
		out = append(out,
			arg{"nil", func() reflect.Value { return reflect.Zero(t) }},
			arg{"&" + t.Elem().Name() + "{}", func() reflect.Value { return reflect.New(t.Elem()) }})
	} else {
		out = append(out, arg{t.Name() + "{}", func() reflect.Value { return reflect.Zero(t) }})
	}
	return append(out, r.extra(t)...)
}

// extra returns the Table's values of type t.
func (r *runner) extra(t reflect.Type) []arg {
	var out []arg
	for i, mk := range r.tb.Values[t] {
		out = append(out, arg{fmt.Sprintf("%s#%d", t, i), func() reflect.Value {
			v := reflect.ValueOf(mk())
			if !v.IsValid() {
				return reflect.Zero(t)
			}
			return v.Convert(t)
		}})
	}
	return out
}

// fixed wraps a value that can be shared between calls.
func fixed(desc string, v reflect.Value) arg {
	return arg{desc, func() reflect.Value { return v }}
}

// variants returns the values to try for a parameter of type t, the first
// the baseline the other parameters' variants are tried with.
func (r *runner) variants(t reflect.Type, depth int, variadic bool) []arg {
	out := r.typeVariants(t, depth)
	if variadic {
		// A variadic parameter's baseline is no arguments at all.
		out = append([]arg{fixed("", reflect.Zero(t))}, out...)
	}
	return append(out, r.extra(t)...)
}

func (r *runner) typeVariants(t reflect.Type, depth int) []arg {
	zero := fixed("zero", reflect.Zero(t))
	switch {
	case t == contextType:
		return []arg{{"ctx", func() reflect.Value {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			_ = cancel // the deadline releases it
			return reflect.ValueOf(&ctx).Elem()
		}}, {"cancelled ctx", func() reflect.Value {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return reflect.ValueOf(&ctx).Elem()
		}}}
	case t == timeType:
		return []arg{zero,
			fixed("far future", reflect.ValueOf(time.Unix(1<<62, 0))),
			fixed("far past", reflect.ValueOf(time.Unix(-1<<62, 0)))}
	case t == errorType:
		return []arg{zero, fixed("errors.New", reflect.ValueOf(fmt.Errorf("x")).Convert(t))}
	}
	conv := func(desc string, v any) arg { return fixed(desc, reflect.ValueOf(v).Convert(t)) }
	switch t.Kind() {
	case reflect.Bool:
		return []arg{zero, conv("true", true)}
	case reflect.Int, reflect.Int64:
		return []arg{zero, conv("-1", -1), conv("MaxInt32", math.MaxInt32), conv("MaxInt64", math.MaxInt64), conv("MinInt64", math.MinInt64)}
	case reflect.Int32:
		return []arg{zero, conv("-1", -1), conv("MaxInt32", math.MaxInt32), conv("MinInt32", math.MinInt32)}
	case reflect.Int8, reflect.Int16:
		return []arg{zero, conv("-1", -1)}
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return []arg{zero, conv("MaxUint64", uint64(math.MaxUint64))}
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return []arg{zero, conv("max", uint64(1)<<(t.Bits())-1)}
	case reflect.Float32, reflect.Float64:
		return []arg{zero, conv("-1", -1.0), conv("NaN", math.NaN()), conv("+Inf", math.Inf(1)),
			conv("-Inf", math.Inf(-1)), conv("MaxFloat", math.MaxFloat32)}
	case reflect.String:
		return []arg{zero, conv(`"\x00\xff:/"`, "\x00\xff:/"), conv(`"-1"`, "-1"),
			conv(`"9223372036854775808"`, "9223372036854775808")}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return anyVariants(t)
		}
		return []arg{zero}
	case reflect.Func:
		return []arg{zero, {"func returning zeros", func() reflect.Value {
			return reflect.MakeFunc(t, func([]reflect.Value) []reflect.Value {
				out := make([]reflect.Value, t.NumOut())
				for i := range out {
					out[i] = reflect.Zero(t.Out(i))
				}
				return out
			})
		}}}
	case reflect.Chan, reflect.UnsafePointer:
		return []arg{zero}
	case reflect.Pointer:
		out := []arg{zero}
		for _, ev := range r.elemVariants(t.Elem(), depth) {
			out = append(out, arg{"&" + ev.desc, func() reflect.Value {
				p := reflect.New(t.Elem())
				p.Elem().Set(ev.make())
				return p
			}})
		}
		return out
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return bytesVariants(t)
		}
		out := []arg{zero, {"empty", func() reflect.Value { return reflect.MakeSlice(t, 0, 0) }}}
		for _, ev := range r.elemVariants(t.Elem(), depth) {
			out = append(out, arg{"[" + ev.desc + "]", func() reflect.Value {
				s := reflect.MakeSlice(t, 1, 1)
				s.Index(0).Set(ev.make())
				return s
			}})
		}
		return out
	case reflect.Map:
		out := []arg{zero, {"empty", func() reflect.Value { return reflect.MakeMap(t) }}}
		for _, ev := range r.elemVariants(t.Elem(), depth) {
			out = append(out, arg{"{zero: " + ev.desc + "}", func() reflect.Value {
				m := reflect.MakeMap(t)
				m.SetMapIndex(reflect.Zero(t.Key()), ev.make())
				return m
			}})
		}
		return out
	case reflect.Struct:
		out := []arg{zero}
		if depth > 0 {
			for k := 1; k <= 4; k++ {
				out = append(out, arg{fmt.Sprintf("%s{fields#%d}", t.Name(), k), func() reflect.Value {
					return r.filled(t, depth-1, k)
				}})
			}
		}
		return out
	}
	return []arg{zero}
}

// elemVariants returns the variants of a container's element type, fewer
// as depth runs out.
func (r *runner) elemVariants(t reflect.Type, depth int) []arg {
	if depth <= 0 {
		switch t.Kind() {
		case reflect.Pointer:
			return []arg{fixed("nil", reflect.Zero(t)),
				{"new", func() reflect.Value { return reflect.New(t.Elem()) }}}
		}
		return []arg{fixed("zero", reflect.Zero(t))}
	}
	return append(r.typeVariants(t, depth-1), r.extra(t)...)
}

// filled returns a struct whose settable fields each hold their k-th
// variant (wrapping around), so that every field is extreme at once.
func (r *runner) filled(t reflect.Type, depth, k int) reflect.Value {
	v := reflect.New(t).Elem()
	for i := range t.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		vs := r.typeVariants(t.Field(i).Type, depth)
		f.Set(vs[k%len(vs)].make())
	}
	return v
}

// anyVariants returns values for an interface{} parameter (what Marshal
// and Unmarshal take).
func anyVariants(t reflect.Type) []arg {
	vals := []struct {
		desc string
		mk   func() any
	}{
		{"0", func() any { return 0 }},
		{`""`, func() any { return "" }},
		{"map[string]any{}", func() any { return map[string]any{} }},
		{"new(map[string]any)", func() any { return new(map[string]any) }},
		{"new([]any)", func() any { return new([]any) }},
		{"new(any)", func() any { return new(any) }},
		{"new(int)", func() any { return new(int) }},
		{"(*int)(nil)", func() any { return (*int)(nil) }},
		{"new(struct)", func() any { return new(struct{ A []int }) }},
		{"NaN", func() any { return math.NaN() }},
		{"func", func() any { return func() {} }},
		{"chan", func() any { return make(chan int) }},
	}
	out := []arg{fixed("nil", reflect.Zero(t))}
	for _, v := range vals {
		out = append(out, arg{v.desc, func() reflect.Value {
			x := v.mk()
			return reflect.ValueOf(&x).Elem().Convert(t)
		}})
	}
	return out
}

// bytesVariants returns documents for a []byte parameter.
func bytesVariants(t reflect.Type) []arg {
	out := []arg{fixed("nil", reflect.Zero(t))}
	for _, s := range []string{"", "null", "{}", "[]", "[null]", `{"a":null}`, "\xff", "{", "1e999", `{"taskDefinition":null}`} {
		out = append(out, fixed(fmt.Sprintf("%q", s), reflect.ValueOf([]byte(s)).Convert(t)))
	}
	return out
}

// Exported lists the exported functions and methods of the package in dir
// ("Func", "Type.Method") whose parameters, receiver included, are not all
// plain scalars: booleans, numbers, strings, time.Duration and the
// package's own types defined as one of these.
func Exported(dir string) ([]string, error) {
	files, err := parseDir(dir)
	if err != nil {
		return nil, err
	}
	scalar := scalarTypes(files)
	var out []string
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			name := fd.Name.Name
			var params []ast.Expr
			if fd.Recv != nil {
				rt := fd.Recv.List[0].Type
				params = append(params, rt)
				if s, ok := rt.(*ast.StarExpr); ok {
					rt = s.X
				}
				id, ok := rt.(*ast.Ident)
				if !ok || !id.IsExported() {
					continue
				}
				name = id.Name + "." + name
			}
			for _, fl := range fd.Type.Params.List {
				params = append(params, fl.Type)
			}
			if slices.ContainsFunc(params, func(e ast.Expr) bool { return !isScalar(e, scalar) }) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// parseDir parses the package's non-test Go files in dir, leaving out the
// files of another package (a generator's package main).
func parseDir(dir string) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	byPkg := map[string][]*ast.File{}
	var main string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		pkg := f.Name.Name
		byPkg[pkg] = append(byPkg[pkg], f)
		if len(byPkg[pkg]) > len(byPkg[main]) {
			main = pkg
		}
	}
	return byPkg[main], nil
}

// scalarTypes returns the package's type names defined as a scalar.
func scalarTypes(files []*ast.File) map[string]bool {
	defs := map[string]ast.Expr{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				defs[ts.Name.Name] = ts.Type
			}
		}
	}
	out := map[string]bool{}
	for name, e := range defs {
		seen := map[string]bool{}
		for {
			id, ok := e.(*ast.Ident)
			if !ok {
				break
			}
			if basic[id.Name] {
				out[name] = true
				break
			}
			if seen[id.Name] || defs[id.Name] == nil {
				break
			}
			seen[id.Name] = true
			e = defs[id.Name]
		}
	}
	return out
}

var basic = map[string]bool{
	"bool": true, "string": true, "int": true, "int8": true, "int16": true,
	"int32": true, "int64": true, "uint": true, "uint8": true, "uint16": true,
	"uint32": true, "uint64": true, "uintptr": true, "float32": true,
	"float64": true, "byte": true, "rune": true,
}

func isScalar(e ast.Expr, scalar map[string]bool) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return basic[e.Name] || scalar[e.Name]
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "time" && e.Sel.Name == "Duration"
	}
	return false
}
