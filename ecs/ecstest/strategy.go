package ecstest

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ecscore/ecscore/ecs"
)

// The BLUE_GREEN, LINEAR and CANARY deployment strategies of the ECS
// deployment controller (the developer guide's "Amazon ECS blue/green
// deployments", "Amazon ECS linear deployments", "Amazon ECS canary
// deployments" and "Lifecycle hooks for Amazon ECS service deployments":
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/linear-deployment.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html).
//
// A deployment of one of them that replaces running tasks goes through
// the lifecycle stages in order (strategy_run.go): RECONCILE_SERVICE
// (only when more than one revision is ACTIVE), PRE_SCALE_UP, SCALE_UP
// (the green revision scales up to 100% beside the blue one, registered
// with the alternate target groups), POST_SCALE_UP, TEST_TRAFFIC_SHIFT
// (test traffic to green), POST_TEST_TRAFFIC_SHIFT,
// PRODUCTION_TRAFFIC_SHIFT (all at once for BLUE_GREEN; stepPercent at a
// time, stepBakeTimeInMinutes apart, for LINEAR; canaryPercent, then the
// rest after canaryBakeTimeInMinutes, for CANARY),
// POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME (bakeTimeInMinutes, both
// revisions running) and CLEAN_UP (blue scales down). Hooks run at the
// stages they name; a failed hook, the circuit breaker or an alarm rolls
// back: production and test traffic return to blue and green scales down.

// Bounds and defaults of the strategies' settings (the API reference's
// DeploymentConfiguration, LinearConfiguration and CanaryConfiguration).
const (
	maxBakeMinutes      = 1440
	defaultStepPercent  = 10.0
	defaultStepBake     = 6
	defaultCanaryPct    = 5.0
	defaultCanaryBake   = 10
	minStepPercent      = 3.0
	minCanaryPercent    = 0.1
	defaultHookCallBack = 30 // seconds before an IN_PROGRESS Lambda hook is invoked again
	// A lifecycle hook's timeoutInMinutes: 1440 (24 hours) when its
	// timeoutConfiguration names none, at most 20160 (14 days)
	// (DeploymentLifecycleHookTimeoutConfiguration, ECS API Reference).
	defaultHookTimeout = 1440
	maxHookTimeout     = 20160
)

// shiftsTraffic reports whether a deployment strategy shifts traffic
// between a blue and a green revision.
func shiftsTraffic(s ecs.DeploymentStrategy) bool {
	return s == ecs.DeploymentStrategyBlueGreen || s == ecs.DeploymentStrategyLinear || s == ecs.DeploymentStrategyCanary
}

// fillStrategy fills in the defaults of the strategy's own settings, as
// ECS shows them: linearConfiguration for LINEAR, canaryConfiguration for
// CANARY.
func fillStrategy(cfg *ecs.DeploymentConfiguration) {
	switch cfg.Strategy {
	case ecs.DeploymentStrategyLinear:
		if cfg.LinearConfiguration == nil {
			cfg.LinearConfiguration = &ecs.LinearConfiguration{StepPercent: defaultStepPercent, StepBakeTimeInMinutes: defaultStepBake}
		} else if cfg.LinearConfiguration.StepPercent == 0 {
			cfg.LinearConfiguration.StepPercent = defaultStepPercent
		}
	case ecs.DeploymentStrategyCanary:
		if cfg.CanaryConfiguration == nil {
			cfg.CanaryConfiguration = &ecs.CanaryConfiguration{CanaryPercent: defaultCanaryPct, CanaryBakeTimeInMinutes: defaultCanaryBake}
		} else if cfg.CanaryConfiguration.CanaryPercent == 0 {
			cfg.CanaryConfiguration.CanaryPercent = defaultCanaryPct
		}
	}
}

// tenths reports whether p is a multiple of 0.1 (within rounding).
func tenths(p float64) bool { return math.Abs(p*10-math.Round(p*10)) < 1e-6 }

