// Command catalogen writes the instance type catalogue of package ecs,
// instancetypes.json, from data tables extracted from its sources. Every
// figure it writes names its source.
//
// Usage (from package ecs, see its go:generate line):
//
//	go run ./internal/catalogen -data internal/catalogen/testdata -out instancetypes.json
//
// The data directory holds, each in the project's own tab-separated form
// with a header naming where it was read:
//
//   - autoscaler.tsv: vCPUs, memory, GPUs and architecture of every type of
//     kubernetes/autoscaler's EC2 instance type table;
//   - vpclimits.tsv: the network interfaces of every type of Karpenter's
//     vpclimits table;
//   - ecs-trunking.tsv: the ECS developer guide's table of awsvpc task
//     limits without and with ENI trunking, and the types and families it
//     says are not supported;
//   - registered.tsv: the memory a type registers with ECS, where a source
//     gives it;
//   - gpus.tsv: GPU figures that replace autoscaler's, with their sources;
//   - sources.json: the about text, the citations by key, and the families
//     left out.
//
// The catalogue has one entry for every type of autoscaler.tsv whose family
// is not left out. Its vCPUs, memory, GPUs and architecture are
// autoscaler's (amd64 written x86_64) unless gpus.tsv replaces the GPUs;
// its ENIs are Karpenter's; its trunk figure is the guide's "with ENI
// trunking" column, only for types the guide lists, and otherwise left out
// with the reason cited; its registered memory is registered.tsv's where
// that has the type, and otherwise left out for package ecs to derive.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

