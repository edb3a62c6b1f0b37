package ecstest

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/ecscore/ecscore/ecs"
)

// Express Gateway services (ECS Express Mode), as
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html
// describes what ECS creates for one: in the cluster (the default one,
// made with the FARGATE capacity provider when it does not exist), a
// Fargate task definition of the primary container (awsvpc, Linux,
// X86_64, logs to CloudWatch) and a service that runs it behind an
// Application Load Balancer with canary deployments (5 % of the traffic,
// 3 minutes' bake time, then 3 minutes' bake time: express-service-update-full)
// and Application Auto Scaling (a scalable target and a target tracking
// policy); the load balancer, its HTTPS listener and rule, two target
// groups, security groups, certificate, metric alarm and log group are
// recorded, as ECS names them, in the service revision's
// ecsManagedResources (DescribeServiceRevisions). The ECS service is an
// ordinary one: DescribeServices, ListServices and the scheduler see it.
// The load balancer's target groups are simulated target groups
// (targets.go).

// Express Mode's defaults (express-service-work, the API reference of
// CreateExpressGatewayService and ExpressGatewayScalingTarget).
const (
	expressCPU             = "1024" // the developer guide's task definition default (the API reference says 256)
	expressMemory          = "2048" // the developer guide's (the API reference says 512)
	expressContainerPort   = 80
	expressHealthCheckPath = "/ping"
	expressTargetValue     = 60
	expressMetric          = ecs.ExpressGatewayServiceScalingMetricAverageCPU
	expressLogStreamPrefix = "ecs"
	expressContainerName   = "Main"
	// The task counts of a scaling target that gives none: ECS documents
	// none, these are ecstest's.
	expressMinTasks = 1
	expressMaxTasks = 20
	// The canary deployment of express-service-update-full.
	expressCanaryPercent = 5
	expressBakeMinutes   = 3
)

// expressService is an Express Gateway service: the ECS service it runs
// and what ECS made for it.
type expressService struct {
	svc       *service
	infraRole string
	tags      []ecs.Tag
	createdAt ecs.Time
	updatedAt ecs.Time
	// configs are its configurations, the newest last, each with the
	// task definition it registered: the newest and those whose
	// revisions still run in an ACTIVE or PRIMARY deployment of svc (the
	// API reference's activeConfigurations, "the list of active service
	// configurations"), so that they do not grow with every update.
	configs []expressConfig
	res     *ecs.ECSManagedResources
	// updating serialises UpdateExpressGatewayService on this service:
	// each update reads the newest configuration, deploys it changed and
	// records it, and a second one in between would lose the first's
	// changes.
	updating sync.Mutex
}

type expressConfig struct {
	cfg ecs.ExpressGatewayServiceConfiguration
	td  string
}

var expressNameChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// CreateExpressGatewayService creates an Express Gateway service: the
// task definition, the ECS service and its managed resources, with
// Express Mode's defaults for what the request leaves out. It refuses a
// request without executionRoleArn, infrastructureRoleArn or
// primaryContainer.image (InvalidParameterException), a cluster that does
// not exist (ClusterNotFoundException; the default cluster is made), a
// name in use, and CPU and memory Fargate has no size for.
func (e *ECS) CreateExpressGatewayService(ctx context.Context, req *ecs.CreateExpressGatewayServiceRequest) (*ecs.CreateExpressGatewayServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil {
		req = &ecs.CreateExpressGatewayServiceRequest{}
	}
	cfg := ecs.ExpressGatewayServiceConfiguration{
		ExecutionRoleARN: req.ExecutionRoleARN, TaskRoleARN: req.TaskRoleARN, CPU: req.CPU, Memory: req.Memory,
		NetworkConfiguration: deepCopy(req.NetworkConfiguration), HealthCheckPath: req.HealthCheckPath,
		PrimaryContainer: deepCopy(req.PrimaryContainer), ScalingTarget: deepCopy(req.ScalingTarget),
	}
	if err := checkRole("infrastructureRoleArn", req.InfrastructureRoleARN); err != nil {
		return nil, err
	}
	if err := checkTags(req.Tags); err != nil {
		return nil, err
	}
	if err := e.expressDefaults(&cfg); err != nil {
		return nil, err
	}
	name := req.ServiceName
	if name == "" {
		name = e.expressName(cfg.PrimaryContainer.Image)
	}
	cluster, undo, err := e.expressCluster(ctx, req.Cluster, name)
	if err != nil {
		return nil, err
	}
	td, err := e.registry.Register(expressTaskDefinition(e.arns.region, name, cluster, &cfg), nil)
	if err != nil {
		undo()
		return nil, err
	}
	e.mu.Lock()
	res := e.expressResources(cluster, name, &cfg)
	e.mu.Unlock()
	desired := *cfg.ScalingTarget.MinTaskCount
	lb := res.IngressPaths[0]
	_, err = e.CreateService(ctx, &ecs.CreateServiceRequest{
		Cluster: cluster, ServiceName: name, TaskDefinition: td.TaskDefinitionARN, DesiredCount: &desired,
		LaunchType: ecs.LaunchTypeFargate, Tags: req.Tags, PropagateTags: ecs.PropagateTagsService,
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: cfg.NetworkConfiguration.Subnets, SecurityGroups: cfg.NetworkConfiguration.SecurityGroups}},
		LoadBalancers: []ecs.LoadBalancer{{
			TargetGroupARN: lb.TargetGroups[0].ARN, ContainerName: expressContainerName, ContainerPort: cfg.PrimaryContainer.ContainerPort,
			AdvancedConfiguration: &ecs.AdvancedConfiguration{AlternateTargetGroupARN: lb.TargetGroups[1].ARN,
				ProductionListenerRule: lb.Rule.ARN, RoleARN: req.InfrastructureRoleARN},
		}},
		DeploymentConfiguration: &ecs.DeploymentConfiguration{
			Strategy:            ecs.DeploymentStrategyCanary,
			BakeTimeInMinutes:   ptrTo(expressBakeMinutes),
			CanaryConfiguration: &ecs.CanaryConfiguration{CanaryPercent: expressCanaryPercent, CanaryBakeTimeInMinutes: expressBakeMinutes},
		},
	})
	if err != nil {
		e.registry.Deregister(td.TaskDefinitionARN) // nothing else was made
		undo()
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(cluster)
	if err != nil { // deleted since: the service went with it
		return nil, err
	}
	s := cl.services[name]
	now := ecs.NewTime(e.clock.Now())
	x := &expressService{svc: s, infraRole: req.InfrastructureRoleARN, tags: slices.Clone(req.Tags), createdAt: now, updatedAt: now, res: res}
	x.configs = []expressConfig{{cfg: cfg, td: td.TaskDefinitionARN}}
	if e.express == nil {
		e.express = map[string]*expressService{}
	}
	e.express[s.info().ServiceARN] = x
	return &ecs.CreateExpressGatewayServiceResponse{Service: e.describeExpress(x, true)}, nil
}

// checkRole checks that arn, the member field, is an IAM role's ARN.
func checkRole(field, arn string) error {
	switch {
	case arn == "":
		return invalidParameter("%s is required.", field)
	case !strings.HasPrefix(arn, "arn:aws") || !strings.Contains(arn, ":iam::") || !strings.Contains(arn, ":role/"):
		return invalidParameter("%s %q is not the ARN of an IAM role.", field, arn)
	}
	return nil
}

// expressDefaults checks a configuration and fills what it leaves out
// with Express Mode's defaults.
func (e *ECS) expressDefaults(cfg *ecs.ExpressGatewayServiceConfiguration) error {
	if err := checkRole("executionRoleArn", cfg.ExecutionRoleARN); err != nil {
		return err
	}
	if cfg.TaskRoleARN != "" {
		if err := checkRole("taskRoleArn", cfg.TaskRoleARN); err != nil {
			return err
		}
	}
	pc := cfg.PrimaryContainer
	switch {
	case pc == nil || pc.Image == "":
		return invalidParameter("primaryContainer.image is required.")
	case pc.ContainerPort != nil && (*pc.ContainerPort < 1 || *pc.ContainerPort > 65535):
		return invalidParameter("primaryContainer.containerPort %d is not a port: it must be 1 to 65535.", *pc.ContainerPort)
	case cfg.HealthCheckPath != "" && !strings.HasPrefix(cfg.HealthCheckPath, "/"):
		return invalidParameter("healthCheckPath %q must start with a forward slash.", cfg.HealthCheckPath)
	}
	if pc.ContainerPort == nil {
		pc.ContainerPort = ptrTo(expressContainerPort)
	}
	if cfg.HealthCheckPath == "" {
		cfg.HealthCheckPath = expressHealthCheckPath
	}
	if cfg.CPU == "" {
		cfg.CPU = expressCPU
	}
	if cfg.Memory == "" {
		cfg.Memory = expressMemory
	}
	if cfg.NetworkConfiguration == nil {
		cfg.NetworkConfiguration = &ecs.ExpressGatewayServiceNetworkConfiguration{}
	}
	if len(cfg.NetworkConfiguration.Subnets) == 0 { // the default VPC's, one per zone
		e.mu.Lock()
		for range 3 {
			cfg.NetworkConfiguration.Subnets = append(cfg.NetworkConfiguration.Subnets, "subnet-"+e.ids.next("default-subnet")[:17])
		}
		e.mu.Unlock()
	}
	return checkScaling(cfg)
}

