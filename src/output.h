#ifndef DKF_OUTPUT_H
#define DKF_OUTPUT_H

#include <stddef.h>

/*
 * Writing results. Output is built in memory first and written only when
 * everything succeeded, so a failure never leaves half a policy behind.
 * Both return 0, or -1 with a one-line reason in err.
 */

/* Write data to standard output and flush; a full disk or a closed pipe is
 * an error, not a silent truncation. */
int output_stdout(const char *data, size_t len, char *err, size_t errlen);

/* Replace path atomically: write a temporary file in the same folder, then
 * rename it over path. On any error the old file is untouched and the
 * temporary file is removed. */
int output_file_atomic(const char *path, const char *data, size_t len, char *err, size_t errlen);

#endif
