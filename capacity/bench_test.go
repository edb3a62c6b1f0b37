package capacity

import (
	"strconv"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

// benchStrategy returns a strategy of n items with weights from 1 to 13
// and a base of 10 on the first.
func benchStrategy(n int) []ecs.CapacityProviderStrategyItem {
	s := make([]ecs.CapacityProviderStrategyItem, n)
	for i := range s {
		s[i] = ecs.CapacityProviderStrategyItem{CapacityProvider: "cp" + string(rune('a'+i)), Weight: 1 + i*7%13}
	}
	s[0].Base = 10
	return s
}

// BenchmarkSplit measures the split, one task at a time (Next), for
// strategies of 2, 5 and 20 items, and reports tasks/s; then Split of
// 2,000,000,000 tasks at once, for those strategies and for 20 items of
// weights up to 1,000 (rounds of 8,930 tasks), and reports splits/s.
func BenchmarkSplit(b *testing.B) {
	for _, n := range []int{2, 5, MaxStrategyItems} {
		s := benchStrategy(n)
		b.Run(strconv.Itoa(n)+"-items", func(b *testing.B) {
			sp, err := NewSplitter(s)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				sp.Next()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
		})
	}
	heavy := benchStrategy(MaxStrategyItems)
	for i := range heavy {
		heavy[i].Weight = 1 + (i*389)%MaxWeight
	}
	for _, s := range [][]ecs.CapacityProviderStrategyItem{benchStrategy(2), benchStrategy(5), benchStrategy(MaxStrategyItems), heavy} {
		name := strconv.Itoa(len(s)) + "-items-2e9-tasks"
		if totalWeight(s) > 1000 {
			name = strconv.Itoa(len(s)) + "-heavy-items-2e9-tasks"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Split(s, nil, 2_000_000_000); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "splits/s")
		})
	}
}
