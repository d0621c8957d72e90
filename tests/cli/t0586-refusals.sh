#!/bin/sh
# A refused command changes nothing on disk: for every refusal of every
# command that writes (found by reading each cmd_*.c for its error exits),
# the work tree, git's index and the branch are byte-identical afterwards.
. "$(dirname "$0")/lib.sh"

# snapshot DIR: what a refused command must leave as it was: git's index
# (its bytes first: a status may refresh it, so it runs without optional
# locks), the branches, the index's entries, the status, every path of the
# work tree with every file's hash, and the names in .git (crm's cache of
# parsed records aside: reading may refresh it).
snapshot() {
	(
		cd "$1" &&
		sha256sum .git/index &&
		git for-each-ref &&
		GIT_OPTIONAL_LOCKS=0 git ls-files -s &&
		GIT_OPTIONAL_LOCKS=0 git status --porcelain --untracked-files=all --ignored &&
		find . -path ./.git -prune -o -print | LC_ALL=C sort &&
		find . -path ./.git -prune -o -type f -exec sha256sum {} + | LC_ALL=C sort -k2 &&
		ls -A .git | grep -v "^crm-index-cache"
	)
}

# refused CODE DIR CMD...: crm -C DIR CMD... exits with CODE, says why on
# stderr, reports no commit, and leaves DIR as it found it.
refused() {
	code=$1 && dir=$2 && shift 2 &&
	snapshot "$dir" >before.snap &&
	test_expect_code "$code" crm -C "$dir" "$@" >out 2>err &&
	test -s err &&
	! grep "^\[[0-9a-f]*\] crm:" out &&
	snapshot "$dir" >after.snap &&
	test_cmp before.snap after.snap
}

test_expect_success 'set up the example, with an uncommitted change of the user' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm init agency >/dev/null &&
	echo "# a note of mine" >>agency/clients/acme-corp.yaml &&
	echo "scratch" >agency/scratch.txt &&
	snapshot agency >first.snap &&
	test -s first.snap
'

test_expect_success 'add' '
	refused 2 agency add nosuchtype --set name=X &&
	refused 2 agency add client --set name &&
	refused 2 agency add client --set name=X --set nosuch=1 &&
	refused 2 agency add client --set name=X --set kind=robot &&
	refused 2 agency add client --set city=Berlin &&
	refused 1 agency add client --set "name=Acme Corp" &&
	refused 1 agency add client --set name=X --id acme-corp &&
	refused 2 agency add client --set name=X --id "Not An Id" &&
	refused 1 agency add client --set name=X --set email=office@acme.example &&
	refused 1 agency add opportunity --set title=X --set client=nosuch --set stage=qualifying &&
	refused 2 agency add opportunity --set title=X --set client=acme-corp --set stage=nosuch &&
	refused 1 agency add opportunity --set title=X --set client=acme-corp \
		--set stage=qualifying --set amount="100 XYZ"
'

test_expect_success 'add in the editor' '
	export EDITOR=false &&
	refused 1 agency add client &&
	printf "#!/bin/sh\nsed -i \"s/^name:.*/name: Acme Corp/\" \"\$1\"\n" >ed-dup &&
	chmod +x ed-dup && export EDITOR="$TRASH/ed-dup" &&
	refused 1 agency add client &&
	unset EDITOR
'

test_expect_success 'set' '
	refused 1 agency set nosuch city=X &&
	refused 2 agency set nosuchtype/x city=X &&
	refused 2 agency set berliner-buchladen city &&
	refused 2 agency set berliner-buchladen nosuch=1 &&
	refused 2 agency set berliner-buchladen kind=robot &&
	refused 2 agency set invoice/inv-0000002 client_name=x &&
	refused 1 agency set buchladen-branding-2502 client=nosuch &&
	refused 2 agency set buchladen-branding-2502 stage=won &&
	refused 2 agency set buchladen-branding-2502 tags=nosuch &&
	refused 1 agency set berliner-buchladen email=office@acme.example &&
	refused 1 agency set buchladen-branding-2502 amount="100 XYZ"
'

test_expect_success 'unset' '
	refused 1 agency unset nosuch city &&
	refused 2 agency unset berliner-buchladen name &&
	refused 2 agency unset buchladen-branding-2502 stage
'

test_expect_success 'tag' '
	refused 1 agency tag nosuch +x &&
	refused 2 agency tag buchladen-branding-2502 seo &&
	refused 2 agency tag buchladen-branding-2502 +nosuch
'

test_expect_success 'move' '
	refused 1 agency move nosuch won &&
	refused 2 agency move buchladen-branding-2502 nosuch &&
	refused 2 agency move buchladen-branding-2502 closed-lost &&
	refused 2 agency move buchladen-branding-2502 closed-lost --reason nosuch &&
	refused 2 agency move buchladen-branding-2502 won --date 2025-13-40 &&
	refused 1 agency move buchladen-branding-2502 won --date 2020-01-01
