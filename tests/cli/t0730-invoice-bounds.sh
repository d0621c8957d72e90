#!/bin/sh
# Money in and out of an invoice is bounded: payments beyond the open
# amount are refused unless --overpay, credit notes never credit more of a
# line than was invoiced, issued invoices are not deleted, and a series
# that does not start at its first number has a gap.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the example' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm init agency >/dev/null
'

test_expect_success 'a payment beyond the open amount is refused, with the amounts' '
	git -C agency rev-parse HEAD >head.before &&
	test_expect_code 1 crm -C agency invoice pay inv-0000002 "6568.01 EUR" >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	crm invoice: a payment of 6568.01 EUR would overpay the invoice: total 8568.00 EUR, paid 2000.00 EUR, open 6568.00 EUR; use --overpay to record it anyway
	EOF
	test_cmp expect err &&
	git -C agency rev-parse HEAD >head.after && test_cmp head.before head.after &&
	git -C agency status --porcelain >status && test ! -s status
'

test_expect_success 'the exact open amount is accepted and settles the invoice' '
	crm -C agency invoice pay inv-0000002 "6568.00 EUR" --date 2025-10-20 >/dev/null &&
	grep -q "^status: paid$" agency/invoices/2025/inv-0000002.yaml &&
	test_expect_code 1 crm -C agency invoice pay inv-0000002 0.01 2>err &&
	grep -q "would overpay the invoice: total 8568.00 EUR, paid 8568.00 EUR, open 0.00 EUR" err
'

test_expect_success '--overpay records it, says so, and check warns of the credit balance' '
	crm -C agency invoice pay inv-0000002 "100.00 EUR" --date 2025-10-21 --overpay \
		>out 2>err &&
	cat >expect <<-\EOF &&
	recording an overpayment: 100.00 EUR beyond the open 0.00 EUR (total 8568.00 EUR); '"'"'crm check'"'"' reports the credit balance
	EOF
	test_cmp expect err &&
	grep -q "payment 100.00 EUR" out &&
	tail -n 1 agency/invoices/2025/inv-0000002.yaml >last &&
	echo "  - {date: 2025-10-21, amount: \"100.00 EUR\"}" >expect && test_cmp expect last &&
	crm -C agency check >out 2>err &&
	grep "\[overpaid\]" out >found &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000002.yaml:14:3: warning: invoice INV-0000002 is paid beyond its total: 8668.00 EUR paid of 8568.00 EUR, a credit balance of 100.00 EUR owed to the client [overpaid]
	EOF
	test_cmp expect found
'

test_expect_success 'check reports credit notes that credit more than the invoice' '
	for n in 1 2; do
		cat >agency/invoices/2025/cn-$n.yaml <<-\EOF || exit 1
		number: CN-000$n
		type: credit-note
		corrects: inv-0000001
		status: issued
		date: 2025-06-01
		client: sofia-martinez
		currency: EUR
		lines:
		  - {description: Refund, quantity: 1, unit_price: "2000.00 EUR", tax: vat19}
		EOF
	done &&
	test_expect_code 1 crm -C agency check >out 2>err &&
	grep "\[over-credited\]" out >found &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000001.yaml:1:9: error: invoice INV-0000001 is credited beyond its total: 2 credit notes credit 4760.00 EUR of 3534.30 EUR [over-credited]
	EOF
	test_cmp expect found &&
	rm agency/invoices/2025/cn-2.yaml &&
	crm -C agency check >out 2>err; grep -c "over-credited" out >count;
	echo 0 >expect && test_cmp expect count &&
	rm agency/invoices/2025/cn-1.yaml
'

test_expect_success 'credit: more of a line than was invoiced is refused, located' '
	git -C agency rev-parse HEAD >head.before &&
	test_expect_code 1 crm -C agency invoice credit inv-0000002 --lines 2:10,1:8 >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	crm invoice: a credit note credits no more of a line than was invoiced, less earlier credit notes:
	invoices/2025/inv-0000002.yaml:12:5: line 2: crediting 10 of its quantity would credit 10 of the 3 invoiced (0 credited before)
	EOF
	test_cmp expect err &&
	git -C agency rev-parse HEAD >head.after && test_cmp head.before head.after &&
	git -C agency status --porcelain >status && test ! -s status
'

