/*
 * What the emulator checks around Linux's own SMCCC entry stub
 * (arch/arm64/kernel/smccc-call.S, assembled from the kernel tree at build
 * time and linked with this file; emu/README.md): the callee-saved
 * registers canary, wrapping the kernel's arm_smccc_1_2_smc/hvc rather
 * than replacing it. DEN0028 §2.6: x18-x29 survive an SMCCC call.
 *
 * Entries (offsets exported by the build as EMU_STUB_<NAME>):
 *   ffa_emu_smc_canary, _hvc_canary   x0, x1 as arm_smccc_1_2_smc/hvc (the
 *                                     argument and result blocks), x2
 *                                     pointing to a word that gets a mask
 *                                     of the callee-saved registers
 *                                     x18-x29 (bit n: xn) that the call
 *                                     through the kernel's stub changed.
 * Assembled with aarch64-linux-gnu-as, never committed as bytes.
 */
	.text
	.p2align 2

/* \op (ldp or stp) x18-x29 with the frame at sp + 16. */
.macro saved op
	\op	x18, x19, [sp, #16]
	\op	x20, x21, [sp, #32]
	\op	x22, x23, [sp, #48]
	\op	x24, x25, [sp, #64]
	\op	x26, x27, [sp, #80]
	\op	x28, x29, [sp, #96]
.endm

/*
 * Keep x2 (the mask word), x30 and x18-x29 in a frame; fill x18-x29 with
 * 0xCA11EE0000000000 + n; call the kernel's entry with x0, x1 untouched;
 * build the mask of changed canaries, store it, restore and return.
 * Frame: [0] x2 x30, [16..111] x18-x29.
 */
.macro canary_via entry
	sub	sp, sp, #112
	stp	x2, x30, [sp, #0]
	saved	stp
	movz	x18, #0xCA11, lsl #48
	movk	x18, #0xEE00, lsl #32
	.irp	n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	add	x\n, x18, #\n
	.endr
	add	x18, x18, #18
	bl	\entry
	mov	x0, #0
	movz	x1, #0xCA11, lsl #48
	movk	x1, #0xEE00, lsl #32
	.irp	n, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
	add	x2, x1, #\n
	cmp	x\n, x2
	cset	x3, ne
	orr	x0, x0, x3, lsl #\n
	.endr
	ldr	x2, [sp, #0]		/* the mask word */
	str	w0, [x2]
	saved	ldp
	ldr	x30, [sp, #8]
	add	sp, sp, #112
	ret
.endm

	.globl	ffa_emu_smc_canary
	.type	ffa_emu_smc_canary, %function
ffa_emu_smc_canary:
	canary_via arm_smccc_1_2_smc

	.globl	ffa_emu_hvc_canary
	.type	ffa_emu_hvc_canary, %function
ffa_emu_hvc_canary:
	canary_via arm_smccc_1_2_hvc
