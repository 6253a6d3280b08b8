#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_risk.h"
#include "invariants.h"
#include "nsmatch.h"
#include "report.h"
#include "source.h"
#include "xalloc.h"
#include "yload.h"

const struct yparse_limits fuzz_limits = { YPARSE_DEFAULT_MAX_DEPTH, 100000, 100000 };

static const char separator[] = "\n%%\n";

size_t fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts, size_t max)
{
	const char *text = (const char *)data;
	size_t count = 0, start = 0, sep = sizeof(separator) - 1;
	for (size_t i = 0; count + 1 < max && i + sep <= size; i++) {
		if (memcmp(text + i, separator, sep) != 0)
			continue;
		parts[count].data = text + start;
		parts[count++].len = i + 1 - start;
		start = i + sep;
		i = start - 1;
	}
	parts[count].data = text + start;
	parts[count++].len = size - start;
	return count;
}

/* FNV-1a, 64 bits: any hash will do that the input cannot aim at */
static uint64_t hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	return h;
}

void fuzz_secret(const uint8_t *data, size_t size, char out[FUZZ_SECRET_SIZE])
{
	snprintf(out, FUZZ_SECRET_SIZE, "DKFLEAK%016llX", (unsigned long long)hash(data, size));
}

unsigned fuzz_bits(const char *secret)
{
	return (unsigned)strtoul(secret + strlen(secret) - 2, NULL, 16);
}

bool fuzz_prepend(struct strbuf *out, const char *text, size_t len, const char *lines)
{
	static const char bom[] = "\xef\xbb\xbf";
	size_t at = 0;
	if (len >= 2 && ((unsigned char)text[0] == 0xff || (unsigned char)text[0] == 0xfe))
		goto alone; /* UTF-16 (or no text at all) */
	if (len >= 3 && memcmp(text, bom, 3) == 0)
		at = 3;
	if (at < len && text[at] == '%')
		goto alone;
	if (len - at >= 3 && memcmp(text + at, "---", 3) == 0) {
		/* the lines go after it, where the document's content starts */
		size_t end = at + 3;
		if (end < len && text[end] == '\r')
			end += end + 1 < len && text[end + 1] == '\n' ? 2 : 1;
		else if (end < len && text[end] == '\n')
			end++;
		else if (end < len)
			goto alone; /* "--- value", "---x": not a line of its own */
		strbuf_add(out, text, end);
		if (end == at + 3)
			strbuf_addch(out, '\n');
		at = end;
	} else {
		strbuf_add(out, text, at);
	}
	strbuf_adds(out, lines);
	strbuf_add(out, text + at, len - at);
	return true;
alone:
	strbuf_add(out, text, len);
	return false;
}

/* ------------------------------------------------------------ temp files */

static char temp_dir[256];
static char *temp_files[8];
static size_t temp_count;

static void remove_temp(void)
{
	for (size_t i = 0; i < temp_count; i++) {
		unlink(temp_files[i]);
		free(temp_files[i]);
	}
	if (*temp_dir)
		rmdir(temp_dir);
}

const char *fuzz_temp_file(const char *name, const void *data, size_t len)
{
	if (!*temp_dir) {
		/* a file rewritten for every input: memory (/dev/shm) spares the
		 * disk, which a truncated and rewritten file makes wait on ext4 */
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(temp_dir, sizeof(temp_dir), "%s/dkf-fuzz-XXXXXX", tmp);
		if (!mkdtemp(temp_dir))
			inv_fail("temporary folder", "mkdtemp failed");
		atexit(remove_temp);
	}
	char *path = NULL;
	for (size_t i = 0; i < temp_count && !path; i++)
		if (strcmp(strrchr(temp_files[i], '/') + 1, name) == 0)
			path = temp_files[i];
	if (!path) {
		if (temp_count == sizeof(temp_files) / sizeof(temp_files[0]))
			inv_fail("temporary folder", "too many names");
		size_t n = strlen(temp_dir) + strlen(name) + 2;
		path = xmalloc(n);
		snprintf(path, n, "%s/%s", temp_dir, name);
		temp_files[temp_count++] = path;
	}
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
		inv_fail(path, "cannot write the input file");
	return path;
}

