package placement

// maxTree is a segment tree over the positions of one sorted index list.
// Each node keeps the most CPU and the most memory any instance below it
// has left, so a walk can jump over runs of instances that cannot take
// the task: full on the other resource than the one the list is ordered
// by, or found unable earlier in the request (see state.kill). Leaves past
// the end of the list, and dead instances, hold -1.
type maxTree struct {
	size int     // leaves: a power of two
	cpu  []int32 // node k's children are 2k and 2k+1; leaves start at size
	mem  []int32
}

func newMaxTree(n int) maxTree {
	size := 1
	for size < n {
		size <<= 1
	}
	t := maxTree{size: size, cpu: make([]int32, 2*size), mem: make([]int32, 2*size)}
	for k := range t.cpu {
		t.cpu[k], t.mem[k] = -1, -1
	}
	return t
}

// setLeaf sets position p's values without fixing its ancestors.
func (t *maxTree) setLeaf(p int, cpu, mem int32) {
	t.cpu[t.size+p], t.mem[t.size+p] = cpu, mem
}

// fix recomputes the ancestors of positions lo..hi (inclusive).
func (t *maxTree) fix(lo, hi int) {
	lo, hi = (lo+t.size)>>1, (hi+t.size)>>1
	for lo >= 1 {
		for k := lo; k <= hi; k++ {
			t.cpu[k] = max(t.cpu[2*k], t.cpu[2*k+1])
			t.mem[k] = max(t.mem[2*k], t.mem[2*k+1])
		}
		lo, hi = lo>>1, hi>>1
	}
}

// next returns the first position at or after p whose instance has at
// least cpu and mem left, or -1. It starts at the leaf and climbs only as
// far as it must, so the common answer, p itself, costs one look.
func (t *maxTree) next(p int, cpu, mem int32) int {
	if p >= t.size {
		return -1
	}
	k := p + t.size
	for {
		if t.cpu[k] >= cpu && t.mem[k] >= mem {
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
