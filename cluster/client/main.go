// dynenum-dqlite-client: a small client of a dynenum-dqlite cluster, for
// people and for tests/cluster.
//
//	dynenum-dqlite-client -c HOST:PORT[,HOST:PORT...] [-d DATABASE] COMMAND ...
//
//	exec SQL...           runs each statement in its own transaction
//	query SQL             prints the rows, columns separated by '|'
//	leader                prints the leader's address
//	cluster               prints id|address|role for every node
//	transfer ADDRESS      makes the node at ADDRESS the leader
//	assign ADDRESS ROLE   gives the node at ADDRESS the role voter, standby
//	                      or spare
//	remove ADDRESS        removes the node at ADDRESS from the cluster (for a
//	                      node whose directory was lost: it may then join
//	                      again at that address with a new directory)
//	dump ADDRESS DIR      writes that node's own copy of the database (the
//	                      database file and its WAL) into DIR
//	probe SINCE_MS        repeats a write until one is acknowledged and prints
//	                      the milliseconds since SINCE_MS (Unix time)
//	load ...              a load generator (load.go)
//
// Each exec runs its statements on one connection, which never runs a
// statement twice.  database/sql's pool (a program's *sql.DB) re-runs a
// statement on another connection when go-dqlite reports a bad connection,
// which it does when leadership is lost while a statement commits: a write
// can then be applied twice and acknowledged once.
//
// Statements go to the leader, whichever node -c lists first (the driver
// asks the nodes in order who leads).  Errors are printed on stderr and the
// exit status is 1.  A SELECT that fails while its rows are read reaches the
// client with a garbled message: a known bug of dqlite 1.11, which reports
// a piece of the statement's text instead of the error.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/canonical/go-dqlite/client"
	"github.com/canonical/go-dqlite/driver"
)

const usage = `usage: dynenum-dqlite-client -c HOST:PORT[,HOST:PORT...] [-d DATABASE] [-timeout DURATION] COMMAND ...
commands: exec SQL... | query SQL | leader | cluster | transfer ADDRESS | assign ADDRESS ROLE | remove ADDRESS |
          dump ADDRESS DIR |
          probe SINCE_MS | load -seconds N -worker W -names N -log FILE`

type cluster struct {
	nodes    []string
	database string
	timeout  time.Duration
}

func (c *cluster) store() client.NodeStore {
	infos := make([]client.NodeInfo, len(c.nodes))
	for i, address := range c.nodes {
		infos[i].Address = address
	}
	store := client.NewInmemNodeStore()
	store.Set(context.Background(), infos)
	return store
}

// open returns a database handle whose every statement goes to the leader.
func (c *cluster) open() (*sql.DB, error) {
	d, err := driver.New(c.store(), driver.WithConnectionTimeout(c.timeout),
		driver.WithContextTimeout(c.timeout))
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("dqlite-%d", time.Now().UnixNano())
	sql.Register(name, d)
	return sql.Open(name, c.database)
}

func (c *cluster) leader(ctx context.Context) (*client.Client, error) {
	return client.FindLeader(ctx, c.store())
}

func formatValue(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(x)
	}
}

