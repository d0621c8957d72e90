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
	grep -q "crm: new invoice/draft-acme-branding-2412 (draft from opportunity/acme-branding-2412)" out &&
	f=agency/$(tail -n 1 out) && test -f "$f" &&
	grep -q "^client: acme-corp$" "$f" && grep -q "^status: draft$" "$f" &&
	grep -q "^opportunity: acme-branding-2412$" "$f" &&
	grep -q "{description: Brand identity, quantity: 1, unit_price: 1500.00 EUR, tax: vat19}" "$f" &&
	crm -C agency invoice show draft-acme-branding-2412 --json >json &&
	grep -q "\"tax_inclusive_total\": {\"amount\": \"1785.00\"" json &&
	test "$(git -C agency status --porcelain)" = ""
'

test_expect_success 'new needs a client, and names the one it cannot find' '
	test_expect_code 2 crm -C agency invoice new 2>err && grep -q "give --client" err &&
	test_expect_code 1 crm -C agency invoice new --client acme-crop 2>err &&
	grep -q "no client .acme-crop. (did you mean .acme-corp.?)" err &&
	crm -C agency invoice new --client acme-corp >out &&
	grep -q "^lines: \[\]$" "agency/$(tail -n 1 out)"
'

test_expect_success 'issue refuses what an EU VAT invoice lacks, naming every item' '
	test_expect_code 1 crm -C agency invoice issue draft-acme-corp 2>err &&
	grep -q "must carry at least one line" err &&
	sed -i "/^vat_id/d" agency/crm.ini &&
	sed -i "/^address/d" agency/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C agency invoice issue draft-acme-branding-2412 2>err &&
	grep -q "the seller.s VAT id (\[org\] vat_id in crm.ini)" err &&
	grep -q "the buyer.s address (client.s .address.)" err &&
	git -C agency checkout -q crm.ini clients/acme-corp.yaml &&
	crm -C agency invoice issue draft-acme-branding-2412 >out &&
	grep -q "as INV-0000004" out
'

test_expect_success 'reverse charge needs the buyer VAT id' '
	crm -C agency invoice new --client acme-corp >out && f=agency/$(tail -n 1 out) &&
	id=$(basename "$f" .yaml) &&
	sed -i "s/^lines: \[\]$/lines:\n  - {description: Audit, quantity: 1, unit_price: 100, tax: rc}/" "$f" &&
	git -C agency commit -q -am rc &&
	sed -i "/^vat_id/d" agency/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C agency invoice issue "$id" 2>err &&
	grep -q "the buyer.s VAT id, for reverse charge" err &&
	git -C agency checkout -q clients &&
	git -C agency rm -q "${f#agency/}" && git -C agency commit -q -m "no rc"
'

test_expect_success 'duplicate: a new draft with the lines, without number, dates or payments' '
	crm -C agency invoice duplicate inv-0000002 >out &&
	f=agency/$(tail -n 1 out) &&
	! grep -q "^number:" "$f" && ! grep -q "^payments:" "$f" && ! grep -q "^date:" "$f" &&
	grep -q "^status: draft$" "$f" &&
	grep -q "seo-retainer, quantity: 3" "$f"
'

test_expect_success 'credit: a credit note for some lines, issued in the same series' '
	crm -C agency invoice credit inv-0000002 --lines 1:2 >out &&
	f=agency/$(tail -n 1 out) && id=$(basename "$f" .yaml) &&
	grep -q "^type: credit-note$" "$f" && grep -q "^corrects: inv-0000002$" "$f" &&
	grep -q "{product: website-page, quantity: 2, unit_price: \"450.00 EUR\", tax: vat19}" "$f" &&
	! grep -q "seo-retainer" "$f" &&
	crm -C agency invoice show "$id" --json >json &&
	grep -q "\"tax_inclusive_total\": {\"amount\": \"1071.00\"" json &&
	crm -C agency invoice issue "$id" >out && grep -q "as INV-0000005" out &&
	crm -C agency invoice show inv-0000005 >out &&
	grep -q "^credit note INV-0000005" out && grep -q "^corrects invoice/inv-0000002$" out
'

test_expect_success 'credit refuses drafts, credit notes and lines that do not exist' '
	test_expect_code 1 crm -C agency invoice credit draft-acme-corp 2>err &&
	grep -q "is a draft" err &&
	test_expect_code 1 crm -C agency invoice credit inv-0000005 2>err &&
	grep -q "itself a credit note" err &&
	test_expect_code 2 crm -C agency invoice credit inv-0000002 --lines 9 2>err &&
	grep -q "has 2 lines, no line 9" err &&
	test_expect_code 2 crm -C agency invoice credit inv-0000002 --lines 1:x 2>err &&
	grep -q "quantity .x. of line 1" err
