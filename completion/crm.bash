# bash completion for crm: every list comes from `crm __complete WORDS...`,
# which reads the command tables and the repository (types, record ids,
# stages, users, tags, fields), so it never goes stale.
# Installed by `make install` into bash-completion's completions folder;
# without bash-completion, `source` this file from ~/.bashrc.

# bash breaks words at = and : (COMP_WORDBREAKS), crm's filters and
# assignments use both (stage=won, tag:seo): the words are joined back
# before crm sees them, and the text before the break taken off the
# answers, since bash replaces only what follows the break.
_crm() {
	local i word joined=() cur prefix
	for ((i = 1; i <= COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if ((${#joined[@]} > 0)) && [[ $word == [=:] || ${COMP_WORDS[i-1]} == [=:] ]] &&
			((i > 1)); then
			joined[${#joined[@]}-1]+=$word
		else
			joined+=("$word")
		fi
	done
	((${#joined[@]} > 0)) || joined=("")
	cur=${joined[${#joined[@]}-1]}
	word=${COMP_WORDS[COMP_CWORD]}
	[[ $word == [=:] ]] && word=
	prefix=${cur%"$word"}
	local IFS=$'\n' candidates
	candidates=($(crm __complete "${joined[@]}" 2>/dev/null))
	if ((${#candidates[@]} == 0)); then
		# a file name, a folder, a date: what the shell completes itself
		compopt -o default 2>/dev/null
		COMPREPLY=()
		return 0
	fi
	COMPREPLY=("${candidates[@]#"$prefix"}")
	# "client/" and "stage=" are not finished words: no space after them
	if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == */ || ${COMPREPLY[0]} == *= ]]; then
		compopt -o nospace 2>/dev/null
	fi
	return 0
}
complete -F _crm crm
