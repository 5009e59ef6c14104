#!/usr/bin/env bash
# Rebuilds catalog/shipped.json: `footprint catalog add` over the artifacts the tests already open (the shared corpus
# and tests/fixtures/out), in a throw-away catalog, then `catalog export`. Run from anywhere, after the fixtures are
# built (tests/fixtures/build.sh); commit the result. tests/Footprint.Tests/Reports/Catalog/ShippedCatalogTests checks
# that the corpus entries still equal what footprint measures today, so a change of any figure shows up as a failing
# test until this script is run again. FOOTPRINT overrides the program (default: ./footprint).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
footprint=(${FOOTPRINT:-./footprint})
corpus=../shared/corpus
fixtures=tests/fixtures/out
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name|artifact[|world] (paths relative to the repository: that is how the entries record them; a world only where
# the rule of docs/choose.md cannot see it: the TP-Link rootfs is a router's, with no os-release to say so).
artifacts=()
for f in "$corpus"/alpine/alpine-minirootfs-*.tar.gz; do
  base=$(basename "$f" .tar.gz); artifacts+=("alpine-${base#alpine-minirootfs-}|$f")
done
for v in latest/glibc latest/musl latest/uclibc latest-1/glibc latest-1/uclibc; do
  artifacts+=("busybox-${v/\//-}|oci:$fixtures/corpus-busybox/$v")
done
for l in glibc musl uclibc; do artifacts+=("busybox-old-stable-$l|$corpus/busybox/old/stable/$l/busybox.tar.xz"); done
for v in 6.4 9.0 11.0 12.0; do artifacts+=("tinycore-$v-rootfs64|$corpus/tinycore/$v/x86_64/rootfs64.tar.gz"); done
artifacts+=(
  "openwrt-19.07.7-armvirt-64-rootfs|$corpus/openwrt/openwrt-armvirt-64-default-rootfs.tar.gz"
  "openwrt-19.07.7-docker-rootfs|$corpus/openwrt/docker-openwrt-rootfs.tar.gz"
  "openwrt-mr3020-sysupgrade|$corpus/firmware/openwrt/mr3020/openwrt-ar71xx-generic-tl-mr3020-v1-squashfs-sysupgrade.bin"
  "openwrt-wr841n-v9-sysupgrade|$corpus/firmware/openwrt/wr841n-v9/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin"
  "openwrt-wr841n-v9-cc-krack-sysupgrade|$corpus/firmware/openwrt/wr841n-v9-cc-krack/openwrt-ar71xx-generic-tl-wr841n-v9-squashfs-sysupgrade.bin"
  "openwrt-attitude-adjustment-samknows|$corpus/rootfs-exports/wodim+samknows-squashfs.tar.gz"
  "buildroot-2018.08-tp|$corpus/images/buildroot-tp/rootfs.tar"
  "tplink-mt7628-rootfs|$corpus/images/tplink/rootfs.squashfs|embedded"
  "floppinux|$corpus/images/floppinux/floppinux.img"
  "tinycore-4.4-core.gz|$corpus/images/tinycore/core.gz"
  "runtime-tools-busybox-rootfs|$corpus/images/runtime-tools/rootfs-amd64.tar.gz"
  "debian-12-minbase|oci:$fixtures/debian/oci:minbase"
  "debian-12-minbase-two|oci:$fixtures/debian/oci:two"
  "debian-12-nginx|oci:$fixtures/nginx/oci:latest"
  "scratch-busybox|oci:$fixtures/scratch-busybox/oci:latest"
)
for iso in tinycore puppy slitaz slax porteus antix debian-minbase; do
  artifacts+=("live-$iso-layout|$fixtures/live/$iso.iso")
done

for pair in "${artifacts[@]}"; do
  IFS='|' read -r name artifact world <<<"$pair"
  "${footprint[@]}" catalog add --cache-dir "$work" --no-cache --name "$name" ${world:+--world "$world"} "$artifact" >&2
done
"${footprint[@]}" catalog export --cache-dir "$work" catalog/shipped.json
# The program embeds the shipped catalog: make ./footprint rebuild itself on its next run.
rm -f .build/cli/.stamp
echo "catalog/shipped.json: ${#artifacts[@]} entries" >&2
