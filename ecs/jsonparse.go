package ecs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonKind is the JSON type of a parsed value.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// jsonValue is one parsed JSON value with the byte offset where it starts,
// so that an error about it can name its line and column.
type jsonValue struct {
	kind    jsonKind
	off     int
	boolean bool
	text    string // a string's value or a number's literal
	elems   []jsonValue
	members []jsonMember
}

type jsonMember struct {
	key    string
	keyOff int
	val    jsonValue
}

// maxDepth bounds nesting so that no document can exhaust the stack.
const maxDepth = 200

// SyntaxError is a document that is not JSON. Decoding stops at it.
type SyntaxError struct {
	Offset int // byte offset of the error
	Line   int // 1-based
	Column int // 1-based, in bytes
	Msg    string
}

// Error returns the problem with its line and column ("<nil>" for a nil
// *SyntaxError).
func (e *SyntaxError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

type jsonParser struct {
	data  []byte
	pos   int
	depth int
	// skip makes the parser check syntax without building anything: the
	// values it returns have only their kind and offset.
	skip bool
}

// checkJSON reports whether data is one JSON document, as parseJSON does,
// without building its tree.
func checkJSON(data []byte) error {
	p := &jsonParser{data: data, skip: true}
	p.skipSpace()
	if _, err := p.value(); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return p.errorf("unexpected %s after the document", p.describe())
	}
	return nil
}

// skipValue moves past the value at the current position without building
// it.
func (p *jsonParser) skipValue() error {
	saved := p.skip
	p.skip = true
	_, err := p.value()
	p.skip = saved
	return err
}

// parseJSON parses a whole document into a tree.
func parseJSON(data []byte) (jsonValue, error) {
	p := &jsonParser{data: data}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return jsonValue{}, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return jsonValue{}, p.errorf("unexpected %s after the document", p.describe())
	}
	return v, nil
}

func (p *jsonParser) errorf(format string, args ...any) error {
	line, col := lineCol(p.data, p.pos)
	return &SyntaxError{Offset: p.pos, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line = 1
	start := 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, off - start + 1
}

// lineStarts returns the offset at which each line of data starts.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineColIndexed is lineCol with the line starts already known.
func lineColIndexed(starts []int, off int) (line, col int) {
	i, _ := slices.BinarySearch(starts, off+1)
	return i, off - starts[i-1] + 1
}

func (p *jsonParser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (jsonValue, error) {
	if p.pos >= len(p.data) {
		return jsonValue{}, p.errorf("unexpected end of input, expected a value")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return jsonValue{kind: jsonString, off: start, text: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		lit, err := p.number()
		return jsonValue{kind: jsonNumber, off: start, text: lit}, err
	case p.literal("true"):
		return jsonValue{kind: jsonBool, off: start, boolean: true}, nil
	case p.literal("false"):
		return jsonValue{kind: jsonBool, off: start}, nil
	case p.literal("null"):
		return jsonValue{kind: jsonNull, off: start}, nil
	}
	return jsonValue{}, p.errorf("unexpected %s, expected a value", p.describe())
}

func (p *jsonParser) literal(word string) bool {
	if strings.HasPrefix(string(p.data[p.pos:min(p.pos+len(word), len(p.data))]), word) {
		p.pos += len(word)
		return true
	}
	return false
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("nesting deeper than %d levels", maxDepth)
	}
	return nil
}

func (p *jsonParser) object() (jsonValue, error) {
	v := jsonValue{kind: jsonObject, off: p.pos}
	if err := p.enter(); err != nil {
		return v, err
	}
	defer func() { p.depth-- }()
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return v, p.errorf("unexpected %s, expected a member name in double quotes", p.describe())
		}
		keyOff := p.pos
		key, err := p.str()
		if err != nil {
			return v, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return v, p.errorf("unexpected %s, expected ':' after member name", p.describe())
		}
		p.pos++
		p.skipSpace()
		val, err := p.value()
		if err != nil {
			return v, err
		}
		if !p.skip {
			v.members = append(v.members, jsonMember{key: key, keyOff: keyOff, val: val})
		}
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return v, nil
		}
		return v, p.errorf("unexpected %s, expected ',' or '}'", p.describe())
	}
}

func (p *jsonParser) array() (jsonValue, error) {
	v := jsonValue{kind: jsonArray, off: p.pos}
	if err := p.enter(); err != nil {
		return v, err
	}
	defer func() { p.depth-- }()
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		val, err := p.value()
		if err != nil {
			return v, err
		}
		if !p.skip {
			v.elems = append(v.elems, val)
		}
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return v, nil
		}
		return v, p.errorf("unexpected %s, expected ',' or ']'", p.describe())
	}
}

// number scans a JSON number and returns its literal.
func (p *jsonParser) number() (string, error) {
	start := p.pos
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if digits() == 0 {
		return "", p.errorf("unexpected %s in number", p.describe())
	}
	if p.data[intStart] == '0' && p.pos-intStart > 1 {
		p.pos = intStart + 1
		return "", p.errorf("leading zero in number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return "", p.errorf("unexpected %s after decimal point", p.describe())
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return "", p.errorf("unexpected %s in exponent", p.describe())
		}
	}
	if p.skip {
		return "", nil
	}
	return string(p.data[start:p.pos]), nil
}

// str scans a JSON string and returns its value. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does, so that a decoded value encodes unchanged.
func (p *jsonParser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			raw := p.data[start:p.pos]
			p.pos++
			if p.skip {
				return "", nil
			}
			if utf8.Valid(raw) {
				return string(raw), nil
			}
			return strings.ToValidUTF8(string(raw), "\uFFFD"), nil
		}
		if c == '\\' || c < 0x20 {
			return p.strSlow(start)
		}
		p.pos++
	}
	return "", p.errorf("unterminated string")
}

func (p *jsonParser) strSlow(start int) (string, error) {
	var b strings.Builder
	if !p.skip {
		b.Write(p.data[start:p.pos])
	}
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if p.skip {
				return "", nil
			}
			return strings.ToValidUTF8(b.String(), "\uFFFD"), nil
		case c < 0x20:
			return "", p.errorf("control character %#02x in string", c)
		case c != '\\':
			if !p.skip {
				b.WriteByte(c)
			}
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(p.data) {
			break
		}
		esc := p.data[p.pos]
		p.pos++
		var r rune
		switch esc {
		case '"', '\\', '/':
			r = rune(esc)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			var err error
			if r, err = p.hex4(); err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					lo, err := p.hex4()
					if err != nil {
						return "", err
					}
					if r2 = utf16.DecodeRune(r, lo); r2 == utf8.RuneError {
						p.pos = save
					}
				}
				r = r2
			}
		default:
			p.pos--
			return "", p.errorf("invalid escape '\\%c' in string", esc)
		}
		if !p.skip {
			b.WriteRune(r)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 > len(p.data) {
		return 0, p.errorf("short \\u escape in string")
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape in string")
	}
	p.pos += 4
	return rune(n), nil
}
