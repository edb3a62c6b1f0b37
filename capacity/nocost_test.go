package capacity

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ecscore/ecscore/ecs"
)

// A missing price reads as a plan's Cost.Missing as it is: its message has
// no package prefix to strip.
func TestNoPriceMessage(t *testing.T) {
	p := DefaultPrices()
	_, err := p.EC2Hourly("no.such-type", false)
	require.ErrorIs(t, err, ErrNoPrice)
	require.Equal(t, "no price: EC2 on-demand no.such-type in "+p.Region, err.Error())
	require.Equal(t, Cost{Missing: err.Error()}, ec2Cost(p, "no.such-type", 3, false))

	_, err = p.Rate(Platform{OS: ecs.OSFamilyWindowsServer2022Full, Spot: true})
	require.ErrorIs(t, err, ErrNoPrice)
	require.Equal(t, "no price: Fargate Spot WINDOWS X86_64 in "+p.Region, err.Error())
}

// groupTasks groups by every field of the resources, ports in order
// included, and keeps the order of first appearance.
func TestGroupTasks(t *testing.T) {
	a := ecs.Resources{CPU: 256, MemoryMiB: 512}
	b := ecs.Resources{CPU: 256, MemoryMiB: 512, PortsTCP: []int{80}}
	c := ecs.Resources{CPU: 256, MemoryMiB: 512, PortsUDP: []int{80}}
	d := ecs.Resources{CPU: 256, MemoryMiB: 512, PortsTCP: []int{80, 443}}
	e := ecs.Resources{CPU: 256, MemoryMiB: 512, PortsTCP: []int{443, 80}}
	f := ecs.Resources{CPU: 256, MemoryMiB: 512, ENIs: 1}
	g := ecs.Resources{CPU: 256, MemoryMiB: 512, PortsTCP: []int{8080}}
	h := ecs.Resources{CPU: 256, MemoryMiB: 512, PortsTCP: []int{}}
	got := groupTasks([]ecs.Resources{a, b, a, c, d, e, f, g, b, h, d})
	var needs []ecs.Resources
	var tasks []int
	for _, ge := range got {
		needs = append(needs, ge.Needs)
		tasks = append(tasks, ge.Tasks)
	}
	require.Equal(t, []ecs.Resources{a, b, c, d, e, f, g}, needs)
	require.Equal(t, []int{3, 2, 1, 2, 1, 1, 1}, tasks)
}
