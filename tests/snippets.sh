# shellcheck shell=sh
# snippets.sh - run the code blocks of README.md as a reader would (sourced by
# tests/cli/readme.sh and tests/packages/*.sh, after lib.sh; POSIX sh and awk).
#
# Nothing is copied out of README.md: the blocks are read from it when the tests run,
# so a command, pre-commit config or CI step shown there that stops working fails a
# test. How a block is run follows from its fence and content:
#
#   ```sh  ```shell  ```bash   a shell script: run with `sh -e` (bash -e for ```bash)
#                               in its fixture; it must exit 0 (or `exit=N`)
#   ```console                  a terminal session: each `$ ` line (a trailing `\`
#                               continues it) is a command, run in its fixture with
#                               stdout and stderr together; the lines after it are its
#                               output and must match it exactly, except that a line
#                               `...` stands for any number of lines. A command whose
#                               program is not installed (kubectl) is skipped, saying so
#   ```yaml with `repos:`        a .pre-commit-config.yaml, run with the real pre-commit
#                               in the `values` fixture (below): `pre-commit run
#                               --all-files` passes; it fails on a values file with an
#                               error (DKF201); with a render-check or check hook, it
#                               fails on values changed without a re-render. Configs that use
#                               the docker_image hooks are skipped unless a docker CLI
#                               has the image (make check-images runs them)
#   ```yaml with `jobs:`         a GitHub Actions workflow; its steps run as below, with
#                               no dkfpolicy on PATH: the workflow must install it
#   ```yaml of `- run:` / `- uses:` / `- name:` items
#                               workflow steps, run with dkfpolicy on PATH
#   anything else               (```yaml values, ```json, plain ```) is text, not run
#
# Workflow steps run in order in the `values` fixture as GitHub's runner would:
# `run:` with `bash --noprofile --norc -eo pipefail`, the workspace as working folder,
# GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_PATH (prepended to PATH for later steps),
# GITHUB_ENV, CI=true; `if:` may be success(), failure(), always(), !cancelled() or
# `success() || failure()`; `with:` and `env:` are flow maps or plain block maps.
# `uses: actions/checkout@...` (without `repository:`) is the fixture itself;
# `uses: github/codeql-action/upload-sarif@...` checks that its `sarif_file` is
# SARIF 2.1.0 and that its results are exactly the findings the job annotated
# (`::error file=...`). Any other action fails the test until it is given an
# emulation here (snippet_workflow_run). A workflow must pass on the fixture, fail on a values
# file with an error, and (when it runs `render --check` or `dkfpolicy check`) fail on a
# stale manifest.
#
# A marker on the line just above a fence changes the defaults:
#     <!-- snippet: skip: REASON -->          not run; reported as a skip with REASON
#     <!-- snippet: fixture=NAME exit=N name=NAME needs=WHAT,... -->
#   fixture  values    (default for sh and yaml) a git repository of deployKF values:
#                      values/common.yaml (a registry credential), values/prod.yaml
#                      (enables the policy), manifests/clusterpolicy.yaml rendered
#                      from the two, and .dkfpolicy.yaml declaring that stack (prod,
#                      with the manifest as its output), committed
#            checkout  (default for console) a copy of this repository's files
#            repo      the same copy as the top of a git work tree (`git init`, nothing
#                      committed), as a clone has it: for commands that look for the
#                      top of the work tree; give it needs=git
#            empty     an empty folder
#            bookworm  a bare Debian bookworm (debootstrap minbase) holding the release
#                      files in its working folder; run only by tests/packages/*.sh
#            tarball   a folder holding only the source tarball; run only by
#                      tests/packages/dist.sh, with no network and no git
#            clone     this repository's fresh clone itself, as a new user has it; run
#                      only by .ci/run, which runs the block as its test step
#   exit     the exit status expected (default 0)
#   name     a name, for the packaging tests that run the block at their step; every
#            bookworm and tarball block needs one that a tests/packages/*.sh uses, and
#            a clone block one that .ci/run uses
#   needs    commands the block needs, or `image`: a docker CLI (or podman's) that
#            has the image `make image` builds; skipped, saying so, without them
#   slow     run only with DKF_SLOW_TESTS=1 (.ci/run sets it for its test step):
#            for blocks that build dkfpolicy from source, or run the whole suite, so
#            that `make check` (and its runs under ASan, against the static binary,
#            from the tarball, in the package build) stays quick
#
# Every fixture runs in a sandbox: HOME is a fresh folder whose git configuration maps
# https://git.example.com/tools/dkfpolicy (the README's placeholder for where you host
# dkfpolicy) to a mirror of this work tree, committed and tagged v$VERSION (a release
# as README.md describes it); `sudo` runs its command as is; `apt-get update` does
# nothing and `apt-get install PKG...` only checks that each PKG is installed (tests
# use no network); DESTDIR points into the sandbox, so `make install` and `sudo make
# install` install there, and an installed dkfpolicy must print the version. On the
# host `dkfpolicy` is the binary under test, except for a workflow. MAKEFLAGS is
# -j<number of CPUs> unless set, so the blocks that build dkfpolicy build faster.

