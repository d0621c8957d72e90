#!/bin/sh
# crm dashboard: the figures of SPEC section 7 on a small hand-made
# repository whose answers are worked out below, every filter, --at from
# git without touching the work tree, and the example's figures checked
# against python3 reading the YAML files itself.
. "$(dirname "$0")/lib.sh"

. "$TEST_TOP/tests/cli/sales-repo.sh"

test_expect_success 'set up a small repository with known answers' '
	make_small
'

test_expect_success 'the SPEC keys of --json carry the worked-out figures' '
	crm -C small dashboard --json >out.json &&
	python3 - out.json <<-\EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	m = lambda a: {"amount": a, "currency": "EUR"}
	assert d["open_count"] == 2, d["open_count"]
	assert d["pipeline_total"] == m("1100.00"), d["pipeline_total"]
	assert d["pipeline_weighted"] == m("150.00"), d["pipeline_weighted"]
	assert d["won_count"] == 1 and d["won_total"] == m("3000.00")
	assert d["lost_count"] == 1 and d["lost_total"] == m("500.00")
	assert d["win_rate"] == 0.5
	assert d["avg_deal_size"] == m("3000.00")
	assert d["stalled_count"] == 1
	assert d["invoiced_total"] == m("240.00") and d["paid_total"] == m("100.00")
	months = {r["month"]: r for r in d["by_month"]}
	assert list(months) == ["2025-01", "2025-02", "2025-03", "2025-04"], list(months)
	assert months["2025-01"]["new_count"] == 2
	assert months["2025-01"]["created_total"] == m("4000.00")
	assert months["2025-02"]["created_total"] == m("600.00")
	assert months["2025-03"]["won_total"] == m("3000.00")
	assert months["2025-03"]["invoiced_total"] == m("240.00")
	assert months["2025-04"]["paid_total"] == m("100.00")
	stages = {r["stage"]: r["count"] for r in d["by_stage"]}
	assert stages == {"lead": 1, "proposal": 1, "won": 1, "lost": 1}, stages
	assert [r["id"] for r in d["stalled"]] == ["a"]
	assert d["stalled"][0]["idle_days"] == 142
	assert d["commit"] and len(d["commit"]) == 40 and d["dirty"] is False
	EOF
'

test_expect_success 'CSV tables, one at a time or all with their names' '
	crm -C small dashboard --csv --table by_tag >out &&
	cat >expect <<-\EOF &&
	tag,won_count,won_total,lost_count,win_rate,open_count,pipeline_total
	web,1,3000.00,0,1,1,100.00
	seo,0,0.00,1,0,2,1100.00
	EOF
	test_cmp expect out &&
	crm -C small dashboard --csv >all &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0800-dashboard-all.csv" all
'

test_expect_success 'the terminal page: header with the commit, cards and bars' '
	crm -C small dashboard >out &&
	sed "1s/^\(Dashboard, as of commit \)[0-9a-f]\{8\} /\1HASH /" out >actual &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0800-dashboard-terminal.out" actual
'

test_expect_success 'bars fit the width and line up by display width' '
	crm -C small dashboard >out &&
	python3 - out <<-\EOF
	import sys, unicodedata
	def width(s):
	    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
	lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
	bars = [l for l in lines if "█" in l]
	assert bars, "no bars"
	for l in bars:
	    assert width(l) <= 80, (width(l), l)
	EOF
'

# figures FILE: the top-level figures of a dashboard's JSON, from
# open_count to paid_total (the tables after them are checked above).
figures() {
	sed -n "/^  \"open_count\"/,/^  \"paid_total\"/p" "$1"
}

test_expect_success 'filters combine: owner, tag, stage, client, since, until' '
	for f in "--owner alice" "--tag seo" "--stage proposal" "--client c2" \
		"--client c1" "--since 2025-02-01" "--until 2025-01-31" \
		"--owner bob --tag seo --since 2025-02-01" "amount>600"; do
		echo "== $f" &&
		crm -C small dashboard --json $f >f.json &&
		figures f.json || return 1
	done >actual &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0800-dashboard-filters.out" actual
'

test_expect_success 'stalled days from crm.ini and from the command line' '
	crm -C small dashboard --json --stalled-days 200 >s &&
	figures s | grep "stalled_count" >actual &&
	cp -R small small2 && printf "[dashboard]\nstalled_days = 5\n" >>small2/crm.ini &&
	crm -C small2 dashboard --json >s2 &&
	figures s2 | grep "stalled_count" >>actual &&
	cat >expect <<-\EOF &&
	  "stalled_count": 0,
	  "stalled_count": 2,
	EOF
	test_cmp expect actual &&
	grep -A3 "^  \"stalled\": \[" s2 >actual &&
	cat >expect <<-\EOF &&
	  "stalled": [
	    {"id": "a", "title": "Deal A", "owner": "alice", "stage": "lead", "amount": {"amount": "1000.00", "currency": "EUR"}, "last_touch": "2025-01-10", "idle_days": 142, "next_step": null},
	    {"id": "b", "title": "Deal B", "owner": "bob", "stage": "proposal", "amount": {"amount": "100.00", "currency": "EUR"}, "last_touch": "2025-05-20", "idle_days": 12, "next_step": "2025-06-10 send the contract"}
	  ]
	EOF
	test_cmp expect actual
