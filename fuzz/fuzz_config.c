/*
 * libFuzzer harness: the tool's own configuration, .dkfpolicy.yaml, through
 * libcyaml (config_load_memory, the parser behind config_load) and then the
 * report's settling over the findings it produced plus one of every code, as
 * `dkfpolicy lint` does. Crashes, sanitizer reports and leaks (libcyaml's
 * allocations included) are bugs; every one found becomes a golden case in
 * testdata/ or a unit test.
 *
 * Build and run: make fuzz FUZZ_SECONDS=60 (clang, -fsanitize=fuzzer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "diag.h"
#include "report.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the loader wants a terminated buffer, as config_load's reader gives it;
	 * bigger inputs are refused before parsing there, so here too */
	if (size > CONFIG_MAX_BYTES)
		return 0;
	char *text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct dkf_config config;
	config_load_memory(".dkfpolicy.yaml", text, size, &arena, &diags, &config);

	/* every loaded list must be usable as the CLI uses it */
	size_t total = 0;
	for (size_t i = 0; i < config.expected_exclude_count; i++)
		total += strlen(config.expected_excludes[i]);
	for (size_t i = 0; i < config.known_namespace_count; i++)
		total += strlen(config.known_namespaces[i]);
	(void)total;

	/* a broken configuration is never silenced by itself: its own findings
	 * must survive the severities it sets */
	size_t own = diags.count;
	struct mark at = mark_at("values.yaml", 1, 1);
	for (int code = 0; code < DIAG_CODE_COUNT; code++)
		diag_add(&diags, (enum diag_code)code, at, "finding %d", code);
	struct report report;
	report_init(&report, &diags, &config);
	(void)report_errors(&report);
	report_release(&report);
	size_t kept = 0;
	for (size_t i = 0; i < diags.count; i++)
		kept += diags.items[i].at.file != at.file;
	if (kept != own)
		abort();

	diag_list_release(&diags);
	arena_free(&arena);
	free(text);
	return 0;
}
