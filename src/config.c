#include "config.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kdoc.h"
#include "strbuf.h"
#include "xalloc.h"

/* libcyaml's view of the file: strings only (its CYAML_BOOL and enums are
 * too lenient); every name is checked by hand afterwards. */
struct rules_doc {
	char **error, **warning, **info, **off;
	unsigned error_count, warning_count, info_count, off_count;
};

struct stack_doc {
	char *name;
	char **values;
	unsigned values_count;
	char *application, *application_name, *deploykf_version, *source_path, *output;
};

struct config_doc {
	struct rules_doc *rules;
	struct stack_doc *stacks;
	unsigned stacks_count;
	char **expected_excludes;
	unsigned expected_excludes_count;
	char *deploykf_version;
	char **known_namespaces;
	unsigned known_namespaces_count;
};

static const cyaml_schema_value_t string_schema = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

#define STRING_LIST(key, type, member)                                                             \
	CYAML_FIELD_SEQUENCE(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, member,          \
			     &string_schema, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t rules_fields[] = {
	STRING_LIST("error", struct rules_doc, error),
	STRING_LIST("warning", struct rules_doc, warning),
	STRING_LIST("info", struct rules_doc, info),
	STRING_LIST("off", struct rules_doc, off),
	CYAML_FIELD_END,
};

#define OPTIONAL_STRING(key, type, member)                                                         \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, member, 0,     \
			       CYAML_UNLIMITED)

static const cyaml_schema_field_t stack_fields[] = {
	OPTIONAL_STRING("name", struct stack_doc, name),
	STRING_LIST("values", struct stack_doc, values),
	OPTIONAL_STRING("application", struct stack_doc, application),
	OPTIONAL_STRING("applicationName", struct stack_doc, application_name),
	OPTIONAL_STRING("deploykfVersion", struct stack_doc, deploykf_version),
	OPTIONAL_STRING("sourcePath", struct stack_doc, source_path),
	OPTIONAL_STRING("output", struct stack_doc, output),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t stack_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct stack_doc, stack_fields),
};

static const cyaml_schema_field_t config_fields[] = {
	CYAML_FIELD_MAPPING_PTR("rules", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
				struct config_doc, rules, rules_fields),
	STRING_LIST("expectedExcludes", struct config_doc, expected_excludes),
	CYAML_FIELD_STRING_PTR("deploykfVersion", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
			       struct config_doc, deploykf_version, 0, CYAML_UNLIMITED),
	STRING_LIST("knownNamespaces", struct config_doc, known_namespaces),
	CYAML_FIELD_SEQUENCE("stacks", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct config_doc,
			     stacks, &stack_schema, 0, CYAML_UNLIMITED),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t config_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct config_doc, config_fields),
};

/* libcyaml reports through a log callback: keep the first message and the
 * first position of its backtrace, "(line: N, column: M)". */
struct cyaml_log {
	char message[512];
	unsigned line, col;
};

static const char *shape_name(const char *event)
{
	if (strncmp(event, "MAPPING", 7) == 0)
		return "a map";
	if (strncmp(event, "SEQUENCE", 8) == 0)
		return "a list";
	if (strcmp(event, "SCALAR") == 0 || strcmp(event, "STRING") == 0)
		return "a single value";
	return "something else";
}

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));
static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	struct cyaml_log *log = ctx;
	char text[256];
	(void)level;
	vsnprintf(text, sizeof(text), fmt, args);
	text[strcspn(text, "\n")] = '\0';
	const char *pos = strstr(text, "(line: ");
	if (pos && !log->line) {
		unsigned line, col;
		if (sscanf(pos, "(line: %u, column: %u)", &line, &col) == 2) {
			log->line = line;
			log->col = col;
		}
		return;
	}
	if (!log->message[0] && strstr(text, "Backtrace") == NULL) {
		const char *m = strncmp(text, "Load: ", 6) == 0 ? text + 6 : text;
		char want[32], got[32];
		if (strncmp(m, "Unexpected key: ", 16) == 0)
			snprintf(log->message, sizeof(log->message),
				 "unknown key '%s' (known keys: rules, expectedExcludes, "
				 "deploykfVersion, knownNamespaces, stacks; under rules: error, "
				 "warning, info, off; in a stack: name, values, application, "
				 "applicationName, deploykfVersion, sourcePath, output)",
				 m + 16);
		else if (sscanf(m, "Expecting %31[A-Z_], got event: %31[A-Z_]", want, got) == 2)
			snprintf(log->message, sizeof(log->message), "expected %s here, found %s",
				 shape_name(want), shape_name(got));
		else
			snprintf(log->message, sizeof(log->message), "%s", m);
		if (log->message[0] >= 'A' && log->message[0] <= 'Z')
			log->message[0] = (char)(log->message[0] - 'A' + 'a');
	}
}

