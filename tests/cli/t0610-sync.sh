#!/bin/sh
# crm sync over file://: fetch, field-by-field merge, push; refusals when the
# user has uncommitted edits or a conflict stands.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a shared repository and two clones' '
	cp -R "$TEST_DATA/small" seed && shared_remote seed &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob
'

test_expect_success 'sync pushes; the other side merges field by field and pushes' '
	crm -C alice set lodz-brand "amount=50000.00 PLN" >/dev/null &&
	crm -C alice sync >out &&
	crm -C bob set lodz-brand confidence=5 >/dev/null &&
	crm -C bob sync >>out &&
	git -C bob log -1 --format="%s %p" >msg &&
	crm -C alice sync >>out &&
	cat >expect <<-\EOF &&
	up to date from origin; pushed
	merged from origin; pushed
	fast-forwarded from origin; pushed
	EOF
	test_cmp expect out &&
	sed "s/ [0-9a-f]\{7,\}/ HASH/g" msg >actual &&
	echo "crm: sync: merge origin/main HASH HASH" >expect &&
	test_cmp expect actual &&
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
	for c in alice bob; do
		test_cmp expect $c/opportunities/2025/lodz-brand.yaml || exit 1
	done &&
	test "$(git -C alice rev-parse HEAD)" = "$(git -C remote.git rev-parse main)"
'

test_expect_success 'uncommitted record edits stop sync with the files listed' '
	before=$(git -C bob rev-parse HEAD) &&
	echo "# mine" >>bob/clients/acme-corp.yaml &&
	printf "name: Hand Made\n" >bob/clients/hand-made.yaml &&
	git -C bob status --porcelain >status.before &&
	test_expect_code 1 crm -C bob sync >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	  clients/acme-corp.yaml
	  clients/hand-made.yaml
	crm sync: 2 uncommitted changes to records above; commit them ('"'"'git add -A -- PATH...'"'"' then '"'"'git commit'"'"') or set them aside ('"'"'git stash -u'"'"', later '"'"'git stash pop'"'"') first: crm sync commits nothing of yours
	EOF
	test_cmp expect err &&
	test "$(git -C bob rev-parse HEAD)" = "$before" &&
	git -C bob status --porcelain >status.after && test_cmp status.before status.after
'

test_expect_success 'the advice works: git stash -u, sync, git stash pop' '
	git -C bob stash -q -u &&
	crm -C bob sync >out && grep -q "from origin" out &&
	git -C bob stash pop -q &&
	test -f bob/clients/hand-made.yaml && grep -q "^# mine$" bob/clients/acme-corp.yaml &&
	git -C bob checkout -q clients/acme-corp.yaml && rm bob/clients/hand-made.yaml
'

test_expect_success 'an untracked PDF and an edited README.md do not block sync' '
	printf "# Our CRM\n" >alice/README.md && git -C alice add README.md &&
	git -C alice commit -q -m readme && crm -C alice sync >/dev/null &&
	crm -C alice tag acme-corp +vip >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob sync >/dev/null &&
	crm -C bob set acme-corp owner=Bob >/dev/null &&
	crm -C alice set lodz-brand confidence=4 >/dev/null && crm -C alice sync >/dev/null &&
	printf "%%PDF-1.4\n" >bob/offer.pdf &&
	printf "bob was here\n" >>bob/README.md &&
	printf "staged too\n" >bob/NOTES.md && git -C bob add NOTES.md &&
	git -C bob status --porcelain >status.before &&
	crm -C bob sync >out &&
	echo "merged from origin; pushed" >expect && test_cmp expect out &&
	git -C bob status --porcelain >status.after && test_cmp status.before status.after &&
	git -C bob show --format= --name-only HEAD^2..HEAD >merged &&
	! grep -e README.md -e NOTES.md -e offer.pdf merged &&
	git -C remote.git show main:README.md >readme && echo "# Our CRM" >expect &&
	test_cmp expect readme &&
	! git -C remote.git show main:NOTES.md 2>/dev/null &&
	grep -q "^confidence: 4$" bob/opportunities/2025/lodz-brand.yaml &&
	git -C bob reset -q && rm bob/NOTES.md bob/offer.pdf && git -C bob checkout -q README.md
