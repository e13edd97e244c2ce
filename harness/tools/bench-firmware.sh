#!/usr/bin/env bash
# bench-firmware.sh TRUSTBENCH: verify a 1 GiB update image with trustbench
# (manifest + ECDSA P-256 signature, image hashed in one streaming pass) and
# with `openssl dgst -sha256 -verify` (ECDSA P-256 over the image) in the
# same run: best-of wall times, their ratio and trustbench's peak memory.
# The image and the test-only key live in a temporary directory in /tmp and
# are deleted afterwards.
set -euo pipefail
# Work from the repository root whatever the caller's directory, with the
# binary's path made absolute first (the script may change directory).
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
[ -x "$TB" ] || { echo "bench-firmware: no trustbench at $TB (run make first)" >&2; exit 1; }
ROUNDS=${BENCH_ROUNDS:-3}
SIZE_MIB=${BENCH_FW_MIB:-1024}
work=$(mktemp -d /tmp/tb-bench-fw.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out test-only.key 2>/dev/null
openssl pkey -in test-only.key -pubout -out test-only.pub.pem 2>/dev/null
dd if=/dev/zero of=image.bin bs=1M count="$SIZE_MIB" status=none
printf 'trustbench-firmware-manifest: 1\nversion: 9.0.0\nimage-sha256: %s\nimage-size: %s\n' \
	"$(sha256sum image.bin | cut -d' ' -f1)" "$(stat -c %s image.bin)" >image.manifest
openssl dgst -sha256 -sign test-only.key -out manifest.sig image.manifest
openssl dgst -sha256 -sign test-only.key -out image.sig image.bin
cat >profile.yaml <<EOP
profile: { id: "bench-firmware" }
dut: { manufacturer: "Bench", model: "FW", firmware: "1.0.0", serial: "B-1", address: "198.18.1.10" }
lab: { scope: ["198.18.1.10/32"], interface: "tb-leg0", intrusive: false }
declarations:
  update: { trust-anchor: "test-only.pub.pem", delivery: "https", update-url: "https://updates.bench.invalid/" }
EOP
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
best_tb=999 best_os=999 peak=0
for i in $(seq 1 "$ROUNDS"); do
	/usr/bin/time -v "$TB" firmware verify image.bin --profile profile.yaml --sig manifest.sig \
		--manifest image.manifest >tb.out 2>tb.time || { cat tb.out; exit 1; }
	/usr/bin/time -v openssl dgst -sha256 -verify test-only.pub.pem -signature image.sig image.bin \
		>os.out 2>os.time
	grep -q '^Verified OK' os.out || { cat os.out; exit 1; }
	tb=$(wall tb.time) os=$(wall os.time) r=$(rss tb.time)
	printf 'round %d: trustbench %.2f s (%d KiB peak), openssl %.2f s\n' "$i" "$tb" "$r" "$os"
	best_tb=$(awk -v a="$tb" -v b="$best_tb" 'BEGIN { print (a < b ? a : b) }')
	best_os=$(awk -v a="$os" -v b="$best_os" 'BEGIN { print (a < b ? a : b) }')
	peak=$((r > peak ? r : peak))
done
grep -q '^verdict *pass' tb.out || { cat tb.out; exit 1; }
printf '\nfirmware verify, %d MiB image (best of %d)\n' "$SIZE_MIB" "$ROUNDS"
printf '  trustbench firmware verify  %.2f s, peak RSS %.1f MiB (goal < 16 MiB)\n' "$best_tb" \
	"$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
printf '  openssl dgst -sha256 -verify %.2f s\n' "$best_os"
printf '  ratio trustbench/openssl: %.2f (goal <= 1.1)\n' \
	"$(awk -v a="$best_tb" -v b="$best_os" 'BEGIN { print (b > 0 ? a / b : 0) }')"
