// Package placement decides where Amazon ECS puts a task on EC2 and
// External container instances, or says exactly why it cannot. Its entry
// points: NewSnapshot (the cluster, from describe output), NewEngine (a
// placement engine on it) and Engine.Place, whose Result explains a task
// that did not fit.
//
// # Pipeline
//
//	describe-container-instances ─┐
//	describe-tasks (optional) ────┴─► NewSnapshot ─► Snapshot
//	                                                    │
//	                                                NewEngine
//	                                                    │
//	Request ──► compile: strategy chain, constraints,   ▼
//	            what one task takes (TaskDemand)    ┌────────┐
//	                                                │ Engine │ indexes, caches
//	            for each task of the request:       └────────┘
//	              candidates: ACTIVE, launch type, capacity provider
//	              walk the chain's index tier by tier ──► filters, cheapest first
//	                AGENT, CPU, MEMORY, GPU, PORTS, PORTS_UDP, ENI,
//	                ATTRIBUTE, constraints in list order
//	              first fit ──► commit: resources, ports (netmode.Bind),
//	                            group counts, index entries move
//	                        ──► Batch: task, instance, host ports
//	                            (Result, names, bindings on demand)
//	              no fit   ──► Explanation: every filter on every candidate
//	                            ──► reasons, failures, closest, Event()
//
// # Vocabulary
//
// A snapshot is the cluster at one moment: each container instance's
// remaining CPU, memory and GPUs, its attributes, its host ports and ENIs
// (a netmode.State), and the tasks already on it. An engine places tasks
// on its own copy of a snapshot and keeps that copy current.
//
// A candidate is an instance that may take the task at all: ACTIVE, of
// the task's launch type (EXTERNAL tasks only on instances with the
// ecs.capability.external attribute, EC2 tasks never there) and, when the
// request names one, of its capacity provider. Other instances are not
// considered and not reported.
//
// A filter answers "fits, or the reason". The reasons, in ECS's order,
// are AGENT (agent disconnected), RESOURCE:CPU, RESOURCE:MEMORY,
// RESOURCE:GPU, RESOURCE:PORTS, RESOURCE:PORTS_UDP, RESOURCE:ENI,
// ATTRIBUTE (a required attribute is missing), then the placement
// constraints in list order, reported as "MemberOf placement constraint
// unsatisfied." and "DistinctInstance placement constraint unsatisfied.".
// Filters run cheapest first; an instance that fails several is reported
// once, under the first in that order.
//
// A task group is the set of tasks a spread balances and distinctInstance
// and task:group look at: service:<name> for a service's tasks,
// family:<family> by default for standalone tasks.
//
// A strategy chain is up to five steps applied in order, each ordering
// the instances that fit and leaving ties to the next: binpack(cpu) and
// binpack(memory) prefer the least remaining of the resource; spread over
// instanceId (or host) prefers the instance with the fewest tasks of the
// group, spread over attribute:<name> the instance whose value of the
// attribute has the fewest (an instance without the attribute counts as
// one more value); random prefers the first in the placement's seeded
// random order. Remaining ties go to the instance whose ARN sorts first,
// and ties between equally loaded attribute values are decided by the
// rest of the chain, then by ARN. A service without a strategy uses
// spread(attribute:ecs.availability-zone) then spread(instanceId), the
// documented default; RunTask without one uses random.
//
// A tier is a run of instances with equal scores under a chain's first
// steps. The engine keeps instances ordered by remaining CPU and memory
// and by tasks per group, per value of the attributes it spreads over,
// and keeps counts of each group per value. A placement walks these
// indexes tier by tier from the first instance that could fit and stops
// at the first tier holding one that does; the rest of the chain decides
// within that tier. The result is exactly the one a full scan gives
// (EngineOptions.Exhaustive), at a small fraction of the cost.
//
// An index ordered by CPU or memory keeps, beside each sorted list, a
// tree of the most CPU and memory left below each node, each instance's
// position in its list, and where the last walk for a task of the same
// size found the first instance with room: no instance before it has
// any. A walk starts there, and for binpack, whose chosen instance stays
// the first with room while a task of the size fits it, the walk's first
// look is its answer; a placement changes the instance's key in place,
// moves its entry only past the instances between its old and new key,
// and climbs the tree only while a node changes.
//
// A batch holds a request's placements in compact form: per task, its
// engine task, its instance and the first host port of each port mapping
// (netmode.State.Bind). Engine.PlaceInto writes into a Batch the caller
// keeps from request to request; the instance's names and the task's
// network bindings are read from it on demand, and Batch.Result builds
// the Result that Engine.Place returns. Placing a task into a Batch
// allocates nothing, and a request of a task definition, group and chain
// the engine has seen allocates nothing either: the engine keeps the
// request's compiled form, the task definition's network request (checked
// against the definition each time with netmode.Request.Matches) and the
// tasks' shared shape (CPU, memory, GPUs, network request). A task the
// engine holds takes a slot and room for its host ports; a stopped task's
// slot goes to a later task, under a new TaskID, so an engine whose tasks
// come and go keeps as many slots as it ran tasks at once.
//
// An eligible instance may run a task at all, whatever room it has left:
// a candidate with its agent connected, the task's required attributes
// and every memberOf constraint met (Engine.Eligible). A daemon runs one
// task on each (rule 103); Engine.PlaceDaemon places them, and
// Request.Instances names the instances a request may use, so that a
// scheduler places on a given instance, or in one Availability Zone,
// without spending a constraint.
//
// Scale-in (Engine.ScaleIn) reads the chain in reverse: the task whose
// stop leaves its instance with the most of the resource (binpack), in
// the value or on the instance with the most tasks of the group (spread).
// A scheduler may limit the choice to some tasks and keep the chosen ones
// holding their room until they stop (ScaleInRequest.KeepResources). For
// a chain without random, candidates are kept in one heap per
// combination of the chain's attribute values, so that each choice looks
// at a few heaps' tops rather than every task.
//
// An explanation is computed only when a task does not fit: every filter
// on every candidate, counts per reason, one ecs.Failure per instance,
// and the closest instance, named in the service event ECS would write.
//
// MemberOf expressions are parsed by package ecs/cql and compiled once per
// expression; an expression over attributes alone is answered once per
// distinct set of instance attributes, one over fixed facts of an
// instance once per instance, and one over task groups or running task
// counts on every evaluation, without allocating.
//
// # Determinism and concurrency
//
// The same snapshot and requests give the same placements: ties are
// broken as above, and the random strategy draws, for task k of a
// request, from a PCG generator seeded with (Request.Seed, k). An Engine
// serializes its calls with one lock held from a request's first look at
// the state to its last change; concurrent requests therefore see each
// other's tasks in some order and never over-commit an instance.
package placement
