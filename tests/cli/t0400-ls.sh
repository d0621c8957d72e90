#!/bin/sh
# crm ls: filters, sorting, limits and the four output formats, with
# Chinese, Polish and Khmer names lined up by display width.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'the default columns come from the schema, aligned by display width' '
	crm -C small ls opportunity >out &&
	cat >expect <<-\EOF &&
	id            title                   client_name             stage               amount         profit
	cafe-ads      Facebook ads            ហាងកាហ្វេភ្នំពេញ               won           3,000.00 EUR   2,000.00 EUR
	lodz-brand    Identyfikacja wizualna  Łódź Studio Projektowe  proposal     45,000.00 PLN  33,000.00 PLN
	qingyun-site  青云 website            北京青云科技            negotiation  20,000.00 USD  15,000.00 USD
	acme-seo      SEO retainer            Acme Corp               lead          6,000.00 EUR
	EOF
	test_cmp expect out
'

test_expect_success '$COLUMNS sets the width of the table, as on a terminal' '
	COLUMNS=50 crm -C small ls opportunity >out &&
	cat >expect <<-\EOF &&
	id      title   client…  stage     amount   profit
	cafe-…  Faceb…  ហាងកាហ្វេភ្…  won      3,000.…  2,000.…
	lodz-…  Ident…  Łódź S…  propos…  45,000…  33,000…
	qingy…  青云 …  北京青…  negoti…  20,000…  15,000…
	acme-…  SEO r…  Acme C…  lead     6,000.…
	EOF
	test_cmp expect out &&
	COLUMNS=junk crm -C small ls opportunity --fields title >out &&
	cat >expect <<-\EOF &&
	id            title
	cafe-ads      Facebook ads
	lodz-brand    Identyfikacja wizualna
	qingyun-site  青云 website
	acme-seo      SEO retainer
	EOF
	test_cmp expect out
'

test_expect_success 'money compares across currencies through the rates' '
	crm -C small ls opportunity "amount>10000" --fields amount >out &&
	printf "%s\n" "id                   amount" "lodz-brand    45,000.00 PLN" "qingyun-site  20,000.00 USD" >expect &&
	test_cmp expect out
'

test_expect_success 'sorting by money descending converts first' '
	crm -C small ls opportunity --sort=-amount --fields amount --format csv >out &&
	printf "%s\n" id,amount "qingyun-site,20000.00 USD" "lodz-brand,45000.00 PLN" \
		"acme-seo,6000.00 EUR" "cafe-ads,3000.00 EUR" >expect &&
	test_cmp expect out
'

test_expect_success 'stages compare in pipeline order' '
	crm -C small ls opportunity "stage>=proposal" -stage=won --fields stage --format csv >out &&
	printf "%s\n" id,stage lodz-brand,proposal qingyun-site,negotiation >expect &&
	test_cmp expect out
'

test_expect_success 'tags, months and free text' '
	crm -C small ls opportunity tag:seo --format csv --fields title >a &&
	printf "%s\n" id,title "qingyun-site,青云 website" "acme-seo,SEO retainer" >expect &&
	test_cmp expect a &&
	crm -C small ls opportunity created=2025-04 --format csv --fields title >b &&
	printf "%s\n" id,title "lodz-brand,Identyfikacja wizualna" >expect &&
	test_cmp expect b &&
	crm -C small ls opportunity created=2025-03..2025-04 --format csv --fields title >c &&
	test "$(wc -l <c)" = 3 &&
	crm -C small ls client ŁÓDŹ --format csv --fields name >d &&
	printf "%s\n" id,name "lodz-studio,Łódź Studio Projektowe" >expect &&
	test_cmp expect d &&
	crm -C small ls client "name~青云" --format csv --fields name >e &&
	printf "%s\n" id,name "c-7k2m9q,北京青云科技" >expect &&
	test_cmp expect e
'

test_expect_success '--limit and --json' '
	crm -C small ls opportunity --sort=title --limit 2 --json >out &&
	cat >expect <<-\EOF &&
	[
	  {"type": "opportunity", "id": "cafe-ads", "path": "opportunities/2025/cafe-ads.yaml", "fields": {"title": "Facebook ads", "client": "c-p9x3tm", "client_name": "ហាងកាហ្វេភ្នំពេញ", "stage": "won", "amount": {"amount": "3000.00", "currency": "EUR"}, "cost": {"amount": "1000.00", "currency": "EUR"}, "profit": {"amount": "2000.00", "currency": "EUR"}, "tags": ["facebook-ads"], "created": "2025-02-01", "history": [{"date": "2025-02-01", "stage": "lead", "by": "alice"}, {"date": "2025-02-20", "stage": "won", "by": "alice"}], "last_activity": null, "next_step": null}},
	  {"type": "opportunity", "id": "lodz-brand", "path": "opportunities/2025/lodz-brand.yaml", "fields": {"title": "Identyfikacja wizualna", "client": "lodz-studio", "client_name": "Łódź Studio Projektowe", "stage": "proposal", "amount": {"amount": "45000.00", "currency": "PLN"}, "cost": {"amount": "12000.00", "currency": "PLN"}, "profit": {"amount": "33000.00", "currency": "PLN"}, "confidence": 3, "tags": ["branding"], "created": "2025-04-15", "last_activity": null, "next_step": null}}
	]
	EOF
	test_cmp expect out
