#!/bin/sh
# PURPOSE: instructions per access check (callgrind, exact, independent of machine load),
# for docs/PERFORMANCE.md: (Ir of N checks - Ir of 0 checks) / N for each benchmark case.
# usage: bench/icount.sh path/to/toksim-bench [N]
set -eu
bench=$1
n=${2:-20000}
ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
        sed -n 's/.*refs: *//p' | tr -d ,
}
printf '%-36s %12s\n' case "instr/check"
for c in "64x8" "64x8 --max" "64x32" "64x32 --max" "64x128" "64x128 --max" "64x1" \
    "64x32 --honest" "64x32 --honest --max" "64x128 --honest" "64x128 --honest --max"; do
    # shellcheck disable=SC2086 # the case is two words on purpose
    full=$(ir "$bench" --iterations "$n" --case $c)
    # shellcheck disable=SC2086
    none=$(ir "$bench" --iterations 0 --case $c)
    printf '%-36s %12d\n' "$c" $(((full - none) / n))
done
