package cql

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// tree returns e as an S-expression that shows its structure and
// values but no positions, for comparing trees in tests.
func tree(e Expr) string {
	var b strings.Builder
	writeTree(&b, e)
	return b.String()
}

func writeTree(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case *Compare:
		fmt.Fprintf(b, "(%s %s", e.Op, e.Subject)
		if e.Op.isList() {
			b.WriteString(" [")
			for i, v := range e.Args {
				if i > 0 {
					b.WriteByte(' ')
				}
				fmt.Fprintf(b, "%q", v.Text)
			}
			b.WriteString("]")
		} else {
			fmt.Fprintf(b, " %q", e.Args[0].Text)
		}
		b.WriteString(")")
	case *Exists:
		fmt.Fprintf(b, "(%s %s)", e.Op, e.Subject)
	case *Not:
		b.WriteString("(not ")
		writeTree(b, e.X)
		b.WriteString(")")
	case *And:
		writeTreeList(b, "and", e.Exprs)
	case *Or:
		writeTreeList(b, "or", e.Exprs)
	default:
		fmt.Fprintf(b, "<%T>", e)
	}
}

func writeTreeList(b *strings.Builder, op string, exprs []Expr) {
	b.WriteString("(" + op)
	for _, x := range exprs {
		b.WriteByte(' ')
		writeTree(b, x)
	}
	b.WriteString(")")
}

func mustParse(t *testing.T, src string) Expr {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return e
}

func TestParseDocExamples(t *testing.T) {
	tests := []struct {
		src, tree, canon string
	}{
		{
			"attribute:ecs.instance-type == t2.small",
			`(== attribute:ecs.instance-type "t2.small")`,
			"attribute:ecs.instance-type == t2.small",
		},
		{
			"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
			`(in attribute:ecs.availability-zone ["us-east-1a" "us-east-1b"])`,
			"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
		},
		{
			"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
			`(and (=~ attribute:ecs.instance-type "g2.*") (!= attribute:ecs.availability-zone "us-east-1d"))`,
			"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
		},
		{
			"task:group == service:production",
			`(== task:group "service:production")`,
			"task:group == service:production",
		},
		{
			"not(task:group == database)",
			`(not (== task:group "database"))`,
			"not(task:group == database)",
		},
		{"runningTasksCount == 1", `(== runningTasksCount "1")`, "runningTasksCount == 1"},
		{"agentVersion < 1.14.5", `(< agentVersion "1.14.5")`, "agentVersion < 1.14.5"},
		{"registeredAt < 2018-02-13", `(< registeredAt "2018-02-13")`, "registeredAt < 2018-02-13"},
		{
			"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']",
			`(in ec2InstanceId ["i-abcd1234" "i-wxyx7890"])`,
			"ec2InstanceId in [i-abcd1234, i-wxyx7890]",
		},
		{"attribute:stack exists", `(exists attribute:stack)`, "attribute:stack exists"},
		{
			"attribute:ecs.os-type != linux || attribute:x !exists",
			`(or (!= attribute:ecs.os-type "linux") (!exists attribute:x))`,
			"attribute:ecs.os-type != linux or attribute:x !exists",
		},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e := mustParse(t, tt.src)
			if got := tree(e); got != tt.tree {
				t.Errorf("tree = %s, want %s", got, tt.tree)
			}
			if got := e.String(); got != tt.canon {
				t.Errorf("String() = %q, want %q", got, tt.canon)
			}
		})
	}
}

// sampleArg returns a valid argument for subject s.
func sampleArg(kind SubjectKind) string {
	switch kind {
	case AgentConnected:
		return "true"
	case AgentVersion:
		return "1.14.5"
	case EC2InstanceID:
		return "i-abcd1234"
	case RegisteredAt:
		return "2018-06-18"
	case RunningTasksCount:
		return "3"
	case TaskGroup:
		return "service:web"
	}
	return "t2.small"
}

