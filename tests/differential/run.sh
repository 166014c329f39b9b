#!/bin/sh
# PURPOSE: run the differential test of `toksim access --batch` against the Samba oracle
# (differential.py). Skips (exit 0) when the oracle or python3-samba is not available: the
# project must never need /work/shared to build or test.
# usage: tests/differential/run.sh [path/to/toksim] [differential.py options]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
toksim=${1:-build/debug/toksim}
[ $# -gt 0 ] && shift
oracle=${SAMBA_ORACLE:-}
if [ -z "$oracle" ]; then
    for d in "$here/../../../shared" "$here/../../../../shared" /work/shared; do
        if [ -f "$d/tools/samba-oracle/samba_access_check.py" ]; then
            oracle="$d/tools/samba-oracle/samba_access_check.py"
            break
        fi
    done
fi
if [ -z "$oracle" ] || [ ! -f "$oracle" ]; then
    echo "differential: skipped (Samba oracle not found; set SAMBA_ORACLE)"
    exit 0
fi
if ! /usr/bin/python3 -c 'import samba.security' 2>/dev/null; then
    echo "differential: skipped (python3-samba is not installed: apt-get install python3-samba)"
    exit 0
fi
if [ ! -x "$toksim" ]; then
    echo "differential: $toksim is not built (run make first)" >&2
    exit 2
fi
exec /usr/bin/python3 "$here/differential.py" "$toksim" "$oracle" "$@"
