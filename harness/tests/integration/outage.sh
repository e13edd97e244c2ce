#!/usr/bin/env bash
# outage.sh: does the device survive a lost link and reconnect politely
# (5.9-1/2/3, issue 15 item 2)?  The outage case on the reference devices:
# legacy hammers the cloud while it is cut (FAIL on the peak rate and on
# intervals that do not grow); hardened backs off 1-2-4-8 s and comes back
# (PASS); hostile never calls home (INCONCLUSIVE, nothing cut); without
# intrusive consent, or without lab.uplink, nothing is cut (INCONCLUSIVE); a
# run killed mid-outage leaves the link up (the link keeper restores it).
# After every run tb-cld0 is up again.  Runs inside the lab:
#   fixtures/lab/lab.sh run --refdevice build/refdevice -- \
#     harness/tests/integration/outage.sh build/trustbench
# Each test prints ok/FAIL; the last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/testlib.sh"
TB=$1
SUITE=$here/data/outage.yaml
XSD=reports/schema/trustbench-report.xsd
CASE=5.9-3-2
UPLINK=${TB_LAB_CLOUD_IF:-tb-cld0}
work=$(mktemp -d)
# TB_KEEP_WORK=1 keeps the reports (the path is printed at the end).
trap 'ip link set "$UPLINK" up 2>/dev/null
  if [ -n "${TB_KEEP_WORK:-}" ]; then echo "work kept in $work"; else rm -rf "$work"; fi' EXIT

res() { echo "//*[local-name()='result'][@id='$CASE']"; }
verdict() { xp "$1" "string($(res)/@verdict)"; }
reason() { xp "$1" "string($(res)/*[local-name()='reason'])"; }
valid() { # report
  if xmllint --noout --schema "$XSD" "$1" 2>"$work/xsd.err"; then ok "${1#"$work"/} validates against the XSD"
  else bad "$1 does not validate: $(head -3 "$work/xsd.err")"; fi
}
link_state() { # UP or DOWN, from the interface's flags
  if ip -o link show "$UPLINK" 2>/dev/null | grep -q '<[^>]*\bUP\b'; then echo UP; else echo DOWN; fi
}
link_up_after() { expect_eq "$1: $UPLINK is up afterwards" UP "$(link_state)"; }
# run NAME PROFILE: the outage case alone; the exit code is echoed.
run() {
  local s e
  s=$(date +%s)
  "$TB" run --quiet --suite "$SUITE" --profile "$2" --out "$work/$1" --only "$CASE" \
    >"$work/$1.out" 2>"$work/$1.log"
  e=$?
  echo "  ($1: $(($(date +%s) - s)) s)" >&2
  echo $e
}
# Did the case cut the link?  The timeline has the "uplink cut" span then.
cut_span() { xp "$1" "count($(res)//*[local-name()='timeline']/*[local-name()='span'][@what='uplink cut'])"; }

if ! ip link show "$UPLINK" >/dev/null 2>&1; then
  bad "no $UPLINK in this lab: run inside fixtures/lab/lab.sh with the lab cloud"
  echo "$passed passed, $failed failed"
  exit 1
fi
expect_eq "$UPLINK is up before the tests" UP "$(link_state)"

# Derived profiles live in $work/profiles; their "../build/..." paths resolve
# through a link to this tree's build directory.
mkdir -p "$work/profiles" && ln -s "$PWD/build" "$work/build"

