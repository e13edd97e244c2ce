# trustbench: single non-recursive Makefile.
#   make            build build/trustbench and build/refdevice (installs nothing:
#                   missing packages are named, with the command that installs them)
#   make deps       install the Debian packages a build needs (as root)
#   make lint       clang-format check (.clang-format) and banned functions
#   make check      lint, unit tests under ASan+UBSan, fuzz-corpus replay, suite and
#                   profile validation, integration tests in an isolated lab
#   make demo       the ETSI suite against each reference device in the lab
#   make coverage   lcov HTML report in build-cov/html
#   make bench      exposure TCP sweep against nmap -sT and -sS, udp-exposure against
#                   nmap -sU -sV, in the same lab
#   make fuzz       libFuzzer targets (clang); make fuzz-smoke runs each briefly
#   make install PREFIX=/usr/local
SHELL := /bin/bash
# O=DIR/ puts every build directory under DIR (parallel builds of one tree).
O ?=
B := $(O)build
BA := $(O)build-asan
BC := $(O)build-cov
PREFIX ?= /usr/local
DATADIR ?= $(PREFIX)/share/trustbench
CC ?= cc
PKGS := yaml-0.1 libxml-2.0 libssl libcrypto libpcap libxslt libssh libqrencode libpng
DEPS := harness/tools/ensure-deps.sh

# -Wno-format-truncation: snprintf truncation is how we bound device-derived
# text on purpose; the warning fires on every such bounded write.
WARN := -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror \
	-Wno-format-truncation -D_DEFAULT_SOURCE -Iharness/src
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

