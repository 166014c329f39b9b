#!/usr/bin/env bash
# PURPOSE: fetch Debian's patched cJSON source (the same version as the machine's
# libcjson-dev) for the WebAssembly build, which cannot link the native libcjson. Uses a
# private deb-src list and a private lists directory, so the system's apt configuration
# and state are left alone. Usage: web/fetch-cjson.sh OUTDIR  (OUTDIR/cJSON.c, cJSON.h).
set -euo pipefail
out=${1:?usage: fetch-cjson.sh OUTDIR}
[ -f "$out/cJSON.c" ] && [ -f "$out/cJSON.h" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/src"
for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    sed 's/^Types:.*/Types: deb-src/' "$f" > "$work/sources.list.d/$(basename "$f")"
done
if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > "$work/sources.list.d/main.list" || true
fi
opts=(-o "Dir::Etc::SourceParts=$work/sources.list.d" -o "Dir::Etc::SourceList=/dev/null"
      -o "Dir::State::Lists=$work/lists" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
apt-get "${opts[@]}" -qq update
(cd "$work/src" && apt-get "${opts[@]}" -qq source cjson >/dev/null)
dir=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'cjson-*' | head -1)
[ -n "$dir" ] && [ -f "$dir/cJSON.c" ] || { echo "fetch-cjson: no cJSON source unpacked" >&2; exit 1; }
mkdir -p "$out"
cp "$dir/cJSON.c" "$dir/cJSON.h" "$dir/LICENSE" "$out/"
echo "fetch-cjson: $(basename "$dir") -> $out"
