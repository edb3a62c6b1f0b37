// Command ecsplan is ecscore's command line: it checks and plans Amazon ECS
// workloads offline, from the JSON the ECS API and the AWS CLI use.
//
// Usage:
//
//	ecsplan COMMAND [flags] [arguments]
//
// The commands are:
//
//	validate  check task definitions against every ECS rule, all problems at once
//	place     place tasks on container instances, as RunTask would
//	rollout   simulate a rolling deployment of a service to a new task definition
//	capacity  split tasks over capacity providers; plan capacity and managed scaling's scale-out
//	simulate  run services under a load curve with auto scaling and capacity providers
//
// Run "ecsplan COMMAND -h" for a command's flags. Exit status 0 means
// success, 1 that the input has problems the command reports, 2 a usage
// error or an input that could not be read.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses shared by the commands.
const (
	exitOK       = 0 // no problem found
	exitProblems = 1 // the input has problems, reported on stdout
	exitUsage    = 2 // a usage error or an unreadable input, on stderr
)

// command is one subcommand: run gets the arguments after its name and
// returns the exit status.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands, in the order usage shows them.
func commands() []command {
	return []command{
		{"validate", "check task definitions against every ECS rule, all problems at once", runValidate},
		{"place", "place tasks on container instances, as RunTask would", runPlace},
		{"rollout", "simulate a rolling deployment of a service to a new task definition", runRollout},
		{"capacity", "split tasks over capacity providers; plan capacity and managed scaling's scale-out", runCapacity},
		{"simulate", "run services under a load curve with auto scaling and capacity providers", runSimulate},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to the subcommand args[0] and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "ecsplan: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: ecsplan COMMAND [flags] [arguments]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"ecsplan COMMAND -h\" for a command's flags.")
}
