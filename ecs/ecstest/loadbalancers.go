package ecstest

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// Load balancers, service discovery and Service Connect of a service, as
// CreateService and UpdateService check them (the API reference's
// CreateService, LoadBalancer, AdvancedConfiguration, ServiceRegistry and
// ServiceConnectConfiguration, and the developer guide's "Use load
// balancing to distribute Amazon ECS service traffic":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html).

// Service quotas of load balancing and service discovery (rule 152 of
// the service quotas page).
const (
	maxTargetGroups = 5 // target groups per service
	maxClassicLBs   = 1 // Classic Load Balancers per service
)

// checkLoadBalancing checks the load balancers and deployment strategy of svc, whose tasks run td, as ECS does, with role
// the request's role ("" when none).
func checkLoadBalancing(svc *ecs.Service, td *ecs.TaskDefinition, role string) error {
	if err := checkLoadBalancers(svc.LoadBalancers, td, svc.DeploymentConfiguration); err != nil {
		return err
	}
	if role != "" && len(svc.LoadBalancers) == 0 {
		// CreateService's role: "If you specify the role parameter, you
		// must also specify a load balancer object with the
		// loadBalancers parameter." (The role refused for awsvpc tasks
		// and service registries: checkServiceMembers.)
		return invalidParameter("role can only be specified with loadBalancers: it is the IAM role that lets Amazon ECS register the service's tasks with its load balancers.")
	}
	return checkStrategy(svc.DeploymentConfiguration)
}

// checkLoadedStrategy checks the deployment strategy of a service that
// LoadService takes as ECS shows it, and the advancedConfiguration of its
// load balancers that the strategy needs; what ECS accepted of the rest
// stands.
func checkLoadedStrategy(svc *ecs.Service) error {
	cfg := svc.DeploymentConfiguration
	shifting := cfg != nil && shiftsTraffic(cfg.Strategy)
	for i := range svc.LoadBalancers {
		if err := checkAdvanced("loadBalancers["+strconv.Itoa(i)+"]", &svc.LoadBalancers[i], shifting); err != nil {
			return err
		}
	}
	return checkStrategy(cfg)
}

// checkLoadBalancers checks a service's loadBalancers: at most five
// target groups and one Classic Load Balancer (none for awsvpc tasks);
// each names a container of td and a port it maps; each target group by
// a valid ARN; advancedConfiguration only, and always, for a BLUE_GREEN,
// LINEAR or CANARY deployment.
func checkLoadBalancers(lbs []ecs.LoadBalancer, td *ecs.TaskDefinition, cfg *ecs.DeploymentConfiguration) error {
	groups, classic := 0, 0
	shifting := cfg != nil && shiftsTraffic(cfg.Strategy)
	for i := range lbs {
		lb := &lbs[i]
		field := "loadBalancers[" + strconv.Itoa(i) + "]"
		switch {
		case lb.TargetGroupARN != "" && lb.LoadBalancerName != "":
			return invalidParameter("%s: give targetGroupArn for an Application or Network Load Balancer, or loadBalancerName for a Classic Load Balancer, not both.", field)
		case lb.TargetGroupARN != "":
			groups++
			if err := checkTargetGroupARN(field+".targetGroupArn", lb.TargetGroupARN); err != nil {
				return err
			}
		case lb.LoadBalancerName != "":
			classic++
			if td.NetworkMode == ecs.NetworkModeAwsvpc {
				return invalidParameter("%s: Classic Load Balancers are not supported with the awsvpc network mode: use an Application or Network Load Balancer's target group.", field)
			}
		default:
			return invalidParameter("%s: targetGroupArn (or loadBalancerName for a Classic Load Balancer) is required.", field)
		}
		if err := checkContainerPort(field, lb.ContainerName, lb.ContainerPort, td); err != nil {
			return err
		}
		if err := checkAdvanced(field, lb, shifting); err != nil {
			return err
		}
	}
	switch {
	case groups > maxTargetGroups:
		return invalidParameter("loadBalancers names %d target groups: a service can have at most %d.", groups, maxTargetGroups)
	case classic > maxClassicLBs:
		return invalidParameter("loadBalancers names %d Classic Load Balancers: a service can have at most %d.", classic, maxClassicLBs)
	}
	return nil
}

