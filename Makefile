# dynenum: dynamic string enums for SQLite.
#
#   make          build/dynenum.so, the loadable extension
#   make demo     run sql/demo.sql in the sqlite3 shell with the extension
#   make test     the everyday suite: the core's C tests and the Tcl suite
#
# Building and installing:
#   make static         build/libdynenum.a, to link into a program
#   make install        the extension, libdynenum.a, headers and dynenum.pc
#                       under PREFIX (/usr/local), staged in DESTDIR;
#                       make uninstall removes them
#   make python-wheel   the Python package: build/wheel/dynenum-*.whl
#   make dqlite         build/dynenum-dqlite, a dqlite node with dynenum
#                       built in, and build/dynenum-dqlite-client
#
# Longer checks, all run by .ci/run:
#   make test-asan      the C tests and the Tcl suite with AddressSanitizer
#                       and UndefinedBehaviorSanitizer builds
#   make test-tsan      the core's threaded C tests under ThreadSanitizer
#   make test-valgrind  the core's C tests under valgrind's memcheck
#   make test-oom       out-of-memory sweeps of the SQL layer and the core
#                       (tests/oom_test.c), with ASan and UBSan
#   make test-limits    inputs at SQLITE_MAX_LENGTH, in bounded memory
#   make test-stress    concurrent processes and threads on one WAL
#                       database, and writers killed with SIGKILL
#   make coverage       line and branch coverage of ext/ (gcovr) in
#                       build/coverage/; fails under 95% of lines or 90% of
#                       branches
#   make fuzz           libFuzzer targets, FUZZ_SECONDS (60) each
#   make test-clients   the sqlite3 shell, Python's sqlite3, Node's
#                       better-sqlite3 and the Python wheel as clients;
#                       enum_class() and the npm package
#   make test-static    examples/embed.c against build/libdynenum.a
#   make test-install   install, build examples/embed.c with pkg-config,
#                       uninstall, in a temporary DESTDIR
#   make test-sqlite-versions  the Tcl suite on a newer SQLite as well
#   make test-dqlite    a 3-node dqlite cluster on loopback: failover,
#                       catch-up, and clients under load while leaders are
#                       killed (tests/cluster/)
#   make test-fresh     the README's quick start (make demo, make test) on
#                       fresh Debian 12 roots made with mmdebstrap
#   make warnings       everything compiled by gcc and clang, warnings as
#                       errors
#   make tables         regenerate the Unicode tables of ext/core/ from the
#                       data files (tools/mktables.tcl; tests check them)
#   make bench          benchmarks against SQLite's built-ins and the peers
#                       (ICU, Python, Tcl): the report in build/bench-report/
#                       (report.md and its charts, *.png)
#   make bench-report   make bench, then copies its report over the committed
#                       bench/report.md and bench/*.png, to commit
#   make clean
#
# `make demo` and `make test` first install what is missing (tools/deps.sh).

VERSION := $(shell cat VERSION)
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# ext/include holds the public headers; the private ones are named by their
# folder ("core/casefold_table.h", "sqlite/binding.h").
INCLUDES := -Iext/include -Iext
ALL_CFLAGS := -std=c11 $(WARNINGS) $(CFLAGS) -fPIC -pthread $(INCLUDES)
# The one definition of the version the binding reports (dynenum_version()).
VERSION_DEFINE := -DDYNENUM_VERSION='"$(VERSION)"'

UNAME := $(shell uname -s 2>/dev/null)
ifeq ($(UNAME),Darwin)
  SO := dylib
else ifeq ($(OS),Windows_NT)
  SO := dll
else
  SO := so
endif

