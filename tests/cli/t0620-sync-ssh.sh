#!/bin/sh
# crm sync over ssh to an OpenSSH server on 127.0.0.1 that this test
# starts with temporary host and user keys.  The client side is OpenSSH as
# git runs it, configured by a test ssh config (GIT_SSH_COMMAND="ssh -F"),
# so the user's own ~/.ssh is never read: a Host alias with a non-default
# port, user and IdentityFile, hashed known_hosts, @revoked and
# @cert-authority lines; then libgit2's own client when git is absent.
. "$(dirname "$0")/lib.sh"
. "$TEST_TOP/tests/cli/lib-sshd.sh"

# known_hosts_line KEY.pub: a known_hosts line for the server, hashed the
# way OpenSSH writes it under HashKnownHosts yes (|1|salt|hash)
known_hosts_line() {
	echo "[127.0.0.1]:$port $(cut -d" " -f1,2 "$1")" >"$S/kh.tmp" &&
	ssh-keygen -q -H -f "$S/kh.tmp" >/dev/null 2>&1 && cat "$S/kh.tmp" && rm -f "$S/kh.tmp" "$S/kh.tmp.old"
}

test_expect_success 'start sshd; a Host alias with port, user and key' '
	start_sshd && mkdir -p "$HOME/.ssh"
'

test_expect_success 'the test known_hosts is hashed, as under HashKnownHosts yes' '
	grep -q "^|1|" "$S/known_hosts" && ! grep -q 127.0.0.1 "$S/known_hosts" &&
	cp "$S/known_hosts" "$S/known_hosts.good"
'

GIT_SSH_COMMAND="ssh -F $S/config"
export GIT_SSH_COMMAND

test_expect_success 'a remote reached through the alias, and two clones of it' '
	cp -R "$TEST_DATA/small" seed && shared_remote seed &&
	git clone -q remote.git alice && git clone -q remote.git bob &&
	git -C alice remote set-url origin "crmhost:$TRASH/remote.git" &&
	git -C bob remote set-url origin "ssh://crmhost$TRASH/remote.git"
'

test_expect_success 'sync pushes and merges over ssh as OpenSSH is configured' '
	unset SSH_AUTH_SOCK &&
	crm -C alice set acme-corp city=Cork >/dev/null &&
	crm -C alice sync >out &&
	echo "up to date from origin; pushed" >expect && test_cmp expect out &&
	crm -C bob set acme-corp email=new@acme.example >/dev/null &&
	crm -C bob sync >out &&
	echo "merged from origin; pushed" >expect && test_cmp expect out &&
	crm -C alice sync >out && grep -q "fast-forwarded" out &&
	grep -q "^city: Cork$" alice/clients/acme-corp.yaml &&
	grep -q "^email: new@acme.example$" alice/clients/acme-corp.yaml
'

test_expect_success 'ProxyJump through the alias works as OpenSSH does it' '
	ssh_host crmjump "ProxyJump crmhost" >>"$S/config" &&
	git -C bob remote set-url origin "crmjump:$TRASH/remote.git" &&
	crm -C bob set acme-corp city=Kenmare >/dev/null &&
	logins=$(grep -c "Accepted publickey" "$S/log") &&
	crm -C bob sync >out && grep -q "pushed" out &&
	git -C remote.git show main:clients/acme-corp.yaml | grep -q "^city: Kenmare$" &&
	# the fetch and the push each log in twice: to the jump host, then through it
	test $(( $(grep -c "Accepted publickey" "$S/log") - logins )) = 4 &&
	crm -C alice sync >/dev/null
'

# refused: the command fails, says what to do, and leaves the clone as it was
refused_sync() {
	before=$(git -C alice rev-parse HEAD) &&
	git -C alice status --porcelain >status.before &&
	test_expect_code 1 crm -C alice sync >out 2>err &&
	test ! -s out &&
	test "$(git -C alice rev-parse HEAD)" = "$before" &&
	git -C alice status --porcelain >status.after && test_cmp status.before status.after &&
	grep "^crm sync:" err >msg
}