# 1. No consent: INCONCLUSIVE, nothing cut, not one connection.
sed 's/^\(  intrusive:\) true/\1 false/' profiles/refdevice-legacy.yaml >"$work/profiles/noconsent.yaml"
expect_eq "no consent: exit 3" 3 "$(run noconsent "$work/profiles/noconsent.yaml")"
R=$work/noconsent/report.xml
expect_eq "no consent: $CASE inconclusive" inconclusive "$(verdict "$R")"
expect_in "no consent: the reason names the missing consent" "lab.intrusive: false" "$(reason "$R")"
expect_eq "no consent: nothing cut" 0 "$(cut_span "$R")"
expect_eq "no consent: no connection made" 0 "$(xp "$R" "string(//*[local-name()='lab']/@connections)")"
link_up_after "no consent"

# 2. No lab.uplink in the profile: INCONCLUSIVE with the reason, nothing cut.
grep -v '^  uplink:' profiles/refdevice-legacy.yaml >"$work/profiles/nouplink.yaml"
expect_eq "no uplink: exit 3" 3 "$(run nouplink "$work/profiles/nouplink.yaml")"
R=$work/nouplink/report.xml
expect_eq "no uplink: $CASE inconclusive" inconclusive "$(verdict "$R")"
expect_in "no uplink: the reason says so" "no lab.uplink.interface" "$(reason "$R")"
expect_eq "no uplink: nothing cut" 0 "$(cut_span "$R")"
link_up_after "no uplink"

# 3. Hostile never calls home: INCONCLUSIVE before anything is cut.
expect_eq "hostile: exit 3" 3 "$(run hostile profiles/refdevice-hostile.yaml)"
R=$work/hostile/report.xml
valid "$R"
expect_eq "hostile: $CASE inconclusive" inconclusive "$(verdict "$R")"
expect_in "hostile: never calls home" "never calls home" "$(reason "$R")"
expect_eq "hostile: nothing cut" 0 "$(cut_span "$R")"
link_up_after "hostile"

# 4. Legacy hammers the cut cloud: FAIL on the peak rate and on growth.
expect_eq "legacy: exit 2" 2 "$(run legacy profiles/refdevice-legacy.yaml)"
R=$work/legacy/report.xml
valid "$R"
expect_eq "legacy: $CASE fail" fail "$(verdict "$R")"
why=$(reason "$R")
expect_in "legacy: the peak rate broke the rule" "attempts/s to tcp/" "$why"
expect_in "legacy: ... against the default rule" "rule: at most 1/s" "$why"
expect_in "legacy: the intervals do not grow" "do not grow" "$why"
rate=$(sed -n 's/.*peak \([0-9.]*\) attempts\/s.*/\1/p' <<<"$why" | head -1)
if awk -v r="${rate:-0}" 'BEGIN { exit !(r >= 3) }'; then ok "legacy: hammers at ${rate}/s (about 5 expected)"
else bad "legacy: peak rate '${rate}' below 3/s"; fi
expect_eq "legacy: the timeline has the cut" 1 "$(cut_span "$R")"
n=$(xp "$R" "count($(res)//*[local-name()='timeline']/*[local-name()='event'][@kind='attempt'])")
if [ "${n:-0}" -ge 30 ]; then ok "legacy: $n attempts on the timeline"; else bad "legacy: only '${n}' attempts on the timeline"; fi
expect_eq "legacy: probes on the timeline" true "$(xp "$R" "boolean($(res)//*[local-name()='event'][@kind='probe-ok'])")"
f=$(xp "$R" "string($(res)//*[local-name()='file'][contains(@path,'outage-attempts.tsv')]/@path)")
if [ -n "$f" ] && grep -q $'\toutage\tattempt\t' "$work/legacy/$f"; then ok "legacy: the attempt list is evidence ($f)"
else bad "legacy: no attempt list ($f)"; fi
link_up_after "legacy"

# 5. Hardened backs off and comes back: PASS.
expect_eq "hardened: exit 0" 0 "$(run hardened profiles/refdevice-hardened.yaml)"
R=$work/hardened/report.xml
valid "$R"
expect_eq "hardened: $CASE pass" pass "$(verdict "$R")"
why=$(reason "$R")
expect_in "hardened: every rule met" "every rule met" "$why"
expect_in "hardened: the intervals grow" "grow (first" "$why"
expect_in "hardened: reconnected" "reconnected" "$why"
expect_in "hardened: local services answered" "answered all" "$why"
expect_in "hardened: back in its declared state (its services answer after the recovery)" "back in its declared state" "$why"
expect_eq "hardened: the timeline has the cut" 1 "$(cut_span "$R")"
expect_eq "hardened: a connection after the restore" true \
  "$(xp "$R" "boolean($(res)//*[local-name()='event'][@kind='connected'])")"
link_up_after "hardened"

# 6. A run killed mid-outage: the link keeper puts the link back.
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$work/killed" \
  --only "$CASE" >"$work/killed.out" 2>&1 &
tb=$!
down=0
for _ in $(seq 1 200); do # up to 20 s for the baseline to end and the cut to come
  if [ "$(link_state)" = DOWN ]; then down=1; break; fi
  sleep 0.1
done
expect_eq "killed: the link was cut" 1 "$down"
kill -KILL "$tb" 2>/dev/null
wait "$tb" 2>/dev/null
up=0
for _ in $(seq 1 30); do
  if [ "$(link_state)" = UP ]; then up=1; break; fi
  sleep 0.1
done
expect_eq "killed: $UPLINK is up within 3 s of the harness's death" 1 "$up"
left=1
for _ in $(seq 1 30); do # the keeper and the capture writer follow the harness
  if ! pgrep -f "run .*--out $work/killed" >/dev/null; then left=0; break; fi
  sleep 0.1
done
if [ "$left" = 0 ]; then ok "killed: no process of the run is left"
else bad "killed: a process of the run is left: $(pgrep -af "run .*--out $work/killed" | head -3)"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
