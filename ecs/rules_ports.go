package ecs

import (
	"cmp"
	"slices"
)

// Port limits (rules 44 and 46).
const (
	maxPort             = 65535
	maxPortRanges       = 100
	pairwisePortLimit   = 8
	protocolNumberTCP   = 0
	protocolNumberUDP   = 1
	protocolNumberCount = 2
)

// checkPortMappings checks rules 44 to 46, 58 and 70 to 72 for one
// container's port mappings.
func (v *validator) checkPortMappings(i int, c *ContainerDefinition) {
	pms := c.PortMappings
	if len(pms) == 0 {
		return
	}
	if v.mode == NetworkModeNone {
		v.fail(cpath(i, "portMappings"), codePortsModeNone, "Container "+quote(c.Name)+" has port mappings, which network mode none does not allow.", "")
		return
	}
	ranges := 0
	for j := range pms {
		pm := &pms[j]
		v.checkPortMappingMembers(i, j, c, pm)
		if pm.ContainerPortRange != "" {
			ranges++
			v.checkPortRange(i, j, c, pm)
			continue
		}
		v.checkPorts(i, j, c, pm)
	}
	if ranges > maxPortRanges {
		v.fail(cpath(i, "portMappings"), codeRangeTooMany, "Container "+quote(c.Name)+" has "+itoa(ranges)+" port ranges; at most 100 are allowed.", "")
	}
	if len(pms) > 1 {
		v.checkPortOverlaps(i, c)
	}
}

// mappingPath is the path of member of port mapping j of container i.
func mappingPath(i, j int, member string) string {
	return celem(i, "portMappings", j, member)
}

func (v *validator) checkPortMappingMembers(i, j int, c *ContainerDefinition, pm *PortMapping) {
	if pm.Protocol != "" && !pm.Protocol.Known() {
		v.fail(mappingPath(i, j, "protocol"), codeProtocol, "Protocol "+quote(string(pm.Protocol))+" of a port mapping of container "+quote(c.Name)+" is not tcp or udp.", "")
	}
	if pm.Name != "" && !isPortMappingName(pm.Name) {
		v.fail(mappingPath(i, j, "name"), codePortName, "Port mapping name "+quote(pm.Name)+" must be up to 64 lowercase letters, digits, underscores and hyphens, not starting with a hyphen.", "")
	}
	if pm.AppProtocol != "" && !pm.AppProtocol.Known() {
		v.fail(mappingPath(i, j, "appProtocol"), codeAppProtocol, "Application protocol "+quote(string(pm.AppProtocol))+" is not one of http, http2 or grpc.", "")
	}
}

// checkPorts checks a single-port mapping: the container port, the host
// port's range, and in host and awsvpc mode that they match.
func (v *validator) checkPorts(i, j int, c *ContainerDefinition, pm *PortMapping) {
	cp := intOr0(pm.ContainerPort)
	if pm.ContainerPort == nil || cp < 1 || cp > maxPort {
		what := "no containerPort"
		if pm.ContainerPort != nil {
			what = "containerPort " + itoa(cp)
		}
		v.fail(mappingPath(i, j, "containerPort"), codeContainerPort, "A port mapping of container "+quote(c.Name)+" has "+what+"; it needs a container port from 1 to 65535 or a containerPortRange.", "Invalid 'containerPort' setting for container '"+c.Name+"'.")
	}
	if pm.HostPort == nil {
		return
	}
	hp := *pm.HostPort
	switch {
	case hp < 0 || hp > maxPort:
		v.fail(mappingPath(i, j, "hostPort"), codeHostPort, "Host port "+itoa(hp)+" of container "+quote(c.Name)+" is outside 0 to 65535.", "")
	case (v.mode == NetworkModeHost || v.mode == NetworkModeAwsvpc) && hp != cp:
		api := ""
		if v.mode == NetworkModeAwsvpc {
			api = "When networkMode=awsvpc, the host ports and container ports in port mappings must match."
		}
		v.fail(mappingPath(i, j, "hostPort"), codeHostPortMismatch, "Host port "+itoa(hp)+" of container "+quote(c.Name)+" differs from container port "+itoa(cp)+"; in "+string(v.mode)+" mode the host port must be omitted or equal to the container port.", api)
	}
}

