package cql

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
)

// MaxDepth is the deepest nesting of parentheses and negations that
// Parse accepts. A "(" directly after "!" or "not" does not add a level.
const MaxDepth = 100

// Parse parses a cluster query language expression. It checks that
// each operator is allowed for its subject, converts typed arguments,
// and compiles regular expressions. A failure is returned as an
// [*Error]. Parse does not limit the length of src; callers enforce
// the 2000-character limit of the ECS API.
func Parse(src string) (expr Expr, err error) {
	p := &parser{src: src, lex: lexer{input: src}}
	defer p.recover(&err)
	return p.parse(), nil
}

// parser is a recursive-descent parser over a lexer. Errors are raised
// by panicking with an *Error, which Parse recovers.
type parser struct {
	src   string
	lex   lexer
	depth int // current nesting of parentheses and negations
}

// recover turns a panic raised by errorf into an error return.
func (p *parser) recover(errp *error) {
	if r := recover(); r != nil {
		e, ok := r.(*Error)
		if !ok {
			panic(r)
		}
		*errp = e
	}
}

// errorf raises an error at token t.
func (p *parser) errorf(t token, format string, args ...any) {
	panic(newError(p.src, t.pos, t.text, fmt.Sprintf(format, args...)))
}

// unexpected raises an error for finding t where want was expected.
func (p *parser) unexpected(t token, want string) {
	p.errorf(t, "unexpected %s, expected %s", describe(t), want)
}

// describe returns a short description of t for error messages.
func describe(t token) string {
	if t.kind == tokEOF {
		return "end of expression"
	}
	const max = 40
	if len(t.text) > max {
		return strconv.Quote(t.text[:max]) + "..."
	}
	return strconv.Quote(t.text)
}

// next returns the next token in expression context.
func (p *parser) next() token {
	return p.check(p.lex.next())
}

// nextValue returns the next token in value context.
func (p *parser) nextValue() token {
	return p.check(p.lex.nextValue())
}

// check raises the error carried by an error token.
func (p *parser) check(t token) token {
	if t.kind == tokError {
		p.errorf(t, "%s", t.err)
	}
	return t
}

// peek returns the next token in expression context without consuming
// it. An error token is returned as is and raised when consumed.
func (p *parser) peek() token {
	pos := p.lex.pos
	t := p.lex.next()
	p.lex.pos = pos
	return t
}

func isAnd(t token) bool { return t.kind == tokAnd || t.kind == tokWord && t.text == "and" }
func isOr(t token) bool  { return t.kind == tokOr || t.kind == tokWord && t.text == "or" }
func isNot(t token) bool { return t.kind == tokNot || t.kind == tokWord && t.text == "not" }

