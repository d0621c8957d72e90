# fish completion for crm: every list comes from `crm __complete WORDS...`,
# which reads the command tables and the repository (types, record ids,
# stages, users, tags, fields).  Installed by `make install` into
# $PREFIX/share/fish/vendor_completions.d.

function __crm_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    # "$cur" is one word even when empty: the word being completed
    set -l candidates (crm __complete $words[2..-1] "$cur" 2>/dev/null)
    if test (count $candidates) -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\n' $candidates
end

complete -c crm -f -a '(__crm_complete)'
