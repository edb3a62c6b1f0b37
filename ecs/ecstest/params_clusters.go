package ecstest

import "github.com/ecscore/ecscore/ecs"

// checkClusterConfiguration checks a cluster's configuration as
// CreateCluster and UpdateCluster read it: ExecuteCommandConfiguration's
// logging "OVERRIDE: Specify the logging details as a part of
// logConfiguration. If the OVERRIDE logging option is specified, the
// logConfiguration is required." (API_ExecuteCommandConfiguration.html).
func checkClusterConfiguration(cfg *ecs.ClusterConfiguration) error {
	if cfg == nil || cfg.ExecuteCommandConfiguration == nil {
		return nil
	}
	x := cfg.ExecuteCommandConfiguration
	if x.Logging == ecs.ExecuteCommandLoggingOverride && x.LogConfiguration == nil {
		return invalidParameter("configuration.executeCommandConfiguration.logConfiguration is required when logging is OVERRIDE.")
	}
	return nil
}