// checkStrategy checks the strategy settings of a deployment
// configuration: a known strategy; bakeTimeInMinutes (0 to 1440),
// required for BLUE_GREEN; linearConfiguration only for LINEAR
// (stepPercent a multiple of 0.1 from 3 to 100, stepBakeTimeInMinutes 0
// to 1440); canaryConfiguration only for CANARY (canaryPercent a multiple
// of 0.1 from 0.1 to 100, canaryBakeTimeInMinutes 0 to 1440); lifecycle
// hooks only for the strategies that shift traffic.
func checkStrategy(cfg *ecs.DeploymentConfiguration) error {
	if cfg == nil {
		return nil
	}
	s := cfg.Strategy
	if s != "" && !s.Known() {
		return invalidParameter("deploymentConfiguration.strategy %q is not valid: use ROLLING, BLUE_GREEN, LINEAR or CANARY.", s)
	}
	shifting := shiftsTraffic(s)
	switch b := cfg.BakeTimeInMinutes; {
	case b != nil && (*b < 0 || *b > maxBakeMinutes):
		return invalidParameter("deploymentConfiguration.bakeTimeInMinutes %d is out of range: it must be 0 to %d.", *b, maxBakeMinutes)
	case b == nil && s == ecs.DeploymentStrategyBlueGreen:
		return invalidParameter("deploymentConfiguration.bakeTimeInMinutes is required for the BLUE_GREEN deployment strategy.")
	case b != nil && !shifting:
		return invalidParameter("deploymentConfiguration.bakeTimeInMinutes is only valid with the deployment strategies BLUE_GREEN, LINEAR and CANARY.")
	}
	if lc := cfg.LinearConfiguration; lc != nil {
		switch {
		case s != ecs.DeploymentStrategyLinear:
			return invalidParameter("deploymentConfiguration.linearConfiguration is only valid with the LINEAR deployment strategy.")
		case lc.StepPercent != 0 && (lc.StepPercent < minStepPercent || lc.StepPercent > 100 || !tenths(lc.StepPercent)):
			return invalidParameter("deploymentConfiguration.linearConfiguration.stepPercent %g is not valid: it must be a multiple of 0.1 from 3.0 to 100.0.", lc.StepPercent)
		case lc.StepBakeTimeInMinutes < 0 || lc.StepBakeTimeInMinutes > maxBakeMinutes:
			return invalidParameter("deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes %d is out of range: it must be 0 to %d.", lc.StepBakeTimeInMinutes, maxBakeMinutes)
		}
	}
	if cc := cfg.CanaryConfiguration; cc != nil {
		switch {
		case s != ecs.DeploymentStrategyCanary:
			return invalidParameter("deploymentConfiguration.canaryConfiguration is only valid with the CANARY deployment strategy.")
		case cc.CanaryPercent != 0 && (cc.CanaryPercent < minCanaryPercent || cc.CanaryPercent > 100 || !tenths(cc.CanaryPercent)):
			return invalidParameter("deploymentConfiguration.canaryConfiguration.canaryPercent %g is not valid: it must be a multiple of 0.1 from 0.1 to 100.0.", cc.CanaryPercent)
		case cc.CanaryBakeTimeInMinutes < 0 || cc.CanaryBakeTimeInMinutes > maxBakeMinutes:
			return invalidParameter("deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes %d is out of range: it must be 0 to %d.", cc.CanaryBakeTimeInMinutes, maxBakeMinutes)
		}
	}
	if len(cfg.LifecycleHooks) > 0 && !shifting {
		return invalidParameter("deploymentConfiguration.lifecycleHooks are only valid with the deployment strategies BLUE_GREEN, LINEAR and CANARY.")
	}
	for i := range cfg.LifecycleHooks {
		if err := checkHook(i, &cfg.LifecycleHooks[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkHook checks a lifecycle hook (the API reference's
// DeploymentLifecycleHook): a known target type (AWS_LAMBDA by default);
// a Lambda function ARN and a role for AWS_LAMBDA; at least one known
// stage, and for PAUSE none of the traffic shifts; a timeout action of
// CONTINUE or ROLLBACK and a positive timeout.
func checkHook(i int, h *ecs.DeploymentLifecycleHook) error {
	field := "deploymentConfiguration.lifecycleHooks[" + strconv.Itoa(i) + "]"
	tt := hookType(h)
	switch {
	case !tt.Known():
		return invalidParameter("%s.targetType %q is not valid: use AWS_LAMBDA or PAUSE.", field, h.TargetType)
	case tt == ecs.DeploymentLifecycleHookTargetTypeAwsLambda && !isLambdaARN(h.HookTargetARN):
		return invalidParameter("%s.hookTargetArn %q is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME): an AWS_LAMBDA hook needs one.", field, h.HookTargetARN)
	case tt == ecs.DeploymentLifecycleHookTargetTypeAwsLambda && h.RoleARN == "":
		return invalidParameter("%s.roleArn is required: the role that lets Amazon ECS invoke the Lambda function.", field)
	case len(h.LifecycleStages) == 0:
		return invalidParameter("%s.lifecycleStages is required.", field)
	}
	for _, st := range h.LifecycleStages {
		switch {
		case !st.Known():
			return invalidParameter("%s.lifecycleStages: %q is not a lifecycle stage.", field, st)
		case tt == ecs.DeploymentLifecycleHookTargetTypePause &&
			(st == ecs.DeploymentLifecycleHookStageTestTrafficShift || st == ecs.DeploymentLifecycleHookStageProductionTrafficShift):
			return invalidParameter("%s: a PAUSE hook cannot run at %s.", field, st)
		}
	}
	if tc := h.TimeoutConfiguration; tc != nil {
		if tc.Action != "" && !tc.Action.Known() {
			return invalidParameter("%s.timeoutConfiguration.action %q is not valid: use CONTINUE or ROLLBACK.", field, tc.Action)
		}
		if tc.TimeoutInMinutes != nil && (*tc.TimeoutInMinutes < 1 || *tc.TimeoutInMinutes > maxHookTimeout) {
			return invalidParameter("%s.timeoutConfiguration.timeoutInMinutes %d is out of range: 1 to %d minutes.", field, *tc.TimeoutInMinutes, maxHookTimeout)
		}
	}
	return nil
}

// hookType returns a hook's target type, AWS_LAMBDA when it names none.
func hookType(h *ecs.DeploymentLifecycleHook) ecs.DeploymentLifecycleHookTargetType {
	if h.TargetType == "" {
		return ecs.DeploymentLifecycleHookTargetTypeAwsLambda
	}
	return h.TargetType
}

// isLambdaARN reports whether arn is a Lambda function's ARN.
func isLambdaARN(arn string) bool {
	parts := strings.Split(arn, ":")
	return len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" && parts[6] != ""
}

// productionSteps returns the green revision's share of production
// traffic after each shift of a deployment of cfg, in percent: 100 at
// once for BLUE_GREEN; stepPercent, twice that, … up to 100 for LINEAR;
// canaryPercent then 100 for CANARY. It works in tenths of a percent, so
// that the last step is exactly 100.
func productionSteps(cfg *ecs.DeploymentConfiguration) []float64 {
	var step int
	switch cfg.Strategy {
	case ecs.DeploymentStrategyLinear:
		step = int(math.Round(cfg.LinearConfiguration.StepPercent * 10))
	case ecs.DeploymentStrategyCanary:
		c := int(math.Round(cfg.CanaryConfiguration.CanaryPercent * 10))
		if c >= 1000 {
			return []float64{100}
		}
		return []float64{float64(c) / 10, 100}
	default:
		return []float64{100}
	}
	var out []float64
	for at := step; ; at += step {
		if at >= 1000 {
			return append(out, 100)
		}
		out = append(out, float64(at)/10)
	}
}

// stepBake returns how long a deployment of cfg waits after production
// traffic shift number i of n (none after the last).
func stepBake(cfg *ecs.DeploymentConfiguration, i, n int) int {
	if i >= n-1 {
		return 0
	}
	switch cfg.Strategy {
	case ecs.DeploymentStrategyLinear:
		return cfg.LinearConfiguration.StepBakeTimeInMinutes
	case ecs.DeploymentStrategyCanary:
		return cfg.CanaryConfiguration.CanaryBakeTimeInMinutes
	}
	return 0
}

// stageOrder returns the lifecycle stages of a deployment, in order;
// RECONCILE_SERVICE only when more than one revision is ACTIVE.
func stageOrder(reconcile bool) []ecs.ServiceDeploymentLifecycleStage {
	out := []ecs.ServiceDeploymentLifecycleStage{
		ecs.ServiceDeploymentLifecycleStagePreScaleUp, ecs.ServiceDeploymentLifecycleStageScaleUp,
		ecs.ServiceDeploymentLifecycleStagePostScaleUp, ecs.ServiceDeploymentLifecycleStageTestTrafficShift,
		ecs.ServiceDeploymentLifecycleStagePostTestTrafficShift, ecs.ServiceDeploymentLifecycleStageProductionTrafficShift,
		ecs.ServiceDeploymentLifecycleStagePostProductionTrafficShift, ecs.ServiceDeploymentLifecycleStageBakeTime,
		ecs.ServiceDeploymentLifecycleStageCleanUp,
	}
	if reconcile {
		out = slices.Insert(out, 0, ecs.ServiceDeploymentLifecycleStageReconcileService)
	}
	return out
}

// mergeStrategy sets in out the strategy settings upd gives, and fills
// in the defaults of the strategy out ends with.
func mergeStrategy(out, upd *ecs.DeploymentConfiguration) {
	if upd.BakeTimeInMinutes != nil {
		out.BakeTimeInMinutes = upd.BakeTimeInMinutes
	}
	if upd.LifecycleHooks != nil {
		out.LifecycleHooks = slices.Clone(upd.LifecycleHooks)
	}
	if upd.LinearConfiguration != nil {
		out.LinearConfiguration = deepCopy(upd.LinearConfiguration)
	}
	if upd.CanaryConfiguration != nil {
		out.CanaryConfiguration = deepCopy(upd.CanaryConfiguration)
	}
	if upd.Strategy != "" && upd.Strategy != ecs.DeploymentStrategyLinear && upd.LinearConfiguration == nil {
		out.LinearConfiguration = nil
	}
	if upd.Strategy != "" && upd.Strategy != ecs.DeploymentStrategyCanary && upd.CanaryConfiguration == nil {
		out.CanaryConfiguration = nil
	}
	fillStrategy(out)
}
