package ecs

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzCheckJSON checks that checkJSON, which the decoder reads a
// document's syntax with, accepts exactly what parseJSON (the tree of
// ValidateDocument) accepts, and refuses the rest with the same error.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x\u00e9\ud83d\ude00",true,false,null]}`, `[`, `{"a" 1}`, `"\ud800"`, `01`, `1.`, `{"a":1,}`, "\"\x01\"", `[1] x`, `"\q"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, treeErr := parseJSON(data)
		checkErr := checkJSON(data)
		if (treeErr == nil) != (checkErr == nil) || (treeErr != nil && treeErr.Error() != checkErr.Error()) {
			t.Fatalf("parseJSON: %v; checkJSON: %v", treeErr, checkErr)
		}
	})
}

// FuzzUnmarshalRequest decodes arbitrary documents into request shapes:
// no input may panic; an error is a *SyntaxError, which leaves the value
// unchanged, or a *DecodeError listing at most MaxDecodeErrors errors, in
// document order, each with its position.
func FuzzUnmarshalRequest(f *testing.F) {
	for _, s := range []string{
		`{"family":"web","containerDefinitions":[{"name":"a","image":"i","memory":"512","portMappings":[{"containerPort":80}]}],"tags":[{"key":"k","value":"v"}]}`,
		`{"cluster":"c","taskDefinition":"web:1","count":3,"overrides":{"containerOverrides":[{"name":"a","environment":[{"name":"X","value":"1"}]}]}}`,
		`{"tasks":[1,"a",null,{}],"include":["TAGS"]}`,
		`{"capacityProvider":"cp","autoScalingGroupProvider":{"managedScaling":{"status":"ENABLED","targetCapacity":1e2}}}`,
	} {
		f.Add([]byte(s))
	}
	types := []reflect.Type{
		reflect.TypeFor[RegisterTaskDefinitionRequest](), reflect.TypeFor[RunTaskRequest](),
		reflect.TypeFor[DescribeTasksRequest](), reflect.TypeFor[CreateServiceRequest](),
		reflect.TypeFor[CreateCapacityProviderRequest](), reflect.TypeFor[RegisterContainerInstanceRequest](),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range types {
			v := reflect.New(typ)
			err := Unmarshal(data, v.Interface())
			var se *SyntaxError
			if errors.As(err, &se) {
				if !v.Elem().IsZero() {
					t.Fatalf("%s: a syntax error, yet a value", typ)
				}
				continue
			}
			var de *DecodeError
			if err == nil {
				continue
			}
			if !errors.As(err, &de) {
				t.Fatalf("%s: an error neither *SyntaxError nor *DecodeError: %T %v", typ, err, err)
			}
			if len(de.Errors) == 0 || len(de.Errors) > MaxDecodeErrors || de.More < 0 || (de.More > 0 && len(de.Errors) != MaxDecodeErrors) {
				t.Fatalf("%s: %d errors listed and %d more", typ, len(de.Errors), de.More)
			}
			for i, fe := range de.Errors {
				if fe.Line < 1 || fe.Column < 1 || fe.Offset < 0 || fe.Offset > len(data) {
					t.Fatalf("%s: error %v at line %d, column %d, offset %d", typ, fe, fe.Line, fe.Column, fe.Offset)
				}
				if i > 0 && fe.Offset < de.Errors[i-1].Offset {
					t.Fatalf("%s: errors out of document order: %v", typ, de)
				}
			}
		}
	})
}
