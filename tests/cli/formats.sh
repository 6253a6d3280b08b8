# formats.sh - --format json|sarif|github and render --check as CI systems use them:
# where each goes (stdout for lint, stderr for render), that the documents are
# complete and parse, that SARIF carries what GitHub code scanning requires, and
# the exit statuses of --check. Golden cases in testdata/ pin the exact text.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

ROOT=$TESTS_DIR/../..
CODES=$(grep -c '^DIAG_CODE(DKF' "$ROOT/src/diag_codes.def")

cat >bad.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        excludeNamespaces: [team-a]
        registryCredentials:
          - existingSecretNamespace: argocd
EOF2

cat >good.yaml <<'EOF2'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        registryCredentials:
          - existingSecret: regcred
EOF2

# python3 with the json module, and jsonschema for the SARIF schema, when present
PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import json' 2>/dev/null; then
		PY=$p
		break
	fi
done

# --- where the documents go ------------------------------------------------------
for f in json sarif github; do
	t "lint --format $f"
	expect_exit 1 "$BIN" lint --format "$f" bad.yaml
	expect_stdout_contains 'DKF201'
	expect_stderr_empty

	t "render --format $f keeps stdout for the policy"
	expect_exit 0 "$BIN" render --format "$f" good.yaml
	expect_stdout_contains 'kind: "ClusterPolicy"'
	if [ "$f" = github ]; then
		expect_stderr_empty
	else
		# a document with no findings, so a consumer can always parse stderr
		expect_stderr_contains '"version": '
	fi
	expect_exit 1 "$BIN" render --format "$f" bad.yaml
	expect_stdout_empty
	expect_stderr_contains 'DKF201'

	t "lint --format $f to a full disk"
	expect_exit 2 sh -c '"$0" lint --format "$1" bad.yaml >/dev/full' "$BIN" "$f"
	expect_stderr_contains 'cannot write'
done

t "text stays the default, on stderr"
expect_exit 1 "$BIN" lint bad.yaml
expect_stdout_empty
expect_stderr_matches '^bad\.yaml:8:13: error: .*\[DKF201\]$'

# --- JSON --------------------------------------------------------------------------
t "json"
"$BIN" lint --format json bad.yaml >bad.json || :
"$BIN" lint --format json good.yaml >good.json
if [ -n "$PY" ]; then
	check "parses, version 1, errors counted" "$PY" -c '
import json, sys
d = json.load(open("bad.json"))
assert d["version"] == 1 and d["tool"]["name"] == "dkfpolicy"
assert d["summary"]["errors"] == 1 and d["summary"]["warnings"] == 2
keys = ["file", "line", "column", "endLine", "endColumn", "severity", "code", "name",
        "message", "hint", "related"]
for x in d["diagnostics"]:
    assert list(x) == keys, list(x)
assert [x["line"] for x in d["diagnostics"]] == sorted(x["line"] for x in d["diagnostics"])
assert json.load(open("good.json"))["diagnostics"] == []
'
else
	skip "parses" "no python3"
fi

# --- SARIF ---------------------------------------------------------------------------
# The fields GitHub code scanning requires, checked without python: version, the
# driver with every rule (id, name, descriptions, help, level), and per result a
# ruleId, level, message and a relative URI with a line.
t "sarif required fields"
"$BIN" lint --format sarif bad.yaml >bad.sarif || :
expect_file_contains bad.sarif '"version": "2.1.0"'
expect_file_contains bad.sarif '"$schema": "https://json.schemastore.org/sarif-2.1.0.json"'
expect_file_contains bad.sarif '"name": "dkfpolicy"'
expect_file_contains bad.sarif '"columnKind": "unicodeCodePoints"'
for field in '"id": "DKF' '"shortDescription": {' '"fullDescription": {' '"help": {' \
	'"defaultConfiguration": {'; do
	n=$(grep -c -F -e "$field" bad.sarif || :)
	check "one $field per code ($CODES)" [ "$n" -eq "$CODES" ]
done
# every code of the table is a rule, in table order, with its ruleIndex
sed -n 's/^DIAG_CODE(\(DKF[0-9]*\),.*/\1/p' "$ROOT/src/diag_codes.def" >codes.want
sed -n 's/^ *"id": "\(DKF[0-9]*\)",$/\1/p' bad.sarif >codes.have
check "rules list every code in order" cmp -s codes.want codes.have
n_results=$(grep -c '"ruleId": "DKF' bad.sarif || :)
check "three results" [ "$n_results" -eq 3 ]
for field in '"ruleIndex": ' '"level": "' '"uri": "bad.yaml"' '"startLine": '; do
	n=$(grep -c -F -e "$field" bad.sarif || :)
	check "each result has $field" [ "$n" -ge "$n_results" ]
done
expect_file_contains bad.sarif '"uriBaseId": "%SRCROOT%"'
check "no absolute path for a relative file" sh -c '! grep -q "file://" bad.sarif'

