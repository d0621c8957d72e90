#!/bin/sh
# crm invoice send: the invoice as a MIME message (body in the invoice's
# language, the PDF and the UBL attached, RFC 2047 headers), delivered to a
# real SMTP server on 127.0.0.1 (python3-aiosmtpd) or to a sendmail-style
# command; one commit records it, and a refusal records nothing.
. "$(dirname "$0")/lib.sh"

# stderr without the summary a sanitizer build appends to every run that
# rendered a PDF (fontconfig's suppressed leaks: tests/lsan.supp)
own_stderr() {
	sed "/^-\{20,\}\$/,\$d" err
}

# the python that has aiosmtpd (Debian's, when another python3 comes first)
for py in python3 /usr/bin/python3; do
	if "$py" -c "import aiosmtpd" 2>/dev/null; then
		PY=$py
		test_set_prereq AIOSMTPD
		break
	fi
done
command -v python3 >/dev/null && test_set_prereq PYTHON3
: "${PY:=python3}"

test_expect_success 'set up the example with a Polish subject and a Chinese client name' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	cat >>agency/crm.ini <<-\EOF &&

	[mail]
	from = billing@nowak-chen.example
	subject = {number}: faktura za usługi, zażółć gęślą jaźń
	EOF
	sed "s/^name: .*/name: 北京科技有限公司/" agency/clients/muller-maschinenbau.yaml >tmp &&
	mv tmp agency/clients/muller-maschinenbau.yaml &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	crm -C agency invoice render inv-0000002 --format pdf -o "$TRASH/inv2.pdf" 2>/dev/null &&
	crm -C agency invoice export inv-0000002 --ubl -o "$TRASH/inv2.xml" 2>/dev/null
'

test_expect_success PYTHON3 '--dry-run prints the message and records nothing' '
	git -C agency rev-parse HEAD >head.before &&
	crm -C agency invoice send inv-0000002 --dry-run >dry.eml &&
	git -C agency rev-parse HEAD >head.after && test_cmp head.before head.after &&
	git -C agency status --porcelain >status && test ! -s status &&
	python3 "$TEST_TOP/tests/cli/mail-check.py" dry.eml INV-0000002.pdf="$TRASH/inv2.pdf" \
		INV-0000002.xml="$TRASH/inv2.xml" >got &&
	cat >expect <<-\EOF &&
	From: Studio Nowak & Chen GmbH | billing@nowak-chen.example
	To: 北京科技有限公司 | einkauf@mueller-mb.example
	Subject: INV-0000002: faktura za usługi, zażółć gęślą jaźń
	Content-Type: multipart/mixed
	part: text/plain charset=utf-8
	Invoice INV-0000002

	Total: 8568.00 EUR
	Amount due: 6568.00 EUR
	Due date: 2025-10-09

	Studio Nowak & Chen GmbH
	part: application/pdf INV-0000002.pdf equal
	part: application/xml INV-0000002.xml equal
	EOF
	test_cmp expect got &&
	grep -q "^Subject: =?UTF-8?B?" dry.eml
'

test_expect_success 'the body follows the invoice language' '
	sed "s/^language: en/language: pl/" agency/invoices/2025/inv-0000002.yaml >tmp &&
	mv tmp agency/invoices/2025/inv-0000002.yaml &&
	crm -C agency invoice send inv-0000002 -n >pl.eml &&
	python3 "$TEST_TOP/tests/cli/mail-check.py" pl.eml | sed -n "/^part: text/,/^part: app/p" >got &&
	cat >expect <<-\EOF &&
	part: text/plain charset=utf-8
	Faktura INV-0000002

	Razem brutto: 8568.00 EUR
	Do zapłaty: 6568.00 EUR
	Termin płatności: 2025-10-09

	Studio Nowak & Chen GmbH
	part: application/pdf INV-0000002.pdf DIFFERENT
	EOF
	test_cmp expect got &&
	git -C agency checkout -q -- invoices