func query(db *sql.DB, ctx context.Context, statement string) error {
	rows, err := db.QueryContext(ctx, statement)
	if err != nil {
		return err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return err
	}
	values := make([]interface{}, len(columns))
	pointers := make([]interface{}, len(columns))
	for i := range values {
		pointers[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(pointers...); err != nil {
			return err
		}
		shown := make([]string, len(values))
		for i, v := range values {
			shown[i] = formatValue(v)
		}
		fmt.Println(strings.Join(shown, "|"))
	}
	return rows.Err()
}

// nodeID is the ID of the node at address, and a client of the leader.
func nodeID(ctx context.Context, c *cluster, address string) (*client.Client, uint64, error) {
	cli, err := c.leader(ctx)
	if err != nil {
		return nil, 0, err
	}
	nodes, err := cli.Cluster(ctx)
	if err != nil {
		cli.Close()
		return nil, 0, err
	}
	for _, n := range nodes {
		if n.Address == address {
			return cli, n.ID, nil
		}
	}
	cli.Close()
	return nil, 0, fmt.Errorf("no node %s in the cluster", address)
}

func transfer(ctx context.Context, c *cluster, target string) error {
	cli, id, err := nodeID(ctx, c, target)
	if err != nil {
		return err
	}
	defer cli.Close()
	if err := cli.Transfer(ctx, id); err != nil {
		return err
	}
	return waitLeader(ctx, c, target)
}

func assign(ctx context.Context, c *cluster, target, name string) error {
	roles := map[string]client.NodeRole{"voter": client.Voter, "standby": client.StandBy, "spare": client.Spare}
	role, ok := roles[name]
	if !ok {
		return fmt.Errorf("no such role: %q (voter, standby or spare)", name)
	}
	cli, id, err := nodeID(ctx, c, target)
	if err != nil {
		return err
	}
	defer cli.Close()
	return cli.Assign(ctx, id, role)
}

// waitLeader returns once target answers as the leader.
func waitLeader(ctx context.Context, c *cluster, target string) error {
	for {
		cli, err := c.leader(ctx)
		if err == nil {
			info, err := cli.Leader(ctx)
			cli.Close()
			if err == nil && info != nil && info.Address == target {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not become the leader: %w", target, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// dump asks one node, not the leader, for its own copy: dqlite answers a
// dump from the node's local files whatever its role.
func dump(ctx context.Context, c *cluster, address, dir string) error {
	cli, err := client.New(ctx, address)
	if err != nil {
		return err
	}
	defer cli.Close()
	files, err := cli.Dump(ctx, c.database)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// probe measures how long the cluster took to take writes again: it
// retries one small write until the cluster acknowledges it.
func probe(c *cluster, since int64) error {
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(c.timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err = db.ExecContext(ctx, "INSERT INTO probe(at) VALUES (?)", time.Now().UnixNano())
		cancel()
		if err == nil {
			fmt.Println(time.Now().UnixMilli() - since)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no write acknowledged within %s: %w", c.timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func run(c *cluster, args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	command, args := args[0], args[1:]
	switch {
	case command == "exec" && len(args) > 0:
		db, err := c.open()
		if err != nil {
			return err
		}
		defer db.Close()
		// One connection for every statement: database/sql re-runs a
		// statement on another connection when the driver reports a bad
		// connection, which go-dqlite does when leadership was lost
		// while the statement committed, so a write could be applied
		// twice.  A sql.Conn never retries a statement.
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		for _, statement := range args {
			if _, err := conn.ExecContext(ctx, statement); err != nil {
				return err
			}
		}
		return nil
	case command == "query" && len(args) == 1:
		db, err := c.open()
		if err != nil {
			return err
		}
		defer db.Close()
		return query(db, ctx, args[0])
	case command == "leader" && len(args) == 0:
		cli, err := c.leader(ctx)
		if err != nil {
			return err
		}
		defer cli.Close()
		info, err := cli.Leader(ctx)
		if err != nil {
			return err
		}
		if info == nil {
			return errors.New("no leader")
		}
		fmt.Println(info.Address)
		return nil
	case command == "cluster" && len(args) == 0:
		cli, err := c.leader(ctx)
		if err != nil {
			return err
		}
		defer cli.Close()
		nodes, err := cli.Cluster(ctx)
		if err != nil {
			return err
		}
		for _, n := range nodes {
			fmt.Printf("%d|%s|%s\n", n.ID, n.Address, n.Role)
		}
		return nil
	case command == "transfer" && len(args) == 1:
		return transfer(ctx, c, args[0])
	case command == "assign" && len(args) == 2:
		return assign(ctx, c, args[0], args[1])
	case command == "remove" && len(args) == 1:
		cli, id, err := nodeID(ctx, c, args[0])
		if err != nil {
			return err
		}
		defer cli.Close()
		return cli.Remove(ctx, id)
	case command == "dump" && len(args) == 2:
		return dump(ctx, c, args[0], args[1])
	case command == "probe" && len(args) == 1:
		since, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return fmt.Errorf("probe: not a time in milliseconds: %q", args[0])
		}
		return probe(c, since)
	case command == "load":
		return load(c, args)
	}
	return fmt.Errorf("unknown command or wrong arguments: %s\n%s", command, usage)
}

func main() {
	var nodes string
	c := &cluster{}
	flags := flag.NewFlagSet("dynenum-dqlite-client", flag.ContinueOnError)
	flags.Usage = func() { fmt.Fprintln(os.Stderr, usage) }
	flags.StringVar(&nodes, "c", "", "nodes of the cluster, comma-separated")
	flags.StringVar(&c.database, "d", "db", "database name")
	flags.DurationVar(&c.timeout, "timeout", 30*time.Second, "bound of every command")
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	for _, a := range strings.Split(nodes, ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.nodes = append(c.nodes, a)
		}
	}
	if len(c.nodes) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err := run(c, flags.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "dynenum-dqlite-client: %v\n", err)
		os.Exit(1)
	}
}