'

test_expect_success 'a merge that would overwrite an uncommitted edit stops, touching nothing' '
	printf "# Our CRM, by Alice\n" >alice/README.md && git -C alice commit -q -a -m readme &&
	crm -C alice sync >/dev/null &&
	printf "bob was here\n" >>bob/README.md &&
	before=$(git -C bob rev-parse HEAD) &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "the remote changed '"'"'README.md'"'"', which you changed too" err &&
	test "$(git -C bob rev-parse HEAD)" = "$before" &&
	grep -q "bob was here" bob/README.md &&
	git -C bob checkout -q README.md && crm -C bob sync >/dev/null
'

test_expect_success 'a conflict is merged into the file, reported, and not pushed' '
	crm -C alice set acme-corp city=Cork >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob set acme-corp city=Galway >/dev/null &&
	remote_before=$(git -C remote.git rev-parse main) &&
	test_expect_code 1 crm -C bob sync 2>err &&
	echo "crm sync: merged, with 1 field in conflict: see '\''crm check'\'', settle with '\''crm resolve'\'', then '\''crm sync'\'' again (nothing was pushed)" >expect &&
	test_cmp expect err &&
	test "$(git -C remote.git rev-parse main)" = "$remote_before" &&
	test_expect_code 1 crm -C bob check --no-source >out 2>/dev/null &&
	echo "clients/acme-corp.yaml:3:3: error: field '\''city'\'' has two values from a merge; settle it with '\''crm resolve client/acme-corp city --ours|--theirs|--value V'\'' [merge-conflict]" >expect &&
	echo "1 error, 0 warnings in 9 records" >>expect &&
	test_cmp expect out &&
	test_expect_code 1 crm -C bob sync 2>err &&
	cat >expect <<-\EOF &&
	  clients/acme-corp.yaml:3:3: field '"'"'city'"'"' has two values from a merge
	crm sync: fields above are still in conflict; settle them with '"'"'crm resolve'"'"' first
	EOF
	test_cmp expect err
'

test_expect_success 'after crm resolve, sync pushes and both sides agree' '
	crm -C bob resolve acme-corp city --value Kinsale >/dev/null &&
	crm -C bob sync >out &&
	echo "up to date from origin; pushed" >expect &&
	test_cmp expect out &&
	crm -C alice sync >/dev/null &&
	printf "%s\n" "name: Acme Corp" "city: Kinsale" "email: office@acme.example" \
		"tags: [vip]" "owner: Bob" >expect &&
	test_cmp expect alice/clients/acme-corp.yaml &&
	crm -C alice check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 9 records" >expect &&
	test_cmp expect out
'

test_expect_success 'edited on one side, deleted on the other: reported, both kept' '
	crm -C alice rm opportunity/acme-seo >/dev/null && crm -C alice sync >/dev/null &&
	crm -C bob set acme-seo "amount=7000.00 EUR" >/dev/null &&
	test_expect_code 1 crm -C bob sync 2>err &&
	echo "crm sync: git could not merge '\''opportunities/acme-seo.yaml'\''; fix it, '\''git add'\'' it and '\''git commit'\'', then run '\''crm sync'\'' again (nothing was pushed)" >expect &&
	test_cmp expect err &&
	cat >expect <<-\EOF &&
	title: SEO retainer
	client: acme-corp
	stage: lead
	amount: "7000.00 EUR"
	tags: [seo]
	created: 2025-05-10
	EOF
	test_cmp expect bob/opportunities/acme-seo.yaml &&
	git -C bob ls-files -u >unmerged &&
	cut -f2 unmerged >actual && printf "%s\n" opportunities/acme-seo.yaml \
		opportunities/acme-seo.yaml >expect && test_cmp expect actual &&
	git -C bob rm -q opportunities/acme-seo.yaml && git -C bob commit -q --no-edit &&
	crm -C bob sync >out &&
	echo "up to date from origin; pushed" >expect &&
	test_cmp expect out
