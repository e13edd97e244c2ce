# cmdlib.sh: what the command-line integration scripts share (sign-verify,
# timestamp, statement); each sources it after setting $tmp, its scratch
# directory:  . "$here/cmdlib.sh"
# The counters, one line per assertion ("ok   - ..." or "FAIL - ..." with the
# command's output indented under a failure); the script ends with
# echo "$pass passed, $fail failed".
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -f "$tmp/out" ] && sed 's/^/       /' "$tmp/out"; }

# expect NAME RC [PATTERN] -- CMD...: CMD exits RC and its output matches PATTERN.
expect() {
  local name=$1 want=$2 pat=$3
  shift 4
  "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    bad "$name (exit $rc, expected $want)"
  elif [ -n "$pat" ] && ! grep -Eq -- "$pat" "$tmp/out"; then
    bad "$name (output lacks /$pat/)"
  else
    ok "$name"
  fi
}

# flip FILE OFFSET: invert the lowest bit of one byte in place.
flip() {
  local b
  b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf %03o $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
