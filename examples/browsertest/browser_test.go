package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumNames returns the names of Chromium to look for on PATH, in
// order, from the file chromium-names, which .ci/run reads too: the two
// agree on whether a Chromium is there to drive.
func chromiumNames(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("chromium-names")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}

// chromiumPath returns the Chromium to drive: $ECSCORE_CHROMIUM, or the
// first of chromiumNames on PATH. Where there is none, the test skips,
// unless CI=true or ECSCORE_REQUIRE_BROWSER=1 say that it must run
// (.ci/run installs Debian's chromium).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ECSCORE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range chromiumNames(t) {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" || os.Getenv("ECSCORE_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium: install Debian's chromium (apt-get install chromium) or name one with ECSCORE_CHROMIUM")
	}
	t.Skip("no Chromium on PATH (Debian's chromium package; ECSCORE_CHROMIUM names another); CI=true or ECSCORE_REQUIRE_BROWSER=1 make this a failure")
	return ""
}

// artifacts returns the directory for the screenshots:
// $ECSCORE_BROWSER_ARTIFACTS, made if need be, or the test's temporary
// directory.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ECSCORE_BROWSER_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshots directory: %v", err)
	}
	return dir
}

// The browser the tests share: started by the first test that needs
// it, stopped by TestMain once they have run.
var shared struct {
	once    sync.Once
	ctx     context.Context
	err     error
	stop    func()
	profile string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.stop != nil {
		shared.stop()
	}
	if shared.profile != "" {
		os.RemoveAll(shared.profile)
	}
	os.Exit(code)
}

// browser returns a context of headless Chromium, started at the first
// call with a fresh profile and the flags that keep it off the network
// but for the pages it is sent to.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	shared.once.Do(func() {
		shared.profile, shared.err = os.MkdirTemp("", "ecscore-chromium-")
		if shared.err != nil {
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox, // as root, as CI runs
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.UserDataDir(shared.profile),
			chromedp.WindowSize(1280, 900),
		)
		ctx, cancel := chromedp.NewContext(alloc)
		shared.ctx, shared.stop = ctx, func() { cancel(); cancelAlloc() }
		// The first run starts the browser; it takes no timeout, which
		// would stop the browser with it.
		shared.err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void]("0"))
	})
	if shared.err != nil {
		t.Fatalf("start %s: %v", path, shared.err)
	}
	return shared.ctx
}

// tab is a page open in its own tab of the browser, with what it wrote
// to its console.
type tab struct {
	ctx context.Context
	mu  sync.Mutex
	msg []chromedp.ConsoleMessage
}

// openTab opens a tab, listens to its console and loads address in it.
func openTab(t *testing.T, b context.Context, address string) *tab {
	t.Helper()
	tctx, cancel := chromedp.NewContext(b)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(tctx, time.Minute)
	t.Cleanup(cancelTimeout)
	tb := &tab{ctx: ctx}
	messages := chromedp.Console(ctx) // subscribed now, read as they come
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.msg = append(tb.msg, m)
			tb.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancelTimeout(); <-done })
	if err := chromedp.Do(ctx, chromedp.Navigate(address), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("load %s: %v", address, err)
	}
	return tb
}

// problems returns the errors and exceptions the page wrote to its
// console so far.
func (tb *tab) problems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
	for _, m := range tb.msg {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, m.String()+" ("+m.URL+")")
		}
	}
	return out
}

// rendered is what a page shows, read in the page.
type rendered struct {
	Title    string   `json:"title"`
	Headings []string `json:"headings"`
	Sections []string `json:"sections"`
	Charts   []chart  `json:"charts"`
}

// chart is an svg element of the page, as the browser laid it out.
type chart struct {
	Class  string  `json:"class"`
	Label  string  `json:"label"` // its aria-label, or its first title
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Shapes int     `json:"shapes"` // the shapes and texts it draws
}

const readPage = `(() => ({
  title: document.title,
  headings: [...document.querySelectorAll("h1, h2")].map(h => h.textContent.trim()),
  sections: [...document.querySelectorAll("section[id]")].map(s => s.id),
  charts: [...document.querySelectorAll("svg")].map(s => {
    const r = s.getBoundingClientRect();
    const title = s.querySelector("title");
    return {
      class: s.getAttribute("class") || "",
      label: s.getAttribute("aria-label") || (title ? title.textContent : ""),
      width: r.width, height: r.height,
      shapes: s.querySelectorAll("rect, path, line, polyline, polygon, circle, text").length,
    };
  }),
}))()`

// read reads what the page shows, and requires that every chart is
// drawn: laid out at a size above zero, with shapes in it.
func (tb *tab) read(t *testing.T) rendered {
	t.Helper()
	r, err := chromedp.Run(tb.ctx, chromedp.Evaluate[rendered](readPage))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	for _, c := range r.Charts {
		if c.Width <= 0 || c.Height <= 0 || c.Shapes == 0 {
			t.Errorf("chart %q (%s) is not drawn: %gx%g px, %d shapes", c.Label, c.Class, c.Width, c.Height, c.Shapes)
		}
	}
	return r
}

// screenshot saves the whole page as name.png in the artifacts.
func (tb *tab) screenshot(t *testing.T, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

// requireClean fails the test with the page's console errors.
func (tb *tab) requireClean(t *testing.T) {
	t.Helper()
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("the page wrote %d errors to its console:\n%s", len(p), strings.Join(p, "\n"))
	}
}

