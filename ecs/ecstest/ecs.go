package ecstest

import (
	"log/slog"
	"sync"
	"time"

	"github.com/ecscore/ecscore/capacity"
	"github.com/ecscore/ecscore/ecs"
)

// ECS is an in-memory ECS control plane for one account and Region: the
// task definition registry, clusters and their container instances, on a
// virtual clock. Its methods named after API operations behave as those
// operations do and fail with *ecs.APIError values of the API's exception
// types; Handler serves the same operations over the ECS JSON protocol.
//
// Values it returns are copies: changing them changes nothing in the
// control plane. An ECS is safe for concurrent use.
//
// Make an ECS with New. The zero ECS, like a nil *ECS, is not usable:
// every method returns a ClientException *ecs.APIError wrapping
// ecs.ErrInvalid, or a zero result (Handler a handler that answers every
// request with a ServerException), and Close does nothing. A method that
// takes a request refuses a nil one with an InvalidParameterException.
type ECS struct {
	arns     arns
	clock    *Clock
	ownClock bool
	catalog  *ecs.Catalog
	registry *ecs.Registry
	logger   *slog.Logger
	seed     uint64
	timing   Timing
	quotas   Quotas
	strict   bool          // refuse unknown request members (Options.StrictRequests)
	perReq   time.Duration // Options.AdvancePerRequest

	registryOptions func(*ecs.RegistryOptions) // the Region, account and clock of e's registries

	mu        sync.Mutex
	slabs     slabs // where tasks and their containers are allocated
	ids       *idSource
	clusters  map[string]*cluster          // by name, INACTIVE ones included
	faults    []*taskFaults                // in the order they were injected
	lostZones map[string]bool              // Availability Zones lost (LoseZone)
	alarms    map[string]bool              // CloudWatch alarms in ALARM (SetAlarm)
	providers map[string]*capacityProvider // Auto Scaling group providers, by name
	groups    map[string]*asgroup          // simulated Auto Scaling groups, by name

	// A scheduler step's buffers, kept from one to the next: the steps
	// run one at a time, under mu.
	stepTasks []ecs.Task
	stepOwner *service // whose tasks stepTasks holds

	// What tasks share, never changed: the overrides of the tasks of a
	// task definition started without (by its ARN), the attributes of
	// the tasks of a CPU architecture.
	plainOverrides map[string]*ecs.TaskOverride
	archAttrs      map[string][]ecs.Attribute
	subnets        map[string]*subnetAddrs // the addresses of awsvpc tasks, by subnet
	numbers        map[int]string          // decimal strings tasks share (itoa)

	regions *regionSet // the control planes of the account's Regions, this one's included

	settings  accountSettings            // the account settings, with a lock of their own (settings.go)
	protected map[string]time.Time       // tasks protected from scale-in: until when, by task ARN (protection.go)
	history   history                    // the service deployments and revisions (deployments.go)
	lb        lbState                    // target groups, targets and deployment strategies (targets.go, strategy.go)
	daemons   daemonState                // the managed daemons and their history (daemons.go)
	express   map[string]*expressService // Express Gateway services, by service ARN (express.go)
	aas       aasState                   // Application Auto Scaling's targets and the load of services (appscaling.go)
	events    eventsState                // EventBridge rules of scheduled tasks (events.go)
	prices    *capacity.PriceTable       // what Managed Instances choose types by (Options.Prices)
	spot      spotState                  // the Spot interruption model and its counts (spot.go)
}

