# Seawall — the front door. `make run` starts the whole stack; `make test` runs every test.
# Out-of-tree builds in build/<variant>/; SANITIZER=address,undefined builds a separate variant.

SANITIZER ?=
# Builds use every core unless told otherwise (make -jN on the command line wins).
ifeq ($(filter -j% --jobs%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
comma := ,
VARIANT := $(if $(SANITIZER),$(subst $(comma),-,$(SANITIZER)),default)
BUILD ?= build/$(VARIANT)
PREFIX ?= /usr/local
DESTDIR ?=
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

CC ?= cc
PKGS := fcgi hiredis jansson libsodium libxml-2.0 libcurl libical icu-uc icu-i18n liboath xlsxwriter zlib \
        libarchive
# Evaluated when a recipe runs, after `deps` has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wwrite-strings -Wno-unused-parameter
ifneq ($(filter true 1,$(CI) $(WERROR)),)
WARN += -Werror
endif
OPT ?= -O2 -g
SAN_FLAGS := $(if $(SANITIZER),-fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all) \
             $(if $(FUZZ),-fsanitize=fuzzer-no-link)
CFLAGS_ALL = -std=gnu11 $(OPT) $(WARN) $(SAN_FLAGS) -Iinclude -MMD -MP $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN_FLAGS) $(LDFLAGS)
LIBS_ALL = $(PKG_LIBS) -lcsv -lpthread

LIB_SRC := $(wildcard lib/*.c)
API_SRC := $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
FEED_SRC := $(wildcard feeds/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
API_OBJ := $(API_SRC:%.c=$(BUILD)/%.o)
FEED_OBJ := $(FEED_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BINS := $(BUILD)/bin/seawall-api $(BUILD)/bin/seawall $(BUILD)/bin/seawall-poller \
        $(BUILD)/bin/seawall-matcher $(BUILD)/bin/seawall-notifier $(BUILD)/bin/seawall-register \
        $(BUILD)/bin/seawall-screener
DEPS_STAMP := build/.deps-ok

.SECONDARY:

.PHONY: all deps po test test-faults test-cluster test-valgrind test-unit test-integration test-browser screenshots run bench bench-api bench-parse bench-poll bench-match bench-deliver bench-load bench-streams bench-archive bench-screen install clean fuzz fuzz-build fuzz-bins
.DEFAULT_GOAL := all

all: $(BINS)

# Installs missing Debian packages (apt-get as root; otherwise prints the command).
deps $(DEPS_STAMP): scripts/deps.sh
	@scripts/deps.sh
	@mkdir -p build && touch $(DEPS_STAMP)

$(BUILD)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libseawall.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libseawall-feeds.a: $(FEED_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libseawall-api.a: $(API_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/seawall-api: $(BUILD)/fcgi/main.o $(BUILD)/libseawall-api.a $(BUILD)/libseawall-feeds.a \
                         $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/seawall: $(BUILD)/tools/seawall.o $(BUILD)/tools/i18n.o $(BUILD)/tools/register_import.o \
                     $(BUILD)/libseawall-feeds.a \
                     $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/seawall-poller: $(BUILD)/workers/poller.o $(BUILD)/libseawall-feeds.a $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/seawall-matcher: $(BUILD)/workers/matcher.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/seawall-notifier: $(BUILD)/workers/notifier.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# Test programs that are not cmocka units (tests/cluster: lib/store.c against a Redis Cluster).
TEST_PROGS := $(BUILD)/tests/storeprobe

$(BUILD)/tests/storeprobe: $(BUILD)/tests/cluster/storeprobe.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/seawall-register: $(BUILD)/workers/register.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/seawall-screener: $(BUILD)/workers/screener.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libseawall-api.a $(BUILD)/libseawall-feeds.a \
                  $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL) $(shell pkg-config --libs cmocka)

# TEST_ARGS adds arguments of tests/run.py (e.g. TEST_ARGS="--skip browser").
# The plain run also replays every fuzz target's kept inputs and seeds and mutates for
# FUZZ_SHORT seconds each (the sanitizer run would only repeat it).
FUZZ_SHORT ?= 2
# ... and the fault run with FAULTS_SHORT events (make test-faults: FAULTS_EVENTS, 10,000).
FAULTS_SHORT ?= 1000
FAULTS_EVENTS ?= 10000
FAULTS_SEED ?= 7
# ... and the multi-host run (network namespaces, as root) with MULTIHOST_SHORT events (make
# test-cluster: MULTIHOST_EVENTS).
MULTIHOST_SHORT ?= 1000
MULTIHOST_EVENTS ?= 10000
# Runner processes at a time (tests/run.py --jobs): the groups run as shards, each on its own
# stack; the tests mostly wait, so three at once on two cores end in about half the time.
TEST_JOBS ?= 3
# The allocation-failure test fails Seawall's own allocations through the linker.
$(BUILD)/tests/test_alloc_fail: LDFLAGS_ALL += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
                                               -Wl,--wrap=strdup,--wrap=strndup

# The OpenAPI validator (@apidevtools/swagger-parser, pinned by tests/openapi/package-lock.json)
# installed from the npm registry into build/, never into the source folders.
NODE_OPENAPI := build/node/openapi
OPENAPI_CHECK := $(NODE_OPENAPI)/validate.mjs

$(NODE_OPENAPI)/node_modules/.package-lock.json: tests/openapi/package.json \
                                                 tests/openapi/package-lock.json $(DEPS_STAMP)
	@mkdir -p $(NODE_OPENAPI)
	cp tests/openapi/package.json tests/openapi/package-lock.json $(NODE_OPENAPI)/
	cd $(NODE_OPENAPI) && npm ci --no-audit --no-fund --loglevel=error

$(OPENAPI_CHECK): tests/openapi/validate.mjs $(NODE_OPENAPI)/node_modules/.package-lock.json
	cp $< $@

test: $(BINS) $(UNIT_BIN) $(TEST_PROGS) $(OPENAPI_CHECK) $(if $(SANITIZER),,fuzz-build)
	$(PYTHON) tests/run.py --build $(BUILD) --jobs $(TEST_JOBS) $(if $(SANITIZER),--sanitizer $(SANITIZER),--fuzz $(FUZZ_BUILD) --fuzz-seconds $(FUZZ_SHORT) --faults $(FAULTS_SHORT) --multihost $(MULTIHOST_SHORT)) $(TEST_ARGS)

# The integration suite with seawall-api under valgrind's memcheck (slow; not part of test).
test-valgrind: $(BINS) $(TEST_PROGS) $(OPENAPI_CHECK)
	$(PYTHON) tests/run.py --build $(BUILD) --only integration --valgrind

test-faults: $(BINS)
	$(PYTHON) tests/faults/run.py --build $(BUILD) --events $(FAULTS_EVENTS) --seed $(FAULTS_SEED)

# Seawall on nine hosts made of network namespaces (three Redis, two API, a web, two worker
# hosts and a source), with a Redis failover, a reshard and hosts killed (run as root).
# MULTIHOST_ARGS: --cluster (Redis Cluster, once the stack's scripts touch one slot each),
# --check-slots, --store-only (see the script's --help).
test-cluster: $(BINS) $(TEST_PROGS)
	$(PYTHON) tests/cluster/multihost.py --build $(BUILD) --events $(MULTIHOST_EVENTS) $(MULTIHOST_ARGS)

test-unit: $(UNIT_BIN)
	$(PYTHON) tests/run.py --build $(BUILD) --only unit

test-integration: $(BINS) $(OPENAPI_CHECK)
	$(PYTHON) tests/run.py --build $(BUILD) --only integration

# The portal in Debian's headless Chromium (python3-selenium), against the same kind of stack.
test-browser: $(BINS)
	$(PYTHON) tests/run.py --build $(BUILD) --only browser

# Every portal page at 390x844 and 1366x768 in Chinese and English, into build/screenshots/.
screenshots: $(BINS)
	$(PYTHON) tests/run.py --build $(BUILD) --screenshots build/screenshots

run: $(BINS)
	scripts/stack.sh run --build $(BUILD)

# The message catalogue: extract the English texts from the sources into po/seawall.pot and
# merge it into every po/<lang>.po (translators then fill in what is new; README "Languages").
po: $(DEPS_STAMP)
	scripts/po.sh update

bench: bench-api bench-parse bench-poll bench-match bench-deliver bench-streams bench-archive

bench-api: $(BINS)
	bench/api.sh $(BUILD)

bench-parse: $(BINS)
	$(PYTHON) bench/parse.py $(BUILD)

bench-poll: $(BINS)
	$(PYTHON) bench/poll.py $(BUILD)

bench-archive: $(BINS)
	$(PYTHON) bench/archive.py $(BUILD)

bench-deliver: $(BINS)
	$(PYTHON) bench/deliver.py $(BUILD)

bench-load: $(BINS)
	$(PYTHON) bench/load.py $(BUILD)

bench-streams: $(BINS)
	$(PYTHON) bench/streams.py $(BUILD)

$(BUILD)/bin/match-bench: $(BUILD)/bench/match_bench.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

$(BUILD)/bin/match-store: $(BUILD)/bench/match_store.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# The index on one core (N: watched terms, 1,000,000 when not given: `make bench-match
# N=3000000`), then the matcher through Redis: one server against a cluster.
bench-match: $(BUILD)/bin/match-bench $(BUILD)/bin/match-store $(BINS)
	taskset -c 0 $(BUILD)/bin/match-bench $(N)
	$(PYTHON) bench/match_cluster.py $(BUILD)

# The screening bench also talks to PostgreSQL (its peer): libpq only here, not in `make all`.
$(BUILD)/bench/screen_bench.o: CFLAGS += $(shell pkg-config --cflags libpq)
$(BUILD)/bin/screen-bench: $(BUILD)/bench/screen_bench.o $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_ALL) $(shell pkg-config --libs libpq)

# BENCH_SCREEN_MARKS=200000 for a quick run; scripts/deps.sh --bench installs PostgreSQL 15.
bench-screen: $(BUILD)/bin/screen-bench
	bench/screen.sh $(BUILD)

# libFuzzer targets (clang, AddressSanitizer + UBSan), built in their own folder:
# `make fuzz FUZZ_SECONDS=N` replays each target's kept inputs and seeds, then mutates N s.
FUZZ_BUILD := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FEEDS := auto rss cmecf uspto-tm uspto-patent st66 st96 euipo ical json html
FUZZ_TARGETS := $(FUZZ_FEEDS:%=feed-%) json route csv normalise match po messenger archive
fmt_auto := SW_FEED_AUTO
fmt_rss := SW_FEED_RSS
fmt_cmecf := SW_FEED_CMECF
fmt_uspto-tm := SW_FEED_USPTO_TM
fmt_uspto-patent := SW_FEED_USPTO_PATENT
fmt_st66 := SW_FEED_ST66
fmt_st96 := SW_FEED_ST96
fmt_euipo := SW_FEED_EUIPO
fmt_ical := SW_FEED_ICAL
fmt_json := SW_FEED_JSON
fmt_html := SW_FEED_HTML

fuzz: fuzz-build
	$(PYTHON) tests/fuzz/run.py --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS)

fuzz-build: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory CC=clang CI= WERROR= SANITIZER=address,undefined FUZZ=1 \
	    BUILD=$(FUZZ_BUILD) fuzz-bins

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz-%)

$(BUILD)/fuzz/fuzz-feed-%: tests/fuzz/fuzz_feed.c $(BUILD)/libseawall-feeds.a $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -DFUZZ_FORMAT=$(fmt_$*) -o $@ $< $(filter %.a,$^) $(LIBS_ALL)

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz_%.c $(BUILD)/libseawall-api.a $(BUILD)/libseawall-feeds.a \
                      $(BUILD)/libseawall.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(filter %.a,$^) $(LIBS_ALL)

install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/seawall/nginx \
	    $(DESTDIR)$(PREFIX)/share/seawall/etc $(DESTDIR)$(PREFIX)/share/seawall/po
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 nginx/seawall.conf.in nginx/fastcgi.conf nginx/fastcgi_params.conf nginx/portal.conf $(DESTDIR)$(PREFIX)/share/seawall/nginx/
	install -m 0644 etc/seawall.conf etc/deadlines.json $(DESTDIR)$(PREFIX)/share/seawall/etc/
	install -d $(DESTDIR)$(PREFIX)/share/seawall/etc/sources
	install -m 0644 etc/sources/*.json $(DESTDIR)$(PREFIX)/share/seawall/etc/sources/
	install -m 0644 po/*.po po/seawall.pot $(DESTDIR)$(PREFIX)/share/seawall/po/
	install -d $(DESTDIR)$(PREFIX)/share/seawall/www/i18n
	cp -R www/. $(DESTDIR)$(PREFIX)/share/seawall/www/
	SEAWALL_I18N_DIR=po $(BUILD)/bin/seawall i18n json zh-CN \
	    >$(DESTDIR)$(PREFIX)/share/seawall/www/i18n/zh-CN.json

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(API_OBJ:.o=.d) $(FEED_OBJ:.o=.d) $(BUILD)/fcgi/main.d $(BUILD)/tools/seawall.d $(BUILD)/tools/i18n.d $(BUILD)/tools/register_import.d $(BUILD)/workers/poller.d $(BUILD)/workers/matcher.d $(BUILD)/workers/notifier.d $(BUILD)/workers/register.d $(BUILD)/workers/screener.d $(BUILD)/bench/match_bench.d $(BUILD)/bench/screen_bench.d \
         $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d)
