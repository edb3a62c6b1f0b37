//go:build race

package placement_test

// raceEnabled says the race detector is on: it allocates on its own and
// slows the property tests down.
const raceEnabled = true
