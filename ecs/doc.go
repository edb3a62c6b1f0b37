// Package ecs is the domain model of ecscore: the ECS API's shapes as Go
// types, their JSON exactly as the API writes it, and what ECS decides from
// a task definition alone. Its entry points: ValidateTaskDefinition and
// ValidateDocument (every problem of a task definition at once), the
// Decode functions and Unmarshal (the AWS CLI's JSON in), and Registry
// (families and revisions, as RegisterTaskDefinition keeps them).
//
// The types (TaskDefinition, ContainerDefinition, ContainerInstance, Task,
// Service, Deployment, ...) are generated from the ECS API model by
// internal/apigen, so every member the API defines is present under its API
// name. Boxed members are pointers, so that an absent value stays distinct
// from 0 and false ("essential": false, "hostPort": 0); enums are typed
// strings that keep values the library does not know.
//
// Decoding is strict by default: member names match case-sensitively, an
// unknown member is an error that names its path
// (containerDefinitions[0].portMappings[1].hostPrt), and every value of the
// wrong type is reported at once, each at its path, line and column; the
// Lenient option accepts documents from newer API versions. DecodeTaskDefinition,
// DecodeContainerInstances, DecodeTasks and DecodeServices accept the forms
// users have (bare documents, the CLI's describe-* outputs, a Terraform
// array of container definitions); Marshal writes the API's JSON.
//
// The Registry registers task definitions as RegisterTaskDefinition does:
// revisions, ARNs, normalised cpu and memory, compatibilities and
// requiresAttributes. TaskResources computes what a task takes from an
// instance by the ECS agent's rule.
package ecs
