#!/bin/sh
# The invoice workflow around numbering: drafts from a deal, copies, credit
# notes, what issuing refuses, several series, the check rules (gaps,
# duplicates, issued invoices changed, overdue) and two people who issued
# the same number offline, settled by renumber.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the example' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency
'

test_expect_success 'new --from a deal: a draft with the client, currency and one line' '
	crm -C agency invoice new --from acme-branding-2412 >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	cat >expect <<-\EOF &&
	[HASH] crm: new invoice/draft-acme-branding-2412 (draft from opportunity/acme-branding-2412)
	invoices/2025/draft-acme-branding-2412.yaml
	EOF
	test_cmp expect actual &&
	f=agency/$(tail -n 1 out) &&
	cat >expect <<-\EOF &&
	# A draft: check it, then give it its number with '\''crm invoice issue'\''.
	status: draft
	client: acme-corp
	opportunity: acme-branding-2412
	currency: EUR
	lines:
	  - {description: Brand identity, quantity: 1, unit_price: 1500.00 EUR, tax: vat19}
	EOF
	test_cmp expect "$f" &&
	crm -C agency invoice show draft-acme-branding-2412 --json >json &&
	grep "_total\"" json >actual &&
	cat >expect <<-\EOF &&
	  "line_total": {"amount": "1500.00", "currency": "EUR"},
	  "allowance_total": {"amount": "0.00", "currency": "EUR"},
	  "charge_total": {"amount": "0.00", "currency": "EUR"},
	  "tax_exclusive_total": {"amount": "1500.00", "currency": "EUR"},
	  "tax_total": {"amount": "285.00", "currency": "EUR"},
	  "tax_inclusive_total": {"amount": "1785.00", "currency": "EUR"},
	  "paid_total": {"amount": "0.00", "currency": "EUR"},
	  "due_total": {"amount": "1785.00", "currency": "EUR"},
	EOF
	test_cmp expect actual &&
	test "$(git -C agency status --porcelain)" = ""
'

test_expect_success 'new needs a client, and names the one it cannot find' '
	test_expect_code 2 crm -C agency invoice new 2>err &&
	test_expect_code 1 crm -C agency invoice new --client acme-crop 2>>err &&
	cat >expect <<-\EOF &&
	crm invoice: whose invoice? give --client CLIENT or --from OPPORTUNITY
	crm invoice: no client '\''acme-crop'\'' (did you mean '\''acme-corp'\''?)
	EOF
	test_cmp expect err &&
	crm -C agency invoice new --client acme-corp >out &&
	cat >expect <<-\EOF &&
	# A draft: check it, then give it its number with '\''crm invoice issue'\''.
	status: draft
	client: acme-corp
	currency: EUR
	lines: []
	EOF
	test_cmp expect "agency/$(tail -n 1 out)"
'

test_expect_success 'issue refuses what an EU VAT invoice lacks, naming every item' '
	test_expect_code 1 crm -C agency invoice issue draft-acme-corp 2>err &&
	sed -i "/^vat_id/d" agency/crm.ini &&
	sed -i "/^address/d" agency/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C agency invoice issue draft-acme-branding-2412 2>>err &&
	cat >expect <<-\EOF &&
	crm invoice: cannot issue draft-acme-corp: an EU VAT invoice must carry at least one line
	crm invoice: cannot issue draft-acme-branding-2412: an EU VAT invoice must carry the seller'\''s VAT id ([org] vat_id in crm.ini); the seller'\''s country ([org] country, an ISO code such as DE, or the VAT id'\''s prefix); the seller'\''s Peppol address ([org] peppol_id, such as 0088:5790000435951, or a VAT id whose country has a Peppol scheme); the buyer'\''s address (client'\''s '\''address'\'')
	EOF
	test_cmp expect err &&
	git -C agency checkout -q crm.ini clients/acme-corp.yaml &&
	crm -C agency invoice issue draft-acme-branding-2412 >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: issue invoice/draft-acme-branding-2412 as INV-0000004" >expect &&
	test_cmp expect actual
