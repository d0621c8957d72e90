#!/bin/sh
# The exit-status table (README "Exit status", crm(1) EXIT STATUS): the same
# situation gives the same status in every command.  Each case prints
# "STATUS command"; the list is compared whole.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	git -C small rev-parse HEAD >head
'

# statuses FILE: runs each line of FILE as crm arguments in small/ and prints
# "STATUS ARGUMENTS" for each.
statuses() {
	while read -r line; do
		set +e
		eval "crm -C small $line" >/dev/null 2>&1
		echo "$? $line"
		set -e
	done <"$1"
}

test_expect_success 'an unknown option: 2 in every command' '
	cat >cases <<-\EOF &&
	check --bogus
	show client/acme-corp --bogus
	ls client --bogus
	set acme-corp --bogus city=Cork
	add client --bogus --set name=X
	move acme-seo proposal --bogus
	rm acme-corp --bogus
	invoice show x --bogus
	invoice show x --force
	EOF
	sed "s/^/2 /" cases >expect &&
	statuses cases >actual &&
	test_cmp expect actual
'

test_expect_success 'a missing or extra argument: 2 in every command' '
	cat >cases <<-\EOF &&
	show
	show a b
	set acme-corp
	unset acme-corp
	tag acme-corp
	add
	move acme-seo
	mv acme-corp
	rm
	log
	resolve acme-corp
	ls
	check extra
	invoice
	invoice show
	invoice pay x
	invoice nosuch x
	EOF
	sed "s/^/2 /" cases >expect &&
	statuses cases >actual &&
	test_cmp expect actual
'

test_expect_success 'an unknown record: 1 in every command' '
	cat >cases <<-\EOF &&
	show client/nosuch
	show nosuch
	set nosuch city=Cork
	unset client/nosuch city
	tag nosuch +x
	move nosuch proposal
	mv nosuch other
	rm client/nosuch
	log nosuch
	edit nosuch
	resolve nosuch city --ours
	invoice show nosuch
	invoice render nosuch
	invoice new --from opportunity/nosuch
	invoice new --client nosuch
	EOF
	sed "s/^/1 /" cases >expect &&
	statuses cases >actual &&
	test_cmp expect actual
'

test_expect_success 'a reference to a record that does not exist: 1 in every command' '
	cat >cases <<-\EOF &&
	set acme-seo client=nosuch
	set acme-seo client=acme-crop
	add opportunity --set title=X --set client=nosuch --set stage=lead
	EOF
	sed "s/^/1 /" cases >expect &&
	statuses cases >actual &&
	test_cmp expect actual
'

test_expect_success 'a value its field or option does not accept, an unknown type: 2' '
	cat >cases <<-\EOF &&
	set acme-seo amount=lots
	set acme-seo amout=5
	add opportunity --set title=X --set client=acme-corp --set stage=lead --set amount=lots
	move acme-seo nosuchstage
	move acme-seo proposal --date 2025-13-01
	ls client --limit x
	ls client --format xml
	show deal/x
	add deal --set name=X
	EOF
	sed "s/^/2 /" cases >expect &&
	statuses cases >actual &&
	test_cmp expect actual
'

test_expect_success 'none of the refusals changed the repository' '
	git -C small rev-parse HEAD >now &&
	test_cmp head now &&
	test -z "$(git -C small status --porcelain)"
'

test_done
