# fuzz/fuzz.mk: the libFuzzer targets (included by the Makefile).
.PHONY: fuzz
fuzz:
	@echo "fuzz: no targets yet"
