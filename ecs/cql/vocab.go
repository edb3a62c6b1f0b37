package cql

import (
	"fmt"
	"strings"
)

// SubjectKind identifies what a condition tests.
type SubjectKind int

// The subjects of the cluster query language.
const (
	AgentConnected    SubjectKind = iota + 1 // agentConnected
	AgentVersion                             // agentVersion
	Attribute                                // attribute:<name>
	EC2InstanceID                            // ec2InstanceId
	RegisteredAt                             // registeredAt
	RunningTasksCount                        // runningTasksCount
	TaskGroup                                // task:group
)

// String returns the name of the subject kind as written in an
// expression; for Attribute it is "attribute".
func (k SubjectKind) String() string {
	switch k {
	case AgentConnected:
		return "agentConnected"
	case AgentVersion:
		return "agentVersion"
	case Attribute:
		return "attribute"
	case EC2InstanceID:
		return "ec2InstanceId"
	case RegisteredAt:
		return "registeredAt"
	case RunningTasksCount:
		return "runningTasksCount"
	case TaskGroup:
		return "task:group"
	}
	return fmt.Sprintf("SubjectKind(%d)", int(k))
}

// Allows reports whether op may be applied to subjects of kind k.
func (k SubjectKind) Allows(op Operator) bool {
	if op < OpEqual || op > OpNotMatches {
		return false
	}
	switch k {
	case Attribute:
		return true
	case AgentConnected, EC2InstanceID:
		return op.isEquality() || op.isList() || op.isMatch()
	case TaskGroup:
		return op.isEquality() || op.isList() || op.isMatch() || op.isExists()
	case AgentVersion, RegisteredAt, RunningTasksCount:
		return op.isEquality() || op.isOrdering()
	}
	return false
}

// lookupSubject returns the kind of the fixed subject name s, or 0.
// Attribute subjects are recognized by their prefix instead.
func lookupSubject(s string) SubjectKind {
	for k := AgentConnected; k <= TaskGroup; k++ {
		if k != Attribute && k.String() == s {
			return k
		}
	}
	return 0
}

// attributePrefix introduces an attribute subject.
const attributePrefix = "attribute:"

// maxNameLen is the longest attribute name ECS accepts.
const maxNameLen = 128

// validAttributeName reports whether name is 1 to 128 letters, digits,
// hyphens, underscores, periods, forward slashes or back slashes.
func validAttributeName(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == '/', c == '\\':
		default:
			return false
		}
	}
	return true
}

// Subject is the left-hand side of a condition.
type Subject struct {
	Kind SubjectKind // the kind of subject
	Name string      // attribute name; set only when Kind is Attribute
}

// String returns the subject as written in an expression, such as
// "agentVersion" or "attribute:ecs.instance-type".
func (s Subject) String() string {
	if s.Kind == Attribute {
		return attributePrefix + s.Name
	}
	return s.Kind.String()
}

// Operator is a comparison operator.
type Operator int

// The comparison operators. Each has a symbolic spelling, returned by
// String, and a word spelling, returned by Word.
const (
	OpEqual        Operator = iota + 1 // == or equals
	OpNotEqual                         // != or not_equals
	OpGreater                          // > or greater_than
	OpGreaterEqual                     // >= or greater_than_equal
	OpLess                             // < or less_than
	OpLessEqual                        // <= or less_than_equal
	OpExists                           // exists
	OpNotExists                        // !exists or not_exists
	OpIn                               // in
	OpNotIn                            // !in or not_in
	OpMatches                          // =~ or matches
	OpNotMatches                       // !~ or not_matches
)

// spellings returns the symbolic and word spellings of op, or empty
// strings if op is not a valid operator.
func (op Operator) spellings() (symbol, word string) {
	switch op {
	case OpEqual:
		return "==", "equals"
	case OpNotEqual:
		return "!=", "not_equals"
	case OpGreater:
		return ">", "greater_than"
	case OpGreaterEqual:
		return ">=", "greater_than_equal"
	case OpLess:
		return "<", "less_than"
	case OpLessEqual:
		return "<=", "less_than_equal"
	case OpExists:
		return "exists", "exists"
	case OpNotExists:
		return "!exists", "not_exists"
	case OpIn:
		return "in", "in"
	case OpNotIn:
		return "!in", "not_in"
	case OpMatches:
		return "=~", "matches"
	case OpNotMatches:
		return "!~", "not_matches"
	}
	return "", ""
}

// String returns the symbolic spelling of op, such as "==" or "!in".
// The operators exists and in have no symbol and return their word.
func (op Operator) String() string {
	if symbol, _ := op.spellings(); symbol != "" {
		return symbol
	}
	return fmt.Sprintf("Operator(%d)", int(op))
}

// Word returns the word spelling of op, such as "equals" or "not_in".
func (op Operator) Word() string {
	if _, word := op.spellings(); word != "" {
		return word
	}
	return fmt.Sprintf("Operator(%d)", int(op))
}

// lookupOperator returns the operator spelled s, or 0.
func lookupOperator(s string) Operator {
	for op := OpEqual; op <= OpNotMatches; op++ {
		if symbol, word := op.spellings(); s == symbol || s == word {
			return op
		}
	}
	return 0
}

func (op Operator) isEquality() bool { return op == OpEqual || op == OpNotEqual }
func (op Operator) isOrdering() bool { return op >= OpGreater && op <= OpLessEqual }
func (op Operator) isExists() bool   { return op == OpExists || op == OpNotExists }
func (op Operator) isList() bool     { return op == OpIn || op == OpNotIn }
func (op Operator) isMatch() bool    { return op == OpMatches || op == OpNotMatches }

// isKeyword reports whether s is one of the Boolean keywords, which
// must be quoted to be used as argument values.
func isKeyword(s string) bool {
	return s == "and" || s == "or" || s == "not"
}

// isBare reports whether s can be written as a bare value: it is not
// empty, not a keyword, and holds no white space, structural character,
// "&&" or "||".
func isBare(s string) bool {
	if s == "" || isKeyword(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isValueByte(s[i]) {
			return false
		}
	}
	return !strings.Contains(s, "&&") && !strings.Contains(s, "||")
}

// quoteValue returns s as it is written in canonical form: bare when
// possible, otherwise in single quotes, or in double quotes when s
// contains a single quote. A value holding both kinds of quote cannot
// be written; Parse never produces one.
func quoteValue(s string) string {
	switch {
	case isBare(s):
		return s
	case !strings.Contains(s, "'"):
		return "'" + s + "'"
	}
	return `"` + s + `"`
}