# The core (no SQLite) and the SQLite binding, each a folder of ext/.
CORE_SOURCES := $(sort $(wildcard ext/core/*.c))
BINDING_SOURCES := $(sort $(wildcard ext/sqlite/*.c))
HEADERS := $(sort $(wildcard ext/include/*.h ext/core/*.h ext/sqlite/*.h))
EXTENSION := build/dynenum.$(SO)
CORE_TESTS := build/core_test build/key_test build/edge_test build/ignorable_test build/alias_test build/compare_pool_test

.PHONY: all demo test test-asan test-tsan test-valgrind test-oom test-limits bench bench-report deps warnings clean
.PHONY: coverage print-sources tables

all: $(EXTENSION)

# ---- Flavours ---------------------------------------------------------------
#
# Each directory of build/ is one flavour: the compiler and flags every
# artifact in it is built with.  The recipes below are written once and
# take BUILD_CC and BUILD_CFLAGS from the flavour of their target.  Sanitizer
# builds use gcc, because its ASan runtime is a shared library that an
# uninstrumented tclsh and sqlite3 shell can preload to load the instrumented
# extension (and valgrind 3.19 cannot read the DWARF 5 that clang 14 writes
# by default).
SANITIZER_CC := gcc
SANITIZER_CFLAGS := -std=c11 $(WARNINGS) -O1 -g -fno-omit-frame-pointer -fPIC -pthread $(INCLUDES)
ASAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
COVERAGE_CFLAGS := -std=c11 $(WARNINGS) -O0 -g --coverage -fPIC -pthread $(INCLUDES)

BUILD_CC = $(CC)
BUILD_CFLAGS = $(ALL_CFLAGS)
build/asan/%: BUILD_CC = $(SANITIZER_CC)
build/asan/%: BUILD_CFLAGS = $(SANITIZER_CFLAGS) $(ASAN)
build/tsan/%: BUILD_CC = $(SANITIZER_CC)
build/tsan/%: BUILD_CFLAGS = $(SANITIZER_CFLAGS) -fsanitize=thread
build/valgrind/%: BUILD_CC = $(SANITIZER_CC)
build/valgrind/%: BUILD_CFLAGS = $(SANITIZER_CFLAGS)
build/coverage/%: BUILD_CC = gcc
build/coverage/%: BUILD_CFLAGS = $(COVERAGE_CFLAGS)
build/stress/tsan/%: BUILD_CC = $(SANITIZER_CC)
build/stress/tsan/%: BUILD_CFLAGS = $(SANITIZER_CFLAGS) -fsanitize=thread
# The comparator without SSE2 (its eight-byte word loop, which machines
# without SSE2 run): the same tests of it as with.
build/swar/%: BUILD_CFLAGS = $(ALL_CFLAGS) -U__SSE2__

# ---- The four kinds of artifact ---------------------------------------------

# 1. The loadable extension: everything, only the entry points exported.
ASAN_EXTENSION := build/asan/dynenum.$(SO)
COVERAGE_EXTENSION := build/coverage/dynenum.$(SO)
$(EXTENSION) $(ASAN_EXTENSION) $(COVERAGE_EXTENSION): $(CORE_SOURCES) $(BINDING_SOURCES) $(HEADERS) VERSION
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -shared -fvisibility=hidden $(VERSION_DEFINE) -o $@ $(CORE_SOURCES) $(BINDING_SOURCES)

# 2. A C test of the core: tests/NAME.c and the core, no SQLite.
ASAN_TESTS := $(patsubst build/%,build/asan/%,$(CORE_TESTS))
VALGRIND_TESTS := $(patsubst build/%,build/valgrind/%,$(CORE_TESTS))
COVERAGE_TESTS := $(patsubst build/%,build/coverage/%,$(CORE_TESTS))
TSAN_TESTS := build/tsan/core_test build/tsan/edge_test
SWAR_TESTS := build/swar/key_test build/swar/compare_pool_test
.SECONDEXPANSION:
$(CORE_TESTS) $(ASAN_TESTS) $(VALGRIND_TESTS) $(COVERAGE_TESTS) $(TSAN_TESTS) $(SWAR_TESTS): \
    tests/$$(notdir $$@).c tests/ctest.h tests/counting_heap.h $(CORE_SOURCES) $(HEADERS)
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Itests -o $@ $< $(CORE_SOURCES)
# compare_pool_test.c checks the comparator on the rows bench/collation_index.c
# measures it on.
$(filter %/compare_pool_test,$(CORE_TESTS) $(ASAN_TESTS) $(VALGRIND_TESTS) $(COVERAGE_TESTS) $(SWAR_TESTS)): tests/broad_pool.h

# 3. A program with the whole extension compiled in (-DSQLITE_CORE), linked
#    to the system SQLite, and any generated table among its prerequisites:
#    the out-of-memory harness, the stress tests, the test of a second
#    folding table; the benchmarks, which need only the core.
OOM_TESTS := build/asan/oom_test build/coverage/oom_test build/asan/sharing_oom_test
STRESS_TESTS := build/stress/concurrency_test build/stress/crash_test build/stress/tsan/concurrency_test
FOLD_TESTS := build/fold_table_test build/asan/fold_table_test build/coverage/fold_table_test
SHARING_TESTS := build/sharing_test build/tsan/sharing_test
WAL_THREAD_TESTS := build/wal_threads_test build/tsan/wal_threads_test
$(OOM_TESTS) $(STRESS_TESTS) $(FOLD_TESTS) $(SHARING_TESTS) $(WAL_THREAD_TESTS): tests/$$(notdir $$@).c tests/ctest.h tests/stress.h \
    $(CORE_SOURCES) $(BINDING_SOURCES) $(HEADERS) VERSION
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Itests -Iext/core -DSQLITE_CORE $(VERSION_DEFINE) -o $@ $< $(CORE_SOURCES) $(BINDING_SOURCES) \
	  $(filter build/%.c,$^) -lsqlite3

# The second folding table: generated from a made-up CaseFolding.txt
# (tests/data/) into build/, never committed, and registered by
# tests/fold_table_test.c as the collation DYNENUM_TEST beside DYNENUM.
# (-Iext/core above is for it: it includes casefold_table.h from build/.)
FOLD_TEST_DATA := tests/data/CaseFolding-test.txt
FOLD_TEST_VERSION := test-1
$(FOLD_TESTS): build/fold_test_table.c
build/fold_test_table.c: tools/mktables.tcl $(FOLD_TEST_DATA)
	@mkdir -p $(@D)
	tclsh tools/mktables.tcl casefold $(FOLD_TEST_DATA) $(FOLD_TEST_VERSION) dynenum_fold_dynenum_test > $@.tmp
	@mv $@.tmp $@

# A program linked to the system SQLite that loads the extension.
build/load_oom_test: tests/load_oom_test.c tests/ctest.h tests/failing_alloc.h
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Itests -o $@ $< -lsqlite3
build/freshness_test build/asan/freshness_test: tests/freshness_test.c tests/ctest.h
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Itests -o $@ $< -lsqlite3
# The key table's paths under failing allocations (about a minute): make test-oom.
build/asan/keys_oom_test build/keys_oom_test: tests/keys_oom_test.c tests/ctest.h tests/failing_alloc.h
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Itests -o $@ $< -lsqlite3

# bench/collation_index.c is a program of its own (build/collation_index).
BENCH_SOURCES := $(filter-out bench/collation_index.c,$(sort $(wildcard bench/*.c)))
build/bench: $(BENCH_SOURCES) bench/bench.h $(CORE_SOURCES) $(HEADERS)
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Ibench -o $@ $(BENCH_SOURCES) $(CORE_SOURCES) -lsqlite3

# The comparator's own driver: DYNENUM against NOCASE and BINARY on the rows
# of tests/broad_pool.h (build/collation_index build/dynenum.so).
build/collation_index: bench/collation_index.c tests/broad_pool.h
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -Itests -o $@ bench/collation_index.c -lsqlite3

# 4. An object of the static library: the same files with -DSQLITE_CORE.
#    The binding's entry points are declared publicly by
#    ext/include/dynenum_extension.h; extension.o is compiled with that
#    header included first, so that the compiler checks its declarations
#    against the definitions.
STATIC_LIBRARY := build/libdynenum.a
STATIC_OBJECTS := $(patsubst ext/%.c,build/static/%.o,$(CORE_SOURCES) $(BINDING_SOURCES))

build/static/%.o: ext/%.c $(HEADERS) VERSION
	@mkdir -p $(@D)
	$(BUILD_CC) $(BUILD_CFLAGS) -DSQLITE_CORE $(VERSION_DEFINE) $(STATIC_INCLUDE) -c -o $@ $<

build/static/sqlite/extension.o: STATIC_INCLUDE := -include ext/include/dynenum_extension.h

$(STATIC_LIBRARY): $(STATIC_OBJECTS)
	@rm -f $@
	$(AR) rcs $@ $(STATIC_OBJECTS)

# What tools/sqlite_versions.sh compiles against other SQLite headers.
print-sources:
	@echo $(CORE_SOURCES) $(BINDING_SOURCES)

deps:
	@sh tools/deps.sh

# The two tables committed in ext/core/, from Debian's unicode-data files
# (DYNENUM_UNICODE_DATA moves them, as for tools/deps.sh and the tests).
# Both are frozen at 15.0.0: this must leave them unchanged (git diff).
UNICODE_DATA := $(or $(DYNENUM_UNICODE_DATA),/usr/share/unicode)
tables:
	tclsh tools/mktables.tcl casefold $(UNICODE_DATA)/CaseFolding.txt 15.0.0 dynenum_fold_dynenum > ext/core/casefold_table.c
	tclsh tools/mktables.tcl ignorable $(UNICODE_DATA)/DerivedCoreProperties.txt 15.0.0 dynenum_ignorable_dynenum \
	  > ext/core/ignorable_table.c

# The packages must be there before anything is compiled, hence the
# recursive make after deps.
demo: deps
	@$(MAKE) --no-print-directory $(EXTENSION)
	@sh tools/demo.sh $(EXTENSION)

test: deps
	@$(MAKE) --no-print-directory $(EXTENSION) $(CORE_TESTS) $(SWAR_TESTS) build/fold_table_test build/load_oom_test \
	  build/freshness_test build/sharing_test build/wal_threads_test
	tclsh tests/run.tcl $(CORE_TESTS) $(SWAR_TESTS) build/fold_table_test build/load_oom_test build/freshness_test \
	  build/sharing_test build/wal_threads_test

# Each ends with "test-NAME: N passed, N failed" and fails on any report
# (tools/sanitize.sh).
test-asan: deps
	@$(MAKE) --no-print-directory $(EXTENSION) $(ASAN_EXTENSION) $(ASAN_TESTS) build/asan/fold_table_test \
	  build/asan/freshness_test
	@sh tools/sanitize.sh asan "$$($(SANITIZER_CC) -print-file-name=libasan.so)" build/asan/dynenum $(ASAN_TESTS) \
	  build/asan/fold_table_test build/asan/freshness_test

test-tsan: deps
	@$(MAKE) --no-print-directory $(TSAN_TESTS) build/tsan/sharing_test build/tsan/wal_threads_test
	@sh tools/sanitize.sh tsan $(TSAN_TESTS) build/tsan/sharing_test build/tsan/wal_threads_test

test-valgrind: deps
	@sh tools/deps.sh --only valgrind
	@$(MAKE) --no-print-directory $(VALGRIND_TESTS)
	@sh tools/sanitize.sh valgrind $(VALGRIND_TESTS)

# Inputs at SQLITE_MAX_LENGTH (tests/limits/), under a 12 GiB address-space
# limit so that bounded memory is part of passing; takes a minute or two.
test-limits: deps
	@$(MAKE) --no-print-directory $(EXTENSION)
	prlimit --as=12884901888 tclsh tests/run.tcl -dir tests/limits -label test-limits

test-oom: deps
	@$(MAKE) --no-print-directory build/asan/oom_test build/asan/sharing_oom_test $(ASAN_EXTENSION) \
	  build/asan/keys_oom_test
	@sh tools/sanitize.sh oom build/asan/oom_test build/asan/sharing_oom_test build/asan/keys_oom_test

# The report goes to build/bench-report/, so that running the benchmarks
# (CI does) leaves the committed report alone; bench-report is the one way
# to replace it.  bench/run.sh builds the ICU-enabled SQLite of the peers
# first (bench/icu_sqlite.sh, into build/sqlite-icu/), and fails when any
# figure cannot be measured; the whole run takes about seven minutes on the
# shared two-core machine (the report's last figure).
BENCH_REPORT := build/bench-report

bench:
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory $(EXTENSION) build/bench
	@sh bench/run.sh build/dynenum $(BENCH_REPORT)

bench-report: bench
	cp $(BENCH_REPORT)/report.md $(BENCH_REPORT)/*.png bench/

warnings: deps
	@sh tools/deps.sh --only clang
	@for compiler in gcc clang; do \
	  for source in $(CORE_SOURCES) $(BINDING_SOURCES) tests/*_test.c bench/*.c examples/*.c; do \
	    $$compiler -std=c11 $(WARNINGS) -Werror -O2 -fPIC -pthread $(INCLUDES) -Itests \
	      $(VERSION_DEFINE) -c -o /dev/null $$source || exit 1; \
	  done; \
	  echo "$$compiler: no warnings"; \
	done

# Coverage: an instrumented (-O0 --coverage) copy of the extension, of the
# C tests, of the test of a second folding table (the only caller of
# dynenum_compare_with, whose inlined comparator gcov counts on its own; it
# checks DYNENUM against the normal build, built too) and of the
# out-of-memory harness, all in build/coverage/; then the
# C tests and the Tcl suite (tclsh tests/run.tcl loading the instrumented
# build/coverage/dynenum), the OOM harness, and gcovr over ext/
# (tools/coverage.sh).  Fails below 95% of lines or 90% of branches.
coverage: deps
	@sh tools/deps.sh --only coverage
	@$(MAKE) --no-print-directory $(EXTENSION) $(COVERAGE_EXTENSION) $(COVERAGE_TESTS) build/coverage/oom_test \
	  build/coverage/fold_table_test build/keys_oom_test build/freshness_test
	@sh tools/coverage.sh run build/coverage/dynenum build/coverage/oom_test build/keys_oom_test \
	  $(COVERAGE_TESTS) build/coverage/fold_table_test build/freshness_test

# Static embedding: build/libdynenum.a, for programs that link SQLite
# themselves and register dynenum with sqlite3_auto_extension
# (examples/embed.c).
.PHONY: static test-static test-sqlite-versions install uninstall test-install
PUBLIC_HEADERS := $(wildcard ext/include/*.h)

static: $(STATIC_LIBRARY)

# Builds examples/embed.c against build/libdynenum.a with gcc and clang and
# compares its output with examples/embed.out (tools/embed_test.sh).
test-static: deps
	@sh tools/deps.sh --only clang
	@$(MAKE) --no-print-directory $(STATIC_LIBRARY)
	@sh tools/embed_test.sh $(STATIC_LIBRARY)

# The Tcl suite against Debian's SQLite and two newer ones, from the
# sqlite-autoconf tarball that the npm package sqlite3 bundles and from the
# amalgamation that better-sqlite3 bundles (fetched with npm pack, built in
# build/sqlite-VERSION/), and the error an older SQLite gets at load time
# (tools/sqlite_versions.sh).
test-sqlite-versions: deps
	@$(MAKE) --no-print-directory $(EXTENSION) $(STATIC_LIBRARY)
	@sh tools/sqlite_versions.sh

# Installing: the loadable extension goes to $(EXTENSIONDIR), a directory of
# SQLite extensions as Debian's sqlite3-pcre uses (.load
# /usr/local/lib/sqlite3/dynenum); the static library, the two public headers
# and dynenum.pc (pkg-config --variable=extensiondir dynenum names that
# directory) to the usual places.  PREFIX and DESTDIR are honoured.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
EXTENSIONDIR ?= $(LIBDIR)/sqlite3
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL ?= install
MIN_SQLITE_VERSION := $(shell sed -n 's/.*define DYNENUM_MIN_SQLITE_VERSION "\(.*\)"/\1/p' ext/sqlite/binding.h)

# dynenum.pc names the directories relative to ${prefix} where it can, so
# that pkg-config --define-prefix finds a relocated copy.
PC_PATH = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

install: $(EXTENSION) $(STATIC_LIBRARY) dynenum.pc.in
	$(INSTALL) -d $(DESTDIR)$(EXTENSIONDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 755 $(EXTENSION) $(DESTDIR)$(EXTENSIONDIR)/dynenum.$(SO)
	$(INSTALL) -m 644 $(STATIC_LIBRARY) $(DESTDIR)$(LIBDIR)/libdynenum.a
	$(INSTALL) -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call PC_PATH,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call PC_PATH,$(INCLUDEDIR))|' -e 's|@EXTENSIONDIR@|$(call PC_PATH,$(EXTENSIONDIR))|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@MIN_SQLITE_VERSION@|$(MIN_SQLITE_VERSION)|' \
	    dynenum.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/dynenum.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/dynenum.pc

# Removes exactly what install put there, and the extension directory when
# nothing else is left in it.
uninstall:
	rm -f $(DESTDIR)$(EXTENSIONDIR)/dynenum.$(SO) $(DESTDIR)$(LIBDIR)/libdynenum.a \
	      $(patsubst ext/include/%,$(DESTDIR)$(INCLUDEDIR)/%,$(PUBLIC_HEADERS)) $(DESTDIR)$(PKGCONFIGDIR)/dynenum.pc
	rmdir $(DESTDIR)$(EXTENSIONDIR) 2>/dev/null || true

# Installs into a temporary DESTDIR, builds examples/embed.c there with
# pkg-config, runs it, uninstalls and checks nothing is left
# (tools/install_test.sh).
test-install: deps
	@$(MAKE) --no-print-directory $(EXTENSION) $(STATIC_LIBRARY)
	@sh tools/install_test.sh

# The Python package: python/ copied to build/python/ with the extension
# and VERSION and LICENSE added, then pip wheel there with Debian's
# setuptools and wheel (no PyPI, hence --no-build-isolation --no-index).
# The wheel, tagged py3-none-<platform>, lands in build/wheel/.
.PHONY: python-wheel test-clients
CLIENT_PYTHON := /usr/bin/python3

python-wheel: deps
	@sh tools/deps.sh --only python
	@$(MAKE) --no-print-directory $(EXTENSION)
	@rm -rf build/python build/wheel
	@mkdir -p build/wheel
	@cp -R python build/python
	@rm -rf build/python/build build/python/*.egg-info build/python/dynenum/__pycache__
	@cp VERSION LICENSE build/python/
	@cp $(EXTENSION) build/python/dynenum/
	$(CLIENT_PYTHON) -m pip wheel --quiet --no-build-isolation --no-deps --no-index \
	  --disable-pip-version-check -w build/wheel build/python
	@ls build/wheel/*.whl

# Real clients: the sqlite3 shell, Python's sqlite3 module and
# dynenum.enum_class(), Node with better-sqlite3 (installed by npm ci into
# tests/clients/node/), the npm package of node/ from its tarball, the
# Python wheel in fresh venvs, and examples/*_quickstart.*; ends with
# "test-clients: N passed, N failed" (tests/clients/run.sh).
test-clients: deps
	@sh tools/deps.sh --only clients
	@$(MAKE) --no-print-directory $(EXTENSION)
	@MAKE="$(MAKE)" sh tests/clients/run.sh

# Stress: processes and threads adding and resolving members on one WAL
# database (tests/concurrency_test.c, also under ThreadSanitizer), and a
# writer killed with SIGKILL again and again (tests/crash_test.c); the
# extension compiled in, the system SQLite.  DYNENUM_STRESS_SECONDS,
# DYNENUM_CRASH_ITERATIONS, DYNENUM_TSAN_SECONDS and DYNENUM_STRESS_SEED
# tune them; ends with "test-stress: N passed, N failed" (tools/stress.sh).
.PHONY: test-stress
test-stress: deps
	@$(MAKE) --no-print-directory $(STRESS_TESTS)
	@sh tools/stress.sh $(STRESS_TESTS)

# The README's quick start on Debian 12 roots that nobody prepared: a bare
# one and one with tclsh but no SQLite binding, each made by mmdebstrap
# (cached as a tarball outside the repository), the repository cloned in,
# `make demo` and `make test` run inside with chroot (tools/fresh.sh).  No
# deps prerequisite: it must run before anything is installed on the host.
.PHONY: test-fresh
test-fresh:
	@sh tools/fresh.sh

# The replicated SQLite (cluster/): Go programs on go-dqlite, built with
# Debian's Go and Debian's go-dqlite sources in GOPATH mode, so nothing is
# downloaded.  The node links build/libdynenum.a.  Go's build cache does
# not notice a change of a C library named in #cgo LDFLAGS, so the
# library's checksum goes into the link (-X), which makes Go relink when it
# changes.  go-dqlite asks for -Wl,-z,now, which cgo allows only when told.
.PHONY: dqlite test-dqlite
DQLITE_PROGRAMS := build/dynenum-dqlite build/dynenum-dqlite-client
GO_ENV := GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE=$(CURDIR)/build/go-cache \
	CGO_LDFLAGS_ALLOW='-Wl,-z,now'

dqlite: deps
	@sh tools/deps.sh --only dqlite
	@$(MAKE) --no-print-directory $(STATIC_LIBRARY)
	$(GO_ENV) go build -ldflags "-X main.staticLibrary=$$(sha256sum $(STATIC_LIBRARY) | cut -c1-16)" \
	  -o build/dynenum-dqlite ./cluster/node
	$(GO_ENV) go build -o build/dynenum-dqlite-client ./cluster/client

# Runs tests/cluster/*.test; ends with "test-dqlite: N passed, N failed".
# Every wait in them is bounded; the timeout bounds the whole, and the
# processes a file starts die with it.
test-dqlite: dqlite
	@$(MAKE) --no-print-directory $(EXTENSION)
	@timeout 1200 tclsh tests/run.tcl -dir tests/cluster -label test-dqlite

# Fuzzing (make fuzz) lives in its own file.
include fuzz/fuzz.mk

clean:
	rm -rf build
