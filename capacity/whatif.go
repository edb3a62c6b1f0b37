package capacity

import "slices"

// MaxPlaceTasks is the most tasks one Splitter.Place splits: far beyond a
// service's tasks, and a bound on the memory of its result.
const MaxPlaceTasks = 1 << 20

// ProviderChoice is what became of one task of a split that a caller checked
// against the capacity its providers have.
type ProviderChoice struct {
	Task     int    // the task's position among the n, from 0
	Provider string // the provider the split chose
	Placed   bool   // Provider had room and took the task
	// Fallback is, in a what-if run, the provider that took the task
	// because Provider had no room; empty when none did or when the run
	// is not a what-if.
	Fallback string
}

// Place splits n more tasks as Next does and asks room, for each, whether
// the chosen provider has room for one more task right now (for an Auto
// Scaling group provider, whether the placement package finds an instance
// for it; for Fargate, whether the account's quota allows it). room is
// called once per task and provider tried, in order, and may keep state.
//
// ECS does not move a task whose provider has no room to another one: the
// task waits (an Auto Scaling group provider with managed scaling keeps it
// in PROVISIONING) or fails to start. Place reports such a task with Placed
// false and counts it on its provider, as the service's split does.
//
// With whatIf set, Place instead shows what a move would do: a task whose
// provider has no room goes to the first other provider with room, trying
// them by the split's preference (largest w·k/W − r first, ties in strategy
// order; providers of weight 0 are never tried), and is counted there. ECS
// itself never does this.
//
// Place returns nil when s has no item, and for n below 1 or above
// MaxPlaceTasks (each task has its ProviderChoice). A nil room has room nowhere.
func (s *Splitter) Place(n int, room func(provider string) bool, whatIf bool) []ProviderChoice {
	if s.empty() || n < 1 || n > MaxPlaceTasks {
		return nil
	}
	if room == nil {
		room = func(string) bool { return false }
	}
	out := make([]ProviderChoice, 0, n)
	for t := range n {
		i := s.Peek()
		p := ProviderChoice{Task: t, Provider: s.items[i].CapacityProvider}
		switch {
		case room(p.Provider):
			p.Placed = true
			s.Record(i)
		case whatIf:
			if j, ok := s.fallback(i, room); ok {
				p.Fallback = s.items[j].CapacityProvider
				s.Record(j)
				break
			}
			s.Record(i)
		default:
			s.Record(i)
		}
		out = append(out, p)
	}
	return out
}

// fallback returns the first item other than skip, by the split's
// preference, whose provider has room.
func (s *Splitter) fallback(skip int, room func(string) bool) (int, bool) {
	k := s.rest() + 1
	order := make([]int, 0, len(s.items))
	for i := range s.items {
		if i != skip && s.items[i].Weight > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		sa, sb := s.score(a, k), s.score(b, k)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	for _, i := range order {
		if room(s.items[i].CapacityProvider) {
			return i, true
		}
	}
	return 0, false
}
