#!/bin/sh
# No edit is lost silently when git cannot run crm's merge driver: the
# driver registered as a bare `crm` that is not on the PATH git runs with
# (built but not installed, a GUI client, cron) makes `git pull` print
# `crm: not found` and leave the record unmerged holding our version only.
# crm check reports it, reports and sync refuse, crm resolve FILE merges
# it from git's three versions; crm init registers a command git can run,
# and a clone without the registration, or with one that cannot run, is
# told so.
. "$(dirname "$0")/lib.sh"

# git's PATH without crm: the system's folders only
NOCRM_PATH=/usr/local/bin:/usr/bin:/bin
env PATH=$NOCRM_PATH sh -c "command -v crm" >/dev/null 2>&1 || test_set_prereq NOCRM
# the binary by the path /proc/self/exe gives, as crm init registers it
CRM_REAL=$(readlink -f "$CRM_BIN")

# status_and_index DIR: what a refusal must leave as it was
status_and_index() {
	git -C "$1" status --porcelain && git -C "$1" ls-files -s && cat "$1/clients/acme.yaml"
}

test_expect_success 'a shared repository, two clones with the driver registered' '
	crm init shop >/dev/null &&
	mkdir shop/clients &&
	printf "name: Acme\ncity: Dublin\nemail: office@acme.example\n" >shop/clients/acme.yaml &&
	git -C shop add -A && git -C shop commit -q -m acme &&
	git clone -q --bare shop remote.git &&
	git clone -q remote.git alice && git clone -q remote.git bob &&
	crm init alice >/dev/null && crm init bob >/dev/null &&
	echo "crm merge-driver %O %A %B %P" >expect &&
	git -C bob config merge.crm.driver >actual &&
	test_cmp expect actual
'

test_expect_success NOCRM 'bob pulls with crm not on the PATH git runs with' '
	crm -C alice set acme email=sales@acme.example >/dev/null &&
	git -C alice push -q origin main &&
	crm -C bob set acme city=Cork >/dev/null &&
	test_expect_code 1 env PATH=$NOCRM_PATH git -C bob pull -q --no-edit origin main \
		>pull.out 2>&1 &&
	grep -q "crm: not found" pull.out &&
	echo "UU clients/acme.yaml" >expect &&
	git -C bob status --porcelain >actual &&
	test_cmp expect actual &&
	! grep -q sales@ bob/clients/acme.yaml
'

test_expect_success NOCRM 'crm check reports the unmerged file' '
	test_expect_code 1 crm -C bob check --no-source >out 2>err &&
	cat >expect <<-\EOT &&
	clients/acme.yaml:1:1: error: git left this file unmerged (a merge it could not finish): run '"'"'crm resolve clients/acme.yaml'"'"' to merge it field by field [unmerged]
	1 error, 0 warnings in 1 record
	EOT
	test_cmp expect out &&
	test ! -s err
'

test_expect_success NOCRM 'dashboard, report, ls and a write refuse, naming the fix' '
	status_and_index bob >before &&
	cat >expect <<-\EOT &&
	crm dashboard: clients/acme.yaml is unmerged (a git merge could not finish it): run '"'"'crm resolve clients/acme.yaml'"'"' first
	crm dashboard: refusing to work on a half-merged repository (1 unmerged file)
	EOT
	test_expect_code 1 crm -C bob dashboard >out 2>err &&
	test_cmp expect err && test ! -s out &&
	sed "s/dashboard/report/" expect >expect.report &&
	test_expect_code 1 crm -C bob report summary >out 2>err &&
	test_cmp expect.report err && test ! -s out &&
	sed "s/dashboard/forecast/" expect >expect.forecast &&
	test_expect_code 1 crm -C bob forecast >out 2>err &&
	test_cmp expect.forecast err && test ! -s out &&
	test_expect_code 1 crm -C bob dashboard --at HEAD >out 2>err &&
	test_cmp expect err && test ! -s out &&
	test_expect_code 1 crm -C bob ls client >out 2>err &&
	sed "s/dashboard/ls/" expect >expect.ls &&
	test_cmp expect.ls err &&
	test_expect_code 1 crm -C bob set acme city=Galway >out 2>err &&
	sed "s/dashboard/set/" expect >expect.set &&
	test_cmp expect.set err &&
	test_expect_code 1 crm -C bob set acme no_such_field=1 >out 2>err &&
	test_cmp expect.set err &&
	test_expect_code 1 crm -C bob set --where "city=Cork" city=Galway >out 2>err &&
	test_cmp expect.set err && test ! -s out &&
	test_expect_code 1 crm -C bob tag acme +vip >out 2>err &&
	sed "s/dashboard/tag/" expect >expect.tag &&
	test_cmp expect.tag err &&
	test_expect_code 1 crm -C bob resolve acme city --ours >out 2>err &&
	sed "s/dashboard/resolve/" expect >expect.resolve &&
	test_cmp expect.resolve err &&
	status_and_index bob >after &&
	test_cmp before after
