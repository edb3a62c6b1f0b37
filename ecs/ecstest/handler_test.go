package ecstest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFraming(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		path        string
		target      string // without the prefix; "-" for no header
		contentType string
		body        string
		status      int
		errType     string // "" for a success
		message     string // a part of the message
	}{
		{name: "success", target: "ListClusters", body: `{}`, status: 200},
		{name: "empty body is an empty request", target: "ListClusters", status: 200},
		{name: "json 1.0 content type", target: "ListClusters", contentType: "application/x-amz-json-1.0", body: `{}`, status: 200},
		{name: "no content type", target: "ListClusters", contentType: "-", body: `{}`, status: 200},
		{name: "GET", method: http.MethodGet, target: "ListClusters", status: 405, errType: "UnknownOperationException"},
		{name: "no target", target: "-", body: `{}`, status: 400, errType: "UnknownOperationException"},
		{name: "other service", target: "-", body: `{}`, status: 400, errType: "UnknownOperationException"},
		{name: "unknown operation", target: "LaunchRockets", body: `{}`, status: 400, errType: "UnknownOperationException", message: "LaunchRockets is not an operation"},
		{name: "CreateTaskSet of an unknown task definition", target: "CreateTaskSet", body: `{"cluster":"nope","service":"web","taskDefinition":"web"}`, status: 400, errType: "ClientException"},
		{name: "wrong content type", target: "ListClusters", contentType: "text/plain", body: `{}`, status: 400, errType: "SerializationException"},
		{name: "not JSON", target: "ListClusters", body: `{"maxResults":`, status: 400, errType: "SerializationException", message: "not JSON"},
		{name: "not an object", target: "ListClusters", body: `[1,2]`, status: 400, errType: "SerializationException"},
		{name: "unknown member, skipped as ECS skips it", target: "ListClusters", body: `{"maxResult":5}`, status: 200},
		{name: "wrong type at its path", target: "RegisterTaskDefinition", body: `{"family":"x","containerDefinitions":[{"name":"a","memory":"lots"}]}`,
			status: 400, errType: "SerializationException", message: "containerDefinitions[0].memory: expected integer"},
		{name: "too large", target: "ListClusters", body: `{"nextToken":"` + strings.Repeat("a", maxBodyBytes) + `"}`, status: 413, errType: "RequestEntityTooLargeException"},
		{name: "cluster not found", target: "DeleteCluster", body: `{"cluster":"nope"}`, status: 400, errType: "ClusterNotFoundException", message: "Cluster not found."},
		{name: "client exception", target: "DescribeTaskDefinition", body: `{"taskDefinition":"nope"}`, status: 400, errType: "ClientException"},
		{name: "invalid parameter", target: "ListClusters", body: `{"maxResults":0}`, status: 400, errType: "InvalidParameterException"},
		{name: "control endpoint", method: http.MethodGet, path: "/_ecslocal/clock", status: 200},
		{name: "unknown control endpoint", method: http.MethodPost, path: "/_ecslocal/rewind", status: 404, errType: "UnknownOperationException"},
		{name: "advance needs seconds", method: http.MethodPost, path: "/_ecslocal/advance", status: 400, errType: "InvalidParameterException"},
		{name: "advance backwards", method: http.MethodPost, path: "/_ecslocal/advance?seconds=-5", status: 400, errType: "InvalidParameterException"},
		{name: "advance by GET", method: http.MethodGet, path: "/_ecslocal/advance?seconds=5", status: 405, errType: "UnknownOperationException"},
	}
	h := newTestECS(t).Handler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, path := tt.method, tt.path
			if method == "" {
				method = http.MethodPost
			}
			if path == "" {
				path = "/"
			}
			req := httptest.NewRequest(method, path, strings.NewReader(tt.body))
			switch {
			case tt.name == "other service":
				req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
			case tt.target != "-":
				req.Header.Set("X-Amz-Target", targetPrefix+tt.target)
			}
			switch tt.contentType {
			case "":
				req.Header.Set("Content-Type", contentType)
			case "-":
			default:
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code, rec.Body.String())
			require.NotEmpty(t, rec.Header().Get("X-Amzn-RequestId"))
			var body map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
			if tt.errType == "" {
				require.NotContains(t, body, "__type")
				return
			}
			require.Equal(t, contentType, rec.Header().Get("Content-Type"))
			require.Equal(t, tt.errType, body["__type"])
			require.Equal(t, tt.errType, rec.Header().Get("X-Amzn-ErrorType"))
			require.Contains(t, body["message"], tt.message)
		})
	}
}

// TestStrictRequests checks WithStrictRequests: a member the request's
// shape does not define is a SerializationException naming it.
func TestStrictRequests(t *testing.T) {
	e := newTestECS(t, WithStrictRequests())
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"maxResult":5}`))
	req.Header.Set("X-Amz-Target", targetPrefix+"ListClusters")
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusBadRequest, rec.Code)
	require.Equal(t, "SerializationException", rec.Header().Get("X-Amzn-ErrorType"))
	require.Contains(t, rec.Body.String(), `unknown field \"maxResult\"`)
}

func TestPanicIsServerException(t *testing.T) {
	e := newTestECS(t)
	h := e.Handler().(*handler)
	h.ops["ListClusters"] = func(context.Context, []byte) (any, error) { panic("boom") }
	h.ops["DescribeClusters"] = func(context.Context, []byte) (any, error) { return make(chan int), nil } // cannot encode
	for _, op := range []string{"ListClusters", "DescribeClusters"} {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
		req.Header.Set("X-Amz-Target", targetPrefix+op)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusInternalServerError, rec.Code, op)
		var body apiError
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
		require.Equal(t, "ServerException", body.Type, op)
	}
	// The handler goes on serving.
	status, _ := newAPIClient(t, e).raw("ListContainerInstances", []byte(`{}`))
	require.Equal(t, http.StatusOK, status)
}

func TestTimestampsAreNumbers(t *testing.T) {
	e := newTestECS(t)
	c := newAPIClient(t, e)
	status, data := c.raw("RegisterTaskDefinition",
		[]byte(`{"family":"web","containerDefinitions":[{"name":"web","image":"nginx","memory":128}]}`))
	require.Equal(t, http.StatusOK, status, string(data))
	var out struct {
		TaskDefinition struct {
			RegisteredAt json.Number `json:"registeredAt"`
		} `json:"taskDefinition"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&out))
	require.Equal(t, json.Number("1763704800"), out.TaskDefinition.RegisteredAt)
}

func TestAdvanceEndpoint(t *testing.T) {
	e := newTestECS(t)
	req := httptest.NewRequest(http.MethodPost, "/_ecslocal/advance?seconds=90.5", nil)
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.JSONEq(t, `{"now": 1763704890.5, "speed": 0}`, rec.Body.String())
	require.Equal(t, t0.Add(90500e6), e.Clock().Now())
}
