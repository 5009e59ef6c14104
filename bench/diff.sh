#!/usr/bin/env bash
# What `footprint diff` costs against measuring both sides (issue 14's target: <= 1.2x on two Alpine minirootfs).
#   bench/diff.sh [--runs N]
# Times, in the same command, medians of N runs each (no layer cache, so every run reads both tarballs):
#   measure A B          footprint measure of both artifacts, one process
#   diff A B             footprint diff (both measured once with their file digests, then compared)
#   compare A B          footprint compare (both measured once, no digests)
# and prints each one's ratio to measuring both. FOOTPRINT=... runs another build (e.g. "dotnet path/Footprint.Cli.dll").
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5
[[ "${1:-}" == "--runs" ]] && RUNS="$2"
OLD="$REPO/../shared/corpus/alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz"
NEW="$REPO/../shared/corpus/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"
read -r -a FOOTPRINT <<<"${FOOTPRINT:-$REPO/footprint}"
"${FOOTPRINT[@]}" --version >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
timeit() { # args...
  "${FOOTPRINT[@]}" "$@" >/dev/null 2>&1   # untimed: page cache
  for _ in $(seq "$RUNS"); do /usr/bin/time -f '%e' "${FOOTPRINT[@]}" "$@" 2>&1 >/dev/null | tail -1; done | median
}
base=$(timeit measure -q --no-cache -f json "$OLD" "$NEW")
printf '%-28s %8s s\n' "measure A B" "$base"
for row in "diff A B|diff -q --no-cache -f json $OLD $NEW" \
           "compare A B|compare -q --no-cache -f json $OLD $NEW"; do
  label="${row%%|*}"; read -r -a args <<<"${row#*|}"
  t=$(timeit "${args[@]}")
  printf '%-28s %8s s  %6s of measure\n' "$label" "$t" "$(awk -v a="$t" -v b="$base" 'BEGIN {printf "%.2fx", a / b}')"
done