'

test_expect_success 'a second series numbers on its own' '
	printf "[invoice \"team-b\"]\nprefix = B-\ndigits = 4\n" >>agency/crm.ini &&
	git -C agency commit -q -am "series b" &&
	crm -C agency invoice issue draft-inv-0000002 --series team-b >out &&
	grep -q "as B-0001" out && test -n "$(find agency/invoices -name b-0001.yaml)" &&
	test_expect_code 2 crm -C agency invoice issue draft-acme-corp --series nope 2>err &&
	grep -q "no numbering series .nope." err &&
	crm -C agency check 2>err && grep -q "^0 errors" err
'

test_expect_success 'check: an issued invoice changed after issue is an error' '
	f=$(find agency/invoices -name inv-0000004.yaml) &&
	sed -i "s/quantity: 1,/quantity: 2,/" "$f" && git -C agency commit -q -am "edit issued" &&
	test_expect_code 1 crm -C agency check >err 2>&1 &&
	grep -q "inv-0000004.yaml:[0-9]*:[0-9]*: error: .lines. of invoice INV-0000004 changed after it was issued" err &&
	grep -q "\[issued-changed\]" err &&
	git -C agency revert --no-edit HEAD >/dev/null &&
	crm -C agency invoice status inv-0000004 sent >/dev/null &&
	crm -C agency invoice pay inv-0000004 100 >/dev/null &&
	crm -C agency check 2>err && grep -q "^0 errors" err
'

test_expect_success 'check: gaps and duplicate numbers are errors; overdue is a warning' '
	f=$(find agency/invoices -name inv-0000004.yaml) &&
	sed -i "s/^number: INV-0000004$/number: INV-0000007/" "$f" &&
	cp agency/invoices/2025/inv-0000003.yaml agency/invoices/2025/copy.yaml &&
	test_expect_code 1 crm -C agency check >err 2>&1 &&
	grep -q "error: invoice numbers .INV-0000004. to .INV-0000004. are missing\|error: invoice number .INV-0000006. is missing" err &&
	grep -q "inv-0000005.yaml:[0-9]*:[0-9]*: error: invoice number .INV-0000004. is missing: issued numbers have no gaps \[number-gap\]" err &&
	grep -q "error: invoice number .INV-0000003. is also used by invoice/" err &&
	git -C agency checkout -q . && rm agency/invoices/2025/copy.yaml &&
	CRM_TODAY=2025-12-01 crm -C agency check >err 2>&1 &&
	grep -q "inv-0000002.yaml:[0-9]*:[0-9]*: warning: invoice INV-0000002 is overdue: due 2025-10-09 (53 days ago), 6568.00 EUR still open \[overdue\]" err
'

test_expect_success 'two people issue offline: sync stops before merging, renumber settles it' '
	mkdir shared && cp -R agency/. shared/ && rm -rf shared/.git &&
	shared_remote shared &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob &&
	crm -C alice invoice issue draft-kaffee-seo >/dev/null &&
	crm -C bob invoice new --from acme-branding-2412 >out &&
	crm -C bob invoice issue "$(basename "$(tail -n 1 out)" .yaml)" >/dev/null &&
	crm -C alice sync >out && grep -q "pushed" out &&
	remote_before=$(git -C remote.git rev-parse main) &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "invoice number INV-0000006 was issued here (invoices/2025/inv-0000006.yaml, not yet pushed) and on origin" err &&
	grep -q "crm invoice renumber inv-0000006" err &&
	test "$(git -C remote.git rev-parse main)" = "$remote_before" &&
	test_expect_code 1 crm -C alice invoice renumber inv-0000005 2>err &&
	grep -q "no other invoice here or upstream carries INV-0000005" err &&
	crm -C bob invoice renumber inv-0000006 >out &&
	grep -q "crm: renumber invoice/inv-0000006 INV-0000006 -> INV-0000007 (INV-0000006 was issued twice)" out &&
	crm -C bob sync >out && grep -q "merged from origin; pushed" out &&
	crm -C bob check 2>err && grep -q "^0 errors" err &&
	grep -q "^number: INV-0000006$" bob/invoices/2025/inv-0000006.yaml &&
	grep -q "^client: berliner-buchladen$" bob/invoices/2025/inv-0000006.yaml &&
	grep -q "^number: INV-0000007$" bob/invoices/2025/inv-0000007.yaml
'

test_expect_success 'renumber refuses an invoice that went out' '
	crm -C alice invoice status inv-0000006 sent >/dev/null &&
	test_expect_code 1 crm -C alice invoice renumber inv-0000006 2>err &&
	grep -q "went out as INV-0000006 (status sent): renumber the other" err
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
