#!/bin/sh
# Search as people type: free text and '~' fold case, accents and width, so
# "lodz" finds "Łódź" and "ｱｲ" finds "アイ"; ids for Cyrillic and Greek names
# are romanised, Chinese and Khmer names keep short random ids.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	printf "name: Pracownia Łódź-Widzew\ncity: Łódź\n" >small/clients/widzew.yaml &&
	printf "name: アイ商事\ncity: 東京\n" >small/clients/ai-shoji.yaml &&
	printf "name: ＡＣＭＥ Tokyo\n" >small/clients/acme-tokyo.yaml &&
	printf "name: カード商会\n" >small/clients/kado.yaml &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'free text without accents finds the name with them' '
	crm -C small ls client lodz >out &&
	cat >expect <<-\EOF &&
	id           name                    city  email
	lodz-studio  Łódź Studio Projektowe  Łódź  biuro@lodz.example
	widzew       Pracownia Łódź-Widzew   Łódź
	EOF
	test_cmp expect out &&
	crm -C small ls client ŁÓDŹ-WIDZEW >out &&
	printf "%s\n" "id      name                   city  email" \
		"widzew  Pracownia Łódź-Widzew  Łódź" >expect &&
	test_cmp expect out
'

test_expect_success 'the ~ filter folds the same way' '
	crm -C small ls client "city~LODZ" --format csv >out &&
	printf "%s\n" "id,name,city,email" \
		"lodz-studio,Łódź Studio Projektowe,Łódź,biuro@lodz.example" \
		"widzew,Pracownia Łódź-Widzew,Łódź," >expect &&
	test_cmp expect out
'

test_expect_success 'half-width kana find full-width ones, full-width Latin finds ASCII' '
	crm -C small ls client ｱｲ --format csv >out &&
	printf "%s\n" "id,name,city,email" "ai-shoji,アイ商事,東京," >expect &&
	test_cmp expect out &&
	crm -C small ls client ａｃｍｅ --format csv >out &&
	printf "%s\n" "id,name,city,email" \
		"acme-corp,Acme Corp,Dublin,office@acme.example" \
		"acme-tokyo,ＡＣＭＥ Tokyo,," >expect &&
	test_cmp expect out
'

test_expect_success 'a kana voicing mark is part of the letter, not an accent' '
	crm -C small ls client ガ --format csv >out &&
	echo "id,name,city,email" >expect &&
	test_cmp expect out
'

test_expect_success 'Cyrillic, Greek and Armenian names get romanised ids' '
	crm -C small add client --set "name=Москва Трейд" >out &&
	crm -C small add client --set "name=Αθήνα Design" >>out &&
	crm -C small add client --set "name=Հայաստան Tour" >>out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	cat >expect <<-\EOF &&
	[HASH] crm: add client/moskva-trejd
	[HASH] crm: add client/athina-design
	[HASH] crm: add client/hayastan-tour
	EOF
	test_cmp expect actual &&
	grep -qx "name: Москва Трейд" "$(find small/clients -name moskva-trejd.yaml)"
'

test_expect_success 'Chinese and Khmer names keep short random ids' '
	crm -C small add client --set name=東京商事 >out &&
	crm -C small add client --set name=ហាងកាហ្វេ >>out &&
	test "$(grep -c -E "crm: add client/c-[a-z2-9]{6}$" out)" = 2
'

test_done
