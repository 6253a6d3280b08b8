/*
 * render - policy model -> ClusterPolicy YAML text.
 *
 * The text comes from an embedded template per deployKF policy shape
 * (templates/clusterpolicy-v0.1.3.yaml; clusterpolicy-v0.1.4.yaml for v0.1.4
 * and v0.1.5), so the YAML lives in a YAML file and this file only fills in
 * values. The template format:
 *
 *   - A line starting with "#@" is ours and never reaches the output. The
 *     line "#@ section NAME" starts a section; any other "#@" line is a comment.
 *   - Sections, each exactly once, written in this order:
 *       head        once: the document start, metadata, "rules:"
 *       credential  once per credential, in order: its rules
 *       pods        once: the Pod rule, up to "patchesJson6902: |-"
 *       patch       once per credential: its item of that block scalar
 *     Only blank lines and "#@" lines may come before the first section.
 *   - A placeholder is "@NAME@" with NAME made of A-Z and "_"; any other "@"
 *     is copied as is. Placeholders:
 *       @EXCLUDED_JSON@  the exclude list as a JSON flow array of strings
 *       @VERSION@        the deployKF version, e.g. v0.1.5 (for comments)
 *     and, in credential and patch sections only,
 *       @INDEX@          the credential's 0-based index
 *       @SECRET@         the Secret to copy (clone.name)
 *       @SOURCE_NS@      its namespace (clone.namespace)
 *       @CLONED@         the copy's name, cloned--image-pull-secret-<index>
 *     @SECRET@, @SOURCE_NS@, @CLONED@ and the list items arrive as JSON string
 *     literals, which are also YAML double-quoted scalars: whatever a value
 *     holds (quotes, newlines, "#", ": ", "{{"), it stays one string.
 * An unknown section or placeholder, a repeated or missing section, or a
 * per-credential placeholder outside a per-credential section makes the
 * template malformed; that is a build bug and render_policy returns -1.
 *
 * The rules mirror deployKF's ClusterPolicy-image-pull-secrets.yaml (v0.1.3
 * to v0.1.5); the template's output comments explain why each rule exists.
 */
#include "render.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "version.h"
#include "xalloc.h"

enum section { SECTION_HEAD, SECTION_CREDENTIAL, SECTION_PODS, SECTION_PATCH, SECTION_COUNT };

static const struct {
	const char *name;
	bool is_per_credential;
} sections[SECTION_COUNT] = {
	[SECTION_HEAD] = { "head", false },
	[SECTION_CREDENTIAL] = { "credential", true },
	[SECTION_PODS] = { "pods", false },
	[SECTION_PATCH] = { "patch", true },
};

enum placeholder {
	PLACEHOLDER_EXCLUDED_JSON,
	PLACEHOLDER_VERSION,
	PLACEHOLDER_INDEX,
	PLACEHOLDER_SECRET,
	PLACEHOLDER_SOURCE_NS,
	PLACEHOLDER_CLONED,
	PLACEHOLDER_COUNT
};

static const struct {
	const char *name;
	bool is_per_credential;
} placeholders[PLACEHOLDER_COUNT] = {
	[PLACEHOLDER_EXCLUDED_JSON] = { "EXCLUDED_JSON", false },
	[PLACEHOLDER_VERSION] = { "VERSION", false },
	[PLACEHOLDER_INDEX] = { "INDEX", true },
	[PLACEHOLDER_SECRET] = { "SECRET", true },
	[PLACEHOLDER_SOURCE_NS] = { "SOURCE_NS", true },
	[PLACEHOLDER_CLONED] = { "CLONED", true },
};

/* deployKF names the copy of credential i "cloned--image-pull-secret-<i>". */
#define CLONED_NAME_PREFIX "cloned--image-pull-secret-"

/*
 * A section, parsed once per rendering into pieces: runs of literal text
 * ("#@" lines left out, newlines kept) and placeholders between them, so
 * writing a credential is a few copies, with no scanning of the template.
 */
struct piece {
	const char *text; /* literal text, or NULL for a placeholder */
	size_t len;
	enum placeholder placeholder;
};

struct section_pieces {
	struct piece *pieces;
	size_t count, alloc;
	size_t literal_len; /* bytes of literal text, to size the output up front */
	bool is_found;
};

struct template
{
	struct section_pieces sections[SECTION_COUNT];
};

