package main

import (
	"html/template"
	"io"
)

// htmlReport is a report as one self-contained HTML page: a title, facts
// and notes, charts (inline SVG) and tables. Nothing in it refers to
// anything outside the page, so it opens without a network.
type htmlReport struct {
	Title    string
	Facts    []string
	Notes    []string
	Charts   []template.HTML // from internal/svg, escaped as written
	Sections []htmlSection
}

// htmlSection is a table with a heading and the notes that follow it.
type htmlSection struct {
	Title  string
	Header []string
	Rows   [][]string
	Notes  []string
}

// sectionOf makes a section of a report's table.
func sectionOf(title string, t table, notes ...string) htmlSection {
	return htmlSection{Title: title, Header: t.header, Rows: t.rows, Notes: notes}
}

// htmlPage lays a report out. html/template escapes every text; the
// style is inline and the charts are inline SVG, so the page needs no
// other file. The empty data: icon keeps a browser from asking a server
// for /favicon.ico.
var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; }
h2 { font-size: 1.2em; margin-top: 1.6em; }
figure { margin: 1.2em 0; overflow-x: auto; }
svg.chart { border: 1px solid #ddd; }
div.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
tbody tr:nth-child(even) { background: #fafafa; }
.notes li { color: #6a4a00; }
footer { margin-top: 2em; color: #777; font-size: 0.85em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Facts}}<ul class="facts">{{range .}}
<li>{{.}}</li>{{end}}
</ul>{{end}}
{{with .Notes}}<ul class="notes">{{range .}}
<li>Note: {{.}}</li>{{end}}
</ul>{{end}}
{{range .Charts}}<figure>{{.}}</figure>
{{end}}{{range .Sections}}<h2>{{.Title}}</h2>
<div class="table"><table>
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}
</tbody>
</table></div>
{{range .Notes}}<p>{{.}}</p>
{{end}}{{end}}<footer>Made by ecsplan; the same facts are in -o json.</footer>
</body>
</html>
`))

// writeHTML writes the report as an HTML page.
func writeHTML(w io.Writer, r *htmlReport) error {
	return htmlPage.Execute(w, r)
}
