/* Stand-in for <asm/assembler.h>: smccc-call.S uses none of its macros. */