// checkScaling checks a configuration's scaling target and fills its
// defaults.
func checkScaling(cfg *ecs.ExpressGatewayServiceConfiguration) error {
	if cfg.ScalingTarget == nil {
		cfg.ScalingTarget = &ecs.ExpressGatewayScalingTarget{}
	}
	st := cfg.ScalingTarget
	if st.MinTaskCount == nil {
		st.MinTaskCount = ptrTo(min(expressMinTasks, derefOr(st.MaxTaskCount, expressMinTasks)))
	}
	if st.MaxTaskCount == nil {
		st.MaxTaskCount = ptrTo(max(expressMaxTasks, *st.MinTaskCount))
	}
	if st.AutoScalingMetric == "" {
		st.AutoScalingMetric = expressMetric
	}
	if st.AutoScalingTargetValue == nil {
		st.AutoScalingTargetValue = ptrTo(expressTargetValue)
	}
	switch {
	case *st.MinTaskCount < 0:
		return invalidParameter("scalingTarget.minTaskCount %d must be 0 or more.", *st.MinTaskCount)
	case *st.MaxTaskCount < *st.MinTaskCount:
		return invalidParameter("scalingTarget.maxTaskCount %d is less than minTaskCount %d.", *st.MaxTaskCount, *st.MinTaskCount)
	case *st.AutoScalingTargetValue <= 0:
		return invalidParameter("scalingTarget.autoScalingTargetValue %d must be more than 0.", *st.AutoScalingTargetValue)
	case !st.AutoScalingMetric.Known():
		return invalidParameter("scalingTarget.autoScalingMetric %q is not valid: use AVERAGE_CPU, AVERAGE_MEMORY or REQUEST_COUNT_PER_TARGET.", st.AutoScalingMetric)
	}
	return nil
}

func derefOr(p *int, d int) int {
	if p == nil {
		return d
	}
	return *p
}

