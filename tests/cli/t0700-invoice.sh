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
	grep -q "\"line_total\": {\"amount\": \"7200.00\", \"currency\": \"EUR\"}" out &&
	grep -q "\"allowance_total\": {\"amount\": \"0.00\", \"currency\": \"EUR\"}" out &&
	grep -q "\"tax_total\": {\"amount\": \"1368.00\", \"currency\": \"EUR\"}" out &&
	grep -q "\"tax_inclusive_total\": {\"amount\": \"8568.00\", \"currency\": \"EUR\"}" out &&
	grep -q "\"paid_total\": {\"amount\": \"2000.00\", \"currency\": \"EUR\"}" out &&
	grep -q "\"due_total\": {\"amount\": \"6568.00\", \"currency\": \"EUR\"}" out &&
	grep -q "{\"category\": \"S\", \"rate\": 19, \"taxable\": {\"amount\": \"7200.00\"" out
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
	grep -q "^crm invoice: unknown option .--lines.$" err &&
	test_expect_code 2 crm -C agency invoice pay inv-0000002 --json 2>err &&
	grep -q "^crm invoice: unknown option .--json.$" err &&
	test_expect_code 2 crm -C agency invoice show inv-0000002 extra 2>err &&
	grep -q "^crm invoice: unexpected argument .extra.$" err &&
	git -C agency status --porcelain >status && test ! -s status
'

test_expect_success 'an unknown subcommand is named (exit 2); --help lists them all' '
	test_expect_code 2 crm -C agency invoice nosuch inv-0000002 2>err &&
	echo "crm invoice: '"'"'nosuch'"'"' is not a subcommand of crm invoice; see '"'"'crm invoice --help'"'"'" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C agency invoice 2>err &&
	grep -q "^crm invoice: missing SUBCOMMAND$" err &&
	crm -C agency invoice --help >out &&
	for s in new show issue status pay duplicate credit renumber render export; do
		grep -q "^   $s " out || exit 1
	done &&
	crm -C agency invoice pay --help >out &&
	grep -q "^usage: crm invoice pay ID AMOUNT" out && grep -q -- "--date DATE" out
'

test_expect_success 'issue gives the next number and names the file after it' '
	crm -C agency invoice issue draft-kaffee-seo >out &&
	grep -q "crm: issue invoice/draft-kaffee-seo as INV-0000004" out &&
	f=$(find agency/invoices -name inv-0000004.yaml) && test -n "$f" &&
	test -z "$(find agency/invoices -name draft-kaffee-seo.yaml)" &&
	grep -q "^number: INV-0000004$" "$f" &&
	test_expect_code 1 crm -C agency invoice issue inv-0000004 2>err &&
	grep -q "already issued as INV-0000004" err &&
	crm -C agency check 2>err && grep -q "^0 errors" err
'

test_expect_success 'payments: partial, then the rest settles the status' '
	crm -C agency invoice pay inv-0000002 "3000.00 EUR" --date 2025-11-20 >/dev/null &&
	crm -C agency invoice show inv-0000002 --json >out &&
	grep -q "\"due_total\": {\"amount\": \"3568.00\"" out &&
	grep -q "^status: sent$" agency/invoices/2025/inv-0000002.yaml &&
	crm -C agency invoice pay inv-0000002 3568 >/dev/null &&
	grep -q "^status: paid$" agency/invoices/2025/inv-0000002.yaml &&
	tail -n 1 agency/invoices/2025/inv-0000002.yaml >last &&
	echo "  - {date: 2025-06-01, amount: \"3568.00 EUR\"}" >expect && test_cmp expect last &&
	test_expect_code 2 crm -C agency invoice pay inv-0000002 "5 USD" 2>err &&
	grep -q "in EUR, not USD" err
'

test_expect_success 'status takes only the schema'"'"'s statuses' '
	crm -C agency invoice status inv-0000003 rejected >/dev/null &&
	grep -q "^status: rejected$" agency/invoices/2025/inv-0000003.yaml &&
	test_expect_code 2 crm -C agency invoice status inv-0000003 lost 2>err
'

test_done
