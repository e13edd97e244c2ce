#!/usr/bin/env bash
# bench-tls.sh: run inside the lab (see `make bench-tls`).  One TLS endpoint
# of the legacy reference device (443) assessed by trustbench's tls check and
# by testssl.sh (protocols + standard cipher categories) in the same run:
# wall times, their ratio, and whether both agree on the accepted protocol
# versions and on the broken cipher categories (NULL, aNULL, EXPORT, LOW,
# 3DES/IDEA).
set -euo pipefail
# Work from the repository root whatever the caller's directory, with the
# binary's path made absolute first (the script may change directory).
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
[ -x "$TB" ] || { echo "${0##*/}: no trustbench at $TB (run make first)" >&2; exit 1; }
ADDR=${TB_LAB_LEGACY:-198.18.1.10}
PORT=443
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }

# One endpoint only: no declared TLS services, the suite's ports set to 443.
# The run's idle observation windows (lab.observe-seconds) and IPv6
# discovery (the IPv6 scope entries) are switched off: they are not part of
# a TLS assessment.
sed -e 's/, tls: true//' -e 's/^  rate-limit: .*/  rate-limit: 1000000/' \
  -e '/^  scope:/s/, "[0-9a-f:]*\/[0-9]*"//g' \
  -e 's/^  observe-seconds: .*/  observe-seconds: 0/' \
  profiles/refdevice-legacy.yaml > "$work/profile.yaml"
sed "s/ports: \[443, 8883\]/ports: [$PORT]/" testsuites/etsi-en-303-645.yaml > "$work/suite.yaml"
# The suite's cases name their data files relative to the suite, and every
# case is prepared when the suite loads: bring the data along.
ln -s "$PWD/testsuites/data" "$work/data"
ln -s "$PWD/testsuites/crosswalks" "$work/crosswalks"  # the suite names its crosswalks relative to itself

t0=$(now)
"$TB" run --quiet --suite "$work/suite.yaml" --profile "$work/profile.yaml" --out "$work/tb" \
  --force --only 5.5-1-2 >/dev/null 2>&1 || true
t1=$(now)
testssl --quiet --color 0 --warnings off --nodns min -p -s --jsonfile "$work/testssl.json" \
  "$ADDR:$PORT" >"$work/testssl.out" 2>&1 || true
t2=$(now)

notes=$(xmllint --xpath "//*[local-name()='result'][@id='5.5-1-2']//*[local-name()='note']/text()" \
  "$work/tb/report.xml" 2>/dev/null || true)
[ -n "$notes" ] || { echo "bench-tls: trustbench produced no TLS evidence" >&2; exit 1; }
tb_versions=$(grep -o 'TLS 1\.[0-3] accepted' <<<"$notes" | cut -d' ' -f2 | sort -u | tr '\n' ' ')
tb_broken_suites=$(grep -o 'suite [A-Za-z0-9_-]* (broken) accepted' <<<"$notes" | cut -d' ' -f2 | sort -u)
cat_of() { # OpenSSL suite name -> testssl category
  case $1 in
    ADH-*|AECDH-*) echo aNULL ;;
    *NULL*) echo NULL ;;
    EXP*) echo EXPORT ;;
    *DES-CBC3*|*3DES*|*IDEA*) echo 3DES_IDEA ;;
    *RC4*|*RC2*|*DES-CBC-*|DES-CBC*) echo LOW ;;
    *) echo OTHER ;;
  esac
}
tb_cats=$(for s in $tb_broken_suites; do cat_of "$s"; done | sort -u | tr '\n' ' ')

# testssl JSON: one object per finding, "id" and "finding" on their own lines.
ts_get() { # id -> finding (the first "finding" after that id)
  awk -v id="\"$1\"" '$1 == "\"id\"" { hit = ($3 == id || $3 == id ",") }
    hit && $1 == "\"finding\"" { sub(/^[^:]*: *"/, ""); sub(/",?$/, ""); print; exit }' \
    "$work/testssl.json"
}
ts_versions=""
for v in TLS1:1.0 TLS1_1:1.1 TLS1_2:1.2 TLS1_3:1.3; do
  f=$(ts_get "${v%%:*}")
  case $f in offered*) ts_versions+="${v#*:} " ;; esac
done
ts_cats=""
for c in aNULL NULL EXPORT 3DES_IDEA LOW; do
  f=$(ts_get "cipherlist_$c")
  case $f in offered*) ts_cats+="$c " ;; esac
done
ts_cats=$(tr ' ' '\n' <<<"$ts_cats" | sed '/^$/d' | sort -u | tr '\n' ' ')

tb=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
ts=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
printf '\ntls: %s:%s (legacy reference device)\n' "$ADDR" "$PORT"
printf '  trustbench   %6.2f s   versions: %s  broken: %s\n' "$tb" "$tb_versions" "$tb_cats"
printf '  testssl.sh   %6.2f s   versions: %s  broken: %s\n' "$ts" "$ts_versions" "$ts_cats"
printf '  speed-up testssl/trustbench: %.1fx (goal >= 10)\n' "$(awk -v a="$ts" -v b="$tb" 'BEGIN { print a / b }')"
rc=0
if [ "$tb_versions" = "$ts_versions" ]; then echo "  protocol versions: identical"; else echo "  protocol versions: DIFFER"; rc=1; fi
if [ "$tb_cats" = "$ts_cats" ]; then echo "  broken cipher categories: identical"; else echo "  broken cipher categories: DIFFER"; rc=1; fi
[ "$rc" -eq 0 ] || { echo "--- testssl output"; tail -40 "$work/testssl.out"; }
exit "$rc"
