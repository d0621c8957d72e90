#!/bin/sh
# Completion: `crm __complete WORDS...` (the last word the one being
# completed) offers commands, options, types, record ids, stages, users,
# tags and fields from the command tables and the repository, listing
# records from the index cache; the bash script (and zsh's, where zsh is
# installed) gives those to the shell.
. "$(dirname "$0")/lib.sh"

if command -v bash >/dev/null 2>&1; then test_set_prereq BASH; fi
if command -v zsh >/dev/null 2>&1; then test_set_prereq ZSH; fi
if command -v fish >/dev/null 2>&1; then test_set_prereq FISH; fi

test_expect_success 'set up: the example, committed, its cache written' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	(cd agency && crm init >/dev/null) &&
	crm -C agency ls client >/dev/null
'

test_expect_success 'commands, also outside a repository; hidden ones never' '
	crm __complete "" >out &&
	cat >expect <<-\EOF &&
	add
	check
	dashboard
	diff
	edit
	export
	forecast
	help
	hooks
	import
	init
	invoice
	log
	ls
	merge-driver
	move
	mv
	report
	resolve
	rm
	set
	show
	sync
	tag
	unset
	EOF
	# other commands may join the table: these are there, sorted
	sort out | comm -13 - expect >missing && test ! -s missing &&
	sort -c out &&
	! grep "^__" out &&
	crm __complete m >out &&
	printf "%s\n" merge merge-driver move mv >expect &&
	test_cmp expect out
'

test_expect_success 'global options, and -C DIR taken before what follows' '
	crm __complete --no >out &&
	printf "%s\n" --no-cache --no-pager >expect &&
	test_cmp expect out &&
	crm __complete --color= >out &&
	printf "%s\n" --color=always --color=auto --color=never >expect &&
	test_cmp expect out &&
	crm __complete -C agency ls op >out &&
	echo opportunity >expect &&
	test_cmp expect out &&
	crm __complete -C "" >out && test ! -s out
'

test_expect_success 'options of a command, from its table' '
	crm __complete ls --s >out &&
	echo --sort >expect &&
	test_cmp expect out &&
	crm __complete move x --r >out &&
	echo --reason >expect &&
	test_cmp expect out &&
	crm __complete invoice render x --l >out &&
	echo --language >expect &&
	test_cmp expect out
'

test_expect_success 'types, record refs (type/ then ids), bare ids' '
	cd agency &&
	crm __complete ls "" >out &&
	printf "%s\n" activity client contact invoice opportunity product project task >expect &&
	test_cmp expect out &&
	crm __complete show cl >out &&
	echo client/ >expect &&
	test_cmp expect out &&
	crm __complete show client/acme >out &&
	echo client/acme-corp >expect &&
	test_cmp expect out &&
	crm __complete show acme-web >out &&
	printf "%s\n" acme-website-2504 acme-website-2508 >expect &&
	test_cmp expect out
'

test_expect_success 'stages, users, report names, subcommands, literal words' '
	cd agency &&
	crm __complete move acme-website-2504 pro >out &&
	echo proposal-sent >expect &&
	test_cmp expect out &&
	crm __complete dashboard --owner "" >out &&
	printf "%s\n" alice bob chen >expect &&
	test_cmp expect out &&
	crm __complete report w >out &&
	printf "%s\n" winloss won >expect &&
	test_cmp expect out &&
	crm __complete invoice re >out &&
	printf "%s\n" render renumber >expect &&
	test_cmp expect out &&
	crm __complete invoice pay inv-000000 >out &&
	printf "%s\n" inv-0000001 inv-0000002 inv-0000003 >expect &&
	test_cmp expect out &&
	crm __complete invoice status inv-0000001 "" >out &&
	grep -x paid out && grep -x sent out &&
	crm __complete hooks "" >out &&
	echo install >expect &&
	test_cmp expect out &&
	crm __complete help in >out &&
	printf "%s\n" init invoice >expect &&
	test_cmp expect out
'

