#!/bin/sh
# crm dedupe: likely duplicate pairs by email, phone digits and folded
# names (case, accents, full-width forms, punctuation, company suffixes),
# best first; crm add's warning when a new record looks like an old one.
. "$(dirname "$0")/lib.sh"

client() {
	# client FILE NAME [FIELD: VALUE]...
	f=clients/$1.yaml; shift
	printf "name: %s\n" "$1" >"$f"; shift
	for kv in "$@"; do printf "%s\n" "$kv" >>"$f"; done
}

test_expect_success 'a repository with duplicates written differently' '
	crm init repo >/dev/null &&
	cd repo && mkdir -p clients &&
	client acme "Acme Corp" "email: info@acme.example" &&
	client acme-2 "ACME, Inc." "email: Info@ACME.example " &&
	client lodz "Łódź Studio Sp. z o.o." "phone: \"+48 601 234 567\"" &&
	client lodz-studio "Lodz Studio" "phone: 0601-234-567" &&
	client nordwind "Ｎｏｒｔｈｗｉｎｄ Traders" &&
	client northwind "Northwind Traders Ltd" &&
	client nortwind "Nortwind Traders" &&
	client branch-12 "Contoso Branch 12" &&
	client branch-13 "Contoso Branch 13" &&
	client solo "Greenleaf" "email: hello@greenleaf.example" &&
	git add -A && git commit -qm clients &&
	crm check >/dev/null
'

test_expect_success 'pairs, best first, with what matched' '
	cd repo &&
	crm dedupe client >out &&
	cat >expect <<-\EOF &&
	score  record            duplicate           matched
	 1.00  client/acme       client/acme-2       email, name
	 1.00  client/lodz       client/lodz-studio  phone, name
	 1.00  client/nordwind   client/northwind    name
	 0.94  client/nordwind   client/nortwind     name
	 0.94  client/northwind  client/nortwind     name
	EOF
	test_cmp expect out
'

test_expect_success '--threshold and --json' '
	cd repo &&
	crm dedupe client --threshold 0.95 --json >out &&
	cat >expect <<-\EOF &&
	[
	  {"score": 1.00, "record": "acme", "duplicate": "acme-2", "matched": ["email", "name"]},
	  {"score": 1.00, "record": "lodz", "duplicate": "lodz-studio", "matched": ["phone", "name"]},
	  {"score": 1.00, "record": "nordwind", "duplicate": "northwind", "matched": ["name"]}
	]
	EOF
	test_cmp expect out &&
	crm dedupe client --threshold 1 --json >/dev/null
'

test_expect_success 'no pairs, and types with nothing to compare' '
	cd repo &&
	crm dedupe contact >out &&
	echo "no likely duplicates among the contact records (threshold 0.80)" >expect &&
	test_cmp expect out &&
	test_expect_code 2 crm dedupe client --threshold 1.5 2>err &&
	echo "crm dedupe: --threshold '\''1.5'\'' is not a number from 0 to 1" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm dedupe nosuchtype 2>/dev/null &&
	test_expect_code 2 crm dedupe activity 2>err &&
	echo "crm dedupe: activity has no name, email or phone field to compare" >expect &&
	test_cmp expect err
'

test_expect_success 'crm add warns of a likely duplicate, and adds it' '
	cd repo &&
	crm add client --set "name=Greenleaf GmbH" --set kind=company >out 2>err &&
	echo "crm add: warning: this looks like client/solo (name, score 1.00); added all the same" >expect &&
	test_cmp expect err &&
	test -f clients/2025/greenleaf-gmbh.yaml &&
	crm add client --set "name=Someone Else" --set email=HELLO@greenleaf.example >out 2>err &&
	echo "crm add: warning: this looks like client/solo (email, score 1.00); added all the same" >expect &&
	test_cmp expect err &&
	crm add client --set "name=Fabrikam" >out 2>err &&
	test ! -s err
'

test_expect_success 'names that differ only in their numbers are not duplicates' '
	cd repo &&
	i=0 && while [ $i -lt 300 ]; do
		printf "name: Acme Holding %03d\n" $i >clients/h-$i.yaml; i=$((i + 1)); done &&
	crm dedupe client --json >out &&
	test "$(grep -c "\"h-" out)" = 0
'

test_done
