package ecs

import "testing"

func TestPortRules(t *testing.T) { runRuleCases(t, portRuleCases()) }

func withPorts(mode NetworkMode, pms ...PortMapping) func(td *TaskDefinition) {
	return func(td *TaskDefinition) {
		td.NetworkMode = mode
		container0(td).PortMappings = pms
	}
}

func port(cp int) PortMapping { return PortMapping{ContainerPort: vInt(cp)} }
func hostPort(cp, hp int) PortMapping {
	return PortMapping{ContainerPort: vInt(cp), HostPort: vInt(hp)}
}
func udpPort(cp int) PortMapping {
	return PortMapping{ContainerPort: vInt(cp), Protocol: TransportProtocolUDP}
}
func portRange(r string) PortMapping { return PortMapping{ContainerPortRange: r} }
func mapping(j int, member string) string {
	return "containerDefinitions[0].portMappings[" + itoa(j) + "]" + member
}

// portRuleCases covers rules 44 to 47, 58 and 70 to 72.
func portRuleCases() []ruleCase {
	return []ruleCase{
		{name: "container ports missing or out of range", rule: 44, lt: onEC2,
			edit: withPorts(NetworkModeBridge, PortMapping{}, port(0), port(65536), port(65535)),
			want: []wantFinding{wantErr(codeContainerPort, mapping(0, ".containerPort")), wantErr(codeContainerPort, mapping(1, ".containerPort")),
				wantErr(codeContainerPort, mapping(2, ".containerPort"))}},
		{name: "host ports out of range", rule: 44, lt: onEC2, edit: withPorts(NetworkModeBridge, hostPort(80, -1), hostPort(81, 65536), hostPort(82, 0)),
			want: []wantFinding{wantErr(codeHostPort, mapping(0, ".hostPort")), wantErr(codeHostPort, mapping(1, ".hostPort"))}},
		{name: "protocol, name and app protocol", rule: 44, lt: onAll, edit: withPorts(NetworkModeAwsvpc,
			PortMapping{ContainerPort: vInt(80), Protocol: "sctp", Name: "Web", AppProtocol: "tcp"},
			PortMapping{ContainerPort: vInt(81), Name: "-web"},
			PortMapping{ContainerPort: vInt(82), Name: "web_82-tcp", AppProtocol: ApplicationProtocolGrpc, Protocol: TransportProtocolTCP}),
			want: []wantFinding{wantErr(codeProtocol, mapping(0, ".protocol")), wantErr(codePortName, mapping(0, ".name")),
				wantErr(codeAppProtocol, mapping(0, ".appProtocol")), wantErr(codePortName, mapping(1, ".name"))}},
		{name: "same port for tcp and udp", rule: 45, lt: onAll, edit: withPorts(NetworkModeAwsvpc, port(53), udpPort(53)),
			want: []wantFinding{wantWarn(codePortProtocols, mapping(1, ""))}},
		{name: "same port for tcp and udp, then for udp again", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge, port(53), udpPort(53), udpPort(53)),
			want: []wantFinding{wantWarn(codePortProtocols, mapping(1, "")), wantErr(codePortDuplicate, mapping(2, ".containerPort"))}},
		{name: "udp range over udp and tcp ports", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge,
			port(150), udpPort(150), PortMapping{ContainerPortRange: "100-200", Protocol: TransportProtocolUDP}),
			want: []wantFinding{wantWarn(codePortProtocols, mapping(1, "")), wantErr(codeRangeOverlap, mapping(2, ".containerPortRange"))}},
		{name: "udp range over udp and tcp ports among many", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge,
			port(150), udpPort(150), PortMapping{ContainerPortRange: "100-200", Protocol: TransportProtocolUDP},
			port(1000), port(1001), port(1002), port(1003), port(1004), port(1005), port(1006)),
			want: []wantFinding{wantWarn(codePortProtocols, mapping(1, "")), wantErr(codeRangeOverlap, mapping(2, ".containerPortRange"))}},
		{name: "same port twice", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge, port(80), hostPort(80, 8080)),
			want: []wantFinding{wantErr(codePortDuplicate, mapping(1, ".containerPort"))}},
		{name: "same port twice among many", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge,
			port(1), port(2), port(3), port(4), port(5), port(6), port(7), port(8), port(9), port(4), udpPort(9), portRange("100-200"), portRange("150-160")),
			want: []wantFinding{wantErr(codePortDuplicate, mapping(9, ".containerPort")), wantWarn(codePortProtocols, mapping(10, "")),
				wantErr(codeRangeOverlap, mapping(12, ".containerPortRange"))}},
		{name: "port ranges in bridge and awsvpc", rule: 46, lt: []Compatibility{CompatibilityEC2, CompatibilityFargate},
			edit: withPorts(NetworkModeAwsvpc, portRange("8000-8100"), portRange("9000-9001"), port(80))},
		{name: "port range forms", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge, portRange("8100-8000"), portRange("0-10"),
			portRange("8000"), portRange("1-65536"), portRange("5-5")),
			want: []wantFinding{wantErr(codeRangeForm, mapping(0, ".containerPortRange")), wantErr(codeRangeForm, mapping(1, ".containerPortRange")),
				wantErr(codeRangeForm, mapping(2, ".containerPortRange")), wantErr(codeRangeForm, mapping(3, ".containerPortRange")),
				wantErr(codeRangeForm, mapping(4, ".containerPortRange"))}},
		{name: "port range in host mode", rule: 46, lt: onEC2, edit: withPorts(NetworkModeHost, portRange("8000-8100")),
			want: []wantFinding{wantErr(codeRangeNetworkMode, mapping(0, ".containerPortRange"))}},
		{name: "port range with a host port", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge, PortMapping{ContainerPortRange: "8000-8100", HostPort: vInt(8000)}),
			want: []wantFinding{wantErr(codeRangeHostPort, mapping(0, ".hostPort"))}},
		{name: "overlapping port ranges", rule: 46, lt: onEC2, edit: withPorts(NetworkModeBridge, portRange("8000-8100"), portRange("8050-8200"), port(8150)),
			want: []wantFinding{wantErr(codeRangeOverlap, mapping(1, ".containerPortRange")), wantErr(codeRangeOverlap, mapping(2, ".containerPort"))}},
		{name: "101 port ranges", rule: 46, lt: onEC2, edit: func(td *TaskDefinition) {
			withPorts(NetworkModeBridge)(td)
			for k := range 101 {
				first := 1000 + 10*k
				container0(td).PortMappings = append(container0(td).PortMappings, portRange(itoa(first)+"-"+itoa(first+1)))
			}
		}, want: []wantFinding{wantErr(codeRangeTooMany, "containerDefinitions[0].portMappings")}},
		{name: "host port equal to container port", rule: 58, lt: onAll, edit: withPorts(NetworkModeAwsvpc, hostPort(80, 80))},
		{name: "awsvpc host port differs", rule: 58, lt: onFargate, edit: withPorts(NetworkModeAwsvpc, hostPort(80, 8080), hostPort(81, 0)),
			want: []wantFinding{wantErr(codeHostPortMismatch, mapping(0, ".hostPort")), wantErr(codeHostPortMismatch, mapping(1, ".hostPort"))}},
		{name: "port mappings in none mode", rule: 70, lt: onEC2, edit: withPorts(NetworkModeNone, port(80)),
			want: []wantFinding{wantErr(codePortsModeNone, "containerDefinitions[0].portMappings")}},
		{name: "none mode without port mappings", rule: 70, lt: onEC2, edit: withPorts(NetworkModeNone)},
		{name: "host mode host port differs", rule: 71, lt: onEC2, edit: withPorts(NetworkModeHost, hostPort(80, 8080)),
			want: []wantFinding{wantErr(codeHostPortMismatch, mapping(0, ".hostPort"))}},
		{name: "host port bound twice in host mode", rule: 71, lt: onEC2, edit: func(td *TaskDefinition) {
			withPorts(NetworkModeHost, port(80))(td)
			s := sidecar("admin")
			s.PortMappings = []PortMapping{hostPort(80, 80), udpPort(81)}
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{wantErr(codeHostPortDuplicate, "containerDefinitions[1].portMappings[0].hostPort")}},
		{name: "host port bound twice in bridge mode", rule: 71, lt: onEC2, edit: func(td *TaskDefinition) {
			withPorts(NetworkModeBridge, hostPort(80, 8080), hostPort(81, 8081), port(82))(td)
			s := sidecar("admin")
			s.PortMappings = []PortMapping{hostPort(80, 8080), port(90)}
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{wantErr(codeHostPortDuplicate, "containerDefinitions[1].portMappings[0].hostPort")}},
		{name: "bridge host port differs", rule: 73, lt: onEC2, edit: withPorts(NetworkModeBridge, hostPort(80, 8080))},
		{name: "awsvpc container port twice in the task", rule: 72, lt: onFargate, edit: func(td *TaskDefinition) {
			s := sidecar("admin")
			s.PortMappings = []PortMapping{port(80)}
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{wantErr(codeHostPortDuplicate, "containerDefinitions[1].portMappings[0].containerPort")}},
		{name: "Windows on Fargate maps port 3150", rule: 47, lt: onFargate, edit: func(td *TaskDefinition) {
			windowsTD(td)
			container0(td).PortMappings = []PortMapping{port(3150), port(3151)}
			s := sidecar("ranges")
			s.PortMappings = []PortMapping{portRange("3000-3200")}
			td.ContainerDefinitions = append(td.ContainerDefinitions, s)
		}, want: []wantFinding{wantErr(codeFargateWindowsPort, mapping(0, "")), wantErr(codeFargateWindowsPort, "containerDefinitions[1].portMappings[0]")}},
		{name: "Windows on EC2 maps port 3150", rule: 47, lt: onEC2, edit: func(td *TaskDefinition) {
			windowsTD(td)
			td.CPU, td.Memory = "", ""
			c := container0(td)
			c.Memory, c.PortMappings = vInt(512), []PortMapping{port(3150)}
		}},
	}
}