SRC := $(filter-out harness/src/main.c,$(wildcard harness/src/*/*.c))
TESTS := $(wildcard harness/tests/unit/check_*.c)
FUZZ := $(wildcard harness/fuzz/fuzz_*.c)

# Variants: build/ (release), build-asan/ (ASan+UBSan), build-cov/ (coverage).
CFLAGS_build := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
CFLAGS_build-asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
CFLAGS_build-cov := -O0 -g --coverage
LDFLAGS_build-asan := -fsanitize=address,undefined
LDFLAGS_build-cov := --coverage

.PHONY: all deps check unit integration validate-files fuzz-replay demo coverage bench \
	fuzz fuzz-smoke install clean lint sign-verify-tests depcheck
# The reference lab's programs: lab.sh starts every one that sits beside
# refdevice, so a target that runs the lab builds them all (a stale one would
# run instead).
LAB_BINS = $(B)/refdevice $(B)/refsvc $(B)/refudp $(B)/reflogin $(B)/phonehome $(B)/cloud

all: $(B)/trustbench $(LAB_BINS)

# Building never installs packages: every compile waits for depcheck, which
# names what is missing and the command that installs it. `make deps` installs;
# so do make demo and make check, and the targets that need more tools (bench,
# coverage, fuzz, pdf, lint), each for itself before it builds anything.
deps:
	@$(DEPS) build
depcheck:
	@$(DEPS) --check compile

define variant
$(O)$(1)/obj/%.o: %.c | depcheck
	@mkdir -p $$(dir $$@)
	@echo "  CC $$<"
	@$$(CC) $$(WARN) $$(CFLAGS_$(1)) $$(PKG_CFLAGS) $$(CHECK_CFLAGS) -DTB_DATADIR='"$$(DATADIR)"' $(if $(filter build,$(1)),,-DTB_UNITTESTS) -MMD -MP -c $$< -o $$@
$(O)$(1)/trustbench: $$(patsubst %.c,$(O)$(1)/obj/%.o,$$(SRC) harness/src/main.c)
	$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS)
$(O)$(1)/suites.inc: $$(TESTS)
	@mkdir -p $(O)$(1)
	@sed -n 's/^Suite \*\([a-z0-9_]*\)_suite(void)$$$$/TB_SUITE(\1)/p' $$(TESTS) > $$@.tmp
	@cmp -s $$@.tmp $$@ && rm -f $$@.tmp || mv $$@.tmp $$@
$$(patsubst %.c,$(O)$(1)/obj/%.o,$$(TESTS) harness/tests/unit/run_unit.c): $(O)$(1)/suites.inc
$(O)$(1)/unit-tests: $$(patsubst %.c,$(O)$(1)/obj/%.o,$$(SRC) $$(TESTS) harness/tests/unit/run_unit.c)
	$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS) $$(CHECK_LIBS)
$(O)$(1)/fuzz-replay-%: $(O)$(1)/obj/harness/fuzz/fuzz_%.o $(O)$(1)/obj/harness/fuzz/standalone.o $$(patsubst %.c,$(O)$(1)/obj/%.o,$$(SRC))
	$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS)
endef
$(foreach v,build build-asan build-cov,$(eval $(call variant,$(v))))
# The suites.inc include path: each variant's runner, and each test file
# through harness/tests/unit/suites.h (its suite's prototype), finds its own.
$(B)/obj/harness/tests/unit/%.o: WARN += -I$(B)
$(BA)/obj/harness/tests/unit/%.o: WARN += -I$(BA)
$(BC)/obj/harness/tests/unit/%.o: WARN += -I$(BC)

# The reference devices' cloud traffic (phonehome) and the lab cloud (cloud).
$(B)/phonehome: fixtures/refdevice/phonehome.c | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $< -lssl -lcrypto
$(B)/cloud: fixtures/refdevice/cloud.c | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $< -lssl -lcrypto
# Capture generator (regression pcaps, bench) and a bare libpcap read loop.
$(B)/pcapgen: fixtures/pcaps/pcapgen.c | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $<
$(B)/pcaploop: harness/tools/pcaploop.c | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $< -lpcap

$(B)/refdevice: fixtures/refdevice/refdevice.c | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $< -lcrypto

# refsvc: the reference device's TLS, SSH and MQTT services (lab.sh starts
# it beside refdevice when it sits next to it).
$(B)/refsvc: fixtures/refdevice/refsvc.c fixtures/refdevice/throttle.h | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $< $(shell pkg-config --libs libssl libcrypto libssh 2>/dev/null)

# refudp: the reference device's UDP services (SNMP, SSDP, CoAP) and its
# IPv6-only service (lab.sh starts it beside refdevice when it sits next to it).
$(B)/refudp: fixtures/refdevice/refudp.c | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $<

# reflogin: the reference device's FTP and RTSP logins (lab.sh starts it
# beside refdevice when it sits next to it).
$(B)/reflogin: fixtures/refdevice/reflogin.c fixtures/refdevice/throttle.h | depcheck
	@mkdir -p $(B)
	$(CC) $(WARN) -O2 -g -o $@ $< -lcrypto

-include $(shell find $(B) $(BA) $(BC) -name '*.d' 2>/dev/null)

FUZZ_NAMES := $(patsubst harness/fuzz/fuzz_%.c,%,$(FUZZ))

# Packages first, then everything in order (so no step builds before they are in).
# The static checks first; then, once everything is built, the unit tests
# and the integration scripts side by side: the scripts mostly wait on the
# reference devices (throttling, deadlines), the unit tests use a core.  Each
# target's output is printed whole when it ends (--output-sync).
check:
	@$(DEPS) check
	$(MAKE) --no-print-directory lint fuzz-replay validate-files
	$(MAKE) --no-print-directory $(BA)/unit-tests $(BA)/trustbench $(LAB_BINS)
	$(MAKE) --no-print-directory -j5 --output-sync=target unit integration sign-verify-tests \
	  render-tests firsthour-tests
	@echo "make check: all passed"

unit:
	@$(DEPS) check
	$(MAKE) --no-print-directory $(BA)/unit-tests
	CK_DEFAULT_TIMEOUT=30 $(BA)/unit-tests

fuzz-replay:
	@$(DEPS) check
	$(MAKE) --no-print-directory $(addprefix $(BA)/fuzz-replay-,$(FUZZ_NAMES))
	@for t in $(FUZZ_NAMES); do \
	  $(BA)/fuzz-replay-$$t harness/fuzz/corpus/$$t || exit 1; done

validate-files: all
	$(B)/trustbench validate testsuites/*.yaml testsuites/crosswalks/*.yaml testsuites/schemes/*.yaml \
	  profiles/*.yaml profiles/policies/*.yaml

# sign/verify end to end: a test PKI, one short lab run, tampering of every part.
sign-verify-tests:
	@$(DEPS) check
	$(MAKE) --no-print-directory $(BA)/trustbench $(LAB_BINS)
	TB_REFDEVICE=$(B)/refdevice harness/tests/integration/sign-verify.sh $(BA)/trustbench
	harness/tests/integration/timestamp.sh $(BA)/trustbench

integration:
	@$(DEPS) check
	$(MAKE) --no-print-directory $(BA)/trustbench $(LAB_BINS)
	TB_REFDEVICE=$(B)/refdevice harness/tests/integration/run.sh $(BA)/trustbench
	harness/tests/integration/label.sh $(BA)/trustbench
	harness/tests/integration/statement.sh $(BA)/trustbench

# A new user's first hour: --help everywhere, run --out parents, the summary on
# stdout, --only in the report, and (as real root) output owned by the caller.
.PHONY: firsthour-tests
firsthour-tests:
	@$(DEPS) check
	$(MAKE) --no-print-directory $(BA)/trustbench
	harness/tests/integration/firsthour.sh $(BA)/trustbench

# render (XHTML, PDF), run --junit and diff, on reports made in the lab.
.PHONY: render-tests pdf
render-tests:
	@$(DEPS) check
	$(MAKE) --no-print-directory $(BA)/trustbench $(LAB_BINS)
	TB_REFDEVICE=$(B)/refdevice harness/tests/integration/render.sh $(BA)/trustbench

# make pdf REPORT=reports/out/legacy/report.xml writes report.pdf beside it.
pdf:
	@test -n "$(REPORT)" || { echo "usage: make pdf REPORT=path/to/report.xml" >&2; exit 1; }
	@$(DEPS) pdf
	$(MAKE) --no-print-directory all
	TRUSTBENCH_DATADIR=$${TRUSTBENCH_DATADIR:-$(CURDIR)} \
	  $(B)/trustbench render $(REPORT) --pdf $(basename $(REPORT)).pdf

demo:
	@$(DEPS) demo
	$(MAKE) --no-print-directory all
	fixtures/lab/lab.sh run --refdevice $(B)/refdevice -- harness/tools/demo.sh $(B)/trustbench

coverage:
	@$(DEPS) coverage
	$(MAKE) --no-print-directory $(BC)/unit-tests $(BC)/trustbench $(LAB_BINS)
	find $(BC) -name '*.gcda' -delete
	$(BC)/unit-tests
	TB_REFDEVICE=$(B)/refdevice harness/tests/integration/run.sh $(BC)/trustbench
	lcov --quiet --rc lcov_branch_coverage=1 --capture --directory $(BC) --output-file $(BC)/all.info
	lcov --quiet --rc lcov_branch_coverage=1 --remove $(BC)/all.info '*/tests/*' '*/fuzz/*' '/usr/*' --output-file $(BC)/coverage.info
	genhtml --quiet --branch-coverage -o $(BC)/html $(BC)/coverage.info
	lcov --rc lcov_branch_coverage=1 --summary $(BC)/coverage.info
	@echo "coverage report: $(BC)/html/index.html"

bench:
	@$(DEPS) bench
	$(MAKE) --no-print-directory all bench-tls bench-firmware bench-capture bench-udp bench-creds
	fixtures/lab/lab.sh run --refdevice $(B)/refdevice --only legacy -- harness/tools/bench.sh $(B)/trustbench

# Credentials: the whole credential phase (5.1-1-2) on the legacy device
# against hydra with the same list on the same interfaces, same run.
.PHONY: bench-creds
bench-creds:
	@$(DEPS) bench
	$(MAKE) --no-print-directory all
	fixtures/lab/lab.sh run --refdevice $(B)/refdevice --only legacy -- harness/tools/bench-creds.sh $(B)/trustbench

# UDP: the udp-exposure sweep against nmap -sU -sV over the same ports, same run.
.PHONY: bench-udp
bench-udp:
	@$(DEPS) bench
	$(MAKE) --no-print-directory all
	fixtures/lab/lab.sh run --refdevice $(B)/refdevice --only legacy -- harness/tools/bench-udp.sh $(B)/trustbench

# One TLS endpoint: trustbench's tls check against testssl.sh, same run.
# trustbench analyze vs tshark and a bare libpcap loop on a generated
# capture of 2 million packets (BENCH_PACKETS), and its peak memory.
.PHONY: bench-capture
bench-capture:
	@$(DEPS) bench
	$(MAKE) --no-print-directory $(B)/trustbench $(B)/pcapgen $(B)/pcaploop
	harness/tools/bench-capture.sh $(B)

.PHONY: bench-tls
bench-tls:
	@$(DEPS) bench
	$(MAKE) --no-print-directory all
	fixtures/lab/lab.sh run --refdevice $(B)/refdevice --only legacy -- harness/tools/bench-tls.sh $(B)/trustbench

# Firmware verification: a 1 GiB image against openssl dgst -verify (no lab needed).
.PHONY: bench-firmware
bench-firmware:
	@$(DEPS) bench
	$(MAKE) --no-print-directory $(B)/trustbench
	harness/tools/bench-firmware.sh $(B)/trustbench

FUZZ_CC ?= clang
fuzz:
	@$(DEPS) fuzz
	@mkdir -p build-fuzz
	@for t in $(FUZZ_NAMES); do \
	  $(FUZZ_CC) -std=c11 -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	    $(PKG_CFLAGS) -Iharness/src harness/fuzz/fuzz_$$t.c $(SRC) -o build-fuzz/fuzz_$$t $(PKG_LIBS) || exit 1; \
	done

FUZZ_SECONDS ?= 20
fuzz-smoke: fuzz
	@for t in $(FUZZ_NAMES); do \
	  echo "fuzzing $$t for $(FUZZ_SECONDS)s"; \
	  mkdir -p build-fuzz/corpus-$$t; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    build-fuzz/corpus-$$t harness/fuzz/corpus/$$t 2>build-fuzz/$$t.log || { tail -40 build-fuzz/$$t.log; exit 1; }; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/testsuites/data \
	  $(DESTDIR)$(DATADIR)/testsuites/crosswalks $(DESTDIR)$(DATADIR)/testsuites/schemes \
	  $(DESTDIR)$(DATADIR)/reports/schema $(DESTDIR)$(DATADIR)/profiles \
	  $(DESTDIR)$(DATADIR)/reports/xsl
	install -m 0755 $(B)/trustbench $(DESTDIR)$(PREFIX)/bin/trustbench
	install -m 0644 testsuites/*.yaml $(DESTDIR)$(DATADIR)/testsuites/
	install -m 0644 testsuites/data/* $(DESTDIR)$(DATADIR)/testsuites/data/
	install -m 0644 testsuites/crosswalks/*.yaml $(DESTDIR)$(DATADIR)/testsuites/crosswalks/
	install -m 0644 testsuites/schemes/*.yaml $(DESTDIR)$(DATADIR)/testsuites/schemes/
	install -m 0644 reports/schema/*.xsd $(DESTDIR)$(DATADIR)/reports/schema/
	install -m 0644 reports/xsl/*.xsl $(DESTDIR)$(DATADIR)/reports/xsl/
	install -m 0644 profiles/template.yaml $(DESTDIR)$(DATADIR)/profiles/

# The house style (harness/README.md): clang-format with the root .clang-format
# (Debian's clang-format 14) over the harness's C, and no banned functions in
# harness/src (harness/tools/lint-banned.sh says which and why).
LINT_C = $(wildcard harness/src/*.[ch] harness/src/*/*.[ch] harness/tests/unit/*.[ch] \
	harness/fuzz/*.[ch] harness/tools/*.c)
lint:
	@$(DEPS) lint
	clang-format --dry-run --Werror $(LINT_C)
	harness/tools/lint-banned.sh harness/src
	python3 harness/tools/include-cycles.py

clean:
	rm -rf build build-asan build-cov build-fuzz