'

test_expect_success NOCRM 'sync refuses to commit or push' '
	status_and_index bob >before &&
	git -C remote.git rev-parse main >remote.before &&
	test_expect_code 1 crm -C bob sync >out 2>err &&
	sed "s/dashboard/sync/" expect >expect.sync &&
	test_cmp expect.sync err &&
	status_and_index bob >after &&
	test_cmp before after &&
	git -C remote.git rev-parse main >remote.after &&
	test_cmp remote.before remote.after
'

test_expect_success NOCRM 'show, log and diff warn and go on' '
	crm -C bob show acme >out 2>err &&
	grep -q "^city *Cork" out &&
	cat >expect <<-\EOT &&
	crm: warning: clients/acme.yaml is unmerged (a git merge could not finish it), what it shows may be one side only: run '"'"'crm resolve clients/acme.yaml'"'"'
	EOT
	test_cmp expect err &&
	crm -C bob log acme >out 2>err &&
	test_cmp expect err &&
	crm -C bob diff >out 2>err &&
	test_cmp expect err
'

test_expect_success NOCRM 'crm resolve FILE merges from git'"'"'s three versions and keeps both edits' '
	crm -C bob resolve clients/acme.yaml >out &&
	echo "merged clients/acme.yaml field by field and staged it; '"'"'git commit'"'"' concludes the merge" >expect &&
	test_cmp expect out &&
	printf "name: Acme\ncity: Cork\nemail: sales@acme.example\n" >expect &&
	test_cmp expect bob/clients/acme.yaml &&
	echo "M  clients/acme.yaml" >expect &&
	git -C bob status --porcelain >actual &&
	test_cmp expect actual &&
	git -C bob commit -q --no-edit &&
	crm -C bob check >out 2>err && echo "0 errors, 0 warnings in 1 record" >expect &&
	test_cmp expect out && test ! -s err &&
	crm -C bob sync >/dev/null 2>&1 &&
	git -C alice pull -q --no-edit origin main &&
	printf "name: Acme\ncity: Cork\nemail: sales@acme.example\n" >expect &&
	test_cmp expect alice/clients/acme.yaml
'

test_expect_success NOCRM 'resolve FILE refuses a file git merged' '
	test_expect_code 1 crm -C bob resolve clients/acme.yaml >out 2>err &&
	echo "crm resolve: '"'"'clients/acme.yaml'"'"' is not a file git left unmerged" >expect &&
	test_cmp expect err
'

test_expect_success NOCRM 'fields changed two ways: resolve FILE keeps the conflict for resolve REF FIELD' '
	crm -C alice set acme city=Galway >/dev/null && git -C alice push -q origin main &&
	crm -C bob set acme city=Limerick >/dev/null &&
	test_expect_code 1 env PATH=$NOCRM_PATH git -C bob pull -q --no-edit origin main \
		>/dev/null 2>&1 &&
	crm -C bob resolve clients/acme.yaml >out &&
	echo "merged clients/acme.yaml field by field and staged it; 1 field in conflict (see '"'"'crm check'"'"'); '"'"'git commit'"'"' concludes the merge, then '"'"'crm resolve REF FIELD --ours|--theirs|--value V'"'"' settles each field" >expect &&
	test_cmp expect out &&
	grep -q "ours: Limerick" bob/clients/acme.yaml &&
	grep -q "theirs: Galway" bob/clients/acme.yaml &&
	git -C bob commit -q --no-edit &&
	crm -C bob resolve acme city --theirs >/dev/null &&
	grep -q "^city: Galway$" bob/clients/acme.yaml &&
	crm -C bob check >/dev/null 2>&1
'

test_expect_success NOCRM 'crm init with crm not on PATH registers this binary by its path' '
	git clone -q remote.git carol &&
	PATH=$NOCRM_PATH crm init carol >out &&
	echo "registered the crm merge driver in $TRASH/carol" >expect &&
	test_cmp expect out &&
	echo "$CRM_REAL merge-driver %O %A %B %P" >expect &&
	git -C carol config merge.crm.driver >actual &&
	test_cmp expect actual
