#include "schema.h"

#include <string.h>

#include "check_block.h"
#include "names.h"

static void add_string(struct strbuf *out, const char *s)
{
	strbuf_add_json_string(out, s, strlen(s));
}

static void indent(struct strbuf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		strbuf_adds(out, "  ");
}

/* The per-key schema, by name: one place that knows each key's type. */
static void key_schema(struct strbuf *out, const char *key, int d)
{
	if (strcmp(key, "enabled") == 0) {
		indent(out, d);
		strbuf_adds(out, "\"description\": \"Render the policy (deployKF reads true, 1, "
				 "\\\"t\\\", \\\"true\\\" and \\\"yes\\\" as true; nothing renders "
				 "without registryCredentials).\",\n");
		indent(out, d);
		strbuf_adds(out, "\"type\": \"boolean\"\n");
	} else if (strcmp(key, "excludeNamespaces") == 0) {
		indent(out, d);
		strbuf_adds(out, "\"description\": \"Namespaces that get no secrets; Kyverno "
				 "wildcards: * any run of characters, ? exactly one. Replaces the "
				 "default [argocd, kube-system]; the kyverno namespace is always "
				 "excluded.\",\n");
		indent(out, d);
		strbuf_adds(out, "\"type\": \"array\",\n");
		indent(out, d);
		strbuf_adds(out, "\"items\": { \"type\": \"string\", \"pattern\": ");
		add_string(out, NAMES_WILDCARD_PATTERN);
		strbuf_adds(out, " }\n");
	} else if (strcmp(key, "registryCredentials") == 0) {
		indent(out, d);
		strbuf_adds(out,
			    "\"description\": \"Secrets of type kubernetes.io/dockerconfigjson "
			    "to clone into every namespace and add to every Pod.\",\n");
		indent(out, d);
		strbuf_adds(out, "\"type\": \"array\",\n");
		indent(out, d);
		strbuf_adds(out, "\"items\": {\n");
		indent(out, d + 1);
		strbuf_adds(out, "\"type\": \"object\",\n");
		indent(out, d + 1);
		strbuf_adds(out, "\"additionalProperties\": false,\n");
		indent(out, d + 1);
		strbuf_adds(out, "\"required\": [");
		add_string(out, block_credential_keys[0]);
		strbuf_adds(out, "],\n");
		indent(out, d + 1);
		strbuf_adds(out, "\"properties\": {\n");
		for (size_t i = 0; i < BLOCK_CREDENTIAL_KEY_COUNT; i++) {
			indent(out, d + 2);
			add_string(out, block_credential_keys[i]);
			strbuf_adds(out, ": {\n");
			key_schema(out, block_credential_keys[i], d + 3);
			indent(out, d + 2);
			strbuf_adds(out, i + 1 < BLOCK_CREDENTIAL_KEY_COUNT ? "},\n" : "}\n");
		}
		indent(out, d + 1);
		strbuf_adds(out, "}\n");
		indent(out, d);
		strbuf_adds(out, "}\n");
	} else if (strcmp(key, "existingSecret") == 0) {
		indent(out, d);
		strbuf_adds(out, "\"description\": \"Name of the Secret to clone.\",\n");
		indent(out, d);
		strbuf_addf(out,
			    "\"type\": \"string\", \"minLength\": 1, \"maxLength\": %d, "
			    "\"pattern\": ",
			    NAMES_SUBDOMAIN_MAX);
		add_string(out, NAMES_DNS1123_SUBDOMAIN_PATTERN);
		strbuf_adds(out, "\n");
	} else if (strcmp(key, "existingSecretNamespace") == 0) {
		indent(out, d);
		strbuf_adds(out,
			    "\"description\": \"Namespace of the Secret; empty or missing: the "
			    "kyverno namespace.\",\n");
		indent(out, d);
		strbuf_addf(out, "\"type\": \"string\", \"maxLength\": %d, \"pattern\": ",
			    NAMES_LABEL_MAX);
		/* empty is allowed: it falls back to the kyverno namespace */
		struct strbuf tmp;
		strbuf_init(&tmp);
		strbuf_adds(&tmp, "^$|");
		strbuf_adds(&tmp, NAMES_DNS1123_LABEL_PATTERN);
		add_string(out, tmp.buf);
		strbuf_release(&tmp);
		strbuf_adds(out, "\n");
	}
}

static void open_object(struct strbuf *out, const char *key, int d, const char *description)
{
	indent(out, d);
	add_string(out, key);
	strbuf_adds(out, ": {\n");
	indent(out, d + 1);
	strbuf_adds(out, "\"description\": ");
	add_string(out, description);
	strbuf_adds(out, ",\n");
	indent(out, d + 1);
	strbuf_adds(out, "\"type\": \"object\",\n");
	indent(out, d + 1);
	strbuf_adds(out, "\"properties\": {\n");
}

static void close_object(struct strbuf *out, int d, bool last)
{
	indent(out, d + 1);
	strbuf_adds(out, "}\n");
	indent(out, d);
	strbuf_adds(out, last ? "}\n" : "},\n");
}

void schema_write(struct strbuf *out)
{
	strbuf_adds(out,
		    "{\n"
		    "  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
		    "  \"$id\": \"https://dkfpolicy.invalid/schemas/dkfpolicy-values.schema.json\",\n"
		    "  \"title\": \"deployKF values: Kyverno image pull secrets policy\",\n"
		    "  \"description\": \"The deploykf_dependencies.kyverno settings that "
		    "dkfpolicy checks; every other deployKF value is allowed.\",\n"
		    "  \"type\": \"object\",\n"
		    "  \"properties\": {\n");
	open_object(out, "deploykf_dependencies", 2, "deployKF's dependencies.");
	open_object(out, "kyverno", 4, "Kyverno, which runs the policy.");
	indent(out, 6);
	strbuf_adds(out, "\"namespace\": {\n");
	indent(out, 7);
	strbuf_addf(out, "\"description\": \"Kyverno's namespace: the policy's home, always "
			 "excluded, and the default source of secrets.\",\n");
	indent(out, 7);
	strbuf_addf(out, "\"type\": \"string\", \"minLength\": 1, \"maxLength\": %d, \"pattern\": ",
		    NAMES_LABEL_MAX);
	add_string(out, NAMES_DNS1123_LABEL_PATTERN);
	strbuf_adds(out, "\n");
	indent(out, 6);
	strbuf_adds(out, "},\n");
	open_object(out, "clusterPolicies", 6, "deployKF's Kyverno policies.");
	open_object(out, "imagePullSecrets", 8,
		    "Clone registry credentials into every namespace and add them to every Pod.");
	for (size_t i = 0; i < BLOCK_SETTING_KEY_COUNT; i++) {
		indent(out, 10);
		add_string(out, block_setting_keys[i]);
		strbuf_adds(out, ": {\n");
		key_schema(out, block_setting_keys[i], 11);
		indent(out, 10);
		strbuf_adds(out, i + 1 < BLOCK_SETTING_KEY_COUNT ? "},\n" : "}\n");
	}
	indent(out, 9);
	strbuf_adds(out, "},\n");
	indent(out, 9);
	strbuf_adds(out, "\"additionalProperties\": false\n");
	indent(out, 8);
	strbuf_adds(out, "}\n");
	close_object(out, 6, true);
	close_object(out, 4, true);
	close_object(out, 2, true);
	strbuf_adds(out, "  }\n}\n");
}
