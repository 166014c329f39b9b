#!/bin/sh
# PURPOSE: enforce the layering of DEVELOPERS.md: core -> identity -> imperson -> systems ->
# {scenario, query} side by side -> cli. scenario/ and query/ share a rank and may not use each other.
# A source file may include private headers only from its own layer or the layers below it, and only
# scenario/ (and the CLI) may include cJSON.
set -eu
fail=0
layers="util core identity imperson systems scenario"
all_layers="$layers query"
rank() { [ "$1" = query ] && set -- scenario; i=0; for l in $layers; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i+1)); done; echo 99; }
# scenario/ and query/ are side by side: neither may include or call the other.
sibling() { { [ "$1" = scenario ] && [ "$2" = query ]; } || { [ "$1" = query ] && [ "$2" = scenario ]; }; }
for f in libtoksim/src/*/*.c libtoksim/src/*/*.h; do
    [ -e "$f" ] || continue
    own=$(basename "$(dirname "$f")")
    [ "$own" = tables ] && continue
    r=$(rank "$own")
    for inc in $(grep -oE '^#include "[a-z_]+/' "$f" | sed -E 's/#include "([a-z_]+)\//\1/'); do
        case "$inc" in tables|toksim) continue;; esac
        ir=$(rank "$inc")
        if [ "$ir" -gt "$r" ]; then echo "layercheck: $f ($own) includes $inc/ (a higher layer)"; fail=1; fi
        if sibling "$own" "$inc"; then echo "layercheck: $f ($own) includes $inc/ (a sibling layer)"; fail=1; fi
    done
    if [ "$own" != scenario ] && grep -q 'cJSON' "$f"; then
        echo "layercheck: $f uses cJSON outside scenario/"; fail=1
    fi
done
for h in libtoksim/include/toksim/*.h; do
    if grep -q 'cJSON' "$h"; then echo "layercheck: public header $h mentions cJSON"; fail=1; fi
done
# Link-level check: every library symbol an object uses must be defined in its own layer or a
# lower one (catches a core file calling into identity, whatever it includes).
objdir=${1:-build/debug}
if [ -d "$objdir/libtoksim/src" ] && command -v nm >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    for l in $all_layers; do
        for o in "$objdir"/libtoksim/src/$l/*.o; do
            [ -e "$o" ] && nm -g --defined-only "$o" | awk '{print $3}' | sed "s/^/$l /"
        done
    done >"$tmp/defs"
    for l in $all_layers; do
        r=$(rank "$l")
        for o in "$objdir"/libtoksim/src/$l/*.o; do
            [ -e "$o" ] || continue
            for sym in $(nm -u "$o" | awk '{print $2}' | grep -E '^(toksim_|ts_)'); do
                dl=$(awk -v s="$sym" '$2 == s {print $1; exit}' "$tmp/defs")
                [ -z "$dl" ] && continue
                if [ "$(rank "$dl")" -gt "$r" ]; then
                    echo "layercheck: $o ($l) calls $sym from $dl (a higher layer)"; fail=1
                fi
                if sibling "$l" "$dl"; then
                    echo "layercheck: $o ($l) calls $sym from $dl (a sibling layer)"; fail=1
                fi
            done
        done
    done
    rm -rf "$tmp"
fi
[ $fail = 0 ] && echo "layercheck: layers respected"
exit $fail
