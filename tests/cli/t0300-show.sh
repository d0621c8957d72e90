#!/bin/sh
# crm show: fields, computed fields (lookups, lookups of lookups, formulas)
# and referenced-by, as text and JSON, on tests/data/small.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'show prints stored fields, entries, computed fields and referrers' '
	crm -C small show opportunity/cafe-ads >out &&
	cat >expect <<-\EOF &&
	opportunity/cafe-ads  (opportunities/2025/cafe-ads.yaml)
	field    value
	title    Facebook ads
	client   c-p9x3tm
	stage    won
	amount   3000.00 EUR
	cost     1000.00 EUR
	tags     facebook-ads
	created  2025-02-01

	history:
	  - date: 2025-02-01, stage: lead, by: alice
	  - date: 2025-02-20, stage: won, by: alice

	computed:
	field        value
	client_name  ហាងកាហ្វេភ្នំពេញ
	profit       2000.00 EUR

	referenced by:
	  project/cafe-launch (opportunity)
	EOF
	test_cmp expect out
'

test_expect_success 'a bare id works when only one type has it' '
	crm -C small show cafe-ads >out2 &&
	test_cmp out out2
'

test_expect_success 'a lookup of a lookup reaches the client through the opportunity' '
	crm -C small show project/cafe-launch --json >out &&
	grep -q "\"client\": \"c-p9x3tm\"" out &&
	grep -q "\"client_name\": \"ហាងកាហ្វេភ្នំពេញ\"" out
'

test_expect_success 'JSON carries money as amount and currency, and referrers' '
	crm -C small show opportunity/qingyun-site --json >out &&
	grep -q "\"amount\": {\"amount\": \"20000.00\", \"currency\": \"USD\"}" out &&
	grep -q "\"profit\": {\"amount\": \"15000.00\", \"currency\": \"USD\"}" out &&
	grep -q "\"confidence\": 4" out &&
	crm -C small show client/c-7k2m9q --json >c &&
	grep -q "\"referenced_by\": \[{\"type\": \"opportunity\", \"id\": \"qingyun-site\", \"field\": \"client\"}\]" c
'

test_expect_success 'an unknown id suggests the closest (exit 1)' '
	test_expect_code 1 crm -C small show opportunity/cafe-ad 2>err &&
	grep -q "did you mean .opportunity/cafe-ads.?" err
'

test_expect_success 'an unknown type lists the types (exit 2)' '
	test_expect_code 2 crm -C small show deal/x 2>err &&
	grep -q "unknown record type .deal." err &&
	grep -q "^  opportunity$" err
'

# Referrers through a list's entries name the nested field, and a reference
# written as type/id or as a bare id both count; a value that only ends
# like the id does not.
test_expect_success 'referrers through list entries and both forms of reference' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm -C agency show product/seo-retainer >out &&
	grep -q "invoice/inv-0000002 (lines.product)" out &&
	printf "date: 2025-05-01T10:00\nkind: note\nabout: client/acme-corp\n" \
		>agency/activities/about-acme.yaml &&
	printf "name: Not Acme\nnotes: x-acme-corp\n" >agency/clients/x-acme-corp.yaml &&
	crm -C agency show client/acme-corp >out &&
	grep -q "activity/about-acme (about)" out &&
	! grep -q "x-acme-corp" out
'

test_done
