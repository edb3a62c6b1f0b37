// Package ecstest provides a deterministic in-memory ECS for tests, named
// like net/http/httptest: a control plane built from the library's own
// packages, with a virtual clock and fault injection, also served over the
// ECS JSON protocol so that any AWS SDK or the aws CLI can use it.
//
// It is not implemented yet: the in-memory ECS issue fills it.
package ecstest
