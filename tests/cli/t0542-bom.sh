#!/bin/sh
# A UTF-8 byte-order mark (Windows editors write one) is allowed at the
# start of record, schema and crm.ini files (SPEC section 2), and a change
# writes it back as it was.
. "$(dirname "$0")/lib.sh"

# with_bom FILE: FILE with a byte-order mark put in front.
with_bom() {
	printf '\357\273\277' >bom.tmp && cat "$1" >>bom.tmp && mv bom.tmp "$1"
}

test_expect_success 'set up a repository whose crm.ini, a schema and a record start with a BOM' '
	crm init shop >/dev/null &&
	crm -C shop add client --set name=Acme --set city=Dublin >/dev/null &&
	with_bom shop/crm.ini &&
	with_bom shop/schema/client.yaml &&
	with_bom shop/clients/2025/acme.yaml &&
	git -C shop commit -q -am "byte-order marks" &&
	head -c 3 shop/clients/2025/acme.yaml | od -An -tx1 >actual &&
	echo " ef bb bf" >expect && test_cmp expect actual
'

test_expect_success 'crm check is clean' '
	crm -C shop check >out 2>&1 &&
	echo "0 errors, 0 warnings in 1 record" >expect &&
	test_cmp expect out
'

test_expect_success 'the record reads as without the mark' '
	crm -C shop ls client --csv >out &&
	grep -q "^acme,Acme," out &&
	crm -C shop show acme >out &&
	grep -q "Dublin" out
'

test_expect_success 'crm set keeps the mark and every other byte' '
	cp shop/clients/2025/acme.yaml before.yaml &&
	crm -C shop set acme city=Cork >out &&
	grep -q "crm: set client/acme city=Cork$" out &&
	sed "s/^city: Dublin$/city: Cork/" before.yaml >expect &&
	cmp expect shop/clients/2025/acme.yaml &&
	crm -C shop check >out 2>&1 &&
	echo "0 errors, 0 warnings in 1 record" >expect &&
	test_cmp expect out
'

test_expect_success 'a field added to the first line of a file with a mark goes after it' '
	crm -C shop set acme email=office@acme.example >/dev/null &&
	head -c 3 shop/clients/2025/acme.yaml | od -An -tx1 >actual &&
	echo " ef bb bf" >expect && test_cmp expect actual &&
	grep -q "^email: office@acme.example$" shop/clients/2025/acme.yaml &&
	crm -C shop check >out 2>&1 &&
	echo "0 errors, 0 warnings in 1 record" >expect &&
	test_cmp expect out
'

test_expect_success 'unsetting the field of the first line keeps the mark' '
	printf "\357\273\277city: Cork\nname: Beta\n" >shop/clients/beta.yaml &&
	git -C shop add clients/beta.yaml && git -C shop commit -q -m beta &&
	crm -C shop unset beta city >/dev/null &&
	printf "\357\273\277name: Beta\n" >expect &&
	cmp expect shop/clients/beta.yaml
'

test_expect_success 'a finding on the first line is located as an editor shows it' '
	printf "\357\273\277email: not-an-email\nname: Bad\n" >shop/clients/bad.yaml &&
	test_expect_code 1 crm -C shop check >out 2>&1 &&
	grep "^clients/bad.yaml:" out >actual &&
	echo "clients/bad.yaml:1:8: error: '"'"'not-an-email'"'"' is not an email address [bad-email]" >expect &&
	test_cmp expect actual &&
	rm shop/clients/bad.yaml
'

test_done
