#!/usr/bin/env bash
# bench.sh: run inside the lab (see `make bench`).  The tcp-exposure sweep
# against nmap -sT -p- -T4 on the same reference device, in the same run:
# wall times, their ratio, and whether the open ports agree.
set -euo pipefail
# Work from the repository root whatever the caller's directory, with the
# binary's path made absolute first (the script may change directory).
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
[ -x "$TB" ] || { echo "${0##*/}: no trustbench at $TB (run make first)" >&2; exit 1; }
ADDR=${TB_LAB_LEGACY:-198.18.1.10}
ROUNDS=${BENCH_ROUNDS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Same device, same declarations; the rate limit is lifted so both tools run
# as fast as the lab allows (the shipped profile is gentler: 5000/s).
# The idle observation windows are switched off: they measure the device, not the sweep.
sed -e 's/^  rate-limit: .*/  rate-limit: 1000000/' -e 's/^  observe-seconds: .*/  observe-seconds: 0/' \
  profiles/refdevice-legacy.yaml > "$work/profile.yaml"
now() { date +%s.%N; }
best_tb=999 best_nmap=999
for i in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  "$TB" run --quiet --suite testsuites/etsi-en-303-645.yaml --profile "$work/profile.yaml" \
    --out "$work/tb" --force --only 5.6-1-2 >/dev/null 2>&1 || true
  t1=$(now)
  nmap -sT -p- -T4 -n -Pn -oG "$work/nmap.txt" "$ADDR" >/dev/null
  t2=$(now)
  tb=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  nm=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
  printf 'round %d: trustbench %.2f s, nmap %.2f s\n' "$i" "$tb" "$nm"
  best_tb=$(awk -v a="$tb" -v b="$best_tb" 'BEGIN { print (a < b ? a : b) }')
  best_nmap=$(awk -v a="$nm" -v b="$best_nmap" 'BEGIN { print (a < b ? a : b) }')
done
tb_ports=$(cut -f1 "$work/tb/evidence/5.6-1-2/open-ports.tsv" | sort -n | tr '\n' ' ')
nmap_ports=$(grep -o '[0-9]*/open' "$work/nmap.txt" | cut -d/ -f1 | sort -n | tr '\n' ' ')
printf '\ntcp-exposure (65535 ports, best of %d)\n' "$ROUNDS"
printf '  trustbench  %.2f s   open: %s\n' "$best_tb" "$tb_ports"
printf '  nmap -sT    %.2f s   open: %s\n' "$best_nmap" "$nmap_ports"
printf '  ratio trustbench/nmap: %.2f (goal <= 1.0)\n' "$(awk -v a="$best_tb" -v b="$best_nmap" 'BEGIN { print a / b }')"
if [ "$tb_ports" = "$nmap_ports" ]; then echo "  open ports: identical"; else echo "  open ports: DIFFER"; exit 1; fi
