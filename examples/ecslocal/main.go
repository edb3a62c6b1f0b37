// Command ecslocal serves an in-memory ECS (package ecstest) over the ECS
// API, for the aws CLI and the AWS SDKs:
//
//	ecslocal [-addr HOST:PORT] [-cluster-file INSTANCES.json [-tasks-file TASKS.json ...]]
//	         [-cluster NAME] [-region R] [-account A] [-speed X] [-seed S]
//	         [-allow-host NAME ...] [-read-header-timeout D] [-read-timeout D] [-idle-timeout D]
//
// It listens on 127.0.0.1:8555 by default (port 0 picks a free port), and
// when ready prints one line to standard output, with the address it
// listens on:
//
//	ecslocal listening on http://HOST:PORT
//
// Its address opened in a browser (GET / accepting text/html) is the
// console: a read-only page of its clusters, what each container instance
// has left, its services with their deployments and events, and its
// tasks, which refreshes itself while the clock moves (see
// ecstest.ECS.Handler).
//
// Only its user drives it. It answers requests whose Host header names a
// loopback address (localhost, 127.0.0.0/8, [::1]), the address of -addr
// (every address of the machine, for 0.0.0.0 or [::]), or a name given
// with -allow-host, and refuses the rest with status 403, so that a web
// page that rebinds its DNS name to 127.0.0.1 cannot drive it; it refuses
// requests from pages of other sites (an Origin header), and a POST to a
// control endpoint with a form's Content-Type. Listening on an address
// other than loopback, it warns on standard error: it has no
// authentication, and anyone who can reach the port can drive it. A
// connection has -read-header-timeout (10 s) to send its headers,
// -read-timeout (30 s) to send its whole request, and may stay idle
// -idle-timeout (60 s) between requests; a body is at most 1 MiB, and
// beyond 64 requests at once the API answers ThrottlingException.
//
// It creates the cluster -cluster at start, and loads into it the
// container instances of -cluster-file, an output of
// aws ecs describe-container-instances, as busy as their
// remainingResources say. -tasks-file, an output of aws ecs describe-tasks
// (given once per file, since describe-tasks describes 100 tasks at most),
// adds the tasks already running on those instances: they hold what they
// take, count for their task groups and run until stopped (see
// ecstest.ECS.LoadCluster). Its clock runs at -speed × real
// time (60 by default: a real second is a virtual minute); with -speed 0 it
// moves only when POST /_ecslocal/advance?seconds=N moves it. Every
// fault of the Go API (a container exits, a task fails to start, a health
// check fails, an instance is drained or terminated or loses its agent,
// Spot interruptions, an Availability Zone lost, alarms) and settle are
// POSTs under /_ecslocal/ with JSON bodies, which ecslocal -h lists. It
// exits 0 on SIGINT or SIGTERM.
//
//	go run ./examples/ecslocal -addr 127.0.0.1:0
//	AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws ecs list-clusters \
//	    --region us-east-1 --endpoint-url http://127.0.0.1:PORT
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/ecscore/ecscore/ecs"
	"github.com/ecscore/ecscore/ecs/ecstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "ecslocal:", err)
		os.Exit(1)
	}
}

// errUsage marks a command line that flag has already reported.
var errUsage = errors.New("usage")

