#!/bin/sh
# PURPOSE: enforce the layering of DEVELOPERS.md: core -> identity -> imperson -> systems -> scenario -> cli.
# A source file may include private headers only from its own layer or the layers below it, and only
# scenario/ (and the CLI) may include cJSON.
set -eu
fail=0
layers="util core identity imperson systems scenario"
rank() { i=0; for l in $layers; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i+1)); done; echo 99; }
for f in libtoksim/src/*/*.c libtoksim/src/*/*.h; do
    [ -e "$f" ] || continue
    own=$(basename "$(dirname "$f")")
    [ "$own" = tables ] && continue
    r=$(rank "$own")
    for inc in $(grep -oE '^#include "[a-z_]+/' "$f" | sed -E 's/#include "([a-z_]+)\//\1/'); do
        case "$inc" in tables|toksim) continue;; esac
        ir=$(rank "$inc")
        if [ "$ir" -gt "$r" ]; then echo "layercheck: $f ($own) includes $inc/ (a higher layer)"; fail=1; fi
    done
    if [ "$own" != scenario ] && grep -q 'cJSON' "$f"; then
        echo "layercheck: $f uses cJSON outside scenario/"; fail=1
    fi
done
for h in libtoksim/include/toksim/*.h; do
    if grep -q 'cJSON' "$h"; then echo "layercheck: public header $h mentions cJSON"; fail=1; fi
done
[ $fail = 0 ] && echo "layercheck: layers respected"
exit $fail
