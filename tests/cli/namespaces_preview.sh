#!/bin/sh
# namespaces and preview: option errors, JSON that parses, pipes from kubectl,
# and preview -o yaml output that reads back as the same manifests plus the clones.
. "$(dirname "$0")/lib.sh"

cat >values.yaml <<'YAML'
deploykf_dependencies:
  kyverno:
    clusterPolicies:
      imagePullSecrets:
        enabled: true
        excludeNamespaces: ["argocd", "kube-system", "team-*-sandbox"]
        registryCredentials:
          - existingSecret: "regcred"
YAML
cat >pod.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: team-1}
spec:
  imagePullSecrets: [{name: own}]
  containers: [{name: web, image: web}]
YAML

t "usage errors exit 2"
expect_exit 2 "$BIN" namespaces --format xml
expect_stderr_contains "unknown format 'xml'"
expect_exit 2 "$BIN" render --from ns.txt
expect_stderr_contains "--from is an option of namespaces"
expect_exit 2 "$BIN" lint --namespace x
expect_exit 2 "$BIN" preview -f values.yaml
expect_stderr_contains "preview needs a MANIFEST"
expect_exit 2 "$BIN" preview -o json -f values.yaml pod.yaml
expect_exit 2 "$BIN" preview -f values.yaml no-such.yaml
expect_stderr_contains "cannot open 'no-such.yaml'"
expect_exit 2 "$BIN" namespaces --from .
expect_stderr_contains "is a directory"

t "--help names both commands"
expect_exit 0 "$BIN" --help
expect_stdout_contains "dkfpolicy namespaces"
expect_stdout_contains "dkfpolicy preview"

t "namespaces --from - reads kubectl get ns -o name"
printf 'namespace/team-1\nnamespace/team-x-sandbox\n' >ns.txt
expect_exit 0 "$BIN" namespaces -f values.yaml --from - <ns.txt
expect_stdout_matches "^team-1 +cloned"
expect_stdout_matches "^team-x-sandbox +excluded +matches 'team-\*-sandbox'"

t "namespaces --format json parses"
if command -v python3 >/dev/null 2>&1; then
	"$BIN" namespaces -f values.yaml --format json >ns.json
	check "valid JSON with every namespace" python3 -c '
import json, sys
d = json.load(open("ns.json"))
names = {n["name"]: n for n in d["namespaces"]}
assert names["kube-system"]["receivesSecrets"] is False
assert names["team-1"]["secrets"] == ["cloned--image-pull-secret-0"]
'
	check "shape version 1, first, as in lint's JSON" python3 -c '
import json
d = json.load(open("ns.json"))
assert list(d)[0] == "version" and d["version"] == 1, list(d)
'
	# every key camelCase, like lint --format json's (endLine, ruleIndex...)
	"$BIN" lint --format json values.yaml >lint.json
	check "keys are camelCase, as in lint's JSON" python3 -c '
import json, re, sys
def keys(v):
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from keys(x)
    elif isinstance(v, list):
        for x in v:
            yield from keys(x)
for f in ("ns.json", "lint.json"):
    bad = [k for k in keys(json.load(open(f))) if not re.fullmatch("[a-z][A-Za-z]*", k)]
    assert not bad, (f, bad)
'
else
	skip "valid JSON" "no python3"
fi

t "preview -o yaml keeps the Pod's own secrets first"
expect_exit 0 "$BIN" preview -f values.yaml -o yaml pod.yaml
"$BIN" preview -f values.yaml -o yaml pod.yaml >mutated.yaml
check "the copy follows the Pod's own entry" \
	sh -c 'grep -A1 "name: own\$" mutated.yaml | tail -n 1 | grep -q "name: \"cloned--image-pull-secret-0\""'
check "the mutated manifest previews again (two copies: the append is not idempotent)" \
	sh -c '"$0" preview -f values.yaml mutated.yaml | grep -q "\[own, cloned--image-pull-secret-0, cloned--image-pull-secret-0\]"' "$BIN"

# README.md ("See it before you sync") says what -o yaml keeps and what it does not
t "preview -o yaml: what is kept and what is not, as README.md says"
cat >styles.yaml <<'YAML'
# a comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: styles   # trailing comment
  labels: {app: web, tier: "front"}
data:
  hex: 0x1F
  tilde: ~
  date: 2001-12-14
  tagged: !!str 123
  single: 'single quoted'
  plain: plain text
  literal: |-
    line one
    line two
  folded: >
    folded text
  multi: this is
    one plain value
  anchored: &a anchored value
  alias: *a
YAML
expect_exit 0 "$BIN" preview -f values.yaml -o yaml styles.yaml
for kept in 'apiVersion: v1' '  hex: 0x1F' '  tilde: ~' '  date: 2001-12-14' '  tagged: !!str 123' \
	'  single: "single quoted"' '  plain: plain text' '  literal: |-' '    line one' '  folded: >' \
	'    tier: "front"'; do
	check "keeps '$kept'" grep -qxF -e "$kept" "$_out"
done
check "keys in their order" sh -c 'grep -o "^  [a-z]*:" "$1" | tr -d " \n" | grep -q "^name:labels:hex:tilde:date:tagged:single:plain:literal:folded:multi:anchored:alias:$"' sh "$_out"
check "no comments" sh -c '! grep -q "#" "$1"' sh "$_out"
check "flow style becomes block" grep -qxF '    app: web' "$_out"
check "a multi-line plain value becomes one line" grep -qxF '  multi: this is one plain value' "$_out"
check "no anchor, the alias written as a copy" sh -c '! grep -q "[&*]a" "$1" && grep -qxF "  alias: anchored value" "$1"' sh "$_out"
check "each document starts with ---" sh -c '[ "$(head -n 1 "$1")" = --- ]' sh "$_out"

t "preview writes nothing when a manifest is broken"
printf 'kind: Pod\nspec: [\n' >broken.yaml
expect_exit 1 "$BIN" preview -f values.yaml pod.yaml broken.yaml
expect_stdout_empty
expect_stderr_contains "[DKF101]"

t "preview to a full disk fails"
if [ -w /dev/full ]; then
	expect_exit 2 sh -c '"$0" preview -f values.yaml pod.yaml >/dev/full' "$BIN"
else
	skip "write error" "no /dev/full"
fi

finish
