# blendsched: one plain Makefile. See README.md for the two commands.
#   make run    install missing packages, build, solve the bundled example
#   make test   install missing packages, build, run every test
#   make itc    ITC-2007 course timetabling benchmark (about 20 min; BENCHMARKS.md)
# Variables: CC, CFLAGS, LDFLAGS, PREFIX, DESTDIR, WERROR=1, SANITIZER=address,undefined

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
SANITIZER ?=

# Debian packages the build, the tests and the bench need.
DEB_PACKAGES := gcc make pkg-config tzdata libglpk-dev libcjson-dev libcriterion-dev \
                libssl-dev python3-jsonschema glpk-utils python3-icalendar chromium
DEB_BENCH_PACKAGES := coinor-cbc gnuplot-nox

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wundef -Wvla -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif
CJSON_CFLAGS := $(shell pkg-config --cflags libcjson 2>/dev/null || echo -I/usr/include/cjson)
CJSON_LIBS   := $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
OPT      ?= -O2 -g
BASE_CFLAGS := -std=c11 $(OPT) $(WARN) -fopenmp -I. $(CJSON_CFLAGS) -MMD -MP
LIBS     := -lglpk $(CJSON_LIBS) -lcrypto -lm -fopenmp
ifneq ($(SANITIZER),)
BASE_CFLAGS += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
LIBS += -fsanitize=$(SANITIZER)
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)

