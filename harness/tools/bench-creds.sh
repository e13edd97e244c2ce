#!/usr/bin/env bash
# bench-creds.sh: run inside the lab (see `make bench`).  The whole
# credential phase (5.1-1-2) on the legacy reference device against THC
# hydra with the same list on the same interfaces, in the same run: wall
# times, their ratio (goal: trustbench at most hydra's time) and the
# confirmed logins of each (goal: the same ones, and none that is false).
#
# hydra runs one process per interface, all at once (the phase tries its
# interfaces at once too), each with its default task count and -f (stop
# at the first login found, as the phase does).  The phase keeps its
# suite's gentle pacing: one guess at a time per interface, 50 ms apart,
# a negative control first.  hydra has no RTSP Digest or HTTP 301 handling
# worth comparing on confirmations, so the comparison names what each found.
set -euo pipefail
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
[ -x "$TB" ] || { echo "${0##*/}: no trustbench at $TB (run make first)" >&2; exit 1; }
command -v hydra >/dev/null || { echo "${0##*/}: hydra is not installed" >&2; exit 1; }
ADDR=${TB_LAB_LEGACY:-198.18.1.10}
ROUNDS=${BENCH_CREDS_ROUNDS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Same device and declarations, IPv4 only like hydra; the run's rate limit
# is lifted and the idle observation windows are off, so only the phase is
# timed.
sed -e 's/^  rate-limit: .*/  rate-limit: 1000000/' -e 's/^  observe-seconds: .*/  observe-seconds: 0/' \
  -e '/^  scope:/s/, "[0-9a-f:]*\/[0-9]*"//g' \
  profiles/refdevice-legacy.yaml >"$work/profile.yaml"
LIST=testsuites/data/mirai-default-credentials.tsv
awk -F'\t' '!/^#/ && $1 != "username" && NF >= 2 { print $1 ":" $2 }' "$LIST" >"$work/creds.txt"
COMMUNITIES="public private community admin manager default snmp monitor"
printf '%s\n' $COMMUNITIES >"$work/communities.txt"
# hydra's targets: the interfaces the phase finds on the legacy device.
hydra_all() { # out-dir
  local o=$1 pids=()
  mkdir -p "$o"
  run() { # name args...
    local n=$1
    shift
    hydra -f -I -q -o "$o/$n.txt" "$@" >"$o/$n.log" 2>&1 &
    pids+=($!)
  }
  run telnet -C "$work/creds.txt" -s 23 "$ADDR" telnet
  run http -C "$work/creds.txt" -s 80 "$ADDR" http-get /admin
  run https -C "$work/creds.txt" -s 443 -S "$ADDR" http-get /admin
  run ssh -C "$work/creds.txt" -s 2222 -t 4 "$ADDR" ssh
  run mqtt -C "$work/creds.txt" -s 1883 "$ADDR" mqtt
  run ftp -C "$work/creds.txt" -s 21 "$ADDR" ftp
  run rtsp -C "$work/creds.txt" -s 554 "$ADDR" rtsp
  run snmp -P "$work/communities.txt" -s 161 "$ADDR" snmp
  wait "${pids[@]}" || true
}
now() { date +%s.%N; }
best_tb=999999 best_hydra=999999
for i in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  "$TB" run --quiet --suite testsuites/etsi-en-303-645.yaml --profile "$work/profile.yaml" \
    --out "$work/tb" --force --only 5.1-1-2 >/dev/null 2>&1 || true
  t1=$(now)
  rm -rf "$work/hydra"
  hydra_all "$work/hydra"
  t2=$(now)
  tb=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  hy=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
  printf 'round %d: trustbench %.2f s, hydra %.2f s\n' "$i" "$tb" "$hy"
  best_tb=$(awk -v a="$tb" -v b="$best_tb" 'BEGIN { print (a < b ? a : b) }')
  best_hydra=$(awk -v a="$hy" -v b="$best_hydra" 'BEGIN { print (a < b ? a : b) }')
done
reason=$(xmllint --xpath "string(//*[local-name()='result'][@id='5.1-1-2']/*[local-name()='reason'])" \
  "$work/tb/report.xml" 2>/dev/null || true)
took=$(xmllint --xpath "string(//*[local-name()='note'][@label='credential phase'])" \
  "$work/tb/report.xml" 2>/dev/null || true)
printf '\ncredential phase on the legacy device (%s; best of %d)\n' "$ADDR" "$ROUNDS"
printf '  trustbench 5.1-1-2   %.2f s   (%s)\n' "$best_tb" "${took#ran here: }"
printf '  hydra, 8 at once     %.2f s\n' "$best_hydra"
printf '  ratio trustbench/hydra: %.3f (goal <= 1)\n' \
  "$(awk -v a="$best_tb" -v b="$best_hydra" 'BEGIN { print a / b }')"
echo "  trustbench confirmed: ${reason#confirmed login with a well-known default credential: }"
echo "  hydra reported:"
for f in "$work"/hydra/*.txt; do
  grep -h 'host:' "$f" 2>/dev/null | sed -e 's/^/    /' || true
done
for f in "$work"/hydra/*.log; do
  n=$(basename "$f" .log)
  grep -q 'host:' "$work/hydra/$n.txt" 2>/dev/null || echo "    $n: nothing ($(grep -m1 -o 'ERROR.*\|0 valid password[s]* found' "$f" || echo 'no result'))"
done
awk -v a="$best_tb" -v b="$best_hydra" 'BEGIN { exit !(a <= b) }' ||
  { echo "  SLOWER than hydra" >&2; exit 1; }
