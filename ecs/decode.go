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
	// ErrTooMany marks a list with more elements than the API model
	// allows, or a list or map with more than MaxListLength where the
	// model states no limit. The decoder keeps the first elements and
	// skips the rest.
	ErrTooMany = errors.New("too many elements")
	// ErrTooLarge marks a document that would take more memory decoded
	// than its size allows (see Unmarshal). The decoder reads no further.
	ErrTooLarge = errors.New("too large")
)

// The decoder's bounds, which keep the memory and work of decoding a
// document within a small multiple of its size, whatever it holds.
const (
	// MaxDecodeErrors is the number of field errors a DecodeError lists;
	// it counts the rest in More.
	MaxDecodeErrors = 100
	// MaxListLength is the most elements the decoder reads into a list
	// or map for which the API model states no limit. A describe-*
	// output holds at most 100.
	MaxListLength = 100_000
	// decodeBudgetFloor and decodeBudgetFactor bound the memory a decoded
	// document may take: the larger of the floor and factor times its
	// size in bytes. An ECS document takes about 1 to 4 times its size.
	decodeBudgetFloor  = 4 << 20
	decodeBudgetFactor = 16
)

// FieldError is one problem with one member of a document.
type FieldError struct {
	Path   string // API member names and 0-based indices: containerDefinitions[0].memory
	Offset int    // byte offset of the value (of the key, for an unknown field)
	Line   int    // 1-based
	Column int    // 1-based, in bytes
	Kind   error  // ErrUnknownField, ErrWrongType, ErrBadValue, ErrTooMany or ErrTooLarge
	Msg    string // what is wrong, without the path
}

// Error returns the path and the problem: "containerDefinitions[0].memory: expected integer, got string \"256\"".
//
// A nil *FieldError reads "<nil>".
func (e *FieldError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap returns the kind of the error (nil for a nil *FieldError).
func (e *FieldError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Kind
}

// DecodeError lists the field errors of a document, in document order:
// the first MaxDecodeErrors of them, and the number of the rest in More.
type DecodeError struct {
	Errors []*FieldError
	More   int // field errors found beyond those listed
}

// Error joins the field errors with "; ", and says how many more there
// are. A nil *DecodeError reads "<nil>".
func (e *DecodeError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(fe.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "; and %d more", e.More)
	}
	return b.String()
}

// Unwrap returns the field errors, so that errors.Is and errors.As see them.
// A nil *DecodeError has none.
func (e *DecodeError) Unwrap() []error {
	if e == nil {
		return nil
	}
	errs := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		errs[i] = fe
	}
	return errs
}

// DecodeOptions change how a document is decoded. The zero value decodes
// strictly: a member the library does not know is an error.
type DecodeOptions struct {
	// Lenient accepts members the library does not know, as from a newer
	// API version, and skips them.
	Lenient bool
	// Skipped, when not nil, receives the path of each member a lenient
	// decode skipped.
	Skipped *[]string
}

// Lenient is the option that sets DecodeOptions.Lenient:
// ecs.DecodeTasks(data, ecs.Lenient).
func Lenient(o *DecodeOptions) {
	if o != nil {
		o.Lenient = true
	}
}

// Unmarshal decodes one JSON document into v, which must be a non-nil
// pointer to an ecs type. Member names match case-sensitively. Wrong types
// and unknown members are reported in one *DecodeError, and v holds the
// rest of the document; a document that is not JSON gives a *SyntaxError
// and leaves v unchanged.
//
// Decoding reads the document once to check its syntax and once into v,
// building nothing else: its memory is what v takes, bounded by 16 times
// the document's size (or 4 MiB, for a small one). A list longer than the
// API model allows (tags of a request: 50), or than MaxListLength, is an
// ErrTooMany error that keeps its first elements; a document over the
// memory bound is an ErrTooLarge error, and is read no further.
func Unmarshal(data []byte, v any, opts ...func(*DecodeOptions)) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("ecs: Unmarshal needs a non-nil pointer, not %T", v)
	}
	if err := checkJSON(data); err != nil {
		return err
	}
	d := newDecoder(data, opts)
	d.value(rv.Elem(), 0)
	return d.finish()
}

// decoder binds a document that checkJSON accepted to Go values as it
// reads it, without building a tree.
type decoder struct {
	p          jsonParser
	lenient    bool
	skippedOut *[]string
	path       []pathSeg
	errs       []*FieldError
	nerrs      int   // field errors found, listed or not
	maxErrs    int   // field errors listed; negative for all
	budget     int64 // bytes the decoded values may still take
	stopped    bool  // over budget: read no further
	// unsupported is the first Go type met that the decoder has no
	// decoding for (v is not an ecs type): decoding stops there.
	unsupported reflect.Type
}

