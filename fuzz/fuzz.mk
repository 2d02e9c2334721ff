# fuzz/fuzz.mk: the libFuzzer targets (included by the Makefile).
#
#   make fuzz                     build the four targets, run each for
#                                 FUZZ_SECONDS (default 60) seconds, one
#                                 summary line per target; fails on a finding
#   make fuzz FUZZ_SECONDS=20
#   make fuzz FUZZ_TARGETS=key_fuzz FUZZ_FLAGS=-use_value_profile=1
#                                 one target, extra libFuzzer flags
#   make fuzz FUZZ_TARGETS=dbfile_fuzz FUZZ_SECONDS=600
#   make fuzz FUZZ_TARGETS=dbfile_fuzz DBFILE_FUZZ_DEFINES=-DDBFILE_FUZZ_INVARIANTS=0 \
#     FUZZ_FLAGS='-fork=1 -ignore_crashes=1'
#                                 crash-only, going on past each finding
#                                 (each is still saved and fails the run)
#   make build/fuzz/key_fuzz      build one target (key_fuzz, resolve_fuzz,
#                                 create_fuzz, dbfile_fuzz); each file's
#                                 header comment says what it checks and how
#                                 to run it alone
#
# Targets: fuzz/<name>_fuzz.c, committed seeds and regression inputs in
# fuzz/corpus/<name>/.  A run copies the committed corpus into the scratch
# corpus build/fuzz/corpus/<name>/ and fuzzes that, so what a run discovers
# is kept for the next run but never bloats the committed corpus.  A finding
# (a failed check, a sanitizer report, a leak, a timeout, running out of
# memory) stops the target, is saved as build/fuzz/findings/<name>/crash-*
# (or timeout-*, oom-*, leak-*), and makes `make fuzz` exit non-zero after
# every target has run; the full output is build/fuzz/<name>_fuzz.log.
# Replay a finding with `build/fuzz/<name>_fuzz <file>`; keep it as a
# regression input by copying it into fuzz/corpus/<name>/.
#
# The string targets get -max_len=$(FUZZ_MAX_LEN) (inputs far past the
# 255-byte limits), -timeout=$(FUZZ_TIMEOUT) seconds per input, and the
# dictionary fuzz/dynenum.dict (the case traps, malformed UTF-8, CREATE
# punctuation).  dbfile_fuzz, whose inputs are database images (the seeds,
# made by fuzz/mkdbseeds.sh, are 512-byte pages), gets
# -max_len=$(DBFILE_FUZZ_MAX_LEN), -timeout=$(DBFILE_FUZZ_TIMEOUT),
# -rss_limit_mb=$(DBFILE_FUZZ_RSS_LIMIT_MB) and build/fuzz/dbfile.dict, which
# is fuzz/dynenum.dict followed by fuzz/dbfile.dict (libFuzzer takes one
# dictionary).  DBFILE_FUZZ_DEFINES is passed to its compiler
# (-DDBFILE_FUZZ_INVARIANTS=0, -DDBFILE_FUZZ_SKIP=<families>: see
# fuzz/dbfile_fuzz.c); changing it rebuilds the target.
# Needs clang and libFuzzer: Debian's clang and libclang-rt-14-dev.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 4096
FUZZ_TIMEOUT ?= 10
FUZZ_FLAGS ?=
FUZZ_TARGETS := key_fuzz resolve_fuzz create_fuzz dbfile_fuzz
FUZZ_BINARIES := $(addprefix build/fuzz/,$(FUZZ_TARGETS))
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARNINGS) -pthread $(INCLUDES) \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# The binding compiled into the target, as an application would (README).
FUZZ_BINDING_CFLAGS := -DSQLITE_CORE $(VERSION_DEFINE)

# Per input, dbfile_fuzz runs three passes of its workload, each stopped
# after 2,000,000 VM instructions by its progress handler, and SQLite's heap
# is held to 64 MiB; a few seconds per input is far more than it needs.
DBFILE_FUZZ_MAX_LEN ?= 65536
DBFILE_FUZZ_TIMEOUT ?= 20
DBFILE_FUZZ_RSS_LIMIT_MB ?= 1024
DBFILE_FUZZ_DEFINES ?=

# The libFuzzer flags of each target.
FUZZ_STRING_ARGS = -max_len=$(FUZZ_MAX_LEN) -timeout=$(FUZZ_TIMEOUT) -dict=fuzz/dynenum.dict
FUZZ_ARGS_key_fuzz = $(FUZZ_STRING_ARGS)
FUZZ_ARGS_resolve_fuzz = $(FUZZ_STRING_ARGS)
FUZZ_ARGS_create_fuzz = $(FUZZ_STRING_ARGS)
FUZZ_ARGS_dbfile_fuzz = -max_len=$(DBFILE_FUZZ_MAX_LEN) -timeout=$(DBFILE_FUZZ_TIMEOUT) \
  -rss_limit_mb=$(DBFILE_FUZZ_RSS_LIMIT_MB) -dict=build/fuzz/dbfile.dict

.PHONY: fuzz fuzz-toolchain fuzz-force

