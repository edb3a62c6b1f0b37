package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

// consoleServer serves a control plane on a stopped clock with the
// default cluster: 30 instances of three types over three zones, a
// service of 24 tasks rolling to a second revision, and a task run by
// hand and stopped.
func consoleServer(t *testing.T) *ecstest.Server {
	t.Helper()
	ctx := context.Background()
	clock := ecstest.NewClock(time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC), 0)
	e := ecstest.New(ecstest.WithClock(clock))
	t.Cleanup(e.Close)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: "default"}))
	for i := range 30 {
		must(e.LaunchInstance(ctx, "default", ecstest.Instance{
			InstanceType:     []string{"m5.large", "c5.xlarge", "r5.large"}[i%3],
			AvailabilityZone: fmt.Sprintf("us-east-1%c", 'a'+i%3),
		}))
	}
	memory := 768
	register := func(image string) {
		must(e.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionRequest{Family: "web",
			ContainerDefinitions: []ecs.ContainerDefinition{{Name: "app", Image: image, CPU: 512, Memory: &memory}}}))
	}
	register("nginx:1")
	desired := 24
	must(e.CreateService(ctx, &ecs.CreateServiceRequest{ServiceName: "shop", TaskDefinition: "web", DesiredCount: &desired}))
	clock.Advance(3 * time.Minute)
	register("nginx:2")
	must(e.UpdateService(ctx, &ecs.UpdateServiceRequest{Service: "shop", TaskDefinition: "web"}))
	run, err := e.RunTask(ctx, &ecs.RunTaskRequest{TaskDefinition: "web:1"})
	must(run, err)
	must(e.StopTask(ctx, &ecs.StopTaskRequest{Task: run.Tasks[0].TaskARN, Reason: "stopped by the browser test"}))
	clock.Advance(20 * time.Second)
	srv := ecstest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// TestConsole loads the console of a running server: its four sections,
// its charts drawn (the heat map one cell per instance), no console
// error, and a refresh once the clock moves.
func TestConsole(t *testing.T) {
	b := browser(t)
	dir := artifacts(t)
	srv := consoleServer(t)
	tb := openTab(t, b, srv.URL+"/?refresh=1")
	r := tb.read(t)
	requireContains(t, "sections", r.Sections, "clusters", "instances", "services", "tasks")
	requireContains(t, "headings", r.Headings, "Clusters", "Container instances of default", "Services of default", "Tasks of default")
	n := countCharts(r.Charts)
	for class, want := range map[string]int{"heatmap": 1, "legend": 1, "chart": 3, "tasksbar": 1} {
		if n[class] != want {
			t.Errorf("%d charts of class %s, want %d: %+v", n[class], class, want, r.Charts)
		}
	}
	cells, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.heatmap > g").length`))
	if err != nil || cells != 30 {
		t.Errorf("the heat map has %d cells (%v), want one per instance, 30", cells, err)
	}
	tb.screenshot(t, dir, "console")
	// At 1280 px every section holds its tables: a table wider than its
	// section scrolls inside it, the page does not.
	over, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("section")]
		.filter(s => s.scrollWidth > s.clientWidth).map(s => s.id + ": " + s.scrollWidth + " > " + s.clientWidth)
		.concat(document.documentElement.scrollWidth > innerWidth ? ["page: " + document.documentElement.scrollWidth] : [])`))
	if err != nil || len(over) > 0 {
		t.Errorf("wider than the window's 1280 px: %v (%v)", over, err)
	}

	// The clock moves: the page shows the new time within a few looks.
	before, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector("main").dataset.now`))
	if err != nil {
		t.Fatal(err)
	}
	advance, err := http.NewRequest(http.MethodPost, srv.URL+"/_ecslocal/advance", strings.NewReader(`{"seconds": 90}`))
	if err != nil {
		t.Fatal(err)
	}
	advance.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(advance)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("advance the clock: %v %v", resp, err)
	}
	resp.Body.Close()
	var now string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if now, err = chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector("main").dataset.now`)); err != nil {
			t.Fatal(err)
		}
		if now != before {
			break
		}
	}
	if now == before {
		t.Fatalf("the page still shows the clock at %s after it moved 90 s", before)
	}
	live, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("live").textContent`))
	if err != nil || live != "Refreshed while the clock moves." {
		t.Errorf("live: %q %v", live, err)
	}
	tb.read(t) // the new page's charts drawn too
	tb.requireClean(t)
}
