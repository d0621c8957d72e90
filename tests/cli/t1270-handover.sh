#!/bin/sh
# crm handover --from U --to V [FILTER...]: U's clients, open deals and
# open tasks go to V in one commit, a table by type says what moved; won
# deals and done tasks stay; a refusal changes nothing.
. "$(dirname "$0")/lib.sh"

snapshot() {
	(find clients opportunities tasks -type f | sort | xargs sha1sum
	 sha1sum .git/index; git rev-parse HEAD) >"$1"
}

test_expect_success 'bob leaves: his clients, deals and tasks' '
	crm init repo >/dev/null &&
	cd repo && mkdir -p clients opportunities tasks &&
	printf "[user \"alice\"]\n[user \"bob\"]\n[user \"chen\"]\n" >>crm.ini &&
	printf "name: Acme\nowner: bob\nsource: referral\n" >clients/acme.yaml &&
	printf "name: Bolt\nowner: bob\n" >clients/bolt.yaml &&
	printf "name: Cora\nowner: alice\n" >clients/cora.yaml &&
	printf "title: Web\nclient: acme\nstage: qualifying\nowner: bob\nsource: referral\n" >opportunities/web.yaml &&
	printf "title: Ads\nclient: bolt\nstage: negotiation\nowner: bob\n" >opportunities/ads.yaml &&
	printf "title: Won\nclient: acme\nstage: won\nowner: bob\ncreated: 2025-01-01\nclosed: 2025-02-01\n" >opportunities/won.yaml &&
	printf "title: Call\nassignee: bob\nstatus: open\n" >tasks/call.yaml &&
	printf "title: Sent\nassignee: bob\nstatus: done\n" >tasks/sent.yaml &&
	git add -A && git commit -qm start &&
	crm check >/dev/null
'

test_expect_success 'a filter limits what moves' '
	cd repo &&
	crm handover --from bob --to chen source=referral >out &&
	sed "s/^\[[0-9a-f]*\] //" out >got &&
	cat >expect <<-\EOF &&
	crm: handover bob -> chen on 2 records where source=referral
	from bob to chen:
	type         moved
	client           1
	opportunity      1
	task             0
	EOF
	test_cmp expect got &&
	grep -q "^owner: chen$" clients/acme.yaml &&
	grep -q "^owner: chen$" opportunities/web.yaml
'

test_expect_success 'the rest, in one commit; won deals and done tasks stay' '
	cd repo &&
	crm handover --from bob --to alice >out &&
	sed "s/^\[[0-9a-f]*\] //" out >got &&
	cat >expect <<-\EOF &&
	crm: handover bob -> alice on 3 records
	from bob to alice:
	type         moved
	client           1
	opportunity      1
	task             1
	EOF
	test_cmp expect got &&
	test "$(git log --oneline | wc -l)" = 4 &&
	grep -q "^owner: bob$" opportunities/won.yaml &&
	grep -q "^assignee: bob$" tasks/sent.yaml &&
	grep -q "^assignee: alice$" tasks/call.yaml &&
	crm handover --from bob --to alice >out &&
	echo "0 records matched, none needed the change; nothing to commit" >expect &&
	test_cmp expect out
'

test_expect_success 'refusals change nothing' '
	cd repo &&
	snapshot ../before &&
	test_expect_code 2 crm handover --from bob 2>err &&
	echo "crm handover: --from and --to name two different users" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm handover --from bob --to bob 2>/dev/null &&
	test_expect_code 2 crm handover --from alice --to chen amout\>5 2>err &&
	echo "crm handover: the filters suit none of client, opportunity and task (crm ls TYPE FILTER... says why)" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm handover --to chen 2>/dev/null &&
	test_expect_code 2 crm handover --from alice --to chen --type client 2>/dev/null &&
	snapshot ../after && test_cmp ../before ../after
'

test_done