/* ----------------------------------------------------------------- report */

void fuzz_show(const char *what, const char *buf, size_t len)
{
	static int show = -1;
	if (show < 0)
		show = getenv("DKF_FUZZ_SHOW") != NULL;
	if (show)
		fprintf(stderr, "--- %s (%zu bytes)\n%.*s", what, len, (int)len, buf);
}

/* One report of a copy of diags; returns its exit status and, in *count,
 * the diagnostics it wrote. */
static int report_once(const struct diag_list *diags, const struct dkf_config *config,
		       const char *const *inputs, size_t input_count,
		       const struct report_format *format, bool color, const char *secret,
		       size_t *count)
{
	struct diag_list copy = *diags;
	copy.alloc = diags->count + 1;
	copy.items = xmalloc(copy.alloc * sizeof(*copy.items));
	if (diags->count)
		memcpy(copy.items, diags->items, diags->count * sizeof(*copy.items));
	struct report r;
	report_init(&r, &copy, config);
	for (size_t i = 0; i < input_count; i++)
		report_input(&r, inputs[i]);

	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	if (!fp)
		abort();
	struct report_output o = { format, fp, { color, "0.0.0-fuzz" }, false };
	int status = report_finish(&r, &o);
	if (fclose(fp) != 0)
		abort();

	char what[64];
	snprintf(what, sizeof(what), "%s report%s", format->name, color ? " (colour)" : "");
	fuzz_show(what, buf, len);
	inv_absent(what, buf, len, secret);
	if (format == &report_github_format)
		inv_github(what, buf, len, copy.count);
	else if (format == &report_json_format || format == &report_sarif_format)
		inv_json(what, buf, len);
	else
		inv_text(what, buf, len, INV_TAB | (color ? INV_SGR : 0));
	*count = copy.count;
	free(buf);
	report_release(&r);
	diag_list_release(&copy);
	return status;
}

int fuzz_report_all(const struct diag_list *diags, const struct dkf_config *config,
		    const char *const *inputs, size_t input_count, const char *secret)
{
	size_t count;
	int status = report_once(diags, config, inputs, input_count, &report_text_format, true,
				 secret, &count);
	for (size_t f = 0; report_formats[f]; f++) {
		size_t n;
		int s = report_once(diags, config, inputs, input_count, report_formats[f], false,
				    secret, &n);
		if (s != status || n != count)
			inv_fail(report_formats[f]->name,
				 "the formats disagree on what they report");
	}
	return status;
}

/* --------------------------------------------------------------- policies */

/* Blocks as people write them, each turning one part of the preview and the
 * namespace listing on: wildcards ('*', '?', several stars), a policy that
 * renders nothing, one that excludes everything, a moved kyverno namespace
 * with deployKF v0.1.3's shape. */
#define BLOCK "deploykf_dependencies:\n  kyverno:\n"
#define IPS   "    clusterPolicies:\n      imagePullSecrets:\n"
static const struct {
	const char *label, *values;
	enum dkf_version version;
} canned[] = {
	{ "wildcards",
	  BLOCK IPS "        enabled: true\n"
		    "        excludeNamespaces: [argocd, kube-system, \"team-*\", \"*-sys?em\",\n"
		    "          \"a*b*a*b*c\", \"??\", \"*-*-*\"]\n"
		    "        registryCredentials:\n"
		    "          - existingSecret: regcred\n"
		    "          - existingSecret: mirror\n"
		    "            existingSecretNamespace: secrets\n",
	  DKF_VERSION_DEFAULT },
	{ "disabled",
	  BLOCK IPS "        enabled: false\n"
		    "        registryCredentials: [{existingSecret: regcred}]\n",
	  DKF_VERSION_DEFAULT },
	{ "everything excluded",
	  BLOCK IPS "        enabled: true\n"
		    "        excludeNamespaces: [\"*\"]\n"
		    "        registryCredentials: [{existingSecret: regcred}]\n",
	  DKF_VERSION_DEFAULT },
	{ "kyverno moved, v0.1.3",
	  BLOCK "    namespace: policy-system\n" IPS "        enabled: true\n"
		"        excludeNamespaces: []\n"
		"        registryCredentials:\n"
		"          - {existingSecret: a, existingSecretNamespace: \"\"}\n"
		"          - {existingSecret: b, existingSecretNamespace: default}\n"
		"          - {existingSecret: c, existingSecretNamespace: policy-system}\n",
	  DKF_V0_1_3 },
};
enum { CANNED_COUNT = sizeof(canned) / sizeof(canned[0]) };

