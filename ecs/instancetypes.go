package ecs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"sync"
)

// instanceTypesJSON is the default catalogue: per type its figures and,
// by key into a table of sources, where each figure comes from. It is
// written by internal/catalogen from the data tables in its testdata.
//
//go:generate go run ./internal/catalogen -data internal/catalogen/testdata -out instancetypes.json
//go:embed instancetypes.json
var instanceTypesJSON []byte

// InstanceType is what the scheduler needs to know of an EC2 instance
// type: the CPU and memory an instance of it registers with ECS, its ENIs,
// its architecture and GPUs. Sources says where each figure comes from: a
// citation, or the rule it was derived by. A figure nobody gives is zero.
type InstanceType struct {
	Name         string // for example "c5.large"
	VCPUs        int    // vCPUs
	CPU          int    // CPU units the agent registers: VCPUs × 1024
	MemoryMiB    int    // nominal memory, as EC2 advertises it
	Architecture string // "x86_64" or "arm64", as ecs.cpu-architecture
	GPUs         int    // GPUs

	// RegisteredMemoryMiB is the MEMORY the agent registers: what the
	// kernel reports (MemTotal), less ECS_RESERVED_MEMORY. It is below
	// MemoryMiB because of platform and kernel overhead, and depends on
	// the AMI. Where no source gives it the catalogue derives it by its
	// MemoryOverhead rule.
	RegisteredMemoryMiB int

	// MaxENIs is the most network interfaces an instance can have; an
	// instance runs MaxENIs − 1 awsvpc tasks without ENI trunking.
	MaxENIs int
	// TrunkENIs is the awsvpc task limit with ENI trunking, from the ECS
	// developer guide's table; 0 when the type has no such figure.
	TrunkENIs int

	Sources InstanceTypeSources
}

// InstanceTypeSources cites, per figure of an InstanceType, its source (a
// URL, with the repository commit where read from one) or the rule that
// derived it, or why the figure is absent; empty when nothing is known.
type InstanceTypeSources struct {
	VCPUs, CPU, MemoryMiB, RegisteredMemoryMiB string
	MaxENIs, TrunkENIs, Architecture, GPUs     string
}

// cpuRule cites how CPU is derived from VCPUs.
const cpuRule = "rule: VCPUs × 1024, as the agent registers CPU " +
	"(https://github.com/aws/amazon-ecs-agent ecs-agent/api/ecs/client/ecs_client.go, getCpuAndMemory)"

// MemoryOverhead is the rule that derives the memory an instance registers
// from its nominal memory where no source gives the figure:
//
//	registered = nominal − ⌈nominal × Fraction⌉ − ReservedMiB
//
// ECS documents the gap (platform and kernel overhead; an m4.large with
// 8192 MiB installed registered 7985 MiB in the developer guide's example,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html)
// but no formula for it. The default Fraction, 0.075, is the rule
// Karpenter documents for the same gap on EC2, VM_MEMORY_OVERHEAD_PERCENT
// (https://karpenter.sh/docs/reference/settings/); figures observed on
// ECS-optimized AMIs lie between 2.5 % and 10 % of nominal memory, so the
// rule is an estimate, not a fact about a type.
//
// ReservedMiB is ECS_RESERVED_MEMORY, which the agent subtracts from what
// it registers (0 by default). It applies to sourced figures too, which are
// taken as registered with ECS_RESERVED_MEMORY unset.
type MemoryOverhead struct {
	Fraction    float64 // of nominal memory, rounded up to a whole MiB
	ReservedMiB int     // ECS_RESERVED_MEMORY
}

// DefaultMemoryOverhead returns the catalogue's default rule: 7.5 % of
// nominal memory and no ECS_RESERVED_MEMORY.
func DefaultMemoryOverhead() MemoryOverhead {
	return MemoryOverhead{Fraction: 0.075}
}

// Registered applies the rule to a nominal memory in MiB; the result is
// never below 0.
func (o MemoryOverhead) Registered(nominalMiB int) int {
	overhead := int(math.Ceil(float64(nominalMiB) * o.Fraction))
	return max(nominalMiB-overhead-o.ReservedMiB, 0)
}

// String describes the rule, as InstanceTypeSources cites it.
func (o MemoryOverhead) String() string {
	return fmt.Sprintf("rule: MemoryMiB − ⌈MemoryMiB × %g⌉ − %d MiB (ecs.MemoryOverhead; "+
		"default fraction from Karpenter's VM_MEMORY_OVERHEAD_PERCENT, https://karpenter.sh/docs/reference/settings/)",
		o.Fraction, o.ReservedMiB)
}

