#!/usr/bin/env bash
# bench-udp.sh: run inside the lab (see `make bench`).  The udp-exposure
# sweep against `nmap -sU -sV` over the same UDP ports of the same reference
# device, in the same run: wall times, their ratio (goal: trustbench at most
# a tenth of nmap's time) and whether the answering services agree.
#
# The port list is the first 1024 ports plus the usual ports of the probes
# (BENCH_UDP_PORTS overrides it): nmap -sU over all 65535 ports of a device
# that rate-limits ICMP takes hours.  nmap runs with --defeat-icmp-ratelimit,
# its fastest setting (it then stops waiting out the ICMP limit, as we do).
set -euo pipefail
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
[ -x "$TB" ] || { echo "${0##*/}: no trustbench at $TB (run make first)" >&2; exit 1; }
command -v nmap >/dev/null || { echo "${0##*/}: nmap is not installed" >&2; exit 1; }
ADDR=${TB_LAB_LEGACY:-198.18.1.10}
ROUNDS=${BENCH_UDP_ROUNDS:-1} # nmap -sV on the open services takes minutes a round
PORTS=${BENCH_UDP_PORTS:-1-1024,1900,3478,3702,5353,5355,5683,11211}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Same device, same declarations; the rate limit is lifted so both tools run
# as fast as the lab allows, and the idle observation windows are off.
sed -e 's/^  rate-limit: .*/  rate-limit: 1000000/' -e 's/^  observe-seconds: .*/  observe-seconds: 0/' \
  -e '/^  scope:/s/, "[0-9a-f:]*\/[0-9]*"//g' \
  profiles/refdevice-legacy.yaml > "$work/profile.yaml"
# The suite's udp-exposure case with the bench's port list; every other
# parameter keeps the family's default.
cat > "$work/suite.yaml" <<EOF
suite: { id: "bench-udp", title: "udp-exposure against nmap -sU -sV" }
groups:
  - provision: "5.6-1"
    status: "M"
    title: "Unused network and logical interfaces are disabled"
    cases:
      - id: "5.6-1-3"
        kind: "functional"
        title: "The DUT exposes no UDP service beyond those declared"
        covers: { en-303-645: ["5.6-1"] }
        check: { family: "udp-exposure", params: { ports: "$PORTS" } }
EOF
now() { date +%s.%N; }
best_tb=999999 best_nmap=999999
for i in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  "$TB" run --quiet --suite "$work/suite.yaml" --profile "$work/profile.yaml" \
    --out "$work/tb" --force --only 5.6-1-3 >/dev/null 2>&1 || true
  t1=$(now)
  nmap -sU -sV -p "$PORTS" -n -Pn --defeat-icmp-ratelimit -oG "$work/nmap.txt" "$ADDR" >/dev/null
  t2=$(now)
  tb=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  nm=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
  printf 'round %d: trustbench %.2f s, nmap %.2f s\n' "$i" "$tb" "$nm"
  best_tb=$(awk -v a="$tb" -v b="$best_tb" 'BEGIN { print (a < b ? a : b) }')
  best_nmap=$(awk -v a="$nm" -v b="$best_nmap" 'BEGIN { print (a < b ? a : b) }')
done
tsv=$work/tb/evidence/5.6-1-3/udp-ports.tsv
[ -f "$tsv" ] || { echo "${0##*/}: trustbench wrote no $tsv" >&2; exit 1; }
# Open means answered: nmap's "open|filtered" is our "no-answer".
tb_ports=$(awk -F'\t' '$2 == "open" { print $1 }' "$tsv" | sort -n | tr '\n' ' ')
tb_svcs=$(awk -F'\t' '$2 == "open" { print $1 "/" $3 }' "$tsv" | sort -n | tr '\n' ' ')
nmap_ports=$(grep -o '[0-9]*/open/udp' "$work/nmap.txt" | cut -d/ -f1 | sort -n | tr '\n' ' ')
nmap_svcs=$(grep -o '[0-9]*/open/udp//[^/]*' "$work/nmap.txt" | awk -F/ '{ print $1 "/" $5 }' |
  sort -n | tr '\n' ' ')
printf '\nudp-exposure (ports %s, best of %d)\n' "$PORTS" "$ROUNDS"
printf '  trustbench         %.2f s   open: %s\n' "$best_tb" "$tb_svcs"
printf '  nmap -sU -sV       %.2f s   open: %s\n' "$best_nmap" "$nmap_svcs"
printf '  ratio trustbench/nmap: %.3f (goal <= 0.1)\n' \
  "$(awk -v a="$best_tb" -v b="$best_nmap" 'BEGIN { print a / b }')"
grep -h 'icmp-rate\|ICMP port unreachable' "$work/tb/report.xml" 2>/dev/null | head -1 |
  sed -e 's/<[^>]*>//g' -e 's/^ */  /' || true
if [ "$tb_ports" = "$nmap_ports" ]; then
  echo "  answering services: identical ports"
else
  echo "  answering services: DIFFER"
  exit 1
fi
