#include "cmd_namespaces.h"

#include <stdlib.h>
#include <string.h>

#include "nsmatch.h"
#include "xalloc.h"

struct row {
	const char *name;
	enum nslist_origin origin;
	enum nsmatch_reason reason;
	const char *pattern;
};

static const char *reason_key(enum nsmatch_reason r)
{
	switch (r) {
	case NSMATCH_INCLUDED: return "included";
	case NSMATCH_KYVERNO_NAMESPACE: return "kyverno-namespace";
	case NSMATCH_PATTERN: return "pattern";
	}
	return "included";
}

static void pad(struct strbuf *out, size_t have, size_t width)
{
	for (size_t i = have; i < width + 2; i++)
		strbuf_addch(out, ' ');
}

static void json_string(struct strbuf *out, const char *s)
{
	if (s)
		strbuf_add_json_string(out, s, strlen(s));
	else
		strbuf_adds(out, "null");
}

static void write_json(const struct policy *policy, bool renders, const struct row *rows,
		       const struct nslist *list, const bool *listed,
		       const struct namespaces_options *options, struct strbuf *out)
{
	char copy[NSMATCH_CLONE_NAME_MAX];
	strbuf_addf(out, "{\n  \"version\": 1,\n  \"deploykfVersion\": \"%s\",\n"
			 "  \"policyRenders\": %s,\n",
		    version_name(policy->version), renders ? "true" : "false");
	strbuf_adds(out, "  \"kyvernoNamespace\": ");
	json_string(out, policy->kyverno_namespace);
	strbuf_adds(out, ",\n  \"excludePatterns\": [");
	for (size_t i = 0; i < policy->excluded_count; i++) {
		strbuf_adds(out, i ? ", " : "");
		json_string(out, policy->excluded[i]);
	}
	strbuf_addf(out, "],\n  \"namespaceList\": \"%s\",\n  \"namespaces\": [",
		    options->is_listed ? "file" : "deploykf-defaults");
	for (size_t i = 0; i < list->count; i++) {
		const struct row *r = &rows[i];
		bool receives = renders && r->reason == NSMATCH_INCLUDED;
		strbuf_adds(out, i ? ",\n    {" : "\n    {");
		strbuf_adds(out, "\"name\": ");
		json_string(out, r->name);
		strbuf_addf(out, ", \"origin\": \"%s\", \"receivesSecrets\": %s, \"reason\": \"%s\", "
				 "\"excludedBy\": ",
			    nslist_origin_name(r->origin), receives ? "true" : "false",
			    reason_key(r->reason));
		json_string(out, r->reason == NSMATCH_KYVERNO_NAMESPACE ? policy->kyverno_namespace
									: r->pattern);
		strbuf_adds(out, ", \"secrets\": [");
		for (size_t c = 0; receives && c < policy->credential_count; c++) {
			nsmatch_clone_name(c, copy, sizeof(copy));
			strbuf_adds(out, c ? ", " : "");
			json_string(out, copy);
		}
		strbuf_adds(out, "]}");
	}
	strbuf_adds(out, list->count ? "\n  ],\n  \"credentials\": [" : "],\n  \"credentials\": [");
	for (size_t c = 0; c < policy->credential_count; c++) {
		const struct policy_credential *pc = &policy->credentials[c];
		nsmatch_clone_name(c, copy, sizeof(copy));
		strbuf_addf(out, "%s{\"index\": %zu, \"secret\": ", c ? ",\n    " : "\n    ", c);
		json_string(out, pc->secret_name);
		strbuf_adds(out, ", \"sourceNamespace\": ");
		json_string(out, pc->source_namespace);
		strbuf_adds(out, ", \"copy\": ");
		json_string(out, copy);
		strbuf_addf(out, ", \"sourceNamespaceListed\": %s}", listed[c] ? "true" : "false");
	}
	strbuf_adds(out, policy->credential_count ? "\n  ]\n}\n" : "]\n}\n");
}