'

test_expect_success 'edit' '
	export EDITOR=false &&
	refused 1 agency edit nosuch &&
	refused 1 agency edit berliner-buchladen &&
	cat >ed-saves-unchanged <<-\EOF &&
	#!/bin/sh
	# breaks a field, then saves what it is shown (and stops a crm that
	# would reopen it forever)
	echo run >>"$TRASH_RUNS"
	test "$(wc -l <"$TRASH_RUNS")" -lt 5 || exit 1
	grep -q "^# crm:" "$1" || sed -i "s/^kind: .*/kind: robot/" "$1"
	EOF
	export TRASH_RUNS="$TRASH/runs" &&
	chmod +x ed-saves-unchanged && export EDITOR="$TRASH/ed-saves-unchanged" &&
	refused 1 agency edit berliner-buchladen &&
	unset EDITOR
'

test_expect_success 'mv' '
	refused 1 agency mv nosuch x &&
	refused 2 agency mv berliner-buchladen "Not An Id" &&
	refused 2 agency mv berliner-buchladen acme-corp
'

test_expect_success 'rm' '
	refused 1 agency rm nosuch &&
	refused 1 agency rm acme-corp &&
	refused 1 agency rm invoice/inv-0000001
'

test_expect_success 'resolve' '
	refused 2 agency resolve berliner-buchladen city &&
	refused 2 agency resolve --ours --theirs berliner-buchladen city &&
	refused 1 agency resolve --ours nosuch city &&
	refused 1 agency resolve --ours berliner-buchladen city
'

test_expect_success 'invoice' '
	refused 2 agency invoice nosuch &&
	refused 2 agency invoice new &&
	refused 1 agency invoice new --client nosuch &&
	refused 2 agency invoice new --from acme-corp &&
	refused 1 agency invoice issue nosuch &&
	refused 1 agency invoice issue inv-0000001 &&
	refused 2 agency invoice issue draft-kaffee-seo --series nosuch &&
	refused 2 agency invoice status inv-0000002 nosuch &&
	refused 2 agency invoice pay inv-0000002 "10 USD" &&
	refused 2 agency invoice pay inv-0000002 "-10 EUR" &&
	refused 2 agency invoice pay inv-0000002 "10.001 EUR" &&
	refused 2 agency invoice pay inv-0000002 "10 EUR" --date 2025-02-30 &&
	refused 1 agency invoice pay inv-0000002 "99999 EUR" &&
	refused 1 agency invoice credit draft-kaffee-seo &&
	refused 2 agency invoice credit inv-0000002 --lines x &&
	refused 1 agency invoice duplicate nosuch &&
	refused 1 agency invoice renumber draft-kaffee-seo &&
	refused 1 agency invoice renumber inv-0000002 &&
	refused 1 agency invoice renumber --force inv-0000002
'

test_expect_success 'import' '
	printf "%s\n" "name,email,kind" "Good One,good@example.com,company" \
		"Bad Kind,bad@example.com,robot" >bad.csv &&
	refused 1 agency import client "$TRASH/bad.csv" &&
	refused 2 agency import client --rules x.ini --preset zoho "$TRASH/bad.csv" &&
	refused 2 agency import client &&
	refused 1 agency import --preset nosuch "$TRASH/bad.csv" &&
	refused 1 agency import client "$TRASH/nosuch.csv"
'

test_expect_success 'after every refusal the repository is as it was at the start' '
	snapshot agency >last.snap &&
	test_cmp first.snap last.snap
'

test_expect_success 'refusals that need a record made for them' '
	crm -C agency invoice new --client c-7k2m9q >out &&
	refused 1 agency invoice issue "$(basename "$(tail -n 1 out)" .yaml)" &&
	grep -q "cannot issue .*: an EU VAT invoice must carry" err &&
	mkdir -p agency/opportunities/2024 &&
	cat >agency/opportunities/2024/old-deal.yaml <<-\EOF &&
	title: Old deal
	client: acme-corp
	stage: won
	amount: "1000.00 EUR"
	owner: alice
	history:
	  - {date: 2024-03-01, stage: qualifying, by: alice}
	  - {date: 2024-04-01, stage: won, by: alice}
	closed: 2024-04-01
	EOF
	git -C agency add opportunities/2024/old-deal.yaml &&
	GIT_AUTHOR_DATE=2024-03-01T12:00:00Z GIT_COMMITTER_DATE=2024-03-01T12:00:00Z \
		git -C agency commit -q -m old &&
	refused 1 agency mv old-deal older-deal &&
	grep -q "^crm mv: the change would bring 3 new errors" err
'

test_done
