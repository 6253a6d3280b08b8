#!/bin/sh
# dkfpolicy-cmp - run dkfpolicy the way an Argo CD Config Management Plugin is run.
#
# usage: dkfpolicy-cmp init|generate
#
# Installed on the PATH of the CMP sidecar as `dkfpolicy-cmp`, next to `dkfpolicy`;
# plugin.yaml names it. The CMP server runs it in the Application's source folder
# (cmpserver/plugin/plugin.go: cmd.Dir = the app path, cmd.Env = the sidecar's
# environment plus the build environment and the parameters).
#
#   init       dkfpolicy lint over the stack: exit 1 on errors (and on warnings when
#              strict), which fails the sync before anything is generated
#   generate   dkfpolicy render: the ClusterPolicy on stdout, nothing when the policy
#              renders nothing; exit 1 (and nothing on stdout) on errors
#
# Parameters (spec.source.plugin.parameters of the Application). Argo CD passes each
# one as PARAM_<NAME> (name upper-cased, every character outside [A-Z0-9_] made `_`)
# and each item of an array as PARAM_<NAME>_<INDEX>; all of them also as one JSON
# array in ARGOCD_APP_PARAMETERS (pkg/apis/application/v1alpha1/types.go,
# ApplicationSourcePluginParameters.Environ; docs/operator-manual/
# config-management-plugins.md, "Using environment variables in your plugin").
# Only the PARAM_* variables are read here, so no JSON parser is needed.
#
#   values-files      array   PARAM_VALUES_FILES_0, _1, ...   default: values.yaml
#                     paths relative to the Application's path, in stacking order
#   stack             string  PARAM_STACK                     instead of values-files
#                     a stack that the repository's .dkfpolicy.yaml declares (at the
#                     repository's top), so the stack is written down once
#   deploykf-version  string  PARAM_DEPLOYKF_VERSION          default: dkfpolicy's
#   strict            string  PARAM_STRICT (true or false)    default: false
#
# Announced defaults are not sent to the plugin (only parameters the Application
# sets are), so the defaults above must match those announced in plugin.yaml.
#
# Everything this script and dkfpolicy say goes to stderr, one line per finding, no
# colour: on a failure Argo CD shows that text in the UI. stdout carries only the
# policy.
#
# Exit status: 0 fine, 1 findings (the sync stops), 2 a bad parameter or a file that
# cannot be read.

set -u

prog="dkfpolicy-cmp"
dkfpolicy=dkfpolicy

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

# A parameter error: the Application's spec is wrong, not the values.
bad_parameter() {
	say "$*"
	exit 2
}

# shell_quote WORD: WORD as a shell word, for the "reproduce with" line.
shell_quote() {
	case $1 in
	'' | *[!A-Za-z0-9_./=:@%+-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
		;;
	*) printf '%s' "$1" ;;
	esac
}

# check_inside INDEX PATH: refuse a values file outside the repository. Argo CD
# unpacks the repository into a work folder and runs us at ARGOCD_APP_SOURCE_PATH
# inside it; `..` may reach files shared between Applications, but not above the
# repository's root (a lexical check, like Helm's values files in Argo CD).
check_inside() {
	_depth=0
	_saved_ifs=$IFS
	IFS=/
	set -f
	# shellcheck disable=SC2086 # split on / on purpose
	for _c in ${ARGOCD_APP_SOURCE_PATH:-.}; do
		case $_c in
		'' | .) ;;
		*) _depth=$((_depth + 1)) ;;
		esac
	done
	# shellcheck disable=SC2086
	for _c in $2; do
		case $_c in
		'' | .) ;;
		..)
			_depth=$((_depth - 1))
			if [ "$_depth" -lt 0 ]; then
				set +f
				IFS=$_saved_ifs
				bad_parameter "values-files[$1] '$2' is outside the repository; name a file in it"
			fi
			;;
		*) _depth=$((_depth + 1)) ;;
		esac
	done
	set +f
	IFS=$_saved_ifs
}

mode=${1-}
case $mode in
init | generate) ;;
*)
	echo "usage: $prog init|generate (run by the Argo CD CMP server; see plugin.yaml)" >&2
	exit 2
	;;
esac

# --- strict ---------------------------------------------------------------------------
strict=
case ${PARAM_STRICT-false} in
true | True | TRUE) strict=--strict ;;
false | False | FALSE | '') ;;
*) bad_parameter "parameter 'strict' is '${PARAM_STRICT-}'; set it to true or false" ;;
esac

