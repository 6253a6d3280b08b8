#ifndef DKF_NSLIST_H
#define DKF_NSLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "mark.h"
#include "node.h"
#include "yload.h"

/*
 * The namespaces the `namespaces` command classifies: read from a file
 * (one name per line, `kubectl get ns -o name`, `-o json` or `-o yaml`), or
 * by default the namespaces of a deployKF cluster.
 */
enum nslist_origin {
	NSLIST_LISTED,     /* from the --from file */
	NSLIST_KUBERNETES, /* every cluster has it */
	NSLIST_DEPLOYKF,   /* deployKF creates it */
	NSLIST_PROFILE,    /* a deployKF profile (deploykf_profiles_generator.profiles) */
};

struct nslist_entry {
	const char *name; /* arena */
	struct mark at;   /* where it was read (line 0 for built-in names) */
	enum nslist_origin origin;
};

struct nslist {
	struct nslist_entry *items; /* heap; release with nslist_release */
	size_t count, alloc;
};

void nslist_release(struct nslist *list);
/* Whether name is in the list. */
bool nslist_contains(const struct nslist *list, const char *name);
/* "listed", "kubernetes", "deployKF", "profile". */
const char *nslist_origin_name(enum nslist_origin origin);

/*
 * Read path ("-" is standard input). The form is recognised from the text:
 * a '{' or '[' first, or any ':' on a line, means JSON or YAML (a List of
 * Namespaces, one Namespace, or several documents); anything else is one
 * name per line, with an optional "namespace/" prefix, '#' comments and blank
 * lines ignored. Names that are not namespace names get a DKF130 error.
 * Repeated names are kept once. Returns 0 (check diagnostics), or -1 with a
 * one-line reason in err for an I/O problem.
 */
int nslist_read(const char *path, size_t max_bytes, const struct yparse_limits *limits,
		struct arena *arena, struct diag_list *diags, struct nslist *out, char *err,
		size_t errlen);

/*
 * The namespaces of a deployKF cluster: the Kubernetes built-ins, those
 * deployKF creates (the kyverno and argocd ones as set in the merged values),
 * then each profile name in deploykf_core.deploykf_profiles_generator.profiles
 * of merged (which may be NULL).
 */
void nslist_defaults(const struct node *merged, const char *kyverno_namespace, struct nslist *out);

#endif
