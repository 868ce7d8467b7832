# tools/usage.sh: sourced by every tool script, for --help and bad arguments.
#
#   usage_check MIN MAX "$@"
#       -h or --help anywhere: print the script's opening comment (its manual:
#       every line from the second up to the first that is not a comment)
#       and exit 0. An argument starting with '-' (a script that takes
#       options parses them itself, before or instead of this), or fewer than
#       MIN or more than MAX arguments (MAX "-": no limit): say which, with
#       the usage line, and exit 2.
#   usage_fail MESSAGE
#       "<tool>: MESSAGE" and the usage line on stderr, exit 2.
#   usage_targets TARGET...
#       each must be a fuzz target, else usage_fail naming it and the targets.
#
# The usage line is the manual's first line.

usage_manual() {
	awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
}

usage_fail() {
	echo "$(basename "$0"): $1" >&2
	echo "usage: $(usage_manual | head -1 | sed 's/^tools\///; s/ : .*//')  (--help for the manual)" >&2
	exit 2
}

usage_check() {
	local min=$1 max=$2 arg
	shift 2
	for arg in "$@"; do
		case $arg in
		-h|--help) usage_manual; exit 0 ;;
		-*) usage_fail "unknown option '$arg'" ;;
		esac
	done
	[ $# -ge "$min" ] || usage_fail "expected at least $min argument(s), found $#"
	[ "$max" = - ] || [ $# -le "$max" ] || usage_fail "expected at most $max argument(s), found $#"
}

# usage_targets TARGET...: each must be a fuzz target (fuzz/<t>.c with seeds
# in corpus/<t>/), else say which and exit 2.
usage_targets() {
	local t root
	root=$(cd "$(dirname "$0")/.." && pwd)
	for t in "$@"; do
		[ -f "$root/fuzz/$t.c" ] && [ -d "$root/corpus/$t" ] ||
			usage_fail "unknown fuzz target '$t' ($(cd "$root/corpus" && for d in */; do [ -f "../fuzz/${d%/}.c" ] && printf "%s " "${d%/}"; done | sed "s/ $//"))"
	done
}
