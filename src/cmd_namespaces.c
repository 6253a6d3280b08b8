/*
 * `dkfpolicy namespaces`: which namespaces get the cloned secrets and which
 * are excluded (by which pattern, or as the kyverno namespace), and whether
 * each credential's source namespace is in the list: what Kyverno will do
 * once Argo CD syncs the policy, seen offline.
 */
#include <stdlib.h>
#include <string.h>

#include "check_block.h"
#include "cmd.h"
#include "nslist.h"
#include "nsmatch.h"
#include "xalloc.h"

struct namespaces_options {
	bool json;      /* --format json; else text */
	bool is_listed; /* the list came from --from (a real cluster): a missing source
			   namespace is a DKF330 warning */
};

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
	strbuf_addf(out,
		    "{\n  \"version\": 1,\n  \"deploykfVersion\": \"%s\",\n"
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
		strbuf_addf(out,
			    ", \"origin\": \"%s\", \"receivesSecrets\": %s, \"reason\": \"%s\", "
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

/* Classify every namespace of list for the policy of a valid block and
 * append the listing to out; renders: whether deployKF renders the policy at
 * all. Adds DKF330 warnings. */
static void list_namespaces(const struct ips_config *config, const struct policy *policy,
			    bool renders, const struct nslist *list,
			    const struct namespaces_options *options, struct diag_list *diags,
			    struct strbuf *out)
{
	struct nsmatch m;
	nsmatch_init(&m, policy);
	struct row *rows = xcalloc(list->count + 1, sizeof(*rows));
	for (size_t i = 0; i < list->count; i++) {
		rows[i].name = list->items[i].name;
		rows[i].origin = list->items[i].origin;
		rows[i].reason =
			nsmatch_classify(&m, rows[i].name, strlen(rows[i].name), &rows[i].pattern);
	}
	bool *listed = xcalloc(policy->credential_count + 1, sizeof(*listed));
	for (size_t c = 0; c < policy->credential_count; c++) {
		const char *src = policy->credentials[c].source_namespace;
		listed[c] = nslist_contains(list, src);
		if (listed[c] || !options->is_listed)
			continue;
		const struct ips_credential *ic = &config->credentials[c];
		const struct node *at =
			ic->namespace && !node_is_null(ic->namespace) ? ic->namespace : ic->item;
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

static int run_namespaces(struct cmd_env *env)
{
	const struct cli *cli = env->cli;
	if (cli->format && strcmp(cli->format, "text") != 0 && strcmp(cli->format, "json") != 0) {
		cli_usage_error("%s", "namespaces prints text or json");
		return DKF_EXIT_TROUBLE;
	}
	struct stack_result result;
	struct policy policy;
	int status = cmd_evaluate_policy(env, &result, &policy);
	if (status >= 0)
		return status;
	struct nslist list = { NULL, 0, 0 };
	struct namespaces_options options = { cli->format && strcmp(cli->format, "json") == 0,
					      cli->from != NULL };
	size_t errors_before = diag_count_at_least(&env->diags, DIAG_ERROR);
	if (cli->from) {
		char err[512];
		if (nslist_read(cli->from, cli->max_bytes, &cli->limits, &env->arena, &env->diags,
				&list, err, sizeof(err)) != 0)
			return cmd_trouble(err);
	} else {
		nslist_defaults(result.merged, policy.kyverno_namespace, &list);
	}
	struct strbuf text;
	strbuf_init(&text);
	/* a namespace list with errors (DKF130) lists nothing, silenced or not */
	bool list_ok = diag_count_at_least(&env->diags, DIAG_ERROR) == errors_before;
	if (list_ok && report_errors(&env->report) == 0)
		list_namespaces(&result.config, &policy, ips_config_renders(&result.config), &list,
				&options, &env->diags, &text);
	nslist_release(&list);
	return cmd_finish_with(env, &text, list_ok, "namespace listing");
}

int cmd_namespaces(const struct cli *cli)
{
	struct cmd_env env;
	int status = cmd_env_open(&env, cli);
	if (status == 0 && cli->from)
		report_input(&env.report, cli->from);
	if (status == 0)
		status = run_namespaces(&env);
	cmd_env_close(&env);
	return status;
}
