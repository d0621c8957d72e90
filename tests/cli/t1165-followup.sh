#!/bin/sh
# The fast-response rule and follow-up frequency of crm.ini [followup]:
# first_response moves when a new lead falls due, `field` names the class
# field, each [followup "CLASS"] every sets its rhythm; a setting that is
# no duration is a crm check error and stops the agenda with its name.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-day.sh"

test_expect_success 'set up' '
	day_repo r
'

test_expect_success 'first_response = 72h: the new lead is due in two days, not today' '
	cp -R r slow &&
	sed -i "s/^first_response = 24h/first_response = 72h/" slow/crm.ini &&
	crm -C slow agenda --json | grep "\"first-response\"" >actual &&
	cat >expect <<-\EOF &&
	    {"kind": "first-response", "ref": "client/new-lead", "user": "alice", "date": "2025-06-06", "time": null, "at": "2025-06-06T00:00:00Z", "text": "lead New Lead Ltd waiting for a first response since 2025-06-03", "group": "2025-06-06", "reminder": true},
	EOF
	test_cmp expect actual
'

test_expect_success 'without [followup] the first response is due a day after creation' '
	cp -R r plain &&
	sed -i "/^\[followup/,\$d" plain/crm.ini &&
	crm -C plain check >/dev/null 2>&1 &&
	crm -C plain agenda --days 1 | grep -E " (first-response|follow-up) " >actual &&
	cat >expect <<-\EOF &&
	         first-response  lead New Lead Ltd waiting for a first response since 2025-06-03  [client/new-lead]
	EOF
	test_cmp expect actual
'

test_expect_success 'field = size keys the classes on another field' '
	cp -R r size &&
	sed -i "s/^field = category/field = size/; s/^\[followup \"B\"\]/[followup \"large\"]/" \
		size/crm.ini &&
	printf "size: large\n" >>size/clients/beta.yaml &&
	crm -C size agenda --days 3 | grep " follow-up " >actual &&
	cat >expect <<-\EOF &&
	         follow-up       follow up Beta Logistics (class large, last contact 2025-05-28)  [client/beta]
	EOF
	test_cmp expect actual
'

test_expect_success 'a setting that is no duration: check says where, agenda stops' '
	cp -R r bad &&
	sed -i "s/^every = 1d/every = often/" bad/crm.ini &&
	test_expect_code 1 crm -C bad check >out 2>&1 &&
	grep "bad-config" out | sed "s/^crm.ini:[0-9]*:/crm.ini:LINE:/" >actual &&
	cat >expect <<-\EOF &&
	crm.ini:LINE:9: error: '"'"'often'"'"' is not a duration such as 24h or 3d (every) [bad-config]
	EOF
	test_cmp expect actual &&
	test_expect_code 1 crm -C bad agenda >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	crm agenda: crm.ini: [followup "A"] every = '"'"'often'"'"' is not a duration such as 24h or 3d
	EOF
	test_cmp expect err
'

test_done