func main() {
	data := flag.String("data", "internal/catalogen/testdata", "directory of the data tables")
	out := flag.String("out", "instancetypes.json", "catalogue to write")
	flag.Parse()
	b, err := Generate(os.DirFS(*data))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Source keys the generator itself assigns; their citations come from
// sources.json, which must define them.
const (
	srcAutoscaler     = "autoscaler"
	srcVPCLimits      = "karpenter-vpclimits"
	srcTrunking       = "ecs-dg-trunking"
	srcTrunkExcluded  = "ecs-dg-trunking-excluded"
	srcTrunkExclFam   = "ecs-dg-trunking-excluded-family"
	srcTrunkAbsent    = "ecs-dg-trunking-absent"
	srcTrunkUnlisted  = "ecs-dg-trunking-unlisted"
	srcTrunkUnusable  = "ecs-dg-trunking-unusable"
	withoutTrunkingAt = "{withoutTrunking}"
	rowsOverNoteAt    = "{rowsOverNote}"
)

// head is the form of sources.json.
type head struct {
	About            string            `json:"about"`
	LeaveOutFamilies []string          `json:"leaveOutFamilies"`
	Sources          map[string]string `json:"sources"`
}

// entry is one type as instancetypes.json writes it.
type entry struct {
	InstanceType        string  `json:"instanceType"`
	VCPU                int     `json:"vcpu"`
	MemoryMiB           int     `json:"memoryMiB"`
	RegisteredMemoryMiB int     `json:"registeredMemoryMiB,omitempty"`
	MaxENIs             int     `json:"maxEnis"`
	TrunkENIs           int     `json:"trunkEnis,omitempty"`
	Architecture        string  `json:"architecture"`
	GPUs                int     `json:"gpus"`
	Sources             sources `json:"sources"`
}

// sources are an entry's source keys, in the order they are written.
type sources struct {
	VCPU                string `json:"vcpu"`
	MemoryMiB           string `json:"memoryMiB"`
	RegisteredMemoryMiB string `json:"registeredMemoryMiB,omitempty"`
	MaxENIs             string `json:"maxEnis"`
	TrunkENIs           string `json:"trunkEnis"`
	Architecture        string `json:"architecture"`
	GPUs                string `json:"gpus"`
}

// trunking is the developer guide's ENI trunking table.
type trunking struct {
	without, with     map[string]int  // by type
	families          map[string]bool // families with a row
	excluded, exclFam map[string]bool // types and families not supported
}

// sourced is a figure with its source key.
type sourced struct {
	value int
	key   string
}

// Generate returns instancetypes.json written from the data tables in
// dir. It fails on a malformed table, a type without an ENI figure, a
// source key without a citation, or a result package ecs does not load.
func Generate(dir fs.FS) ([]byte, error) {
	var h head
	if err := readJSON(dir, "sources.json", &h); err != nil {
		return nil, err
	}
	auto, err := readTable(dir, "autoscaler.tsv", 5)
	if err != nil {
		return nil, err
	}
	vpc, err := readTable(dir, "vpclimits.tsv", 2)
	if err != nil {
		return nil, err
	}
	trunk, err := readTrunking(dir)
	if err != nil {
		return nil, err
	}
	registered, err := readSourced(dir, "registered.tsv")
	if err != nil {
		return nil, err
	}
	gpus, err := readSourced(dir, "gpus.tsv")
	if err != nil {
		return nil, err
	}
	leaveOut := map[string]bool{}
	for _, f := range h.LeaveOutFamilies {
		leaveOut[f] = true
	}

	var entries []entry
	for _, row := range auto {
		name := row[0]
		if leaveOut[family(name)] {
			continue
		}
		e, err := newEntry(row, vpc, trunk, registered, gpus)
		if err != nil {
			return nil, fmt.Errorf("autoscaler.tsv: %s: %w", name, err)
		}
		entries = append(entries, e)
	}
	for _, t := range []map[string]sourced{registered, gpus} {
		for name := range t {
			if !slices.ContainsFunc(entries, func(e entry) bool { return e.InstanceType == name }) {
				return nil, fmt.Errorf("%s has a figure but is not in the catalogue", name)
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return compareTypes(a.InstanceType, b.InstanceType) })

	cites, err := citations(h.Sources, entries, trunk)
	if err != nil {
		return nil, err
	}
	out, err := write(h.About, cites, entries)
	if err != nil {
		return nil, err
	}
	if _, err := ecs.LoadCatalog(out); err != nil {
		return nil, err
	}
	return out, nil
}

// newEntry builds one type's entry from its autoscaler row.
func newEntry(row []string, vpc map[string][]string, trunk *trunking, registered, gpus map[string]sourced) (entry, error) {
	name := row[0]
	nums, err := atoi(row[1:4]...)
	if err != nil {
		return entry{}, err
	}
	arch, ok := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[row[4]]
	if !ok {
		return entry{}, fmt.Errorf("architecture %q is not amd64 or arm64", row[4])
	}
	e := entry{
		InstanceType: name, VCPU: nums[0], MemoryMiB: nums[1], GPUs: nums[2], Architecture: arch,
		Sources: sources{VCPU: srcAutoscaler, MemoryMiB: srcAutoscaler, Architecture: srcAutoscaler, GPUs: srcAutoscaler},
	}
	if e.VCPU <= 0 || e.MemoryMiB <= 0 {
		return entry{}, errors.New("no vCPUs or no memory")
	}
	if g, ok := gpus[name]; ok {
		e.GPUs, e.Sources.GPUs = g.value, g.key
	}
	if r, ok := registered[name]; ok {
		if r.value >= e.MemoryMiB {
			return entry{}, fmt.Errorf("registered memory %d is not below memory %d", r.value, e.MemoryMiB)
		}
		e.RegisteredMemoryMiB, e.Sources.RegisteredMemoryMiB = r.value, r.key
	}
	lim, ok := vpc[name]
	if !ok {
		return entry{}, errors.New("not in vpclimits.tsv")
	}
	n, err := atoi(lim[1])
	if err != nil {
		return entry{}, err
	}
	if n[0] < 1 {
		return entry{}, fmt.Errorf("%d network interfaces", n[0])
	}
	e.MaxENIs, e.Sources.MaxENIs = n[0], srcVPCLimits
	e.TrunkENIs, e.Sources.TrunkENIs = trunk.figure(name)
	return e, nil
}

// figure returns a type's trunk figure and its source key: the guide's
// figure, or 0 and why there is none. A row is taken over the note of
// types and families not supported: the guide added rows for types the
// note still names (m5n, m5zn, r5b.16xlarge among them).
func (t *trunking) figure(name string) (int, string) {
	switch {
	case t.with[name] > 0:
		return t.with[name], srcTrunking
	case t.has(name):
		return 0, srcTrunkUnusable
	case t.excluded[name]:
		return 0, srcTrunkExcluded
	case t.exclFam[family(name)]:
		return 0, srcTrunkExclFam
	case t.families[family(name)]:
		return 0, srcTrunkUnlisted
	default:
		return 0, srcTrunkAbsent
	}
}

// has reports whether the table has a row for the type.
func (t *trunking) has(name string) bool {
	_, ok := t.with[name]
	return ok
}

// citations returns the citations the entries use, checking that each is
// defined, with the trunking table's note on its "without trunking"
// column filled in.
func citations(all map[string]string, entries []entry, trunk *trunking) (map[string]string, error) {
	used := map[string]string{}
	var differ, noted []string
	for _, e := range entries {
		s := e.Sources
		for _, key := range []string{s.VCPU, s.MemoryMiB, s.RegisteredMemoryMiB, s.MaxENIs, s.TrunkENIs, s.Architecture, s.GPUs} {
			if key == "" {
				continue
			}
			cite, ok := all[key]
			if !ok {
				return nil, fmt.Errorf("%s: source %q is not in sources.json", e.InstanceType, key)
			}
			used[key] = cite
		}
		if w, ok := trunk.without[e.InstanceType]; ok && w != e.MaxENIs-1 {
			differ = append(differ, fmt.Sprintf("%s (%d, maxEnis - 1 being %d)", e.InstanceType, w, e.MaxENIs-1))
		}
		if trunk.has(e.InstanceType) && (trunk.excluded[e.InstanceType] || trunk.exclFam[family(e.InstanceType)]) {
			noted = append(noted, e.InstanceType)
		}
	}
	if cite, ok := used[srcTrunking]; ok {
		note := "for every type here"
		if len(differ) > 0 {
			note = "for every type here but " + strings.Join(differ, ", ")
		}
		cite = strings.Replace(cite, withoutTrunkingAt, note, 1)
		note = "no type here"
		if len(noted) > 0 {
			note = strings.Join(noted, ", ")
		}
		used[srcTrunking] = strings.Replace(cite, rowsOverNoteAt, note, 1)
	}
	return used, nil
}

// write returns the catalogue in the form of instancetypes.json: one type
// a line, sources sorted by key.
func write(about string, cites map[string]string, entries []entry) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"about\": ")
	if err := encode(&b, about); err != nil {
		return nil, err
	}
	b.WriteString(",\n  \"sources\": {")
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range cites {
			if !yield(k) {
				return
			}
		}
	})
	for i, k := range keys {
		b.WriteString(sep(i) + "\n    ")
		if err := encode(&b, k); err != nil {
			return nil, err
		}
		b.WriteString(": ")
		if err := encode(&b, cites[k]); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n  },\n  \"types\": [")
	for i, e := range entries {
		b.WriteString(sep(i) + "\n    ")
		if err := encode(&b, e); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n  ]\n}\n")
	return b.Bytes(), nil
}