type pathSeg struct {
	key   string
	index int // used when key is ""
}

func newDecoder(data []byte, opts []func(*DecodeOptions)) *decoder {
	d := &decoder{p: jsonParser{data: data}, maxErrs: MaxDecodeErrors,
		budget: max(decodeBudgetFloor, decodeBudgetFactor*int64(len(data)))}
	var o DecodeOptions
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	d.lenient, d.skippedOut = o.Lenient, o.Skipped
	d.p.skipSpace()
	return d
}

// finish gives the errors their lines and columns, in one pass over the
// document, and returns them.
func (d *decoder) finish() error {
	if d.unsupported != nil {
		return fmt.Errorf("ecs: cannot decode into Go type %s: a document decodes into the ecs package's types only", d.unsupported)
	}
	if d.nerrs == 0 {
		return nil
	}
	order := make([]int, len(d.errs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return d.errs[a].Offset - d.errs[b].Offset })
	line, start, at := 1, 0, 0
	for _, i := range order {
		fe := d.errs[i]
		off := min(fe.Offset, len(d.p.data))
		for ; at < off; at++ {
			if d.p.data[at] == '\n' {
				line++
				start = at + 1
			}
		}
		fe.Line, fe.Column = line, off-start+1
	}
	return &DecodeError{Errors: d.errs, More: d.nerrs - len(d.errs)}
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

// fail records a field error at byte offset off; msg is called only when
// the error is listed.
func (d *decoder) fail(off int, kind error, msg func() string) {
	d.nerrs++
	if d.maxErrs >= 0 && len(d.errs) >= d.maxErrs {
		return
	}
	d.errs = append(d.errs, &FieldError{Path: d.pathString(), Offset: off, Kind: kind, Msg: msg()})
}

func (d *decoder) failf(off int, kind error, format string, args ...any) {
	d.fail(off, kind, func() string { return fmt.Sprintf(format, args...) })
}

// charge takes n bytes from the budget; when it runs out, it records the
// error and stops the decoding.
func (d *decoder) charge(n int64) bool {
	if d.stopped {
		return false
	}
	if d.budget -= n; d.budget >= 0 {
		return true
	}
	d.stopped = true
	limit := max(decodeBudgetFloor, decodeBudgetFactor*int64(len(d.p.data)))
	d.failf(d.p.pos, ErrTooLarge, "the document decodes to more than %d bytes, %d times its size: it was read no further", limit, decodeBudgetFactor)
	return false
}

// skip moves past the value at the current position.
func (d *decoder) skip() {
	if err := d.p.skipValue(); err != nil {
		panic("ecs: decoder out of step with checkJSON: " + err.Error()) // checked before decoding
	}
}

// peekKind returns the kind of the value at the current position.
func (d *decoder) peekKind() jsonKind {
	switch c := d.p.data[d.p.pos]; {
	case c == '{':
		return jsonObject
	case c == '[':
		return jsonArray
	case c == '"':
		return jsonString
	case c == 't' || c == 'f':
		return jsonBool
	case c == 'n':
		return jsonNull
	}
	return jsonNumber
}

var timeType = reflect.TypeFor[Time]()

// value reads the value at the current position into rv, reporting what
// does not fit the API's shape; limit is the model's bound on a list
// there (0 for none).
func (d *decoder) value(rv reflect.Value, limit int) {
	if d.stopped {
		return
	}
	kind := d.peekKind()
	if kind == jsonNull {
		d.p.pos += len("null") // null is an unset member, as the API reads it
		return
	}
	t := rv.Type()
	if t == timeType {
		d.time(rv, kind)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if !d.charge(int64(t.Elem().Size())) {
			return
		}
		elem := reflect.New(t.Elem())
		before := d.nerrs
		d.value(elem.Elem(), limit)
		if d.nerrs == before || kind == jsonObject {
			rv.Set(elem)
		}
	case reflect.Struct:
		d.object(rv, kind, nil)
	case reflect.Slice:
		d.array(rv, kind, limit)
	case reflect.Map:
		d.mapValue(rv, kind)
	case reflect.String:
		if d.want(kind, jsonString, "string") {
			s := d.str()
			if d.charge(int64(len(s))) {
				rv.SetString(s)
			}
		}
	case reflect.Bool:
		if d.want(kind, jsonBool, "boolean") {
			rv.SetBool(d.p.data[d.p.pos] == 't')
			d.skip()
		}
	case reflect.Int, reflect.Int64:
		d.integer(rv, kind)
	case reflect.Float64:
		if d.want(kind, jsonNumber, "number") {
			off, lit := d.p.pos, d.number()
			f, err := strconv.ParseFloat(lit, 64)
			if err != nil {
				d.failf(off, ErrBadValue, "number %s is out of range", lit)
				return
			}
			rv.SetFloat(f)
		}
	default:
		// A type outside the API's shapes, such as map[string]any.
		if d.unsupported == nil {
			d.unsupported = t
		}
		d.stopped = true
	}
}

// str reads the string at the current position.
func (d *decoder) str() string {
	s, err := d.p.str()
	if err != nil {
		panic("ecs: decoder out of step with checkJSON: " + err.Error())
	}
	return s
}

// number reads the number at the current position and returns its literal.
func (d *decoder) number() string {
	start := d.p.pos
	d.skip()
	return string(d.p.data[start:d.p.pos])
}

// want reports whether the value at the current position is of kind; if
// not, it records the error and moves past the value.
func (d *decoder) want(kind, wanted jsonKind, expected string) bool {
	if kind == wanted {
		return true
	}
	off := d.p.pos
	d.skip()
	d.fail(off, ErrWrongType, func() string {
		return "expected " + expected + ", got " + describeValue(kind, d.p.data[off:d.p.pos])
	})
	return false
}

func (d *decoder) integer(rv reflect.Value, kind jsonKind) {
	if !d.want(kind, jsonNumber, "integer") {
		return
	}
	off, lit := d.p.pos, d.number()
	n, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		if strings.ContainsAny(lit, ".eE") {
			d.failf(off, ErrWrongType, "expected integer, got number %s", lit)
		} else {
			d.failf(off, ErrBadValue, "integer %s is out of range", lit)
		}
		return
	}
	// API integers are 32-bit; longs are 64-bit.
	if rv.Kind() == reflect.Int && (n > math.MaxInt32 || n < math.MinInt32) {
		d.failf(off, ErrBadValue, "integer %s is out of range", lit)
		return
	}
	rv.SetInt(n)
}

