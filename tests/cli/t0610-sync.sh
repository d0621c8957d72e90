#!/bin/sh
# crm sync over file://: fetch, field-by-field merge, push; refusals when the
# user has uncommitted edits or a conflict stands.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a shared repository and two clones' '
	cp -R "$TEST_DATA/small" seed && shared_remote seed &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob
'

test_expect_success 'sync pushes; the other side merges field by field and pushes' '
	crm -C alice set lodz-brand "amount=50000.00 PLN" >/dev/null &&
	crm -C alice sync >out &&
	crm -C bob set lodz-brand confidence=5 >/dev/null &&
	crm -C bob sync >>out &&
	git -C bob log -1 --format="%s %p" >msg &&
	crm -C alice sync >>out &&
	cat >expect <<-\EOF &&
	up to date from origin; pushed
	merged from origin; pushed
	fast-forwarded from origin; pushed
	EOF
	test_cmp expect out &&
	sed "s/ [0-9a-f]\{7,\}/ HASH/g" msg >actual &&
	echo "crm: sync: merge origin/main HASH HASH" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	# Polish client, amount in PLN
	title: Identyfikacja wizualna
	client: lodz-studio
	stage: proposal
	amount: "50000.00 PLN"
	cost: "12000.00 PLN"
	confidence: 5
	tags: [branding]
	created: 2025-04-15
	EOF
	for c in alice bob; do
		test_cmp expect $c/opportunities/2025/lodz-brand.yaml || exit 1
	done &&
	test "$(git -C alice rev-parse HEAD)" = "$(git -C remote.git rev-parse main)"
'

test_expect_success 'uncommitted edits stop sync, and nothing is committed' '
	before=$(git -C bob rev-parse HEAD) &&
	echo "# mine" >>bob/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C bob sync 2>err &&
	cat >expect <<-\EOF &&
	  clients/acme-corp.yaml
	crm sync: 1 uncommitted change above; commit them ('\''git commit -a'\'') or set them aside ('\''git stash'\'') first: crm sync commits nothing of yours
	EOF
	test_cmp expect err &&
	test "$(git -C bob rev-parse HEAD)" = "$before" &&
	git -C bob checkout -q clients/acme-corp.yaml
'

test_expect_success 'a conflict is merged into the file, reported, and not pushed' '
	crm -C alice set acme-corp city=Cork >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob set acme-corp city=Galway >/dev/null &&
	remote_before=$(git -C remote.git rev-parse main) &&
	test_expect_code 1 crm -C bob sync 2>err &&
	echo "crm sync: merged, with 1 field in conflict: see '\''crm check'\'', settle with '\''crm resolve'\'', then '\''crm sync'\'' again (nothing was pushed)" >expect &&
	test_cmp expect err &&
	test "$(git -C remote.git rev-parse main)" = "$remote_before" &&
	test_expect_code 1 crm -C bob check --no-source >out 2>/dev/null &&
	echo "clients/acme-corp.yaml:3:3: error: field '\''city'\'' has two values from a merge; settle it with '\''crm resolve client/acme-corp city --ours|--theirs|--value V'\'' [merge-conflict]" >expect &&
	test_cmp expect out &&
	test_expect_code 1 crm -C bob sync 2>err &&
	cat >expect <<-\EOF &&
	  clients/acme-corp.yaml:3:3: field '\''city'\'' has two values from a merge; settle it with '\''crm resolve client/acme-corp city --ours|--theirs|--value V'\''
	crm sync: fields above are still in conflict; settle them with '\''crm resolve'\'' first
	EOF
	test_cmp expect err
'

test_expect_success 'after crm resolve, sync pushes and both sides agree' '
	crm -C bob resolve acme-corp city --value Kinsale >/dev/null &&
	crm -C bob sync >out &&
	echo "up to date from origin; pushed" >expect &&
	test_cmp expect out &&
	crm -C alice sync >/dev/null &&
	printf "%s\n" "name: Acme Corp" "city: Kinsale" "email: office@acme.example" >expect &&
	test_cmp expect alice/clients/acme-corp.yaml &&
	crm -C alice check >out 2>err && test ! -s out &&
	echo "0 errors, 0 warnings in 9 records" >expect &&
	test_cmp expect err
'

test_expect_success 'edited on one side, deleted on the other: reported, both kept' '
	crm -C alice rm opportunity/acme-seo >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob set acme-seo "amount=7000.00 EUR" >/dev/null &&
	test_expect_code 1 crm -C bob sync 2>err &&
	echo "crm sync: git could not merge '\''opportunities/acme-seo.yaml'\''; fix it, '\''git add'\'' it and '\''git commit'\'', then run '\''crm sync'\'' again (nothing was pushed)" >expect &&
	test_cmp expect err &&
	cat >expect <<-\EOF &&
	title: SEO retainer
	client: acme-corp
	stage: lead
	amount: "7000.00 EUR"
	tags: [seo]
	created: 2025-05-10
	EOF
	test_cmp expect bob/opportunities/acme-seo.yaml &&
	git -C bob ls-files -u >unmerged &&
	cut -f2 unmerged >actual && printf "%s\n" opportunities/acme-seo.yaml \
		opportunities/acme-seo.yaml >expect && test_cmp expect actual &&
	git -C bob rm -q opportunities/acme-seo.yaml && git -C bob commit -q --no-edit &&
	crm -C bob sync >out &&
	echo "up to date from origin; pushed" >expect &&
	test_cmp expect out
'

test_expect_success 'an unknown remote is reported' '
	test_expect_code 1 crm -C alice sync --remote nowhere 2>err &&
	echo "crm sync: no remote '\''nowhere'\''; add one with '\''git remote add nowhere URL'\''" >expect &&
	test_cmp expect err
'

test_done
