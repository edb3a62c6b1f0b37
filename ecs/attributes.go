package ecs

import (
	"slices"
	"strings"
)

// Attribute names the agent advertises and ECS requires of an instance for
// a task definition's features (rule 55; the agent's agent_capability.go).
const (
	capabilityPrefix        = "com.amazonaws.ecs.capability."
	AttrTaskENI             = "ecs.capability.task-eni"
	AttrTaskENITrunking     = "ecs.capability.task-eni-trunking"
	AttrExternal            = "ecs.capability.external"
	AttrHealthCheck         = "ecs.capability.container-health-check"
	AttrContainerOrdering   = "ecs.capability.container-ordering"
	AttrExecRoleAwslogs     = "ecs.capability.execution-role-awslogs"
	AttrExecRoleECRPull     = "ecs.capability.execution-role-ecr-pull"
	AttrEFS                 = "ecs.capability.efs"
	AttrContainerPortRange  = "ecs.capability.network.container-port-range"
	AttrSecretsSSMEnv       = "ecs.capability.secrets.ssm.environment-variables"
	AttrSecretsASMEnv       = "ecs.capability.secrets.asm.environment-variables"
	AttrPrivileged          = capabilityPrefix + "privileged-container"
	AttrTaskIAMRole         = capabilityPrefix + "task-iam-role"
	AttrTaskIAMRoleHost     = capabilityPrefix + "task-iam-role-network-host"
	AttrECRAuth             = capabilityPrefix + "ecr-auth"
	AttrLoggingDriverPrefix = capabilityPrefix + "logging-driver."
	AttrVolumeDriverPrefix  = "ecs.capability.docker-volume-driver."
	AttrAvailabilityZone    = "ecs.availability-zone"
	AttrInstanceType        = "ecs.instance-type"
	AttrOSType              = "ecs.os-type"
	AttrOSFamily            = "ecs.os-family"
	AttrCPUArchitecture     = "ecs.cpu-architecture"
)

// RequiredAttributes derives the instance attributes a task definition needs
// from the features it uses, as ECS fills requiresAttributes at
// registration: the task ENI for awsvpc, each log driver, privileged
// containers, task and execution roles, ECR images, health checks,
// container ordering, secrets, EFS volumes, volume drivers and container
// port ranges. The Docker remote API versions that ECS also lists are left
// out: every supported agent advertises all of them. The result is sorted.
//
// A nil td requires nothing.
func RequiredAttributes(td *TaskDefinition) []Attribute {
	if td == nil {
		return nil
	}
	set := map[string]bool{}
	add := func(name string) { set[name] = true }
	if td.NetworkMode == NetworkModeAwsvpc {
		add(AttrTaskENI)
	}
	if td.TaskRoleARN != "" {
		if td.NetworkMode == NetworkModeHost {
			add(AttrTaskIAMRoleHost)
		} else {
			add(AttrTaskIAMRole)
		}
	}
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		containerAttributes(td, c, add)
	}
	for _, v := range td.Volumes {
		if v.EFSVolumeConfiguration != nil {
			add(AttrEFS)
		}
		if d := v.DockerVolumeConfiguration; d != nil && d.Driver != "" && d.Driver != "local" {
			add(AttrVolumeDriverPrefix + d.Driver)
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	slices.Sort(names)
	attrs := make([]Attribute, len(names))
	for i, n := range names {
		attrs[i] = Attribute{Name: n}
	}
	return attrs
}

func containerAttributes(td *TaskDefinition, c *ContainerDefinition, add func(string)) {
	if lc := c.LogConfiguration; lc != nil && lc.LogDriver != "" {
		add(AttrLoggingDriverPrefix + string(lc.LogDriver))
		if lc.LogDriver == LogDriverAwslogs && td.ExecutionRoleARN != "" {
			add(AttrExecRoleAwslogs)
		}
	}
	if c.Privileged != nil && *c.Privileged {
		add(AttrPrivileged)
	}
	if isECRImage(c.Image) {
		if td.ExecutionRoleARN != "" {
			add(AttrExecRoleECRPull)
		} else {
			add(AttrECRAuth)
		}
	}
	if c.HealthCheck != nil {
		add(AttrHealthCheck)
	}
	if len(c.DependsOn) > 0 {
		add(AttrContainerOrdering)
	}
	for _, s := range c.Secrets {
		if strings.Contains(s.ValueFrom, ":secretsmanager:") {
			add(AttrSecretsASMEnv)
		} else {
			add(AttrSecretsSSMEnv)
		}
	}
	for _, pm := range c.PortMappings {
		if pm.ContainerPortRange != "" {
			add(AttrContainerPortRange)
		}
	}
}

// isECRImage reports whether an image is in an Amazon ECR registry
// (ACCOUNT.dkr.ecr.REGION.amazonaws.com/...).
func isECRImage(image string) bool {
	host, _, ok := strings.Cut(image, "/")
	return ok && strings.Contains(host, ".dkr.ecr.") && strings.Contains(host, ".amazonaws.com")
}
