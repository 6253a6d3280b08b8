# readme.sh - every shell block, terminal session, pre-commit config and CI workflow
# that README.md shows, read from README.md now and run as written, each in a fresh
# fixture. How blocks are classified and run, the fixtures and the markers that
# change the defaults: tests/snippets.sh. Blocks for a bare Debian (fixture=bookworm)
# or the source tarball (fixture=tarball) are run by the packaging tests
# (tests/packages/*.sh, make check-packages); here they are skips, and must be named
# and claimed by one of those tests (its name, as a word, in one of those scripts).
#
# DKF_SLOW_TESTS=1 also runs the blocks marked `slow` (.ci/run sets it).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=SCRIPTDIR/../snippets.sh
. "$TESTS_DIR/../snippets.sh"

if [ -n "${DKF_IN_SNIPPET-}" ]; then
	skip "README.md snippets" "already inside a README snippet (no recursion)"
	finish
fi

t "README.md code blocks"
if ! snippet_index >"$T/index" 2>"$T/index.err"; then
	not_ok "can be read: $(cat "$T/index.err")"
	finish
fi
ok "$(wc -l <"$T/index" | tr -d ' ') fenced blocks"

snippet_sandbox "$T/sandbox"
HAVE_GIT=
if command -v git >/dev/null 2>&1; then
	HAVE_GIT=1
	snippet_mirror "$T/mirror"
fi
mkdir "$T/bin"
ln -s "$BIN" "$T/bin/dkfpolicy"
PATH_WITH_BIN=$T/bin:$PATH
PATH_WITHOUT_BIN=$(snippet_path_without_dkfpolicy)
IMAGE=${DKF_IMAGE:-localhost/dkfpolicy:$SNIPPET_VERSION}

# image_ok: a docker CLI (podman's does) that has the dkfpolicy image
image_ok() {
	command -v docker >/dev/null 2>&1 && docker image inspect "$IMAGE" >/dev/null 2>&1
}

# hook_language ID: the language of hook ID in .pre-commit-hooks.yaml
hook_language() {
	awk -v id="$1" '
		/^- id: / { cur = $3 }
		cur == id && /^  language: / { print $2; exit }
	' "$SNIPPET_ROOT/.pre-commit-hooks.yaml"
}

# fixture NAME DIR: make the fixture NAME in DIR; fails for one this script cannot make
fixture() {
	case $1 in
	values) snippet_values "$2" "$BIN" ;;
	checkout) snippet_copy "$2" ;;
	repo) snippet_copy "$2" && HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git -c init.defaultBranch=main init -q "$2" ;;
	empty) mkdir -p "$2" ;;
	*) return 1 ;;
	esac
}

# installed_runs: a dkfpolicy the block installed under DESTDIR prints the version
installed_runs() {
	for _b in "$SNIPPET_DESTDIR"/usr/local/bin/dkfpolicy "$SNIPPET_DESTDIR"/usr/bin/dkfpolicy; do
		[ -x "$_b" ] || continue
		run "$_b" --version
		expect_stdout_contains "dkfpolicy $SNIPPET_VERSION "
	done
}

# --- shell -------------------------------------------------------------------------------
run_shell() {
	snippet_body "$start" "$end" "$indent" >"$T/block.sh"
	_sh="sh -e"
	[ "$lang" != bash ] || _sh="bash -e"
	# shellcheck disable=SC2086 # $_sh is a command and an option
	run snippet_env "$dir" "$PATH_WITH_BIN" $_sh "$T/block.sh"
	if [ "$_run_code" = "$want_exit" ]; then
		ok "runs, exit $want_exit"
	else
		not_ok "runs, exit $want_exit (got $_run_code)"
		sed 's/^/#   | /' "$T/block.sh"
		_diag
	fi
	installed_runs
}

# --- console -----------------------------------------------------------------------------
run_console() {
	snippet_body "$start" "$end" "$indent" >"$T/block.txt"
	rm -rf "$T/console"
	mkdir "$T/console"
	_ncmd=$(snippet_console_split "$T/block.txt" "$T/console")
	if [ "$_ncmd" = 0 ]; then
		not_ok "a console block without a \$ command"
		return 0
	fi
	_i=0
	while [ "$_i" -lt "$_ncmd" ]; do
		_i=$((_i + 1))
		_cmd=$(cat "$T/console/$_i.cmd")
		# for the TAP line: one line, and backslashes that echo leaves alone
		_lcmd=$(printf '%s' "$_cmd" | tr '\n' ' ' | sed 's/\\/\\\\/g')
		# the programs it runs: the first word, and the first after each | && || ;
		# (a first word NAME=value sets a variable: it is no program)
		_missing=
		for _prog in $(printf '%s\n' "$_cmd" | tr '|&;' '\n\n\n' |
			sed -n 's/^[[:space:]]*\([A-Za-z0-9_./-][A-Za-z0-9_./=-]*\).*/\1/p'); do
			case $_prog in
			*=*) ;;
			*) PATH=$PATH_WITH_BIN command -v "$_prog" >/dev/null 2>&1 || _missing="$_missing $_prog" ;;
			esac
		done
		if [ -n "$_missing" ]; then
			skip "\$ $_lcmd" "needs${_missing}"
			continue
		fi
		# shellcheck disable=SC2016 # for the inner sh
		run snippet_env "$dir" "$PATH_WITH_BIN" sh -c 'exec 2>&1; eval "$1"' sh "$_cmd"
		if [ "$_run_code" = "$want_exit" ]; then
			ok "\$ $_lcmd: exit $want_exit"
		else
			not_ok "\$ $_lcmd: exit $want_exit (got $_run_code)"
			_diag
		fi
		if [ -s "$T/console/$_i.out" ]; then
			if snippet_console_match "$T/console/$_i.out" "$_out" >"$T/mismatch"; then
				ok "\$ $_lcmd: prints what README.md shows"
			else
				not_ok "\$ $_lcmd: prints what README.md shows"
				cat "$T/mismatch"
				head -n 30 "$_out" | sed 's/^/#   printed: /'
			fi
		fi
	done
}

