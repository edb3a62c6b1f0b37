package main

import (
	"bytes"
	"os"
	"testing"
)

const modelPath = "../../../../shared/aws-ecs-api/service-2.json"

// TestGeneratedTypesAreCurrent regenerates the types from the API model and
// compares them with the committed file, so that a change to the generator
// or the model cannot be forgotten.
// loadModel reads the API model beside the checkout, with the overlay,
// and skips the test when the model is not there.
func loadModel(t *testing.T) *model {
	t.Helper()
	data, err := os.ReadFile(modelPath)
	if os.IsNotExist(err) {
		t.Skipf("the API model is not beside this checkout (%s)", modelPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	m, err := load(data)
	if err != nil {
		t.Fatal(err)
	}
	applyOverlay(m)
	return m
}

func TestGeneratedTypesAreCurrent(t *testing.T) {
	m := loadModel(t)
	got, err := generate(m)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../api_types.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("ecs/api_types.go is stale: run go generate ./ecs")
	}
}

func TestGoName(t *testing.T) {
	tests := map[string]string{
		"taskDefinitionArn":     "TaskDefinitionARN",
		"ec2InstanceId":         "EC2InstanceID",
		"enableECSManagedTags":  "EnableECSManagedTags",
		"privateIPv4Address":    "PrivateIPv4Address",
		"cpuArchitecture":       "CPUArchitecture",
		"dnsSearchDomains":      "DNSSearchDomains",
		"hostPort":              "HostPort",
		"subnets":               "Subnets",
		"containerInstanceArns": "ContainerInstanceARNs",
	}
	for in, want := range tests {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnumWord(t *testing.T) {
	tests := map[string]string{
		"MANAGED_INSTANCES":        "ManagedInstances",
		"awsvpc":                   "Awsvpc",
		"X86_64":                   "X86_64",
		"WINDOWS_SERVER_2019_FULL": "WindowsServer2019Full",
		"tcp":                      "TCP",
		"InferenceAccelerator":     "InferenceAccelerator",
		"json-file":                "JSONFile",
	}
	for in, want := range tests {
		if got := enumWord(in); got != want {
			t.Errorf("enumWord(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	got := firstSentence("<p>The number of <code>cpu</code> units reserved. More text.</p>")
	if want := "The number of cpu units reserved."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestUnboxedAlwaysWritten walks the model: every member of an unboxed
// number or boolean shape (Integer, Long, Double, Boolean) of a structure
// the library generates is written with its value, 0 and false included,
// as ECS writes it, so its JSON tag has no omit option; a boxed one may be
// absent. The API's examples write such members ("activeServicesCount":
// 0, "doubleValue": 0.0, "longValue": 0).
func TestUnboxedAlwaysWritten(t *testing.T) {
	m := loadModel(t)
	src, err := os.ReadFile("../../api_types.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for name, s := range m.Shapes {
		start := bytes.Index(src, []byte("\ntype "+name+" struct {"))
		if s.Type != "structure" || start < 0 {
			continue // not generated: the library does not use it
		}
		body := src[start:]
		body = body[:bytes.Index(body, []byte("\n}\n"))]
		for mn, mem := range s.Members {
			ms := m.Shapes[mem.Shape]
			switch ms.Type {
			case "integer", "long", "double", "boolean":
			default:
				continue
			}
			always := bytes.Contains(body, []byte(`json:"`+mn+`"`))
			if always == ms.Box {
				t.Errorf("%s.%s (shape %s, boxed %v): written always is %v", name, mn, mem.Shape, ms.Box, always)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no member checked")
	}
	t.Logf("%d number and boolean members checked", checked)
}
