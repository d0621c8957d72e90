#!/bin/sh
# crm init: a new repository with schemas, stages and a first commit; in an
# existing clone it only registers the merge driver.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init makes a repository and the first commit' '
	crm init shop >out &&
	sed "s|$TRASH|TRASH|; s/(commit [0-9a-f]\{8\})/(commit HASH)/" out >actual &&
	echo "initialised a crm repository in TRASH/shop (commit HASH)" >expect &&
	test_cmp expect actual &&
	test -f shop/crm.ini && test -f shop/.gitattributes &&
	test -f shop/schema/opportunity.yaml && test -f shop/schema/client.yaml &&
	git -C shop log --format="%an %s" >log &&
	echo "Alice Example crm: init data repository" >expect &&
	test_cmp expect log
'

test_expect_success 'the first commit honours GIT_COMMITTER_DATE' '
	git -C shop log -1 --format=%cI >date &&
	echo "2025-06-01T12:00:00Z" | sed "s/Z/+00:00/" >expect &&
	test_cmp expect date
'

test_expect_success 'the nine stages of the pipeline are in order' '
	grep "^\[stage" shop/crm.ini | sed "s/.*\"\(.*\)\".*/\1/" >stages &&
	printf "%s\n" unqualified qualifying writing-proposal proposal-sent negotiation \
		contract-pending won closed-lost not-applicable >expect &&
	test_cmp expect stages
'

test_expect_success 'the merge driver is registered' '
	git -C shop config merge.crm.driver >drv &&
	echo "crm merge-driver %O %A %B %P" >expect &&
	test_cmp expect drv &&
	echo "*.yaml merge=crm" >expect &&
	test_cmp expect shop/.gitattributes
'

test_expect_success 'a new repository checks clean' '
	crm -C shop check >out 2>err &&
	test ! -s err &&
	echo "0 errors, 0 warnings in 0 records" >expect &&
	test_cmp expect out
'

test_expect_success 'in a fresh clone, init registers only what git did not clone' '
	git clone -q shop clone &&
	test_must_fail_config() { ! git -C clone config merge.crm.driver; } &&
	test_must_fail_config &&
	git -C clone rev-parse HEAD >before &&
	crm init clone >out &&
	echo "registered the crm merge driver in $TRASH/clone" >expect &&
	test_cmp expect out &&
	git -C clone config merge.crm.driver &&
	git -C clone rev-parse HEAD >after &&
	test_cmp before after &&
	test -z "$(git -C clone status --porcelain)"
'

test_expect_success 'init is idempotent' '
	crm init clone >out &&
	echo "$TRASH/clone is already set up; nothing to do" >expect &&
	test_cmp expect out
'

test_expect_success 'init in a folder below an existing work tree commits only its files' '
	git init -q mono && echo keep >mono/other.txt &&
	crm init mono/crm >/dev/null &&
	git -C mono ls-files >files &&
	cat >expect <<-\EOF &&
	crm/.gitattributes
	crm/crm.ini
	crm/schema/activity.yaml
	crm/schema/client.yaml
	crm/schema/contact.yaml
	crm/schema/invoice.yaml
	crm/schema/opportunity.yaml
	crm/schema/product.yaml
	crm/schema/task.yaml
	EOF
	test_cmp expect files
'

test_done
