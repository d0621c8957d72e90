#!/bin/sh
# Issuing: a numbered invoice is never a draft.  `crm invoice issue` writes
# status issued, the due date (the date + the series' due_days, or --due),
# drops the draft's comment, and names everything an invoice lacks in one
# message; every figure counts a numbered invoice unless it was rejected
# or cancelled.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the example' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency
'

test_expect_success 'issue: status issued, due from due_days, no draft comment' '
	crm -C agency invoice new --from acme-branding-2412 >out &&
	f=agency/$(tail -n 1 out) && grep -q "^# A draft" "$f" &&
	sed -i "s/^status: draft$/&\ndate: 2025-11-20/" "$f" &&
	git -C agency commit -q -am date &&
	crm -C agency invoice issue draft-acme-branding-2412 >out &&
	new=$(ls agency/invoices/*/inv-0000004.yaml) &&
	cat >expect <<-\EOF &&
	status: issued
	date: 2025-11-20
	client: acme-corp
	opportunity: acme-branding-2412
	currency: EUR
	lines:
	  - {description: Brand identity, quantity: 1, unit_price: 1500.00 EUR, tax: vat19}
	number: INV-0000004
	due: 2025-12-20
	EOF
	test_cmp expect "$new" &&
	test -z "$(git -C agency status --porcelain)"
'

test_expect_success '--due sets the due date' '
	crm -C agency invoice new --client kaffee-und-kuchen >out &&
	f=agency/$(tail -n 1 out) &&
	sed -i "s/^lines: \[\]$/lines:\n  - {description: Audit, quantity: 1, unit_price: 100, tax: vat19}/" "$f" &&
	git -C agency commit -q -am lines &&
	id=$(basename "$f" .yaml) &&
	crm -C agency invoice issue "$id" --due 2026-01-31 >/dev/null &&
	cat >expect <<-\EOF &&
	status: issued
	client: kaffee-und-kuchen
	currency: EUR
	lines:
	  - {description: Audit, quantity: 1, unit_price: 100, tax: vat19}
	number: INV-0000005
	date: 2025-06-01
	due: 2026-01-31
	EOF
	test_cmp expect agency/invoices/*/inv-0000005.yaml
'

test_expect_success 'every figure counts a numbered invoice unless rejected or cancelled' '
	CRM_TODAY=2026-12-01 crm -C agency report receivables --csv --table receivables >r.csv &&
	cat >expect <<-\EOF &&
	client,invoices,current,days_1_30,days_31_60,days_61_90,over_90,total
	acme-corp,1,0.00,0.00,0.00,0.00,1785.00,1785.00
	kaffee-und-kuchen,2,0.00,0.00,0.00,0.00,2261.00,2261.00
	muller-maschinenbau,1,0.00,0.00,0.00,0.00,6568.00,6568.00
	(all),4,0.00,0.00,0.00,0.00,10614.00,10614.00
	EOF
	test_cmp expect r.csv &&
	crm -C agency dashboard --json >before.json &&
	sed -i "s/^status: issued$/status: draft/" agency/invoices/*/inv-0000004.yaml &&
	sed -i "s/^status: issued$/status: cancelled/" agency/invoices/*/inv-0000005.yaml &&
	CRM_TODAY=2026-12-01 crm -C agency report receivables --csv --table receivables >r2.csv &&
	cat >expect <<-\EOF &&
	client,invoices,current,days_1_30,days_31_60,days_61_90,over_90,total
	acme-corp,1,0.00,0.00,0.00,0.00,1785.00,1785.00
	kaffee-und-kuchen,1,0.00,0.00,0.00,0.00,2142.00,2142.00
	muller-maschinenbau,1,0.00,0.00,0.00,0.00,6568.00,6568.00
	(all),3,0.00,0.00,0.00,0.00,10495.00,10495.00
	EOF
	test_cmp expect r2.csv &&
	crm -C agency dashboard --json >after.json &&
	python3 - before.json after.json <<-\EOF &&
	import json, sys
	from decimal import Decimal
	b, a = (json.load(open(f)) for f in sys.argv[1:3])
	amount = lambda m: Decimal(m["amount"])
	# the cancelled invoice (100 + 19 % VAT) leaves the invoiced total
	assert amount(b["invoiced_total"]) - amount(a["invoiced_total"]) == Decimal("119.00"), (b["invoiced_total"], a["invoiced_total"])
	EOF
	git -C agency checkout -q invoices
'

test_expect_success 'issue names everything missing in one message, totals among them' '
	crm -C agency invoice new --client c-7k2m9q >out &&
	f=agency/$(tail -n 1 out) &&
	sed -i "s/^lines: \[\]$/lines:\n  - {description: Audit, quantity: 1, unit_price: 100, tax: nosuch}/" "$f" &&
	git -C agency commit -q -am bad &&
	id=$(basename "$f" .yaml) &&
	before=$(git -C agency ls-files -s | sha1sum) &&
	test_expect_code 1 crm -C agency invoice issue "$id" 2>err &&
	cat >expect <<-EOF &&
	crm invoice: cannot issue $id: an EU VAT invoice must carry lines whose totals can be computed (line 1: unknown tax '\''nosuch'\'' (crm.ini has no [tax "nosuch"])); the buyer'\''s Peppol address (client'\''s peppol_id, such as 0088:5790000435951, or a VAT id whose country has a Peppol scheme)
	EOF
	test_cmp expect err &&
	test "$(git -C agency ls-files -s | sha1sum)" = "$before" &&
	test -z "$(git -C agency status --porcelain)"
'

test_done
