# dynenum: dynamic string enums for SQLite.
#
#   make          build/dynenum.so, the loadable extension
#   make demo     run sql/demo.sql in the sqlite3 shell with the extension
#   make test     every test: the core's C tests and the Tcl suite
#   make test-asan      the C tests and the Tcl suite with AddressSanitizer
#                       and UndefinedBehaviorSanitizer builds of the core
#                       and the extension
#   make test-tsan      the core's C tests, threads included, under
#                       ThreadSanitizer
#   make test-valgrind  the core's C tests under valgrind's memcheck
#   make test-oom       out-of-memory sweeps of the SQL layer and the core
#                       (tests/oom_test.c), with ASan and UBSan
#   make bench    benchmarks against SQLite's built-ins: bench/report.md
#   make warnings compile everything with gcc and clang, warnings as errors
#   make clean
#
# `make demo` and `make test` first install what is missing (tools/deps.sh).

VERSION := $(shell cat VERSION)
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS := -std=c11 $(WARNINGS) $(CFLAGS) -fPIC -pthread -Iext

UNAME := $(shell uname -s 2>/dev/null)
ifeq ($(UNAME),Darwin)
  SO := dylib
else ifeq ($(OS),Windows_NT)
  SO := dll
else
  SO := so
endif

CORE_SOURCES := ext/dynenum_key.c ext/dynenum_core.c ext/casefold_table.c
BINDING_SOURCES := ext/dynenum_sqlite.c ext/dynenum_schema.c ext/dynenum_vtab.c
HEADERS := ext/dynenum.h ext/casefold_table.h ext/dynenum_sqlite.h
EXTENSION := build/dynenum.$(SO)
CORE_TESTS := build/core_test build/key_test

.PHONY: all demo test test-asan test-tsan test-valgrind test-oom bench deps warnings clean

all: $(EXTENSION)

$(EXTENSION): $(CORE_SOURCES) $(BINDING_SOURCES) $(HEADERS) VERSION
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -shared -fvisibility=hidden -DDYNENUM_VERSION='"$(VERSION)"' -o $@ $(CORE_SOURCES) $(BINDING_SOURCES)

build/%_test: tests/%_test.c tests/ctest.h $(CORE_SOURCES) $(HEADERS)
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(CORE_SOURCES)

deps:
	@sh tools/deps.sh

# The packages must be there before anything is compiled, hence the
# recursive make after deps.
demo: deps
	@$(MAKE) --no-print-directory $(EXTENSION)
	@sh tools/demo.sh $(EXTENSION)

test: deps
	@$(MAKE) --no-print-directory $(EXTENSION) $(CORE_TESTS)
	tclsh tests/run.tcl $(CORE_TESTS)

# Sanitizer builds.  gcc, because its ASan runtime is a shared library that
# an uninstrumented tclsh and sqlite3 shell can preload to load the
# instrumented extension (and valgrind 3.19 cannot read the DWARF 5 that
# clang 14 writes by default).
SANITIZER_CC := gcc
SANITIZER_CFLAGS := -std=c11 $(WARNINGS) -O1 -g -fno-omit-frame-pointer -fPIC -pthread -Iext
ASAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_EXTENSION := build/asan/dynenum.$(SO)
ASAN_TESTS := build/asan/core_test build/asan/key_test

$(ASAN_EXTENSION): $(CORE_SOURCES) $(BINDING_SOURCES) $(HEADERS) VERSION
	@mkdir -p build/asan
	$(SANITIZER_CC) $(SANITIZER_CFLAGS) $(ASAN) -shared -fvisibility=hidden -DDYNENUM_VERSION='"$(VERSION)"' -o $@ $(CORE_SOURCES) $(BINDING_SOURCES)

build/asan/%_test: tests/%_test.c tests/ctest.h $(CORE_SOURCES) $(HEADERS)
	@mkdir -p build/asan
	$(SANITIZER_CC) $(SANITIZER_CFLAGS) $(ASAN) -Itests -o $@ $< $(CORE_SOURCES)

# The out-of-memory harness has the whole extension compiled in and links
# the system SQLite.
build/asan/oom_test: tests/oom_test.c tests/ctest.h $(CORE_SOURCES) $(BINDING_SOURCES) $(HEADERS) VERSION
	@mkdir -p build/asan
	$(SANITIZER_CC) $(SANITIZER_CFLAGS) $(ASAN) -Itests -DSQLITE_CORE -DDYNENUM_VERSION='"$(VERSION)"' -o $@ $< $(CORE_SOURCES) $(BINDING_SOURCES) -lsqlite3

build/tsan/%_test: tests/%_test.c tests/ctest.h $(CORE_SOURCES) $(HEADERS)
	@mkdir -p build/tsan
	$(SANITIZER_CC) $(SANITIZER_CFLAGS) -fsanitize=thread -Itests -o $@ $< $(CORE_SOURCES)

build/valgrind/%_test: tests/%_test.c tests/ctest.h $(CORE_SOURCES) $(HEADERS)
	@mkdir -p build/valgrind
	$(SANITIZER_CC) $(SANITIZER_CFLAGS) -Itests -o $@ $< $(CORE_SOURCES)

# Each ends with "test-NAME: N passed, N failed" and fails on any report
# (tools/sanitize.sh).
test-asan: deps
	@$(MAKE) --no-print-directory $(ASAN_EXTENSION) $(ASAN_TESTS)
	@sh tools/sanitize.sh asan "$$($(SANITIZER_CC) -print-file-name=libasan.so)" build/asan/dynenum $(ASAN_TESTS)

test-tsan: deps
	@$(MAKE) --no-print-directory build/tsan/core_test
	@sh tools/sanitize.sh tsan build/tsan/core_test

test-valgrind: deps
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory build/valgrind/core_test build/valgrind/key_test
	@sh tools/sanitize.sh valgrind build/valgrind/core_test build/valgrind/key_test

test-oom: deps
	@$(MAKE) --no-print-directory build/asan/oom_test
	@sh tools/sanitize.sh oom build/asan/oom_test

build/bench: bench/bench.c $(CORE_SOURCES) $(HEADERS)
	@mkdir -p build
	$(CC) $(ALL_CFLAGS) -o $@ bench/bench.c $(CORE_SOURCES) -lsqlite3

bench:
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory $(EXTENSION) build/bench
	@sh bench/run.sh build/dynenum

warnings: deps
	@for compiler in gcc clang; do \
	  for source in $(CORE_SOURCES) $(BINDING_SOURCES) tests/*_test.c bench/*.c; do \
	    $$compiler -std=c11 $(WARNINGS) -Werror -O2 -fPIC -pthread -Iext -Itests \
	      -DDYNENUM_VERSION='"$(VERSION)"' -c -o /dev/null $$source || exit 1; \
	  done; \
	  echo "$$compiler: no warnings"; \
	done

# Fuzzing (make fuzz) lives in its own file.
include fuzz/fuzz.mk

clean:
	rm -rf build