func sep(i int) string {
	if i == 0 {
		return ""
	}
	return ","
}

// encode writes v as compact JSON without HTML escaping.
func encode(b *bytes.Buffer, v any) error {
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
	return nil
}

// family returns the family of an instance type: "c7i-flex" of
// "c7i-flex.large".
func family(name string) string {
	f, _, _ := strings.Cut(name, ".")
	return f
}

// namedSizes are the sizes below xlarge, smallest first.
var namedSizes = []string{"nano", "micro", "small", "medium", "large"}

// sizeRank orders a size: the named sizes, then xlarge and Nxlarge by N,
// then metal and metal-Nxl by N; other sizes last, by name.
func sizeRank(size string) (class, n int) {
	if i := slices.Index(namedSizes, size); i >= 0 {
		return 0, i
	}
	if num, ok := strings.CutSuffix(size, "xlarge"); ok {
		if num == "" {
			return 1, 1
		}
		if v, err := strconv.Atoi(num); err == nil {
			return 1, v
		}
	}
	if size == "metal" {
		return 2, 0
	}
	if rest, ok := strings.CutPrefix(size, "metal-"); ok {
		if v, err := strconv.Atoi(strings.TrimSuffix(rest, "xl")); err == nil {
			return 2, v
		}
	}
	return 3, 0
}

