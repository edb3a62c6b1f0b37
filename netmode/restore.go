package netmode

import (
	"fmt"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// Restore records a task that already runs on the instance, as a snapshot
// (describe-tasks) shows it: the task definition's request r and the
// task's containers with their network bindings. Host ports that r maps
// statically are static; the others, and host port ranges, are dynamic.
// Bindings of one host port on two addresses (0.0.0.0 and ::) count once.
// The ports and ENI must fit as for Allocate; when they do not the error
// is a *FitError and s is unchanged. Afterwards each protocol's next-fit
// search continues after its highest dynamic port in use. Release takes
// the result back.
func (s *State) Restore(r *Request, containers []ecs.Container) (*Allocation, error) {
	if s == nil || r == nil {
		refusal := invalidCall
		return nil, &refusal
	}
	a, err := restored(r, containers)
	if err != nil {
		return nil, err
	}
	if fe, ok := s.checkHolds(a); !ok {
		return nil, &fe
	}
	s.hold(a)
	for pr := range s.cursor {
		if d := s.dynamic(proto(pr)); len(d) > 0 && s.dyn.Contains(int(d[len(d)-1].last)) {
			s.cursor[pr] = int32(d[len(d)-1].last)
		}
	}
	return a, nil
}

// restored reads a running task's bindings into an Allocation.
func restored(r *Request, containers []ecs.Container) (*Allocation, error) {
	a := &Allocation{ENIs: r.enis, Containers: make([]ContainerBindings, len(r.names))}
	for i, name := range r.names {
		a.Containers[i].Name = name
	}
	for _, c := range containers {
		ci := slices.Index(r.names, c.Name)
		if ci < 0 {
			return nil, fmt.Errorf("container %q: %w: not in the task definition", c.Name, ErrInvalid)
		}
		a.Containers[ci].NetworkBindings = slices.Clone(c.NetworkBindings)
		if r.mode != ecs.NetworkModeBridge && r.mode != ecs.NetworkModeHost {
			continue // awsvpc and none bind no host port
		}
		var seen []ecs.NetworkBinding
		for j, b := range c.NetworkBindings {
			b.BindIP = "" // one host port bound on 0.0.0.0 and on :: is held once
			if slices.ContainsFunc(seen, func(o ecs.NetworkBinding) bool { return sameBinding(o, b) }) {
				continue
			}
			seen = append(seen, b)
			hd, err := r.holdOf(int32(ci), b)
			if err != nil {
				return nil, fmt.Errorf("container %q networkBindings[%d]: %w", c.Name, j, err)
			}
			a.holds = append(a.holds, hd)
		}
	}
	if err := checkOverlap(a.holds); err != nil {
		return nil, err
	}
	return a, nil
}

// holdOf classifies one binding of container ci.
func (r *Request) holdOf(ci int32, b ecs.NetworkBinding) (hold, error) {
	pr, ok := protoOf(b.Protocol)
	if !ok {
		return hold{}, fmt.Errorf("protocol: %w: %q is not tcp or udp", ErrInvalid, b.Protocol)
	}
	if b.HostPortRange != "" {
		hr, err := ParsePortRange(b.HostPortRange)
		if err != nil {
			return hold{}, fmt.Errorf("hostPortRange: %w: %w", ErrInvalid, err)
		}
		return hold{pr, true, uint16(hr.First), uint16(hr.Len())}, nil
	}
	if b.HostPort == nil || !isPort(*b.HostPort) {
		return hold{}, fmt.Errorf("hostPort: %w: want a port from 1 to 65535", ErrInvalid)
	}
	port := uint16(*b.HostPort)
	isStatic := r.mode == ecs.NetworkModeHost || r.mapsStatic(ci, pr, b.ContainerPort, port)
	return hold{pr, !isStatic, port, 1}, nil
}

// mapsStatic reports whether container ci maps containerPort to host port
// port statically.
func (r *Request) mapsStatic(ci int32, pr proto, containerPort *int, port uint16) bool {
	for _, m := range r.maps {
		if m.container == ci && m.kind == static && m.pr == pr && m.hostPort == port &&
			containerPort != nil && *containerPort == int(m.containerPort) {
			return true
		}
	}
	return false
}

// sameBinding reports whether two bindings bind the same ports.
func sameBinding(x, y ecs.NetworkBinding) bool {
	return x.Protocol == y.Protocol && x.ContainerPortRange == y.ContainerPortRange &&
		x.HostPortRange == y.HostPortRange && samePort(x.ContainerPort, y.ContainerPort) &&
		samePort(x.HostPort, y.HostPort)
}

func samePort(x, y *int) bool {
	return x == nil && y == nil || x != nil && y != nil && *x == *y
}

// checkOverlap refuses holds that share a port.
func checkOverlap(holds []hold) error {
	sorted := slices.Clone(holds)
	slices.SortFunc(sorted, func(x, y hold) int {
		if x.pr != y.pr {
			return int(x.pr) - int(y.pr)
		}
		return int(x.first) - int(y.first)
	})
	for i := 1; i < len(sorted); i++ {
		x, y := sorted[i-1], sorted[i]
		if x.pr == y.pr && int(x.first)+int(x.n) > int(y.first) {
			return fmt.Errorf("host port %d/%s: %w: bound twice", y.first, y.pr.api(), ErrInvalid)
		}
	}
	return nil
}

// checkHolds checks that the ports and ENIs of a fit s, by the rules
// Allocate applies and in its order: the TCP ports, then the UDP ports,
// then the ENI.
func (s *State) checkHolds(a *Allocation) (FitError, bool) {
	nStatic := 0
	for pr := range proto(2) {
		for _, hd := range a.holds {
			if hd.pr != pr {
				continue
			}
			lo, hi := int(hd.first), int(hd.first)+int(hd.n)-1
			if p, ok := firstIn(s.reserved[pr], lo, hi); ok {
				return portMisfit(CauseReserved, pr, p), false
			}
			for _, set := range [2][]span{s.static(pr), s.dynamic(pr)} {
				if p, ok := firstInRuns(set, lo, hi); ok {
					return portMisfit(CauseInUse, pr, p), false
				}
			}
			if !hd.dynamic {
				nStatic++
				if s.ReservedCount()+nStatic > int(s.limit) {
					fe := portMisfit(CauseReservedLimit, pr, lo)
					fe.Limit = int(s.limit)
					return fe, false
				}
			}
		}
	}
	return s.checkENI(a.ENIs)
}

// firstIn returns the lowest port of the sorted set within [lo, hi].
func firstIn(set []uint16, lo, hi int) (int, bool) {
	i, _ := slices.BinarySearch(set, uint16(lo))
	if i < len(set) && int(set[i]) <= hi {
		return int(set[i]), true
	}
	return 0, false
}
