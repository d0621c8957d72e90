#!/bin/sh
# crm sync over ssh:// to an OpenSSH server on 127.0.0.1 that this test
# starts with temporary host and user keys (key-file authentication).
. "$(dirname "$0")/lib.sh"

[ -x /usr/sbin/sshd ] || test_skip_all "no /usr/sbin/sshd (apt-get install openssh-server)"
[ "$(id -u)" = 0 ] || test_skip_all "sshd for the test needs root to run"

port=$((20000 + $$ % 20000))
me=$(id -un)

test_expect_success 'start sshd on 127.0.0.1 with temporary keys' '
	mkdir -p ssh "$HOME/.ssh" /run/sshd &&
	ssh-keygen -q -t ed25519 -N "" -f ssh/host_key &&
	ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_ed25519" &&
	cp "$HOME/.ssh/id_ed25519.pub" ssh/authorized_keys &&
	echo "[127.0.0.1]:$port $(cut -d" " -f1,2 ssh/host_key.pub)" >"$HOME/.ssh/known_hosts" &&
	cat >ssh/sshd_config <<-EOF &&
	ListenAddress 127.0.0.1
	Port $port
	HostKey $TRASH/ssh/host_key
	AuthorizedKeysFile $TRASH/ssh/authorized_keys
	PidFile $TRASH/ssh/sshd.pid
	StrictModes no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PermitRootLogin prohibit-password
	UsePAM no
	SetEnv PATH=$PATH
	EOF
	/usr/sbin/sshd -f "$TRASH/ssh/sshd_config" -E "$TRASH/ssh/log" &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ -s ssh/sshd.pid ] && break; sleep 0.2
	done &&
	test -s ssh/sshd.pid
'
test_at_exit 'kill $(cat "$TRASH/ssh/sshd.pid" 2>/dev/null) 2>/dev/null'

test_expect_success 'a remote over ssh:// and two clones of it' '
	cp -R "$TEST_DATA/small" seed && shared_remote seed &&
	git clone -q remote.git alice && git clone -q remote.git bob &&
	url="ssh://$me@127.0.0.1:$port$TRASH/remote.git" &&
	git -C alice remote set-url origin "$url" && git -C bob remote set-url origin "$url"
'

test_expect_success 'sync pushes and merges over ssh with the key file' '
	unset SSH_AUTH_SOCK &&
	crm -C alice set acme-corp city=Cork >/dev/null &&
	crm -C alice sync >out && grep -q "pushed" out &&
	crm -C bob set acme-corp email=new@acme.example >/dev/null &&
	crm -C bob sync >out && grep -q "merged from origin; pushed" out &&
	crm -C alice sync >out && grep -q "fast-forwarded" out &&
	grep -q "^city: Cork$" alice/clients/acme-corp.yaml &&
	grep -q "^email: new@acme.example$" alice/clients/acme-corp.yaml
'

test_expect_success 'an unknown host key is refused' '
	mv "$HOME/.ssh/known_hosts" kh &&
	test_expect_code 1 crm -C alice sync 2>err &&
	grep -q "not in your known_hosts" err &&
	mv kh "$HOME/.ssh/known_hosts"
'

test_expect_success 'a wrong key is refused with a clear message' '
	mv "$HOME/.ssh/id_ed25519" "$HOME/.ssh/id_ed25519.away" &&
	test_expect_code 1 crm -C alice sync 2>err &&
	grep -q "cannot fetch" err &&
	mv "$HOME/.ssh/id_ed25519.away" "$HOME/.ssh/id_ed25519"
'

test_done
