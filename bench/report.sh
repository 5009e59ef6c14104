#!/usr/bin/env bash
# Footprint benchmark: what `footprint report` (the HTML page, with the breakdown by directory and package) costs
# beyond `footprint measure` of the same artifact. Target (issue 14): under 2 s beyond measure for the host root.
# Also times a generated image of 50,000 small files, and (when chromium is installed) how long the page of
# that image takes to load in headless Chromium.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/report.sh [--runs N]

  --runs N   timed repetitions of each command; the median is used (default 3)

Environment overrides (all optional):
  BENCH_FOOTPRINT   footprint command (default ./footprint at the repo root)
  BENCH_HOST        the root to measure (default /)
USAGE
}

runs=3
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
read -r -a fp <<<"${BENCH_FOOTPRINT:-./footprint}"
host=${BENCH_HOST:-/}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median wall time in seconds of running "$@" $runs times (output discarded).
median() {
  local times=() t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t1" -v b="$t0" 'BEGIN{print a-b}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# The generated image: 500 directories of 100 files of 1 to 64 bytes (what the report test loads too).
python3 - "$work/many.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.USTAR_FORMAT) as t:
    for d in range(500):
        ti = tarfile.TarInfo(f"data/d{d:03}"); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
        for f in range(100):
            n = 1 + (d * 100 + f) % 64
            ti = tarfile.TarInfo(f"data/d{d:03}/f{f:03}"); ti.size = n; t.addfile(ti, io.BytesIO(b'x' * n))
PY

"${fp[@]}" --help >/dev/null  # build once (./footprint compiles on first use), outside the timings

printf '%-24s %10s %10s %10s  %s\n' artifact measure report beyond target
status=0
for case in "host-root:$host" "files-50000:$work/many.tar"; do
  id=${case%%:*}
  artifact=${case#*:}
  m=$(median "${fp[@]}" measure -q --no-cache -f json "$artifact")
  r=$(median "${fp[@]}" report -q --no-cache "$artifact" -o "$work/$id.html")
  beyond=$(awk -v a="$r" -v b="$m" 'BEGIN{print a-b}')
  verdict=PASS
  if awk -v x="$beyond" 'BEGIN{exit !(x >= 2)}'; then verdict=MISS; status=1; fi
  printf '%-24s %9.2fs %9.2fs %9.2fs  < 2 s %s (page %s bytes)\n' "$id" "$m" "$r" "$beyond" "$verdict" "$(stat -c %s "$work/$id.html")"
done

if command -v chromium >/dev/null; then
  # Load time of the 50,000-file page: headless screenshot of it against one of an empty page (the browser's start).
  echo '<!DOCTYPE html><title>empty</title>' >"$work/empty.html"
  empty=$(median chromium --headless --no-sandbox --disable-gpu --screenshot="$work/e.png" --window-size=1100,900 "file://$work/empty.html")
  page=$(median chromium --headless --no-sandbox --disable-gpu --screenshot="$work/p.png" --window-size=1100,900 "file://$work/files-50000.html")
  printf 'chromium: 50,000-file page %.2fs, empty page %.2fs: %.2fs to load and draw the report\n' "$page" "$empty" "$(awk -v a="$page" -v b="$empty" 'BEGIN{print a-b}')"
fi

exit $status
