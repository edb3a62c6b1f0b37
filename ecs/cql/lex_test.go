package cql

import (
	"fmt"
	"strings"
	"testing"
)

// lexAll scans src in expression context, switching to value context
// after each comparison operator, "[" and ",", as the parser does.
func lexAll(src string) string {
	l := lexer{input: src}
	var out []string
	value := false
	for {
		var t token
		if value {
			t = l.nextValue()
		} else {
			t = l.next()
		}
		out = append(out, fmt.Sprintf("%s:%d:%q", kindName(t.kind), t.pos, t.text))
		if t.kind == tokEOF || t.kind == tokError {
			return strings.Join(out, " ")
		}
		op := lookupOperator(t.text)
		value = t.kind == tokOp && !op.isExists() || t.kind == tokWord && op != 0 && !op.isExists() ||
			t.kind == tokLBrack || t.kind == tokComma
	}
}

func kindName(k tokenKind) string {
	switch k {
	case tokError:
		return "error"
	case tokEOF:
		return "eof"
	case tokWord:
		return "word"
	case tokValue:
		return "value"
	case tokString:
		return "string"
	case tokOp:
		return "op"
	case tokAnd:
		return "and"
	case tokOr:
		return "or"
	case tokNot:
		return "not"
	case tokLParen:
		return "("
	case tokRParen:
		return ")"
	case tokLBrack:
		return "["
	case tokRBrack:
		return "]"
	case tokComma:
		return ","
	}
	return "?"
}

func TestLex(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", `eof:0:""`},
		{"attribute:x==y", `word:0:"attribute:x" op:11:"==" value:13:"y" eof:14:""`},
		{"a =~ g2.* and b", `word:0:"a" op:2:"=~" value:5:"g2.*" word:10:"and" word:14:"b" eof:15:""`},
		{"a == x&&b", `word:0:"a" op:2:"==" value:5:"x" and:6:"&&" word:8:"b" eof:9:""`},
		{"a == x||b", `word:0:"a" op:2:"==" value:5:"x" or:6:"||" word:8:"b" eof:9:""`},
		{"a == x&y|z", `word:0:"a" op:2:"==" value:5:"x&y|z" eof:10:""`},
		{"a == >=!x", `word:0:"a" op:2:"==" value:5:">=!x" eof:9:""`},
		{"!a !exists", `not:0:"!" word:1:"a" op:3:"!exists" eof:10:""`},
		{"!in !inx !existsy", `op:0:"!in" value:4:"!inx" not:9:"!" word:10:"existsy" eof:17:""`},
		{"!(a", `not:0:"!" (:1:"(" word:2:"a" eof:3:""`},
		{"a in ['x y',\"z\"]", `word:0:"a" word:2:"in" [:5:"[" string:6:"'x y'" ,:11:"," string:12:"\"z\"" ]:15:"]" eof:16:""`},
		{"a in [b,c]", `word:0:"a" word:2:"in" [:5:"[" value:6:"b" ,:7:"," value:8:"c" ]:9:"]" eof:10:""`},
		{"a <= 1 >= 2 < 3 > 4", `word:0:"a" op:2:"<=" value:5:"1" op:7:">=" value:10:"2" op:12:"<" value:14:"3" op:16:">" value:18:"4" eof:19:""`},
		{"a != b !~ c", `word:0:"a" op:2:"!=" value:5:"b" op:7:"!~" value:10:"c" eof:11:""`},
		{"a == 'unterminated", `word:0:"a" op:2:"==" error:5:"'unterminated"`},
		{"a = b", `word:0:"a" error:2:"="`},
		{"a ~ b", `word:0:"a" error:2:"~"`},
		{"a & b", `word:0:"a" error:2:"&"`},
		{"a | b", `word:0:"a" error:2:"|"`},
		{"\t\na\r\n", `word:2:"a" eof:5:""`},
		{"é == ü", `word:0:"é" op:3:"==" value:6:"ü" eof:8:""`},
	}
	for _, tt := range tests {
		if got := lexAll(tt.src); got != tt.want {
			t.Errorf("lex(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestIsBare(t *testing.T) {
	tests := map[string]bool{
		"t2.small":           true,
		"service:production": true,
		"g2.*":               true,
		"a&b":                true,
		"!x":                 true,
		"":                   false,
		"and":                false,
		"or":                 false,
		"not":                false,
		"AND":                true,
		"a b":                false,
		"a&&b":               false,
		"a||b":               false,
		"(a)":                false,
		"a,b":                false,
		"it's":               false,
		`"`:                  false,
		"a\tb":               false,
	}
	for s, want := range tests {
		if got := isBare(s); got != want {
			t.Errorf("isBare(%q) = %v, want %v", s, got, want)
		}
	}
}
