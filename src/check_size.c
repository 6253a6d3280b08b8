#include "check_size.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "render.h"
#include "source.h"
#include "strbuf.h"
#include "xalloc.h"
#include "yparse.h"

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

/*
 * The size of yaml (one rendered document) written as compact JSON, the way
 * the API server stores and kubectl annotates it; 0 if it does not parse (a
 * build bug: the renderer's output always parses).
 */
static size_t size_json_size(const char *yaml, size_t len)
{
	/* our own rendering: no diagnostics, the default budgets */
	static const struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH,
						     YPARSE_DEFAULT_MAX_ALIAS_NODES,
						     YPARSE_DEFAULT_MAX_NODES };
	struct source src;
	source_from_memory(&src, "rendered policy", yaml, len);
	struct yparse parser;
	yparse_init(&parser, &src, &limits, &yparse_manifest_words, NULL, NULL, NULL);
	/* nesting is the renderer's own (under twenty levels), so a fixed stack */
	struct open_coll stack[64];
	size_t depth = 0, size = 0;
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!yparse_next(&parser, &ev)) {
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
	yparse_release(&parser);
	return ok ? size : 0;
}

static struct mark credentials_mark(const struct ips_config *config)
{
	if (config->credentials_pair && config->credentials_pair->key)
		return config->credentials_pair->key->mark;
	if (config->block)
		return config->block->mark;
	struct mark none = mark_at(NULL, 0, 0);
	return none;
}

/* DKF410/DKF411 for a policy of size JSON bytes. */
static void check_size(size_t size, const struct ips_config *config, struct diag_list *diags)
{
	size_t n = config->credential_count;
	if (size > CHECK_SIZE_ETCD_REQUEST_LIMIT) {
		diag_add(diags, DKF411, credentials_mark(config),
			 "the policy for these %zu registry credentials is %zu KiB as JSON, more "
			 "than the %d KiB etcd accepts for one object, so the API server refuses "
			 "it; split the credentials over fewer Secrets (one dockerconfigjson "
			 "Secret can hold many registries)",
			 n, (size + 1023) / 1024, CHECK_SIZE_ETCD_REQUEST_LIMIT / 1024);
	} else if (size > CHECK_SIZE_APPLY_ANNOTATION_LIMIT) {
		diag_add(diags, DKF410, credentials_mark(config),
			 "the policy for these %zu registry credentials is %zu KiB as JSON; "
			 "client-side 'kubectl apply' stores it in an annotation limited to %d KiB "
			 "and fails; use fewer credentials (one dockerconfigjson Secret can hold "
			 "many registries) or 'kubectl apply --server-side'",
			 n, (size + 1023) / 1024, CHECK_SIZE_APPLY_ANNOTATION_LIMIT / 1024);
	}
}

/* Render policy (credentials numbered from first_index) and size the text:
 * exact for any policy, but it parses the whole rendered document (megabytes
 * for thousands of credentials). */
static size_t size_numbered_by_parse(const struct policy *policy, size_t first_index)
{
	struct strbuf text;
	strbuf_init(&text);
	size_t size = render_policy_numbered(policy, first_index, &text) == 0
			      ? size_json_size(text.buf, text.len)
			      : 0;
	strbuf_release(&text);
	return size;
}

static size_t size_by_parse(const struct policy *policy)
{
	return size_numbered_by_parse(policy, 0);
}

/* Letters, digits, '-', '.', '_': bytes that are one JSON byte wherever the
 * template puts them (a quoted scalar, a plain one, the patch block scalar)
 * and nothing in a comment, and that can never end or escape a scalar.
 * False for the empty string too (the model counts bytes beyond one). */
static bool is_plain_safe(const char *s, size_t *len)
{
	size_t i = 0;
	for (; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return false;
	}
	*len = i;
	return i > 0;
}

static size_t decimal_digits(size_t i)
{
	size_t d = 1;
	while (i >= 10) {
		i /= 10;
		d++;
	}
	return d;
}

/* Probe policies: policy's version and exclude list with count copies of
 * the credential (secret, namespace), numbered from first_index. */