// checkPortRange checks a containerPortRange mapping (rule 46).
func (v *validator) checkPortRange(i, j int, c *ContainerDefinition, pm *PortMapping) {
	if _, _, ok := parsePortRange(pm.ContainerPortRange); !ok {
		v.fail(mappingPath(i, j, "containerPortRange"), codeRangeForm, "Container port range "+quote(pm.ContainerPortRange)+" of container "+quote(c.Name)+" is not FIRST-LAST with 1 <= FIRST < LAST <= 65535.", "")
	}
	if v.mode != NetworkModeBridge && v.mode != NetworkModeAwsvpc {
		v.fail(mappingPath(i, j, "containerPortRange"), codeRangeNetworkMode, "Container "+quote(c.Name)+" has a port range, which only bridge and awsvpc modes allow, not "+string(v.mode)+".", "")
	}
	if pm.HostPort != nil {
		v.fail(mappingPath(i, j, "hostPort"), codeRangeHostPort, "A port range mapping of container "+quote(c.Name)+" sets hostPort; leave it out, ECS sets the host ports of a range.", "")
	}
}

// portSpan is the ports one mapping takes, for finding overlaps.
type portSpan struct {
	first, last int
	proto       int
	index       int // of the mapping in the container
	isRange     bool
}

func mappingSpan(pm *PortMapping, j int) (portSpan, bool) {
	s := portSpan{proto: protocolNumber(pm.Protocol), index: j}
	if pm.ContainerPortRange != "" {
		first, last, ok := parsePortRange(pm.ContainerPortRange)
		s.first, s.last, s.isRange = first, last, true
		return s, ok
	}
	if pm.ContainerPort == nil || *pm.ContainerPort < 1 || *pm.ContainerPort > maxPort {
		return s, false
	}
	s.first, s.last = *pm.ContainerPort, *pm.ContainerPort
	return s, true
}

func protocolNumber(p TransportProtocol) int {
	if p == TransportProtocolUDP {
		return protocolNumberUDP
	}
	return protocolNumberTCP
}

// checkPortOverlaps reports a mapping whose ports another mapping of the
// container already takes (rules 45 and 46), once per mapping. An overlap
// with a mapping of the same protocol (an error) is reported in preference
// to one with a mapping of the other protocol (a warning).
func (v *validator) checkPortOverlaps(i int, c *ContainerDefinition) {
	pms := c.PortMappings
	if len(pms) <= pairwisePortLimit {
		for k := 1; k < len(pms); k++ {
			b, ok := mappingSpan(&pms[k], k)
			if !ok {
				continue
			}
			// other is the first overlap of b's protocol, else the first of
			// the other protocol.
			var other portSpan
			found, same := false, false
			for j := 0; j < k && !same; j++ {
				a, okA := mappingSpan(&pms[j], j)
				if !okA || a.first > b.last || b.first > a.last {
					continue
				}
				if same = a.proto == b.proto; same || !found {
					other, found = a, true
				}
			}
			if found {
				v.reportOverlap(i, c, other, b)
			}
		}
		return
	}
	v.sweepPortOverlaps(i, c)
}

// sweepPortOverlaps is checkPortOverlaps for many mappings: sorted by
// first port, a span overlaps an earlier one when it starts at or before
// the furthest end seen so far. Each mapping is reported once, after the
// sweep, for an overlap of its own protocol when it has one.
func (v *validator) sweepPortOverlaps(i int, c *ContainerDefinition) {
	spans := make([]portSpan, 0, len(c.PortMappings))
	for j := range c.PortMappings {
		if s, ok := mappingSpan(&c.PortMappings[j], j); ok {
			spans = append(spans, s)
		}
	}
	slices.SortFunc(spans, func(a, b portSpan) int {
		return cmp.Or(cmp.Compare(a.first, b.first), cmp.Compare(a.index, b.index))
	})
	type overlap struct {
		a, b portSpan
		set  bool
	}
	found := make([]overlap, len(c.PortMappings)) // by the later mapping's index
	var furthest [protocolNumberCount]portSpan
	var seen [protocolNumberCount]bool
	for _, s := range spans {
		for p := range furthest {
			if !seen[p] || furthest[p].last < s.first {
				continue
			}
			a, b := furthest[p], s
			if a.index > b.index {
				a, b = b, a
			}
			if o := &found[b.index]; !o.set || o.a.proto != b.proto && a.proto == b.proto {
				*o = overlap{a: a, b: b, set: true}
			}
		}
		if !seen[s.proto] || s.last > furthest[s.proto].last {
			furthest[s.proto], seen[s.proto] = s, true
		}
	}
	for _, o := range found {
		if o.set {
			v.reportOverlap(i, c, o.a, o.b)
		}
	}
}

