#!/bin/sh
# crm invoice on the agency example: totals per EN 16931 as JSON, issuing
# with the next number (the file takes the number's name), payments that
# settle the status.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the example' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency
'

test_expect_success 'show --json carries the totals under EN 16931 names' '
	crm -C agency invoice show inv-0000002 --json >out &&
	cat >expect <<-\EOF &&
	{
	  "id": "inv-0000002",
	  "number": "INV-0000002",
	  "currency": "EUR",
	  "line_total": {"amount": "7200.00", "currency": "EUR"},
	  "allowance_total": {"amount": "0.00", "currency": "EUR"},
	  "charge_total": {"amount": "0.00", "currency": "EUR"},
	  "tax_exclusive_total": {"amount": "7200.00", "currency": "EUR"},
	  "tax_total": {"amount": "1368.00", "currency": "EUR"},
	  "tax_inclusive_total": {"amount": "8568.00", "currency": "EUR"},
	  "paid_total": {"amount": "2000.00", "currency": "EUR"},
	  "due_total": {"amount": "6568.00", "currency": "EUR"},
	  "vat_breakdown": [
	    {"category": "S", "rate": 19, "taxable": {"amount": "7200.00", "currency": "EUR"}, "tax": {"amount": "1368.00", "currency": "EUR"}}
	  ]
	}
	EOF
	test_cmp expect out
'

