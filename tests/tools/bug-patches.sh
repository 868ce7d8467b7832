#!/bin/bash
# tests/tools/bug-patches.sh BUILD: every seeded bug of make bugbench
# (tools/bugs/*.patch) still applies to the tree as it is and names a fuzz
# target that exists, so a change to the mediator cannot silently retire a
# bug from the benchmark (tools/bugbench stops at a patch that does not
# apply). BUILD is unused; the tests in tests/tools/ all take it.
set -u
cd "$(dirname "$0")/../.."
failed=0
n=0
for p in tools/bugs/*.patch; do
	n=$((n + 1))
	git apply --check "$p" 2> /dev/null || { echo "bug-patches: FAIL: $p does not apply: refresh it"; failed=1; }
	t=$(sed -n 's/^# Target: *\([a-z0-9]*\).*/\1/p' "$p" | head -1)
	[ -n "$t" ] && [ -d "corpus/$t" ] || { echo "bug-patches: FAIL: $p names no fuzz target ('$t')"; failed=1; }
done
[ $failed = 0 ] && echo "bug-patches: $n seeded bugs apply and name their fuzz target"
exit $failed