test_expect_success 'credit: what earlier credit notes credited counts, rejected ones do not' '
	crm -C agency invoice credit inv-0000002 --lines 2:2 >/dev/null &&
	test_expect_code 1 crm -C agency invoice credit inv-0000002 --lines 2:1.5 2>err &&
	cat >expect <<-\EOF &&
	crm invoice: a credit note credits no more of a line than was invoiced, less earlier credit notes:
	invoices/2025/inv-0000002.yaml:12:5: line 2: crediting 1.5 of its quantity would credit 3.5 of the 3 invoiced (2 credited before)
	EOF
	test_cmp expect err &&
	crm -C agency invoice status draft-inv-0000002 rejected >/dev/null &&
	crm -C agency invoice credit inv-0000002 --lines 2:3 >/dev/null &&
	test_expect_code 1 crm -C agency invoice credit inv-0000002 2>err &&
	grep -q "line 2: crediting 3 of its quantity would credit 6 of the 3 invoiced (3 credited before)" err
'

test_expect_success 'credit: an earlier credit note written with negative lines counts too' '
	cat >agency/invoices/2025/neg.yaml <<-\EOF &&
	status: draft
	type: credit-note
	corrects: inv-0000002
	client: muller-maschinenbau
	currency: EUR
	lines:
	  - {product: website-page, quantity: -8, unit_price: "450.00 EUR", tax: vat19}
	EOF
	test_expect_code 1 crm -C agency invoice credit inv-0000002 --lines 1:1 2>err &&
	grep "^invoices" err >found &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000002.yaml:11:5: line 1: crediting 1 of its quantity would credit 9 of the 8 invoiced (8 credited before)
	EOF
	test_cmp expect found &&
	rm agency/invoices/2025/neg.yaml
'

test_expect_success 'credit: a partial line carries its scaled discount and a share of allowances' '
	cat >agency/invoices/2025/inv-0000004.yaml <<-\EOF &&
	number: INV-0000004
	status: sent
	date: 2025-05-02
	due: 2025-06-01
	client: muller-maschinenbau
	currency: EUR
	lines:
	  - {description: Design, quantity: 4, unit_price: "100.00 EUR", discount: "10.00 EUR", tax: vat19}
	  - {description: Hours, quantity: 3.5, unit_price: "27.30 EUR", discount: 5%, tax: vat19}
	allowances:
	  - {reason: Loyalty, amount: "30.00 EUR", tax: vat19}
	EOF
	git -C agency add -A && git -C agency commit -q -m "inv 4" &&
	crm -C agency invoice credit inv-0000004 --lines 1:1,2:3.5 >/dev/null &&
	sed 1d agency/invoices/2025/draft-inv-0000004.yaml >got &&
	cat >expect <<-\EOF &&
	status: draft
	type: credit-note
	corrects: inv-0000004
	client: muller-maschinenbau
	currency: EUR
	lines:
	  - {description: Design, quantity: 1, unit_price: "100.00 EUR", discount: 2.50 EUR, tax: vat19}
	  - {description: Hours, quantity: 3.5, unit_price: "27.30 EUR", discount: 5%, tax: vat19}
	allowances:
	  - {reason: Loyalty, amount: 11.75 EUR, tax: vat19}
	EOF
	test_cmp expect got &&
	crm -C agency invoice credit inv-0000004 --lines 1:3 >/dev/null &&
	sed -n "/^lines:/,\$p" agency/invoices/2025/draft-inv-0000004-2.yaml >got &&
	cat >expect <<-\EOF &&
	lines:
	  - {description: Design, quantity: 3, unit_price: "100.00 EUR", discount: 7.50 EUR, tax: vat19}
	allowances:
	  - {reason: Loyalty, amount: 18.25 EUR, tax: vat19}
	EOF
	test_cmp expect got &&
	test_expect_code 1 crm -C agency invoice credit inv-0000004 --lines 1:0.01 2>err &&
	grep -q "^invoices/2025/inv-0000004.yaml:8:5: line 1: crediting 0.01 of its quantity would credit 4.01 of the 4 invoiced (4 credited before)$" err
'

