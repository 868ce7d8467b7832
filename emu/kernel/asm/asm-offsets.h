/*
 * Stand-in for the generated <asm/asm-offsets.h>: the offsets Linux's
 * smccc-call.S stores the registers at, as the kernel's asm-offsets.c
 * derives them from its structs (DEN0028 register blocks):
 *   struct arm_smccc_res   { a0, a1, a2, a3 }              8 bytes each;
 *   struct arm_smccc_quirk { int id; union { state } }      state at 8;
 *   struct arm_smccc_1_2_regs { a0 ... a17 }                8 bytes each,
 * the layout of our struct smccc_regs (emu.c checks it at compile time).
 */
#define ARM_SMCCC_RES_X0_OFFS 0
#define ARM_SMCCC_RES_X2_OFFS 16
#define ARM_SMCCC_QUIRK_ID_OFFS 0
#define ARM_SMCCC_QUIRK_STATE_OFFS 8
#define ARM_SMCCC_1_2_REGS_X0_OFFS 0
#define ARM_SMCCC_1_2_REGS_X2_OFFS 16
#define ARM_SMCCC_1_2_REGS_X4_OFFS 32
#define ARM_SMCCC_1_2_REGS_X6_OFFS 48
#define ARM_SMCCC_1_2_REGS_X8_OFFS 64
#define ARM_SMCCC_1_2_REGS_X10_OFFS 80
#define ARM_SMCCC_1_2_REGS_X12_OFFS 96
#define ARM_SMCCC_1_2_REGS_X14_OFFS 112
#define ARM_SMCCC_1_2_REGS_X16_OFFS 128
