#!/usr/bin/env bash
# Fuzz one Footprint parser with SharpFuzz + AFL++.
#   fuzz/run.sh TARGET [SECONDS]     TARGET: a name the harness knows (fuzz/Footprint.Fuzz/Program.cs, listed in fuzz/README.md); SECONDS defaults to 300
# Environment: FUZZ_RESUME=1 continues the previous session in fuzz/out/findings/TARGET instead of starting over;
#              FUZZ_SKIP_BUILD=1 reuses the instrumented build in fuzz/out/bin.
# Everything it creates is under fuzz/out/ (gitignored): tools, bin (instrumented harness), seeds/TARGET,
# findings/TARGET (AFL output: crashes/, hangs/, queue/, fuzzer_stats), TARGET.log.
set -euo pipefail

TARGET="${1:-}"
SECONDS_TO_RUN="${2:-300}"

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The harness's target table is the one list: no copy here to fall out of step with it.
if [[ -z "$TARGET" ]] || ! grep -q "^        \[\"$TARGET\"\] = " "$FUZZ_DIR/Footprint.Fuzz/Program.cs"; then
  echo "usage: $0 TARGET [SECONDS]; TARGET one of: $(grep -o '^        \["[a-z0-9-]*"\] = ' "$FUZZ_DIR/Footprint.Fuzz/Program.cs" | tr -d ' []="' | paste -sd' ')" >&2
  exit 2
fi
REPO="$(cd "$FUZZ_DIR/.." && pwd)"
SHARED="$(cd "$REPO/../shared" 2>/dev/null && pwd || true)"
OUT="$FUZZ_DIR/out"
BIN="$OUT/bin"
TOOLS="$OUT/tools"
SEEDS="$OUT/seeds/$TARGET"
FINDINGS="$OUT/findings/$TARGET"
mkdir -p "$OUT"

# --- tools --------------------------------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null; then
  echo "== installing afl++"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
for tool in gzip xz zstd bzip2; do
  if ! command -v "$tool" >/dev/null; then
    echo "== installing compressors"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gzip xz-utils zstd bzip2 >/dev/null
    break
  fi
done
if [[ ! -x "$TOOLS/sharpfuzz" ]]; then
  echo "== installing sharpfuzz"
  dotnet tool install --tool-path "$TOOLS" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# --- build + instrument -------------------------------------------------------------------------------------------
if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 || ! -f "$BIN/Footprint.Fuzz.dll" ]]; then
  echo "== publishing harness"
  rm -rf "$BIN"
  # --artifacts-path keeps our obj/bin away from the ones under src/ that other builds use.
  dotnet publish "$FUZZ_DIR/Footprint.Fuzz" -c Release -o "$BIN" --artifacts-path "$OUT/artifacts" -nologo -v quiet
  echo "== instrumenting Footprint.dll"
  "$TOOLS/sharpfuzz" "$BIN/Footprint.dll"
  # The CLI holds the scanner adapter's request parser and the --list reader (targets scan-request, list-file).
  "$TOOLS/sharpfuzz" "$BIN/Footprint.Cli.dll"
fi

# --- seeds --------------------------------------------------------------------------------------------------------
make_tar_seeds() { # $1 = output dir: small archives in every format GNU tar writes, 512-byte records (-b 1)
  local dest="$1" work
  work="$(mktemp -d)"
  (
    cd "$work"
    mkdir -p root/etc root/bin root/dir/sub
    printf 'NAME="Fuzz Linux"\nID=fuzz\nVERSION_ID=1.0\n' > root/etc/os-release
    printf 'hello\n' > root/dir/sub/file.txt
    : > root/empty
    ln -s ../etc/os-release root/bin/link
    ln root/dir/sub/file.txt root/hardlink
    mkfifo root/fifo 2>/dev/null || true
    # an ELF header, for the architecture analyzer
    head -c 64 /bin/true > root/bin/true
    long="root/$(printf 'd%.0s' {1..60})/$(printf 'n%.0s' {1..70})"
    mkdir -p "$(dirname "$long")"; printf 'long\n' > "$long"
    ln -s "$(printf 't%.0s' {1..120})" root/longlink
    # sparse: data, 64 KiB hole, data, trailing hole
    printf 'AAAA' > root/sparse; printf 'BBBB' | dd of=root/sparse bs=1 seek=65536 conv=notrunc status=none
    truncate -s 131072 root/sparse
    cd root
    tar -b 1 --format=ustar -cf "$dest/ustar.tar" etc dir hardlink bin/link empty
    tar -b 1 --format=v7 -cf "$dest/v7.tar" etc/os-release dir/sub/file.txt
    tar -b 1 --format=gnu -cf "$dest/gnu-long.tar" d* longlink
    tar -b 1 --format=pax -cf "$dest/pax-long.tar" d* longlink hardlink dir/sub/file.txt
    tar -b 1 --format=gnu --sparse -cf "$dest/gnu-sparse.tar" sparse
    for v in 0.0 0.1 1.0; do
      tar -b 1 --format=pax --sparse --sparse-version="$v" -cf "$dest/pax-sparse-$v.tar" sparse
    done
    tar -b 1 --format=pax --pax-option='SCHILY.xattr.user.test=value' -cf "$dest/pax-xattr.tar" etc/os-release
    [[ -p fifo ]] && tar -b 1 --format=ustar -cf "$dest/fifo.tar" fifo
    tar -b 1 --format=gnu -cf "$dest/rootfs.tar" etc bin empty
  )
  rm -rf "$work"
}

