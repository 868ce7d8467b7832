#!/bin/bash
# tests/tools/fuzz-sync.sh BUILD: make fuzz on several machines through one sync directory
# (tools/fuzz-run, FFA_EMU_SYNC), as two local instances: "alpha" (the sync's main) and,
# 8 s later, "beta", each fuzzing the version target for 20 s on 2 jobs. Checks that they
# show each other's inputs: beta's AFL++ instance imported alpha's queue (entries named
# sync:alpha-main), and alpha's libFuzzer reloaded the shared corpus with beta's inputs in
# it (a RELOAD line: libFuzzer prints it only for inputs another process wrote); that each
# machine's report lists both machines' AFL++ instances and the shared corpus; and that a
# machine name that is not a plain word is refused with exit status 2. Prints each check;
# exit status 0 when all hold, 1 otherwise.
set -u
cd "$(dirname "$0")/../.." || exit 2
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: tests/tools/fuzz-sync.sh BUILD" >&2; exit 2; }
build=$1
make --no-print-directory BUILD="$build" "$build/fuzz/version" "$build/afl/version" "$build/afl/mutator.so" \
	> "$build/fuzz-sync.log" 2>&1 || { tail -5 "$build/fuzz-sync.log"; echo "FAILED: the fuzzers do not build"; exit 1; }
sync=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-sync.XXXXXX") || exit 2
trap 'rm -rf "$sync" "$build/fuzz-alpha" "$build/fuzz-beta"' EXIT INT TERM
rm -rf "$build/fuzz-alpha" "$build/fuzz-beta"
failed=""
fail() { echo "FAILED: $*"; failed="$failed
  $*"; }
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
FFA_EMU_SYNC=$sync FFA_EMU_MACHINE=alpha FFA_EMU_SYNC_MAIN=1 tools/fuzz-run "$build" 20 2 version \
	> "$sync/alpha.log" 2>&1 &
alpha=$!
sleep 8
FFA_EMU_SYNC=$sync FFA_EMU_MACHINE=beta tools/fuzz-run "$build" 20 2 version > "$sync/beta.log" 2>&1
wait "$alpha"

imported=$(ls "$sync/ref/afl/version/beta-main/queue" 2>/dev/null | grep -c 'sync:alpha-main')
[ "$imported" -gt 0 ] && echo "ok: beta's AFL++ imported $imported of alpha's inputs" ||
	fail "beta's AFL++ imported none of alpha's inputs ($sync/ref/afl/version/beta-main/queue)"
reloads=$(grep -cw 'RELOAD' "$build/fuzz-alpha/logs/version/fuzz-0.log" 2>/dev/null)
[ "${reloads:-0}" -gt 0 ] && echo "ok: alpha's libFuzzer reloaded the shared corpus with beta's inputs ($reloads times)" ||
	fail "alpha's libFuzzer never reloaded inputs from the shared corpus"
for m in alpha beta; do
	r=$build/fuzz-$m/report.md
	if grep -q '| version | AFL++ alpha-main |' "$r" && grep -q '| version | AFL++ beta-main |' "$r" &&
	   grep -q '| version | libFuzzer, every machine |' "$r"; then
		echo "ok: $m's report lists both machines' instances and the shared corpus"
	else
		fail "$m's report does not list the whole sync directory ($r)"
	fi
done
out=$(FFA_EMU_SYNC=$sync FFA_EMU_MACHINE='a b' tools/fuzz-run "$build" 20 2 version 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "MACHINE='a b'" && echo "ok: a machine name with a space is refused, exit 2" ||
	fail "MACHINE='a b': exit $rc ($out)"

if [ -n "$failed" ]; then
	echo "tests/tools/fuzz-sync.sh: failed:$failed"
	exit 1
fi
echo "tests/tools/fuzz-sync.sh: every check holds"
