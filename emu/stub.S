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

/* Load x0-x17 from the block at x19. */
.macro load_args
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
.endm

/* Store x0-x17 to the block at x19. */
.macro store_results
	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
.endm

/* The plain call: save the result pointer, trap, store the results. */
.macro call_via trap
	stp	x1, x19, [sp, #-16]!	/* result block pointer, and x19 (callee-saved) */
	mov	x19, x0
	load_args
	\trap	#0
	ldr	x19, [sp]		/* the result block */
	store_results
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
	stp	x18, x19, [sp, #16]
	stp	x20, x21, [sp, #32]
	stp	x22, x23, [sp, #48]
	stp	x24, x25, [sp, #64]
	stp	x26, x27, [sp, #80]
	stp	x28, x29, [sp, #96]
	mov	x19, x0
	load_args
	movz	x18, #0xCA11, lsl #48
	movk	x18, #0xEE00, lsl #32
	.irp	n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	add	x\n, x18, #\n
	.endr
	add	x18, x18, #18
	\trap	#0
	stp	x0, x1, [sp, #112]
	stp	x2, x3, [sp, #128]
	stp	x4, x5, [sp, #144]
	stp	x6, x7, [sp, #160]
	stp	x8, x9, [sp, #176]
	stp	x10, x11, [sp, #192]
	stp	x12, x13, [sp, #208]
	stp	x14, x15, [sp, #224]
	stp	x16, x17, [sp, #240]
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
	ldp	x18, x19, [sp, #16]
	ldp	x20, x21, [sp, #32]
	ldp	x22, x23, [sp, #48]
	ldp	x24, x25, [sp, #64]
	ldp	x26, x27, [sp, #80]
	ldp	x28, x29, [sp, #96]
	add	sp, sp, #256
	ret
.endm

	.globl	ffa_emu_smc_canary
ffa_emu_smc_canary:
	canary_via smc

	.globl	ffa_emu_hvc_canary
ffa_emu_hvc_canary:
	canary_via hvc
