/*
 * libFuzzer harness: `dkfpolicy preview` of a manifest file, as text and as
 * YAML (-o yaml), against one of the fixed policies of harness.c (a first
 * line of one digit picks it), then its report in every format. The
 * preview's logic is static in cmd_preview.c, so this file includes it (the
 * Makefile then links without cmd_preview.o).
 *
 * Before the manifests goes a Secret whose data is the input's secret
 * (harness.h), on its own or inside a List: preview must never print a
 * Secret's data, in text, in YAML or in a diagnostic. Beyond that:
 *  - the text summary is inert text (invariants.h);
 *  - the YAML written back parses again;
 *  - the namespace of every object is classified as the wildcard oracle
 *    says (the same test Kyverno makes).
 *
 * Build and run: make fuzz FUZZ_SECONDS=60 (clang, -fsanitize=fuzzer).
 */
#include "../src/cmd_preview.c"

#include <stdint.h>

#include "harness.h"
#include "invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char manifests_name[] = "manifests.yaml";

/* The Secret before the manifests, as a document of its own or in a List. */
static void secret_document(struct strbuf *out, const char *secret)
{
	if (fuzz_bits(secret) & 1)
		strbuf_addf(out,
			    "apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: team-a}\n"
			    "type: kubernetes.io/dockerconfigjson\ndata:\n  token: %s\n---\n",
			    secret);
	else
		strbuf_addf(out,
			    "apiVersion: v1\nkind: List\nitems:\n"
			    "  - {apiVersion: v1, kind: Secret, metadata: {name: pull},\n"
			    "     stringData: {password: %s}}\n---\n",
			    secret);
}

/* Every object's namespace, classified as the oracle says (harness.h). */
static void check_namespaces(const struct policy *policy, const struct kdoc_node *obj, int depth)
{
	if (!obj || obj->kind != NODE_MAP || depth > 2)
		return;
	const struct kdoc_node *ns = kdoc_get(kdoc_get(obj, "metadata"), "namespace");
	if (kdoc_string(ns))
		fuzz_check_classify(policy, ns->text, ns->len);
	const struct kdoc_node *items = kdoc_get(obj, "items");
	for (size_t i = 0; items && items->kind == NODE_SEQ && i < items->count; i++)
		check_namespaces(policy, items->items[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char secret[FUZZ_SECRET_SIZE];
	fuzz_secret(data, size, secret);
	const struct fuzz_policy *fp = fuzz_pick_policy(&data, &size);

	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);

	struct strbuf lines, text;
	strbuf_init(&lines);
	strbuf_init(&text);
	secret_document(&lines, secret);
	fuzz_prepend(&text, (const char *)data, size, lines.buf);

	struct kdoc_file file;
	kdoc_parse(manifests_name, text.buf, text.len, &fuzz_limits, &arena, &diags, &file);
	if (!file.failed) {
		static const char *const namespaces[] = { "default", "team-a", "kyverno" };
		struct preview_options options = { namespaces[(fuzz_bits(secret) >> 1) % 3],
						   false };
		for (size_t d = 0; d < file.count; d++)
			check_namespaces(&fp->policy, file.docs[d].root, 0);

		struct strbuf out;
		strbuf_init(&out);
		preview_files(&fp->policy, fp->renders, &file, 1, &options, &arena, &diags, &out);
		fuzz_show("preview text", out.buf, out.len);
		inv_absent("preview text", out.buf, out.len, secret);
		inv_text("preview text", out.buf, out.len, 0);

		/* -o yaml edits the documents in place: after the summary, as
		 * the summary only reads them */
		strbuf_reset(&out);
		options.yaml = true;
		preview_files(&fp->policy, fp->renders, &file, 1, &options, &arena, &diags, &out);
		fuzz_show("preview yaml", out.buf, out.len);
		inv_absent("preview yaml", out.buf, out.len, secret);
		struct diag_list again;
		diag_list_init(&again, &arena);
		struct kdoc_file parsed;
		/* aliases are written expanded: the budgets of the input are not this text's */
		static const struct yparse_limits roomy = { YPARSE_DEFAULT_MAX_DEPTH + 16, 1u << 30,
							    1u << 30 };
		kdoc_parse("preview yaml", out.buf, out.len, &roomy, &arena, &again, &parsed);
		if (parsed.failed)
			inv_fail("preview yaml", "the YAML written does not parse back");
		diag_list_release(&again);
		strbuf_release(&out);
	}
	const char *inputs[] = { manifests_name };
	fuzz_report_all(&diags, NULL, inputs, 1, secret);

	strbuf_release(&lines);
	strbuf_release(&text);
	diag_list_release(&diags);
	arena_free(&arena);
	return 0;
}