#define PROBE_MAX 2
static size_t probe_size(const struct policy *policy, size_t count, size_t first_index,
			 const char *secret, const char *ns)
{
	struct policy_credential creds[PROBE_MAX];
	for (size_t i = 0; i < count; i++) {
		creds[i].secret_name = secret;
		creds[i].source_namespace = ns;
	}
	struct policy probe = *policy;
	probe.credentials = creds;
	probe.credential_count = count;
	return size_numbered_by_parse(&probe, first_index);
}

/*
 * The coefficients of the size model for one template shape and exclude
 * list (the only parts of a policy besides its credentials that the text
 * depends on: the kyverno namespace reaches it only through those two).
 */
struct model {
	long long base;           /* one credential ("s", "n") */
	long long per_credential; /* each further one */
	long long per_digit;      /* each index digit beyond the first */
	long long per_secret_byte, per_ns_byte;
};

/* The exclude list as one byte string, to recognise a policy seen before. */
static void exclude_key(const struct policy *policy, struct strbuf *key)
{
	for (size_t i = 0; i < policy->excluded_count; i++) {
		strbuf_adds(key, policy->excluded[i] ? policy->excluded[i] : "");
		strbuf_addch(key, '\0');
	}
}

/*
 * lint checks one file after another, each usually with the same exclude
 * list: the model is measured once for it and kept for the process (freed
 * by check_size_release). seen_key remembers the last list that was not worth
 * measuring yet, so a single small policy never pays for the probes.
 */
static struct {
	bool is_valid;
	enum dkf_version version;
	struct strbuf key;
	struct model model;
	bool has_seen;
	enum dkf_version seen_version;
	struct strbuf seen_key;
} cache;

void check_size_release(void)
{
	strbuf_release(&cache.key);
	strbuf_release(&cache.seen_key);
	memset(&cache, 0, sizeof(cache));
}

static bool measure_model(const struct policy *policy, struct model *m)
{
	/* the probe credential is ("s", "n"): one byte each, index 0 */
	long long s1 = (long long)probe_size(policy, 1, 0, "s", "n");
	long long s2 = (long long)probe_size(policy, 2, 0, "s", "n");
	/* one credential numbered 10, the first index with two digits */
	long long s_digit = (long long)probe_size(policy, 1, 10, "s", "n");
	long long s_secret = (long long)probe_size(policy, 1, 0, "ss", "n");
	long long s_ns = (long long)probe_size(policy, 1, 0, "s", "nn");
	if (!s1 || !s2 || !s_digit || !s_secret || !s_ns)
		return false;
	m->base = s1;
	m->per_credential = s2 - s1;
	m->per_digit = s_digit - s1;
	m->per_secret_byte = s_secret - s1;
	m->per_ns_byte = s_ns - s1;
	return true;
}

/* The model for policy's shape and exclude list: from the cache, or measured
 * when it pays (many credentials, or a list seen before); false otherwise. */
static bool get_model(const struct policy *policy, struct model *m)
{
	if (!cache.key.buf) {
		strbuf_init(&cache.key);
		strbuf_init(&cache.seen_key);
	}
	struct strbuf key;
	strbuf_init(&key);
	exclude_key(policy, &key);
	bool found = false;
	if (cache.is_valid && cache.version == policy->version && cache.key.len == key.len &&
	    memcmp(cache.key.buf, key.buf, key.len) == 0) {
		*m = cache.model;
		found = true;
	} else if (policy->credential_count > 16 ||
		   (cache.has_seen && cache.seen_version == policy->version &&
		    cache.seen_key.len == key.len &&
		    memcmp(cache.seen_key.buf, key.buf, key.len) == 0)) {
		if (measure_model(policy, m)) {
			cache.is_valid = true;
			cache.version = policy->version;
			strbuf_reset(&cache.key);
			strbuf_add(&cache.key, key.buf, key.len);
			cache.model = *m;
			found = true;
		}
	} else {
		cache.has_seen = true;
		cache.seen_version = policy->version;
		strbuf_reset(&cache.seen_key);
		strbuf_add(&cache.seen_key, key.buf, key.len);
	}
	strbuf_release(&key);
	return found;
}

