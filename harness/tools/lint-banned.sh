#!/usr/bin/env bash
# lint-banned.sh: fail on calls to C library functions the house style bans.
#
# Usage: lint-banned.sh [DIR|FILE...]   (default: harness/src)
#
# Every one of these has a bounded or checked replacement, and every one has
# hurt C code that reads hostile input:
#   strcpy strcat          no destination size: one long device string overflows
#                          the buffer. Use snprintf, or memcpy with a checked length.
#   sprintf vsprintf       same, for formatted output. Use snprintf / vsnprintf.
#   gets                   cannot be bounded at all (removed from C11).
#   atoi atol atoll atof   no error report: "12abc", "" and overflow (undefined
#                          behaviour) all give a number. Use strtol/strtoul/strtod
#                          with an end pointer and errno, or a pure parser (base/rd.h).
#   sscanf vsscanf         %d overflow is undefined behaviour, %s is unbounded, and a
#                          partial match passes silently. Parse with base/rd.h.
#   strtok                 hidden static state: not re-entrant, not thread-safe (the
#                          analyzer hashes in a second thread). Use strtok_r.
#
# Exemption, for the rare line that truly needs one: put the comment
#   /* lint-banned: allow <reason> */
# on the same line. The reason is required; say why the input cannot hurt.
#
# Comments, string literals and character literals are ignored, so prose that
# names a banned function does not trip the check.
set -euo pipefail

banned='strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|atof|sscanf|vsscanf|strtok'

[ $# -gt 0 ] || set -- harness/src
mapfile -t files < <(find "$@" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "lint-banned: no C files under $*" >&2; exit 2; }

# awk strips comments and literals (keeping line numbers), then reports
# "file:line: name(): raw line" for each banned call without an exemption.
found=$(awk -v banned="$banned" '
FNR == 1 { incomment = 0 }
{
	raw = $0; code = ""; i = 1; n = length(raw)
	while (i <= n) {
		c = substr(raw, i, 1); c2 = substr(raw, i, 2)
		if (incomment) {
			if (c2 == "*/") { incomment = 0; i += 2 } else i++
			continue
		}
		if (c2 == "/*") { incomment = 1; i += 2; code = code " "; continue }
		if (c2 == "//") break
		if (c == "\"" || c == "\047") {
			q = c; i++
			while (i <= n && substr(raw, i, 1) != q)
				i += substr(raw, i, 1) == "\\" ? 2 : 1
			i++; code = code " \"\" "; continue
		}
		code = code c; i++
	}
	if (raw ~ /lint-banned: allow [^ *]/)
		next
	rest = code
	while (match(rest, "(^|[^A-Za-z0-9_.>])(" banned ")[ \t]*\\(")) {
		name = substr(rest, RSTART, RLENGTH)
		sub(/^[^A-Za-z_]/, "", name); sub(/[ \t]*\($/, "", name)
		printf "%s:%d: %s(): %s\n", FILENAME, FNR, name, raw
		rest = substr(rest, RSTART + RLENGTH)
	}
}' "${files[@]}")

if [ -n "$found" ]; then
	echo "$found"
	echo "lint-banned: banned function calls found (see harness/tools/lint-banned.sh for why" \
		"and what to use instead)" >&2
	exit 1
fi
echo "lint-banned: ${#files[@]} files clean"
