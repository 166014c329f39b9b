# PURPOSE: the browser playground (web/, issue 12): libtoksim, the scenario engine and
# web/toksim_wasm.c compiled with Emscripten into web/dist/ beside a static page, and
# its browser tests in headless Chromium (playwright-core). Included by the Makefile.
#   make web-bootstrap  Debian's emscripten + chromium, npm ci of web/package-lock.json
#   make web            web/dist/: index.html, app.js, toksim.js + toksim.wasm, scenarios
#   make web-test       build, then load the page in headless Chromium and assert
#   make web-check      web-test when the tools and web/dist are there, else a skip notice
#                       (what `make test` runs: it never needs Emscripten or Chromium)
WEB_OUT  := web/dist
WEB_OBJ  := build/web/obj
WEB_CJSON := build/web/cjson
EMCC     ?= emcc
# Debian's emscripten finds acorn and its other Node modules only through NODE_PATH.
WEB_ENV  := NODE_PATH=$(or $(NODE_PATH),/usr/share/nodejs)
WEB_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Os -Wall -Wextra -fvisibility=hidden \
              -Ilibtoksim/include -Ilibtoksim/src -I$(WEB_CJSON) -DTOKSIM_VERSION_STRING='"$(VERSION)"'
WEB_SRCS := $(LIB_SRCS) web/toksim_wasm.c $(WEB_CJSON)/cJSON.c
WEB_OBJS := $(patsubst %.c,$(WEB_OBJ)/%.o,$(WEB_SRCS))
WEB_EXPORTS := _tw_scenario_run,_tw_access_check,_tw_whatif,_tw_free,_malloc,_free
WEB_LDFLAGS := -Os -sMODULARIZE=1 -sEXPORT_NAME=createToksim -sALLOW_MEMORY_GROWTH=1 \
               -sENVIRONMENT=web -sFILESYSTEM=1 -sEXPORTED_FUNCTIONS=$(WEB_EXPORTS) \
               -sEXPORTED_RUNTIME_METHODS=ccall,UTF8ToString \
               --embed-file scenarios@/scenarios --exclude-file '*schema.json'
WEB_PAGE := $(addprefix $(WEB_OUT)/,index.html app.js flow.js style.css)
WEB_SCEN := $(sort $(shell find scenarios -type f 2>/dev/null))

.PHONY: web web-bootstrap web-test web-check web-clean
web: $(WEB_OUT)/toksim.js $(WEB_PAGE) $(WEB_OUT)/scenarios.js
	@echo "web: $(WEB_OUT)/ built (wasm $$(stat -c %s $(WEB_OUT)/toksim.wasm) bytes); serve it with any static file server"

web-bootstrap:
	$(Q)./tools/bootstrap.sh emscripten chromium dpkg-dev
	$(Q)command -v npm >/dev/null || ./tools/bootstrap.sh npm
	$(Q)cd web && npm ci --no-audit --no-fund

$(WEB_CJSON)/cJSON.c:
	$(Q)web/fetch-cjson.sh $(WEB_CJSON)
$(WEB_OBJ)/%.o: %.c | $(WEB_CJSON)/cJSON.c
	@mkdir -p $(@D)
	$(Q)$(WEB_ENV) $(EMCC) $(WEB_CFLAGS) -MMD -MP -c $< -o $@
$(WEB_OUT)/toksim.js: $(WEB_OBJS) $(WEB_SCEN)
	@mkdir -p $(@D)
	$(Q)$(WEB_ENV) $(EMCC) $(WEB_OBJS) $(WEB_LDFLAGS) -o $@
$(WEB_OUT)/scenarios.js: web/gen_index.py $(WEB_SCEN)
	@mkdir -p $(@D)
	$(Q)$(PYTHON) web/gen_index.py scenarios > $@
$(WEB_OUT)/%: web/page/%
	@mkdir -p $(@D)
	$(Q)cp $< $@

web-test: web
	$(Q)cd web && node tests/playground.test.mjs
web-check:
	$(Q)if ! command -v node >/dev/null || [ ! -x /usr/bin/chromium ] || [ ! -d web/node_modules/playwright-core ]; then \
	  echo "web tests: SKIPPED (need node, /usr/bin/chromium and web/node_modules/playwright-core: run make web-bootstrap)"; \
	elif ! command -v $(EMCC) >/dev/null; then \
	  echo "web tests: SKIPPED (no Emscripten ($(EMCC)) to build web/dist: run make web-bootstrap)"; \
	else $(MAKE) --no-print-directory web-test; fi
web-clean:
	rm -rf $(WEB_OUT) build/web/obj
-include $(patsubst %.o,%.d,$(WEB_OBJS))
# The native build of the C API (for tests/scenario/test_web_api.c): header dependencies, format.
-include $(B)/web/toksim_wasm.d
FMT_SRCS += web/toksim_wasm.c
