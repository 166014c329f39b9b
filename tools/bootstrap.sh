#!/bin/sh
# PURPOSE: install the Debian packages toksim needs on a fresh machine (called by `make bootstrap`,
# which every build target depends on). As root it runs apt-get; otherwise it prints the exact
# command to run and stops, so nothing is installed behind the user's back.
set -eu
missing=""
for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: missing packages:$missing (no apt-get here: install them with your package manager)" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
else
    echo "bootstrap: missing packages:$missing" >&2
    echo "bootstrap: run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