func TestSubjectOperatorMatrix(t *testing.T) {
	subjects := []struct {
		src     string
		kind    SubjectKind
		allowed string
	}{
		{"agentConnected", AgentConnected, "== != in !in =~ !~"},
		{"agentVersion", AgentVersion, "== != > >= < <="},
		{"attribute:ecs.instance-type", Attribute, "== != > >= < <= exists !exists in !in =~ !~"},
		{"ec2InstanceId", EC2InstanceID, "== != in !in =~ !~"},
		{"registeredAt", RegisteredAt, "== != > >= < <="},
		{"runningTasksCount", RunningTasksCount, "== != > >= < <="},
		{"task:group", TaskGroup, "== != in !in =~ !~ exists !exists"},
	}
	for _, s := range subjects {
		allowed := make(map[Operator]bool)
		for _, f := range strings.Fields(s.allowed) {
			allowed[lookupOperator(f)] = true
		}
		for op := OpEqual; op <= OpNotMatches; op++ {
			if got := s.kind.Allows(op); got != allowed[op] {
				t.Errorf("%v.Allows(%v) = %v, want %v", s.kind, op, got, allowed[op])
			}
			for _, spelling := range spellingsOf(op) {
				src := s.src + " " + spelling + argumentFor(s.kind, op)
				t.Run(src, func(t *testing.T) {
					checkMatrixCase(t, src, s.src, s.kind, op, spelling, allowed[op])
				})
			}
		}
	}
}

// spellingsOf returns the distinct spellings of op.
func spellingsOf(op Operator) []string {
	if op.String() == op.Word() {
		return []string{op.String()}
	}
	return []string{op.String(), op.Word()}
}

// argumentFor returns the argument text, with a leading space, that
// operator op takes for a subject of kind k.
func argumentFor(k SubjectKind, op Operator) string {
	arg := sampleArg(k)
	switch {
	case op.isExists():
		return ""
	case op.isList():
		return " [" + arg + ", " + arg + "]"
	case op.isMatch():
		return " " + arg[:1] + ".*"
	}
	return " " + arg
}

func checkMatrixCase(t *testing.T, src, subj string, kind SubjectKind, op Operator, spelling string, allowed bool) {
	e, err := Parse(src)
	if !allowed {
		var perr *Error
		if !errors.As(err, &perr) {
			t.Fatalf("Parse(%q) error = %v, want *Error", src, err)
		}
		want := fmt.Sprintf("operator %s not allowed for %s", spelling, kind)
		if perr.Msg != want || perr.Pos != Pos(len(subj)+1) || perr.Token != spelling {
			t.Errorf("error = %+v, want Msg %q at %d", perr, want, len(subj)+1)
		}
		return
	}
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	var gotKind SubjectKind
	var gotOp Operator
	switch e := e.(type) {
	case *Compare:
		gotKind, gotOp = e.Subject.Kind, e.Op
	case *Exists:
		gotKind, gotOp = e.Subject.Kind, e.Op
	default:
		t.Fatalf("Parse(%q) = %T, want condition", src, e)
	}
	if gotKind != kind || gotOp != op {
		t.Errorf("Parse(%q) = subject %v op %v, want %v %v", src, gotKind, gotOp, kind, op)
	}
}

func TestOperatorWords(t *testing.T) {
	words := map[string]Operator{
		"equals":             OpEqual,
		"not_equals":         OpNotEqual,
		"greater_than":       OpGreater,
		"greater_than_equal": OpGreaterEqual,
		"less_than":          OpLess,
		"less_than_equal":    OpLessEqual,
		"exists":             OpExists,
		"not_exists":         OpNotExists,
		"in":                 OpIn,
		"not_in":             OpNotIn,
		"matches":            OpMatches,
		"not_matches":        OpNotMatches,
	}
	for word, op := range words {
		src := "attribute:a " + word + argumentFor(Attribute, op)
		e := mustParse(t, src)
		var got Operator
		switch e := e.(type) {
		case *Compare:
			got = e.Op
		case *Exists:
			got = e.Op
		}
		if got != op {
			t.Errorf("Parse(%q) operator = %v, want %v", src, got, op)
		}
		if op.Word() != word {
			t.Errorf("%v.Word() = %q, want %q", op, op.Word(), word)
		}
	}
}

