package ecstest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/stretchr/testify/require"
)

// browserAccept is the Accept header Chromium sends when it navigates.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// consoleWorld is a control plane with the default cluster, three
// instances over two zones, a service of four tasks with a second
// deployment under way, and a task run by hand that was stopped.
func consoleWorld(t testing.TB, opts ...func(*Options)) *ECS {
	t.Helper()
	ctx := context.Background()
	e := newTestECS(t, opts...)
	for _, az := range []string{"us-east-1a", "us-east-1b", "us-east-1a"} {
		register(t, e, "m5.large", az)
	}
	td1 := taskDef(t, e, "web", 256, 512)
	_, err := e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "shop", TaskDefinition: td1.TaskDefinitionARN, DesiredCount: ptr(4)})
	require.NoError(t, err)
	advance(e, 2*time.Minute)
	td2 := taskDef(t, e, "web", 256, 512)
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "shop", TaskDefinition: td2.TaskDefinitionARN})
	require.NoError(t, err)
	run := mustRunTask(t, e, td1.TaskDefinitionARN, 1)
	_, err = e.StopTask(ctx, &ecs.StopTaskRequest{Task: run.Tasks[0].TaskARN, Reason: `<script>alert("stopped")</script> & done`})
	require.NoError(t, err)
	advance(e, 10*time.Second)
	return e
}

// getConsole sends GET target to h as a browser does, with more headers,
// and returns the answer.
func getConsole(t testing.TB, h http.Handler, target string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept", browserAccept)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, err := io.ReadAll(rec.Result().Body)
	require.NoError(t, err)
	return rec.Result(), string(body)
}

func TestConsolePage(t *testing.T) {
	e := consoleWorld(t)
	resp, page := getConsole(t, e.Handler(AllowHosts()), "/", map[string]string{"Host": "127.0.0.1:8555"})
	require.Equal(t, http.StatusOK, resp.StatusCode, page)
	require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	csp := resp.Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'none'")
	require.Contains(t, csp, "connect-src 'self'")
	require.Contains(t, csp, "script-src '"+cspHash(consoleScript)+"'")
	for _, want := range []string{
		`<section id="clusters">`, `<section id="instances">`, `<section id="services">`, `<section id="tasks">`,
		`<a href="/?cluster=default">default</a>`,
		`3 registered (0 draining, 0 with the agent disconnected)`,
		`<svg class="heatmap"`, `<svg class="chart"`, `<svg class="tasksbar"`, `Instances by CPU left`, `Tasks by last status`,
		`<h3>shop <span class="meta">ACTIVE · web:2 · EC2 · `,
		`<td>deployment</td>`, `<td>PRIMARY</td>`, `<td>ACTIVE</td>`, `IN_PROGRESS`, `COMPLETED`,
		`(service shop) has started 4 tasks`,
		`service:shop`, `RUNNING`, `STOPPED`, `us-east-1b`,
		`data-refresh="2"`,
		`clock 2025-11-21 06:02:10Z (stopped: it moves when /_ecslocal/advance moves it)`,
	} {
		require.Contains(t, page, want)
	}
	// Three cells in the heat map, each with its figures.
	require.Equal(t, 3, strings.Count(page, "<g><title>i-"))
	require.Regexp(t, `<title>i-[0-9a-f]+ \(m5\.large, us-east-1a\) ACTIVE: CPU [0-9,]+ of 2,048 units left, memory [0-9,]+ of 7,680 MiB left; [0-9]+ running, [0-9]+ pending</title>`, page)
	// Self-contained: nothing loaded from anywhere, no form, and the
	// script reads with GET only.
	for _, banned := range []string{"src=", "<link rel=\"stylesheet\"", "<form", "@import", "url(", "method:", "POST"} {
		require.NotContains(t, page, banned)
	}
	require.NotRegexp(t, `(href|src)="(https?:)?//`, page)
}

// TestConsoleEscapes checks that what a user wrote (a stop reason, a
// cluster named in the URL) is text on the page, never markup.
func TestConsoleEscapes(t *testing.T) {
	e := consoleWorld(t)
	h := e.Handler()
	_, page := getConsole(t, h, "/", nil)
	require.NotContains(t, page, `<script>alert`)
	require.Contains(t, page, `&lt;script&gt;alert(&#34;stopped&#34;)&lt;/script&gt; &amp; done`)
	_, page = getConsole(t, h, "/?cluster="+`%3Cimg%20onerror%3Dx%3E"`, nil)
	require.NotContains(t, page, `<img`)
	require.Contains(t, page, `There is no cluster &lt;img onerror=x&gt;&#34;.`)
	// The page's one script is its own, which the policy names by hash.
	require.Equal(t, 1, strings.Count(page, "<script>"))
}

