package ecs

import "iter"

// FargateSize is a task size that Fargate runs: CPU units (1 vCPU = 1024)
// and memory in MiB.
type FargateSize struct {
	CPU       int
	MemoryMiB int
}

// fargateCPU is one row of the Fargate size table (rule 59): the memory
// sizes allowed with one cpu value.
type fargateCPU struct {
	cpu            int
	minMem, maxMem int  // MiB
	step           int  // MiB between sizes; 0 for doubling (512, 1024, 2048)
	windows        bool // Windows runs this cpu value too
}

// fargateCPUs returns the Fargate size table, smallest cpu first. The
// 8 and 16 vCPU sizes need Linux platform version 1.4.0 or later.
func fargateCPUs() [7]fargateCPU {
	return [7]fargateCPU{
		{cpu: 256, minMem: 512, maxMem: 2048},
		{cpu: 512, minMem: 1024, maxMem: 4096, step: 1024},
		{cpu: 1024, minMem: 2048, maxMem: 8192, step: 1024, windows: true},
		{cpu: 2048, minMem: 4096, maxMem: 16384, step: 1024, windows: true},
		{cpu: 4096, minMem: 8192, maxMem: 30720, step: 1024, windows: true},
		{cpu: 8192, minMem: 16384, maxMem: 61440, step: 4096},
		{cpu: 16384, minMem: 32768, maxMem: 122880, step: 8192},
	}
}

func (r fargateCPU) runs(os OSFamily) bool { return r.windows || !isWindows(os) }

func (r fargateCPU) nextMem(m int) int {
	if r.step == 0 {
		return m * 2
	}
	return m + r.step
}

// allows reports whether the row has memory size mem.
func (r fargateCPU) allows(mem int) bool {
	if mem < r.minMem || mem > r.maxMem {
		return false
	}
	if r.step == 0 {
		return mem&(mem-1) == 0 // a power of two between 512 and 2048
	}
	return (mem-r.minMem)%r.step == 0
}

// smallestMem returns the least memory size of the row that is at least
// mem, or false.
func (r fargateCPU) smallestMem(mem int) (int, bool) {
	for m := r.minMem; m <= r.maxMem; m = r.nextMem(m) {
		if m >= mem {
			return m, true
		}
	}
	return 0, false
}

// FargateSizes yields every task size Fargate runs for the operating
// system family os (Linux when empty), by cpu and then memory. Windows
// runs 1, 2 and 4 vCPU only.
func FargateSizes(os OSFamily) iter.Seq[FargateSize] {
	return func(yield func(FargateSize) bool) {
		for _, r := range fargateCPUs() {
			if !r.runs(os) {
				continue
			}
			for m := r.minMem; m <= r.maxMem; m = r.nextMem(m) {
				if !yield(FargateSize{CPU: r.cpu, MemoryMiB: m}) {
					return
				}
			}
		}
	}
}

// IsFargateSize reports whether Fargate runs a task of cpu units and
// memoryMiB on the operating system family os (Linux when empty).
func IsFargateSize(cpu, memoryMiB int, os OSFamily) bool {
	for _, r := range fargateCPUs() {
		if r.cpu == cpu {
			return r.runs(os) && r.allows(memoryMiB)
		}
	}
	return false
}

// SmallestFargateSize returns the smallest task size that Fargate runs on
// the operating system family os (Linux when empty) and that holds cpu
// units and memoryMiB: the least cpu, then the least memory. With
// Fargate's per-vCPU and per-GB prices it is also the cheapest. It
// reports false when no size is large enough.
func SmallestFargateSize(cpu, memoryMiB int, os OSFamily) (FargateSize, bool) {
	for _, r := range fargateCPUs() {
		if r.cpu < cpu || !r.runs(os) {
			continue
		}
		if m, ok := r.smallestMem(memoryMiB); ok {
			return FargateSize{CPU: r.cpu, MemoryMiB: m}, true
		}
	}
	return FargateSize{}, false
}

// fargateMemories describes the memory sizes allowed with cpu, for
// messages: "512, 1024 or 2048 MiB".
func fargateMemories(cpu int, os OSFamily) string {
	for _, r := range fargateCPUs() {
		if r.cpu != cpu || !r.runs(os) {
			continue
		}
		if r.step == 0 {
			return "512, 1024 or 2048 MiB"
		}
		return itoa(r.minMem) + " to " + itoa(r.maxMem) + " MiB in steps of " + itoa(r.step)
	}
	if isWindows(os) {
		return "none: Windows on Fargate takes cpu 1024, 2048 or 4096"
	}
	return "none: Fargate takes cpu 256, 512, 1024, 2048, 4096, 8192 or 16384"
}
