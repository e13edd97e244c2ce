#!/usr/bin/env bash
# firsthour.sh: what a new user meets first (issue 9, section 3): every
# command answers --help, `run --out` creates missing parents, the summary
# is on stdout and the progress on stderr, --only is counted and named in
# the report, and the output of a run started as real root belongs to the
# user who started it (SUDO_UID/SUDO_GID), also when the run is killed.
# Usage: harness/tests/integration/firsthour.sh PATH/TO/trustbench
# Only declaration-judged test cases run: no packet is sent.  Still, the
# script re-runs itself in a private network namespace (as real root:
# `unshare -n`, so the root-ownership tests can run; otherwise
# `unshare -rn`, and those tests are skipped).  Each test prints ok/FAIL;
# the last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if [ -z "${TB_FIRSTHOUR_NS:-}" ]; then
  bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  ns=-rn
  [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null && ns=-n
  TB_FIRSTHOUR_NS=$ns exec unshare "$ns" -- "$here/firsthour.sh" "$bin"
fi
TB=$1
cd "$root"
export TRUSTBENCH_DATADIR=$root
SUITE=testsuites/etsi-en-303-645.yaml
XSD=reports/schema/trustbench-report.xsd
# Judged from the profile's declarations alone: nothing goes on the wire.
CASES=4-1-1,5.3-13-1
work=$(mktemp -d)
[ -n "${TB_KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
. "$here/testlib.sh"
valid() { # name report
  if xmllint --noout --schema "$XSD" "$2" 2>"$work/xsd.err"; then ok "$1: the report validates"
  else bad "$1: the report does not validate: $(head -3 "$work/xsd.err")"; fi
}
# The profile without observation windows, capturing on lo (always there),
# with test-only firmware artefacts of its own (5.3-7-1 stores evidence files).
fixtures/firmware/make-test-firmware.sh "$work/fw" >/dev/null 2>&1 || echo "cannot make test firmware"
chmod -R a+rX "$work/fw" 2>/dev/null
sed -e 's/^  observe-seconds: .*/  observe-seconds: 0/' -e 's/interface: "tb-leg0"/interface: "lo"/' \
  -e "s#\.\./build/test-firmware#$work/fw#g" profiles/refdevice-legacy.yaml >"$work/profile.yaml"
ip link set lo up 2>/dev/null
run_tb() { # out [args...] -> rc; stdout and stderr in $work/LOG.stdout, .stderr
  local out=$1 log
  shift
  log=$work/$(printf '%s' "${out#"$work"/}" | tr / _)
  "$TB" run --suite "$SUITE" --profile "$work/profile.yaml" --out "$out" "$@" \
    >"$log.stdout" 2>"$log.stderr"
  rc=$?
}

echo "# every command answers --help and -h: usage on stdout, exit 0"
for cmd in run validate list analyze firmware sign verify render diff; do
  for h in --help -h; do
    "$TB" $cmd $h >"$work/help.out" 2>"$work/help.err"
    got=$?
    if [ "$got" = 0 ] && grep -q "usage:" "$work/help.out" && grep -q "trustbench $cmd" "$work/help.out" && [ ! -s "$work/help.err" ]; then
      ok "$cmd $h"
    else
      bad "$cmd $h: exit $got, stdout '$(head -c 80 "$work/help.out")', stderr '$(head -c 120 "$work/help.err")'"
    fi
  done
done
"$TB" firmware verify --help >"$work/help.out" 2>&1
expect_eq "firmware verify --help: exit 0" 0 $?
"$TB" analyze --bogus >/dev/null 2>&1
expect_eq "an unknown option is still bad usage (exit 1)" 1 $?

echo "# run --out creates missing parents"
run_tb "$work/new/a/b/c" --only "$CASES"
expect_eq "nested --out: exit 2 (the legacy declarations fail)" 2 "$rc"
valid "nested --out" "$work/new/a/b/c/report.xml"
touch "$work/plain-file"
"$TB" run --suite "$SUITE" --profile "$work/profile.yaml" --out "$work/plain-file/sub/out" \
  --only "$CASES" >/dev/null 2>"$work/under-file.err"
expect_eq "--out under a file: exit 1" 1 $?
if grep -q "plain-file.*not a directory" "$work/under-file.err"; then ok "--out under a file: the message names it"
else bad "--out under a file: message was '$(cat "$work/under-file.err")'"; fi
mkdir -p "$work/ro" && chmod 555 "$work/ro"
"$TB" run --suite "$SUITE" --profile "$work/profile.yaml" --out "$work/ro/x/y" --only "$CASES" \
  >/dev/null 2>"$work/ro.err"
if [ "$(id -u)" = 0 ] && [ "$TB_FIRSTHOUR_NS" = -n ]; then
  : # real root may write anywhere: nothing to refuse
else
  expect_eq "--out in a read-only directory: exit 1" 1 $?
  if [ -z "$(ls -A "$work/ro")" ]; then ok "--out in a read-only directory: nothing created"
  else bad "--out in a read-only directory: left $(ls -A "$work/ro")"; fi
fi
chmod 755 "$work/ro"

echo "# the summary goes to stdout, progress to stderr"
run_tb "$work/sum" --only "$CASES"
S=$work/sum.stdout E=$work/sum.stderr
expect_eq "summary: outcome" "outcome: fail" "$(grep '^outcome:' "$S")"
expect_eq "summary: exit code" "exit-code: 2" "$(grep '^exit-code:' "$S")"
expect_eq "summary: status" "status: complete" "$(grep '^status:' "$S")"
expect_eq "summary: selected" "selected: 2 of 111 test cases (--only)" "$(grep '^selected:' "$S")"
expect_eq "summary: fail count" "fail: 2" "$(grep '^fail:' "$S")"
expect_eq "summary: one failed: line per FAIL" 2 "$(grep -c '^failed: ' "$S")"
expect_eq "summary: report path" "report: $work/sum/report.xml" "$(grep '^report:' "$S")"
expect_eq "summary: nothing else on stdout" 0 "$(grep -cvE '^[a-z-]+: ' "$S")"
expect_eq "progress on stderr, counting the selected cases" 2 "$(grep -c '^\[  [12]/2\] ' "$E")"
expect_eq "no summary on stderr" 0 "$(grep -c '^outcome:' "$E")"
run_tb "$work/quiet" --only "$CASES" --quiet
expect_eq "--quiet: no progress" 0 "$(grep -c '^\[' "$work/quiet.stderr")"
expect_eq "--quiet: the summary stays" "outcome: fail" "$(grep '^outcome:' "$work/quiet.stdout")"

echo "# --only: the report counts and names the selected cases"
R=$work/sum/report.xml
valid "--only" "$R"
expect_eq "--only: total-cases counts the selection" 2 "$(xp "$R" 'string(/*/@total-cases)')"
expect_eq "--only: completed-cases" 2 "$(xp "$R" 'string(/*/@completed-cases)')"
expect_eq "--only: run/@selection" only "$(xp "$R" "string(/*/*[local-name()='run']/@selection)")"
expect_eq "--only: run/@selected-cases" 2 "$(xp "$R" "string(/*/*[local-name()='run']/@selected-cases)")"
expect_eq "--only: run/@suite-cases" 111 "$(xp "$R" "string(/*/*[local-name()='run']/@suite-cases)")"
expect_eq "--only: the selected cases, in suite order" "4-1-1 5.3-13-1" \
  "$(xp "$R" "/*/*[local-name()='run']/*[local-name()='selected']/@case" | grep -o '"[^"]*"' | tr -d '"' | paste -sd' ')"
"$TB" validate "$R" >/dev/null 2>&1
expect_eq "--only: trustbench validate accepts the report" 0 $?

echo "# a run as real root: the output belongs to the invoking user"
if [ "$(id -u)" != 0 ] || [ "$TB_FIRSTHOUR_NS" != -n ] || ! getent passwd nobody >/dev/null; then
  echo "skip (needs real root outside a user namespace, and a user 'nobody')"
else
  U=4242 G=4343
  mkdir -p "$work/mine/junit"
  chown "$U:$G" "$work/mine" "$work/mine/junit"
  SUDO_UID=$U SUDO_GID=$G run_tb "$work/mine/deep/out" --only "$CASES" \
    --junit "$work/mine/junit/j.xml"
  expect_eq "sudo run: exit 2" 2 "$rc"
  D=$work/mine/deep/out
  expect_eq "sudo run: a capture was recorded" recorded \
    "$(xp "$D/report.xml" "string(//*[local-name()='capture']/@status)")"
  case "$(xp "$D/report.xml" "string(//*[local-name()='capture']/@privileges)")" in
    *"dropped to user nobody"*) ok "sudo run: the run itself dropped to nobody" ;;
    *) bad "sudo run: privileges: $(xp "$D/report.xml" "string(//*[local-name()='capture']/@privileges)")" ;;
  esac
  for f in "$work/mine/deep" "$D" "$D/report.xml" "$D/evidence" "$D/evidence/capture.pcap" \
    "$work/mine/junit/j.xml"; do
    expect_eq "sudo run: ${f#"$work"/} belongs to $U:$G" "$U:$G" "$(stat -c %u:%g "$f" 2>&1)"
  done
  expect_eq "sudo run: nothing under --out belongs to anyone else" "" \
    "$(find "$work/mine/deep" \( ! -uid $U -o ! -gid $G \) -printf '%p ')"
  expect_eq "sudo run: no staged JUnit file left" "" "$(ls -A "$D" | grep -i junit)"
  expect_eq "sudo run: the JUnit file is complete" 2 \
    "$(xp "$work/mine/junit/j.xml" "string(/*/@tests)")"
  SUDO_UID=$U SUDO_GID=$G "$TB" validate "$D/report.xml" >/dev/null 2>&1
  expect_eq "sudo run: the report validates" 0 $?

  # A case with evidence files (5.3-7-1), then again with --force over the
  # same directory, which is now the invoker's: the run must still be able
  # to write its evidence there, and everything is handed back again.
  F=$work/mine/fw
  SUDO_UID=$U SUDO_GID=$G run_tb "$F" --only 5.3-7-1
  nfiles=$(xp "$F/report.xml" "count(//*[local-name()='result'][@id='5.3-7-1']//*[local-name()='file'])")
  if [ "${nfiles:-0}" -ge 1 ]; then ok "sudo run: 5.3-7-1 stored $nfiles evidence files"
  else bad "sudo run: 5.3-7-1 stored no evidence file ($(grep -c . "$work/mine_fw.stderr") lines on stderr)"; fi
  SUDO_UID=$U SUDO_GID=$G run_tb "$F" --only 5.3-7-1 --force
  expect_eq "sudo rerun with --force: the same evidence files" "$nfiles" \
    "$(xp "$F/report.xml" "count(//*[local-name()='result'][@id='5.3-7-1']//*[local-name()='file'])")"
  expect_eq "sudo rerun: no evidence that could not be stored" 0 "$(grep -c 'could not store' "$F/report.xml")"
  expect_eq "sudo rerun: nothing belongs to anyone else" "" \
    "$(find "$F" \( ! -uid $U -o ! -gid $G \) -printf '%p ')"

  # Killed with SIGKILL mid-run: the guard still hands everything back.
  sed -e 's/^  observe-seconds: .*/  observe-seconds: 30/' "$work/profile.yaml" >"$work/slow.yaml"
  SUDO_UID=$U SUDO_GID=$G "$TB" run --quiet --suite "$SUITE" --profile "$work/slow.yaml" \
    --out "$work/mine/killed" --only "$CASES" >/dev/null 2>"$work/killed.err" &
  guard=$!
  for _ in $(seq 1 100); do
    [ -e "$work/mine/killed/report.xml" ] && break
    sleep 0.1
  done
  runpid=$(pgrep -P "$guard" | head -1)
  if [ -n "$runpid" ]; then kill -9 "$runpid"; fi
  wait "$guard"
  expect_eq "killed run: the guard exits 3 (partial)" 3 $?
  expect_eq "killed run: the report is partial" partial "$(xp "$work/mine/killed/report.xml" 'string(/*/@status)')"
  expect_eq "killed run: nothing belongs to anyone else" "" \
    "$(find "$work/mine/killed" \( ! -uid $U -o ! -gid $G \) -printf '%p ')"

  # The forged cloud's trusted test CA has a key only root may read: the
  # run reads it before it drops to nobody.  (No cloud listens here, so the
  # case stops at its control channel, once the certificates are made.)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/O=trustbench TEST ONLY/CN=firsthour test CA" -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  chmod 600 "$work/ca.key"
  sed -e "s#\.\./build/lab-cloud/cloud-ca-TEST-ONLY\.pem#$work/ca.pem#" \
    -e "s#\.\./build/lab-cloud/cloud-ca-TEST-ONLY\.key#$work/ca.key#" "$work/profile.yaml" >"$work/ca-profile.yaml"
  SUDO_UID=$U SUDO_GID=$G "$TB" run --quiet --suite "$SUITE" --profile "$work/ca-profile.yaml" \
    --out "$work/mine/cloud" --only 5.5-1-3 >/dev/null 2>&1
  why=$(xp "$work/mine/cloud/report.xml" "string(//*[local-name()='result'][@id='5.5-1-3']/*[local-name()='reason'])")
  case $why in
    *"control channel"*) ok "sudo run: the root-only CA key was read before the drop (the case reached the cloud's control channel)" ;;
    *) bad "sudo run: the root-only CA key: $why" ;;
  esac

  # Without sudo: the caller is root, and so is the output (not nobody).
  run_tb "$work/rootrun" --only "$CASES"
  expect_eq "root run without sudo: output belongs to root" "" \
    "$(find "$work/rootrun" ! -uid 0 -printf '%p ')"

  # A shared directory is never lent to nobody and handed to someone.
  chmod 1777 "$work/mine/junit" && mkdir -p "$work/shared" && chmod 1777 "$work/shared"
  SUDO_UID=$U SUDO_GID=$G run_tb "$work/shared" --only "$CASES" --force
  expect_eq "--out a sticky world-writable directory as root: exit 1" 1 "$rc"
  expect_eq "--out a sticky world-writable directory as root: untouched" "0:0 1777" \
    "$(stat -c '%u:%g %a' "$work/shared")"

  # The hand-back follows no symlink and takes no hard link: a nobody-owned
  # file outside --out stays nobody's even if the run links to it.
  touch "$work/outside" && chown nobody "$work/outside"
  mkdir -p "$work/trap" && ln -s "$work/outside" "$work/trap/link" && ln "$work/outside" "$work/trap/hard"
  chown -h nobody "$work/trap" "$work/trap/link"
  SUDO_UID=$U SUDO_GID=$G run_tb "$work/trap" --only "$CASES"
  expect_eq "hand-back: the file outside is still nobody's" nobody "$(stat -c %U "$work/outside")"
  expect_eq "hand-back: the run's own report is the invoker's" "$U" "$(stat -c %u "$work/trap/report.xml")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