'

test_expect_success PYTHON3 'a body template with placeholders' '
	printf "Dear {client},\n\ninvoice {number}: {total} {currency}, due {due} ({due_total} open).\n{unknown} stays\n" \
		>agency/mail.txt &&
	printf "template = mail.txt\n" >>agency/crm.ini &&
	crm -C agency invoice send inv-0000002 -n >t.eml &&
	python3 "$TEST_TOP/tests/cli/mail-check.py" t.eml | sed -n "/^part: text/,/^part: app/p" >got &&
	cat >expect <<-\EOF &&
	part: text/plain charset=utf-8
	Dear 北京科技有限公司,

	invoice INV-0000002: 8568.00 EUR, due 2025-10-09 (6568.00 open).
	{unknown} stays
	part: application/pdf INV-0000002.pdf DIFFERENT
	EOF
	test_cmp expect got &&
	git -C agency checkout -q -- crm.ini && rm agency/mail.txt
'

test_expect_success 'a client without an e-mail address: refused, nothing recorded' '
	crm -C agency invoice status inv-0000003 issued >/dev/null &&
	grep -v "^email:" agency/clients/kaffee-und-kuchen.yaml >tmp &&
	mv tmp agency/clients/kaffee-und-kuchen.yaml &&
	grep -v "^email:" agency/contacts/lena-becker.yaml >tmp &&
	mv tmp agency/contacts/lena-becker.yaml &&
	git -C agency commit -q -a -m "no e-mail" &&
	client=$(sed -n "s/^client: //p" agency/invoices/2025/inv-0000003.yaml) &&
	test "$client" = kaffee-und-kuchen &&
	git -C agency rev-parse HEAD >head.before &&
	(cd agency && find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum) >tree.before &&
	test_expect_code 1 crm -C agency invoice send inv-0000003 >out 2>err &&
	test ! -s out &&
	cat >expect <<-\EOF &&
	crm invoice: client/kaffee-und-kuchen has no e-mail address (its '"'"'email'"'"', or a contact'"'"'s): set one, or give --to ADDRESS
	EOF
	test_cmp expect err &&
	git -C agency rev-parse HEAD >head.after && test_cmp head.before head.after &&
	(cd agency && find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum) >tree.after &&
	test_cmp tree.before tree.after
'

test_expect_success 'a draft is not sent' '
	test_expect_code 1 crm -C agency invoice send draft-kaffee-seo --to a@b.example 2>err &&
	grep -q "^crm invoice: invoice/draft-kaffee-seo is a draft: issue it before sending it" err
'

test_expect_success AIOSMTPD 'SMTP: a real server on 127.0.0.1 receives it; one commit records it' '
	mkdir smtp &&
	"$PY" "$TEST_TOP/tests/cli/smtp-sink.py" "$TRASH/smtp" &
	test_at_exit "touch \"$TRASH/smtp/stop\"" &&
	i=0 && while [ ! -f smtp/port ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	printf "smtp = 127.0.0.1:%s\n" "$(cat smtp/port)" >>agency/crm.ini &&
	git -C agency commit -q -a -m smtp &&
	git -C agency rev-parse HEAD >head.before &&
	crm -C agency invoice send inv-0000003 --to "petra@buchladen.example" >out 2>err &&
	echo "sent invoice INV-0000003 to petra@buchladen.example" >expect &&
	own_stderr >got && test_cmp expect got &&
	printf "billing@nowak-chen.example\npetra@buchladen.example\n" >expect &&
	test_cmp expect smtp/env1 &&
	crm -C agency invoice render inv-0000003 --format pdf -o "$TRASH/inv3.pdf" 2>/dev/null &&
	crm -C agency invoice export inv-0000003 --ubl -o "$TRASH/inv3.xml" 2>/dev/null &&
	python3 "$TEST_TOP/tests/cli/mail-check.py" smtp/msg1.eml INV-0000003.pdf="$TRASH/inv3.pdf" \
		INV-0000003.xml="$TRASH/inv3.xml" >got &&
	grep "^part: application" got >parts &&
	cat >expect <<-\EOF &&
	part: application/pdf INV-0000003.pdf equal
	part: application/xml INV-0000003.xml equal
	EOF
	test_cmp expect parts &&
	grep -q "^Subject: INV-0000003: faktura za usługi, zażółć gęślą jaźń$" got &&
	grep -q "^To: Kaffee & Kuchen GmbH | petra@buchladen.example$" got &&
	git -C agency rev-list $(cat head.before)..HEAD >commits &&
	test $(wc -l <commits) = 1 &&
	git -C agency show --name-status --format=%s HEAD >show &&
	sed -n 1p show >subject &&
	echo "crm: invoice inv-0000003 sent to petra@buchladen.example" >expect &&
	test_cmp expect subject &&
	grep -q "^M	invoices/2025/inv-0000003.yaml$" show &&
	grep -q "^A	activities/2025/email-inv-0000003.yaml$" show &&
	grep -q "^status: sent$" agency/invoices/2025/inv-0000003.yaml &&
	cat >expect <<-\EOF &&
	date: 2025-06-01
	kind: email
	about: invoice/inv-0000003
	summary: Sent invoice INV-0000003 to petra@buchladen.example (PDF and UBL)
	EOF
	test_cmp expect agency/activities/2025/email-inv-0000003.yaml &&
	crm -C agency check >out 2>/dev/null; grep -q "^0 errors" out
'

test_expect_success 'sendmail: the command gets the message on stdin, without a shell' '
	cat >fake-sendmail <<-EOF &&
	#!/bin/sh
	printf "%s\n" "\$@" >"$TRASH/sendmail.args"
	cat >"$TRASH/sendmail.msg"
	EOF
	chmod +x fake-sendmail &&
	grep -v "^smtp = " agency/crm.ini >tmp && mv tmp agency/crm.ini &&
	printf "sendmail = %s -t  -oi\n" "$TRASH/fake-sendmail" >>agency/crm.ini &&
	git -C agency commit -q -a -m sendmail &&
	crm -C agency invoice send inv-0000002 >out 2>err &&
	printf "%s\n" -t -oi >expect && test_cmp expect sendmail.args &&
	python3 "$TEST_TOP/tests/cli/mail-check.py" sendmail.msg INV-0000002.pdf="$TRASH/inv2.pdf" \
		INV-0000002.xml="$TRASH/inv2.xml" >got &&
	grep -q "^part: application/pdf INV-0000002.pdf equal$" got &&
	grep -q "^status: sent$" agency/invoices/2025/inv-0000002.yaml &&
	git -C agency show --name-status --format=%s HEAD >show &&
	grep -q "^A	activities/2025/email-inv-0000002.yaml$" show &&
	! grep -q "invoices/" show
'

test_expect_success 'a failing transport: exit 1, nothing recorded' '
	printf "#!/bin/sh\ncat >/dev/null\nexit 75\n" >fail-sendmail && chmod +x fail-sendmail &&
	grep -v "^sendmail = " agency/crm.ini >tmp && mv tmp agency/crm.ini &&
	printf "sendmail = %s\n" "$TRASH/fail-sendmail" >>agency/crm.ini &&
	git -C agency commit -q -a -m failing &&
	git -C agency rev-parse HEAD >head.before &&
	test_expect_code 1 crm -C agency invoice send inv-0000001 2>err &&
	echo "crm invoice: '"'"'$TRASH/fail-sendmail'"'"' failed with exit status 75; the message did not go out; nothing was recorded" >expect &&
	own_stderr >got && test_cmp expect got &&
	git -C agency rev-parse HEAD >head.after && test_cmp head.before head.after &&
	git -C agency status --porcelain >status && test ! -s status
'

test_done
