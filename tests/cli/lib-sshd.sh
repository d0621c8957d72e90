# An OpenSSH server on 127.0.0.1 for the sync tests (sourced after lib.sh):
# start_sshd writes host and user keys to $S, starts sshd on $port and
# writes $S/config, an ssh config whose Host alias "crmhost" reaches it with
# its port, user and key, and a hashed known_hosts of its own; the tests
# then set GIT_SSH_COMMAND="ssh -F $S/config", so the user's ~/.ssh is
# never read.  Skips the whole script when sshd cannot run here.
[ -x /usr/sbin/sshd ] || test_skip_all "no /usr/sbin/sshd (apt-get install openssh-server)"
[ "$(id -u)" = 0 ] || test_skip_all "sshd for the test needs root to run"
command -v ssh-keyscan >/dev/null || test_skip_all "no ssh-keyscan (apt-get install openssh-client)"

port=$((20000 + $$ % 20000))
me=$(id -un)
S=$TRASH/ssh

# ssh_host NAME [OPTION...]: a Host block of the test ssh config reaching
# the test's sshd with its user key and known_hosts, plus OPTIONs
ssh_host() {
	name=$1; shift
	printf "Host %s\n" "$name"
	printf "\t%s\n" "HostName 127.0.0.1" "Port $port" "User $me" "IdentityFile $S/id_user" \
		"IdentitiesOnly yes" "UserKnownHostsFile $S/known_hosts" \
		"GlobalKnownHostsFile /dev/null" "BatchMode yes" "$@"
}

start_sshd() {
	mkdir -p "$S" /run/sshd &&
	ssh-keygen -q -t ed25519 -N "" -f "$S/host_key" &&
	ssh-keygen -q -t ed25519 -N "" -f "$S/ca" &&
	ssh-keygen -q -s "$S/ca" -I test-host -h -n 127.0.0.1 "$S/host_key.pub" &&
	ssh-keygen -q -t ed25519 -N "" -f "$S/id_user" &&
	cp "$S/id_user.pub" "$S/authorized_keys" &&
	cat >"$S/sshd_config" <<-EOF &&
	ListenAddress 127.0.0.1
	Port $port
	HostKey $S/host_key
	HostCertificate $S/host_key-cert.pub
	AuthorizedKeysFile $S/authorized_keys
	PidFile $S/sshd.pid
	StrictModes no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PermitRootLogin prohibit-password
	UsePAM no
	MaxStartups 100
	SetEnv PATH=$PATH
	EOF
	/usr/sbin/sshd -f "$S/sshd_config" -E "$S/log" &&
	for i in $(seq 1 50); do
		[ -s "$S/sshd.pid" ] && break; sleep 0.2
	done &&
	test -s "$S/sshd.pid" &&
	ssh_host crmhost >"$S/config" &&
	ssh-keyscan -H -t ed25519 -p $port 127.0.0.1 >"$S/known_hosts" 2>/dev/null &&
	test -s "$S/known_hosts"
}
test_at_exit 'kill $(cat "$TRASH/ssh/sshd.pid" 2>/dev/null) 2>/dev/null'
