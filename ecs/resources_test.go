package ecs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestTaskResources(t *testing.T) {
	container := func(cpu int, mem, res *int, ports ...PortMapping) ContainerDefinition {
		return ContainerDefinition{Name: "c", CPU: cpu, Memory: mem, MemoryReservation: res, PortMappings: ports}
	}
	port := func(container, host int, proto TransportProtocol) PortMapping {
		pm := PortMapping{ContainerPort: ptr(container), Protocol: proto}
		if host >= 0 {
			pm.HostPort = ptr(host)
		}
		return pm
	}
	tests := []struct {
		name string
		td   TaskDefinition
		want Resources
	}{
		{
			name: "container sums, memoryReservation before memory",
			td: TaskDefinition{ContainerDefinitions: []ContainerDefinition{
				container(256, ptr(512), ptr(128)),
				container(512, ptr(256), nil),
			}},
			want: Resources{CPU: 768, MemoryMiB: 384},
		},
		{
			name: "memoryReservation 0 reserves memory, as the agent does",
			td: TaskDefinition{ContainerDefinitions: []ContainerDefinition{
				container(0, ptr(512), ptr(0)),
				container(0, nil, ptr(64)),
			}},
			want: Resources{MemoryMiB: 576},
		},
		{
			name: "task-level values win over container sums",
			td: TaskDefinition{CPU: "1 vCPU", Memory: "2GB", ContainerDefinitions: []ContainerDefinition{
				container(256, ptr(512), nil),
			}},
			want: Resources{CPU: 1024, MemoryMiB: 2048},
		},
		{
			name: "bridge: static host ports by protocol, dynamic ones not counted",
			td: TaskDefinition{NetworkMode: NetworkModeBridge, ContainerDefinitions: []ContainerDefinition{
				container(0, ptr(64), nil,
					port(80, 8080, ""), port(53, 53, TransportProtocolUDP), port(443, 0, TransportProtocolTCP), port(9000, -1, "")),
			}},
			want: Resources{MemoryMiB: 64, PortsTCP: []int{8080}, PortsUDP: []int{53}},
		},
		{
			name: "host: hostPort is containerPort",
			td: TaskDefinition{NetworkMode: NetworkModeHost, ContainerDefinitions: []ContainerDefinition{
				container(0, ptr(64), nil, port(9090, -1, ""), port(80, 80, "")),
			}},
			want: Resources{MemoryMiB: 64, PortsTCP: []int{80, 9090}},
		},
		{
			name: "awsvpc: no host ports, one ENI",
			td: TaskDefinition{NetworkMode: NetworkModeAwsvpc, ContainerDefinitions: []ContainerDefinition{
				container(0, ptr(64), nil, port(80, 80, "")),
			}},
			want: Resources{MemoryMiB: 64, ENIs: 1},
		},
		{
			name: "GPUs from resourceRequirements",
			td: TaskDefinition{ContainerDefinitions: []ContainerDefinition{
				{Name: "a", ResourceRequirements: []ResourceRequirement{{Type: ResourceTypeGPU, Value: "2"}}},
				{Name: "b", ResourceRequirements: []ResourceRequirement{{Type: ResourceTypeGPU, Value: "1"}}},
			}},
			want: Resources{GPUs: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TaskResources(&tt.td)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	_, err := TaskResources(&TaskDefinition{CPU: "lots"})
	require.ErrorIs(t, err, ErrUnitForm)
}

func TestParseResourcesSmallCluster(t *testing.T) {
	cis, _, err := DecodeContainerInstances(readTestdata(t, "describe-container-instances-small-cluster.json"))
	require.NoError(t, err)
	reg, err := ParseResources(cis[0].RegisteredResources)
	require.NoError(t, err)
	rem, err := ParseResources(cis[0].RemainingResources)
	require.NoError(t, err)
	require.Equal(t, Resources{CPU: 2048, MemoryMiB: 7680, PortsTCP: []int{22, 2375, 2376, 51678, 51679}, PortsUDP: []int{}}, reg)
	require.Equal(t, []int{22, 80, 2375, 2376, 51678, 51679}, rem.PortsTCP)
	require.Equal(t, 1536, rem.CPU)

	back, err := ParseResources(reg.ResourceList())
	require.NoError(t, err)
	require.Equal(t, reg, back)

	_, err = ParseResources([]Resource{{Name: ResourcePorts, StringSetValue: []string{"http"}}})
	require.Error(t, err)
}
