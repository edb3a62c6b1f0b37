package capacity

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

//go:embed prices.json
var pricesJSON []byte

// HoursPerMonth is the month a monthly cost counts: 730 hours.
const HoursPerMonth = 730

// ErrNoPrice marks a price the table does not have, such as Fargate Spot
// for Windows or EC2 Spot. Its message, and that of the errors wrapping
// it, has no "capacity: " prefix: it reads as a plan's Cost.Missing.
var ErrNoPrice = errors.New("no price")

// errNilTable is the error of the methods of a nil *PriceTable.
var errNilTable = fmt.Errorf("%w: the price table is nil", ErrNoPrice)

// PriceTable holds the prices of one region at one date, with the sources
// of its figures: Fargate per vCPU-hour and per GB-hour of task memory by
// operating system, architecture and on-demand or Spot, and EC2 per
// instance-hour. Its JSON form is that of the embedded prices.json.
type PriceTable struct {
	Region   string        `json:"region"`
	Currency string        `json:"currency"`
	Date     string        `json:"date"`
	About    string        `json:"about,omitempty"`
	Sources  []PriceSource `json:"sources"`
	Fargate  []FargateRate `json:"fargate"`
	// EphemeralStorage is the price of Fargate task storage above the
	// free amount.
	EphemeralStorage StorageRate `json:"ephemeralStorage"`
	EC2              EC2Prices   `json:"ec2"`
	Notes            []string    `json:"notes,omitempty"`
}

// PriceSource is where figures of a PriceTable come from. Rates name it by
// ID.
type PriceSource struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	URL    string `json:"url,omitempty"`
	Commit string `json:"commit,omitempty"` // for a file read from a repository
	Where  string `json:"where,omitempty"`  // for a source without a URL, or a quote
	Date   string `json:"date,omitempty"`
}

// FargateRate is the price of Fargate for one operating system (LINUX or
// WINDOWS), architecture and purchase option.
type FargateRate struct {
	OS           string  `json:"os"`           // "LINUX" or "WINDOWS"
	Architecture string  `json:"architecture"` // "X86_64" or "ARM64"
	Spot         bool    `json:"spot"`         // FARGATE_SPOT
	VCPUHour     float64 `json:"vcpuHour"`     // per vCPU-hour
	GBHour       float64 `json:"gbHour"`       // per GB-hour of task memory (1 GB = 1024 MiB)
	// OSLicenseVCPUHour is the operating system licence fee per
	// vCPU-hour, added to VCPUHour (Windows).
	OSLicenseVCPUHour float64 `json:"osLicenseVcpuHour,omitempty"`
	// MinimumSeconds is the least time a task is billed for.
	MinimumSeconds int      `json:"minimumSeconds,omitempty"`
	Sources        []string `json:"sources"` // PriceSource IDs
	Date           string   `json:"date,omitempty"`
	Notes          []string `json:"notes,omitempty"` // caveats: conflicts, unconfirmed figures
}

// StorageRate is the price of Fargate ephemeral storage.
type StorageRate struct {
	GBHour  float64  `json:"gbHour"` // per GB-hour above FreeGB
	FreeGB  int      `json:"freeGb"` // free per task
	Sources []string `json:"sources"`
	Date    string   `json:"date,omitempty"`
}

// EC2Prices are EC2 prices per instance-hour by instance type.
type EC2Prices struct {
	OS       string             `json:"os,omitempty"`
	OnDemand map[string]float64 `json:"onDemand"`
	Spot     map[string]float64 `json:"spot,omitempty"`
	Sources  []string           `json:"sources"`
	Date     string             `json:"date,omitempty"`
	Notes    []string           `json:"notes,omitempty"`
}

// DefaultPrices returns the embedded table: us-east-1, USD, Fargate rates
// of 2026-09-28 and EC2 on-demand rates of 2026-01-19, every figure with
// its source and the caveats the research found (read Notes). Each call
// returns a new table the caller may change.
func DefaultPrices() *PriceTable {
	t, err := LoadPrices(bytes.NewReader(pricesJSON))
	if err != nil {
		panic("capacity: embedded prices.json: " + err.Error())
	}
	return t
}

