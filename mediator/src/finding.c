/* Reporting a finding (mediator/finding.h). */
#include "mediator/finding.h"

#include <stdio.h>
#include <stdlib.h>

void finding_report(finding_hook_fn hook, const char *who, const char *rule, const char *fmt,
		    va_list ap)
{
	char detail[256];

	vsnprintf(detail, sizeof(detail), fmt, ap);
	if (hook != NULL) {
		hook(rule, detail); /* does not return */
	}
	fprintf(stderr, "ffa-emu %s: %s: %s\n", who, rule, detail);
	abort();
}