// checkContainerPort checks that td has a container called name that maps
// port (the container port a load balancer or service registry sends
// traffic to).
func checkContainerPort(field, name string, port *int, td *ecs.TaskDefinition) error {
	switch {
	case name == "":
		return invalidParameter("%s.containerName is required.", field)
	case port == nil:
		return invalidParameter("%s.containerPort is required.", field)
	}
	i := slices.IndexFunc(td.ContainerDefinitions, func(cd ecs.ContainerDefinition) bool { return cd.Name == name })
	if i < 0 {
		return invalidParameter("%s: the container %s does not exist in the task definition %s.", field, name, td.TaskDefinitionARN)
	}
	for _, pm := range td.ContainerDefinitions[i].PortMappings {
		if pm.ContainerPort != nil && *pm.ContainerPort == *port || inPortRange(pm.ContainerPortRange, *port) {
			return nil
		}
	}
	return invalidParameter("The container %s did not have a container port %d defined.", name, *port)
}

// inPortRange reports whether port is in a containerPortRange "a-b".
func inPortRange(r string, port int) bool {
	lo, hi, ok := strings.Cut(r, "-")
	if !ok {
		return false
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && a <= port && port <= b
}

// checkAdvanced checks a load balancer's advancedConfiguration: required
// by a deployment that shifts traffic between target groups, with the
// alternate target group, the production listener rule and the role;
// refused otherwise (the API reference's AdvancedConfiguration).
func checkAdvanced(field string, lb *ecs.LoadBalancer, shifting bool) error {
	ac := lb.AdvancedConfiguration
	switch {
	case ac == nil && shifting && lb.TargetGroupARN != "":
		return invalidParameter("%s.advancedConfiguration is required for a BLUE_GREEN, LINEAR or CANARY deployment: the alternate target group, the production listener rule and the role.", field)
	case ac == nil:
		return nil
	case !shifting:
		return invalidParameter("%s.advancedConfiguration is only valid with the deployment strategies BLUE_GREEN, LINEAR and CANARY.", field)
	case lb.TargetGroupARN == "":
		return invalidParameter("%s.advancedConfiguration needs a target group: Classic Load Balancers do not shift traffic.", field)
	case ac.AlternateTargetGroupARN == "":
		return invalidParameter("%s.advancedConfiguration.alternateTargetGroupArn is required.", field)
	case ac.AlternateTargetGroupARN == lb.TargetGroupARN:
		return invalidParameter("%s.advancedConfiguration.alternateTargetGroupArn must differ from targetGroupArn.", field)
	case ac.ProductionListenerRule == "":
		return invalidParameter("%s.advancedConfiguration.productionListenerRule is required.", field)
	case ac.RoleARN == "":
		return invalidParameter("%s.advancedConfiguration.roleArn is required: the role that lets Amazon ECS change the listener rules.", field)
	}
	if err := checkTargetGroupARN(field+".advancedConfiguration.alternateTargetGroupArn", ac.AlternateTargetGroupARN); err != nil {
		return err
	}
	for _, r := range []struct{ name, arn string }{{"productionListenerRule", ac.ProductionListenerRule}, {"testListenerRule", ac.TestListenerRule}} {
		if r.arn != "" && !isListenerARN(r.arn) {
			return invalidParameter("%s.advancedConfiguration.%s %q is not the ARN of a listener or listener rule (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/... or listener-rule/...).", field, r.name, r.arn)
		}
	}
	if !strings.HasPrefix(ac.RoleARN, "arn:aws") || !strings.Contains(ac.RoleARN, ":iam::") {
		return invalidParameter("%s.advancedConfiguration.roleArn %q is not an IAM role ARN.", field, ac.RoleARN)
	}
	return nil
}

// isListenerARN reports whether arn is an ELB listener's or listener
// rule's ARN.
func isListenerARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "elasticloadbalancing" &&
		(strings.HasPrefix(parts[5], "listener/") || strings.HasPrefix(parts[5], "listener-rule/"))
}

// checkServiceConnect checks a serviceConnectConfiguration: when enabled,
// a namespace (the cluster's default one otherwise) and, for each
// service, a portName that a port mapping of td names, and client alias
// ports from 1 to 65535 (the API reference's
// ServiceConnectConfiguration and ServiceConnectService).
func checkServiceConnect(sc *ecs.ServiceConnectConfiguration, td *ecs.TaskDefinition, clusterNamespace string) error {
	if sc == nil || !sc.Enabled {
		return nil
	}
	if sc.Namespace == "" && clusterNamespace == "" {
		return invalidParameter("serviceConnectConfiguration.namespace is required: the cluster has no default Service Connect namespace.")
	}
	if td.NetworkMode == ecs.NetworkModeHost || td.NetworkMode == ecs.NetworkModeNone {
		return invalidParameter("Service Connect does not support the %s network mode: use awsvpc or bridge.", td.NetworkMode)
	}
	for i := range sc.Services {
		s := &sc.Services[i]
		field := "serviceConnectConfiguration.services[" + strconv.Itoa(i) + "]"
		named := false
		for _, cd := range td.ContainerDefinitions {
			named = named || slices.ContainsFunc(cd.PortMappings, func(pm ecs.PortMapping) bool { return pm.Name == s.PortName })
		}
		if !named {
			return invalidParameter("%s.portName %q does not match the name of a port mapping of the task definition %s.", field, s.PortName, td.TaskDefinitionARN)
		}
		for j, a := range s.ClientAliases {
			if a.Port == nil || *a.Port < 1 || *a.Port > math.MaxUint16 {
				return invalidParameter("%s.clientAliases[%d].port is required, from 1 to 65535.", field, j)
			}
		}
	}
	return nil
}