// TestConsoleLeavesTheAPI checks that only a GET or HEAD of / that accepts
// HTML is the console: what API clients send is answered as before.
func TestConsoleLeavesTheAPI(t *testing.T) {
	e := consoleWorld(t)
	h := e.Handler()
	for _, tc := range []struct {
		name, method, path, accept, target string
		want                               int
		console                            bool
	}{
		{name: "browser", method: http.MethodGet, path: "/", accept: browserAccept, want: http.StatusOK, console: true},
		{name: "HEAD", method: http.MethodHead, path: "/", accept: "text/html", want: http.StatusOK, console: true},
		{name: "no Accept", method: http.MethodGet, path: "/", want: http.StatusMethodNotAllowed},
		{name: "anything", method: http.MethodGet, path: "/", accept: "*/*", want: http.StatusMethodNotAllowed},
		{name: "JSON", method: http.MethodGet, path: "/", accept: "application/json", want: http.StatusMethodNotAllowed},
		{name: "HTML refused", method: http.MethodGet, path: "/", accept: "text/html;q=0, */*", want: http.StatusMethodNotAllowed},
		{name: "another path", method: http.MethodGet, path: "/index.html", accept: browserAccept, want: http.StatusMethodNotAllowed},
		{name: "POST of the API", method: http.MethodPost, path: "/", accept: browserAccept, target: "ListClusters", want: http.StatusOK},
		{name: "control GET", method: http.MethodGet, path: "/_ecslocal/clock", accept: browserAccept, want: http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(""))
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			if tc.target != "" {
				req.Header.Set("X-Amz-Target", targetPrefix+tc.target)
				req.Header.Set("Content-Type", contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tc.want, rec.Code, rec.Body.String())
			html := strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html")
			require.Equal(t, tc.console, html, rec.Header().Get("Content-Type"))
			if tc.method == http.MethodHead {
				require.Zero(t, rec.Body.Len())
			}
			if !tc.console && tc.want == http.StatusMethodNotAllowed {
				require.Equal(t, unknownOperationException, rec.Header().Get("X-Amzn-ErrorType"))
			}
		})
	}
}

// TestConsoleRefusesOtherSites checks that the page keeps the API's Host
// and Origin rules: another name for the host (DNS rebinding) and pages
// of other sites are refused.
func TestConsoleRefusesOtherSites(t *testing.T) {
	e := consoleWorld(t)
	h := e.Handler(AllowHosts("ecs.test"))
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"loopback", map[string]string{"Host": "127.0.0.1:8555"}, http.StatusOK},
		{"localhost", map[string]string{"Host": "localhost:8555"}, http.StatusOK},
		{"IPv6 loopback", map[string]string{"Host": "[::1]:8555"}, http.StatusOK},
		{"allowed host", map[string]string{"Host": "ecs.test:8555"}, http.StatusOK},
		{"own origin", map[string]string{"Host": "localhost:8555", "Origin": "http://localhost:8555"}, http.StatusOK},
		{"rebound name", map[string]string{"Host": "attacker.example:8555"}, http.StatusForbidden},
		{"other site's page", map[string]string{"Host": "127.0.0.1:8555", "Origin": "https://attacker.example"}, http.StatusForbidden},
		{"opaque origin", map[string]string{"Host": "127.0.0.1:8555", "Origin": "null"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := getConsole(t, h, "/", tc.header)
			require.Equal(t, tc.want, resp.StatusCode, body)
			if tc.want == http.StatusForbidden {
				require.Equal(t, accessDeniedException, resp.Header.Get("X-Amzn-ErrorType"))
				require.NotContains(t, body, "<html")
			}
		})
	}
}

