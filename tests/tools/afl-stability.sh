#!/bin/bash
# tests/tools/afl-stability.sh BUILD: AFL++ sees every input take the same
# edges each time it runs (stability 100%, no variable bytes), on ref and on
# pkvm: every input starts from the same machine (fuzz_machine_init()), and
# the infrastructure whose path depends on earlier inputs is left
# uninstrumented (fuzz/afl-denylist). AFL++'s calibration runs each seed
# several times in one persistent process; 10 s of fuzzing the version
# target from its seeds, with our mutator, as make fuzz runs it.
set -u
cd "$(dirname "$0")/../.."
build=$1
mkdir -p "$build"
make --no-print-directory BUILD="$build" "$build/afl/version" "$build/afl/mutator.so" > "$build/afl-stability.log" 2>&1 ||
	{ tail -5 "$build/afl-stability.log"; echo "afl-stability: FAIL: $build/afl/version does not build"; exit 1; }
failed=0
for backend in ref pkvm; do
	out=$(mktemp -d)
	env FFA_EMU_MEDIATOR=$backend FFA_EMU_SUPPRESS=$([ $backend = pkvm ] && echo corpus/known/pkvm/suppressions) \
		AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
		AFL_CUSTOM_MUTATOR_LIBRARY="$(realpath "$build/afl/mutator.so")" FFA_FUZZ_TARGET=version \
		afl-fuzz -i corpus/version -o "$out" -V 10 -- "$build/afl/version" > "$out.log" 2>&1
	stability=$(awk -F' *: *' '$1 == "stability" { print $2 }' "$out/default/fuzzer_stats" 2>/dev/null)
	var=$(awk -F' *: *' '$1 == "var_byte_count" { print $2 }' "$out/default/fuzzer_stats" 2>/dev/null)
	if [ "${stability:-}" = "100.00%" ] && [ "${var:-}" = 0 ]; then
		echo "afl-stability: $backend: stability $stability, no variable bytes"
	else
		echo "afl-stability: FAIL: $backend: stability '${stability:-none}', ${var:-?} variable bytes (AFL++'s log: $out.log)"
		failed=1
	fi
	rm -rf "$out"
done
exit $failed
