# toksim -- GNU make 4.3+, non-recursive. Override knobs on the command line or in config.mak.
#   make            library (static + shared) and the toksim program, in build/debug/
#   make run        replay the shipped scenario catalog, explained
#   make test       Criterion suite + scenario expectations
#   make asan       the same under AddressSanitizer + UBSan
#   make fuzz       libFuzzer targets (clang), make fuzz-regress replays the seed corpora
#   make bench      benchmarks (figures go to docs/PERFORMANCE.md)
VERSION := 0.1.0
SOMAJOR := 0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
CONFIG  ?= debug
-include config.mak
# Build in parallel by default (the test target's steps are independent of one another's output).
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2) --output-sync=target
endif
B := build/$(CONFIG)
Q := $(if $(V),,@)

CFLAGS_debug   := -O1 -g
CFLAGS_release := -O2 -DNDEBUG
CFLAGS_asan    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
CFLAGS_cov     := -O0 -g --coverage
CFLAGS_fuzz    := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
CFLAGS_oss     :=
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
           -Wundef -Wwrite-strings -Werror
CJSON_CFLAGS := $(or $(shell pkg-config --cflags libcjson 2>/dev/null),-I/usr/include/cjson)
CJSON_LIBS   := $(or $(shell pkg-config --libs libcjson 2>/dev/null),-lcjson)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -fPIC -fvisibility=hidden \
             -Ilibtoksim/include -Ilibtoksim/src $(CJSON_CFLAGS) -DTOKSIM_VERSION_STRING='"$(VERSION)"' \
             $(CFLAGS_$(CONFIG)) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(filter -fsanitize=% --coverage,$(CFLAGS_$(CONFIG))) $(LDFLAGS)

