#!/bin/sh
# The dashboard on a real data set: Maven Analytics' CRM sample (8 800 deals,
# ../shared/data/maven-crm/, see its README there), converted by python3
# into a crm repository; win rate, won value, deals by stage and by agent
# must equal what python3 computes straight from sales_pipeline.csv.
. "$(dirname "$0")/lib.sh"

MAVEN="$SHARED_DATA/maven-crm"
# MAVEN: the Maven CRM sample data set is there
[ -f "$MAVEN/sales_pipeline.csv" ] && test_set_prereq MAVEN

test_expect_success MAVEN 'convert the CSV files into a crm repository' '
	python3 - "$MAVEN" maven <<-\PY &&
	import csv, os, re, sys
	src, dst = sys.argv[1], sys.argv[2]
	os.makedirs(dst + "/clients"); os.makedirs(dst + "/opportunities")
	open(dst + "/crm.ini", "w").write(
	    "[crm]\ncurrency = USD\n"
	    "[stage \"prospecting\"]\nprobability = 10\n"
	    "[stage \"engaging\"]\nprobability = 40\n"
	    "[stage \"won\"]\nprobability = 100\noutcome = won\n"
	    "[stage \"lost\"]\nprobability = 0\noutcome = lost\n")
	def slug(s):
	    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
	q = lambda s: "\"" + s.replace("\\\\", "\\\\\\\\").replace("\"", "\\\\\"") + "\""
	for row in csv.DictReader(open(src + "/accounts.csv", newline="")):
	    open("%s/clients/%s.yaml" % (dst, slug(row["account"])), "w").write(
	        "name: %s\n" % q(row["account"]))
	os.makedirs(dst + "/clients/x", exist_ok=True)
	open(dst + "/clients/x/no-account.yaml", "w").write("name: No account\n")
	for row in csv.DictReader(open(src + "/sales_pipeline.csv", newline="")):
	    y = ["title: %s" % q(row["product"]),
	         "client: %s" % (slug(row["account"]) if row["account"] else "no-account"),
	         "stage: %s" % row["deal_stage"].lower(),
	         "owner: %s" % q(row["sales_agent"])]
	    if row["close_value"]:
	        y.append("amount: \"%s USD\"" % row["close_value"])
	    if row["engage_date"]:
	        y.append("created: %s" % row["engage_date"])
	    if row["close_date"]:
	        y.append("closed: %s" % row["close_date"])
	    open("%s/opportunities/%s.yaml" % (dst, row["opportunity_id"].lower()), "w").write(
	        "\n".join(y) + "\n")
	PY
	git -C maven init -q && git -C maven add -A && git -C maven commit -q -m maven &&
	test "$(ls maven/opportunities | wc -l)" = 8800
'

test_expect_success MAVEN 'win rate, won value, stages and agents equal the CSV figures' '
	crm -C maven dashboard --json >dash.json &&
	python3 - "$MAVEN/sales_pipeline.csv" dash.json <<-\PY
	import csv, json, sys
	from decimal import Decimal, ROUND_HALF_UP
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	d = json.load(open(sys.argv[2]))
	won = [r for r in rows if r["deal_stage"] == "Won"]
	lost = [r for r in rows if r["deal_stage"] == "Lost"]
	won_value = sum(Decimal(r["close_value"]) for r in won)
	rate = (Decimal(len(won)) / Decimal(len(won) + len(lost))).quantize(Decimal("0.0001"), ROUND_HALF_UP)
	assert d["won_count"] == len(won) == 4238, d["won_count"]
	assert d["lost_count"] == len(lost), d["lost_count"]
	assert d["won_total"] == {"amount": "%.2f" % won_value, "currency": "USD"}, d["won_total"]
	assert Decimal(str(d["win_rate"])) == rate, (d["win_rate"], rate)
	stages = {}
	for r in rows:
	    stages[r["deal_stage"].lower()] = stages.get(r["deal_stage"].lower(), 0) + 1
	assert {s["stage"]: s["count"] for s in d["by_stage"]} == stages, d["by_stage"]
	assert d["open_count"] == stages["prospecting"] + stages["engaging"]
	agents = {}
	for r in rows:
	    a = agents.setdefault(r["sales_agent"], [0, Decimal(0), 0, 0])
	    if r["deal_stage"] == "Won":
	        a[0] += 1; a[1] += Decimal(r["close_value"])
	    elif r["deal_stage"] == "Lost":
	        a[2] += 1
	    else:
	        a[3] += 1
	got = {o["owner"]: o for o in d["by_owner"]}
	assert set(got) == set(agents), set(agents) ^ set(got)
	for name, (w, v, l, o) in agents.items():
	    g = got[name]
	    assert (g["won_count"], g["lost_count"], g["open_count"]) == (w, l, o), (name, g)
	    assert g["won_total"]["amount"] == "%.2f" % v, (name, g, v)
	print("maven: won %d (%s USD), lost %d, win rate %s" % (len(won), won_value, len(lost), rate))
	PY
'

test_expect_success MAVEN 'filters on the real data: one agent, and a period' '
	crm -C maven dashboard --json --owner "Darcel Schlecht" >one.json &&
	python3 - "$MAVEN/sales_pipeline.csv" one.json <<-\PY
	import csv, json, sys
	rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
	        if r["sales_agent"] == "Darcel Schlecht"]
	d = json.load(open(sys.argv[2]))
	assert d["won_count"] == sum(r["deal_stage"] == "Won" for r in rows)
	assert d["lost_count"] == sum(r["deal_stage"] == "Lost" for r in rows)
	PY
	crm -C maven report won --since 2017-03-01 --until 2017-03-31 --json >march.json &&
	python3 - "$MAVEN/sales_pipeline.csv" march.json <<-\PY
	import csv, json, sys
	from decimal import Decimal
	rows = [r for r in csv.DictReader(open(sys.argv[1], newline=""))
	        if r["deal_stage"] == "Won" and r["close_date"].startswith("2017-03")]
	d = json.load(open(sys.argv[2]))
	assert d["won_count"] == len(rows), (d["won_count"], len(rows))
	assert d["won_total"]["amount"] == "%.2f" % sum(Decimal(r["close_value"]) for r in rows)
	PY
'

test_done
