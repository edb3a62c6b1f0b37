package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// runCapacity runs `ecsplan capacity SUBCOMMAND ...` and returns the exit
// status: 0; 1 when plan finds a service no option can run; 2 for a usage
// error, unreadable input or a strategy the API would refuse.
func runCapacity(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: ecsplan capacity split -strategy NAME[:base=B][,weight=W]... -count N [-o text|json]")
		fmt.Fprintln(stderr, "       ecsplan capacity plan -services SERVICES.json [-task-definitions FILE...] [-instance-types TYPES.json] [-azs a,b,c] [-headroom K] [-survive-zone-loss[=full]] [-max-spot-share S] [-mixed] [-o text|json|csv|markdown|html]")
		fmt.Fprintln(stderr, "       ecsplan capacity scale-out -task-definition FILE -count N -instance-types TYPE[,TYPE...] [-max-size N] [-o text|json]")
		return 2
	}
	switch args[0] {
	case "split":
		return runCapacitySplit(args[1:], stdout, stderr)
	case "plan":
		return runCapacityPlan(args[1:], stdout, stderr)
	case "scale-out":
		return runCapacityScaleOut(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "ecsplan capacity: unknown subcommand %q (want split, plan or scale-out)\n", args[0])
	return 2
}

// runCapacitySplit prints how -count tasks of a service divide over the
// items of -strategy: the base first, then by weight.
func runCapacitySplit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ecsplan capacity split", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var strategy capacity.StrategyFlag
	fs.Var(&strategy, "strategy", "capacity provider strategy `ITEMS`: NAME[:base=B][,weight=W], comma-separated; repeatable")
	count := fs.Int("count", 0, "number of tasks to split")
	output := fs.String("o", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ecsplan capacity split -strategy NAME[:base=B][,weight=W]... -count N [-o text|json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	usage := func(msg string) int {
		fmt.Fprintln(stderr, "ecsplan capacity split: "+msg)
		fs.Usage()
		return 2
	}
	counted := false
	fs.Visit(func(f *flag.Flag) { counted = counted || f.Name == "count" })
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case len(strategy) == 0:
		return usage("-strategy is required")
	case !counted:
		return usage("-count is required")
	case *count < 0:
		return usage("-count must not be negative")
	case *output != "text" && *output != "json":
		return usage(fmt.Sprintf("-o %q: want text or json", *output))
	}
	counts, err := capacity.SplitCounts(strategy, *count)
	if err != nil { // the API's exception and message
		fmt.Fprintln(stderr, "ecsplan capacity split: "+err.Error())
		return 2
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(counts)
	} else {
		err = writeSplitText(stdout, strategy, counts)
	}
	if err != nil { // split allows only 0 and 2
		fmt.Fprintln(stderr, "ecsplan capacity split:", err)
		return 2
	}
	return 0
}

// writeSplitText writes the split as a table: one row per strategy item,
// in the order given, and the total.
func writeSplitText(w io.Writer, strategy []ecs.CapacityProviderStrategyItem, counts []capacity.ProviderCount) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CAPACITY PROVIDER\tBASE\tWEIGHT\tTASKS")
	total := 0
	for i, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", c.CapacityProvider, strategy[i].Base, strategy[i].Weight, c.Count)
		total += c.Count
	}
	fmt.Fprintf(tw, "total\t\t\t%d\n", total)
	return tw.Flush()
}