/* Whether st is /dev/null's: `--config /dev/null` is the usual way to say
 * "no settings", so it reads as an empty file, not as a device. */
static bool is_dev_null(const struct stat *st)
{
	struct stat null_st;
	return S_ISCHR(st->st_mode) && stat("/dev/null", &null_st) == 0 &&
	       S_ISCHR(null_st.st_mode) && st->st_rdev == null_st.st_rdev;
}

/* Up to CONFIG_MAX_BYTES + 1 bytes of fd into buf; -1 with errno on error. */
static ssize_t read_up_to_limit(int fd, char *buf)
{
	size_t n = 0;
	while (n <= CONFIG_MAX_BYTES) {
		ssize_t got = read(fd, buf + n, CONFIG_MAX_BYTES + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		n += (size_t)got;
	}
	return (ssize_t)n;
}

/*
 * Why a file found on the way up is not to be trusted, or NULL. Nobody
 * named it, so it may have been put there by someone else (a shared /tmp,
 * a checkout another user can write to) to switch checks off: it must be
 * the user's own and writable by nobody else. (git refuses repositories
 * of other users alike; ssh refuses a writable ~/.ssh/config.)
 *
 * Write access for the group is fine in the user's own private group, as
 * ssh allows too: Debian, Ubuntu and Fedora give every user one and a
 * umask of 002, so every checkout is group-writable. Whether a group has
 * other members cannot be asked without NSS, which the static build must
 * not need, so a private group is recognised the way those systems make
 * it: the user's primary group, numbered like the user.
 */
static const char *untrusted(const struct stat *st, char *why, size_t whylen)
{
	if (st->st_uid != geteuid()) {
		snprintf(why, whylen,
			 "it belongs to another user (uid %lu); pass it with --config if you "
			 "trust it",
			 (unsigned long)st->st_uid);
		return why;
	}
	if (st->st_mode & S_IWOTH)
		return "others can write to it; make it writable only by you (chmod o-w)";
	bool is_private_group = st->st_gid == getegid() && st->st_gid == st->st_uid;
	if ((st->st_mode & S_IWGRP) && !is_private_group) {
		snprintf(why, whylen,
			 "its group (gid %lu) can write to it; make it writable only by you "
			 "(chmod g-w)",
			 (unsigned long)st->st_gid);
		return why;
	}
	return NULL;
}

/*
 * Read the settings file whole. Returns NULL, or why it cannot be used
 * (a constant, or text in why): errno after stdio is no reason
 * ("Inappropriate ioctl for device" was reported for /dev/zero). Only a
 * regular file (or /dev/null) is read; it is opened with O_NONBLOCK so
 * that a FIFO with nobody writing is refused rather than waited for in
 * open(2). is_found: a file nobody named, checked with untrusted() on the
 * descriptor itself, so a file swapped in after the check is not read.
 */
static const char *read_text(const char *path, bool is_found, char **out, size_t *size,
			     char *why_buf, size_t why_len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return strerror(errno);
	struct stat st;
	const char *why = NULL;
	char *buf = NULL;
	ssize_t n = 0;
	if (fstat(fd, &st) != 0) {
		why = strerror(errno);
	} else if (S_ISDIR(st.st_mode)) {
		why = "it is a directory";
	} else if (!S_ISREG(st.st_mode) && !is_dev_null(&st)) {
		why = "not a regular file";
	} else if (is_found && (why = untrusted(&st, why_buf, why_len)) != NULL) {
		/* not read */
	} else if (S_ISREG(st.st_mode) && st.st_size > CONFIG_MAX_BYTES) {
		why = "larger than 1 MiB";
	} else {
		buf = xmalloc(CONFIG_MAX_BYTES + 1);
		n = S_ISREG(st.st_mode) ? read_up_to_limit(fd, buf) : 0;
		if (n < 0)
			why = strerror(errno);
		else if (n > CONFIG_MAX_BYTES) /* it grew since fstat */
			why = "larger than 1 MiB";
	}
	close(fd);
	if (why) {
		free(buf);
		return why;
	}
	buf[n] = '\0';
	*out = buf;
	*size = (size_t)n;
	return NULL;
}

/*
 * Where a value libcyaml read fine but that means nothing was written.
 * libcyaml gives no positions, so the text is read once more, through the
 * front end (kdoc.h), the first time one is needed: each position is then
 * that of the value itself, found by its place in the document.
 */
struct positions {
	const char *path;
	const char *text;
	size_t size;
	struct arena *arena;
	bool is_read;
	const struct kdoc_node *root;
};

static const struct kdoc_node *document(struct positions *at)
{
	if (!at->is_read) {
		static const struct yparse_limits limits = { YPARSE_DEFAULT_MAX_DEPTH, 0,
							     YPARSE_DEFAULT_MAX_NODES };
		struct diag_list quiet; /* libcyaml has said what is wrong with the text */
		diag_list_init(&quiet, at->arena);
		struct kdoc_file file;
		kdoc_parse(at->path, at->text, at->size, &limits, at->arena, &quiet, &file);
		at->root = file.count ? file.docs[0].root : NULL;
		diag_list_release(&quiet);
		at->is_read = true;
	}
	return at->root;
}

/* The position of item i of the list at key/sub (sub may be NULL), else of
 * the file's start. */
static struct mark position_of(struct positions *at, const char *key, const char *sub, size_t i)
{
	const struct kdoc_node *n = kdoc_get(document(at), key);
	if (sub)
		n = kdoc_get(n, sub);
	if (n && n->kind == NODE_SEQ && i < n->count)
		return n->items[i]->mark;
	if (n && i == 0)
		return n->mark;
	return mark_at(at->path, 1, 1);
}

static bool apply_rules(struct positions *at, const char *list, char **names, unsigned count,
			enum config_severity severity, struct dkf_config *out,
			struct diag_list *diags)
{
	bool ok = true;
	for (unsigned i = 0; i < count; i++) {
		enum diag_code code;
		if (!diag_lookup(names[i], &code)) {
			diag_add(diags, DKF120, position_of(at, "rules", list, i),
				 "'%s' is not a rule; name one by code (DKF301) or name "
				 "(dropped-default-exclude); 'dkfpolicy rules' lists them",
				 names[i]);
			ok = false;
			continue;
		}
		out->severity[code] = severity;
	}
	return ok;
}

/* text as written at node n (NULL: not given), its position n's (else at's) */
static struct config_text text_at(struct arena *arena, const char *text, const struct kdoc_node *n,
				  struct mark at)
{
	struct config_text t = { text ? arena_strdup(arena, text) : NULL, n ? n->mark : at };
	return t;
}

/* The stacks as written, each value with its position (stacks.c checks them:
 * a bad entry is a finding of its own, not a reason to drop the file). */
static void copy_stacks(struct positions *at, const struct config_doc *doc, struct arena *arena,
			struct dkf_config *out)
{
	const struct kdoc_node *list = kdoc_get(document(at), "stacks");
	out->stacks = arena_alloc(arena, (doc->stacks_count + 1) * sizeof(*out->stacks));
	out->stack_count = doc->stacks_count;
	for (unsigned i = 0; i < doc->stacks_count; i++) {
		const struct stack_doc *d = &doc->stacks[i];
		const struct kdoc_node *entry =
			list && list->kind == NODE_SEQ && i < list->count ? list->items[i] : NULL;
		struct config_stack *st = &out->stacks[i];
		memset(st, 0, sizeof(*st));
		st->at = entry ? entry->mark : mark_at(at->path, 1, 1);
		st->name = text_at(arena, d->name, kdoc_get(entry, "name"), st->at);
		st->application =
			text_at(arena, d->application, kdoc_get(entry, "application"), st->at);
		st->application_name = text_at(arena, d->application_name,
					       kdoc_get(entry, "applicationName"), st->at);
		st->deploykf_version = text_at(arena, d->deploykf_version,
					       kdoc_get(entry, "deploykfVersion"), st->at);
		st->source_path =
			text_at(arena, d->source_path, kdoc_get(entry, "sourcePath"), st->at);
		st->output = text_at(arena, d->output, kdoc_get(entry, "output"), st->at);
		const struct kdoc_node *values = kdoc_get(entry, "values");
		st->has_values = d->values != NULL || values != NULL;
		st->value_count = d->values_count;
		st->values = arena_alloc(arena, (d->values_count + 1) * sizeof(*st->values));
		for (unsigned v = 0; v < d->values_count; v++) {
			const struct kdoc_node *item =
				values && values->kind == NODE_SEQ && v < values->count
					? values->items[v]
					: values;
			st->values[v] = text_at(arena, d->values[v], item, st->at);
		}
	}
}

static const char **copy_list(struct arena *arena, char **items, unsigned count)
{
	const char **list = arena_alloc(arena, (count + 1) * sizeof(*list));
	for (unsigned i = 0; i < count; i++)
		list[i] = arena_strdup(arena, items[i]);
	return list;
}

/* Whether folder dir[0, len) holds name; *st is what it is. dir has room
 * for "/" and name after len; dir[len] is put back. */
static bool holds(char *dir, size_t len, const char *name, size_t name_size, struct stat *st)
{
	size_t at = len == 1 ? 1 : len + 1; /* "/" + name, or dir + "/" + name */
	dir[len] = '/';
	memcpy(dir + at, name, name_size);
	bool found = stat(dir, st) == 0;
	dir[len] = '\0';
	return found;
}

/*
 * The nearest .dkfpolicy.yaml from the working directory up, as a relative
 * path ("../../.dkfpolicy.yaml"), or NULL. The search ends at the top of
 * the repository (a folder holding .git: a folder, or a file in a worktree)
 * or at $HOME, whichever comes first, both searched; outside any repository
 * and outside $HOME it goes on up to /. A settings file above the first of
 * the two belongs to someone else's project, or to nobody. $HOME rather
 * than getpwuid: the static build must not need NSS. Runs on every
 * invocation, so the candidate is put together by hand: a clean lint then
 * never needs printf.
 */
static const char *find_config(struct arena *arena)
{
	static const char name[] = ".dkfpolicy.yaml", git[] = ".git";
	char dir[4096 + sizeof(name) + 1];
	if (!getcwd(dir, 4096))
		return NULL;
	const char *home_path = getenv("HOME");
	struct stat home, st;
	bool has_home = home_path && *home_path && stat(home_path, &home) == 0;
	struct strbuf up;
	strbuf_init(&up);
	const char *found = NULL;
	for (;;) {
		size_t len = strlen(dir);
		if (holds(dir, len, name, sizeof(name), &st)) {
			strbuf_adds(&up, name);
			found = arena_strdup(arena, up.buf);
			break;
		}
		bool is_repo = holds(dir, len, git, sizeof(git), &st) &&
			       (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
		bool is_home = has_home && stat(dir, &st) == 0 && st.st_dev == home.st_dev &&
			       st.st_ino == home.st_ino;
		char *slash = strrchr(dir, '/');
		if (is_repo || is_home || len == 1 || !slash)
			break;
		strbuf_adds(&up, "../");
		slash[slash == dir ? 1 : 0] = '\0'; /* "/a" -> "/", "/a/b" -> "/a" */
	}
	strbuf_release(&up);
	return found;
}

int config_load(const char *explicit_path, struct arena *arena, struct diag_list *diags,
		struct dkf_config *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	const char *path = explicit_path ? explicit_path : find_config(arena);
	if (!path)
		return 0;
	char *text = NULL, why_buf[128];
	size_t size = 0;
	const char *why = read_text(path, !explicit_path, &text, &size, why_buf, sizeof(why_buf));
	if (why) {
		if (explicit_path) {
			snprintf(err, errlen, "cannot read the configuration '%s': %s", path, why);
			return -1;
		}
		/* a file found on the way up is skipped, visibly: a warning,
		 * since nobody asked for it by name */
		struct mark at = mark_at(path, 0, 0);
		struct diag *d = diag_add(diags, DKF120, at,
					  "this configuration file is not used, and the defaults "
					  "apply: %s",
					  why);
		d->severity = DIAG_WARNING;
		return 0;
	}
	config_load_memory(path, text, size, arena, diags, out);
	free(text);
	return 0;
}

void config_load_memory(const char *path, const char *text, size_t size, struct arena *arena,
			struct diag_list *diags, struct dkf_config *out)
{
	memset(out, 0, sizeof(*out));
	out->path = path;

	struct cyaml_log log;
	memset(&log, 0, sizeof(log));
	cyaml_config_t cfg = {
		.log_fn = capture_log,
		.log_ctx = &log,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_WARNING,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	struct config_doc *doc = NULL;
	cyaml_err_t rc = size ? cyaml_load_data((const uint8_t *)text, size, &cfg, &config_schema,
						(void **)&doc, NULL)
			      : CYAML_OK;
	if (rc != CYAML_OK) {
		struct mark at = mark_at(path, log.line ? log.line : 1, log.col ? log.col : 1);
		diag_add(diags, DKF120, at, "%s; the configuration is not used",
			 log.message[0] ? log.message : cyaml_strerror(rc));
		return;
	}
	if (doc) {
		struct dkf_config loaded;
		memset(&loaded, 0, sizeof(loaded));
		loaded.path = path;
		bool ok = true;
		struct positions at = { path, text, size, arena, false, NULL };
		if (doc->rules) {
			struct rules_doc *r = doc->rules;
			ok &= apply_rules(&at, "info", r->info, r->info_count, CONFIG_INFO, &loaded,
					  diags);
			ok &= apply_rules(&at, "warning", r->warning, r->warning_count,
					  CONFIG_WARNING, &loaded, diags);
			ok &= apply_rules(&at, "error", r->error, r->error_count, CONFIG_ERROR,
					  &loaded, diags);
			ok &= apply_rules(&at, "off", r->off, r->off_count, CONFIG_OFF, &loaded,
					  diags);
		}
		if (doc->expected_excludes) {
			loaded.expected_excludes = copy_list(arena, doc->expected_excludes,
							     doc->expected_excludes_count);
			loaded.expected_exclude_count = doc->expected_excludes_count;
		}
		if (doc->known_namespaces) {
			loaded.known_namespaces = copy_list(arena, doc->known_namespaces,
							    doc->known_namespaces_count);
			loaded.known_namespace_count = doc->known_namespaces_count;
		}
		if (doc->stacks)
			copy_stacks(&at, doc, arena, &loaded);
		if (doc->deploykf_version) {
			if (version_parse(doc->deploykf_version, &loaded.version) != VERSION_OK) {
				diag_add(diags, DKF120,
					 position_of(&at, "deploykfVersion", NULL, 0),
					 "deploykfVersion '%s' is not one dkfpolicy knows; use v0.1.3, "
					 "v0.1.4 or v0.1.5",
					 doc->deploykf_version);
				ok = false;
			} else {
				loaded.has_version = true;
			}
		}
		if (ok)
			*out = loaded;
		cyaml_free(&cfg, &config_schema, doc, 0);
	}
}
