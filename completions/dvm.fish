# fish completion for dvm. Install: see docs/completions.md.
#
# VM and project names come straight from the config directory (no dvm or
# limactl call, no config evaluated); recipe and template names come from
# `dvm recipes` and `dvm new --list-templates`, which are cheap and
# evaluate no config.

# dvm's config dir, as src/paths.c finds it.
function __dvm_config_dir
    if test -n "$DVM_CONFIG_DIR"
        printf '%s\n' $DVM_CONFIG_DIR
    else if string match -q -- '/*' "$XDG_CONFIG_HOME"
        printf '%s\n' $XDG_CONFIG_HOME/dvm
    else
        printf '%s\n' $HOME/.config/dvm
    end
end

# A name dvm accepts: a lowercase letter, then a-z, 0-9 or '-'.
function __dvm_valid
    string match -qr -- '^[a-z][a-z0-9-]*$' $argv[1]
end

# The VMs: vms/<vm>/config.sh.
function __dvm_vms
    set -l dir (__dvm_config_dir)
    for f in $dir/vms/*/config.sh
        set -l n (string split / -- $f)[-2]
        __dvm_valid $n; and printf '%s\n' $n
    end
end

# The projects, as <vm>/<project>: vms/<vm>/projects/<project>/project.sh
# of a VM that has a config.
function __dvm_projects
    set -l dir (__dvm_config_dir)
    for f in $dir/vms/*/projects/*/project.sh
        set -l parts (string split / -- $f)
        set -l v $parts[-4]
        set -l p $parts[-2]
        __dvm_valid $v; and __dvm_valid $p; and test -f $dir/vms/$v/config.sh
        and printf '%s/%s\n' $v $p
    end
end

# <vm> and <vm>/<project> operands, with an optional suffix (cp's ':').
function __dvm_targets
    set -l suffix $argv[1]
    for v in (__dvm_vms)
        printf '%s%s\tVM\n' $v "$suffix"
    end
    for p in (__dvm_projects)
        printf '%s%s\tproject\n' $p "$suffix"
    end
end

# new's templates: what `dvm new --list-templates` prints.
function __dvm_templates
    set -l dvm (commandline -opc)[1]
    type -q -- $dvm; or set dvm dvm
    for name in (command $dvm new --list-templates 2>/dev/null)
        __dvm_valid $name; and printf '%s\n' $name
    end
end

# Recipe names (first column of `dvm recipes`) with their descriptions.
function __dvm_recipes
    set -l dvm (commandline -opc)[1]
    type -q -- $dvm; or set dvm dvm
    for line in (command $dvm recipes 2>/dev/null)
        set -l f (string split -m1 ' ' -- $line)
        __dvm_valid $f[1]; or continue
        printf '%s\t%s\n' $f[1] (string trim -- "$f[2]")
    end
end

# Read the words before the cursor: the command in __dvm_cmd, its operands
# in __dvm_ops, the flags given in __dvm_seen; __dvm_dd is 1 once the
# words are no longer dvm's options (after "--", and after the first
# operand of logs and ssh: journalctl's or the guest command's words);
# __dvm_value is the flag whose value the word is (--template, --jobs).
function __dvm_parse
    set -g __dvm_cmd ''
    set -g __dvm_ops
    set -g __dvm_seen
    set -g __dvm_dd 0
    set -g __dvm_value ''
    set -l toks (commandline -opc)
    set -e toks[1]
    for t in $toks
        if test -n "$__dvm_value"
            set -g __dvm_value ''
        else if test -z "$__dvm_cmd"
            # "dvm --help ..." and "dvm --version ...": nothing follows.
            set -g __dvm_cmd $t
        else if test $__dvm_dd = 1
            set -a __dvm_ops $t
        else if test "$t" = --
            set -g __dvm_dd 1
        else if string match -q -- '-?*' $t
            set -a __dvm_seen (string replace -r -- '=.*' '' $t)
            if contains -- "$__dvm_cmd:$t" new:--template new:-t init:--template init:-t sync:--jobs sync:-j cp:--max-size
                set -g __dvm_value $t
            end
        else
            set -a __dvm_ops $t
            contains -- $__dvm_cmd logs ssh; and set -g __dvm_dd 1
        end
    end
end

function __dvm_no_cmd
    __dvm_parse
    test -z "$__dvm_cmd"
end

function __dvm_all_seen
    contains -- --all $__dvm_seen; or contains -- -a $__dvm_seen
end

# __dvm_operand N CMD...: the word is operand N (from 0) of one of CMD.
function __dvm_operand
    __dvm_parse
    contains -- $__dvm_cmd $argv[2..-1]; or return 1
    test -z "$__dvm_value"; and test (count $__dvm_ops) -eq $argv[1]; or return 1
    contains -- $__dvm_cmd stop sync; and __dvm_all_seen; and return 1
    return 0
end

# __dvm_cp_local: a cp operand that is not (yet) a path in a VM.
function __dvm_cp_local
    __dvm_parse
    test "$__dvm_cmd" = cp; and test (count $__dvm_ops) -lt 2; and test -z "$__dvm_value"
    and not string match -q -- '*:*' (commandline -ct)
end

# __dvm_allows FLAG: FLAG (its long name) is one of the command's flags
# here, and not given yet.
function __dvm_allows
    set -l flag $argv[1]
    __dvm_parse
    test -z "$__dvm_value"; or return 1
    set -l n (count $__dvm_ops)
    set -l op "$__dvm_ops[1]"
    set -l flags
    switch $__dvm_cmd
        case add
            set flags --dry-run
        case base
            switch $op
                case build
                    set flags --clean --no-cache --dry-run
                case rm
                    set flags --builder --image --dry-run
                case '*'
                    set flags --dry-run
            end
        case cp
            set flags --dry-run --with-vcs --max-size
        case recipes sh ssh
        case logs
            # -f is dvm's before the operand and right after <vm>/<project>.
            if test $n -eq 0; or begin
                    test $n -eq 1; and string match -q -- '*/*' $op
                end
                set flags --follow
            end
        case ls
            set flags --json --only-config
        case key ssh-key
            set flags --json
        case new init
            # --list-templates goes alone.
            if contains -- --list-templates $__dvm_seen
                set flags
            else if test $n -eq 0; and test (count $__dvm_seen) -eq 0
                set flags --template --dry-run --list-templates
            else
                set flags --template --dry-run
            end
        case reset
            set flags --yes --force --keep-data --dry-run
            if test $n -gt 0
                if string match -q -- '*/*' $op
                    set flags --yes --force --keep-data --dry-run
                else
                    set flags --yes --force --dry-run
                end
            end
        case rm
            set flags --yes --force --config --keep-data --dry-run
            if test $n -gt 0
                if string match -q -- '*/*' $op
                    set flags --yes --force --config --keep-data --dry-run
                else
                    set flags --yes --force --config --dry-run
                end
            end
        case stop sync
            if __dvm_all_seen
                set flags --jobs --dry-run
            else if test $n -eq 0
                set flags --all --jobs --dry-run
            else
                set flags --dry-run
            end
            test $__dvm_cmd = stop; and set flags (string replace -- --jobs --only-config $flags)
        case '*'
            return 1
    end
    if test $flag = --help
        # help and version take no flags; after logs' operand --help is
        # journalctl's (or an error).
        contains -- $__dvm_cmd help version; and return 1
        test $__dvm_dd = 0
        return
    end
    contains -- $flag $flags; or return 1
    test $__dvm_dd = 0; or test $__dvm_cmd = logs; or return 1
    set -l short
    switch $flag
        case --all
            set short -a
        case --dry-run
            set short -n
        case --yes
            set short -y
        case --force --follow
            set short -f
        case --jobs
            set short -j
        case --template
            set short -t
    end
    contains -- $flag $__dvm_seen; and return 1
    test -n "$short"; and contains -- $short $__dvm_seen; and return 1
    return 0
