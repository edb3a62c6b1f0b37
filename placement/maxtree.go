package placement

// room is what an instance shows in an index tree: the CPU and memory it
// has left, or -1 for both when the tree hides it.
type room struct{ cpu, mem int32 }

// hiddenRoom is the room of a hidden instance and of padding leaves.
var hiddenRoom = room{-1, -1}

// holds reports whether r has at least need's CPU and memory.
func (r room) holds(need room) bool { return r.cpu >= need.cpu && r.mem >= need.mem }

// maxRoom returns the most CPU and the most memory of a and b.
func maxRoom(a, b room) room { return room{max(a.cpu, b.cpu), max(a.mem, b.mem)} }

// maxTree is a segment tree over the positions of one sorted index list.
// Each node keeps the most CPU and the most memory any instance below it
// has left, so a walk can jump over runs of instances that cannot take
// the task: full on the other resource than the one the list is ordered
// by, or found unable earlier in the request (see state.kill). Leaves past
// the end of the list, and hidden instances, hold hiddenRoom. A node's
// two figures sit together, so that a step down or up the tree reads one
// word.
type maxTree struct {
	size int    // leaves: a power of two
	n    []room // node k's children are 2k and 2k+1; leaves start at size
}

func newMaxTree(n int) maxTree {
	size := 1
	for size < n {
		size <<= 1
	}
	t := maxTree{size: size, n: make([]room, 2*size)}
	for k := range t.n {
		t.n[k] = hiddenRoom
	}
	return t
}

// leaves returns the leaves, by position.
func (t *maxTree) leaves() []room { return t.n[t.size:] }

// fix recomputes the ancestors of positions lo..hi (inclusive), whose
// leaves changed. Above the level where the range is one node it climbs
// only while a node changes: the ancestors of a node that kept its value
// keep theirs.
func (t *maxTree) fix(lo, hi int) {
	lo, hi = (lo+t.size)>>1, (hi+t.size)>>1
	for ; lo < hi; lo, hi = lo>>1, hi>>1 {
		for k := lo; k <= hi; k++ {
			t.n[k] = maxRoom(t.n[2*k], t.n[2*k+1])
		}
	}
	for k := lo; k >= 1; k >>= 1 {
		r := maxRoom(t.n[2*k], t.n[2*k+1])
		if r == t.n[k] {
			return
		}
		t.n[k] = r
	}
}

// next returns the first position at or after p whose instance has at
// least need's CPU and memory left, or -1. It starts at the leaf and
// climbs only as far as it must, so the common answer, p itself, costs
// one look.
func (t *maxTree) next(p int, need room) int {
	if p >= t.size {
		return -1
	}
	k := p + t.size
	for {
		if t.n[k].holds(need) {
			if k >= t.size {
				return k - t.size
			}
			k *= 2 // a child may hold it: the left first
			continue
		}
		// Nothing here: on to the next subtree to the right.
		for k&1 == 1 {
			k >>= 1
		}
		if k == 0 {
			return -1
		}
		k++
	}
}
