package ecstest

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// enum is what the generated enum types of the ecs package have: whether
// a value is one the API model defines.
type enum interface{ Known() bool }

var enumType = reflect.TypeFor[enum]()

// beyondModel are enum values ECS takes that the model no longer lists:
// the logentries log driver, which the task definition's validation
// takes too (ecs/rules_members.go).
var beyondModel = map[reflect.Type][]string{
	reflect.TypeFor[ecs.LogDriver](): {"logentries"},
}

// checkModel refuses a request that breaks a constraint of the API model
// itself, as the API's front end refuses it before the operation runs:
// an InvalidParameterException with the front end's validation message,
// naming the member by its wire path (list elements count from 1:
// "capacityProviderStrategy.1.member.capacityProvider"). Two constraints
// are checked here, driven by the generated types so that every served
// operation's every member is covered, nested ones too:
//
//   - a member of an enum shape whose value the model does not define
//     (launchType "EC3", propagateTags "ALL"; an empty value is an absent
//     member);
//   - a required member of a nested structure that is absent
//     (capacityProviderStrategy[].capacityProvider, tags[].key,
//     volumeConfigurations[].name, ...). The operations check their own
//     top-level required members, in ECS's words for each.
//
// RegisterTaskDefinition is left to the task definition's own validation
// (ecs.Registry), which accepts what ECS accepts beyond the model (the
// logentries log driver) and answers in ECS's words for it.
func checkModel(req any) error {
	if _, td := req.(*ecs.RegisterTaskDefinitionRequest); td {
		return nil
	}
	return walkModel(reflect.ValueOf(req), "")
}

func walkModel(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return walkModel(v.Elem(), path)
	case reflect.String:
		if v.Len() > 0 && v.Type().Implements(enumType) && !v.Interface().(enum).Known() && !slices.Contains(beyondModel[v.Type()], v.String()) {
			return invalidEnum(v, path)
		}
	case reflect.Slice:
		for i := range v.Len() {
			if err := walkModel(v.Index(i), path+"."+strconv.Itoa(i+1)+".member"); err != nil {
				return err
			}
		}
	case reflect.Struct:
		return walkStruct(v, path)
	}
	return nil
}

func walkStruct(v reflect.Value, path string) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		p := name
		if path != "" {
			p = path + "." + name
		}
		fv := v.Field(i)
		if path != "" && f.Tag.Get("ecs") == "required" && absent(fv) {
			return invalidParameter("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", p)
		}
		if err := walkModel(fv, p); err != nil {
			return err
		}
	}
	return nil
}

// absent reports whether a member decoded as v was left out of the
// request: an empty string, a nil list or structure. An unboxed number or
// boolean cannot tell, and counts as present.
func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return v.Len() == 0
	case reflect.Slice, reflect.Pointer, reflect.Map:
		return v.IsNil()
	}
	return false
}

// invalidEnum is the front end's message for a value outside an enum.
func invalidEnum(v reflect.Value, path string) error {
	values := v.MethodByName("Values").Call(nil)[0]
	set := make([]string, values.Len())
	for i := range set {
		set[i] = values.Index(i).String()
	}
	return invalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		v.String(), path, strings.Join(set, ", "))
}
