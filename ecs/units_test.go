package ecs

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCPU(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1024", 1024, true},
		{"256", 256, true},
		{"1 vCPU", 1024, true},
		{"1 vcpu", 1024, true},
		{"1vcpu", 1024, true},
		{"2 VCPU", 2048, true},
		{".25 vCPU", 256, true},
		{"0.5 vCPU", 512, true},
		{"16 vCPU", 16384, true},
		{" 4096 ", 4096, true},
		{"0.1 vCPU", 0, false}, // 102.4 units is not whole
		{"1.5", 0, false},      // fractional units
		{"0", 0, false},
		{"-1024", 0, false},
		{"", 0, false},
		{"vCPU", 0, false},
		{"1 GB", 0, false},
		{"1e3", 0, false},
		{"99999999999", 0, false},
		{"1/2 vCPU", 0, false}, // fractions, hexadecimal and binary exponents are
		{"0x400", 0, false},    // forms of big.Rat, not of the API
		{"0x1p10", 0, false},
		{"0b10000000000", 0, false},
		{"1..5 vCPU", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseCPU(tt.in)
		if !tt.ok {
			require.ErrorIs(t, err, ErrUnitForm, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		require.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestParseMemory(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"1024", 1024, true},
		{"2 GB", 2048, true},
		{"2GB", 2048, true},
		{"2gb", 2048, true},
		{"0.5GB", 512, true},
		{".5 GB", 512, true},
		{"30 GB", 30720, true},
		{"0.3GB", 0, false}, // 307.2 MiB
		{"512.5", 0, false},
		{"2 GiB", 0, false},
		{"2 MB", 0, false},
		{"", 0, false},
		{"0", 0, false},
		{"1/2 GB", 0, false},
		{"0x800", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseMemory(tt.in)
		if !tt.ok {
			require.ErrorIs(t, err, ErrUnitForm, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		require.Equal(t, tt.want, got, "%q", tt.in)
	}
}