'

test_expect_success 'reverse charge needs the buyer VAT id' '
	crm -C agency invoice new --client acme-corp >out && f=agency/$(tail -n 1 out) &&
	id=$(basename "$f" .yaml) &&
	sed -i "s/^lines: \[\]$/lines:\n  - {description: Audit, quantity: 1, unit_price: 100, tax: rc}/" "$f" &&
	git -C agency commit -q -am rc &&
	sed -i "/^vat_id/d" agency/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C agency invoice issue "$id" 2>err &&
	cat >expect <<-EOF &&
	crm invoice: cannot issue $id: an EU VAT invoice must carry the buyer'\''s Peppol address (client'\''s peppol_id, such as 0088:5790000435951, or a VAT id whose country has a Peppol scheme); the buyer'\''s VAT id, for reverse charge (client'\''s '\''vat_id'\'')
	EOF
	test_cmp expect err &&
	git -C agency checkout -q clients &&
	git -C agency rm -q "${f#agency/}" && git -C agency commit -q -m "no rc"
'

test_expect_success 'duplicate: a new draft with the lines, without number, dates or payments' '
	crm -C agency invoice duplicate inv-0000002 >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	cat >expect <<-\EOF &&
	[HASH] crm: new invoice/draft-inv-0000002 (copy of invoice/inv-0000002 INV-0000002)
	invoices/2025/draft-inv-0000002.yaml
	EOF
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	# A draft copy of invoice/inv-0000002: check it, then give it its number with '\''crm invoice issue'\''.
	status: draft
	client: muller-maschinenbau
	opportunity: mueller-branding-2507
	currency: EUR
	language: en
	terms: Payment within 30 days by bank transfer.
	lines:
	  - {product: website-page, quantity: 8, unit_price: "450.00 EUR", tax: vat19}
	  - {product: seo-retainer, quantity: 3, unit_price: "1200.00 EUR", tax: vat19}
	EOF
	test_cmp expect "agency/$(tail -n 1 out)"
'

test_expect_success 'credit: a credit note for some lines, issued in the same series' '
	crm -C agency invoice credit inv-0000002 --lines 1:2 >out &&
	f=agency/$(tail -n 1 out) && id=$(basename "$f" .yaml) &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	cat >expect <<-\EOF &&
	[HASH] crm: new invoice/draft-inv-0000002-2 (credit note for invoice/inv-0000002 INV-0000002)
	invoices/2025/draft-inv-0000002-2.yaml
	EOF
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	# A draft credit note correcting invoice/inv-0000002: check it, then give it its number with '\''crm invoice issue'\''.
	status: draft
	type: credit-note
	corrects: inv-0000002
	client: muller-maschinenbau
	opportunity: mueller-branding-2507
	currency: EUR
	language: en
	terms: Payment within 30 days by bank transfer.
	lines:
	  - {product: website-page, quantity: 2, unit_price: "450.00 EUR", tax: vat19}
	EOF
	test_cmp expect "$f" &&
	crm -C agency invoice show "$id" --json >json &&
	grep "\"tax_inclusive_total\"" json >actual &&
	echo "  \"tax_inclusive_total\": {\"amount\": \"1071.00\", \"currency\": \"EUR\"}," >expect &&
	test_cmp expect actual &&
	crm -C agency invoice issue "$id" >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: issue invoice/draft-inv-0000002-2 as INV-0000005" >expect &&
	test_cmp expect actual &&
	crm -C agency invoice show inv-0000005 >out &&
	cat >expect <<-\EOF &&
	credit note INV-0000005  (invoices/2025/inv-0000005.yaml)  issued
	corrects invoice/inv-0000002
	client  Müller Maschinenbau AG

	line total                           900.00 EUR
	total without VAT                    900.00 EUR
	VAT S 19% on                         900.00 EUR
	                                     171.00 EUR
	VAT                                  171.00 EUR
	total                               1071.00 EUR
	paid                                   0.00 EUR
	due                                 1071.00 EUR
	EOF
	test_cmp expect out
