package placement

import (
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/ecscore/ecscore/ecs/cql"
)

// node is a compiled cluster query language expression. eval answers it
// for one instance without allocating (attribute orderings of decimal
// numbers aside, whose answers are cached per attribute set).
type node interface {
	eval(c *evalCtx) bool
}

// evalCtx is the instance an expression is evaluated for.
type evalCtx struct {
	in     *instance
	name   *instName
	set    *attrSet
	groups []string // group names by id
}

type andNode struct{ xs []node }
type orNode struct{ xs []node }
type notNode struct{ x node }

func (n andNode) eval(c *evalCtx) bool {
	for _, x := range n.xs {
		if !x.eval(c) {
			return false
		}
	}
	return true
}

func (n orNode) eval(c *evalCtx) bool {
	for _, x := range n.xs {
		if x.eval(c) {
			return true
		}
	}
	return false
}

func (n notNode) eval(c *evalCtx) bool { return !n.x.eval(c) }

// match is a string test: equality, list membership, pattern or ordering.
// The negated operators (!=, !in, !~) are compiled as the negation of
// their positive form.
type match struct {
	op   cql.Operator // OpEqual, OpIn, OpMatches or an ordering
	args []string
	re   *regexp.Regexp
}

func (m *match) test(v string) bool {
	switch m.op {
	case cql.OpEqual:
		return v == m.args[0]
	case cql.OpIn:
		return slices.Contains(m.args, v)
	case cql.OpMatches:
		return m.re.MatchString(v)
	}
	return ordered(m.op, cql.CompareAttributeValues(v, m.args[0]))
}

// ordered applies an ordering or equality operator to a comparison
// result.
func ordered(op cql.Operator, c int) bool {
	switch op {
	case cql.OpEqual:
		return c == 0
	case cql.OpNotEqual:
		return c != 0
	case cql.OpGreater:
		return c > 0
	case cql.OpGreaterEqual:
		return c >= 0
	case cql.OpLess:
		return c < 0
	case cql.OpLessEqual:
		return c <= 0
	}
	return false
}

// attrNode tests attribute:<name>. An instance without the attribute
// satisfies none of the positive operators (and so every negated one).
type attrNode struct {
	name string
	m    match
}

func (n *attrNode) eval(c *evalCtx) bool {
	v, ok := c.set.lookup(n.name)
	return ok && n.m.test(v)
}

// existsNode tests attribute:<name> exists.
type existsNode struct{ name string }

func (n *existsNode) eval(c *evalCtx) bool {
	_, ok := c.set.lookup(n.name)
	return ok
}

// ec2Node tests ec2InstanceId.
type ec2Node struct{ m match }

func (n *ec2Node) eval(c *evalCtx) bool { return n.m.test(c.name.ec2ID) }

// connectedNode tests agentConnected, as the string true or false.
type connectedNode struct{ m match }

func (n *connectedNode) eval(c *evalCtx) bool {
	return n.m.test(strconv.FormatBool(c.in.connected))
}

// versionNode tests agentVersion, per component numerically. An instance
// that reports no version satisfies only !=.
type versionNode struct {
	op cql.Operator
	v  cql.Version
}

func (n *versionNode) eval(c *evalCtx) bool {
	if c.in.agentVersion == nil {
		return n.op == cql.OpNotEqual
	}
	return ordered(n.op, c.in.agentVersion.Compare(n.v))
}

// timeNode tests registeredAt as an instant.
type timeNode struct {
	op cql.Operator
	t  time.Time
}

func (n *timeNode) eval(c *evalCtx) bool { return ordered(n.op, c.in.registeredAt.Compare(n.t)) }

// countNode tests runningTasksCount, including the tasks placed since the
// snapshot.
type countNode struct {
	op cql.Operator
	n  int
}

func (n *countNode) eval(c *evalCtx) bool {
	r := int(c.in.running)
	switch {
	case r < n.n:
		return ordered(n.op, -1)
	case r > n.n:
		return ordered(n.op, +1)
	}
	return ordered(n.op, 0)
}

// groupNode tests task:group: true when some task on the instance has a
// group that satisfies the test (rule 97).
type groupNode struct{ m match }

func (n *groupNode) eval(c *evalCtx) bool {
	for _, gc := range c.in.groups {
		if n.m.test(c.groups[gc.group]) {
			return true
		}
	}
	return false
}

// anyGroupNode tests task:group exists: the instance runs some task of
// some group.
type anyGroupNode struct{}

func (anyGroupNode) eval(c *evalCtx) bool { return len(c.in.groups) > 0 }
