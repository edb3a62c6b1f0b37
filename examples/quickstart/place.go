package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/placement"
)

// spreadThenBinpack is the documented example chain: balance the
// Availability Zones, then pack memory within each.
var spreadThenBinpack = []ecs.PlacementStrategy{
	{Type: ecs.PlacementStrategyTypeSpread, Field: "attribute:" + ecs.AttrAvailabilityZone},
	{Type: ecs.PlacementStrategyTypeBinpack, Field: "memory"},
}

func showPlacement(w io.Writer, reg *ecs.Registry, instances []ecs.ContainerInstance) error {
	heading(w, "Placing 6 tasks of service web: spread(attribute:ecs.availability-zone), binpack(memory)")
	web, err := registerFile(reg, "web-v1.json")
	if err != nil {
		return err
	}
	snap, err := placement.NewSnapshot(instances, nil)
	if err != nil {
		return err
	}
	eng := placement.NewEngine(snap)
	res, err := eng.Place(&placement.Request{TaskDefinition: web, Count: 6, Service: "web", Strategy: spreadThenBinpack, Seed: 1})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tINSTANCE\tAZ\tHOST PORT")
	for i, p := range res.Placements {
		port := 0
		if b := p.Containers[0].NetworkBindings; len(b) > 0 && b[0].HostPort != nil {
			port = *b[0].HostPort
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", i+1, p.EC2InstanceID, p.AvailabilityZone, port)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	big := *web
	big.Family, big.Memory = "batch", "12288"
	res, err = eng.Place(&placement.Request{TaskDefinition: &big, Count: 1, Service: "batch"})
	if err != nil {
		return err
	}
	if ex := res.Explanation; ex != nil {
		fmt.Fprintf(w, "\nA task that needs 12 GiB does not fit; ECS would say:\n  %s\n", ex.Event())
		for _, r := range ex.Reasons {
			fmt.Fprintf(w, "  %d instances turned away for %s\n", r.Count, r)
		}
	}
	return nil
}