'

test_expect_success NOCRM 'then git pull merges field by field with crm not on its PATH' '
	git -C alice pull -q --no-edit origin main &&
	crm -C alice set acme email=hello@acme.example >/dev/null &&
	git -C alice push -q origin main &&
	crm -C carol set acme name="Acme Ltd" >/dev/null &&
	env PATH=$NOCRM_PATH git -C carol pull -q --no-edit origin main &&
	printf "name: Acme Ltd\ncity: Galway\nemail: hello@acme.example\n" >expect &&
	test_cmp expect carol/clients/acme.yaml
'

test_expect_success 'resolve FILE leaves a record deleted on one side to git add or git rm' '
	git clone -q remote.git g1 && git clone -q remote.git g2 &&
	crm init g1 >/dev/null && crm init g2 >/dev/null &&
	crm -C g1 rm acme >/dev/null && git -C g1 push -q origin main &&
	crm -C g2 set acme city=Sligo >/dev/null &&
	test_expect_code 1 git -C g2 pull -q --no-edit origin main >/dev/null 2>&1 &&
	status_and_index g2 >before &&
	test_expect_code 1 crm -C g2 resolve clients/acme.yaml >out 2>err &&
	echo "crm resolve: '"'"'clients/acme.yaml'"'"' was deleted on their side of the merge: keep it with '"'"'git add'"'"' or delete it with '"'"'git rm'"'"'" >expect &&
	test_cmp expect err &&
	status_and_index g2 >after &&
	test_cmp before after
'

test_expect_success 'a clone without the registration is told once' '
	git clone -q remote.git dave &&
	crm -C dave ls client >/dev/null 2>err &&
	cat >expect <<-\EOT &&
	crm: this clone has not registered crm'"'"'s merge driver, so git merges records line by line; run '"'"'crm init'"'"' here once
	EOT
	test_cmp expect err &&
	crm -C dave ls client >/dev/null 2>err &&
	test ! -s err &&
	crm init dave >/dev/null &&
	crm -C dave ls client >/dev/null 2>err &&
	test ! -s err
'

test_expect_success 'a registered driver that cannot run is warned about by every command' '
	git -C dave config merge.crm.driver "/nonexistent/crm merge-driver %O %A %B %P" &&
	cat >expect <<-\EOT &&
	crm: warning: git'"'"'s merge driver for records ('"'"'/nonexistent/crm merge-driver %O %A %B %P'"'"') cannot be run, so git would leave records unmerged; run '"'"'crm init'"'"' here to register this crm
	EOT
	crm -C dave ls client >/dev/null 2>err &&
	test_cmp expect err &&
	crm -C dave check >/dev/null 2>err &&
	grep -q "^crm: warning: git.s merge driver for records" err &&
	crm init dave >out &&
	echo "registered the crm merge driver in $TRASH/dave (the one registered could not run)" >expect &&
	test_cmp expect out &&
	crm -C dave ls client >/dev/null 2>err &&
	test ! -s err
'

# git reads attributes from the work tree, and from its index for a
# .gitattributes the work tree lacks; crm reads the files alone when the
# top-level one is there (libgit2 would load the whole index to look)
test_expect_success 'the merge attribute: from the work tree, else from git'"'"'s index' '
	git clone -q remote.git erin &&
	crm -C erin ls client >/dev/null 2>err &&
	grep -q "has not registered" err &&
	rm erin/.git/crm-merge-driver-missing-reported &&
	echo "*.yaml -merge" >erin/.gitattributes &&
	crm -C erin ls client >/dev/null 2>err &&
	test ! -s err &&
	rm erin/.gitattributes &&
	crm -C erin ls client >/dev/null 2>err &&
	grep -q "has not registered" err &&
	rm erin/.git/crm-merge-driver-missing-reported &&
	mkdir -p erin/activities && echo "*.yaml -merge" >erin/activities/.gitattributes &&
	git -C erin checkout -q .gitattributes &&
	crm -C erin ls client >/dev/null 2>err &&
	test ! -s err
'

test_expect_success 'crm init honours init.defaultBranch' '
	git config --global init.defaultBranch trunk &&
	crm init trunked >/dev/null &&
	git config --global init.defaultBranch main &&
	echo trunk >expect &&
	git -C trunked symbolic-ref --short HEAD >actual &&
	test_cmp expect actual &&
	git -C trunked log --oneline >log &&
	test "$(wc -l <log)" = 1
'

test_done
