package capacity

import (
	"fmt"

	"github.com/ecscore/ecscore/ecs"
)

const (
	osLinux   = "LINUX"
	osWindows = "WINDOWS"
)

// Platform is what a Fargate price depends on besides the size.
type Platform struct {
	// OS is the task's operating system family: empty or LINUX for
	// Linux, a WINDOWS_SERVER_* family for Windows.
	OS ecs.OSFamily
	// Architecture is X86_64 when empty.
	Architecture ecs.CPUArchitecture
	// Spot selects FARGATE_SPOT, which runs Linux only (rule 67).
	Spot bool
}

func (p Platform) os() string {
	if p.OS.Windows() {
		return osWindows
	}
	return osLinux
}

func (p Platform) arch() string {
	if p.Architecture == "" {
		return string(ecs.CPUArchitectureX86_64)
	}
	return string(p.Architecture)
}

// Rate returns the table's Fargate rate for p. Windows has no Spot rate.
func (t *PriceTable) Rate(p Platform) (FargateRate, error) {
	if t == nil {
		return FargateRate{}, errNilTable
	}
	os, arch := p.os(), p.arch()
	for _, r := range t.Fargate {
		if r.OS == os && r.Architecture == arch && r.Spot == p.Spot {
			return r, nil
		}
	}
	kind := "on-demand"
	if p.Spot {
		kind = "Spot"
	}
	return FargateRate{}, fmt.Errorf("%w: Fargate %s %s %s in %s", ErrNoPrice, kind, os, arch, t.Region)
}

// Hourly returns the price per hour of a task of size at rate r: vCPUs ×
// (VCPUHour + OSLicenseVCPUHour) + GB × GBHour, where 1 vCPU is 1024 CPU
// units and 1 GB is 1024 MiB.
func (r FargateRate) Hourly(size ecs.FargateSize) float64 {
	vcpu := float64(size.CPU) / 1024
	gb := float64(size.MemoryMiB) / 1024
	return vcpu*(r.VCPUHour+r.OSLicenseVCPUHour) + gb*r.GBHour
}

// FargateHourly returns the price per hour of a Fargate task of size on
// p. It does not check that Fargate runs size: see ecs.IsFargateSize.
func (t *PriceTable) FargateHourly(size ecs.FargateSize, p Platform) (float64, error) {
	r, err := t.Rate(p)
	if err != nil {
		return 0, err
	}
	return r.Hourly(size), nil
}

// Quote is a Fargate task size with its price.
type Quote struct {
	Size   ecs.FargateSize
	Rate   FargateRate
	Hourly float64 // per task-hour
}

// Monthly returns the price of the task running a whole month
// (HoursPerMonth hours).
func (q Quote) Monthly() float64 {
	return q.Hourly * HoursPerMonth
}

// CheapestFargate returns the cheapest task size Fargate runs on p (by
// ecs.FargateSizes) that holds cpu units and memoryMiB, with its price;
// of sizes that cost the same, the smallest. The error says when no size
// is large enough or the table has no rate for p.
func (t *PriceTable) CheapestFargate(cpu, memoryMiB int, p Platform) (Quote, error) {
	r, err := t.Rate(p)
	if err != nil {
		return Quote{}, err
	}
	var best Quote
	found := false
	for size := range ecs.FargateSizes(p.OS) {
		if size.CPU < cpu || size.MemoryMiB < memoryMiB {
			continue
		}
		if h := r.Hourly(size); !found || h < best.Hourly {
			best, found = Quote{Size: size, Rate: r, Hourly: h}, true
		}
	}
	if !found {
		return Quote{}, &fargateSizeError{os: p.os(), cpu: cpu, memoryMiB: memoryMiB}
	}
	return best, nil
}

// CheapestFargateFor returns CheapestFargate for what one task of td needs
// (ecs.TaskResources: the task-level cpu and memory, else the sums over
// its containers), on td's runtime platform.
func (t *PriceTable) CheapestFargateFor(td *ecs.TaskDefinition, spot bool) (Quote, error) {
	if t == nil {
		return Quote{}, errNilTable
	}
	need, err := ecs.TaskResources(td)
	if err != nil {
		return Quote{}, err
	}
	p := Platform{Spot: spot}
	if rp := td.RuntimePlatform; rp != nil {
		p.OS, p.Architecture = rp.OperatingSystemFamily, rp.CPUArchitecture
	}
	return t.CheapestFargate(need.CPU, need.MemoryMiB, p)
}
