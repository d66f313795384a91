#!/usr/bin/env bash
# Runs a command with every process's clock moved to another date, for checking that nothing
# depends on the calendar:  tests/on-date.sh "2026-12-31 23:30" npx vitest run
# The shift is an offset (libfaketime "+Ns"), so clocks keep ticking and every child process
# (test workers, the app, Chromium) agrees on the same "now". Needs `apt-get install faketime`.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: tests/on-date.sh '<date, as GNU date reads it; UTC unless it says otherwise>' <command> [args…]" >&2
  exit 2
fi
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 1; }
target=$(TZ=UTC date -d "$1" +%s)
offset=$((target - $(date +%s)))
shift
echo "[on-date] clock moved to $(TZ=UTC date -d "@$target" '+%Y-%m-%d %H:%M:%S UTC') (offset ${offset} s)" >&2
if [ "$offset" -ge 0 ]; then offset="+$offset"; fi
exec faketime -f "${offset}s" "$@"
