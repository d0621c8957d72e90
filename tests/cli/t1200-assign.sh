#!/bin/sh
# Lead assignment by crm.ini's [assign "NAME"] rules: crm add gives a new
# record without an owner the least loaded member of the first matching
# rule's team and says so in the commit message; crm import spreads 1 000
# generated leads over the teams within one of each other, counting the
# open deals members already had.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a repository with two rules and a user list' '
	crm init repo >/dev/null &&
	cd repo &&
	cat >>crm.ini <<-\EOF &&
	[user "chen"]
	name = Chen
	[user "dana"]
	name = Dana
	[user "fay"]
	name = Fay
	[user "eve"]
	name = Eve
	[user "gus"]
	name = Gus
	[user "zed"]
	name = Zed
	[assign "emea-large"]
	type = client
	where = country=DE size=large
	team = chen, dana, fay
	[assign "rest"]
	type = client
	team = eve gus
	EOF
	git commit -qam rules &&
	crm check >/dev/null
'

test_expect_success 'crm add: matching rule, round robin, an owner given is kept' '
	cd repo &&
	crm add client --set name=Acme --set country=DE --set size=large >out &&
	crm add client --set name=Beta --set country=DE --set size=large >>out &&
	crm add client --set name=Gamma --set country=DE --set size=large --set owner=zed >>out &&
	crm add client --set name=Delta --set country=DE --set size=large >>out &&
	crm add client --set name=Eps --set country=PL >>out &&
	crm add client --set name=Zeta --set country=DE --set size=large >>out &&
	sed "s/^\[[0-9a-f]*\] //" out >actual &&
	cat >expect <<-\EOF &&
	crm: add client/acme (assigned to chen by rule '"'"'emea-large'"'"')
	crm: add client/beta (assigned to dana by rule '"'"'emea-large'"'"')
	crm: add client/gamma
	crm: add client/delta (assigned to fay by rule '"'"'emea-large'"'"')
	crm: add client/eps (assigned to eve by rule '"'"'rest'"'"')
	crm: add client/zeta (assigned to chen by rule '"'"'emea-large'"'"')
	EOF
	test_cmp expect actual &&
	git log -1 --format=%s >msg &&
	echo "crm: add client/zeta (assigned to chen by rule '"'"'emea-large'"'"')" >expect &&
	test_cmp expect msg &&
	crm ls client --fields owner --format csv >actual &&
	cat >expect <<-\EOF &&
	id,owner
	acme,chen
	beta,dana
	delta,fay
	eps,eve
	gamma,zed
	zeta,chen
	EOF
	test_cmp expect actual
'

test_expect_success 'open deals count as load; closed ones do not' '
	cd repo &&
	crm add opportunity --set title=D1 --set client=acme --set stage=qualifying --set owner=dana --force >/dev/null 2>&1 &&
	crm add opportunity --set title=D2 --set client=acme --set stage=won --set owner=fay --force >/dev/null 2>&1 &&
	crm add client --set name=Eta --set country=DE --set size=large >out &&
	sed "s/^\[[0-9a-f]*\] //" out >actual &&
	echo "crm: add client/eta (assigned to fay by rule '"'"'emea-large'"'"')" >expect &&
	test_cmp expect actual
'

test_expect_success 'a type no rule is for is left alone' '
	cd repo &&
	crm add contact --set name=Someone >out &&
	sed "s/^\[[0-9a-f]*\] //" out >actual &&
	echo "crm: add contact/someone" >expect &&
	test_cmp expect actual
'

test_expect_success 'a team member crm.ini does not list is refused, nothing written' '
	cd repo &&
	git rev-parse HEAD >before &&
	printf "[assign \"bad\"]\ntype = client\nteam = nobody\n" >>crm.ini &&
	test_expect_code 2 crm add client --set name=Theta 2>err &&
	cat >expect <<-\EOF &&
	crm add: crm.ini:54: '"'"'nobody'"'"' in the team of rule '"'"'bad'"'"' is not a [user] of crm.ini
	EOF
	test_cmp expect err &&
	git checkout -q crm.ini &&
	git rev-parse HEAD >after &&
	test_cmp before after &&
	test -z "$(git status --porcelain --untracked-files=no)"
'

