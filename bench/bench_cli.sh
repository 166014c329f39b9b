#!/bin/sh
# PURPOSE: the end-to-end figures of `make bench` (issue 11): `toksim access --batch` over
# 200 000 generated realistic cases (bench/batch_cases.py: ~10 ACEs, ~10 groups; 64
# descriptors and 256 tokens repeated), and `toksim check scenarios/`; CPU time (user +
# system) and peak memory from GNU time. Figures are printed, never asserted.
# usage: bench/bench_cli.sh path/to/toksim
set -eu
toksim=$1
if [ ! -x /usr/bin/time ]; then
    echo "bench_cli: skipped: needs GNU time (/usr/bin/time; Debian: apt-get install time)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=200000
python3 bench/batch_cases.py $n > "$tmp/cases.jsonl"
bytes=$(wc -c < "$tmp/cases.jsonl")
cpu() { # command... -> "user sys maxrss_kb" of the best of three runs (least CPU)
    best=""
    for _ in 1 2 3; do
        /usr/bin/time -f "%U %S %M" -o "$tmp/t" "$@" > /dev/null 2>&1 || true
        line=$(tail -1 "$tmp/t")
        if [ -z "$best" ] || awk -v a="$line" -v b="$best" \
            'BEGIN{split(a,x," ");split(b,y," ");exit !((x[1]+x[2])<(y[1]+y[2]))}'; then
            best=$line
        fi
    done
    echo "$best"
}
echo
echo "end to end (CPU = user + system, best of 3; GNU time resolution 10 ms)"
set -- $(cpu "$toksim" access --batch "$tmp/cases.jsonl")
awk -v u="$1" -v s="$2" -v m="$3" -v n=$n -v b="$bytes" 'BEGIN{
  c=u+s; printf "access --batch, %d cases (%.0f MB)      %8.2f s CPU  %9.0f cases/s  peak RSS %d KB\n",
  n, b/1e6, c, (c>0? n/c : 0), m}'
set -- $(cpu "$toksim" check scenarios/)
awk -v u="$1" -v s="$2" -v m="$3" 'BEGIN{
  c=(u+s)*1000
  if (c < 10) printf "check scenarios/ (the shipped catalog)      <10 ms CPU (GNU time counts in 10 ms)  peak RSS %d KB\n", m
  else printf "check scenarios/ (the shipped catalog)     %8.0f ms CPU  peak RSS %d KB\n", c, m}'
# perf's task-clock (user + system, exact): 30 single runs each, min and median, next to
# /bin/true for the cost of starting any process on this machine.
runs=${BENCH_CHECK_RUNS:-30}
clock() { # command... -> "min median" task-clock ms over $runs runs
    : > "$tmp/v"
    i=0
    while [ $i -lt "$runs" ]; do
        perf stat -x, -e task-clock "$@" > /dev/null 2> "$tmp/p" || return 1
        awk -F, '/task-clock/{print $1}' "$tmp/p" >> "$tmp/v"
        i=$((i + 1))
    done
    sort -n "$tmp/v" | awk '{a[NR]=$1} END{printf "%.2f %.2f", a[1], a[int((NR+1)/2)]}'
}
if command -v perf >/dev/null 2>&1 && perf stat -x, -e task-clock true > /dev/null 2>&1; then
    set -- $(clock "$toksim" check scenarios/)
    t=$(clock /bin/true)
    printf "check scenarios/ (perf task-clock, %s runs)  min %s ms  median %s ms  (/bin/true: min %s ms)\n" \
        "$runs" "$1" "$2" "${t%% *}"
fi
