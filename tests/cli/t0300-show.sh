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
	amount   3,000.00 EUR
	cost     1,000.00 EUR
	tags     facebook-ads
	created  2025-02-01

	history:
	  - date: 2025-02-01, stage: lead, by: alice
	  - date: 2025-02-20, stage: won, by: alice

	computed:
	field        value
	client_name  ហាងកាហ្វេភ្នំពេញ
	profit       2,000.00 EUR

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
	cat >expect <<-\EOF &&
	{"type": "project", "id": "cafe-launch", "path": "projects/cafe-launch.yaml", "fields": {"name": "Café launch campaign", "opportunity": "cafe-ads", "client": "c-p9x3tm", "client_name": "ហាងកាហ្វេភ្នំពេញ"}, "defaulted": [], "referenced_by": []}
	EOF
	test_cmp expect out
'

test_expect_success 'JSON carries money as amount and currency, and referrers' '
	crm -C small show opportunity/qingyun-site --json >out &&
	cat >expect <<-\EOF &&
	{"type": "opportunity", "id": "qingyun-site", "path": "opportunities/2025/qingyun-site.yaml", "fields": {"title": "青云 website", "client": "c-7k2m9q", "client_name": "北京青云科技", "stage": "negotiation", "amount": {"amount": "20000.00", "currency": "USD"}, "cost": {"amount": "5000.00", "currency": "USD"}, "profit": {"amount": "15000.00", "currency": "USD"}, "confidence": 4, "tags": ["website", "seo"], "created": "2025-03-01", "last_activity": null, "next_step": null}, "defaulted": [], "referenced_by": []}
	EOF
	test_cmp expect out &&
	crm -C small show client/c-7k2m9q --json >c &&
	cat >expect <<-\EOF &&
	{"type": "client", "id": "c-7k2m9q", "path": "clients/c-7k2m9q.yaml", "fields": {"name": "北京青云科技", "city": "北京", "email": "info@qingyun.example", "tags": ["website"], "last_activity": null, "next_step": null}, "defaulted": [], "referenced_by": [{"type": "opportunity", "id": "qingyun-site", "field": "client"}]}
	EOF
	test_cmp expect c
'

test_expect_success 'an unknown id suggests the closest (exit 1)' '
	test_expect_code 1 crm -C small show opportunity/cafe-ad 2>err &&
	echo "crm show: no opportunity '\''cafe-ad'\'' (did you mean '\''opportunity/cafe-ads'\''?)" >expect &&
	test_cmp expect err
'

test_expect_success 'an unknown type lists the types (exit 2)' '
	test_expect_code 2 crm -C small show deal/x 2>err &&
	cat >expect <<-\EOF &&
	crm show: unknown record type '\''deal'\''; the types are:
	  client
	  opportunity
	  project
	  activity
	  contact
	  invoice
	  product
	  task
	EOF
	test_cmp expect err
'

# Referrers through a list's entries name the nested field, and a reference
# written as type/id or as a bare id both count; a value that only ends
# like the id does not.
test_expect_success 'referrers through list entries and both forms of reference' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm -C agency show product/seo-retainer >out &&
	cat >expect <<-\EOF &&
	product/seo-retainer  (products/seo-retainer.yaml)
	field       value
	name        SEO monthly retainer
	unit_price  1,200.00 EUR
	unit        month
	tax         vat19

	referenced by:
	  invoice/inv-0000002 (lines.product)
	  invoice/draft-kaffee-seo (lines.product)
	EOF
	test_cmp expect out &&
	printf "date: 2025-05-01T10:00\nkind: note\nabout: client/acme-corp\n" \
		>agency/activities/about-acme.yaml &&
	printf "name: Not Acme\nnotes: x-acme-corp\n" >agency/clients/x-acme-corp.yaml &&
	crm -C agency show client/acme-corp >out &&
	sed -n "/^referenced by:$/,\$p" out >actual &&
	cat >expect <<-\EOF &&
	referenced by:
	  opportunity/acme-website-2508 (client)
	  opportunity/acme-branding-2412 (client)
	  opportunity/acme-website-2504 (client)
	  contact/maeve-obrien (client)
	  contact/liam-byrne (client)
	  activity/about-acme (about)
	EOF
	test_cmp expect actual &&
	! grep -q "x-acme-corp" out
'

test_done
