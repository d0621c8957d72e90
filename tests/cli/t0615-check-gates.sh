#!/bin/sh
# Gates for teams: crm check --staged (the index as `git commit` would
# commit it), --rev REV (a commit's files, crm.ini and schemas, in a bare
# repository too), --format github, and the hooks `crm hooks install`
# writes: pre-commit in a clone, pre-receive on a bare server.
. "$(dirname "$0")/lib.sh"

good_seo() {
	printf 'title: SEO retainer\nclient: acme-corp\nstage: lead\namount: "6000.00 EUR"\n'
}
bad_seo() {
	printf 'title: SEO retainer\nclient: acme-crop\nstage: lead\namount: "6000.00 EUR"\n'
}

cat >dangling.expected <<\EOF
opportunities/acme-seo.yaml:2:9: error: unknown client 'acme-crop' (did you mean 'acme-corp'?) [dangling-ref]
    2 | client: acme-crop
      |         ^
EOF

test_expect_success 'set up a clean repository' '
	cp -R "$TEST_DATA/small" repo &&
	good_seo >repo/opportunities/acme-seo.yaml &&
	git -C repo init -q && git -C repo add -A && git -C repo commit -q -m seed &&
	crm -C repo check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 9 records" >expect && test_cmp expect out
'

test_expect_success '--staged sees a staged bad record whose fix is only in the work tree' '
	bad_seo >repo/opportunities/acme-seo.yaml &&
	git -C repo add opportunities/acme-seo.yaml &&
	good_seo >repo/opportunities/acme-seo.yaml &&
	crm -C repo check &&
	test_expect_code 1 crm -C repo check --staged >out 2>err && test ! -s err &&
	{ cat dangling.expected && echo "1 error, 0 warnings in 9 records of the index"; } >expect &&
	test_cmp expect out
'

test_expect_success '--staged passes a staged fix while the work tree is bad' '
	git -C repo add opportunities/acme-seo.yaml &&
	bad_seo >repo/opportunities/acme-seo.yaml &&
	test_expect_code 1 crm -C repo check >/dev/null &&
	crm -C repo check --staged >out &&
	echo "0 errors, 0 warnings in 9 records of the index" >expect && test_cmp expect out &&
	good_seo >repo/opportunities/acme-seo.yaml
'

test_expect_success '--staged counts a staged deletion and a staged new file' '
	git -C repo rm -q --cached clients/acme-corp.yaml &&
	test_expect_code 1 crm -C repo check --staged --no-source >out 2>/dev/null &&
	grep -c "unknown client .acme-corp." out >n && test "$(cat n)" -ge 1 &&
	git -C repo add clients/acme-corp.yaml &&
	crm -C repo check --staged
'

test_expect_success '--rev HEAD~1 reports the error that HEAD fixed' '
	bad_seo >repo/opportunities/acme-seo.yaml &&
	git -C repo commit -q -a -m "a typo" &&
	good_seo >repo/opportunities/acme-seo.yaml &&
	git -C repo commit -q -a -m "the typo fixed" &&
	test_expect_code 1 crm -C repo check --rev HEAD~1 >out 2>err && test ! -s err &&
	{ cat dangling.expected &&
	  echo "1 error, 0 warnings in 9 records of commit $(git -C repo rev-parse --short=8 HEAD~1)"; } >expect &&
	test_cmp expect out &&
	crm -C repo check --rev HEAD >out &&
	echo "0 errors, 0 warnings in 9 records of commit $(git -C repo rev-parse --short=8 HEAD)" >expect &&
	test_cmp expect out
'

test_expect_success '--rev of an unknown revision, and --staged with --rev, are usage errors' '
	test_expect_code 2 crm -C repo check --rev no-such-branch 2>err &&
	echo "crm check: unknown revision '"'"'no-such-branch'"'"'" >expect && test_cmp expect err &&
	test_expect_code 2 crm -C repo check --staged --rev HEAD 2>err &&
	echo "crm check: --staged and --rev cannot be used together" >expect && test_cmp expect err
'

