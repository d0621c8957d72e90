#!/bin/sh
# Writes are held to the rules of crm check: what the commands that change
# records refuse, with check's own words, and what they leave behind.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up a repository with a client' '
	crm init shop >/dev/null &&
	crm -C shop add client --set name=Acme >/dev/null &&
	id=$(ls shop/clients/*/ | sed "s/\.yaml$//") &&
	echo "$id" >client-id
'

test_expect_success 'unknown stages, users and enum values: did-you-mean, else the choices' '
	id=$(cat client-id) &&
	! crm -C shop add opportunity --set title=x --set client=$id \
		--set stage=qualifyng 2>err &&
	! crm -C shop add opportunity --set title=x --set client=$id \
		--set stage=qualifying --set source=webite 2>>err &&
	! crm -C shop add opportunity --set title=x --set client=$id \
		--set stage=qualifying --set source=billboard 2>>err &&
	cat >expected <<-\EOT &&
	crm add: stage: unknown stage '"'"'qualifyng'"'"' (did you mean '"'"'qualifying'"'"'?)
	crm add: source: '"'"'webite'"'"' is not an allowed value (did you mean '"'"'website'"'"'?)
	crm add: source: '"'"'billboard'"'"' is not an allowed value (one of: referral, website, cold-call, trade-show, social, event, other)
	EOT
	test_cmp expected err
'

test_done