// serviceConnectResources returns the Cloud Map services Service Connect
// makes for sc, as a deployment shows them: one per service, named by its
// discoveryName (its portName when none), in the namespace.
func (e *ECS) serviceConnectResources(sc *ecs.ServiceConnectConfiguration) []ecs.ServiceConnectServiceResource {
	if sc == nil || !sc.Enabled {
		return nil
	}
	out := make([]ecs.ServiceConnectServiceResource, 0, len(sc.Services))
	for _, s := range sc.Services {
		name := s.DiscoveryName
		if name == "" {
			name = s.PortName
		}
		out = append(out, ecs.ServiceConnectServiceResource{DiscoveryName: name,
			DiscoveryARN: "arn:aws:servicediscovery:" + e.arns.region + ":" + e.arns.account + ":service/srv-" + cloudMapID(sc.Namespace+"/"+name)})
	}
	return out
}

// cloudMapID returns a Cloud Map service ID of 16 lowercase letters and
// digits derived from name.
func cloudMapID(name string) string {
	const digits = "abcdefghijklmnopqrstuvwxyz234567"
	var h uint64 = 14695981039346656037
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	out := make([]byte, 16)
	for i := range out {
		out[i] = digits[h%32]
		h = h/32 ^ h<<59
	}
	return string(out)
}

// roleARN returns the ARN of the IAM role a request names: an ARN as it
// is, a name (or path and name) as a role of the account.
func (e *ECS) roleARN(role string) string {
	if role == "" || strings.HasPrefix(role, "arn:") {
		return role
	}
	return "arn:aws:iam::" + e.arns.account + ":role/" + strings.TrimPrefix(role, "/")
}

// clusterNamespace returns the cluster's default Service Connect
// namespace, or "".
func clusterNamespace(cl *cluster) string {
	if d := cl.info.ServiceConnectDefaults; d != nil {
		return d.Namespace
	}
	return ""
}

// connect sets the Service Connect configuration of svc's new PRIMARY
// deployment (its first) and the Cloud Map services it makes; the
// cluster's default namespace stands in for one not given. e.mu must be
// held.
func (e *ECS) connect(cl *cluster, svc *ecs.Service, sc *ecs.ServiceConnectConfiguration) {
	if sc == nil || len(svc.Deployments) == 0 {
		return
	}
	c := deepCopy(sc)
	if c.Enabled && c.Namespace == "" {
		c.Namespace = clusterNamespace(cl)
	}
	d := &svc.Deployments[0]
	d.ServiceConnectConfiguration, d.ServiceConnectResources = c, e.serviceConnectResources(c)
}

// updateLoadBalancing applies the load balancers, service registries and
// Service Connect configuration of an UpdateService request to check (the
// service after the update) and checks them with its strategy. It
// returns the Service Connect configuration of a new deployment (the
// request's, else the current one's) and whether the request changes
// what a new deployment must bring. e.mu must be held.
func (e *ECS) updateLoadBalancing(cl *cluster, check *ecs.Service, req *ecs.UpdateServiceRequest, td *ecs.TaskDefinition) (*ecs.ServiceConnectConfiguration, bool, error) {
	changed := false
	if req.LoadBalancers != nil {
		check.LoadBalancers, changed = slices.Clone(req.LoadBalancers), true
	}
	if req.ServiceRegistries != nil {
		check.ServiceRegistries, changed = slices.Clone(req.ServiceRegistries), true
	}
	sc := req.ServiceConnectConfiguration
	if sc != nil {
		changed = true
	} else if len(check.Deployments) > 0 {
		sc = primaryOf(check).ServiceConnectConfiguration
	}
	if err := checkLoadBalancing(check, td, ""); err != nil {
		return nil, false, err
	}
	if err := checkServiceConnect(sc, td, clusterNamespace(cl)); err != nil {
		return nil, false, err
	}
	return sc, changed, nil
}
