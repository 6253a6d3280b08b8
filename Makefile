# dkfpolicy — GNU make. `make` builds ./dkfpolicy; `make run` installs missing
# build dependencies, builds and runs the tool on the bundled example;
# `make check` runs every test and ends with "N passed, N failed, N skipped" and
# the reason of each skip.
#
# One variable selects the variant; each variant has its own object folder:
#   make                 release build   -> build/release, ./dkfpolicy
#   make SAN=1 check     ASan + UBSan    -> build/san
#   make DEBUG=1         -O0 -g          -> build/debug
#   make static          fully static    -> build/static (STATIC=1)

PKGS      := yaml-0.1 libcyaml libpcre2-8
# The one version, X.Y.Z, in the file VERSION: --version, the tool version in JSON and
# SARIF (through $(BUILD)/gen/tool_version.h) and the release file names come from it;
# tests/cli/version.sh fails when the man page, debian/changelog, README.md or
# .pre-commit-hooks.yaml say another. A release is the tag vX.Y.Z on the commit whose
# VERSION is X.Y.Z (README.md, "Install").
VERSION   := $(shell sed -n '1{/^[0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*$$/p;}' VERSION 2>/dev/null)
ifeq ($(VERSION),)
$(error VERSION must hold one line X.Y.Z)
endif
PREFIX    ?= /usr/local
DESTDIR   ?=

# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line (as
# dpkg-buildflags sets them) come after the project's flags, so they win. The
# sanitizer and -O0 variants undo _FORTIFY_SOURCE: it needs optimisation (glibc
# before 2.36 warns without it, and -Werror makes that an error) and stands in
# ASan's way.
ifeq ($(SAN),1)
VARIANT   := san
OPTFLAGS  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
NOFORTIFY := -U_FORTIFY_SOURCE
else ifeq ($(DEBUG),1)
VARIANT   := debug
OPTFLAGS  := -O0 -g
NOFORTIFY := -U_FORTIFY_SOURCE
else ifeq ($(STATIC),1)
VARIANT   := static
OPTFLAGS  := -O2 -g
NOFORTIFY :=
else
VARIANT   := release
OPTFLAGS  := -O2 -g
NOFORTIFY :=
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
# The binary and the unit tests take libcyaml and PCRE2 from their static
# archives (shipped in the same Debian -dev packages): mapping and relocating
# a shared library costs a process about 0.1 ms, which was a third of the
# set-up of linting a 1 KB file (make bench). libyaml stays shared, as in the
# bench's floor. `make STATIC_LIBS=` links all three shared; a library whose
# archive is missing is linked shared, with a warning.
STATIC_LIBS ?= libcyaml libpcre2-8
static_archive = $(wildcard $(shell pkg-config --variable=libdir $(1))/$(1).a)
archive_or_shared = $(or $(call static_archive,$(1)),$(warning $(1).a not found: linking $(1) shared)$(shell pkg-config --libs $(1)))
ifeq ($(VARIANT),static)
BIN_LIBS   = -static $(shell pkg-config --static --libs $(PKGS))
else
BIN_LIBS   = $(foreach p,$(STATIC_LIBS),$(call archive_or_shared,$(p))) \
             $(shell pkg-config --libs $(filter-out $(STATIC_LIBS),$(PKGS)))
endif
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 $(WARNFLAGS) $(OPTFLAGS) -Isrc -I$(BUILD)/gen \
             $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(NOFORTIFY)
ALL_LDFLAGS = $(OPTFLAGS) $(LDFLAGS)

