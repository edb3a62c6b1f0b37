package placement

import (
	"slices"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// attrSet is one interned set of instance attributes: every instance
// whose attributes are the same name=value pairs shares it, so answers
// that depend only on attributes (required attributes, memberOf
// expressions over attribute subjects) are computed once per set.
type attrSet struct {
	names  []string // sorted
	values []string // values[i] belongs to names[i]
}

// lookup returns the value of the attribute name and whether the set has
// it.
func (a *attrSet) lookup(name string) (string, bool) {
	i, ok := slices.BinarySearch(a.names, name)
	if !ok {
		return "", false
	}
	return a.values[i], true
}

// attrTable interns attribute sets.
type attrTable struct {
	sets []attrSet
	ids  map[string]int32 // canonical key -> index into sets
	buf  []byte           // the key being looked up
}

// intern returns the id of the set holding exactly attrs. Attributes
// that name a target other than the instance itself are kept: the
// describe output lists only the instance's own.
func (t *attrTable) intern(attrs []ecs.Attribute) int32 {
	sorted := attrs
	if !slices.IsSortedFunc(attrs, func(x, y ecs.Attribute) int { return strings.Compare(x.Name, y.Name) }) ||
		hasDuplicateName(attrs) {
		sorted = slices.Clone(attrs)
		slices.SortFunc(sorted, func(x, y ecs.Attribute) int {
			if c := strings.Compare(x.Name, y.Name); c != 0 {
				return c
			}
			return strings.Compare(x.Value, y.Value)
		})
		sorted = slices.CompactFunc(sorted, func(x, y ecs.Attribute) bool { return x.Name == y.Name })
	}
	b := t.buf[:0]
	for _, a := range sorted {
		b = append(b, a.Name...)
		b = append(b, 0)
		b = append(b, a.Value...)
		b = append(b, 0)
	}
	t.buf = b
	if id, ok := t.ids[string(b)]; ok {
		return id
	}
	key := string(b)
	if t.ids == nil {
		t.ids = make(map[string]int32)
	}
	set := attrSet{names: make([]string, len(sorted)), values: make([]string, len(sorted))}
	for i, a := range sorted {
		set.names[i], set.values[i] = a.Name, a.Value
	}
	id := int32(len(t.sets))
	t.sets = append(t.sets, set)
	t.ids[key] = id
	return id
}

// hasDuplicateName reports whether two neighbours of attrs, sorted by
// name, share a name.
func hasDuplicateName(attrs []ecs.Attribute) bool {
	for i := 1; i < len(attrs); i++ {
		if attrs[i].Name == attrs[i-1].Name {
			return true
		}
	}
	return false
}

// partition splits the instances by the value of one attribute, for
// spread over that attribute. Value 0 is "attribute absent"; the others
// are the attribute's values in ascending string order, which is the
// order ties between equally loaded values are broken in.
type partition struct {
	name    string
	values  []string // values[0] is "" and stands for absent
	ofSet   []int32  // value id per attribute set
	members [][]int32
}

// newPartition reads the value of name for every attribute set and
// instance. sets gives each instance's attribute set.
func newPartition(name string, tbl *attrTable, sets []int32) *partition {
	var vals []string
	for i := range tbl.sets {
		if v, ok := tbl.sets[i].lookup(name); ok {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	p := &partition{name: name, values: append([]string{""}, vals...)}
	p.ofSet = make([]int32, len(tbl.sets))
	for i := range tbl.sets {
		if v, ok := tbl.sets[i].lookup(name); ok {
			j, _ := slices.BinarySearch(vals, v)
			p.ofSet[i] = int32(j + 1)
		}
	}
	p.members = make([][]int32, len(p.values))
	for i, s := range sets {
		v := p.ofSet[s]
		p.members[v] = append(p.members[v], int32(i))
	}
	return p
}

// valueOf returns the value id of the instance with attribute set s.
func (p *partition) valueOf(s int32) int32 { return p.ofSet[s] }

// instanceID returns the bare id of a container instance ARN: what
// follows its last slash.
func instanceID(arn string) string { return ecs.ResourceID(arn) }

// sortedInts sorts ints in place and returns them.
func sortedInts(a []int) []int {
	slices.Sort(a)
	return a
}