test_expect_success '--rev of a commit without crm.ini says so' '
	empty=$(git -C repo commit-tree -m empty "$(git -C repo mktree </dev/null)") &&
	test_expect_code 2 crm -C repo check --rev "$empty" 2>err &&
	echo "crm check: commit $(echo "$empty" | cut -c1-8) has no crm.ini at '"'"'crm.ini'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success '--rev reads the schemas of that commit, not of the work tree' '
	echo "  vat:   {type: text, required: true}" >>repo/schema/client.yaml &&
	git -C repo commit -q -a -m "a VAT id is required" &&
	git -C repo show HEAD~1:schema/client.yaml >repo/schema/client.yaml &&
	crm -C repo check &&
	test_expect_code 1 crm -C repo check --rev HEAD --no-source -q >out &&
	test_cmp "$TEST_TOP/tests/cli/t0615-vat.expected" out &&
	git -C repo checkout -q -- schema/client.yaml
'

test_expect_success 'in a bare clone, --rev works and reads that tree'"'"'s crm.ini and schemas' '
	git clone -q --bare repo server.git &&
	test_expect_code 1 crm -C server.git check --rev HEAD --no-source -q >bare.out &&
	test_expect_code 1 crm -C repo check --rev HEAD --no-source -q >clone.out &&
	test_cmp clone.out bare.out &&
	test_cmp "$TEST_TOP/tests/cli/t0615-vat.expected" bare.out &&
	crm -C server.git check --rev HEAD~1 >out &&
	echo "0 errors, 0 warnings in 9 records of commit $(git -C repo rev-parse --short=8 HEAD~1)" >expect &&
	test_cmp expect out &&
	test_expect_code 1 crm -C server.git check --rev HEAD~2 >out 2>/dev/null &&
	sed "\$d" out >findings &&
	test_cmp dangling.expected findings
'

test_expect_success 'in a bare repository every other reading refuses, saying why' '
	echo "crm check: this is a bare git repository, which has no work tree: only '"'"'crm check --rev REV'"'"' reads one (a commit'"'"'s files)" >expect &&
	test_expect_code 2 crm -C server.git check 2>err && test_cmp expect err &&
	test_expect_code 2 crm -C server.git check --staged 2>err && test_cmp expect err &&
	sed "s/^crm check:/crm ls:/" expect >expect.ls &&
	test_expect_code 2 crm -C server.git ls client 2>err && test_cmp expect.ls err
'

test_expect_success 'the schema change is undone for the hook tests' '
	git -C repo revert --no-edit HEAD >/dev/null &&
	git -C repo push -q --force "$TRASH/server.git" HEAD:main &&
	crm -C server.git check --rev main
'

cat >pre-receive.expected <<\EOF
#!/bin/sh
# Installed by 'crm hooks install': refuses a push whose new tip
# fails 'crm check', with the errors shown to the pusher.
status=0
while read -r old new ref; do
	case $new in *[!0]*) ;; *) continue ;; esac
	if ! crm check --rev "$new" --quiet >&2; then
		echo "crm: refusing $ref: commit $new fails crm check" >&2
		status=1
	fi
done
exit $status
EOF

test_expect_success 'crm hooks install writes a pre-receive hook in a bare repository' '
	crm -C server.git hooks install >out &&
	echo "installed $TRASH/server.git/hooks/pre-receive" >expect && test_cmp expect out &&
	test_cmp pre-receive.expected server.git/hooks/pre-receive &&
	test -x server.git/hooks/pre-receive &&
	crm -C server.git hooks install >out &&
	echo "$TRASH/server.git/hooks/pre-receive is installed already" >expect && test_cmp expect out
'

