#!/usr/bin/env bash
# What matching vulnerabilities costs on top of `measure` (issue 13's target: <= 20% on the Debian minbase image).
#   bench/vulns.sh [--runs N]
# Times, in the same command, medians of N runs each (no layer cache, so every run reads the image):
#   measure                      footprint measure IMAGE
#   measure --db                 the same with the advisory database (the DSA list of the corpus) matched
#   vulns --no-reachability      footprint vulns without reachability (the database lookup alone on top of measure)
#   vulns                        with reachability (loader closures from the ELF facts the walk gathers)
# and prints each one's ratio to measure. The database is built once in a temp dir from ../shared/corpus.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5
[[ "${1:-}" == "--runs" ]] && RUNS="$2"
IMAGE="oci:$REPO/tests/fixtures/out/debian/oci:minbase"
DSA="$REPO/../shared/corpus/vulndata/debian-security-tracker/data/DSA/list"
FOOTPRINT="$REPO/footprint"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$FOOTPRINT" --version >/dev/null
"$FOOTPRINT" db import --db "$WORK/adv.db" "$DSA" >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
timeit() { # label args...
  local label="$1"; shift
  "$FOOTPRINT" "$@" >/dev/null 2>&1   # untimed: page cache
  local t
  t=$(for _ in $(seq "$RUNS"); do /usr/bin/time -f '%e' "$FOOTPRINT" "$@" 2>&1 >/dev/null | tail -1; done | median)
  printf '%s' "$t"
}
base=$(timeit measure measure -q --no-cache -f json "$IMAGE")
printf '%-28s %8s s\n' "measure" "$base"
for row in "measure --db|measure -q --no-cache -f json --db $WORK/adv.db $IMAGE" \
           "vulns --no-reachability|vulns -q --no-cache -f json --no-reachability --db $WORK/adv.db $IMAGE" \
           "vulns|vulns -q --no-cache -f json --db $WORK/adv.db $IMAGE"; do
  label="${row%%|*}"; read -r -a args <<<"${row#*|}"
  t=$(timeit "$label" "${args[@]}")
  printf '%-28s %8s s  %6s of measure\n' "$label" "$t" "$(awk -v a="$t" -v b="$base" 'BEGIN {printf "%.2fx", a / b}')"
done