func (d *decoder) time(rv reflect.Value, kind jsonKind) {
	off := d.p.pos
	switch kind {
	case jsonNumber:
		t, err := parseEpoch(d.number())
		if err != nil {
			d.failf(off, ErrBadValue, "%v", err)
			return
		}
		rv.Set(reflect.ValueOf(Time{t}))
	case jsonString:
		s := d.str()
		t, err := parseTimestamp(s)
		if err != nil {
			d.failf(off, ErrBadValue, "timestamp %q: %v", s, err)
			return
		}
		rv.Set(reflect.ValueOf(Time{t}))
	default:
		d.skip()
		d.fail(off, ErrWrongType, func() string {
			return "expected timestamp (epoch seconds or RFC 3339 string), got " + describeValue(kind, d.p.data[off:d.p.pos])
		})
	}
}

// count returns the number of elements of the array, or members of the
// object, at the current position, without moving.
func (d *decoder) count() int {
	saved := d.p.pos
	defer func() { d.p.pos = saved }()
	d.p.pos++ // [ or {
	d.p.skipSpace()
	if c := d.p.data[d.p.pos]; c == ']' || c == '}' {
		return 0
	}
	n := 0
	for {
		d.p.skipSpace()
		d.skip() // an element, or a member's name
		d.p.skipSpace()
		if d.p.data[d.p.pos] == ':' {
			d.p.pos++
			d.p.skipSpace()
			d.skip()
			d.p.skipSpace()
		}
		n++
		if d.p.data[d.p.pos] != ',' {
			return n
		}
		d.p.pos++
	}
}

// elements calls each for each element of the array at the current
// position, with its index, and moves past the array. each must move past
// the element.
func (d *decoder) elements(each func(i int)) {
	d.p.pos++ // [
	d.p.skipSpace()
	if d.p.data[d.p.pos] == ']' {
		d.p.pos++
		return
	}
	for i := 0; ; i++ {
		d.p.skipSpace()
		each(i)
		if d.stopped {
			return
		}
		d.p.skipSpace()
		c := d.p.data[d.p.pos]
		d.p.pos++ // , or ]
		if c == ']' {
			return
		}
	}
}

// members calls each for each member of the object at the current
// position, with its name and the name's offset, and moves past the
// object. each must move past the member's value.
func (d *decoder) members(each func(key string, keyOff int)) {
	d.p.pos++ // {
	d.p.skipSpace()
	if d.p.data[d.p.pos] == '}' {
		d.p.pos++
		return
	}
	for {
		d.p.skipSpace()
		keyOff := d.p.pos
		key := d.str()
		d.p.skipSpace()
		d.p.pos++ // :
		d.p.skipSpace()
		each(key, keyOff)
		if d.stopped {
			return
		}
		d.p.skipSpace()
		c := d.p.data[d.p.pos]
		d.p.pos++ // , or }
		if c == '}' {
			return
		}
	}
}

