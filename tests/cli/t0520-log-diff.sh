#!/bin/sh
# crm log (a record's history as field changes, across renames) and crm diff
# (uncommitted changes as records and fields).
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up a history' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m "import" &&
	GIT_AUTHOR_DATE=2025-06-02T09:00:00Z crm -C small set acme-corp city=Cork >/dev/null &&
	GIT_AUTHOR_NAME="Bob Example" GIT_AUTHOR_DATE=2025-06-03T09:00:00Z \
		crm -C small mv client/acme-corp acme >/dev/null
'

test_expect_success 'log shows who changed which field, newest first, across the rename' '
	crm -C small log client/acme >out &&
	cat >expect <<-\EOF &&
	commit XXXXXXXX  2025-06-03  Bob Example
	    crm: mv client/acme-corp acme
	    (renamed from clients/acme-corp.yaml)

	commit XXXXXXXX  2025-06-02  Alice Example
	    crm: set client/acme-corp city=Cork
	    city: Dublin -> Cork

	commit XXXXXXXX  2025-06-01  Alice Example
	    import
	    (record added)
	    +name: Acme Corp
	    +city: Dublin
	    +email: office@acme.example

	EOF
	sed "s/^commit [0-9a-f]\{8\}/commit XXXXXXXX/" out >got &&
	test_cmp expect got
'

test_expect_success 'diff shows uncommitted changes as fields' '
	sed -i "s/^city: Cork$/city: Galway/" small/clients/acme.yaml &&
	rm small/opportunities/acme-seo.yaml &&
	crm -C small diff >out &&
	cat >expect <<-\EOF &&
	changed client/acme (clients/acme.yaml)
	  city: Cork -> Galway
	removed opportunity/acme-seo (opportunities/acme-seo.yaml)
	  -title: SEO retainer
	  -client: acme
	  -stage: lead
	  -amount: "6000.00 EUR"
	  -tags: [seo]
	  -created: 2025-05-10
	EOF
	test_cmp expect out
'

test_expect_success 'diff against an older revision' '
	crm -C small diff HEAD~2 >out &&
	grep -q "^added client/acme (clients/acme.yaml)$" out &&
	grep -q "^removed client/acme-corp (clients/acme-corp.yaml)$" out
'

test_done
