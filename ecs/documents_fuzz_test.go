package ecs

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fuzzDecodeList is the body of the describe-* decoder fuzz targets. It
// decodes arbitrary bytes leniently: no input may panic; a document that
// is not JSON gives a *SyntaxError and nothing else; any other error is a
// *DecodeError. What was decoded is then written and read back (strictly,
// since we wrote it): decode→encode→decode must be stable, the second
// encoding byte for byte the first.
func fuzzDecodeList[T any](f *testing.F, seeds []string, literal []string,
	decode func([]byte, ...func(*DecodeOptions)) ([]T, []Failure, error),
	wrap func([]T, []Failure) any,
) {
	for _, name := range seeds {
		f.Add(readTestdata(f, name))
	}
	for _, doc := range literal {
		f.Add([]byte(doc))
	}
	// encode writes a decoded list in a form the decoder reads back to
	// the same list: the describe-* wrapper, or "[]" when there is
	// nothing at all ("{}" would read as one element with no members).
	encode := func(t *testing.T, list []T, fs []Failure) []byte {
		t.Helper()
		var v any = wrap(list, fs)
		if len(list) == 0 && len(fs) == 0 {
			v = []T{}
		}
		out, err := Marshal(v)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		return out
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, fs, err := decode(data, Lenient)
		var se *SyntaxError
		if errors.As(err, &se) {
			if list != nil || fs != nil {
				t.Fatalf("syntax error %v, yet %d elements and %d failures", err, len(list), len(fs))
			}
			return
		}
		var de *DecodeError
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("an error neither *SyntaxError nor *DecodeError: %T %v", err, err)
		}
		out1 := encode(t, list, fs)
		list2, fs2, err := decode(out1)
		if err != nil {
			t.Fatalf("decoding our own output %s: %v", out1, err)
		}
		if len(list2) != len(list) || len(fs2) != len(fs) {
			t.Fatalf("%d elements and %d failures became %d and %d through %s", len(list), len(fs), len(list2), len(fs2), out1)
		}
		out2 := encode(t, list2, fs2)
		if string(out1) != string(out2) {
			t.Fatalf("decode→encode→decode→encode is not stable:\n%s\n%s", out1, out2)
		}
		list3, fs3, err := decode(out2)
		if err != nil {
			t.Fatalf("decoding %s: %v", out2, err)
		}
		// reflect.DeepEqual first: cmp.Diff is four times slower, and
		// the fuzzer's minimizer runs this body many times.
		if !reflect.DeepEqual(list2, list3) || !reflect.DeepEqual(fs2, fs3) {
			t.Fatalf("decode is not stable (-first +second):\n%s%s",
				cmp.Diff(list2, list3, cmpopts.EquateEmpty()), cmp.Diff(fs2, fs3, cmpopts.EquateEmpty()))
		}
	})
}

// splitInstances returns the container instances of a describe output
// in the testdata, each as a describe output of its own: seeds of a
// couple of KiB rather than one of 15, which the fuzzer would spend its
// time minimizing.
func splitInstances(f *testing.F, name string) []string {
	var doc struct {
		ContainerInstances []json.RawMessage `json:"containerInstances"`
	}
	if err := json.Unmarshal(readTestdata(f, name), &doc); err != nil || len(doc.ContainerInstances) == 0 {
		f.Fatalf("%s: %v, %d instances", name, err, len(doc.ContainerInstances))
	}
	var out []string
	for _, ci := range doc.ContainerInstances {
		var b bytes.Buffer
		if err := json.Compact(&b, ci); err != nil {
			f.Fatal(err)
		}
		out = append(out, `{"containerInstances":[`+b.String()+`],"failures":[]}`)
	}
	return out
}

func FuzzDecodeContainerInstances(f *testing.F) {
	for _, doc := range splitInstances(f, "describe-container-instances-small-cluster.json") {
		f.Add([]byte(doc))
	}
	fuzzDecodeList(f,
		[]string{
			"api-examples/describe-container-instances-1-output.json",
			"api-examples/describe-container-instances-1-input.json",
		},
		[]string{
			`[{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/c/1","status":"ACTIVE","agentConnected":true,"registeredAt":1763700000.123}]`,
			`{"containerInstanceArn":"x","remainingResources":[{"name":"PORTS","type":"STRINGSET","stringSetValue":["22","80"]},{"name":"CPU","type":"INTEGER","integerValue":1024}]}`,
			`{"containerInstances":[],"failures":[{"arn":"x","reason":"MISSING"}]}`,
			`{"failures":[{"arn":"x","reason":"MISSING","detail":"d"}]}`,
			`{"containerInstances":[{"registeredAt":"2025-11-21T05:20:00.123456+02:00","attributes":[{"name":"a"}]}]}`,
			`{"containerInstances":[{"runningTasksCount":"3","agentConnected":1}]}`,
			`[{}, null, 3]`,
			`null`,
		},
		DecodeContainerInstances,
		func(l []ContainerInstance, fs []Failure) any {
			return DescribeContainerInstancesResponse{ContainerInstances: l, Failures: fs}
		})
}

