#!/bin/sh
# Field-by-field merges through a plain `git pull`: two clones of a bare
# remote over file://, with the driver crm init registers in each clone.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a shared repository and two clones' '
	cp -R "$TEST_DATA/small" seed && shared_remote seed &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob &&
	crm init alice >/dev/null && crm init bob >/dev/null &&
	git -C bob config merge.crm.driver >drv &&
	echo "crm merge-driver %O %A %B %P" >expect &&
	test_cmp expect drv
'

test_expect_success 'edits to different fields of one record both survive' '
	crm -C alice set lodz-brand "amount=50000.00 PLN" >/dev/null &&
	git -C alice push -q origin main &&
	GIT_AUTHOR_NAME=Bob crm -C bob set lodz-brand confidence=5 >/dev/null &&
	git -C bob pull -q --no-edit origin main &&
	cat >expect <<-\EOF &&
	# Polish client, amount in PLN
	title: Identyfikacja wizualna
	client: lodz-studio
	stage: proposal
	amount: "50000.00 PLN"
	cost: "12000.00 PLN"
	confidence: 5
	tags: [branding]
	created: 2025-04-15
	EOF
	test_cmp expect bob/opportunities/2025/lodz-brand.yaml &&
	crm -C bob check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 9 records" >expect &&
	test_cmp expect out
'

test_expect_success 'tags merge as sets, history as a union by date' '
	git -C bob push -q origin main && git -C alice pull -q --no-edit origin main &&
	crm -C alice tag cafe-ads +seo -facebook-ads >/dev/null &&
	CRM_TODAY=2025-03-01 crm -C alice move cafe-ads negotiation >/dev/null &&
	git -C alice push -q origin main &&
	crm -C bob tag cafe-ads +branding >/dev/null &&
	CRM_TODAY=2025-02-25 crm -C bob move cafe-ads negotiation >/dev/null &&
	git -C bob pull -q --no-edit origin main &&
	cat >expect <<-\EOF &&
	title: Facebook ads
	client: c-p9x3tm
	stage: negotiation
	amount: "3000.00 EUR"
	cost: "1000.00 EUR"
	tags: [branding, seo]
	created: 2025-02-01
	history:
	  - {date: 2025-02-01, stage: lead, by: alice}
	  - {date: 2025-02-20, stage: won, by: alice}
	  - {date: 2025-02-25, stage: negotiation, by: Alice Example}
	  - {date: 2025-03-01, stage: negotiation, by: Alice Example}
	EOF
	test_cmp expect bob/opportunities/2025/cafe-ads.yaml
'

test_expect_success 'the same field changed two ways is a conflict crm check reports' '
	git -C bob push -q origin main && git -C alice pull -q --no-edit origin main &&
	crm -C alice set acme-corp city=Cork >/dev/null && git -C alice push -q origin main &&
	crm -C bob set acme-corp city=Galway >/dev/null &&
	crm -C bob set acme-corp email=new@acme.example >/dev/null &&
	test_must_fail() { "$@" && return 1 || return 0; } &&
	test_must_fail git -C bob pull -q --no-edit origin main 2>err &&
	grep "^crm" err >actual &&
	echo "crm: clients/acme-corp.yaml: 1 field in conflict; see '\''crm check'\'', settle with '\''crm resolve'\''" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	name: Acme Corp
	city:
	  conflict:
	    ours: Galway
	    theirs: Cork
	    base: Dublin
	email: new@acme.example
	EOF
	test_cmp expect bob/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C bob check --no-source >out 2>/dev/null &&
	cat >expect <<-\EOF &&
	clients/acme-corp.yaml:1:1: error: git left this file unmerged (a merge it could not finish): run '\''crm resolve clients/acme-corp.yaml'\'' to merge it field by field [unmerged]
	clients/acme-corp.yaml:3:3: error: field '\''city'\'' has two values from a merge; settle it with '\''crm resolve client/acme-corp city --ours|--theirs|--value V'\'' [merge-conflict]
	2 errors, 0 warnings in 9 records
	EOF
	test_cmp expect out
'

test_expect_success 'crm resolve settles it; the merge then completes' '
	git -C bob add clients/acme-corp.yaml && git -C bob commit -q --no-edit &&
	crm -C bob resolve acme-corp city --theirs >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: resolve client/acme-corp city (theirs)" >expect &&
	test_cmp expect actual &&
	printf "%s\n" "name: Acme Corp" "city: Cork" "email: new@acme.example" >expect &&
	test_cmp expect bob/clients/acme-corp.yaml &&
	crm -C bob check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 9 records" >expect &&
	test_cmp expect out &&
	git -C bob push -q origin main
'

test_expect_success 'a record added on both sides with different fields merges' '
	git -C alice pull -q --no-edit origin main &&
	mkdir -p alice/clients bob/clients &&
	printf "name: Nowy Klient\ncity: Poznań\n" >alice/clients/nowy.yaml &&
	git -C alice add -A && git -C alice commit -q -m "add nowy" && git -C alice push -q origin main &&
	git -C bob pull -q --no-edit origin main &&
	printf "name: Nowy Klient\nemail: nowy@example.pl\n" >bob/clients/nowy2.yaml &&
	git -C bob add -A && git -C bob commit -q -m "add nowy2" &&
	git -C bob pull -q --no-edit origin main &&
	test -f bob/clients/nowy.yaml && test -f bob/clients/nowy2.yaml
'

test_expect_success 'the same id added on both sides is reported, both versions kept' '
	git -C bob push -q origin main && git -C alice pull -q --no-edit origin main &&
	printf "name: Acme Polska\ncity: Kraków\n" >alice/clients/acme-pl.yaml &&
	git -C alice add -A && git -C alice commit -q -m "add acme-pl" && git -C alice push -q origin main &&
	printf "name: Acme Polska\ncity: Gdańsk\n" >bob/clients/acme-pl.yaml &&
	git -C bob add -A && git -C bob commit -q -m "add acme-pl too" &&
	test_must_fail() { "$@" && return 1 || return 0; } &&
	test_must_fail git -C bob pull -q --no-edit origin main 2>err &&
	cat >expect <<-\EOF &&
	name: Acme Polska
	city:
	  conflict:
	    ours: Gdańsk
	    theirs: Kraków
	    base: ~
	EOF
	test_cmp expect bob/clients/acme-pl.yaml &&
	test_expect_code 1 crm -C bob check --no-source >out 2>/dev/null &&
	cat >expect <<-\EOF &&
	clients/acme-pl.yaml:1:1: error: git left this file unmerged (a merge it could not finish): run '\''crm resolve clients/acme-pl.yaml'\'' to merge it field by field [unmerged]
	clients/acme-pl.yaml:3:3: error: field '\''city'\'' has two values from a merge; settle it with '\''crm resolve client/acme-pl city --ours|--theirs|--value V'\'' [merge-conflict]
	2 errors, 0 warnings in 12 records
	EOF
	test_cmp expect out
'

test_done