// config is what the command line asks for.
type config struct {
	addr, clusterFile, cluster, region, account string
	taskFiles, allowHosts                       []string
	speed                                       float64
	perRequest                                  time.Duration
	seed                                        uint64
	timeouts                                    ecstest.Timeouts
}

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("ecslocal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8555", "`HOST:PORT` to listen on; port 0 picks a free port")
	fs.StringVar(&c.clusterFile, "cluster-file", "", "load the container instances of this describe-container-instances `output` into the cluster")
	fs.Func("tasks-file", "load the tasks of this describe-tasks `output` with the container instances of -cluster-file (may be repeated)",
		func(path string) error {
			c.taskFiles = append(c.taskFiles, path)
			return nil
		})
	fs.StringVar(&c.cluster, "cluster", "default", "`name` of the cluster to create at start")
	fs.StringVar(&c.region, "region", "us-east-1", "`Region` named in ARNs")
	fs.StringVar(&c.account, "account", "123456789012", "`account` named in ARNs")
	fs.Float64Var(&c.speed, "speed", ecstest.DefaultSpeed, "virtual seconds per real `second`; 0 stops the clock")
	fs.Uint64Var(&c.seed, "seed", 1, "`seed` of the identifiers")
	fs.DurationVar(&c.perRequest, "advance-per-request", 0, "move the clock this `duration` forward after each API request (with -speed 0, a client's polls drive time)")
	fs.Func("allow-host", "answer requests for this host `name` too, beside loopback and -addr's (may be repeated)",
		func(host string) error {
			if strings.TrimSpace(host) == "" {
				return errors.New("empty host")
			}
			c.allowHosts = append(c.allowHosts, host)
			return nil
		})
	d := ecstest.DefaultTimeouts()
	fs.DurationVar(&c.timeouts.ReadHeader, "read-header-timeout", d.ReadHeader, "the most `time` a connection takes to send a request's headers")
	fs.DurationVar(&c.timeouts.Read, "read-timeout", d.Read, "the most `time` a connection takes to send a whole request")
	fs.DurationVar(&c.timeouts.Idle, "idle-timeout", d.Idle, "the most `time` a kept-alive connection waits for its next request")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, errUsage
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	case len(c.taskFiles) > 0 && c.clusterFile == "":
		return c, errors.New("-tasks-file needs -cluster-file: tasks are loaded on the container instances it describes")
	case !(c.speed >= 0 && c.speed <= ecstest.MaxSpeed): // NaN fails both
		return c, fmt.Errorf("-speed %v is not a number from 0 to %v (ecstest.MaxSpeed)", c.speed, ecstest.MaxSpeed)
	case !regionPattern.MatchString(c.region):
		return c, fmt.Errorf("-region %q is not a Region name such as us-east-1", c.region)
	case !accountPattern.MatchString(c.account):
		return c, fmt.Errorf("-account %q is not 12 digits", c.account)
	case c.timeouts.ReadHeader <= 0 || c.timeouts.Read <= 0 || c.timeouts.Idle <= 0:
		return c, errors.New("-read-header-timeout, -read-timeout and -idle-timeout must be more than 0")
	}
	return c, nil
}

// usage prints the command line, its flags and the control endpoints
// beside the API.
func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprintln(w, "Usage: ecslocal [flags]\n\nServes an in-memory ECS over the ECS API, for the aws CLI and the AWS SDKs.\n\nFlags:")
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nControl endpoints, beside the API (a POST takes a JSON body, Content-Type application/json,\n"+
		"or the header X-Ecslocal-Control: 1; it is served by the Region its SigV4 signature names):")
	for _, c := range ecstest.ControlEndpoints() {
		fmt.Fprintf(w, "\n  %s %s %s\n    \t%s\n", c.Method, c.Path, c.Body, c.Doc)
	}
}

// run serves until ctx is done, then stops and returns nil.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	clock := ecstest.NewClock(time.Now(), c.speed)
	defer clock.Close()
	e := ecstest.New(ecstest.WithRegion(c.region), ecstest.WithAccount(c.account),
		ecstest.WithSeed(c.seed), ecstest.WithClock(clock), ecstest.WithAdvancePerRequest(c.perRequest),
		ecstest.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))
	defer e.Close()
	if err := setUp(ctx, e, c, stderr); err != nil {
		return err
	}
	// POST /_ecslocal/reset (and moto's /moto-api/reset) sets the server up
	// again as it started: its cluster, and what the files load into it.
	e.OnReset(func(ctx context.Context) error { return setUp(ctx, e, c, io.Discard) })

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	hosts, exposed := listenHosts(ln.Addr())
	srv := &http.Server{Handler: e.Handler(ecstest.AllowHosts(append(hosts, c.allowHosts...)...))}
	c.timeouts.Apply(srv)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	shown := listenAddr(c.addr, ln.Addr())
	if exposed {
		fmt.Fprintf(stderr, "ecslocal: warning: listening on %s, not a loopback address: anyone who can reach it can create, run and stop "+
			"anything in this ECS, with no credentials; use -addr 127.0.0.1:PORT to keep it to this machine\n", describeListen(shown, ln.Addr()))
	}
	fmt.Fprintf(stdout, "ecslocal listening on http://%s\n", shown)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	return nil
}

