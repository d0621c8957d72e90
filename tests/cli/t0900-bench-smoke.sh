#!/bin/sh
# The benchmark at 1 000 records, so that the generator and the runner never
# rot: the repository is the same bytes every time and checks clean, and the
# table has every row with numbers (the targets are for make bench to judge).
. "$(dirname "$0")/lib.sh"

GEN="$CRM_TEST_BUILD/bench-gen"
[ -x "$GEN" ] || test_skip_all "no $GEN (make tests-bin builds it)"
python3 -c "import yaml; yaml.CSafeLoader" 2>/dev/null && test_set_prereq PYYAML

test_expect_success 'the generator writes the same repository twice' '
	"$GEN" 1000 one && "$GEN" 1000 two &&
	test "$(find one -name "*.yaml" | wc -l)" = 1000 &&
	diff -r one two &&
	test -f one/crm.ini
'

test_expect_success 'it has every type, nested folders and Unicode names' '
	for t in clients contacts opportunities invoices tasks activities products; do
		test -d one/$t || return 1
	done &&
	test -n "$(find one/invoices -path "*/20[0-9][0-9]/[01][0-9]/*.yaml" | head -n 1)" &&
	grep -rq "Łódź" one/clients && grep -rq "有限公司" one/clients &&
	grep -rlq "history:" one/opportunities && grep -rlq "lines:" one/invoices
'

test_expect_success 'the generated repository checks clean' '
	git -C one init -q && git -C one add -A && git -C one commit -q -m gen &&
	crm -C one check >out 2>err &&
	grep -q "^0 errors, [0-9]* warnings\? in 1000 records" out &&
	! grep ": warning: " out | grep -v "\[overdue\]$"
'

test_expect_success 'the generator refuses a bad size' '
	test_expect_code 2 "$GEN" lots three 2>err &&
	grep -q "N must be a number" err
'

test_expect_success 'the runner prints every row with numbers' '
	BENCH_DIR="$TRASH/data" BENCH_RUNS=1 sh "$TEST_TOP/bench/run.sh" "$CRM_BIN" 1000 >table 2>log &&
	cat table &&
	for m in "cold check" "bare --rev HEAD" "warm dashboard" "warm ls filter" "warm show" \
		"set + commit" "sync 10 changed" "peak memory" "import rows" "import matched" \
		"cp of the files" "dedupe clients" "dedupe imported"; do
		grep -q "^1000  *$m " table || { echo "no row $m"; return 1; }
	done &&
	figures=0 &&
	if crm help | grep -q "^ *dashboard "; then
		for m in "mem dashboard" "warm funnel" "mem funnel" "warm forecast" "mem forecast" \
			"warm receivables" "mem receivables"; do
			grep -q "^1000  *$m " table || { echo "no row $m"; return 1; }
		done &&
		figures=7 &&
		if crm help | grep -q "^ *agenda "; then figures=9; fi
	fi &&
	test "$(grep -c "^1000  *python dashboard " table)" = 3 &&
	test "$(grep -c "^1000 " table)" = $((15 + figures + 3)) &&
	grep -q "^1000  *set + commit .* git, fsync on .* (both made durable)$" table &&
	grep "^1000 " table | grep -v dashboard >rows &&
	awk "{ if (\$(NF - 3) !~ /^[0-9]+\\.[0-9][0-9]\$/) { print \"not a ratio: \" \$0; bad = 1 } }
		END { exit bad }" rows
'

test_expect_success PYYAML 'the Python yardstick is timed beside crm, warm and cold' '
	grep "^1000  *python dashboard .* warm dashboard " table | grep -vq "n/a" &&
	grep "^1000  *python dashboard .* cold dashboard " table | grep -vq "n/a"
'

test_expect_success PYYAML 'and beside reading the files on both cores, the bound of any cold run' '
	grep "^1000  *python dashboard .* read, 2 threads .*(bound of cold)$" table >row &&
	! grep -q "n/a" row &&
	"$CRM_TEST_BUILD/bench-readall" one 2 >out &&
	echo "1000 files, $(cat $(find one -name "*.yaml") | wc -c) bytes" >expect &&
	test_cmp expect out
'

test_expect_success PYYAML 'the Python yardstick computes the dashboard keys crm does' '
	python3 "$TEST_TOP/bench/dashboard.py" one >py.json &&
	crm -C one dashboard --json >crm.json &&
	python3 - py.json crm.json <<-\PY
	import json, sys
	py, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
	bad = {k: (v, c.get(k)) for k, v in py.items() if c.get(k) != v}
	assert len(py) == 12 and not bad, bad
	PY
'

test_expect_success 'the dashboard row is timed exactly when crm has the command' '
	if crm help | grep -q "^ *dashboard "; then
		grep "warm dashboard" table | grep -vq "n/a"
	else
		grep "warm dashboard" table | grep -q "n/a"
	fi
'

test_expect_success 'a second run reuses the repository and leaves it clean' '
	BENCH_DIR="$TRASH/data" BENCH_RUNS=1 sh "$TEST_TOP/bench/run.sh" "$CRM_BIN" 1000 >table2 2>log2 &&
	! grep -q generating log2 &&
	test -z "$(git -C data/1000 status --porcelain)"
'

test_done
