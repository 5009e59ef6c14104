#!/usr/bin/env bash
# Footprint: one command for new users and CI.
#   1. install the Debian packages the tests and fixtures need (only if missing)
#   2. build the real fixtures (tests/fixtures/build.sh; cached in tests/fixtures/out/)
#   3. dotnet test Footprint.slnx "$@" (then the 12 slowest tests, from its TRX results)
# Example: ./test.sh --filter 'FullyQualifiedName~Oci'
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

PACKAGES=(
    mmdebstrap umoci skopeo busybox-static squashfs-tools xorriso cpio pigz zstd
    xz-utils bzip2 attr libcap2-bin bubblewrap uidmap file rpm db5.3-util
    golang-go binutils ripgrep gcc libc6-dev checksec mtools dosfstools lzop lz4
    genisoimage isolinux syslinux-common binwalk u-boot-tools python3 jq e2fsprogs
    docker-registry apache2-utils redis-server postgresql chromium qemu-system-x86
)

log() { printf '[test.sh] %s\n' "$*" >&2; }

# --- 1. system packages ------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if ((${#missing[@]})); then
    log "missing Debian packages: ${missing[*]}"
    if [[ $(id -u) == 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        log "not root and no sudo; install them with:"
        log "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- 2. fixtures ---------------------------------------------------------------
# build.sh needs root only when something has to be (re)built; a cached out/ is a no-op.
if [[ $(id -u) == 0 ]]; then
    tests/fixtures/build.sh
elif tests/fixtures/build.sh 2>/dev/null; then
    :
elif command -v sudo >/dev/null 2>&1; then
    log "building fixtures needs root; using sudo"
    sudo --preserve-env=FOOTPRINT_FIXTURES_OUT,FOOTPRINT_SHARED,FOOTPRINT_DEBIAN_MIRROR,FOOTPRINT_REBUILD \
        tests/fixtures/build.sh
else
    log "building fixtures needs root: run  sudo tests/fixtures/build.sh  then re-run ./test.sh"
    exit 1
fi

# Peer outputs (trivy's CycloneDX on the same inputs) for the agreement tests; no root needed.
if ! command -v npm >/dev/null 2>&1; then
    log "npm is missing: installing Debian's npm"
    if [[ $(id -u) == 0 ]]; then apt-get install -y --no-install-recommends npm; else sudo apt-get install -y --no-install-recommends npm; fi
fi
tests/fixtures/peers.sh

# --- 3. tests --------------------------------------------------------------------
command -v dotnet >/dev/null 2>&1 || { log "dotnet (the .NET 10 SDK) is not on PATH"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log_file="$(mktemp)"
# dotnet test prints nothing between the build and the summary (10 minutes on an idle 2-core machine): say it is alive.
( start=$SECONDS; while sleep 60; do log "tests running: $(( (SECONDS - start) / 60 )) min (about 20 on an idle 2-core machine, the QEMU boots last)"; done ) &
ticker=$!
results_dir="$(mktemp -d)"
trap 'kill "$ticker" 2>/dev/null || true; rm -rf "$log_file" "$results_dir"' EXIT
set +e
# A heap limit for the test process: without one the GC lets the heap of this many parallel tests (each
# unpacking and measuring real images) grow to most of the machine's memory (13-22 GB seen on 24 GB) before
# collecting, and the machine thrashes; with 8 GiB the suite runs in minutes. Override by exporting it.
export DOTNET_GCHeapHardLimit="${DOTNET_GCHeapHardLimit:-0x200000000}"
dotnet test Footprint.slnx --logger trx --results-directory "$results_dir" "$@" 2>&1 | tee "$log_file"
status=${PIPESTATUS[0]}
kill "$ticker" 2>/dev/null || true
set -e
# One plain summary line ("N passed, N failed, N skipped") summed over the test assemblies.
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log_file" |
    awk -F'[:,]' '{f+=$2; p+=$4; s+=$6} END {if (NR) printf "%d passed, %d failed, %d skipped", p, f, s}')
# The slowest tests (from the TRX results), so whoever makes the run slower sees where.
python3 - "$results_dir" <<'PY' >&2 || true
import glob, re, sys, xml.etree.ElementTree as ET
rows = []
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(trx).iter():
        if r.tag.endswith("UnitTestResult") and r.get("duration"):
            h, m, s = r.get("duration").split(":")
            rows.append((int(h) * 3600 + int(m) * 60 + float(s), r.get("testName", "?")))
rows.sort(reverse=True)
if rows:
    print("[test.sh] slowest tests (of %d, %.0f s in all):" % (len(rows), sum(d for d, _ in rows)))
    for d, name in rows[:12]:
        print("[test.sh] %7.1f s  %s" % (d, re.sub(r"^Footprint\.Tests\.", "", name)[:150]))
PY
if [[ -n "$summary" ]]; then
    echo "$summary"
elif [[ $status -eq 0 ]]; then
    log "dotnet test ran no test"
    exit 1
fi
exit "$status"
