#!/bin/sh
# crm import: every preset on an export shaped like its tool's, rules files,
# dry runs, re-imports that change nothing, duplicates, and refusals that
# leave the work tree and the index as they were.
. "$(dirname "$0")/lib.sh"

D="$TEST_DATA/import"

# snapshot: the work tree's files and the index, to compare after a refusal
snapshot() {
	(find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum
	 sha1sum .git/index; git rev-parse HEAD) >"$1"
}

test_expect_success 'a fresh repository that takes USD and NOK' '
	crm init repo >/dev/null &&
	cd repo &&
	printf "[rate \"USD\"]\nvalue = 0.92\n[rate \"NOK\"]\nvalue = 0.085\n" >>crm.ini &&
	git commit -qam rates
'

test_expect_success 'presets list and print' '
	cd repo &&
	crm import --preset list >list &&
	cut -d" " -f1 list >names &&
	printf "google-contacts-legacy\ngoogle-contacts\nhubspot\nodoo-partners\noutlook\npipedrive\nsalesforce\nthunderbird\nzoho\n" >expect &&
	test_cmp expect names &&
	crm import --preset zoho --print >zoho.ini &&
	test_cmp "$TEST_TOP/import/presets/zoho.ini" zoho.ini &&
	test_expect_code 2 crm import --preset nosuch --print
'

test_expect_success 'Salesforce: five files, one commit, references by Id' '
	cd repo &&
	crm import --preset salesforce "$D/Opportunity.csv" "$D/Account.csv" "$D/Contact.csv" \
		"$D/Lead.csv" "$D/Task.csv" >out &&
	cat >expect <<-\EOF &&
	6 created, 0 updated, 0 unchanged, 0 skipped
	EOF
	head -1 out >got && test_cmp expect got &&
	test "$(git log --oneline | wc -l)" = 3 &&
	cat >expect <<-\EOF &&
	title: Edge Emergency Generator
	client: 0015g00000a1bcdaaf
	stage: writing-proposal
	amount: 35000.0 USD
	expected_close: 2025-08-14
	created: 2025-01-20
	EOF
	test_cmp expect opportunities/2025/0065g00000c3defaaf.yaml &&
	crm check
'

test_expect_success 'the same files again change nothing' '
	cd repo &&
	crm import --preset salesforce "$D/Account.csv" "$D/Contact.csv" "$D/Opportunity.csv" \
		"$D/Lead.csv" "$D/Task.csv" >out &&
	printf "0 created, 0 updated, 6 unchanged, 0 skipped\nnothing to change\n" >expect &&
	test_cmp expect out &&
	test "$(git log --oneline | wc -l)" = 3
'

test_expect_success 'HubSpot, Pipedrive, Zoho, Google, Outlook, Thunderbird, Odoo' '
	cd repo &&
	crm import --preset hubspot "$D"/hubspot-crm-exports-all-*.csv | head -1 >got &&
	crm import --preset pipedrive "$D/organizations-13579-2.csv" "$D/people-13579-3.csv" \
		"$D/deals-13579-4.csv" | head -1 >>got &&
	crm import --preset zoho "$D/Accounts_2025_05_30.csv" "$D/Contacts_2025_05_30.csv" \
		"$D/Deals_2025_05_30.csv" | head -1 >>got &&
	crm import --preset google-contacts "$D/google-contacts.csv" | head -1 >>got &&
	crm import --preset outlook "$D/outlook.csv" | head -1 >>got &&
	crm import --preset thunderbird "$D/thunderbird.csv" | head -1 >>got &&
	crm import --preset odoo-partners "$D/odoo-res.partner.csv" | head -1 >>got &&
	cat >expect <<-\EOF &&
	5 created, 0 updated, 0 unchanged, 0 skipped
	3 created, 0 updated, 0 unchanged, 0 skipped
	3 created, 0 updated, 0 unchanged, 0 skipped
	4 created, 0 updated, 0 unchanged, 0 skipped
	2 created, 0 updated, 0 unchanged, 0 skipped
	2 created, 0 updated, 0 unchanged, 0 skipped
	2 created, 0 updated, 0 unchanged, 2 skipped
	EOF
	test_cmp expect got &&
	crm check &&
	crm ls contact --format csv >../contacts.csv &&
	grep "^kenji-tanaka,Kenji Tanaka,r" ../contacts.csv &&
	grep "^31,Ingrid Berg,12," ../contacts.csv
