/*
 * CHECK(): our own invariants. It aborts in every build, so a fuzzer that
 * trips one has found a real bug. Never use it on guest or SPMC input: those
 * get the FF-A error the spec names.
 */
#pragma once

_Noreturn void check_failed(const char *file, int line, const char *expr);

#define CHECK(expr)                                              \
	do {                                                     \
		if (!(expr)) {                                   \
			check_failed(__FILE__, __LINE__, #expr); \
		}                                                \
	} while (0)