static void write_text(const struct policy *policy, bool renders, const struct row *rows,
		       const struct nslist *list, const bool *listed, struct strbuf *out)
{
	strbuf_addf(out, "policy clone-image-pull-secrets (deployKF %s): ",
		    version_name(policy->version));
	if (renders)
		strbuf_addf(out, "clones %zu secret%s into every namespace no pattern excludes\n",
			    policy->credential_count, policy->credential_count == 1 ? "" : "s");
	else
		strbuf_adds(out, "renders nothing (it needs 'enabled: true' and at least one "
				 "registry credential), so no namespace gets secrets\n");
	strbuf_adds(out, "exclude patterns:");
	for (size_t i = 0; i < policy->excluded_count; i++)
		strbuf_addf(out, "%s '%s'", i ? "," : "", policy->excluded[i]);
	strbuf_adds(out, "\n\n");

	size_t width = strlen("NAMESPACE");
	for (size_t i = 0; i < list->count; i++)
		if (strlen(rows[i].name) > width)
			width = strlen(rows[i].name);
	strbuf_adds(out, "NAMESPACE");
	pad(out, strlen("NAMESPACE"), width);
	strbuf_adds(out, "SECRETS   WHY\n");
	for (size_t i = 0; i < list->count; i++) {
		const struct row *r = &rows[i];
		strbuf_adds(out, r->name);
		pad(out, strlen(r->name), width);
		switch (r->reason) {
		case NSMATCH_INCLUDED:
			strbuf_adds(out, renders ? "cloned    no pattern matches\n"
						 : "none      the policy renders nothing\n");
			break;
		case NSMATCH_KYVERNO_NAMESPACE:
			strbuf_adds(out, "excluded  the kyverno namespace (always excluded)\n");
			break;
		case NSMATCH_PATTERN:
			strbuf_addf(out, "excluded  matches '%s'\n", r->pattern);
			break;
		}
	}
	if (policy->credential_count == 0)
		return;

	size_t swidth = strlen("SECRET"), nwidth = strlen("SOURCE NAMESPACE");
	for (size_t c = 0; c < policy->credential_count; c++) {
		if (strlen(policy->credentials[c].secret_name) > swidth)
			swidth = strlen(policy->credentials[c].secret_name);
		if (strlen(policy->credentials[c].source_namespace) > nwidth)
			nwidth = strlen(policy->credentials[c].source_namespace);
	}
	strbuf_adds(out, "\nCREDENTIAL  SECRET");
	pad(out, strlen("SECRET"), swidth);
	strbuf_adds(out, "SOURCE NAMESPACE");
	pad(out, strlen("SOURCE NAMESPACE"), nwidth);
	strbuf_adds(out, "LISTED  COPY\n");
	char copy[NSMATCH_CLONE_NAME_MAX];
	for (size_t c = 0; c < policy->credential_count; c++) {
		const struct policy_credential *pc = &policy->credentials[c];
		nsmatch_clone_name(c, copy, sizeof(copy));
		strbuf_addf(out, "%-10zu  %s", c, pc->secret_name);
		pad(out, strlen(pc->secret_name), swidth);
		strbuf_adds(out, pc->source_namespace);
		pad(out, strlen(pc->source_namespace), nwidth);
		strbuf_addf(out, "%-6s  %s\n", listed[c] ? "yes" : "no", copy);
	}
}

void cmd_namespaces(const struct ips_config *config, const struct policy *policy, bool renders,
		    const struct nslist *list, const struct namespaces_options *options,
		    struct diag_list *diags, struct strbuf *out)
{
	struct nsmatch m;
	nsmatch_init(&m, policy);
	struct row *rows = xcalloc(list->count + 1, sizeof(*rows));
	for (size_t i = 0; i < list->count; i++) {
		rows[i].name = list->items[i].name;
		rows[i].origin = list->items[i].origin;
		rows[i].reason = nsmatch_classify(&m, rows[i].name, strlen(rows[i].name),
						  &rows[i].pattern);
	}
	bool *listed = xcalloc(policy->credential_count + 1, sizeof(*listed));
	for (size_t c = 0; c < policy->credential_count; c++) {
		const char *src = policy->credentials[c].source_namespace;
		listed[c] = nslist_contains(list, src);
		if (listed[c] || !options->is_listed)
			continue;
		const struct ips_credential *ic = &config->credentials[c];
		const struct node *at = ic->namespace && !node_is_null(ic->namespace)
						? ic->namespace
						: ic->item;
		diag_add(diags, DKF330, at->mark,
			 "registryCredentials[%zu]: the source namespace '%s' is not in the namespace "
			 "list, so Kyverno has nothing to clone '%s' from; create it, or set "
			 "'existingSecretNamespace' to the namespace that holds the Secret",
			 c, src, policy->credentials[c].secret_name);
	}
	if (options->json)
		write_json(policy, renders, rows, list, listed, options, out);
	else
		write_text(policy, renders, rows, list, listed, out);
	free(listed);
	free(rows);
	nsmatch_release(&m);
}