build_seeds() {
  rm -rf "$SEEDS"; mkdir -p "$SEEDS"
  local tars
  tars="$(mktemp -d)"
  make_tar_seeds "$tars"
  case "$TARGET" in
    tar|tarpath)
      cp "$tars"/*.tar "$SEEDS/"
      ;;
    compressed)
      for f in ustar gnu-long pax-sparse-1.0 rootfs; do
        gzip -9nc "$tars/$f.tar" > "$SEEDS/$f.tar.gz"
      done
      xz -c "$tars/ustar.tar" > "$SEEDS/ustar.tar.xz"
      xz --check=crc32 -c "$tars/gnu-sparse.tar" > "$SEEDS/gnu-sparse.tar.xz"
      zstd -q -c "$tars/ustar.tar" > "$SEEDS/ustar.tar.zst"
      zstd -q -c "$tars/pax-long.tar" > "$SEEDS/pax-long.tar.zst"
      bzip2 -c "$tars/ustar.tar" > "$SEEDS/ustar.tar.bz2"
      bzip2 -c "$tars/pax-xattr.tar" > "$SEEDS/pax-xattr.tar.bz2"
      # concatenated gzip members and xz streams, trailing garbage and zero padding, a truncated member
      { gzip -nc "$tars/v7.tar" | head -c 40; } > "$SEEDS/truncated.gz" || true
      { head -c 3000 "$tars/ustar.tar" | gzip -nc; tail -c +3001 "$tars/ustar.tar" | gzip -nc; } > "$SEEDS/members.tar.gz"
      { gzip -nc "$tars/v7.tar"; printf 'garbage'; } > "$SEEDS/garbage.tar.gz"
      { gzip -nc "$tars/v7.tar"; head -c 64 /dev/zero; } > "$SEEDS/zeros.tar.gz"
      { head -c 3000 "$tars/ustar.tar" | xz -c; head -c 4 /dev/zero; tail -c +3001 "$tars/ustar.tar" | xz -c; } > "$SEEDS/streams.tar.xz"
      cp "$tars/ustar.tar" "$SEEDS/plain.tar"
      ;;
    layer)
      cp "$tars/rootfs.tar" "$tars/pax-long.tar" "$tars/gnu-sparse.tar" "$tars/ustar.tar" "$SEEDS/"
      gzip -9nc "$tars/rootfs.tar" > "$SEEDS/rootfs.tar.gz"
      zstd -q -c "$tars/pax-sparse-0.1.tar" > "$SEEDS/sparse.tar.zst"
      ;;
    image)
      # INDEX \0 MANIFEST \0 CONFIG \0 LAYER, placeholders filled by the harness (ImageManifestTarget.cs):
      # an OCI layout with a tagged manifest, a gzip layer and a plain one, and a docker manifest.json.
      local idx man cfg
      idx='{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@M","size":#M,"platform":{"os":"linux","architecture":"amd64"},"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}'
      man='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"@C","size":#C},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"@L","size":#L}]}'
      cfg='{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/sh"],"Cmd":null,"User":"1000","ExposedPorts":{"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":["@D"]}}'
      { printf '%s\0%s\0%s\0' "$idx" "$man" "$cfg"; cat "$tars/ustar.tar"; } > "$SEEDS/oci-plain"
      { printf '%s\0%s\0%s\0' "$idx" "${man/layer.v1.tar/layer.v1.tar+gzip}" '{"os":"linux","rootfs":{"diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}'; gzip -9nc "$tars/ustar.tar"; } > "$SEEDS/oci-gzip"
      { printf '%s\0\0%s\0' '[{"Config":"@c","RepoTags":["fuzz:latest"],"Layers":["@l"]}]' "$cfg"; cat "$tars/ustar.tar"; } > "$SEEDS/docker"
      ;;
    selftest)
      printf 'crasX' > "$SEEDS/almost"
      ;;
    version)
      # Two versions per seed, one per line: each ecosystem's shapes and corner cases (epochs, ~ and ^, apk suffixes,
      # commit hashes, leading zeros, invalid tails).
      local i=0 pair
      for pair in '1.2.3_rc1-r2\n1.2.3-r2' '1.0~1234-r1\n1.0~2345-r0' '8.2.0\n8.2.001' '1.9.5p1-r1\n1.9.5p2-r1' '1-r\n1.0_-r0' \
                  '1:2.2~rc-4\n2.2-1+deb11u1' '0foo~~\n0foo~' '1.0-1\n1.0-01' \
                  '1:1.0^git1~pre-3.el9\n1.0~rc1-3.el9_1' '1.m+e2:1\n4.m+e1:1' '+2-:\n+1-:'; do
        printf "$pair" > "$SEEDS/pair-$((i++))"
      done
      if [[ -n "$SHARED" ]]; then
        for f in apk-version-2.14.9.data dpkg-Dpkg_Version.t.data osv-redhat-versions.txt; do
          # "a OP b" and dpkg's "a b expected": the two versions, one per line, a pair per seed
          grep -v '^#' "$SHARED/corpus/version-vectors/$f" | awk 'NF>=3 {print $1; print ($NF ~ /^-?[01]$/ ? $2 : $NF)}' | head -n 40 \
            | split -l 2 - "$SEEDS/${f%%.*}-" || true
        done
      fi
      ;;
    registry-text)
      # REFERENCE \n WWW-Authenticate: the shapes docker, distribution and Docker Hub use
      local d=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      printf 'alpine:3.20\nBearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"' > "$SEEDS/hub"
      printf 'docker.io/library/alpine@sha256:%s\nBasic realm="Registry Realm"' "$d" > "$SEEDS/digest-basic"
      printf 'registry.example:5000/team/app:1\nBasic realm="a \\"q\\"", Bearer realm="https://t.example/token",service=svc,error=invalid_token' > "$SEEDS/two-challenges"
      printf 'docker://localhost:5000/x:tag\nNegotiate' > "$SEEDS/transport"
      printf '[::1]:5000/a/b__c/d-e:v1.2@sha512:%s%s\n' "$d" "$d" > "$SEEDS/ipv6-sha512"
      ;;
    iso9660)
      # Small images (< 1 MiB): Rock Ridge + Joliet with a symlink, plain ISO 9660 level 1, Joliet only, an
      # El Torito catalog. The padding xorriso adds (-no-pad) is dropped to keep seeds small.
      if command -v xorriso >/dev/null; then
        local iso
        iso="$(mktemp -d)"
        mkdir -p "$iso/t/sub"; printf 'one\n' > "$iso/t/one.txt"; printf 'two\n' > "$iso/t/sub/two.txt"; ln -s sub/two.txt "$iso/t/link"
        printf 'boot\n' > "$iso/t/boot.img"
        xorriso -as mkisofs -quiet -no-pad -R -J -o "$SEEDS/rr-joliet.iso" "$iso/t" 2>/dev/null
        xorriso -as mkisofs -quiet -no-pad --norock -iso-level 1 -o "$SEEDS/plain.iso" "$iso/t" 2>/dev/null
        xorriso -as mkisofs -quiet -no-pad --norock -J -o "$SEEDS/joliet.iso" "$iso/t" 2>/dev/null
        xorriso -as mkisofs -quiet -no-pad -R -b boot.img -no-emul-boot -o "$SEEDS/eltorito.iso" "$iso/t" 2>/dev/null
        rm -rf "$iso"
      fi
      ;;
    squashfs)
      # tiny images (< 64 KiB, 4 KiB blocks): every compressor, and one with uncompressed tables; a hard link, a
      # symlink, xattrs, a fifo, a sparse file, a fragment tail and a two-block file
      command -v mksquashfs >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq squashfs-tools attr >/dev/null
      local s
      s="$(mktemp -d)"
      mkdir -p "$s/root/etc" "$s/root/bin"
      cp "$tars/rootfs.tar" "$s/root/bin/data"; truncate -s 6000 "$s/root/bin/data"
      printf 'ID=fuzz\n' > "$s/root/etc/os-release"
      ln -s ../etc/os-release "$s/root/bin/link"
      ln "$s/root/etc/os-release" "$s/root/etc/hard"
      mkfifo "$s/root/etc/fifo"
      truncate -s 12288 "$s/root/bin/sparse"; printf 'x' >> "$s/root/bin/sparse"
      setfattr -n user.fuzz -v value "$s/root/etc/os-release" 2>/dev/null || true
      for c in gzip xz lzma lzo lz4 zstd; do
        mksquashfs "$s/root" "$SEEDS/$c.squashfs" -comp "$c" -b 4K -noappend -quiet -no-progress -mkfs-time 0 -all-time 0 >/dev/null
      done
      mksquashfs "$s/root" "$SEEDS/uncompressed.squashfs" -b 4K -noI -noD -noF -noX -noappend -quiet -no-progress -mkfs-time 0 -all-time 0 >/dev/null
      rm -rf "$s"
      ;;
    cpio|initramfs)
      # one tiny tree (dir, file, symlink, 2 hard links, fifo) in each cpio format; initramfs: each compression
      # and a stored + compressed concatenation
      local c
      c="$(mktemp -d)"
      mkdir -p "$c/t/d"; printf 'hi\n' > "$c/t/d/f"; ln "$c/t/d/f" "$c/t/d/g"; ln -s d/f "$c/t/l"; mkfifo "$c/t/p" 2>/dev/null || true
      for h in newc crc odc bin; do (cd "$c/t" && find . | LC_ALL=C sort | cpio --quiet -o -H "$h") > "$c/$h.cpio"; done
      if [[ "$TARGET" == cpio ]]; then
        cp "$c"/*.cpio "$SEEDS/"
      else
        cp "$c/newc.cpio" "$SEEDS/stored.cpio"
        gzip -9nc "$c/newc.cpio" > "$SEEDS/newc.cpio.gz"
        xz --check=crc32 -c "$c/newc.cpio" > "$SEEDS/newc.cpio.xz"
        xz --format=lzma -c "$c/newc.cpio" > "$SEEDS/newc.cpio.lzma"
        zstd -q -c "$c/newc.cpio" > "$SEEDS/newc.cpio.zst"
        bzip2 -c "$c/newc.cpio" > "$SEEDS/newc.cpio.bz2"
        lz4 -q -l -c "$c/newc.cpio" > "$SEEDS/newc.cpio.lz4" 2>/dev/null || true
        { cat "$c/crc.cpio"; gzip -9nc "$c/newc.cpio"; } > "$SEEDS/stored+gzip.img"
      fi
      rm -rf "$c"
      ;;
    ld-so-cache)
      # This machine's cache (new format) and an old-format header with no entries.
      cp /etc/ld.so.cache "$SEEDS/new-format" 2>/dev/null || true
      printf 'ld.so-1.7.0\0\0\0\0\0' > "$SEEDS/old-empty"
      ;;
    elf)
      # Small real ELF files of several kinds: glibc PIE program and library (x86_64), musl (aarch64), sstrip'ed
      # big-endian MIPS (OpenWrt, no section headers), an i386 kernel module (REL, Buildroot .comment).
      cp /usr/bin/true "$SEEDS/glibc-pie-x86_64"
      cp "$(readlink -f /lib/x86_64-linux-gnu/libdl.so.2)" "$SEEDS/glibc-lib-x86_64" 2>/dev/null || true
      if [[ -n "$SHARED" ]]; then
        local x
        x="$(mktemp -d)"
        tar -xzf "$SHARED/corpus/alpine/alpine-minirootfs-3.20.3-aarch64.tar.gz" -C "$x" ./lib/libz.so.1.3.1 2>/dev/null && cp "$x/lib/libz.so.1.3.1" "$SEEDS/musl-lib-aarch64"
        tar -xzf "$SHARED/corpus/rootfs-exports/wodim+samknows-squashfs.tar.gz" -C "$x" 2>/dev/null || true
        f="$(find "$x" -path '*/lib/libgcc_s.so.1' -type f | head -1)"; [[ -n "$f" ]] && cp "$f" "$SEEDS/uclibc-mips-sstrip"
        tar -xf "$SHARED/corpus/images/buildroot-tp/rootfs.tar" -C "$x" ./lib/modules/4.17.19/kernel/crypto/hmac.ko 2>/dev/null && cp "$x/lib/modules/4.17.19/kernel/crypto/hmac.ko" "$SEEDS/buildroot-ko-i386"
        # sstrip'ed aarch64 musl with DT_HASH and DT_GNU_HASH (OpenWrt): imports read through DT_SYMTAB.
        tar -xzf "$SHARED/corpus/openwrt/openwrt-armvirt-64-default-rootfs.tar.gz" -C "$x" ./sbin/ubusd 2>/dev/null && cp "$x/sbin/ubusd" "$SEEDS/openwrt-sstrip-aarch64"
        rm -rf "$x"
      fi
      # GNU-hash-only with the section headers cut off: the symbol count comes from walking DT_GNU_HASH.
      python3 -c 'import sys; b=bytearray(open("/usr/bin/true","rb").read()); b[0x28:0x30]=bytes(8); b[0x3c:0x40]=bytes(4); open(sys.argv[1],"wb").write(b)' "$SEEDS/glibc-gnu-hash-no-sections"
      ;;
    kernel-image)
      # Synthetic bzImages (one 512-byte setup sector, "HdrS", protocol 2.15) around a tiny ELF that carries a banner,
      # an IKCONFIG block and the default initramfs stub, compressed by gzip, xz (x86 BCJ), lz4, zstd; the raw ELF;
      # and the first 32 KiB of a real kernel (FLOPPINUX's, when the corpus is there): a truncated payload.
      local k; k="$(mktemp -d)"
      python3 - "$k" <<'PY'
