// Package ecstest provides an in-memory ECS control plane for tests, named
// like net/http/httptest: no AWS account, no Docker, deterministic when
// its clock is stopped.
//
// An ECS holds one account and Region: the task definition registry of
// package ecs, clusters, and container instances registered with a type,
// an Availability Zone and attributes, their resources taken from the
// instance type catalogue as the agent computes them. Its Go API is named
// after the API's operations (CreateCluster, RegisterContainerInstance,
// UpdateContainerInstancesState, PutAttributes, ...) and fails with
// *ecs.APIError values of the API's exception types. Handler serves the
// same control plane over the ECS JSON protocol, and NewServer starts it on
// a loopback port for the AWS SDKs and the aws CLI:
//
//	srv := ecstest.NewServer(nil)
//	defer srv.Close()
//	client := ecs.NewFromConfig(cfg, func(o *ecs.Options) {
//		o.BaseEndpoint = aws.String(srv.URL) // the SDK's ecs package
//	})
//
// # Time
//
// A Clock runs at a speed times real time (DefaultSpeed, 60, unless told
// otherwise), or stands still at speed 0 and moves only when Advance moves
// it, or when a client posts to /_ecslocal/advance?seconds=N. Work
// scheduled on it with AfterFunc runs in order of virtual time, which is
// how the task lifecycle and the service scheduler will advance.
//
// # Identifiers
//
// Container instance IDs (32 hex digits, in long-format ARNs), EC2 instance
// IDs and request IDs derive from a seed (WithSeed): the same seed and the
// same operations give the same identifiers.
//
// # What is served
//
// Task definitions: RegisterTaskDefinition, DescribeTaskDefinition,
// DeregisterTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies.
// Clusters: CreateCluster, DescribeClusters, ListClusters, DeleteCluster.
// Container instances: RegisterContainerInstance,
// DeregisterContainerInstance, ListContainerInstances (without filter),
// DescribeContainerInstances, UpdateContainerInstancesState, PutAttributes,
// DeleteAttributes, ListAttributes.
//
// Not yet: tasks (RunTask, StartTask, StopTask, ListTasks, DescribeTasks),
// services and capacity providers wait for the placement, deploy and
// capacity packages, and ListContainerInstances filters for the placement
// package's evaluator of the cluster query language. Those operations, and
// every other operation of the API, answer 400 UnsupportedFeatureException
// saying so; none pretends to succeed.
package ecstest
