package cql

import "strings"

// tokenKind identifies the type of a lexical token.
type tokenKind int

const (
	tokError  tokenKind = iota // lexical error; token.err holds the message
	tokEOF                     // end of input
	tokWord                    // bare word: subject, keyword or word operator
	tokValue                   // bare argument value, scanned in value context
	tokString                  // quoted argument value, quotes included in text
	tokOp                      // symbolic comparison operator: == != > >= < <= =~ !~ !in !exists
	tokAnd                     // &&
	tokOr                      // ||
	tokNot                     // !
	tokLParen                  // (
	tokRParen                  // )
	tokLBrack                  // [
	tokRBrack                  // ]
	tokComma                   // ,
)

// token is a lexical token together with its position in the input.
type token struct {
	kind tokenKind
	pos  Pos    // byte offset of the first byte of the token
	text string // source text of the token
	err  string // error message when kind == tokError
}

// lexer scans tokens on demand. Its only state is the read position,
// so a parser can look ahead by saving and restoring pos. The parser
// chooses the context: next scans in expression context, nextValue in
// value context, where bare words may contain operator characters.
type lexer struct {
	input string
	pos   int
}

// isSpace reports whether c separates tokens.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// isDelim reports whether c is a structural character that ends any
// bare word or value.
func isDelim(c byte) bool {
	switch c {
	case '(', ')', '[', ']', ',', '\'', '"':
		return true
	}
	return false
}

// isOpChar reports whether c starts a symbolic operator in expression
// context.
func isOpChar(c byte) bool {
	switch c {
	case '=', '!', '<', '>', '~', '&', '|':
		return true
	}
	return false
}

// isWordByte reports whether c may appear in a bare word in expression
// context.
func isWordByte(c byte) bool {
	return !isSpace(c) && !isDelim(c) && !isOpChar(c)
}

// isValueByte reports whether c may appear in a bare value.
func isValueByte(c byte) bool {
	return !isSpace(c) && !isDelim(c)
}

// atBoolOp reports whether the input at i starts with "&&" or "||".
func (l *lexer) atBoolOp(i int) bool {
	rest := l.input[i:]
	return strings.HasPrefix(rest, "&&") || strings.HasPrefix(rest, "||")
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.input) && isSpace(l.input[l.pos]) {
		l.pos++
	}
}

// take consumes n bytes and returns them as a token of the given kind.
func (l *lexer) take(kind tokenKind, n int) token {
	start := l.pos
	l.pos += n
	return token{kind: kind, pos: Pos(start), text: l.input[start:l.pos]}
}

// fail consumes n bytes and returns them as an error token.
func (l *lexer) fail(n int, msg string) token {
	t := l.take(tokError, n)
	t.err = msg
	return t
}

// next scans the next token in expression context.
func (l *lexer) next() token {
	l.skipSpace()
	if l.pos >= len(l.input) {
		return token{kind: tokEOF, pos: Pos(l.pos)}
	}
	c := l.input[l.pos]
	switch {
	case isDelim(c):
		return l.delim()
	case isOpChar(c):
		return l.operator()
	}
	return l.take(tokWord, l.wordLen(l.pos))
}

// nextValue scans the next token in value context. A bare value runs
// up to white space, a structural character or "&&" or "||"; anything
// else is scanned as in expression context.
func (l *lexer) nextValue() token {
	l.skipSpace()
	if l.pos >= len(l.input) || isDelim(l.input[l.pos]) || l.atBoolOp(l.pos) {
		return l.next()
	}
	i := l.pos
	for i < len(l.input) && isValueByte(l.input[i]) && !l.atBoolOp(i) {
		i++
	}
	return l.take(tokValue, i-l.pos)
}

// wordLen returns the length of the bare word starting at i.
func (l *lexer) wordLen(i int) int {
	j := i
	for j < len(l.input) && isWordByte(l.input[j]) {
		j++
	}
	return j - i
}

// delim scans a structural token or a quoted string.
func (l *lexer) delim() token {
	switch l.input[l.pos] {
	case '(':
		return l.take(tokLParen, 1)
	case ')':
		return l.take(tokRParen, 1)
	case '[':
		return l.take(tokLBrack, 1)
	case ']':
		return l.take(tokRBrack, 1)
	case ',':
		return l.take(tokComma, 1)
	}
	return l.quoted()
}

// quoted scans a string in single or double quotes. There are no
// escapes: the string ends at the next matching quote.
func (l *lexer) quoted() token {
	q := l.input[l.pos]
	end := strings.IndexByte(l.input[l.pos+1:], q)
	if end < 0 {
		return l.fail(len(l.input)-l.pos, "unterminated quoted string")
	}
	return l.take(tokString, end+2)
}

// operator scans a token that starts with an operator character.
func (l *lexer) operator() token {
	rest := l.input[l.pos:]
	var c2 byte
	if len(rest) > 1 {
		c2 = rest[1]
	}
	switch rest[0] {
	case '=':
		if c2 == '=' || c2 == '~' {
			return l.take(tokOp, 2)
		}
		return l.fail(1, `unexpected "=", did you mean "=="?`)
	case '!':
		return l.bang(c2)
	case '<', '>':
		if c2 == '=' {
			return l.take(tokOp, 2)
		}
		return l.take(tokOp, 1)
	case '&':
		if c2 == '&' {
			return l.take(tokAnd, 2)
		}
		return l.fail(1, `unexpected "&", did you mean "&&"?`)
	case '|':
		if c2 == '|' {
			return l.take(tokOr, 2)
		}
		return l.fail(1, `unexpected "|", did you mean "||"?`)
	}
	return l.fail(1, `unexpected "~", did you mean "=~"?`)
}

// bang scans a token starting with '!': one of the operators "!=",
// "!~", "!in" and "!exists", or else the negation "!".
func (l *lexer) bang(c2 byte) token {
	if c2 == '=' || c2 == '~' {
		return l.take(tokOp, 2)
	}
	n := l.wordLen(l.pos + 1)
	switch l.input[l.pos+1 : l.pos+1+n] {
	case "in", "exists":
		return l.take(tokOp, 1+n)
	}
	return l.take(tokNot, 1)
}