SRCS      := $(wildcard src/*.c)
LIB_OBJS  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(filter-out src/main.c,$(SRCS))) \
             $(BUILD)/obj/embedded_data.o
MAIN_OBJ  := $(BUILD)/obj/main.o
EMBEDDED  := $(sort $(wildcard templates/*.yaml)) data/default_values.yaml
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.PHONY: all run check golden golden-update valgrind check-sanitize check-valgrind \
        deps clean schema completions bench fuzz fuzz-build format check-format install uninstall man version release-names \
        dist static check-static deb check-deb image check-images check-dist check-packages release
.DELETE_ON_ERROR:

all: $(BIN)

ifneq ($(VARIANT),static)
$(BIN): $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BIN_LIBS)
else
# Every library from its archive, glibc too. glibc warns when a static program uses
# NSS (getpwnam, getaddrinfo...), which needs glibc's shared parts at run time after
# all: that warning fails the link, as does a dynamic section in the result.
$(BIN): $(MAIN_OBJ) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(BIN_LIBS) 2>$(BUILD)/link.log; \
		st=$$?; cat $(BUILD)/link.log >&2; [ $$st = 0 ] || exit $$st; \
		if grep -q 'statically linked applications requires at runtime' $(BUILD)/link.log; then \
			echo "make static: the link needs glibc's NSS at run time (above); not static" >&2; \
			rm -f $@; exit 1; \
		fi; \
		if readelf -d $@ | grep -q NEEDED || readelf -l $@ | grep -q INTERP; then \
			echo "make static: $@ still loads shared libraries" >&2; rm -f $@; exit 1; \
		fi
endif

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The version for C: only the files that print it include this header.
$(BUILD)/gen/tool_version.h: VERSION
	@mkdir -p $(@D)
	printf '/* generated from VERSION by the Makefile */\n#ifndef DKF_TOOL_VERSION_H\n#define DKF_TOOL_VERSION_H\n#define DKF_TOOL_VERSION "%s"\n#endif\n' '$(VERSION)' >$@

$(BUILD)/obj/cli.o: $(BUILD)/gen/tool_version.h

# `make -s version` prints the version, for scripts
version:
	@echo '$(VERSION)'

# --- release files: build/dist/, every name carrying the version ----------------------
DIST_DIR    := build/dist
DIST_NAME   := dkfpolicy-$(VERSION)
TARBALL     := $(DIST_DIR)/$(DIST_NAME).tar.gz
STATIC_FILE := $(DIST_DIR)/dkfpolicy-$(VERSION)-linux-$(shell uname -m)
DEB_ARCH     = $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB_FILE     = $(DIST_DIR)/dkfpolicy_$(VERSION)_$(DEB_ARCH).deb
# The images `make image` builds; IMAGE_REPO=registry.example.com/tools names them for a push.
IMAGE_REPO  ?= localhost
IMAGE       ?= $(IMAGE_REPO)/dkfpolicy:$(VERSION)
CMP_IMAGE   ?= $(IMAGE_REPO)/dkfpolicy-cmp:$(VERSION)

release-names:
	@printf '%s\n' $(notdir $(TARBALL) $(STATIC_FILE) $(DEB_FILE)) $(IMAGE) $(CMP_IMAGE)

# make dist: $(TARBALL), the files git tracks, as they are in the work tree, under
# $(DIST_NAME)/. Reproducible: sorted names, owner 0, the last commit's time, gzip -n.
# Making it needs git; building and testing from it needs neither git nor a network.
dist:
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
		{ echo "make dist: needs a git checkout (it packs the files git tracks)" >&2; exit 2; }
	@mkdir -p $(DIST_DIR)
	git ls-files -z >$(DIST_DIR)/files.tmp
	tar --no-recursion --sort=name --transform 's,^,$(DIST_NAME)/,' \
		--owner=0 --group=0 --numeric-owner --mtime=@$$(git log -1 --format=%ct) \
		--mode=go-w -cf $(TARBALL).tar --null -T $(DIST_DIR)/files.tmp
	gzip -n -9 <$(TARBALL).tar >$(TARBALL).tmp
	rm -f $(DIST_DIR)/files.tmp $(TARBALL).tar
	mv $(TARBALL).tmp $(TARBALL)
	@echo "$(TARBALL)"

# make deb: the Debian package $(DEB_FILE) (debian/: debhelper), built with
# `dpkg-buildpackage -us -uc -b` from the unpacked source tarball in build/deb, since
# dpkg-buildpackage writes its files next to the source folder. Its build runs
# make check; DEB_BUILD_OPTIONS=nocheck skips that.
deb: deps dist
	@sh scripts/install-deps.sh dpkg-dev debhelper fakeroot
	rm -rf build/deb
	mkdir -p build/deb
	tar -C build/deb -xzf $(TARBALL)
	cd build/deb/$(DIST_NAME) && dpkg-buildpackage -us -uc -b
	cp build/deb/$(notdir $(DEB_FILE)) $(DEB_FILE)
	@echo "$(DEB_FILE)"

# make check-deb: lintian, what the package holds and links, and a bare Debian
# bookworm (debootstrap, under build/bookworm) installing, running and purging it
# (tests/packages/deb.sh; needs root and the network to a Debian mirror)
check-deb: deb $(BIN)
	@sh scripts/install-deps.sh lintian debootstrap
	@sh tests/packages/deb.sh $(BIN)

# make image: the two images, with podman (or docker: CONTAINER=docker), from the
# static binary: $(IMAGE) (Containerfile: the binary alone) and $(CMP_IMAGE)
# (argocd-cmp/Containerfile: the Argo CD plugin sidecar, on IMAGE_BASE).
CONTAINER  ?= $(shell command -v podman || command -v docker)
IMAGE_BASE ?= docker.io/library/debian:bookworm-slim
image: static
	@[ -n "$(CONTAINER)" ] || { echo "make image: needs podman or docker" >&2; exit 2; }
	$(CONTAINER) build -f Containerfile --build-arg VERSION=$(VERSION) \
		--build-arg ARCH=$(shell uname -m) -t $(IMAGE) .
	$(CONTAINER) build -f argocd-cmp/Containerfile --build-arg VERSION=$(VERSION) \
		--build-arg ARCH=$(shell uname -m) --build-arg BASE=$(IMAGE_BASE) -t $(CMP_IMAGE) .

# make check-images: both images run where a container runtime works (podman, runc,
# a base image imported from build/bookworm; tests/packages/images.sh), and skip
# saying why where it does not
check-images: static
	@sh tests/packages/images.sh build/static/dkfpolicy

# make check-dist: the tarball holds what git tracks, is reproducible, and README.md's
# tarball block builds, tests and installs from it offline, with no git
# (tests/packages/dist.sh; needs root for a network namespace of its own)
check-dist: dist $(BIN)
	@sh tests/packages/dist.sh $(BIN)

# make check-packages: every release channel, as .ci/run runs them
check-packages: check-static check-dist check-deb check-images

# make release: the release files, with their checksums, in build/dist/
release: static deb
	cd $(DIST_DIR) && sha256sum $(notdir $(TARBALL) $(STATIC_FILE) $(DEB_FILE)) >SHA256SUMS
	@cat $(DIST_DIR)/SHA256SUMS

# make check-static: the static binary in an empty chroot, and the whole suite against
# it (tests/packages/static.sh; the unit tests are the release build's)
check-static: static $(BIN) $(UNIT_BINS)
	@sh tests/packages/static.sh build/static/dkfpolicy

# make static: one fully static binary from Debian's own archives (libyaml.a,
# libcyaml.a, libpcre2-8.a, glibc's libc.a), built in build/static; the release file
# $(STATIC_FILE) is that binary stripped.
static: deps
	@$(MAKE) --no-print-directory STATIC=1 all
	@mkdir -p $(DIST_DIR)
	strip -o $(STATIC_FILE) build/static/dkfpolicy
	@echo "$(STATIC_FILE)"

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

# A unit test may #include "../../src/X.c" to reach X's static functions (the
# module's API stays what the program uses); it is then linked without X's
# object.
included_sources = $(shell sed -n 's|^\#include "\.\./\.\./src/\([a-z_0-9]*\)\.c"$$|$(BUILD)/obj/\1.o|p' $(1))

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -MMD -MP -o $@ $< \
		$(filter-out $(call included_sources,$<),$(LIB_OBJS)) \
		$(BIN_LIBS) $(shell pkg-config --libs cmocka) $(ALL_LDFLAGS)

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

# The unit tests and the golden suite under valgrind memcheck (plain build: never
# together with SAN=1); any memory error or leak fails.
check-valgrind:
	@$(MAKE) --no-print-directory $(BIN) $(UNIT_BINS)
	@sh tests/valgrind.sh "$(BIN)" "$(BUILD)/tests"

valgrind: check-valgrind

golden: $(BIN)
	@sh tests/golden.sh "$(BIN)"

golden-update: $(BIN)
	@sh tests/golden.sh --update "$(BIN)"

schema: $(BIN)
	./$(BIN) schema > schemas/dkfpolicy-values.schema.json

# the bash completion script, from the same tables as --help
completions: $(BIN)
	./$(BIN) completion bash > completions/dkfpolicy.bash

# the DIAGNOSTICS list of doc/dkfpolicy.1 from src/diag_codes.def
man:
	sh tools/man-diagnostics.sh

# make install PREFIX=/usr DESTDIR=/tmp/pkg: the binary needs no data files at
# run time; the schema is installed for editors. INSTALL_BIN installs another
# build of the binary (the tests pass the one under test).
BINDIR      = $(DESTDIR)$(PREFIX)/bin
MAN1DIR     = $(DESTDIR)$(PREFIX)/share/man/man1
DATADIR     = $(DESTDIR)$(PREFIX)/share/dkfpolicy
BASHCOMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
INSTALL_BIN ?= $(BIN)

install: $(INSTALL_BIN)
	install -d "$(BINDIR)" "$(MAN1DIR)" "$(DATADIR)" "$(BASHCOMPDIR)"
	install -m 755 "$(INSTALL_BIN)" "$(BINDIR)/dkfpolicy"
	install -m 644 doc/dkfpolicy.1 "$(MAN1DIR)/dkfpolicy.1"
	install -m 644 schemas/dkfpolicy-values.schema.json "$(DATADIR)/dkfpolicy-values.schema.json"
	install -m 644 completions/dkfpolicy.bash "$(BASHCOMPDIR)/dkfpolicy"

uninstall:
	rm -f "$(BINDIR)/dkfpolicy" "$(MAN1DIR)/dkfpolicy.1" \
		"$(DATADIR)/dkfpolicy-values.schema.json" "$(BASHCOMPDIR)/dkfpolicy"
	-rmdir "$(DATADIR)" 2>/dev/null

# --- fuzzing (clang + libFuzzer): `make fuzz FUZZ_SECONDS=60` runs each harness in
# fuzz/ (fuzz/fuzz_*.c) for that long, seeded from fuzz/corpus/HARNESS/ and the
# inputs of testdata/ (fuzz/run.sh); crashes land in build/fuzz/artifacts/ (turn
# each into a golden case). Own objects in build/fuzz.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_CFLAGS   = -std=c11 -D_XOPEN_SOURCE=700 $(WARNFLAGS) -Wno-format-nonliteral -g -O1 -fno-omit-frame-pointer \
               -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
               -Isrc -I$(FUZZ_BUILD)/gen $(PKG_CFLAGS)
FUZZ_SRCS    := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS    := $(patsubst fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ_BUILD)/obj/%.o,$(filter-out src/main.c,$(SRCS))) \
               $(FUZZ_BUILD)/obj/embedded_data.o