test_expect_success 'the server refuses a push that adds a dangling reference, showing where' '
	git -C repo rev-parse HEAD >before &&
	printf "title: Bakery\nclient: bakery\nstage: lead\n" >repo/opportunities/bakery.yaml &&
	git -C repo add -A && git -C repo commit -q -m "a deal of an unknown client" &&
	test_expect_code 1 git -C repo push "$TRASH/server.git" HEAD:main 2>err &&
	grep "^remote:" err | sed "s/ *$//" >remote &&
	cat >expect <<-EOF &&
	remote: opportunities/bakery.yaml:2:9: error: unknown client '"'"'bakery'"'"' [dangling-ref]
	remote:     2 | client: bakery
	remote:       |         ^
	remote: crm: refusing refs/heads/main: commit $(git -C repo rev-parse HEAD) fails crm check
	EOF
	test_cmp expect remote &&
	git -C server.git rev-parse main >after && test_cmp before after
'

test_expect_success 'and accepts the fix' '
	printf "name: Bakery\n" >repo/clients/bakery.yaml &&
	git -C repo add -A && git -C repo commit -q -m "the bakery is a client" &&
	git -C repo push -q "$TRASH/server.git" HEAD:main &&
	git -C repo rev-parse HEAD >expect && git -C server.git rev-parse main >actual &&
	test_cmp expect actual
'

test_expect_success 'a deleted branch is not checked' '
	git -C repo push -q "$TRASH/server.git" HEAD:side &&
	git -C repo push -q "$TRASH/server.git" :side
'

