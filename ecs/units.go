package ecs

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ErrUnitForm marks a task-level cpu or memory string in no form the API
// accepts.
var ErrUnitForm = errors.New("not a valid size")

// ParseCPU reads a task-level cpu value in any form the API accepts ("1024",
// "1 vCPU", ".25 vCPU", "1vcpu") and returns CPU units (1 vCPU = 1024).
// The result must be a whole, positive number of units.
func ParseCPU(s string) (int, error) {
	return parseSize(s, "vcpu", "cpu", "CPU units", "vCPU")
}

// ParseMemory reads a task-level memory value in any form the API accepts
// ("1024", "2 GB", "2GB", "0.5GB") and returns MiB (1 GB = 1024 MiB).
// The result must be a whole, positive number of MiB.
func ParseMemory(s string) (int, error) {
	return parseSize(s, "gb", "memory", "MiB", "GB")
}

// parseSize reads "N" (in base units) or "X unit" (in 1024 base units),
// exactly, so that ".25 vCPU" is 256 and "0.1 vCPU" (102.4) is refused.
func parseSize(s, unit, what, baseName, unitName string) (int, error) {
	// The common form, written by ECS itself at registration: plain digits.
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= math.MaxInt32 && s[0] != '+' {
		return n, nil
	}
	t := strings.TrimSpace(s)
	scaled := false
	if n := len(t) - len(unit); n >= 0 && strings.EqualFold(t[n:], unit) {
		t, scaled = strings.TrimSpace(t[:n]), true
	}
	if !isDecimal(t) {
		return 0, fmt.Errorf("%s %q: %w", what, s, ErrUnitForm)
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok || (!scaled && strings.Contains(t, ".")) {
		return 0, fmt.Errorf("%s %q: %w: expected a whole number of %s or a number of %s", what, s, ErrUnitForm, baseName, unitName)
	}
	if scaled {
		r.Mul(r, big.NewRat(1024, 1))
	}
	if !r.IsInt() || r.Sign() <= 0 || r.Num().BitLen() > 31 {
		return 0, fmt.Errorf("%s %q: %w: it is not a whole, positive number of %s", what, s, ErrUnitForm, baseName)
	}
	return int(r.Num().Int64()), nil
}

// isDecimal reports whether t is a plain decimal number: digits with at
// most one period, and at least one digit. big.Rat would also read
// fractions ("1/2"), exponents and hexadecimal ("0x400"), which the API
// does not take.
func isDecimal(t string) bool {
	digits, periods := 0, 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '.':
			periods++
		default:
			return false
		}
	}
	return digits > 0 && periods <= 1
}
