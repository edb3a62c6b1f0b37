// Package placement decides where ECS puts a task on EC2 and External
// container instances: filters for resources, ports, ENIs, attributes and
// constraints; the binpack, spread and random strategies and their chains;
// task groups; daemon placement and scale-in selection; and, when a task
// does not fit, the reasons per instance and the closest match.
//
// It is not implemented yet: the placement issue fills it.
package placement
