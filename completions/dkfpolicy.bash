# bash completion for dkfpolicy(1), written by `dkfpolicy completion bash`
# from the same tables as `dkfpolicy --help` (a test keeps this file equal
# to that output). Installed by `make install` to
# share/bash-completion/completions/dkfpolicy, where bash-completion loads
# it on first use; or source this file from ~/.bashrc.

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

	local commands='render lint check schema namespaces preview rules explain completion'

	# the command is the first word after the program name
	local command= i
	for ((i = 1; i < cword; i++)); do
		case " $commands " in
		*" ${words[i]} "*)
			command=${words[i]}
			break
			;;
		esac
	done

	case $prev in
	-f | --values)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	-o | --output)
		if [[ $command == preview ]]; then
			mapfile -t COMPREPLY < <(compgen -W 'text yaml' -- "$cur")
			return
		fi
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--check)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
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
	--from)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--namespace)
		return
		;;
	--config)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--color)
		mapfile -t COMPREPLY < <(compgen -W 'auto always never' -- "$cur")
		return
		;;
	--max-bytes)
		return
		;;
	--max-depth)
		return
		;;
	--max-alias-nodes)
		return
		;;
	--max-nodes)
		return
		;;
	--repo-root)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	--application)
		return
		;;
	--stack)
		return
		;;
	esac

	if [[ -z $command ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
		return
	fi
	local opts= operands=
	case $command in
	render)
		opts=' --values -f --output -o --check --format --deploykf-version --source-path --strict --config --color --max-bytes --max-depth --max-alias-nodes --max-nodes --repo-root --application --plugin-env --stack --help -h'
		operands=files
		;;
	lint)
		opts=' --values -f --format --deploykf-version --source-path --strict --config --color --max-bytes --max-depth --max-alias-nodes --max-nodes --repo-root --application --plugin-env --stack --help -h'
		operands=files
		;;
	check)
		opts=' --format --deploykf-version --strict --config --color --max-bytes --max-depth --max-alias-nodes --max-nodes --repo-root --stack --help -h'
		;;
	schema)
		opts=' --help -h'
		;;
	namespaces)
		opts=' --values -f --format --deploykf-version --source-path --strict --from --config --color --max-bytes --max-depth --max-alias-nodes --max-nodes --repo-root --application --stack --help -h'
		operands=files
		;;
	preview)
		opts=' --values -f --output -o --deploykf-version --source-path --strict --namespace --config --color --max-bytes --max-depth --max-alias-nodes --max-nodes --repo-root --application --stack --help -h'
		operands=files
		;;
	rules)
		opts=' --markdown --help -h'
		;;
	explain)
		opts=' --help -h'
		operands='DKF101 yaml-syntax DKF102 multiple-documents DKF103 top-level-not-map DKF104 non-scalar-key DKF105 duplicate-key DKF106 unknown-anchor DKF107 bad-merge-key DKF108 bad-tagged-value DKF109 nesting-too-deep DKF110 alias-expansion-too-large DKF111 input-too-large DKF112 invalid-encoding DKF113 too-many-nodes DKF114 file-sets-nothing DKF120 bad-config DKF121 unused-suppression DKF122 bad-suppression DKF123 bad-stack DKF124 file-in-no-stack DKF130 bad-namespace-list DKF131 bad-manifest DKF140 not-plugin-values DKF141 plugin-source-version DKF142 plugin-parameter-ignored DKF143 plugin-values-files-order DKF144 plugin-duplicate-parameter DKF145 plugin-values-file-missing DKF146 plugin-sample-values DKF147 plugin-unknown-version DKF148 plugin-version-overridden DKF201 missing-existing-secret DKF202 wrong-type DKF203 credentials-not-list DKF204 credential-not-map DKF205 excludes-not-list DKF206 unknown-key DKF207 typed-scalar-name DKF208 invalid-secret-name DKF209 invalid-namespace-name DKF210 invalid-exclude-pattern DKF211 yaml11-ambiguous-name DKF212 enabled-wrong-type DKF213 misspelled-path-key DKF214 misplaced-path-key DKF215 exclude-matches-everything DKF216 exclude-swallows-namespace DKF217 single-char-wildcard DKF301 dropped-default-exclude DKF302 enabled-without-credentials DKF303 credentials-but-disabled DKF304 enabled-reads-false DKF305 kyverno-namespace-excluded DKF306 duplicate-exclude DKF307 duplicate-credential DKF308 argocd-namespace-not-excluded DKF309 kyverno-disabled DKF330 source-namespace-missing DKF401 nothing-rendered DKF410 policy-too-large-to-apply DKF411 policy-too-large DKF412 stale-policy'
		;;
	completion)
		opts=' --help -h'
		operands=bash
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	if [[ $operands == files ]]; then
		# YAML files and folders to descend into
		mapfile -t COMPREPLY < <(
			compgen -f -X '!*.yaml' -- "$cur"
			compgen -f -X '!*.yml' -- "$cur"
			compgen -f -X '!*.json' -- "$cur"
			compgen -d -- "$cur"
		)
	elif [[ -n $operands ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$operands" -- "$cur")
	fi
}
complete -F _dkfpolicy dkfpolicy
