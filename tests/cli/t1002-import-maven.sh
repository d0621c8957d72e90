#!/bin/sh
# crm import on a real data set: Maven Analytics' CRM sample
# (../shared/data/maven-crm/sales_pipeline.csv: 8 800 deals, CRLF, rows
# without an account) through tests/data/import/maven-sales-pipeline.ini
# into a fresh `crm init` repository whose currency is USD; the dashboard
# must show what python3 computes from the CSV.
. "$(dirname "$0")/lib.sh"

MAVEN="$SHARED_DATA/maven-crm"
[ -f "$MAVEN/sales_pipeline.csv" ] || test_skip_all "no $MAVEN/sales_pipeline.csv (the Maven CRM sample data set)"

test_expect_success 'import 8 800 deals in one commit' '
	crm init repo >/dev/null &&
	sed -i "s/^currency = EUR /currency = USD /" repo/crm.ini &&
	git -C repo commit -qam "the data is in USD" &&
	crm -C repo import --rules "$TEST_DATA/import/maven-sales-pipeline.ini" \
		"$MAVEN/sales_pipeline.csv" >out &&
	head -1 out >got &&
	echo "8886 created, 0 updated, 0 unchanged, 0 skipped" >expect &&
	test_cmp expect got &&
	test "$(git -C repo log --oneline | wc -l)" = 3 &&
	test -z "$(git -C repo status --porcelain)" &&
	crm -C repo check
'

test_expect_success 'the dashboard equals the CSV' '
	crm -C repo dashboard --json >dash.json &&
	python3 - "$MAVEN/sales_pipeline.csv" dash.json <<-\PY
	import csv, json, sys
	from decimal import Decimal
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	d = json.load(open(sys.argv[2]))
	won = [r for r in rows if r["deal_stage"] == "Won"]
	lost = [r for r in rows if r["deal_stage"] == "Lost"]
	value = sum(Decimal(r["close_value"]) for r in won)
	assert d["won_count"] == len(won) == 4238, d["won_count"]
	assert d["lost_count"] == len(lost), d["lost_count"]
	assert d["won_total"] == {"amount": "%.2f" % value, "currency": "USD"}, d["won_total"]
	assert "%.2f" % value == "10005534.00"
	assert d["open_count"] == len(rows) - len(won) - len(lost), d["open_count"]
	PY
'

test_expect_success 'importing it again changes nothing' '
	crm -C repo import --rules "$TEST_DATA/import/maven-sales-pipeline.ini" \
		"$MAVEN/sales_pipeline.csv" >out &&
	printf "0 created, 0 updated, 8800 unchanged, 0 skipped\nnothing to change\n" >expect &&
	test_cmp expect out &&
	test "$(git -C repo log --oneline | wc -l)" = 3
'

test_done
