package ecstest

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// leaf is a member of a filled request that checkModel must check.
type leaf struct {
	path string
	v    reflect.Value
}

// filler fills a request: every string member with a value (an enum's
// first), every list with one element, every structure allocated; it
// records the enum members and the nested required members.
type filler struct {
	enums, required []leaf
}

func (f *filler) fill(v reflect.Value, path string, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), path, depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		f.fill(v.Index(0), path+".1.member", depth+1)
	case reflect.String:
		v.SetString("x")
		if v.Type().Implements(enumType) {
			v.Set(v.MethodByName("Values").Call(nil)[0].Index(0))
			f.enums = append(f.enums, leaf{path, v})
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "" || name == "-" {
				continue
			}
			p := name
			if path != "" {
				p = path + "." + name
			}
			f.fill(v.Field(i), p, depth+1)
			if path != "" && sf.Tag.Get("ecs") == "required" && absentable(v.Field(i)) {
				f.required = append(f.required, leaf{p, v.Field(i)})
			}
		}
	}
}

func absentable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Pointer:
		return true
	}
	return false
}

// TestModelConstraints checks checkModel against the model, over the
// request of every operation the ECS's Go API serves (every method named
// after an operation of the model that takes its request): a request
// with every member given, every enum member a value of the model, is
// let through; each enum member given a value outside the model, and
// each required member of a nested structure left out, is refused with
// an InvalidParameterException naming the member by its wire path.
// RegisterTaskDefinition is left to the task definition's validation.
func TestModelConstraints(t *testing.T) {
	et := reflect.TypeFor[*ECS]()
	served := 0
	for _, op := range modelOperations() {
		m, ok := et.MethodByName(op)
		if !ok || m.Type.NumIn() != 3 || m.Type.In(2).Kind() != reflect.Pointer || m.Type.In(2).Elem().Name() != op+"Request" {
			continue
		}
		served++
		if op == "RegisterTaskDefinition" {
			continue
		}
		t.Run(op, func(t *testing.T) {
			req := reflect.New(m.Type.In(2).Elem())
			var f filler
			f.fill(req.Elem(), "", 0)
			require.NoError(t, checkModel(req.Interface()), "a request of the model's values")
			for _, l := range f.enums {
				old := l.v.String()
				l.v.SetString("BOGUS")
				err := checkModel(req.Interface())
				require.ErrorContains(t, err, "Value 'BOGUS' at '"+l.path+"' failed to satisfy constraint: Member must satisfy enum value set: [", "enum member %s", l.path)
				l.v.SetString(old)
			}
			for _, l := range f.required {
				old := reflect.ValueOf(l.v.Interface())
				l.v.Set(reflect.Zero(l.v.Type()))
				err := checkModel(req.Interface())
				require.ErrorContains(t, err, "Value null at '"+l.path+"' failed to satisfy constraint: Member must not be null", "required member %s", l.path)
				l.v.Set(old)
			}
		})
	}
	require.Greater(t, served, 40, "the operations the Go API serves")
	require.True(t, slices.Contains(modelOperations(), "RunTask"))
}
