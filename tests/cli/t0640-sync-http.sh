#!/bin/sh
# crm sync over http with basic authentication answered by git's credential
# helpers (a `store` helper here), against git http-backend on 127.0.0.1.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || test_skip_all "python3 is needed for the test server"
port=$((40000 + $$ % 20000))

test_expect_success 'start a smart-HTTP server with basic authentication' '
	cp -R "$TEST_DATA/small" seed && shared_remote seed &&
	git -C remote.git config http.receivepack true &&
	python3 "$TEST_TOP/tests/cli/http-git-server.py" "$TRASH" $port alice s3cret &
	echo $! >server.pid &&
	for i in $(seq 1 200); do
		git ls-remote "http://alice:s3cret@127.0.0.1:$port/remote.git" >/dev/null 2>&1 && break
		sleep 0.1
	done
'
test_at_exit 'kill $(cat "$TRASH/server.pid" 2>/dev/null) 2>/dev/null'

test_expect_success 'clones whose credentials come from a git credential helper' '
	printf "http://alice:s3cret@127.0.0.1:%s\n" $port >"$HOME/.git-credentials" &&
	git config --global credential.helper store &&
	git clone -q "http://127.0.0.1:$port/remote.git" alice &&
	git clone -q "http://127.0.0.1:$port/remote.git" bob
'

test_expect_success 'sync fetches, merges and pushes over http' '
	crm -C alice set acme-corp city=Cork >/dev/null &&
	crm -C alice sync >out && grep -q pushed out &&
	crm -C bob set acme-corp email=b@acme.example >/dev/null &&
	crm -C bob sync >out && grep -q "merged from origin; pushed" out &&
	git -C remote.git show main:clients/acme-corp.yaml >final &&
	grep -q "^city: Cork$" final && grep -q "^email: b@acme.example$" final
'

test_expect_success 'libgit2 (CRM_SYNC_TRANSPORT=libgit2) asks the same helper' '
	crm -C alice sync >/dev/null &&
	crm -C alice set acme-corp city=Ennis >/dev/null &&
	CRM_SYNC_TRANSPORT=libgit2 crm -C alice sync >out && grep -q pushed out &&
	git -C remote.git show main:clients/acme-corp.yaml | grep -q "^city: Ennis$"
'

test_expect_success 'wrong credentials are refused with what to do' '
	printf "http://alice:wrong@127.0.0.1:%s\n" $port >"$HOME/.git-credentials" &&
	test_expect_code 1 crm -C alice sync 2>err &&
	grep "^crm sync:" err >msg &&
	echo "crm sync: cannot fetch '"'"'origin'"'"': the server refused the user name and password; correct what your git credential helper stores (git config credential.helper)" >expect &&
	test_cmp expect msg &&
	test_expect_code 1 env CRM_SYNC_TRANSPORT=libgit2 "$CRM_BIN" -C alice sync 2>err &&
	grep -q "credential" err
'

test_done
