package ecs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// documentCase is one table test of ValidateDocument.
type documentCase struct {
	name string
	doc  string
	lt   []Compatibility
	opts ValidationOptions
	want []wantFinding
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

func runDocumentCases(t *testing.T, cases []documentCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.LaunchTypes = tc.lt
			_, got := ValidateDocument([]byte(tc.doc), func(o *ValidationOptions) { *o = opts })
			checkFindings(t, got, tc.want)
			for _, f := range got {
				require.Positive(t, f.Line, "%s has no line", f.Code)
				require.Positive(t, f.Column, "%s has no column", f.Code)
			}
		})
	}
}

func TestDocumentRules(t *testing.T) { runDocumentCases(t, documentCases()) }

// documentCases covers rule 0 (the API model), the document forms, tags
// (rule 8) and the size quota (rule 7).
func documentCases() []documentCase {
	big := `{"family":"big","containerDefinitions":[{"name":"app","image":"nginx","memory":512,"command":["` + strings.Repeat("x", 70000) + `"]}]}`
	tags := make([]string, 51)
	for i := range tags {
		tags[i] = `{"key":"k` + itoa(i) + `","value":"v"}`
	}
	const app = `{"name":"app","image":"nginx","memory":512}`
	return []documentCase{
		{name: "not JSON", doc: `{"family": "web",`, want: []wantFinding{wantErr(codeSyntax, "")}},
		{name: "empty document", doc: ``, want: []wantFinding{wantErr(codeSyntax, "")}},
		{name: "a string", doc: `"web"`, want: []wantFinding{wantErr(codeNotTaskDefinition, "")}},
		{name: "a service", doc: `{"serviceName": "web", "desiredCount": 2}`, want: []wantFinding{wantErr(codeNotTaskDefinition, "")}},
		{name: "empty object", doc: `{}`, want: []wantFinding{wantErr(codeFamilyRequired, "family"), wantErr(codeContainersRequired, "containerDefinitions")}},
		{name: "unknown member", doc: `{"family":"web","containerDefinitions":[` + app + `],"cpus":"1"}`,
			want: []wantFinding{wantErr(codeUnknownField, "cpus")}},
		{name: "unknown member allowed", doc: `{"family":"web","containerDefinitions":[` + app + `],"cpus":"1"}`,
			opts: ValidationOptions{AllowUnknownFields: true}, want: []wantFinding{wantWarn(codeUnknownField, "cpus")}},
		{name: "wrong type hides the rule it breaks", doc: `{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","memory":"512"}]}`,
			want: []wantFinding{wantErr(codeWrongType, "containerDefinitions[0].memory")}},
		{name: "bad value", doc: `{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","memory":99999999999}]}`,
			want: []wantFinding{wantErr(codeBadValue, "containerDefinitions[0].memory")}},
		{name: "missing required members", doc: `{"family":"web","containerDefinitions":[{"name":"app","image":"nginx","memory":512,
			"ulimits":[{"name":"nofile","softLimit":1024}],"linuxParameters":{"tmpfs":[{"containerPath":"/run"}]}}]}`,
			want: []wantFinding{wantErr(codeMissingMember, "containerDefinitions[0].ulimits[0].hardLimit"),
				wantErr(codeMissingMember, "containerDefinitions[0].linuxParameters.tmpfs[0].size")}},
		{name: "describe output", doc: `{"taskDefinition":{"family":"web","networkMode":"bridge","containerDefinitions":[{"name":"app","image":"nginx"}]},"tags":[]}`,
			want: []wantFinding{wantErr(codeMemoryRequired, "taskDefinition.containerDefinitions[0].memory")}},
		{name: "describe output on Fargate", lt: onFargate, doc: `{"taskDefinition":{"family":"web","containerDefinitions":[` + app + `]}}`,
			want: []wantFinding{wantErr(codeFargateNetworkMode, "taskDefinition.networkMode"), wantErr(codeFargateCPURequired, "taskDefinition.cpu"),
				wantErr(codeFargateMemRequired, "taskDefinition.memory")}},
		{name: "bare array of container definitions", doc: `[{"name":"app","image":"nginx"},` + app + `]`,
			want: []wantFinding{wantErr(codeMemoryRequired, "[0].memory"), wantErr(codeContainerNameDup, "[1].name")}},
		{name: "empty bare array", doc: `[]`, want: []wantFinding{wantErr(codeContainersRequired, "")}},
		{name: "tags", doc: `{"family":"web","containerDefinitions":[` + app + `],"tags":[{"key":"","value":"v"},{"key":"aws:team","value":"v"},{"key":"team","value":"` + strings.Repeat("v", 257) + `"}]}`,
			want: []wantFinding{wantErr(codeTagKey, "tags[0].key"), wantErr(codeTagReserved, "tags[1].key"), wantErr(codeTagValue, "tags[2].value")}},
		{name: "51 tags", doc: `{"family":"web","containerDefinitions":[` + app + `],"tags":[` + strings.Join(tags, ",") + `]}`,
			want: []wantFinding{wantErr(codeTagTooMany, "tags")}},
		{name: "larger than 64 KiB", doc: big, want: []wantFinding{wantErr(codeTaskDocumentSize, "")}},
		{name: "64 KiB of spaces", doc: strings.Replace(big, strings.Repeat("x", 70000), "x", 1) + strings.Repeat(" ", 70000)},
	}
}

// fixtureCase is what ValidateDocument must say about a fixture (see
// testdata/README.md of the shared fixtures).
type fixtureCase struct {
	file string
	lt   []Compatibility
	edit func(string) string
	want []wantFinding
}