'

test_expect_success 'a spreadsheet through a rules file: dates, amounts, maps, joins, skips' '
	cd repo &&
	printf "%s\r\n" "Vorname;Nachname;Firma;Strasse;PLZ;Ort;E-Mail;Umsatz;Seit;Status" \
		"Jan;Novák;\"Nová Firma, s.r.o.\";Dlouhá 5;110 00;Praha;jan@nova.example;1 250,50;31.01.2024;aktiv" \
		"Eva;Horáková;;Krátká 1;602 00;Brno;eva@example.cz;;15.03.2024;aktiv" \
		"Petr;Dvořák;;;;;petr@example.cz;;01.02.2024;gelöscht" >kunden.csv &&
	cat >kunden.ini <<-\EOF &&
	[kunden]
	type = client
	files = kunden*.csv
	name = {Vorname} {Nachname}
	kind = person
	email = {E-Mail}
	address = {Strasse}, {PLZ} {Ort}
	category = {Firma}
	created = {Seit}
	date-format = %d.%m.%Y
	decimal-mark = ,
	notes = Umsatz {Umsatz} CZK
	skip.Status = gelöscht
	EOF
	crm import --rules kunden.ini kunden.csv --dry-run >out &&
	cat >expect <<-\EOF &&
	ROW          ACTION  RECORD         NOTE
	kunden.csv:2 create  client/jan-novak
	kunden.csv:3 create  client/eva-horakova
	kunden.csv:4 skip                   skip.Status = '"'"'gelöscht'"'"'
	2 created, 0 updated, 0 unchanged, 1 skipped
	EOF
	sed "s/  */ /g; s/ *\$//" out >got && sed "s/  */ /g; s/ *\$//" expect >want &&
	test_cmp want got &&
	crm import --rules kunden.ini kunden.csv >/dev/null &&
	cat >expect <<-\EOF &&
	name: Jan Novák
	kind: person
	email: jan@nova.example
	address: Dlouhá 5, 110 00 Praha
	category: Nová Firma, s.r.o.
	created: 2024-01-31
	notes: Umsatz 1 250,50 CZK
	EOF
	test_cmp expect clients/2024/jan-novak.yaml &&
	grep "^address: Krátká 1, 602 00 Brno" clients/2024/eva-horakova.yaml &&
	! grep "^notes" clients/2024/eva-horakova.yaml
'

test_expect_success 'duplicates: folded names, emails, phones; --update updates' '
	cd repo &&
	printf "%s\n" "name,email,phone,city" \
		"ＮＯＲＤＬＹＳ A/S,,,Oslo" \
		"Shanghai Tea Co Ltd,,,Shanghai" \
		"Azure Int.,AZURE.interior24@example.com,," \
		"Nortwind,,+49 (30) 123-4567," \
		"Someone New,,," >../dups.csv &&
	crm import client ../dups.csv --dry-run >../out &&
	sed "s/  */ /g; s/ *\$//; s|^[^ ]*/||" ../out >../got &&
	cat >../expect <<-\EOF &&
	ROW ACTION RECORD NOTE
	dups.csv:2 skip client/12 matches client/12 (name 1.00), 1 field differ: --update
	dups.csv:3 unchanged client/shanghai-tea-co-ltd same as client/shanghai-tea-co-ltd (name)
	dups.csv:4 skip client/azure-interior matches client/azure-interior (email 1.00), 2 fields differ: --update
	dups.csv:5 skip client/18234567001 matches client/18234567001 (phone 1.00), 2 fields differ: --update
	dups.csv:6 create client/someone-new
	1 created, 0 updated, 1 unchanged, 3 skipped
	EOF
	test_cmp ../expect ../got &&
	crm import client ../dups.csv --update >../out &&
	grep "^city: Oslo" clients/*/12.yaml &&
	grep "^name: Nordlys AS" clients/*/12.yaml
'

