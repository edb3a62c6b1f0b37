package ecs

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Sentinel errors that a FieldError wraps, for errors.Is.
var (
	// ErrUnknownField marks a member the API does not define for its shape.
	ErrUnknownField = errors.New("unknown field")
	// ErrWrongType marks a value of the wrong JSON type, or a number that
	// is not an integer where the API wants one.
	ErrWrongType = errors.New("wrong type")
	// ErrBadValue marks a value of the right JSON type that cannot be read,
	// such as a timestamp string that is not RFC 3339.
	ErrBadValue = errors.New("bad value")
)

// FieldError is one problem with one member of a document.
type FieldError struct {
	Path   string // API member names and 0-based indices: containerDefinitions[0].memory
	Offset int    // byte offset of the value (of the key, for an unknown field)
	Line   int    // 1-based
	Column int    // 1-based, in bytes
	Kind   error  // ErrUnknownField, ErrWrongType or ErrBadValue
	Msg    string // what is wrong, without the path
}

// Error returns the path and the problem: "containerDefinitions[0].memory: expected integer, got string \"256\"".
func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap returns the kind of the error.
func (e *FieldError) Unwrap() error { return e.Kind }

// DecodeError lists every field error of a document, in document order.
type DecodeError struct {
	Errors []*FieldError
}

// Error joins the field errors with "; ".
func (e *DecodeError) Error() string {
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Unwrap returns the field errors, so that errors.Is and errors.As see them.
func (e *DecodeError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		errs[i] = fe
	}
	return errs
}

// DecodeOption changes how a document is decoded.
type DecodeOption func(*decoder)

// Lenient accepts members the library does not know, as from a newer API
// version, and appends the path of each one it skipped to *skipped (which may
// be nil). Without it, an unknown member is an error.
func Lenient(skipped *[]string) DecodeOption {
	return func(d *decoder) {
		d.lenient = true
		d.skippedOut = skipped
	}
}

// Unmarshal decodes one JSON document into v, which must be a non-nil
// pointer to an ecs type. Member names match case-sensitively. Every wrong
// type and unknown member is reported in one *DecodeError, and v holds the
// rest of the document; a document that is not JSON gives a *SyntaxError
// and leaves v unchanged.
func Unmarshal(data []byte, v any, opts ...DecodeOption) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("ecs: Unmarshal needs a non-nil pointer, not %T", v)
	}
	root, err := parseJSON(data)
	if err != nil {
		return err
	}
	d := newDecoder(data, opts)
	d.bind(root, rv.Elem())
	return d.finish()
}

type decoder struct {
	data       []byte
	lenient    bool
	skippedOut *[]string
	path       []pathSeg
	errs       []*FieldError
	lines      []int // offsets where lines start, built at the first error
}

type pathSeg struct {
	key   string
	index int // used when key is ""
}

func newDecoder(data []byte, opts []DecodeOption) *decoder {
	d := &decoder{data: data}
	for _, o := range opts {
		o(d)
	}
	return d
}

func (d *decoder) finish() error {
	if len(d.errs) == 0 {
		return nil
	}
	return &DecodeError{Errors: d.errs}
}

func (d *decoder) pathString() string {
	var b strings.Builder
	for _, s := range d.path {
		if s.key == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
	}
	return b.String()
}

func (d *decoder) fail(off int, kind error, format string, args ...any) {
	if d.lines == nil {
		d.lines = lineStarts(d.data)
	}
	line, col := lineColIndexed(d.lines, off)
	d.errs = append(d.errs, &FieldError{
		Path: d.pathString(), Offset: off, Line: line, Column: col,
		Kind: kind, Msg: fmt.Sprintf(format, args...),
	})
}

var timeType = reflect.TypeFor[Time]()

