#!/bin/sh
# Ids (SPEC section 1): add never makes a taken id unique behind the user's
# back, --id chooses one; ids are unique within a type only, so a bare id
# that records of several types share is refused with the typed references.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up a repository with a client' '
	crm init shop >/dev/null &&
	crm -C shop add client --set name="Acme Corp" >out &&
	echo "[$(git -C shop rev-parse --short=8 HEAD)] crm: add client/acme-corp" >expect &&
	test_cmp expect out
'

test_expect_success 'add refuses the id a name gives when it is taken, naming the record' '
	before=$(git -C shop rev-parse HEAD) &&
	test_expect_code 1 crm -C shop add client --set name="Acme Corp" >out 2>err &&
	cat >expect <<-\EOT &&
	crm add: client/acme-corp already exists (clients/2025/acme-corp.yaml), likely the same client: '"'"'crm show client/acme-corp'"'"' shows it; if this is another one, give it an id with --id ID; nothing was written
	EOT
	test_cmp expect err &&
	test ! -s out &&
	test "$(git -C shop rev-parse HEAD)" = "$before" &&
	test -z "$(git -C shop status --porcelain)" &&
	test "$(ls shop/clients/2025)" = acme-corp.yaml
'

test_expect_success 'add --id chooses another id; a taken --id is refused, a malformed one is usage' '
	crm -C shop add client --set name="Acme Corp" --id acme-ireland >out &&
	grep -q "crm: add client/acme-ireland$" out &&
	test_expect_code 1 crm -C shop add client --set name="Other" --id acme-ireland 2>err &&
	echo "crm add: client/acme-ireland already exists (clients/2025/acme-ireland.yaml); choose another --id" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm -C shop add client --set name="Other" --id Acme_1 2>err &&
	echo "crm add: '"'"'Acme_1'"'"' is not a valid id (a-z, 0-9 and '"'"'-'"'"', at most 64)" >expect &&
	test_cmp expect err &&
	test -z "$(git -C shop status --porcelain)" &&
	test "$(ls shop/clients/2025 | wc -l)" = 2
'

test_expect_success 'an id is unique within its type: another type may have it' '
	crm -C shop add client --set name=Qingyun >/dev/null &&
	crm -C shop add contact --set name="Li Wei" --set client=qingyun >/dev/null &&
	crm -C shop mv contact/li-wei qingyun >out &&
	grep -q "crm: mv contact/li-wei qingyun$" out &&
	test -f shop/contacts/2025/qingyun.yaml
'

# every command that takes a record: the same refusal, from one resolver
for cmd in "show qingyun" "log qingyun" "set qingyun notes=x" "unset qingyun notes" \
	"tag qingyun +vip" "move qingyun won" "rm qingyun" "mv qingyun qy" "edit qingyun" \
	"invoice new --from qingyun"
do
	test_expect_success "crm $cmd: a bare id of two types lists the typed references" "
		before=\$(git -C shop rev-parse HEAD) &&
		test_expect_code 1 env EDITOR=false crm -C shop $cmd >out 2>err &&
		name=\$(echo '$cmd' | cut -d' ' -f1) &&
		{
			echo \"crm \$name: 'qingyun' is the id of records of several types; name one:\" &&
			echo '  client/qingyun' &&
			echo '  contact/qingyun'
		} >expect &&
		test_cmp expect err &&
		test \"\$(git -C shop rev-parse HEAD)\" = \"\$before\" &&
		test -z \"\$(git -C shop status --porcelain)\"
	"
done

test_expect_success 'the README example of an ambiguous id runs as written' '
	sed -n "/^\$ crm show qingyun$/,/^\`\`\`$/p" "$TEST_TOP/README.md" | sed "1d;\$d" >expect &&
	test "$(wc -l <expect)" = 3 &&
	test_expect_code 1 crm -C shop show qingyun 2>err &&
	test_cmp expect err
'

test_expect_success 'the typed reference names one of them' '
	crm -C shop show contact/qingyun >out &&
	grep -q "Li Wei" out &&
	crm -C shop set client/qingyun notes=x >out &&
	grep -q "crm: set client/qingyun notes=x$" out
'

test_done