'

test_expect_success 'credit refuses drafts, credit notes and lines that do not exist' '
	test_expect_code 1 crm -C agency invoice credit draft-acme-corp 2>err &&
	test_expect_code 1 crm -C agency invoice credit inv-0000005 2>>err &&
	test_expect_code 2 crm -C agency invoice credit inv-0000002 --lines 9 2>>err &&
	test_expect_code 2 crm -C agency invoice credit inv-0000002 --lines 1:x 2>>err &&
	cat >expect <<-\EOF &&
	crm invoice: invoice/draft-acme-corp is a draft: change it instead of crediting it
	crm invoice: invoice/inv-0000005 is itself a credit note
	crm invoice: invoice/inv-0000002 has 2 lines, no line 9
	crm invoice: quantity '\''x'\'' of line 1 in --lines must be a number above 0
	EOF
	test_cmp expect err
'

test_expect_success 'a second series numbers on its own' '
	printf "[invoice \"team-b\"]\nprefix = B-\ndigits = 4\n" >>agency/crm.ini &&
	git -C agency commit -q -am "series b" &&
	crm -C agency invoice issue draft-inv-0000002 --series team-b >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: issue invoice/draft-inv-0000002 as B-0001" >expect &&
	test_cmp expect actual &&
	test -n "$(find agency/invoices -name b-0001.yaml)" &&
	test_expect_code 2 crm -C agency invoice issue draft-acme-corp --series nope 2>err &&
	echo "crm invoice: no numbering series '\''nope'\'' in crm.ini ([invoice \"nope\"])" >expect &&
	test_cmp expect err &&
	crm -C agency check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 119 records" >expect &&
	test_cmp expect out
'

test_expect_success 'check: an issued invoice changed after issue is an error' '
	f=$(find agency/invoices -name inv-0000004.yaml) &&
	sed -i "s/quantity: 1,/quantity: 2,/" "$f" && git -C agency commit -q -am "edit issued" &&
	test_expect_code 1 crm -C agency check >out 2>err &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000004.yaml:6:3: error: '\''lines'\'' of invoice INV-0000004 changed after it was issued (git has it as issued in the commit that added invoices/2025/inv-0000004.yaml); correct an issued invoice with a credit note: crm invoice credit inv-0000004 [issued-changed]
	    6 |   - {description: Brand identity, quantity: 2, unit_price: 1500.00 EUR, tax: vat19}
	      |   ^
	1 error, 0 warnings in 119 records
	EOF
	cat err out >actual &&
	test_cmp expect actual &&
	git -C agency revert --no-edit HEAD >/dev/null &&
	crm -C agency invoice status inv-0000004 sent >/dev/null &&
	crm -C agency invoice pay inv-0000004 100 >/dev/null &&
	crm -C agency check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 119 records" >expect &&
	test_cmp expect out
'

test_expect_success 'check: gaps and duplicate numbers are errors; overdue is a warning' '
	f=$(find agency/invoices -name inv-0000004.yaml) &&
	sed -i "s/^number: INV-0000004$/number: INV-0000007/" "$f" &&
	cp agency/invoices/2025/inv-0000003.yaml agency/invoices/2025/copy.yaml &&
	test_expect_code 1 crm -C agency check >out 2>err &&
	cat err out >actual &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0701-check-numbers.out" actual &&
	git -C agency checkout -q . && rm agency/invoices/2025/copy.yaml &&
	CRM_TODAY=2025-12-01 crm -C agency check >out 2>err &&
	cat err out >actual &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0701-check-overdue.out" actual
'