// compareTypes orders instance types by family, then size.
func compareTypes(a, b string) int {
	fa, sa, _ := strings.Cut(a, ".")
	fb, sb, _ := strings.Cut(b, ".")
	ca, na := sizeRank(sa)
	cb, nb := sizeRank(sb)
	return cmp.Or(strings.Compare(fa, fb), cmp.Compare(ca, cb), cmp.Compare(na, nb), strings.Compare(sa, sb))
}

func readJSON(dir fs.FS, name string, v any) error {
	b, err := fs.ReadFile(dir, name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// readLines returns the tab-separated fields of each line of a table that
// is not blank and not a comment (#), with its line number.
func readLines(dir fs.FS, name string, yield func(line int, fields []string) error) error {
	b, err := fs.ReadFile(dir, name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := yield(n, strings.Split(text, "\t")); err != nil {
			return fmt.Errorf("%s:%d: %w", path.Base(name), n, err)
		}
	}
	return sc.Err()
}

// readTable returns a table of rows of width fields, by their first field
// and in order; a name given twice is an error.
func readTable(dir fs.FS, name string, width int) (map[string][]string, error) {
	rows := map[string][]string{}
	err := readLines(dir, name, func(_ int, f []string) error {
		if len(f) != width {
			return fmt.Errorf("%d fields, want %d", len(f), width)
		}
		if _, dup := rows[f[0]]; dup {
			return fmt.Errorf("%s twice", f[0])
		}
		rows[f[0]] = f
		return nil
	})
	return rows, err
}

// readSourced reads a table of instanceType, figure, source key.
func readSourced(dir fs.FS, name string) (map[string]sourced, error) {
	rows, err := readTable(dir, name, 3)
	if err != nil {
		return nil, err
	}
	out := make(map[string]sourced, len(rows))
	for k, r := range rows {
		n, err := atoi(r[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, k, err)
		}
		out[k] = sourced{n[0], r[2]}
	}
	return out, nil
}

// readTrunking reads ecs-trunking.tsv: rows of instanceType, task limit
// without and with trunking, and rows "type NAME" and "family NAME" for
// what the guide says is not supported.
func readTrunking(dir fs.FS) (*trunking, error) {
	t := &trunking{
		without: map[string]int{}, with: map[string]int{}, families: map[string]bool{},
		excluded: map[string]bool{}, exclFam: map[string]bool{},
	}
	err := readLines(dir, "ecs-trunking.tsv", func(_ int, f []string) error {
		switch {
		case len(f) == 2 && f[0] == "type":
			t.excluded[f[1]] = true
		case len(f) == 2 && f[0] == "family":
			t.exclFam[f[1]] = true
		case len(f) == 3:
			if _, dup := t.with[f[0]]; dup {
				return fmt.Errorf("%s twice", f[0])
			}
			n, err := atoi(f[1:]...)
			if err != nil {
				return err
			}
			t.without[f[0]], t.with[f[0]] = n[0], n[1]
			t.families[family(f[0])] = true
		default:
			return fmt.Errorf("%d fields", len(f))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func atoi(s ...string) ([]int, error) {
	out := make([]int, len(s))
	for i, v := range s {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
