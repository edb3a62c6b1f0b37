package ecstest

import (
	"context"
	"maps"
	"slices"

	"github.com/ecscore/ecscore/ecs"
)

// ListServicesByNamespace lists the ACTIVE services of every cluster of the
// Region whose Service Connect configuration (that of their PRIMARY
// deployment) is enabled in the namespace req names, by the name or ARN
// the services and clusters give it. A namespace that no cluster has as
// its default and no service uses is a NamespaceNotFoundException: ecstest
// knows the Cloud Map namespaces only so.
func (e *ECS) ListServicesByNamespace(ctx context.Context, req *ecs.ListServicesByNamespaceRequest) (*ecs.ListServicesByNamespaceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil || req.Namespace == "" {
		return nil, invalidParameter("namespace is required.")
	}
	p, err := readPage("ListServicesByNamespace", req.MaxResults, req.NextToken)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	arns, known := []string{}, false
	for _, name := range slices.Sorted(maps.Keys(e.clusters)) {
		cl := e.clusters[name]
		if d := cl.info.ServiceConnectDefaults; d != nil && d.Namespace == req.Namespace && cl.info.Status == statusActive {
			known = true
		}
		for _, s := range cl.services {
			info := s.info()
			if info.Status == serviceActive && len(info.Deployments) > 0 {
				if sc := info.Deployments[0].ServiceConnectConfiguration; sc != nil && sc.Enabled && sc.Namespace == req.Namespace {
					arns = append(arns, info.ServiceARN)
				}
			}
		}
	}
	e.mu.Unlock()
	if len(arns) == 0 && !known {
		return nil, apiErrorf(ecs.NamespaceNotFoundException, ecs.ErrNotFound, "Namespace %s was not found.", req.Namespace)
	}
	slices.Sort(arns)
	pg, next := page(p, arns, func(s string) string { return s }, false)
	return &ecs.ListServicesByNamespaceResponse{ServiceARNs: pg, NextToken: next}, nil
}
