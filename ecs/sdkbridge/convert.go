package sdkbridge

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecscore/ecscore/ecs"
)

// Convert returns src, a value of an ecs shape or of an SDK shape (or a
// pointer to one), as a T, its counterpart on the other side. A member of
// src that is set and has no counterpart in T, or whose value T cannot
// hold (a number out of range), is an error that names it; so is a T that
// src cannot become at all.
//
// The SDK's document members (lifecycle hooks' hookDetails) are not
// modelled by the ecs types: an ecs value leaves them nil, and an SDK
// value that sets one is such an error.
func Convert[T any](src any, optFns ...func(*Options)) (T, error) {
	var out T
	if src == nil {
		return out, nil
	}
	c := &converter{}
	for _, f := range optFns {
		if f != nil {
			f(&c.o)
		}
	}
	err := c.convert(reflect.ValueOf(&out).Elem(), reflect.ValueOf(src), reflect.TypeOf(src).String())
	return out, err
}

// Options change how Convert converts. The zero value converts strictly:
// a set member with no counterpart is an error.
type Options struct {
	// Lenient skips a set member that has no counterpart (a member the
	// SDK has and the library's API model does not yet, say) instead of
	// failing.
	Lenient bool
	// Skipped, when not nil, receives the path of each member a lenient
	// conversion skipped.
	Skipped *[]string
}

// Lenient is the option that sets Options.Lenient.
func Lenient(o *Options) {
	if o != nil {
		o.Lenient = true
	}
}

// converter is one conversion.
type converter struct{ o Options }

// skip skips the member at path, or refuses it with err when not lenient.
func (c *converter) skip(path string, err error) error {
	if !c.o.Lenient {
		return err
	}
	if c.o.Skipped != nil {
		*c.o.Skipped = append(*c.o.Skipped, path)
	}
	return nil
}

// ContainerInstances converts the container instances of a
// DescribeContainerInstances output.
func ContainerInstances(list []types.ContainerInstance) ([]ecs.ContainerInstance, error) {
	return Convert[[]ecs.ContainerInstance](list)
}

// Tasks converts the tasks of a DescribeTasks output.
func Tasks(list []types.Task) ([]ecs.Task, error) { return Convert[[]ecs.Task](list) }

// Services converts the services of a DescribeServices output.
func Services(list []types.Service) ([]ecs.Service, error) { return Convert[[]ecs.Service](list) }

// TaskDefinition converts the task definition of a DescribeTaskDefinition
// output; nil gives nil.
func TaskDefinition(td *types.TaskDefinition) (*ecs.TaskDefinition, error) {
	if td == nil {
		return nil, nil
	}
	return Convert[*ecs.TaskDefinition](td)
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	ecsTimeType = reflect.TypeFor[ecs.Time]()
)

