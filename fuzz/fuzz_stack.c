/*
 * libFuzzer harness: two values documents -> load -> merge on deployKF's
 * defaults -> validate -> risk checks -> render -> size check, the path a
 * `dkfpolicy render -f a -f b` takes. The input is split at the first
 * "\n%%\n" line (no separator: the second document is empty). Crashes,
 * sanitizer reports, leaks and a rendered policy that does not parse back
 * are bugs; every one found becomes a golden case in testdata/.
 *
 * Build and run: make fuzz FUZZ_SECONDS=60 (clang, -fsanitize=fuzzer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_block.h"
#include "diag.h"
#include "kdoc.h"
#include "render.h"
#include "check_risk.h"
#include "check_size.h"
#include "source.h"
#include "stack.h"
#include "strbuf.h"
#include "yload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char separator[] = "\n%%\n";

static void load_layer(struct stack *stack, struct arena *arena, const char *name, const char *text,
		       size_t len, struct stack_layer *out)
{
	struct source src;
	source_from_memory(&src, name, text, len);
	out->name = name;
	out->root = NULL;
	out->failed = yload(&src, block_wanted_keys, &stack->options->limits, arena, stack->diags,
			    &out->root) != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t first_len = size, second_at = size;
	for (size_t i = 0; i + sizeof(separator) - 1 <= size; i++) {
		if (memcmp(text + i, separator, sizeof(separator) - 1) == 0) {
			first_len = i + 1;
			second_at = i + sizeof(separator) - 1;
			break;
		}
	}

	/* small limits: a fuzzer input must not be refused for memory, but found slow */
	struct stack_options options = { 0 };
	options.max_bytes = SOURCE_DEFAULT_MAX_BYTES;
	options.limits.max_depth = YPARSE_DEFAULT_MAX_DEPTH;
	options.limits.max_alias_nodes = 100000;
	options.limits.max_nodes = 100000;
	options.expected_excludes = risk_default_excludes;
	options.expected_exclude_count = risk_default_exclude_count;

	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct stack stack;
	char err[512];
	if (stack_init(&stack, &options, &arena, &diags, err, sizeof(err)) != 0)
		abort(); /* the embedded defaults always load */

	struct stack_layer layers[2];
	load_layer(&stack, &arena, "a.yaml", text, first_len, &layers[0]);
	load_layer(&stack, &arena, "b.yaml", text + second_at, size - second_at, &layers[1]);
	struct stack_result result;
	bool loaded = stack_evaluate(&stack, layers, 2, &arena, &result);
	const struct ips_config config = result.config;
	/* what render builds once findings that leave the policy whole (a bad
	 * name, an unknown key) are silenced: any such name must render as a
	 * string that parses back */
	if (loaded && !config.unrenderable && ips_config_renders(&config)) {
		for (int v = 0; v < 2; v++) {
			struct policy policy;
			ips_config_to_policy(&config, v ? DKF_VERSION_DEFAULT : DKF_V0_1_3, &arena,
					     &policy);
			struct strbuf out;
			strbuf_init(&out);
			if (render_policy(&policy, &out) != 0)
				abort();
			/* the rendered policy must parse back */
			struct kdoc_file parsed;
			kdoc_parse("rendered", out.buf, out.len, &options.limits, &arena, &diags,
				   &parsed);
			if (parsed.failed || parsed.count != 1)
				abort();
			strbuf_release(&out);
		}
	}
	static const char *const names[] = { "a.yaml", "b.yaml" };
	diag_sort(&diags, names, 2);
	diag_list_release(&diags);
	arena_free(&arena);
	return 0;
}
