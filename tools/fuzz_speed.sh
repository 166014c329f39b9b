#!/bin/sh
# PURPOSE: `make fuzz-speed` (issue 11): run every libFuzzer target for a few seconds, built
# with sanitizers (build/fuzz, ASan+UBSan, what `make fuzz` builds) and without
# (build/fuzznosan), and print executions per second side by side for docs/PERFORMANCE.md.
# New inputs go to a scratch directory: the seed corpora are read, never written.
# usage: tools/fuzz_speed.sh SECONDS TARGET...
set -u
secs=$1; shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
rate() { # binary target -> exec/s (libFuzzer's own average), or "-" when it did not run
    dir="$scratch/$2.$(basename "$(dirname "$(dirname "$1")")")"
    mkdir -p "$dir"
    "$1" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "$dir" "fuzz/corpus/$2" 2>&1 | sed -n 's/^stat::average_exec_per_sec: *//p' | tail -1
}
printf '%-22s %14s %14s\n' target "sanitizers" "no sanitizers"
for t in "$@"; do
    a=$(rate "build/fuzz/fuzz/$t" "$t"); b=$(rate "build/fuzznosan/fuzz/$t" "$t")
    printf '%-22s %14s %14s\n' "$t" "${a:--}" "${b:--}"
done
printf '(exec/s, %s s each, libFuzzer stat::average_exec_per_sec; seed corpora of fuzz/corpus/)\n' "$secs"