/* The text each placeholder becomes; the per-credential ones are refilled per credential. */
struct values {
	struct strbuf text[PLACEHOLDER_COUNT];
};

static bool is_directive(const char *line, size_t len)
{
	return len >= 2 && line[0] == '#' && line[1] == '@';
}

static bool is_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			return false;
	}
	return true;
}

static bool is_placeholder_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

/*
 * Find the next "@NAME@" in line[*pos..len). On success, *start is where it
 * begins, *name and *name_len its NAME, and *pos is just past it; returns false
 * when the rest of the line has none.
 */
static bool next_placeholder(const char *line, size_t len, size_t *pos, size_t *start,
			     const char **name, size_t *name_len)
{
	for (size_t at = *pos; at < len; at++) {
		if (line[at] != '@')
			continue;
		size_t end = at + 1;
		while (end < len && is_placeholder_char(line[end]))
			end++;
		if (end == at + 1 || end >= len || line[end] != '@')
			continue;
		*start = at;
		*name = line + at + 1;
		*name_len = end - at - 1;
		*pos = end + 1;
		return true;
	}
	return false;
}

static int lookup_placeholder(const char *name, size_t len)
{
	for (int i = 0; i < PLACEHOLDER_COUNT; i++) {
		if (strlen(placeholders[i].name) == len &&
		    memcmp(placeholders[i].name, name, len) == 0)
			return i;
	}
	return -1;
}

/* For "#@ section NAME" lines: the section's number, -2 for an unknown NAME; -1 if no marker. */
static int section_marker(const char *line, size_t len)
{
	static const char keyword[] = "section";
	size_t i = 2;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < sizeof keyword - 1 || memcmp(line + i, keyword, sizeof keyword - 1) != 0)
		return -1;
	i += sizeof keyword - 1;
	if (i < len && line[i] != ' ' && line[i] != '\t')
		return -1; /* a word like "sections": a comment */
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	size_t name_end = len;
	while (name_end > i && (line[name_end - 1] == ' ' || line[name_end - 1] == '\t' ||
				line[name_end - 1] == '\r'))
		name_end--;
	for (int s = 0; s < SECTION_COUNT; s++) {
		if (strlen(sections[s].name) == name_end - i &&
		    memcmp(sections[s].name, line + i, name_end - i) == 0)
			return s;
	}
	return -2;
}

static struct piece *new_piece(struct section_pieces *sp)
{
	if (sp->count == sp->alloc) {
		sp->alloc = sp->alloc ? 2 * sp->alloc : 32;
		sp->pieces = xrealloc(sp->pieces, sp->alloc * sizeof(*sp->pieces));
	}
	return &sp->pieces[sp->count++];
}

/* Literal text; it extends the previous piece when the bytes follow on. */
static void add_text(struct section_pieces *sp, const char *text, size_t len)
{
	if (!len)
		return;
	sp->literal_len += len;
	if (sp->count && sp->pieces[sp->count - 1].text &&
	    sp->pieces[sp->count - 1].text + sp->pieces[sp->count - 1].len == text) {
		sp->pieces[sp->count - 1].len += len;
		return;
	}
	struct piece *p = new_piece(sp);
	p->text = text;
	p->len = len;
	p->placeholder = PLACEHOLDER_COUNT;
}

/* Split one line (with its newline, if any) into pieces; false if a
 * placeholder is unknown or not allowed in the section. */
static bool add_line(struct section_pieces *sp, const char *line, size_t len, size_t full_len,
		     enum section section)
{
	size_t pos = 0, copied = 0, start, name_len;
	const char *name;
	while (next_placeholder(line, len, &pos, &start, &name, &name_len)) {
		int p = lookup_placeholder(name, name_len);
		if (p < 0)
			return false;
		if (placeholders[p].is_per_credential && !sections[section].is_per_credential)
			return false;
		add_text(sp, line + copied, start - copied);
		struct piece *piece = new_piece(sp);
		piece->text = NULL;
		piece->len = 0;
		piece->placeholder = (enum placeholder)p;
		copied = pos;
	}
	add_text(sp, line + copied, full_len - copied);
	return true;
}

static void free_template(struct template *t)
{
	for (int s = 0; s < SECTION_COUNT; s++)
		free(t->sections[s].pieces);
}

/* Split the template into its sections' pieces and check it; 0, or -1 if it
 * is malformed (then t holds nothing to free). */
