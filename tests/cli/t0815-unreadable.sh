#!/bin/sh
# Record files that do not parse are left out of every figure and named:
# the dashboard, the reports and the forecast say "N record files could not
# be read (crm check shows why)" in every output format (the terminal page,
# a JSON key, a CSV "# " line, an HTML paragraph, a row of the xlsx figures
# sheet, and stderr where the output itself cannot carry it) and exit 1,
# with the figures of the files that loaded.  crm ls warns on stderr.
. "$(dirname "$0")/lib.sh"

note="3 record files could not be read (crm check shows why)"

test_expect_success 'set up: the example, figures before, then three broken deals' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm -C agency dashboard --json >before.json &&
	crm -C agency forecast --csv >before-forecast.csv &&
	crm -C agency report activity --csv >before-activity.csv &&
	for i in 1 2 3; do
		printf "title: [unclosed\nstage: proposal-sent\nclient: acme-corp\n" \
			>agency/opportunities/broken-$i.yaml || return 1
	done &&
	git -C agency add -A && git -C agency commit -q -m broken
'

test_expect_success 'dashboard --json: the key, exit 1, and the cards agree with the tables' '
	test_expect_code 1 crm -C agency dashboard --json >out.json 2>err &&
	echo "crm dashboard: warning: $note" >expect &&
	test_cmp expect err &&
	python3 - before.json out.json <<-\PY
	import json, sys
	before, d = (json.load(open(p)) for p in sys.argv[1:3])
	assert before["unreadable_files"] == 0, before["unreadable_files"]
	assert d["unreadable_files"] == 3, d["unreadable_files"]
	open_by_stage = sum(r["count"] for r in d["by_stage"] if r["outcome"] == "open")
	assert d["open_count"] == open_by_stage, (d["open_count"], open_by_stage)
	for k in ("open_count", "pipeline_total", "pipeline_weighted", "won_count", "lost_count",
	          "by_stage", "by_month"):
	    assert d[k] == before[k], (k, d[k], before[k])
	PY
'

test_expect_success 'dashboard on the terminal: the second line says it' '
	test_expect_code 1 crm -C agency dashboard >out 2>err &&
	sed -n 2p out >line &&
	echo "warning: $note" >expect &&
	test_cmp expect line &&
	test_cmp /dev/null err
'

test_expect_success 'dashboard --csv: a "# " line first; one table stays plain CSV' '
	test_expect_code 1 crm -C agency dashboard --csv >out 2>err &&
	head -n 3 out >top &&
	printf "# %s\n\n# figures\n" "$note" >expect &&
	test_cmp expect top &&
	echo "crm dashboard: warning: $note" >expect &&
	test_cmp expect err &&
	test_expect_code 1 crm -C agency dashboard --csv --table by_stage >out 2>err &&
	head -n 1 out >top &&
	echo stage,outcome,count,total >expect &&
	test_cmp expect top &&
	echo "crm dashboard: warning: $note" >expect &&
	test_cmp expect err
'

test_expect_success 'dashboard --html: a paragraph under the header' '
	test_expect_code 1 crm -C agency dashboard --html "$TRASH/dash.html" 2>err &&
	grep "class=\"warning\"" dash.html >line &&
	echo "<p class=\"warning\" id=\"unreadable\">$note</p>" >expect &&
	test_cmp expect line &&
	echo "crm dashboard: warning: $note" >expect &&
	test_cmp expect err
'

test_expect_success 'dashboard --xlsx: a row of the figures sheet' '
	test_expect_code 1 crm -C agency dashboard --xlsx "$TRASH/dash.xlsx" 2>err &&
	python3 - dash.xlsx "$note" >row <<-\PY &&
	import re, sys, zipfile
	z = zipfile.ZipFile(sys.argv[1])
	names = z.namelist()
	shared = []
	if "xl/sharedStrings.xml" in names:
	    xml = z.read("xl/sharedStrings.xml").decode()
	    shared = [re.sub("<[^>]+>", "", s) for s in re.findall("<si>(.*?)</si>", xml)]
	sheet = z.read("xl/worksheets/sheet1.xml").decode()
	for row in re.findall("<row [^>]*>(.*?)</row>", sheet):
	    cells = []
	    for attrs, body in re.findall("<c ([^>]*)>(.*?)</c>", row):
	        v = re.search("<v>(.*?)</v>", body)
	        v = v.group(1) if v else ""
	        cells.append(shared[int(v)] if "t=\"s\"" in attrs else v)
	    if cells and cells[0] == "unreadable_files":
	        print("|".join(cells))
	PY
	echo "unreadable_files|$note|3" >expect &&
	test_cmp expect row