// reportOverlap reports mapping b, which takes ports that the earlier
// mapping a takes.
func (v *validator) reportOverlap(i int, c *ContainerDefinition, a, b portSpan) {
	switch {
	case a.proto != b.proto:
		v.warn(mappingPath(i, b.index, ""), codePortProtocols, "Port mappings "+itoa(a.index)+" and "+itoa(b.index)+" of container "+quote(c.Name)+" expose the same container port for tcp and udp; the API documentation says this is an error, ECS registers it, and services may reject it.")
	case a.isRange || b.isRange:
		member := "containerPort"
		if b.isRange {
			member = "containerPortRange"
		}
		v.fail(mappingPath(i, b.index, member), codeRangeOverlap, "Port mapping "+itoa(b.index)+" of container "+quote(c.Name)+" overlaps the ports of mapping "+itoa(a.index)+"; port ranges may not overlap.", "")
	default:
		v.fail(mappingPath(i, b.index, "containerPort"), codePortDuplicate, "Container port "+itoa(b.first)+" of container "+quote(c.Name)+" is already mapped by port mapping "+itoa(a.index)+".", "Container port "+itoa(b.first)+" is used in more than one port mapping for container "+c.Name)
	}
}

// hostBinding is one static host port a task binds.
type hostBinding struct {
	port, proto    int
	container, idx int
	containerPort  int
}

// checkHostPortsUnique reports a static host port that the task binds
// twice (rules 71 and 77: a host port serves one mapping).
func (v *validator) checkHostPortsUnique() {
	if v.mode == NetworkModeNone || !v.hasSeveralMappings() {
		return
	}
	var bs []hostBinding
	for i := range v.td.ContainerDefinitions {
		for j := range v.td.ContainerDefinitions[i].PortMappings {
			if b, ok := v.binding(i, j); ok {
				bs = append(bs, b)
			}
		}
	}
	slices.SortStableFunc(bs, func(a, b hostBinding) int {
		return cmp.Or(cmp.Compare(a.proto, b.proto), cmp.Compare(a.port, b.port))
	})
	for k := 1; k < len(bs); k++ {
		a, b := bs[k-1], bs[k]
		if a.proto != b.proto || a.port != b.port || a.container == b.container && a.containerPort == b.containerPort {
			continue
		}
		v.reportHostPort(b)
	}
}

func (v *validator) hasSeveralMappings() bool {
	n := 0
	for i := range v.td.ContainerDefinitions {
		n += len(v.td.ContainerDefinitions[i].PortMappings)
	}
	return n > 1
}

// binding returns the static host port of mapping j of container i: its
// hostPort above 0, or in host and awsvpc mode its container port.
func (v *validator) binding(i, j int) (hostBinding, bool) {
	pm := &v.td.ContainerDefinitions[i].PortMappings[j]
	if pm.ContainerPortRange != "" {
		return hostBinding{}, false
	}
	b := hostBinding{proto: protocolNumber(pm.Protocol), container: i, idx: j, containerPort: intOr0(pm.ContainerPort)}
	switch {
	case pm.HostPort != nil && *pm.HostPort > 0:
		b.port = *pm.HostPort
	case v.mode == NetworkModeHost || v.mode == NetworkModeAwsvpc:
		b.port = b.containerPort
	}
	return b, b.port > 0 && b.port <= maxPort
}

func (v *validator) reportHostPort(b hostBinding) {
	c := &v.td.ContainerDefinitions[b.container]
	path := mappingPath(b.container, b.idx, "containerPort")
	if c.PortMappings[b.idx].HostPort != nil {
		path = mappingPath(b.container, b.idx, "hostPort")
	}
	proto := "TCP"
	if b.proto == protocolNumberUDP {
		proto = "UDP"
	}
	v.fail(path, codeHostPortDuplicate, proto+" host port "+itoa(b.port)+" of container "+quote(c.Name)+" is already bound by another port mapping of the task.", proto+" host port '"+itoa(b.port)+"' is mapped multiple times in task.")
}