# --- pre-commit --------------------------------------------------------------------------
run_precommit() {
	if [ -z "$HAVE_GIT" ] || ! command -v pre-commit >/dev/null 2>&1; then
		skip "pre-commit run" "needs git and pre-commit"
		return 0
	fi
	snippet_body "$start" "$end" "$indent" >"$dir/.pre-commit-config.yaml"
	(cd "$dir" && HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git add .pre-commit-config.yaml &&
		HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git commit -q -m pre-commit)
	_ids=$(sed -n 's/^[[:space:]]*- id: *\([A-Za-z0-9_-]*\).*/\1/p' "$dir/.pre-commit-config.yaml")
	_docker=0
	_system=0
	_render_check=0
	for _id in $_ids; do
		case $(hook_language "$_id") in
		docker_image) _docker=1 ;;
		system) _system=1 ;;
		'') not_ok "hook '$_id' is not in .pre-commit-hooks.yaml"; return 0 ;;
		esac
		case $_id in *render-check* | dkfpolicy-check*) _render_check=1 ;; esac
	done
	if [ "$_docker" = 1 ] && ! image_ok; then
		skip "pre-commit run" "needs docker (or podman as docker) with the image $IMAGE: make image; make check-images runs it"
		return 0
	fi
	# with only container hooks, no dkfpolicy is installed
	_hpath=$PATH_WITH_BIN
	[ "$_system" = 1 ] || _hpath=$PATH_WITHOUT_BIN
	run snippet_env "$dir" "$_hpath" pre-commit run --all-files
	if [ "$_run_code" = 0 ]; then ok "passes on the values repository"; else not_ok "passes on the values repository"; _diag; fi

	snippet_break "$dir" error
	run snippet_env "$dir" "$_hpath" pre-commit run --all-files
	if [ "$_run_code" = 1 ]; then ok "fails on a values file with an error"; else not_ok "fails on a values file with an error"; _diag; fi
	expect_stdout_contains 'values/prod.yaml:8:13: error: '

	if [ "$_render_check" = 1 ]; then
		snippet_break "$dir" stale
		run snippet_env "$dir" "$_hpath" pre-commit run --all-files
		if [ "$_run_code" = 1 ]; then ok "fails on a stale manifest"; else not_ok "fails on a stale manifest"; _diag; fi
		expect_stdout_contains '+          name: "newcred"'
	fi
}

# --- GitHub Actions ------------------------------------------------------------------------
# job VARIANT: run the block's steps on a fresh values fixture (VARIANT: clean, error,
# stale); sets job_dir, job_out
job() {
	job_dir=$T/job-$start-$1
	job_out=$T/job-$start-$1.out
	snippet_values "$job_dir" "$BIN"
	[ "$1" = clean ] || snippet_break "$job_dir" "$1"
	_hpath=$PATH_WITH_BIN
	[ "$kind" != workflow ] || _hpath=$PATH_WITHOUT_BIN
	if HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 PRE_COMMIT_HOME=$SNIPPET_HOME/.cache/pre-commit \
		snippet_workflow_run "$T/plan" "$job_dir" "$SNIPPET_SHIMS:$_hpath" "$job_out" 2>"$T/job.err"; then
		ok "$1: every step can be run"
	else
		not_ok "$1: every step can be run: $(cat "$T/job.err")"
	fi
}

# job_result WANT WHAT: the job ended WANT (success or failure)
job_result() {
	if [ "$(cat "$job_out/status")" = "$1" ]; then
		ok "$2"
	else
		not_ok "$2"
		tail -n 30 "$job_out/log" | sed 's/^/#   /'
	fi
}

