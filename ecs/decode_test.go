package ecs

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// validTaskDefinitionFixtures are task definition documents that decode
// without a field error.
var validTaskDefinitionFixtures = []string{
	"nginx-awsvpc-healthcheck.json",
	"devopsdays-two-containers.json",
	"register-task-definition-skeleton.json",
	"api-examples/register-task-definition-1-input.json",
	"api-examples/register-task-definition-1-output.json",
	"api-examples/describe-task-definition-1-output.json",
}

func TestDecodeTaskDefinitionRoundTrip(t *testing.T) {
	for _, name := range validTaskDefinitionFixtures {
		t.Run(name, func(t *testing.T) {
			td, tags, err := DecodeTaskDefinition(readTestdata(t, name))
			require.NoError(t, err)
			require.NotEmpty(t, td.ContainerDefinitions)

			type doc struct {
				TD   *TaskDefinition
				Tags []Tag
			}
			first := doc{td, tags}
			data, err := Marshal(td)
			require.NoError(t, err)
			td2, _, err := DecodeTaskDefinition(data)
			require.NoError(t, err, "re-decoding %s", data)
			if diff := cmp.Diff(first.TD, td2); diff != "" {
				t.Errorf("decode→encode→decode changed the task definition (-first +second):\n%s", diff)
			}
		})
	}
}

func TestDecodeSkeletonKnowsEveryMember(t *testing.T) {
	// The aws CLI's skeleton lists every input member of
	// register-task-definition; strict decoding must know all of them.
	td, tags, err := DecodeTaskDefinition(readTestdata(t, "register-task-definition-skeleton.json"))
	require.NoError(t, err)
	require.Len(t, tags, 1)
	c := td.ContainerDefinitions[0]
	require.NotNil(t, c.Memory)
	require.Equal(t, 0, *c.Memory, "a boxed 0 stays a 0, not absent")
	require.NotNil(t, c.PortMappings[0].HostPort)
	require.NotNil(t, td.RuntimePlatform)
	require.NotNil(t, td.EphemeralStorage)
}

func TestDecodeDescribeOutputs(t *testing.T) {
	files, err := filepath.Glob("testdata/api-examples/describe-*-output.json")
	require.NoError(t, err)
	files = append(files, "testdata/describe-container-instances-small-cluster.json")
	for _, path := range files {
		name := strings.TrimPrefix(path, "testdata/")
		t.Run(name, func(t *testing.T) {
			data := readTestdata(t, name)
			var n int
			switch {
			case strings.Contains(name, "container-instances"):
				cis, _, err := DecodeContainerInstances(data)
				require.NoError(t, err)
				n = len(cis)
				roundTrip(t, cis, &[]ContainerInstance{})
			case strings.Contains(name, "describe-tasks"):
				tasks, _, err := DecodeTasks(data)
				require.NoError(t, err)
				n = len(tasks)
				roundTrip(t, tasks, &[]Task{})
			case strings.Contains(name, "describe-services"):
				svcs, _, err := DecodeServices(data)
				require.NoError(t, err)
				n = len(svcs)
				roundTrip(t, svcs, &[]Service{})
			case strings.Contains(name, "describe-clusters"):
				var out struct {
					Clusters []Cluster `json:"clusters"`
					Failures []Failure `json:"failures"`
				}
				require.NoError(t, Unmarshal(data, &out))
				n = len(out.Clusters)
			case strings.Contains(name, "describe-task-definition"):
				td, _, err := DecodeTaskDefinition(data)
				require.NoError(t, err)
				n = len(td.ContainerDefinitions)
			default:
				t.Fatalf("no decoder for %s", name)
			}
			require.Positive(t, n)
		})
	}
}

// roundTrip checks that v encodes and decodes back to an equal value.
func roundTrip[T any](t *testing.T, v T, into *T) {
	t.Helper()
	data, err := Marshal(v)
	require.NoError(t, err)
	require.NoError(t, Unmarshal(data, into))
	if diff := cmp.Diff(v, *into); diff != "" {
		t.Errorf("round trip changed the value (-before +after):\n%s", diff)
	}
}