LIB_SRCS  := $(sort $(wildcard libtoksim/src/*/*.c))
CLI_SRCS  := $(sort $(wildcard cli/*.c))
TEST_SRCS := $(sort $(wildcard tests/*.c tests/unit/*.c tests/systems/*.c tests/scenario/*.c tests/query/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
FUZZERS   := $(basename $(notdir $(wildcard fuzz/fuzz_*.c)))
OBJS_OF    = $(patsubst %.c,$(B)/%.o,$(1))
LIB_A  := $(B)/libtoksim.a
LIB_SO := $(B)/libtoksim.so.$(VERSION)
CLI    := $(B)/toksim
TESTS  := $(B)/tests/toksim-tests
BENCH  := $(B)/bench/toksim-bench
LIB_FUZZING_ENGINE ?= $(B)/fuzz/standalone_main.o
BOOT   := build/.bootstrap-ok

.PHONY: man installcheck docs all bootstrap lib cli run test unit scenario-check check headertest layercheck fuzz fuzzers \
        fuzz-regress fuzz-long fuzz-merge bench bench-samba fuzz-speed differential asan coverage install uninstall clean format format-check help
all: lib cli

# ---- set-up: a fresh Debian gets its packages here (apt-get when root, else the exact command) ----
DEB_PKGS := build-essential clang libclang-rt-14-dev libcjson-dev libcriterion-dev pkg-config python3-jsonschema
bootstrap: $(BOOT)
$(BOOT):
	$(Q)./tools/bootstrap.sh $(DEB_PKGS)
	@mkdir -p $(@D) && touch $@

lib: $(LIB_A) $(LIB_SO)
cli: $(CLI)

$(B)/%.o: %.c | $(BOOT)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(LIB_A): $(call OBJS_OF,$(LIB_SRCS))
	$(Q)rm -f $@ && $(AR) rcs $@ $^
$(LIB_SO): $(call OBJS_OF,$(LIB_SRCS))
	$(Q)$(CC) -shared -Wl,-soname,libtoksim.so.$(SOMAJOR) $(ALL_LDFLAGS) -o $@ $^ $(CJSON_LIBS) -lm
	$(Q)ln -sf libtoksim.so.$(VERSION) $(B)/libtoksim.so.$(SOMAJOR)
	$(Q)ln -sf libtoksim.so.$(SOMAJOR) $(B)/libtoksim.so
$(CLI): $(call OBJS_OF,$(CLI_SRCS)) $(LIB_A)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CJSON_LIBS) -lm
$(TESTS): $(call OBJS_OF,$(TEST_SRCS) web/toksim_wasm.c) $(LIB_A)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcriterion $(CJSON_LIBS) -lm
$(BENCH): $(call OBJS_OF,$(BENCH_SRCS)) $(LIB_A)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CJSON_LIBS) -lm
FUZZ_MAIN := $(filter %.o %.a,$(LIB_FUZZING_ENGINE))
FUZZ_LD    ?= $(CC)
$(B)/fuzz/%: $(B)/fuzz/%.o $(LIB_A) $(FUZZ_MAIN)
	$(Q)$(FUZZ_LD) $(ALL_LDFLAGS) -o $@ $(filter-out $(FUZZ_MAIN),$^) $(LIB_FUZZING_ENGINE) $(CJSON_LIBS) -lm

# ---- the main job: the scenario catalog, replayed and explained ----
run: $(CLI)
	$(Q)$(CLI) run --explain scenarios/
	$(Q)if command -v dot >/dev/null 2>&1; then mkdir -p $(B)/svg && \
	  for f in $$(find scenarios -name '*.json' ! -name schema.json | sort); do \
	    $(CLI) run --format dot $$f | dot -Tsvg -o $(B)/svg/$$(basename $$f .json).svg || exit 1; \
	  done; echo "run: pictures of every scenario in $(B)/svg/ (Graphviz)"; fi

# ---- tests ----
# The test target replays the fuzz seed corpora through each fuzz target (as plain regression
# tests), replays every shipped scenario against its expectations, then runs the Criterion suite
# last, so its summary is the closing line.
FUZZ_BINS := $(addprefix $(B)/fuzz/,$(FUZZERS))
test: $(TESTS) $(CLI) $(FUZZ_BINS)
	$(Q)$(call fuzz_replay)
	$(Q)$(call scenario_replay)
	$(Q)$(PYTHON) tests/hostile/run_hostile.py $(CLI)
	$(Q)$(PYTHON) tools/validate_outputs.py $(CLI)
	$(Q)$(call docs_check)
	$(Q)$(MAKE) --no-print-directory web-check
	$(Q)TOKSIM_CLI=$(CLI) $(TESTS) $(TEST_ARGS)
unit: $(TESTS) $(CLI)
	$(Q)TOKSIM_CLI=$(CLI) $(TESTS) $(TEST_ARGS)
scenario-check: $(CLI)
	$(Q)$(call scenario_replay)
fuzz-regress: $(FUZZ_BINS)
	$(Q)$(call fuzz_replay)
define fuzz_replay
for f in $(FUZZERS); do \
  if [ -d fuzz/corpus/$$f ]; then $(B)/fuzz/$$f fuzz/corpus/$$f/* >/dev/null || exit 1; fi; done; \
echo "fuzz-regress: $(words $(FUZZERS)) targets replayed their corpora"
endef
# Debian's python3 carries python3-jsonschema (DEB_PKGS): every scenario must match scenarios/schema.json.
PYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)
define scenario_replay
if [ -n "$$(find scenarios -name '*.json' ! -name schema.json 2>/dev/null)" ]; then \
  $(PYTHON) tools/validate_schema.py scenarios && $(CLI) check scenarios/; fi
endef
# Man pages (toksim(1), toksim-CMD(1), libtoksim(3)), bash/zsh completions and the API reference,
# generated from the help texts and the public headers (tools/gen_docs.py); make test lints them.
DOC := $(B)/doc
man: $(CLI)
	$(Q)$(PYTHON) tools/gen_docs.py $(CLI) $(DOC)
define docs_check
$(PYTHON) tools/gen_docs.py $(CLI) $(DOC) && bash -n $(DOC)/completions/toksim.bash && \
bash -c '. $(DOC)/completions/toksim.bash; COMP_WORDS=(toksim check --format ""); COMP_CWORD=3; _toksim; \
  case " $${COMPREPLY[*]} " in *" tap "*) ;; *) echo "completion: check --format lacks tap"; exit 1;; esac; \
  COMP_WORDS=(toksim di); COMP_CWORD=1; _toksim; [ "$${COMPREPLY[*]}" = diff ] || { echo "completion: di -> $${COMPREPLY[*]}"; exit 1; }' && \
if command -v zsh >/dev/null 2>&1; then zsh -n $(DOC)/completions/_toksim || exit 1; fi && \
if command -v man >/dev/null 2>&1; then for p in $(DOC)/man1/*.1 $(DOC)/man3/*.3; do \
  w=$$(MANWIDTH=80 man --warnings -l $$p 2>&1 >/dev/null); \
  if [ -n "$$w" ]; then echo "$$p: $$w"; exit 1; fi; done; fi
endef
# Differential test of `toksim access --batch` against Samba's access check (skips without the oracle).
differential: $(CLI)
	$(Q)tests/differential/run.sh $(CLI) $(DIFF_ARGS)
headertest: | $(BOOT)
	$(Q)for h in libtoksim/include/toksim.h libtoksim/include/toksim/*.h; do \
	  printf '#include "%s"\ntypedef int headertest_nonempty;\n' "$$h" | $(CC) -std=c99 -Wall -Wextra -pedantic -Werror -Ilibtoksim/include -x c -fsyntax-only - || exit 1; done
# Layering (DEVELOPERS.md): each layer includes only the layers below it; only scenario/ and cli/ see cJSON.
layercheck: lib
	$(Q)./tools/layercheck.sh $(B)
check: test headertest layercheck installcheck
# Install into a scratch DESTDIR and build a program against the installed headers and library.
installcheck:
	$(Q)rm -rf $(B)/installcheck && $(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(B)/installcheck PREFIX=/usr >/dev/null
	$(Q)printf '#include <toksim.h>\n#include <stdio.h>\nint main(void)\n{\n    toksim_sid s;\n    char b[TOKSIM_SID_STRING_MAX];\n    if (toksim_sid_virtual(&s, TOKSIM_VIRTUAL_SERVICE, "TrustedInstaller", NULL))\n        return 1;\n    toksim_sid_format(b, sizeof b, &s);\n    puts(b);\n    return 0;\n}\n' > $(B)/installcheck/example.c
	$(Q)$(CC) -std=c11 -Wall -Wextra -Werror -I$(B)/installcheck/usr/include $(B)/installcheck/example.c \
	  -L$(B)/installcheck/usr/lib -ltoksim $(CJSON_LIBS) -o $(B)/installcheck/example
	$(Q)test "$$(LD_LIBRARY_PATH=$(B)/installcheck/usr/lib $(B)/installcheck/example)" = \
	  "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464" && echo "installcheck: installed headers and library work"
fuzzers: $(addprefix $(B)/fuzz/,$(FUZZERS))
fuzz:
	$(MAKE) CONFIG=fuzz CC=clang LIB_FUZZING_ENGINE=-fsanitize=fuzzer fuzzers
	@echo "fuzzers built in build/fuzz/fuzz/; run e.g. build/fuzz/fuzz/fuzz_sddl -max_total_time=60 fuzz/corpus/fuzz_sddl"
# Long fuzzing (not in CI): every target for FUZZ_SECONDS each (default one CPU-hour), new
# inputs kept in build/fuzz/corpus/<target>; `make fuzz-merge` folds them into the seed
# corpora (docs/fuzzing.md: the nightly routine).
FUZZ_SECONDS ?= 3600
fuzz-long: fuzz
	$(Q)for f in $(FUZZERS); do mkdir -p build/fuzz/corpus/$$f && \
	  echo "fuzz-long: $$f for $(FUZZ_SECONDS) s" && \
	  build/fuzz/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 $$([ -f fuzz/dict/$${f#fuzz_}.dict ] && echo -dict=fuzz/dict/$${f#fuzz_}.dict) \
	    build/fuzz/corpus/$$f fuzz/corpus/$$f || exit 1; done
fuzz-merge: fuzz
	$(Q)for f in $(FUZZERS); do mkdir -p build/fuzz/corpus/$$f fuzz/corpus/$$f && \
	  build/fuzz/fuzz/$$f -merge=1 fuzz/corpus/$$f build/fuzz/corpus/$$f || exit 1; done
bench:
	$(MAKE) CONFIG=release build/release/bench/toksim-bench build/release/toksim
	build/release/bench/toksim-bench
	bench/bench_cli.sh build/release/toksim
# ---- performance extras (docs/PERFORMANCE.md, issue 11): figures printed, never asserted ----
# bench-samba: Samba's se_access_check against toksim in one process (skips without Samba).
bench-samba:
	$(MAKE) CONFIG=release build/release/bench/toksim-bench-samba
	build/release/bench/toksim-bench-samba
build/release/bench/toksim-bench-samba: bench/samba/bench_samba.c build/release/libtoksim.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(CJSON_LIBS) -lm -ldl
# fuzz-speed: every fuzz target FUZZ_SPEED_SECONDS each, with and without sanitizers.
CFLAGS_fuzznosan := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link
FUZZ_SPEED_SECONDS ?= 5
fuzz-speed:
	$(MAKE) CONFIG=fuzz CC=clang LIB_FUZZING_ENGINE=-fsanitize=fuzzer fuzzers
	$(MAKE) CONFIG=fuzznosan CC=clang LIB_FUZZING_ENGINE=-fsanitize=fuzzer fuzzers
	tools/fuzz_speed.sh $(FUZZ_SPEED_SECONDS) $(FUZZERS)
asan:
	$(MAKE) CONFIG=asan CC=$(or $(ASAN_CC),clang) test
coverage:
	$(MAKE) CONFIG=cov test
	gcovr -r . --object-directory build/cov --exclude 'tests/'

# Generated views of the one-fact tables (never edited by hand).
docs: $(CLI)
	$(CLI) rules --format markdown > docs/rules.md

install: lib cli man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/toksim
	install -m 644 libtoksim/include/toksim.h $(DESTDIR)$(INCDIR)/
	install -m 644 libtoksim/include/toksim/*.h libtoksim/include/toksim/*.inc $(DESTDIR)$(INCDIR)/toksim/
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libtoksim.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libtoksim.so.$(SOMAJOR)
	ln -sf libtoksim.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libtoksim.so
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(PREFIX)/share/toksim/schemas
	install -m 644 schemas/*.json $(DESTDIR)$(PREFIX)/share/toksim/schemas/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/doc/toksim
	install -m 644 $(DOC)/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(DOC)/man3/*.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	install -m 644 $(DOC)/completions/toksim.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/toksim
	install -m 644 $(DOC)/completions/_toksim $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_toksim
	install -m 644 $(DOC)/api.md $(DESTDIR)$(PREFIX)/share/doc/toksim/api.md
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' \
	    libtoksim/libtoksim.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libtoksim.pc
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/toksim $(DESTDIR)$(LIBDIR)/libtoksim.a $(DESTDIR)$(LIBDIR)/libtoksim.so*
	rm -f $(DESTDIR)$(LIBDIR)/pkgconfig/libtoksim.pc $(DESTDIR)$(INCDIR)/toksim.h
	rm -rf $(DESTDIR)$(INCDIR)/toksim $(DESTDIR)$(PREFIX)/share/toksim $(DESTDIR)$(PREFIX)/share/doc/toksim
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/toksim*.1 $(DESTDIR)$(PREFIX)/share/man/man3/libtoksim.3
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/toksim $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_toksim
FMT_SRCS = $(shell find libtoksim cli tests fuzz bench -name '*.[ch]')
format:
	clang-format -i $(FMT_SRCS)
format-check:
	clang-format --dry-run --Werror $(FMT_SRCS)
clean:
	rm -rf build/debug build/release build/asan build/fuzz build/fuzznosan build/cov build/oss
help:
	@echo 'targets: bootstrap all lib cli run test unit scenario-check check headertest layercheck installcheck docs man'
	@echo '         fuzz fuzzers fuzz-regress fuzz-long fuzz-merge fuzz-speed bench bench-samba asan coverage install uninstall format format-check clean'
	@echo '         web web-test web-bootstrap web-check web-clean (the browser playground, web/)'
	@echo '   vars: CONFIG=debug|release|asan|cov|fuzz  V=1  PREFIX=  DESTDIR=  TEST_ARGS=--filter=sddl/*'
DEPS := $(patsubst %.o,%.d,$(call OBJS_OF,$(LIB_SRCS) $(CLI_SRCS) $(TEST_SRCS) $(BENCH_SRCS) $(wildcard fuzz/*.c)))
-include $(DEPS)
# The browser playground (web/): make web, web-test, web-bootstrap, web-check.
include web/web.mk
.SECONDARY:
