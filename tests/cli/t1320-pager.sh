#!/bin/sh
# Long output goes through the pager when stdout is a terminal (a pty made
# by python3 here), never into a pipe, never with --no-pager; CRM_PAGER
# wins over PAGER; LESS and LV are set only when unset; the terminal's
# width reaches the table through COLUMNS.
. "$(dirname "$0")/lib.sh"

if command -v python3 >/dev/null 2>&1; then test_set_prereq PTY; fi

# on_pty FILE COLS CMD...: runs CMD with stdout on a terminal COLS wide
# (stdin and stderr stay as they are), copies what the terminal received
# to FILE (without its CRs) and exits with CMD's status.
on_pty() {
	python3 - "$@" <<-\EOF
	import fcntl, os, pty, struct, sys, termios
	out, cols, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
	master, slave = pty.openpty()
	fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
	pid = os.fork()
	if pid == 0:
	    os.close(master)
	    os.dup2(slave, 1)
	    os.execvp(argv[0], argv)
	os.close(slave)
	data = b""
	while True:
	    try:
	        chunk = os.read(master, 65536)
	    except OSError:
	        break
	    if not chunk:
	        break
	    data += chunk
	_, status = os.waitpid(pid, 0)
	open(out, "wb").write(data.replace(b"\r\n", b"\n"))
	sys.exit(os.waitstatus_to_exitcode(status) & 255)
	EOF
}

test_expect_success 'set up: the example, and a pager that keeps what it got' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	(cd agency && crm init >/dev/null) &&
	cat >fake-pager <<-\EOF &&
	#!/bin/sh
	echo "pager $1 LESS=${LESS-unset} LV=${LV-unset} COLUMNS=${COLUMNS-unset}" >>"$PAGER_LOG"
	cat >>"$PAGER_LOG"
	EOF
	chmod +x fake-pager
'
PAGER_LOG="$TRASH/pager.log"
export PAGER_LOG

test_expect_success PTY 'on a terminal, ls goes through $PAGER, with LESS=FRX and LV=-c, in colour' '
	rm -f pager.log &&
	(unset LESS LV NO_COLOR; PAGER="$TRASH/fake-pager one" COLUMNS=80 on_pty tty.out 80 "$CRM_BIN" -C agency ls client) &&
	test ! -s tty.out &&
	head -n 1 pager.log >first &&
	echo "pager one LESS=FRX LV=-c COLUMNS=80" >expect &&
	test_cmp expect first &&
	sed 1d pager.log >paged &&
	COLUMNS=80 crm -C agency --color=always ls client >expect &&
	test_cmp expect paged
'

test_expect_success PTY 'LESS and LV set by the user are kept; CRM_PAGER wins over PAGER' '
	rm -f pager.log &&
	LESS=-S LV=x PAGER=false CRM_PAGER="$TRASH/fake-pager two" COLUMNS=80 \
		on_pty tty.out 80 "$CRM_BIN" -C agency ls client &&
	head -n 1 pager.log >first &&
	echo "pager two LESS=-S LV=x COLUMNS=80" >expect &&
	test_cmp expect first
'

test_expect_success PTY 'without COLUMNS the table keeps the terminal width in the pager' '
	rm -f pager.log &&
	(unset COLUMNS; PAGER="$TRASH/fake-pager three" on_pty tty.out 50 "$CRM_BIN" -C agency ls client) &&
	head -n 1 pager.log >first &&
	grep -q "COLUMNS=50\$" first &&
	sed 1d pager.log >paged &&
	COLUMNS=50 crm -C agency ls client >expect &&
	test_cmp expect paged
'

test_expect_success PTY 'every read command with long output pages' '
	for cmd in "check" "show client/acme-corp" "log client/acme-corp" "diff" \
		   "forecast" "dashboard" "report funnel"; do
		rm -f pager.log
		PAGER="$TRASH/fake-pager x" on_pty tty.out 80 "$CRM_BIN" -C agency $cmd || true
		test -s pager.log || { echo "$cmd did not page"; exit 1; }
	done
'

test_expect_success PTY '--no-pager, an empty pager or cat: straight to the terminal' '
	rm -f pager.log &&
	PAGER="$TRASH/fake-pager" COLUMNS=80 on_pty nopager.out 80 "$CRM_BIN" -C agency --no-pager ls client &&
	test ! -e pager.log &&
	COLUMNS=80 crm -C agency ls client >expect &&
	test_cmp expect nopager.out &&
	PAGER= COLUMNS=80 on_pty empty.out 80 "$CRM_BIN" -C agency ls client &&
	test_cmp expect empty.out &&
	CRM_PAGER=cat PAGER="$TRASH/fake-pager" COLUMNS=80 on_pty cat.out 80 "$CRM_BIN" -C agency ls client &&
	test ! -e pager.log &&
	test_cmp expect cat.out
'

test_expect_success 'never into a pipe or a file' '
	rm -f pager.log &&
	PAGER="$TRASH/fake-pager" crm -C agency ls client >out &&
	test ! -e pager.log &&
	test -s out
'

test_expect_success PTY 'a command that writes never pages' '
	rm -f pager.log &&
	PAGER="$TRASH/fake-pager" on_pty set.out 80 "$CRM_BIN" -C agency set client/acme-corp city=Berlin &&
	test ! -e pager.log &&
	grep -q "crm: set client/acme-corp" set.out
'

test_expect_success PTY 'a pager quit early ends crm quietly, the pager waited for' '
	git init -q big && (cd big && crm init >/dev/null) && mkdir big/clients &&
	i=0 && while [ $i -lt 3000 ]; do
		echo "name: Client number $i of a long list" >big/clients/client-$i.yaml
		i=$((i + 1))
	done &&
	crm -C big ls client >all &&
	test $(wc -c <all) -gt 100000 &&
	{ PAGER="head -n 1" on_pty head.out 80 "$CRM_BIN" -C big ls client 2>err || :; } &&
	test $(wc -l <head.out) = 1 &&
	test ! -s err
'

test_done
