#!/bin/sh
# crm set, tag and move with --where FILTER: every record the filter
# selects (of every type whose fields it names, or of --type), one commit
# with a summary; any refusal leaves the tree and the index untouched.
. "$(dirname "$0")/lib.sh"

snapshot() {
	(find clients opportunities tasks -type f | sort | xargs sha1sum
	 sha1sum .git/index; git rev-parse HEAD) >"$1"
}

test_expect_success 'clients, deals and tasks of bob and alice' '
	crm init repo >/dev/null &&
	cd repo && mkdir -p clients opportunities tasks &&
	printf "[user \"alice\"]\n[user \"bob\"]\n[user \"chen\"]\n" >>crm.ini &&
	printf "name: Acme\nowner: bob\ntags: [seo]\n" >clients/acme.yaml &&
	printf "name: Bolt\nowner: bob\n" >clients/bolt.yaml &&
	printf "name: Cora\nowner: alice\ntags: [seo]\n" >clients/cora.yaml &&
	printf "title: Web\nclient: acme\nstage: qualifying\nowner: bob\ntags: [seo]\n" >opportunities/web.yaml &&
	printf "title: Ads\nclient: bolt\nstage: negotiation\nowner: bob\n" >opportunities/ads.yaml &&
	printf "title: Old\nclient: acme\nstage: won\ncreated: 2025-01-01\nclosed: 2025-01-10\nowner: bob\n" >opportunities/old.yaml &&
	printf "title: Call\nassignee: bob\nstatus: open\ntags: [seo]\n" >tasks/call.yaml &&
	git add -A && git commit -qm start &&
	crm check >/dev/null
'

test_expect_success 'set --where: every type with the fields, one commit' '
	cd repo &&
	crm set --where "owner:bob tag:seo" owner=chen >out &&
	echo "crm: set owner=chen on 2 records where owner:bob tag:seo" >expect &&
	sed "s/^\[[0-9a-f]*\] //" out >got && test_cmp expect got &&
	printf "name: Acme\nowner: chen\ntags: [seo]\n" >expect && test_cmp expect clients/acme.yaml &&
	grep -q "^owner: chen$" opportunities/web.yaml &&
	grep -q "^owner: bob$" clients/bolt.yaml &&
	test "$(git log --oneline | wc -l)" = 3 &&
	git show --stat --format= HEAD | sort >got &&
	cat >expect <<-\EOF &&
	 2 files changed, 2 insertions(+), 2 deletions(-)
	 clients/acme.yaml      | 2 +-
	 opportunities/web.yaml | 2 +-
	EOF
	test_cmp expect got
'

test_expect_success 'set --where --type: only that type' '
	cd repo &&
	crm set --where owner:bob --type client temperature=warm >out &&
	echo "crm: set temperature=warm on 1 record where owner:bob" >expect &&
	sed "s/^\[[0-9a-f]*\] //" out >got && test_cmp expect got &&
	grep -q "^temperature: warm$" clients/bolt.yaml
'

test_expect_success 'a refusal of one record leaves everything untouched' '
	cd repo &&
	snapshot ../before &&
	test_expect_code 2 crm set --where owner:bob size=enormous 2>err &&
	tail -n 1 err >got &&
	echo "crm set: nothing was changed" >expect && test_cmp expect got &&
	snapshot ../after && test_cmp ../before ../after &&
	test_expect_code 1 crm set --where owner:bob --type opportunity created=2025-02-01 2>err &&
	grep "^crm set: " err >got &&
	cat >expect <<-\EOF &&
	crm set: opportunity/old: the change would bring 1 new error to opportunity/old (above); nothing was written (--force writes it anyway)
	crm set: nothing was changed
	EOF
	test_cmp expect got &&
	snapshot ../after && test_cmp ../before ../after
'

test_expect_success 'nothing matched, nothing to change; bad filters' '
	cd repo &&
	crm set --where owner:nobody owner=chen >out &&
	echo "0 records matched, none needed the change; nothing to commit" >expect &&
	test_cmp expect out &&
	test_expect_code 2 crm set --where "amout>5" owner=chen 2>err &&
	echo "crm set: no record type has the fields of --where '\''amout>5'\'' and of the change" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm set --where "amount>lots" --type opportunity owner=chen 2>err &&
	test -s err
'

test_expect_success 'tag --where: adds and removes, leaves records already tagged' '
	cd repo &&
	crm tag --where owner:bob +vip -seo >out &&
	echo "crm: tag +vip -seo on 3 records where owner:bob" >expect &&
	sed "s/^\[[0-9a-f]*\] //" out >got && test_cmp expect got &&
	printf "name: Bolt\nowner: bob\ntemperature: warm\ntags: [vip]\n" >expect &&
	test_cmp expect clients/bolt.yaml &&
	crm tag --where owner:bob +vip >out &&
	echo "3 records matched, none needed the change; nothing to commit" >expect &&
	test_cmp expect out
'

test_expect_success 'move --where: open deals to a stage, history written' '
	cd repo &&
	crm move --where "owner:bob outcome=open" proposal-sent >out &&
	echo "crm: move -> proposal-sent on 1 record where owner:bob outcome=open" >expect &&
	sed "s/^\[[0-9a-f]*\] //" out >got && test_cmp expect got &&
	grep -q "^stage: proposal-sent$" opportunities/ads.yaml &&
	snapshot ../before &&
	test_expect_code 2 crm move --where "owner:chen" closed-lost 2>err &&
	printf "crm move: opportunity/web: a lost deal needs a reason: --reason REASON\ncrm move: nothing was changed\n" >expect &&
	test_cmp expect err &&
	snapshot ../after && test_cmp ../before ../after &&
	crm move --where "owner:chen" closed-lost --reason price >out &&
	echo "crm: move -> closed-lost on 1 record where owner:chen" >expect &&
	sed "s/^\[[0-9a-f]*\] //" out >got && test_cmp expect got &&
	cat >expect <<-\EOF &&
	title: Web
	client: acme
	stage: closed-lost
	owner: chen
	tags: [seo]
	closed: 2025-06-01
	lost_reason: price
	history:
	  - {date: 2025-06-01, stage: closed-lost, by: Alice Example}
	EOF
	test_cmp expect opportunities/web.yaml &&
	test_expect_code 2 crm move --where owner:bob nosuchstage 2>/dev/null
'

test_done