test_expect_success 'a row that fails its check: located, nothing written' '
	cd repo &&
	printf "%s\n" "name,email,kind" "Good One,good@example.com,company" \
		"Bad Kind,bad@example.com,robot" >bad.csv &&
	snapshot ../before &&
	test_expect_code 1 crm import client bad.csv 2>../err &&
	cat >../expect <<-\EOF &&
	bad.csv:3:3: error: client/bad-kind: '"'"'robot'"'"' is not an allowed value (one of: company, person) [bad-enum]
	crm import: 1 error; nothing was written
	EOF
	test_cmp ../expect ../err &&
	snapshot ../after && test_cmp ../before ../after
'
test_expect_success 'the README "Moving in" commands run as written' '
	crm init moving >/dev/null &&
	cd moving &&
	cp "$D"/*.csv . &&
	readme="$TEST_TOP/README.md" &&
	sed -n "/^## Moving in/,/^## /p" "$readme" >../section &&
	sed -n "/^\`\`\`csv/,/^\`\`\`/p" ../section | sed "1d;\$d" >clients.csv &&
	sed -n "/^\`\`\`ini/,/^\`\`\`/p" ../section | sed "1d;\$d" >clients.ini &&
	sed -n "/^\`\`\`sh/,/^\`\`\`/p" ../section | sed "1d;\$d" >../commands.sh &&
	test "$(wc -l <../commands.sh)" -gt 10 &&
	sh -e ../commands.sh >../out 2>&1 &&
	grep "^1 created, 0 updated, 0 unchanged, 1 skipped" ../out &&
	grep "^address: Dlouhá 5, 110 00 Praha" clients/2024/jan-novak.yaml
'

test_expect_success 'FIELD.else: the template a field takes when its own gives nothing' '
	crm init fallback >/dev/null &&
	cd fallback &&
	printf "Full;First;Last\n;Ada;Lovelace\nGrace Hopper;Grace;\n" >../people.csv &&
	printf "[people]\ntype = client\nfiles = people.csv\nkind = person\nname = {Full}\nname.else = {First} {Last}\n" >../people.ini &&
	crm import ../people.csv --rules ../people.ini >../out &&
	git ls-tree -r --name-only HEAD clients | sed "s|.*/||" >../names &&
	printf "ada-lovelace.yaml\ngrace-hopper.yaml\n" >../expect &&
	test_cmp ../expect ../names &&
	printf "[people]\ntype = client\nfiles = people.csv\nname.else = {First}\n" >../bad.ini &&
	test_expect_code 2 crm import ../people.csv --rules ../bad.ini 2>../err &&
	echo "crm import: rules [people]: '"'"'name.else'"'"' without '"'"'name = ...'"'"'" >../expect &&
	test_cmp ../expect ../err
'

test_expect_success 'a large import commits its objects as one pack, and git agrees' '
	crm init big >/dev/null &&
	awk "BEGIN { print \"First;Last;Email\"; for (i = 0; i < 300; i++)
		printf \"Ewa%d;Kowalska%d;ewa%d@example.pl\\n\", i, i, i }" >rows.csv &&
	printf "[rows]\ntype = client\nfiles = rows.csv\nname = {First} {Last}\nkind = person\nemail = {Email}\n" >rows.ini &&
	cd big &&
	crm import ../rows.csv --rules ../rows.ini >../out &&
	echo "300 created, 0 updated, 0 unchanged, 0 skipped" >../expect &&
	head -n 1 ../out >../actual &&
	test_cmp ../expect ../actual &&
	git status --porcelain >../status &&
	test ! -s ../status &&
	git fsck --strict --no-dangling >../fsck 2>&1 &&
	test ! -s ../fsck &&
	git count-objects -v >../objects &&
	grep "^in-pack: 30[0-9]$" ../objects &&
	git ls-tree -r --name-only HEAD clients >../files &&
	wc -l <../files >../count &&
	echo 300 >../expect &&
	test_cmp ../expect ../count &&
	git show HEAD:$(grep /ewa7-kowalska7.yaml ../files) >../shown &&
	printf "name: Ewa7 Kowalska7\nkind: person\nemail: ewa7@example.pl\n" >../expect &&
	test_cmp ../expect ../shown
'

test_done
