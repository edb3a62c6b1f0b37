package cql

import (
	"fmt"
	"strings"
)

// Error is a syntax error in an expression.
type Error struct {
	Pos   Pos    // byte offset of the offending token, from 0
	Line  int    // line of the offending token, from 1
	Col   int    // byte column of the offending token within its line, from 1
	Token string // source text of the offending token; empty at end of input
	Msg   string // description of the problem
}

// Error returns the error as "cql: line:col: message" ("cql: <nil>" for a
// nil *Error).
func (e *Error) Error() string {
	if e == nil {
		return "cql: " + nilNode
	}
	return fmt.Sprintf("cql: %d:%d: %s", e.Line, e.Col, e.Msg)
}

// newError returns an Error for the token text at pos in src.
func newError(src string, pos Pos, text, msg string) *Error {
	before := src[:pos]
	return &Error{
		Pos:   pos,
		Line:  1 + strings.Count(before, "\n"),
		Col:   len(before) - strings.LastIndexByte(before, '\n'),
		Token: text,
		Msg:   msg,
	}
}
