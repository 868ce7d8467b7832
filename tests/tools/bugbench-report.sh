#!/bin/bash
# tests/tools/bugbench-report.sh BUILD: tools/bugbench-report judges the
# five-minute target by the budget the trials ran with: a median censored
# at a 30 s budget is not known to be under five minutes, nor over.
set -u
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'bug\ttarget\tconfig\ttrial\tdetected\tseconds\tdetector\tclean_build\treproducer\n' > "$out/trials.tsv"
printf 'b1\tseq\tlibfuzzer\t1\t1\t2.0\tx\tclean-passes\tf\nb2\tseq\tlibfuzzer\t1\t0\t30\t-\t-\t\n' >> "$out/trials.tsv"
printf 'b1\tno\t\t0/1\nb2\tno\t\t0/1\n' > "$out/seeds.tsv"
line=$(tools/bugbench-report "$1" 30 "$out" | grep "five minutes")
case $line in
*"not known: 1 pairs censored at the 30 s budget"*)
	echo "bugbench-report: a median censored at a 30 s budget is reported as not known" ;;
*)
	echo "bugbench-report: FAIL: with a 30 s budget and a censored pair: '$line'"; exit 1 ;;
esac
