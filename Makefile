# hoctap build. `make` builds build/hoctap; `make run` and `make test` also
# install what is missing (scripts/setup.sh) first. See README.md.

CC       ?= cc
PKGS     := libmicrohttpd jansson sqlite3 libutf8proc libsodium xlsxwriter libzip expat pangocairo cairo-pdf libqrencode
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-unused-parameter
# Warnings are errors in CI and in `make test`.
ifneq ($(CI),)
WERROR   := -Werror
endif
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -D_GNU_SOURCE $(WARN) $(WERROR) -Isrc -MMD -MP
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CFLAGS   += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/faces/cli/main.c,$(SRC))
TEST_SRC := $(wildcard tests/unit/*.c)
WEB_SRC  := $(shell find web -type f -not -path '*/node_modules/*' 2>/dev/null) package.json vite.config.mjs

OBJ      := $(SRC:%.c=build/obj/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=build/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=build/obj/%.o)
ASAN_OBJ := $(SRC:%.c=build/asan/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/%.o)
ASAN_TEST_OBJ := $(TEST_SRC:%.c=build/asan/%.o)
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

GEN_OBJ  := build/obj/gen/assets.o build/obj/gen/criteria.o build/obj/gen/targets.o \
            build/obj/gen/passwords.o build/obj/gen/dhis2.o build/obj/gen/workflow.o \
            build/obj/gen/certificates.o

.PHONY: all run test test-only asan setup clean lint format web bench-import bench-http

all: build/hoctap

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -c $< -o $@

# The front end: bundled by vite into build/web, then embedded into the binary.
build/web/index.html: $(WEB_SRC)
	@test -d node_modules || { echo "node_modules is missing: run scripts/setup.sh (or make run / make test)" >&2; exit 1; }
	npx vite build --logLevel warn
	@touch $@

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -D_GNU_SOURCE -O2 $(WARN) $(WERROR) $< -o $@

build/gen/assets.c: build/web/index.html build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed build/web http_assets faces/http/assets.h > $@.tmp && mv $@.tmp $@

# The default criteria files, compiled in (see src/criteria/crit_defaults.h).
build/gen/criteria.c: $(wildcard criteria/*.crit) build/tools/embed
	@mkdir -p $(dir $@) criteria
	build/tools/embed criteria crit_default_files criteria/crit_defaults.h > $@.tmp && mv $@.tmp $@

build/obj/gen/criteria.o: build/gen/criteria.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

# The default programme targets, compiled in (see src/criteria/targets.h).
build/gen/targets.c: $(wildcard targets/*.tgt) build/tools/embed
	@mkdir -p $(dir $@) targets
	build/tools/embed targets tgt_default_files criteria/targets.h > $@.tmp && mv $@.tmp $@

build/obj/gen/targets.o: build/gen/targets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

# The list of common passwords that accounts refuse (src/model/passwords_common.h).
build/gen/passwords.c: data/common-passwords.txt build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed data password_list_files model/passwords_common.h > $@.tmp && mv $@.tmp $@

build/obj/gen/passwords.o: build/gen/passwords.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

# The default DHIS2 mapping of the demo (src/services/dhis2.h, docs/dhis2.md).
build/gen/dhis2.c: $(wildcard data/dhis2/*.txt) build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed data/dhis2 dhis2_default_files services/dhis2.h > $@.tmp && mv $@.tmp $@

build/obj/gen/dhis2.o: build/gen/dhis2.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

# The default workflow settings (src/model/workflow.h, docs/workflow.md).
build/gen/workflow.c: $(wildcard data/workflow/*.txt) build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed data/workflow workflow_default_files model/workflow.h > $@.tmp && mv $@.tmp $@

build/obj/gen/workflow.o: build/gen/workflow.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

# The shipped certificate template (src/services/certificate.h, docs/certificates.md).
build/gen/certificates.c: $(wildcard data/certificates/*.txt) build/tools/embed
	@mkdir -p $(dir $@)
	build/tools/embed data/certificates cert_default_files services/certificate.h > $@.tmp && mv $@.tmp $@

build/obj/gen/certificates.o: build/gen/certificates.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

build/obj/gen/assets.o: build/gen/assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

build/hoctap: $(OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/unit_tests: $(LIB_OBJ) $(TEST_OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/hoctap: $(ASAN_OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

build/asan/unit_tests: $(ASAN_LIB_OBJ) $(ASAN_TEST_OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

asan: build/asan/hoctap build/asan/unit_tests

# Benchmarks (bench/): the engine timing driver used by bench/evaluate.
build/bench_evaluate: build/obj/bench/bench_evaluate.o $(LIB_OBJ) $(GEN_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# hoctap import of a generated 1 M-person CSV against the sqlite3 shell's .import of the
# same file; writes the "Import" section of bench/RESULTS.md (about 7 minutes). Never part
# of make test: speed is measured, not asserted. A quick look without writing:
#   make bench-import ARGS="--persons 20000 --no-write"
bench-import: build/hoctap
	bench/import $(ARGS)

# The dashboard API under wrk against nginx serving the same bytes as static files, and the
# annual report's generation time, on the full-size demo city (build/bench/city-1300000.db,
# shared with bench/evaluate: about 3 minutes to generate the first time, then minutes for
# the server's first dashboard); writes the "HTTP: dashboard API" section of
# bench/RESULTS.md. Needs wrk and nginx (scripts/setup.sh). A quick look without writing:
#   make bench-http ARGS="--households 20000 --duration 5 --no-write"
bench-http: build/hoctap
	bench/http $(ARGS)

setup:
	scripts/setup.sh

run:
	scripts/setup.sh run
	$(MAKE) all
	scripts/run.sh

# make test: install, build both variants with warnings as errors, run everything.
test: setup
	$(MAKE) CI=1 build/hoctap build/unit_tests build/asan/hoctap build/asan/unit_tests
	python3 tests/run.py

# Runs the suites without the install step (for development).
test-only:
	$(MAKE) CI=1 build/hoctap build/unit_tests build/asan/hoctap build/asan/unit_tests
	python3 tests/run.py

lint:
	clang-format --dry-run -Werror $(SRC) $(TEST_SRC) $(wildcard src/*.h src/*/*.h src/*/*/*.h tests/unit/*.h fuzz/*.c) tools/embed.c

format:
	clang-format -i $(SRC) $(TEST_SRC) $(wildcard src/*.h src/*/*.h src/*/*/*.h tests/unit/*.h fuzz/*.c) tools/embed.c

clean:
	rm -rf build

-include build/obj/bench/bench_evaluate.d $(OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(ASAN_TEST_OBJ:.o=.d)
