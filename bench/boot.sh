#!/usr/bin/env bash
# What a minimum-RAM search costs on one tiny image (issue 12's target: the full bisection under two minutes,
# <= 8 boots plus confirmations).
#   bench/boot.sh [IMAGE] [--repeats K]
# Runs `footprint boot IMAGE --min-ram -f json` once (the busybox SYSLINUX boot disk from the corpus by default) and
# prints the bisection's wall time, boots used, the minimum with its flaky band, idle used and time to prompt, plus the
# whole command's wall time. Boots run one at a time; run it on an idle machine (TCG emulation is CPU-bound).
# FOOTPRINT=... runs another build (e.g. "dotnet path/Footprint.Cli.dll").
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="$REPO/../shared/corpus/images/initramfs_sandbox/busybox-linux-boot.img"
REPEATS=3
[[ $# -gt 0 && "$1" != --* ]] && { IMAGE="$1"; shift; }
[[ "${1:-}" == "--repeats" ]] && REPEATS="$2"
read -r -a FOOTPRINT <<<"${FOOTPRINT:-$REPO/footprint}"
out="$(mktemp)"; trap 'rm -f "$out"' EXIT
start=$(date +%s.%N)
"${FOOTPRINT[@]}" boot "$IMAGE" --min-ram --repeats "$REPEATS" --memory 128 -f json >"$out" || true
end=$(date +%s.%N)
python3 - "$out" "$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}')" "$(basename "$IMAGE")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runningMemory"]
m = r.get("minimumRam") or {}
idle = r.get("idle") or {}
print(f"{'image':<22} {sys.argv[3]}")
print(f"{'outcome':<22} {r['outcome']} (kernel {r.get('kernelVersion')}, {r['emulator']['firmware']})")
print(f"{'bisection wall':<22} {m.get('wallSeconds')} s")
print(f"{'bisection boots':<22} {m.get('boots')} (lower bound {m.get('lowerBoundMiB')} MiB, reference {m.get('referenceMiB')} MiB)")
print(f"{'minimum RAM':<22} {m.get('minimumMiB')} MiB, k={m.get('repeats')}, flaky {m.get('flakyMiB')}")
print(f"{'idle used':<22} {idle.get('usedKiB')} KiB of MemTotal {idle.get('memTotalKiB')} KiB at -m {idle.get('machineMiB')}")
print(f"{'time to prompt':<22} {(r.get('timeToPrompt') or {}).get('medianSeconds')} s")
print(f"{'whole command':<22} {sys.argv[2]} s ({r['boots']} boots)")
PY
