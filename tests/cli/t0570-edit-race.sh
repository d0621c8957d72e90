#!/bin/sh
# crm edit runs the editor without the repository's lock (a person may take
# minutes): a change another command commits meanwhile is not overwritten;
# the edit is refused and the edited text kept.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'a set while the editor is open: the edit is refused, the set stays' '
	cat >ed-race <<-EOF &&
	#!/bin/sh
	"$CRM_BIN" -C "$TRASH/small" set acme-corp email=new@acme.example >/dev/null &&
	sed -i "s/^city: .*/city: Cork/" "\$1"
	EOF
	chmod +x ed-race &&
	EDITOR="$TRASH/ed-race" test_expect_code 1 crm -C small edit acme-corp 2>err &&
	cat >expect <<-EOF &&
	crm edit: your version is in $TRASH/small/.git/crm-edit-client-acme-corp.yaml
	crm edit: '"'"'clients/acme-corp.yaml'"'"' was changed by another command while it was being edited; nothing was written
	EOF
	test_cmp expect err &&
	grep -q "^email: new@acme.example$" small/clients/acme-corp.yaml &&
	grep -q "^city: Dublin$" small/clients/acme-corp.yaml &&
	grep -q "^city: Cork$" small/.git/crm-edit-client-acme-corp.yaml &&
	test "$(git -C small rev-list --count HEAD)" = 2
'

test_done
