#ifndef DKF_REPORT_COLOR_H
#define DKF_REPORT_COLOR_H

#include <stdbool.h>

/*
 * Colour in the text report (severity, caret). Off unless main turns it on:
 * --color=always, or --color=auto (the default) on a terminal whose TERM is
 * not "dumb" and with NO_COLOR unset or empty.
 */
void report_text_use_color(bool on);

#endif
