package ecs

// Exception types of the ECS API for ExecuteCommand, ListServicesByNamespace
// and UpdateContainerAgent, as its errors name them in "__type".
const (
	TargetNotConnectedException = "TargetNotConnectedException"
	NamespaceNotFoundException  = "NamespaceNotFoundException"
	NoUpdateAvailableException  = "NoUpdateAvailableException"
	MissingVersionException     = "MissingVersionException"
	UpdateInProgressException   = "UpdateInProgressException"
)
