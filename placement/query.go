package placement

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/cql"
)

// Match evaluates a cluster query language expression (rule 96), such as
// the filter of ListContainerInstances, against every container instance
// of the snapshot, whatever its status, and returns the ARNs of those it
// holds for, in ARN order (an empty list when none does).
//
// The expression is compiled and answered exactly as a memberOf
// constraint is: attribute:<name> over the instance's attributes (an
// instance without the attribute satisfies no positive operator),
// ec2InstanceId, agentConnected, agentVersion (per component, numerically),
// registeredAt, runningTasksCount (as the instance describes it), and
// task:group over the snapshot's loaded tasks that are not desired
// STOPPED (rule 97).
//
// An expression that does not parse, or is longer than MaxExpressionLen
// characters, returns an *ecs.APIError of type InvalidParameterException.
// The snapshot is not changed: Match may be called concurrently with
// other calls of Match and with NewEngine.
func (s *Snapshot) Match(expression string) ([]string, error) {
	if s == nil {
		return nil, fmt.Errorf("placement: Match needs a Snapshot, not nil: %w", ecs.ErrInvalid)
	}
	if len(expression) > MaxExpressionLen {
		return nil, invalidParameter("The cluster query language expression must not exceed %d characters.", MaxExpressionLen)
	}
	ast, err := cql.Parse(expression)
	if err != nil {
		return nil, ecs.NewAPIError(ecs.InvalidParameterException,
			fmt.Sprintf("Invalid cluster query language expression %q: %v", expression, err),
			fmt.Errorf("%w: %w", ecs.ErrInvalid, err))
	}
	e := &expr{text: expression}
	e.root = e.compile(ast)
	out := []string{}
	for i := range s.inst {
		if e.test(s, int32(i)) {
			out = append(out, s.names[i].arn)
		}
	}
	return out, nil
}
