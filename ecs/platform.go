package ecs

import "strings"

// Windows reports whether f is a Windows Server family
// (WINDOWS_SERVER_<release>_<FULL|CORE>).
func (f OSFamily) Windows() bool {
	return strings.HasPrefix(string(f), "WINDOWS_SERVER_")
}
