package ecs

import (
	"strconv"
	"strings"
)

// Severity says whether a finding stops registration.
type Severity string

// Severities of a finding.
const (
	// SeverityError is a problem the API rejects, or one that keeps the task
	// from running.
	SeverityError Severity = "error"
	// SeverityWarning is documented guidance that the API does not enforce.
	SeverityWarning Severity = "warning"
)

// Finding is one problem with a task definition or an API request.
type Finding struct {
	// Path names the member with the problem: API member names and 0-based
	// indices (containerDefinitions[1].portMappings[0].hostPort), or "" for
	// the document itself. A member that is missing is named by the path it
	// would have.
	Path string `json:"path"`
	// Code is the stable rule code, such as "fargate.network-mode". Rules
	// lists every code.
	Code string `json:"code"`
	// Severity is SeverityError or SeverityWarning.
	Severity Severity `json:"severity"`
	// Message is a sentence that names the value and the rule.
	Message string `json:"message"`
	// APIMessage is the text of the error ECS returns for this problem,
	// where it is known.
	APIMessage string `json:"apiMessage,omitempty"`
	// Exception is the type of the exception ECS answers a request with
	// for this problem (InvalidParameterException, ClientException), where
	// the finding is about a request.
	Exception string `json:"exception,omitempty"`
	// Line and Column (1-based, column in bytes) locate the finding in the
	// document it came from, when it came from one.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// String formats f as "PATH: SEVERITY: CODE: MESSAGE".
func (f Finding) String() string {
	var b strings.Builder
	if f.Line > 0 {
		b.WriteString(strconv.Itoa(f.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(f.Column))
		b.WriteString(": ")
	}
	if f.Path != "" {
		b.WriteString(f.Path)
		b.WriteString(": ")
	}
	b.WriteString(string(f.Severity))
	b.WriteString(": ")
	b.WriteString(f.Code)
	b.WriteString(": ")
	b.WriteString(f.Message)
	return b.String()
}

// Findings is every problem found in one task definition or one API
// request, in the order of the document or request.
type Findings []Finding

// HasErrors reports whether any finding is an error.
func (fs Findings) HasErrors() bool {
	for i := range fs {
		if fs[i].Severity == SeverityError {
			return true
		}
	}
	return false
}

// Err returns nil when no finding is an error, and otherwise a
// *ValidationError holding every finding, warnings included.
func (fs Findings) Err() error {
	if !fs.HasErrors() {
		return nil
	}
	return &ValidationError{Findings: fs}
}

// ValidationError is a task definition that ECS would not register, with
// every finding. Unpack it with errors.As.
type ValidationError struct {
	Findings Findings
}

// Error lists the findings, one a line ("<nil>" for a nil
// *ValidationError).
func (e *ValidationError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString("invalid task definition: ")
	n := 0
	for _, f := range e.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" error")
	} else {
		b.WriteString(" errors")
	}
	for _, f := range e.Findings {
		b.WriteString("\n\t")
		b.WriteString(f.String())
	}
	return b.String()
}

