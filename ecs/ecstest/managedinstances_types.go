package ecstest

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// familyOf splits an instance type name ("m6gd.large") into its series
// ("m"), generation (6) and the letters after the generation ("gd"), as
// EC2 names its types.
func familyOf(name string) (series string, gen int, suffix string) {
	fam, _, _ := strings.Cut(name, ".")
	i := strings.IndexFunc(fam, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return fam, 0, ""
	}
	series = fam[:i]
	for i < len(fam) && fam[i] >= '0' && fam[i] <= '9' {
		gen = gen*10 + int(fam[i]-'0')
		i++
	}
	return series, gen, fam[i:]
}

// manufacturerOf returns the CPU manufacturer of t: Graviton (arm64) is
// amazon-web-services, a family with "a" after its generation (m5a, c6a)
// is amd, the others intel, as EC2 names its families.
func manufacturerOf(t ecs.InstanceType) ecs.CpuManufacturer {
	_, _, suffix := familyOf(t.Name)
	switch {
	case t.Architecture == "arm64":
		return ecs.CpuManufacturerAmazonWebServices
	case strings.Contains(suffix, "a"):
		return ecs.CpuManufacturerAmd
	}
	return ecs.CpuManufacturerIntel
}

// generationOf returns "previous" for the families EC2 lists as previous
// generation (the M, C, R, I, D and X series before generation 5, T
// before 3) and "current" for the others. The catalogue has no figure of
// its own for it.
func generationOf(name string) ecs.InstanceGeneration {
	series, gen, _ := familyOf(name)
	switch {
	case series == "t" && gen < 3, strings.Contains("mcridx", series) && len(series) == 1 && gen < 5:
		return ecs.InstanceGenerationPrevious
	}
	return ecs.InstanceGenerationCurrent
}

// localStorageOf reports whether t has instance store volumes: its
// family has a "d" after its generation (m5d, c6gd), as EC2 names them.
func localStorageOf(t ecs.InstanceType) bool {
	_, _, suffix := familyOf(t.Name)
	return strings.Contains(suffix, "d")
}

// tristate applies an included/required/excluded requirement whose
// default is def to a type that has the feature or not.
func tristate(v, def string, has bool) bool {
	if v == "" {
		v = def
	}
	switch v {
	case "required":
		return has
	case "excluded":
		return !has
	}
	return true
}

// inRange reports whether v is within the optional bounds.
func inRange(v int, lo, hi *int) bool {
	return (lo == nil || v >= *lo) && (hi == nil || v <= *hi)
}

// matchesAny reports whether name matches one of the patterns: a type
// ("c6g.large"), a wildcard ("m5.*", "c5*") or a bare family ("g5": all
// its sizes; ECS's allowedInstanceTypes takes "instance types or instance
// families (for example, m5.large or g5)", rule 171:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InstanceRequirementsRequest.html).
func matchesAny(name string, patterns []string) bool {
	family, _, _ := strings.Cut(name, ".")
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok || !strings.ContainsAny(p, ".*") && p == family {
			return true
		}
	}
	return false
}