// Options configure an ECS. New starts from the defaults each member
// names and then runs its option functions on them, in order.
type Options struct {
	// Region is the Region named in ARNs (default us-east-1).
	Region string
	// Account is the account named in ARNs (default 123456789012).
	Account string
	// Seed is what identifiers (container instance IDs, EC2 instance IDs,
	// request IDs) derive from (default 1). The same seed and the same
	// operations give the same identifiers.
	Seed uint64
	// Clock is the virtual clock (default: a Clock started at the real
	// time now, running at DefaultSpeed, which Close closes). Give
	// NewClock(t0, 0) for a run in which time moves only when the test
	// moves it.
	Clock *Clock
	// Catalog is the instance type catalogue that container instances
	// registered without totalResources take their resources from
	// (default ecs.DefaultCatalog()).
	Catalog *ecs.Catalog
	// StrictRequests makes the served API refuse a request with a member
	// its shape does not define, with a SerializationException naming
	// it, for tests that want a typo caught. By default such a member is
	// skipped, as ECS skips it.
	StrictRequests bool
	// Logger is where the server reports faults of its own (a recovered
	// panic answered with a ServerException). The default reports
	// nowhere.
	Logger *slog.Logger
	// Timing is how long the stages of the task lifecycle take (default
	// DefaultTiming()). Negative durations count as zero.
	Timing Timing
	// Quotas are the quotas the ECS enforces (default DefaultQuotas());
	// members below 1 keep their default.
	Quotas Quotas
	// AdvancePerRequest, when above 0, moves the clock this much forward
	// after each API request the Handler serves, as Clock.Advance does:
	// a client that polls (an SDK waiter, a loop on DescribeServices)
	// sees the world move at the pace of its requests, on a stopped
	// clock, with no goroutine to move time. Calls of the Go methods do
	// not move it.
	AdvancePerRequest time.Duration
	// Prices is the price table Managed Instances capacity providers
	// choose the cheapest instance types by (default
	// capacity.DefaultPrices()).
	Prices *capacity.PriceTable
	// Spot is the Spot interruption model (default: none; SetSpotModel
	// changes it).
	Spot SpotModel
}

// WithRegion is the option that sets Options.Region.
func WithRegion(region string) func(*Options) { return func(o *Options) { o.Region = region } }

// WithAccount is the option that sets Options.Account.
func WithAccount(account string) func(*Options) { return func(o *Options) { o.Account = account } }

// WithSeed is the option that sets Options.Seed.
func WithSeed(seed uint64) func(*Options) { return func(o *Options) { o.Seed = seed } }

// WithClock is the option that sets Options.Clock.
func WithClock(c *Clock) func(*Options) { return func(o *Options) { o.Clock = c } }

// WithPrices is the option that sets Options.Prices.
func WithPrices(t *capacity.PriceTable) func(*Options) { return func(o *Options) { o.Prices = t } }

// WithCatalog is the option that sets Options.Catalog.
func WithCatalog(c *ecs.Catalog) func(*Options) { return func(o *Options) { o.Catalog = c } }

// WithStrictRequests is the option that sets Options.StrictRequests.
func WithStrictRequests() func(*Options) { return func(o *Options) { o.StrictRequests = true } }

// WithLogger is the option that sets Options.Logger.
func WithLogger(l *slog.Logger) func(*Options) { return func(o *Options) { o.Logger = l } }

// WithTiming is the option that sets Options.Timing.
func WithTiming(t Timing) func(*Options) { return func(o *Options) { o.Timing = t } }

// WithQuotas is the option that sets Options.Quotas.
func WithQuotas(q Quotas) func(*Options) { return func(o *Options) { o.Quotas = q } }

// WithAdvancePerRequest is the option that sets Options.AdvancePerRequest.
func WithAdvancePerRequest(d time.Duration) func(*Options) {
	return func(o *Options) { o.AdvancePerRequest = d }
}

