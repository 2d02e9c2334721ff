# dynenum: dynamic string enums for SQLite.
#
#   make          build/dynenum.so, the loadable extension
#   make demo     run sql/demo.sql in the sqlite3 shell with the extension
#   make test     every test: the core's C tests and the Tcl suite
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

.PHONY: all demo test bench deps warnings clean

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