func TestDecodeBrokenFixturesReportEveryError(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"application-stack-bridge-links.json", []string{
			`containerDefinitions[0].memory: expected integer, got string "256"`,
			`containerDefinitions[0].cpu: expected integer, got string "256"`,
			`containerDefinitions[0].portMappings[0].containerPort: expected integer, got string "80"`,
			`containerDefinitions[1].memory: expected integer, got string "256"`,
			`containerDefinitions[1].cpu: expected integer, got string "256"`,
		}},
		{"devopsdays-task-and-container-sizes.json", []string{
			`containerDefinitions[0].cpu: expected integer, got string "256"`,
			`containerDefinitions[0].memoryReservation: expected integer, got string "512"`,
			`containerDefinitions[1].cpu: expected integer, got string "768"`,
			`containerDefinitions[1].memoryReservation: expected integer, got string "512"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			td, _, err := DecodeTaskDefinition(readTestdata(t, tt.file))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			var got []string
			for _, fe := range de.Errors {
				got = append(got, fe.Error())
				require.ErrorIs(t, fe, ErrWrongType)
				require.Positive(t, fe.Line)
				require.Positive(t, fe.Column)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			require.Len(t, td.ContainerDefinitions, 2, "the rest of the document is still decoded")
			require.NotEmpty(t, td.ContainerDefinitions[1].Name)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // FieldError strings, in order
		kind error
	}{
		{
			name: "unknown field names its full path",
			doc:  `{"family":"f","containerDefinitions":[{"name":"a","portMappings":[{"containerPort":80},{"hostPrt":8080}]}]}`,
			want: []string{`containerDefinitions[0].portMappings[1].hostPrt: unknown field "hostPrt"`},
			kind: ErrUnknownField,
		},
		{
			name: "member names are case-sensitive",
			doc:  `{"Family":"f","containerDefinitions":[]}`,
			want: []string{`Family: unknown field "Family"`},
			kind: ErrUnknownField,
		},
		{
			name: "fraction where the API wants an integer",
			doc:  `{"containerDefinitions":[{"memory":512.5}]}`,
			want: []string{`containerDefinitions[0].memory: expected integer, got number 512.5`},
			kind: ErrWrongType,
		},
		{
			name: "integer out of the API's 32-bit range",
			doc:  `{"containerDefinitions":[{"memory":4294967296}]}`,
			want: []string{`containerDefinitions[0].memory: integer 4294967296 is out of range`},
			kind: ErrBadValue,
		},
		{
			name: "object where a list belongs, and a bool where a string belongs",
			doc:  `{"containerDefinitions":{"name":"a"},"family":true}`,
			want: []string{`containerDefinitions: expected array, got object`, `family: expected string, got boolean true`},
			kind: ErrWrongType,
		},
		{
			name: "timestamp that is not RFC 3339",
			doc:  `{"containerDefinitions":[],"registeredAt":"yesterday"}`,
			want: []string{`registeredAt: timestamp "yesterday": not an RFC 3339 timestamp`},
			kind: ErrBadValue,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DecodeTaskDefinition([]byte(tt.doc))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			var got []string
			for _, fe := range de.Errors {
				got = append(got, fe.Error())
			}
			require.Equal(t, tt.want, got)
			require.ErrorIs(t, err, tt.kind)
		})
	}
}

func TestDecodeErrorPosition(t *testing.T) {
	doc := "{\n  \"family\": \"f\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\", \"cpu\": \"256\"}\n  ]\n}"
	_, _, err := DecodeTaskDefinition([]byte(doc))
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, 4, fe.Line)
	require.Equal(t, 26, fe.Column)
}

func TestDecodeSyntaxError(t *testing.T) {
	tests := []struct {
		doc        string
		line, col  int
		msgContain string
	}{
		{"{\n  \"family\": \"f\",\n  \"cpu\": 256,,\n}", 3, 14, "expected a member name"},
		{`{"family": "f"`, 1, 15, "expected ',' or '}'"},
		{`{"family": 'f'}`, 1, 12, "expected a value"},
		{`{"family": "f"} x`, 1, 17, "after the document"},
		{strings.Repeat("[", 1000), 1, 201, "nesting deeper"},
	}
	for _, tt := range tests {
		td, _, err := DecodeTaskDefinition([]byte(tt.doc))
		var se *SyntaxError
		require.ErrorAs(t, err, &se, tt.doc)
		require.Nil(t, td)
		require.Equal(t, tt.line, se.Line, tt.doc)
		require.Equal(t, tt.col, se.Column, tt.doc)
		require.Contains(t, se.Msg, tt.msgContain)
	}
}

func TestDecodeLenient(t *testing.T) {
	doc := `{"family":"f","futureMember":{"x":1},"containerDefinitions":[{"name":"a","newThing":true}]}`
	var skipped []string
	td, _, err := DecodeTaskDefinition([]byte(doc), func(o *DecodeOptions) { o.Lenient, o.Skipped = true, &skipped })
	require.NoError(t, err)
	require.Equal(t, "f", td.Family)
	require.Equal(t, []string{"futureMember", "containerDefinitions[0].newThing"}, skipped)

	_, _, err = DecodeTaskDefinition([]byte(doc))
	require.ErrorIs(t, err, ErrUnknownField)
}

func TestDecodeForms(t *testing.T) {
	bare := `{"family":"web","containerDefinitions":[{"name":"a","image":"nginx","essential":false,"portMappings":[{"containerPort":80,"hostPort":0}]}],"tags":[{"key":"team","value":"x"}]}`
	wrapped := `{"taskDefinition":{"family":"web","containerDefinitions":[{"name":"a","image":"nginx","essential":false,"portMappings":[{"containerPort":80,"hostPort":0}]}]},"tags":[{"key":"team","value":"x"}]}`
	terraform := `[{"name":"a","image":"nginx","essential":false,"portMappings":[{"containerPort":80,"hostPort":0}]}]`

	want := &TaskDefinition{
		Family: "web",
		ContainerDefinitions: []ContainerDefinition{{
			Name: "a", Image: "nginx", Essential: ptr(false),
			PortMappings: []PortMapping{{ContainerPort: ptr(80), HostPort: ptr(0)}},
		}},
	}
	wantTags := []Tag{{Key: "team", Value: "x"}}
	for name, doc := range map[string]string{"bare": bare, "wrapped": wrapped} {
		td, tags, err := DecodeTaskDefinition([]byte(doc))
		require.NoError(t, err, name)
		require.Empty(t, cmp.Diff(want, td), name)
		require.Empty(t, cmp.Diff(wantTags, tags), name)
	}
	td, tags, err := DecodeTaskDefinition([]byte(terraform))
	require.NoError(t, err)
	require.Nil(t, tags)
	require.Empty(t, cmp.Diff(want.ContainerDefinitions, td.ContainerDefinitions))

	// essential false and hostPort 0 survive encoding: absent, 0 and false
	// stay distinct.
	out, err := Marshal(want)
	require.NoError(t, err)
	require.Contains(t, string(out), `"essential":false`)
	require.Contains(t, string(out), `"hostPort":0`)
	require.NotContains(t, string(out), `"memory"`)
}

func TestDecodeListForms(t *testing.T) {
	one := `{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/c/1","status":"ACTIVE"}`
	for _, doc := range []string{one, "[" + one + "]", `{"containerInstances":[` + one + `],"failures":[]}`} {
		cis, _, err := DecodeContainerInstances([]byte(doc))
		require.NoError(t, err, doc)
		require.Len(t, cis, 1)
		require.Equal(t, "ACTIVE", cis[0].Status)
	}
	_, failures, err := DecodeTasks([]byte(`{"tasks":[],"failures":[{"arn":"x","reason":"MISSING"}]}`))
	require.NoError(t, err)
	require.Equal(t, []Failure{{ARN: "x", Reason: "MISSING"}}, failures)
}

func TestTimestamps(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		out  string
	}{
		{`1763700000.123`, time.Date(2025, 11, 21, 4, 40, 0, 123e6, time.UTC), `1763700000.123`},
		{`1763700000`, time.Date(2025, 11, 21, 4, 40, 0, 0, time.UTC), `1763700000`},
		{`"2025-11-21T05:20:00.123000+00:00"`, time.Date(2025, 11, 21, 5, 20, 0, 123e6, time.UTC), `1763702400.123`},
		{`"2016-08-29T16:25:52.130Z"`, time.Date(2016, 8, 29, 16, 25, 52, 130e6, time.UTC), `1472487952.13`},
		{`"2026-01-02T03:04:05-02:00"`, time.Date(2026, 1, 2, 5, 4, 5, 0, time.UTC), `1767330245`},
	}
	for _, tt := range tests {
		var ci ContainerInstance
		require.NoError(t, Unmarshal([]byte(`{"registeredAt":`+tt.in+`}`), &ci), tt.in)
		require.True(t, tt.want.Equal(ci.RegisteredAt.Time), "%s: got %v", tt.in, ci.RegisteredAt)
		out, err := Marshal(ci)
		require.NoError(t, err)
		var members map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(out, &members))
		require.Equal(t, tt.out, string(members["registeredAt"]))
	}
	var unset ContainerInstance
	out, err := Marshal(unset)
	require.NoError(t, err)
	require.NotContains(t, string(out), "registeredAt", "an unset timestamp is left out")
}

func TestCircuitBreaker2026Members(t *testing.T) {
	doc := `{"services":[{"serviceName":"web","deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":false,"resetOnHealthyTask":false,"thresholdConfiguration":{"type":"UNBOUNDED_PERCENT","value":25}},"maximumPercent":200}}],"failures":[]}`
	svcs, _, err := DecodeServices([]byte(doc))
	require.NoError(t, err)
	cb := svcs[0].DeploymentConfiguration.DeploymentCircuitBreaker
	require.Equal(t, &DeploymentCircuitBreaker{
		Enable: true, Rollback: false, ResetOnHealthyTask: ptr(false),
		ThresholdConfiguration: &ThresholdConfiguration{Type: ThresholdTypeUnboundedPercent, Value: ptr(25)},
	}, cb)
	out, err := Marshal(cb)
	require.NoError(t, err)
	require.Equal(t, `{"enable":true,"rollback":false,"resetOnHealthyTask":false,"thresholdConfiguration":{"type":"UNBOUNDED_PERCENT","value":25}}`, string(out))
}

func TestUnknownEnumValueIsKept(t *testing.T) {
	td, _, err := DecodeTaskDefinition([]byte(`{"family":"f","networkMode":"overlay","containerDefinitions":[]}`))
	require.NoError(t, err)
	require.Equal(t, NetworkMode("overlay"), td.NetworkMode)
	require.False(t, td.NetworkMode.Known())
	require.True(t, NetworkModeAwsvpc.Known())
	out, err := Marshal(td)
	require.NoError(t, err)
	require.Contains(t, string(out), `"networkMode":"overlay"`)
}

func TestDecodeKeepsValuesAsWritten(t *testing.T) {
	doc := `{"family":"f","cpu":"","memory":"0.5GB","executionRoleArn":"arn:aws:iam::<aws_account_id>:role/x","containerDefinitions":[{"name":"a\u00e9\ud83d\ude00"}]}`
	td, _, err := DecodeTaskDefinition([]byte(doc))
	require.NoError(t, err)
	require.Equal(t, "", td.CPU)
	require.Equal(t, "0.5GB", td.Memory)
	require.Equal(t, "arn:aws:iam::<aws_account_id>:role/x", td.ExecutionRoleARN)
	require.Equal(t, "aé😀", td.ContainerDefinitions[0].Name)
	out, err := Marshal(td)
	require.NoError(t, err)
	require.Contains(t, string(out), `<aws_account_id>`, "no HTML escaping")
}

func TestUnmarshalNeedsPointer(t *testing.T) {
	var td TaskDefinition
	require.Error(t, Unmarshal([]byte(`{}`), td))
	require.Error(t, Unmarshal([]byte(`{}`), (*TaskDefinition)(nil)))
	require.False(t, errors.Is(Unmarshal([]byte(`{}`), &td), ErrUnknownField))
}

func ptr[T any](v T) *T { return &v }

func FuzzDecodeTaskDefinition(f *testing.F) {
	for _, name := range append(validTaskDefinitionFixtures,
		"application-stack-bridge-links.json", "devopsdays-task-and-container-sizes.json") {
		f.Add(readTestdata(f, name))
	}
	f.Add([]byte(`[{"name":"a","essential":false}]`))
	f.Add([]byte(`{"taskDefinition":{"family":"f","registeredAt":1.5e9},"tags":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		td, _, err := DecodeTaskDefinition(data, Lenient)
		if td == nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("no task definition and no syntax error: %v", err)
			}
			return
		}
		// Stable: what we write, we read back to the same value, and write
		// the same bytes again.
		out1, err := Marshal(td)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		td2, _, err := DecodeTaskDefinition(out1)
		if err != nil {
			t.Fatalf("decoding our own output %s: %v", out1, err)
		}
		out2, err := Marshal(td2)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		if string(out1) != string(out2) {
			t.Fatalf("encode→decode→encode is not stable:\n%s\n%s", out1, out2)
		}
		td3, _, _ := DecodeTaskDefinition(out2)
		if diff := cmp.Diff(td2, td3); diff != "" {
			t.Fatalf("decode is not stable (-first +second):\n%s", diff)
		}
	})
}

func BenchmarkDecodeTaskDefinition(b *testing.B) {
	data := readTestdata(b, "nginx-awsvpc-healthcheck.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeTaskDefinition(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "documents/s")
}
