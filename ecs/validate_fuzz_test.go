package ecs

import (
	"testing"
)

// FuzzValidateDocument decodes and validates arbitrary documents: no
// input may panic, every finding is a catalogued code with a position,
// and a document that is not a task definition gives exactly one finding.
func FuzzValidateDocument(f *testing.F) {
	for _, name := range []string{"nginx-awsvpc-healthcheck.json", "application-stack-bridge-links.json",
		"devopsdays-two-containers.json", "devopsdays-task-and-container-sizes.json", "register-task-definition-skeleton.json"} {
		f.Add(readFixture(f, name), uint8(0))
	}
	for _, tc := range documentCases() {
		if len(tc.doc) < 4096 { // large seeds make minimizing slow
			f.Add([]byte(tc.doc), uint8(1))
		}
	}
	f.Add([]byte(`{"family":"a","networkMode":"bridge","containerDefinitions":[{"name":"a","image":"x","memory":4,"links":["b"],"dependsOn":[{"containerName":"b","condition":"HEALTHY"}]},{"name":"b","image":"y","links":["a"],"dependsOn":[{"containerName":"a","condition":"START"}],"portMappings":[{"containerPortRange":"1-9"},{"containerPort":5,"protocol":"udp"}]}],"placementConstraints":[{"type":"memberOf","expression":"attribute:a =~ ["}]}`), uint8(2))
	catalogued := map[string]bool{}
	for _, r := range Rules() {
		for _, c := range r.Codes {
			catalogued[c] = true
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		opts := ValidationOptions{
			StrictMemoryReservation: flags&1 != 0,
			StrictTaskSums:          flags&2 != 0,
			MinimumMemoryError:      flags&4 != 0,
			StrictAwsvpc:            flags&8 != 0,
			AllowUnknownFields:      flags&16 != 0,
		}
		if flags&32 != 0 {
			opts.LaunchTypes = onAll
		}
		td, fs := ValidateDocument(data, func(o *ValidationOptions) { *o = opts })
		if td == nil && len(fs) != 1 {
			t.Fatalf("no task definition but %d findings", len(fs))
		}
		for _, f := range fs {
			if !catalogued[f.Code] {
				t.Fatalf("finding of code %q, which the catalogue does not list", f.Code)
			}
			if f.Line < 1 || f.Column < 1 || f.Message == "" {
				t.Fatalf("finding without position or message: %+v", f)
			}
			if f.Severity != SeverityError && f.Severity != SeverityWarning {
				t.Fatalf("finding of severity %q", f.Severity)
			}
		}
		if td != nil {
			ValidateTaskDefinition(td, func(o *ValidationOptions) {
				o.LaunchTypes = onAll
				o.StrictAwsvpc = true
			})
		}
	})
}
