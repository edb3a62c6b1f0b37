package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

const validateUsage = `usage: ecsplan validate [-launch-type T[,T]] [-o text|json] FILE...

validate checks each task definition FILE (a register-task-definition
input, a describe-task-definition output, or a Terraform list of container
definitions) against every ECS rule for the launch types it targets, and
prints every finding. Flags come before the files.

Exit status: 0 when no file has an error (warnings allowed), 1 when one
has, 2 for a usage error or a file that cannot be read.

`

// validateArgs is the parsed command line of validate.
type validateArgs struct {
	launchTypes []ecs.Compatibility
	output      string
	files       []string
}

// fileFinding is one line of validate's JSON output.
type fileFinding struct {
	File       string       `json:"file"`
	Path       string       `json:"path"`
	Code       string       `json:"code"`
	Severity   ecs.Severity `json:"severity"`
	Message    string       `json:"message"`
	Line       int          `json:"line,omitempty"`
	Column     int          `json:"column,omitempty"`
	APIMessage string       `json:"apiMessage,omitempty"`
}

// runValidate runs "ecsplan validate" and returns its exit status.
func runValidate(args []string, stdout, stderr io.Writer) int {
	a, err := parseValidateArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsplan validate:", err)
		return exitUsage
	}
	status := exitOK
	var all []fileFinding
	for _, file := range a.files {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, "ecsplan validate:", err)
			status = exitUsage
			continue
		}
		_, findings := ecs.ValidateDocument(data, func(o *ecs.ValidationOptions) {
			o.LaunchTypes = a.launchTypes
		})
		if findings.HasErrors() && status == exitOK {
			status = exitProblems
		}
		for _, f := range findings {
			all = append(all, fileFinding{file, f.Path, f.Code, f.Severity, f.Message, f.Line, f.Column, f.APIMessage})
		}
	}
	if err := writeFindings(stdout, a.output, all); err != nil {
		fmt.Fprintln(stderr, "ecsplan validate:", err)
		return exitUsage
	}
	return status
}

func parseValidateArgs(args []string, stderr io.Writer) (*validateArgs, error) {
	a := &validateArgs{}
	var launchTypes string
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, validateUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&launchTypes, "launch-type", "", "launch types to validate against, comma-separated: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES (default: each file's requiresCompatibilities, else EC2)")
	fs.StringVar(&a.output, "o", "text", "output: text or json")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	a.files = fs.Args()
	if len(a.files) == 0 {
		return nil, errors.New("no task definition files given")
	}
	if a.output != "text" && a.output != "json" {
		return nil, fmt.Errorf("-o %q: want text or json", a.output)
	}
	if launchTypes != "" {
		lts, err := parseLaunchTypes(launchTypes)
		if err != nil {
			return nil, err
		}
		a.launchTypes = lts
	}
	return a, nil
}

// parseLaunchTypes reads "T[,T]", in any case.
func parseLaunchTypes(s string) ([]ecs.Compatibility, error) {
	var lts []ecs.Compatibility
	for _, name := range strings.Split(s, ",") {
		lt := ecs.Compatibility(strings.ToUpper(strings.TrimSpace(name)))
		if !lt.Known() {
			return nil, fmt.Errorf("-launch-type %q: want EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES", name)
		}
		lts = append(lts, lt)
	}
	return lts, nil
}

// writeFindings prints the findings as one JSON array ("[]" when there
// are none) or as lines FILE: PATH: SEVERITY: CODE: MESSAGE.
func writeFindings(w io.Writer, output string, all []fileFinding) error {
	if output == "json" {
		if all == nil {
			all = []fileFinding{}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	for _, f := range all {
		if _, err := fmt.Fprintf(w, "%s: %s: %s: %s: %s\n", f.File, f.Path, f.Severity, f.Code, f.Message); err != nil {
			return err
		}
	}
	return nil
}
