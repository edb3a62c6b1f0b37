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
func TestGeneratedTypesAreCurrent(t *testing.T) {
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