// Catalog is a table of instance types. A Catalog never changes: WithTypes
// and WithMemoryOverhead return new ones, so a Catalog is safe to share
// between goroutines.
type Catalog struct {
	rule  MemoryOverhead
	given map[string]InstanceType // as the caller or the file gave them
	types map[string]InstanceType // with derived figures filled in
}

var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := LoadCatalog(instanceTypesJSON)
	if err != nil {
		panic("ecs: embedded instancetypes.json: " + err.Error())
	}
	return c
})

// DefaultCatalog returns the built-in catalogue: every instance type ECS
// runs on, current and previous generation (1,101 types: every type of
// kubernetes/autoscaler's EC2 instance type table but the Mac ones), every
// figure cited, with DefaultMemoryOverhead. It is parsed once and shared;
// it cannot change.
func DefaultCatalog() *Catalog {
	return defaultCatalog()
}

// NewCatalog returns a catalogue of exactly the given types, with
// DefaultMemoryOverhead. A later type of the same name replaces an earlier.
func NewCatalog(types ...InstanceType) *Catalog {
	return build(DefaultMemoryOverhead(), nil, types)
}

// WithTypes returns a copy of c with the given types added, replacing any
// of the same name. Zero CPU and RegisteredMemoryMiB are derived.
func (c *Catalog) WithTypes(types ...InstanceType) *Catalog {
	return build(c.MemoryOverhead(), c.givenTypes(), types)
}

// WithMemoryOverhead returns a copy of c whose derived registered memory
// follows rule o.
func (c *Catalog) WithMemoryOverhead(o MemoryOverhead) *Catalog {
	return build(o, c.givenTypes(), nil)
}

func (c *Catalog) givenTypes() map[string]InstanceType {
	if c == nil {
		return nil
	}
	return c.given
}

// MemoryOverhead returns the rule c derives registered memory by.
func (c *Catalog) MemoryOverhead() MemoryOverhead {
	if c == nil {
		return DefaultMemoryOverhead()
	}
	return c.rule
}

// Lookup returns the instance type called name ("c5.large").
func (c *Catalog) Lookup(name string) (InstanceType, bool) {
	if c == nil {
		return InstanceType{}, false
	}
	t, ok := c.types[name]
	return t, ok
}

// Len returns the number of types in c.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.types)
}

// All yields the types of c in order of name.
func (c *Catalog) All() iter.Seq[InstanceType] {
	return func(yield func(InstanceType) bool) {
		if c == nil {
			return
		}
		for _, name := range slices.Sorted(maps.Keys(c.types)) {
			if !yield(c.types[name]) {
				return
			}
		}
	}
}

func build(rule MemoryOverhead, base map[string]InstanceType, add []InstanceType) *Catalog {
	c := &Catalog{rule: rule, given: maps.Clone(base)}
	if c.given == nil {
		c.given = make(map[string]InstanceType, len(add))
	}
	for _, t := range add {
		c.given[t.Name] = t
	}
	c.types = make(map[string]InstanceType, len(c.given))
	memRule := rule.String()
	for name, t := range c.given {
		c.types[name] = derive(t, rule, memRule)
	}
	return c
}

// derive fills in the figures the rules give: CPU from VCPUs, registered
// memory from nominal memory.
func derive(t InstanceType, rule MemoryOverhead, memRule string) InstanceType {
	if t.CPU == 0 && t.VCPUs > 0 {
		t.CPU, t.Sources.CPU = t.VCPUs*1024, cpuRule
	}
	switch {
	case t.RegisteredMemoryMiB > 0:
		t.RegisteredMemoryMiB = max(t.RegisteredMemoryMiB-rule.ReservedMiB, 0)
	case t.MemoryMiB > 0:
		t.RegisteredMemoryMiB, t.Sources.RegisteredMemoryMiB = rule.Registered(t.MemoryMiB), memRule
	}
	return t
}

// catalogFile is the form of instancetypes.json.
type catalogFile struct {
	About   string            `json:"about"`
	Sources map[string]string `json:"sources"`
	Types   []catalogEntry    `json:"types"`
}