# To cover a new section: write its blocks so that they run in one of the fixtures
# (or add a fixture to `fixture` in tests/cli/readme.sh), mark the ones that cannot
# run here with a reason, and run `sh tests/cli/readme.sh ./dkfpolicy`. Another
# Markdown file: SNIPPET_FILE=path/to/file.md (the blocks of README.md by default).

# SNIPPET_URL: the README's placeholder for the dkfpolicy repository
SNIPPET_URL=https://git.example.com/tools/dkfpolicy
SNIPPET_ROOT=$(cd "$TESTS_DIR/../.." && pwd) # TESTS_DIR: lib.sh
SNIPPET_FILE=${SNIPPET_FILE:-$SNIPPET_ROOT/README.md}
SNIPPET_VERSION=$(cat "$SNIPPET_ROOT/VERSION")

# snippet_index: one line per fenced block of $SNIPPET_FILE:
#   START<TAB>END<TAB>INDENT<TAB>LANG<TAB>KIND<TAB>MARKER
# START and END are the lines of the fences; KIND is shell, console, pre-commit-config,
# workflow, steps or text; MARKER is what follows `snippet:` in the marker, or `-`.
# Fails on a fence that is never closed.
snippet_index() {
	awk '
	function kind_of(lang, body,    n, i, lines, first) {
		if (lang == "sh" || lang == "shell" || lang == "bash") return "shell"
		if (lang == "console") return "console"
		if (lang != "yaml" && lang != "yml") return "text"
		n = split(body, lines, "\n")
		first = ""
		for (i = 1; i <= n; i++) {
			if (lines[i] ~ /^repos:/) return "pre-commit-config"
			if (lines[i] ~ /^jobs:/) return "workflow"
			if (first == "" && lines[i] !~ /^[ \t]*(#.*)?$/) first = lines[i]
		}
		if (first ~ /^[ \t]*- (name|uses|run):/) return "steps"
		return "text"
	}
	!open && match($0, /^ *(```+|~~~+)/) {
		open = 1; start = NR; body = ""
		indent = $0; sub(/[`~].*/, "", indent)
		fence = substr($0, RSTART + length(indent), RLENGTH - length(indent))
		info = substr($0, RSTART + RLENGTH); sub(/^[ \t]+/, "", info)
		lang = info; sub(/[ \t].*/, "", lang)
		marker = "-"
		if (prev ~ /^ *<!-- snippet: .* -->[ \t]*$/) {
			marker = prev
			sub(/^ *<!-- snippet: /, "", marker); sub(/ -->[ \t]*$/, "", marker)
		}
		next
	}
	open {
		line = $0
		closing = line; sub(/^ */, "", closing); sub(/[ \t]*$/, "", closing)
		if (substr(closing, 1, length(fence)) == fence && closing ~ /^(`+|~+)$/) {
			printf "%d\t%d\t%d\t%s\t%s\t%s\n", start, NR, length(indent), lang == "" ? "-" : lang, kind_of(lang, body), marker
			open = 0; prev = ""; next
		}
		body = body line "\n"
		next
	}
	$0 !~ /^[ \t]*$/ { prev = $0 }
	END { if (open) { printf "snippets: %s:%d: a code block that is never closed\n", FILENAME, start > "/dev/stderr"; exit 1 } }
	' "$SNIPPET_FILE"
}

# snippet_body START END INDENT: the lines between the fences, the fence's indent removed
snippet_body() {
	awk -v s="$1" -v e="$2" -v ind="$3" 'NR > s && NR < e {
		line = $0
		for (i = 0; i < ind && substr(line, 1, 1) == " "; i++) line = substr(line, 2)
		print line
	}' "$SNIPPET_FILE"
}

# snippet_key MARKER KEY [DEFAULT]: the value of KEY=... in MARKER
snippet_key() {
	_v=$(printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1)
	printf '%s' "${_v:-${3-}}"
}

# snippet_named NAME: the index line of the one block with name=NAME (fails otherwise)
snippet_named() {
	snippet_index | awk -F '\t' -v n="$1" '
		{ k = " " $6 " "; if (index(k, " name=" n " ")) { hit = $0; c++ } }
		END { if (c != 1) exit 1; print hit }'
}

# snippet_named_body NAME FILE: the body of the block named NAME into FILE; prints
# its README.md:LINE; fails when there is no such block (or more than one)
snippet_named_body() {
	_hit=$(snippet_named "$1") || return 1
	_s=$(printf '%s\n' "$_hit" | cut -f 1)
	_e=$(printf '%s\n' "$_hit" | cut -f 2)
	_i=$(printf '%s\n' "$_hit" | cut -f 3)
	snippet_body "$_s" "$_e" "$_i" >"$2"
	snippet_where "$_s"
}

# snippet_where START: README.md:LINE, for messages
snippet_where() {
	printf '%s:%s' "${SNIPPET_FILE##*/}" "$1"
}

# --- the sandbox -------------------------------------------------------------------------

# snippet_sandbox DIR: HOME, shims and DESTDIR under DIR; sets SNIPPET_HOME,
# SNIPPET_SHIMS and SNIPPET_DESTDIR. Needs no git (the URL mapping is only
# written when a mirror exists: snippet_mirror).
snippet_sandbox() {
	SNIPPET_HOME=$1/home
	SNIPPET_SHIMS=$1/shims
	SNIPPET_DESTDIR=$1/destdir
	mkdir -p "$SNIPPET_HOME" "$SNIPPET_SHIMS" "$SNIPPET_DESTDIR"
	cat >"$SNIPPET_SHIMS/sudo" <<'EOF'
#!/bin/sh
# the tests' sudo: run the command as is (options such as -n and -E are dropped)
while [ $# -gt 0 ]; do
	case $1 in -*) shift ;; *) break ;; esac
done
exec "$@"
EOF
	cat >"$SNIPPET_SHIMS/apt-get" <<'EOF'
#!/bin/sh
# the tests' apt-get: no network. `update` does nothing; `install` checks that every
# package named is installed already, and fails naming the ones that are not.
case ${1-} in
update) echo "apt-get (test shim): update skipped, no network in tests"; exit 0 ;;
install) ;;
*) echo "apt-get (test shim): only update and install are emulated, not '$*'" >&2; exit 100 ;;
esac
shift
missing=
for p in "$@"; do
	case $p in
	-*) continue ;;
	*/* | *.deb) echo "apt-get (test shim): cannot install a file ($p) here" >&2; exit 100 ;;
	esac
	case $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) in
	*" ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -n "$missing" ]; then
	echo "apt-get (test shim): not installed, and tests do not download:$missing" >&2
	exit 100
fi
echo "apt-get (test shim): already installed: $*"
EOF
	chmod +x "$SNIPPET_SHIMS/sudo" "$SNIPPET_SHIMS/apt-get"
	: >"$SNIPPET_HOME/.gitconfig"
	git config --file "$SNIPPET_HOME/.gitconfig" user.name "snippet test" 2>/dev/null || :
	git config --file "$SNIPPET_HOME/.gitconfig" user.email "snippet@example.invalid" 2>/dev/null || :
	git config --file "$SNIPPET_HOME/.gitconfig" init.defaultBranch main 2>/dev/null || :
	git config --file "$SNIPPET_HOME/.gitconfig" advice.detachedHead false 2>/dev/null || :
}

# snippet_files: this work tree's files, one per line, relative to SNIPPET_ROOT: what
# git tracks in a checkout (as they are now), everything but build output in a tarball.
snippet_files() {
	if git -C "$SNIPPET_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$SNIPPET_ROOT" ls-files | while IFS= read -r _f; do
			[ ! -e "$SNIPPET_ROOT/$_f" ] || printf '%s\n' "$_f"
		done
	else
		(cd "$SNIPPET_ROOT" && find . -path ./build -prune -o -type f ! -path ./dkfpolicy -print |
			sed 's|^\./||' | LC_ALL=C sort)
	fi
}

# snippet_copy DIR: a copy of this work tree's files in DIR
snippet_copy() {
	mkdir -p "$1"
	snippet_files >"$1.files"
	(cd "$SNIPPET_ROOT" && tar -cf - -T "$1.files") | (cd "$1" && tar -xf -)
	rm -f "$1.files"
}

# snippet_mirror DIR: a git repository of this work tree in DIR, one commit tagged
# v$SNIPPET_VERSION, and the sandbox's git configuration mapping SNIPPET_URL to it.
# Needs git and snippet_sandbox first.
snippet_mirror() {
	snippet_copy "$1"
	(
		cd "$1" &&
			HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git init -q &&
			HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git add -A &&
			HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git commit -q -m "dkfpolicy $SNIPPET_VERSION" &&
			HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git tag "v$SNIPPET_VERSION"
	) || return 1
	git config --file "$SNIPPET_HOME/.gitconfig" "url.file://$1.insteadOf" "$SNIPPET_URL"
}

# snippet_values DIR BIN: the `values` fixture in DIR (a git repository when git is
# there); BIN renders the committed manifest.
snippet_values() {
	mkdir -p "$1/values" "$1/manifests"
	cat >"$1/values/common.yaml" <<'EOF'
# shared by every cluster
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        registryCredentials:
          - existingSecret: regcred
            existingSecretNamespace: registry-creds
EOF
	cat >"$1/values/prod.yaml" <<'EOF'
# the production cluster
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
EOF
	cat >"$1/.dkfpolicy.yaml" <<'EOF'
# the repository's stack, declared once for pre-commit, CI and Argo CD
stacks:
  - name: prod
    values: [values/common.yaml, values/prod.yaml]
    output: manifests/clusterpolicy.yaml
EOF
	"$2" render -f "$1/values/common.yaml" -f "$1/values/prod.yaml" \
		-o "$1/manifests/clusterpolicy.yaml"
	if command -v git >/dev/null 2>&1; then
		(
			cd "$1" &&
				HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git init -q &&
				HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git add -A &&
				HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git commit -q -m values
		)
	fi
}

# snippet_break DIR HOW: turn the values fixture in DIR into one a check must fail on:
#   error  values/prod.yaml adds a credential without existingSecret (DKF201, line 8)
#   stale  values/prod.yaml adds a valid credential (newcred); the manifest is not
#          re-rendered
snippet_break() {
	case $2 in
	error) _cred='          - existingSecretNamespace: registry-creds' ;;
	stale) _cred='          - existingSecret: newcred' ;;
	esac
	cat >"$1/values/prod.yaml" <<EOF
# the production cluster
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
$_cred
EOF
	if [ -d "$1/.git" ]; then
		(cd "$1" && HOME=$SNIPPET_HOME GIT_CONFIG_NOSYSTEM=1 git add -A)
	fi
}

# snippet_env DIR PATH cmd...: run cmd in DIR in the sandbox's environment with PATH
snippet_env() {
	_dir=$1
	_path=$2
	shift 2
	(cd "$_dir" && env -u SAN -u DEBUG -u STATIC \
		HOME="$SNIPPET_HOME" GIT_CONFIG_NOSYSTEM=1 DESTDIR="$SNIPPET_DESTDIR" \
		PRE_COMMIT_HOME="$SNIPPET_HOME/.cache/pre-commit" DKF_IN_SNIPPET=1 \
		MAKEFLAGS="${MAKEFLAGS:--j$(nproc 2>/dev/null || echo 1)}" \
		PATH="$SNIPPET_SHIMS:$_path" "$@")
}

# snippet_path_without_dkfpolicy: $PATH minus every folder that holds a dkfpolicy
snippet_path_without_dkfpolicy() {
	printf '%s\n' "$PATH" | tr ':' '\n' | while IFS= read -r _d; do
		[ -n "$_d" ] && [ ! -x "$_d/dkfpolicy" ] && printf '%s:' "$_d"
	done | sed 's/:$//'
}

# --- console ---------------------------------------------------------------------------

# snippet_console_split BODY-FILE OUTDIR: write OUTDIR/N.cmd and OUTDIR/N.out for each
# `$ ` command of a console block; prints the number of commands.
snippet_console_split() {
	awk -v dir="$2" '
		function flush() { if (n) { close(dir "/" n ".cmd"); close(dir "/" n ".out") } }
		cont { printf "%s\n", $0 > (dir "/" n ".cmd"); cont = ($0 ~ /\\$/); next }
		/^\$ / { flush(); n++; line = substr($0, 3); printf "%s\n", line > (dir "/" n ".cmd")
			printf "" > (dir "/" n ".out"); cont = (line ~ /\\$/); next }
		n { print > (dir "/" n ".out") }
		END { flush(); print n + 0 }
	' "$1"
}

# snippet_console_match WANT HAVE: HAVE matches WANT, where a WANT line `...` stands
# for any number of lines; trailing blanks are ignored. Prints the first mismatch.
snippet_console_match() {
	awk '
		FNR == NR { w[++nw] = $0; sub(/[ \t]+$/, "", w[nw]); next }
		{ h[++nh] = $0; sub(/[ \t]+$/, "", h[nh]) }
		END {
			# m[i, j]: want lines i.. match have lines j..
			for (i = nw + 1; i >= 1; i--)
				for (j = nh + 1; j >= 1; j--) {
					if (i > nw) r = (j > nh)
					else if (w[i] == "...") r = m[i + 1, j] || (j <= nh && m[i, j + 1])
					else r = (j <= nh && w[i] == h[j] && m[i + 1, j + 1])
					m[i, j] = r
				}
			if (m[1, 1]) exit 0
			# report the first wanted line that never appears
			for (i = 1; i <= nw; i++) {
				if (w[i] == "...") continue
				found = 0
				for (j = 1; j <= nh; j++) if (w[i] == h[j]) { found = 1; break }
				if (!found) { print "# shown but not printed: " w[i]; exit 1 }
			}
			print "# every line shown is printed, but not in this order or with other lines between"
			exit 1
		}
	' "$1" "$2"
}

# --- GitHub Actions ------------------------------------------------------------------------

# snippet_workflow_plan BODY-FILE: the steps of a workflow (or a list of steps) as a
# shell script of step_* calls, for snippet_workflow_run. Reads the YAML subset that
# workflows are written in (see the top); anything else is refused with a message,
# rather than misread.
snippet_workflow_plan() {
	awk '
	function sq(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
	function ind(s) { match(s, /^ */); return RLENGTH }
	function unquote(v) {
		sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
		if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
		return v
	}
	function fail(msg) { printf "snippets: line %d of the block: %s\n", NR, msg > "/dev/stderr"; bad = 1; exit 1 }
	function flow_map(kind, v,    n, i, parts, k, x) {
		v = substr(v, 2, length(v) - 2)
		n = split(v, parts, ",")
		for (i = 1; i <= n; i++) {
			if (parts[i] ~ /^[ \t]*$/) continue
			k = parts[i]; sub(/:.*/, "", k); x = parts[i]; sub(/^[^:]*:/, "", x)
			print "step_" kind " " sq(unquote(k)) " " sq(unquote(x))
		}
	}
	function end_step() { if (in_step) print "step_end"; in_step = 0 }
	{ lines[NR] = $0 }
	END {
		if (bad) exit 1
		n = NR; i = 1; item = -1
		# a workflow: go to its steps: key (one job only)
		for (j = 1; j <= n; j++) if (lines[j] ~ /^jobs:/) { workflow = 1; break }
		if (workflow) {
			steps = 0
			for (j = 1; j <= n; j++) if (lines[j] ~ /^ +steps:[ \t]*$/) { steps++; i = j + 1 }
			if (steps != 1) { NR = 1; fail("a workflow needs exactly one job with steps: (found " steps ")") }
		}
		for (; i <= n; i++) {
			line = lines[i]
			if (line ~ /^[ \t]*(#.*)?$/) continue
			d = ind(line)
			if (item >= 0 && d < item) break
			if (line ~ /^ *- /) {
				if (item < 0) item = d
				if (d != item) { NR = i; fail("a list inside a step") }
				end_step(); in_step = 1; print "step_begin"
				line = substr(line, 1, d) "  " substr(line, d + 3)
				d = d + 2
			}
			if (!in_step) { NR = i; fail("not a step: " line) }
			key = line; sub(/^ */, "", key); sub(/:.*/, "", key)
			val = line; sub(/^[^:]*:/, "", val); sub(/^[ \t]+/, "", val); sub(/[ \t]+#.*$/, "", val)
			if (key == "run" && val ~ /^[|>]-?$/) {
				block = ""; bi = -1
				for (k = i + 1; k <= n; k++) {
					if (lines[k] ~ /^[ \t]*$/) { block = block "\n"; continue }
					if (ind(lines[k]) <= d) break
					if (bi < 0) bi = ind(lines[k])
					block = block substr(lines[k], bi + 1) "\n"
				}
				i = k - 1
				print "step_run <<\047__SNIPPET_RUN__\047"
				printf "%s", block
				print "__SNIPPET_RUN__"
			} else if (key == "run") {
				print "step_run <<\047__SNIPPET_RUN__\047"
				print unquote(val)
				print "__SNIPPET_RUN__"
			} else if (key == "with" || key == "env") {
				if (val ~ /^\{.*\}$/) flow_map(key, val)
				else if (val == "") {
					for (k = i + 1; k <= n && (lines[k] ~ /^[ \t]*$/ || ind(lines[k]) > d); k++) {
						if (lines[k] ~ /^[ \t]*(#.*)?$/) continue
						kv = lines[k]; sub(/^ */, "", kv)
						kk = kv; sub(/:.*/, "", kk); vv = kv; sub(/^[^:]*:/, "", vv)
						if (vv ~ /^[ \t]*[|>]/) { NR = k; fail("a block scalar under " key ":") }
						print "step_" key " " sq(kk) " " sq(unquote(vv))
					}
					i = k - 1
				} else { NR = i; fail(key ": neither a flow map nor a block map") }
			} else if (key == "name" || key == "uses" || key == "if" || key == "shell" || key == "id" ||
				   key == "working-directory" || key == "continue-on-error" || key == "timeout-minutes") {
				gsub(/-/, "_", key)
				print "step_" key " " sq(unquote(val))
			} else { NR = i; fail("a step key this test does not know: " key) }
		}
		end_step()
	}
	' "$1"
}

# snippet_workflow_run PLAN WORKSPACE PATH OUT: run the plan's steps as GitHub's runner
# would, in WORKSPACE with PATH. Writes OUT/log (every step's output), OUT/annotations
# (the workflow commands ::error/::warning/::notice, as file|line|code), OUT/sarif
# (the files upload-sarif was given, one per line) and OUT/status (success or
# failure, the job's result). Returns 1 when a step cannot be run (an unknown action,
# an unknown `if:`), with the reason on stderr and in OUT/log.
snippet_workflow_run() (
	_plan=$1
	_ws=$2
	_wpath=$3
	_o=$4
	mkdir -p "$_o/temp"
	: >"$_o/log"
	: >"$_o/sarif"
	: >"$_o/github_path"
	: >"$_o/github_env"
	_job=success
	_n=0
	_unrunnable=0
	step_begin() {
		_n=$((_n + 1))
		_s_name='' _s_if='' _s_run='' _s_uses='' _s_shell='' _s_wd='' _s_coe=''
		: >"$_o/with"
		: >"$_o/env"
	}
	step_name() { _s_name=$1; }
	step_id() { :; }
	step_timeout_minutes() { :; }
	step_if() { _s_if=$1; }
	step_shell() { _s_shell=$1; }
	step_working_directory() { _s_wd=$1; }
	step_continue_on_error() { _s_coe=$1; }
	step_uses() { _s_uses=$1; }
	step_with() { printf '%s=%s\n' "$1" "$2" >>"$_o/with"; }
	step_env() { printf '%s=%s\n' "$1" "$2" >>"$_o/env"; }
	step_run() {
		_s_run=$_o/step$_n.sh
		cat >"$_s_run"
	}
	with_value() { sed -n "s/^$1=//p" "$_o/with" | head -n 1; }
	cannot() {
		echo "snippets: step $_n: $*" | tee -a "$_o/log" >&2
		_unrunnable=1
	}
	step_end() {
		_go=
		case ${_s_if:-success()} in
		'success()') if [ "$_job" = success ]; then _go=1; fi ;;
		'failure()') if [ "$_job" = failure ]; then _go=1; fi ;;
		'always()' | '!cancelled()' | 'success() || failure()') _go=1 ;;
		*) cannot "an if: this test cannot evaluate: $_s_if"; return 0 ;;
		esac
		if [ -z "$_go" ]; then
			echo "--- step $_n: ${_s_name:-${_s_uses:-run}} (skipped: if: ${_s_if:-success()})" >>"$_o/log"
			return 0
		fi
		echo "--- step $_n: ${_s_name:-${_s_uses:-run}}" >>"$_o/log"
		_st=0
		if [ -n "$_s_run" ]; then
			case ${_s_shell:-bash} in
			bash) _sh="bash --noprofile --norc -eo pipefail" ;;
			sh) _sh="sh -e" ;;
			*) cannot "shell: $_s_shell"; return 0 ;;
			esac
			# GITHUB_PATH lines are prepended to PATH, the latest first
			_p=$(sed '1!G;h;$!d' "$_o/github_path" | tr '\n' ':')$_wpath
			# shellcheck disable=SC2086 # $_sh is a command and its options
			(
				# the runner's environment: no DESTDIR or other leftovers of the tests
				unset DESTDIR DKF_IN_SNIPPET SAN DEBUG STATIC
				cd "$_ws/${_s_wd:-.}" || exit 1
				while IFS= read -r _kv; do
					# shellcheck disable=SC2163 # K=V lines
					[ -z "$_kv" ] || export "$_kv"
				done <<-EOF
					$(cat "$_o/github_env" "$_o/env")
				EOF
				GITHUB_WORKSPACE=$_ws RUNNER_TEMP=$_o/temp RUNNER_OS=Linux \
					GITHUB_PATH=$_o/github_path GITHUB_ENV=$_o/github_env \
					CI=true GITHUB_ACTIONS=true PATH=$_p \
					MAKEFLAGS=${MAKEFLAGS:--j$(nproc 2>/dev/null || echo 1)}
				export GITHUB_WORKSPACE RUNNER_TEMP RUNNER_OS GITHUB_PATH GITHUB_ENV CI \
					GITHUB_ACTIONS PATH MAKEFLAGS
				exec $_sh "$_s_run"
			) >>"$_o/log" 2>&1 </dev/null || _st=$?
		else
			case $_s_uses in
			actions/checkout@*)
				if [ -n "$(with_value repository)" ]; then
					cannot "actions/checkout of another repository: clone it in a run: step instead"
					return 0
				fi
				echo "(the workspace is the values repository's checkout)" >>"$_o/log"
				;;
			github/codeql-action/upload-sarif@*)
				_f=$(with_value sarif_file)
				if [ -f "$_ws/$_f" ] && grep -q '"version": "2.1.0"' "$_ws/$_f"; then
					echo "$_ws/$_f" >>"$_o/sarif"
					echo "(upload-sarif: $_f is SARIF 2.1.0)" >>"$_o/log"
				else
					echo "upload-sarif: '$_f' is missing or not SARIF 2.1.0" >>"$_o/log"
					_st=1
				fi
				;;
			'') cannot "a step with neither run: nor uses:"; return 0 ;;
			*) cannot "no emulation of $_s_uses in tests/snippets.sh (snippet_workflow_run)"; return 0 ;;
			esac
		fi
		if [ "$_st" != 0 ]; then
			echo "--- step $_n failed (exit $_st)" >>"$_o/log"
			[ "$_s_coe" = true ] || _job=failure
		fi
	}
	# shellcheck disable=SC1090 # the plan made by snippet_workflow_plan
	. "$_plan"
	echo "$_job" >"$_o/status"
	sed -n 's/^::\(error\|warning\|notice\) file=\([^,]*\),line=\([0-9]*\),.*title=\(DKF[0-9]*\) .*/\2|\3|\4/p' \
		"$_o/log" | LC_ALL=C sort -u >"$_o/annotations"
	[ "$_unrunnable" = 0 ]
)

# snippet_sarif_findings SARIF...: the results of SARIF files as file|line|code, sorted
# (python3; fails without it)
snippet_sarif_findings() {
	python3 - "$@" <<'EOF'
import json, sys
out = set()
for path in sys.argv[1:]:
    for run in json.load(open(path))["runs"]:
        for r in run["results"]:
            loc = r["locations"][0]["physicalLocation"]
            out.add("%s|%d|%s" % (loc["artifactLocation"]["uri"], loc["region"]["startLine"], r["ruleId"]))
for line in sorted(out):
    print(line)
EOF
}
