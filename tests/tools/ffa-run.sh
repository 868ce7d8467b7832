#!/bin/sh
# tests/tools/ffa-run.sh BUILD : the command lines of BUILD/tools/ffa-run and of every replay
# driver (BUILD/test/replay_<target>), as make test runs them.
#
# Checks that a path that is not a readable regular file (a directory, a device, a FIFO, a
# missing file), as a scenario, with --emu, with --from-input or on a scenario's 'manifest'
# line, is refused by name with exit status 2 (not an ASan abort, not a hang); that a malformed
# manifest is exit status 2 naming the scenario's file and line, then the manifest's; that a
# scenario without a call is exit status 2; that --help exits 0 explaining every option, and an
# unknown option is named with exit status 2; and that a good scenario still passes.
# Prints each check; exit status 0 when all hold, 1 naming those that failed, 2 a usage error.
set -u
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: tests/tools/ffa-run.sh BUILD  (BUILD: the build directory, as make test's)" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.." || exit 2 # the repository's top: ffa-run runs from there
run=$build/tools/ffa-run
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffa-run-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=""

# check WHAT STATUS TEXT COMMAND...: COMMAND exits with STATUS within 60 s, and its output
# (stdout and stderr) holds each of the lines of TEXT (fixed strings; "" for none).
check() {
	what=$1 status=$2 text=$3
	shift 3
	timeout 60 "$@" > "$tmp/out" 2>&1
	got=$?
	missing=$(printf '%s\n' "$text" | while IFS= read -r want; do
		[ -z "$want" ] || grep -qF -- "$want" "$tmp/out" || printf "'%s' " "$want"
	done)
	if [ "$got" -eq "$status" ] && [ -z "$missing" ]; then
		echo "ok: $what"
	else
		echo "FAILED: $what: exit status $got (expected $status)${missing:+, output lacks $missing}"
		sed 's/^/    | /; 8q' "$tmp/out"
		failed="$failed
  $what"
	fi
}

# nothing_ran WHAT: the last check's output shows no scenario run (every file is read first).
nothing_ran() {
	if grep -q '^PASS \|^FAIL \|scenarios passed' "$tmp/out"; then
		echo "FAILED: $1: a scenario ran before the error stopped ffa-run"
		failed="$failed
  $1: a scenario ran first"
	fi
}

[ -x "$run" ] || { echo "FAILED: $run: not built"; exit 1; }

# The files the checks use.
mkdir "$tmp/dir"
mkfifo "$tmp/fifo"
: > "$tmp/empty.ffa"
printf '# only set-up and comments\nprofile spec\nvms 1\n\n' > "$tmp/no-call.ffa"
printf 'vm0 FFA_VERSION x1=v1.2\nexpect x0=v1.2\n' > "$tmp/good.ffa"
printf 'vm0 FFA_VERSION x1=v1.2\nexpect x0=v1.0\n' > "$tmp/wrong.ffa"
printf 'spmc-id 0x8000\npartition 0x8001 a\n    uuid 7b8f3c2a-51d4-4e6b-9a0c-1d2e3f405162\n    colour blue\n' \
	> "$tmp/bad.manifest"
printf 'partition 0x8001 a\n    uuid 7b8f3c2a-51d4-4e6b-9a0c-1d2e3f405162\n' > "$tmp/good.manifest"
for m in dir fifo missing bad.manifest good.manifest; do
	printf '# manifest %s\nvms 1\nmanifest %s\nvm0 FFA_VERSION x1=v1.2\nexpect x0=v1.2\n' "$m" "$m" \
		> "$tmp/manifest-$m.ffa"
done

echo "-- paths that are not a readable regular file: exit status 2, named"
check "a directory as a scenario" 2 "$tmp/dir: cannot read: expected a scenario file, found a directory" \
	"$run" "$tmp/dir"
check "a directory as a scenario, with --emu" 2 "$tmp/dir: cannot read: expected a scenario file, found a directory" \
	"$run" --emu "$tmp/dir"
check "a directory after good scenarios: nothing runs" 2 "$tmp/dir: cannot read: expected a scenario file" \
	"$run" "$tmp/good.ffa" "$tmp/dir"
nothing_ran "a directory after good scenarios"
check "a directory with --from-input" 2 "$tmp/dir: cannot read: expected a fuzz input file, found a directory" \
	"$run" --from-input "$tmp/dir"
check "a device as a scenario" 2 "/dev/null: cannot read: expected a scenario file, found a device" "$run" /dev/null
check "a FIFO as a scenario (refused, not waited on)" 2 "$tmp/fifo: cannot read: expected a scenario file, found a FIFO" \
	"$run" "$tmp/fifo"
check "a missing scenario" 2 "$tmp/none.ffa: cannot read: No such file or directory" "$run" "$tmp/none.ffa"
check "a directory on a 'manifest' line" 2 "$tmp/manifest-dir.ffa:3: manifest: $tmp/dir: cannot read: expected a manifest file, found a directory" \
	"$run" "$tmp/manifest-dir.ffa"
check "a directory on a 'manifest' line, with --emu" 2 "$tmp/manifest-dir.ffa:3: manifest: $tmp/dir:" \
	"$run" --emu "$tmp/manifest-dir.ffa"
check "a FIFO on a 'manifest' line" 2 "$tmp/manifest-fifo.ffa:3: manifest: $tmp/fifo: cannot read: expected a manifest file, found a FIFO" \
	"$run" "$tmp/manifest-fifo.ffa"
check "a missing manifest" 2 "$tmp/manifest-missing.ffa:3: manifest: $tmp/missing: cannot read" \
	"$run" "$tmp/manifest-missing.ffa"

echo "-- a malformed manifest is a malformed scenario: exit status 2, before anything runs"
check "a malformed manifest names the scenario's line and the manifest's" 2 \
	"$tmp/manifest-bad.manifest.ffa:3: manifest: $tmp/bad.manifest:4: unknown key 'colour' (expected" \
	"$run" "$tmp/manifest-bad.manifest.ffa"
check "a malformed manifest after a good scenario: nothing runs" 2 "$tmp/manifest-bad.manifest.ffa:3: manifest:" \
	"$run" "$tmp/good.ffa" "$tmp/manifest-bad.manifest.ffa"
nothing_ran "a malformed manifest after a good scenario"

echo "-- a scenario without a call: exit status 2"
check "an empty scenario" 2 "$tmp/empty.ffa: no call (expected at least one 'vmN FFA_...' line)" \
	"$run" "$tmp/empty.ffa"
check "a scenario with set-up lines and comments only" 2 "$tmp/no-call.ffa: no call" "$run" "$tmp/no-call.ffa"
check "an empty scenario with --to-input" 2 "$tmp/empty.ffa: no call" \
	"$run" --to-input -o "$tmp/out.bin" "$tmp/empty.ffa"

echo "-- good scenarios still run"
check "a good scenario passes" 0 "PASS $tmp/good.ffa" "$run" "$tmp/good.ffa"
check "a good manifest on a 'manifest' line" 0 "PASS $tmp/manifest-good.manifest.ffa" \
	"$run" "$tmp/manifest-good.manifest.ffa"
check "a failed expectation is exit status 1" 1 "FAIL $tmp/wrong.ffa" "$run" "$tmp/wrong.ffa"
check "--to-input compiles a scenario" 0 "" "$run" --to-input -o "$tmp/good.bin" "$tmp/good.ffa"
check "--from-input decodes a fuzz input" 0 "vm0 FFA_VERSION" "$run" --from-input "$tmp/good.bin"
head -c 8 "$tmp/good.bin" > "$tmp/header-only.bin"
check "--from-input of an input with no complete call: nothing to write" 2 \
	"$tmp/header-only.bin: no complete call" "$run" --from-input "$tmp/header-only.bin"

echo "-- client scenarios (Linux's FF-A driver makes the calls)"
printf 'client\ndriver direct dev=0 value=0x11\nexpect ret=0\ndriver direct w32\nexpect ret=0\n' > "$tmp/client.ffa"
printf 'client\ndriver direct dev=0\nexpect ret=-EINVAL\n' > "$tmp/client-wrong.ffa"
printf 'client\ndriver partition-info\ndriver sleep\n' > "$tmp/client-bad-op.ffa"
printf 'client\ndriver direct lie=0:x2\n' > "$tmp/client-bad-lie.ffa"
printf 'client\nvm0 FFA_VERSION x1=v1.2\n' > "$tmp/client-call.ffa"
printf 'driver direct\n' > "$tmp/client-missing.ffa"
printf 'client\ndriver direct\nexpect x0=FFA_SUCCESS_32\n' > "$tmp/client-bad-expect.ffa"
check "a client scenario passes, its driver's probe and operations traced" 0 "the driver's probe, as VM 0
FFA_RXTX_MAP_64
dev=0: partition 0x8001
$tmp/client.ffa:2: driver direct value=0x11
FFA_MSG_SEND_DIRECT_REQ_64
ok: expect ret=0
the driver's unload
PASS $tmp/client.ffa: 2 driver operations, 2 expectations" "$run" "$tmp/client.ffa"
check "a client scenario through the kernel's stub (--emu) passes" 0 "through the kernel's SMCCC stub
PASS $tmp/client.ffa" "$run" --emu "$tmp/client.ffa"
check "a client scenario on pkvm passes" 0 "PASS $tmp/client.ffa" "$run" --mediator pkvm "$tmp/client.ffa"
check "a client scenario's failed 'expect ret=' is exit status 1" 1 \
	"FAILED $tmp/client-wrong.ffa:3: expected expect ret=-EINVAL, found ret=0" "$run" "$tmp/client-wrong.ffa"
check "an unknown driver operation is named: exit status 2" 2 \
	"$tmp/client-bad-op.ffa:3:8: expected a driver operation (partition-info" "$run" "$tmp/client-bad-op.ffa"
check "a lie on call 0: exit status 2" 2 "$tmp/client-bad-lie.ffa:2:15: expected lie=CALL:xREG" \
	"$run" "$tmp/client-bad-lie.ffa"
check "a call of its own in a client scenario: exit status 2" 2 "$tmp/client-call.ffa:2:1: expected a 'driver' line" \
	"$run" "$tmp/client-call.ffa"
check "a driver line without a client line: exit status 2" 2 "$tmp/client-missing.ffa:1:1: expected a 'client' line" \
	"$run" "$tmp/client-missing.ffa"
check "a register expectation in a client scenario: exit status 2" 2 \
	"$tmp/client-bad-expect.ffa:3:8: expected ret=VALUE" "$run" "$tmp/client-bad-expect.ffa"
check "--to-input compiles a client scenario" 0 "" "$run" --to-input -o "$tmp/client.bin" "$tmp/client.ffa"
check "--from-input --target client decodes it back" 0 "client
driver direct value=0x11
driver direct w32" "$run" --from-input --target client "$tmp/client.bin"

echo "-- ffa-run --help and usage errors"
check "ffa-run --help explains every option" 0 "usage: ffa-run
--emu
-q 
--mediator M
--from-input
--to-input
-o OUT
--target T
-h, --help
Exit status" "$run" --help
check "ffa-run -h" 0 "usage: ffa-run" "$run" -h
check "ffa-run: an unknown option is named" 2 "ffa-run: unknown option '--bogus'" "$run" --bogus "$tmp/good.ffa"
check "ffa-run: an unknown --target is named" 2 "--target 'nope'" "$run" --target nope "$tmp/good.ffa"
check "ffa-run: an unknown --mediator is named" 2 "--mediator 'nope'" "$run" --mediator nope "$tmp/good.ffa"
check "ffa-run: -o without a value" 2 "-o: expected a value" "$run" --to-input -o
check "ffa-run: no file" 2 "usage: ffa-run" "$run"

echo "-- every replay driver: --help and usage errors"
targets=""
for d in corpus/*/; do
	t=$(basename "$d")
	[ -f "fuzz/$t.c" ] && targets="$targets $t"
done
[ -n "$targets" ] || { echo "FAILED: no fuzz targets found (corpus/<t>/ with fuzz/<t>.c)"; exit 1; }
for t in $targets; do
	replay=$build/test/replay_$t
	check "replay_$t --help explains every option" 0 "usage: $replay
-v 
-k 
-r N
-h, --help
Exit status" "$replay" --help
	check "replay_$t: an unknown option is named" 2 "replay: unknown option '--bogus'" \
		"$replay" --bogus "corpus/$t"
	check "replay_$t: -r without a count above 0" 2 "replay: -r '0': expected a count above 0" \
		"$replay" -r 0 "corpus/$t"
done

if [ -n "$failed" ]; then
	echo "tests/tools/ffa-run.sh: failed:$failed"
	exit 1
fi
echo "tests/tools/ffa-run.sh: every check holds"
