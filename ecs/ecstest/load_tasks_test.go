package ecstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// TestLoadWithScheduling has 16 clients run, stop, list and describe
// tasks and scale a service over loopback while the clock runs by itself
// (the lifecycle and the scheduler's steps on its goroutine): no answer is
// a 5xx, and no instance is over-committed.
func TestLoadWithScheduling(t *testing.T) {
	const clients, requests = 16, 3_000
	clock := NewClock(t0, 600)
	defer clock.Close()
	e := New(WithClock(clock), WithSeed(4))
	defer e.Close()
	srv := NewServer(e)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := e.createCluster(ctx, ecs.Cluster{})
	require.NoError(t, err)
	threeZones(t, e, "m5.xlarge", 6)
	taskDef(t, e, "web", 256, 512, 0)
	mustCreateService(t, e, "web", "web", 6)

	var sent, fault atomic.Int64
	errs := make([]error, clients)
	var wg sync.WaitGroup
	for id := range clients {
		c := &loadClient{id: id, url: srv.URL, http: srv.Client(), sent: &sent, fault: &fault}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []string
			for i := range requests / clients {
				var status int
				var data []byte
				var err error
				switch i % 5 {
				case 0:
					status, data, err = c.post(ctx, "RunTask", ecs.RunTaskRequest{TaskDefinition: "web", Count: ptr(2)})
					var resp ecs.RunTaskResponse
					if err == nil && status == http.StatusOK && ecs.Unmarshal(data, &resp) == nil {
						for _, tk := range resp.Tasks {
							mine = append(mine, tk.TaskARN)
						}
					}
				case 1:
					if len(mine) > 0 {
						status, data, err = c.post(ctx, "StopTask", ecs.StopTaskRequest{Task: mine[0]})
						mine = mine[1:]
					} else {
						status, data, err = c.post(ctx, "ListTasks", ecs.ListTasksRequest{})
					}
				case 2:
					status, data, err = c.post(ctx, "UpdateService", ecs.UpdateServiceRequest{Service: "web", DesiredCount: ptr(i % 9)})
				case 3:
					status, data, err = c.post(ctx, "DescribeServices", ecs.DescribeServicesRequest{Services: []string{"web"}})
				default:
					status, data, err = c.post(ctx, "ListTasks", ecs.ListTasksRequest{DesiredStatus: "STOPPED", MaxResults: ptr(5)})
				}
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("client %d request %d: status %d: %s", c.id, i, status, data)
				}
				if errs[id] = err; err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	require.Zero(t, fault.Load(), "5xx answers")
	clock.SetSpeed(0)
	clock.Advance(time.Hour)
	(&world{t: t, e: e}).checkInvariants()
	svc := describeService(t, e, "web")
	require.Equal(t, svc.DesiredCount, svc.RunningCount)
}
