/*
 * bench/gen: write the benchmark inputs. Deterministic (a fixed seed), so
 * every run of `make bench` measures the same bytes.
 *
 *   gen typical FILE   a deployKF-like values file of about 80 KB, policy enabled
 *   gen large FILE     about 10 MB of unrelated keys, the block in the middle
 *   gen wide FILE      the block with 2,000 registry credentials
 *   gen many DIR       500 values files of about 20 KB (DIR/values-NNN.yaml)
 *   gen small FILE     a 1 KB values file (process start, not set-up)
 *   gen deep FILE      large's 10 MB, then the block with 300 findings at the very end
 *   gen scale KIND N DIR
 *                      the input of one scaling row at size N, in DIR (see
 *                      scale_kinds below): run at N and 2N, the time should
 *                      double, not quadruple
 *
 * The filler looks like what people keep in values files (images, resources,
 * env lists, block scalars, comments, quoted strings, anchors) so the
 * scanner does the work it does on real files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	/* xorshift64*: fast, portable, and the same everywhere */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % n;
}

static const char *const words[] = {
	"alpha", "bravo",  "charlie", "delta", "echo", "foxtrot",  "golf",  "hotel",
	"india", "juliet", "kilo",    "lima",  "mike", "november", "oscar", "papa",
};
#define WORD() (words[rnd(sizeof(words) / sizeof(words[0]))])

/* One unrelated application section, about 900 bytes, under `indent`. */
static void app_section(FILE *out, const char *prefix, unsigned id, int indent)
{
	int i = indent;
	fprintf(out, "%*s## %s %u: settings the image-pull-secrets policy never reads\n", i, "",
		WORD(), id);
	fprintf(out, "%*s%s_%05u:\n", i, "", prefix, id);
	i += 2;
	fprintf(out, "%*senabled: %s\n", i, "", rnd(2) ? "true" : "false");
	fprintf(out, "%*snamespace: \"team-%s-%u\"\n", i, "", WORD(), id);
	fprintf(out, "%*simage:\n", i, "");
	fprintf(out, "%*s  repository: ghcr.io/example/%s-%s\n", i, "", WORD(), WORD());
	fprintf(out, "%*s  tag: v%u.%u.%u\n", i, "", rnd(5), rnd(20), rnd(10));
	fprintf(out, "%*s  pullPolicy: IfNotPresent\n", i, "");
	fprintf(out, "%*sreplicas: %u\n", i, "", 1 + rnd(5));
	fprintf(out, "%*sresources:\n", i, "");
	fprintf(out, "%*s  requests: {cpu: %um, memory: %uMi}\n", i, "", 50 * (1 + rnd(8)),
		64 << rnd(4));
	fprintf(out, "%*s  limits: {cpu: \"%u\", memory: %uGi}\n", i, "", 1 + rnd(4), 1 + rnd(8));
	fprintf(out, "%*senv:\n", i, "");
	for (unsigned k = 0, n = 2 + rnd(3); k < n; k++) {
		fprintf(out, "%*s  - name: %s_%s\n", i, "", WORD(), WORD());
		fprintf(out, "%*s    value: '%s %s, %u'\n", i, "", WORD(), WORD(), rnd(1000));
	}
	fprintf(out, "%*snodeSelector: {kubernetes.io/os: linux}\n", i, "");
	fprintf(out,
		"%*stolerations: [{key: dedicated, operator: Equal, value: %s, effect: "
		"NoSchedule}]\n",
		i, "", WORD());
	fprintf(out, "%*sconfig: |\n", i, "");
	for (unsigned k = 0, n = 2 + rnd(3); k < n; k++)
		fprintf(out, "%*s  %s.%s = %u  # %s\n", i, "", WORD(), WORD(), rnd(100000), WORD());
	fprintf(out, "%*sannotations:\n", i, "");
	fprintf(out, "%*s  example.com/owner: \"%s@example.com\"\n", i, "", WORD());
	fprintf(out, "%*s  example.com/created: 2024-0%u-1%u\n", i, "", 1 + rnd(9), rnd(10));
}