import gzip, struct, sys
d = sys.argv[1]
elf = bytearray(b"\x7fELF\x02\x01\x01" + bytes(9) + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x1000000, 64, 0, 0, 64, 56, 1, 64, 0, 0))
elf += struct.pack("<IIQQQQQQ", 1, 5, 0, 0x1000000, 0x1000000, 0x78, 0x78, 0x1000)   # one PT_LOAD over the headers
elf += b"Linux version 6.1.0-fuzz (f@z) (gcc 12) #1 SMP\n\0"
elf += b"IKCFG_ST" + gzip.compress(b"CONFIG_SERIAL_8250_CONSOLE=y\n# CONFIG_SWAP is not set\nCONFIG_NR_CPUS=4\n", mtime=0) + b"IKCFG_ED"
while len(elf) % 4: elf += b"\0"
def entry(name, mode, nlink):
    n = name.encode() + b"\0"
    h = b"070701" + b"".join(b"%08X" % v for v in (0, mode, 0, 0, nlink, 0, 0, 0, 0, 0, 0, len(n), 0)) + n
    return h + bytes((-len(h)) % 4)
cpio = entry("dev", 0o40755, 2) + entry("dev/console", 0o20600, 1) + entry("root", 0o40700, 2) + entry("TRAILER!!!", 0, 1)
cpio += bytes((-len(cpio)) % 512)
elf += cpio + struct.pack("<Q", len(cpio))
open(d + "/vmlinux", "wb").write(elf)
PY
      cp "$k/vmlinux" "$SEEDS/vmlinux"
      local c cmd
      for c in gzip xz lz4 zstd; do
        case "$c" in gzip) cmd="gzip -9nc" ;; xz) cmd="xz --check=crc32 --x86 --lzma2=,dict=1MiB -c" ;; lz4) cmd="lz4 -q -l -c" ;; zstd) cmd="zstd -q -c" ;; esac
        $cmd < "$k/vmlinux" > "$k/payload" 2>/dev/null || continue
        [[ "$c" == gzip ]] || python3 -c 'import struct,sys; open(sys.argv[1],"ab").write(struct.pack("<I", int(sys.argv[2])))' "$k/payload" "$(stat -c %s "$k/vmlinux")"
        python3 - "$k/payload" "$SEEDS/bzImage.$c" <<'PY'
