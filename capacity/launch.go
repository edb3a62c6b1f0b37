package capacity

import (
	"slices"
	"strconv"

	"github.com/ecscore/ecscore/ecs"
)

// Launch is where a task or service gets its capacity once ECS has applied
// its defaults: a launch type, or a capacity provider strategy.
type Launch struct {
	// LaunchType is set when the capacity is a launch type, Strategy
	// otherwise.
	LaunchType ecs.LaunchType
	// Strategy is the capacity provider strategy in force.
	Strategy []ecs.CapacityProviderStrategyItem
	// Default reports that Strategy is the cluster's default strategy.
	Default bool
	// Fallback reports that neither a launch type nor a strategy was
	// given, the cluster has no default strategy, and ECS fell back to
	// the EC2 launch type (an assumption: see the package documentation).
	Fallback bool
}

const (
	conflictMsg = "Specifying both a launch type and capacity provider strategy is not supported. " +
		"Remove one and try again."
	managedInstancesMsg = "The MANAGED_INSTANCES launch type can't be specified. To use Amazon ECS " +
		"Managed Instances, specify a capacity provider strategy and omit the launch type."
	notAssociatedMsg = "The specified capacity provider strategy cannot contain a capacity provider " +
		"that is not associated with the cluster."
)

// Resolve applies ECS's rules (rule 130, Open point 12) to the launchType
// and capacityProviderStrategy of a RunTask or CreateService request on
// cluster:
//
//   - both given: refused;
//   - a launch type: used as it is, except MANAGED_INSTANCES, which needs a
//     strategy;
//   - a strategy: validated, and each provider must be associated with
//     cluster (when cluster is not nil);
//   - neither: the cluster's default strategy, whose weights must not all
//     be 0 when it has several items; with no default, the EC2 launch type.
//
// The error is an *ecs.APIError wrapping ecs.ErrInvalid.
func Resolve(launchType ecs.LaunchType, strategy []ecs.CapacityProviderStrategyItem, cluster *ecs.Cluster) (Launch, error) {
	switch {
	case launchType != "" && len(strategy) > 0:
		return Launch{}, problemErr(ecs.Finding{Severity: ecs.SeverityError, Path: "launchType", Code: CodeLaunchTypeConflict,
			Exception: ecs.InvalidParameterException, Message: conflictMsg})
	case launchType != "":
		return launchOf(launchType)
	case len(strategy) > 0:
		if err := ValidateStrategy(strategy); err != nil {
			return Launch{}, err
		}
		if err := associated(strategy, cluster); err != nil {
			return Launch{}, err
		}
		return Launch{Strategy: slices.Clone(strategy)}, nil
	}
	if cluster == nil || len(cluster.DefaultCapacityProviderStrategy) == 0 {
		return Launch{LaunchType: ecs.LaunchTypeEC2, Fallback: true}, nil
	}
	def := cluster.DefaultCapacityProviderStrategy
	if err := firstErr(strategyProblems(def, "defaultCapacityProviderStrategy", defaultNoWeightMsg)); err != nil {
		return Launch{}, err
	}
	return Launch{Strategy: slices.Clone(def), Default: true}, nil
}

func launchOf(lt ecs.LaunchType) (Launch, error) {
	if p, bad := enumProblem(string(lt), "launchType", "launchType", enumStrings(lt.Values())...); bad {
		p.Code = CodeLaunchType
		return Launch{}, problemErr(p)
	}
	if lt == ecs.LaunchTypeManagedInstances {
		return Launch{}, problemErr(ecs.Finding{Severity: ecs.SeverityError, Path: "launchType", Code: CodeLaunchType,
			Exception: ecs.InvalidParameterException, Message: managedInstancesMsg})
	}
	return Launch{LaunchType: lt}, nil
}

func associated(strategy []ecs.CapacityProviderStrategyItem, cluster *ecs.Cluster) error {
	if cluster == nil {
		return nil
	}
	for i, it := range strategy {
		if !slices.Contains(cluster.CapacityProviders, it.CapacityProvider) {
			return problemErr(ecs.Finding{Severity: ecs.SeverityError,
				Path: "capacityProviderStrategy[" + strconv.Itoa(i) + "].capacityProvider",
				Code: CodeNotAssociated, Exception: ecs.InvalidParameterException, Message: notAssociatedMsg,
			})
		}
	}
	return nil
}

// Fargate reports whether tasks launched this way run on Fargate: the
// FARGATE launch type, or a strategy of Fargate providers.
func (l Launch) Fargate() bool {
	return l.LaunchType == ecs.LaunchTypeFargate || StrategyIsFargate(l.Strategy)
}

// StrategyIsFargate reports whether a capacity provider strategy runs its
// tasks on Fargate: it has items and they are all FARGATE or FARGATE_SPOT.
// A valid strategy cannot mix Fargate and Auto Scaling group providers
// (rule 135), so for one "all items" and "any item" are the same.
func StrategyIsFargate(strategy []ecs.CapacityProviderStrategyItem) bool {
	for _, it := range strategy {
		if !IsFargate(it.CapacityProvider) {
			return false
		}
	}
	return len(strategy) > 0
}
