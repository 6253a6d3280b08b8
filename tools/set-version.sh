#!/bin/sh
# set-version.sh X.Y.Z - make X.Y.Z the version: VERSION, the man page's footer and
# date, a new top entry in debian/changelog, and the version shown in README.md,
# argocd-cmp/README.md and .pre-commit-hooks.yaml (release file and image names,
# pre-commit `rev: v...`, `--branch v...`, the JSON sample's "tool").
# tests/cli/version.sh checks that they all agree. Cutting a release: README.md,
# "Install".
set -eu
cd "$(dirname "$0")/.."

new=${1-}
if ! printf '%s\n' "$new" | grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+'; then
	echo "usage: sh tools/set-version.sh X.Y.Z" >&2
	exit 2
fi
old=$(cat VERSION)
if [ "$new" = "$old" ]; then
	echo "set-version.sh: the version is $old already" >&2
	exit 0
fi
old_re=$(printf '%s' "$old" | sed 's/\./\\./g')

printf '%s\n' "$new" >VERSION

sed -i -e "s/^\.Os dkfpolicy .*/.Os dkfpolicy $new/" \
	-e "s/^\.Dd .*/.Dd $(LC_ALL=C date -u '+%B %-d, %Y')/" doc/dkfpolicy.1

sed -i -E \
	-e "s/(dkfpolicy(-cmp)?[-_:])$old_re/\\1$new/g" \
	-e "s/(rev: v)$old_re/\\1$new/g" \
	-e "s/(--branch v)$old_re/\\1$new/g" \
	-e "s/(\"name\": \"dkfpolicy\", \"version\": \")$old_re\"/\\1$new\"/g" \
	README.md argocd-cmp/README.md .pre-commit-hooks.yaml

maintainer=$(sed -n 's/^ -- \(.*>\)  .*/\1/p' debian/changelog | head -n 1)
{
	printf 'dkfpolicy (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n\n' \
		"$new" "$new" "$maintainer" "$(LC_ALL=C date -u -R)"
	cat debian/changelog
} >debian/changelog.new
mv debian/changelog.new debian/changelog

echo "set-version.sh: $old -> $new; describe the release in debian/changelog, then commit"
