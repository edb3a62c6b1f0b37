package ecs

// The TaskStatus type, its constants, Values and Known are generated (see
// the apigen overlay); this file adds the lifecycle helpers.
//
// A task's lastStatus moves through PROVISIONING → PENDING → ACTIVATING →
// RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED, and
// describe-tasks may show DELETED briefly after STOPPED (rule
// 108). A value outside these nine is kept as written, through JSON and
// back, so that a status ECS adds later survives a round trip.

// Order returns the position of s in the task lifecycle of rule
// 108: 1 for PROVISIONING up to 8 for STOPPED, and 9 for DELETED, which
// describe-tasks shows briefly after STOPPED. A value the library does not
// know, the empty string among them, orders 0, before PROVISIONING, the way
// the ECS agent's zero TaskStatusNone sorts before every status it knows.
// Order lets a caller ask whether a task has got at least as far as a
// status: t.LastStatus.Order() >= TaskStatusRunning.Order().
func (s TaskStatus) Order() int {
	switch s {
	case TaskStatusProvisioning:
		return 1
	case TaskStatusPending:
		return 2
	case TaskStatusActivating:
		return 3
	case TaskStatusRunning:
		return 4
	case TaskStatusDeactivating:
		return 5
	case TaskStatusStopping:
		return 6
	case TaskStatusDeprovisioning:
		return 7
	case TaskStatusStopped:
		return 8
	case TaskStatusDeleted:
		return 9
	}
	return 0
}

// Terminal reports whether s is an end of the task lifecycle (rule
// 108): STOPPED, or DELETED, which describe-tasks shows briefly after
// it. A task in a terminal status holds no resources and never runs again.
// An unknown value is not terminal.
func (s TaskStatus) Terminal() bool {
	return s == TaskStatusStopped || s == TaskStatusDeleted
}
