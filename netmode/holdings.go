package netmode

import (
	"slices"
	"sync/atomic"
)

// holdings are the host ports the running tasks of an instance hold, per
// protocol: static ports (which count toward the reserved-port limit) and
// dynamic ports (which do not). Each list is sorted and has no repeats.
//
// Holdings are copy-on-write: State.Clone shares them and counts the extra
// sharer in refs; the first State to change shared holdings copies them.
// A clone that is dropped without changing anything leaves refs one too
// high, which costs at most one needless copy later.
type holdings struct {
	refs    atomic.Int32 // States sharing these holdings, beyond the first
	static  [2][]uint16
	dynamic [2][]uint16
}

// headroom is the room for more ports each list of copied holdings gets,
// so that the change that made the copy does not grow it again.
const headroom = 4

// copy returns unshared holdings with the same ports, in one buffer.
func (h *holdings) copy() *holdings {
	n := 0
	for pr := range 2 {
		n += len(h.static[pr]) + len(h.dynamic[pr]) + 2*headroom
	}
	buf := make([]uint16, 0, n)
	c := new(holdings)
	for pr := range 2 {
		c.static[pr], buf = carve(buf, h.static[pr])
		c.dynamic[pr], buf = carve(buf, h.dynamic[pr])
	}
	return c
}

// carve copies src to the end of buf, followed by headroom, and returns
// the copy, capped so that growing it never writes into its neighbour.
func carve(buf, src []uint16) (part, rest []uint16) {
	start := len(buf)
	buf = append(buf, src...)
	end := len(buf)
	buf = buf[:end+headroom]
	return buf[start : end : end+headroom], buf
}

// insertRun adds first, first+1, ..., first+n-1 to the sorted set, which
// holds none of them.
func insertRun(set []uint16, first uint16, n int) []uint16 {
	i, _ := slices.BinarySearch(set, first)
	set = slices.Grow(set, n)[:len(set)+n]
	copy(set[i+n:], set[i:len(set)-n])
	for k := range n {
		set[i+k] = first + uint16(k)
	}
	return set
}

// holdsRun reports whether the sorted set holds all of first..first+n-1.
func holdsRun(set []uint16, first uint16, n int) bool {
	i, ok := slices.BinarySearch(set, first)
	return ok && i+n <= len(set) && int(set[i+n-1]) == int(first)+n-1
}

// removeRun deletes first..first+n-1, which holdsRun found, from the set.
func removeRun(set []uint16, first uint16, n int) []uint16 {
	i, _ := slices.BinarySearch(set, first)
	return slices.Delete(set, i, i+n)
}

// contains reports whether the sorted set holds port.
func contains(set []uint16, port uint16) bool {
	_, ok := slices.BinarySearch(set, port)
	return ok
}

func ints(set []uint16) []int {
	out := make([]int, len(set))
	for i, p := range set {
		out[i] = int(p)
	}
	return out
}
