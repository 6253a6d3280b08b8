# bash completion for dkfpolicy(1)
# Installed by `make install` to share/bash-completion/completions/dkfpolicy, where
# bash-completion loads it on first use; or source this file from ~/.bashrc.

_dkfpolicy()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands='render lint schema'
	local common='--values --format --deploykf-version --source-path --strict
		--max-bytes --max-depth --max-alias-nodes --help'

	# the command is the first word after the program name
	local command= i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		render | lint | schema)
			command=${words[i]}
			break
			;;
		esac
	done

	case $prev in
	--format)
		mapfile -t COMPREPLY < <(compgen -W 'text json sarif github' -- "$cur")
		return
		;;
	--deploykf-version)
		mapfile -t COMPREPLY < <(compgen -W 'v0.1.3 v0.1.4 v0.1.5' -- "$cur")
		return
		;;
	--source-path)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	-f | --values | -o | --output | --check)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--max-bytes | --max-depth | --max-alias-nodes)
		return
		;;
	esac

	if [[ -z $command ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
		return
	fi
	if [[ $cur == -* ]]; then
		local opts=$common
		[[ $command == render ]] && opts="$opts --output --check"
		[[ $command == schema ]] && opts='--help'
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	[[ $command == schema ]] && return
	# values files: YAML files and folders to descend into
	mapfile -t COMPREPLY < <(
		compgen -f -X '!*.yaml' -- "$cur"
		compgen -f -X '!*.yml' -- "$cur"
		compgen -d -- "$cur"
	)
}
complete -F _dkfpolicy dkfpolicy