/* The JSON size of what render_policy writes for policy, or 0 if it renders
 * nothing: exact, for many credentials computed from a few small probe
 * renderings instead of parsing the whole document. */
static size_t size_policy_json_size(const struct policy *policy)
{
	/*
	 * The template repeats the same text per credential, so the JSON size is
	 * linear in the credentials: a base, a constant per credential, and per
	 * byte of its index, Secret name and namespace a fixed count (how often
	 * the template puts each where JSON keeps it). That holds exactly as long
	 * as every byte that varies between credentials is plain-safe; then five
	 * small probe renderings (six credentials in all) give the coefficients
	 * and the size of thousands of credentials costs no parse of megabytes.
	 * Otherwise, and for a first small policy, where the probes would cost
	 * more than the document, parse the real rendering.
	 */
	size_t n = policy->credential_count;
	if (n == 0 || !policy->credentials)
		return size_by_parse(policy);
	unsigned long long digits = 0, secret_bytes = 0, ns_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		const struct policy_credential *c = &policy->credentials[i];
		const char *ns = c->source_namespace && c->source_namespace[0]
					 ? c->source_namespace
					 : policy->kyverno_namespace;
		size_t secret_len, ns_len;
		if (!c->secret_name || !ns || !is_plain_safe(c->secret_name, &secret_len) ||
		    !is_plain_safe(ns, &ns_len))
			return size_by_parse(policy);
		digits += decimal_digits(i) - 1;
		secret_bytes += secret_len - 1;
		ns_bytes += ns_len - 1;
	}
	struct model m;
	if (!get_model(policy, &m))
		return size_by_parse(policy);
	long long size =
		m.base + (long long)(n - 1) * m.per_credential + m.per_digit * (long long)digits +
		m.per_secret_byte * (long long)secret_bytes + m.per_ns_byte * (long long)ns_bytes;
	return size > 0 ? (size_t)size : 0;
}

/* An upper bound of size_policy_json_size, cheap to compute: a policy under
 * every limit by this bound needs no exact size. */
static size_t size_upper_bound(const struct policy *policy)
{
	/*
	 * The template's fixed text is about 1 KB of JSON per credential (its
	 * clone, annotate and patch entries) and under 2 KB in all; the exclude
	 * list appears twice per credential and once more in the Pod rule. The
	 * constants below are four times that, so the bound holds with room to
	 * spare (tests/unit/test_check_size.c compares it with the exact size).
	 */
	size_t excludes = 2;
	for (size_t i = 0; i < policy->excluded_count; i++)
		excludes += strlen(policy->excluded[i]) + 3;
	unsigned long long bound = 8192;
	for (size_t i = 0; i < policy->credential_count; i++) {
		const struct policy_credential *c = &policy->credentials[i];
		bound += 4096 + 3ull * excludes + 24;
		bound += c->secret_name ? strlen(c->secret_name) : 0;
		const char *ns = c->source_namespace && *c->source_namespace
					 ? c->source_namespace
					 : policy->kyverno_namespace;
		bound += ns ? strlen(ns) : 0;
	}
	return bound > SIZE_MAX ? SIZE_MAX : (size_t)bound;
}

size_t check_size_policy(const struct policy *policy, const struct ips_config *config,
			 struct diag_list *diags)
{
	/* most policies are far below any limit: no need to size them exactly */
	size_t bound = size_upper_bound(policy);
	if (bound <= CHECK_SIZE_APPLY_ANNOTATION_LIMIT)
		return bound;
	size_t size = size_policy_json_size(policy);
	check_size(size, config, diags);
	return size;
}

void check_size_config(const struct ips_config *config, enum dkf_version version,
		       struct arena *arena, struct diag_list *diags)
{
	if (config->unrenderable || !ips_config_renders(config))
		return;
	struct policy policy;
	ips_config_to_policy(config, version, arena, &policy);
	check_size_policy(&policy, config, diags);
}
