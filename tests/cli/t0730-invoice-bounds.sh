#!/bin/sh
# Money in and out of an invoice is bounded: payments beyond the open
# amount are refused unless --overpay, credit notes never credit more of a
# line than was invoiced, issued invoices are not deleted, and a series
# that does not start at its first number has a gap.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the example' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency
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

test_done