end

complete -c dvm -f

# The commands, and dvm's own --help and --version.
complete -c dvm -n __dvm_no_cmd -s h -l help -d 'show the commands'
complete -c dvm -n __dvm_no_cmd -s V -l version -d 'print the version'
complete -c dvm -n __dvm_no_cmd -a add -d 'write a starter project.sh and setup.sh for a project'
complete -c dvm -n __dvm_no_cmd -a base -d 'the base image and the dev-base of projects'
complete -c dvm -n __dvm_no_cmd -a cp -d 'copy files between the host and a VM or container'
complete -c dvm -n __dvm_no_cmd -a doctor -d 'check limactl, bash, the config and the instances'
complete -c dvm -n __dvm_no_cmd -a help -d 'show the commands, or one command\'s help'
complete -c dvm -n __dvm_no_cmd -a logs -d 'a project container\'s logs, or a VM service\'s journal'
complete -c dvm -n __dvm_no_cmd -a ls -d 'list VMs, or one VM\'s projects'
complete -c dvm -n __dvm_no_cmd -a new -d 'write a starter config.sh and setup.sh for a VM'
complete -c dvm -n __dvm_no_cmd -a init -d 'alias of new'
complete -c dvm -n __dvm_no_cmd -a recipes -d 'list the recipes a config can use'
complete -c dvm -n __dvm_no_cmd -a reset -d 'delete a VM\'s instance and build it again'
complete -c dvm -n __dvm_no_cmd -a rm -d 'delete a VM\'s instance (and with --config its config)'
complete -c dvm -n __dvm_no_cmd -a key -d "print an SSH key for getting code in"
complete -c dvm -n __dvm_no_cmd -a ssh-key -d 'alias of key'
complete -c dvm -n __dvm_no_cmd -a sh -d 'open a login shell in the VM or container'
complete -c dvm -n __dvm_no_cmd -a ssh -d 'run one command in the VM or container'
complete -c dvm -n __dvm_no_cmd -a stop -d 'stop a VM, or every dvm VM'
complete -c dvm -n __dvm_no_cmd -a sync -d 'create or start the VM and run setup.sh'
complete -c dvm -n __dvm_no_cmd -a version -d 'print the version'

