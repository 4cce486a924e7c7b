# vioperf: one Makefile, out-of-tree objects in build/ (build-asan/ for the
# sanitizer build). Sources are found by folder: a new datapath or backend
# is one new .c file plus one table line, and no Makefile edit.

BUILD ?= build
CC ?= cc
PREFIX ?= /usr/local

VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

PKGS := libdpdk libpcap
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

OPT ?= -O2
SAN ?=
CFLAGS_BASE := -std=gnu11 -g $(OPT) -Wall -Wextra -Werror -D_GNU_SOURCE \
	-MMD -MP $(PKG_CFLAGS) $(SAN)
LDLIBS := $(PKG_LIBS) -lcsv -lpthread -lm $(SAN)

SRCS := $(sort $(wildcard harness/*.c generators/*.c topologies/*.c reports/*.c))
MAIN := harness/main.c
LIB_SRCS := $(filter-out $(MAIN),$(SRCS))
LIB_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 120
FUZZ_SAN := -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer

.PHONY: all deps deps-test lab run test test-only asan bench gate-eval install clean fuzz fuzz-build fuzz-run

all: $(BUILD)/vioperf $(UNIT_BINS)

# V=1 shows the full command lines.
V ?= 0
ifeq ($(V),0)
Q := @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_BASE) -c -o $@ $<

# The version is regenerated only when `git describe` changes.
$(BUILD)/version.c: FORCE
	@mkdir -p $(BUILD)
	@echo 'const char vioperf_version[] = "$(VERSION)";' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/version.o: $(BUILD)/version.c
	$(Q)$(CC) $(CFLAGS_BASE) -c -o $@ $<

$(BUILD)/libvioperf.a: $(LIB_OBJS) $(BUILD)/version.o
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/vioperf: $(BUILD)/harness/main.o $(BUILD)/libvioperf.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libvioperf.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CCLD    $@")
	$(Q)$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libvioperf.a $(LDLIBS) -lcmocka

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libvioperf.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(CFLAGS_BASE) -fsanitize=fuzzer -o $@ $< $(BUILD)/libvioperf.a $(LDLIBS)

FORCE:

# Install what is missing (Debian packages by name), as root.
deps:
	scripts/setup.sh

# What only the tests need (scripts/packages-test.txt: a headless browser
# for the report page).
deps-test:
	scripts/setup.sh packages-test.txt

# The main job: dependencies, build, hugepages (by the run itself), every
# datapath this host can build, report.
run: deps all
	scripts/main-job.sh

# The kernel lab (QEMU + a backports kernel in build/lab/) that the lab_*
# integration tests boot; cached, so a no-op once made.
lab: deps
	scripts/lab/setup.sh

# Every test, plain build then the sanitizer build.
test: deps deps-test lab
	$(MAKE) test-only
	$(MAKE) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		test-only

test-only: all
	tests/run.sh $(BUILD)

asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		test-only

bench: deps all
	scripts/bench.sh $(BUILD)

# False-alarm and detection rates of `vioperf compare --paired` here.
gate-eval: deps all
	scripts/gate_eval.sh $(BUILD)

# libFuzzer targets for every parser (clang); `make fuzz` runs each for
# FUZZ_SECONDS, `make test` runs them briefly (tests/integration/fuzz_brief.sh).
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT=-O1 SAN="$(FUZZ_SAN)" fuzz-run

fuzz-build: $(FUZZ_BINS)

fuzz-run: fuzz-build
	@for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p $(BUILD)/corpus/$$n; \
		echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
		seeds=; [ -d tests/fuzz/corpus/$$n ] && seeds=tests/fuzz/corpus/$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/corpus/$$n $$seeds || exit 1; \
	done

install: $(BUILD)/vioperf
	install -D -m 0755 $(BUILD)/vioperf $(DESTDIR)$(PREFIX)/bin/vioperf

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