# repo_top: the repository's top seen from the Application's path ("../.." for
# apps/deploykf, "." for the top itself). The CMP server runs us at
# ARGOCD_APP_SOURCE_PATH inside the unpacked repository.
repo_top() {
	_up=
	_saved_ifs=$IFS
	IFS=/
	set -f
	# shellcheck disable=SC2086 # split on / on purpose
	for _c in ${ARGOCD_APP_SOURCE_PATH:-.}; do
		case $_c in
		'' | .) ;;
		..) bad_parameter "the Application's path '$ARGOCD_APP_SOURCE_PATH' climbs with '..'; the stack parameter needs a path inside the repository" ;;
		*) _up=${_up:+$_up/}.. ;;
		esac
	done
	set +f
	IFS=$_saved_ifs
	printf '%s' "${_up:-.}"
}

# --- stack ------------------------------------------------------------------------------
# A stack declared in the repository's .dkfpolicy.yaml, named instead of listing
# files: the same declaration pre-commit and CI use. The file is named with
# --config: the unpacked repository has no .git to stop the search at, and its
# files may belong to another user than the sidecar's.
stack=${PARAM_STACK-}
if [ -n "$stack" ]; then
	case $stack in
	*[!A-Za-z0-9._-]*) bad_parameter "parameter 'stack' is '$stack'; name a stack of .dkfpolicy.yaml (letters, digits, '-', '_' and '.')" ;;
	esac
	if env | grep -q '^PARAM_VALUES_FILES_'; then
		bad_parameter "set either 'stack' or 'values-files', not both: the stack names its files"
	fi
	top=$(repo_top) || exit 2
	config=.dkfpolicy.yaml
	[ "$top" = . ] || config=$top/.dkfpolicy.yaml
	[ -f "$config" ] ||
		bad_parameter "parameter 'stack' is '$stack', but the repository has no .dkfpolicy.yaml at its top to declare it"
fi

# --- values-files -----------------------------------------------------------------------
# Argo CD leaves out variables with an empty value (cmpserver/plugin/plugin.go,
# environ), so an empty item leaves a gap: find the highest index and refuse gaps
# instead of silently stacking fewer files.
last=-1
for i in $(env | sed -n 's/^PARAM_VALUES_FILES_\([0-9][0-9]*\)=.*/\1/p'); do
	case $i in
	0 | [1-9] | [1-9][0-9] | [1-9][0-9][0-9]) ;;
	*) bad_parameter "values-files has an item at index '$i'; at most 1000 files, numbered from 0" ;;
	esac
	[ "$i" -le "$last" ] || last=$i
done

set --
if [ -n "$stack" ]; then
	set -- --config "$config" --stack "$stack"
elif [ "$last" -lt 0 ]; then
	# not set, or set to an empty list: the announced default
	set -- -f values.yaml
else
	i=0
	while [ "$i" -le "$last" ]; do
		# $i is a number (checked above), so eval only ever sees a variable name
		eval "file=\${PARAM_VALUES_FILES_$i-}"
		# shellcheck disable=SC2154 # set by eval
		case $file in
		'') bad_parameter "values-files[$i] is empty; name a values file" ;;
		-) bad_parameter "values-files[$i] is '-'; name a values file in the repository" ;;
		/*) bad_parameter "values-files[$i] '$file' is an absolute path; name it relative to the Application's path" ;;
		esac
		check_inside "$i" "$file"
		set -- "$@" -f "$file"
		i=$((i + 1))
	done
fi

# --- deploykf-version -----------------------------------------------------------------
if [ -n "${PARAM_DEPLOYKF_VERSION-}" ]; then
	set -- --deploykf-version "$PARAM_DEPLOYKF_VERSION" "$@"
fi
[ -z "$strict" ] || set -- "$strict" "$@"

if [ "$mode" = init ]; then
	set -- lint "$@"
else
	set -- render "$@"
fi

# dkfpolicy colours only a terminal; NO_COLOR makes sure of it.
NO_COLOR=1
export NO_COLOR
"$dkfpolicy" "$@"
status=$?
[ "$status" -eq 0 ] && exit 0

app=${ARGOCD_APP_NAME:-this application}
line=$dkfpolicy
for arg in "$@"; do
	line="$line $(shell_quote "$arg")"
done
case $status in
1)
	if [ -n "$strict" ]; then
		say "the deployKF values of '$app' have errors, or warnings with strict=true; the policy is not synced"
	else
		say "the deployKF values of '$app' have errors; the policy is not synced"
	fi
	;;
*)
	say "dkfpolicy could not check the deployKF values of '$app' (exit status $status)"
	;;
esac
say "reproduce in the Application's folder with: $line"
exit "$status"
