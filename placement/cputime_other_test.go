//go:build !unix

package placement_test

import "time"

// cpuTime returns 0 where the process's CPU time is not read: the
// cpu-ns/placement figures are then 0.
func cpuTime() time.Duration { return 0 }
