package main

import (
	"fmt"
	"io"

	"github.com/ecscore/ecscore/capacity"
)

func showCapacity(w io.Writer) error {
	heading(w, "Splitting 10 tasks over capacity providers: FARGATE base=2 weight=1, FARGATE_SPOT weight=3")
	strategy, err := capacity.ParseStrategy("FARGATE:base=2,weight=1,FARGATE_SPOT:weight=3")
	if err != nil {
		return err
	}
	counts, err := capacity.SplitCounts(strategy, 10)
	if err != nil {
		return err
	}
	for _, c := range counts {
		fmt.Fprintf(w, "  %-13s %d tasks\n", c.CapacityProvider, c.Count)
	}
	return nil
}
