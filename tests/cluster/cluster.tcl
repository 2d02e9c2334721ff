# cluster.tcl: running a dynenum-dqlite cluster from the Tcl suite, for
# tests/cluster/*.test (`make test-dqlite`).  Sourced after harness.tcl.
#
#   cluster_start N ?OPTIONS? ?ENV?  N nodes on free loopback ports, node 1
#                               bootstrapping, the others joining it all at
#                               once; returns when every one printed "ready"
#   node_start I ?OPTIONS? ?ENV?  starts node I (again) with its directory
#   node_kill I ?SIGNAL?        signals node I (KILL by default) and waits
#                               until its process is gone
#   client ARGS...              runs build/dynenum-dqlite-client on the
#                               cluster; its stdout, or an error
#   client_catch ARGS...        {0 STDOUT} or {1 STDERR}
#   leader_index                the number of the node that leads
#   wait_for CONDITION SECONDS  evaluates the expression until it is true
#   cluster_run SCRIPT          runs a file's tests and finishes the file
#
# Every process started is remembered by PID and killed when the file
# ends (cluster_stop, called by cluster_run and by the exit handler below),
# and dies with the file's tclsh if that is killed (setpriv --pdeathsig).
# Every wait is bounded.

namespace eval ::cluster {
  variable root $::harness::root
  variable node [file join $root build dynenum-dqlite]
  variable client [file join $root build dynenum-dqlite-client]
  variable ports {}
  variable pids [dict create]
  variable starts [dict create]
  variable others {}
}

# A loopback port nothing listens on now and none of the cluster's yet,
# below the ephemeral range (ip_local_port_range), from which outgoing
# connections take theirs: a port of a node that is down could otherwise be
# taken by any connection on the machine.
proc ::cluster::free_port {} {
  set low 32768
  catch {set low [lindex [read_text /proc/sys/net/ipv4/ip_local_port_range] 0]}
  for {set attempt 0} {$attempt < 200} {incr attempt} {
    set port [expr {10000 + int(rand() * ($low - 10000))}]
    if {$port in $::cluster::ports || [catch {socket -server {apply {{c a p} {close $c}}} -myaddr 127.0.0.1 $port} s]} {
      continue
    }
    close $s
    return $port
  }
  error "no free loopback port below $low"
}

proc node_address {i} {
  return 127.0.0.1:[lindex $::cluster::ports [expr {$i - 1}]]
}

proc node_dir {i} {
  return [testdb_path node$i]
}

proc node_count {} {
  return [llength $::cluster::ports]
}

# The addresses of every node, starting with node FIRST's: the client asks
# them in this order who leads, so FIRST is the node it goes "through".
proc cluster_addresses {{first 1}} {
  set n [node_count]
  set list {}
  for {set k 0} {$k < $n} {incr k} {
    lappend list [node_address [expr {($first - 1 + $k) % $n + 1}]]
  }
  return [join $list ,]
}

proc ::cluster::alive {pid} {
  if {[catch {open /proc/$pid/stat} fd]} {return 0}
  set stat [read $fd]
  close $fd
  # The state follows the parenthesised command name; a zombie is dead.
  return [expr {![regexp {\) Z } $stat]}]
}

proc wait_for {condition seconds} {
  set until [expr {[clock milliseconds] + int($seconds * 1000)}]
  while {[clock milliseconds] < $until} {
    if {[uplevel 1 [list expr $condition]]} {return 1}
    after 100
  }
  return [uplevel 1 [list expr $condition]]
}

# Every process a file starts dies with the tclsh that started it
# (setpriv --pdeathsig, util-linux), however that tclsh ends.
proc ::cluster::spawn {args} {
  exec setpriv --pdeathsig KILL {*}$args &
}

# Starts node I; OPTIONS are more arguments of dynenum-dqlite, ENV a list
# of NAME=VALUE for its environment.  Output goes to nodeI.out and
# nodeI.err, appended.
proc node_start {i {options {}} {env {}}} {
  set args [list --address [node_address $i] --dir [node_dir $i] {*}$options]
  if {$i > 1} {lappend args --join [node_address 1]}
  set out [testdb_path node$i.out]
  set pid [::cluster::spawn env {*}$env $::cluster::node {*}$args >> $out 2>> [testdb_path node$i.err]]
  dict set ::cluster::pids $i $pid
  dict incr ::cluster::starts $i
  return $pid
}

