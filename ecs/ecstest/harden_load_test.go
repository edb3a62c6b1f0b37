package ecstest

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hostileBody is a request body made to cost a server the most memory
// and work per byte.
type hostileBody struct {
	name, op string
	body     []byte
}

// hostileBodies returns bodies of about size bytes each.
func hostileBodies(size int) []hostileBody {
	fill := func(prefix, elem, suffix string) []byte {
		n := (size - len(prefix) - len(suffix)) / (len(elem) + 1)
		return []byte(prefix + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + suffix)
	}
	tag := func(i int) string { return `{"key":"k` + strconv.Itoa(i) + `","value":"v"}` }
	var tags []string
	for n, i := 40, 0; n+len(tag(i))+1 < size; i++ {
		tags = append(tags, tag(i))
		n += len(tag(i)) + 1
	}
	return []hostileBody{
		{"wrong-typed task IDs", "DescribeTasks", fill(`{"cluster":"default","tasks":[`, `1`, `]}`)},
		{"empty container definitions", "RegisterTaskDefinition", fill(`{"family":"f","containerDefinitions":[`, `{}`, `]}`)},
		{"docker labels", "RegisterTaskDefinition", fill(`{"family":"f","containerDefinitions":[{"name":"a","image":"i","memory":4,"dockerLabels":{`, `"":""`, `}}]}`)},
		{"unknown members", "RunTask", fill(`{`, `"a":1`, `}`)},
		{"tags", "CreateCluster", []byte(`{"clusterName":"c","tags":[` + strings.Join(tags, ",") + `]}`)},
	}
}

// memPeak samples the memory the process holds from the system (the
// runtime's total less what it has released) every half millisecond,
// and keeps the most.
type memPeak struct {
	stop, done chan struct{}
	peak       atomic.Uint64
}

func heldMemory(samples []metrics.Sample) uint64 {
	metrics.Read(samples)
	return samples[0].Value.Uint64() - samples[1].Value.Uint64()
}

func newSamples() []metrics.Sample {
	return []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
}

func startMemPeak() *memPeak {
	m := &memPeak{stop: make(chan struct{}), done: make(chan struct{})}
	samples := newSamples()
	m.peak.Store(heldMemory(samples))
	go func() {
		defer close(m.done)
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		for {
			if v := heldMemory(samples); v > m.peak.Load() {
				m.peak.Store(v)
			}
			select {
			case <-m.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

// end stops the sampling and returns the peak.
func (m *memPeak) end() uint64 {
	close(m.stop)
	<-m.done
	return m.peak.Load()
}

// post sends body to op on url and returns the status, or 0 when the
// request failed.
func post(c *http.Client, url, op string, body []byte) int {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	req.Header.Set("Content-Type", contentType)
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// hostileRound sends concurrent hostile bodies at once, the i-th of them
// bodies[(first+i) % len(bodies)], and returns their statuses.
func hostileRound(c *http.Client, url string, bodies []hostileBody, first, concurrent int) []int {
	statuses := make([]int, concurrent)
	var wg sync.WaitGroup
	for i := range concurrent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := bodies[(first+i)%len(bodies)]
			statuses[i] = post(c, url, h.op, h.body)
		}()
	}
	wg.Wait()
	return statuses
}

// BenchmarkHostileLoad sends rounds of 16 concurrent hostile bodies of 1
// MiB to a server and reports the most memory the process held from the
// system during them (peak-MiB), and before them (idle-MiB). After the
// rounds, the server must answer a normal request at once.
func BenchmarkHostileLoad(b *testing.B) {
	const concurrent, size = 16, 1 << 20
	srv := NewServer(nil)
	defer srv.Close()
	c := srv.Client()
	bodies := hostileBodies(size)
	if status := post(c, srv.URL, "ListClusters", []byte(`{}`)); status != http.StatusOK {
		b.Fatalf("ListClusters: %d", status)
	}
	runtime.GC()
	idle := heldMemory(newSamples())
	peak := startMemPeak()
	round := 0
	for b.Loop() {
		hostileRound(c, srv.URL, bodies, round, concurrent)
		round++
	}
	most := peak.end()
	b.ReportMetric(float64(idle)/(1<<20), "idle-MiB")
	b.ReportMetric(float64(most)/(1<<20), "peak-MiB")
	b.ReportMetric(float64(concurrent*b.N)/b.Elapsed().Seconds(), "hostile-requests/s")
	if status := post(c, srv.URL, "ListClusters", []byte(`{}`)); status != http.StatusOK {
		b.Fatalf("ListClusters after the load: %d", status)
	}
}