// enter records one more level of nesting, opened by token t.
func (p *parser) enter(t token) {
	p.depth++
	if p.depth > MaxDepth {
		p.errorf(t, "expression nested too deeply (more than %d levels)", MaxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// parse parses a whole expression.
func (p *parser) parse() Expr {
	if t := p.peek(); t.kind == tokEOF {
		p.errorf(t, "empty expression")
	}
	x := p.parseOr()
	switch t := p.next(); t.kind {
	case tokEOF:
	case tokRParen:
		p.errorf(t, `unbalanced parenthesis: unexpected ")"`)
	default:
		p.unexpected(t, `"and", "or" or end of expression`)
	}
	return x
}

// parseOr parses
//
//	OrExpr = AndExpr { ( "||" | "or" ) AndExpr } .
func (p *parser) parseOr() Expr {
	x := p.parseAnd()
	if !isOr(p.peek()) {
		return x
	}
	or := &Or{Pos: x.Position()}
	or.add(x)
	for isOr(p.peek()) {
		p.next()
		or.add(p.parseAnd())
	}
	return or
}

// add appends x to the operands of o, flattening a nested *Or.
func (o *Or) add(x Expr) {
	if y, ok := x.(*Or); ok {
		o.Exprs = append(o.Exprs, y.Exprs...)
		return
	}
	o.Exprs = append(o.Exprs, x)
}

// parseAnd parses
//
//	AndExpr = Unary { ( "&&" | "and" ) Unary } .
func (p *parser) parseAnd() Expr {
	x := p.parseUnary()
	if !isAnd(p.peek()) {
		return x
	}
	and := &And{Pos: x.Position()}
	and.add(x)
	for isAnd(p.peek()) {
		p.next()
		and.add(p.parseUnary())
	}
	return and
}

// add appends x to the operands of a, flattening a nested *And.
func (a *And) add(x Expr) {
	if y, ok := x.(*And); ok {
		a.Exprs = append(a.Exprs, y.Exprs...)
		return
	}
	a.Exprs = append(a.Exprs, x)
}

// parseUnary parses
//
//	Unary = ( "!" | "not" ) Unary | "(" Expression ")" | Condition .
func (p *parser) parseUnary() Expr {
	t := p.peek()
	switch {
	case isNot(t):
		p.next()
		p.enter(t)
		defer p.leave()
		var x Expr
		if p.peek().kind == tokLParen {
			x = p.parseParen()
		} else {
			x = p.parseUnary()
		}
		return &Not{Pos: t.pos, X: x}
	case t.kind == tokLParen:
		p.enter(t)
		defer p.leave()
		return p.parseParen()
	}
	return p.parseCondition()
}

// parseParen parses a parenthesized expression.
func (p *parser) parseParen() Expr {
	open := p.next()
	if t := p.peek(); t.kind == tokRParen {
		p.errorf(t, "empty parentheses")
	}
	x := p.parseOr()
	switch t := p.next(); t.kind {
	case tokRParen:
	case tokEOF:
		p.errorf(open, `unbalanced parenthesis: missing ")"`)
	default:
		p.unexpected(t, `"and", "or" or ")"`)
	}
	return x
}

// parseCondition parses
//
//	Condition = Subject ( CompareOp Value | ListOp List | ExistsOp ) .
func (p *parser) parseCondition() Expr {
	subjTok := p.next()
	subj := p.subject(subjTok)
	opTok := p.next()
	op := p.operator(opTok, subj)
	if op.isExists() {
		p.noArgument(opTok)
		return &Exists{Pos: subjTok.pos, Subject: subj, Op: op, OpPos: opTok.pos}
	}
	c := &Compare{Pos: subjTok.pos, Subject: subj, Op: op, OpPos: opTok.pos}
	if op.isList() {
		c.Args = p.list(opTok)
	} else {
		c.Args = []*Value{p.value(opTok, op)}
	}
	p.convert(c)
	return c
}

// subject interprets t as a subject.
func (p *parser) subject(t token) Subject {
	if t.kind != tokWord || isKeyword(t.text) {
		p.errorf(t, "expected subject, found %s", describe(t))
	}
	if len(t.text) >= len(attributePrefix) && t.text[:len(attributePrefix)] == attributePrefix {
		name := t.text[len(attributePrefix):]
		if !validAttributeName(name) {
			p.errorf(t, `invalid attribute name %q: want 1 to %d letters, digits, "-", "_", ".", "/" or "\"`, name, maxNameLen)
		}
		return Subject{Kind: Attribute, Name: name}
	}
	k := lookupSubject(t.text)
	if k == 0 {
		p.errorf(t, "unknown subject %s", describe(t))
	}
	return Subject{Kind: k}
}

// operator interprets t as the operator applied to subj.
func (p *parser) operator(t token, subj Subject) Operator {
	var op Operator
	switch t.kind {
	case tokOp, tokWord:
		op = lookupOperator(t.text)
		if op == 0 {
			p.errorf(t, "unknown operator %s", describe(t))
		}
	case tokNot:
		p.errorf(t, `unknown operator "!"`)
	default:
		p.errorf(t, "expected operator after %s, found %s", subj, describe(t))
	}
	if !subj.Kind.Allows(op) {
		p.errorf(t, "operator %s not allowed for %s", t.text, subj.Kind)
	}
	return op
}

// noArgument checks that the exists operator opTok is not followed by
// an argument.
func (p *parser) noArgument(opTok token) {
	t := p.peek()
	switch {
	case t.kind == tokString, t.kind == tokLBrack,
		t.kind == tokWord && !isKeyword(t.text):
		p.errorf(t, "operator %s takes no argument", opTok.text)
	}
}

// value parses the single argument of operator op, written as opTok.
func (p *parser) value(opTok token, op Operator) *Value {
	t := p.nextValue()
	switch {
	case op.isMatch() && (t.kind == tokLParen || t.kind == tokLBrack):
		p.errorf(t, "expected pattern after %s, found %s; quote patterns that contain ( ) [ ] , or quotes", opTok.text, describe(t))
	case t.kind == tokLBrack:
		p.errorf(t, "operator %s takes a single value, not a list", opTok.text)
	case !isValueToken(t):
		p.errorf(t, "expected value after %s, found %s", opTok.text, describe(t))
	}
	return newValue(t)
}

// isValueToken reports whether t is a bare or quoted value. Bare
// keywords are not values.
func isValueToken(t token) bool {
	return t.kind == tokString || t.kind == tokValue && !isKeyword(t.text)
}

// newValue returns the value written as token t.
func newValue(t token) *Value {
	text := t.text
	if t.kind == tokString {
		text = text[1 : len(text)-1]
	}
	return &Value{Pos: t.pos, Text: text}
}

// list parses the argument list of operator opTok:
//
//	List = "[" Value { "," Value } "]" .
func (p *parser) list(opTok token) []*Value {
	open := p.nextValue()
	if open.kind != tokLBrack {
		p.errorf(open, `expected "[" after %s, found %s`, opTok.text, describe(open))
	}
	var args []*Value
	for {
		t := p.nextValue()
		switch {
		case isValueToken(t):
			args = append(args, newValue(t))
		case t.kind == tokEOF:
			p.errorf(open, `unterminated list: missing "]"`)
		case t.kind == tokRBrack && len(args) == 0:
			p.errorf(t, "empty list")
		case t.kind == tokRBrack:
			p.errorf(t, `expected value after ",", found "]"`)
		default:
			p.errorf(t, "expected value in list, found %s", describe(t))
		}
		switch t := p.next(); t.kind {
		case tokComma:
		case tokRBrack:
			return args
		case tokEOF:
			p.errorf(open, `unterminated list: missing "]"`)
		default:
			p.errorf(t, `expected "," or "]" in list, found %s`, describe(t))
		}
	}
}

// convert checks the arguments of c against its subject and operator,
// filling in the typed fields of each value and compiling the regular
// expression of a match.
func (p *parser) convert(c *Compare) {
	if c.Op.isMatch() {
		c.Regexp = p.compile(c.Args[0])
		return
	}
	for _, v := range c.Args {
		p.convertValue(c.Subject.Kind, v)
	}
}

// convertValue checks v as an argument for a subject of kind k and
// sets its typed field.
func (p *parser) convertValue(k SubjectKind, v *Value) {
	var ok bool
	var want string
	switch k {
	case RunningTasksCount:
		v.Int, ok = parseCount(v.Text)
		want = "a non-negative integer"
	case AgentVersion:
		var err error
		v.Version, err = ParseVersion(v.Text)
		ok, want = err == nil, "a version such as 1.14.5"
	case RegisteredAt:
		var err error
		v.Time, err = parseTime(v.Text)
		ok, want = err == nil, "a date such as 2018-06-18, 2018-06-18T22:28:28, 2018-06-18T22:28:28Z or 2018-06-18T22:28:28+00:00"
	case AgentConnected:
		v.Bool, ok = v.Text == "true", v.Text == "true" || v.Text == "false"
		want = "true or false"
	default:
		return
	}
	if !ok {
		p.errorf(p.valueToken(v), "%s requires %s, found %q", k, want, v.Text)
	}
}

// valueToken reconstructs the token of a parsed value for an error.
func (p *parser) valueToken(v *Value) token {
	n := len(v.Text)
	if p.src[v.Pos] == '\'' || p.src[v.Pos] == '"' {
		n += 2
	}
	return token{pos: v.Pos, text: p.src[int(v.Pos) : int(v.Pos)+n]}
}

// compile compiles the pattern v so that it matches whole values only.
func (p *parser) compile(v *Value) *regexp.Regexp {
	re, err := compileWhole(v.Text)
	if err != nil {
		p.errorf(p.valueToken(v), "invalid regular expression: %s", regexpMessage(err))
	}
	return re
}

// compileWhole compiles the RE2 pattern expr anchored at both ends. It
// anchors the parsed syntax tree rather than the text, so that no
// pattern can escape the anchors (for example with an unterminated
// \Q literal).
func compileWhole(expr string) (*regexp.Regexp, error) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	whole := &syntax.Regexp{
		Op:  syntax.OpConcat,
		Sub: []*syntax.Regexp{{Op: syntax.OpBeginText}, re, {Op: syntax.OpEndText}},
	}
	return regexp.Compile(whole.String())
}

// regexpMessage returns the message of a regular expression error
// without the "error parsing regexp: " prefix of the regexp package.
func regexpMessage(err error) string {
	var serr *syntax.Error
	if errors.As(err, &serr) {
		return fmt.Sprintf("%s: `%s`", serr.Code, serr.Expr)
	}
	return err.Error()
}