// TestConsoleReadOnly checks that showing the page changes nothing: the
// clock stays where it was, even with AdvancePerRequest, and the cluster
// is described as before.
func TestConsoleReadOnly(t *testing.T) {
	e := consoleWorld(t, WithAdvancePerRequest(time.Second))
	before := e.Clock().Now()
	describe := func() []ecs.Cluster {
		out, _, err := e.describeClusters(context.Background(), nil)
		require.NoError(t, err)
		return out
	}
	was := describe()
	for range 3 {
		resp, _ := getConsole(t, e.Handler(), "/?cluster=default&tasks=1&instances=9&services=2&refresh=0", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	require.Equal(t, before, e.Clock().Now())
	require.Equal(t, was, describe())
}

func TestConsoleRefresh(t *testing.T) {
	e := consoleWorld(t)
	for _, tc := range []struct{ query, want string }{
		{"", `data-refresh="2"`},
		{"?refresh=0", `data-refresh="0"`},
		{"?refresh=15", `data-refresh="15"`},
		{"?refresh=99999", `data-refresh="3600"`},
		{"?refresh=soon", `data-refresh="2"`},
	} {
		_, page := getConsole(t, e.Handler(), "/"+tc.query, nil)
		require.Contains(t, page, tc.want, tc.query)
	}
	// The page's data-now is the clock as /_ecslocal/clock writes it, which
	// the script compares.
	_, page := getConsole(t, e.Handler(), "/", nil)
	now, _ := ecs.NewTime(e.Clock().Now()).MarshalJSON()
	require.Contains(t, page, `data-now="`+string(now)+`"`)
}

// TestConsolePages checks the pages of a list longer than a page: a
// cluster of more instances and tasks than one page shows, and the
// links between pages, which keep the other members of the query.
func TestConsolePages(t *testing.T) {
	e := newTestECS(t)
	for i := range consoleCells + 20 {
		register(t, e, "c5.large", "us-east-1"+string(rune('a'+i%3)))
	}
	td := taskDef(t, e, "batch", 64, 128)
	for range 2 {
		mustRunTask(t, e, td.TaskDefinitionARN, 10)
		advance(e, time.Second)
	}
	h := e.Handler()
	_, page := getConsole(t, h, "/?refresh=5", nil)
	require.Contains(t, page, "container instances 1–500 of 520")
	require.Equal(t, consoleCells, strings.Count(page, "<g><title>"))
	require.Contains(t, page, `<a href="/?instances=1&amp;refresh=5">next</a>`)
	require.Contains(t, page, "tasks, newest first 1–20 of 20")
	_, page = getConsole(t, h, "/?instances=1&refresh=5", nil)
	require.Contains(t, page, "container instances 501–520 of 520")
	require.Equal(t, 20, strings.Count(page, "<g><title>"))
	require.Contains(t, page, `<a href="/?refresh=5">previous</a>`)
	// Beyond the last page is the last page.
	_, page = getConsole(t, h, "/?instances=99", nil)
	require.Contains(t, page, "container instances 501–520 of 520")
}

func TestAcceptsHTML(t *testing.T) {
	for _, tc := range []struct {
		accept string
		want   bool
	}{
		{browserAccept, true},
		{"text/html", true},
		{"application/xhtml+xml", true},
		{"TEXT/HTML; charset=utf-8", true},
		{"text/html;q=0.1", true},
		{"text/html;q=0", false},
		{"text/html;q=0.000", false},
		{"text/html;q=x", false},
		{"*/*", false},
		{"text/*", false},
		{"application/json", false},
		{"", false},
		{"text/html;;;", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept", tc.accept)
		require.Equal(t, tc.want, acceptsHTML(req), tc.accept)
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""}, {"abc", 3, "abc"}, {"abcd", 3, "abc…"}, {"ééééé", 2, "éé…"}, {"abc", 0, "…"},
	} {
		require.Equal(t, tc.want, clip(tc.s, tc.n), tc.s)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 123456: "123,456", 1234567: "1,234,567", -4096: "-4,096"} {
		require.Equal(t, want, thousands(n), strconv.Itoa(n))
	}
}

// maxConsoleBytes bounds the page at any scale: the heat map of a page of
// instances, a page of services with their deployments and events, a page
// of tasks.
const maxConsoleBytes = 256 << 10

// TestConsoleAtScale shows the page of the cluster: 5,000
// instances and 1,000 services of 100 tasks, 100,000 tasks running.
// The page stays within maxConsoleBytes, and says how many there are of
// each.
func TestConsoleAtScale(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a cluster of 100,000 tasks (not with -short or the race detector)")
	}
	r := newScaleRun(t, scale{instances: 5000, services: 1000, tasks: 100})
	r.createServices(t)
	r.settle(t, r.rev1)
	h := r.e.Handler()
	for _, query := range []string{"/", "/?instances=9&services=19&tasks=99"} {
		resp, page := getConsole(t, h, query, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Less(t, len(page), maxConsoleBytes, query)
		t.Logf("%s: %d bytes", query, len(page))
		require.Contains(t, page, "5,000 registered")
		require.Contains(t, page, "100,000 tasks")
		require.Contains(t, page, "The pages reach the newest 5,000 of 100,000 tasks")
		require.Equal(t, consoleCells, strings.Count(page, "<g><title>"), query)
		require.Equal(t, consoleServices, strings.Count(page, `<div class="svc">`), query)
		require.Equal(t, consoleTasks, len(regexp.MustCompile(`<tr><td>[0-9a-f]{32}</td>`).FindAllString(page, -1)), query)
	}
}

// BenchmarkConsolePage serves the page of the cluster (5,000
// instances, 100,000 tasks) and reports its size.
func BenchmarkConsolePage(b *testing.B) {
	r := newScaleRun(b, scale{instances: 5000, services: 1000, tasks: 100})
	r.createServices(b)
	r.settle(b, r.rev1)
	h := r.e.Handler()
	size := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept", browserAccept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "page-bytes")
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/page")
}
