#ifndef DKF_FUZZ_HARNESS_H
#define DKF_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_block.h"
#include "config.h"
#include "diag.h"
#include "policy.h"
#include "stack.h"
#include "strbuf.h"

/*
 * What the libFuzzer harnesses of fuzz/ share: cutting an input into the
 * files of one run, the secret each input hides outside the block, files on
 * disk (the report reads a file's lines again from disk, not from memory),
 * the whole report in every format, and a few fixed policies to preview
 * manifests and namespace lists against.
 */

/* Limits small enough that the fuzzer finds slowness, not memory refusals. */
extern const struct yparse_limits fuzz_limits;

/* One file of an input: the bytes between "\n%%\n" separator lines (the
 * separator's first line break stays with the part before it). */
struct fuzz_part {
	const char *data;
	size_t len;
};

/* Cut data into at most max parts; returns how many (at least 1). */
size_t fuzz_split(const uint8_t *data, size_t size, struct fuzz_part *parts, size_t max);

/*
 * The secret of this input: "DKFLEAK" and 16 hex digits of a hash of the
 * whole input. Upper case, so it is no Kubernetes name and no check can
 * quote it legitimately; derived from the input, so the input cannot spell
 * it (not even through an escape) and the fuzzer cannot find it by chance.
 */
enum { FUZZ_SECRET_SIZE = 24 };
void fuzz_secret(const uint8_t *data, size_t size, char out[FUZZ_SECRET_SIZE]);
/* A few bits of that hash, to vary how the secret is hidden. */
unsigned fuzz_bits(const char *secret);

/*
 * out = lines, then text, so that lines open the YAML stream text starts:
 * after a UTF-8 byte order mark and after a lone "---" line. Returns false
 * (out = text alone) when nothing can go first without changing what text
 * means: UTF-16, a directive (%YAML), "--- value".
 */
bool fuzz_prepend(struct strbuf *out, const char *text, size_t len, const char *lines);

/* Write data to name in the process's own temporary folder (made once,
 * removed at exit); returns the path, which stays valid. */
const char *fuzz_temp_file(const char *name, const void *data, size_t len);

/* With DKF_FUZZ_SHOW set (running one input by hand), print an output the
 * harness checks on stderr. */
void fuzz_show(const char *what, const char *buf, size_t len);

/*
 * Report a copy of diags (diags itself is left as it is) once in each format
 * and once as coloured text, the way a command ends (report_finish: markers,
 * DKF121, configuration, sort, excerpts), into memory, and check each output
 * (invariants.h): the secret is in none; text is inert; JSON and SARIF parse;
 * GitHub has one workflow command per diagnostic. Every format must agree on
 * the exit status, which is returned.
 */
int fuzz_report_all(const struct diag_list *diags, const struct dkf_config *config,
		    const char *const *inputs, size_t input_count, const char *secret);

/* A valid block, evaluated on deployKF's defaults, and its policy: lives
 * until exit. */
struct fuzz_policy {
	const char *label;
	struct ips_config config;
	struct policy policy;
	bool renders;
};

/*
 * The fixed policy an input picks: a first line of one digit (consumed from
 * *data) picks one of them, anything else the first. Built on first use.
 */
const struct fuzz_policy *fuzz_pick_policy(const uint8_t **data, size_t *size);

/*
 * nsmatch_classify(ns) against the oracle (invariants.h): the kyverno
 * namespace first, then the first pattern of the exclude list that matches.
 * Aborts when they disagree.
 */
void fuzz_check_classify(const struct policy *policy, const char *ns, size_t len);

#endif
