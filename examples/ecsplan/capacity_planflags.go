package main

import (
	"fmt"

	"github.com/ecscore/ecscore/capacity"
)

// zoneLossFlag is -survive-zone-loss: a boolean flag that also takes a
// value. Alone (or =true, =minimum-healthy) each service keeps its
// minimum healthy tasks after losing any one zone; =full keeps its
// desired count; =false plans no zone loss.
type zoneLossFlag struct{ mode *capacity.ZoneLoss }

func (f zoneLossFlag) String() string {
	if f.mode == nil || *f.mode == capacity.ZoneLossNone {
		return "false"
	}
	return string(*f.mode)
}

func (f zoneLossFlag) Set(v string) error {
	switch v {
	case "true", string(capacity.ZoneLossMinimumHealthy):
		*f.mode = capacity.ZoneLossMinimumHealthy
	case string(capacity.ZoneLossFull):
		*f.mode = capacity.ZoneLossFull
	case "false":
		*f.mode = capacity.ZoneLossNone
	default:
		return fmt.Errorf("want minimum-healthy (the same as no value), full or false")
	}
	return nil
}

// IsBoolFlag lets -survive-zone-loss stand alone.
func (zoneLossFlag) IsBoolFlag() bool { return true }