// New returns an empty control plane: no clusters, no task definitions.
func New(optFns ...func(*Options)) *ECS {
	o := Options{Region: "us-east-1", Account: "123456789012", Seed: 1, Timing: DefaultTiming(), Quotas: DefaultQuotas()}
	for _, f := range optFns {
		if f != nil {
			f(&o)
		}
	}
	def := DefaultQuotas()
	e := &ECS{
		arns:    arns{region: o.Region, account: o.Account},
		seed:    o.Seed,
		clock:   o.Clock,
		catalog: o.Catalog,
		strict:  o.StrictRequests,
		logger:  o.Logger,
		timing:  o.Timing,
		perReq:  o.AdvancePerRequest,
		quotas: Quotas{
			ClustersPerRegion:           positiveOr(o.Quotas.ClustersPerRegion, def.ClustersPerRegion),
			InstancesPerCluster:         positiveOr(o.Quotas.InstancesPerCluster, def.InstancesPerCluster),
			ServicesPerCluster:          positiveOr(o.Quotas.ServicesPerCluster, def.ServicesPerCluster),
			TasksPerService:             positiveOr(o.Quotas.TasksPerService, def.TasksPerService),
			ProvisioningTasksPerCluster: positiveOr(o.Quotas.ProvisioningTasksPerCluster, def.ProvisioningTasksPerCluster),
		},
	}
	e.registryOptions = func(r *ecs.RegistryOptions) {
		r.Region, r.Account, r.Clock = e.arns.region, e.arns.account, e.clock.Now
	}
	if e.clock == nil {
		e.clock = NewClock(time.Now(), DefaultSpeed)
		e.ownClock = true
	}
	if e.catalog == nil {
		e.catalog = ecs.DefaultCatalog()
	}
	e.prices = o.Prices
	if e.prices == nil {
		e.prices = capacity.DefaultPrices()
	}
	if checkSpotModel(o.Spot) == nil {
		e.spot.model = o.Spot
	}
	if e.logger == nil {
		e.logger = slog.New(slog.DiscardHandler)
	}
	e.clear()
	e.regions = &regionSet{opts: optFns, byName: map[string]*ECS{e.arns.region: e}}
	return e
}

// clear sets the state of the control plane to New's: no clusters, task
// definitions, faults or capacity providers, and identifiers from the
// seed afresh. e.mu must be held, or e not yet shared.
func (e *ECS) clear() {
	for _, cl := range e.clusters {
		cl.dead = true // what a timer of its still holds runs no further
	}
	e.ids = newIDSource(e.seed)
	e.registry = ecs.NewRegistry(e.registryOptions)
	e.clusters = map[string]*cluster{}
	e.faults = nil
	e.lostZones = map[string]bool{}
	e.alarms = map[string]bool{}
	e.providers = map[string]*capacityProvider{}
	e.groups = map[string]*asgroup{}
	// The clock dropped the Spot timers; what the model drew before is void.
	e.spot.stats, e.spot.live, e.spot.tasks = SpotStats{}, nil, nil
	e.spot.gen++
	e.plainOverrides, e.archAttrs, e.subnets = nil, nil, nil
	e.stepTasks, e.stepOwner = nil, nil
	e.settings.reset()
	e.protected = nil
	e.history = history{}
	e.lb = lbState{}
	e.daemons = daemonState{}
	e.express = nil
	e.aas = aasState{gen: e.aas.gen + 1} // a timer of the old state runs no further
	e.events = eventsState{}
}

// Close releases what the control plane runs in the background: the clock
// it made for itself, if it made one. A Clock given with WithClock is the
// caller's to close.
func (e *ECS) Close() {
	if e.usable() != nil {
		return
	}
	if e.ownClock {
		e.clock.Close()
	}
}

// Clock returns the control plane's virtual clock.
func (e *ECS) Clock() *Clock {
	if e.usable() != nil {
		return nil
	}
	return e.clock
}

// Registry returns the task definition registry, which serves
// RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition,
// ListTaskDefinitions and ListTaskDefinitionFamilies.
func (e *ECS) Registry() *ecs.Registry {
	if e.usable() != nil {
		return nil
	}
	return e.registry
}

// Catalog returns the instance type catalogue.
func (e *ECS) Catalog() *ecs.Catalog {
	if e.usable() != nil {
		return nil
	}
	return e.catalog
}

// Region returns the Region named in ARNs.
func (e *ECS) Region() string {
	if e.usable() != nil {
		return ""
	}
	return e.arns.region
}

// Account returns the account named in ARNs.
func (e *ECS) Account() string {
	if e.usable() != nil {
		return ""
	}
	return e.arns.account
}
