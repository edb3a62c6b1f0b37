package ecs

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
)

// maxTaskDefinitionSize is the quota on a task definition's size (rule 7).
const maxTaskDefinitionSize = 64 << 10

// documentForm is the shape of a task definition document.
type documentForm uint8

const (
	formRegister   documentForm = iota // a register-task-definition input
	formDescribe                       // {"taskDefinition": {...}, "tags": [...]}
	formContainers                     // a bare array of container definitions
)

// ValidateDocument decodes a task definition document in any form that
// DecodeTaskDefinition reads and validates it in one pass. Decoding
// problems (unknown members, wrong types, missing required members) are
// findings of the same form as the rules', with their line and column,
// and validation still runs on the rest of the document; a finding whose
// value could not be decoded is left out rather than reported twice.
// Every finding carries the position of its member, or of the nearest
// enclosing member the document has, and findings come in document order.
// Paths are the document's own: under "taskDefinition." for a
// describe-task-definition output, and "[i]" for the container
// definitions of a bare array. A document that is not JSON, or not a task
// definition, gives one finding and a nil task definition.
func ValidateDocument(data []byte, optFns ...func(*ValidationOptions)) (*TaskDefinition, Findings) {
	opts := validationOptions(optFns)
	root, err := parseJSON(data)
	if err != nil {
		return nil, Findings{syntaxFinding(err)}
	}
	if !looksLikeTaskDefinition(root) {
		line, col := lineCol(data, root.off) // one finding: the plain scan is fine
		return nil, Findings{{Code: codeNotTaskDefinition, Severity: SeverityError, Line: line, Column: col,
			Message: "The document is not a task definition: it is a JSON " + root.kind.String() + " with none of a task definition's members."}}
	}
	d := docValidation{data: data, root: root, opts: &opts}
	return d.run()
}

func syntaxFinding(err error) Finding {
	f := Finding{Code: codeSyntax, Severity: SeverityError, Message: "The document is not JSON: " + err.Error() + "."}
	var se *SyntaxError
	if errors.As(err, &se) {
		f.Line, f.Column = se.Line, se.Column
		f.Message = "The document is not JSON: " + se.Msg + "."
	}
	return f
}

// looksLikeTaskDefinition reports whether root is an array, or an object
// that is empty or has at least one member of a task definition, its
// request or its describe output.
func looksLikeTaskDefinition(root jsonValue) bool {
	switch root.kind {
	case jsonArray:
		return true
	case jsonObject:
		if len(root.members) == 0 {
			return true
		}
		fields := fieldsOf(reflect.TypeFor[TaskDefinition]())
		for _, m := range root.members {
			if _, ok := fields[m.key]; ok || m.key == "taskDefinition" || m.key == "tags" {
				return true
			}
		}
	}
	return false
}

// docValidation is one run of ValidateDocument.
type docValidation struct {
	data     []byte
	root     jsonValue
	opts     *ValidationOptions
	form     documentForm
	findings Findings
	offsets  []int           // offset of each finding, for ordering
	decoded  map[string]bool // paths of values that did not decode
	lines    []int           // offsets at which lines start, built on first use
}

func (d *docValidation) run() (*TaskDefinition, Findings) {
	d.form = formOf(d.root)
	var skipped []string
	var decodeOpts []func(*DecodeOptions)
	if d.opts.AllowUnknownFields {
		decodeOpts = append(decodeOpts, func(o *DecodeOptions) { o.Lenient, o.Skipped = true, &skipped })
	}
	td, tags, err := decodeTaskDefinitionTree(d.data, d.root, decodeOpts)
	d.addDecodeErrors(err)
	for _, p := range skipped {
		d.addAt(Finding{Path: p, Code: codeUnknownField, Severity: SeverityWarning,
			Message: "Member " + quote(lastSegment(p)) + " is not one the API defines here; it was skipped."})
	}
	d.addMissingMembers()
	d.addRules(td)
	for _, f := range ValidateTags(tags) {
		d.addAt(f)
	}
	d.addSize()
	d.sort()
	return td, d.findings
}

func formOf(root jsonValue) documentForm {
	switch {
	case root.kind == jsonArray:
		return formContainers
	case hasObjectMember(root, "taskDefinition"):
		return formDescribe
	}
	return formRegister
}