static int parse_template(const struct embedded_file *file, struct template *t)
{
	const char *text = file->data;
	const char *end = text + file->size;
	int current = -1;

	memset(t, 0, sizeof *t);
	if (memchr(text, '\0', file->size))
		return -1;
	for (const char *line = text; line < end;) {
		const char *newline = memchr(line, '\n', (size_t)(end - line));
		size_t len = newline ? (size_t)(newline - line) : (size_t)(end - line);
		const char *next = newline ? newline + 1 : end;

		if (is_directive(line, len)) {
			int s = section_marker(line, len);
			if (s == -2 || (s >= 0 && t->sections[s].is_found))
				goto malformed;
			if (s >= 0) {
				t->sections[s].is_found = true;
				current = s;
			}
		} else if (current < 0) {
			if (!is_blank(line, len))
				goto malformed;
		} else if (!add_line(&t->sections[current], line, len, (size_t)(next - line),
				     (enum section)current)) {
			goto malformed;
		} else if (!newline) {
			/* the last line of the file without its newline: expand always ended lines */
			add_text(&t->sections[current], "\n", 1);
		}
		line = next;
	}
	for (int s = 0; s < SECTION_COUNT; s++) {
		if (!t->sections[s].is_found)
			goto malformed;
	}
	return 0;
malformed:
	free_template(t);
	return -1;
}

/* Append a section with its placeholders filled in. */
static void expand(struct strbuf *out, const struct section_pieces *sp, const struct values *values)
{
	for (size_t i = 0; i < sp->count; i++) {
		const struct piece *p = &sp->pieces[i];
		if (p->text)
			strbuf_add(out, p->text, p->len);
		else
			strbuf_add(out, values->text[p->placeholder].buf,
				   values->text[p->placeholder].len);
	}
}

/* The per-credential bytes of a section besides its literal text, with
 * the values of credential 0 as the example: to size the output once. */
static size_t values_len(const struct section_pieces *sp, const struct values *values)
{
	size_t n = 0;
	for (size_t i = 0; i < sp->count; i++) {
		if (!sp->pieces[i].text)
			n += values->text[sp->pieces[i].placeholder].len;
	}
	return n;
}

static void add_json_string(struct strbuf *sb, const char *s)
{
	strbuf_add_json_string(sb, s, strlen(s));
}