type catalogEntry struct {
	InstanceType        string            `json:"instanceType"`
	VCPU                int               `json:"vcpu"`
	MemoryMiB           int               `json:"memoryMiB"`
	RegisteredMemoryMiB int               `json:"registeredMemoryMiB"`
	MaxENIs             int               `json:"maxEnis"`
	TrunkENIs           int               `json:"trunkEnis"`
	Architecture        string            `json:"architecture"`
	GPUs                int               `json:"gpus"`
	Sources             map[string]string `json:"sources"`
}

// LoadCatalog reads a catalogue in the form of the embedded
// instancetypes.json: {"sources": {key: citation}, "types": [{"instanceType",
// "vcpu", "memoryMiB", "registeredMemoryMiB", "maxEnis", "trunkEnis",
// "architecture", "gpus", "sources": {field: key}}]}. Every figure present
// must name a source key; a figure left out is absent (0). It uses
// DefaultMemoryOverhead.
func LoadCatalog(data []byte) (*Catalog, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f catalogFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("instance type catalogue: %w", err)
	}
	types := make([]InstanceType, 0, len(f.Types))
	for i, e := range f.Types {
		t, err := e.instanceType(f.Sources)
		if err != nil {
			return nil, fmt.Errorf("instance type catalogue: types[%d] (%s): %w", i, e.InstanceType, err)
		}
		types = append(types, t)
	}
	return NewCatalog(types...), nil
}

func (e catalogEntry) instanceType(sources map[string]string) (InstanceType, error) {
	t := InstanceType{
		Name: e.InstanceType, VCPUs: e.VCPU, MemoryMiB: e.MemoryMiB,
		RegisteredMemoryMiB: e.RegisteredMemoryMiB, MaxENIs: e.MaxENIs,
		TrunkENIs: e.TrunkENIs, Architecture: e.Architecture, GPUs: e.GPUs,
	}
	switch {
	case t.Name == "":
		return t, fmt.Errorf("no instanceType")
	case t.VCPUs <= 0 || t.MemoryMiB <= 0:
		return t, fmt.Errorf("vcpu and memoryMiB must be above 0")
	case t.RegisteredMemoryMiB >= t.MemoryMiB:
		return t, fmt.Errorf("registeredMemoryMiB %d is not below memoryMiB %d", t.RegisteredMemoryMiB, t.MemoryMiB)
	case t.Architecture != "" && t.Architecture != "x86_64" && t.Architecture != "arm64":
		return t, fmt.Errorf("architecture %q is not x86_64 or arm64", t.Architecture)
	}
	fields := []struct {
		name    string
		present bool
		cite    *string
	}{
		{"vcpu", true, &t.Sources.VCPUs},
		{"memoryMiB", true, &t.Sources.MemoryMiB},
		{"registeredMemoryMiB", t.RegisteredMemoryMiB > 0, &t.Sources.RegisteredMemoryMiB},
		{"maxEnis", t.MaxENIs > 0, &t.Sources.MaxENIs},
		{"trunkEnis", t.TrunkENIs > 0, &t.Sources.TrunkENIs},
		{"architecture", t.Architecture != "", &t.Sources.Architecture},
		{"gpus", true, &t.Sources.GPUs},
	}
	for _, f := range fields {
		key, named := e.Sources[f.name]
		cite, known := sources[key]
		switch {
		case named && !known:
			return t, fmt.Errorf("sources.%s: no source %q", f.name, key)
		case f.present && !named:
			return t, fmt.Errorf("%s has no source", f.name)
		}
		*f.cite = cite
	}
	return t, nil
}

// AwsvpcTaskLimit returns how many awsvpc tasks an instance of this type can
// run (rules 81 to 83). Each awsvpc task takes one ENI, and the primary ENI
// is the instance's own, so the limit is MaxENIs − 1. With ENI trunking (the
// instance has the ecs.capability.task-eni-trunking attribute) tasks use
// branch interfaces of the trunk ENI instead and the limit is TrunkENIs, the
// developer guide's "task limit with ENI trunking"; when the catalogue has
// no such figure the limit without trunking applies. The result is false
// when the type has no ENI figure at all.
func (t InstanceType) AwsvpcTaskLimit(trunking bool) (int, bool) {
	if trunking && t.TrunkENIs > 0 {
		return t.TrunkENIs, true
	}
	if t.MaxENIs < 1 {
		return 0, false
	}
	return t.MaxENIs - 1, true
}