// add records f at byte offset off.
func (d *docValidation) add(f Finding, off int) {
	if f.Line == 0 {
		f.Line, f.Column = d.lineCol(off)
	}
	d.findings = append(d.findings, f)
	d.offsets = append(d.offsets, off)
}

// addAt records f at the position of its path.
func (d *docValidation) addAt(f Finding) {
	d.add(f, d.offsetOf(f.Path))
}

func (d *docValidation) addDecodeErrors(err error) {
	var de *DecodeError
	if !errors.As(err, &de) {
		return
	}
	for _, fe := range de.Errors {
		code := codeBadValue
		switch {
		case errors.Is(fe, ErrUnknownField):
			code = codeUnknownField
		case errors.Is(fe, ErrWrongType):
			code = codeWrongType
			d.markUndecoded(fe.Path)
		default:
			d.markUndecoded(fe.Path)
		}
		d.add(Finding{Path: fe.Path, Code: code, Severity: SeverityError, Line: fe.Line, Column: fe.Column,
			Message: sentence(fe.Msg)}, fe.Offset)
	}
}

// sentence capitalizes msg and ends it with a period.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	if c := msg[0]; 'a' <= c && c <= 'z' {
		msg = string(c-'a'+'A') + msg[1:]
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// addRules runs the rules on td and records their findings in the
// document's frame, leaving out those about a value that did not decode.
func (d *docValidation) addRules(td *TaskDefinition) {
	v := validator{td: td, opts: *d.opts, containersOnly: d.form == formContainers}
	v.run()
	for _, f := range v.findings {
		f.Path = d.documentPath(f.Path)
		if !d.undecoded(f.Path) {
			d.addAt(f)
		}
	}
}

// documentPath maps a path in the task definition to the document's
// frame.
func (d *docValidation) documentPath(p string) string {
	switch d.form {
	case formDescribe:
		return memberPath("taskDefinition", p)
	case formContainers:
		if rest, ok := strings.CutPrefix(p, "containerDefinitions"); ok {
			return rest
		}
	}
	return p
}

func (d *docValidation) markUndecoded(p string) {
	if d.decoded == nil {
		d.decoded = make(map[string]bool)
	}
	d.decoded[p] = true
}

// undecoded reports whether p is, or is inside, a value that did not
// decode or a required member that is missing.
func (d *docValidation) undecoded(p string) bool {
	for len(d.decoded) > 0 && p != "" {
		if d.decoded[p] {
			return true
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			return false
		}
		p = p[:i]
	}
	return false
}

// lineCol turns a byte offset into a 1-based line and column, by a binary
// search of the line starts, so that many findings cost little.
func (d *docValidation) lineCol(off int) (line, col int) {
	if d.lines == nil {
		d.lines = lineStarts(d.data)
	}
	return lineColIndexed(d.lines, min(off, len(d.data)))
}

// addSize checks the 64 KiB quota (rule 7) on the compacted document.
func (d *docValidation) addSize() {
	if len(d.data) <= maxTaskDefinitionSize {
		return
	}
	var b bytes.Buffer
	if json.Compact(&b, d.data) != nil || b.Len() <= maxTaskDefinitionSize {
		return
	}
	d.add(Finding{Code: codeTaskDocumentSize, Severity: SeverityError,
		Message: "The task definition is " + itoa(b.Len()) + " bytes without spaces; at most 65536 are allowed."}, d.root.off)
}

// sort puts the findings in document order.
func (d *docValidation) sort() {
	if len(d.findings) == 0 {
		d.findings = nil
		return
	}
	idx := make([]int, len(d.findings))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return d.offsets[a] - d.offsets[b] })
	sorted := make(Findings, len(idx))
	for i, k := range idx {
		sorted[i] = d.findings[k]
	}
	d.findings = sorted
}

// offsetOf returns the offset of the value at path p, or of the nearest
// enclosing value the document has.
func (d *docValidation) offsetOf(p string) int {
	v := d.root
	for p != "" {
		key, index, rest := nextSegment(p)
		next, ok := childValue(v, key, index)
		if !ok {
			break
		}
		v, p = next, rest
	}
	return v.off
}