// LoadPrices reads a table in the form of the embedded prices.json and
// checks it: a region, rates that are finite and not negative, known
// operating systems and architectures, one rate per combination, and
// sources that the table lists.
func LoadPrices(r io.Reader) (*PriceTable, error) {
	if r == nil {
		return nil, errors.New("price table: no reader to read it from")
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var t PriceTable
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("price table: %w", err)
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("price table: %w", err)
	}
	return &t, nil
}

func (t *PriceTable) check() error {
	if t.Region == "" {
		return errors.New("no region")
	}
	ids := map[string]bool{}
	for _, s := range t.Sources {
		ids[s.ID] = true
	}
	seen := map[[3]string]bool{}
	for i, f := range t.Fargate {
		if err := f.check(ids); err != nil {
			return fmt.Errorf("fargate[%d]: %w", i, err)
		}
		key := [3]string{f.OS, f.Architecture, fmt.Sprint(f.Spot)}
		if seen[key] {
			return fmt.Errorf("fargate[%d]: a second rate for %s %s spot=%t", i, f.OS, f.Architecture, f.Spot)
		}
		seen[key] = true
	}
	if err := checkSources(t.EphemeralStorage.Sources, ids); err != nil {
		return fmt.Errorf("ephemeralStorage: %w", err)
	}
	if !validPrice(t.EphemeralStorage.GBHour) {
		return errors.New("ephemeralStorage: bad gbHour")
	}
	return t.EC2.check(ids)
}

func (f FargateRate) check(ids map[string]bool) error {
	if f.OS != osLinux && f.OS != osWindows {
		return fmt.Errorf("os %q: want LINUX or WINDOWS", f.OS)
	}
	if f.Architecture != "X86_64" && f.Architecture != "ARM64" {
		return fmt.Errorf("architecture %q: want X86_64 or ARM64", f.Architecture)
	}
	if !validPrice(f.VCPUHour) || !validPrice(f.GBHour) || !validPrice(f.OSLicenseVCPUHour) {
		return errors.New("a rate is negative or not a number")
	}
	return checkSources(f.Sources, ids)
}

func (e EC2Prices) check(ids map[string]bool) error {
	for _, m := range []map[string]float64{e.OnDemand, e.Spot} {
		for name, p := range m {
			if !validPrice(p) {
				return fmt.Errorf("ec2 %s: bad price", name)
			}
		}
	}
	if err := checkSources(e.Sources, ids); err != nil {
		return fmt.Errorf("ec2: %w", err)
	}
	return nil
}

func checkSources(refs []string, ids map[string]bool) error {
	for _, r := range refs {
		if !ids[r] {
			return fmt.Errorf("source %q is not in the table's sources", r)
		}
	}
	return nil
}

func validPrice(p float64) bool {
	return p >= 0 && !math.IsInf(p, 0) && !math.IsNaN(p)
}

// EC2Hourly returns the price per hour of one instance of instanceType,
// on demand or Spot.
func (t *PriceTable) EC2Hourly(instanceType string, spot bool) (float64, error) {
	if t == nil {
		return 0, errNilTable
	}
	m, kind := t.EC2.OnDemand, "on-demand"
	if spot {
		m, kind = t.EC2.Spot, "Spot"
	}
	p, ok := m[instanceType]
	if !ok {
		return 0, fmt.Errorf("%w: EC2 %s %s in %s", ErrNoPrice, kind, instanceType, t.Region)
	}
	return p, nil
}

// EphemeralStorageHourly returns the price per hour of a Fargate task's
// ephemeral storage of gb GB, of which the first FreeGB are free.
//
// A nil table prices it at 0.
func (t *PriceTable) EphemeralStorageHourly(gb int) float64 {
	if t == nil {
		return 0
	}
	return float64(max(gb-t.EphemeralStorage.FreeGB, 0)) * t.EphemeralStorage.GBHour
}