// convert sets dst, which is zero, to src; path names src in errors.
func (c *converter) convert(dst, src reflect.Value, path string) error {
	for src.Kind() == reflect.Pointer || src.Kind() == reflect.Interface {
		if src.IsNil() {
			return nil
		}
		src = src.Elem()
	}
	if dst.Kind() == reflect.Pointer {
		if src.IsZero() && !isStructLike(src) {
			return nil // an unset member: the SDK leaves it nil
		}
		p := reflect.New(dst.Type().Elem())
		if err := c.convert(p.Elem(), src, path); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	st, dt := src.Type(), dst.Type()
	switch {
	case dt.Kind() == reflect.Interface && st.Kind() == reflect.Struct && st.NumField() == 0:
		return nil // an ecs document member, which holds nothing
	case st == dt:
		dst.Set(src)
		return nil
	case (st == timeType || st == ecsTimeType) && (dt == timeType || dt == ecsTimeType):
		t := src.Interface()
		if et, ok := t.(ecs.Time); ok {
			t = et.Time
		}
		if dt == ecsTimeType {
			dst.Set(reflect.ValueOf(ecs.NewTime(t.(time.Time))))
		} else {
			dst.Set(reflect.ValueOf(t))
		}
		return nil
	}
	switch {
	case st.Kind() == reflect.Struct && dt.Kind() == reflect.Struct:
		return c.convertStruct(dst, src, path)
	case st.Kind() == reflect.Slice && dt.Kind() == reflect.Slice:
		if src.IsNil() {
			return nil
		}
		out := reflect.MakeSlice(dt, src.Len(), src.Len())
		for i := range src.Len() {
			if err := c.convert(out.Index(i), src.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(out)
		return nil
	case st.Kind() == reflect.Map && dt.Kind() == reflect.Map && st.Key().Kind() == reflect.String && dt.Key().Kind() == reflect.String:
		if src.IsNil() {
			return nil
		}
		out := reflect.MakeMapWithSize(dt, src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(dt.Elem()).Elem()
			if err := c.convert(v, it.Value(), path+"."+it.Key().String()); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(it.Key().String()).Convert(dt.Key()), v)
		}
		dst.Set(out)
		return nil
	case st.Kind() == reflect.String && dt.Kind() == reflect.String:
		dst.SetString(src.String())
		return nil
	case st.Kind() == reflect.Bool && dt.Kind() == reflect.Bool:
		dst.SetBool(src.Bool())
		return nil
	case isInt(st.Kind()) && isInt(dt.Kind()):
		if dst.OverflowInt(src.Int()) {
			return fmt.Errorf("sdkbridge: %s: %d does not fit a %s", path, src.Int(), dt)
		}
		dst.SetInt(src.Int())
		return nil
	case isFloat(st.Kind()) && isFloat(dt.Kind()):
		dst.SetFloat(src.Float())
		return nil
	}
	return c.skip(path, fmt.Errorf("sdkbridge: %s: a %s cannot become a %s", path, st, dt))
}

// convertStruct carries each set member of src to dst's member of the same
// API name.
func (c *converter) convertStruct(dst, src reflect.Value, path string) error {
	dm := members(dst.Type())
	sm := members(src.Type())
	for i := range src.NumField() {
		f := src.Type().Field(i)
		key := apiName(f)
		si, ok := sm[key]
		if !ok || si[0] != i {
			continue // unexported, or not API data
		}
		sv := src.Field(i)
		if sv.IsZero() {
			continue
		}
		di, ok := dm[key]
		if !ok {
			p := path + "." + f.Name
			if err := c.skip(p, fmt.Errorf("sdkbridge: %s is set, and %s has no such member", p, dst.Type())); err != nil {
				return err
			}
			continue
		}
		if err := c.convert(dst.FieldByIndex(di), sv, path+"."+src.Type().FieldByIndex(si).Name); err != nil {
			return err
		}
	}
	return nil
}

// memberCache holds members' results by type.
var memberCache sync.Map // reflect.Type → map[string][]int

// members returns the exported members of struct type t that carry API
// data, by their API name folded to lower case: an ecs type's JSON name,
// an SDK type's field name. The SDK's ResultMetadata is not one.
func members(t reflect.Type) map[string][]int {
	if m, ok := memberCache.Load(t); ok {
		return m.(map[string][]int)
	}
	m := map[string][]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "ResultMetadata" {
			continue
		}
		m[apiName(f)] = f.Index
	}
	memberCache.Store(t, m)
	return m
}

// apiName returns the API name of a member, folded to lower case: an ecs
// type's JSON name, an SDK type's field name.
func apiName(f reflect.StructField) string {
	name := f.Name
	if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" && tag != "-" {
		name = tag
	}
	return strings.ToLower(name)
}

// isStructLike reports whether v is a struct, whose zero value may still
// be worth a pointer (an empty configuration block).
func isStructLike(v reflect.Value) bool {
	return v.Kind() == reflect.Struct && v.Type() != timeType && v.Type() != ecsTimeType
}

func isInt(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func isFloat(k reflect.Kind) bool { return k == reflect.Float32 || k == reflect.Float64 }
