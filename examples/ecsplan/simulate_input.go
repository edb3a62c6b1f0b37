package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ecscore/ecscore/autoscaling"
	"github.com/ecscore/ecscore/ecs"
)

// simInput is what ecsplan simulate reads.
type simInput struct {
	services  []serviceDef
	instances []ecs.ContainerInstance
	groups    []simGroup
	providers []ecs.CapacityProvider
	targets   []autoscaling.ScalableTarget
	policies  []autoscaling.ScalingPolicy
	actions   []autoscaling.ScheduledAction
	load      map[string]loadCurve
}

// simGroup is an Auto Scaling group of describe-auto-scaling-groups
// output: the members a simulated group takes.
type simGroup struct {
	Name              string   `json:"AutoScalingGroupName"`
	ARN               string   `json:"AutoScalingGroupARN"`
	MinSize           int      `json:"MinSize"`
	MaxSize           int      `json:"MaxSize"`
	DesiredCapacity   int      `json:"DesiredCapacity"`
	AvailabilityZones []string `json:"AvailabilityZones"`
	// InstanceType is not in the output (a launch template holds it):
	// ecsplan reads it from this member when given, else from the group's
	// instances or its mixed instances policy's first override.
	InstanceType string `json:"InstanceType"`
	Instances    []struct {
		InstanceType string `json:"InstanceType"`
	} `json:"Instances"`
	MixedInstancesPolicy *struct {
		LaunchTemplate struct {
			Overrides []struct {
				InstanceType string `json:"InstanceType"`
			} `json:"Overrides"`
		} `json:"LaunchTemplate"`
		InstancesDistribution *struct {
			OnDemandBaseCapacity                int  `json:"OnDemandBaseCapacity"`
			OnDemandPercentageAboveBaseCapacity *int `json:"OnDemandPercentageAboveBaseCapacity"`
		} `json:"InstancesDistribution"`
	} `json:"MixedInstancesPolicy"`
	CapacityRebalance bool `json:"CapacityRebalance"`
}

// spot returns whether the group launches Spot Instances above its
// On-Demand base, and that base: a mixed instances policy with 0 %
// On-Demand above the base. The simulated group is all Spot or all
// On-Demand above its base, so another percentage is an error.
func (g *simGroup) spot() (bool, int, error) {
	if g.MixedInstancesPolicy == nil || g.MixedInstancesPolicy.InstancesDistribution == nil {
		return false, 0, nil
	}
	d := g.MixedInstancesPolicy.InstancesDistribution
	switch {
	case d.OnDemandPercentageAboveBaseCapacity == nil || *d.OnDemandPercentageAboveBaseCapacity == 100:
		return false, 0, nil // the API's default is 100
	case *d.OnDemandPercentageAboveBaseCapacity == 0:
		return true, d.OnDemandBaseCapacity, nil
	}
	return false, 0, fmt.Errorf("group %s: OnDemandPercentageAboveBaseCapacity %d: the simulated group takes 0 (Spot) or 100",
		g.Name, *d.OnDemandPercentageAboveBaseCapacity)
}

// instanceType returns the group's instance type, or "".
func (g *simGroup) instanceType() string {
	switch {
	case g.InstanceType != "":
		return g.InstanceType
	case len(g.Instances) > 0:
		return g.Instances[0].InstanceType
	case g.MixedInstancesPolicy != nil && len(g.MixedInstancesPolicy.LaunchTemplate.Overrides) > 0:
		return g.MixedInstancesPolicy.LaunchTemplate.Overrides[0].InstanceType
	}
	return ""
}

