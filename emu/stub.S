/*
 * The guest side of an FF-A call, as a kernel driver makes it: the SMCCC v1.2
 * caller convention of Linux's arm_smccc_1_2_smc/hvc (arch/arm64/kernel/
 * smccc-call.S): x0 points to an 18-register argument block, x1 to an
 * 18-register result block; load x0-x17, trap, store x0-x17. Assembled at
 * build time (aarch64-linux-gnu-as), never committed as bytes.
 *
 * Entries (offsets exported by the build as EMU_STUB_<NAME>):
 *   ffa_emu_smc, ffa_emu_hvc         the call through smc #0 / hvc #0;
 *   ffa_emu_smc_canary, _hvc_canary  the same, x2 pointing to a word that
 *                                    gets a mask of the callee-saved
 *                                    registers x18-x29 (bit n: xn) that
 *                                    the call changed.
 */
	.text
	.p2align 2

/* \op (ldp or stp) x0-x17 with the 18-register block at \base + \bias. */
.macro block op, base, bias
	\op	x0, x1, [\base, #(\bias + 0)]
	\op	x2, x3, [\base, #(\bias + 16)]
	\op	x4, x5, [\base, #(\bias + 32)]
	\op	x6, x7, [\base, #(\bias + 48)]
	\op	x8, x9, [\base, #(\bias + 64)]
	\op	x10, x11, [\base, #(\bias + 80)]
	\op	x12, x13, [\base, #(\bias + 96)]
	\op	x14, x15, [\base, #(\bias + 112)]
	\op	x16, x17, [\base, #(\bias + 128)]
.endm

/* \op (ldp or stp) the callee-saved x18-x29 with the frame at sp + 16. */
.macro saved op
	\op	x18, x19, [sp, #16]
	\op	x20, x21, [sp, #32]
	\op	x22, x23, [sp, #48]
	\op	x24, x25, [sp, #64]
	\op	x26, x27, [sp, #80]
	\op	x28, x29, [sp, #96]
.endm

/* The plain call: save the result pointer, trap, store the results. */
.macro call_via trap
	stp	x1, x19, [sp, #-16]!	/* result block pointer, and x19 (callee-saved) */
	mov	x19, x0
	block	ldp, x19, 0
	\trap	#0
	ldr	x19, [sp]		/* the result block */
	block	stp, x19, 0
	ldp	xzr, x19, [sp], #16
	ret
.endm

	.globl	ffa_emu_smc
ffa_emu_smc:
	call_via smc

	.globl	ffa_emu_hvc
ffa_emu_hvc:
	call_via hvc

/*
 * The canary call: keep x1, x2 and x18-x29 in a frame with room for the
 * results, load the arguments, fill x18-x29 with 0xCA11EE0000000000 + n,
 * trap; spill x0-x17 to the frame, build the mask of changed canaries, then
 * copy the results out and restore x18-x29.
 * Frame: [0] x1 x2, [16..111] x18-x29, [112..255] the results.
 */
.macro canary_via trap
	sub	sp, sp, #256
	stp	x1, x2, [sp, #0]
	saved	stp
	mov	x19, x0
	block	ldp, x19, 0
	movz	x18, #0xCA11, lsl #48
	movk	x18, #0xEE00, lsl #32
	.irp	n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	add	x\n, x18, #\n
	.endr
	add	x18, x18, #18
	\trap	#0
	block	stp, sp, 112
	mov	x0, #0
	movz	x1, #0xCA11, lsl #48
	movk	x1, #0xEE00, lsl #32
	.irp	n, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	add	x2, x1, #\n
	cmp	x\n, x2
	cset	x3, ne
	orr	x0, x0, x3, lsl #\n
	.endr
	ldr	x2, [sp, #8]		/* the mask word */
	str	w0, [x2]
	ldr	x1, [sp, #0]		/* the result block */
	.irp	off, 0, 16, 32, 48, 64, 80, 96, 112, 128
	ldp	x2, x3, [sp, #(112 + \off)]
	stp	x2, x3, [x1, #\off]
	.endr
	saved	ldp
	add	sp, sp, #256
	ret
.endm

	.globl	ffa_emu_smc_canary
ffa_emu_smc_canary:
	canary_via smc

	.globl	ffa_emu_hvc_canary
ffa_emu_hvc_canary:
	canary_via hvc