SCHEMA=${DKF_SARIF_SCHEMA:-$ROOT/../shared/sarif/sarif-schema-2.1.0.json}
t "sarif validates against the SARIF 2.1.0 schema"
"$BIN" lint --format sarif good.yaml >good.sarif
"$BIN" render --format sarif bad.yaml 2>render.sarif || :
if [ -n "$PY" ] && [ -f "$SCHEMA" ] && "$PY" -c 'import jsonschema' 2>/dev/null; then
	for f in bad.sarif good.sarif render.sarif; do
		check "$f" "$PY" -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
' "$f" "$SCHEMA"
	done
else
	skip "schema validation" "needs python3-jsonschema and $SCHEMA"
fi

# --- github ------------------------------------------------------------------------
t "github workflow commands"
expect_exit 1 "$BIN" lint --format github bad.yaml
expect_stdout_matches '^::error file=bad\.yaml,line=8,col=13,title=DKF201 missing-existing-secret::'
expect_stdout_matches '^::warning file=bad\.yaml,line=6,col=9,title=DKF301 '
cp bad.yaml 'a,b: c%.yaml'
expect_exit 1 "$BIN" lint --format github 'a,b: c%.yaml'
expect_stdout_contains '::error file=a%2Cb%3A c%25.yaml,line=8,'

# --- render --check ------------------------------------------------------------------
t "render --check"
"$BIN" render good.yaml >policy.yaml
expect_exit 0 "$BIN" render --check policy.yaml good.yaml
expect_stdout_empty
expect_stderr_empty
sed 's/regcred/oldcred/' policy.yaml >stale.yaml
expect_exit 1 "$BIN" render --check stale.yaml good.yaml
expect_stdout_contains '-          name: "oldcred"'
expect_stdout_contains '+          name: "regcred"'
expect_stderr_contains "'stale.yaml' is not what render writes"
# the diff is a patch that brings the file up to date
if command -v patch >/dev/null 2>&1; then
	"$BIN" render --check stale.yaml good.yaml >fix.diff 2>/dev/null || :
	check "patch -p0 applies the diff" patch -s -p0 <fix.diff
	expect_exit 0 "$BIN" render --check stale.yaml good.yaml
else
	skip "patch applies the diff" "no patch"
fi
expect_exit 2 "$BIN" render --check missing.yaml good.yaml
expect_stderr_contains "cannot check 'missing.yaml'"
expect_exit 2 "$BIN" render --check . good.yaml
expect_stderr_contains 'not a regular file'
cp policy.yaml locked.yaml
chmod 000 locked.yaml
if [ -r locked.yaml ]; then
	skip "unreadable file" "running as root: permissions do not stop reading"
else
	expect_exit 2 "$BIN" render --check locked.yaml good.yaml
	expect_stderr_contains "cannot check 'locked.yaml'"
fi
expect_exit 1 "$BIN" render --check policy.yaml bad.yaml
expect_stdout_empty
expect_stderr_contains 'DKF201'

# render writes its report on stderr; a JSON document there is followed by
# nothing, so `2>render.sarif` holds one document or one message (exit 2)
one_document() { # FILE: starts with '{', ends with '}', no line of ours in it
	[ "$(head -c 1 "$1")" = "{" ] && [ "$(tail -n 1 "$1")" = "}" ] && ! grep -q '^dkfpolicy: ' "$1"
}
message_only() { # FILE: one line of ours, no document
	[ "$(wc -l <"$1")" -eq 1 ] && grep -q '^dkfpolicy: ' "$1"
}
t "render --format json and sarif: nothing follows the document on stderr"
sed 's/regcred/oldcred/' policy.yaml >stale-again.yaml
for f in json sarif; do
	expect_exit 1 "$BIN" render --format "$f" --check stale-again.yaml good.yaml
	check "$f: --check of a stale file: one document" one_document "$_err"
	if [ "$f" = json ]; then
		expect_stderr_contains '"code": "DKF412"'
	else
		expect_stderr_contains '"ruleId": "DKF412"'
	fi
	expect_stderr_contains "'stale-again.yaml' is not what render writes"
	expect_stdout_contains '+          name: "regcred"'
	expect_exit 0 "$BIN" render --format "$f" --check policy.yaml good.yaml
	check "$f: --check of a current file: one document" one_document "$_err"
	expect_exit 2 "$BIN" render --format "$f" -o no-such-dir/policy.yaml good.yaml
	check "$f: -o that cannot be written: the message alone" message_only "$_err"
	expect_stderr_contains "cannot write 'no-such-dir/policy.yaml'"
	expect_exit 2 "$BIN" render --format "$f" --check missing.yaml good.yaml
	check "$f: --check of a missing file: the message alone" message_only "$_err"
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' >configmap.yaml
	expect_exit 2 "$BIN" render --format "$f" configmap.yaml
	check "$f: a file with no Application: the message alone" message_only "$_err"
	expect_stderr_contains "holds no Argo CD Application that uses deployKF's plugin"
done

finish