'

test_expect_success 'YAML output reads back as YAML' '
	crm -C small ls client --format yaml >out &&
	cat >expect <<-\EOF &&
	- id: acme-corp
	  name: Acme Corp
	  city: Dublin
	  email: office@acme.example
	- id: c-7k2m9q
	  name: 北京青云科技
	  city: 北京
	  email: info@qingyun.example
	- id: c-p9x3tm
	  name: ហាងកាហ្វេភ្នំពេញ
	  city: ភ្នំពេញ
	  email: hello@cafe.example
	- id: lodz-studio
	  name: Łódź Studio Projektowe
	  city: Łódź
	  email: biuro@lodz.example
	EOF
	test_cmp expect out
'

test_expect_success 'a misspelt field is a usage error with a suggestion' '
	test_expect_code 2 crm -C small ls opportunity "amout>5" 2>err &&
	test_expect_code 2 crm -C small ls opportunity stage=negotiating 2>>err &&
	test_expect_code 2 crm -C small ls opportunity "amount>lots" 2>>err &&
	test_expect_code 2 crm -C small ls opportunity --sort=amout 2>>err &&
	cat >expect <<-\EOF &&
	crm ls: unknown field '\''amout'\'' (did you mean '\''amount'\''?)
	crm ls: filter '\''stage=negotiating'\'': unknown stage '\''negotiating'\'' (did you mean '\''negotiation'\''?)
	crm ls: filter '\''amount>lots'\'': invalid money '\''lots'\'': '\''lots'\'' is not a number
	crm ls: cannot sort by unknown field '\''amout'\'' (did you mean '\''amount'\''?)
	EOF
	test_cmp expect err
'

test_expect_success '-n5 is --limit 5, not a negated filter; -word still negates' '
	crm -C small ls client -n2 >short &&
	crm -C small ls client --limit 2 >long &&
	test_cmp long short &&
	test "$(wc -l <short)" = 3 &&
	crm -C small ls client -nobody >neg &&
	test "$(wc -l <neg)" = 5
'

test_expect_success 'a duration prints as written, not as its seconds' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	crm -C agency ls task --fields remind >out &&
	cat >expect <<-\EOF &&
	id                            remind
	buchladen-branding-2502-t3    1d12h
	greenleaf-branding-2502-t5    1d
	kaffee-facebook-ads-2503-t7   1d12h
	lodz-facebook-ads-2504-t8     30m
	lodz-website-2412-t1          1d
	mingyue-facebook-ads-2501-t2  2h
	mueller-facebook-ads-2502-t4  30m
	northwind-seo-2503-t6         2h
	EOF
	test_cmp expect out &&
	crm -C agency show task/greenleaf-branding-2502-t5 >show &&
	cat >expect <<-\EOF &&
	task/greenleaf-branding-2502-t5  (tasks/greenleaf-branding-2502-t5.yaml)
	field     value
	title     Follow up on the contract
	due       2025-11-13T10:00
	remind    1d
	assignee  alice
	status    open
	about     opportunity/greenleaf-branding-2502
	created   2025-02-25
	EOF
	test_cmp expect show
'

# The folders are walked on every core, each subfolder of a type folder a
# job of its own: the list must still come in path order, files beside
# folders and folders in folders, hidden ones and .yml files left out.
test_expect_success 'records in nested folders list in path order' '
	crm init nested >/dev/null &&
	for f in a b/m b/x/y c d/e f g/h/i/j; do
		mkdir -p "nested/clients/$(dirname "$f")" &&
		echo "name: ${f##*/}" >"nested/clients/$f.yaml" || return 1
	done &&
	mkdir nested/clients/.hidden &&
	echo "name: z" >nested/clients/.hidden/z.yaml &&
	echo "name: k" >nested/clients/k.yml &&
	crm -C nested ls client --fields id >out 2>err &&
	printf "%s\n" a m y c e f j >expect &&
	tail -n +2 out | sed "s/ *$//" >actual &&
	test_cmp expect actual &&
	crm -C nested ls client --fields id >again 2>err &&
	test_cmp out again
'

test_done