test_expect_success 'an unknown host key is refused with what to do' '
	: >"$S/known_hosts" &&
	crm -C alice set acme-corp city=Sligo >/dev/null &&
	refused_sync &&
	cat >expect <<-EOF &&
	crm sync: cannot fetch '"'"'origin'"'"': the server'"'"'s host key is not in your known_hosts; check its fingerprint with the server'"'"'s administrator and record it by connecting once with ssh (or '"'"'ssh-keyscan HOST >>~/.ssh/known_hosts'"'"' after checking)
	EOF
	test_cmp expect msg && grep -q "Host key verification failed" err
'

test_expect_success 'a changed host key is refused loudly' '
	ssh-keygen -q -t ed25519 -N "" -f "$S/impostor" &&
	known_hosts_line "$S/impostor.pub" >"$S/known_hosts" &&
	refused_sync &&
	cat >expect <<-EOF &&
	crm sync: cannot fetch '"'"'origin'"'"': the server'"'"'s host key has CHANGED since it was recorded in known_hosts, which is what an attacker in the middle would look like; sync nothing until the server'"'"'s administrator confirms the new key, then replace the old entry ('"'"'ssh-keygen -R HOST'"'"')
	EOF
	test_cmp expect msg && grep -q "REMOTE HOST IDENTIFICATION HAS CHANGED" err
'

test_expect_success 'a key marked @revoked is refused, as OpenSSH does' '
	{ cat "$S/known_hosts.good"; echo "@revoked * $(cut -d" " -f1,2 "$S/host_key.pub")"; } \
		>"$S/known_hosts" &&
	refused_sync &&
	cat >expect <<-EOF &&
	crm sync: cannot fetch '"'"'origin'"'"': the server'"'"'s host key is marked @revoked in known_hosts; sync nothing until the server'"'"'s administrator gives it a new key
	EOF
	test_cmp expect msg && grep -q "REVOKED HOST KEY" err
'

test_expect_success 'a host certificate signed by an @cert-authority key is accepted' '
	echo "@cert-authority [127.0.0.1]:$port $(cut -d" " -f1,2 "$S/ca.pub")" >"$S/known_hosts" &&
	crm -C alice sync >out && grep -q "pushed" out &&
	git -C remote.git show main:clients/acme-corp.yaml | grep -q "^city: Sligo$"
'

test_expect_success 'a key the server does not know is refused with what to do' '
	cp "$S/known_hosts.good" "$S/known_hosts" &&
	ssh-keygen -q -t ed25519 -N "" -f "$S/stranger" &&
	sed "s|IdentityFile .*|IdentityFile $S/stranger|" "$S/config" >"$S/config.stranger" &&
	GIT_SSH_COMMAND="ssh -F $S/config.stranger" refused_sync &&
	cat >expect <<-EOF &&
	crm sync: cannot fetch '"'"'origin'"'"': the server refused the login; check the user and key (IdentityFile in ~/.ssh/config, or ssh-add)
	EOF
	test_cmp expect msg
'

# libgit2's own client: ~/.ssh (here the test's $HOME) and no ssh config
test_expect_success 'without git on PATH, libgit2 syncs and says what it cannot do' '
	cp "$S/id_user" "$HOME/.ssh/id_ed25519" && cp "$S/id_user.pub" "$HOME/.ssh/id_ed25519.pub" &&
	known_hosts_line "$S/host_key.pub" >"$HOME/.ssh/known_hosts" &&
	git -C alice remote set-url origin "ssh://$me@127.0.0.1:$port$TRASH/remote.git" &&
	crm -C alice set acme-corp city=Ennis >/dev/null &&
	PATH="$CRM_TEST_BUILD" crm -C alice sync >out 2>err &&
	grep -q "pushed" out &&
	echo "crm sync: note: git is not on PATH, so crm talks to '"'"'ssh://$me@127.0.0.1:$port$TRASH/remote.git'"'"' itself: it reads known_hosts, but not ~/.ssh/config (install git for that)" >expect &&
	test_cmp expect err
'

test_expect_success 'libgit2 refuses an unknown host key too' '
	: >"$HOME/.ssh/known_hosts" &&
	crm -C alice set acme-corp city=Tralee >/dev/null &&
	test_expect_code 1 env CRM_SYNC_TRANSPORT=libgit2 "$CRM_BIN" -C alice sync 2>err &&
	grep -q "not in your known_hosts" err
'

test_done