import struct, sys
payload = open(sys.argv[1], "rb").read()
setup = bytearray(512)
setup[0x1F1] = 1                                  # setup_sects: one sector after the boot sector
setup[0x1FE:0x200] = b"\x55\xaa"
hdr = bytearray(512)                              # the second sector: the header from 0x202 on
def put(off, fmt, v): struct.pack_into(fmt, hdr, off - 0x200, v)
hdr[0x202 - 0x200:0x206 - 0x200] = b"HdrS"
put(0x206, "<H", 0x020F); put(0x20E, "<H", 0x100)  # kernel_version string at 0x300
hdr[0x300 - 0x200:0x300 - 0x200 + 24] = b"6.1.0-fuzz (f@z) #1 SMP\0"
put(0x248, "<I", 0); put(0x24C, "<I", len(payload)); put(0x260, "<I", 1 << 20)
open(sys.argv[2], "wb").write(bytes(setup) + bytes(hdr) + payload)
PY
      done
      if [[ -n "$SHARED" && -f "$SHARED/corpus/images/floppinux/floppinux.img" ]] && command -v mcopy >/dev/null; then
        mcopy -o -i "$SHARED/corpus/images/floppinux/floppinux.img" ::bzImage "$k/floppinux" && head -c 32768 "$k/floppinux" > "$SEEDS/floppinux-truncated"
      fi
      rm -rf "$k"
      ;;
    firmware)
      # Small images with every header the scanner knows: uImage + LZMA, squashfs, deadc0de, fwtool trailer; TP-Link header
      local w; w="$(mktemp -d)"
      head -c 3000 /dev/urandom | base64 > "$w/k"; printf 'Linux version 6.1.0 (f@z) #1\n' >> "$w/k"
      xz --format=lzma -c "$w/k" > "$w/k.lzma"
      if command -v mkimage >/dev/null; then
        mkimage -A mips -O linux -T kernel -C lzma -a 0x80000000 -e 0x80000000 -n "fuzz" -d "$w/k.lzma" "$SEEDS/uimage.bin" >/dev/null
      fi
      if command -v mksquashfs >/dev/null; then
        mkdir -p "$w/r/etc"; printf 'x\n' > "$w/r/etc/f"
        mksquashfs "$w/r" "$w/r.sqfs" -comp gzip -b 4096 -noappend -quiet >/dev/null
        { cat "$w/k.lzma"; cat "$w/r.sqfs"; head -c $((4096 - $(stat -c %s "$w/k.lzma") % 4096)) /dev/zero | tr '\000' '\377'; printf '\xde\xad\xc0\xde'; } > "$SEEDS/lzma-squashfs.bin"
      fi
      { printf '\x00\x00\x00\x01\x00\x00\x00\x00{"version":{"release":"1"}}FWx0\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x2b'; } > "$SEEDS/trailer.bin"
      { printf '\x01\x00\x00\x00OpenWrt'; head -c 500 /dev/zero; } > "$SEEDS/tplink-stub.bin"
      (cd "$w" && printf 'r\nr/etc\nr/etc/f\n' | cpio -o -H newc --quiet 2>/dev/null) | gzip -c > "$SEEDS/cpio.gz" || true
      rm -rf "$w"
      ;;
    fat)
      if command -v mkfs.fat >/dev/null && command -v mcopy >/dev/null; then
        local w; w="$(mktemp -d)"
        printf 'hello\n' > "$w/f"
        mkfs.fat -C -F 12 "$SEEDS/fat12.img" 64 >/dev/null
        MTOOLS_SKIP_CHECK=1 mmd -i "$SEEDS/fat12.img" "::/A Long Directory Name"
        MTOOLS_SKIP_CHECK=1 mcopy -i "$SEEDS/fat12.img" "$w/f" "::/A Long Directory Name/a long file name.txt"
        MTOOLS_SKIP_CHECK=1 mcopy -i "$SEEDS/fat12.img" "$w/f" ::/SHORT.TXT
        mkfs.fat -C -F 16 -s 1 "$SEEDS/fat16.img" 4200 >/dev/null
        MTOOLS_SKIP_CHECK=1 mcopy -i "$SEEDS/fat16.img" "$w/f" "::/long name.txt"
        rm -rf "$w"
      fi
      ;;
    advisory-yaml)
      # Real feeds, cut to a few KiB so AFL mutates the structure rather than the bulk: Alpine secfixes, Wolfi
      # advisories, the head of the DSA and DLA lists.
      if [[ -n "$SHARED" ]]; then
        local v="$SHARED/corpus/vulndata"
        head -c 4000 "$v/alpine-secdb/v3.10/main.yaml" > "$SEEDS/alpine-main.yaml"
        cp "$v/alpine-secdb/v3.3/community.yaml" "$SEEDS/alpine-community.yaml"
        cp "$v/vunnel/tests/unit/providers/alpine/test-fixtures/input/secdb/v3.15/main.yaml" "$SEEDS/alpine-3.15.yaml"
        cp "$v/wolfi-advisories/busybox.advisories.yaml" "$v/wolfi-advisories/zlib.advisories.yaml" "$SEEDS/"
        head -n 40 "$v/debian-security-tracker/data/DSA/list" > "$SEEDS/dsa-list"
        head -n 20 "$v/debian-security-tracker/data/DLA/list" > "$SEEDS/dla-list"
        cp "$v/vunnel/tests/unit/providers/debian/test-fixtures/input/DSA" "$SEEDS/dsa-vunnel"
      fi
      printf 'a: &x [1]\nb: *x\n' > "$SEEDS/alias.yaml"
      ;;
    advisory-json)
      if [[ -n "$SHARED" ]]; then
        local v="$SHARED/corpus/vulndata"
        cp "$v/vunnel/tests/unit/providers/wolfi/test-fixtures/input/secdb/security.json" "$SEEDS/wolfi-secdb.json"
        cp "$v/vuln-list-update/alpine/testdata/312-main.json" "$v/vuln-list-update/alpine/testdata/311-community.json" "$SEEDS/"
        cp "$v/vulnerablecode/vulnerabilities/tests/test_data/debian.json" "$SEEDS/tracker.json"
        cp "$v/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json" "$v/osv.dev/gcp/workers/oss_fuzz_worker/testdata/CVE-2022-27449.json" "$SEEDS/"
        cp "$v/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/usn/USN-5614-1.json" "$SEEDS/"
        cp "$v/vunnel/tests/unit/providers/chainguard/test-fixtures/input/osv/CGA-224q-ccj5-2p53.json" "$SEEDS/"
      fi
      printf '{"feeds":[{"url":"a/main.json","sha256":"%064d","size":12}]}' 0 > "$SEEDS/manifest.json"
      ;;
    osv-zip)
      if [[ -n "$SHARED" ]] && command -v zip >/dev/null; then
        local v="$SHARED/corpus/vulndata" z
        z="$(mktemp -d)"
        cp "$v/osv.dev/gcp/workers/oss_fuzz_worker/testdata/DSA-3029-1.json" "$v/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/usn/USN-5614-1.json" "$z/"
        (cd "$z" && zip -q -9 "$SEEDS/all.zip" DSA-3029-1.json USN-5614-1.json && zip -q -0 "$SEEDS/stored.zip" DSA-3029-1.json)
        rm -rf "$z"
      fi
      ;;
    vex)
      # Footprint's own OpenVEX and CycloneDX VEX shapes, the OpenVEX 0.0.x shapes, and an ignore list (VexTarget.cs).
      cat > "$SEEDS/openvex.json" <<'JSON'
{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://openvex.dev/docs/footprint/1","author":"a","timestamp":"2024-01-01T00:00:00Z","version":1,
 "statements":[{"vulnerability":{"name":"CVE-2019-14697","aliases":["ALPINE-13661"]},"products":[{"@id":"pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64&distro=alpine-3.7.3"}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path","impact_statement":"x"},
  {"vulnerability":{"name":"CVE-2"},"products":[{"@id":"pkg:oci/app","subcomponents":[{"@id":"pkg:deb/debian/curl@7.74.0-1.3%2Bdeb11u7"},{"identifiers":{"purl":"pkg:deb/debian/libcurl4"}}]}],"status":"affected","action_statement":"upgrade"}]}
JSON
      printf '{"@context":"https://openvex.dev/ns","statements":[{"vulnerability":"CVE-3","products":["pkg:rpm/redhat/bash@5.1-2"],"status":"fixed"}]}' > "$SEEDS/openvex-0.0.json"
      cat > "$SEEDS/cyclonedx.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"bom-ref":"img","name":"img"}},"components":[{"bom-ref":"pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64","purl":"pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64","components":[{"bom-ref":"c2","purl":"pkg:apk/alpine/musl-utils@1.1.18-r3"}]}],
 "vulnerabilities":[{"bom-ref":"v1","id":"CVE-2019-14697","references":[{"id":"ALPINE-1","source":{"name":"ALPINE"}}],"analysis":{"state":"not_affected","justification":"code_not_reachable","detail":"d"},"affects":[{"ref":"pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64"},{"ref":"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#c2"}]},
  {"id":"CVE-2","analysis":{"state":"exploitable"},"affects":[{"ref":"c2"}]}]}
JSON
      printf '# comment
CVE-2019-14697
CVE-2018-0732 libssl1.0 # reason
CVE-2018-0733 exp:2030-01-01 pkg:apk/alpine/libssl1.0@1.0.2n-r0?arch=x86_64
' > "$SEEDS/ignore.txt"
      ;;
    scan-request)
      # Harbor's ScanRequest (pluggable-scanner-spec v1.2) as Harbor sends it: Basic and Bearer authorizations, both
      # manifest types, a tag; and near misses (no artifact, a short digest).
      local d="sha256:$(printf 'x' | sha256sum | cut -d' ' -f1)"
      printf '{"registry":{"url":"https://core.harbor.domain","authorization":"Basic cm9ib3QkbGlicmFyeStzY2FuLTE6c2VjcmV0"},"artifact":{"repository":"library/mongo","digest":"%s","tag":"3.4-xenial","mime_type":"application/vnd.docker.distribution.manifest.v2+json"}}' "$d" > "$SEEDS/basic.json"
      printf '{"registry":{"url":"http://127.0.0.1:5000","authorization":"Bearer eyJhbGciOiJSUzI1NiJ9.eyJhY2Nlc3MiOltdfQ.c2ln"},"artifact":{"repository":"team/app","digest":"%s","mime_type":"application/vnd.oci.image.manifest.v1+json"}}' "$d" > "$SEEDS/bearer.json"
      printf '{"registry":{"url":"http://r"},"artifact":{"repository":"a","digest":"sha256:12"}}' > "$SEEDS/short-digest.json"
      printf '{"registry":{"url":"http://r"}}' > "$SEEDS/no-artifact.json"
      ;;
    advisory-columns)
      # What Writer stores (ColumnCodec): string lists, 4-item ranges, timestamps, enum names.
      printf '["CVE-2019-14697","DSA-5218-1"]' > "$SEEDS/strings"
      printf '[["0","1.1.22-r3",null,true],[null,null,"2.0",false]]' > "$SEEDS/ranges"
      printf '2022-08-25T00:00:00Z' > "$SEEDS/date"
      printf 'Fixed' > "$SEEDS/fix-state"
      printf 'AlpineSecfixesYaml' > "$SEEDS/feed-kind"
      ;;
    catalog)
      # One real shipped entry as a document and alone, and the published figures (CatalogTarget.cs).
      python3 - "$REPO/catalog/shipped.json" "$SEEDS" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
