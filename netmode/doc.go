// Package netmode decides which host ports and ENIs a task takes on a
// container instance under the ECS network modes: whether a task's ports
// can be bound there, which host ports it gets, and why not when it does
// not fit. Its entry points: New (an instance's network state), NewRequest
// (what a task definition asks for) and State.Allocate.
//
// # Use
//
// Read a task definition's network needs once with NewRequest, build the
// network state of each instance with New (Restore records the tasks a
// snapshot shows running), ask State.Fits of as many instances as needed,
// and Allocate on the one chosen. Release gives a stopped task's ports and
// ENI back:
//
//	req, err := netmode.NewRequest(td)
//	st, err := netmode.New(ci)
//	if why, ok := st.Fits(req); !ok { ... why.Reason ... }
//	alloc, err := st.Allocate(req) // alloc.Containers[i].NetworkBindings
//	err = st.Release(alloc)
//
// A caller that places many tasks keeps what each holds in compact form
// instead: Bind writes the first host port of each of the task's mappings
// into the caller's storage (Request.Mappings of them) and allocates
// nothing; Request.Bindings builds the bindings of many such tasks
// together, on demand; Unbind gives the ports back. Request.Matches tells,
// without allocating, whether a task definition still asks for a request
// read from it earlier, so that the request can be kept:
//
//	ports := make([]uint16, req.Mappings())
//	if why, ok := st.Bind(req, ports); !ok { ... }
//	bindings := req.Bindings(1, ports)[0] // as alloc.Containers
//	err = st.Unbind(req, ports)
//
// # Vocabulary
//
//   - Pool: the host ports of one protocol. TCP and UDP are separate pools:
//     a task holding 53/udp does not stop another binding 53/tcp.
//   - Reserved ports: ports no task may bind. An instance's are its
//     registered PORTS and PORTS_UDP resources when present, and only those;
//     otherwise TCP 22, 2375, 2376, 51678, 51679 and 51680 (MetricsPort,
//     which Options.OmitMetricsPort leaves out) and no UDP port.
//   - Static host port: a host port the task definition names, a bridge
//     mapping's hostPort or, in host mode, its containerPort.
//   - Dynamic port: a host port the instance picks from its dynamic range,
//     for a bridge mapping whose hostPort is 0 or absent. A bridge
//     containerPortRange takes a run of contiguous dynamic ports.
//   - Dynamic range: where dynamic ports come from; 49153–65535, the
//     agent's fallback, unless Options.DynamicRange sets it as
//     ECS_DYNAMIC_HOST_PORT_RANGE does (ECS-optimized AMIs read 32768–60999
//     from the kernel).
//   - Reserved-port limit: reserved ports plus static host ports in use,
//     TCP and UDP together, may not pass 100. Dynamic ports do not count.
//   - Next-fit: a fresh instance hands out the lowest free dynamic port,
//     then the first free one after the last port it handed out, wrapping
//     once to the start of the range; a port in use or reserved is never
//     handed out. After Restore the search continues after the highest
//     dynamic port in use. Release does not rewind it, as the agent does
//     not: the next task does not get the port the last one just let go.
//     Each pool has its own cursor (the agent keeps one for both).
//   - ENI: an awsvpc task binds no host port but takes one elastic network
//     interface. An instance runs its type's maximum ENIs − 1 awsvpc tasks,
//     or its type's trunk limit when it has the attribute
//     ecs.capability.task-eni-trunking (see AwsvpcTaskLimit). An instance
//     of a type the catalogue (ecs.Catalog) does not know takes none unless
//     Options.AwsvpcTaskLimit gives its limit.
//
// The modes: bridge (the default) binds static host ports, dynamic ports
// and ranges; host binds each containerPort as its host port, so two copies
// of a task with port mappings never share an instance; awsvpc binds no
// host port and takes one ENI; none binds nothing and takes no mapping.
//
// # Failures
//
// A task that does not fit gets a FitError: the ECS failure reason
// (RESOURCE:PORTS, RESOURCE:PORTS_UDP or RESOURCE:ENI), the Cause, and the
// port, count or limit that caused it. Fits returns it as a value;
// Allocate and Restore return a *FitError that errors.As unpacks, and
// change nothing. A task that fails several checks is refused for the
// first failure in the order of ECS's reasons: every TCP check
// (RESOURCE:PORTS), then every UDP check (RESOURCE:PORTS_UDP), then the
// ENI (RESOURCE:ENI). Within a protocol the checks run in a fixed order: a
// host port the task asks for twice, each static port in task definition
// order, the reserved-port limit, then the dynamic ports and ranges in task
// definition order. The limit counts the TCP and UDP ports together, and
// the task's TCP static ports take the room under it first, so a task
// whose TCP ports fit but whose UDP ports then pass the limit is refused
// for RESOURCE:PORTS_UDP.
//
// # Cost
//
// A State keeps each pool's reserved ports as a sorted slice of uint16,
// and the static and dynamic ports its tasks hold as sorted runs of
// contiguous ports, so an instance takes a few hundred bytes, not a
// 65,536-bit map. Next-fit hands out contiguous ports, which stay one run
// however many there are; a list of one run lives in the State itself, so
// binding them allocates nothing. A dynamic search first tries the ports
// right after the cursor, then steps from one used run to the next, never
// through the free ports, so it costs the runs it passes; next-fit keeps
// that near nothing on a long-lived instance. Fits and Bind allocate
// nothing. Clone copies no list of runs: clones share them copy-on-write
// until one changes. Methods that only read may run concurrently;
// Allocate, Bind, Release, Unbind and Restore need the State to
// themselves.
//
// # Benchmarks
//
// Measured with go test -bench -count 5 -cpu 1 on a shared 2-vCPU AMD EPYC
// VM (Go 1.26, linux/amd64) at a load average of 0.7 to 1.3, medians of
// five runs; the time figures moved by up to 1.7× between runs. The
// instance of BenchmarkAllocateRelease holds 1,000 dynamic ports given one
// after another (one run), or every other port (scattered: 1,000 runs).
// Before Bind and the runs of held ports (issue 20) Allocate and Release
// took 465 ns for one port, 2.6 µs for ten and 760 ns for a 100-port
// range; a clone then Allocate 1.3 µs and 2.5 KiB; a State 256, 354 and
// 2,904 bytes with 16, 63 and 1,000 ports in use.
//
//	BenchmarkAllocateRelease  Allocate, 1 dynamic port    349 ns, 2.9 M/s (1 allocation, 208 B)
//	                          10 dynamic ports             2.4 µs (2 allocations, 1,424 B)
//	                          a 100-port range             374 ns (2 allocations, 224 B)
//	                          Bind, 1 dynamic port         86 ns, 11.6 M/s (no allocation)
//	                          10 dynamic ports             1.1 µs (1 allocation, 16 B: picks past eight)
//	                          a 100-port range             85 ns (no allocation)
//	                          Bind, scattered, 1 port      202 ns (no allocation)
//	BenchmarkFits             bridge static + dynamic, 10,000 instances  10 M checks/s, 0 B/op
//	                          bridge 100-port UDP range                  56 M checks/s, 0 B/op
//	                          awsvpc                                     38 M checks/s, 0 B/op
//	BenchmarkClone            1,000 ports in use   100 ns, 144 B (no port copied)
//	                          clone, then Allocate 351 ns, 352 B (the first change copies)
//	BenchmarkStateBytes       0 ports in use                  144 bytes/instance
//	                          16, 63 or 1,000 ports, one run  144 bytes/instance
//	                          16 scattered ports              320 bytes/instance
//	                          63 scattered ports              512 bytes/instance
//	                          1,000 scattered ports           5,632 bytes/instance
package netmode