cat >pre-commit.expected <<\EOF
#!/bin/sh
# Installed by 'crm hooks install': refuses a commit whose staged
# records fail 'crm check' (git commit --no-verify skips it).
case ${GIT_INDEX_FILE-} in
''|/*) ;;
*) GIT_INDEX_FILE=$PWD/$GIT_INDEX_FILE; export GIT_INDEX_FILE ;;
esac
exec crm check --staged --quiet
EOF

test_expect_success 'crm hooks install writes a pre-commit hook in a clone' '
	git clone -q server.git clone &&
	crm -C clone hooks install >out &&
	echo "installed $TRASH/clone/.git/hooks/pre-commit" >expect && test_cmp expect out &&
	test_cmp pre-commit.expected clone/.git/hooks/pre-commit
'

test_expect_success 'the pre-commit hook refuses git commit of a bad record' '
	git -C clone rev-parse HEAD >before &&
	bad_seo >clone/opportunities/acme-seo.yaml &&
	git -C clone add opportunities/acme-seo.yaml &&
	test_expect_code 1 git -C clone commit -q -m typo >out 2>err &&
	test_cmp dangling.expected err &&
	git -C clone rev-parse HEAD >after && test_cmp before after
'

test_expect_success 'and git commit -a, which stages into a temporary index' '
	git -C clone reset -q &&
	test_expect_code 1 git -C clone commit -q -a -m typo 2>err &&
	test_cmp dangling.expected err &&
	git -C clone rev-parse HEAD >after && test_cmp before after &&
	good_seo >clone/opportunities/acme-seo.yaml &&
	printf "name: Cafe Two\n" >clone/clients/cafe-two.yaml &&
	git -C clone add -A && git -C clone commit -q -m "a client"
'

test_expect_success 'a hook crm did not write is kept unless --force' '
	printf "#!/bin/sh\necho mine\n" >clone/.git/hooks/pre-commit &&
	cp clone/.git/hooks/pre-commit mine &&
	test_expect_code 1 crm -C clone hooks install 2>err &&
	echo "crm hooks: '"'"'$TRASH/clone/.git/hooks/pre-commit'"'"' exists and is not crm'"'"'s: add '"'"'crm check --staged'"'"' to it, or replace it with --force" >expect &&
	test_cmp expect err &&
	test_cmp mine clone/.git/hooks/pre-commit &&
	crm -C clone hooks install --force &&
	test_cmp pre-commit.expected clone/.git/hooks/pre-commit
'

test_expect_success 'the hook goes where core.hooksPath says git looks for hooks' '
	git -C clone config core.hooksPath .githooks &&
	crm -C clone hooks install >out &&
	echo "installed $TRASH/clone/.githooks/pre-commit" >expect && test_cmp expect out &&
	git -C clone config --unset core.hooksPath
'

test_expect_success 'outside a git repository there is nothing to install into' '
	mkdir nogit &&
	test_expect_code 2 env GIT_CEILING_DIRECTORIES="$TRASH" "$CRM_BIN" -C nogit hooks install 2>err &&
	echo "crm hooks: '"'"'.'"'"' is not inside a git work tree" >expect && test_cmp expect err &&
	test_expect_code 2 crm -C repo hooks uninstall 2>err &&
	head -n 1 err >first &&
	echo "crm hooks: unknown subcommand '"'"'uninstall'"'"'" >expect && test_cmp expect first
'

test_expect_success 'without crm on PATH the hook names this binary by its absolute path' '
	self=$(realpath "$CRM_BIN") &&
	env PATH=/usr/bin:/bin "$CRM_BIN" -C clone hooks install --force >/dev/null &&
	tail -n 1 clone/.git/hooks/pre-commit >last &&
	case $self in
	*[!A-Za-z0-9/._+-]*) word="'"'"'$self'"'"'" ;;   # quoted only when sh needs it
	*) word=$self ;;
	esac &&
	echo "exec $word check --staged --quiet" >expect && test_cmp expect last &&
	bad_seo >clone/opportunities/acme-seo.yaml &&
	test_expect_code 1 env PATH=/usr/bin:/bin git -C clone commit -q -a -m typo 2>err &&
	test_cmp dangling.expected err &&
	git -C clone checkout -q -- opportunities/acme-seo.yaml
'

test_expect_success 'in a data repository below the work tree, the hook changes to it' '
	mkdir sub && cp -R "$TEST_DATA/small" sub/data && good_seo >sub/data/opportunities/acme-seo.yaml &&
	git -C sub init -q && git -C sub add -A && git -C sub commit -q -m seed &&
	crm -C sub/data hooks install >/dev/null &&
	tail -n 1 sub/.git/hooks/pre-commit >last &&
	echo "exec crm -C data check --staged --quiet" >expect && test_cmp expect last &&
	bad_seo >sub/data/opportunities/acme-seo.yaml &&
	test_expect_code 1 git -C sub commit -q -a -m typo 2>err &&
	test_cmp dangling.expected err
'

cat >github.expected <<\EOF
::error file=data/clients/bad%2Cname.yaml,title=bad-id::'bad,name' is not a valid record id (lower-case letters, digits and '-', at most 64, not starting with '-')
::error file=data/opportunities/acme-seo.yaml,line=2,col=9,title=dangling-ref::unknown client 'acme-crop' (did you mean 'acme-corp'?)
::error file=data/opportunities/odd.yaml,line=1,col=1,title=formula-error::field 'client_name' (lookup client): '50%25 off: a, b' is not a valid record id
::error file=data/opportunities/odd.yaml,line=2,col=9,title=dangling-ref::'50%25 off: a, b' is not a valid record id
::warning file=data/opportunities/x.yml,title=bad-id::record files end in '.yaml'; this file is ignored
EOF

test_expect_success '--format github prints one annotation a finding, escaped' '
	printf "title: Odd\nclient: \"50%% off: a, b\"\nstage: lead\n" >sub/data/opportunities/odd.yaml &&
	printf "name: Bad\n" >"sub/data/clients/bad,name.yaml" &&
	printf "title: Yml\n" >sub/data/opportunities/x.yml &&
	test_expect_code 1 crm -C sub/data check --format github >out 2>err && test ! -s err &&
	{ cat github.expected && echo "4 errors, 1 warning in 11 records"; } >expect &&
	test_cmp expect out &&
	git -C sub add -A &&
	test_expect_code 1 crm -C sub/data check --staged --format github >staged 2>/dev/null &&
	sed "\$d" staged >findings &&
	test_cmp github.expected findings
'

test_expect_success '--format takes text, json or github' '
	test_expect_code 2 crm -C repo check --format xml 2>err &&
	echo "crm check: unknown format '"'"'xml'"'"' (text, json or github)" >expect && test_cmp expect err &&
	crm -C repo check --format json >json &&
	crm -C repo check --json >json2 && test_cmp json json2
'

test_done
