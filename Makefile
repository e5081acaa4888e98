# Candour — plain Makefile with pkg-config.
#
#   make            build build/candour-intake and build/candour-review (and
#                   build/candour-review-desk, which `candour-review desk` runs)
#   make run        install missing Debian packages, build, start the intake
#                   on 127.0.0.1:8080 with a DEMO key
#   make check      install missing packages, build, run every test: unit
#                   tests twice (plain and ASan+UBSan), end-to-end tests beside
#                   them (tests/run-all.sh)
#   make static     cppcheck and clang's analyzer (scan-build)
#   make soak       the long runs: static, valgrind over unit tests and the
#                   reporter-to-reviewer loop, then the crash, disk-full and
#                   flood tests at full count (tests/soak.sh)
#   make bench      benchmarks; writes bench/RESULTS.md (QUICK=1: a short run)
#   make fuzz       SECONDS=N: every libFuzzer target for N seconds (60),
#                   keeping new corpus entries (tests/fuzz/, tests/README.md)
#   make install    PREFIX=/usr/local DESTDIR= (build with the same PREFIX:
#                   serve looks for web/ under it)
#   make clean | make format
#
# Sources are found by wildcard: a new .c file in a module folder is built
# into that module; a new tests/<module>/test_*.c becomes a cmocka program;
# a new tests/e2e/*.sh becomes an end-to-end test.

PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build
CC      ?= cc
PKGS     = libsodium libmicrohttpd sqlite3 libqrencode libseccomp libpng libkeyutils
TESTPKGS = cmocka

HARDEN   = -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS  ?=
CFLAGS  += -std=c17 -Wall -Wextra -Werror $(HARDEN) -D_DEFAULT_SOURCE \
           -D_GNU_SOURCE -I. $(SAN) -DCANDOUR_WEB_DIR='"$(PREFIX)/share/candour/web"'
LDFLAGS += -pie -Wl,-z,relro,-z,now $(SAN) $(TEST_LD)

# := (once a make): with = each compile and link ran its own sh and
# pkg-config, 319 of them in a plain build (~3.5 s of CPU a build, three
# builds in make check).
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
CFLAGS    += $(PKG_CFLAGS)
# What each compile parses counts three times too: crypto/candour_crypto.h
# (176 of the plain build's 206 sources) includes libsodium's sub-headers
# it needs, not <sodium.h> (~3,300 lines, ~0.01 s a compile; ~7 s of make
# check's builds): tests/README.md, "make check's builds".

