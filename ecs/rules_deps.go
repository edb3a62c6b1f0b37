package ecs

import "strings"

// checkDependsOn checks rule 25 for one container's dependencies: both
// members set, the target a container of the task and not the container
// itself, HEALTHY only on a target with a health check, COMPLETE and
// SUCCESS only on a non-essential target.
func (v *validator) checkDependsOn(i int, c *ContainerDefinition) {
	for j, d := range c.DependsOn {
		switch {
		case d.Condition == "":
			v.fail(celem(i, "dependsOn", j, "condition"), codeDependsOnCondition, "A dependency of container "+quote(c.Name)+" has no condition; use START, COMPLETE, SUCCESS or HEALTHY.", "")
		case !d.Condition.Known():
			v.fail(celem(i, "dependsOn", j, "condition"), codeDependsOnCondition, "Dependency condition "+quote(string(d.Condition))+" of container "+quote(c.Name)+" is not one of START, COMPLETE, SUCCESS or HEALTHY.", "")
		}
		if d.ContainerName == "" {
			v.fail(celem(i, "dependsOn", j, "containerName"), codeDependsOnName, "A dependency of container "+quote(c.Name)+" has no containerName.", "")
			continue
		}
		t := v.containerIndex(d.ContainerName)
		switch {
		case t < 0:
			v.fail(celem(i, "dependsOn", j, "containerName"), codeDependsOnUnknown, "Container "+quote(c.Name)+" depends on "+quote(d.ContainerName)+", which is not a container of the task.", "Cannot depend on container + '"+d.ContainerName+"' because it does not exist")
		case t == i:
			v.fail(celem(i, "dependsOn", j, "containerName"), codeDependsOnSelf, "Container "+quote(c.Name)+" depends on itself.", "")
		default:
			v.checkDependencyTarget(i, j, c, d, &v.td.ContainerDefinitions[t])
		}
	}
}

func (v *validator) checkDependencyTarget(i, j int, c *ContainerDefinition, d ContainerDependency, target *ContainerDefinition) {
	switch d.Condition {
	case ContainerConditionHealthy:
		if target.HealthCheck == nil {
			v.fail(celem(i, "dependsOn", j, "condition"), codeDependsOnHealthy, "Container "+quote(c.Name)+" waits for "+quote(target.Name)+" to be HEALTHY, but "+quote(target.Name)+" has no healthCheck.", "")
		}
	case ContainerConditionComplete, ContainerConditionSuccess:
		if isEssential(target) {
			v.fail(celem(i, "dependsOn", j, "condition"), codeDependsOnEssential, "Container "+quote(c.Name)+" waits for "+quote(target.Name)+" to "+string(d.Condition)+", but "+quote(target.Name)+" is essential; COMPLETE and SUCCESS need a non-essential target.", "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container")
		}
	}
}

// checkLinks checks rule 28 for one container: the form of each link, its
// target, and the network mode.
func (v *validator) checkLinks(i int, c *ContainerDefinition) {
	if len(c.Links) == 0 {
		return
	}
	if v.mode != NetworkModeBridge {
		api := ""
		if v.mode == NetworkModeAwsvpc {
			api = "Links are not supported when networkMode=awsvpc."
		}
		v.fail(cpath(i, "links"), codeLinksNetworkMode, "Container "+quote(c.Name)+" has links, which work only in bridge mode, not "+string(v.mode)+".", api)
	}
	for j, l := range c.Links {
		name, ok := parseLink(l)
		switch {
		case !ok:
			v.fail(celem(i, "links", j, ""), codeLinksForm, "Link "+quote(l)+" of container "+quote(c.Name)+" is not NAME or NAME:ALIAS of letters, digits, underscores and hyphens, up to 255 characters.", "")
		case v.containerIndex(name) < 0:
			v.fail(celem(i, "links", j, ""), codeLinksUnknown, "Container "+quote(c.Name)+" links to "+quote(name)+", which is not a container of the task.", "")
		}
	}
}

