package ecscore

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	// ruleCite matches "rule 117", "rules 117–119", "rules 59 and 67",
	// "rules 0 to 84": the numbers follow.
	ruleCite = regexp.MustCompile(`\b[Rr]ules? (\d+(?:(?:,\s*|\s*(?:–|-|to|and|or)\s*)\d+)*)`)
	// pointCite matches "open point 8", "Open points 5 and 6".
	pointCite = regexp.MustCompile(`\b[Oo]pen points? (\d+(?:(?:,\s*|\s*(?:–|-|to|and|or)\s*)\d+)*)`)
	number    = regexp.MustCompile(`\d+`)
	tableRow  = regexp.MustCompile(`^\| *(\d+) *\|`)
)

// TestDocsCite checks that every rule and open point a comment of the
// module cites ("rule 117", "open point 8") is one the module ships:
// a row of RULES.md (rules 84 on, and the open points) or of ecs/RULES.md
// (rules 0 to 83), so that a reader of go doc can look it up. It also
// checks that no comment sends the reader to the project's fact sheet,
// which the module does not ship.
func TestDocsCite(t *testing.T) {
	rules, points := shippedRules(t, "RULES.md")
	tdRules, _ := shippedRules(t, filepath.Join("ecs", "RULES.md"))
	for n := range tdRules {
		rules[n] = true
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, cg := range f.Comments {
			text := cg.Text()
			text = strings.Join(strings.Fields(text), " ") // a citation may break over lines
			check := func(re *regexp.Regexp, known map[int]bool, what string) {
				for _, m := range re.FindAllStringSubmatch(text, -1) {
					for _, s := range number.FindAllString(m[1], -1) {
						if n, _ := strconv.Atoi(s); !known[n] {
							t.Errorf("%s cites %s %d (%q), which neither RULES.md nor ecs/RULES.md has", path, what, n, m[0])
						}
					}
				}
			}
			check(ruleCite, rules, "rule")
			check(pointCite, points, "open point")
			if strings.Contains(text, "ecs-semantics") {
				t.Errorf("%s sends the reader to ecs-semantics.md, which the module does not ship: cite RULES.md", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// shippedRules reads the numbers of the rules and open points in the rows
// of a rules file's tables; the open points follow the heading "Open
// points".
func shippedRules(t *testing.T, name string) (rules, points map[int]bool) {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules, points = map[int]bool{}, map[int]bool{}
	into := rules
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## Open points") {
			into = points
		}
		if m := tableRow.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			into[n] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rules, points
}