LIB_SRC  := $(wildcard core/*.c model/*.c io/*.c solver/*.c)
CLI_SRC  := $(wildcard cli/*.c)
GEN_SRC  := $(wildcard benchmarks/gen/*.c)
UNIT_SRC := $(wildcard tests/core/*.c tests/model/*.c tests/io/*.c tests/solver/*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ  := $(GEN_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)

BIN      := $(BUILD)/blendsched
GEN      := $(BUILD)/blendsched-gen
UNIT     := $(BUILD)/unit-tests
LIBA     := $(BUILD)/libblendsched.a

.PHONY: all run test unit cli-test asan valgrind bench bench-quick itc fuzz fuzz-build fuzz-seed format format-check clean \
        install uninstall deps bench-deps

all: $(BIN) $(GEN)

# Install whatever Debian packages are missing (needs root or sudo).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(DEB_PACKAGES) $(DEB_BENCH_PACKAGES)"

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIBA)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LDFLAGS) $(LIBS)

$(GEN): $(GEN_OBJ) $(LIBA)
	$(CC) $(ALL_CFLAGS) -o $@ $(GEN_OBJ) $(LIBA) $(LDFLAGS) $(LIBS)

$(UNIT): $(UNIT_OBJ) $(LIBA)
	$(CC) $(ALL_CFLAGS) -o $@ $(UNIT_OBJ) $(LIBA) $(LDFLAGS) $(LIBS) \
	  $$(pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p out
	$(BIN) solve fixtures/example/input.json -o out/calendar.json -c out/conflicts.json; \
	  rc=$$?; echo "calendar: out/calendar.json  conflicts: out/conflicts.json  (exit $$rc)"; \
	  [ $$rc -le 1 ]

test: deps
	@$(MAKE) --no-print-directory all $(UNIT)
	@$(MAKE) --no-print-directory unit cli-test

unit: $(UNIT)
	$(UNIT) -j2 --short-filename

cli-test: $(BIN) $(GEN)
	BLENDSCHED=$(BIN) GEN=$(GEN) sh tests/cli/run.sh

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZER=address,undefined OPT="-O1 -g" \
	  all build-asan/unit-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(MAKE) --no-print-directory BUILD=build-asan SANITIZER=address,undefined OPT="-O1 -g" \
	  unit cli-test

# The end-to-end suite with the blendsched binary under valgrind (memcheck):
# fails on any memory error or definitely-lost block (reports kept in
# build/valgrind/). Slow (see BENCHMARKS.md, RELIABILITY); not part of `test`.
VG_LOGDIR := $(CURDIR)/$(BUILD)/valgrind
valgrind: deps all
	@mkdir -p $(VG_LOGDIR) && rm -f $(VG_LOGDIR)/vg.*.log && chmod 1777 $(VG_LOGDIR)
	cp $(BIN) $(VG_LOGDIR)/blendsched # a rebuild during the long run does not touch it
	VG_BIN=$(VG_LOGDIR)/blendsched VG_LOGDIR=$(VG_LOGDIR) BLENDSCHED=$(CURDIR)/tests/valgrind/blendsched.sh \
	  GEN=$(GEN) RELIABILITY_KILLS=4 TIME_LIMIT_SLACK=120 nice -n 10 sh tests/cli/run.sh; \
	  st=$$?; n=$$(cat $(VG_LOGDIR)/vg.*.log 2>/dev/null | grep -c 'ERROR SUMMARY\|definitely lost\|Invalid\|uninitialised'); \
	  echo "valgrind: $$(ls $(VG_LOGDIR) | grep -c "^vg\.") processes, $$n error lines"; \
	  [ $$st -eq 0 ] && [ $$n -eq 0 ]

# The benchmarks (benchmarks/run.sh): rewrite their section of BENCHMARKS.md.
# bench is long (sizes to 3,000 cohorts, peers glpsol and CBC) and says how
# long before it starts; bench-quick takes under 2 minutes.
bench: bench-deps all
	sh benchmarks/run.sh full

bench-quick: bench-deps all
	sh benchmarks/run.sh quick

# ITC-2007 course timetabling: four instances, ITC_SECONDS (default 300)
# each; rewrites the ITC table of BENCHMARKS.md (benchmarks/itc2007/).
ITC_SECONDS ?= 300
itc: all
	BLENDSCHED=$(BIN) TIME_LIMIT=$(ITC_SECONDS) sh benchmarks/itc2007/run.sh

# libFuzzer (clang) on the three loaders of untrusted bytes: the input
# loader, the scenario loader (against fixtures/example/input.json) and
# verify's calendar loader (against fixtures/verify/clean/input.json), each
# seeded from fixtures/ and run FUZZ_SECONDS (default 60) one after another
# under `nice -n 19`. Corpora grow in build-fuzz/corpus-NAME/; a crash stops
# the run and lands in build-fuzz/ as crash-* (make it a regression fixture
# under fixtures/fuzz/NAME/, which tests/cli/fuzz_regress.sh replays).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := read_instance scenario calendar
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build-fuzz/%.o)
FUZZ_CFLAGS := -std=c11 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fopenmp=libgomp \
               -I. $(CJSON_CFLAGS) -DBS_FUZZ_FIXTURES='"$(CURDIR)/fixtures"'
build-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c $< -o $@
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_LIB_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB_OBJ) -o $@ \
	  -lglpk $(CJSON_LIBS) -lcrypto -lm -lgomp
fuzz-build: $(FUZZ_TARGETS:%=build-fuzz/fuzz_%)
# Seed corpora: copies of the fixtures each loader reads (fuzz-seed only adds).
fuzz-seed:
	@mkdir -p $(FUZZ_TARGETS:%=build-fuzz/corpus-%)
	cp fixtures/example/input.json fixtures/invalid/*.json build-fuzz/corpus-read_instance/
	for d in fixtures/solve/*/; do \
	  cp "$$d/input.json" "build-fuzz/corpus-read_instance/solve-$$(basename $$d).json"; done
	cp fixtures/scenarios/*.json fixtures/scenarios/invalid/*.json build-fuzz/corpus-scenario/
	for d in fixtures/verify/*/; do [ -f "$$d/calendar.json" ] && \
	  cp "$$d/calendar.json" "build-fuzz/corpus-calendar/$$(basename $$d).json"; done; true
	for t in $(FUZZ_TARGETS); do [ -d fixtures/fuzz/$$t ] && \
	  cp fixtures/fuzz/$$t/* build-fuzz/corpus-$$t/; done; true
fuzz: deps fuzz-build fuzz-seed
	cd build-fuzz && for t in $(FUZZ_TARGETS); do \
	  nice -n 19 ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 corpus-$$t || exit 1; done

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(GEN_SRC) $(UNIT_SRC) $(wildcard */*.h tests/*/*.h)

format-check:
	clang-format --dry-run --Werror $(LIB_SRC) $(CLI_SRC) $(GEN_SRC) $(UNIT_SRC)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/blendsched

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/blendsched

clean:
	rm -rf build build-asan build-fuzz out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
