#!/bin/bash
# tests/tools/oss-fuzz.sh BUILD: the OSS-Fuzz and ClusterFuzzLite build, as make test runs it
# (images cannot be pulled here). oss-fuzz/build.sh runs outside Docker three times, with
# the environment OSS-Fuzz's base-builder sets for a libFuzzer+ASan build, an AFL++ (ASan)
# build and a coverage build (CC, CXX, CFLAGS, LIB_FUZZING_ENGINE, SANITIZER,
# FUZZING_ENGINE, OUT, WORK); each run must write, per target T and backend (T, T_pkvm),
# the binary, T_seed_corpus.zip, T.dict and T.options (naming the dictionary), and every
# binary must run its seed corpus, unzipped, clean (exit 0, no sanitizer report, no oracle
# rule broken: the _pkvm ones on Linux's proxy with its masks from ffa-emu-known/). The
# AFL++ build's ffa_afl_mutator.so must run under afl-fuzz. And every file the two
# Dockerfiles COPY must exist. The kernel tree is the one make test extracted
# (BUILD/kernel/tree). Prints each check; exit status 0 when all hold, 1 otherwise.
set -u
cd "$(dirname "$0")/../.." || exit 2
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: tests/tools/oss-fuzz.sh BUILD" >&2; exit 2; }
build=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oss-fuzz-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=""
fail() { echo "FAILED: $*"; failed="$failed
  $*"; }
export KERNEL_SRC
KERNEL_SRC=$(cat "$build/kernel/tree" 2>/dev/null) || { echo "FAILED: no kernel tree in $build (make test first)"; exit 1; }
targets=$(make --no-print-directory -s print-fuzz-targets)
cc -std=c11 -O2 tools/seed-zip.c -o "$tmp/seed-zip" || { echo "FAILED: tools/seed-zip.c does not build"; exit 1; }
common="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
asan="-fsanitize=address -fsanitize-address-use-after-scope"

# config NAME ENGINE SANITIZER CC CXX CFLAGS LIB_FUZZING_ENGINE: build.sh as OSS-Fuzz runs it.
config() {
	local name=$1 out=$tmp/$1/out
	mkdir -p "$out" "$tmp/$name/work"
	if env -u CFLAGS OUT="$out" WORK="$tmp/$name/work" SRC="$tmp/$name" FUZZING_ENGINE=$2 SANITIZER=$3 \
		CC="$4" CXX="$5" CFLAGS="$6" CXXFLAGS="$6" LIB_FUZZING_ENGINE="$7" \
		oss-fuzz/build.sh > "$tmp/$name/build.log" 2>&1; then
		echo "ok: $name: build.sh: $(tail -1 "$tmp/$name/build.log")"
	else
		fail "$name: build.sh failed ($(grep -m1 -E 'error|Error' "$tmp/$name/build.log"))"
		return 1
	fi
	for t in $targets; do
		for b in "" _pkvm; do
			for f in "$t$b" "$t${b}_seed_corpus.zip" "$t$b.dict" "$t$b.options"; do
				[ -s "$out/$f" ] || fail "$name: $out/$f missing"
			done
			grep -qxF "dict = $t$b.dict" "$out/$t$b.options" || fail "$name: $t$b.options does not name $t$b.dict"
		done
	done
}

# run_seeds NAME HOW: every binary of config NAME over its seeds; HOW is libfuzzer or afl.
run_seeds() {
	local name=$1 out=$tmp/$1/out t b seeds log n=0 distinct
	for t in $targets; do
		for b in "" _pkvm; do
			seeds=$tmp/$name/seeds-$t$b; log=$tmp/$name/run-$t$b.log
			mkdir -p "$seeds" && "$tmp/seed-zip" -x "$out/$t${b}_seed_corpus.zip" "$seeds" ||
				fail "$name: $t${b}_seed_corpus.zip does not extract"
			# One file per distinct seed (named by its SHA-1: two seeds alike are one).
			distinct=$(cat corpus/"$t"/* > /dev/null && sha1sum corpus/"$t"/* | cut -d' ' -f1 | sort -u | wc -l)
			[ "$(ls "$seeds" | wc -l)" -eq "$distinct" ] ||
				fail "$name: $t${b}_seed_corpus.zip holds $(ls "$seeds" | wc -l) seeds, corpus/$t $distinct distinct"
			if [ "$2" = afl ]; then # libAFLDriver runs the files it is given, one by one
				(cd "$out" && timeout 300 "./$t$b" "$seeds"/*) > "$log" 2>&1
			else
				(cd "$out" && timeout 300 "./$t$b" -runs=0 "$seeds") > "$log" 2>&1
			fi
			if [ $? -ne 0 ] || grep -qE 'ERROR: |runtime error|ffa-emu (oracle|backend):' "$log"; then
				fail "$name: $t$b over its $(ls "$seeds" | wc -l) seeds: $(grep -m1 -E 'ERROR|runtime error|ffa-emu' "$log")"
			else
				n=$((n + 1))
			fi
		done
	done
	echo "ok: $name: $n binaries ran their seed corpora clean"
}

echo "-- libFuzzer + ASan"
config libfuzzer-address libfuzzer address clang-14 clang++-14 "$common $asan -fsanitize=fuzzer-no-link" \
	-fsanitize=fuzzer && run_seeds libfuzzer-address libfuzzer
# The binaries find their backend and masks from their name and directory, whatever the cwd.
for t in seq client; do
	log=$tmp/libfuzzer-address/run-${t}_pkvm.log
	grep -q "ffa-emu: ${t}_pkvm: mediator pkvm, known findings masked: .*/ffa-emu-known/pkvm.suppressions:" "$log" &&
		echo "ok: libfuzzer-address: ${t}_pkvm runs pkvm with its masks" ||
		fail "libfuzzer-address: ${t}_pkvm does not say it runs pkvm with its masks ($log)"
done

echo "-- AFL++ + ASan"
config afl-address afl address afl-clang-fast afl-clang-fast++ "$common $asan" /usr/lib/afl/libAFLDriver.a &&
	run_seeds afl-address afl
if [ -s "$tmp/afl-address/out/ffa_afl_mutator.so" ]; then
	a=$tmp/afl-address
	env AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
		AFL_CUSTOM_MUTATOR_LIBRARY="$a/out/ffa_afl_mutator.so" FFA_FUZZ_TARGET=seq \
		afl-fuzz -i "$a/seeds-seq" -o "$a/afl-out" -V 5 -- "$a/out/seq" > "$a/afl.log" 2>&1
	execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$a/afl-out/default/fuzzer_stats" 2>/dev/null)
	if grep -q "Custom mutator" "$a/afl.log" && [ "${execs:-0}" -gt 0 ]; then
		echo "ok: afl-address: afl-fuzz with ffa_afl_mutator.so: $execs executions of seq in 5 s"
	else
		fail "afl-address: afl-fuzz with ffa_afl_mutator.so did not run ($a/afl.log)"
	fi
else
	fail "afl-address: no ffa_afl_mutator.so"
fi

echo "-- coverage"
config coverage libfuzzer coverage clang-14 clang++-14 \
	"$common -fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm" \
	-fsanitize=fuzzer && run_seeds coverage libfuzzer

echo "-- the files the Dockerfiles copy"
for df in oss-fuzz/Dockerfile .clusterfuzzlite/Dockerfile; do
	# OSS-Fuzz's context is the project's directory (oss-fuzz/ here), ClusterFuzzLite's the repository.
	ctx=.; [ "$df" = oss-fuzz/Dockerfile ] && ctx=oss-fuzz
	while read -r _ from _; do
		[ -e "$ctx/$from" ] && echo "ok: $df: COPY $from" || fail "$df: COPY $from: no $ctx/$from"
	done < <(grep -E '^COPY ' "$df")
done

if [ -n "$failed" ]; then
	echo "tests/tools/oss-fuzz.sh: failed:$failed"
	exit 1
fi
echo "tests/tools/oss-fuzz.sh: every check holds"