# The key target needs the core only.
build/fuzz/key_fuzz: fuzz/key_fuzz.c fuzz/reference.h $(CORE_SOURCES) $(HEADERS) | fuzz-toolchain
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/key_fuzz.c $(CORE_SOURCES) -lpthread

build/fuzz/resolve_fuzz build/fuzz/create_fuzz: build/fuzz/%: fuzz/%.c fuzz/reference.h $(CORE_SOURCES) \
    $(BINDING_SOURCES) $(HEADERS) VERSION | fuzz-toolchain
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_BINDING_CFLAGS) -o $@ $< $(CORE_SOURCES) $(BINDING_SOURCES) -lsqlite3 -lpthread

# The database-file target; rebuilt when DBFILE_FUZZ_DEFINES changes.
build/fuzz/dbfile_fuzz: fuzz/dbfile_fuzz.c fuzz/reference.h $(CORE_SOURCES) $(BINDING_SOURCES) $(HEADERS) VERSION \
    build/fuzz/dbfile_fuzz.defines | fuzz-toolchain
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_BINDING_CFLAGS) $(DBFILE_FUZZ_DEFINES) -o $@ $< $(CORE_SOURCES) $(BINDING_SOURCES) -lsqlite3 -lpthread

build/fuzz/dbfile_fuzz.defines: fuzz-force
	@mkdir -p build/fuzz
	@echo '$(DBFILE_FUZZ_DEFINES)' | cmp -s - $@ || echo '$(DBFILE_FUZZ_DEFINES)' >$@

build/fuzz/dbfile.dict: fuzz/dynenum.dict fuzz/dbfile.dict
	@mkdir -p build/fuzz
	cat fuzz/dynenum.dict fuzz/dbfile.dict >$@

fuzz-force:

# clang and its libFuzzer runtime, installed or named by tools/deps.sh.
fuzz-toolchain:
	@sh tools/deps.sh --only fuzz

# Runs every target even after one fails, then fails if any did.  The
# summary comes from libFuzzer's final statistics and its last status line
# (in -fork mode, which prints no final statistics, from that line alone;
# and as its log lacks the children's reports, a failure replays the newest
# finding to show what it was).
fuzz: $(FUZZ_BINARIES) $(if $(filter dbfile_fuzz,$(FUZZ_TARGETS)),build/fuzz/dbfile.dict)
	@failed=0; \
	$(foreach t,$(FUZZ_TARGETS),args_$(t)='$(FUZZ_ARGS_$(t))';) \
	for target in $(FUZZ_TARGETS); do \
	  eval "args=\"\$$args_$$target\""; \
	  name=$${target%_fuzz}; \
	  corpus=build/fuzz/corpus/$$name; findings=build/fuzz/findings/$$name; log=build/fuzz/$$target.log; \
	  mkdir -p $$corpus $$findings; \
	  cp fuzz/corpus/$$name/* $$corpus/; \
	  before=$$(ls $$findings | wc -l); \
	  build/fuzz/$$target -max_total_time=$(FUZZ_SECONDS) $$args \
	    -artifact_prefix=$$findings/ -print_final_stats=1 $(FUZZ_FLAGS) \
	    $$corpus >$$log 2>&1; \
	  status=$$?; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
	  speed=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log); \
	  last=$$(grep -E '^#[0-9]+.*cov: ' $$log | tail -n 1); \
	  [ -n "$$runs" ] || runs=$$(echo "$$last" | sed -n 's/^#\([0-9]*\).*/\1/p'); \
	  [ -n "$$speed" ] || speed=$$(echo "$$last" | sed -n 's/.* exec\/s \([0-9]*\).*/\1/p'); \
	  cov=$$(echo "$$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p'); \
	  ft=$$(echo "$$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p'); \
	  corp=$$(echo "$$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p'); \
	  after=$$(ls $$findings | wc -l); \
	  if [ $$status -eq 0 ] && [ $$after -eq $$before ]; then \
	    echo "fuzz $$target: ok, $${runs:-?} runs in $(FUZZ_SECONDS) s ($${speed:-?} exec/s), coverage $${cov:-?} edges, $${ft:-?} features, corpus $${corp:-?} inputs"; \
	  else \
	    failed=1; \
	    echo "fuzz $$target: FAILED (exit $$status) after $${runs:-?} runs; log $$log"; \
	    report='check failed|^  [a-z].*\(|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|^SUMMARY'; \
	    newest=$$(ls -t $$findings | head -n 1); \
	    if grep -qE "$$report" $$log || [ -z "$$newest" ]; then \
	      grep -E "$$report" $$log | head -n 12 | sed 's/^/    /'; \
	    else \
	      build/fuzz/$$target $$findings/$$newest 2>&1 | grep -E "$$report" | head -n 12 | sed 's/^/    /'; \
	    fi; \
	    for finding in $$(ls -t $$findings | head -n 3); do \
	      echo "    finding: $$findings/$$finding (replay: build/fuzz/$$target $$findings/$$finding)"; \
	    done; \
	  fi; \
	done; \
	exit $$failed
