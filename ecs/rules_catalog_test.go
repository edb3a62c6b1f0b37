package ecs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// declaredCodes returns the values of the code constants declared in
// validate_codes.go.
func declaredCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "validate_codes.go", nil, 0)
	require.NoError(t, err)
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			require.NoError(t, err)
			codes = append(codes, s)
		}
		return true
	})
	require.NotEmpty(t, codes)
	return codes
}

// testedCodes returns the codes that the table tests expect somewhere.
func testedCodes() map[string]bool {
	seen := map[string]bool{}
	for _, tc := range ruleCases() {
		for _, w := range tc.want {
			seen[w.Code] = true
		}
	}
	for _, tc := range documentCases() {
		for _, w := range tc.want {
			seen[w.Code] = true
		}
	}
	return seen
}

func TestCatalogueHasEveryRule(t *testing.T) {
	rules := Rules()
	require.Len(t, rules, 84)
	for i, r := range rules {
		require.Equal(t, i, r.Number, "rules are in order, one row each")
		require.NotEmpty(t, r.Summary, "rule %d", r.Number)
		require.True(t, strings.HasPrefix(r.Source, "https://"), "rule %d has no source", r.Number)
		if len(r.Codes) == 0 {
			require.True(t, strings.HasPrefix(r.Note, "n/a: "), "rule %d has neither codes nor an n/a reason", r.Number)
		}
		for _, l := range r.Linters {
			require.Regexp(t, `^(cfn-lint E\d{4}|checkov CKV_AWS_\d+)$`, l)
		}
	}
}

func TestCatalogueCodes(t *testing.T) {
	catalogued := map[string]bool{}
	for _, r := range Rules() {
		for _, c := range r.Codes {
			catalogued[c] = true
		}
	}
	declared := declaredCodes(t)
	for _, c := range declared {
		require.True(t, catalogued[c], "code %s is in no row of the catalogue", c)
	}
	for c := range catalogued {
		require.Contains(t, declared, c, "the catalogue lists code %s, which validate_codes.go does not declare", c)
	}
	tested := testedCodes()
	for _, c := range declared {
		require.True(t, tested[c], "code %s has no table test", c)
	}
	for c := range tested {
		require.True(t, catalogued[c], "a test expects code %s, which the catalogue does not list", c)
	}
}

func TestCatalogueIsACopy(t *testing.T) {
	rules := Rules()
	rules[1].Codes[0] = "changed"
	require.Equal(t, codeFamilyRequired, Rules()[1].Codes[0])
}

// TestRulesMarkdown checks that RULES.md shows the catalogue. Run it with
// ECSCORE_UPDATE_RULES=1 to rewrite the file.
func TestRulesMarkdown(t *testing.T) {
	want := rulesMarkdown(Rules())
	if os.Getenv("ECSCORE_UPDATE_RULES") != "" {
		require.NoError(t, os.WriteFile("RULES.md", []byte(want), 0o644))
	}
	got, err := os.ReadFile("RULES.md")
	require.NoError(t, err)
	require.Equal(t, want, string(got), "RULES.md is stale: run ECSCORE_UPDATE_RULES=1 go test -run TestRulesMarkdown ./ecs")
}

func rulesMarkdown(rules []Rule) string {
	var b strings.Builder
	b.WriteString(`# Task definition rules

This file is generated from the catalogue in rules_catalog.go (ecs.Rules)
by TestRulesMarkdown; do not edit it by hand.

Each row is a rule of task definitions and network modes, numbered as doc
comments cite them (rule 0 is the API model itself; the scheduling,
deployment and capacity rules, 85 on, are in ../RULES.md), the finding codes that
ecs.ValidateTaskDefinition and ecs.ValidateDocument report for it, or
"n/a" and why no task definition can break it, the cfn-lint or checkov
rules that check the same thing, and the source.

| rule | summary | codes | note | cfn-lint / checkov | source |
|---:|---|---|---|---|---|
`)
	for _, r := range rules {
		codes := "n/a"
		if len(r.Codes) > 0 {
			quoted := make([]string, len(r.Codes))
			for i, c := range r.Codes {
				quoted[i] = "`" + c + "`"
			}
			codes = strings.Join(quoted, "<br>")
		}
		note := strings.TrimPrefix(r.Note, "n/a: ")
		cells := []string{strconv.Itoa(r.Number), r.Summary, codes, note, strings.Join(r.Linters, ", "), "[docs](" + r.Source + ")"}
		for i := range cells {
			cells[i] = strings.ReplaceAll(cells[i], "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\n## Codes\n\n| code | rules |\n|---|---|\n")
	for _, c := range codeIndex(rules) {
		b.WriteString("| `" + c.code + "` | " + c.rules + " |\n")
	}
	return b.String()
}

type codeRules struct{ code, rules string }

func codeIndex(rules []Rule) []codeRules {
	byCode := map[string][]string{}
	for _, r := range rules {
		for _, c := range r.Codes {
			byCode[c] = append(byCode[c], strconv.Itoa(r.Number))
		}
	}
	var out []codeRules
	for c, ns := range byCode {
		out = append(out, codeRules{c, strings.Join(ns, ", ")})
	}
	slices.SortFunc(out, func(a, b codeRules) int { return strings.Compare(a.code, b.code) })
	return out
}
