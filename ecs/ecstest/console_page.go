package ecstest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// acceptsHTML reports whether a request's Accept header names an HTML
// type, as a browser's navigation sends: only then does GET / serve the
// console, so that what an API client sends (no Accept, */*, JSON) is
// answered as before.
func acceptsHTML(r *http.Request) bool {
	for _, field := range r.Header.Values("Accept") {
		for _, part := range strings.Split(field, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil || (mt != "text/html" && mt != "application/xhtml+xml") {
				continue
			}
			if q, ok := params["q"]; ok {
				if v, err := strconv.ParseFloat(strings.TrimSpace(q), 64); err != nil || v <= 0 {
					continue // q=0: not acceptable
				}
			}
			return true
		}
	}
	return false
}

// isConsole reports whether the handler serves r the console.
func isConsole(r *http.Request) bool {
	return r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && acceptsHTML(r)
}

// serveConsole writes the console page. It changes nothing: it reads the
// control plane under its lock, then writes the page after. The page
// loads nothing from elsewhere, and its Content-Security-Policy lets it
// run its own script and style only, and fetch from this server only.
func (h *handler) serveConsole(w http.ResponseWriter, r *http.Request) {
	if !h.admit.enter() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "ecslocal is busy: too many requests at once.", http.StatusServiceUnavailable)
		return
	}
	defer h.admit.leave()
	done, err := h.admit.work(r.Context())
	if err != nil {
		return // the browser has gone
	}
	defer done()
	view := h.e.gatherConsole(parseConsoleQuery(r.URL.Query()))
	var buf bytes.Buffer
	if err := consolePage.Execute(&buf, view); err != nil {
		h.e.logger.Error("ecstest: console page failed", "error", err)
		http.Error(w, "The console page failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Vary", "Accept")
	hd.Set("Content-Security-Policy", consoleCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// consoleStyle is the page's style sheet.
const consoleStyle = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#232f3e;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:baseline}
header h1{font-size:18px;margin:0}
#live{margin:0;font-size:12px;color:#d5dbdb}
main{padding:0 16px 16px}
section{background:#fff;border:1px solid #d5dbdb;border-radius:4px;margin:12px 0;padding:8px 12px}
h2{font-size:16px;margin:4px 0 8px}
h3{font-size:14px;margin:8px 0 4px}
table{border-collapse:collapse;font-size:13px;display:block;max-width:100%;overflow-x:auto}
th,td{text-align:left;padding:2px 8px;border-bottom:1px solid #eaeded;vertical-align:top;white-space:nowrap}
td.wrap{white-space:normal;min-width:16em}
th{background:#f2f3f3}
td.n,th.n{text-align:right}
tr.sel td{background:#f1faff}
.meta,.note{color:#545b64;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:24px}
.svc{border-top:1px solid #d5dbdb;padding:6px 0}
.events{margin:4px 0 0;padding-left:18px;font-size:12px;color:#414d5c}
.pager a{margin-right:12px}
svg.legend text{font:11px system-ui,sans-serif;fill:#1b1b1b}
svg.heatmap rect,svg.legend rect{stroke:#aab7b8;stroke-width:.5}
svg.heatmap rect.mark{fill:none;stroke:#232f3e;stroke-width:1.5}
`

// consoleScript refreshes the page while the clock moves: every
// data-refresh seconds it reads /_ecslocal/clock, and when the clock has
// moved (or after five looks in any case, for changes made through the
// API on a stopped clock) it fetches the page again and puts its new
// <main> in place of the old. It sends GETs only.
const consoleScript = `
(function () {
  "use strict";
  var live = document.getElementById("live");
  var current = function () { return document.querySelector("main"); };
  var every = Number(current().dataset.refresh) * 1000;
  if (!(every > 0)) { live.textContent = "Not refreshed (refresh=0)."; return; }
  var shown = Number(current().dataset.now), looks = 0, busy = false;
  live.textContent = "Refreshed while the clock moves.";
  async function tick() {
    if (busy || document.hidden) { return; }
    busy = true;
    try {
      var clock = await (await fetch("/_ecslocal/clock", {cache: "no-store"})).json();
      looks++;
      if (clock.now === shown && looks < 5) { return; }
      var resp = await fetch(location.href, {cache: "no-store", headers: {Accept: "text/html"}});
      if (!resp.ok) { throw new Error("status " + resp.status); }
      var doc = new DOMParser().parseFromString(await resp.text(), "text/html");
      var fresh = doc.querySelector("main");
      if (fresh) {
        current().replaceWith(document.importNode(fresh, true));
        shown = Number(fresh.dataset.now);
        looks = 0;
      }
      live.textContent = "Refreshed while the clock moves.";
    } catch (err) {
      live.textContent = "The server did not answer (" + err.message + "): trying again.";
    } finally {
      busy = false;
    }
  }
  setInterval(tick, every);
})();
`

// consoleCSP lets the page run its own style and script, by their
// hashes, and fetch from its own server; nothing else.
var consoleCSP = "default-src 'none'; style-src '" + cspHash(consoleStyle) + "'; script-src '" + cspHash(consoleScript) +
	"'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

var consolePage = template.Must(template.New("console").Funcs(template.FuncMap{
	"n":       thousands,
	"palette": func() [10]string { return leftPalette },
	"cell":    func(i int) int { return 80 + i*15 },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ecslocal · {{.Region}}</title><link rel="icon" href="data:,">
<style>` + consoleStyle + `</style></head>
<body><header><h1>ecslocal</h1><p id="live">Not refreshed: the page's script did not run.</p></header>
<main data-now="{{.NowEpoch}}" data-refresh="{{.Refresh}}">
<p class="meta">Region {{.Region}} · account {{.Account}} · clock {{.Now}} ({{.Speed}}) · read-only: the API and <code>/_ecslocal/</code> change things</p>
<section id="clusters"><h2>Clusters</h2>
{{- if .Clusters}}
<table><thead><tr><th>cluster</th><th>status</th><th class="n">instances</th><th class="n">services</th><th class="n">running</th><th class="n">pending</th><th class="n">CPU used</th><th class="n">memory used</th></tr></thead><tbody>
{{- range .Clusters}}
<tr{{if .Selected}} class="sel"{{end}}><td><a href="{{.Link}}">{{.Name}}</a></td><td>{{.Status}}</td><td class="n">{{n .Instances}}</td><td class="n">{{n .Services}}</td><td class="n">{{n .Running}}</td><td class="n">{{n .Pending}}</td><td class="n">{{.CPU.UsedPercent}} %</td><td class="n">{{.Memory.UsedPercent}} %</td></tr>
{{- end}}
</tbody></table>
{{- if .MoreClusters}}<p class="note">and {{.MoreClusters}} more clusters: name one with ?cluster=NAME.</p>{{end}}
{{- else}}<p>No clusters yet: aws ecs create-cluster makes one.</p>{{end}}
{{- if .Missing}}<p class="note">There is no cluster {{.Missing}}.</p>{{end}}
</section>
{{- with .Cluster}}
<section id="instances"><h2>Container instances of {{.Name}}</h2>
{{- with .Instances}}
<p>{{n .Registered}} registered ({{.Draining}} draining, {{.Disconnected}} with the agent disconnected){{if .Inactive}}, {{.Inactive}} deregistered{{end}} · CPU {{n .CPU.Remaining}} of {{n .CPU.Registered}} units left ({{.CPU.UsedPercent}} % used) · memory {{n .Memory.Remaining}} of {{n .Memory.Registered}} MiB left ({{.Memory.UsedPercent}} % used)</p>
{{- if .Registered}}
<div class="charts">{{.CPULeft}}{{.MemoryLeft}}</div>
<h3>What each has left</h3>
<p class="note">One cell per instance, by zone and type: its left half is the CPU it has left, its right half its memory; dark is nothing left, pale all of it; outlined when draining or its agent is disconnected. Point at a cell for the figures.</p>
<div><svg class="legend" role="img" aria-label="colours of the part left" width="330" height="16" viewBox="0 0 330 16" xmlns="http://www.w3.org/2000/svg"><text x="0" y="12">nothing left</text>{{range $i, $c := palette}}<rect x="{{cell $i}}" y="2" width="12" height="12" fill="{{$c}}"/>{{end}}<text x="234" y="12">all of it left</text></svg></div>
<svg class="heatmap" role="img" aria-label="heat map of what each container instance has left" width="{{.Heat.Width}}" height="{{.Heat.Height}}" viewBox="0 0 {{.Heat.Width}} {{.Heat.Height}}" xmlns="http://www.w3.org/2000/svg">
{{- range .Heat.Cells}}
<g><title>{{.Title}}</title><rect x="{{.X}}" y="{{.Y}}" width="6" height="12" fill="{{.CPUFill}}"/><rect x="{{.MemX}}" y="{{.Y}}" width="6" height="12" fill="{{.MemFill}}"/>{{if .Marked}}<rect class="mark" x="{{.X}}" y="{{.Y}}" width="12" height="12"/>{{end}}</g>
{{- end}}
</svg>
{{template "pager" .Page}}
{{- end}}
{{- end}}
</section>
<section id="services"><h2>Services of {{.Name}}</h2>
{{- with .Services}}
<p>{{n .Active}} active, {{n .Draining}} draining{{if .Inactive}}, {{n .Inactive}} deleted{{end}}.</p>
{{- range .List}}
<div class="svc"><h3>{{.Name}} <span class="meta">{{.Status}} · {{.TaskDefinition}}{{if .Launch}} · {{.Launch}}{{end}} · {{n .Running}} running, {{n .Pending}} pending of {{n .Desired}} desired</span></h3>
<svg class="tasksbar" role="img" aria-label="tasks running and pending of the desired count" width="{{.Bar.Width}}" height="12" viewBox="0 0 {{.Bar.Width}} 12" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="{{.Bar.Width}}" height="12" fill="#eaeded"/><rect x="0" y="0" width="{{.Bar.RunW}}" height="12" fill="#1d8102"/><rect x="{{.Bar.PendX}}" y="0" width="{{.Bar.PendW}}" height="12" fill="#f2c744"/><rect x="{{.Bar.DesiredX}}" y="0" width="1" height="12" fill="#232f3e"/></svg>
{{- if .Deployments}}
<table><thead><tr><th></th><th>id</th><th>status</th><th>rollout</th><th>task definition</th><th class="n">desired</th><th class="n">pending</th><th class="n">running</th><th class="n">failed</th><th>created</th></tr></thead><tbody>
{{- range .Deployments}}
<tr><td>{{.Kind}}</td><td>{{.ID}}</td><td>{{.Status}}</td><td class="wrap">{{.Rollout}}{{if .Reason}}: {{.Reason}}{{end}}</td><td>{{.TaskDefinition}}</td><td class="n">{{.Desired}}</td><td class="n">{{.Pending}}</td><td class="n">{{.Running}}</td><td class="n">{{.Failed}}</td><td>{{.Created}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- if .Events}}
<ul class="events">
{{- range .Events}}<li>{{.At}} {{.Message}}</li>{{end}}
{{- if .MoreEvents}}<li>and {{.MoreEvents}} earlier events (aws ecs describe-services)</li>{{end}}
</ul>
{{- end}}
</div>
{{- end}}
{{template "pager" .Page}}
{{- end}}
</section>
<section id="tasks"><h2>Tasks of {{.Name}}</h2>
{{- with .Tasks}}
<p>{{n .Total}} tasks, the stopped ones included.</p>
{{- if .Total}}
<div class="charts">{{.ByStatus}}</div>
<table><thead><tr><th>task</th><th>group</th><th>task definition</th><th>last status</th><th>desired</th><th>health</th><th>on</th><th>zone</th><th>created</th><th>stopped reason</th></tr></thead><tbody>
{{- range .List}}
<tr><td>{{.ID}}</td><td>{{.Group}}</td><td>{{.TaskDefinition}}</td><td>{{.LastStatus}}</td><td>{{.DesiredStatus}}</td><td>{{.Health}}</td><td>{{.Where}}</td><td>{{.Zone}}</td><td>{{.Created}}</td><td class="wrap">{{.Stopped}}</td></tr>
{{- end}}
</tbody></table>
{{template "pager" .Page}}
{{- end}}
{{- end}}
</section>
{{- end}}
</main>
<script>` + consoleScript + `</script>
</body></html>
{{define "pager"}}<p class="pager">{{if .Total}}{{.What}} {{n .From}}–{{n .To}} of {{n .Total}}{{end}}{{if .Prev}} <a href="{{.Prev}}">previous</a>{{end}}{{if .Next}} <a href="{{.Next}}">next</a>{{end}}{{if .Note}} <span class="note">{{.Note}}</span>{{end}}</p>{{end}}
`))