'

test_expect_success 'bad options are usage errors that say what is wrong' '
	test_expect_code 2 crm -C small dashboard --since 2025-13-01 2>err &&
	test_expect_code 1 crm -C small dashboard --client c3 2>>err &&
	test_expect_code 2 crm -C small dashboard --stage nope 2>>err &&
	test_expect_code 2 crm -C small dashboard --csv --table nope 2>>err &&
	test_expect_code 2 crm -C small dashboard --json --csv 2>>err &&
	test_expect_code 2 crm -C small dashboard --at no-such-rev 2>>err &&
	test_expect_code 2 crm -C small dashboard --at 2024-01-01 2>>err &&
	cat >expect <<-\EOF &&
	crm dashboard: --since: invalid date '\''2025-13-01'\'' at column 6: month out of range (01..12)
	crm dashboard: unknown client '\''c3'\'' (did you mean '\''c1'\''?)
	crm dashboard: filter '\''stage=nope'\'': unknown stage '\''nope'\'' (crm.ini lists the stages)
	crm dashboard: no table '\''nope'\'' in this report (tables: figures, by_month, by_stage, by_tag, by_source, by_owner, stalled)
	crm dashboard: --json and --csv exclude each other
	crm dashboard: unknown revision '\''no-such-rev'\'': revspec '\''no-such-rev'\'' not found
	crm dashboard: no commit on HEAD before the end of 2024-01-01
	EOF
	test_cmp expect err
'

# at_figures FILE: a dashboard JSON's commit, date, dirty flag and figures, the
# commits named FIRST (the one make_small made) and HEAD.
at_figures() {
	sed -n "/^  \"commit\"/,/^  \"paid_total\"/p" "$1" |
	sed "s/$first/FIRST/; s/$(git -C small rev-parse HEAD)/HEAD/"
}

test_expect_success '--at reads the figures from git, not from the work tree' '
	first=$(git -C small rev-parse HEAD) &&
	sed -i "s/^stage: lead$/stage: won/" small/opportunities/a.yaml &&
	printf "closed: 2025-06-10\n" >>small/opportunities/a.yaml &&
	GIT_COMMITTER_DATE=2025-06-10T12:00:00Z git -C small commit -q -am "a won" &&
	rm small/opportunities/b.yaml &&
	for at in "" "--at HEAD~1" "--at 2025-06-05" "--at 2025-06-10"; do
		echo "== ${at:-the work tree}" &&
		crm -C small dashboard --json $at >at.json &&
		at_figures at.json || return 1
	done >actual &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0800-dashboard-at.out" actual &&
	crm -C small dashboard --at HEAD~1 >then &&
	sed -n 1p then >actual &&
	echo "Dashboard, as of commit $(echo $first | cut -c1-8) (2025-06-01); amounts in EUR" >expect &&
	test_cmp expect actual &&
	test ! -f small/opportunities/b.yaml &&
	git -C small status --porcelain >st && test "$(cat st)" = " D opportunities/b.yaml" &&
	git -C small checkout -q -- opportunities/b.yaml
'

test_expect_success '--at takes crm.ini and schemas of that commit too' '
	sed -i "s/^value = 0.5$/value = 2/" small/crm.ini &&
	git -C small commit -q -am "usd up" &&
	crm -C small dashboard --json >now &&
	crm -C small dashboard --json --at HEAD~1 >then &&
	grep "^  \"pipeline" now then >actual &&
	cat >expect <<-\EOF &&
	now:  "pipeline_total": {"amount": "400.00", "currency": "EUR"},
	now:  "pipeline_weighted": {"amount": "200.00", "currency": "EUR"},
	then:  "pipeline_total": {"amount": "100.00", "currency": "EUR"},
	then:  "pipeline_weighted": {"amount": "50.00", "currency": "EUR"},
	EOF
	test_cmp expect actual
'

