#include "rsize.h"

#include <stdbool.h>
#include <string.h>
#include <yaml.h>

#include "render.h"
#include "strbuf.h"
#include "xalloc.h"

/* Bytes of s as a JSON string literal, quotes included (encoding/json escapes
 * '"', '\\' and control characters; \n, \t ... take two bytes, others six). */
static size_t json_string_size(const unsigned char *s, size_t len)
{
	size_t n = 2;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' || c == '\b' ||
		    c == '\f')
			n += 2;
		else if (c < 0x20)
			n += 6;
		else if (c == '<' || c == '>' || c == '&')
			n += 6; /* Go's encoding/json HTML-escapes these */
		else
			n += 1;
	}
	return n;
}

/* One open collection while sizing: is it a map, how many entries so far. */
struct open_coll {
	bool is_map;
	size_t entries; /* for maps: keys and values counted separately */
};

size_t rsize_json_size(const char *yaml, size_t len)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return 0;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	/* nesting is the renderer's own (under twenty levels), so a fixed stack */
	struct open_coll stack[64];
	size_t depth = 0, size = 0;
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			ok = false;
			break;
		}
		bool is_value = ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT ||
				ev.type == YAML_MAPPING_START_EVENT ||
				ev.type == YAML_SEQUENCE_START_EVENT;
		if (is_value && depth) {
			/* separators: ',' between entries, ':' between a key and its value */
			struct open_coll *c = &stack[depth - 1];
			if (c->entries)
				size += 1;
			c->entries++;
		}
		switch (ev.type) {
		case YAML_SCALAR_EVENT: {
			const unsigned char *v = ev.data.scalar.value;
			size_t vlen = ev.data.scalar.length;
			bool is_plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			bool is_key = depth && stack[depth - 1].is_map &&
				      stack[depth - 1].entries % 2 == 1;
			/* the renderer quotes every string: a plain value is a boolean
			 * or a number, written as is */
			size += (is_plain && !is_key) ? vlen : json_string_size(v, vlen);
			break;
		}
		case YAML_ALIAS_EVENT: ok = false; break; /* the renderer writes none */
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == sizeof(stack) / sizeof(stack[0])) {
				ok = false;
				break;
			}
			stack[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
			stack[depth].entries = 0;
			depth++;
			size += 2; /* {} or [] */
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT: depth--; break;
		case YAML_STREAM_END_EVENT: done = true; break;
		default: break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ok ? size : 0;
}

static struct mark credentials_mark(const struct ips_config *config)
{
	if (config->credentials_pair && config->credentials_pair->key)
		return config->credentials_pair->key->mark;
	if (config->block)
		return config->block->mark;
	struct mark none = { NULL, 0, 0 };
	return none;
}

size_t rsize_check(const char *yaml, size_t len, const struct ips_config *config,
		   struct diag_list *diags)
{
	size_t size = rsize_json_size(yaml, len);
	size_t n = config->credential_count;
	if (size > RSIZE_ETCD_REQUEST_LIMIT) {
		diag_add(diags, DKF411, credentials_mark(config),
			 "the policy for these %zu registry credentials is %zu KiB as JSON, more "
			 "than the %d KiB etcd accepts for one object, so the API server refuses "
			 "it; split the credentials over fewer Secrets (one dockerconfigjson "
			 "Secret can hold many registries)",
			 n, (size + 1023) / 1024, RSIZE_ETCD_REQUEST_LIMIT / 1024);
	} else if (size > RSIZE_APPLY_ANNOTATION_LIMIT) {
		diag_add(diags, DKF410, credentials_mark(config),
			 "the policy for these %zu registry credentials is %zu KiB as JSON; "
			 "client-side 'kubectl apply' stores it in an annotation limited to %d KiB "
			 "and fails; use fewer credentials (one dockerconfigjson Secret can hold "
			 "many registries) or 'kubectl apply --server-side'",
			 n, (size + 1023) / 1024, RSIZE_APPLY_ANNOTATION_LIMIT / 1024);
	}
	return size;
}

void rsize_check_config(const struct ips_config *config, enum dkf_version version,
			struct arena *arena, struct diag_list *diags)
{
	if (config->has_errors || !block_renders(config))
		return;
	struct policy policy;
	block_to_policy(config, version, arena, &policy);
	struct strbuf text;
	strbuf_init(&text);
	if (render_policy(&policy, &text) == 0)
		rsize_check(text.buf, text.len, config, diags);
	strbuf_release(&text);
}
