# dkfpolicy — GNU make. `make` builds ./dkfpolicy; `make run` installs missing
# build dependencies, builds and runs the tool on the bundled example;
# `make check` runs every test and ends with "N passed, N failed".
#
# One variable selects the variant; each variant has its own object folder:
#   make                 release build   -> build/release, ./dkfpolicy
#   make SAN=1 check     ASan + UBSan    -> build/san
#   make DEBUG=1         -O0 -g          -> build/debug

PKGS      := yaml-0.1 libcyaml libpcre2-8
PREFIX    ?= /usr/local
DESTDIR   ?=

ifeq ($(SAN),1)
VARIANT   := san
OPTFLAGS  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(DEBUG),1)
VARIANT   := debug
OPTFLAGS  := -O0 -g
else
VARIANT   := release
OPTFLAGS  := -O2 -g
endif

BUILD     := build/$(VARIANT)
ifeq ($(VARIANT),release)
BIN       := dkfpolicy
else
BIN       := $(BUILD)/dkfpolicy
endif

WARNFLAGS := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wformat=2 \
             -Wstrict-prototypes -Wmissing-prototypes -Wvla
# pkg-config runs only when a recipe needs it, so `make run` can install it first.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 $(WARNFLAGS) $(OPTFLAGS) -Isrc -I$(BUILD)/gen \
             $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(OPTFLAGS) $(LDFLAGS)

SRCS      := $(wildcard src/*.c)
LIB_OBJS  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(filter-out src/main.c,$(SRCS))) \
             $(BUILD)/obj/embedded_data.o
MAIN_OBJ  := $(BUILD)/obj/main.o
EMBEDDED  := $(sort $(wildcard templates/*.yaml)) data/default_values.yaml
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.PHONY: all run check golden golden-update valgrind check-sanitize check-valgrind \
        deps clean schema bench fuzz install uninstall
.DELETE_ON_ERROR:

all: $(BIN)

$(BIN): $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# Templates and the embedded defaults become C arrays, so the installed
# binary needs no data files at run time.
$(BUILD)/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARNFLAGS) -O1 -o $@ $<

$(BUILD)/gen/embedded_data.c: $(BUILD)/embed $(EMBEDDED)
	@mkdir -p $(@D)
	$(BUILD)/embed $(EMBEDDED) > $@

$(BUILD)/obj/embedded_data.o: $(BUILD)/gen/embedded_data.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(LIB_OBJS) \
		$(PKG_LIBS) $(shell pkg-config --libs cmocka) $(ALL_LDFLAGS)

deps:
	@sh scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	./dkfpolicy lint testdata/examples/values.yaml
	./dkfpolicy render testdata/examples/values.yaml

check: deps
	@$(MAKE) --no-print-directory $(BIN) $(UNIT_BINS)
	@sh tests/run-tests.sh "$(BIN)" "$(BUILD)/tests"

check-sanitize:
	@$(MAKE) --no-print-directory SAN=1 check

golden: $(BIN)
	@sh tests/golden.sh "$(BIN)"

golden-update: $(BIN)
	@sh tests/golden.sh --update "$(BIN)"

schema: $(BIN)
	./$(BIN) schema > schemas/dkfpolicy-values.schema.json

# Performance against the bare libyaml parse (bench/run.sh prints the table
# and checks the targets); BENCH_RUNS rounds of alternating runs, default 7.
BENCH_RUNS ?= 7
BENCH_TOOLS := $(BUILD)/bench/floor $(BUILD)/bench/gen $(BUILD)/bench/measure

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARNFLAGS) -O2 $(shell pkg-config --cflags yaml-0.1) -o $@ $< \
		$(shell pkg-config --libs yaml-0.1)

bench: deps
	@$(MAKE) --no-print-directory $(BIN) $(BENCH_TOOLS)
	@sh bench/run.sh "$(BIN)" "$(BUILD)/bench" "$(BENCH_RUNS)"

clean:
	rm -rf build dkfpolicy

-include $(wildcard $(BUILD)/obj/*.d)