func FuzzDecodeTasks(f *testing.F) {
	fuzzDecodeList(f,
		[]string{
			"api-examples/describe-tasks-1-output.json",
			"api-examples/describe-tasks-1-input.json",
			"api-examples/run-task-1-output.json",
		},
		[]string{
			`[{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/1","lastStatus":"RUNNING","desiredStatus":"RUNNING","startedAt":1.5e9}]`,
			`{"taskArn":"t","containers":[{"name":"a","networkBindings":[{"hostPort":80,"containerPort":80,"protocol":"tcp"}]}],"attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"s"}]}]}`,
			`{"tasks":[],"failures":[{"arn":"x","reason":"MISSING"}]}`,
			`{"tasks":[{"cpu":"256","memory":"0.5GB","overrides":{"containerOverrides":[{"name":"a","memory":64}]}}]}`,
			`{"tasks":[{"createdAt":"2016-08-29T16:25:52.130Z","stoppedAt":-1.0001}]}`,
		},
		DecodeTasks,
		func(l []Task, fs []Failure) any { return DescribeTasksResponse{Tasks: l, Failures: fs} })
}

func FuzzDecodeServices(f *testing.F) {
	fuzzDecodeList(f,
		[]string{
			"api-examples/describe-services-1-output.json",
			"api-examples/describe-services-1-input.json",
			"api-examples/create-service-1-output.json",
			"api-examples/create-service-2-output.json",
		},
		[]string{
			`{"services":[{"serviceName":"web","deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":false,"resetOnHealthyTask":false,"thresholdConfiguration":{"type":"UNBOUNDED_PERCENT","value":25}},"maximumPercent":200}}],"failures":[]}`,
			`[{"serviceName":"a","desiredCount":3,"deployments":[{"id":"ecs-svc/1","status":"PRIMARY","rolloutState":"IN_PROGRESS","createdAt":1763700000}],"events":[{"id":"e","message":"m","createdAt":1}]}]`,
			`{"serviceName":"a","placementStrategy":[{"type":"spread","field":"attribute:ecs.availability-zone"}],"placementConstraints":[{"type":"memberOf","expression":"attribute:a == b"}]}`,
			`{"failures":[{"arn":"x","reason":"MISSING"}]}`,
		},
		DecodeServices,
		func(l []Service, fs []Failure) any { return DescribeServicesResponse{Services: l, Failures: fs} })
}

// FuzzParseSize reads arbitrary strings as task-level cpu and memory: no
// input may panic, a success is a whole, positive number of CPU units or
// MiB no larger than MaxInt32, its plain digits read back to the same
// number, and a failure wraps ErrUnitForm.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{
		"1024", "1 vCPU", ".25 vCPU", "1vcpu", "0.1 vCPU", "2 GB", "2GB", "0.5GB", " 512 ", "+1",
		"-1", "0", "1/2", "0x400", "1e3", "2147483647", "2147483648", "2097152 GB", "2097151.999 GB",
		"0000000000000000000001", "1.", ".", "GB", " vcpu", "1 VCPU ", "١٢٣", "1\tGB",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []struct {
			name  string
			parse func(string) (int, error)
		}{{"ParseCPU", ParseCPU}, {"ParseMemory", ParseMemory}} {
			n, err := p.parse(s)
			if err != nil {
				if n != 0 || !errors.Is(err, ErrUnitForm) {
					t.Fatalf("%s(%q) = %d, %v: a failure must be 0 and wrap ErrUnitForm", p.name, s, n, err)
				}
				continue
			}
			if n <= 0 || n > math.MaxInt32 {
				t.Fatalf("%s(%q) = %d: not a positive number no larger than MaxInt32", p.name, s, n)
			}
			back, err := p.parse(strconv.Itoa(n))
			if err != nil || back != n {
				t.Fatalf("%s(%q) = %d, but %s(%q) = %d, %v", p.name, s, n, p.name, strconv.Itoa(n), back, err)
			}
		}
	})
}
