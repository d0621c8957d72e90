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
	crm -C alice sync >out && grep -q "up to date from origin; pushed" out &&
	crm -C bob set lodz-brand confidence=5 >/dev/null &&
	crm -C bob sync >out && grep -q "merged from origin; pushed" out &&
	git -C bob log -1 --format="%s %p" >msg &&
	grep -q "^crm: sync: merge origin/main [0-9a-f]* [0-9a-f]*$" msg &&
	crm -C alice sync >out && grep -q "fast-forwarded from origin; pushed" out &&
	for c in alice bob; do
		grep -q "^amount: \"50000.00 PLN\"$" $c/opportunities/2025/lodz-brand.yaml &&
		grep -q "^confidence: 5$" $c/opportunities/2025/lodz-brand.yaml || exit 1
	done &&
	test "$(git -C alice rev-parse HEAD)" = "$(git -C remote.git rev-parse main)"
'

test_expect_success 'uncommitted edits stop sync, and nothing is committed' '
	before=$(git -C bob rev-parse HEAD) &&
	echo "# mine" >>bob/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "clients/acme-corp.yaml" err && grep -q "commits nothing of yours" err &&
	test "$(git -C bob rev-parse HEAD)" = "$before" &&
	git -C bob checkout -q clients/acme-corp.yaml
'

test_expect_success 'a conflict is merged into the file, reported, and not pushed' '
	crm -C alice set acme-corp city=Cork >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob set acme-corp city=Galway >/dev/null &&
	remote_before=$(git -C remote.git rev-parse main) &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "1 field in conflict" err &&
	test "$(git -C remote.git rev-parse main)" = "$remote_before" &&
	test_expect_code 1 crm -C bob check --no-source >out 2>/dev/null &&
	grep -q "merge-conflict" out &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "still in conflict" err
'

test_expect_success 'after crm resolve, sync pushes and both sides agree' '
	crm -C bob resolve acme-corp city --value Kinsale >/dev/null &&
	crm -C bob sync >out && grep -q "pushed" out &&
	crm -C alice sync >/dev/null &&
	grep -q "^city: Kinsale$" alice/clients/acme-corp.yaml &&
	crm -C alice check 2>err && grep -q "^0 errors" err
'

test_expect_success 'edited on one side, deleted on the other: reported, both kept' '
	crm -C alice rm opportunity/acme-seo >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob set acme-seo "amount=7000.00 EUR" >/dev/null &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "git could not merge .opportunities/acme-seo.yaml." err &&
	grep -q "^amount: \"7000.00 EUR\"$" bob/opportunities/acme-seo.yaml &&
	git -C bob ls-files -u >unmerged && grep -q "opportunities/acme-seo.yaml" unmerged &&
	git -C bob rm -q opportunities/acme-seo.yaml && git -C bob commit -q --no-edit &&
	crm -C bob sync >out && grep -q pushed out
'

test_expect_success 'an unknown remote is reported' '
	test_expect_code 1 crm -C alice sync --remote nowhere 2>err &&
	grep -q "no remote .nowhere." err
'

test_done
