package ecstest

import (
	"slices"
	"strings"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// The rules of CreateService's and UpdateService's parameters that the
// API reference states and that no other check of ecstest covers; each
// cites the page and, where a real ECS answer is known, its message.
// Both operations take the same members, so the checks take them one by
// one rather than a request of either shape.

// maxServiceClientToken is the longest clientToken CreateService takes:
// "Up to 36 ASCII characters in the range of 33-126 (inclusive) are
// allowed." (API_CreateService.html).
const maxServiceClientToken = 36

// checkClientToken checks an idempotency token: at most max characters,
// each printable ASCII other than the space (33 to 126).
func checkClientToken(token string, most int) error {
	if len(token) > most || strings.IndexFunc(token, func(r rune) bool { return r < 33 || r > 126 }) >= 0 {
		return invalidParameter("clientToken must be up to %d ASCII characters in the range 33-126 (inclusive).", most)
	}
	return nil
}

// checkServiceMembers checks what a CreateService or UpdateService
// request gives against the task definition the service runs (nil when
// the request names none that exists, which the caller reports): the
// role, the service registries, execute command and the volumes
// configured at launch. verb is "created" or "updated", for ECS's
// message about the task role.
func checkServiceMembers(td *ecs.TaskDefinition, role string, registries []ecs.ServiceRegistry, exec bool, vols []ecs.ServiceVolumeConfiguration, verb string) error {
	if err := checkServiceRegistries(td, registries); err != nil {
		return err
	}
	if role != "" && (len(registries) > 0 || (td != nil && td.NetworkMode == ecs.NetworkModeAwsvpc)) {
		// CreateService's role: "This parameter is only permitted if
		// you are using a load balancer with your service and your task
		// definition doesn't use the awsvpc network mode." The
		// service-linked role serves awsvpc and service discovery.
		return invalidParameter("You cannot specify an IAM role for services that require a service linked role.")
	}
	if td == nil {
		return nil
	}
	if exec && td.TaskRoleARN == "" {
		// ECS Exec needs the task's IAM role (the Developer Guide's
		// ecs-exec page); ECS's answer to UpdateService.
		return invalidParameter("The service couldn't be %s because a valid taskRoleArn is not being used. Specify a valid task role in your task definition and try again.", verb)
	}
	return checkVolumeConfigurations(td, volumeNames(vols))
}

func volumeNames(vols []ecs.ServiceVolumeConfiguration) []string {
	names := make([]string, len(vols))
	for i, v := range vols {
		names[i] = v.Name
	}
	return names
}

// checkVolumeConfigurations checks that each volume configured at launch
// names a volume of td with configuredAtLaunch: ServiceVolumeConfiguration
// and TaskVolumeConfiguration's name "must match the volume name from the
// Volume object in the task definition, that was configured at launch
// time".
func checkVolumeConfigurations(td *ecs.TaskDefinition, names []string) error {
	for _, name := range names {
		i := slices.IndexFunc(td.Volumes, func(v ecs.Volume) bool { return v.Name == name })
		if i < 0 || td.Volumes[i].ConfiguredAtLaunch == nil || !*td.Volumes[i].ConfiguredAtLaunch {
			return invalidParameter("The volume %s in volumeConfigurations is not a volume of task definition %s:%d configured at launch (configuredAtLaunch).", name, td.Family, td.Revision)
		}
	}
	return nil
}

// checkServiceRegistries checks a service's service registries as the
// API reference's ServiceRegistry states them, in ECS's words: one
// registry at most (CreateService's serviceRegistries: "Multiple service
// registries for each service isn't supported."), an AWS Cloud Map
// service's ARN, a port or a container name and port but not both, the
// container name and port for the bridge and host network modes, and a
// container and port that the task definition has.
func checkServiceRegistries(td *ecs.TaskDefinition, registries []ecs.ServiceRegistry) error {
	if len(registries) > 1 {
		return invalidParameter("serviceRegistries can have at most 1 item: multiple service registries for each service isn't supported.")
	}
	for _, r := range registries {
		if !isCloudMapService(r.RegistryARN) {
			return invalidParameter("The format of the supplied service registry ARN is invalid: %s.", r.RegistryARN)
		}
		byContainer := r.ContainerName != "" || r.ContainerPort != nil
		if r.Port != nil && byContainer {
			return invalidParameter("Specify a value for either 'port' or the 'containerName' and 'containerPort' combination, but not both. Remove one and retry.")
		}
		if td == nil {
			continue
		}
		if (td.NetworkMode == ecs.NetworkModeBridge || td.NetworkMode == ecs.NetworkModeHost || td.NetworkMode == "") &&
			(r.ContainerName == "" || r.ContainerPort == nil) {
			return invalidParameter("When specifying 'host' or 'bridge' for networkMode, values for 'containerName' and 'containerPort' must be specified from the task definition. Registry: %s", r.RegistryARN)
		}
		if byContainer {
			if err := checkRegistryContainer(td, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRegistryContainer checks that the container a registry names is
// one of td's and maps the port it names.
func checkRegistryContainer(td *ecs.TaskDefinition, r ecs.ServiceRegistry) error {
	i := slices.IndexFunc(td.ContainerDefinitions, func(c ecs.ContainerDefinition) bool { return c.Name == r.ContainerName })
	if i < 0 {
		return invalidParameter("The container %s named by the service registry %s is not a container of the task definition.", r.ContainerName, r.RegistryARN)
	}
	if r.ContainerPort == nil {
		return invalidParameter("The service registry %s names container %s without its containerPort: specify both or neither.", r.RegistryARN, r.ContainerName)
	}
	for _, pm := range td.ContainerDefinitions[i].PortMappings {
		if pm.ContainerPort != nil && *pm.ContainerPort == *r.ContainerPort {
			return nil
		}
	}
	return invalidParameter("The container %s has no port mapping for containerPort %d, which the service registry %s names.", r.ContainerName, *r.ContainerPort, r.RegistryARN)
}

// isCloudMapService reports whether arn names an AWS Cloud Map service
// (arn:<partition>:servicediscovery:<region>:<account>:service/<id>),
// the only registry ECS takes.
func isCloudMapService(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == "servicediscovery" &&
		strings.HasPrefix(parts[5], "service/") && len(parts[5]) > len("service/")
}

// checkCreateService checks CreateService's members that the checks of
// CreateService itself leave: clientToken, and the members checked
// against the task definition (checkServiceMembers).
func (e *ECS) checkCreateService(req *ecs.CreateServiceRequest) error {
	if err := checkClientToken(req.ClientToken, maxServiceClientToken); err != nil {
		return err
	}
	td, err := e.registry.Describe(req.TaskDefinition)
	if err != nil {
		td = nil // CreateService reports it
	}
	if req.Role != "" && (targetGroups(req.LoadBalancers) > 1 ||
		(req.DeploymentController != nil && req.DeploymentController.Type == ecs.DeploymentControllerTypeExternal)) {
		// CreateService's role: the service-linked role is required for
		// "an external deployment controller, multiple target groups";
		// ECS's answer: github.com/aws/containers-roadmap/issues/461.
		return invalidParameter("You cannot specify an IAM role for services that require a service linked role.")
	}
	return checkServiceMembers(td, req.Role, req.ServiceRegistries, req.EnableExecuteCommand, req.VolumeConfigurations, "created")
}

// targetGroups counts the target groups of lbs.
func targetGroups(lbs []ecs.LoadBalancer) int {
	n := 0
	for _, lb := range lbs {
		if lb.TargetGroupARN != "" {
			n++
		}
	}
	return n
}

// checkUpdateService checks UpdateService's members against the service
// as the update leaves it (svc, its launch resolved) and the task
// definition it runs: the platform version and placement strategies for
// its launch type, and the members checkServiceMembers checks. Execute
// command is checked when the request turns it on.
func checkUpdateService(req *ecs.UpdateServiceRequest, svc *ecs.Service, td *ecs.TaskDefinition) error {
	lt := svc.LaunchType
	if lt == "" {
		lt = ecs.LaunchTypeEC2
		if capacity.StrategyIsFargate(svc.CapacityProviderStrategy) {
			lt = ecs.LaunchTypeFargate
		}
	}
	if err := checkPlatformVersion(lt, req.PlatformVersion); err != nil {
		return err
	}
	if lt == ecs.LaunchTypeFargate && len(req.PlacementStrategy) > 0 {
		return invalidParameter("Placement strategies are not supported with the FARGATE launch type.")
	}
	exec := req.EnableExecuteCommand != nil && *req.EnableExecuteCommand
	return checkServiceMembers(td, "", req.ServiceRegistries, exec, req.VolumeConfigurations, "updated")
}
