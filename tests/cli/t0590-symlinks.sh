#!/bin/sh
# Symbolic links in a data repository (a clone brings them along) are
# reported by crm check and never followed: not to read a record, not to
# write one, not for a files entry or the invoice logo; links that loop
# cost nothing.
. "$(dirname "$0")/lib.sh"

# A PNG header is all load_logo looks at before it embeds the file (the
# code before this test embedded SECRET-OUTSIDE in the HTML).
make_png() {
	printf '\211PNG\r\n\032\n%s' "$2" >"$1"
}

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	mkdir outside &&
	printf "name: Far Away\ncity: Elsewhere\n" >outside/far.yaml &&
	cp outside/far.yaml far.orig
'

test_expect_success 'check reports a record file that is a link, and does not read it' '
	ln -s /etc/passwd small/clients/pw.yaml &&
	test_expect_code 1 crm -C small check >out 2>err &&
	cat >expect <<-\EOF &&
	clients/pw.yaml: error: symbolic link to '"'"'/etc/passwd'"'"' is not followed [symlink]
	1 error, 0 warnings in 9 records
	EOF
	cat out err >all &&
	test_cmp expect all &&
	crm -C small ls clients >out &&
	cat >expect <<-\EOF &&
	id           name                    city    email
	acme-corp    Acme Corp               Dublin  office@acme.example
	c-7k2m9q     北京青云科技            北京    info@qingyun.example
	c-p9x3tm     ហាងកាហ្វេភ្នំពេញ               ភ្នំពេញ    hello@cafe.example
	lodz-studio  Łódź Studio Projektowe  Łódź    biuro@lodz.example
	EOF
	test_cmp expect out &&
	rm small/clients/pw.yaml
'

test_expect_success 'a record the cache knows that became a link is not read through it' '
	crm -C small show acme-corp >/dev/null &&
	mv small/clients/acme-corp.yaml acme.orig &&
	printf "name: Secret Outside\n" >outside/secret.yaml &&
	ln -s "$TRASH/outside/secret.yaml" small/clients/acme-corp.yaml &&
	test_expect_code 1 crm -C small show acme-corp >out 2>err &&
	echo "crm show: no record '"'"'acme-corp'"'"'" >expect &&
	test_cmp expect err && test_cmp /dev/null out &&
	rm small/clients/acme-corp.yaml && mv acme.orig small/clients/acme-corp.yaml
'

test_expect_success 'a folder that is a link is not walked, and set cannot write through it' '
	ln -s "$TRASH/outside" small/clients/ext &&
	test_expect_code 1 crm -C small check >out 2>err &&
	cat out err | sed "s|$TRASH|TRASH|" >all &&
	cat >expect <<-\EOF &&
	clients/ext: error: symbolic link to '"'"'TRASH/outside'"'"' is not followed [symlink]
	1 error, 0 warnings in 9 records
	EOF
	test_cmp expect all &&
	test_expect_code 1 crm -C small set far city=Here 2>err &&
	test_cmp far.orig outside/far.yaml &&
	test "$(git -C small rev-list --count HEAD)" = 1 &&
	rm small/clients/ext
'

test_expect_success 'add refuses a year folder that is a link, and commits nothing' '
	mkdir elsewhere &&
	ln -s "$TRASH/elsewhere" small/clients/2025 &&
	test_expect_code 2 crm -C small add client --set name=Linked >out 2>err &&
	sed "s|$TRASH|TRASH|" err >all &&
	echo "crm add: '"'"'clients/2025'"'"' is a symbolic link to '"'"'TRASH/elsewhere'"'"', which crm does not follow" >expect &&
	test_cmp expect all &&
	ls elsewhere >files && test_cmp /dev/null files &&
	test -L small/clients/2025 &&
	test "$(git -C small rev-list --count HEAD)" = 1 &&
	rm small/clients/2025
'

test_expect_success 'links that loop are reported once each, and ls stays quick' '
	ln -s . small/clients/x && ln -s . small/clients/y && ln -s . small/clients/z &&
	test_expect_code 1 timeout 20 crm -C small check >out 2>err &&
	cat >expect <<-\EOF &&
	clients/x: error: symbolic link to '"'"'.'"'"' is not followed [symlink]
	clients/y: error: symbolic link to '"'"'.'"'"' is not followed [symlink]
	clients/z: error: symbolic link to '"'"'.'"'"' is not followed [symlink]
	3 errors, 0 warnings in 9 records
	EOF
	cat out err >all &&
	test_cmp expect all &&
	timeout 20 crm -C small ls clients >out &&
	test "$(wc -l <out)" = 5 &&
	rm small/clients/x small/clients/y small/clients/z
'

test_expect_success 'a files entry through a link is refused, naming the link' '
	echo "  files:       {type: files}" >>small/schema/opportunity.yaml &&
	mkdir small/files && touch outside/secret.pdf small/files/real.pdf &&
	ln -s "$TRASH/outside" small/files/out &&
	ln -s real.pdf small/files/alias.pdf &&
	cat >small/opportunities/linked.yaml <<-\EOF &&
	title: Linked files
	client: acme-corp
	stage: lead
	files: [files/real.pdf, files/out/secret.pdf, files/alias.pdf]
	EOF
	test_expect_code 1 crm -C small check >out 2>err &&
	cat out err | sed "s|$TRASH|TRASH|" >all &&
	cat >expect <<-\EOF &&
	opportunities/linked.yaml:4:25: error: '"'"'files/out'"'"' is a symbolic link to '"'"'TRASH/outside'"'"', which crm does not follow [symlink]
	    4 | files: [files/real.pdf, files/out/secret.pdf, files/alias.pdf]
	      |                         ^
	opportunities/linked.yaml:4:47: error: '"'"'files/alias.pdf'"'"' is a symbolic link to '"'"'real.pdf'"'"', which crm does not follow [symlink]
	    4 | files: [files/real.pdf, files/out/secret.pdf, files/alias.pdf]
	      |                                               ^
	2 errors, 0 warnings in 10 records
	EOF
	test_cmp expect all &&
	rm -r small/files small/opportunities/linked.yaml
'

test_expect_success 'the invoice logo is not read through a link' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm init agency >/dev/null &&
	make_png outside/logo.png SECRET-OUTSIDE &&
	ln -s "$TRASH/outside/logo.png" agency/files/logo.png &&
	sed -i "s|^email = hello@nowak-chen.example|&\nlogo = files/logo.png|" agency/crm.ini &&
	grep -q "^logo = files/logo.png" agency/crm.ini &&
	test_expect_code 1 crm -C agency invoice render inv-0000002 --format html >out 2>err &&
	sed "s|$TRASH|TRASH|" err >all &&
	echo "crm invoice: crm.ini [org] logo: '"'"'files/logo.png'"'"' is a symbolic link to '"'"'TRASH/outside/logo.png'"'"', which crm does not follow" >expect &&
	test_cmp expect all &&
	test_cmp /dev/null out
'

test_done