/* The imagePullSecrets block under deploykf_dependencies.kyverno. */
static void policy_block(FILE *out, unsigned credentials)
{
	fputs("deploykf_dependencies:\n"
	      "  cert_manager:\n"
	      "    enabled: true\n"
	      "    namespace: cert-manager\n"
	      "  istio:\n"
	      "    enabled: true\n"
	      "    namespace: istio-system\n"
	      "  kyverno:\n"
	      "    enabled: true\n"
	      "    namespace: kyverno\n"
	      "    clusterPolicies:\n"
	      "      imagePullSecrets:\n"
	      "        ## clone our registry credentials into every namespace\n"
	      "        enabled: true\n"
	      "        excludeNamespaces:\n"
	      "          - \"argocd\"\n"
	      "          - \"kube-system\"\n"
	      "          - \"kube-public\"\n"
	      "          - \"monitoring-*\"\n"
	      "        registryCredentials:\n",
	      out);
	for (unsigned k = 0; k < credentials; k++) {
		fprintf(out, "          - existingSecret: \"registry-%s-%04u\"\n", WORD(), k);
		if (k % 3 == 1)
			fprintf(out, "            existingSecretNamespace: \"secrets-%u\"\n",
				k % 7);
	}
	fputs("  argo_workflows:\n"
	      "    enabled: true\n"
	      "    namespace: argo-workflows\n",
	      out);
}

/* deployKF profiles: kept whole by the loader, so realistic files cost it work. */
static void profiles(FILE *out, unsigned count)
{
	fputs("deploykf_core:\n"
	      "  deploykf_auth:\n"
	      "    dex:\n"
	      "      staticPasswords:\n"
	      "        - email: \"admin@example.com\"\n"
	      "          password:\n"
	      "            value: \"not-a-real-password\"\n"
	      "  deploykf_profiles_generator:\n"
	      "    users:\n",
	      out);
	for (unsigned k = 0; k < count; k++)
		fprintf(out, "      - id: user-%u\n        email: \"user%u@example.com\"\n", k, k);
	fputs("    profiles:\n", out);
	for (unsigned k = 0; k < count; k++) {
		fprintf(out, "      - name: team-%s-%u\n", WORD(), k);
		fputs("        members:\n", out);
		for (unsigned m = 0; m < 3; m++)
			fprintf(out,
				"          - user: user-%u\n"
				"            access: {role: %s, notebooksAccess: %s}\n",
				rnd(count), rnd(2) ? "edit" : "view", rnd(2) ? "true" : "false");
	}
}

static long file_size(FILE *out)
{
	fflush(out);
	return ftell(out);
}

static void filler(FILE *out, const char *prefix, unsigned *id, long until)
{
	while (file_size(out) < until)
		app_section(out, prefix, (*id)++, 0);
}

static FILE *create(const char *path)
{
	FILE *out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "gen: cannot write '%s': %s\n", path, strerror(errno));
		exit(2);
	}
	return out;
}

static void finish(FILE *out, const char *path)
{
	if (fflush(out) != 0 || ferror(out) || fclose(out) != 0) {
		fprintf(stderr, "gen: cannot write '%s'\n", path);
		exit(2);
	}
}

static void typical(const char *path, long size, unsigned credentials)
{
	FILE *out = create(path);
	unsigned id = 0;
	fputs("# deployKF values for the example platform\n"
	      "argocd:\n"
	      "  namespace: argocd\n"
	      "  source:\n"
	      "    repo: {url: \"https://github.com/example/platform.git\", revision: main}\n\n",
	      out);
	policy_block(out, credentials);
	profiles(out, 20);
	fputs("kubeflow_tools:\n", out);
	while (file_size(out) < size)
		app_section(out, "tool", id++, 2);
	finish(out, path);
}

/* ---------------------------------------------------------------- scaling */

/* The path to the block, for the scaling inputs: open at imagePullSecrets. */
#define BLOCK_PATH                                                                                 \
	"deploykf_dependencies:\n"                                                                 \
	"  kyverno:\n"                                                                             \
	"    clusterPolicies:\n"                                                                   \
	"      imagePullSecrets:\n"
/* ... and a block that renders, open for more of its keys */
static const char enabled_block[] =
	BLOCK_PATH "        enabled: true\n"
		   "        registryCredentials: [{existingSecret: a}]\n";

