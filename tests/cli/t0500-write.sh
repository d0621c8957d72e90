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
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: set opportunity/lodz-brand amount=47000.00 PLN, confidence=4, tags=branding,website" >expect &&
	test_cmp expect actual &&
	test "$(git -C small rev-list --count HEAD)" = 2 &&
	git -C small log -1 --format="%an <%ae> %aI" >who &&
	echo "Alice Example <alice@example.com> 2025-06-01T12:00:00Z" | sed "s/Z$/+00:00/" >expect &&
	test_cmp expect who &&
	git -C small diff HEAD~1 --stat >stat &&
	cat >expect <<-\EOF &&
	 opportunities/2025/lodz-brand.yaml | 6 +++---
	 1 file changed, 3 insertions(+), 3 deletions(-)
	EOF
	test_cmp expect stat &&
	cat >expect <<-\EOF &&
	# Polish client, amount in PLN
	title: Identyfikacja wizualna
	client: lodz-studio
	stage: proposal
	amount: "47000.00 PLN"
	cost: "12000.00 PLN"
	confidence: 4
	tags: [branding, website]
	created: 2025-04-15
	EOF
	test_cmp expect small/opportunities/2025/lodz-brand.yaml
'

test_expect_success 'a file nobody changed is byte-identical after a no-op set round trip' '
	cp small/clients/acme-corp.yaml before &&
	crm -C small set acme-corp city=Dublin >/dev/null &&
	test_cmp before small/clients/acme-corp.yaml
'

test_expect_success 'set refuses unknown fields, computed fields, bad values and dangling refs' '
	test_expect_code 2 crm -C small set lodz-brand amout=5 2>err &&
	test_expect_code 2 crm -C small set lodz-brand profit=4 2>>err &&
	test_expect_code 2 crm -C small set lodz-brand "amount=1 250,5 PLN" 2>>err &&
	test_expect_code 1 crm -C small set lodz-brand client=lodz-studo 2>>err &&
	cat >expect <<-\EOF &&
	crm set: opportunity has no field '\''amout'\'' (did you mean '\''amount'\''?)
	crm set: field '\''profit'\'' is computed (formula); it cannot be set
	crm set: amount: invalid money '\''1 250,5 PLN'\'': use a dot as decimal separator and no digit grouping
	crm set: unknown client '\''lodz-studo'\'' (did you mean '\''lodz-studio'\''?)
	EOF
	test_cmp expect err &&
	test "$(git -C small rev-list --count HEAD)" = 3 &&
	test -z "$(git -C small status --porcelain)"
'

test_expect_success 'move records history and the closing date' '
	CRM_TODAY=2025-06-10 crm -C small move qingyun-site won >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: move opportunity/qingyun-site negotiation -> won" >expect &&
	test_cmp expect actual &&
	tail -n 2 small/opportunities/2025/qingyun-site.yaml >tail &&
	printf "%s\n" "history:" "  - {date: 2025-06-10, stage: won, by: Alice Example}" >expect &&
	test_cmp expect tail &&
	CRM_TODAY=2025-06-12 crm -C small move cafe-ads negotiation &&
	tail -n 1 small/opportunities/2025/cafe-ads.yaml >t2 &&
	echo "  - {date: 2025-06-12, stage: negotiation, by: Alice Example}" >expect &&
	test_cmp expect t2 &&
	test_expect_code 2 crm -C small move cafe-ads negotiating 2>err &&
	echo "crm move: unknown stage '\''negotiating'\''; crm.ini defines the stages" >expect &&
	test_cmp expect err
'

test_expect_success 'tag adds and removes as a set' '
	crm -C small tag qingyun-site -seo +branding +website >/dev/null &&
	sed -n 7p small/opportunities/2025/qingyun-site.yaml >actual &&
	echo "tags: [website, branding]" >expect &&
	test_cmp expect actual
'

test_expect_success 'unset removes the whole key' '
	crm -C small unset acme-seo tags >/dev/null &&
	cat >expect <<-\EOF &&
	title: SEO retainer
	client: acme-corp
	stage: lead
	amount: "6000.00 EUR"
	created: 2025-05-10
	EOF
	test_cmp expect small/opportunities/acme-seo.yaml &&
	test_expect_code 2 crm -C small unset acme-seo title 2>err &&
	echo "crm unset: field '\''title'\'' is required" >expect &&
	test_cmp expect err
'

test_expect_success 'add makes ids from names, or random ones for other scripts' '
	crm -C small add client --set "name=Łódź Design Studio" --set email=hi@lds.example >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: add client/lodz-design-studio" >expect &&
	test_cmp expect actual &&
	printf "name: Łódź Design Studio\nemail: hi@lds.example\n" >expect &&
	test_cmp expect small/clients/2025/lodz-design-studio.yaml &&
	crm -C small add client --set name=北京设计 >out &&
	grep -E -q "crm: add client/c-[a-z2-9]{6}$" out &&
	test_expect_code 2 crm -C small add client --set city=Paris 2>err &&
	echo "crm add: required field '\''name'\'' is missing: --set name=..." >expect &&
	test_cmp expect err &&
	crm -C small check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 11 records" >expect &&
	test_cmp expect out
'

test_expect_success 'rm refuses while referenced, and names the references' '
	test_expect_code 1 crm -C small rm client/c-7k2m9q >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	client/c-7k2m9q is referred to by:
	  opportunities/2025/qingyun-site.yaml:2:9: opportunity/qingyun-site (client)
	crm rm: not removed; change those references first, or use --force
	EOF
	test_cmp expect err &&
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
	git -C small show --stat --format= HEAD >stat &&
	cat >expect <<-\EOF &&
	 clients/{c-7k2m9q.yaml => qingyun.yaml} | 0
	 opportunities/2025/qingyun-site.yaml    | 2 +-
	 2 files changed, 1 insertion(+), 1 deletion(-)
	EOF
	test_cmp expect stat &&
	sed -n 2p small/opportunities/2025/qingyun-site.yaml >actual &&
	echo "client: qingyun" >expect &&
	test_cmp expect actual &&
	crm -C small check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 10 records" >expect &&
	test_cmp expect out
'

test_expect_success 'a stale lock is reported with the command that clears it' '
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	touch "$gitdir/crm.lock" &&
	test_expect_code 1 crm -C small set acme-corp city=Cork 2>err &&
	sed "s|$gitdir|GITDIR|g; s/ ([0-9][^)]* old)/ (N s old)/" err >actual &&
	echo "crm set: '\''GITDIR/crm.lock'\'' exists (N s old): another crm process is writing, or one was killed; if no crm is running, remove it with '\''rm GITDIR/crm.lock'\''" >expect &&
	test_cmp expect actual &&
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
