package ecstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// loadClient is one client of TestLoad and what its successful requests
// did.
type loadClient struct {
	id       int
	url      string
	http     *http.Client
	sent     *atomic.Int64
	fault    *atomic.Int64 // 5xx answers
	family   string
	revs     int
	arns     []string        // container instances it registered, in order
	draining map[string]bool // the state it last set, by ARN
}

// post sends in (or a raw body) to op and returns the status and body.
func (c *loadClient) post(ctx context.Context, op string, in any) (int, []byte, error) {
	body, raw := in.([]byte)
	if !raw {
		var err error
		if body, err = ecs.Marshal(in); err != nil {
			return 0, nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	c.sent.Add(1)
	if resp.StatusCode >= 500 {
		c.fault.Add(1)
	}
	return resp.StatusCode, data, err
}

// step makes the i-th request of the client's mix of operations.
func (c *loadClient) step(ctx context.Context, i int) error {
	var status int
	var data []byte
	var err error
	wantStatus := http.StatusOK
	switch i % 8 {
	case 0:
		status, data, err = c.post(ctx, "RegisterTaskDefinition", webRequest(c.family))
		if err == nil && status == http.StatusOK {
			c.revs++
		}
	case 1:
		status, data, err = c.post(ctx, "RegisterContainerInstance", ecs.RegisterContainerInstanceRequest{
			Attributes: []ecs.Attribute{
				{Name: "ecs.instance-type", Value: "m5.large"},
				{Name: "ecs.availability-zone", Value: fmt.Sprintf("us-east-1%c", 'a'+i%3)},
			},
		})
		var resp ecs.RegisterContainerInstanceResponse
		if err == nil && status == http.StatusOK && ecs.Unmarshal(data, &resp) == nil {
			c.arns = append(c.arns, resp.ContainerInstance.ContainerInstanceARN)
		}
	case 2:
		arn := c.arns[i%len(c.arns)]
		drain := !c.draining[arn]
		state := map[bool]string{true: "DRAINING", false: "ACTIVE"}[drain]
		status, data, err = c.post(ctx, "UpdateContainerInstancesState",
			ecs.UpdateContainerInstancesStateRequest{ContainerInstances: []string{arn}, Status: ecs.ContainerInstanceStatus(state)})
		if err == nil && status == http.StatusOK {
			c.draining[arn] = drain
		}
	case 3:
		status, data, err = c.post(ctx, "PutAttributes", ecs.PutAttributesRequest{Attributes: []ecs.Attribute{
			{Name: "client", Value: fmt.Sprint(c.id), TargetID: c.arns[len(c.arns)-1]}}})
	case 4:
		status, data, err = c.post(ctx, "DescribeTaskDefinition", ecs.DescribeTaskDefinitionRequest{TaskDefinition: c.family})
	case 5:
		status, data, err = c.post(ctx, "ListContainerInstances", ecs.ListContainerInstancesRequest{MaxResults: ptr(10)})
	case 6:
		status, data, err = c.post(ctx, "DescribeClusters", ecs.DescribeClustersRequest{})
	default:
		status, data, err = c.post(ctx, "ListTaskDefinitions", []byte(`{"familyPrefix": `))
		wantStatus = http.StatusBadRequest
	}
	if err != nil {
		return err
	}
	if status != wantStatus {
		return fmt.Errorf("client %d request %d: status %d: %s", c.id, i, status, data)
	}
	return nil
}

// TestLoad has 32 clients make 10,000 requests together over loopback: no
// answer is a 5xx, and the state they leave is the one their successful
// requests add up to.
func TestLoad(t *testing.T) {
	const clients, requests = 32, 10_000
	e := New(WithClock(NewClock(t0, 0)), WithSeed(3))
	defer e.Close()
	srv := NewServer(e)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, err := e.createCluster(ctx, ecs.Cluster{})
	require.NoError(t, err)

	var sent, fault atomic.Int64
	httpClient := srv.Client()
	all := make([]*loadClient, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	for id := range clients {
		c := &loadClient{id: id, url: srv.URL, http: httpClient, sent: &sent, fault: &fault,
			family: fmt.Sprintf("load-%d", id), draining: map[string]bool{}}
		all[id] = c
		n := requests / clients
		if id < requests%clients {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				if errs[id] = c.step(ctx, i); errs[id] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	require.EqualValues(t, requests, sent.Load())
	require.Zero(t, fault.Load(), "5xx answers")

	// The state is what the successful requests add up to.
	total := 0
	for _, c := range all {
		td, err := e.Registry().Describe(c.family)
		require.NoError(t, err)
		require.Equal(t, c.revs, td.Revision, "revisions of %s", c.family)
		total += len(c.arns)
		described, failures, err := e.describeContainerInstances(ctx, "", c.arns)
		require.NoError(t, err)
		require.Empty(t, failures)
		for _, ci := range described {
			want := map[bool]string{true: "DRAINING", false: "ACTIVE"}[c.draining[ci.ContainerInstanceARN]]
			require.Equal(t, want, ci.Status, ci.ContainerInstanceARN)
		}
		last, _ := attribute(described[len(described)-1], "client")
		require.Equal(t, fmt.Sprint(c.id), last)
	}
	arns, err := e.listContainerInstances(ctx, "", "", "")
	require.NoError(t, err)
	require.Len(t, arns, total)
	clusters, _, err := e.describeClusters(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, total, clusters[0].RegisteredContainerInstancesCount)
}
