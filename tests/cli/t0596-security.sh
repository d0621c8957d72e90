#!/bin/sh
# What README "Security" and crm(1) SECURITY promise, checked against the
# code: the only programs crm starts, and how; the editor gets a file name,
# never field content; crm init follows no link in a work tree it joins.
. "$(dirname "$0")/lib.sh"

test_expect_success 'crm starts only the editor, the pager, git credential fill and, without a shell, git, man and the mail transport' '
	(cd "$TEST_TOP" && grep -rnoE "\<(system|popen|execl|execlp|execle|execv|execvp|execvpe|posix_spawn|posix_spawnp|fork|vfork|clone)\(" src) |
		sed -E "s/:[0-9]+:/: /" | sort >actual &&
	cat >expect <<-\EOF &&
	src/cli/cli_editor.c: execl(
	src/cli/cli_editor.c: fork(
	src/core/git/git_transport.c: popen(
	src/util/child.c: execvp(
	src/util/child.c: fork(
	src/util/pager.c: execl(
	src/util/pager.c: fork(
	EOF
	test_cmp expect actual &&
	(cd "$TEST_TOP" && grep -h "execl(\|popen(\|snprintf(cmd,\|execvp(" src/cli/cli_editor.c \
		src/core/git/git_transport.c src/util/child.c src/util/pager.c) |
		sed "s/^[[:space:]]*//" >actual &&
	cat >expect <<-\EOF &&
	execl("/bin/sh", "sh", "-c", "$CRM_EDITOR \"$1\"", "sh", path, (char *)NULL);
	snprintf(cmd, sizeof(cmd), "GIT_TERMINAL_PROMPT=0 git credential fill <%s 2>/dev/null", tmpl);
	p = popen(cmd, "r");
	execvp(argv[0], (char *const *)argv);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	EOF
	test_cmp expect actual
'

test_expect_success 'the editor gets one argument, the copy'"'"'s name, whatever the record holds' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	printf "notes: \"\$(touch pwned) \`touch pwned\` ; touch pwned\"\n" >>small/clients/acme-corp.yaml &&
	git -C small commit -q -am notes &&
	cat >editor <<-\EOF &&
	#!/bin/sh
	printf "%s\n" "$#" "$@" >"$(dirname "$0")/args"
	EOF
	chmod +x editor &&
	EDITOR="$TRASH/editor" crm -C small edit acme-corp >out 2>err &&
	top=$(cd small && pwd -P) &&
	sed "s/crm-editing-[0-9]*-/crm-editing-PID-/" args >actual &&
	printf "1\n%s/.git/crm-editing-PID-client-acme-corp.yaml\n" "$top" >expect &&
	test_cmp expect actual &&
	test ! -e pwned && test ! -e small/pwned
'

test_expect_success 'init in a work tree whose schema/ is a link writes nothing through it' '
	mkdir joined outside &&
	git -C joined init -q &&
	ln -s "$TRASH/outside" joined/schema &&
	test_expect_code 2 crm init joined >out 2>err &&
	sed "s|$TRASH|TRASH|" err >actual &&
	echo "crm init: '"'"'schema'"'"' is a symbolic link to '"'"'TRASH/outside'"'"', which crm does not follow" >expect &&
	test_cmp expect actual &&
	ls -A outside >files && test_cmp /dev/null files
'

test_done