func TestBooleanWords(t *testing.T) {
	tests := []struct{ src, tree string }{
		{"attribute:a exists and attribute:b exists", "(and (exists attribute:a) (exists attribute:b))"},
		{"attribute:a exists && attribute:b exists", "(and (exists attribute:a) (exists attribute:b))"},
		{"attribute:a exists or attribute:b exists", "(or (exists attribute:a) (exists attribute:b))"},
		{"attribute:a exists || attribute:b exists", "(or (exists attribute:a) (exists attribute:b))"},
		{"not attribute:a exists", "(not (exists attribute:a))"},
		{"! attribute:a exists", "(not (exists attribute:a))"},
		{"!attribute:a exists", "(not (exists attribute:a))"},
		{"not(attribute:a exists)", "(not (exists attribute:a))"},
		{"not (attribute:a exists)", "(not (exists attribute:a))"},
		{"!(attribute:a exists)", "(not (exists attribute:a))"},
		{"not not attribute:a exists", "(not (not (exists attribute:a)))"},
		{"!!attribute:a exists", "(not (not (exists attribute:a)))"},
		{"attribute:a exists&&attribute:b exists||attribute:c exists",
			"(or (and (exists attribute:a) (exists attribute:b)) (exists attribute:c))"},
	}
	for _, tt := range tests {
		if got := tree(mustParse(t, tt.src)); got != tt.tree {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.tree)
		}
	}
}

