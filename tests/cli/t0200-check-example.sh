#!/bin/sh
# crm check on the bundled example: the showcase has no error.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the example as a git repository' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A &&
	git -C agency commit -q -m "example"
'

test_expect_success 'the example passes crm check with no error and no warning' '
	crm -C agency check >out 2>err &&
	test $(wc -l <out) = 1 &&
	grep -E "^0 errors, 0 warnings in [0-9]+ records$" out
'

test_expect_success 'it holds at least 15 clients and 40 opportunities' '
	crm -C agency check --json >out &&
	n=$(sed -n "s/.*\"records\": \([0-9]*\).*/\1/p" out) &&
	test "$n" -ge 60 &&
	test "$(ls -R agency/clients | grep -c "\.yaml$")" -ge 15 &&
	test "$(find agency/opportunities -name "*.yaml" | wc -l)" -ge 40
'

test_expect_success 'a problem added to the example is found (exit 1)' '
	f=$(find agency/opportunities -name "*.yaml" | head -n 1) &&
	printf "stage: negotiating\n" >>"$f" &&
	test_expect_code 1 crm -C agency check >out 2>err &&
	grep -q "duplicate key .stage." out
'

test_done
