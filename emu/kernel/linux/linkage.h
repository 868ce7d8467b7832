/*
 * Stand-in for <linux/linkage.h> (and the EXPORT_SYMBOL of <linux/export.h>)
 * when Linux's arch/arm64/kernel/smccc-call.S is assembled for the emulator
 * (emu/README.md): a function symbol, global, 4-byte aligned, typed and
 * sized as the kernel's SYM_FUNC_START/END make it. Nothing is exported:
 * the emulator finds the entries by symbol (nm) after linking.
 */
#define SYM_FUNC_START(name) \
	.globl name; \
	.p2align 2; \
	.type name, %function; \
	name:
#define SYM_FUNC_END(name) .size name, . - name
#define EXPORT_SYMBOL(name)