test_expect_success 'a where that is no filter is refused with the rule named' '
	cd repo &&
	printf "[assign \"typo\"]\ntype = client\nwhere = contry=DE\nteam = eve\n" >>crm.ini &&
	test_expect_code 2 crm add client --set name=Theta 2>err &&
	cat >expect <<-\EOF &&
	crm add: crm.ini:53: the where of rule [assign "typo"]: unknown field '"'"'contry'"'"' (did you mean '"'"'country'"'"'?)
	EOF
	test_cmp expect err &&
	git checkout -q crm.ini &&
	test -z "$(git status --porcelain --untracked-files=no)"
'

test_expect_success 'crm import: 1 000 generated leads, balanced within one per team' '
	crm init big >/dev/null &&
	cd big &&
	cat >>crm.ini <<-\EOF &&
	[assign "emea-large"]
	type = client
	where = country=DE size=large
	team = chen, dana, fay
	[assign "rest"]
	type = client
	team = eve, gus
	EOF
	printf "title: Old\nclient: old\nstage: qualifying\nowner: dana\n" >old-deal.yaml &&
	mkdir -p clients opportunities &&
	printf "name: Old\nowner: zed\n" >clients/old.yaml &&
	mv old-deal.yaml opportunities/old.yaml &&
	git add -A && git commit -qm setup &&
	python3 - <<-\EOF &&
	import csv
	with open("leads.csv", "w", newline="") as f:
	    w = csv.writer(f)
	    w.writerow(["Name", "Country", "Size"])
	    for i in range(1000):
	        big = i % 3 != 2
	        w.writerow(["Lead %04d" % i, "DE" if big else "PL", "large" if big else "small"])
	EOF
	cat >leads.ini <<-\EOF &&
	[leads]
	type = client
	files = leads*.csv
	name = {Name}
	country = {Country}
	size = {Size}
	EOF
	crm import --rules leads.ini leads.csv >out &&
	cat >expect <<-\EOF &&
	1000 created, 0 updated, 0 unchanged, 0 skipped; assigned 1000 by rules (chen 223, dana 222, fay 222, eve 167, gus 166)
	EOF
	head -1 out >actual && test_cmp expect actual &&
	git log -1 --format=%s >actual &&
	echo "crm: import 1000 records from leads.csv; assigned 1000 by rules (chen 223, dana 222, fay 222, eve 167, gus 166)" >expect &&
	test_cmp expect actual &&
	for u in chen dana fay eve gus; do
		c=$(crm ls client owner=$u --format csv | tail -n +2 | wc -l) &&
		d=$(crm ls opportunity owner=$u --format csv | tail -n +2 | wc -l) &&
		echo "$u $((c + d))" || return 1
	done >loads &&
	cat >expect <<-\EOF &&
	chen 223
	dana 223
	fay 222
	eve 167
	gus 166
	EOF
	test_cmp expect loads &&
	crm check >/dev/null
'

test_expect_success 'crm import: clients made for deals and the deals, each type round its team' '
	crm init mixed >/dev/null &&
	cd mixed &&
	cat >>crm.ini <<-\EOF &&
	[assign "accounts"]
	type = client
	team = eve, gus
	[assign "deals"]
	type = opportunity
	team = chen, dana
	EOF
	git commit -qam rules &&
	printf "Deal,Company\nD1,One\nD2,Two\nD3,Three\nD4,Four\n" >deals.csv &&
	cat >deals.ini <<-\EOF &&
	[deals]
	type = opportunity
	files = deals*.csv
	title = {Deal}
	client = {Company}
	client.create = yes
	stage = qualifying
	EOF
	crm import --rules deals.ini deals.csv >/dev/null &&
	git log -1 --format=%s >actual &&
	echo "crm: import 8 records from deals.csv; assigned 8 by rules (eve 2, gus 2, chen 2, dana 2)" >expect &&
	test_cmp expect actual &&
	crm ls client --fields name,owner --format csv >actual &&
	crm ls opportunity --fields title,owner --format csv >>actual &&
	cat >expect <<-\EOF &&
	id,name,owner
	four,Four,gus
	one,One,eve
	three,Three,eve
	two,Two,gus
	id,title,owner
	d1,D1,chen
	d2,D2,dana
	d3,D3,chen
	d4,D4,dana
	EOF
	test_cmp expect actual