test_expect_success 'each subcommand has its own options: one of another is a usage error' '
	test_expect_code 2 crm -C agency invoice show inv-0000002 --force --series X --lines 9 \
		>out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	crm invoice: unknown option '"'"'--force'"'"'
	usage: crm invoice show ID [--json]

	        --json                   totals as JSON (EN 16931 names)
	EOF
	test_cmp expect err &&
	test_expect_code 2 crm -C agency invoice issue inv-0000002 --lines 9 2>err &&
	test_expect_code 2 crm -C agency invoice pay inv-0000002 --json 2>>err &&
	test_expect_code 2 crm -C agency invoice show inv-0000002 extra 2>>err &&
	cat >expect <<-\EOF &&
	crm invoice: unknown option '"'"'--lines'"'"'
	usage: crm invoice issue ID [--series NAME] [--due DATE] [--force]

	        --series NAME            the numbering series
	        --due DATE               the due date (default: the date + the series'"'"' due_days)
	        --force                  write even a change that crm check would report new errors in
	crm invoice: unknown option '"'"'--json'"'"'
	usage: crm invoice pay ID AMOUNT [--date D] [--overpay] [--force]

	    -d, --date DATE              the payment'"'"'s date (default: today)
	        --overpay                record a payment beyond the open amount
	        --force                  write even a change that crm check would report new errors in
	crm invoice: unexpected argument '"'"'extra'"'"'
	usage: crm invoice show ID [--json]

	        --json                   totals as JSON (EN 16931 names)
	EOF
	test_cmp expect err &&
	git -C agency status --porcelain >status && test ! -s status
'

test_expect_success 'an unknown subcommand is named (exit 2); --help lists them all' '
	test_expect_code 2 crm -C agency invoice nosuch inv-0000002 2>err &&
	echo "crm invoice: '"'"'nosuch'"'"' is not a subcommand of crm invoice; see '"'"'crm invoice --help'"'"'" >expect &&
	test_cmp expect err &&
	crm -C agency invoice --help >out &&
	cat >expect <<-\EOF &&
	usage: crm invoice SUBCOMMAND [OPTIONS] [ARGS]

	subcommands:
	   new        a draft for a client, or from an opportunity
	   show       totals, VAT breakdown, paid and due
	   issue      the next number of a series, gap-free
	   status     draft, sent, paid or rejected
	   pay        record a payment
	   duplicate  a new draft with the same lines
	   credit     a credit note for an issued invoice
	   renumber   the next free number, after two issued the same
	   render     as text, HTML or PDF to send
	   export     as UBL 2.1 XML for e-invoicing
	   send       by e-mail, with the PDF (and UBL) attached

	'"'"'crm invoice SUBCOMMAND --help'"'"' describes its options.
	EOF
	test_cmp expect out &&
	test_expect_code 2 crm -C agency invoice 2>err &&
	{ echo "crm invoice: missing SUBCOMMAND" && cat expect; } >expect.err &&
	test_cmp expect.err err &&
	crm -C agency invoice pay --help >out &&
	cat >expect <<-\EOF &&
	usage: crm invoice pay ID AMOUNT [--date D] [--overpay] [--force]

	    -d, --date DATE              the payment'"'"'s date (default: today)
	        --overpay                record a payment beyond the open amount
	        --force                  write even a change that crm check would report new errors in
	EOF
	test_cmp expect out
'

test_expect_success 'issue gives the next number and names the file after it' '
	crm -C agency invoice issue draft-kaffee-seo >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: issue invoice/draft-kaffee-seo as INV-0000004" >expect &&
	test_cmp expect actual &&
	f=$(find agency/invoices -name inv-0000004.yaml) && test -n "$f" &&
	test -z "$(find agency/invoices -name draft-kaffee-seo.yaml)" &&
	grep -q "^number: INV-0000004$" "$f" &&
	test_expect_code 1 crm -C agency invoice issue inv-0000004 2>err &&
	echo "crm invoice: inv-0000004 is already issued as INV-0000004; correct it with a credit note ('"'"'crm invoice credit inv-0000004'"'"')" >expect &&
	test_cmp expect err &&
	crm -C agency check >out 2>err &&
	echo "0 errors, 0 warnings in 115 records" >expect &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'payments: partial, then the rest settles the status' '
	crm -C agency invoice pay inv-0000002 "3000.00 EUR" --date 2025-11-20 >/dev/null &&
	crm -C agency invoice show inv-0000002 --json >out &&
	grep "_total\"" out >actual &&
	cat >expect <<-\EOF &&
	  "line_total": {"amount": "7200.00", "currency": "EUR"},
	  "allowance_total": {"amount": "0.00", "currency": "EUR"},
	  "charge_total": {"amount": "0.00", "currency": "EUR"},
	  "tax_exclusive_total": {"amount": "7200.00", "currency": "EUR"},
	  "tax_total": {"amount": "1368.00", "currency": "EUR"},
	  "tax_inclusive_total": {"amount": "8568.00", "currency": "EUR"},
	  "paid_total": {"amount": "5000.00", "currency": "EUR"},
	  "due_total": {"amount": "3568.00", "currency": "EUR"},
	EOF
	test_cmp expect actual &&
	grep -q "^status: sent$" agency/invoices/2025/inv-0000002.yaml &&
	crm -C agency invoice pay inv-0000002 3568 >/dev/null &&
	grep -q "^status: paid$" agency/invoices/2025/inv-0000002.yaml &&
	tail -n 1 agency/invoices/2025/inv-0000002.yaml >last &&
	echo "  - {date: 2025-06-01, amount: \"3568.00 EUR\"}" >expect && test_cmp expect last &&
	test_expect_code 2 crm -C agency invoice pay inv-0000002 "5 USD" 2>err &&
	echo "crm invoice: the invoice is in EUR, not USD" >expect &&
	test_cmp expect err
'

test_expect_success 'status takes only the schema'"'"'s statuses' '
	crm -C agency invoice status inv-0000003 rejected >/dev/null &&
	grep -q "^status: rejected$" agency/invoices/2025/inv-0000003.yaml &&
	test_expect_code 2 crm -C agency invoice status inv-0000003 lost 2>err &&
	echo "crm invoice: status: '"'"'lost'"'"' is not an allowed value (one of: draft, issued, sent, paid, rejected, cancelled)" >expect &&
	test_cmp expect err
'

test_done
