package ecstest

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// validBodies are well-formed requests that malformed ones are made from.
var validBodies = []struct{ op, body string }{
	{"RegisterTaskDefinition", `{"family":"web","networkMode":"bridge","containerDefinitions":[{"name":"web","image":"nginx","cpu":256,"memory":512,"portMappings":[{"containerPort":80,"hostPort":0,"protocol":"tcp"}]}],"tags":[{"key":"team","value":"a"}]}`},
	{"RegisterContainerInstance", `{"cluster":"default","attributes":[{"name":"ecs.availability-zone","value":"us-east-1a"},{"name":"ecs.instance-type","value":"c5.large"}],"totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048}]}`},
	{"DescribeContainerInstances", `{"cluster":"default","containerInstances":["0123456789abcdef0123456789abcdef"],"include":["TAGS"]}`},
	{"ListTaskDefinitions", `{"familyPrefix":"web","status":"ACTIVE","sort":"DESC","maxResults":5}`},
	{"PutAttributes", `{"cluster":"default","attributes":[{"name":"stack","value":"prod","targetType":"container-instance","targetId":"0123456789abcdef0123456789abcdef"}]}`},
	{"CreateCluster", `{"clusterName":"c1","settings":[{"name":"containerInsights","value":"enabled"}],"tags":[{"key":"k","value":"v"}]}`},
	{"UpdateContainerInstancesState", `{"containerInstances":["x"],"status":"DRAINING"}`},
	{"ListClusters", `{"maxResults":2,"nextToken":"abc"}`},
}

// malformed returns a broken variant of body: cut short, with bytes
// changed, with a value of the wrong type, nested deeply, or noise.
func malformed(r *rand.Rand, body string) []byte {
	b := []byte(body)
	switch r.IntN(7) {
	case 0:
		return b[:r.IntN(len(b))]
	case 1:
		for range 1 + r.IntN(4) {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		return b
	case 2:
		for _, swap := range [][2]string{{`"web"`, `7`}, {`512`, `"512"`}, {`[`, `{`}, {`"value"`, `"valu\u0000e"`}, {`2048`, `1e400`}, {`5`, `-99999999999999999999`}} {
			if r.IntN(2) == 0 {
				b = bytes.Replace(b, []byte(swap[0]), []byte(swap[1]), 1)
			}
		}
		return b
	case 3:
		n := 1 + r.IntN(5000)
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", r.IntN(n+1)))
	case 4:
		noise := make([]byte, r.IntN(512))
		for i := range noise {
			noise[i] = byte(r.IntN(256))
		}
		return noise
	case 5:
		return []byte(`{"` + strings.Repeat("a", r.IntN(100)) + `":` + body + `}`)
	default:
		return append(b, []byte(`,"trailing":`)...)
	}
}

func TestMalformedBodiesGet4xx(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	r := rand.New(rand.NewPCG(1, 2))
	counts := map[int]int{}
	for i := range 1000 {
		v := validBodies[i%len(validBodies)]
		body := malformed(r, v.body)
		status, data := c.raw(v.op, body)
		require.Less(t, status, 500, "%s with %q: %s", v.op, body, data)
		counts[status]++
	}
	require.Greater(t, counts[http.StatusBadRequest], 900, "most broken bodies are refused: %v", counts)
	status, _ := c.raw("ListClusters", []byte(`{}`))
	require.Equal(t, http.StatusOK, status, "the server still serves")
}

func FuzzHandler(f *testing.F) {
	for _, v := range validBodies {
		f.Add(v.op, []byte(v.body))
	}
	f.Add("ListClusters", []byte(`{"maxResults":1e3}`))
	f.Add("RunTask", []byte(`{}`))
	e := New(WithClock(NewClock(t0, 0)))
	defer e.Close()
	h := e.Handler()
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", op, body, rec.Code, rec.Body)
		}
	})
}
