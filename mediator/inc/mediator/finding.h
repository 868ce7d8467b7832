/*
 * How every part of ffa-emu that finds something reports it: a rule name
 * and a detail, handed to the caller's hook (a test, the fuzz harness, the
 * scenario runner), else printed and the process aborted. Used by the
 * oracle (fuzz/oracle.c), the pkvm backend's shim and the client's shim
 * (emu/linux/): it includes nothing of the FF-A ABI, so kernel-side units
 * can include it beside Linux's own FF-A definitions.
 */
#pragma once

#include <stdarg.h>

typedef void (*finding_hook_fn)(const char *rule, const char *detail);

/**
 * finding_report() - format @fmt with @ap into the detail and hand it with
 * @rule to @hook when set (a hook must not return); else print
 * "ffa-emu <who>: <rule>: <detail>" on stderr and abort.
 * Returns: never.
 */
__attribute__((noreturn, format(printf, 4, 0))) void finding_report(finding_hook_fn hook,
								  const char *who,
								  const char *rule,
								  const char *fmt, va_list ap);
