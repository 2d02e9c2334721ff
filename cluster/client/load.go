package main

// The load generator of tests/cluster: one worker of several, each through
// a different node, registering plugin members (racing the other workers
// with other spellings of the same names) and inserting rows that use them,
// while the test kills leaders.
//
//	load -seconds N -worker W -names N -log FILE
//
// The database must have the enum `plugin` and the table `events` of
// tests/cluster/cluster.test.  FILE gets one line per write the cluster
// acknowledged:
//
//	member SPELLING   this worker's INSERT of the member committed
//	present SPELLING  the INSERT was refused because the member was there
//	row ID KIND       the row committed
//
// A write whose outcome the worker cannot know (the leader died while it
// committed) is retried as it was: a row keeps its id, so the retry either
// commits or is refused by the primary key, which proves the first attempt
// committed; a member retried is refused as present.  Nothing is logged
// before the cluster said so, and nothing the cluster said is left out.
// The last line of stdout counts what was done.

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"time"
	"unicode"
)

type worker struct {
	db      *sql.DB
	random  *rand.Rand
	log     *bufio.Writer
	known   []string // names this worker knows are members
	rows    int
	members int
	present int
	retries int
}

// respell returns name in a random spelling that dynenum's key gives the
// same key: any case for each letter, '-' or '_' for each separator.
func (w *worker) respell(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '_' || r == '-':
			if w.random.Intn(2) == 0 {
				r = '-'
			} else {
				r = '_'
			}
		case r == 'ß' && w.random.Intn(2) == 0:
			r = 'ẞ' // folds to ß
		case w.random.Intn(2) == 0:
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (w *worker) exec(statement string, args ...interface{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := w.db.ExecContext(ctx, statement, args...)
	return err
}

// pause is the wait before retrying a write whose outcome is unknown; it
// lets a new leader be elected instead of hammering a dead one.
func (w *worker) pause(deadline time.Time) bool {
	w.retries++
	time.Sleep(100 * time.Millisecond)
	return time.Now().Before(deadline.Add(30 * time.Second))
}

func (w *worker) addMember(name string, deadline time.Time) error {
	spelling := w.respell(name)
	for {
		err := w.exec("INSERT INTO plugin(name) VALUES (?)", spelling)
		switch {
		case err == nil:
			w.members++
			fmt.Fprintf(w.log, "member %s\n", spelling)
		case strings.Contains(err.Error(), "in enum 'plugin' (same key"),
			strings.Contains(err.Error(), "is already in enum 'plugin'"):
			w.present++
			fmt.Fprintf(w.log, "present %s\n", spelling)
		default:
			if w.pause(deadline) {
				continue
			}
			return fmt.Errorf("member %s: %w", spelling, err)
		}
		w.known = append(w.known, name)
		return nil
	}
}

func (w *worker) addRow(id int64, deadline time.Time) error {
	kind := w.respell(w.known[w.random.Intn(len(w.known))])
	for attempt := 0; ; attempt++ {
		err := w.exec("INSERT INTO events(id, kind) VALUES (?, ?)", id, kind)
		switch {
		case err == nil:
		case attempt > 0 && strings.Contains(err.Error(), "UNIQUE constraint failed: events.id"):
			// The attempt before this one committed.
		default:
			if w.pause(deadline) {
				continue
			}
			return fmt.Errorf("row %d: %w", id, err)
		}
		w.rows++
		fmt.Fprintf(w.log, "row %d %s\n", id, kind)
		return nil
	}
}

func load(c *cluster, args []string) error {
	flags := flag.NewFlagSet("load", flag.ContinueOnError)
	seconds := flags.Int("seconds", 30, "how long to run")
	number := flags.Int("worker", 0, "this worker's number (rows get ids from number*1e9)")
	names := flags.Int("names", 50, "how many plugin names the workers race for")
	logPath := flags.String("log", "", "file of acknowledged writes")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *logPath == "" {
		return errors.New("load: -log FILE is required")
	}
	file, err := os.Create(*logPath)
	if err != nil {
		return err
	}
	defer file.Close()
	db, err := c.open()
	if err != nil {
		return err
	}
	defer db.Close()
	w := &worker{
		db:     db,
		random: rand.New(rand.NewSource(int64(*number)*7919 + time.Now().UnixNano())),
		log:    bufio.NewWriter(file),
		known:  []string{"openai_chat", "nvidia_nim"},
	}
	start := time.Now()
	deadline := start.Add(time.Duration(*seconds) * time.Second)
	id := int64(*number) * 1_000_000_000
	for err == nil && time.Now().Before(deadline) {
		if w.random.Intn(5) == 0 {
			var name string
			if w.random.Intn(3) == 0 {
				name = fmt.Sprintf("straße_%d", w.random.Intn(*names))
			} else {
				name = fmt.Sprintf("plugin_%d", w.random.Intn(*names))
			}
			err = w.addMember(name, deadline)
		} else {
			id++
			err = w.addRow(id, deadline)
		}
	}
	if flushErr := w.log.Flush(); err == nil {
		err = flushErr
	}
	elapsed := time.Since(start).Seconds()
	fmt.Printf("worker %d rows %d members %d present %d retries %d seconds %.1f\n",
		*number, w.rows, w.members, w.present, w.retries, elapsed)
	return err
}