// validationOptions returns the options optFns set, in order, on the zero
// value.
func validationOptions(optFns []func(*ValidationOptions)) ValidationOptions {
	var o ValidationOptions
	for _, f := range optFns {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// ValidationOptions tunes validation. The zero value validates against the
// task definition's requiresCompatibilities (EC2 when there are none) with
// the strictness the API shows in practice.
type ValidationOptions struct {
	// LaunchTypes replaces the task definition's requiresCompatibilities:
	// the task definition is validated against each of them.
	LaunchTypes []Compatibility

	// StrictMemoryReservation requires memoryReservation < memory, as the
	// API documentation words it. By default equal values are valid, as
	// ECS accepts them in practice.
	StrictMemoryReservation bool

	// StrictTaskSums requires the sums of container cpu and memory to be
	// lower than the task's values, as the documentation words it. By
	// default a sum equal to the task value is valid, as ECS accepts it.
	StrictTaskSums bool

	// MinimumMemoryError makes container memory below 6 MiB an error. By
	// default it is a warning: the documentation gives the minimum as
	// guidance and does not say that the API enforces it.
	MinimumMemoryError bool

	// StrictAwsvpc rejects disableNetworking, dnsServers and
	// dnsSearchDomains in awsvpc mode on every launch type, as the 2023
	// developer guide did. By default they are rejected with awsvpc only
	// where the current documentation says so (Fargate).
	StrictAwsvpc bool

	// AllowUnknownFields makes a member that the API does not define a
	// warning rather than an error, for documents from newer API versions.
	// It applies to ValidateDocument only.
	AllowUnknownFields bool
}

// ValidateTaskDefinition reports every problem ECS would find with td for
// the launch types it targets: ValidationOptions.LaunchTypes when an
// option sets it, else td's
// requiresCompatibilities, else EC2. It checks each rule of the catalogue
// (see Rules) that a task definition alone can break, and reports every
// problem at once: task members first, then volumes, then each container
// in order and what spans containers, then what the launch types and
// Windows require. Nil means td is valid.
func ValidateTaskDefinition(td *TaskDefinition, optFns ...func(*ValidationOptions)) Findings {
	opts := validationOptions(optFns)
	if td == nil {
		return Findings{{Code: codeNotTaskDefinition, Severity: SeverityError,
			Message: "There is no task definition to validate."}}
	}
	v := validator{td: td, opts: opts}
	v.run()
	return v.findings
}

// launchSet is a set of launch types as bits.
type launchSet uint8

const (
	ltEC2 launchSet = 1 << iota
	ltFargate
	ltExternal
	ltManaged
)

func launchBit(c Compatibility) launchSet {
	switch c {
	case CompatibilityEC2:
		return ltEC2
	case CompatibilityFargate:
		return ltFargate
	case CompatibilityExternal:
		return ltExternal
	case CompatibilityManagedInstances:
		return ltManaged
	}
	return 0
}

// validator holds what the rules share while checking one task definition.
type validator struct {
	td      *TaskDefinition
	opts    ValidationOptions
	lt      launchSet
	windows bool
	mode    NetworkMode // the network mode in effect: bridge when omitted
	taskCPU int         // task cpu in units; 0 when unset or invalid
	taskMem int         // task memory in MiB; 0 when unset or invalid
	// containersOnly marks a Terraform-style document, a bare list of
	// container definitions: the task's members are set elsewhere.
	containersOnly bool
	// containerNames and volumeNames index large task definitions by name.
	containerNames map[string]int
	volumeNames    map[string]int
	findings       Findings
}

func (v *validator) has(s launchSet) bool { return v.lt&s != 0 }

// add records a finding. Callers build path and message only on failure,
// so that a valid task definition costs no allocation.
func (v *validator) add(path, code string, sev Severity, msg, api string) {
	v.findings = append(v.findings, Finding{Path: path, Code: code, Severity: sev, Message: msg, APIMessage: api})
}

// fail records an error, with ECS's own text api when known.
func (v *validator) fail(path, code, msg, api string) {
	v.add(path, code, SeverityError, msg, api)
}

// warn records a warning.
func (v *validator) warn(path, code, msg string) {
	v.add(path, code, SeverityWarning, msg, "")
}

// run checks every rule: the task's members, its volumes, its containers,
// then what each launch type and Windows require.
func (v *validator) run() {
	v.resolveLaunchTypes()
	v.resolvePlatform()
	v.checkTask()
	v.checkRequiresCompatibilities()
	v.checkTaskSize()
	v.checkRuntimePlatform()
	v.checkTaskModes()
	v.checkProxy()
	v.checkEphemeralStorage()
	v.checkPlacementConstraints()
	v.checkVolumes()
	v.checkContainers()
	v.checkTaskSums()
	if v.has(ltFargate) {
		v.checkFargate()
	}
	if v.has(ltManaged) {
		v.checkManagedInstances()
	}
	if v.windows {
		v.checkWindows()
	}
}

func (v *validator) resolveLaunchTypes() {
	list := v.td.RequiresCompatibilities
	if v.opts.LaunchTypes != nil {
		list = v.opts.LaunchTypes
	}
	for _, c := range list {
		v.lt |= launchBit(c)
	}
	if v.lt == 0 {
		v.lt = ltEC2
	}
}

func (v *validator) resolvePlatform() {
	if rp := v.td.RuntimePlatform; rp != nil {
		v.windows = isWindows(rp.OperatingSystemFamily)
	}
	v.mode = v.td.NetworkMode
	if v.mode == "" {
		v.mode = NetworkModeBridge
	}
}

// isWindows reports whether os is one of the Windows families.
func isWindows(os OSFamily) bool { return os.Windows() }

// Paths are built only for findings.

func containerPath(i int) string {
	return "containerDefinitions[" + strconv.Itoa(i) + "]"
}

// cpath is the path of member of container i.
func cpath(i int, member string) string {
	return containerPath(i) + "." + member
}

// celem is the path of element j of list member of container i, and of
// sub below it when sub is not empty.
func celem(i int, list string, j int, sub string) string {
	return memberPath(indexPath(cpath(i, list), j), sub)
}

func memberPath(parent, member string) string {
	if parent == "" {
		return member
	}
	if member == "" {
		return parent
	}
	return parent + "." + member
}

func indexPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// quote returns s in double quotes, for messages.
func quote(s string) string { return strconv.Quote(s) }

// itoa is strconv.Itoa, short for messages.
func itoa(n int) string { return strconv.Itoa(n) }
