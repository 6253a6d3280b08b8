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
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "version.h"

enum section {
	SECTION_HEAD,
	SECTION_CREDENTIAL,
	SECTION_PODS,
	SECTION_PATCH,
	SECTION_COUNT
};

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
#define CLONED_NAME_FORMAT "cloned--image-pull-secret-%zu"

/* A section's lines, "#@" lines included (expand() skips them). */
struct span {
	const char *start;
	size_t len;
	bool is_found;
};

struct template {
	struct span sections[SECTION_COUNT];
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
 * when the rest of the line has none. parse and expand share this, so they
 * always agree on what a placeholder is.
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
		if (strlen(placeholders[i].name) == len && memcmp(placeholders[i].name, name, len) == 0)
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

/* Whether every placeholder in the line is known and allowed in the section. */
static bool check_placeholders(const char *line, size_t len, enum section section)
{
	size_t pos = 0, start, name_len;
	const char *name;
	while (next_placeholder(line, len, &pos, &start, &name, &name_len)) {
		int p = lookup_placeholder(name, name_len);
		if (p < 0)
			return false;
		if (placeholders[p].is_per_credential && !sections[section].is_per_credential)
			return false;
	}
	return true;
}

/* Split the template into its sections and check it; 0, or -1 if it is malformed. */
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
			if (s == -2)
				return -1;
			if (s >= 0) {
				if (t->sections[s].is_found)
					return -1;
				if (current >= 0)
					t->sections[current].len = (size_t)(line - t->sections[current].start);
				t->sections[s].start = next;
				t->sections[s].is_found = true;
				current = s;
			}
		} else if (current < 0) {
			if (!is_blank(line, len))
				return -1;
		} else if (!check_placeholders(line, len, (enum section)current)) {
			return -1;
		}
		line = next;
	}
	if (current >= 0)
		t->sections[current].len = (size_t)(end - t->sections[current].start);
	for (int s = 0; s < SECTION_COUNT; s++) {
		if (!t->sections[s].is_found)
			return -1;
	}
	return 0;
}

/* Append a section's lines to out, without "#@" lines and with placeholders filled in. */
static void expand(struct strbuf *out, const struct span *span, const struct values *values)
{
	const char *end = span->start + span->len;
	for (const char *line = span->start; line < end;) {
		const char *newline = memchr(line, '\n', (size_t)(end - line));
		size_t len = newline ? (size_t)(newline - line) : (size_t)(end - line);
		const char *next = newline ? newline + 1 : end;

		if (!is_directive(line, len)) {
			size_t pos = 0, copied = 0, start, name_len;
			const char *name;
			while (next_placeholder(line, len, &pos, &start, &name, &name_len)) {
				/* parse_template() made sure the name is known. */
				int p = lookup_placeholder(name, name_len);
				if (p < 0)
					continue;
				strbuf_add(out, line + copied, start - copied);
				strbuf_add(out, values->text[p].buf, values->text[p].len);
				copied = pos;
			}
			strbuf_add(out, line + copied, len - copied);
			strbuf_addch(out, '\n');
		}
		line = next;
	}
}

static void add_json_string(struct strbuf *sb, const char *s)
{
	strbuf_add_json_string(sb, s, strlen(s));
}

/* The values of credential i's placeholders. */
static void set_credential(struct values *values, const struct policy *policy, size_t i)
{
	const struct policy_credential *c = &policy->credentials[i];
	/* deployKF: existingSecretNamespace | default the kyverno namespace. The policy
	 * model already applies it; repeat it here so a NULL never reaches strlen. */
	const char *source_ns = c->source_namespace && c->source_namespace[0]
					? c->source_namespace
					: policy->kyverno_namespace;
	char cloned[64];

	snprintf(cloned, sizeof cloned, CLONED_NAME_FORMAT, i);
	for (int p = 0; p < PLACEHOLDER_COUNT; p++) {
		if (placeholders[p].is_per_credential)
			strbuf_reset(&values->text[p]);
	}
	strbuf_addf(&values->text[PLACEHOLDER_INDEX], "%zu", i);
	add_json_string(&values->text[PLACEHOLDER_SECRET], c->secret_name);
	add_json_string(&values->text[PLACEHOLDER_SOURCE_NS], source_ns);
	add_json_string(&values->text[PLACEHOLDER_CLONED], cloned);
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

int render_policy(const struct policy *policy, struct strbuf *out)
{
	const char *template_name = version_has_annotate_rules(policy->version)
					    ? "templates/clusterpolicy-v0.1.4.yaml"
					    : "templates/clusterpolicy-v0.1.3.yaml";
	const struct embedded_file *file = embedded_find(template_name);
	struct template t;
	struct values values;

	if (!file || parse_template(file, &t) != 0 || !is_renderable(policy))
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

	/* Rules in deployKF's order: each credential's rules, then the Pod rule whose
	 * patch lists the copies in credential order. */
	expand(out, &t.sections[SECTION_HEAD], &values);
	for (size_t i = 0; i < policy->credential_count; i++) {
		set_credential(&values, policy, i);
		expand(out, &t.sections[SECTION_CREDENTIAL], &values);
	}
	expand(out, &t.sections[SECTION_PODS], &values);
	for (size_t i = 0; i < policy->credential_count; i++) {
		set_credential(&values, policy, i);
		expand(out, &t.sections[SECTION_PATCH], &values);
	}

	for (int p = 0; p < PLACEHOLDER_COUNT; p++)
		strbuf_release(&values.text[p]);
	return 0;
}