# what the harnesses share (fuzz/*.c that are no harness): invariants, inputs, reports.
# Sanitized but not instrumented for coverage: the fuzzer is to explore the tool,
# not the checker of its JSON.
FUZZ_HELPERS := $(patsubst fuzz/%.c,$(FUZZ_BUILD)/helpers/%.o,$(filter-out $(FUZZ_SRCS),$(wildcard fuzz/*.c)))
FUZZ_HELPER_CFLAGS = $(subst fuzzer-no-link$(comma),,$(FUZZ_CFLAGS))
comma := ,
# A harness may #include "../src/X.c" to reach X's static functions (as a unit
# test does; see included_sources); it is then linked without X's object.
fuzz_included = $(shell sed -n 's|^\#include "\.\./src/\([a-z_0-9]*\)\.c"$$|$(FUZZ_BUILD)/obj/\1.o|p' $(1))

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/gen/embedded_data.c: $(BUILD)/embed $(EMBEDDED)
	@mkdir -p $(@D)
	$(BUILD)/embed $(EMBEDDED) > $@

# cli.c prints the version: the fuzz objects take the release build's header
$(FUZZ_BUILD)/gen/tool_version.h: $(BUILD)/gen/tool_version.h
	@mkdir -p $(@D)
	cp $< $@

$(FUZZ_BUILD)/obj/cli.o: $(FUZZ_BUILD)/gen/tool_version.h

$(FUZZ_BUILD)/obj/embedded_data.o: $(FUZZ_BUILD)/gen/embedded_data.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(FUZZ_BUILD)/helpers/%.o: fuzz/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_HELPER_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJS) $(FUZZ_HELPERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< $(FUZZ_HELPERS) \
		$(filter-out $(call fuzz_included,$<),$(FUZZ_OBJS)) $(PKG_LIBS)

.SECONDARY: $(FUZZ_OBJS) $(FUZZ_BUILD)/gen/embedded_data.c
# named outside the pattern rule, so a missing object is rebuilt, not taken for
# an intermediate file that may stay missing
$(FUZZ_BINS): $(FUZZ_OBJS) $(FUZZ_HELPERS)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@sh fuzz/run.sh "$(FUZZ_BUILD)" "$(FUZZ_SECONDS)" $(FUZZ_BINS)

# The C sources in the house layout (.clang-format); check-format changes
# nothing and lists the files that differ (CI runs it).
FORMAT_SRCS := $(wildcard src/*.[ch] tests/unit/*.[ch] fuzz/*.[ch] bench/*.c tools/*.c)
format:
	clang-format -i $(FORMAT_SRCS)

check-format:
	@bad=; for f in $(FORMAT_SRCS); do \
		clang-format "$$f" | cmp -s - "$$f" || bad="$$bad $$f"; \
	done; \
	if [ -n "$$bad" ]; then echo "not in the .clang-format layout (make format):$$bad" >&2; exit 1; fi; \
	echo "check-format: $(words $(FORMAT_SRCS)) files in the .clang-format layout"

# Performance against the bare libyaml parse (bench/run.sh prints the table
# and checks the targets); BENCH_RUNS rounds of alternating runs, default 15
# (3 x that many for the inputs that take milliseconds).
BENCH_RUNS ?= 15
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

-include $(wildcard $(BUILD)/obj/*.d) $(wildcard $(BUILD)/tests/*.d) $(wildcard $(FUZZ_BUILD)/obj/*.d) \
         $(wildcard $(FUZZ_BUILD)/helpers/*.d) $(wildcard $(FUZZ_BUILD)/*.d)