func TestListItems(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"attribute:a in [x]", []string{"x"}},
		{"attribute:a in [x,y]", []string{"x", "y"}},
		{"attribute:a in [ x , y ]", []string{"x", "y"}},
		{"attribute:a in ['x', \"y\", z]", []string{"x", "y", "z"}},
		{"attribute:a in ['with space', \"it's\", 'say \"hi\"']", []string{"with space", "it's", `say "hi"`}},
		{"attribute:a in ['a,b', '[c]', '(d)']", []string{"a,b", "[c]", "(d)"}},
		{"attribute:a in ['', 'and', or]", nil}, // "or" is reserved; see below
		{"attribute:a !in [x]", []string{"x"}},
		{"attribute:a not_in [x, 'y']", []string{"x", "y"}},
		{"attribute:a in[x]", []string{"x"}},
		{"attribute:a in [service:web, a/b@c, x*]", []string{"service:web", "a/b@c", "x*"}},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if tt.want == nil {
			if err == nil {
				t.Errorf("Parse(%q) succeeded, want error", tt.src)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		c := e.(*Compare)
		var got []string
		for _, v := range c.Args {
			got = append(got, v.Text)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Parse(%q) items = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestValuePositions(t *testing.T) {
	src := "attribute:a in [x, 'y z', \"w\"]"
	c := mustParse(t, src).(*Compare)
	for i, want := range []string{"x", "'y z'", `"w"`} {
		if got := src[c.Args[i].Pos:]; !strings.HasPrefix(got, want) {
			t.Errorf("Args[%d].Pos = %d (%q), want start of %q", i, c.Args[i].Pos, got, want)
		}
	}
	if c.Pos != 0 || c.OpPos != 12 {
		t.Errorf("Pos, OpPos = %d, %d; want 0, 12", c.Pos, c.OpPos)
	}
}

func TestRegexpAnchoring(t *testing.T) {
	tests := []struct {
		pattern string
		value   string
		match   bool
	}{
		{"t2.*", "t2.small", true},
		{"2.small", "t2.small", false},
		{"t2", "t2.small", false},
		{"small", "t2.small", false},
		{"g2.*", "g2.2xlarge", true},
		{"'a|b'", "a", true},
		{"a|b", "b", true},
		{"a|b", "ab", false},
		{"a|b", "xa", false},
		{"'^t2\\.(micro|small)$'", "t2.small", true},
		{"'^t2\\.(micro|small)$'", "t2.smallx", false},
		{"'[a-c]+'", "abc", true},
		{"'[a-c]+'", "abcd", false},
		{`'\Qa.b'`, "a.b", true},
		{`'\Qa.b'`, "axb", false},
		{"''", "", true},
		{"''", "x", false},
		{"(?i)T2.*", "t2.small", true},
	}
	for _, tt := range tests {
		src := "attribute:ecs.instance-type =~ " + tt.pattern
		if strings.ContainsAny(tt.pattern, "()") && tt.pattern[0] != '\'' {
			src = "attribute:ecs.instance-type =~ '" + tt.pattern + "'"
		}
		c := mustParse(t, src).(*Compare)
		if got := c.Regexp.MatchString(tt.value); got != tt.match {
			t.Errorf("%s: MatchString(%q) = %v, want %v", src, tt.value, got, tt.match)
		}
	}
}

func TestPrecedence(t *testing.T) {
	const a, b, c, d = "attribute:a exists", "attribute:b exists", "attribute:c exists", "attribute:d exists"
	const ta, tb, tc, td = "(exists attribute:a)", "(exists attribute:b)", "(exists attribute:c)", "(exists attribute:d)"
	tests := []struct{ src, tree string }{
		{a + " or " + b + " and " + c, "(or " + ta + " (and " + tb + " " + tc + "))"},
		{a + " and " + b + " or " + c, "(or (and " + ta + " " + tb + ") " + tc + ")"},
		{"(" + a + " or " + b + ") and " + c, "(and (or " + ta + " " + tb + ") " + tc + ")"},
		{"not " + a + " and " + b, "(and (not " + ta + ") " + tb + ")"},
		{"not " + a + " or " + b, "(or (not " + ta + ") " + tb + ")"},
		{"not (" + a + " or " + b + ")", "(not (or " + ta + " " + tb + "))"},
		{a + " and not " + b + " or not " + c, "(or (and " + ta + " (not " + tb + ")) (not " + tc + "))"},
		{a + " or " + b + " or " + c + " or " + d, "(or " + ta + " " + tb + " " + tc + " " + td + ")"},
		{a + " and " + b + " and " + c, "(and " + ta + " " + tb + " " + tc + ")"},
		{a + " and (" + b + " and " + c + ")", "(and " + ta + " " + tb + " " + tc + ")"},
		{"(" + a + " or " + b + ") or " + c, "(or " + ta + " " + tb + " " + tc + ")"},
		{a + " or " + b + " and " + c + " or " + d, "(or " + ta + " (and " + tb + " " + tc + ") " + td + ")"},
	}
	for _, tt := range tests {
		if got := tree(mustParse(t, tt.src)); got != tt.tree {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.src, got, tt.tree)
		}
	}
}

func TestNestedParens(t *testing.T) {
	tests := []struct{ src, tree string }{
		{"((attribute:a exists))", "(exists attribute:a)"},
		{"(((attribute:a == x)))", `(== attribute:a "x")`},
		{"((attribute:a exists or attribute:b exists) and (attribute:c exists or (attribute:d exists)))",
			"(and (or (exists attribute:a) (exists attribute:b)) (or (exists attribute:c) (exists attribute:d)))"},
		{"not((not(attribute:a exists)))", "(not (not (exists attribute:a)))"},
		{"(not(task:group == database)) and (attribute:x == y)",
			`(and (not (== task:group "database")) (== attribute:x "y"))`},
	}
	for _, tt := range tests {
		if got := tree(mustParse(t, tt.src)); got != tt.tree {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.tree)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	const cond = "attribute:a exists"
	nest := func(n int, open, close string) string {
		return strings.Repeat(open, n) + cond + strings.Repeat(close, n)
	}
	tests := []struct {
		name string
		src  string
		ok   bool
	}{
		{"parens at limit", nest(MaxDepth, "(", ")"), true},
		{"parens over limit", nest(MaxDepth+1, "(", ")"), false},
		{"nots at limit", nest(MaxDepth, "not ", ""), true},
		{"nots over limit", nest(MaxDepth+1, "!", ""), false},
		{"not( at limit", nest(MaxDepth, "not(", ")"), true},
		{"not( over limit", nest(MaxDepth+1, "not(", ")"), false},
		{"huge", nest(1_000_000, "(", ")"), false},
		{"huge unclosed", strings.Repeat("(", 1_000_000), false},
		{"huge nots", strings.Repeat("!", 1_000_000), false},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if (err == nil) != tt.ok {
			t.Errorf("%s: Parse error = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && tt.ok == false && !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("%s: error = %v, want nesting error", tt.name, err)
		}
	}
}

func TestLongChain(t *testing.T) {
	terms := make([]string, 10000)
	for i := range terms {
		terms[i] = fmt.Sprintf("attribute:a%d exists", i)
	}
	e := mustParse(t, strings.Join(terms, " and "))
	if n := len(e.(*And).Exprs); n != len(terms) {
		t.Errorf("len(Exprs) = %d, want %d", n, len(terms))
	}
}

func TestTypedValues(t *testing.T) {
	c := mustParse(t, "runningTasksCount >= 42").(*Compare)
	if c.Args[0].Int != 42 {
		t.Errorf("Int = %d, want 42", c.Args[0].Int)
	}
	c = mustParse(t, "agentVersion < 1.14.5").(*Compare)
	if got := c.Args[0].Version; got.Compare(Version{1, 14, 5}) != 0 || len(got) != 3 {
		t.Errorf("Version = %v, want 1.14.5", got)
	}
	c = mustParse(t, "agentConnected in [true, 'false']").(*Compare)
	if !c.Args[0].Bool || c.Args[1].Bool {
		t.Errorf("Bools = %v, %v; want true, false", c.Args[0].Bool, c.Args[1].Bool)
	}
	c = mustParse(t, "agentConnected =~ t.*").(*Compare)
	if c.Regexp == nil || !c.Regexp.MatchString("true") {
		t.Errorf("agentConnected =~ t.* does not match true")
	}
	c = mustParse(t, "ec2InstanceId != i-1").(*Compare)
	if c.Args[0].Text != "i-1" {
		t.Errorf("Text = %q, want i-1", c.Args[0].Text)
	}

	times := map[string]time.Time{
		"2018-06-18T22:28:28+00:00": time.Date(2018, 6, 18, 22, 28, 28, 0, time.UTC),
		"2018-06-18T22:28:28Z":      time.Date(2018, 6, 18, 22, 28, 28, 0, time.UTC),
		"2018-06-18T22:28:28":       time.Date(2018, 6, 18, 22, 28, 28, 0, time.UTC),
		"2018-06-18":                time.Date(2018, 6, 18, 0, 0, 0, 0, time.UTC),
		"2018-06-18T22:28:28+02:00": time.Date(2018, 6, 18, 20, 28, 28, 0, time.UTC),
	}
	for s, want := range times {
		c := mustParse(t, "registeredAt > "+s).(*Compare)
		if got := c.Args[0].Time; !got.Equal(want) {
			t.Errorf("registeredAt > %s: Time = %v, want %v", s, got, want)
		}
	}
}

func TestBadTypedValues(t *testing.T) {
	tests := []struct{ src, msg string }{
		{"runningTasksCount == x", `runningTasksCount requires a non-negative integer, found "x"`},
		{"runningTasksCount == -1", `runningTasksCount requires a non-negative integer, found "-1"`},
		{"runningTasksCount == 1.5", `runningTasksCount requires a non-negative integer`},
		{"runningTasksCount == 99999999999999999999999", `runningTasksCount requires a non-negative integer`},
		{"agentVersion > 1..2", `agentVersion requires a version such as 1.14.5, found "1..2"`},
		{"agentVersion > v1.2", `agentVersion requires a version`},
		{"agentVersion > 1.2.", `agentVersion requires a version`},
		{"registeredAt < 2018-02-30", `registeredAt requires a date`},
		{"registeredAt < 2018/02/13", `registeredAt requires a date`},
		{"registeredAt < 2018-06-18T22:28:28.5Z", `registeredAt requires a date`},
		{"registeredAt < 2018-06-18T22:28", `registeredAt requires a date`},
		{"agentConnected == yes", `agentConnected requires true or false, found "yes"`},
		{"agentConnected == True", `agentConnected requires true or false`},
		{"agentConnected in [true, maybe]", `agentConnected requires true or false, found "maybe"`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Parse(%q) error = %v, want %q", tt.src, err, tt.msg)
		}
	}
}

func TestAttributeNames(t *testing.T) {
	good := []string{"a", "ecs.instance-type", "a_b/c\\d", strings.Repeat("x", 128), "0"}
	for _, name := range good {
		e := mustParse(t, "attribute:"+name+" exists").(*Exists)
		if e.Subject.Name != name || e.Subject.Kind != Attribute {
			t.Errorf("subject = %+v, want attribute %q", e.Subject, name)
		}
	}
	bad := []string{"", "a:b", "a@b", "a*", strings.Repeat("x", 129), "é"}
	for _, name := range bad {
		src := "attribute:" + name + " exists"
		_, err := Parse(src)
		var perr *Error
		if !errors.As(err, &perr) || !strings.Contains(perr.Msg, "invalid attribute name") || perr.Pos != 0 {
			t.Errorf("Parse(%q) error = %v, want invalid attribute name at 0", src, err)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		src   string
		pos   Pos
		token string
		msg   string
	}{
		{"", 0, "", "empty expression"},
		{"   ", 3, "", "empty expression"},
		{"foo == bar", 0, "foo", `unknown subject "foo"`},
		{"attribute:x equal y", 12, "equal", `unknown operator "equal"`},
		{"agentVersion =~ x", 13, "=~", "operator =~ not allowed for agentVersion"},
		{"runningTasksCount in [1]", 18, "in", "operator in not allowed for runningTasksCount"},
		{"agentConnected exists", 15, "exists", "operator exists not allowed for agentConnected"},
		{"attribute:x == 'abc", 15, "'abc", "unterminated quoted string"},
		{"attribute:x =~ '(a'", 15, "'(a'", "invalid regular expression: missing closing ): `(a`"},
		{"attribute:x =~ a**", 15, "a**", "invalid regular expression: invalid nested repetition operator: `**`"},
		{"attribute:x ==", 14, "", "expected value after ==, found end of expression"},
		{"attribute:x equals )", 19, ")", `expected value after equals, found ")"`},
		{"(attribute:x == a", 0, "(", `unbalanced parenthesis: missing ")"`},
		{"attribute:x == a)", 16, ")", `unbalanced parenthesis: unexpected ")"`},
		{"attribute:x in [a, b]]", 21, "]", `unexpected "]", expected "and", "or" or end of expression`},
		{"attribute:x in [a", 15, "[", `unterminated list: missing "]"`},
		{"attribute:x in [a,", 15, "[", `unterminated list: missing "]"`},
		{"attribute:x in [a,]", 18, "]", `expected value after ",", found "]"`},
		{"attribute:x in []", 16, "]", "empty list"},
		{"attribute:x in [a b]", 18, "b", `expected "," or "]" in list, found "b"`},
		{"attribute:x in a", 15, "a", `expected "[" after in, found "a"`},
		{"attribute:x == [a]", 15, "[", "operator == takes a single value, not a list"},
		{"attribute:x =~ [a-z]", 15, "[", `expected pattern after =~, found "["; quote patterns`},
		{"attribute:x exists y", 19, "y", "operator exists takes no argument"},
		{"attribute:x = y", 12, "=", `unexpected "=", did you mean "=="?`},
		{"attribute:x == a & attribute:y == b", 17, "&", `unexpected "&", did you mean "&&"?`},
		{"attribute:x == a | attribute:y == b", 17, "|", `unexpected "|", did you mean "||"?`},
		{"attribute:x ~ a", 12, "~", `unexpected "~", did you mean "=~"?`},
		{"attribute:x", 11, "", "expected operator after attribute:x, found end of expression"},
		{"attribute:x ! y", 12, "!", `unknown operator "!"`},
		{"attribute:x == a b", 17, "b", `unexpected "b", expected "and", "or" or end of expression`},
		{"(attribute:x == a b)", 18, "b", `unexpected "b", expected "and", "or" or ")"`},
		{"attribute:x == a and", 20, "", "expected subject, found end of expression"},
		{"attribute:x == and", 15, "and", `expected value after ==, found "and"`},
		{"and attribute:x exists", 0, "and", `expected subject, found "and"`},
		{"()", 1, ")", "empty parentheses"},
		{"not", 3, "", "expected subject, found end of expression"},
		{"attribute:x exists and (attribute:y exists", 23, "(", `unbalanced parenthesis: missing ")"`},
		{"runningTasksCount > many", 20, "many", `runningTasksCount requires a non-negative integer, found "many"`},
		{"registeredAt > 'soon'", 15, "'soon'", `registeredAt requires a date`},
		{"agentVersion in [1]", 13, "in", "operator in not allowed for agentVersion"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("Parse(%q) error = %v, want *Error", tt.src, err)
			continue
		}
		if perr.Pos != tt.pos || perr.Token != tt.token || !strings.HasPrefix(perr.Msg, tt.msg) {
			t.Errorf("Parse(%q) error = {Pos:%d Token:%q Msg:%q}, want {Pos:%d Token:%q Msg:%q...}",
				tt.src, perr.Pos, perr.Token, perr.Msg, tt.pos, tt.token, tt.msg)
		}
		if perr.Line != 1 || perr.Col != int(tt.pos)+1 {
			t.Errorf("Parse(%q) error at %d:%d, want 1:%d", tt.src, perr.Line, perr.Col, tt.pos+1)
		}
	}
}

func TestErrorString(t *testing.T) {
	_, err := Parse("attribute:x in [a, b]]")
	const want = `cql: 1:22: unexpected "]", expected "and", "or" or end of expression`
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %s", err, want)
	}

	_, err = Parse("attribute:x == a and\n  attribute:y == [b]")
	var perr *Error
	if !errors.As(err, &perr) || perr.Line != 2 || perr.Col != 18 || perr.Pos != 38 {
		t.Fatalf("multi-line error = %+v, want line 2 col 18 pos 38", err)
	}
	if !strings.HasPrefix(err.Error(), "cql: 2:18: ") {
		t.Errorf("Error() = %q, want prefix cql: 2:18:", err.Error())
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct{ src, canon string }{
		{"attribute:a equals x", "attribute:a == x"},
		{"attribute:a not_exists", "attribute:a !exists"},
		{"attribute:a not_in ['x y', \"it's\"]", `attribute:a !in ['x y', "it's"]`},
		{"attribute:a == 'and'", "attribute:a == 'and'"},
		{"attribute:a == \"not\"", "attribute:a == 'not'"},
		{"attribute:a == ''", "attribute:a == ''"},
		{"attribute:a == 'a&&b'", "attribute:a == 'a&&b'"},
		{"attribute:a == a&b", "attribute:a == a&b"},
		{"attribute:a == 'x,y'", "attribute:a == 'x,y'"},
		{"attribute:a =~ '^t2\\.(micro|small)$'", "attribute:a =~ '^t2\\.(micro|small)$'"},
		{"attribute:a==!x", "attribute:a == !x"},
		{"attribute:a > 10 && attribute:b <= 2", "attribute:a > 10 and attribute:b <= 2"},
		{"!(attribute:a exists || attribute:b exists) && attribute:c exists",
			"not(attribute:a exists or attribute:b exists) and attribute:c exists"},
		{"(attribute:a exists || attribute:b exists) && (attribute:c exists || attribute:d exists)",
			"(attribute:a exists or attribute:b exists) and (attribute:c exists or attribute:d exists)"},
		{"attribute:a exists or (attribute:b exists and attribute:c exists)",
			"attribute:a exists or attribute:b exists and attribute:c exists"},
		{"not not attribute:a exists", "not(not(attribute:a exists))"},
		{"registeredAt >= 2018-06-18T22:28:28+00:00", "registeredAt >= 2018-06-18T22:28:28+00:00"},
		{"agentConnected not_matches 'f.*'", "agentConnected !~ f.*"},
	}
	for _, tt := range tests {
		e := mustParse(t, tt.src)
		got := e.String()
		if got != tt.canon {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.canon)
		}
		e2, err := Parse(got)
		if err != nil {
			t.Errorf("reparse %q: %v", got, err)
			continue
		}
		if tree(e2) != tree(e) || e2.String() != got {
			t.Errorf("round trip of %q changed the tree:\n%s\n%s", tt.src, tree(e), tree(e2))
		}
	}
}

func TestNodeStrings(t *testing.T) {
	e := mustParse(t, "attribute:a in [x, 'y z'] and not attribute:b exists")
	and := e.(*And)
	c := and.Exprs[0].(*Compare)
	if got := c.Args[1].String(); got != "'y z'" {
		t.Errorf("Value.String() = %q", got)
	}
	if got := c.Subject.String(); got != "attribute:a" {
		t.Errorf("Subject.String() = %q", got)
	}
	n := and.Exprs[1].(*Not)
	if got := n.String(); got != "not(attribute:b exists)" {
		t.Errorf("Not.String() = %q", got)
	}
	if n.Pos != 30 || n.X.Position() != 34 || and.Pos != 0 {
		t.Errorf("positions: Not %d, X %d, And %d; want 30, 34, 0", n.Pos, n.X.Position(), and.Pos)
	}
}

func TestInspect(t *testing.T) {
	e := mustParse(t, "attribute:a == x or not (attribute:b exists and task:group in [g])")
	var kinds []string
	Inspect(e, func(x Expr) bool {
		kinds = append(kinds, strings.TrimPrefix(fmt.Sprintf("%T", x), "*cql."))
		return true
	})
	want := "Or Compare Not And Exists Compare"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("Inspect order = %s, want %s", got, want)
	}

	var n int
	Inspect(e, func(x Expr) bool {
		n++
		_, isNot := x.(*Not)
		return !isNot
	})
	if n != 3 {
		t.Errorf("pruned Inspect visited %d nodes, want 3", n)
	}
}

func TestSubjectKindString(t *testing.T) {
	for k := AgentConnected; k <= TaskGroup; k++ {
		if k == Attribute {
			continue
		}
		if got := lookupSubject(k.String()); got != k {
			t.Errorf("lookupSubject(%q) = %v, want %v", k.String(), got, k)
		}
	}
	if got := SubjectKind(0).String(); got != "SubjectKind(0)" {
		t.Errorf("SubjectKind(0).String() = %q", got)
	}
	if got := Operator(99).String(); got != "Operator(99)" {
		t.Errorf("Operator(99).String() = %q", got)
	}
	if SubjectKind(99).Allows(OpEqual) || Attribute.Allows(Operator(0)) {
		t.Error("Allows accepted an invalid subject or operator")
	}
}