'

test_expect_success 'every report: the key in JSON, the line on the terminal, exit 1' '
	for name in funnel cycle winloss won activity summary receivables revenue; do
		test_expect_code 1 crm -C agency report $name --json >out.json 2>/dev/null &&
		python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[\"unreadable_files\"] == 3" \
			out.json &&
		test_expect_code 1 crm -C agency report $name >out 2>err &&
		sed -n 2p out >line && echo "warning: $note" >expect &&
		test_cmp expect line && test_cmp /dev/null err || {
			echo "report $name"; return 1; }
	done
'

test_expect_success 'report --html and --xlsx carry the note too' '
	test_expect_code 1 crm -C agency report winloss --html "$TRASH/w.html" --xlsx "$TRASH/w.xlsx" 2>err &&
	grep -q "<p class=\"warning\" id=\"unreadable\">$note</p>" w.html &&
	unzip -p w.xlsx xl/sharedStrings.xml | grep -q "$note" &&
	echo "crm report: warning: $note" >expect &&
	test_cmp expect err
'

test_expect_success 'forecast: the same figures, the note in each format, exit 1' '
	test_expect_code 1 crm -C agency forecast --csv >out.csv 2>err &&
	test_cmp before-forecast.csv out.csv &&
	echo "crm forecast: warning: $note" >expect &&
	test_cmp expect err &&
	test_expect_code 1 crm -C agency forecast >out 2>err &&
	sed -n 2p out >line && echo "warning: $note" >expect &&
	test_cmp expect line && test_cmp /dev/null err &&
	test_expect_code 1 crm -C agency forecast --json >out.json 2>/dev/null &&
	python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[\"unreadable_files\"] == 3" \
		out.json &&
	test_expect_code 1 crm -C agency forecast --backtest --json >out.json 2>/dev/null &&
	python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[\"unreadable_files\"] == 3" \
		out.json &&
	test_expect_code 1 crm -C agency forecast --html "$TRASH/f.html" --xlsx "$TRASH/f.xlsx" \
		2>/dev/null &&
	grep -q "<p class=\"warning\" id=\"unreadable\">$note</p>" f.html &&
	unzip -p f.xlsx xl/sharedStrings.xml | grep -q "$note"
'

test_expect_success 'ls: lists what it read, warns about its own type, exit 1' '
	test_expect_code 1 crm -C agency ls opportunity --fields title --csv >out 2>err &&
	echo "crm ls: warning: $note" >expect &&
	test_cmp expect err &&
	grep -q "^lodz-website-2412," out &&
	crm -C agency ls client >/dev/null 2>err &&
	test_cmp /dev/null err
'

test_expect_success 'a task file that does not parse is not an open task' '
	printf "title: [unclosed\nassignee: alice\n" >agency/tasks/broken-task.yaml &&
	test_expect_code 1 crm -C agency report activity --csv >out.csv 2>err &&
	test_cmp before-activity.csv out.csv &&
	echo "crm report: warning: 4 record files could not be read (crm check shows why)" >expect &&
	test_cmp expect err
'

test_expect_success 'with every file read: exit 0 and no note' '
	rm agency/opportunities/broken-*.yaml agency/tasks/broken-task.yaml &&
	crm -C agency dashboard >out 2>err &&
	test_cmp /dev/null err &&
	! grep -q "could not be read" out &&
	crm -C agency dashboard --csv >out &&
	! grep -q "could not be read" out
'

test_done
