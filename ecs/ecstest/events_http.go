package ecstest

import (
	"context"
)

// eventsPrefix is EventBridge's X-Amz-Target prefix (the events model's
// targetPrefix and a dot; API version 2015-10-07).
const eventsPrefix = "AWSEvents."

// eventsOperations returns the EventBridge operations served: the rules
// and targets of scheduled tasks (events.go).
func (h *handler) eventsOperations() map[string]operation {
	e := h.e
	return map[string]operation{
		"PutRule":           eventsOp(e, (*ECS).PutRule),
		"DescribeRule":      eventsOp(e, (*ECS).DescribeRule),
		"ListRules":         eventsOp(e, (*ECS).ListRules),
		"DeleteRule":        eventsOp(e, (*ECS).DeleteRule),
		"EnableRule":        eventsOp(e, (*ECS).EnableRule),
		"DisableRule":       eventsOp(e, (*ECS).DisableRule),
		"PutTargets":        eventsOp(e, (*ECS).PutTargets),
		"RemoveTargets":     eventsOp(e, (*ECS).RemoveTargets),
		"ListTargetsByRule": eventsOp(e, (*ECS).ListTargetsByRule),
	}
}

// eventsOp makes an operation of a method of the EventBridge Go API: the
// body decoded (a SerializationException when it does not fit), the
// method's checks its own (ValidationExceptions).
func eventsOp[Req, Resp any](e *ECS, f func(*ECS, context.Context, *Req) (*Resp, error)) operation {
	return func(ctx context.Context, body []byte) (any, error) {
		req := new(Req)
		if err := decode(body, req, e.strict); err != nil {
			return nil, err
		}
		resp, err := f(e, ctx, req)
		if err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// eventsModelOperations are the operations of the EventBridge API model,
// so that one ecstest does not serve is told apart from one the API does
// not have.
func eventsModelOperations() []string {
	return []string{
		"ActivateEventSource", "CancelReplay", "CreateApiDestination", "CreateArchive",
		"CreateConnection", "CreateEndpoint", "CreateEventBus", "CreatePartnerEventSource",
		"DeactivateEventSource", "DeauthorizeConnection", "DeleteApiDestination",
		"DeleteArchive", "DeleteConnection", "DeleteEndpoint", "DeleteEventBus",
		"DeletePartnerEventSource", "DeleteRule", "DescribeApiDestination",
		"DescribeArchive", "DescribeConnection", "DescribeEndpoint", "DescribeEventBus",
		"DescribeEventSource", "DescribePartnerEventSource", "DescribeReplay",
		"DescribeRule", "DisableRule", "EnableRule", "ListApiDestinations",
		"ListArchives", "ListConnections", "ListEndpoints", "ListEventBuses",
		"ListEventSources", "ListPartnerEventSourceAccounts", "ListPartnerEventSources",
		"ListReplays", "ListRuleNamesByTarget", "ListRules", "ListTagsForResource",
		"ListTargetsByRule", "PutEvents", "PutPartnerEvents", "PutPermission",
		"PutRule", "PutTargets", "RemovePermission", "RemoveTargets", "StartReplay",
		"TagResource", "TestEventPattern", "UntagResource", "UpdateApiDestination",
		"UpdateArchive", "UpdateConnection", "UpdateEndpoint", "UpdateEventBus",
	}
}
