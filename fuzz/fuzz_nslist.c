/*
 * libFuzzer harness: `dkfpolicy namespaces --from FILE` (a file on disk:
 * one name per line, `kubectl get ns -o name|json|yaml`), listed against one
 * of the fixed policies of harness.c (a first line of one digit picks it),
 * as JSON and as text, then its report in every format. The listing is
 * static in cmd_namespaces.c, so this file includes it (the Makefile then
 * links without cmd_namespaces.o).
 *
 * Before the list goes the input's secret (harness.h): a comment, or a
 * KEY=value line (a .env given by mistake); after it when the list starts
 * with '[' or '{'. The secret is in upper case, so wherever it lands it is
 * no namespace name: it may be in no output. Beyond
 * that:
 *  - every name read is a namespace name, and is read once;
 *  - every name is classified as the wildcard oracle says;
 *  - the JSON listing parses, the text listing is inert text (invariants.h).
 *
 * Build and run: make fuzz FUZZ_SECONDS=60 (clang, -fsanitize=fuzzer).
 */
#include "../src/cmd_namespaces.c"

#include <stdint.h>

#include "harness.h"
#include "invariants.h"
#include "names.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Each name a namespace name, each once. */
static void check_names(const struct nslist *list)
{
	const char **names = xcalloc(list->count + 1, sizeof(*names));
	for (size_t i = 0; i < list->count; i++) {
		const char *name = list->items[i].name;
		if (names_check_label(name, strlen(name)) != NAME_OK)
			inv_fail("namespace list", "a listed name is no namespace name");
		if (!nslist_contains(list, name))
			inv_fail("namespace list", "a listed name is not found in the list");
		names[i] = name;
	}
	qsort(names, list->count, sizeof(*names), by_name);
	for (size_t i = 1; i < list->count; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			inv_fail("namespace list", "a name is listed twice");
	free(names);
}

/* JSON or YAML flow first (after a byte order mark and blanks)? */
static bool starts_flow(const uint8_t *data, size_t size)
{
	size_t i = size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < size &&
	       (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	return i < size && (data[i] == '[' || data[i] == '{');
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
	/* a bad line fails the list (nothing is listed): one input in four */
	strbuf_addf(&lines, fuzz_bits(secret) & 3 ? "# DB_PASSWORD=%s\n" : "DB_PASSWORD=%s\n",
		    secret);
	if (starts_flow(data, size)) {
		/* a line before '[' or '{' would make nslist read lines: after it */
		strbuf_add(&text, data, size);
		strbuf_addch(&text, '\n');
		strbuf_adds(&text, lines.buf);
	} else {
		fuzz_prepend(&text, (const char *)data, size, lines.buf);
	}
	const char *path = fuzz_temp_file("namespaces.txt", text.buf, text.len);

	struct nslist list = { NULL, 0, 0 };
	char err[512];
	if (nslist_read(path, SOURCE_DEFAULT_MAX_BYTES, &fuzz_limits, &arena, &diags, &list, err,
			sizeof(err)) != 0)
		inv_fail(path, err);
	check_names(&list);
	for (size_t i = 0; i < list.count; i++)
		fuzz_check_classify(&fp->policy, list.items[i].name, strlen(list.items[i].name));

	/* what run_namespaces lists: nothing when the list has errors */
	if (diag_count_at_least(&diags, DIAG_ERROR) == 0) {
		struct strbuf out;
		strbuf_init(&out);
		for (int json = 1; json >= 0; json--) {
			struct namespaces_options options = { json, true };
			const char *what = json ? "namespaces json" : "namespaces text";
			strbuf_reset(&out);
			list_namespaces(&fp->config, &fp->policy, fp->renders, &list, &options,
					&diags, &out);
			fuzz_show(what, out.buf, out.len);
			inv_absent(what, out.buf, out.len, secret);
			if (json)
				inv_json(what, out.buf, out.len);
			else
				inv_text(what, out.buf, out.len, 0);
		}
		strbuf_release(&out);
	}
	const char *inputs[] = { path };
	fuzz_report_all(&diags, NULL, inputs, 1, secret);

	nslist_release(&list);
	strbuf_release(&lines);
	strbuf_release(&text);
	diag_list_release(&diags);
	arena_free(&arena);
	return 0;
}
