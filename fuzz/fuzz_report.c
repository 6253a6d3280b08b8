/*
 * libFuzzer harness: a `dkfpolicy lint -f a.yaml -f - [--config c]` run to
 * its report, in every format. The input is cut at "\n%%\n" lines into
 * a.yaml (a file on disk, streamed, its excerpts read again from disk at
 * report time), the same run's standard input (kept in memory) and
 * .dkfpolicy.yaml. Each values file gets a secret written before it (a key,
 * its value and a comment at the top level, sometimes an unknown name in a
 * suppression marker): outside the block, so it may be in no output. A file
 * that is an Argo CD Application of deployKF's plugin is read as one, as
 * lint does. Then the report, with its inline suppressions (DKF121, DKF122),
 * excerpts, the configuration's severities and sorting, is written in text
 * (plain and coloured), JSON, SARIF and GitHub form and each is checked
 * (harness.h, invariants.h).
 *
 * Build and run: make fuzz FUZZ_SECONDS=60 (clang, -fsanitize=fuzzer).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_risk.h"
#include "check_size.h"
#include "config.h"
#include "diag.h"
#include "excerpt.h"
#include "harness.h"
#include "plugin.h"
#include "source.h"
#include "stack.h"
#include "strbuf.h"
#include "yload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The secret's lines before a values file. */
static void secret_lines(struct strbuf *out, const char *secret)
{
	strbuf_addf(out, "%s: %s # %s\n", secret, secret, secret);
	if (fuzz_bits(secret) & 1)
		strbuf_addf(out, "# dkfpolicy: ignore[%s]\n", secret);
}

/* An Argo CD Application file: each of its stacks, as lint checks them. */
static void lint_plugin(struct plugin_context *ctx, const char *path, struct diag_list *diags,
			size_t first_diag)
{
	diags->count = first_diag; /* what reading it as values said is no finding */
	struct plugin_file file;
	char err[512];
	if (plugin_read_file(ctx, path, &file, err, sizeof(err)) != 0)
		return;
	for (size_t i = 0; i < file.app_count; i++) {
		struct stack_result result;
		enum dkf_version version;
		if (plugin_evaluate(ctx, &file.apps[i], ctx->arena, &result, &version))
			check_size_config(&result.config, version, ctx->arena, diags);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char secret[FUZZ_SECRET_SIZE];
	fuzz_secret(data, size, secret);
	struct fuzz_part parts[3];
	size_t part_count = fuzz_split(data, size, parts, 3);

	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct excerpt_book book;
	excerpt_book_init(&book, &arena);
	diags.book = &book;

	struct dkf_config config;
	memset(&config, 0, sizeof(config));
	char *config_text = NULL;
	if (part_count == 3 && parts[2].len <= CONFIG_MAX_BYTES) {
		/* config_load_memory wants its text terminated */
		config_text = malloc(parts[2].len + 1);
		if (!config_text)
			abort();
		memcpy(config_text, parts[2].data, parts[2].len);
		config_text[parts[2].len] = '\0';
		config_load_memory(".dkfpolicy.yaml", config_text, parts[2].len, &arena, &diags,
				   &config);
	}
	struct stack_options options = { 0 };
	options.max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	options.limits = fuzz_limits;
	options.expected_excludes = risk_default_excludes;
	options.expected_exclude_count = risk_default_exclude_count;
	if (config.expected_excludes) {
		options.expected_excludes = config.expected_excludes;
		options.expected_exclude_count = config.expected_exclude_count;
	}
	options.known_namespaces = config.known_namespaces;
	options.known_namespace_count = config.known_namespace_count;
	enum dkf_version version = config.has_version ? config.version : DKF_VERSION_DEFAULT;

	struct stack stack;
	char err[512];
	if (stack_init(&stack, &options, &arena, &diags, err, sizeof(err)) != 0)
		abort(); /* the embedded defaults always load */

	struct strbuf lines, file_text, stdin_text;
	strbuf_init(&lines);
	strbuf_init(&file_text);
	strbuf_init(&stdin_text);
	secret_lines(&lines, secret);
	fuzz_prepend(&file_text, parts[0].data, parts[0].len, lines.buf);
	const char *path = fuzz_temp_file("a.yaml", file_text.buf, file_text.len);

	struct stack_layer layers[2];
	size_t count = 0;
	size_t first_diag = diags.count;
	if (stack_load(&stack, path, &arena, &layers[0], err, sizeof(err)) != 0)
		abort(); /* the harness's own file */
	bool is_plugin = stack_layer_is_manifest(&layers[0]);
	/* an Application's values files are found in the harness's folder */
	const char *root = arena_strndup(&arena, path, (size_t)(strrchr(path, '/') - path));
	struct plugin_context plugin = { &options,           &arena, &diags, root, false, false,
					 DKF_VERSION_DEFAULT };
	if (is_plugin)
		lint_plugin(&plugin, path, &diags, first_diag);
	else
		count++;
	if (part_count >= 2) {
		fuzz_prepend(&stdin_text, parts[1].data, parts[1].len, lines.buf);
		struct source src;
		source_from_memory(&src, "<stdin>", stdin_text.buf, stdin_text.len);
		layers[count].name = src.name;
		layers[count].root = NULL;
		layers[count].failed = yload(&src, block_wanted_keys, &options.limits, &arena,
					     &diags, &layers[count].root) != 0;
		count++;
	}
	struct stack_result result;
	if ((count || !is_plugin) && stack_evaluate(&stack, layers, count, &arena, &result))
		check_size_config(&result.config, version, &arena, &diags);

	const char *inputs[] = { path, "-" };
	fuzz_report_all(&diags, &config, inputs, part_count >= 2 ? 2 : 1, secret);

	strbuf_release(&lines);
	strbuf_release(&file_text);
	strbuf_release(&stdin_text);
	free(config_text);
	diag_list_release(&diags);
	excerpt_book_release(&book);
	arena_free(&arena);
	return 0;
}
