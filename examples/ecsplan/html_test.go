package main

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/ecscore/ecscore/internal/svg"
	"github.com/stretchr/testify/require"
)

// rolloutCanaryArgs are the arguments of the canary rollout whose reports
// are golden files; the browser test's HTML rollout is made from them
// (README: ecsplan, HTML reports).
var rolloutCanaryArgs = []string{
	"-service", "testdata/rollout/service-canary.json", "-cluster", clusterFile,
	"-task-definition", "testdata/rollout/web-2.json", "-current-task-definition", "testdata/rollout/web-1.json",
	"-strategy", "CANARY", "-canary-percent", "20", "-canary-bake-time", "3", "-bake-time", "2",
}

var (
	// externalRef finds what would make a browser fetch something: a
	// src, href or action naming a URL with a scheme or a host, a CSS
	// url() or @import, and the elements that load.
	externalRef = regexp.MustCompile(`(?i)\b(src|href|xlink:href|action|poster|srcset)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:|//)|url\(|@import|<(script|link|img|iframe|object|embed|image|use)\b`)
	svgElement  = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)
)

// noIcon is the page's empty icon, a data: URL that fetches nothing.
const noIcon = `<link rel="icon" href="data:,">`

// requireSelfContainedHTML checks that page needs nothing outside itself
// and that it has at least charts charts, each a well-formed svg element
// with a width, a height, a viewBox and a title.
func requireSelfContainedHTML(t *testing.T, page string, charts int) {
	t.Helper()
	require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"), "an HTML document")
	require.Equal(t, 1, strings.Count(page, noIcon), "the empty icon, once")
	rest := strings.Replace(page, noIcon, "", 1)
	require.Nil(t, externalRef.FindStringIndex(rest), "an external reference: %q", externalRef.FindString(rest))
	found := svgElement.FindAllString(page, -1)
	require.GreaterOrEqual(t, len(found), charts)
	for _, s := range found {
		var doc struct {
			Width   string `xml:"width,attr"`
			Height  string `xml:"height,attr"`
			ViewBox string `xml:"viewBox,attr"`
			Title   string `xml:"title"`
		}
		require.NoError(t, xml.Unmarshal([]byte(s), &doc), "well-formed SVG")
		require.Regexp(t, `^[0-9.]+$`, doc.Width)
		require.Regexp(t, `^[0-9.]+$`, doc.Height)
		require.Equal(t, "0 0 "+doc.Width+" "+doc.Height, doc.ViewBox)
		require.NotEmpty(t, doc.Title)
	}
}

// TestHTMLEscapes: text from the input (service names, event messages,
// notes) cannot add markup to a report, in the page or in its charts.
func TestHTMLEscapes(t *testing.T) {
	evil := `<script>alert("x")</script><img src="https://example.com/x.png">`
	chart := svg.BarChart{Title: evil, Categories: []string{evil}, Series: []svg.BarSeries{{Name: evil, Values: []float64{1}}}}
	r := &htmlReport{Title: evil, Facts: []string{evil}, Notes: []string{evil},
		Charts:   []template.HTML{chart.SVG()},
		Sections: []htmlSection{{Title: evil, Header: []string{evil}, Rows: [][]string{{evil}}, Notes: []string{evil}}}}
	var b bytes.Buffer
	require.NoError(t, writeHTML(&b, r))
	requireSelfContainedHTML(t, b.String(), 1)
	require.NotContains(t, b.String(), "<script")
	require.Contains(t, b.String(), "&lt;script&gt;")
}

// TestExternalRefFinds: the check of self-containment finds what it must.
func TestExternalRefFinds(t *testing.T) {
	for _, s := range []string{`<a href="https://x">`, `<img src=//cdn/x>`, `<svg><image href="http://x"/></svg>`,
		`<style>@import "x.css"</style>`, `background: url(x.png)`, `<script>`, `<link rel=stylesheet>`, `<a HREF = 'data:x'>`} {
		require.NotNil(t, externalRef.FindStringIndex(s), s)
	}
	for _, s := range []string{`<svg width="1">`, `<p>see https://docs.aws.amazon.com</p>`, `<a href="#events">`} {
		require.Nil(t, externalRef.FindStringIndex(s), s)
	}
}