// tooMany records a list or map of n elements over limit (stated by the
// model, or else MaxListLength) at the current position.
func (d *decoder) tooMany(n, limit int, stated bool) {
	who := "the API allows"
	if !stated {
		who = "the decoder reads"
	}
	d.failf(d.p.pos, ErrTooMany, "%d elements, where %s at most %d: the first %d are kept", n, who, limit, limit)
}

func (d *decoder) array(rv reflect.Value, kind jsonKind, limit int) {
	if !d.want(kind, jsonArray, "array") {
		return
	}
	stated := limit > 0
	if !stated {
		limit = MaxListLength
	}
	n := d.count()
	keep := n
	if n > limit {
		d.tooMany(n, limit, stated)
		keep = limit
	}
	t := rv.Type()
	if !d.charge(int64(keep) * int64(t.Elem().Size())) {
		return
	}
	s := reflect.MakeSlice(t, keep, keep)
	d.elements(func(i int) {
		if i >= keep {
			d.skip()
			return
		}
		d.path = append(d.path, pathSeg{index: i})
		d.value(s.Index(i), 0)
		d.path = d.path[:len(d.path)-1]
	})
	rv.Set(s)
}

// mapEntryOverhead approximates what a map takes per entry beside its key
// and value.
const mapEntryOverhead = 16

func (d *decoder) mapValue(rv reflect.Value, kind jsonKind) {
	if !d.want(kind, jsonObject, "object") {
		return
	}
	n := d.count()
	keep := n
	if n > MaxListLength {
		d.tooMany(n, MaxListLength, false)
		keep = MaxListLength
	}
	t := rv.Type()
	if !d.charge(int64(keep) * int64(t.Key().Size()+t.Elem().Size()+mapEntryOverhead)) {
		return
	}
	m := reflect.MakeMapWithSize(t, keep)
	i := 0
	d.members(func(key string, _ int) {
		if i++; i > keep || !d.charge(int64(len(key))) {
			d.skip()
			return
		}
		d.path = append(d.path, pathSeg{key: key})
		val := reflect.New(t.Elem()).Elem()
		d.value(val, 0)
		m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), val)
		d.path = d.path[:len(d.path)-1]
	})
	rv.Set(m)
}

// object binds an object's members to a struct's fields, and those named
// in extra, which belong to the caller, to its values.
func (d *decoder) object(rv reflect.Value, kind jsonKind, extra map[string]reflect.Value) {
	if !d.want(kind, jsonObject, "object") {
		return
	}
	info := fieldsOf(rv.Type())
	d.members(func(key string, keyOff int) {
		d.path = append(d.path, pathSeg{key: key})
		if v, ok := extra[key]; ok {
			d.value(v, 0)
		} else if f, ok := info[key]; ok {
			d.value(rv.Field(f.index), f.limit)
		} else {
			d.skip()
			d.unknown(key, keyOff)
		}
		d.path = d.path[:len(d.path)-1]
	})
}

func (d *decoder) unknown(key string, keyOff int) {
	if d.lenient {
		if d.skippedOut != nil {
			p := d.pathString()
			if d.charge(int64(len(p)) + 16) {
				*d.skippedOut = append(*d.skippedOut, p)
			}
		}
		return
	}
	d.fail(keyOff, ErrUnknownField, func() string { return fmt.Sprintf("unknown field %q", key) })
}

// describeValue names a value of kind whose text is raw, for an error.
func describeValue(kind jsonKind, raw []byte) string {
	switch kind {
	case jsonString:
		p := jsonParser{data: raw}
		s, err := p.str()
		if err != nil {
			return "string"
		}
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return "string " + strconv.Quote(s)
	case jsonNumber:
		return "number " + string(raw)
	case jsonBool:
		return "boolean " + strconv.FormatBool(raw[0] == 't')
	}
	return kind.String()
}

// fieldInfo is what the decoder knows of one member of a struct.
type fieldInfo struct {
	index int // of the field
	limit int // the model's bound on the member's list, 0 for none
}

// fieldCache maps a struct type to its JSON member names and field indexes.
// Like encoding/json's cache, it only grows, with values derived from types.
var fieldCache sync.Map // reflect.Type -> map[string]fieldInfo

func fieldsOf(t reflect.Type) map[string]fieldInfo {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]fieldInfo)
	}
	limits := modelListLimits[t]
	m := make(map[string]fieldInfo, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = fieldInfo{index: i, limit: limits[name]}
		}
	}
	fieldCache.Store(t, m)
	return m
}
