#!/bin/sh
# The commands that change records: each makes exactly one commit with the
# user's identity and a message naming the change, and keeps the rest of
# the file byte for byte.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	git -C small rev-list --count HEAD >count && test "$(cat count)" = 1
'

test_expect_success 'set changes only the values, in one commit' '
	crm -C small set lodz-brand "amount=47000.00 PLN" confidence=4 tags=branding,website >out &&
	grep -q "crm: set opportunity/lodz-brand amount=47000.00 PLN, confidence=4, tags=branding,website" out &&
	test "$(git -C small rev-list --count HEAD)" = 2 &&
	git -C small log -1 --format="%an <%ae> %aI" >who &&
	echo "Alice Example <alice@example.com> 2025-06-01T12:00:00Z" | sed "s/Z$/+00:00/" >expect &&
	test_cmp expect who &&
	git -C small diff HEAD~1 --stat >stat &&
	grep -q "1 file changed, 3 insertions(+), 3 deletions(-)" stat &&
	head -n 1 small/opportunities/2025/lodz-brand.yaml >first &&
	echo "# Polish client, amount in PLN" >expect &&
	test_cmp expect first &&
	grep -q "^amount: \"47000.00 PLN\"$" small/opportunities/2025/lodz-brand.yaml &&
	grep -q "^tags: \[branding, website\]$" small/opportunities/2025/lodz-brand.yaml
'

test_expect_success 'a file nobody changed is byte-identical after a no-op set round trip' '
	cp small/clients/acme-corp.yaml before &&
	crm -C small set acme-corp city=Dublin >/dev/null &&
	test_cmp before small/clients/acme-corp.yaml
'

test_expect_success 'set refuses unknown fields, computed fields, bad values and dangling refs' '
	test_expect_code 2 crm -C small set lodz-brand amout=5 2>err &&
	grep -q "did you mean .amount." err &&
	test_expect_code 2 crm -C small set lodz-brand profit=4 2>err &&
	grep -q "computed" err &&
	test_expect_code 2 crm -C small set lodz-brand "amount=1 250,5 PLN" 2>err &&
	test_expect_code 1 crm -C small set lodz-brand client=lodz-studo 2>err &&
	grep -q "did you mean .lodz-studio." err &&
	test "$(git -C small rev-list --count HEAD)" = 3 &&
	test -z "$(git -C small status --porcelain)"
'

test_expect_success 'move records history and the closing date' '
	CRM_TODAY=2025-06-10 crm -C small move qingyun-site won >out &&
	grep -q "crm: move opportunity/qingyun-site negotiation -> won" out &&
	tail -n 2 small/opportunities/2025/qingyun-site.yaml >tail &&
	printf "%s\n" "history:" "  - {date: 2025-06-10, stage: won, by: Alice Example}" >expect &&
	test_cmp expect tail &&
	CRM_TODAY=2025-06-12 crm -C small move cafe-ads negotiation &&
	tail -n 1 small/opportunities/2025/cafe-ads.yaml >t2 &&
	echo "  - {date: 2025-06-12, stage: negotiation, by: Alice Example}" >expect &&
	test_cmp expect t2 &&
	test_expect_code 2 crm -C small move cafe-ads negotiating 2>err &&
	grep -q "unknown stage" err
'

test_expect_success 'tag adds and removes as a set' '
	crm -C small tag qingyun-site -seo +branding +website >/dev/null &&
	grep -q "^tags: \[website, branding\]$" small/opportunities/2025/qingyun-site.yaml
'

test_expect_success 'unset removes the whole key' '
	crm -C small unset acme-seo tags >/dev/null &&
	! grep -q "^tags" small/opportunities/acme-seo.yaml &&
	test_expect_code 2 crm -C small unset acme-seo title 2>err &&
	grep -q "required" err
'

test_expect_success 'add makes ids from names, or random ones for other scripts' '
	crm -C small add client --set "name=Łódź Design Studio" --set email=hi@lds.example >out &&
	grep -q "crm: add client/lodz-design-studio" out &&
	test -f small/clients/2025/lodz-design-studio.yaml &&
	crm -C small add client --set name=北京设计 >out &&
	grep -E -q "crm: add client/c-[a-z2-9]{6}$" out &&
	test_expect_code 2 crm -C small add client --set city=Paris 2>err &&
	grep -q "required field .name." err &&
	crm -C small check 2>err && grep -q "^0 errors" err
'

test_expect_success 'rm refuses while referenced, and names the references' '
	test_expect_code 1 crm -C small rm client/c-7k2m9q 2>err &&
	grep -q "opportunities/2025/qingyun-site.yaml:2:9" err &&
	test -f small/clients/c-7k2m9q.yaml &&
	crm -C small rm client/lodz-design-studio >out &&
	test ! -f small/clients/2025/lodz-design-studio.yaml &&
	git -C small log -1 --format=%s >msg &&
	echo "crm: rm client/lodz-design-studio" >expect && test_cmp expect msg
'

test_expect_success 'mv renames and rewrites every reference in one commit' '
	before=$(git -C small rev-list --count HEAD) &&
	crm -C small mv client/c-7k2m9q qingyun >/dev/null &&
	test "$(git -C small rev-list --count HEAD)" = $((before + 1)) &&
	test -f small/clients/qingyun.yaml && test ! -f small/clients/c-7k2m9q.yaml &&
	grep -q "^client: qingyun$" small/opportunities/2025/qingyun-site.yaml &&
	crm -C small check 2>err && grep -q "^0 errors" err
'

test_expect_success 'a stale lock is reported with the command that clears it' '
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	touch "$gitdir/crm.lock" &&
	test_expect_code 1 crm -C small set acme-corp city=Cork 2>err &&
	grep -q "crm.lock. exists" err && grep -q "rm .*crm.lock" err &&
	grep -q "^city: Dublin$" small/clients/acme-corp.yaml &&
	rm "$gitdir/crm.lock" &&
	crm -C small set acme-corp city=Cork >/dev/null
'

test_expect_success 'the user'"'"'s other uncommitted changes are left alone' '
	echo "# my note" >>small/clients/lodz-studio.yaml &&
	crm -C small set acme-corp city=Galway >/dev/null &&
	git -C small show --stat HEAD >stat &&
	! grep -q lodz-studio stat &&
	git -C small status --porcelain >st &&
	grep -q "clients/lodz-studio.yaml" st
'

test_done
