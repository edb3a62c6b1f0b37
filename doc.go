// Package ecscore is an embeddable Go library of the Amazon ECS scheduling
// core. In process, with no AWS account, it decides what the ECS control
// plane decides: whether a task definition is valid for EC2, Fargate or
// External; where tasks go under binpack, spread and random strategies and
// memberOf and distinctInstance constraints; which host ports and ENIs a
// task takes; how a service keeps its desired count and rolls to a new task
// definition; and how tasks divide over capacity providers.
//
// Every package speaks the types of package ecs, which carry the ECS API's
// JSON names, so the output of aws ecs describe-* commands and the input of
// register-task-definition go straight in and come back out in the same
// shape. Everything that touches a real runtime (starting a container,
// reading the clock, scaling an Auto Scaling group) sits behind a small
// interface the caller implements.
//
// # Packages
//
//	ecs            the domain model and its API JSON; task definition
//	               registry and validation; resources; Fargate sizes;
//	               the instance type catalogue
//	ecs/cql        the cluster query language of memberOf constraints
//	netmode        host ports and ENIs under bridge, host, awsvpc and none
//	placement      filters, constraints and strategies; why a task did not fit
//	capacity       capacity providers, Fargate cost, managed scaling, planning
//	deploy         the service scheduler and rolling deployments
//	ecs/ecstest    a deterministic in-memory ECS for tests
//	examples/...   runnable programs: quickstart (the tour), ecsplan (the
//	               command line), ecslocal (the in-memory ECS as a server)
//
// Imports point one way: ecs at the bottom (with ecs/cql, which it uses to
// check memberOf expressions), then netmode, placement, capacity, deploy
// and ecstest; nothing imports the examples.
package ecscore