// fixStrings makes the application-stack fixture valid on EC2: integers
// where it has strings, image references where it has placeholders.
func fixStrings(doc string) string {
	r := strings.NewReplacer(`"256"`, `256`, `"80"`, `80`, `"512"`, `512`, `"768"`, `768`,
		`<NGINX reverse proxy image URL here>`, `nginx:1.25`, `<app image URL here>`, `example/app:1`)
	return r.Replace(doc)
}

func TestFixtures(t *testing.T) {
	const stack = "application-stack-bridge-links.json"
	stackDecode := []wantFinding{
		wantErr(codeWrongType, "containerDefinitions[0].memory"), wantErr(codeWrongType, "containerDefinitions[0].cpu"),
		wantErr(codeWrongType, "containerDefinitions[0].portMappings[0].containerPort"),
		wantErr(codeWrongType, "containerDefinitions[1].memory"), wantErr(codeWrongType, "containerDefinitions[1].cpu"),
		wantErr(codeImageInvalid, "containerDefinitions[0].image"), wantErr(codeImageInvalid, "containerDefinitions[1].image"),
	}
	fargateStack := []wantFinding{
		wantErr(codeFargateNetworkMode, "networkMode"), wantErr(codeFargateUnsupported, "containerDefinitions[0].links"),
		wantErr(codeFargateCPURequired, "cpu"), wantErr(codeFargateMemRequired, "memory"),
	}
	twoContainers := []wantFinding{wantErr(codeContainerNameDup, "containerDefinitions[1].name")}
	for _, tc := range []fixtureCase{
		{file: "nginx-awsvpc-healthcheck.json"},
		{file: "nginx-awsvpc-healthcheck.json", lt: onFargate},
		{file: "nginx-awsvpc-healthcheck.json", lt: onEC2},
		{file: stack, want: stackDecode},
		{file: stack, lt: onFargate, want: append(fargateStack, stackDecode...)},
		{file: stack, edit: fixStrings},
		{file: stack, lt: onFargate, edit: fixStrings, want: fargateStack},
		{file: "devopsdays-two-containers.json", want: append(twoContainers,
			wantErr(codeMemoryRequired, "containerDefinitions[0].memory"), wantErr(codeMemoryRequired, "containerDefinitions[1].memory"))},
		{file: "devopsdays-two-containers.json", lt: onFargate, want: append(twoContainers,
			wantErr(codeFargateNetworkMode, "networkMode"), wantErr(codeFargateCPURequired, "cpu"), wantErr(codeFargateMemRequired, "memory"))},
		{file: "devopsdays-task-and-container-sizes.json", want: append(twoContainers,
			wantErr(codeWrongType, "containerDefinitions[0].cpu"), wantErr(codeWrongType, "containerDefinitions[0].memoryReservation"),
			wantErr(codeWrongType, "containerDefinitions[1].cpu"), wantErr(codeWrongType, "containerDefinitions[1].memoryReservation"))},
		// With integers, the cpu sum equals the task's 1024, which ECS accepts.
		{file: "devopsdays-task-and-container-sizes.json", edit: fixStrings, want: twoContainers},
	} {
		t.Run(tc.file+"/"+launchTypesName(tc.lt), func(t *testing.T) {
			doc := string(readFixture(t, tc.file))
			if tc.edit != nil {
				doc = tc.edit(doc)
			}
			td, got := ValidateDocument([]byte(doc), func(o *ValidationOptions) {
				o.LaunchTypes = tc.lt
			})
			require.NotNil(t, td)
			checkFindings(t, got, tc.want)
		})
	}
}

func launchTypesName(lt []Compatibility) string {
	if lt == nil {
		return "requiresCompatibilities"
	}
	var b strings.Builder
	for _, c := range lt {
		b.WriteString(string(c))
	}
	return b.String()
}

func TestDocumentPositionsAndOrder(t *testing.T) {
	_, got := ValidateDocument(readFixture(t, "application-stack-bridge-links.json"), func(o *ValidationOptions) {
		o.LaunchTypes = onFargate
	})
	var lines []int
	for _, f := range got {
		lines = append(lines, f.Line)
	}
	require.IsNonDecreasing(t, lines)
	first := got[0]
	require.Equal(t, codeFargateCPURequired, first.Code, "a missing member is placed at its enclosing object")
	require.Equal(t, [2]int{1, 1}, [2]int{first.Line, first.Column})
	byPath := map[string]Finding{}
	for _, f := range got {
		byPath[f.Path] = f
	}
	require.Equal(t, [2]int{5, 17}, [2]int{byPath["containerDefinitions[0].image"].Line, byPath["containerDefinitions[0].image"].Column})
	require.Equal(t, [2]int{11, 29}, [2]int{byPath["containerDefinitions[0].portMappings[0].containerPort"].Line, byPath["containerDefinitions[0].portMappings[0].containerPort"].Column})
	require.Equal(t, 27, byPath["networkMode"].Line)
}

func TestDocumentSyntaxPosition(t *testing.T) {
	td, got := ValidateDocument([]byte("{\n  \"family\": \"web\",\n  ]\n}"))
	require.Nil(t, td)
	require.Len(t, got, 1)
	require.Equal(t, [2]int{3, 3}, [2]int{got[0].Line, got[0].Column})
	require.True(t, got.HasErrors())
}

func TestDocumentKeepsTheTaskDefinition(t *testing.T) {
	td, _ := ValidateDocument(readFixture(t, "application-stack-bridge-links.json"))
	require.Equal(t, "application-stack", td.Family)
	require.Equal(t, []string{"app"}, td.ContainerDefinitions[0].Links)
}
