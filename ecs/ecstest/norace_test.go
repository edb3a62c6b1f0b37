//go:build !race

package ecstest

// raceEnabled says the race detector is on: it slows the cluster-scale
// tests down many times over.
const raceEnabled = false