# A data repository in a folder of the git work tree: its files are named
# in git's index with the folder before them.
test_expect_success 'uncommitted changes of a data repository in a sub-folder of git' '
	mkdir outer && cp -R small outer/sales && rm -rf outer/sales/.git &&
	git -C outer init -q && git -C outer add -A && git -C outer commit -q -m outer &&
	crm -C outer/sales dashboard --json >clean.json &&
	grep "\"dirty\": false" clean.json &&
	printf "notes: later\n" >>outer/sales/clients/c2.yaml &&
	crm -C outer/sales dashboard --json >edited.json &&
	grep "\"dirty\": true" edited.json &&
	git -C outer commit -q -am later &&
	crm -C outer/sales dashboard >page &&
	sed -n 1p page >actual &&
	! grep uncommitted actual
'

# The bundled example, against python3 reading the same YAML files.
test_expect_success 'the example: figures equal those python3 computes from the files' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm -C agency dashboard --json >dash.json &&
	python3 - agency dash.json <<-\EOF
	import configparser, json, sys, os, yaml
	from decimal import Decimal, ROUND_HALF_UP
	repo, out = sys.argv[1], json.load(open(sys.argv[2]))
	ini = configparser.ConfigParser(inline_comment_prefixes=(";",))
	ini.read(os.path.join(repo, "crm.ini"))
	stages, rates = {}, {"EUR": Decimal(1)}
	for s in ini.sections():
	    if s.startswith("stage "):
	        stages[s[7:-1]] = (int(ini[s]["probability"]), ini[s].get("outcome", "open"))
	    if s.startswith("rate "):
	        rates[s[6:-1]] = Decimal(ini[s]["value"])
	cent = Decimal("0.01")
	def eur(text):
	    a, cur = str(text).split()
	    return (Decimal(a) * rates[cur]).quantize(cent, ROUND_HALF_UP)
	open_n = won_n = lost_n = 0
	pipe = weighted = won = Decimal(0)
	months = {}
	by_stage = {}
	for root, _, files in os.walk(os.path.join(repo, "opportunities")):
	    for f in files:
	        d = yaml.safe_load(open(os.path.join(root, f)))
	        prob, outcome = stages[d["stage"]]
	        by_stage[d["stage"]] = by_stage.get(d["stage"], 0) + 1
	        a = eur(d["amount"]) if "amount" in d else Decimal(0)
	        m = months.setdefault(str(d["created"])[:7], [0, Decimal(0), Decimal(0)])
	        m[0] += 1
	        m[1] += a
	        if outcome == "open":
	            open_n += 1; pipe += a; weighted += a * prob / 100
	        elif outcome == "won":
	            won_n += 1; won += a
	            closed = d.get("closed") or d["history"][-1]["date"]
	            months.setdefault(str(closed)[:7], [0, Decimal(0), Decimal(0)])[2] += a
	        elif outcome == "lost":
	            lost_n += 1
	money = lambda v: {"amount": str(v.quantize(cent, ROUND_HALF_UP)), "currency": "EUR"}
	assert out["open_count"] == open_n, (out["open_count"], open_n)
	assert out["pipeline_total"] == money(pipe), (out["pipeline_total"], pipe)
	assert out["pipeline_weighted"] == money(weighted), (out["pipeline_weighted"], weighted)
	assert out["won_count"] == won_n and out["won_total"] == money(won)
	assert out["lost_count"] == lost_n
	rate = (Decimal(won_n) / Decimal(won_n + lost_n)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
	assert Decimal(str(out["win_rate"])) == rate, (out["win_rate"], rate)
	got = {r["month"]: r for r in out["by_month"]}
	for k, (n, created, w) in months.items():
	    assert got[k]["new_count"] == n, k
	    assert got[k]["created_total"] == money(created), (k, got[k], created)
	    assert got[k]["won_total"] == money(w), (k, got[k], w)
	assert {r["stage"]: r["count"] for r in out["by_stage"] if r["count"]} == by_stage
	print("example:", open_n, pipe, weighted, won_n, won, lost_n)
	EOF
'

# "dirty" is judged from the stat data the load read, against git's index
# and HEAD, without a second walk: each kind of change, and what is not one.
test_expect_success 'dirty: edits, staged edits, new and deleted records, crm.ini; not a touch' '
	dirty() { crm -C small dashboard --json | grep -q "\"dirty\": $1"; } &&
	dirty false &&
	touch small/opportunities/a.yaml && dirty false &&
	echo "notes: more" >>small/opportunities/a.yaml && dirty true &&
	git -C small add opportunities/a.yaml && dirty true &&
	git -C small commit -q -m notes && dirty false &&
	cp small/clients/c1.yaml small/clients/c9.yaml && dirty true &&
	rm small/clients/c9.yaml && dirty false &&
	echo "; a comment" >>small/crm.ini && dirty true &&
	git -C small checkout -q crm.ini && dirty false &&
	echo "x" >small/notes.txt && dirty false && rm small/notes.txt
'

test_done
