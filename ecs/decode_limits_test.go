package ecs

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// repeat returns n copies of elem joined by commas.
func repeat(elem string, n int) string {
	return strings.TrimSuffix(strings.Repeat(elem+",", n), ",")
}

func tagsJSON(n int) string {
	tags := make([]string, n)
	for i := range tags {
		tags[i] = `{"key":"k` + strconv.Itoa(i) + `","value":"v"}`
	}
	return "[" + strings.Join(tags, ",") + "]"
}

func TestDecodeListsErrorsCapped(t *testing.T) {
	var req DescribeTasksRequest
	err := Unmarshal([]byte(`{"tasks":[`+repeat("1", 1000)+`]}`), &req)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	require.Len(t, de.Errors, MaxDecodeErrors)
	require.Equal(t, 1000-MaxDecodeErrors, de.More)
	require.True(t, strings.HasSuffix(err.Error(), "; and 900 more"), err.Error())
	require.Equal(t, "tasks[99]: expected string, got number 1", de.Errors[99].Error())
	require.Equal(t, 1, de.Errors[99].Line)
	require.Equal(t, len(`{"tasks":[`)+2*99+1, de.Errors[99].Column)
	require.Len(t, req.Tasks, 1000, "the list keeps its length, with the wrong elements unset")
}

func TestDecodeListLimits(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		into any
		kept func(v any) int // elements of the limited list kept
		want int
		err  string // the field error's text; "" for none
	}{
		{name: "a request's tags: the model's 50", doc: `{"clusterName":"c","tags":` + tagsJSON(51) + `}`, into: &CreateClusterRequest{},
			kept: func(v any) int { return len(v.(*CreateClusterRequest).Tags) }, want: 50,
			err: "tags: 51 elements, where the API allows at most 50: the first 50 are kept"},
		{name: "50 tags are fine", doc: `{"tags":` + tagsJSON(50) + `}`, into: &RunTaskRequest{},
			kept: func(v any) int { return len(v.(*RunTaskRequest).Tags) }, want: 50},
		{name: "a described cluster's tags, aws: ones among them, are not bounded by the model", doc: `{"clusterName":"c","tags":` + tagsJSON(60) + `}`, into: &Cluster{},
			kept: func(v any) int { return len(v.(*Cluster).Tags) }, want: 60},
		{name: "allowed instance types: 400", doc: `{"allowedInstanceTypes":[` + repeat(`"m5.*"`, 401) + `]}`, into: &InstanceRequirementsRequest{},
			kept: func(v any) int { return len(v.(*InstanceRequirementsRequest).AllowedInstanceTypes) }, want: 400,
			err: "allowedInstanceTypes: 401 elements, where the API allows at most 400: the first 400 are kept"},
		{name: "a list the model does not bound: MaxListLength", doc: `{"tasks":[` + repeat(`""`, MaxListLength+1) + `]}`, into: &DescribeTasksRequest{},
			kept: func(v any) int { return len(v.(*DescribeTasksRequest).Tasks) }, want: MaxListLength,
			err: "tasks: 100001 elements, where the decoder reads at most 100000: the first 100000 are kept"},
		{name: "a map: MaxListLength", doc: `{"dockerLabels":{` + mapJSON(MaxListLength+1) + `}}`, into: &ContainerDefinition{},
			kept: func(v any) int { return len(v.(*ContainerDefinition).DockerLabels) }, want: MaxListLength,
			err: "dockerLabels: 100001 elements, where the decoder reads at most 100000: the first 100000 are kept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Unmarshal([]byte(tt.doc), tt.into)
			require.Equal(t, tt.want, tt.kept(tt.into))
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			require.Len(t, de.Errors, 1)
			require.Equal(t, tt.err, de.Errors[0].Error())
			require.ErrorIs(t, err, ErrTooMany)
		})
	}
}

