#!/bin/sh
# Bash completion is written from the same tables as --help: the file in
# completions/ must equal `dkfpolicy completion bash` (run `make completions`),
# and it must complete every command, every option of a command and every
# value of an option that has a fixed set.
. "$(dirname "$0")/lib.sh"

FILE=$TESTS_DIR/../../completions/dkfpolicy.bash

t "completions/ matches the binary"
"$BIN" completion bash >completion.out
check "completions/dkfpolicy.bash is up to date (make completions)" cmp -s completion.out "$FILE"

t "usage errors"
expect_exit 2 "$BIN" completion zsh
expect_stderr_contains "not 'zsh'"
expect_exit 2 "$BIN" completion
expect_stderr_contains "completion needs a shell"

if ! command -v bash >/dev/null 2>&1; then
	skip "bash completion" "no bash"
	finish
fi

# try WORD...: what completion offers for the last word
cat >try.bash <<'EOF2'
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
_dkfpolicy
[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
EOF2
offers() {
	run bash try.bash "$FILE" "$@"
}

t "every command"
offers dkfpolicy ''
for cmd in $("$BIN" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'); do
	expect_stdout_matches "^$cmd\$"
done

t "every option --help lists for a command"
for cmd in render lint namespaces preview rules; do
	offers dkfpolicy "$cmd" --
	for opt in $("$BIN" "$cmd" --help | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z-]*\).*/\2/p'); do
		expect_stdout_matches "^$opt\$"
	done
done

t "an option a command does not take is not offered"
offers dkfpolicy lint --ch
expect_stdout_empty
offers dkfpolicy render --ch
expect_stdout_matches '^--check$'

t "fixed values"
offers dkfpolicy lint --format ''
for f in text json sarif github; do
	expect_stdout_matches "^$f\$"
done
offers dkfpolicy render --color a
expect_stdout_matches '^always$'
expect_stdout_matches '^auto$'
offers dkfpolicy preview -o y
expect_stdout_matches '^yaml$'
offers dkfpolicy lint --deploykf-version v0.1.
expect_stdout_matches '^v0\.1\.3$'

t "explain completes codes and names"
offers dkfpolicy explain DKF30
expect_stdout_matches '^DKF301$'
offers dkfpolicy explain dropped
expect_stdout_matches '^dropped-default-exclude$'

t "values files"
mkdir dir
: >values.yaml
: >notes.txt
offers dkfpolicy lint ''
expect_stdout_matches '^values\.yaml$'
expect_stdout_matches '^dir$'
check "a .txt file is not offered" sh -c '! grep -q notes.txt "$1"' sh "$_out"

finish
