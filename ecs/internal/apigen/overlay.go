package main

import "slices"

// applyOverlay adds what ECS introduced after the bundled model was cut:
// the 2026 circuit breaker members resetOnHealthyTask and
// thresholdConfiguration, with the ThresholdConfiguration shape and its
// ThresholdType enum; and the stop code InfrastructureHealth, which the
// current API reference lists for Task.stopCode (rule 109).
// It also types what the model leaves a plain String: Task.desiredStatus
// takes the DesiredStatus enum, and Task.lastStatus and
// Container.lastStatus take the TaskStatus enum, whose values are the task
// lifecycle of rule 108 in its order.
func applyOverlay(m *model) {
	if sc := m.Shapes["TaskStopCode"]; !slices.Contains(sc.Enum, "InfrastructureHealth") {
		sc.Enum = append(sc.Enum, "InfrastructureHealth")
	}
	m.Shapes["ThresholdType"] = &shape{
		Type: "string",
		Enum: []string{"COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT"},
		Doc:  "How the circuit breaker's failure threshold is computed from its value.",
	}
	m.Shapes["ThresholdConfiguration"] = &shape{
		Type: "structure",
		Doc:  "The failure threshold of a deployment circuit breaker. Absent, it is BOUNDED_PERCENT with value 50.",
		Members: map[string]*member{
			"type":  {Shape: "ThresholdType", Doc: "How value is read: a COUNT of failed tasks, or a percentage of the desired count with (BOUNDED_PERCENT) or without (UNBOUNDED_PERCENT) the bounds 3 to 200."},
			"value": {Shape: "BoxedInteger", Doc: "The count, or the percentage of the desired count."},
		},
		order: []string{"type", "value"},
	}
	cb := m.Shapes["DeploymentCircuitBreaker"]
	cb.Members["resetOnHealthyTask"] = &member{
		Shape: "BoxedBoolean",
		Doc:   "Whether a task that reaches a healthy state resets the failure count. Absent, it is true.",
	}
	cb.Members["thresholdConfiguration"] = &member{
		Shape: "ThresholdConfiguration",
		Doc:   "The failure threshold. Absent, it is BOUNDED_PERCENT with value 50.",
	}
	cb.order = append(cb.order, "resetOnHealthyTask", "thresholdConfiguration")

	m.Shapes["TaskStatus"] = &shape{
		Type: "string",
		Enum: []string{
			"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING",
			"DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED", "DELETED",
		},
		Doc: "The last known status of a task or container, which the API model leaves a plain String; the values are in the order of the task lifecycle.",
	}
	m.Shapes["Task"].Members["lastStatus"].Shape = "TaskStatus"
	m.Shapes["Container"].Members["lastStatus"].Shape = "TaskStatus"
	// Task.desiredStatus takes the model's own DesiredStatus enum (RUNNING,
	// PENDING, STOPPED), which ListTasks already uses.
	m.Shapes["Task"].Members["desiredStatus"].Shape = "DesiredStatus"
}
