// dynenum-dqlite: a dqlite node with dynenum built in.
//
//	dynenum-dqlite --address 127.0.0.1:9001 --dir /var/lib/enum/1
//	dynenum-dqlite --address 127.0.0.1:9002 --dir /var/lib/enum/2 --join 127.0.0.1:9001
//
// Without --join the node bootstraps a new cluster; with it, it joins the
// cluster one of the listed nodes belongs to.  Restarted with the same --dir
// it rejoins as the node it was (the directory remembers its identity;
// --join is then ignored).  It prints a line "ready ADDRESS ID dynenum
// VERSION" once it serves, and on SIGTERM or SIGINT hands its leadership to
// another node, stops, prints "stopped" and exits 0.
//
// Every SQLite connection of the process, including the ones dqlite opens
// for its clients, has dynenum registered and SQLITE_DBCONFIG_DEFENSIVE on
// (register.go).
//
// Why Go and go-dqlite's app package rather than C and libdqlite: the C
// library of dqlite 1.11 can bootstrap a node but has no call that joins
// one to a cluster; joining, promoting a joined node to voter, remembering
// who the node is across restarts and handing over on shutdown are what the
// app package does, tested by its authors.  A C node would have to speak
// dqlite's wire protocol to do the same.  Both run the same C node
// underneath, with the system's libsqlite3.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/canonical/go-dqlite"
	"github.com/canonical/go-dqlite/app"
	"github.com/canonical/go-dqlite/client"
)

const usage = `usage: dynenum-dqlite --address HOST:PORT --dir DIR [--join HOST:PORT[,HOST:PORT...]]
                      [--snapshot-threshold N --snapshot-trailing N] [--verbose]`

type config struct {
	address   string
	dir       string
	join      []string
	threshold uint64
	trailing  uint64
	verbose   bool
}

func parseArgs(args []string) (config, error) {
	var c config
	var join string
	flags := flag.NewFlagSet("dynenum-dqlite", flag.ContinueOnError)
	// The flag package's own messages are replaced by ours (main).
	flags.SetOutput(io.Discard)
	flags.StringVar(&c.address, "address", "", "address this node serves on")
	flags.StringVar(&c.dir, "dir", "", "directory of this node's data")
	flags.StringVar(&join, "join", "", "nodes of the cluster to join, comma-separated")
	flags.Uint64Var(&c.threshold, "snapshot-threshold", 0, "raft log entries between snapshots (0: dqlite's default)")
	flags.Uint64Var(&c.trailing, "snapshot-trailing", 0, "raft log entries kept after a snapshot (0: dqlite's default)")
	flags.BoolVar(&c.verbose, "verbose", false, "print dqlite's log on stderr")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, fmt.Errorf("%v\n%s", err, usage)
	}
	if flags.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q\n%s", flags.Arg(0), usage)
	}
	if c.address == "" || c.dir == "" {
		return c, fmt.Errorf("--address and --dir are required\n%s", usage)
	}
	if (c.threshold == 0) != (c.trailing == 0) {
		return c, errors.New("--snapshot-threshold and --snapshot-trailing go together")
	}
	// dqlite's own rule (dqlite_node_set_snapshot_params), which it
	// reports only as "failed to set snapshot params".
	if c.threshold > 0 && (c.trailing < c.threshold || c.trailing < 4) {
		return c, errors.New("--snapshot-trailing must be at least --snapshot-threshold and at least 4")
	}
	if err := checkAddress("--address", c.address); err != nil {
		return c, err
	}
	for _, a := range strings.Split(join, ",") {
		if a = strings.TrimSpace(a); a != "" {
			if err := checkAddress("--join", a); err != nil {
				return c, err
			}
			c.join = append(c.join, a)
		}
	}
	return c, nil
}

// checkAddress refuses what dqlite would take and then fail on for minutes
// or with a bare error number: an address must be an IP and a port.
func checkAddress(flagName, address string) error {
	host, port, err := net.SplitHostPort(address)
	if err == nil && net.ParseIP(host) == nil {
		err = errors.New("not an IP address")
	}
	if err == nil {
		if n, perr := strconv.Atoi(port); perr != nil || n < 1 || n > 65535 {
			err = errors.New("not a port from 1 to 65535")
		}
	}
	if err != nil {
		return fmt.Errorf("%s %q: expected IP:PORT (%v)", flagName, address, err)
	}
	return nil
}

// checkPlace fails with a message naming the problem when the node could
// not use its directory or its address; dqlite reports either only as a
// number, or (an unwritable directory, as root) crashes.
func checkPlace(c config) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("--dir %q: %v", c.dir, err)
	}
	// raft refuses a directory without the owner's write bit even to
	// root, who could write there, and go-dqlite then crashes.
	if info, err := os.Stat(c.dir); err != nil || info.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("--dir %q: not writable", c.dir)
	}
	probe, err := os.CreateTemp(c.dir, ".write-test-")
	if err != nil {
		return fmt.Errorf("--dir %q: cannot write there: %v", c.dir, err)
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return fmt.Errorf("--dir %q: %v", c.dir, err)
	}
	listener, err := net.Listen("tcp", c.address)
	if err != nil {
		return fmt.Errorf("--address %q: cannot listen there: %v", c.address, err)
	}
	return listener.Close()
}

func run(c config) error {
	version, err := registerDynenum()
	if err != nil {
		return err
	}
	if err := checkPlace(c); err != nil {
		return err
	}
	// SIGTERM while joining stops the node cleanly too.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	logf := func(l client.LogLevel, format string, a ...interface{}) {
		if c.verbose || l >= client.LogWarn {
			fmt.Fprintf(os.Stderr, "%s %s: %s\n", c.address, l, fmt.Sprintf(format, a...))
		}
	}
	options := []app.Option{
		app.WithAddress(c.address),
		app.WithCluster(c.join),
		app.WithLogFunc(logf),
		// Roles are checked every few seconds rather than twice a
		// minute, so that a cluster that lost a voter and got it back
		// is whole again soon.
		app.WithRolesAdjustmentFrequency(5 * time.Second),
	}
	if c.threshold > 0 {
		options = append(options, app.WithSnapshotParams(dqlite.SnapshotParams{
			Threshold: c.threshold, Trailing: c.trailing}))
	}
	node, err := app.New(c.dir, options...)
	if err != nil {
		return err
	}
	// Joining retries by itself (the app package tries again every second
	// while, for instance, dqlite reports a configuration change in
	// progress); the bound is only for a cluster that never answers.
	ready, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	joined := make(chan error, 1)
	go func() { joined <- node.Ready(ready) }()
	select {
	case err = <-joined:
		if err != nil {
			node.Close()
			return fmt.Errorf("not ready: %w", err)
		}
		fmt.Printf("ready %s %d dynenum %s\n", node.Address(), node.ID(), version)
		<-stop
	case <-stop:
		// Not in the cluster yet: nothing to hand over.
		if err := node.Close(); err != nil {
			return err
		}
		fmt.Println("stopped")
		return nil
	}

	// Without a quorum (the last node of a cluster stopping) there is no
	// one to hand over to; the bound keeps that from holding up the stop.
	handover, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	if err := node.Handover(handover); err != nil {
		fmt.Fprintf(os.Stderr, "%s: handover: %v\n", c.address, err)
	}
	cancel()
	if err := node.Close(); err != nil {
		return err
	}
	fmt.Println("stopped")
	return nil
}

func main() {
	c, err := parseArgs(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Println(usage)
		os.Exit(0)
	}
	if err == nil {
		err = run(c)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dynenum-dqlite: %v\n", err)
		os.Exit(1)
	}
}
