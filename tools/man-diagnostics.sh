#!/bin/sh
# man-diagnostics.sh - rewrite the list of codes in doc/dkfpolicy.1 (between the
# `diagnostics:begin` and `diagnostics:end` comments) from src/diag_codes.def.
# usage: sh tools/man-diagnostics.sh   (or: make man); tests/cli/install.sh fails
# when a code is missing from the page.
set -eu
cd "$(dirname "$0")/.."
page=doc/dkfpolicy.1
tmp=$page.tmp
trap 'rm -f "$tmp"' EXIT
{
	sed -n '1,/^\.\\" diagnostics:begin$/p' "$page"
	sed -n 's/^DIAG_CODE(\(DKF[0-9]*\), \([A-Z]*\), "\([^"]*\)", "\([^"]*\)",.*/\1|\2|\3|\4/p' \
		src/diag_codes.def |
		while IFS='|' read -r code sev name title; do
			sev=$(printf '%s' "$sev" | tr 'A-Z' 'a-z')
			title=$(printf '%s' "$title" | sed 's/`//g')
			printf '.It %s Pq %s , %s\n%s.\n' "$code" "$name" "$sev" "$title"
		done
	sed -n '/^\.\\" diagnostics:end$/,$p' "$page"
} >"$tmp"
mv "$tmp" "$page"