CRYPTO_SRC = $(wildcard crypto/*.c)
COMMON_SRC = $(wildcard util/*.c) $(wildcard bundle/*.c)
TMPL_SRC   = $(wildcard tmpl/*.c)
INTAKE_SRC = $(filter-out intake/main.c,$(wildcard intake/*.c))
REVIEW_SRC = $(filter-out review/main.c review/desk_main.c,$(wildcard review/*.c))

obj = $(patsubst %.c,$(B)/%.o,$(1))

LIBCRYPTO = $(B)/libcandour_crypto.a
LIBCOMMON = $(B)/libcandour_common.a
LIBTMPL   = $(B)/libcandour_tmpl.a
LIBINTAKE = $(B)/libcandour_intake.a
LIBREVIEW = $(B)/libcandour_review.a

# candour-review execs candour-review-desk (beside it) for `desk`: only
# the desk links libmicrohttpd (review/main.c says why).
BINS = $(B)/candour-intake $(B)/candour-review $(B)/candour-review-desk

TESTS_CRYPTO = $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/crypto/test_*.c))
TESTS_COMMON = $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/util/test_*.c tests/bundle/test_*.c))
TESTS_INTAKE = $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/intake/test_*.c))
TESTS_REVIEW = $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/review/test_*.c))
UNIT_TESTS   = $(TESTS_CRYPTO) $(TESTS_COMMON) $(TESTS_INTAKE) $(TESTS_REVIEW)
BENCHES      = $(patsubst bench/%.c,$(B)/bench/%,$(wildcard bench/*.c))

.PHONY: all run check check-unit check-e2e deps deps-check tests install clean format asan bench \
        fuzzers fuzz-build fuzz

all: $(BINS) $(B)/locale.ok

# The build fails when en.txt and cy.txt disagree on a key or a placeholder.
$(B)/locale.ok: web/locale/en.txt web/locale/cy.txt tests/lint/locale.sh
	@mkdir -p $(dir $@)
	sh tests/lint/locale.sh && touch $@

deps:
	@sh scripts/deps.sh run

deps-check:
	@sh scripts/deps.sh check

# The object folders are made once, by one mkdir, before any compile: a
# mkdir in each compile's recipe cost ~5 ms of CPU a compile on this
# machine (a process start), about 1 s a build.
OBJ_DIRS = $(addprefix $(B)/,$(sort $(dir $(wildcard */*.c tests/*/*.c))))
$(B)/.dirs:
	@mkdir -p $(OBJ_DIRS) && touch $@
$(B)/%.o: %.c | $(B)/.dirs
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# A library's objects: all of its sources, or in the fuzz build and make
# check's ASan build those of NEED only: the members a link of the
# programs named by NEED_OF (FUZZERS, UNIT_TESTS) pulls from the plain
# build's archives (NEED_PLAIN). tests/fuzz/objects.sh writes NEED into
# $(B)/need.mk, which make includes here, before the libraries' rules, and
# restarts on (below: fuzz-build, asan-unit).
lib_objs = $(call obj,$(if $(NEED),$(filter $(NEED),$(1)),$(1)))
FUZZERS  = $(patsubst tests/%.c,$(B)/tests/%,$(wildcard tests/fuzz/fuzz_*.c))
ifneq ($(NEED_PLAIN),)
-include $(B)/need.mk
$(B)/need.mk: $($(NEED_OF):=.o) tests/fuzz/objects.sh $(wildcard $(NEED_PLAIN)/libcandour_*.a)
	sh tests/fuzz/objects.sh $(NEED_PLAIN) $(filter %.o,$^) > $@
endif

$(LIBCRYPTO): $(call lib_objs,$(CRYPTO_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBCOMMON): $(call lib_objs,$(COMMON_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
# The command-line programs' built-in English is en.txt itself (.incbin in
# tmpl/cli_text.c), which the compiler's -MMD does not see.
$(B)/tmpl/cli_text.o: web/locale/en.txt
$(LIBTMPL): $(call lib_objs,$(TMPL_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBINTAKE): $(call lib_objs,$(INTAKE_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(LIBREVIEW): $(call lib_objs,$(REVIEW_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(B)/candour-intake: $(B)/intake/main.o $(LIBINTAKE) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/candour-review: $(B)/review/main.o $(LIBREVIEW) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/candour-review-desk: $(B)/review/desk_main.o $(LIBREVIEW) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(TESTS_CRYPTO): $(B)/tests/%: $(B)/tests/%.o $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)
$(TESTS_COMMON): $(B)/tests/%: $(B)/tests/%.o $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)
$(TESTS_INTAKE): $(B)/tests/%: $(B)/tests/%.o $(LIBINTAKE) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)
$(TESTS_REVIEW): $(B)/tests/%: $(B)/tests/%.o $(LIBREVIEW) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# Every bench program too (2.4 s of CPU): make check then builds what
# `make bench` runs, which it did not, and bench_sdc.c's positional
# sdc_cube initialiser broke `make bench` unseen when the cube gained a field.
tests: $(UNIT_TESTS) $(BINS) $(BENCHES)

# The disclosure-control property test's driver (tests/e2e/61-report-sdc.sh
# runs it and checks its output with tests/report/sdc_check.py).
SDC_GEN = $(B)/tests/report/sdc_gen
$(SDC_GEN): $(B)/tests/report/sdc_gen.o $(LIBREVIEW)
	$(CC) $(LDFLAGS) -o $@ $^
tests: $(SDC_GEN)
# The same property over random casebooks through rp_build (the report's
# real pipeline); same checker.
RP_GEN = $(B)/tests/report/rp_gen
$(RP_GEN): $(B)/tests/report/rp_gen.o $(LIBREVIEW) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
tests: $(RP_GEN)

# The e2e scripts' C helpers, built here beside everything else (with
# the build's flags: the ASan build's helpers are ASan too) instead of by
# the scripts with cc at test time, each compile (and its ASan retry) paid
# by every run: ~0.3-1 s of CPU each (tests/README.md, "e2e fixed costs").
E2E_TOOLS = $(B)/tests/e2e/rcpt_gen $(B)/tests/e2e/envtool $(B)/tests/e2e/intake_key \
            $(B)/tests/e2e/forge_reply
$(B)/tests/e2e/rcpt_gen $(B)/tests/e2e/intake_key: $(B)/tests/e2e/%: $(B)/tests/e2e/%.o $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/tests/e2e/envtool: $(B)/tests/e2e/envtool.o $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/tests/e2e/forge_reply: $(B)/tests/e2e/forge_reply.o $(LIBREVIEW) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
# e2e 38's network probe, preloaded into `sleep` and into the desk: never
# a sanitizer build (a preloaded ASan library must come first in a process
# not linked with ASan) and not the programs' -fPIE -pie: a shared object.
$(B)/tests/e2e/desk_probe.so: tests/e2e/desk_probe.c | $(B)/.dirs
	$(CC) -std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -O1 -fPIC -shared -o $@ $< -lpthread
tests: $(E2E_TOOLS) $(B)/tests/e2e/desk_probe.so

# Benchmarks are programs in bench/ linked with everything; bench/run.sh runs
# them and compares each with a limit measured in the same run.
$(BENCHES): $(B)/bench/%: $(B)/bench/%.o $(LIBREVIEW) $(LIBINTAKE) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

bench: $(BENCHES) $(BINS)
	@QUICK=$(QUICK) CANDOUR_BIN=$(CURDIR)/$(B) sh bench/run.sh

# Unit tests run from the repo root so that committed vectors in
# tests/vectors/ are found; each prints cmocka's own summary.
check-unit: tests
	@sh tests/run-unit.sh $(UNIT_TESTS)

check-e2e: tests
	@CANDOUR_BIN=$(CURDIR)/$(B) sh tests/run-e2e.sh

# -O1 (after HARDEN's -O2: the last one wins), as ASan's own documents
# advise: the same checks; the build 11% less CPU than at -O2 (84 s, 94 s),
# its unit tests no slower.
ASAN_SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1
# The ASan build links with gold (binutils' ld.gold, when there is one):
# its programs are test programs only, and gold links them in a third of
# bfd's CPU (the unit tests' 57 links 4.2-5.3 s against 12.0-14.2 s, four
# runs each, 2026-12-06 at load 12-20). The plain build, whose binaries ship,
# keeps the default linker. The fuzz build links with lld (LLVM's, when
# there is one): gold halved its links' CPU too, 3.1 s against 5.8 s, but
# warned of ~150 local symbols of clang's ASan runtime on each link; lld
# warns of nothing and links the 12 targets in 3.6-3.9 s of CPU against
# bfd's 6.7-7.1 s (each target both ways in turn, two rounds, 2026-12-06
# at load ~30): FUZZ_LD below, tests/README.md ("make check's builds").
FAST_LD := $(if $(shell command -v ld.gold 2>/dev/null),-fuse-ld=gold)
FUZZ_LD := $(if $(shell command -v ld.lld 2>/dev/null),-fuse-ld=lld)
asan:
	+$(MAKE) B=build-asan SAN="$(ASAN_SAN)" TEST_LD="$(FAST_LD)" tests
# make check's ASan build: the unit tests only, the one use it has there
# (the binaries, benches and generators are not run under ASan by it), and
# of the libraries only the objects the unit tests link (NEED, as the fuzz
# build: 131 of the 140 library sources, 2026-12-06; the 9 others, which
# no unit test links, 2.9 s of CPU under ASan); `make asan` builds them all.
.PHONY: asan-unit unit-tests
unit-tests: $(UNIT_TESTS)
asan-unit: $(LIBREVIEW) $(LIBINTAKE) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	+$(MAKE) B=build-asan SAN="$(ASAN_SAN)" TEST_LD="$(FAST_LD)" \
	    NEED_PLAIN=$(B) NEED_OF=UNIT_TESTS unit-tests

# make check's builds on every CPU (the -j of make check's own command
# line, if any, is ignored in favour of JOBS).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# libFuzzer targets (tests/fuzz/fuzz_*.c): everything built with clang and
# ASan+UBSan in build-fuzz/, each target linked with -fsanitize=fuzzer
# (FUZZERS: above, before the libraries' rules).
# Two builds, not one: one clang build (FUZZ_SAN, in build-fuzz/) of the
# objects the unit tests or the targets link, both linked from it, was
# measured again on 2026-12-07 (load 8-35, old and new side by side, two
# pairs): 135.0 and 143.8 s of build CPU against 150.9 and 164.0 s for
# asan-unit and fuzz-build, but its unit tests (the same 683, all passing;
# one run each, side by side) took 101.9 s against gcc's 78.4 s:
# test_report 25.4 s against 8.2, test_store 18.2 against 12.7,
# test_receipt 4.9 against 2.1, the other 57 within 0.5 s. The coverage
# instrumentation is the cost, not clang's ASan: test_report's time is in
# report_sdc.c's loops, each compare calling __sanitizer_cov_trace_cmp*
# (perf annotate), what the fuzz targets need and the unit tests do not.
# (The 2026-12-06 trial blamed clang's ASan on test_stream_big's 7.4 s
# against 0.9: clang 14 did not define __SANITIZE_ADDRESS__, so its build
# streamed 1 GiB, not 64 MiB; util/asan.h. Now 0.7 s both ways.)
# -gline-tables-only, not -g: a crash's report names the same functions,
# files and lines (inlined frames too), and the targets are never stepped
# through in a debugger; the compiles take ~3% less CPU (the fuzz build's
# 114 sources, each compiled both ways in turn, 2026-12-06 at load 10-20:
# 57.8 s against 59.7, less for 79 of them) and the links read less.
# At HARDEN's -O2: -O1 compiled it in 64.9 s of CPU against 67.3 s (one
# build each, at once, load ~70), but what it costs the bounded runs of
# run.sh check was not measured (tests/README.md), so it stays.
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined -gline-tables-only
SECONDS ?= 60
$(FUZZERS): $(B)/tests/%: $(B)/tests/%.o $(LIBREVIEW) $(LIBINTAKE) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)
fuzzers: $(FUZZERS)
# The fuzz build compiles only the library objects its targets link (about
# half of them): NEED (above), from a link of the targets' objects with the
# plain build's archives ($(B), built first).
fuzz-build: $(LIBREVIEW) $(LIBINTAKE) $(LIBTMPL) $(LIBCOMMON) $(LIBCRYPTO)
	+$(MAKE) B=build-fuzz CC=clang SAN="$(FUZZ_SAN)" TEST_LD="$(FUZZ_LD)" \
	    NEED_PLAIN=$(B) NEED_OF=FUZZERS fuzzers
fuzz: fuzz-build
	@sh tests/fuzz/run.sh long $(SECONDS)

# The builds are run by tests/run-all.sh: the plain one first, the ASan and
# fuzz ones beside the first tests.
check: deps-check
	@JOBS=$(JOBS) MAKE="$(MAKE)" CANDOUR_INSTALLED_WEB="$(PREFIX)/share/candour/web" sh tests/run-all.sh

# The compiler's lines go to a log, not above the demo's warnings: a
# newcomer reads the banner, and sees the log's end only when a build fails.
run: deps
	@mkdir -p $(B) && echo "make run: building (a minute or two on 2 cores; the compiler's output goes to $(B)/run-build.log)"
	@$(MAKE) -s all > $(B)/run-build.log 2>&1 || { tail -n 30 $(B)/run-build.log; \
		echo "make run: the build failed (above: the end of $(B)/run-build.log)"; exit 1; }
	@sh scripts/demo-run.sh $(B)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/candour/web
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -R web/. $(DESTDIR)$(PREFIX)/share/candour/web/

format:
	clang-format -i $(wildcard crypto/*.[ch] util/*.[ch] bundle/*.[ch] tmpl/*.[ch] intake/*.[ch] review/*.[ch] tests/*/*.[ch] bench/*.[ch])

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# The Debian package (debhelper, from this tree) into $(B)/deb/, then
# lintian on it; debian/rules clean leaves the tree as it was.
.PHONY: deb
deb:
	dpkg-checkbuilddeps
	@mkdir -p $(B)/deb
	DEB_OUT=$(CURDIR)/$(B)/deb DEB_BUILD_OPTIONS="parallel=2 noddebs" debian/rules binary
	debian/rules clean
	lintian --fail-on error $(B)/deb/candour_*.deb

# Static analysis and memory checking (tests/static/, tests/valgrind/;
# tests/README.md): cppcheck also runs in make check (tests/lint/run.sh);
# clang's analyzer (a full analysed build) and valgrind (unit tests and the
# reporter-to-reviewer loop) are too slow for it and run in make soak.
.PHONY: static valgrind
static:
	sh tests/static/cppcheck.sh
	sh tests/static/scan-build.sh
valgrind: tests
	sh tests/valgrind/selftest.sh
	sh tests/valgrind/run.sh unit $(B)
	sh tests/valgrind/run.sh e2e $(B)

# Builds the package and inspects it (about two minutes on a busy machine:
# kept out of make check).
.PHONY: soak-deb
soak-deb:
	@B=$(B) sh tests/soak-deb.sh

# Mutation testing (tests/mutants/README.md): every mutant of
# tests/mutants/MODULE.txt on a copy of the tree, scored per module. Long
# (about an hour on a busy 2-core machine): not part of make check, which
# runs only the runner's self-check (tests/lint/mutants-selftest.sh).
#   make mutate [MUTANTS="crypto bundle-read-len-max"] [MUTATE_TIMEOUT=300]
.PHONY: mutate
mutate: all tests
	@sh tests/mutants/run.sh $(MUTANTS)

# make soak: every long run, in this order (tests/README.md, "soak", says
# what each part proves and how long it took): make static, make valgrind
# (the unit programs, then the reporter-to-reviewer loop), then tests/soak.sh
# (1,000 kills of serve, 300 of each casebook import, the disk-full test,
# floods of 64 and 500 connections for 30 s each). A failing part stops
# make; `make -k soak` runs the rest anyway.
.PHONY: soak
soak: static valgrind all
	@CANDOUR_BIN=$(CURDIR)/$(B) sh tests/soak.sh
