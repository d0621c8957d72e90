#!/bin/sh
# crm mv and the invoice commands are held to the rule of every write (the
# point check of crm check): a change that brings a new error is refused
# with check's diagnostics and exit 1, nothing written; --force writes it
# and says what it let through.
. "$(dirname "$0")/lib.sh"

# unchanged DIR: HEAD is still the commit saved in DIR.head, nothing is
# left uncommitted.
unchanged() {
	test "$(git -C "$1" rev-parse HEAD)" = "$(cat "$1.head")" &&
	test -z "$(git -C "$1" status --porcelain)"
}

test_expect_success 'set up: a deal without created, committed in 2024' '
	crm init shop >/dev/null &&
	crm -C shop add client --set name=Acme >/dev/null &&
	mkdir -p shop/opportunities/2024 &&
	cat >shop/opportunities/2024/old-deal.yaml <<-\EOF &&
	title: Old deal
	client: acme
	stage: won
	amount: "1000.00 EUR"
	history:
	  - {date: 2024-03-01, stage: qualifying, by: alice}
	  - {date: 2024-04-01, stage: won, by: alice}
	closed: 2024-04-01
	EOF
	git -C shop add -A &&
	GIT_AUTHOR_DATE=2024-03-01T12:00:00Z GIT_COMMITTER_DATE=2024-03-01T12:00:00Z \
		git -C shop commit -q -m old &&
	crm -C shop add contact --set name=Bob --set client=acme >/dev/null &&
	crm -C shop check >out 2>&1 &&
	echo "0 errors, 0 warnings in 3 records" >expect && test_cmp expect out
'

test_expect_success 'a change to a record dated by git keeps its git date (not refused)' '
	crm -C shop set old-deal amount="1200.00 EUR" >out &&
	grep -q "crm: set opportunity/old-deal amount=1200.00 EUR$" out
'

test_expect_success 'mv rewrites references and is checked: a clean rename commits' '
	crm -C shop mv client/acme acme-gmbh >out &&
	grep -q "crm: mv client/acme acme-gmbh$" out &&
	crm -C shop check >out 2>&1 &&
	echo "0 errors, 0 warnings in 3 records" >expect && test_cmp expect out
'

