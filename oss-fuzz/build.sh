#!/bin/bash -eu
# oss-fuzz/build.sh: ffa-emu's build for OSS-Fuzz and ClusterFuzzLite, to their
# build.sh contract: it reads $SRC, $WORK, $OUT, $CC, $CXX, $CFLAGS,
# $LIB_FUZZING_ENGINE, $SANITIZER and $FUZZING_ENGINE as the base-builder image
# sets them, and writes to $OUT, for every fuzz target T and backend (ours,
# ref: T; Linux's pKVM proxy: T_pkvm):
#   T                   the fuzz target, everything compiled with $CC $CFLAGS
#                       (the proxy and Linux's FF-A driver from the kernel tree
#                       too), linked with $CXX, $LIB_FUZZING_ENGINE and Unicorn
#                       statically (make ossfuzz);
#   T_seed_corpus.zip   corpus/T/, each file named by its SHA-1 (tools/seed-zip);
#   T.dict, T.options   corpus/common.dict and corpus/T.dict; the dictionary
#                       named for libFuzzer;
# and ffa-emu-known/<backend>.suppressions, the known findings' masks the
# binaries read from beside themselves (fuzz/harness.c: a T_pkvm binary runs
# pkvm, with pKVM's and Linux's driver's masks; T, ref with the driver's).
# Our structure-aware mutator is LLVMFuzzerCustomMutator in every binary
# (libFuzzer and the coverage build use it); with FUZZING_ENGINE=afl, AFL++'s
# form of it is $OUT/ffa_afl_mutator.so, for afl-fuzz with
# AFL_CUSTOM_MUTATOR_LIBRARY=$OUT/ffa_afl_mutator.so FFA_FUZZ_TARGET=T (the
# client target has its own records: AFL++'s havoc).
#
# The kernel tree: KERNEL_SRC, else Debian's linux-source-6.12 (oss-fuzz/Dockerfile
# installs it). Outside Docker (tests/tools/oss-fuzz.sh, what make test runs)
# the same variables are set by hand; the repository is this script's parent.
src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
build=${WORK:-/tmp}/ffa-emu-build-${FUZZING_ENGINE:-libfuzzer}-${SANITIZER:-address}
mkdir -p "$OUT" "$build"
cd "$src"

# AFL++ leaves the harness's run-to-run infrastructure uninstrumented, as make fuzz does.
[ "${FUZZING_ENGINE:-}" = afl ] && export AFL_LLVM_DENYLIST=$src/fuzz/afl-denylist
make --no-print-directory -j"$(nproc)" BUILD="$build" OSSFUZZ_CC="$CC" OSSFUZZ_CXX="$CXX" \
	OSSFUZZ_CFLAGS="$CFLAGS" OSSFUZZ_ENGINE="$LIB_FUZZING_ENGINE" OSSFUZZ_OUT="$OUT" ossfuzz
targets=$(make --no-print-directory -s BUILD="$build" print-fuzz-targets)

# The seed archives: tools/seed-zip (stored files), built for this machine, not fuzzed.
"${FFA_TOOL_CC:-$CC}" -std=c11 -O2 tools/seed-zip.c -o "$build/seed-zip" # $CC without $CFLAGS: no sanitizer

mkdir -p "$OUT/ffa-emu-known"
cp corpus/known/pkvm/suppressions "$OUT/ffa-emu-known/pkvm.suppressions"
cp corpus/known/linux-driver/suppressions "$OUT/ffa-emu-known/linux-driver.suppressions"

for t in $targets; do
	seeds=$(mktemp -d "$build/seeds.XXXXXX")
	for f in corpus/"$t"/*; do
		cp "$f" "$seeds/$(sha1sum < "$f" | cut -d' ' -f1)"
	done
	"$build/seed-zip" "$OUT/${t}_seed_corpus.zip" "$seeds"/*
	rm -rf "$seeds"
	cat corpus/common.dict "corpus/$t.dict" > "$OUT/$t.dict"
	printf '[libfuzzer]\ndict = %s.dict\n' "$t" > "$OUT/$t.options"
	# The same binary on Linux's proxy: its name picks the backend.
	cp "$OUT/$t" "$OUT/${t}_pkvm"
	cp "$OUT/${t}_seed_corpus.zip" "$OUT/${t}_pkvm_seed_corpus.zip"
	cp "$OUT/$t.dict" "$OUT/${t}_pkvm.dict"
	printf '[libfuzzer]\ndict = %s_pkvm.dict\n' "$t" > "$OUT/${t}_pkvm.options"
done

if [ "${FUZZING_ENGINE:-}" = afl ]; then
	# Not instrumented, no sanitizer: afl-fuzz loads it into itself.
	${FFA_MUTATOR_CC:-clang} -Imediator/inc -Ispmc-model/inc -Ifuzz -I"$build/gen" -D_POSIX_C_SOURCE=200809L \
		-std=c11 -O2 -fPIC -shared fuzz/mutator_afl.c fuzz/mutate.c fuzz/input.c mediator/src/mem_desc.c \
		-o "$OUT/ffa_afl_mutator.so"
fi
echo "oss-fuzz/build.sh: $(echo $targets | wc -w) targets x 2 backends in $OUT (${FUZZING_ENGINE:-libfuzzer}, ${SANITIZER:-address})"
