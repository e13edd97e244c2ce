# testlib.sh: what the integration scripts share; each sources it after
# setting $here (its own directory):  . "$here/testlib.sh"
# The counters, one line per assertion ("ok   ..." or "FAIL ..."), and the
# script ends with  echo "$passed passed, $failed failed".
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
expect_eq() { # name expected actual
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
expect_in() { # name needle haystack
  case "$3" in *"$2"*) ok "$1" ;; *) bad "$1: no '$2' in '$3'" ;; esac
}
xp() { # file xpath: its value, "" when there is none
  xmllint --xpath "$2" "$1" 2>/dev/null || true
}
