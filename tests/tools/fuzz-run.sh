#!/bin/bash
# tests/tools/fuzz-run.sh BUILD: tools/fuzz-run's orchestration, without real
# fuzzers. A fake build directory in a temporary directory holds stand-ins:
# fuzz/<target>, a shell script acting as libFuzzer (a status line a second
# in fuzz-0.log until -max_total_time, a corpus unit a second, -merge=1
# noted in a marker file), and a fake afl-fuzz first on PATH that writes a
# stale fuzzer_stats first (last_update an hour before the target started,
# a huge execs_per_sec and edges_found, as a resumed run leaves it) and a
# fresh one when it stops (at -V, or on SIGINT); a fake git (fuzz-report's
# "Source:" line) keeps the check off the repository's history. Two runs
# of version and rxtx from the repository's top, side by side:
#   - FUZZ_TIME=24, JOBS=2: the run ends 24 s (+8 s) after it starts, and
#     its start line gives each target's share (12s) and the end's clock;
#     a status line in each target's first minute, naming [1/2] or [2/2],
#     with the time left; -merge=1 after each target's fuzzing; stats.csv
#     has fresh figures of both engines and none of the stale fuzzer_stats;
#     no fake left running;
#   - FUZZ_TIME=120, JOBS=3, SIGTERM after 4 s: fuzz-run exits within 10 s
#     (about 2 s; it would kill fakes that ignore its SIGINT 15 s after),
#     no fake left running, and report.md says it was interrupted, by
#     SIGTERM, during version.
# Nothing is left in the repository: corpus/crashes/<target>/ that
# tools/fuzz-triage creates is removed again if it did not exist before
# (and only if empty), and no file under corpus/ is new or changed.
# FUZZ_RUN=path checks another copy of tools/fuzz-run (run beside links to
# tools/usage.sh, fuzz/ and corpus/). BUILD is unused. About 27 s.
# Prints each check ("ok:" or "FAILED:"); exit status 1 if any failed (the
# temporary directory is then kept, its path printed), 2 a usage error.
set -u
if [ $# -ne 1 ]; then
	echo "usage: tests/tools/fuzz-run.sh BUILD  (BUILD is unused: the fake build is a temporary directory)" >&2
	exit 2
fi
fuzz_run=${FUZZ_RUN:-tools/fuzz-run}
case $fuzz_run in /*) ;; *) fuzz_run=$PWD/$fuzz_run ;; esac
cd "$(dirname "$0")/../.." || exit 2 # the repository's top: fuzz-run runs from there
root=$PWD
[ -f "$fuzz_run" ] || { echo "fuzz-run-check: $fuzz_run: no such file" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-run-check.XXXXXX") || exit 2
targets=(version rxtx)
failed=0 checks=0
pass() { echo "fuzz-run-check: ok: $*"; checks=$((checks + 1)); }
fail() { echo "fuzz-run-check: FAILED: $*"; checks=$((checks + 1)); failed=$((failed + 1)); }

# Another copy of fuzz-run runs from a directory of its own, where it finds
# tools/usage.sh and the targets (fuzz/<t>.c, corpus/<t>/) as in the tree.
if [ "$(realpath "$fuzz_run")" != "$(realpath tools/fuzz-run)" ]; then
	mkdir -p "$tmp/stage/tools"
	cp "$fuzz_run" "$tmp/stage/tools/fuzz-run"; chmod +x "$tmp/stage/tools/fuzz-run"
	ln -s "$root/tools/usage.sh" "$tmp/stage/tools/usage.sh"
	ln -s "$root/fuzz" "$tmp/stage/fuzz"; ln -s "$root/corpus" "$tmp/stage/corpus"
	fuzz_run=$tmp/stage/tools/fuzz-run
fi

# What fuzz-run (through tools/fuzz-triage) may create in the repository.
created=()
for t in "${targets[@]}"; do [ -e "corpus/crashes/$t" ] || created+=("corpus/crashes/$t"); done
touch "$tmp/stamp"

# leftovers DIR: the pids of DIR's fakes still running, and of what runs in
# the sessions they led (fuzz-run starts each in a session of its own); a
# zombie (killed, not yet reaped) is not running.
leftovers() {
	local p s all out=""
	all=$(cat "$1/marks/pids" 2>/dev/null)
	for s in $all; do all="$all $(pgrep -s "$s" | tr '\n' ' ')"; done
	for p in $(echo "$all" | tr ' ' '\n' | sort -un); do
		case $(ps -o stat= -p "$p" 2>/dev/null) in ""|Z*) ;; *) out="$out $p" ;; esac
	done
	echo "${out# }"
}
run1="" run2=""
cleanup() {
	local p
	for p in $run1 $run2; do kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null; done
	# The fakes left running, and what runs in their sessions, by pid.
	for p in $(leftovers "$tmp/a") $(leftovers "$tmp/b"); do kill -KILL "$p" 2>/dev/null; done
	for p in "${created[@]}"; do [ -d "$p" ] && rmdir "$p" 2>/dev/null; done
	if [ $failed -eq 0 ]; then rm -rf "$tmp"; else echo "fuzz-run-check: logs kept in $tmp"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# fake DIR: a fake build (DIR/build), afl-fuzz and git (DIR/bin), and the
# fakes' notes (DIR/marks: pids, one line per merge, end of fuzzing, stop).
fake() {
	local d=$1 t
	mkdir -p "$d/build/fuzz" "$d/build/afl" "$d/build/afl-asan" "$d/build/test" "$d/build/tools" "$d/bin" "$d/marks"
	: > "$d/marks/pids"
	cat > "$d/build/fuzz/.libfuzzer" <<-'EOF'
	#!/bin/bash
	# A libFuzzer stand-in. Started in the background SIGINT is ignored, and a
	# shell cannot trap a signal ignored on entry: once more, with it reset.
	[ -n "${FAKE_LF_SIGNALS:-}" ] || FAKE_LF_SIGNALS=1 exec env --default-signal=INT "$0" "$@"
	unset FAKE_LF_SIGNALS
	t=$(basename "$0"); marks=$(cd "$(dirname "$0")/../../marks" && pwd)
	max=0 merge=0 jobs="" dirs=()
	for a; do
		case $a in
		-max_total_time=*) max=${a#*=} ;;
		-merge=1) merge=1 ;;
		-jobs=*) jobs=${a#*=} ;;
		-*) ;;
		*) dirs+=("$a") ;;
		esac
	done
	echo $$ >> "$marks/pids"
	if [ $merge = 1 ]; then
		n=0
		for d in "${dirs[@]:1}"; do
			for f in "$d"/*; do [ -f "$f" ] && cp "$f" "${dirs[0]}/" && n=$((n + 1)); done
		done
		echo "MERGE-OUTER: $n new files"
		echo "merge $t $(date +%s) $*" >> "$marks/log"
		exit 0
	fi
	log=/dev/stderr; [ -n "$jobs" ] && log=fuzz-0.log # -jobs: the job's output in ./fuzz-<job>.log
	trap 'echo "==$$== libFuzzer: run interrupted; exiting" >> "$log"; echo "stopped $t $(date +%s) libfuzzer" >> "$marks/log"; exit 0' INT
	start=$(date +%s) i=0
	while [ "$(date +%s)" -lt $((start + max)) ]; do
		sleep 1
		i=$((i + 1))
		printf 'unit %s %s\n' "$t" "$i" > "${dirs[0]}/unit-$$-$i"
		printf '#%d\tNEW    cov: %d ft: %d corp: %d/1Kb exec/s: 5000 rss: 30Mb\n' $((i * 1234)) $((100 + i)) $((200 + i)) $((10 + i)) >> "$log"
	done
	echo "Done $((i * 1234)) runs in $max second(s)" >> "$log"
	echo "done $t $(date +%s) libfuzzer" >> "$marks/log"
	EOF
	chmod +x "$d/build/fuzz/.libfuzzer"
	for t in "${targets[@]}"; do
		cp "$d/build/fuzz/.libfuzzer" "$d/build/fuzz/$t"
		printf '#!/bin/sh\nexit 0\n' > "$d/build/afl/$t"; cp "$d/build/afl/$t" "$d/build/afl-asan/$t"
		chmod +x "$d/build/afl/$t" "$d/build/afl-asan/$t"
	done
	: > "$d/build/afl/mutator.so"
	cat > "$d/bin/afl-fuzz" <<-'EOF'
	#!/bin/bash
	# An AFL++ stand-in: -o DIR, -M/-S NAME, -V SECONDS, -- PROGRAM.
	[ -n "${FAKE_AFL_SIGNALS:-}" ] || FAKE_AFL_SIGNALS=1 exec env --default-signal=INT "$0" "$@"
	unset FAKE_AFL_SIGNALS
	marks=$(cd "$(dirname "$0")/../marks" && pwd)
	out="" name=default secs=0 prog=""
	while [ $# -gt 0 ]; do
		case $1 in
		-o) out=$2; shift ;;
		-M|-S) name=$2; shift ;;
		-V) secs=$2; shift ;;
		-i|-x|-F) shift ;;
		--) prog=${2:-}; break ;;
		esac
		shift
	done
	[ -x "$prog" ] || { echo "[-] PROGRAM ABORT : Program '$prog' not found or not executable"; exit 1; }
	[ -f "${AFL_CUSTOM_MUTATOR_LIBRARY:-}" ] || { echo "[-] PROGRAM ABORT : custom mutator '${AFL_CUSTOM_MUTATOR_LIBRARY:-}' not found"; exit 1; }
	echo $$ >> "$marks/pids"
	dir=$out/$name; mkdir -p "$dir/queue" "$dir/crashes" "$dir/hangs"
	start=$(date +%s) execs=0
	stats() { # LAST_UPDATE START_TIME EXECS_DONE EDGES CORPUS EXECS_PER_SEC
		printf '%-18s: %s\n' start_time "$2" last_update "$1" run_time $(($1 - $2)) fuzzer_pid $$ \
			execs_done "$3" execs_per_sec "$6" corpus_count "$5" edges_found "$4" saved_crashes 0 \
			saved_hangs 0 stability 100.00% > "$dir/.fuzzer_stats.tmp"
		mv "$dir/.fuzzer_stats.tmp" "$dir/fuzzer_stats"
	}
	# The file a resumed run keeps until its start-up write: an hour old, and
	# figures that must not be taken for this run's.
	stats $((start - 3600)) $((start - 7200)) 50000000 77777 4321 987654321
	final() { stats "$(date +%s)" "$start" $((50000000 + execs)) 555 42 3000; }
	trap 'final; echo "stopped $(basename "$out") $(date +%s) afl-$name" >> "$marks/log"; exit 0' INT
	while [ "$(date +%s)" -lt $((start + secs)) ]; do sleep 1; execs=$((execs + 3000)); done
	final
	echo "done $(basename "$out") $(date +%s) afl-$name" >> "$marks/log"
	EOF
	printf '#!/bin/sh\n# git stand-in: the check reads no repository history.\nexit 1\n' > "$d/bin/git"
	chmod +x "$d/bin/afl-fuzz" "$d/bin/git"
}
fake "$tmp/a"; fake "$tmp/b"

# secs 3m05s -> 185 (fuzz-run's dur()).
secs() {
	[[ $1 =~ ^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?$ ]] || { echo -1; return; }
	echo $(( 10#${BASH_REMATCH[2]:-0} * 3600 + 10#${BASH_REMATCH[4]:-0} * 60 + 10#${BASH_REMATCH[6]:-0} ))
}
clock() { date -d "@$1" +%H:%M:%S; }

# Run a: the whole run, each line of its output stamped with its time.
t0a=$EPOCHREALTIME
PATH="$tmp/a/bin:$PATH" "$fuzz_run" "$tmp/a/build" 24 2 "${targets[@]}" < /dev/null 2>&1 > >(
	while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done > "$tmp/a/out"
	echo "$EPOCHREALTIME" > "$tmp/a/out.end") & # when fuzz-run's output ends: when it exits
run1=$!

# wait_up_to PID SINCE SECONDS: until PID has exited, or SECONDS after SINCE ($EPOCHREALTIME).
wait_up_to() {
	while kill -0 "$1" 2>/dev/null; do
		[ $(( ${EPOCHREALTIME/./} - ${2/./} )) -lt $(( $3 * 1000000 )) ] || break
		sleep 0.1
	done
}

# Run b: interrupted 4 s in.
PATH="$tmp/b/bin:$PATH" "$fuzz_run" "$tmp/b/build" 120 3 "${targets[@]}" > "$tmp/b/out" 2>&1 < /dev/null &
run2=$!
sleep 4
kill -TERM $run2
tterm=$EPOCHREALTIME
wait_up_to $run2 "$tterm" 20
texit=$EPOCHREALTIME
if kill -0 $run2 2>/dev/null; then
	kill -KILL $run2; wait $run2 2>/dev/null
	fail "interrupted: fuzz-run still ran 20 s after SIGTERM (killed; output: $tmp/b/out)"
else
	wait $run2 2>/dev/null
	took=$(( (${texit/./} - ${tterm/./}) / 100000 )) # tenths of a second
	if [ $took -le 100 ]; then pass "interrupted: fuzz-run exited $((took / 10)).$((took % 10)) s after SIGTERM"
	else fail "interrupted: fuzz-run exited $((took / 10)).$((took % 10)) s after SIGTERM, not within 10 s"; fi
fi
sleep 0.5
left=$(leftovers "$tmp/b")
if [ ! -s "$tmp/b/marks/pids" ]; then fail "interrupted: no fake fuzzer ever started ($tmp/b/out)"
elif [ -z "$left" ]; then pass "interrupted: the fakes were stopped ($(grep -c '^stopped' "$tmp/b/marks/log" 2>/dev/null) on SIGINT), none left running"
else fail "interrupted: fakes still running after fuzz-run exited: $(ps -o pid=,args= -p "${left// /,}" | cut -c1-90 | tr -s ' \n' ' ')"; fi
md=$tmp/b/build/fuzz/report.md
if [ ! -f "$md" ]; then fail "interrupted: no report.md ($tmp/b/out)"
elif grep -q '^- \*\*Interrupted\*\* by SIGTERM .*during version (target 1 of 2); not run: rxtx' "$md"; then
	pass "interrupted: report.md: $(grep -m1 Interrupted "$md" | sed 's/^- //; s/\*//g')"
else fail "interrupted: report.md does not say it was interrupted by SIGTERM during version ($md)"; fi

# Run a's checks.
wait_up_to $run1 "$t0a" 60
t1a=$EPOCHREALTIME
if kill -0 $run1 2>/dev/null; then
	kill -KILL $run1; wait $run1 2>/dev/null; rc="none: killed after 60 s"
else
	wait $run1; rc=$?
fi
for _ in $(seq 50); do [ -e "$tmp/a/out.end" ] && break; sleep 0.1; done
out=$tmp/a/out ws=$tmp/a/build/fuzz
t0=${t0a%.*}
{
	el=$(awk -v a="$t0a" -v b="$(cat "$tmp/a/out.end" 2>/dev/null || echo "$t1a")" 'BEGIN { printf "%.1f", b - a }')
	start_line=$(grep -m1 -E '^[0-9.]+ fuzz-run: 2 targets ' "$out")
	want="in all: 12s each; fuzzing ends at ($(clock $((t0 + 24)))|$(clock $((t0 + 25))))"
	if ! awk -v e="$el" 'BEGIN { exit !(e >= 23 && e <= 32) }'; then
		fail "FUZZ_TIME: FUZZ_TIME=24 took $el s, not 24 s (+8 s slack)"
	elif [ "$rc" != 0 ]; then fail "FUZZ_TIME: exit status $rc"
	elif ! [[ $start_line =~ $want ]]; then
		fail "FUZZ_TIME: the start line does not say 12s each, fuzzing ending at $(clock $((t0 + 24))): '${start_line#* }'"
	else
		pass "FUZZ_TIME: 24 s for two targets took $el s, start line: '${BASH_REMATCH[0]}'"
	fi
}
# Each target's planned end is within the run's (run-events.txt).
# (A target whose share is under 10 s after the ones before it overran gets 10 s.)
over=$(awk '$1 == "run" { e = $2 + $3 } $1 == "target" && $4 > e && $4 - $3 > 10 { print $2 }' "$ws/run-events.txt" 2>/dev/null)
n_t=$(grep -c '^target ' "$ws/run-events.txt" 2>/dev/null)
if [ "$n_t" != 2 ]; then fail "FUZZ_TIME: $n_t targets started, not 2 ($ws/run-events.txt)"
elif [ -n "$over" ]; then fail "FUZZ_TIME: target(s) $over planned to end after the run's end"
else pass "FUZZ_TIME: each target's share ends within the run's time (run-events.txt)"; fi

run_end=$(awk '$1 == "run" { print $2 + $3 }' "$ws/run-events.txt" 2>/dev/null)
for i in 1 2; do
	t=${targets[$((i - 1))]}
	started=$(awk -v p="fuzz-run: [$i/2] $t on " 'index($0, p) { print $1; exit }' "$out")
	ended=$(awk -v p="fuzz-run: [$i/2] $t done after " 'index($0, p) { print $1; exit }' "$out")
	line=$(grep -m1 -E "^[0-9.]+ fuzz-run: \[$i/2\] $t [0-9hms]+ of [0-9hms]+: .*run ends [0-9:]+ \([0-9hms]+ left\)$" "$out")
	if [ -z "$started" ] || [ -z "$line" ]; then
		fail "status: no status line for [$i/2] $t while it ran ($out)"; continue
	fi
	at=${line%% *}
	left=$(secs "$(echo "$line" | sed -E 's/.*\(([0-9hms]+) left\)$/\1/')")
	off=$(awk -v a="$at" -v l="$left" -v e="${run_end:-0}" 'BEGIN { d = a + l - e; print (d < 0 ? -d : d) }')
	into=$(awk -v a="$at" -v s="$started" 'BEGIN { printf "%.0f", a - s }')
	if [ -n "$ended" ] && awk -v a="$at" -v e="$ended" 'BEGIN { exit !(a > e) }'; then
		fail "status: [$i/2] $t's status line came after the target ended"
	elif [ "$into" -gt 60 ]; then fail "status: [$i/2] $t's first status line came $into s in"
	elif awk -v o="$off" 'BEGIN { exit !(o > 2) }'; then
		fail "status: [$i/2] $t: the time left is ${left} s, $off s off the run's end"
	else pass "status: $into s into [$i/2] $t: '${line#* fuzz-run: }'"; fi
done

for i in 1 2; do
	t=${targets[$((i - 1))]}
	# The fake libFuzzer ends by itself, or is stopped at the end of the share.
	done_at=$(awk -v t="$t" '($1 == "done" || $1 == "stopped") && $2 == t && $4 == "libfuzzer" { print $3; exit }' "$tmp/a/marks/log" 2>/dev/null)
	merged_at=$(awk -v t="$t" '$1 == "merge" && $2 == t { m = $3 } END { print m }' "$tmp/a/marks/log" 2>/dev/null)
	units=$(find "$ws/work/$t" -maxdepth 1 -type f 2>/dev/null | wc -l)
	if [ -z "$merged_at" ]; then fail "merge: libFuzzer's -merge=1 never ran for $t"
	elif [ -z "$done_at" ] || [ "$merged_at" -lt "$done_at" ]; then
		fail "merge: $t's -merge=1 ran before its fuzzing ended (at $merged_at, fuzzing ended at ${done_at:-never})"
	elif ! grep -q "fuzz-run: \[$i/2\] $t: libFuzzer corpus merged (end of target)" "$out"; then
		fail "merge: fuzz-run does not say $t's corpus was merged at its end"
	elif [ "$units" -eq 0 ]; then fail "merge: $t's working corpus is empty after the merge"
	else pass "merge: -merge=1 after $t's fuzzing ($units units kept in work/$t)"; fi
done

stats=$ws/stats.csv
stale=$(awk -F, 'NR > 1 && ($4 == 987654321 || ($3 == "afl" && ($5 == 77777 || $6 == 4321)))' "$stats" 2>/dev/null)
early=$(awk -F, 'NR == FNR { if ($1 == "target") s[$2] = $3; next }
	FNR > 1 && $3 == "afl" && $1 < s[$2] { print }' "$ws/run-events.txt" "$stats" 2>/dev/null)
if [ ! -s "$stats" ]; then fail "stale: no stats.csv"
elif [ -n "$stale$early" ]; then
	fail "stale: stats.csv took the stale fuzzer_stats (last_update before the target started): $(echo "$stale$early" | head -2 | tr '\n' ' ')"
else
	fresh=""
	for t in "${targets[@]}"; do
		grep -q ",$t,afl,[0-9]*,555,42,0$" "$stats" || fresh="$fresh $t:AFL++"
		grep -q ",$t,libfuzzer,5000,[0-9]*,[0-9]*,0$" "$stats" || fresh="$fresh $t:libFuzzer"
	done
	if [ -n "$fresh" ]; then fail "stale: stats.csv lacks fresh figures of$fresh ($stats)"
	else pass "stale: stats.csv has no figure of the stale fuzzer_stats, and the fresh ones of both engines"; fi
fi
left=$(leftovers "$tmp/a")
if [ -z "$left" ]; then pass "no fake left running after the full run"
else fail "fakes of the full run still running: $(ps -o pid=,args= -p "${left// /,}" | cut -c1-90 | tr -s ' \n' ' ')"; fi

# Nothing in the repository: what triage created is removed again.
for p in "${created[@]}"; do
	if [ -d "$p" ] && ! rmdir "$p" 2>/dev/null && [ -d "$p" ]; then fail "repository: $p was created and is not empty"; fi
done
new=$(find corpus -newer "$tmp/stamp" ! -type d 2>/dev/null | head -3)
if [ -z "$new" ]; then pass "repository: nothing written under corpus/"
else fail "repository: written under corpus/: ${new//$'\n'/ }"; fi

if [ $failed -eq 0 ]; then echo "fuzz-run-check: all $checks checks passed (${fuzz_run#"$root"/})"
else echo "fuzz-run-check: $failed of $checks checks FAILED (${fuzz_run#"$root"/})"; fi
[ $failed -eq 0 ]
