#!/usr/bin/env bash
# bench.sh: run inside the lab (see `make bench`).  The exposure case's TCP sweep
# against nmap on the same reference device, in the same run: trustbench's
# connect() sweep against nmap -sT -p- -T4, its raw SYN sweep against
# nmap -sS -p- -T4; sweep times (until the open ports are known: nmap reads
# no banners, trustbench does), whole-run wall times, their ratios, and
# whether the open ports agree.  Then once at the shipped profile's rate
# limit (BENCH_SHIPPED=0 skips it).
set -euo pipefail
# Work from the repository root whatever the caller's directory, with the
# binary's path made absolute first (the script may change directory).
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
[ -x "$TB" ] || { echo "${0##*/}: no trustbench at $TB (run make first)" >&2; exit 1; }
ADDR=${TB_LAB_LEGACY:-198.18.1.10}
ROUNDS=${BENCH_ROUNDS:-3}
SHIPPED=${BENCH_SHIPPED:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Same device, same declarations; the rate limit is lifted so both tools run
# as fast as the lab allows (the shipped profile is gentler: 5000/s).
# The idle observation windows are switched off: they measure the device, not the sweep.
shipped_rate=$(sed -n 's/^  rate-limit: *\([0-9]*\).*/\1/p' profiles/refdevice-legacy.yaml)
make_profile() { # RATE OUT
  # IPv4 only, like the nmap runs: the IPv6 scope entries (and with them
  # discovery and the IPv6 sweeps) are dropped.
  sed -e "s/^  rate-limit: .*/  rate-limit: $1/" -e 's/^  observe-seconds: .*/  observe-seconds: 0/' \
    -e '/^  scope:/s/, "[0-9a-f:]*\/[0-9]*"//g' \
    -e 's|"\.\./build/|"'"$PWD"'/build/|' profiles/refdevice-legacy.yaml > "$2"
}
make_profile 1000000 "$work/profile.yaml"
make_profile "$shipped_rate" "$work/profile-shipped.yaml"
# The suite as shipped (method auto: raw SYN in the lab, where the harness
# holds CAP_NET_RAW), and a copy whose exposure case asks for connect().
ln -s "$PWD/testsuites/data" "$work/data"
ln -s "$PWD/testsuites/crosswalks" "$work/crosswalks"  # the suite names its crosswalks relative to itself
# Both sweep TCP only and skip the identification probes: nmap -sT and -sS
# do neither (bench-udp.sh times the UDP sweep).
tcp_only() {
  awk '{ print } /family: "exposure"/ { fam = 1 }
       fam && /^ *udp-ports:/ { sub(/udp-ports:.*/, "identify: false"); print; fam = 0 }' |
    sed 's/udp-ports: "1-65535"/udp-ports: "none"/'
}
tcp_only < testsuites/etsi-en-303-645.yaml > "$work/suite-auto.yaml"
awk '{ print } /family: "exposure"/ { fam = 1 }
     fam && /^ *ports:/ { sub(/ports:.*/, "method: \"connect\""); print; fam = 0 }' \
  "$work/suite-auto.yaml" > "$work/suite-connect.yaml"
grep -q 'method: "connect"' "$work/suite-connect.yaml" ||
  { echo "${0##*/}: could not make the connect() suite" >&2; exit 1; }

now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
note() { grep -o "<note label=\"$2\">[^<]*" "$1" | head -1 | sed 's/^<note label="[a-z]*">//'; }

# run_tb NAME SUITE PROFILE: appends "sweep total" to $work/NAME.times.
run_tb() {
  local out="$work/tb-$1" t0 t1
  t0=$(now)
  "$TB" run --quiet --suite "$2" --profile "$3" --out "$out" --force --only 5.6-1-2 >/dev/null 2>&1 || true
  t1=$(now)
  local sweep
  sweep=$(note "$out/report.xml" timing | sed -n 's/^open ports known after \([0-9.]*\) s.*/\1/p')
  echo "${sweep:-nan} $(sub "$t0" "$t1")" >> "$work/$1.times"
  cut -f1 "$out/evidence/5.6-1-2/open-ports.tsv" | sort -n | tr '\n' ' ' > "$work/$1.ports"
  note "$out/report.xml" method > "$work/$1.method"
}

# run_nmap NAME ARGS...: nmap's own elapsed time as the sweep, wall as total.
run_nmap() {
  local name=$1 t0 t1
  shift
  t0=$(now)
  if ! nmap "$@" -p- -T4 -n -Pn -oG "$work/$name.txt" "$ADDR" > "$work/$name.out" 2>&1; then
    echo "nan nan" >> "$work/$name.times"
    return
  fi
  t1=$(now)
  local sweep
  sweep=$(sed -n 's/.*scanned in \([0-9.]*\) seconds.*/\1/p' "$work/$name.txt")
  echo "${sweep:-nan} $(sub "$t0" "$t1")" >> "$work/$name.times"
  grep -o '[0-9]*/open' "$work/$name.txt" | cut -d/ -f1 | sort -n | tr '\n' ' ' > "$work/$name.ports"
}

# stat NAME COLUMN: "min median" of a column of NAME.times.
stat() {
  cut -d' ' -f"$2" "$work/$1.times" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0 || v[1] == "nan") { print "nan nan"; exit }
          m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f\n", v[1], m }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

for i in $(seq 1 "$ROUNDS"); do
  run_tb connect "$work/suite-connect.yaml" "$work/profile.yaml"
  run_nmap nmap-sT -sT
  run_tb raw "$work/suite-auto.yaml" "$work/profile.yaml"
  run_nmap nmap-sS -sS
  printf 'round %d: connect %s, nmap -sT %s, raw %s, nmap -sS %s (sweep total, s)\n' "$i" \
    "$(tail -1 "$work/connect.times")" "$(tail -1 "$work/nmap-sT.times")" \
    "$(tail -1 "$work/raw.times")" "$(tail -1 "$work/nmap-sS.times")"
done

row() { # LABEL NAME
  read -r smin smed < <(stat "$2" 1)
  read -r tmin tmed < <(stat "$2" 2)
  printf '  %-22s sweep %6s / %6s   total %6s / %6s   open: %s\n' "$1" "$smin" "$smed" "$tmin" "$tmed" \
    "$(cat "$work/$2.ports" 2>/dev/null || echo '?')"
}
compare() { # LABEL TB NMAP
  read -r _ s_tb < <(stat "$2" 1)
  read -r _ s_nm < <(stat "$3" 1)
  read -r _ t_tb < <(stat "$2" 2)
  read -r _ t_nm < <(stat "$3" 2)
  local same=DIFFER
  [ -s "$work/$2.ports" ] && cmp -s "$work/$2.ports" "$work/$3.ports" && same=identical
  printf '  %-26s sweep %s, total %s (goal <= 1.0); open ports %s\n' "$1" \
    "$(ratio "$s_tb" "$s_nm")" "$(ratio "$t_tb" "$t_nm")" "$same"
  [ "$same" = identical ]
}

printf '\nexposure (TCP), 65535 ports, rate limit lifted, %d rounds: min / median seconds\n' "$ROUNDS"
printf '(sweep: until the open ports are known; total: the whole run or nmap process, wall clock)\n'
row "trustbench connect()" connect
row "nmap -sT -T4" nmap-sT
row "trustbench raw SYN" raw
row "nmap -sS -T4" nmap-sS
echo "  method (connect): $(cat "$work/connect.method")"
echo "  method (auto):    $(cat "$work/raw.method")"
if grep -q 'nan' "$work/nmap-sS.times"; then
  echo "  nmap -sS could not run here: $(tail -1 "$work/nmap-sS.out")"
fi
echo "ratios of the medians:"
rc=0
compare "connect() / nmap -sT:" connect nmap-sT || rc=1
compare "raw SYN / nmap -sS:" raw nmap-sS || rc=1

if [ "$SHIPPED" = 1 ]; then
  printf '\nat the shipped rate limit (%s probes/s; nmap --max-rate %s), one round\n' "$shipped_rate" "$shipped_rate"
  run_tb connect-shipped "$work/suite-connect.yaml" "$work/profile-shipped.yaml"
  run_nmap nmap-sT-shipped -sT --max-rate "$shipped_rate"
  run_tb raw-shipped "$work/suite-auto.yaml" "$work/profile-shipped.yaml"
  run_nmap nmap-sS-shipped -sS --max-rate "$shipped_rate"
  row "trustbench connect()" connect-shipped
  row "nmap -sT --max-rate" nmap-sT-shipped
  row "trustbench raw SYN" raw-shipped
  row "nmap -sS --max-rate" nmap-sS-shipped
  compare "connect() / nmap -sT:" connect-shipped nmap-sT-shipped || rc=1
  compare "raw SYN / nmap -sS:" raw-shipped nmap-sS-shipped || rc=1
fi
exit "$rc"
