#!/bin/sh
# Runs every unit test binary, the fuzz corpus replay and every CLI test
# script, then prints the totals alone as the last line:
# "N passed, N failed, N skipped".
# BUILD names the build folder (build or build-san); CRM_VALGRIND=1 runs the
# crm binary of the CLI tests under valgrind's memcheck.
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
passed=0
failed=0
skipped=0
log=$(mktemp)

# tally NAME STATUS: adds the last result line of a test's output to the
# totals ("N passed, N failed" with ", N skipped" when the test can skip).
# A test that printed no result line, or exited non-zero with no failure
# counted, adds a failure: a crash is never a pass.
tally() {
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "  $1: no result line (crashed?), exit status $2"; tail -n 20 "$log"
		failed=$((failed + 1)); return
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	case "$line" in
	*skipped) s=${line#*failed, }; s=${s%% skipped} ;;
	*) s=0 ;;
	esac
	if [ "$f" = 0 ] && [ "$2" != 0 ]; then
		line="$line, but exit status $2"
		f=1
	fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
	printf '  %-28s %s\n' "$1" "$line"
	# why each skip: the reasons stay visible in every run
	[ "$s" = 0 ] || grep -E '^skip' "$log" | sed 's/^/    /'
	[ "$f" = 0 ] || grep -E '^(FAIL|not ok|  |trash folder kept)' "$log" | head -n 60
}

echo "unit tests:"
for t in "$top/$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	tally "$(basename "$t")" $?
done

echo "fuzz corpus replay:"
for t in "$top/$BUILD"/tests/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t"); name=${name#fuzz_}
	"$t" "$top/tests/fuzz/corpus/$name" >"$log" 2>&1
	tally "fuzz_$name" $?
done

echo "command-line tests:"
for t in "$top"/tests/cli/t*.sh; do
	[ -f "$t" ] || continue
	CRM_TEST_BUILD="$top/$BUILD" sh "$t" >"$log" 2>&1
	tally "$(basename "$t")" $?
done
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