small = dict(doc, entries=doc["entries"][:1])
open(sys.argv[2] + "/document.json", "w").write(json.dumps(small))
open(sys.argv[2] + "/entry.json", "w").write(json.dumps(doc["entries"][0]))
PY
      cp "$REPO/catalog/published.json" "$SEEDS/published.json"
      ;;
    boot-config)
      printf 'DEFAULT linux\nLABEL linux\n  SAY booting\n  KERNEL bzImage\n  INITRD rootfs.cpio.xz\n' > "$SEEDS/floppinux.cfg"
      printf 'DEFAULT core\nLABEL core\n  KERNEL /boot/bzImage\n  APPEND initrd=/boot/rootfs4.gz,/boot/rootfs3.gz rw root=/dev/null\n' > "$SEEDS/slitaz.cfg"
      printf 'path \ninclude menu.cfg\ndefault vesamenu.c32\n\0menu include txt.cfg\n\0label live\n\tmenu default\n\tlinux /live/vmlinuz\n\tinitrd /live/a.img, b.img\n\tappend boot=live -\n' > "$SEEDS/debian-includes.cfg"
      printf 'set default="1>0"\nmenuentry "Live" --class x $menuentry_id_option live {\n  linux16 /live/vmlinuz boot=live "a;b" \\\n quiet\n  initrd16 /live/ucode.img /live/initrd.img\n}\nsubmenu adv {\n  menuentry '"'"'Safe { x }'"'"' { linux (hd0,1)/k nomodeset; initrd /i }\n}\nif [ x ]; then default=0; fi\n' > "$SEEDS/grub.cfg"
      ;;
    inittab)
      printf '::sysinit:/etc/init.d/tc-config\ntty1::respawn:/sbin/getty -nl /sbin/autologin 38400 tty1\n::restart:/sbin/init\n::ctrlaltdel:/sbin/reboot\n::shutdown:/etc/init.d/rc.shutdown\n' > "$SEEDS/tinycore"
      printf '::sysinit:/etc/init.d/rcS\nconsole::respawn:/sbin/getty -L console 0 vt100 # GENERIC_SERIAL\n' > "$SEEDS/buildroot"
      printf 'id:2:initdefault:\n1:2345:respawn:/sbin/getty 38400 tty1\n2:23:respawn:/sbin/getty 38400 /dev/tty2\nT0:23:respawn:/sbin/getty -L ttyS0 9600 vt100\n' > "$SEEDS/sysvinit"
      printf 'tty2::askfirst:-/bin/sh\r\n::askfirst:-/bin/sh\n' > "$SEEDS/busybox"
      ;;
    container-user)
      # User, NUL, /etc/passwd, NUL, /etc/group (as ContainerUserTarget cuts its input); Debian's and BusyBox's files.
      printf 'www-data:www-data\0root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\0root:x:0:\nwww-data:x:33:\n' > "$SEEDS/debian"
      printf '1000:2000\0root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n' > "$SEEDS/numeric"
      printf 'nginx\0nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\r\n' > "$SEEDS/crlf"
      printf ' \0' > "$SEEDS/empty"
      ;;
    stored-report)
      # Report documents as `measure -f json` writes and the whole-report cache stores them (StoredReportTarget.cs).
      local r
      for r in "$REPO/tests/fixtures/out/scratch-busybox/oci" "$SHARED/corpus/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz"; do
        [[ -e "$r" ]] && "$REPO/footprint" measure -q -f json --no-cache -o "$SEEDS/report-$(basename "$r").json" "$r" >/dev/null 2>&1 || true
      done
      printf '{"a":[1,"\u00e9\u202e",{"b":null}],"c":"\u001b"}\n' > "$SEEDS/small.json"
      ;;
    list-file)
      printf '# images to measure\nalpine:3.20\n\n  docker://registry.example:5000/team/app@sha256:%064d  \r\noci:/srv/layouts/app:1\r#x\n/tmp/rootfs.tar.gz' 0 > "$SEEDS/mixed.list"
      printf 'a\rb\r\n\tc\n' > "$SEEDS/line-ends.list"
      ;;
    image-config)
      local n=0
      if [[ -n "$SHARED" ]]; then
        for f in "$SHARED"/corpus/busybox/*/*/amd64/image-config.json; do
          [[ -f "$f" ]] && cp "$f" "$SEEDS/busybox-$((n++)).json"
        done
      fi
      printf '{"architecture":"arm64","variant":"v8","os":"linux","created":"2024-01-01T00:00:00Z","config":{"User":"1000","Entrypoint":["/bin/sh"],"Cmd":["-c","x"],"WorkingDir":"/","ExposedPorts":{"80/tcp":{}}},"rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}' > "$SEEDS/minimal.json"
      ;;
    cache-rows)
      # Real rows of the per-layer cache (CacheRowsTarget.cs): measure small images into a fresh cache (with file
      # digests), then per layer TREE, DIGESTS, NEEDS (first analyzer), CAPTURES, PUSH bodies without their checksums.
      local cache
      cache="$(mktemp -d)"
      for a in "$REPO/tests/fixtures/out/scratch-busybox/oci" "$REPO"/tests/fixtures/out/corpus-busybox/latest/*; do
        [[ -e "$a" ]] || continue
        "$REPO/footprint" sbom --files --cache-dir "$cache" -o /dev/null "$a" >/dev/null 2>&1 || true
        "$REPO/footprint" measure --cache-dir "$cache" -o /dev/null "$a" >/dev/null 2>&1 || true
      done
      python3 - "$cache/layers.db" "$SEEDS" <<'PY'
import sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
sep = b"\xff\xfe\xfd\xfc"
def body(table, layer, extra=""):
    row = c.execute(f"SELECT payload FROM {table} WHERE layer = ? {extra} LIMIT 1", (layer,)).fetchone()
    return bytes(row[0])[32:] if row else b""
for n, (layer,) in enumerate(c.execute("SELECT DISTINCT layer FROM trees").fetchall()):
    parts = [body("trees", layer), body("digests", layer), body("needs", layer, "ORDER BY analyzer"), body("captures", layer), body("pushes", layer)]
    open(f"{out}/layer-{n}", "wb").write(sep.join(parts))
PY
      rm -rf "$cache"
      ;;
  esac
  rm -rf "$tars"
  echo "== $(ls "$SEEDS" | wc -l) seeds in $SEEDS"
}

# --- fuzz ---------------------------------------------------------------------------------------------------------
export AFL_SKIP_BIN_CHECK=1                     # the target is `dotnet`, not an afl-instrumented binary
export AFL_NO_UI=1
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1  # containers rarely let us set core_pattern
export AFL_NO_AFFINITY="${AFL_NO_AFFINITY:-1}"  # shared machine: do not pin a core
export AFL_FORKSRV_INIT_TMOUT=30000             # .NET start-up is slow on a loaded box
export AFL_TESTCACHE_SIZE=50
# The harness runs with a 1 GiB managed heap, so an allocation driven by input sizes surfaces as OutOfMemoryException.
export DOTNET_GCHeapHardLimit=0x40000000
export DOTNET_TieredPGO=0

INPUT_DIR="$SEEDS"
if [[ "${FUZZ_RESUME:-0}" == 1 && -d "$FINDINGS/default/queue" ]]; then
  INPUT_DIR="-"
  echo "== resuming $FINDINGS"
else
  build_seeds
  rm -rf "$FINDINGS"
fi
mkdir -p "$FINDINGS"

echo "== afl-fuzz $TARGET for ${SECONDS_TO_RUN}s (log: $OUT/$TARGET.log)"
set +e
afl-fuzz -i "$INPUT_DIR" -o "$FINDINGS" -t 5000 -m none -V "$SECONDS_TO_RUN" \
  -- dotnet "$BIN/Footprint.Fuzz.dll" "$TARGET" > "$OUT/$TARGET.log" 2>&1
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  echo "afl-fuzz exited with $rc; last lines of $OUT/$TARGET.log:" >&2
  tail -n 30 "$OUT/$TARGET.log" >&2
fi

STATS="$FINDINGS/default/fuzzer_stats"
if [[ ! -f "$STATS" ]]; then
  echo "no fuzzer_stats in $FINDINGS/default" >&2
  exit 1
fi
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$STATS"; }
start="$(stat start_time)"; last="$(stat last_update)"
execs="$(stat execs_done)"
elapsed=$(( last > start ? last - start : 1 ))
paths="$(stat corpus_count)"; [[ -z "$paths" ]] && paths="$(stat paths_total)"
crashes="$(stat saved_crashes)"; [[ -z "$crashes" ]] && crashes="$(stat unique_crashes)"
hangs="$(stat saved_hangs)"; [[ -z "$hangs" ]] && hangs="$(stat unique_hangs)"
echo "== $TARGET results ($STATS)"
echo "run time:       ${elapsed}s"
echo "total execs:    $execs"
echo "execs/sec:      $(awk -v e="$execs" -v s="$elapsed" 'BEGIN { printf "%.1f", e / s }') (AFL's final rate: $(stat execs_per_sec))"
echo "paths (corpus): $paths"
echo "unique crashes: $crashes   ($FINDINGS/default/crashes)"
echo "unique hangs:   $hangs   ($FINDINGS/default/hangs)"
echo "reproduce:      dotnet $BIN/Footprint.Fuzz.dll $TARGET FILE..."