// setUp creates the cluster and loads the cluster file, and the tasks
// files, into it.
func setUp(ctx context.Context, e *ecstest.ECS, c config, stderr io.Writer) error {
	if _, err := e.CreateCluster(ctx, &ecs.CreateClusterRequest{ClusterName: c.cluster}); err != nil {
		return fmt.Errorf("-cluster: %w", err)
	}
	if c.clusterFile == "" {
		return nil
	}
	data, err := os.ReadFile(c.clusterFile)
	if err != nil {
		return fmt.Errorf("-cluster-file: %w", err)
	}
	var skipped []string // members of a newer API than the library's
	list, _, err := ecs.DecodeContainerInstances(data, func(o *ecs.DecodeOptions) { o.Lenient, o.Skipped = true, &skipped })
	if err != nil {
		return fmt.Errorf("-cluster-file %s: %w", c.clusterFile, err)
	}
	for _, path := range skipped {
		fmt.Fprintf(stderr, "ecslocal: -cluster-file %s: skipped unknown member %s\n", c.clusterFile, path)
	}
	var tasks []ecs.Task
	for _, file := range c.taskFiles {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("-tasks-file: %w", err)
		}
		skipped = skipped[:0]
		more, _, err := ecs.DecodeTasks(data, func(o *ecs.DecodeOptions) { o.Lenient, o.Skipped = true, &skipped })
		if err != nil {
			return fmt.Errorf("-tasks-file %s: %w", file, err)
		}
		for _, path := range skipped {
			fmt.Fprintf(stderr, "ecslocal: -tasks-file %s: skipped unknown member %s\n", file, path)
		}
		tasks = append(tasks, more...)
	}
	loaded, loadedTasks, err := e.LoadCluster(ctx, c.cluster, list, tasks)
	if err != nil {
		if len(c.taskFiles) > 0 {
			return fmt.Errorf("-cluster-file %s, -tasks-file %s: %w", c.clusterFile, strings.Join(c.taskFiles, ", "), err)
		}
		return fmt.Errorf("-cluster-file %s: %w", c.clusterFile, err)
	}
	if len(c.taskFiles) == 0 {
		fmt.Fprintf(stderr, "ecslocal: loaded %d container instances into cluster %s\n", len(loaded), c.cluster)
		return nil
	}
	fmt.Fprintf(stderr, "ecslocal: loaded %d container instances and %d tasks into cluster %s", len(loaded), len(loadedTasks), c.cluster)
	if n := len(tasks) - len(loadedTasks); n > 0 {
		fmt.Fprintf(stderr, " (%d tasks skipped: stopped, on Fargate or on no container instance of -cluster-file)", n)
	}
	fmt.Fprintln(stderr)
	return nil
}

// listenHosts returns the hosts a request to addr may name beside
// loopback (addr's IP, or every address of the machine's interfaces when
// addr's IP is unspecified), and whether addr is reachable from other
// machines.
func listenHosts(addr net.Addr) (hosts []string, exposed bool) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return nil, false
	}
	if !tcp.IP.IsUnspecified() {
		return []string{tcp.IP.String()}, true
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok {
				hosts = append(hosts, ipnet.IP.String())
			}
		}
	}
	return hosts, true
}

// listenAddr returns the address ecslocal listens on, as -addr asked
// for it: its IP address as written (0.0.0.0 stays 0.0.0.0, though Go
// listens on [::] for it) and the port the listener took; for a name
// (localhost) or no host, the listener's own address.
func listenAddr(asked string, addr net.Addr) string {
	host, _, err := net.SplitHostPort(asked)
	_, port, err2 := net.SplitHostPort(addr.String())
	if err != nil || err2 != nil || net.ParseIP(host) == nil {
		return addr.String()
	}
	return net.JoinHostPort(host, port)
}

// describeListen names the interfaces of the listener at addr, shown as
// shown, for the warning.
func describeListen(shown string, addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return shown + ", every interface of this machine"
	}
	return shown
}
