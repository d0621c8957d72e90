#!/bin/sh
# crm.ini is checked like a record: unknown sections and keys are warnings
# with a did-you-mean, wrong values are errors at the value's column, an
# unknown time zone is an error (it used to be UTC, silently), and a
# byte-order mark at the start of the file is accepted.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up a repository' '
	crm init -q shop >/dev/null 2>&1 || crm init shop >/dev/null &&
	test -f shop/crm.ini
'

test_expect_success 'a clean crm.ini gives no finding' '
	crm -C shop check >out 2>err &&
	echo "0 errors, 0 warnings in 0 records" >expect &&
	test_cmp expect out
'

test_expect_success 'misspelt sections and keys, bad values and zones are located' '
	cp shop/crm.ini saved.ini &&
	sed "s|^timezone = .*|timezone = Mars/Olympus|" saved.ini >shop/crm.ini &&
	printf "[rate \"GBP\"]\nrate = 0.85\n[stage \"lead\"]\nprobabilty = 40\n" >>shop/crm.ini &&
	printf "[dashbord]\nstalled_days = 3\n[invoice]\ndigits = many\n" >>shop/crm.ini &&
	n=$(wc -l <saved.ini) &&
	tz=$(grep -n "^timezone" shop/crm.ini | cut -d: -f1) &&
	test_expect_code 1 crm -C shop check >out 2>err &&
	grep "crm.ini" out | grep -v "^ *[0-9]* |" >got &&
	cat >expected <<-EOT &&
	crm.ini:$tz:12: error: unknown time zone '"'"'Mars/Olympus'"'"' (a name from the tz database, such as Europe/Warsaw) [bad-config]
	crm.ini:$((n + 2)):1: warning: unknown key '"'"'rate'"'"' in [rate "GBP"] [unknown-setting]
	crm.ini:$((n + 4)):1: warning: unknown key '"'"'probabilty'"'"' in [stage "lead"] (did you mean '"'"'probability'"'"'?) [unknown-setting]
	crm.ini:$((n + 6)):1: warning: unknown section [dashbord] (did you mean '"'"'dashboard'"'"'?) [unknown-setting]
	crm.ini:$((n + 8)):10: error: '"'"'many'"'"' is not a valid digits [bad-config]
	EOT
	test_cmp expected got
'

test_expect_success 'a byte-order mark at the start of crm.ini is accepted' '
	printf "\357\273\277" >shop/crm.ini &&
	cat saved.ini >>shop/crm.ini &&
	crm -C shop check >out 2>err &&
	echo "0 errors, 0 warnings in 0 records" >expect &&
	test_cmp expect out
'

test_done
