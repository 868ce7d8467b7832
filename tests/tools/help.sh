#!/bin/bash
# tests/tools/help.sh BUILD: every tool in tools/ answers --help with its
# manual and exit status 0, and an unknown option with a message naming it
# and exit status 2 (tools/usage.sh); a tool taking fuzz targets names an
# unknown one, exit status 2.
set -u
cd "$(dirname "$0")/../.."
failed=0
fail() { echo "help: FAIL: $*"; failed=1; }
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
tools=0
for t in tools/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	tools=$((tools + 1))
	"$t" --help > "$out" 2> "$err"; status=$?
	[ $status = 0 ] || fail "$t --help: exit status $status, not 0 ($(head -1 "$err"))"
	[ "$(wc -l < "$out")" -ge 2 ] || fail "$t --help: no manual on stdout"
	"$t" --no-such-option > "$out" 2> "$err" < /dev/null; status=$?
	[ $status = 2 ] || fail "$t --no-such-option: exit status $status, not 2"
	grep -q -- "--no-such-option" "$err" || fail "$t --no-such-option: the message does not name it"
done
for t in regress fuzz-triage; do
	tools/$t "$1" no-such-target > "$out" 2> "$err"; status=$?
	[ $status = 2 ] && grep -q "no-such-target" "$err" || fail "tools/$t with an unknown target: exit $status, '$(head -1 "$err")'"
done
[ $failed = 0 ] && echo "help: $tools tools answer --help (exit 0) and an unknown option (exit 2, named)"
exit $failed