test_expect_success 'credit: a line whose amount was raised by hand is bounded by amount' '
	sed "s/quantity: 1, unit_price: \"100.00 EUR\", discount: 2.50 EUR/quantity: 1, unit_price: \"100.00 EUR\", discount: 0.00 EUR/" \
		agency/invoices/2025/draft-inv-0000004.yaml >tmp &&
	mv tmp agency/invoices/2025/draft-inv-0000004.yaml &&
	crm -C agency invoice status draft-inv-0000004-2 rejected >/dev/null &&
	test_expect_code 1 crm -C agency invoice credit inv-0000004 --lines 1:3 2>err &&
	cat >expect <<-\EOF &&
	crm invoice: a credit note credits no more of a line than was invoiced, less earlier credit notes:
	invoices/2025/inv-0000004.yaml:8:5: line 1: crediting 274.25 EUR of its amount (its share of document allowances and charges included) would credit 368.09 EUR of the 365.66 EUR invoiced (93.84 EUR credited before)
	EOF
	test_cmp expect err &&
	git -C agency commit -q -a -m "credit raised by hand"
'

test_expect_success 'rm refuses an issued invoice and leaves everything as it was' '
	git -C agency rev-parse HEAD >head.before &&
	test_expect_code 1 crm -C agency rm invoice/inv-0000003 >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	crm rm: invoice/inv-0000003 is issued as INV-0000003: an issued invoice is a legal document and stays; correct it with a credit note ('"'"'crm invoice credit inv-0000003'"'"'), or use --force
	EOF
	test_cmp expect err &&
	git -C agency rev-parse HEAD >head.after && test_cmp head.before head.after &&
	git -C agency status --porcelain >status && test ! -s status
'

test_expect_success 'rm removes a draft invoice as before' '
	crm -C agency rm invoice/draft-kaffee-seo >out 2>err &&
	test ! -s err &&
	test ! -e agency/invoices/2025/draft-kaffee-seo.yaml
'

test_expect_success 'rm --force removes an issued invoice and says so' '
	crm -C agency rm --force invoice/inv-0000003 >out 2>err &&
	cat >expect <<-\EOF &&
	removing issued invoice INV-0000003 anyway: '"'"'crm check'"'"' will report the gap it leaves in its series
	EOF
	test_cmp expect err &&
	test ! -e agency/invoices/2025/inv-0000003.yaml &&
	git -C agency log -1 --format=%s >subject &&
	echo "crm: rm invoice/inv-0000003" >expect && test_cmp expect subject
'

test_expect_success 'check reports the number rm --force left missing' '
	test_expect_code 1 crm -C agency check >out 2>err &&
	grep "\[number-gap\]" out >found &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000004.yaml:1:9: error: invoice number '"'"'INV-0000003'"'"' is missing: issued numbers have no gaps [number-gap]
	EOF
	test_cmp expect found
'

test_expect_success 'check reports a series whose first numbers are missing' '
	printf "\n[invoice \"y26\"]\nprefix = 2026-\ndigits = 4\ndue_days = 14\n" >>agency/crm.ini &&
	sed -e "s/^number: INV-0000004/number: 2026-0002/" agency/invoices/2025/inv-0000004.yaml \
		>agency/invoices/2025/y-2.yaml &&
	sed -e "s/^number: INV-0000004/number: 2026-0004/" agency/invoices/2025/inv-0000004.yaml \
		>agency/invoices/2025/y-4.yaml &&
	test_expect_code 1 crm -C agency check >out 2>err &&
	grep "2026-.*\[number-gap\]" out >found &&
	cat >expect <<-\EOF &&
	invoices/2025/y-2.yaml:1:9: error: invoice number '"'"'2026-0001'"'"' is missing: issued numbers have no gaps [number-gap]
	invoices/2025/y-4.yaml:1:9: error: invoice number '"'"'2026-0003'"'"' is missing: issued numbers have no gaps [number-gap]
	EOF
	test_cmp expect found &&
	sed -e "s/^number: INV-0000004/number: 2026-0005/" agency/invoices/2025/inv-0000004.yaml \
		>agency/invoices/2025/y-4.yaml &&
	rm agency/invoices/2025/y-2.yaml &&
	test_expect_code 1 crm -C agency check >out 2>err &&
	grep "2026-.*\[number-gap\]" out >found &&
	cat >expect <<-\EOF &&
	invoices/2025/y-4.yaml:1:9: error: invoice numbers '"'"'2026-0001'"'"' to '"'"'2026-0004'"'"' are missing: issued numbers have no gaps [number-gap]
	EOF
	test_cmp expect found
'

test_done