static FILE *create_in(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);
	if (!path)
		exit(2);
	snprintf(path, len, "%s/%s", dir, name);
	FILE *out = create(path);
	free(path);
	return out;
}

/* A valid block: what the stack of namespaces and preview needs. */
static void scale_values(const char *dir, const char *excludes)
{
	FILE *out = create_in(dir, "values.yaml");
	fputs(enabled_block, out);
	if (excludes)
		fprintf(out, "        excludeNamespaces: %s\n", excludes);
	finish(out, dir);
}

/* N anchors defined (the anchor table was a list scanned per anchor). */
static void scale_anchors(const char *dir, unsigned n)
{
	FILE *out = create_in(dir, "values.yaml");
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "k%u: &a%u v\n", i, i);
	fprintf(out, "last: *a%u\n", n - 1);
	finish(out, dir);
}

/* N aliases of one bad name: N findings at one position (de-duplication). */
static void scale_aliases(const char *dir, unsigned n)
{
	FILE *out = create_in(dir, "values.yaml");
	fprintf(out, "bad: &bad \"Bad_Name\"\n%s        excludeNamespaces:\n", enabled_block);
	for (unsigned i = 0; i < n; i++)
		fputs("          - *bad\n", out);
	finish(out, dir);
}

/* `namespaces --from` a list of N lines (a list lookup per name). */
static void scale_nslist(const char *dir, unsigned n)
{
	scale_values(dir, NULL);
	FILE *out = create_in(dir, "namespaces.txt");
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "namespace/team-%s-%u\n", WORD(), i);
	finish(out, dir);
}

/* N unknown rule names in the configuration (each found with strstr). */
static void scale_rules(const char *dir, unsigned n)
{
	scale_values(dir, NULL);
	FILE *out = create_in(dir, "dkfpolicy.yaml");
	fputs("rules:\n  off:\n", out);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "    - no-such-rule-%u\n", i);
	finish(out, dir);
}

/* N findings, each with a marker that silences something else (unused). */
static void scale_suppressions(const char *dir, unsigned n)
{
	FILE *out = create_in(dir, "values.yaml");
	fprintf(out, "%s        excludeNamespaces:\n", enabled_block);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "          - \"Bad_%u\"  # dkfpolicy: ignore[DKF305]\n", i);
	finish(out, dir);
}

/* N profiles, a wildcard exclude that swallows some of them. */
static void scale_profiles(const char *dir, unsigned n)
{
	FILE *out = create_in(dir, "values.yaml");
	fprintf(out,
		"%s        excludeNamespaces: [argocd, kube-system, \"team-1*\"]\n"
		"deploykf_core:\n  deploykf_profiles_generator:\n    profiles:\n",
		enabled_block);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "      - name: team-%u\n        members: []\n", i);
	finish(out, dir);
}

/* A manifest of N objects, each with an anchor and an alias (preview). */
static void scale_preview(const char *dir, unsigned n)
{
	scale_values(dir, NULL);
	FILE *out = create_in(dir, "manifest.yaml");
	fputs("apiVersion: v1\nkind: List\nitems:\n", out);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "  - {kind: ConfigMap, metadata: {name: &n%u c%u}, data: {x: *n%u}}\n",
			i, i, i);
	finish(out, dir);
}

/* `<<` of an anchored map of N keys into another anchored map of N keys. */
static void scale_merge(const char *dir, unsigned n)
{
	FILE *out = create_in(dir, "values.yaml");
	fputs("base: &base\n", out);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "  k%u: v\n", i);
	fputs("other: &other\n  <<: *base\n  k7: override\n", out);
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "  j%u: v\n", i);
	finish(out, dir);
}

/* N files for one command line, a finding in each. */
static void scale_files(const char *dir, unsigned n)
{
	char name[32];
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "f%05u.yaml", i);
		FILE *out = create_in(dir, name);
		fputs(BLOCK_PATH "        enabled: maybe\n", out);
		finish(out, dir);
	}
}

/* lines of unrelated values, then findings at the very end, each with an
 * excerpt (every excerpt read the file from its start) */