// countCharts counts the charts of each class.
func countCharts(charts []chart) map[string]int {
	n := map[string]int{}
	for _, c := range charts {
		n[c.Class]++
	}
	return n
}

func requireContains(t *testing.T, what string, list []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(list, w) {
			t.Errorf("%s %q lack %q", what, list, w)
		}
	}
}

// TestConsoleErrorsCaught checks the checker: a page that writes an
// error, throws, and loads what is not there is caught.
func TestConsoleErrorsCaught(t *testing.T) {
	b := browser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>
<svg width="0" height="10"><rect width="5" height="5"/></svg>
<script>console.error("written"); setTimeout(() => { throw new Error("thrown"); });</script>
<img src="/missing.png"></body></html>`))
	}))
	t.Cleanup(srv.Close)
	tb := openTab(t, b, srv.URL+"/")
	deadline := time.Now().Add(10 * time.Second)
	for len(tb.problems()) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	got := strings.Join(tb.problems(), "\n")
	for _, want := range []string{"error: written", "thrown", "404"} {
		if !strings.Contains(got, want) {
			t.Errorf("the checker missed %q; it caught:\n%s", want, got)
		}
	}
	r, err := chromedp.Run(tb.ctx, chromedp.Evaluate[rendered](readPage))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Charts) != 1 || r.Charts[0].Width != 0 {
		t.Errorf("charts: %+v, want one of width 0", r.Charts)
	}
}

// ecsplanPages writes the HTML capacity plan and rollout of the ecsplan
// golden files' inputs (examples/ecsplan's README commands) into dir,
// with ecsplan built from this checkout, and returns their paths.
func ecsplanPages(t *testing.T, dir string) map[string]string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ecsplan")
	build := exec.Command("go", "build", "-o", bin, "github.com/ecscore/ecscore/examples/ecsplan")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ecsplan: %v\n%s", err, out)
	}
	runs := map[string][]string{
		"plan": {"capacity", "plan", "-services", "testdata/capacity/services.json",
			"-task-definitions", "testdata/capacity/web.json", "testdata/capacity/api.json", "testdata/capacity/logs.json",
			"-instance-types", "testdata/capacity/types.json", "-headroom", "2", "-o", "html"},
		"rollout": {"rollout", "-service", "testdata/rollout/service-canary.json",
			"-cluster", "../../ecs/testdata/describe-container-instances-small-cluster.json",
			"-task-definition", "testdata/rollout/web-2.json", "-current-task-definition", "testdata/rollout/web-1.json",
			"-strategy", "CANARY", "-canary-percent", "20", "-canary-bake-time", "3", "-bake-time", "2", "-o", "html"},
	}
	pages := map[string]string{}
	for name, args := range runs {
		cmd := exec.Command(bin, args...)
		cmd.Dir = filepath.Join("..", "ecsplan")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ecsplan %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		path := filepath.Join(dir, name+".html")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		pages[name] = path
	}
	return pages
}

func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

// TestReports loads ecsplan's HTML capacity plan and canary rollout in
// Chromium: their sections are there, every chart is drawn, and nothing
// goes to the console.
func TestReports(t *testing.T) {
	b := browser(t)
	dir := artifacts(t)
	pages := ecsplanPages(t, t.TempDir())
	for _, tc := range []struct {
		name     string
		headings []string
		charts   int // svg.chart elements at least
	}{
		{"plan", []string{"Instance types", "Utilisation per zone", "Options"}, 5},
		{"rollout", []string{"Events", "Steps", "Stages"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := openTab(t, b, fileURL(pages[tc.name]))
			r := tb.read(t)
			requireContains(t, "headings", r.Headings, tc.headings...)
			if n := countCharts(r.Charts)["chart"]; n < tc.charts {
				t.Errorf("%d charts, want %d at least: %+v", n, tc.charts, r.Charts)
			}
			for _, c := range r.Charts {
				if c.Label == "" {
					t.Errorf("a chart without a title: %+v", c)
				}
			}
			tb.screenshot(t, dir, tc.name)
			tb.requireClean(t)
		})
	}
}

// TestReportGoldens loads every HTML golden file of ecsplan (the plans
// with Spot, zone loss and services EC2 cannot place, the failed
// rollout, ...), which its golden tests keep equal to what it writes:
// every chart drawn, nothing on the console.
func TestReportGoldens(t *testing.T) {
	b := browser(t)
	dir := artifacts(t)
	goldens, err := filepath.Glob(filepath.Join("..", "ecsplan", "testdata", "*.html.golden"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no HTML golden files of ecsplan (%v)", err)
	}
	for _, path := range goldens {
		name := strings.TrimSuffix(filepath.Base(path), ".html.golden")
		if name == "plan" || name == "rollout-canary" {
			continue // TestReports loads them as ecsplan writes them
		}
		t.Run(name, func(t *testing.T) {
			page, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			html := filepath.Join(t.TempDir(), name+".html") // a browser reads a file by its name's end
			if err := os.WriteFile(html, page, 0o644); err != nil {
				t.Fatal(err)
			}
			tb := openTab(t, b, fileURL(html))
			r := tb.read(t)
			if countCharts(r.Charts)["chart"] == 0 || len(r.Headings) == 0 {
				t.Errorf("no chart or heading: %+v", r)
			}
			tb.screenshot(t, dir, "golden-"+name)
			tb.requireClean(t)
		})
	}
}
