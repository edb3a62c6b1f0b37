package placement

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/cql"
)

// Limits on placement constraints (rules 87 and 93).
const (
	// MaxConstraints is the most constraints a task may have, task
	// definition and call together.
	MaxConstraints = 10
	// MaxExpressionLen is the longest memberOf expression, in characters.
	MaxExpressionLen = 2000
)

// The reasons ECS gives when a constraint turns an instance away.
const (
	MemberOfUnsatisfied         = "MemberOf placement constraint unsatisfied."
	DistinctInstanceUnsatisfied = "DistinctInstance placement constraint unsatisfied."
)

// dependence says what a compiled expression's answer depends on, and so
// where it may be cached.
type dependence uint8

const (
	onAttributes dependence = iota // only the attribute set: cache per set
	onInstance                     // fixed facts of the instance: cache per instance
	onTasks                        // task groups or running count: never cached
)

// expr is a compiled memberOf expression with its cached answers (0
// unknown, 1 true, 2 false).
type expr struct {
	text   string
	root   node
	deps   dependence
	bySet  []int8
	byInst []int8
}

// constraint is one compiled placement constraint.
type constraint struct {
	distinct bool
	expr     *expr // memberOf
}

// reason returns the failure reason ECS gives for the constraint.
func (c *constraint) reason() string {
	if c.distinct {
		return DistinctInstanceUnsatisfied
	}
	return MemberOfUnsatisfied
}

// compileExpr parses and compiles a memberOf expression. Errors are the
// API's InvalidParameterException.
func compileExpr(text string) (*expr, error) {
	if len(text) > MaxExpressionLen {
		return nil, invalidParameter("The memberOf placement constraint expression must not exceed %d characters.", MaxExpressionLen)
	}
	ast, err := cql.Parse(text)
	if err != nil {
		return nil, invalidParameter("Invalid memberOf placement constraint expression %q: %v", text, err)
	}
	e := &expr{text: text}
	e.root = e.compile(ast)
	return e, nil
}

func (e *expr) depend(d dependence) { e.deps = max(e.deps, d) }

// compile turns an AST node into an evaluator and notes what it depends
// on.
func (e *expr) compile(x cql.Expr) node {
	switch x := x.(type) {
	case *cql.And:
		n := andNode{}
		for _, y := range x.Exprs {
			n.xs = append(n.xs, e.compile(y))
		}
		return n
	case *cql.Or:
		n := orNode{}
		for _, y := range x.Exprs {
			n.xs = append(n.xs, e.compile(y))
		}
		return n
	case *cql.Not:
		return notNode{e.compile(x.X)}
	case *cql.Exists:
		var n node = &existsNode{name: x.Subject.Name}
		if x.Subject.Kind == cql.TaskGroup {
			e.depend(onTasks)
			n = anyGroupNode{}
		}
		if x.Op == cql.OpNotExists {
			n = notNode{n}
		}
		return n
	case *cql.Compare:
		return e.compare(x)
	}
	panic(fmt.Sprintf("placement: unknown cql node %T", x))
}

// compare compiles one condition with an argument.
func (e *expr) compare(x *cql.Compare) node {
	positive, negated := positiveOf(x.Op)
	m := match{op: positive, re: x.Regexp}
	for _, a := range x.Args {
		m.args = append(m.args, a.Text)
	}
	var n node
	switch x.Subject.Kind {
	case cql.Attribute:
		n = &attrNode{name: x.Subject.Name, m: m}
	case cql.EC2InstanceID:
		e.depend(onInstance)
		n = &ec2Node{m: m}
	case cql.AgentConnected:
		e.depend(onInstance)
		n = &connectedNode{m: m}
	case cql.AgentVersion:
		e.depend(onInstance)
		return &versionNode{op: x.Op, v: x.Args[0].Version}
	case cql.RegisteredAt:
		e.depend(onInstance)
		return &timeNode{op: x.Op, t: x.Args[0].Time}
	case cql.RunningTasksCount:
		e.depend(onTasks)
		return &countNode{op: x.Op, n: x.Args[0].Int}
	case cql.TaskGroup:
		e.depend(onTasks)
		n = &groupNode{m: m}
	default:
		panic(fmt.Sprintf("placement: unknown cql subject %v", x.Subject.Kind))
	}
	if negated {
		return notNode{n}
	}
	return n
}

// positiveOf maps a negated operator to its positive form.
func positiveOf(op cql.Operator) (cql.Operator, bool) {
	switch op {
	case cql.OpNotEqual:
		return cql.OpEqual, true
	case cql.OpNotIn:
		return cql.OpIn, true
	case cql.OpNotMatches:
		return cql.OpMatches, true
	}
	return op, false
}

// test answers the expression for instance i, from the cache when the
// answer cannot have changed.
func (e *expr) test(s *Snapshot, i int32) bool {
	in := &s.inst[i]
	var slot *int8
	switch e.deps {
	case onAttributes:
		if e.bySet == nil {
			e.bySet = make([]int8, len(s.attrs.sets))
		}
		slot = &e.bySet[in.attrs]
	case onInstance:
		if e.byInst == nil {
			e.byInst = make([]int8, len(s.inst))
		}
		slot = &e.byInst[i]
	}
	if slot != nil && *slot != 0 {
		return *slot == 1
	}
	c := evalCtx{in: in, name: &s.names[i], set: &s.attrs.sets[in.attrs], groups: s.groups.names}
	ok := e.root.eval(&c)
	if slot != nil {
		*slot = 2
		if ok {
			*slot = 1
		}
	}
	return ok
}

// appendConstraints checks and compiles, onto out, the constraints of td
// and then those of the call: at most MaxConstraints in all. exprs caches
// compiled expressions by text.
func appendConstraints(out []constraint, td *ecs.TaskDefinition, call []ecs.PlacementConstraint, exprs map[string]*expr) ([]constraint, error) {
	if len(td.PlacementConstraints)+len(call) > MaxConstraints {
		return nil, tooManyConstraints()
	}
	for _, pc := range td.PlacementConstraints {
		c, err := compileConstraint(ecs.PlacementConstraintType(pc.Type), pc.Expression, exprs)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	for _, pc := range call {
		c, err := compileConstraint(pc.Type, pc.Expression, exprs)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func tooManyConstraints() error {
	return invalidParameter("The number of placement constraints must not exceed %d, including those in the task definition.", MaxConstraints)
}

// compileConstraint checks and compiles one constraint.
func compileConstraint(typ ecs.PlacementConstraintType, expression string, exprs map[string]*expr) (constraint, error) {
	switch typ {
	case ecs.PlacementConstraintTypeDistinctInstance:
		if expression != "" {
			return constraint{}, invalidParameter("The distinctInstance placement constraint does not take an expression.")
		}
		return constraint{distinct: true}, nil
	case ecs.PlacementConstraintTypeMemberOf:
		if expression == "" {
			return constraint{}, invalidParameter("The memberOf placement constraint requires an expression.")
		}
		e, ok := exprs[expression]
		if !ok {
			var err error
			if e, err = compileExpr(expression); err != nil {
				return constraint{}, err
			}
			exprs[expression] = e
		}
		return constraint{expr: e}, nil
	}
	return constraint{}, invalidParameter("Invalid placement constraint type %q. Valid values are distinctInstance and memberOf.", typ)
}