'

test_expect_success 'an unknown remote is reported' '
	test_expect_code 1 crm -C alice sync --remote nowhere 2>err &&
	echo "crm sync: no remote '\''nowhere'\''; add one with '\''git remote add nowhere URL'\''" >expect &&
	test_cmp expect err
'

test_expect_success 'the first sync sets the upstream, so a plain git pull works' '
	crm init fresh >/dev/null &&
	git init -q --bare fresh.git &&
	git -C fresh remote add origin "file://$TRASH/fresh.git" &&
	test_must_fail_quietly() { ! "$@" >/dev/null 2>&1; } &&
	test_must_fail_quietly git -C fresh pull &&
	crm -C fresh sync >out &&
	echo "up to date from origin; pushed" >expect && test_cmp expect out &&
	printf "%s\n" origin refs/heads/main >expect &&
	{ git -C fresh config branch.main.remote; git -C fresh config branch.main.merge; } >got &&
	test_cmp expect got &&
	git -C fresh pull >out 2>&1 && grep -q "Already up to date" out
'

test_expect_success 'a remote whose branch is master: clone and sync work on master' '
	cp -R "$TEST_DATA/small" old && printf "*.yaml merge=crm\n" >old/.gitattributes &&
	git -C old init -q -b master && git -C old add -A && git -C old commit -q -m seed &&
	git clone -q --bare old old.git &&
	git clone -q "file://$TRASH/old.git" carol && git clone -q "file://$TRASH/old.git" dave &&
	test "$(git -C carol symbolic-ref --short HEAD)" = master &&
	crm -C carol set acme-corp city=Cork >/dev/null && crm -C carol sync >/dev/null &&
	crm -C dave set acme-corp email=d@acme.example >/dev/null &&
	crm -C dave sync >out && echo "merged from origin; pushed" >expect && test_cmp expect out &&
	git -C old.git show master:clients/acme-corp.yaml >final &&
	grep -q "^city: Cork$" final && grep -q "^email: d@acme.example$" final &&
	git -C old.git for-each-ref --format="%(refname)" refs/heads >branches &&
	echo refs/heads/master >expect && test_cmp expect branches
'

test_expect_success 'on branch feature, sync fetches, merges and pushes feature' '
	main_before=$(git -C remote.git rev-parse main) &&
	git -C alice checkout -q -b feature &&
	crm -C alice set acme-corp city=Dingle >/dev/null &&
	crm -C alice sync >out && echo "up to date from origin; pushed" >expect && test_cmp expect out &&
	test "$(git -C remote.git rev-parse feature)" = "$(git -C alice rev-parse HEAD)" &&
	test "$(git -C remote.git rev-parse main)" = "$main_before" &&
	test "$(git -C alice config branch.feature.merge)" = refs/heads/feature &&
	git -C bob fetch -q && git -C bob checkout -q -b feature origin/feature 2>/dev/null &&
	crm -C bob set acme-corp email=f@acme.example >/dev/null && crm -C bob sync >/dev/null &&
	crm -C alice sync >out && echo "fast-forwarded from origin; pushed" >expect &&
	test_cmp expect out &&
	grep -q "^email: f@acme.example$" alice/clients/acme-corp.yaml
'

test_expect_success 'a branch tracking another name syncs with that branch' '
	git -C bob checkout -q -b mine --track origin/main 2>/dev/null &&
	crm -C bob set acme-corp owner=Zed >/dev/null && crm -C bob sync >/dev/null &&
	git -C remote.git show main:clients/acme-corp.yaml | grep -q "^owner: Zed$" &&
	! git -C remote.git rev-parse -q --verify refs/heads/mine
'

