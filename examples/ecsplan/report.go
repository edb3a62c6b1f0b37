package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
)

// outputFormats are the values of -o of capacity plan and rollout.
var outputFormats = []string{"text", "json", "csv", "markdown", "html"}

// checkFormat returns an error naming -o and the formats when f is not one.
func checkFormat(f string) error {
	if slices.Contains(outputFormats, f) {
		return nil
	}
	return fmt.Errorf("-o %q: want %s", f, strings.Join(outputFormats, ", "))
}

// table is a header row and its rows, written as CSV or as a GitHub
// Markdown table.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// writeCSV writes the header and the rows with encoding/csv (RFC 4180).
func (t *table) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.rows); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// writeMarkdown writes a GitHub-flavoured Markdown table; a cell's pipes
// are escaped and its line breaks become spaces, so that each row stays
// one line.
func (t *table) writeMarkdown(w io.Writer) error {
	line := func(cells []string) string {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = mdCell(c)
		}
		return "| " + strings.Join(esc, " | ") + " |\n"
	}
	var b strings.Builder
	b.WriteString(line(t.header))
	sep := make([]string, len(t.header))
	for i := range sep {
		sep[i] = "---"
	}
	b.WriteString("|" + strings.Join(sep, "|") + "|\n")
	for _, r := range t.rows {
		b.WriteString(line(r))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell escapes a Markdown table cell.
func mdCell(s string) string {
	s = strings.NewReplacer("\\", "\\\\", "|", "\\|", "\r\n", " ", "\n", " ").Replace(s)
	if s == "" {
		return " "
	}
	return s
}
