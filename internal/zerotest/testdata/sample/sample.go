// Package sample is what zerotest's own test parses: the exported API of
// the functions that zerotest_test.go defines.
package sample

import "time"

// Box holds a number.
type Box struct{ n *int }

// Get returns the number; it panics for a nil or zero Box.
func (b *Box) Get() int { return *b.n }

// Fine returns the length of s.
func Fine(s []string) int { return len(s) }

// Missing has no row in the test's table.
func Missing(p *int) int { return 0 }

// Scalar needs no row: its parameter is a number.
func Scalar(n int) int { return n }

// Sleepy does not return for the longest duration.
func Sleepy(d time.Duration) {}