/* What a canned policy points into; kept (static) until exit, so the leak
 * checker sees it reachable. */
static struct canned_run {
	struct arena arena;
	struct diag_list diags;
	struct stack_options options;
	struct stack stack;
} runs[CANNED_COUNT];

static void build_policy(size_t i, struct fuzz_policy *out)
{
	struct canned_run *run = &runs[i];
	struct arena *arena = &run->arena;
	arena_init(arena);
	struct diag_list *diags = &run->diags;
	diag_list_init(diags, arena);
	struct stack_options *options = &run->options;
	options->max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	options->limits = fuzz_limits;
	options->expected_excludes = risk_default_excludes;
	options->expected_exclude_count = risk_default_exclude_count;
	struct stack *stack = &run->stack;
	char err[512];
	if (stack_init(stack, options, arena, diags, err, sizeof(err)) != 0)
		inv_fail("canned policy", err);
	struct stack_layer layer = { "values.yaml", NULL, false };
	struct source src;
	source_from_memory(&src, "values.yaml", canned[i].values, strlen(canned[i].values));
	layer.failed = yload(&src, block_wanted_keys, &fuzz_limits, arena, diags, &layer.root) != 0;
	struct stack_result result;
	if (!stack_evaluate(stack, &layer, 1, arena, &result) || result.config.unrenderable ||
	    diag_count_at_least(diags, DIAG_ERROR))
		inv_fail(canned[i].label, "the canned values do not make a policy");
	out->label = canned[i].label;
	out->config = result.config;
	ips_config_to_policy(&out->config, canned[i].version, arena, &out->policy);
	out->renders = ips_config_renders(&out->config);
}

const struct fuzz_policy *fuzz_pick_policy(const uint8_t **data, size_t *size)
{
	static struct fuzz_policy policies[CANNED_COUNT];
	static bool built[CANNED_COUNT];
	size_t i = 0;
	if (*size >= 2 && (*data)[0] >= '0' && (*data)[0] <= '9' && (*data)[1] == '\n') {
		i = (size_t)((*data)[0] - '0') % CANNED_COUNT;
		*data += 2;
		*size -= 2;
	}
	if (!built[i]) {
		build_policy(i, &policies[i]);
		built[i] = true;
	}
	return &policies[i];
}

void fuzz_check_classify(const struct policy *policy, const char *ns, size_t len)
{
	struct nsmatch m;
	nsmatch_init(&m, policy);
	const char *pattern;
	enum nsmatch_reason got = nsmatch_classify(&m, ns, len, &pattern);
	nsmatch_release(&m);

	const char *want_pattern = NULL;
	enum nsmatch_reason want = NSMATCH_INCLUDED;
	const char *kyverno = policy->kyverno_namespace;
	if (kyverno && strlen(kyverno) == len && memcmp(kyverno, ns, len) == 0) {
		want = NSMATCH_KYVERNO_NAMESPACE;
	} else {
		for (size_t i = 0; i < policy->excluded_count && !want_pattern; i++)
			if (inv_wildcard_match(policy->excluded[i], ns, len))
				want_pattern = policy->excluded[i];
		if (want_pattern)
			want = NSMATCH_PATTERN;
	}
	if (got != want || pattern != want_pattern)
		inv_fail("namespace classification", "nsmatch and the wildcard oracle disagree");
}
