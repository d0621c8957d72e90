#!/bin/sh
# Runs every unit test binary and every CLI test script, then prints the
# totals as the last line: "N passed, N failed".
# BUILD names the build folder (build or build-san); CRM_VALGRIND=1 runs the
# crm binary of the CLI tests under valgrind's memcheck.
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
passed=0
failed=0
log=$(mktemp)

tally() {
	# the last "N passed, N failed" line of a test's output
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "  $1: no result line (crashed?)"; tail -n 20 "$log"
		failed=$((failed + 1)); return
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	passed=$((passed + p)); failed=$((failed + f))
	printf '  %-28s %s\n' "$1" "$line"
	[ "$f" = 0 ] || grep -E '^(FAIL|not ok|  )' "$log" | head -n 60
}

echo "unit tests:"
for t in "$top/$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	tally "$(basename "$t")"
done

echo "fuzz corpus replay:"
for t in "$top/$BUILD"/tests/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t"); name=${name#fuzz_}
	"$t" "$top/tests/fuzz/corpus/$name" >"$log" 2>&1
	tally "fuzz_$name"
done

echo "command-line tests:"
for t in "$top"/tests/cli/t*.sh; do
	[ -f "$t" ] || continue
	CRM_TEST_BUILD="$top/$BUILD" sh "$t" >"$log" 2>&1
	tally "$(basename "$t")"
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