// bind stores v in rv, reporting what does not fit the API's shape.
func (d *decoder) bind(v jsonValue, rv reflect.Value) {
	if v.kind == jsonNull {
		return // null is an unset member, as the API reads it
	}
	t := rv.Type()
	if t == timeType {
		d.bindTime(v, rv)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := reflect.New(t.Elem())
		before := len(d.errs)
		d.bind(v, elem.Elem())
		if len(d.errs) == before || v.kind == jsonObject {
			rv.Set(elem)
		}
	case reflect.Struct:
		d.bindStruct(v, rv)
	case reflect.Slice:
		if !d.want(v, jsonArray, "array") {
			return
		}
		s := reflect.MakeSlice(t, len(v.elems), len(v.elems))
		for i, e := range v.elems {
			d.path = append(d.path, pathSeg{index: i})
			d.bind(e, s.Index(i))
			d.path = d.path[:len(d.path)-1]
		}
		rv.Set(s)
	case reflect.Map:
		if !d.want(v, jsonObject, "object") {
			return
		}
		m := reflect.MakeMapWithSize(t, len(v.members))
		for _, mem := range v.members {
			d.path = append(d.path, pathSeg{key: mem.key})
			val := reflect.New(t.Elem()).Elem()
			d.bind(mem.val, val)
			m.SetMapIndex(reflect.ValueOf(mem.key).Convert(t.Key()), val)
			d.path = d.path[:len(d.path)-1]
		}
		rv.Set(m)
	case reflect.String:
		if d.want(v, jsonString, "string") {
			rv.SetString(v.text)
		}
	case reflect.Bool:
		if d.want(v, jsonBool, "boolean") {
			rv.SetBool(v.boolean)
		}
	case reflect.Int, reflect.Int64:
		d.bindInt(v, rv)
	case reflect.Float64:
		if d.want(v, jsonNumber, "number") {
			f, err := strconv.ParseFloat(v.text, 64)
			if err != nil {
				d.fail(v.off, ErrBadValue, "number %s is out of range", v.text)
				return
			}
			rv.SetFloat(f)
		}
	default:
		panic("ecs: no decoding for " + t.String()) // a generator bug, not bad input
	}
}

func (d *decoder) want(v jsonValue, kind jsonKind, expected string) bool {
	if v.kind == kind {
		return true
	}
	d.fail(v.off, ErrWrongType, "expected %s, got %s", expected, describeValue(v))
	return false
}

func (d *decoder) bindInt(v jsonValue, rv reflect.Value) {
	if !d.want(v, jsonNumber, "integer") {
		return
	}
	n, err := strconv.ParseInt(v.text, 10, 64)
	if err != nil {
		if strings.ContainsAny(v.text, ".eE") {
			d.fail(v.off, ErrWrongType, "expected integer, got number %s", v.text)
		} else {
			d.fail(v.off, ErrBadValue, "integer %s is out of range", v.text)
		}
		return
	}
	// API integers are 32-bit; longs are 64-bit.
	if rv.Kind() == reflect.Int && (n > math.MaxInt32 || n < math.MinInt32) {
		d.fail(v.off, ErrBadValue, "integer %s is out of range", v.text)
		return
	}
	rv.SetInt(n)
}

func (d *decoder) bindTime(v jsonValue, rv reflect.Value) {
	switch v.kind {
	case jsonNumber:
		t, err := parseEpoch(v.text)
		if err != nil {
			d.fail(v.off, ErrBadValue, "%v", err)
			return
		}
		rv.Set(reflect.ValueOf(Time{t}))
	case jsonString:
		t, err := parseTimestamp(v.text)
		if err != nil {
			d.fail(v.off, ErrBadValue, "timestamp %q: %v", v.text, err)
			return
		}
		rv.Set(reflect.ValueOf(Time{t}))
	default:
		d.fail(v.off, ErrWrongType, "expected timestamp (epoch seconds or RFC 3339 string), got %s", describeValue(v))
	}
}

// bindStruct binds an object's members to a struct's fields; members named
// in skip belong to the caller.
func (d *decoder) bindStruct(v jsonValue, rv reflect.Value, skip ...string) {
	if !d.want(v, jsonObject, "object") {
		return
	}
	info := fieldsOf(rv.Type())
	for _, mem := range v.members {
		if len(skip) > 0 && slices.Contains(skip, mem.key) {
			continue
		}
		d.path = append(d.path, pathSeg{key: mem.key})
		if i, ok := info[mem.key]; ok {
			d.bind(mem.val, rv.Field(i))
		} else {
			d.unknown(mem)
		}
		d.path = d.path[:len(d.path)-1]
	}
}

func (d *decoder) unknown(mem jsonMember) {
	if d.lenient {
		if d.skippedOut != nil {
			*d.skippedOut = append(*d.skippedOut, d.pathString())
		}
		return
	}
	d.fail(mem.keyOff, ErrUnknownField, "unknown field %q", mem.key)
}

func describeValue(v jsonValue) string {
	switch v.kind {
	case jsonString:
		s := v.text
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return "string " + strconv.Quote(s)
	case jsonNumber:
		return "number " + v.text
	case jsonBool:
		return "boolean " + strconv.FormatBool(v.boolean)
	}
	return v.kind.String()
}

// fieldCache maps a struct type to its JSON member names and field indexes.
// Like encoding/json's cache, it only grows, with values derived from types.
var fieldCache sync.Map // reflect.Type -> map[string]int

func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	fieldCache.Store(t, m)
	return m
}