test_expect_success 'mv that makes a record younger than its history is refused' '
	git -C shop rev-parse HEAD >shop.head &&
	test_expect_code 1 crm -C shop mv old-deal older-deal >out 2>err &&
	cat >expect <<-\EOF &&
	opportunities/2024/older-deal.yaml:6:12: error: history entry dated 2024-03-01 is before the record was created (2025-06-01) [history-order]
	opportunities/2024/older-deal.yaml:7:12: error: history entry dated 2024-04-01 is before the record was created (2025-06-01) [history-order]
	opportunities/2024/older-deal.yaml:8:9: error: closed 2024-04-01 is before the record was created (2025-06-01) [closed-before-created]
	crm mv: the change would bring 3 new errors to opportunity/old-deal (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err &&
	test ! -s out &&
	unchanged shop &&
	test -f shop/opportunities/2024/old-deal.yaml
'

test_expect_success 'mv --force renames anyway and says so' '
	crm -C shop mv --force old-deal older-deal >out 2>err &&
	grep -q "crm: mv opportunity/old-deal older-deal$" out &&
	tail -n 1 err >last &&
	echo "crm mv: --force: writing opportunity/old-deal with 3 new errors that crm check will report" >expect &&
	test_cmp expect last &&
	test -f shop/opportunities/2024/older-deal.yaml
'

test_expect_success 'set up the agency example with rules that the invoice commands break' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	python3 - agency/schema/invoice.yaml <<-\EOF &&
	import sys
	p = sys.argv[1]
	s = open(p).read()
	for field, rule in [("po_number", "status == '"'"'issued'"'"'"),
			    ("consignee", "status == '"'"'rejected'"'"'"),
			    ("rate", "status == '"'"'paid'"'"'"),
			    ("notes", "type == '"'"'credit-note'"'"'"),
			    ("owner", "status == '"'"'draft'"'"'")]:
	    start = s.index("  %s:" % field)
	    end = s.index("}", start)
	    s = s[:end] + ", required_if: \"%s\"" % rule + s[end:]
	open(p, "w").write(s)
	EOF
	grep -q "po_number: *{type: text, required_if:" agency/schema/invoice.yaml &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm init agency >/dev/null
'

# refused DIR CMD...: CMD exits 1 with check's words and changes nothing.
refused() {
	dir=$1 && shift &&
	git -C "$dir" rev-parse HEAD >"$dir.head" &&
	test_expect_code 1 crm -C "$dir" "$@" >out 2>err &&
	test ! -s out &&
	unchanged "$dir"
}

test_expect_success 'invoice issue: refused with the error at the new path' '
	refused agency invoice issue draft-kaffee-seo &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000004.yaml:1:1: error: field '"'"'po_number'"'"' is required when status == '"'"'issued'"'"' [required-if]
	crm invoice: the change would bring 1 new error to invoice/draft-kaffee-seo (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err
'

test_expect_success 'invoice status: refused' '
	refused agency invoice status inv-0000002 rejected &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000002.yaml:1:1: error: field '"'"'consignee'"'"' is required when status == '"'"'rejected'"'"' [required-if]
	crm invoice: the change would bring 1 new error to invoice/inv-0000002 (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err
'

test_expect_success 'invoice pay: a payment that makes it paid is refused' '
	refused agency invoice pay inv-0000003 "2142 EUR" &&
	cat >expect <<-\EOF &&
	invoices/2025/inv-0000003.yaml:1:1: error: field '"'"'rate'"'"' is required when status == '"'"'paid'"'"' [required-if]
	crm invoice: the change would bring 1 new error to invoice/inv-0000003 (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err
'

test_expect_success 'invoice credit: refused' '
	refused agency invoice credit inv-0000003 &&
	cat >expect <<-\EOF &&
	invoices/2025/draft-inv-0000003.yaml:2:1: error: field '"'"'owner'"'"' is required when status == '"'"'draft'"'"' [required-if]
	invoices/2025/draft-inv-0000003.yaml:2:1: error: field '"'"'notes'"'"' is required when type == '"'"'credit-note'"'"' [required-if]
	crm invoice: the change would bring 2 new errors to invoice/draft-inv-0000003 (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err
'

test_expect_success 'invoice new and duplicate: refused' '
	refused agency invoice new --client kaffee-und-kuchen &&
	cat >expect <<-\EOF &&
	invoices/2025/draft-kaffee-und-kuchen.yaml:2:1: error: field '"'"'owner'"'"' is required when status == '"'"'draft'"'"' [required-if]
	crm invoice: the change would bring 1 new error to invoice/draft-kaffee-und-kuchen (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp expect err &&
	refused agency invoice duplicate inv-0000003 &&
	sed "s/draft-kaffee-und-kuchen/draft-inv-0000003/g" expect >expect2 &&
	test_cmp expect2 err
'

test_expect_success 'each invoice command with --force writes and says what it let through' '
	crm -C agency invoice status --force inv-0000002 rejected >out 2>err &&
	grep -q "crm: invoice inv-0000002 status rejected$" out &&
	tail -n 1 err >last &&
	echo "crm invoice: --force: writing invoice/inv-0000002 with 1 new error that crm check will report" >expect &&
	test_cmp expect last &&
	crm -C agency invoice pay --force inv-0000003 "2142 EUR" >out 2>err &&
	grep -q "crm: invoice inv-0000003 payment 2142.00 EUR$" out &&
	crm -C agency invoice credit --force inv-0000003 >out 2>err &&
	crm -C agency invoice new --force --client kaffee-und-kuchen >out 2>err &&
	crm -C agency invoice issue --force draft-kaffee-seo >out 2>err &&
	grep -q "crm: issue invoice/draft-kaffee-seo as INV-0000004$" out &&
	tail -n 1 err >last &&
	echo "crm invoice: --force: writing invoice/draft-kaffee-seo with 1 new error that crm check will report" >expect &&
	test_cmp expect last &&
	test -z "$(git -C agency status --porcelain)"
'

test_done