# same_findings: the SARIF uploaded holds exactly the findings annotated
same_findings() {
	[ -s "$job_out/sarif" ] || return 0
	if ! grep -q -- '--format github' "$T/block.yaml"; then
		return 0
	fi
	if ! command -v python3 >/dev/null 2>&1; then
		skip "$1: annotations and SARIF report the same findings" "needs python3"
		return 0
	fi
	# shellcheck disable=SC2046 # file names without spaces (the test's own)
	snippet_sarif_findings $(cat "$job_out/sarif") | sed "s|^$job_dir/||" >"$T/sarif-findings"
	if cmp -s "$T/sarif-findings" "$job_out/annotations"; then
		ok "$1: annotations and SARIF report the same $(wc -l <"$T/sarif-findings" | tr -d ' ') findings"
	else
		not_ok "$1: annotations and SARIF report the same findings"
		diff "$job_out/annotations" "$T/sarif-findings" | sed 's/^/#   annotations vs SARIF: /'
	fi
}

run_workflow() {
	snippet_body "$start" "$end" "$indent" >"$T/block.yaml"
	if ! snippet_workflow_plan "$T/block.yaml" >"$T/plan" 2>"$T/plan.err"; then
		not_ok "can be read as steps: $(cat "$T/plan.err")"
		return 0
	fi
	if [ -z "$HAVE_GIT" ]; then
		skip "workflow steps" "needs git (the values repository is a checkout)"
		return 0
	fi
	job clean
	job_result success "clean: the job passes"
	same_findings clean
	job error
	job_result failure "error: the job fails on a values file with an error"
	if grep -q -- '--format github' "$T/block.yaml"; then
		check "error: annotates values/prod.yaml:8 with DKF201" \
			grep -qx 'values/prod.yaml|8|DKF201' "$job_out/annotations"
	fi
	same_findings error
	if grep -qE -- '--check|dkfpolicy check' "$T/block.yaml"; then
		job stale
		job_result failure "stale: the job fails when the manifest was not re-rendered"
		check "stale: the log shows the diff" grep -qF '+          name: "newcred"' "$job_out/log"
	fi
}

# --- every block --------------------------------------------------------------------------
while IFS="$(printf '\t')" read -r start end indent lang kind marker <&3; do
	[ "$kind" != text ] || continue
	where=$(snippet_where "$start")
	t "$where ($kind)"
	[ "$marker" != - ] || marker=
	case $marker in
	skip:*)
		_why=${marker#skip:}
		skip "not run" "${_why# }"
		continue
		;;
	esac
	case $kind in
	console) fixture_name=$(snippet_key "$marker" fixture checkout) ;;
	*) fixture_name=$(snippet_key "$marker" fixture values) ;;
	esac
	want_exit=$(snippet_key "$marker" exit 0)
	name=$(snippet_key "$marker" name)
	case $fixture_name in
	clone)
		if [ -z "$name" ]; then
			not_ok "a fixture=clone block needs a name= for .ci/run"
		elif ! grep -q -E "(^|[ \"'])$name([ \"']|\$)" "$SNIPPET_ROOT/.ci/run"; then
			not_ok ".ci/run does not run the block named $name"
		else
			skip "fixture=clone" ".ci/run runs it in its fresh clone, as its test step"
		fi
		continue
		;;
	bookworm | tarball)
		# run by a packaging test, which must exist
		if [ -z "$name" ]; then
			not_ok "a fixture=$fixture_name block needs a name= for tests/packages/*.sh"
		elif ! grep -q -E "(^|[ \"'])$name([ \"']|\$)" "$SNIPPET_ROOT"/tests/packages/*.sh 2>/dev/null; then
			not_ok "no tests/packages/*.sh runs the block named $name"
		else
			if [ "$fixture_name" = bookworm ]; then
				skip "fixture=bookworm" "make check-packages runs it, in a bare Debian bookworm"
			else
				skip "fixture=tarball" "make check-packages runs it, offline, in the unpacked source tarball"
			fi
		fi
		continue
		;;
	esac
	case " $marker " in
	*" slow "*)
		if [ "${DKF_SLOW_TESTS-}" != 1 ]; then
			skip "not run" "slow (it builds dkfpolicy): DKF_SLOW_TESTS=1 runs it, as .ci/run does"
			continue
		fi
		;;
	esac
	_unmet=
	for _need in $(snippet_key "$marker" needs | tr ',' ' '); do
		case $_need in
		image) image_ok || _unmet="$_unmet docker (or podman as docker) with the image $IMAGE: make image; make check-images runs it" ;;
		*) command -v "$_need" >/dev/null 2>&1 || _unmet="$_unmet $_need" ;;
		esac
	done
	if [ -n "$_unmet" ]; then
		skip "not run" "needs$_unmet"
		continue
	fi
	dir=$T/f$start
	SNIPPET_DESTDIR=$T/f$start.destdir
	mkdir -p "$SNIPPET_DESTDIR"
	if ! fixture "$fixture_name" "$dir"; then
		not_ok "fixture '$fixture_name' can be made (tests/snippets.sh lists the fixtures)"
		continue
	fi
	case $kind in
	shell) run_shell ;;
	console) run_console ;;
	pre-commit-config) run_precommit ;;
	workflow | steps) run_workflow ;;
	esac
done 3<"$T/index"

finish
