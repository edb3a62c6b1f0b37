package ecs

import (
	"testing"
)

// BenchmarkValidate measures validations of the nginx fixture per second,
// on one goroutine, for each launch type it targets.
func BenchmarkValidate(b *testing.B) {
	td, _, err := DecodeTaskDefinition(readFixture(b, "nginx-awsvpc-healthcheck.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, lt := range []Compatibility{CompatibilityFargate, CompatibilityEC2} {
		b.Run(string(lt), func(b *testing.B) {
			opts := ValidationOptions{LaunchTypes: []Compatibility{lt}}
			b.ReportAllocs()
			for b.Loop() {
				if fs := ValidateTaskDefinition(td, func(o *ValidationOptions) { *o = opts }); fs != nil {
					b.Fatal(fs)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "validations/s")
		})
	}
}

// BenchmarkValidateDocument measures decoding and validating the nginx
// fixture's document.
func BenchmarkValidateDocument(b *testing.B) {
	data := readFixture(b, "nginx-awsvpc-healthcheck.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, fs := ValidateDocument(data); fs != nil {
			b.Fatal(fs)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "documents/s")
}