func mapJSON(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"l` + strconv.Itoa(i) + `":"v"`)
	}
	return b.String()
}

// hostileDocuments are documents of about size bytes made to cost a
// decoder the most memory or work per byte, with what they decode into.
func hostileDocuments(size int) []struct {
	name string
	doc  []byte
	into func() any
} {
	fill := func(prefix, elem, suffix string) []byte {
		n := (size - len(prefix) - len(suffix)) / (len(elem) + 1)
		return []byte(prefix + repeat(elem, n) + suffix)
	}
	return []struct {
		name string
		doc  []byte
		into func() any
	}{
		{"wrong-typed list elements", fill(`{"tasks":[`, `1`, `]}`), func() any { return new(DescribeTasksRequest) }},
		{"empty objects into large structs", fill(`{"family":"f","containerDefinitions":[`, `{}`, `]}`), func() any { return new(RegisterTaskDefinitionRequest) }},
		{"nulls into large structs", fill(`{"family":"f","containerDefinitions":[`, `null`, `]}`), func() any { return new(RegisterTaskDefinitionRequest) }},
		{"empty lists into lists of lists", fill(`{"containerDefinitions":[{"name":"a","command":[`, `[]`, `]}]}`), func() any { return new(RegisterTaskDefinitionRequest) }},
		{"unknown members", fill(`{`, `"a":1`, `}`), func() any { return new(RunTaskRequest) }},
		{"wrong-typed members", fill(`{`, `"cluster":1`, `}`), func() any { return new(RunTaskRequest) }},
		{"escaped strings", []byte(`{"cluster":"` + strings.Repeat(`\u00e9`, size/6) + `"}`), func() any { return new(RunTaskRequest) }},
		{"short strings", fill(`{"tasks":[`, `""`, `]}`), func() any { return new(DescribeTasksRequest) }},
		{"nesting", []byte(strings.Repeat(`{"overrides":`, 150) + "{}" + strings.Repeat("}", 150)), func() any { return new(RunTaskRequest) }},
		{"map members", fill(`{"containerDefinitions":[{"dockerLabels":{`, `"":""`, `}}]}`), func() any { return new(RegisterTaskDefinitionRequest) }},
	}
}

// TestDecodeMemoryIsBounded checks that no document, however made,
// makes the decoder allocate more than decodeBudgetFactor times its
// size (or the floor), nor list more than MaxDecodeErrors errors.
func TestDecodeMemoryIsBounded(t *testing.T) {
	const size = 1 << 20
	for _, h := range hostileDocuments(size) {
		t.Run(h.name, func(t *testing.T) {
			v := h.into()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := Unmarshal(h.doc, v)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			bound := uint64(max(decodeBudgetFloor, decodeBudgetFactor*len(h.doc)))
			require.LessOrEqual(t, allocated, bound+bound/4, "%d bytes allocated for a document of %d", allocated, len(h.doc))
			var de *DecodeError
			if errors.As(err, &de) {
				require.LessOrEqual(t, len(de.Errors), MaxDecodeErrors)
			}
			t.Logf("%d bytes allocated, %.1f times the document; %v", allocated, float64(allocated)/float64(len(h.doc)), errSummary(err))
		})
	}
}

func errSummary(err error) string {
	var de *DecodeError
	if !errors.As(err, &de) {
		return "no field error"
	}
	return strconv.Itoa(len(de.Errors)+de.More) + " field errors, the first " + de.Errors[0].Error()
}

func TestDecodeBudget(t *testing.T) {
	doc := []byte(`{"family":"f","containerDefinitions":[` + repeat("{}", 50_000) + `]}`)
	var req RegisterTaskDefinitionRequest
	err := Unmarshal(doc, &req)
	require.ErrorIs(t, err, ErrTooLarge)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	require.Len(t, de.Errors, 1)
	require.Equal(t, "containerDefinitions", de.Errors[0].Path)
	require.Contains(t, de.Errors[0].Msg, "it was read no further")
	require.Equal(t, "f", req.Family, "what came before is kept")
	require.Nil(t, req.ContainerDefinitions)
}

// BenchmarkDecodeHostile reports the bytes a hostile document of 1 MiB
// makes the decoder allocate, per byte of the document.
func BenchmarkDecodeHostile(b *testing.B) {
	for _, h := range hostileDocuments(1 << 20) {
		b.Run(strings.ReplaceAll(h.name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(h.doc)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				_ = Unmarshal(h.doc, h.into())
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(h.doc)), "alloc-bytes/doc-byte")
		})
	}
}

// TestModelListLimits checks modelListLimits against the API model: each
// bound is the model's, on a shape a request carries, and every list the
// model bounds in a shape of api_types.go that a request carries has its
// bound.
func TestModelListLimits(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "aws-ecs-api", "service-2.json"))
	if err != nil {
		t.Skipf("the API model is not beside the module: %v", err)
	}
	var model struct {
		Operations map[string]struct {
			Input struct{ Shape string }
		}
		Shapes map[string]struct {
			Type    string
			Max     *float64
			Member  struct{ Shape string }
			Key     struct{ Shape string }
			Value   struct{ Shape string }
			Members map[string]struct{ Shape string }
		}
	}
	require.NoError(t, json.Unmarshal(data, &model))
	reach := func(roots []string) map[string]bool {
		seen := map[string]bool{}
		var walk func(string)
		walk = func(name string) {
			if name == "" || seen[name] {
				return
			}
			seen[name] = true
			s := model.Shapes[name]
			walk(s.Member.Shape)
			walk(s.Key.Shape)
			walk(s.Value.Shape)
			for _, m := range s.Members {
				walk(m.Shape)
			}
		}
		for _, r := range roots {
			walk(r)
		}
		return seen
	}
	var inputs []string
	for _, op := range model.Operations {
		inputs = append(inputs, op.Input.Shape)
	}
	inInput := reach(inputs)

	for typ, members := range modelListLimits {
		shape, ok := model.Shapes[typ.Name()]
		require.True(t, ok, "no shape %s", typ.Name())
		for member, limit := range members {
			list := model.Shapes[shape.Members[member].Shape]
			require.NotNil(t, list.Max, "%s.%s", typ.Name(), member)
			require.Equal(t, int(*list.Max), limit, "%s.%s", typ.Name(), member)
			require.True(t, inInput[typ.Name()], "%s is a request's", typ.Name())
		}
	}

	// Every shape of api_types.go that a request reaches has its
	// model's bounds in the table.
	file, err := parser.ParseFile(token.NewFileSet(), "api_types.go", nil, parser.SkipObjectResolution)
	require.NoError(t, err)
	inTable := map[string]map[string]int{}
	for typ, members := range modelListLimits {
		inTable[typ.Name()] = members
	}
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.TYPE {
			continue
		}
		for _, spec := range gen.Specs {
			name := spec.(*ast.TypeSpec).Name.Name
			if !inInput[name] {
				continue
			}
			for member, m := range model.Shapes[name].Members {
				if list := model.Shapes[m.Shape]; list.Type == "list" && list.Max != nil {
					require.Equal(t, int(*list.Max), inTable[name][member], "%s.%s: the model's bound", name, member)
				}
			}
		}
	}
}
