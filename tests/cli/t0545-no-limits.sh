#!/bin/sh
# No silent limits in the commands: more tags, list items, columns and
# references than the fixed arrays they once went through (256, 64, 512)
# are all kept.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'crm tag adds 300 tags, and removes one of them' '
	args=$(seq -f "+t%g" 1 300 | tr "\n" " ") &&
	crm -C small tag client/acme-corp $args -t7 >/dev/null &&
	printf "tags: [%s]\n" "$(seq -f "t%g" 1 300 | grep -vx t7 | tr "\n" "," | sed "s/,$//; s/,/, /g")" >expect &&
	grep "^tags:" small/clients/acme-corp.yaml >actual &&
	test_cmp expect actual
'

test_expect_success 'crm set keeps every one of 300 list items' '
	list=$(seq -f "s%g" 1 300 | tr "\n" "," | sed "s/,$//") &&
	crm -C small set client/lodz-studio "tags=$list" >/dev/null &&
	echo "tags: [$(echo "$list" | sed "s/,/, /g")]" >expect &&
	grep "^tags:" small/clients/lodz-studio.yaml >actual &&
	test_cmp expect actual
'

test_expect_success 'crm ls prints every one of 70 columns' '
	fields=$(seq 1 70 | sed "s/.*/name/" | tr "\n" "," | sed "s/,$//") &&
	crm -C small ls client --fields "$fields" --csv >out &&
	head -n 1 out | tr "," "\n" >cols &&
	test "$(wc -l <cols)" = 71
'

test_expect_success 'crm mv rewrites all 600 references in one file' '
	printf "  partners:    {type: refs, to: client}\n" >>small/schema/opportunity.yaml &&
	{
		echo "title: Many" && echo "client: acme-corp" && echo "stage: lead" &&
		echo "amount: \"1.00 EUR\"" && echo "created: 2025-01-01" && echo "partners:" &&
		seq 1 600 | sed "s/.*/  - acme-corp/"
	} >small/opportunities/many.yaml &&
	git -C small add -A && git -C small commit -q -m many &&
	crm -C small check >/dev/null 2>&1 &&
	crm -C small mv client/acme-corp acme-global >/dev/null &&
	test "$(grep -c "^  - acme-global$" small/opportunities/many.yaml)" = 600 &&
	grep -q "^client: acme-global$" small/opportunities/many.yaml &&
	! grep -q "acme-corp" small/opportunities/many.yaml
'

# The one limit there is, 8 MiB a record file, refuses that file at its
# name and only it: the reader that met it reads the next ones (each
# worker keeps one buffer for the files it reads).
test_expect_success 'a record file over 8 MiB is refused, the files after it are read' '
	cp -R "$TEST_DATA/small" big &&
	git -C big init -q &&
	{ echo "name: Big" && echo "notes: |" &&
	  awk "BEGIN { for (i = 0; i < 100000; i++) print \"  line \" i \" of a very long note, padded so that the file is over the limit at last\" }"
	} >big/clients/a-big.yaml &&
	test $(wc -c <big/clients/a-big.yaml) -gt 8388608 &&
	test_expect_code 1 env CRM_NO_CACHE=1 crm -C big check >out 2>&1 &&
	grep "clients/a-big.yaml.*larger than" out &&
	test $(grep -c ": error:" out) = 1 &&
	test_expect_code 1 env CRM_NO_CACHE=1 crm -C big ls client --fields id >out 2>/dev/null &&
	for c in acme-corp c-7k2m9q c-p9x3tm lodz-studio; do grep -qx "$c" out || return 1; done
'

test_done