# Operands.
complete -c dvm -n '__dvm_operand 0 help' -a 'add base cp doctor help init key logs ls new recipes reset rm sh ssh ssh-key stop sync version'
complete -c dvm -n '__dvm_operand 0 key logs reset rm sh ssh ssh-key stop sync' -a '(__dvm_targets)'
complete -c dvm -n '__dvm_operand 0 ls' -a '(__dvm_vms)' -d VM
complete -c dvm -n '__dvm_operand 0 add; and not string match -q -- "*/*" (commandline -ct)' \
    -a '(__dvm_vms | string replace -r -- \'$\' /)' -d 'VM/new project'
complete -c dvm -n '__dvm_operand 0 recipes' -a '(__dvm_recipes)'
complete -c dvm -n '__dvm_operand 0 base' -a init -d 'write base/Containerfile'
complete -c dvm -n '__dvm_operand 0 base' -a dev-init -d 'write base/dev/Containerfile'
complete -c dvm -n '__dvm_operand 0 base' -a build -d 'bake the VM image in a builder VM'
complete -c dvm -n '__dvm_operand 0 base' -a status -d 'show the base image and builder'
complete -c dvm -n '__dvm_operand 0 base' -a rm -d 'delete the base image or builder'
complete -c dvm -n __dvm_cp_local -F -a '(__dvm_targets :)'

# Flags.
complete -c dvm -n '__dvm_allows --help' -s h -l help -d 'show this command\'s help'
complete -c dvm -n '__dvm_allows --dry-run' -s n -l dry-run -d 'print what would run, change nothing'
complete -c dvm -n '__dvm_allows --all' -s a -l all -d 'every VM'
complete -c dvm -n '__dvm_allows --jobs' -s j -l jobs -x -d 'VMs at once with --all (1-64, default 4)'
complete -c dvm -n '__dvm_allows --yes' -s y -l yes -d 'confirm the deletion'
complete -c dvm -n '__dvm_allows --force' -s f -l force -d 'skip the unsaved-work check'
complete -c dvm -n '__dvm_allows --keep-data' -l keep-data -d 'keep the project\'s workspace volume'
complete -c dvm -n '__dvm_allows --config' -l config -d 'delete the config too'
complete -c dvm -n '__dvm_allows --json' -l json -d 'print JSON'
complete -c dvm -n '__dvm_allows --only-config' -l only-config -d 'only VMs that have a config'
complete -c dvm -n '__dvm_allows --follow' -s f -l follow -d 'follow the logs'
complete -c dvm -n '__dvm_allows --clean' -l clean -d 'recreate the builder VM first'
complete -c dvm -n '__dvm_allows --no-cache' -l no-cache -d 'podman build without its layer cache'
complete -c dvm -n '__dvm_allows --builder' -l builder -d 'delete the builder VM'
complete -c dvm -n '__dvm_allows --image' -l image -d 'delete the base image'
complete -c dvm -n '__dvm_allows --with-vcs' -l with-vcs -d 'copy .git, .hg and .svn out too'
complete -c dvm -n '__dvm_allows --max-size' -l max-size -x -d 'stop a download past this size (500M, 2G)'
complete -c dvm -n '__dvm_allows --template' -s t -l template -x -d 'start from a template' -a '(__dvm_templates)'
complete -c dvm -n '__dvm_allows --list-templates' -l list-templates -d 'print the templates there are'

# Flag values given as the next word ("--template app"; --jobs takes a
# number: nothing to offer).
complete -c dvm -n '__dvm_parse; contains -- "$__dvm_value" --template -t' -a '(__dvm_templates)'
