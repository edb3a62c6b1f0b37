package cql

import (
	"regexp"
	"strings"
	"time"
)

// Pos is a byte offset into the source text of an expression,
// counting from 0.
type Pos int

// Position returns p. Embedding a Pos in a node gives the node its
// Position method.
func (p Pos) Position() Pos { return p }

// Node is an element of the syntax tree: an [Expr] or a [*Value].
type Node interface {
	// Position returns the byte offset of the start of the node.
	Position() Pos
	// String returns the node in canonical form.
	String() string
}

// Expr is a Boolean expression: one of [*Compare], [*Exists], [*Not],
// [*And] and [*Or]. The String method of an Expr returns canonical
// source text that parses to an equal tree.
type Expr interface {
	Node
	writeTo(b *strings.Builder)
}

// Compare is a condition with an argument, such as
// "attribute:ecs.instance-type == t2.small" or
// "ec2InstanceId in [i-1, i-2]".
type Compare struct {
	Pos                    // position of the subject
	Subject Subject        // what is tested
	Op      Operator       // any operator except OpExists and OpNotExists
	OpPos   Pos            // position of the operator
	Args    []*Value       // the argument: one value, or the list for OpIn and OpNotIn
	Regexp  *regexp.Regexp // for OpMatches and OpNotMatches, the argument compiled to match whole values
}

// Exists is a condition without an argument, such as
// "attribute:stack exists".
type Exists struct {
	Pos              // position of the subject
	Subject Subject  // an attribute or task:group
	Op      Operator // OpExists or OpNotExists
	OpPos   Pos      // position of the operator
}

// Not is a negation, written "!" or "not".
type Not struct {
	Pos      // position of the "!" or "not"
	X   Expr // the negated expression
}

// And is a conjunction, written "&&" or "and", of two or more
// expressions, none of which is itself an *And.
type And struct {
	Pos          // position of the first operand
	Exprs []Expr // the operands, in source order
}

// Or is a disjunction, written "||" or "or", of two or more
// expressions, none of which is itself an *Or.
type Or struct {
	Pos          // position of the first operand
	Exprs []Expr // the operands, in source order
}

// Value is an argument value. Text always holds the value as written,
// without quotes; for subjects with typed arguments, Parse also checks
// and converts it into one of the other fields. Arguments of OpMatches
// and OpNotMatches are regular expressions and are not converted.
type Value struct {
	Pos               // position of the value, or of its opening quote
	Text    string    // the value without quotes
	Int     int       // for runningTasksCount
	Version Version   // for agentVersion
	Time    time.Time // for registeredAt
	Bool    bool      // for agentConnected
}

// String returns the value as written in canonical form: bare if
// possible, else quoted.
// A nil *Value, like every nil node, is written "<nil>".
func (v *Value) String() string {
	if v == nil {
		return nilNode
	}
	return quoteValue(v.Text)
}

// nilNode is how String writes a nil node.
const nilNode = "<nil>"

// String returns the condition in canonical form.
func (c *Compare) String() string { return exprString(c) }

// String returns the condition in canonical form.
func (e *Exists) String() string { return exprString(e) }

// String returns the negation in canonical form, "not(X)".
func (n *Not) String() string { return exprString(n) }

// String returns the conjunction in canonical form.
func (a *And) String() string { return exprString(a) }

// String returns the disjunction in canonical form.
func (o *Or) String() string { return exprString(o) }

func exprString(e Expr) string {
	var b strings.Builder
	e.writeTo(&b)
	return b.String()
}

func (c *Compare) writeTo(b *strings.Builder) {
	if c == nil {
		b.WriteString(nilNode)
		return
	}
	b.WriteString(c.Subject.String())
	b.WriteByte(' ')
	b.WriteString(c.Op.String())
	b.WriteByte(' ')
	if !c.Op.isList() {
		if len(c.Args) > 0 {
			b.WriteString(c.Args[0].String())
		}
		return
	}
	b.WriteByte('[')
	for i, v := range c.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.String())
	}
	b.WriteByte(']')
}

func (e *Exists) writeTo(b *strings.Builder) {
	if e == nil {
		b.WriteString(nilNode)
		return
	}
	b.WriteString(e.Subject.String())
	b.WriteByte(' ')
	b.WriteString(e.Op.String())
}

func (n *Not) writeTo(b *strings.Builder) {
	if n == nil {
		b.WriteString(nilNode)
		return
	}
	b.WriteString("not(")
	if n.X != nil {
		n.X.writeTo(b)
	}
	b.WriteByte(')')
}

func (a *And) writeTo(b *strings.Builder) {
	if a == nil {
		b.WriteString(nilNode)
		return
	}
	writeList(b, a.Exprs, " and ")
}

func (o *Or) writeTo(b *strings.Builder) {
	if o == nil {
		b.WriteString(nilNode)
		return
	}
	writeList(b, o.Exprs, " or ")
}

// writeList writes the operands of a conjunction or disjunction
// separated by sep. Only an *Or inside an *And is parenthesized: the
// parser never nests an *And directly in an *And nor an *Or in an *Or,
// and "and" binds more tightly than "or". Adding no other parentheses
// keeps the canonical form within the nesting limit of its source.
func writeList(b *strings.Builder, exprs []Expr, sep string) {
	for i, x := range exprs {
		if i > 0 {
			b.WriteString(sep)
		}
		switch x.(type) {
		case nil:
		case *Or:
			b.WriteByte('(')
			x.writeTo(b)
			b.WriteByte(')')
		default:
			x.writeTo(b)
		}
	}
}

// Inspect traverses the tree rooted at e in depth-first order: it
// calls f(e) and, if f returns true, inspects each operand of e. A nil f
// inspects nothing.
func Inspect(e Expr, f func(Expr) bool) {
	if e == nil || f == nil || !f(e) {
		return
	}
	switch e := e.(type) {
	case *Not:
		if e != nil {
			Inspect(e.X, f)
		}
	case *And:
		if e != nil {
			for _, x := range e.Exprs {
				Inspect(x, f)
			}
		}
	case *Or:
		if e != nil {
			for _, x := range e.Exprs {
				Inspect(x, f)
			}
		}
	}
}