test_expect_success 'fields of the type, with their values; tags to add and remove' '
	cd agency &&
	crm __complete set opportunity/acme-website-2504 st >out &&
	test ! -s out &&
	crm __complete set opportunity/acme-website-2504 ti >out &&
	echo title= >expect &&
	test_cmp expect out &&
	crm __complete set acme-website-2504 owner= >out &&
	printf "%s\n" owner=alice owner=bob owner=chen >expect &&
	test_cmp expect out &&
	crm __complete set opportunity/acme-website-2504 client=acme >out &&
	echo client=acme-corp >expect &&
	test_cmp expect out &&
	crm __complete unset client/acme-corp ph >out &&
	echo phone >expect &&
	test_cmp expect out &&
	crm __complete ls opportunity stage=neg >out &&
	echo stage=negotiation >expect &&
	test_cmp expect out &&
	crm __complete ls opportunity -sta >out &&
	echo -stage= >expect &&
	test_cmp expect out &&
	crm __complete tag opportunity/acme-website-2504 -s >out &&
	echo -seo >expect &&
	test_cmp expect out &&
	crm __complete tag opportunity/acme-website-2504 +w >out &&
	echo +website >expect &&
	test_cmp expect out &&
	crm __complete add opportunity --set cli >out &&
	echo client= >expect &&
	test_cmp expect out
'

test_expect_success 'a file argument: nothing, so the shell offers files' '
	crm __complete -C agency import contact "" >out &&
	test ! -s out &&
	crm __complete -C agency dashboard --html "" >out &&
	test ! -s out
'

test_expect_success 'record ids come from the index cache, without a walk' '
	CRM_TRACE=1 crm __complete -C agency show "" 2>err >out &&
	grep -x client/ out &&
	grep "files listed from the cache, not walked" err
'

test_expect_success 'outside a repository: what needs none, and no message' '
	mkdir empty && cd empty &&
	crm __complete show "" >out 2>err &&
	test ! -s out && test ! -s err &&
	crm __complete ls --w >out &&
	echo --wide >expect &&
	test_cmp expect out
'

# bash_complete LINE: what the bash completion offers for LINE (the cursor
# at its end), as bash would call it: COMP_WORDS split at blanks and at
# = and : as COMP_WORDBREAKS does.
bash_complete() {
	bash -c '
		. "$1/completion/crm.bash"
		line=$2
		COMP_LINE=$line; COMP_POINT=${#line}
		# split as readline does: blanks, then = and : as words of their own
		read -ra COMP_WORDS <<<"$(printf "%s" "$line" | sed "s/\([=:]\)/ \1 /g")"
		[[ $line == *[[:space:]] || $line == *[=:] ]] && COMP_WORDS+=("")
		[[ $line == *[=:] ]] && unset "COMP_WORDS[${#COMP_WORDS[@]}-1]" &&
			COMP_WORDS+=("${line: -1}")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_crm crm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$TEST_TOP" "$1"
}

test_expect_success BASH 'bash: complete -F _crm crm is registered' '
	bash -c ". \"$TEST_TOP/completion/crm.bash\" && complete -p crm" >out &&
	echo "complete -F _crm crm" >expect &&
	test_cmp expect out
'

test_expect_success BASH 'bash: commands, refs, stages' '
	cd agency &&
	bash_complete "crm mo" >out &&
	echo move >expect &&
	test_cmp expect out &&
	bash_complete "crm show client/acme" >out &&
	echo client/acme-corp >expect &&
	test_cmp expect out &&
	bash_complete "crm move acme-website-2504 neg" >out &&
	echo negotiation >expect &&
	test_cmp expect out
'

test_expect_success BASH 'bash: after = and : only the rest of the word is offered' '
	cd agency &&
	bash_complete "crm set acme-website-2504 owner=b" >out &&
	echo bob >expect &&
	test_cmp expect out &&
	bash_complete "crm set acme-website-2504 owner=" >out &&
	printf "%s\n" alice bob chen >expect &&
	test_cmp expect out &&
	bash_complete "crm ls opportunity stage=neg" >out &&
	echo negotiation >expect &&
	test_cmp expect out &&
	bash_complete "crm --color=al" >out &&
	echo always >expect &&
	test_cmp expect out
'

test_expect_success BASH 'bash: compgen through the registered function' '
	cd agency &&
	bash -c ". \"$TEST_TOP/completion/crm.bash\"
		COMP_WORDS=(crm report f); COMP_CWORD=2
		COMP_LINE=\"crm report f\"; COMP_POINT=\${#COMP_LINE}
		_crm; printf \"%s\n\" \"\${COMPREPLY[@]}\"" >out &&
	echo funnel >expect &&
	test_cmp expect out
'

test_expect_success ZSH 'zsh: the completion function loads and offers commands' '
	zsh -fc "
		autoload -U compinit && compinit -u -d \"$TRASH/zcompdump\"
		fpath=(\"$TEST_TOP/completion\" \$fpath)
		autoload -U _crm && whence -w _crm
	" >out &&
	grep "_crm: function" out
'

test_expect_success FISH 'fish: the completion offers commands' '
	fish -c "source \"$TEST_TOP/completion/crm.fish\"; complete -C \"crm mo\"" >out &&
	grep "^move" out
'

test_done