// loadSimInput reads the files the command line names.
func loadSimInput(a *simulateArgs) (*simInput, error) {
	in := &simInput{}
	var err error
	if in.services, err = loadServiceDefs(a.services, a.taskDefs); err != nil {
		return nil, err
	}
	if a.cluster != "" {
		if in.instances, err = readFile(a.cluster, func(b []byte) ([]ecs.ContainerInstance, error) {
			ci, _, err := ecs.DecodeContainerInstances(b, ecs.Lenient)
			return ci, err
		}); err != nil {
			return nil, err
		}
	}
	if a.groups != "" {
		var doc struct {
			AutoScalingGroups []simGroup `json:"AutoScalingGroups"`
		}
		if err := readJSON(a.groups, &doc); err != nil {
			return nil, err
		}
		in.groups = doc.AutoScalingGroups
		for i := range in.groups {
			if in.groups[i].instanceType() == "" {
				return nil, fmt.Errorf("%s: group %s: no instance type (give \"InstanceType\": its launch template's)", a.groups, in.groups[i].Name)
			}
			if _, _, err := in.groups[i].spot(); err != nil {
				return nil, fmt.Errorf("%s: %w", a.groups, err)
			}
		}
	}
	if a.providers != "" {
		var doc struct {
			CapacityProviders []ecs.CapacityProvider `json:"capacityProviders"`
		}
		if err := readJSON(a.providers, &doc); err != nil {
			return nil, err
		}
		in.providers = doc.CapacityProviders
	}
	if a.targets != "" {
		var doc autoscaling.DescribeScalableTargetsResponse
		if err := readJSON(a.targets, &doc); err != nil {
			return nil, err
		}
		in.targets = doc.ScalableTargets
	}
	if a.policies != "" {
		var doc autoscaling.DescribeScalingPoliciesResponse
		if err := readJSON(a.policies, &doc); err != nil {
			return nil, err
		}
		in.policies = doc.ScalingPolicies
	}
	if a.actions != "" {
		var doc autoscaling.DescribeScheduledActionsResponse
		if err := readJSON(a.actions, &doc); err != nil {
			return nil, err
		}
		in.actions = doc.ScheduledActions
	}
	f, err := os.Open(a.load)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if in.load, err = parseLoadCSV(f); err != nil {
		return nil, fmt.Errorf("%s: %w", a.load, err)
	}
	for name := range in.load {
		if !in.hasService(name) {
			return nil, fmt.Errorf("%s: service %q is not in %s", a.load, name, a.services)
		}
	}
	if len(in.instances) == 0 && len(in.providers) == 0 && !in.fargateOnly() {
		return nil, errors.New("no capacity: give -cluster (describe-container-instances) or -capacity-providers with -auto-scaling-groups")
	}
	return in, nil
}

func (in *simInput) hasService(name string) bool {
	for _, s := range in.services {
		if s.svc.ServiceName == name {
			return true
		}
	}
	return false
}

// fargateOnly reports whether every service runs on Fargate, by its
// launch type or its capacity provider strategy.
func (in *simInput) fargateOnly() bool {
	for _, s := range in.services {
		if !onFargate(s.svc) {
			return false
		}
	}
	return true
}

// readJSON decodes the JSON file path into v (members it does not name
// are skipped, as in the AWS CLI's output).
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := ecs.Unmarshal(data, v, ecs.Lenient); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// groupName returns the name at the end of an Auto Scaling group ARN
// (...:autoScalingGroup:UUID:autoScalingGroupName/NAME), or the ARN.
func groupName(arn string) string {
	if _, name, ok := strings.Cut(arn, "autoScalingGroupName/"); ok {
		return name
	}
	return arn
}

// maxSimFigures bounds what a run holds: its samples times the services
// and instance pools each sample counts, so that a long span at a short
// interval over many services is refused at once rather than taking
// gigabytes. 1,000,000 is a day at one minute of 690 services, or 31
// days at 5 minutes of 110; a run at the bound peaks at 75 MB (the JSON,
// 110 MB of it, is written a sample at a time).
const maxSimFigures = 1_000_000

// checkSimSize refuses a run whose samples would hold more than
// maxSimFigures figures. The pools are bounded by the static instances'
// and each group's zones (three when it names none).
func checkSimSize(in *simInput, a *simulateArgs) error {
	samples := int64(a.span/a.interval) + 1
	if a.span%a.interval != 0 {
		samples++ // the last, at the end of the span
	}
	pools := map[string]bool{}
	for _, ci := range in.instances {
		pools[poolKey(attr(ci, "ecs.instance-type"), attr(ci, "ecs.availability-zone"))] = true
	}
	cols := int64(len(in.services) + len(pools))
	for _, g := range in.groups {
		cols += int64(max(len(g.AvailabilityZones), 3))
	}
	if n := samples * cols; n > maxSimFigures {
		return fmt.Errorf("-span %s at -interval %s is %d samples of %d services and up to %d instance pools: "+
			"%d figures, more than the %d a run holds; give a longer -interval or a shorter -span",
			a.span, a.interval, samples, len(in.services), cols-int64(len(in.services)), n, maxSimFigures)
	}
	return nil
}
