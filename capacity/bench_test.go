package capacity

import (
	"strconv"
	"testing"

	"github.com/ecscore/ecscore/ecs"
)

// BenchmarkSplit measures the split, one task at a time, for strategies of
// 2, 5 and 20 items, and reports tasks/s.
func BenchmarkSplit(b *testing.B) {
	for _, n := range []int{2, 5, MaxStrategyItems} {
		s := make([]ecs.CapacityProviderStrategyItem, n)
		for i := range s {
			s[i] = ecs.CapacityProviderStrategyItem{CapacityProvider: "cp" + string(rune('a'+i)), Weight: 1 + i*7%13}
		}
		s[0].Base = 10
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
}