/* i in decimal, without printf: this runs for every credential. */
static void add_index(struct strbuf *sb, size_t i)
{
	char digits[24];
	size_t at = sizeof digits;
	do {
		digits[--at] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	strbuf_add(sb, digits + at, sizeof digits - at);
}

/* The values of credential i's placeholders; its number is first_index + i. */
static void set_credential(struct values *values, const struct policy *policy, size_t i,
			   size_t first_index)
{
	const struct policy_credential *c = &policy->credentials[i];
	/* deployKF: existingSecretNamespace | default the kyverno namespace. The policy
	 * model already applies it; repeat it here so a NULL never reaches strlen. */
	const char *source_ns = c->source_namespace && c->source_namespace[0]
					? c->source_namespace
					: policy->kyverno_namespace;

	for (int p = 0; p < PLACEHOLDER_COUNT; p++) {
		if (placeholders[p].is_per_credential)
			strbuf_reset(&values->text[p]);
	}
	add_index(&values->text[PLACEHOLDER_INDEX], first_index + i);
	add_json_string(&values->text[PLACEHOLDER_SECRET], c->secret_name);
	add_json_string(&values->text[PLACEHOLDER_SOURCE_NS], source_ns);
	/* CLONED_NAME_FORMAT as a JSON string: its bytes need no escapes */
	struct strbuf *cloned = &values->text[PLACEHOLDER_CLONED];
	strbuf_adds(cloned, "\"" CLONED_NAME_PREFIX);
	add_index(cloned, first_index + i);
	strbuf_addch(cloned, '"');
}

/* Whether the policy holds what the template needs; deployKF renders nothing otherwise. */
static bool is_renderable(const struct policy *policy)
{
	if (policy->credential_count == 0 || !policy->credentials)
		return false;
	if (policy->excluded_count > 0 && !policy->excluded)
		return false;
	for (size_t i = 0; i < policy->excluded_count; i++) {
		if (!policy->excluded[i])
			return false;
	}
	for (size_t i = 0; i < policy->credential_count; i++) {
		const struct policy_credential *c = &policy->credentials[i];
		if (!c->secret_name)
			return false;
		if ((!c->source_namespace || !c->source_namespace[0]) && !policy->kyverno_namespace)
			return false;
	}
	return true;
}

/* Where rendered text goes: all into out, or through out in pieces to write. */
struct sink {
	struct strbuf *out;
	void (*write)(void *ctx, const char *data, size_t len); /* NULL: keep it all */
	void *ctx;
};

/* Pass on what out holds once it is a chunk (or, with last, whatever it holds). */
static void drain(const struct sink *sink, bool last)
{
	if (!sink->write || !sink->out->len || (!last && sink->out->len < RENDER_CHUNK))
		return;
	sink->write(sink->ctx, sink->out->buf, sink->out->len);
	strbuf_reset(sink->out);
}

static int render(const struct policy *policy, size_t first_index, const struct sink *sink);

int render_policy(const struct policy *policy, struct strbuf *out)
{
	return render_policy_numbered(policy, 0, out);
}

int render_policy_numbered(const struct policy *policy, size_t first_index, struct strbuf *out)
{
	const struct sink sink = { out, NULL, NULL };
	return render(policy, first_index, &sink);
}

int render_policy_stream(const struct policy *policy,
			 void (*write)(void *ctx, const char *data, size_t len), void *ctx)
{
	struct strbuf chunk;
	strbuf_init(&chunk);
	const struct sink sink = { &chunk, write, ctx };
	int rc = render(policy, 0, &sink);
	strbuf_release(&chunk);
	return rc;
}

static int render(const struct policy *policy, size_t first_index, const struct sink *sink)
{
	struct strbuf *out = sink->out;
	const char *template_name = version_has_annotate_rules(policy->version)
					    ? "templates/clusterpolicy-v0.1.4.yaml"
					    : "templates/clusterpolicy-v0.1.3.yaml";
	const struct embedded_file *file = embedded_find(template_name);
	struct template t;
	struct values values;

	if (!file || !is_renderable(policy) || parse_template(file, &t) != 0)
		return -1;

	for (int p = 0; p < PLACEHOLDER_COUNT; p++)
		strbuf_init(&values.text[p]);

	/* deployKF's `toJson` of the exclude list: ["a","b"], built once for all rules. */
	struct strbuf *excluded = &values.text[PLACEHOLDER_EXCLUDED_JSON];
	strbuf_addch(excluded, '[');
	for (size_t i = 0; i < policy->excluded_count; i++) {
		if (i > 0)
			strbuf_addch(excluded, ',');
		add_json_string(excluded, policy->excluded[i]);
	}
	strbuf_addch(excluded, ']');
	strbuf_adds(&values.text[PLACEHOLDER_VERSION], version_name(policy->version));

	/* One allocation for the usual case: every credential's values about as long
	 * as credential 0's (strbuf still grows if they are longer). */
	set_credential(&values, policy, 0, first_index);
	size_t per_credential = 0, once = 0;
	for (int s = 0; s < SECTION_COUNT; s++) {
		size_t len = t.sections[s].literal_len + values_len(&t.sections[s], &values);
		if (sections[s].is_per_credential)
			per_credential += len;
		else
			once += len;
	}
	size_t n = policy->credential_count;
	if (sink->write)
		strbuf_grow(out, RENDER_CHUNK + once + per_credential);
	else if (per_credential <= (SIZE_MAX - once) / n)
		strbuf_grow(out, once + n * per_credential + n * per_credential / 8);

	/* Rules in deployKF's order: each credential's rules, then the Pod rule whose
	 * patch lists the copies in credential order. */
	expand(out, &t.sections[SECTION_HEAD], &values);
	for (size_t i = 0; i < n; i++) {
		set_credential(&values, policy, i, first_index);
		expand(out, &t.sections[SECTION_CREDENTIAL], &values);
		drain(sink, false);
	}
	expand(out, &t.sections[SECTION_PODS], &values);
	for (size_t i = 0; i < n; i++) {
		set_credential(&values, policy, i, first_index);
		expand(out, &t.sections[SECTION_PATCH], &values);
		drain(sink, false);
	}
	drain(sink, true);

	for (int p = 0; p < PLACEHOLDER_COUNT; p++)
		strbuf_release(&values.text[p]);
	free_template(&t);
	return 0;
}