// nextSegment splits the first segment off a path: a member name, or an
// index "[i]".
func nextSegment(p string) (key string, index int, rest string) {
	if p[0] == '[' {
		end := strings.IndexByte(p, ']')
		if end < 0 {
			return "", -1, ""
		}
		n, ok := smallUint(p[1:end])
		if !ok {
			n = -1
		}
		return "", n, strings.TrimPrefix(p[end+1:], ".")
	}
	end := strings.IndexAny(p, ".[")
	if end < 0 {
		return p, -1, ""
	}
	return p[:end], -1, strings.TrimPrefix(p[end:], ".")
}

func childValue(v jsonValue, key string, index int) (jsonValue, bool) {
	if key == "" {
		if v.kind != jsonArray || index < 0 || index >= len(v.elems) {
			return jsonValue{}, false
		}
		return v.elems[index], true
	}
	if v.kind != jsonObject {
		return jsonValue{}, false
	}
	for i := len(v.members) - 1; i >= 0; i-- { // the last of duplicate members wins
		if v.members[i].key == key {
			return v.members[i].val, true
		}
	}
	return jsonValue{}, false
}

func lastSegment(p string) string {
	if i := strings.LastIndexAny(p, ".]"); i >= 0 && p[i] == '.' {
		return p[i+1:]
	}
	return p
}

// addMissingMembers reports the members the API model requires that an
// object of the document leaves out.
func (d *docValidation) addMissingMembers() {
	var t reflect.Type
	switch d.form {
	case formContainers:
		t = reflect.TypeFor[[]ContainerDefinition]()
	case formDescribe:
		t = reflect.TypeFor[DescribeTaskDefinitionResponse]()
	default:
		t = reflect.TypeFor[TaskDefinition]()
	}
	d.missingIn(d.root, t, "")
}

func (d *docValidation) missingIn(v jsonValue, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Slice && v.kind == jsonArray:
		for i, e := range v.elems {
			d.missingIn(e, t.Elem(), indexPath(path, i))
		}
	case t.Kind() == reflect.Map && v.kind == jsonObject:
		for _, m := range v.members {
			d.missingIn(m.val, t.Elem(), memberPath(path, m.key))
		}
	case t.Kind() == reflect.Struct && t != timeType && v.kind == jsonObject:
		d.missingInStruct(v, t, path)
	}
}

func (d *docValidation) missingInStruct(v jsonValue, t reflect.Type, path string) {
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		required := t.Field(i).Tag.Get("ecs") == "required" // the model's required members (apigen)
		mv, ok := childValue(v, name, -1)
		p := memberPath(path, name)
		switch {
		case ok && mv.kind != jsonNull:
			d.missingIn(mv, t.Field(i).Type, p)
		case required:
			d.markUndecoded(p)
			d.add(Finding{Path: p, Code: codeMissingMember, Severity: SeverityError,
				Message: "Member " + quote(name) + " is required here."}, v.off)
		}
	}
}

// ValidateTags checks a register request's tags (rule 8): at most 50
// besides those with the reserved aws: prefix, which a user may not set;
// keys of 1 to 128 characters and values of at most 256.
func ValidateTags(tags []Tag) Findings {
	var fs Findings
	user := 0
	for i, t := range tags {
		path := indexPath("tags", i)
		switch n := len([]rune(t.Key)); {
		case n == 0 || n > 128:
			fs = append(fs, Finding{Path: path + ".key", Code: codeTagKey, Severity: SeverityError, Message: "Tag key " + quote(t.Key) + " must be 1 to 128 characters."})
		case hasFoldPrefix(t.Key, "aws:"):
			fs = append(fs, Finding{Path: path + ".key", Code: codeTagReserved, Severity: SeverityError, Message: "Tag key " + quote(t.Key) + " uses the prefix aws:, which AWS reserves."})
		default:
			user++
		}
		if len([]rune(t.Value)) > 256 {
			fs = append(fs, Finding{Path: path + ".value", Code: codeTagValue, Severity: SeverityError, Message: "The value of tag " + quote(t.Key) + " is longer than 256 characters."})
		}
	}
	if user > 50 {
		fs = append(fs, Finding{Path: "tags", Code: codeTagTooMany, Severity: SeverityError, Message: "There are " + itoa(user) + " tags; at most 50 are allowed."})
	}
	return fs
}
