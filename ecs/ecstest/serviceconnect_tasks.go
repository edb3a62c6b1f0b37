package ecstest

import (
	"github.com/ecscore/ecscore/ecs"
)

// Service Connect in the tasks. "When a service uses Service Connect,
// Amazon ECS automatically adds a proxy container to each task in the
// service" (the developer guide's "Configure Service Connect proxy
// container":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/configure-service-connect-proxy-container.html).
// Only the tasks of a deployment whose serviceConnectConfiguration is
// enabled get it: "Only the tasks in the new deployment use the Service
// Connect proxy that is added to these new tasks" (the developer guide's
// "Amazon ECS Service Connect components":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
//
// DescribeTasks shows it as ECS does in its answers (the developer guide
// does not spell these out): a container named ecs-service-connect- and
// five letters or digits, after the task definition's containers, with no
// image and no container-level cpu or memory, and an attachment of type
// ServiceConnect (the API reference's Attachment.type lists "Service
// Connect" among the types), ATTACHED, whose detail ContainerName names
// that container. The proxy's resources come out of the task's: the task's
// cpu and memory stay the task definition's, and nothing more is reserved
// on the instance.

// attachmentServiceConnect is the type of a task's Service Connect
// attachment, as DescribeTasks writes it.
const attachmentServiceConnect = "ServiceConnect"

// serviceConnectOf returns the Service Connect configuration of tk's
// deployment, nil when it has none or it is not enabled.
func serviceConnectOf(tk *task) *ecs.ServiceConnectConfiguration {
	if tk.svc == nil {
		return nil
	}
	info := tk.svc.info()
	for i := range info.Deployments {
		d := &info.Deployments[i]
		if d.ID == tk.t.StartedBy {
			if sc := d.ServiceConnectConfiguration; sc != nil && sc.Enabled {
				return sc
			}
			return nil
		}
	}
	return nil
}

// addServiceConnect adds the Service Connect proxy container and
// attachment to a new task of a deployment with Service Connect, on the
// task's network interface eni (none outside awsvpc). e.mu must be held.
func (e *ECS) addServiceConnect(tk *task, eni ecs.NetworkInterface) {
	if serviceConnectOf(tk) == nil {
		return
	}
	name := "ecs-service-connect-" + e.shortName(e.ids.next("service-connect"))
	c := ecs.Container{
		ContainerARN: e.arns.container(tk.cl.info.ClusterName, e.ids.next("container")),
		TaskARN:      tk.t.TaskARN,
		Name:         name,
		LastStatus:   ecs.TaskStatusPending,
		HealthStatus: ecs.HealthStatusUnknown,
	}
	if eni.AttachmentID != "" {
		c.NetworkInterfaces = []ecs.NetworkInterface{eni}
	}
	tk.t.Containers = append(tk.t.Containers, c)
	tk.t.Attachments = append(tk.t.Attachments, ecs.Attachment{
		ID:      uuid(e.ids.next("attachment")),
		Type:    attachmentServiceConnect,
		Status:  "ATTACHED",
		Details: []ecs.KeyValuePair{{Name: "ContainerName", Value: name}},
	})
}

// shortName returns five letters or digits derived from the hex digits
// hex (at least ten).
func (e *ECS) shortName(hex string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var out [5]byte
	for i := range out {
		v := 0
		for _, h := range hex[2*i : 2*i+2] {
			v <<= 4
			switch {
			case h >= '0' && h <= '9':
				v |= int(h - '0')
			default:
				v |= int(h-'a') + 10
			}
		}
		out[i] = alphabet[v%len(alphabet)]
	}
	return string(out[:])
}
