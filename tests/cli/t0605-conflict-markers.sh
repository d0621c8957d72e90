#!/bin/sh
# A record file git left with conflict markers (a clone where the merge
# driver is not registered, so git merged the lines itself) is reported by
# crm check at the first marker, with what to do, not as a YAML syntax
# error further down.
. "$(dirname "$0")/lib.sh"

test_expect_success 'two branches change the same field; git merges without the driver' '
	crm init shop >/dev/null &&
	mkdir -p shop/clients &&
	printf "name: Acme\nemail: office@acme.example\n" >shop/clients/acme.yaml &&
	git -C shop add -A && git -C shop commit -q -m acme &&
	git -C shop checkout -q -b other &&
	sed -i "s/office@/sales@/" shop/clients/acme.yaml && git -C shop commit -q -am sales &&
	git -C shop checkout -q main &&
	sed -i "s/office@/hello@/" shop/clients/acme.yaml && git -C shop commit -q -am hello &&
	git -C shop config --remove-section merge.crm &&
	! git -C shop merge -q other >/dev/null 2>&1 &&
	grep -q "^<<<<<<< " shop/clients/acme.yaml
'

test_expect_success 'crm check names the markers at their line' '
	line=$(grep -n "^<<<<<<< " shop/clients/acme.yaml | cut -d: -f1) &&
	test_expect_code 1 crm -C shop check --no-source >out 2>/dev/null &&
	cat >expect <<-EOT &&
	clients/acme.yaml:1:1: error: git left this file unmerged (a merge it could not finish): run '"'"'crm resolve clients/acme.yaml'"'"' to merge it field by field [unmerged]
	clients/acme.yaml:$line:1: error: the file holds git conflict markers (a merge left both versions): keep the right lines, remove the markers, then '"'"'git add'"'"' the file [conflict-markers]
	2 errors, 0 warnings in 1 record
	EOT
	test_cmp expect out
'

test_expect_success 'crm resolve FILE replaces the markers with the field merge' '
	crm -C shop resolve clients/acme.yaml >out 2>/dev/null &&
	! grep -q "^<<<<<<< " shop/clients/acme.yaml &&
	cat >expect <<-\EOT &&
	name: Acme
	email:
	  conflict:
	    ours: hello@acme.example
	    theirs: sales@acme.example
	    base: office@acme.example
	EOT
	test_cmp expect shop/clients/acme.yaml &&
	test -z "$(git -C shop diff --name-only --diff-filter=U)"
'

test_done
