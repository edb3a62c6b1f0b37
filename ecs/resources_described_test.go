package ecs

import (
	"reflect"
	"testing"
)

func TestDescribedTaskResources(t *testing.T) {
	port := func(p int) *int { return &p }
	for name, tc := range map[string]struct {
		task    Task
		want    Resources
		wantErr bool
	}{
		"task level": {task: Task{CPU: "512", Memory: "1024",
			Containers: []Container{{Name: "a", CPU: "100", Memory: "200"}}},
			want: Resources{CPU: 512, MemoryMiB: 1024}},
		"zero task level sums containers": {task: Task{CPU: "0", Memory: "0",
			Containers: []Container{{Name: "a", CPU: "100", Memory: "200", MemoryReservation: "50"}, {Name: "b", CPU: "10", Memory: "30"}}},
			want: Resources{CPU: 110, MemoryMiB: 80}},
		"reservation 0 takes memory": {task: Task{
			Containers: []Container{{Name: "a", Memory: "200", MemoryReservation: "0"}}},
			want: Resources{MemoryMiB: 200}},
		"ports and GPUs": {task: Task{CPU: "256", Memory: "512", Containers: []Container{
			{Name: "a", GPUIDs: []string{"gpu-0", "gpu-1"}, NetworkBindings: []NetworkBinding{
				{HostPort: port(80)}, {HostPort: port(53), Protocol: TransportProtocolUDP}, {HostPort: port(50000)}, {HostPort: port(80)}}},
			{Name: "b", GPUIDs: []string{"gpu-1"}, NetworkBindings: []NetworkBinding{{HostPortRange: "9000-9001"}, {HostPort: port(443)}}}}},
			want: Resources{CPU: 256, MemoryMiB: 512, GPUs: 2, PortsTCP: []int{80, 443, 50000}, PortsUDP: []int{53}}},
		"awsvpc": {task: Task{CPU: "256", Memory: "512", Attachments: []Attachment{{Type: "ElasticNetworkInterface"}},
			Containers: []Container{{Name: "a", NetworkBindings: []NetworkBinding{{HostPort: port(80)}}}}},
			want: Resources{CPU: 256, MemoryMiB: 512, ENIs: 1}},
		"bad container cpu": {task: Task{Containers: []Container{{Name: "a", CPU: "x"}}}, wantErr: true},
		"bad task memory":   {task: Task{Memory: "lots"}, wantErr: true},
	} {
		got, err := DescribedTaskResources(&tc.task)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: error %v, want error %v", name, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", name, got, tc.want)
		}
	}
}

func TestTaskDefinitionFromTask(t *testing.T) {
	port := func(p int) *int { return &p }
	task := &Task{Containers: []Container{{Name: "a", Image: "img", CPU: "100", Memory: "256", NetworkBindings: []NetworkBinding{
		{ContainerPort: port(8080), HostPort: port(80)}, {ContainerPort: port(8080), HostPort: port(80)},
		{ContainerPort: port(9090), HostPort: port(50000)}}}}}
	td := TaskDefinitionFromTask(task, func(p int) bool { return p >= 49153 })
	if td.NetworkMode != NetworkModeBridge || len(td.ContainerDefinitions) != 1 {
		t.Fatalf("got %+v", td)
	}
	cd := td.ContainerDefinitions[0]
	if cd.Name != "a" || cd.Image != "img" || cd.CPU != 100 || cd.Memory == nil || *cd.Memory != 256 {
		t.Errorf("container %+v", cd)
	}
	if len(cd.PortMappings) != 2 || *cd.PortMappings[0].HostPort != 80 || cd.PortMappings[1].HostPort != nil {
		t.Errorf("port mappings %+v", cd.PortMappings)
	}
	task.Attachments = []Attachment{{Type: "eni"}}
	td = TaskDefinitionFromTask(task, nil)
	if td.NetworkMode != NetworkModeAwsvpc || td.ContainerDefinitions[0].PortMappings != nil {
		t.Errorf("awsvpc: got %+v", td)
	}
}

func TestResourcesArithmetic(t *testing.T) {
	a := Resources{CPU: 1024, MemoryMiB: 2048, GPUs: 2, ENIs: 3, PortsTCP: []int{22, 80}, PortsUDP: []int{53}}
	b := Resources{CPU: 256, MemoryMiB: 512, GPUs: 1, ENIs: 1, PortsTCP: []int{80, 443}}
	sum := a.Add(b)
	if want := (Resources{CPU: 1280, MemoryMiB: 2560, GPUs: 3, ENIs: 4, PortsTCP: []int{22, 80, 443}, PortsUDP: []int{53}}); !reflect.DeepEqual(sum, want) {
		t.Errorf("Add = %+v, want %+v", sum, want)
	}
	diff := a.Sub(b)
	if want := (Resources{CPU: 768, MemoryMiB: 1536, GPUs: 1, ENIs: 2, PortsTCP: []int{22}, PortsUDP: []int{53}}); !reflect.DeepEqual(diff, want) {
		t.Errorf("Sub = %+v, want %+v", diff, want)
	}
	if got := sum.Sub(b); got.CPU != a.CPU || got.MemoryMiB != a.MemoryMiB || got.GPUs != a.GPUs || got.ENIs != a.ENIs {
		t.Errorf("Add then Sub = %+v, want the numbers of %+v", got, a)
	}
	for name, tc := range map[string]struct {
		demand Resources
		want   bool
	}{
		"none":       {Resources{}, true},
		"all of it":  {Resources{CPU: 1024, MemoryMiB: 2048, GPUs: 2, ENIs: 3}, true},
		"cpu":        {Resources{CPU: 1025}, false},
		"memory":     {Resources{MemoryMiB: 2049}, false},
		"gpus":       {Resources{GPUs: 3}, false},
		"enis":       {Resources{ENIs: 4}, false},
		"taken port": {Resources{PortsTCP: []int{80}}, false},
		"free port":  {Resources{PortsTCP: []int{8080}, PortsUDP: []int{80}}, true},
		"taken udp":  {Resources{PortsUDP: []int{53}}, false},
	} {
		if got := a.Fits(tc.demand); got != tc.want {
			t.Errorf("Fits %s = %v, want %v", name, got, tc.want)
		}
	}
}