// expressName makes a service name from an image: its repository's last
// part and a suffix, as ECS names a service it is given no name for.
func (e *ECS) expressName(image string) string {
	base := image[strings.LastIndex(image, "/")+1:]
	if i := strings.IndexAny(base, ":@"); i >= 0 {
		base = base[:i]
	}
	base = expressNameChars.ReplaceAllString(base, "-")
	if base == "" {
		base = "express"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return base + "-" + e.ids.next("express-name")[:8]
}

// expressCluster returns the name of the cluster an Express service goes
// to, making the default cluster (with FARGATE) when it does not exist,
// and checks that the name is free there. undo removes the default
// cluster again if this call made it and nothing has used it since: a
// refused create leaves no cluster behind.
func (e *ECS) expressCluster(ctx context.Context, ref, name string) (cluster string, undo func(), err error) {
	undo = func() {}
	e.mu.Lock()
	prev := e.clusters[defaultCluster]
	_, err = e.activeCluster(ref)
	e.mu.Unlock()
	if err != nil && (ref == "" || ref == defaultCluster) {
		if _, err := e.createCluster(ctx, ecs.Cluster{ClusterName: defaultCluster, CapacityProviders: []string{"FARGATE"}}); err != nil {
			return "", undo, err
		}
		e.mu.Lock()
		made := e.clusters[defaultCluster]
		e.mu.Unlock()
		if made != prev {
			undo = func() { e.unmakeCluster(made, prev) }
		}
	} else if err != nil {
		return "", undo, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	cl, err := e.activeCluster(ref)
	if err != nil {
		return "", undo, err
	}
	if old := cl.services[name]; old != nil && old.info().Status != serviceInactive {
		return "", undo, invalidParameter("Creation of service was not idempotent: service %s exists in cluster %s.", name, cl.info.ClusterName)
	}
	return cl.info.ClusterName, undo, nil
}

// unmakeCluster puts back prev (nil or an INACTIVE cluster) in place of
// made, a cluster just made, if made is still there and holds no
// service, task or container instance (another caller may have used it
// since; then it stays).
func (e *ECS) unmakeCluster(made, prev *cluster) {
	e.mu.Lock()
	defer e.mu.Unlock()
	name := made.info.ClusterName
	if e.clusters[name] != made || len(made.services) > 0 || len(made.tasks) > 0 || len(made.instances) > 0 {
		return
	}
	e.associate(made, nil)
	if prev == nil {
		delete(e.clusters, name)
		return
	}
	e.clusters[name] = prev
}

// expressTaskDefinition is the task definition of a configuration, as
// Express Mode makes it.
func expressTaskDefinition(region, name, cluster string, cfg *ecs.ExpressGatewayServiceConfiguration) *ecs.TaskDefinition {
	pc := cfg.PrimaryContainer
	logs := pc.AwsLogsConfiguration
	if logs == nil {
		logs = &ecs.ExpressGatewayServiceAwsLogsConfiguration{LogGroup: expressLogGroup(cluster, name), LogStreamPrefix: expressLogStreamPrefix}
	}
	cd := ecs.ContainerDefinition{
		Name: expressContainerName, Image: pc.Image, Essential: ptrTo(true), Command: slices.Clone(pc.Command),
		Environment: slices.Clone(pc.Environment), Secrets: slices.Clone(pc.Secrets),
		PortMappings: []ecs.PortMapping{{ContainerPort: pc.ContainerPort, Protocol: ecs.TransportProtocolTCP}},
		LogConfiguration: &ecs.LogConfiguration{LogDriver: ecs.LogDriverAwslogs, Options: map[string]string{
			"awslogs-group": logs.LogGroup, "awslogs-region": region, "awslogs-stream-prefix": logs.LogStreamPrefix, "awslogs-create-group": "true"}},
	}
	if rc := pc.RepositoryCredentials; rc != nil && rc.CredentialsParameter != "" {
		cd.RepositoryCredentials = &ecs.RepositoryCredentials{CredentialsParameter: rc.CredentialsParameter}
	}
	return &ecs.TaskDefinition{
		Family: name, NetworkMode: ecs.NetworkModeAwsvpc, CPU: cfg.CPU, Memory: cfg.Memory,
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		RuntimePlatform:         &ecs.RuntimePlatform{OperatingSystemFamily: ecs.OSFamilyLinux, CPUArchitecture: ecs.CPUArchitectureX86_64},
		ExecutionRoleARN:        cfg.ExecutionRoleARN, TaskRoleARN: cfg.TaskRoleARN,
		ContainerDefinitions: []ecs.ContainerDefinition{cd},
	}
}

func expressLogGroup(cluster, name string) string { return "/aws/ecs/" + cluster + "/" + name }

// expressResources names the resources ECS makes for an Express service,
// ACTIVE now, and puts its two target groups (production and alternate)
// in the simulated load balancing. e.mu must be held.
func (e *ECS) expressResources(cluster, name string, cfg *ecs.ExpressGatewayServiceConfiguration) *ecs.ECSManagedResources {
	now := ecs.NewTime(e.clock.Now())
	region, acct := e.arns.region, e.arns.account
	elb := "arn:aws:elasticloadbalancing:" + region + ":" + acct + ":"
	short := func(kind string, n int) string { return e.ids.next(kind)[:n] }
	lbName := "ecs-express-gateway-alb-" + short("express-alb-name", 8)
	lbPath := "app/" + lbName + "/" + short("express-alb", 16)
	listener := lbPath + "/" + short("express-listener", 16)
	sg := func() ecs.ManagedSecurityGroup {
		return ecs.ManagedSecurityGroup{ARN: "arn:aws:ec2:" + region + ":" + acct + ":security-group/sg-" + short("express-sg", 17), Status: ecs.ManagedResourceStatusActive, UpdatedAt: now}
	}
	port := *cfg.PrimaryContainer.ContainerPort
	tg := func() ecs.ManagedTargetGroup {
		return ecs.ManagedTargetGroup{ARN: elb + "targetgroup/ecs-express-tg-" + short("express-tg-name", 8) + "/" + short("express-tg", 16),
			Status: ecs.ManagedResourceStatusActive, UpdatedAt: now, HealthCheckPath: cfg.HealthCheckPath, HealthCheckPort: port, Port: port}
	}
	host := name + "-" + short("express-host", 8) + ".ecs." + region + ".on.aws"
	lbSG := sg()
	res := &ecs.ECSManagedResources{
		IngressPaths: []ecs.ManagedIngressPath{{
			AccessType: ecs.AccessTypePublic, Endpoint: "https://" + host,
			LoadBalancer: &ecs.ManagedLoadBalancer{ARN: elb + "loadbalancer/" + lbPath, Status: ecs.ManagedResourceStatusActive, UpdatedAt: now,
				Scheme: "internet-facing", SubnetIDs: slices.Clone(cfg.NetworkConfiguration.Subnets), SecurityGroupIDs: []string{lbSG.ARN[strings.LastIndex(lbSG.ARN, "/")+1:]}},
			LoadBalancerSecurityGroups: []ecs.ManagedSecurityGroup{lbSG},
			Certificate: &ecs.ManagedCertificate{ARN: "arn:aws:acm:" + region + ":" + acct + ":certificate/" + uuid(e.ids.next("express-cert")),
				Status: ecs.ManagedResourceStatusActive, UpdatedAt: now, DomainName: host},
			Listener:     &ecs.ManagedListener{ARN: elb + "listener/" + listener, Status: ecs.ManagedResourceStatusActive, UpdatedAt: now},
			Rule:         &ecs.ManagedListenerRule{ARN: elb + "listener-rule/" + listener + "/" + short("express-rule", 16), Status: ecs.ManagedResourceStatusActive, UpdatedAt: now},
			TargetGroups: []ecs.ManagedTargetGroup{tg(), tg()},
		}},
		ServiceSecurityGroups: []ecs.ManagedSecurityGroup{sg()},
		MetricAlarms: []ecs.ManagedMetricAlarm{{ARN: "arn:aws:cloudwatch:" + region + ":" + acct + ":alarm:" + name + "-rollback-alarm",
			Status: ecs.ManagedResourceStatusActive, UpdatedAt: now}},
		LogGroups: []ecs.ManagedLogGroup{{ARN: "arn:aws:logs:" + region + ":" + acct + ":log-group:" + expressLogGroup(cluster, name),
			Status: ecs.ManagedResourceStatusActive, UpdatedAt: now, LogGroupName: expressLogGroup(cluster, name)}},
	}
	if l := cfg.PrimaryContainer.AwsLogsConfiguration; l != nil {
		res.LogGroups[0].LogGroupName = l.LogGroup
		res.LogGroups[0].ARN = "arn:aws:logs:" + region + ":" + acct + ":log-group:" + l.LogGroup
	}
	e.setScaling(res, cluster, name, cfg.ScalingTarget)
	return res
}

// setScaling records the Application Auto Scaling resources of a scaling
// target: the scalable target of the service's desired count and its
// target tracking policy.
func (e *ECS) setScaling(res *ecs.ECSManagedResources, cluster, name string, st *ecs.ExpressGatewayScalingTarget) {
	now := ecs.NewTime(e.clock.Now())
	region, acct := e.arns.region, e.arns.account
	resource := "service/" + cluster + "/" + name
	metric := map[ecs.ExpressGatewayServiceScalingMetric]string{
		ecs.ExpressGatewayServiceScalingMetricAverageCPU:            "ECSServiceAverageCPUUtilization",
		ecs.ExpressGatewayServiceScalingMetricAverageMemory:         "ECSServiceAverageMemoryUtilization",
		ecs.ExpressGatewayServiceScalingMetricRequestCountPerTarget: "ALBRequestCountPerTarget",
	}[st.AutoScalingMetric]
	target := "arn:aws:application-autoscaling:" + region + ":" + acct + ":scalable-target/" + e.ids.next("express-scalable-target")[:20]
	if a := res.AutoScaling; a != nil && a.ScalableTarget != nil {
		target = a.ScalableTarget.ARN
	}
	res.AutoScaling = &ecs.ManagedAutoScaling{
		ScalableTarget: &ecs.ManagedScalableTarget{ARN: target, Status: ecs.ManagedResourceStatusActive, UpdatedAt: now,
			MinCapacity: *st.MinTaskCount, MaxCapacity: *st.MaxTaskCount},
		ApplicationAutoScalingPolicies: []ecs.ManagedApplicationAutoScalingPolicy{{
			ARN: "arn:aws:autoscaling:" + region + ":" + acct + ":scalingPolicy:" + uuid(e.ids.next("express-policy")) +
				":resource/ecs/" + resource + ":policyName/" + name + "-target-tracking",
			Status: ecs.ManagedResourceStatusActive, UpdatedAt: now, PolicyType: "TargetTrackingScaling",
			TargetValue: float64(*st.AutoScalingTargetValue), Metric: metric,
		}},
	}
}

// describeExpress returns an Express service as DescribeExpressGatewayService
// shows it: its status from its ECS service's, the current service
// deployment, and the configurations of its active deployments (their
// service revisions carrying the managed resources). e.mu must be held.
func (e *ECS) describeExpress(x *expressService, withTags bool) *ecs.ECSExpressGatewayService {
	info := e.describedService(x.svc)
	out := &ecs.ECSExpressGatewayService{
		Cluster: x.svc.cl.info.ClusterARN, ServiceName: info.ServiceName, ServiceARN: info.ServiceARN,
		InfrastructureRoleARN: x.infraRole, Status: &ecs.ExpressGatewayServiceStatus{StatusCode: ecs.ExpressGatewayServiceStatusCode(info.Status)},
		CurrentDeployment: info.CurrentServiceDeployment, CreatedAt: x.createdAt, UpdatedAt: x.updatedAt,
		ActiveConfigurations: []ecs.ExpressGatewayServiceConfiguration{},
	}
	if withTags {
		out.Tags = slices.Clone(x.tags)
	}
	if info.Status == serviceInactive {
		return out
	}
	// Those whose deployments have finished since are dropped here.
	x.configs = activeConfigs(x.configs, info.Deployments)
	h := e.serviceHistory(x.svc)
	byTD := make(map[string]int, len(x.configs))
	for i, c := range x.configs {
		byTD[c.td] = i
	}
	for k := range info.Deployments {
		d := &info.Deployments[k]
		i, ok := byTD[d.TaskDefinition]
		if !ok {
			continue
		}
		rev := e.revisionFor(h, info, d)
		rev.ECSManagedResources = deepCopy(x.res)
		cfg := *deepCopy(&x.configs[i].cfg)
		cfg.ServiceRevisionARN = rev.ServiceRevisionARN
		cfg.CreatedAt = d.CreatedAt
		for _, p := range x.res.IngressPaths {
			cfg.IngressPaths = append(cfg.IngressPaths, ecs.IngressPathSummary{AccessType: p.AccessType, Endpoint: p.Endpoint})
		}
		out.ActiveConfigurations = append(out.ActiveConfigurations, cfg)
	}
	return out
}

// expressByARN returns the Express service arn names. e.mu must be held.
func (e *ECS) expressByARN(arn string) (*expressService, error) {
	if arn == "" {
		return nil, invalidParameter("serviceArn is required.")
	}
	x := e.express[arn]
	if x == nil {
		return nil, nil
	}
	return x, nil
}

// DescribeExpressGatewayService describes the Express service
// req.ServiceArn names; tags only when include has TAGS. One that does not
// exist, or a service that is not an Express one, is a
// ResourceNotFoundException.
func (e *ECS) DescribeExpressGatewayService(ctx context.Context, req *ecs.DescribeExpressGatewayServiceRequest) (*ecs.DescribeExpressGatewayServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil {
		req = &ecs.DescribeExpressGatewayServiceRequest{}
	}
	withTags := false
	for _, inc := range req.Include {
		if inc != ecs.ExpressGatewayServiceIncludeTags {
			return nil, invalidParameter("include %q is not valid: use TAGS.", inc)
		}
		withTags = true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, err := e.expressByARN(req.ServiceARN)
	if err != nil {
		return nil, err
	}
	if x == nil {
		return nil, apiErrorf(ecs.ResourceNotFoundException, ecs.ErrNotFound, "Express service %s was not found.", req.ServiceARN)
	}
	return &ecs.DescribeExpressGatewayServiceResponse{Service: e.describeExpress(x, withTags)}, nil
}

// activeExpress returns the ACTIVE Express service arn names:
// ServiceNotFoundException when there is none, ServiceNotActiveException
// when it is being deleted or deleted. e.mu must be held.
func (e *ECS) activeExpress(arn string) (*expressService, error) {
	x, err := e.expressByARN(arn)
	switch {
	case err != nil:
		return nil, err
	case x == nil:
		return nil, apiErrorf(ecs.ServiceNotFoundException, ecs.ErrNotFound, "Express service %s was not found.", arn)
	case x.svc.info().Status != serviceActive:
		return nil, apiErrorf(ecs.ServiceNotActiveException, nil, "Express service %s is %s.", arn, x.svc.info().Status)
	}
	return x, nil
}

// UpdateExpressGatewayService changes an Express service: the members the
// request gives replace the current configuration's, a new task
// definition revision is registered and the ECS service deploys it (a
// canary deployment); a new scaling target changes the scalable target
// and keeps the desired count within it.
func (e *ECS) UpdateExpressGatewayService(ctx context.Context, req *ecs.UpdateExpressGatewayServiceRequest) (*ecs.UpdateExpressGatewayServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil {
		req = &ecs.UpdateExpressGatewayServiceRequest{}
	}
	e.mu.Lock()
	x, err := e.activeExpress(req.ServiceARN)
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	x.updating.Lock()
	defer x.updating.Unlock()
	e.mu.Lock()
	if x, err = e.activeExpress(req.ServiceARN); err != nil { // deleted while this one waited
		e.mu.Unlock()
		return nil, err
	}
	cfg := *deepCopy(&x.configs[len(x.configs)-1].cfg)
	cluster, name := x.svc.cl.info.ClusterName, x.svc.name
	desired := x.svc.info().DesiredCount
	lbs := *deepCopy(&x.svc.info().LoadBalancers)
	e.mu.Unlock()
	cfg.ServiceRevisionARN, cfg.IngressPaths, cfg.CreatedAt = "", nil, ecs.Time{}
	if req.ExecutionRoleARN != "" {
		cfg.ExecutionRoleARN = req.ExecutionRoleARN
	}
	if req.TaskRoleARN != "" {
		cfg.TaskRoleARN = req.TaskRoleARN
	}
	if req.CPU != "" {
		cfg.CPU = req.CPU
	}
	if req.Memory != "" {
		cfg.Memory = req.Memory
	}
	if req.HealthCheckPath != "" {
		cfg.HealthCheckPath = req.HealthCheckPath
	}
	if req.PrimaryContainer != nil {
		cfg.PrimaryContainer = deepCopy(req.PrimaryContainer)
	}
	if req.NetworkConfiguration != nil {
		cfg.NetworkConfiguration = deepCopy(req.NetworkConfiguration)
	}
	if req.ScalingTarget != nil {
		cfg.ScalingTarget = deepCopy(req.ScalingTarget)
	}
	if err := e.expressDefaults(&cfg); err != nil {
		return nil, err
	}
	td, err := e.registry.Register(expressTaskDefinition(e.arns.region, name, cluster, &cfg), nil)
	if err != nil {
		return nil, err
	}
	desired = min(max(desired, *cfg.ScalingTarget.MinTaskCount), *cfg.ScalingTarget.MaxTaskCount)
	// The load balancer keeps its target groups and listener rule and
	// sends to the new container port.
	for i := range lbs {
		if lbs[i].ContainerName == expressContainerName {
			lbs[i].ContainerPort = cfg.PrimaryContainer.ContainerPort
		}
	}
	_, err = e.UpdateService(ctx, &ecs.UpdateServiceRequest{Cluster: cluster, Service: name, TaskDefinition: td.TaskDefinitionARN, DesiredCount: &desired,
		NetworkConfiguration: &ecs.NetworkConfiguration{AwsvpcConfiguration: &ecs.AwsVpcConfiguration{
			Subnets: cfg.NetworkConfiguration.Subnets, SecurityGroups: cfg.NetworkConfiguration.SecurityGroups}},
		LoadBalancers: lbs})
	if err != nil {
		e.registry.Deregister(td.TaskDefinitionARN)
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x.configs = append(x.configs, expressConfig{cfg: cfg, td: td.TaskDefinitionARN})
	x.configs = activeConfigs(x.configs, x.svc.info().Deployments)
	x.updatedAt = ecs.NewTime(e.clock.Now())
	e.setScaling(x.res, cluster, name, cfg.ScalingTarget)
	for i := range x.res.IngressPaths[0].TargetGroups {
		g := &x.res.IngressPaths[0].TargetGroups[i]
		g.HealthCheckPath, g.HealthCheckPort, g.Port, g.UpdatedAt = cfg.HealthCheckPath, *cfg.PrimaryContainer.ContainerPort, *cfg.PrimaryContainer.ContainerPort, x.updatedAt
	}
	d := e.describeExpress(x, false)
	target := &cfg
	if len(d.ActiveConfigurations) > 0 {
		target = &d.ActiveConfigurations[0]
	}
	return &ecs.UpdateExpressGatewayServiceResponse{Service: &ecs.UpdatedExpressGatewayService{
		ServiceARN: d.ServiceARN, Cluster: d.Cluster, ServiceName: d.ServiceName, Status: d.Status,
		TargetConfiguration: target, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}}, nil
}

// DeleteExpressGatewayService deletes an Express service: its ECS service
// is deleted with its tasks stopped (DRAINING, then INACTIVE once they
// have), and its managed resources are DEPROVISIONING. It answers the
// service as it is then.
func (e *ECS) DeleteExpressGatewayService(ctx context.Context, req *ecs.DeleteExpressGatewayServiceRequest) (*ecs.DeleteExpressGatewayServiceResponse, error) {
	if err := checkRequest(e, req); err != nil {
		return nil, err
	}
	if req == nil {
		req = &ecs.DeleteExpressGatewayServiceRequest{}
	}
	e.mu.Lock()
	x, err := e.activeExpress(req.ServiceARN)
	var cluster, name string
	if err == nil {
		cluster, name = x.svc.cl.info.ClusterName, x.svc.name
	}
	e.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if _, err := e.DeleteService(ctx, &ecs.DeleteServiceRequest{Cluster: cluster, Service: name, Force: ptrTo(true)}); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x.updatedAt = ecs.NewTime(e.clock.Now())
	deprovision(x.res, x.updatedAt)
	return &ecs.DeleteExpressGatewayServiceResponse{Service: e.describeExpress(x, false)}, nil
}

// deprovision marks every managed resource DEPROVISIONING.
func deprovision(res *ecs.ECSManagedResources, now ecs.Time) {
	const s = ecs.ManagedResourceStatusDeprovisioning
	for i := range res.IngressPaths {
		p := &res.IngressPaths[i]
		p.LoadBalancer.Status, p.LoadBalancer.UpdatedAt = s, now
		p.Certificate.Status, p.Certificate.UpdatedAt = s, now
		p.Listener.Status, p.Listener.UpdatedAt = s, now
		p.Rule.Status, p.Rule.UpdatedAt = s, now
		for k := range p.TargetGroups {
			p.TargetGroups[k].Status, p.TargetGroups[k].UpdatedAt = s, now
		}
		for k := range p.LoadBalancerSecurityGroups {
			p.LoadBalancerSecurityGroups[k].Status, p.LoadBalancerSecurityGroups[k].UpdatedAt = s, now
		}
	}
	for k := range res.ServiceSecurityGroups {
		res.ServiceSecurityGroups[k].Status, res.ServiceSecurityGroups[k].UpdatedAt = s, now
	}
	for k := range res.MetricAlarms {
		res.MetricAlarms[k].Status, res.MetricAlarms[k].UpdatedAt = s, now
	}
	for k := range res.LogGroups {
		res.LogGroups[k].Status, res.LogGroups[k].UpdatedAt = s, now
	}
	if a := res.AutoScaling; a != nil {
		a.ScalableTarget.Status, a.ScalableTarget.UpdatedAt = s, now
		for k := range a.ApplicationAutoScalingPolicies {
			a.ApplicationAutoScalingPolicies[k].Status, a.ApplicationAutoScalingPolicies[k].UpdatedAt = s, now
		}
	}
}

// activeConfigs returns, in place, the configurations whose task
// definitions a deployment of deps runs, and the newest one.
func activeConfigs(configs []expressConfig, deps []ecs.Deployment) []expressConfig {
	running := make(map[string]bool, len(deps))
	for _, d := range deps {
		if d.Status != "INACTIVE" {
			running[d.TaskDefinition] = true
		}
	}
	last := len(configs) - 1
	out := configs[:0]
	for i, c := range configs {
		if i == last || running[c.td] {
			out = append(out, c)
		}
	}
	clear(configs[len(out):]) // let the dropped ones be collected
	return out
}