test_expect_success 'a remote that moves on at every push: bounded retries, then a report' '
	git clone -q --bare remote.git moving.git &&
	cat >moving.git/hooks/update <<-\EOF &&
	#!/bin/sh
	# another writer always gets there first: the branch moves under the push
	tree=$(git rev-parse "$2^{tree}")
	git update-ref "$1" "$(echo bump | git commit-tree "$tree" -p "$2")" "$2"
	EOF
	chmod +x moving.git/hooks/update &&
	git clone -q "file://$TRASH/moving.git" erin &&
	crm -C erin set acme-corp city=Bantry >/dev/null &&
	test_expect_code 1 env CRM_SYNC_TRANSPORT=git CRM_SYNC_TRIES=3 "$CRM_BIN" -C erin sync >out 2>err &&
	test ! -s out &&
	echo "crm sync: the remote refused the push ([remote rejected] (failed to update ref)); gave up after 3 tries while others kept pushing: nothing of yours is lost, run '"'"'crm sync'"'"' again" >expect &&
	test_cmp expect err &&
	test "$(git -C moving.git log --format=%s main | grep -c "^bump")" = 3 &&
	grep -q "^city: Bantry$" erin/clients/acme-corp.yaml &&
	rm moving.git/hooks/update &&
	CRM_SYNC_TRANSPORT=git crm -C erin sync >out &&
	echo "merged from origin; pushed" >expect && test_cmp expect out &&
	git -C moving.git show main:clients/acme-corp.yaml | grep -q "^city: Bantry$"
'

test_expect_success 'a push that lost the race once is merged and pushed again' '
	cat >moving.git/hooks/update <<-\EOF &&
	#!/bin/sh
	[ -e once ] && exit 0
	: >once
	tree=$(git rev-parse "$2^{tree}")
	git update-ref "$1" "$(echo bump | git commit-tree "$tree" -p "$2")" "$2"
	EOF
	chmod +x moving.git/hooks/update &&
	crm -C erin set acme-corp city=Cobh >/dev/null &&
	CRM_SYNC_TRANSPORT=git crm -C erin sync >out 2>err &&
	echo "merged from origin; pushed (after 2 tries: others pushed meanwhile)" >expect &&
	test_cmp expect out && test ! -s err &&
	test "$(git -C moving.git rev-parse main)" = "$(git -C erin rev-parse HEAD)" &&
	git -C moving.git show main:clients/acme-corp.yaml | grep -q "^city: Cobh$"
'

test_expect_success 'changes to different files merge to the tree git merges them to' '
	git clone -q "file://$TRASH/remote.git" fred &&
	git clone -q "file://$TRASH/remote.git" gina &&
	mkdir fred/misc && echo note >fred/misc/note.txt &&
	git -C fred add misc && git -C fred commit -q -m "a note" && crm -C fred sync >/dev/null &&
	crm -C gina sync >/dev/null && test -f gina/misc/note.txt &&
	git -C fred rm -q opportunities/2025/qingyun-site.yaml &&
	mkdir -p fred/opportunities/2026 &&
	git -C fred show HEAD:opportunities/2025/qingyun-site.yaml \
		>fred/opportunities/2026/qingyun-site.yaml &&
	git -C fred add opportunities && git -C fred commit -q -m "fred moves a deal" &&
	crm -C fred set cafe-ads confidence=2 >/dev/null &&
	crm -C gina set lodz-studio city=Kraków >/dev/null &&
	git -C gina mv opportunities/2025/lodz-brand.yaml opportunities/lodz-brand.yaml &&
	git -C gina rm -q misc/note.txt &&
	git -C gina commit -q -m "gina moves a deal, drops the note" &&
	crm -C gina sync >/dev/null &&
	crm -C fred sync >out &&
	echo "merged from origin; pushed" >expect && test_cmp expect out &&
	git -C fred merge-tree --write-tree HEAD^1 HEAD^2 >git-tree &&
	git -C fred rev-parse "HEAD^{tree}" >crm-tree &&
	test_cmp git-tree crm-tree &&
	test ! -e fred/misc && test -f fred/opportunities/lodz-brand.yaml &&
	test -f fred/opportunities/2026/qingyun-site.yaml &&
	test -z "$(git -C fred status --porcelain)" && git -C fred fsck --no-progress
'

test_done