// checkDependencyCycles reports each dependsOn cycle once, at the
// dependency that closes it. Self-dependencies are reported by
// checkDependsOn.
func (v *validator) checkDependencyCycles() {
	cds := v.td.ContainerDefinitions
	if !anyContainer(cds, func(c *ContainerDefinition) bool { return len(c.DependsOn) > 0 }) {
		return
	}
	next := func(u, j int) (int, bool) {
		deps := cds[u].DependsOn
		if j >= len(deps) {
			return 0, false
		}
		t := v.containerIndex(deps[j].ContainerName)
		if t == u || deps[j].ContainerName == "" {
			t = -1
		}
		return t, true
	}
	findCycles(len(cds), next, func(u, j int, cycle []int) {
		v.fail(celem(u, "dependsOn", j, "containerName"), codeDependsOnCycle, "Container dependencies form a cycle: "+cycleNames(cds, cycle)+".", "")
	})
}

// checkLinkCycles reports each cycle of links once, a link to the
// container itself included.
func (v *validator) checkLinkCycles() {
	cds := v.td.ContainerDefinitions
	if !anyContainer(cds, func(c *ContainerDefinition) bool { return len(c.Links) > 0 }) {
		return
	}
	next := func(u, j int) (int, bool) {
		links := cds[u].Links
		if j >= len(links) {
			return 0, false
		}
		name, ok := parseLink(links[j])
		if !ok {
			return -1, true
		}
		return v.containerIndex(name), true
	}
	findCycles(len(cds), next, func(u, j int, cycle []int) {
		v.fail(celem(u, "links", j, ""), codeLinksCycle, "Container links form a cycle: "+cycleNames(cds, cycle)+".", "Container links should not have a cycle")
	})
}

func anyContainer(cds []ContainerDefinition, f func(*ContainerDefinition) bool) bool {
	for i := range cds {
		if f(&cds[i]) {
			return true
		}
	}
	return false
}

// findCycles walks the graph whose edges next gives (the j-th edge of u,
// -1 for an edge to skip; false past the last) depth first, and calls
// report for every edge that closes a cycle, with the cycle's nodes from
// the edge's target to u. The cycle slice is valid only during the call.
// Each node's place on the path is kept, so that a cycle costs nothing to
// find: the walk is linear in the graph's size.
func findCycles(n int, next func(u, j int) (int, bool), report func(u, j int, cycle []int)) {
	const notOnPath = -1
	// at[u] is u's index in path while u is on it, notOnPath when it has
	// not been reached or is done (done[u]).
	at := make([]int, n)
	for u := range at {
		at[u] = notOnPath
	}
	done := make([]bool, n)
	var path []int
	var visit func(u int)
	visit = func(u int) {
		at[u] = len(path)
		path = append(path, u)
		for j := 0; ; j++ {
			t, ok := next(u, j)
			if !ok {
				break
			}
			switch {
			case t < 0 || done[t]:
			case at[t] != notOnPath:
				report(u, j, path[at[t]:])
			default:
				visit(t)
			}
		}
		path = path[:len(path)-1]
		at[u], done[u] = notOnPath, true
	}
	for u := 0; u < n; u++ {
		if !done[u] {
			visit(u)
		}
	}
}

// maxCycleNames bounds the names a cycle's message lists, so that the
// messages of a large task definition stay linear in its size.
const maxCycleNames = 10

// cycleNames names the containers of cycle and then its first again, as
// "a" -> "b" -> "a". A cycle of more than maxCycleNames containers is
// shortened in the middle.
func cycleNames(cds []ContainerDefinition, cycle []int) string {
	var b strings.Builder
	name := func(u int) {
		if b.Len() > 0 {
			b.WriteString(" -> ")
		}
		b.WriteString(quote(cds[u].Name))
	}
	if len(cycle) <= maxCycleNames {
		for _, u := range cycle {
			name(u)
		}
	} else {
		for _, u := range cycle[:maxCycleNames-1] {
			name(u)
		}
		b.WriteString(" -> ... " + itoa(len(cycle)-maxCycleNames) + " more")
		name(cycle[len(cycle)-1])
	}
	name(cycle[0])
	return b.String()
}