// meets reports whether t meets the instance requirements (rule 171).
// Without requirements ECS picks general-purpose types: the current
// generation M series here. Bare metal and burstable types are left out
// unless asked for, as EC2's attribute-based selection does.
func meets(t ecs.InstanceType, r *ecs.InstanceRequirementsRequest) bool {
	if r == nil {
		series, _, _ := familyOf(t.Name)
		return series == "m" && generationOf(t.Name) == ecs.InstanceGenerationCurrent && !strings.HasSuffix(t.Name, ".metal")
	}
	series, _, _ := familyOf(t.Name)
	switch {
	case !inRange(t.VCPUs, r.VCPUCount.Min, r.VCPUCount.Max), !inRange(t.MemoryMiB, r.MemoryMiB.Min, r.MemoryMiB.Max):
		return false
	case len(r.CPUManufacturers) > 0 && !slices.Contains(r.CPUManufacturers, manufacturerOf(t)):
		return false
	case len(r.InstanceGenerations) > 0 && !slices.Contains(r.InstanceGenerations, generationOf(t.Name)):
		return false
	case len(r.AllowedInstanceTypes) > 0 && !matchesAny(t.Name, r.AllowedInstanceTypes):
		return false
	case matchesAny(t.Name, r.ExcludedInstanceTypes):
		return false
	case !tristate(string(r.BareMetal), "excluded", strings.HasSuffix(t.Name, ".metal")):
		return false
	case !tristate(string(r.BurstablePerformance), "excluded", series == "t"):
		return false
	case !tristate(string(r.LocalStorage), "included", localStorageOf(t)):
		return false
	case r.NetworkInterfaceCount != nil && !inRange(t.MaxENIs, r.NetworkInterfaceCount.Min, r.NetworkInterfaceCount.Max):
		return false
	case r.AcceleratorCount != nil && !inRange(t.GPUs, r.AcceleratorCount.Min, r.AcceleratorCount.Max):
		return false
	case len(r.AcceleratorTypes) > 0 && (t.GPUs == 0 || !slices.Contains(r.AcceleratorTypes, ecs.AcceleratorTypeGPU)):
		return false
	}
	if g := r.MemoryGiBPerVCpu; g != nil && t.VCPUs > 0 {
		per := float64(t.MemoryMiB) / 1024 / float64(t.VCPUs)
		if g.Min != nil && per < *g.Min || g.Max != nil && per > *g.Max {
			return false
		}
	}
	return true
}

// candidateTypes returns the catalogue's types that meet r, the cheapest
// first by the on-demand price per hour (types the price table does not
// price after those it does), then by vCPUs, memory and name. With
// onDemandMaxPricePercentageOverLowestPrice, a priced type whose price per
// vCPU is more than that percentage above the lowest is left out.
func candidateTypes(cat *ecs.Catalog, prices *capacity.PriceTable, r *ecs.InstanceRequirementsRequest) []ecs.InstanceType {
	type priced struct {
		t     ecs.InstanceType
		price float64 // 0: not priced
	}
	var list []priced
	for t := range cat.All() {
		if meets(t, r) {
			p, err := prices.EC2Hourly(t.Name, false)
			if err != nil {
				p = 0
			}
			list = append(list, priced{t, p})
		}
	}
	// Price protection applies only when asked for: ECS documents no
	// default for onDemandMaxPricePercentageOverLowestPrice (EC2's and EC2
	// Auto Scaling's InstanceRequirements default to 20, per instance
	// price), and ECS picks each launch's type for the tasks waiting
	// (rule 172), which a 20% bound on the instance price would cut to
	// the smallest sizes.
	if r != nil && r.OnDemandMaxPricePercentageOverLowestPrice != nil {
		lowest := 0.0
		for _, c := range list {
			if c.price > 0 && (lowest == 0 || c.price/float64(c.t.VCPUs) < lowest) {
				lowest = c.price / float64(c.t.VCPUs)
			}
		}
		limit := lowest * (1 + float64(*r.OnDemandMaxPricePercentageOverLowestPrice)/100)
		list = slices.DeleteFunc(list, func(c priced) bool { return c.price > 0 && c.price/float64(c.t.VCPUs) > limit })
	}
	slices.SortFunc(list, func(a, b priced) int {
		if (a.price == 0) != (b.price == 0) {
			if a.price == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.price, b.price), cmp.Compare(a.t.VCPUs, b.t.VCPUs),
			cmp.Compare(a.t.MemoryMiB, b.t.MemoryMiB), strings.Compare(a.t.Name, b.t.Name))
	})
	out := make([]ecs.InstanceType, len(list))
	for i, c := range list {
		out[i] = c.t
	}
	return out
}