'

test_expect_success 'crm import --dry-run shows the owners the run then gives' '
	cd mixed &&
	printf "Deal,Company,Owner\nD5,Five,\nD6,One,\nD7,Seven,fay\nD8,Eight,\n" >more.csv &&
	cat >more.ini <<-\EOF &&
	[deals]
	type = opportunity
	files = more*.csv
	title = {Deal}
	client = {Company}
	client.create = yes
	owner = {Owner}
	stage = qualifying
	EOF
	git rev-parse HEAD >before &&
	crm import --rules more.ini more.csv --dry-run >out &&
	sed "s/  */ /g; s/ *\$//" out >dry &&
	cat >expect <<-\EOF &&
	ROW ACTION RECORD NOTE
	more.csv:2 create client/five client of row 2; assigned to eve by rule '"'"'accounts'"'"'
	more.csv:2 create opportunity/d5 assigned to chen by rule '"'"'deals'"'"'
	more.csv:3 create opportunity/d6 assigned to dana by rule '"'"'deals'"'"'
	more.csv:4 create client/seven client of row 4; assigned to gus by rule '"'"'accounts'"'"'
	more.csv:4 create opportunity/d7
	more.csv:5 create client/eight client of row 5; assigned to eve by rule '"'"'accounts'"'"'
	more.csv:5 create opportunity/d8 assigned to chen by rule '"'"'deals'"'"'
	7 created, 0 updated, 0 unchanged, 0 skipped; assigned 6 by rules (eve 2, gus 1, chen 2, dana 1)
	EOF
	test_cmp expect dry &&
	git rev-parse HEAD >after && test_cmp before after &&
	crm import --rules more.ini more.csv >out &&
	head -n 1 out >actual &&
	tail -n 1 expect >want &&
	test_cmp want actual &&
	git log -1 --format=%s >actual &&
	echo "crm: import 7 records from more.csv; assigned 6 by rules (eve 2, gus 1, chen 2, dana 1)" >expect &&
	test_cmp expect actual &&
	sed -n "s/^[^ ]* create \([^ ]*\) .*assigned to \([a-z]*\) by rule .*/\1 \2/p" \
		dry >predicted &&
	test "$(wc -l <predicted)" = 6 &&
	for t in client opportunity; do
		crm ls $t --fields owner --format csv | sed -n "2,\$s|^\([^,]*\),|$t/\1 |p" ||
		return 1
	done >all-owners &&
	grep -F -x -f predicted all-owners | sort >owners &&
	sort predicted >want &&
	test_cmp want owners
'

test_expect_success 'crm sync assigns nothing: owners travel with the records' '
	git clone -q --bare repo remote.git &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob &&
	(cd alice && crm init >/dev/null) && (cd bob && crm init >/dev/null) &&
	crm -C alice add client --set name=Kappa --set country=DE --set size=large \
		--set owner=zed >/dev/null &&
	crm -C alice add client --set name=Mu --set country=DE --set size=large >out &&
	sed "s/^\[[0-9a-f]*\] //" out >actual &&
	echo "crm: add client/mu (assigned to chen by rule '"'"'emea-large'"'"')" >expect &&
	test_cmp expect actual &&
	printf "name: Lambda\ncountry: DE\nsize: large\n" >alice/clients/lambda.yaml &&
	git -C alice add clients/lambda.yaml &&
	git -C alice commit -qm "lambda, by hand, without an owner" &&
	crm -C alice sync >/dev/null &&
	crm -C bob sync >out &&
	echo "fast-forwarded from origin; pushed" >expect &&
	test_cmp expect out &&
	git -C alice rev-parse HEAD >expect &&
	git -C bob rev-parse HEAD >actual &&
	test_cmp expect actual &&
	test -z "$(git -C bob status --porcelain)" &&
	crm -C bob ls client country=DE --fields owner --sort=id --format csv >actual &&
	cat >expect <<-\EOF &&
	id,owner
	acme,chen
	beta,dana
	delta,fay
	eta,fay
	gamma,zed
	kappa,zed
	lambda,
	mu,chen
	zeta,chen
	EOF
	test_cmp expect actual
'

test_done
