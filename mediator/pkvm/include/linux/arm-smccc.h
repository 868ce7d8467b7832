/*
 * Stand-in for <linux/arm-smccc.h> (the real one is arm64 inline assembly):
 * the SMCCC function-ID encoding (Arm DEN0028 §2.5), the result structs, and
 * the calls a hypervisor makes to EL3. Each call goes to the pkvm shim, which
 * hands it to the SPMC model exactly as an smc #0 would (shim.c).
 *
 * arm_smccc_1_1_smc(a0, ..., a7, &res): SMCCC 1.1, up to eight arguments,
 * and only x0-x3 come back (what the secure world put in x4-x17 is lost).
 * arm_smccc_1_2_smc(&args, &res): SMCCC 1.2, x0-x17 both ways.
 */
#pragma once

#include "types.h"

#define ARM_SMCCC_STD_CALL 0UL
#define ARM_SMCCC_FAST_CALL 1UL
#define ARM_SMCCC_TYPE_SHIFT 31
#define ARM_SMCCC_SMC_32 0
#define ARM_SMCCC_SMC_64 1
#define ARM_SMCCC_CALL_CONV_SHIFT 30
#define ARM_SMCCC_OWNER_MASK 0x3F
#define ARM_SMCCC_OWNER_SHIFT 24
#define ARM_SMCCC_FUNC_MASK 0xFFFF

#define ARM_SMCCC_IS_FAST_CALL(smc_val) ((smc_val) & (ARM_SMCCC_FAST_CALL << ARM_SMCCC_TYPE_SHIFT))
#define ARM_SMCCC_IS_64(smc_val) ((smc_val) & (ARM_SMCCC_SMC_64 << ARM_SMCCC_CALL_CONV_SHIFT))
#define ARM_SMCCC_FUNC_NUM(smc_val) ((smc_val) & ARM_SMCCC_FUNC_MASK)
#define ARM_SMCCC_OWNER_NUM(smc_val) (((smc_val) >> ARM_SMCCC_OWNER_SHIFT) & ARM_SMCCC_OWNER_MASK)
#define ARM_SMCCC_CALL_VAL(type, calling_convention, owner, func_num)                        \
	(((type) << ARM_SMCCC_TYPE_SHIFT) | ((calling_convention) << ARM_SMCCC_CALL_CONV_SHIFT) | \
	 (((owner) & ARM_SMCCC_OWNER_MASK) << ARM_SMCCC_OWNER_SHIFT) |                          \
	 ((func_num) & ARM_SMCCC_FUNC_MASK))

#define ARM_SMCCC_OWNER_ARCH 0
#define ARM_SMCCC_OWNER_CPU 1
#define ARM_SMCCC_OWNER_SIP 2
#define ARM_SMCCC_OWNER_OEM 3
#define ARM_SMCCC_OWNER_STANDARD 4
#define ARM_SMCCC_OWNER_STANDARD_HYP 5
#define ARM_SMCCC_OWNER_VENDOR_HYP 6
#define ARM_SMCCC_OWNER_TRUSTED_APP 48
#define ARM_SMCCC_OWNER_TRUSTED_OS 50
#define ARM_SMCCC_CALL_HINTS (1UL << 16) /* SVE state hint (SMCCC 1.3) */

#define ARM_SMCCC_VERSION_1_0 0x10000
#define ARM_SMCCC_VERSION_1_1 0x10001
#define ARM_SMCCC_VERSION_1_2 0x10002
#define ARM_SMCCC_VERSION_1_3 0x10003

#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED -1
#define SMCCC_RET_NOT_REQUIRED -2
#define SMCCC_RET_INVALID_PARAMETER -3

struct arm_smccc_res {
	unsigned long a0, a1, a2, a3;
};

struct arm_smccc_1_2_regs {
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15,
		a16, a17;
};

/* The shim's EL3 entry (shim.c): x0-x7 in, x0-x3 out. */
void pkvm_shim_smccc_1_1(unsigned long a0, unsigned long a1, unsigned long a2,
			 unsigned long a3, unsigned long a4, unsigned long a5,
			 unsigned long a6, unsigned long a7, struct arm_smccc_res *res);

/* SMCCC 1.2: x0-x17 in and out (shim.c). */
void arm_smccc_1_2_smc(const struct arm_smccc_1_2_regs *args, struct arm_smccc_1_2_regs *res);

/* arm_smccc_1_1_smc() takes 0 to 7 arguments after the function ID, then the result. */
#define __SMCCC_NARGS(...) __SMCCC_NARGS_(__VA_ARGS__, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __SMCCC_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, n, ...) n
#define __SMCCC_CAT(a, b) __SMCCC_CAT_(a, b)
#define __SMCCC_CAT_(a, b) a##b
#define __smccc_1_1_2(a0, r) pkvm_shim_smccc_1_1(a0, 0, 0, 0, 0, 0, 0, 0, r)
#define __smccc_1_1_3(a0, a1, r) pkvm_shim_smccc_1_1(a0, a1, 0, 0, 0, 0, 0, 0, r)
#define __smccc_1_1_4(a0, a1, a2, r) pkvm_shim_smccc_1_1(a0, a1, a2, 0, 0, 0, 0, 0, r)
#define __smccc_1_1_5(a0, a1, a2, a3, r) pkvm_shim_smccc_1_1(a0, a1, a2, a3, 0, 0, 0, 0, r)
#define __smccc_1_1_6(a0, a1, a2, a3, a4, r) pkvm_shim_smccc_1_1(a0, a1, a2, a3, a4, 0, 0, 0, r)
#define __smccc_1_1_7(a0, a1, a2, a3, a4, a5, r) \
	pkvm_shim_smccc_1_1(a0, a1, a2, a3, a4, a5, 0, 0, r)
#define __smccc_1_1_8(a0, a1, a2, a3, a4, a5, a6, r) \
	pkvm_shim_smccc_1_1(a0, a1, a2, a3, a4, a5, a6, 0, r)
#define __smccc_1_1_9(a0, a1, a2, a3, a4, a5, a6, a7, r) \
	pkvm_shim_smccc_1_1(a0, a1, a2, a3, a4, a5, a6, a7, r)
#define arm_smccc_1_1_smc(...) __SMCCC_CAT(__smccc_1_1_, __SMCCC_NARGS(__VA_ARGS__))(__VA_ARGS__)
