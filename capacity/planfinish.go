package capacity

import "context"

// finish adds to a plan what the options beyond the per-type search
// ask: the zone loss it survives, mixed fleets, the bound on the Spot share, and the
// warnings of Spot interruptions. excluded are the workloads no instance
// type runs.
func (p *Planner) finish(ctx context.Context, ws []prepared, excluded map[int]bool, out *Plan) error {
	out.SurviveZoneLoss = p.o.SurviveZoneLoss
	switch p.o.SurviveZoneLoss {
	case ZoneLossMinimumHealthy:
		out.Notes = append(out.Notes, "each plan survives the loss of any one zone: every service keeps its minimum healthy tasks "+
			"(desiredCount × minimumHealthyPercent / 100, rounded up), the lost tasks re-placed on the other zones' instances")
	case ZoneLossFull:
		out.Notes = append(out.Notes, "each plan survives the loss of any one zone: every service keeps its desired count, "+
			"the lost tasks re-placed on the other zones' instances")
	}
	if p.o.MixedTypes {
		if err := p.mix(ctx, ws, excluded, out); err != nil {
			return err
		}
	}
	out.MinOnDemandShare = p.o.MinOnDemandShare
	out.boundSpot(p.prices(), p.o.MinOnDemandShare)
	return p.spotWarnings(ctx, ws, excluded, out)
}
