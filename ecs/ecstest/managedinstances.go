package ecstest

import (
	"reflect"
	"regexp"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Managed Instances capacity providers (rules 170 to 174): ECS launches,
// places tasks on and terminates the EC2 instances of such a provider
// itself, choosing their types from the provider's instance requirements
// and the instance type catalogue.

// DefaultScaleInAfter is how long a Managed Instances container instance
// stays idle before ECS terminates it, when the provider's
// infrastructureOptimization does not say. The API reference says only
// that "a default value applies" (Open point 20).
const DefaultScaleInAfter = 300

// maxScaleInAfter is the largest scaleInAfter the API takes, in seconds
// (API InfrastructureOptimization: -1, or 0 to 3600).
const maxScaleInAfter = 3600

var (
	roleARNPattern    = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)
	profileARNPattern = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:iam::\d{12}:instance-profile/[\w+=,.@/-]{1,512}$`)
)

// nullAt is the API front end's message for a required member left out.
func nullAt(path string) error {
	return invalidParameter("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", path)
}

// checkManagedInstances checks a CreateCapacityProvider request's
// managedInstancesProvider as ECS does (rule 170): the cluster it belongs
// to, an IAM role ARN for infrastructureRoleArn, a launch template with an
// instance profile ARN and a network configuration with at least one
// subnet, a data volume of at least 1 GiB, scaleInAfter -1 or 0 to 3600,
// and instance requirements the catalogue can select from
// (checkRequirements). Enums and the nested required members the model
// tags are checked before, by checkModel.
func checkManagedInstances(cluster string, p *ecs.CreateManagedInstancesProviderConfiguration) error {
	const at = "managedInstancesProvider"
	if err := walkModel(reflect.ValueOf(p), at); err != nil { // the front end's enum and required checks
		return err
	}
	switch {
	case cluster == "":
		return invalidParameter("cluster is required for a Managed Instances capacity provider: it is available only within the cluster it is created in.")
	case !roleARNPattern.MatchString(p.InfrastructureRoleARN):
		return invalidParameter("%s.infrastructureRoleArn %q is not a valid IAM role ARN.", at, p.InfrastructureRoleARN)
	case p.InstanceLaunchTemplate == nil:
		return nullAt(at + ".instanceLaunchTemplate")
	}
	if err := checkScaleInAfter(p.InfrastructureOptimization, at); err != nil {
		return err
	}
	lt := p.InstanceLaunchTemplate
	if err := checkLaunchTemplate(lt.EC2InstanceProfileARN, lt.NetworkConfiguration, lt.StorageConfiguration, at+".instanceLaunchTemplate"); err != nil {
		return err
	}
	if lt.InstanceRequirements != nil {
		return checkRequirements(lt.InstanceRequirements, at+".instanceLaunchTemplate.instanceRequirements")
	}
	return nil
}

// checkScaleInAfter checks infrastructureOptimization.scaleInAfter: -1
// (never) or 0 to 3600 seconds.
func checkScaleInAfter(o *ecs.InfrastructureOptimization, at string) error {
	if o == nil || o.ScaleInAfter == nil {
		return nil
	}
	if v := *o.ScaleInAfter; v != -1 && (v < 0 || v > maxScaleInAfter) {
		return invalidParameter("%s.infrastructureOptimization.scaleInAfter must be -1 or from 0 to %d, not %d.", at, maxScaleInAfter, v)
	}
	return nil
}

// checkLaunchTemplate checks the members a launch template and its update
// share: the instance profile ARN, the subnets and the data volume.
func checkLaunchTemplate(profile string, nc *ecs.ManagedInstancesNetworkConfiguration, sc *ecs.ManagedInstancesStorageConfiguration, at string) error {
	switch {
	case !profileARNPattern.MatchString(profile):
		return invalidParameter("%s.ec2InstanceProfileArn %q is not a valid IAM instance profile ARN.", at, profile)
	case nc == nil:
		return nullAt(at + ".networkConfiguration")
	case len(nc.Subnets) == 0:
		return invalidParameter("%s.networkConfiguration.subnets must name at least one subnet.", at)
	case sc != nil && sc.StorageSizeGiB != nil && *sc.StorageSizeGiB < 1:
		return invalidParameter("1 validation error detected: Value '%d' at '%s.storageConfiguration.storageSizeGiB' failed to satisfy constraint: Member must have value greater than or equal to 1", *sc.StorageSizeGiB, at)
	}
	return nil
}

// checkRequirements checks instance requirements (rule 171): vCpuCount and
// memoryMiB with a minimum each, every range with its maximum at least its
// minimum and no negative bound, allowedInstanceTypes and
// excludedInstanceTypes not both, the two Spot price protections not
// both, and no requirement on a figure the instance type catalogue does
// not hold (refused by name rather than ignored).
func checkRequirements(r *ecs.InstanceRequirementsRequest, at string) error {
	switch {
	case r.VCPUCount == nil:
		return nullAt(at + ".vCpuCount")
	case r.VCPUCount.Min == nil:
		return nullAt(at + ".vCpuCount.min")
	case r.MemoryMiB == nil:
		return nullAt(at + ".memoryMiB")
	case r.MemoryMiB.Min == nil:
		return nullAt(at + ".memoryMiB.min")
	case len(r.AllowedInstanceTypes) > 0 && len(r.ExcludedInstanceTypes) > 0:
		return invalidParameter("%s: allowedInstanceTypes and excludedInstanceTypes cannot be specified together.", at)
	case r.SpotMaxPricePercentageOverLowestPrice != nil && r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice != nil:
		return invalidParameter("%s: spotMaxPricePercentageOverLowestPrice and maxSpotPriceAsPercentageOfOptimalOnDemandPrice cannot be specified together.", at)
	}
	ranges := []struct {
		name     string
		min, max *int
	}{
		{"vCpuCount", r.VCPUCount.Min, r.VCPUCount.Max},
		{"memoryMiB", r.MemoryMiB.Min, r.MemoryMiB.Max},
	}
	if r.AcceleratorCount != nil {
		ranges = append(ranges, struct {
			name     string
			min, max *int
		}{"acceleratorCount", r.AcceleratorCount.Min, r.AcceleratorCount.Max})
	}
	for _, rg := range ranges {
		if err := checkRange(at+"."+rg.name, rg.min, rg.max); err != nil {
			return err
		}
	}
	if g := r.MemoryGiBPerVCpu; g != nil {
		switch {
		case g.Min != nil && *g.Min < 0, g.Max != nil && *g.Max < 0:
			return invalidParameter("%s.memoryGiBPerVCpu must not be negative.", at)
		case g.Min != nil && g.Max != nil && *g.Max < *g.Min:
			return invalidParameter("%s.memoryGiBPerVCpu: max %g is below min %g.", at, *g.Max, *g.Min)
		}
	}
	for _, p := range []struct {
		name string
		v    *int
	}{
		{"spotMaxPricePercentageOverLowestPrice", r.SpotMaxPricePercentageOverLowestPrice},
		{"onDemandMaxPricePercentageOverLowestPrice", r.OnDemandMaxPricePercentageOverLowestPrice},
		{"maxSpotPriceAsPercentageOfOptimalOnDemandPrice", r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice},
	} {
		if p.v != nil && *p.v < 0 {
			return invalidParameter("%s.%s must not be negative, not %d.", at, p.name, *p.v)
		}
	}
	for _, pat := range slices.Concat(r.AllowedInstanceTypes, r.ExcludedInstanceTypes) {
		if !instanceTypePattern.MatchString(pat) {
			return invalidParameter("%s: %q is not an instance type or a pattern of one (letters, digits, '.', '-' and '*').", at, pat)
		}
	}
	if name := unknownRequirement(r); name != "" {
		return invalidParameter("%s.%s: ecstest's instance type catalogue has no figure to select on; leave it out.", at, name)
	}
	return nil
}

var instanceTypePattern = regexp.MustCompile(`^[a-zA-Z0-9.*-]{1,30}$`)

// checkRange checks a min/max range of instance requirements.
func checkRange(path string, lo, hi *int) error {
	switch {
	case lo != nil && *lo < 0:
		return invalidParameter("%s.min must not be negative, not %d.", path, *lo)
	case hi != nil && *hi < 0:
		return invalidParameter("%s.max must not be negative, not %d.", path, *hi)
	case lo != nil && hi != nil && *hi < *lo:
		return invalidParameter("%s.max %d is below its min %d.", path, *hi, *lo)
	}
	return nil
}

// unknownRequirement returns the first member of r that asks about a
// figure ecs.InstanceType and the price table do not hold (network
// bandwidth, local storage types and size, hibernation, accelerator
// manufacturers, names and memory, EBS bandwidth, Spot prices), or "".
func unknownRequirement(r *ecs.InstanceRequirementsRequest) string {
	for _, m := range []struct {
		name string
		set  bool
	}{
		{"requireHibernateSupport", r.RequireHibernateSupport != nil && *r.RequireHibernateSupport},
		{"spotMaxPricePercentageOverLowestPrice", r.SpotMaxPricePercentageOverLowestPrice != nil},
		{"maxSpotPriceAsPercentageOfOptimalOnDemandPrice", r.MaxSpotPriceAsPercentageOfOptimalOnDemandPrice != nil},
		{"localStorageTypes", len(r.LocalStorageTypes) > 0},
		{"totalLocalStorageGB", r.TotalLocalStorageGB != nil},
		{"baselineEbsBandwidthMbps", r.BaselineEBSBandwidthMbps != nil},
		{"acceleratorManufacturers", len(r.AcceleratorManufacturers) > 0},
		{"acceleratorNames", len(r.AcceleratorNames) > 0},
		{"acceleratorTotalMemoryMiB", r.AcceleratorTotalMemoryMiB != nil},
		{"networkBandwidthGbps", r.NetworkBandwidthGbps != nil},
	} {
		if m.set {
			return m.name
		}
	}
	return ""
}

// managedDefaults returns the provider as DescribeCapacityProviders shows
// it: what the request gave, with ON_DEMAND capacity, BASIC monitoring
// and tag propagation NONE where it left them out (the API reference's
// defaults).
func managedDefaults(p *ecs.CreateManagedInstancesProviderConfiguration) *ecs.ManagedInstancesProvider {
	out := &ecs.ManagedInstancesProvider{
		InfrastructureRoleARN:      p.InfrastructureRoleARN,
		InstanceLaunchTemplate:     deepCopy(p.InstanceLaunchTemplate),
		PropagateTags:              p.PropagateTags,
		InfrastructureOptimization: deepCopy(p.InfrastructureOptimization),
		AutoRepairConfiguration:    deepCopy(p.AutoRepairConfiguration),
	}
	if out.PropagateTags == "" {
		out.PropagateTags = ecs.PropagateMITagsNone
	}
	lt := out.InstanceLaunchTemplate
	if lt.CapacityOptionType == "" {
		lt.CapacityOptionType = ecs.CapacityOptionTypeOnDemand
	}
	if lt.Monitoring == "" {
		lt.Monitoring = ecs.ManagedInstancesMonitoringOptionsBasic
	}
	return out
}

// updateManaged applies an UpdateCapacityProvider's
// managedInstancesProvider to the provider's configuration: the members
// it gives replace the provider's, the others stay. The result is checked
// as CreateCapacityProvider checks it. Instances launched before keep
// their type (the API reference: changes take effect for new instances).
func updateManaged(cur *ecs.ManagedInstancesProvider, upd *ecs.UpdateManagedInstancesProviderConfiguration, cluster string) (*ecs.ManagedInstancesProvider, error) {
	next := deepCopy(cur)
	next.InfrastructureRoleARN = upd.InfrastructureRoleARN
	if upd.PropagateTags != "" {
		next.PropagateTags = upd.PropagateTags
	}
	if upd.InfrastructureOptimization != nil {
		next.InfrastructureOptimization = deepCopy(upd.InfrastructureOptimization)
	}
	if upd.AutoRepairConfiguration != nil {
		next.AutoRepairConfiguration = deepCopy(upd.AutoRepairConfiguration)
	}
	if u := upd.InstanceLaunchTemplate; u != nil {
		lt := next.InstanceLaunchTemplate
		if u.EC2InstanceProfileARN != "" {
			lt.EC2InstanceProfileARN = u.EC2InstanceProfileARN
		}
		if u.NetworkConfiguration != nil {
			lt.NetworkConfiguration = deepCopy(u.NetworkConfiguration)
		}
		if u.StorageConfiguration != nil {
			lt.StorageConfiguration = deepCopy(u.StorageConfiguration)
		}
		if u.LocalStorageConfiguration != nil {
			lt.LocalStorageConfiguration = deepCopy(u.LocalStorageConfiguration)
		}
		if u.InstanceMetadataTagsPropagation != nil {
			lt.InstanceMetadataTagsPropagation = ptrTo(*u.InstanceMetadataTagsPropagation)
		}
		if u.Monitoring != "" {
			lt.Monitoring = u.Monitoring
		}
		if u.InstanceRequirements != nil {
			lt.InstanceRequirements = deepCopy(u.InstanceRequirements)
		}
		if u.CapacityReservations != nil {
			lt.CapacityReservations = deepCopy(u.CapacityReservations)
		}
	}
	check := &ecs.CreateManagedInstancesProviderConfiguration{
		InfrastructureRoleARN: next.InfrastructureRoleARN, InstanceLaunchTemplate: next.InstanceLaunchTemplate,
		PropagateTags: next.PropagateTags, InfrastructureOptimization: next.InfrastructureOptimization,
	}
	if err := checkManagedInstances(cluster, check); err != nil {
		return nil, err
	}
	return next, nil
}
