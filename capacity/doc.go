// Package capacity models how tasks divide over capacity providers (base
// and weight), Fargate sizes and prices, managed scaling
// (CapacityProviderReservation), and plans how much capacity a workload
// needs.
//
// It is not implemented yet: the capacity issue fills it.
package capacity