# The number of "ready" lines node I printed so far.
proc node_ready_count {i} {
  set path [testdb_path node$i.out]
  if {![file exists $path]} {return 0}
  return [regexp -all -line {^ready } [read_text $path]]
}

# Waits until node I printed "ready" once for each time it was started
# (COUNT, when given, instead).
proc node_wait_ready {i {count {}} {seconds 60}} {
  if {$count eq ""} {set count [dict get $::cluster::starts $i]}
  wait_for {[node_ready_count $i] >= $count} $seconds
}

proc cluster_start {n {options {}} {env {}}} {
  set ::cluster::ports {}
  for {set i 1} {$i <= $n} {incr i} {lappend ::cluster::ports [::cluster::free_port]}
  node_start 1 $options $env
  if {![node_wait_ready 1]} {error "node 1 did not start: [read_text [testdb_path node1.err]]"}
  for {set i 2} {$i <= $n} {incr i} {node_start $i $options $env}
  for {set i 2} {$i <= $n} {incr i} {
    if {![node_wait_ready $i]} {error "node $i did not join: [read_text [testdb_path node$i.err]]"}
  }
}

proc node_kill {i {signal KILL}} {
  set pid [dict get $::cluster::pids $i]
  exec kill -$signal $pid
  if {![wait_for {![::cluster::alive $pid]} 60]} {error "node $i (pid $pid) did not stop"}
  dict unset ::cluster::pids $i
}

# Starts a process that is not a node (a load worker), remembered to be
# killed at the end like the nodes; returns its PID.
proc cluster_spawn {args} {
  set pid [::cluster::spawn {*}$args]
  lappend ::cluster::others $pid
  return $pid
}

proc cluster_stop {} {
  foreach pid [concat [dict values $::cluster::pids] $::cluster::others] {
    if {[::cluster::alive $pid]} {catch {exec kill -KILL $pid}}
  }
  set ::cluster::pids [dict create]
  set ::cluster::others {}
}

proc client {args} {
  exec $::cluster::client -c [cluster_addresses] -timeout 60s {*}$args
}

proc client_catch {args} {
  if {[catch {exec $::cluster::client -c [cluster_addresses] -timeout 60s {*}$args} out]} {
    regsub {\nchild process exited abnormally$} $out {} out
    return [list 1 $out]
  }
  return [list 0 $out]
}

proc leader_index {} {
  set address [client leader]
  for {set i 1} {$i <= [node_count]} {incr i} {
    if {[node_address $i] eq $address} {return $i}
  }
  error "the leader $address is not a node of this cluster"
}

# Node I's own copy of the database, dumped into DIR and opened offline as
# connection NAME with the extension loaded.
proc node_copy {i name} {
  set dir [testdb_path copy$i]
  file delete -force $dir
  client dump [node_address $i] $dir
  sqlite3 $name [file join $dir db]
  load_dynenum $name
  return $name
}

# The sqlite3 shell's .dump of node I's copy (dumped afresh).
proc node_dump {i} {
  set dir [testdb_path dump$i]
  file delete -force $dir
  client dump [node_address $i] $dir
  exec sqlite3 -cmd ".load $::harness::extension" [file join $dir db] .dump
}

# Runs SCRIPT, the tests of a file, and finishes the file.  An error that
# escapes a test (a node that never starts) fails the file as one test
# named cluster-aborted with the message, instead of ending tclsh before
# the processes are stopped.
proc cluster_run {script} {
  if {[catch {uplevel 1 $script} message]} {
    ::harness::record cluster-aborted 0 {} $message
    puts $::errorInfo
  }
  # The nodes' directories and logs are kept for a file that failed, and
  # removed (a load run leaves about 100 MB) when every test passed.
  cluster_stop
  if {$::harness::errors == 0} {file delete -force $::harness::dir}
  finish_test
}

# However the file ends, no process it started outlives it.
rename exit ::cluster::real_exit
proc exit {{code 0}} {
  cluster_stop
  ::cluster::real_exit $code
}
