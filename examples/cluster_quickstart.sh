#!/bin/sh
# A three-node dynenum cluster on this machine, used through Debian's
# dqlite shell (after `make dqlite`).  PORT (9001) is the first of the
# three loopback ports.  Stops the nodes it started before it exits.
set -eu
port=${PORT:-9001}
a1=127.0.0.1:$port a2=127.0.0.1:$((port + 1)) a3=127.0.0.1:$((port + 2))
dir=$(mktemp -d)
pids=""
trap 'kill $pids 2>/dev/null; wait; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM HUP

node() { # NUMBER ADDRESS [--join ADDRESS]: start a node, wait for "ready"
  n=$1; shift
  build/dynenum-dqlite --address "$@" --dir "$dir/$n" > "$dir/$n.out" 2> "$dir/$n.log" &
  pids="$pids $!"
}
ready() {
  for _ in $(seq 100); do grep -q '^ready' "$dir/$1.out" && return; sleep 0.1; done
  echo "node $1 did not start" >&2; exit 1
}
node 1 "$a1"; ready 1
node 2 "$a2" --join "$a1"; node 3 "$a3" --join "$a1"; ready 2; ready 3

sql() { dqlite -s "$a1,$a2,$a3" db "$1"; }
sql "CREATE VIRTUAL TABLE endpoint_type USING dynenum(OPENAI_CHAT, ANTHROPIC_CHAT)"
sql "CREATE TABLE runs(kind TEXT COLLATE DYNENUM CHECK (dynenum_is_member('endpoint_type', kind)))"
sql "INSERT INTO endpoint_type(name) VALUES ('NVIDIA_OPTIMIZED')"
sql "INSERT INTO runs VALUES ('OpenAI-Chat'), ('nvidia-optimized'), ('ANTHROPIC_CHAT')"
sql "SELECT kind, dynenum_resolve('endpoint_type', kind) FROM runs ORDER BY kind"
sql "SELECT count(*) FROM runs WHERE kind = 'openai_chat'"
sql ".cluster" | cut -d'|' -f3