static void deep_file(FILE *out, unsigned lines, unsigned findings)
{
	for (unsigned i = 0; i < lines; i++)
		fprintf(out, "key%u: value %u with some padding text\n", i, i);
	fprintf(out, "%s        excludeNamespaces:\n", enabled_block);
	for (unsigned i = 0; i < findings; i++)
		fprintf(out, "          - \"Bad_%u\"\n", i);
}

static void scale_deep(const char *dir, unsigned n)
{
	FILE *out = create_in(dir, "values.yaml");
	deep_file(out, n, n / 400);
	finish(out, dir);
}

/* A pattern of many stars against N names that almost match it (a
 * backtracking matcher takes exponential steps on each). */
static void scale_wildcard(const char *dir, unsigned n)
{
	scale_values(dir, "[\"*a*a*a*a*a*a*a*a*a*a*a*a*b\"]");
	FILE *out = create_in(dir, "namespaces.txt");
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-%u\n", i);
	finish(out, dir);
}

static const struct {
	const char *kind;
	void (*write)(const char *dir, unsigned n);
} scale_kinds[] = {
	{ "anchors", scale_anchors },
	{ "aliases", scale_aliases },
	{ "nslist", scale_nslist },
	{ "rules", scale_rules },
	{ "suppressions", scale_suppressions },
	{ "profiles", scale_profiles },
	{ "preview", scale_preview },
	{ "merge", scale_merge },
	{ "files", scale_files },
	{ "deep", scale_deep },
	{ "wildcard", scale_wildcard },
};

static int scale(const char *kind, const char *count, const char *dir)
{
	char *end;
	unsigned long n = strtoul(count, &end, 10);
	if (*end || n == 0 || n > 10000000) {
		fprintf(stderr, "gen: bad size '%s'\n", count);
		return 2;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: cannot create '%s': %s\n", dir, strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < sizeof(scale_kinds) / sizeof(scale_kinds[0]); i++)
		if (strcmp(scale_kinds[i].kind, kind) == 0) {
			scale_kinds[i].write(dir, (unsigned)n);
			return 0;
		}
	fprintf(stderr, "gen: unknown scaling input '%s'\n", kind);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "scale") == 0)
		return scale(argv[2], argv[3], argv[4]);
	if (argc != 3) {
		fputs("usage: gen typical|large|wide|many|small|deep PATH\n"
		      "       gen scale KIND N DIR\n",
		      stderr);
		return 2;
	}
	const char *kind = argv[1], *path = argv[2];
	if (strcmp(kind, "typical") == 0) {
		typical(path, 80 * 1024, 3);
	} else if (strcmp(kind, "small") == 0) {
		FILE *out = create(path);
		policy_block(out, 2);
		app_section(out, "app", 0, 0);
		finish(out, path);
	} else if (strcmp(kind, "large") == 0) {
		FILE *out = create(path);
		unsigned id = 0;
		filler(out, "app", &id, 5L * 1024 * 1024);
		policy_block(out, 3);
		filler(out, "app", &id, 10L * 1024 * 1024);
		finish(out, path);
	} else if (strcmp(kind, "deep") == 0) {
		/* large, with the block at the very end and 300 findings in it,
		 * each quoted: where excerpts cost most */
		FILE *out = create(path);
		unsigned id = 0;
		filler(out, "app", &id, 10L * 1024 * 1024);
		deep_file(out, 0, 300);
		finish(out, path);
	} else if (strcmp(kind, "wide") == 0) {
		FILE *out = create(path);
		unsigned id = 0;
		policy_block(out, 2000);
		filler(out, "app", &id, file_size(out) + 8 * 1024);
		finish(out, path);
	} else if (strcmp(kind, "many") == 0) {
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "gen: cannot create '%s': %s\n", path, strerror(errno));
			return 2;
		}
		size_t len = strlen(path) + 32;
		char *name = malloc(len);
		if (!name)
			return 2;
		for (unsigned k = 0; k < 500; k++) {
			snprintf(name, len, "%s/values-%03u.yaml", path, k);
			typical(name, 20 * 1024, 1 + k % 3);
		}
		free(name);
	} else {
		fprintf(stderr, "gen: unknown input kind '%s'\n", kind);
		return 2;
	}
	return 0;
}