test_expect_success 'two people issue offline: sync stops before merging, renumber settles it' '
	mkdir shared && cp -R agency/. shared/ && rm -rf shared/.git &&
	shared_remote shared &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob &&
	crm -C alice invoice issue draft-kaffee-seo >/dev/null &&
	crm -C bob invoice new --from acme-branding-2412 >out &&
	crm -C bob invoice issue "$(basename "$(tail -n 1 out)" .yaml)" >/dev/null &&
	crm -C alice sync >out &&
	echo "up to date from origin; pushed" >expect &&
	test_cmp expect out &&
	remote_before=$(git -C remote.git rev-parse main) &&
	test_expect_code 1 crm -C bob sync 2>err &&
	echo "crm sync: invoice number INV-0000006 was issued here (invoices/2025/inv-0000006.yaml, not yet pushed) and on origin; give yours the next free number with '\''crm invoice renumber inv-0000006'\'', then '\''crm sync'\'' again" >expect &&
	test_cmp expect err &&
	test "$(git -C remote.git rev-parse main)" = "$remote_before" &&
	test_expect_code 1 crm -C alice invoice renumber inv-0000005 2>err &&
	echo "crm invoice: no other invoice here or upstream carries INV-0000005: renumbering invoice/inv-0000005 would leave a gap" >expect &&
	test_cmp expect err &&
	crm -C bob invoice renumber inv-0000006 >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: renumber invoice/inv-0000006 INV-0000006 -> INV-0000007 (INV-0000006 was issued twice)" >expect &&
	test_cmp expect actual &&
	crm -C bob sync >out &&
	echo "merged from origin; pushed" >expect &&
	test_cmp expect out &&
	crm -C bob check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 120 records" >expect &&
	test_cmp expect out &&
	cat >expect <<-\EOF &&
	status: issued
	date: 2025-11-10
	due: 2025-12-10
	client: berliner-buchladen
	opportunity: buchladen-website-2511
	currency: EUR
	language: en
	terms: Payment within 30 days by bank transfer.
	lines:
	  - {product: seo-retainer, quantity: 6, unit_price: "1200.00 EUR", tax: vat19}
	number: INV-0000006
	EOF
	test_cmp expect bob/invoices/2025/inv-0000006.yaml &&
	cat >expect <<-\EOF &&
	status: issued
	client: acme-corp
	opportunity: acme-branding-2412
	currency: EUR
	lines:
	  - {description: Brand identity, quantity: 1, unit_price: 1500.00 EUR, tax: vat19}
	number: INV-0000007
	date: 2025-06-01
	due: 2025-07-01
	EOF
	test_cmp expect bob/invoices/2025/inv-0000007.yaml
'

test_expect_success 'renumber refuses an invoice that went out' '
	crm -C alice invoice status inv-0000006 sent >/dev/null &&
	test_expect_code 1 crm -C alice invoice renumber inv-0000006 2>err &&
	echo "crm invoice: invoice/inv-0000006 went out as INV-0000006 (status sent): renumber the other invoice with this number, on the side that has not sent it (--force renumbers this one anyway)" >expect &&
	test_cmp expect err
'

# README's invoice workflow, run as written (the editor line left out).
test_expect_success 'the README invoice workflow runs as written' '
	cp -R "$TEST_TOP/examples/agency" readme &&
	git -C readme init -q && git -C readme add -A && git -C readme commit -q -m agency &&
	sed -n "/^The workflow, end to end/,/^\`\`\`$/p" "$TEST_TOP/README.md" |
		grep "^crm invoice" | sed "s/ *#.*//" >steps &&
	test "$(wc -l <steps)" -ge 9 &&
	(cd readme && while read -r line; do eval "$line" >/dev/null || exit 1; done <../steps) &&
	crm -C readme check >out 2>&1 && grep -q "^0 errors, 0 warnings" out &&
	grep -q "^status: paid$" readme/invoices/2025/inv-0000004.yaml &&
	grep -q "^type: credit-note$" readme/invoices/2025/inv-0000005.yaml
'

test_done
