/*
 * The SMCCC register frame, x0 to x17, and the one function that applies the
 * SMC32 and SMC64 / SMCCC v1.2 register rules (Arm DEN0028, SMC Calling
 * Convention: §2.6 as pKVM cites it, and the v1.2 extended registers x8-x17;
 * ffa-facts.md §4).
 *
 * Raw x[N] indexing belongs here, in emu/ and in fuzz input decoders; FF-A
 * code reads a frame through the named accessors below.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"

#define SMCCC_REG_COUNT 18

/* x0..x17: what SMCCC v1.2 lets a call pass and a result return. */
struct smccc_regs {
	uint64_t x[SMCCC_REG_COUNT];
};

#define SMCCC_FAST_CALL (1U << 31)
#define SMCCC_SMC64 (1U << 30)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3FU
#define SMCCC_OWNER_STANDARD_SECURE 4U
#define SMCCC_UNKNOWN 0xFFFFFFFFU /* "unknown function" in w0 */

/* True if @fid (a w0 value) names a fast call in FF-A's function range. */
static inline bool smccc_is_ffa_fid(uint32_t fid)
{
	uint32_t num = fid & 0xFFFFU;

	return (fid & SMCCC_FAST_CALL) != 0 &&
	       ((fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) == SMCCC_OWNER_STANDARD_SECURE &&
	       ((fid >> 16) & 0xFFU) == 0 && num >= FFA_FUNC_NUM_MIN && num <= FFA_FUNC_NUM_MAX;
}

static inline bool smccc_is_smc64(uint32_t fid)
{
	return (fid & SMCCC_SMC64) != 0;
}

/**
 * smccc_conform() - make @r obey the SMCCC register rules, in place.
 * @r:     a call about to be made, or a result about to be returned.
 * @call:  NULL when @r is a call; otherwise the caller's own frame as it made
 *         the call that @r answers (the source of preserved registers).
 * @regs18: the endpoint speaks SMCCC v1.2 with FF-A v1.2, so SMC64 calls
 *         carry arguments and results in x8-x17.
 *
 * The rules, all of them, in one place:
 * - w0 is the function ID or status word: x0[63:32] is always cleared.
 * - The width of x1-x7 follows w0 when w0 is an FF-A function ID (a result
 *   is masked to *its own* convention, so an FFA_ERROR_32 answer to an SMC64
 *   call carries x2 = 0x00000000FFFFFFFE); otherwise (FFA_VERSION's version
 *   word) it follows the call. SMC32: "only the bottom 32 bits of a 32-bit
 *   SMC call are valid" and a result written to Wn zeroes Xn[63:32]
 *   (DEN0028 §2.6; TF-A 475333c8a).
 * - x8-x17 of a call are arguments only for SMC64 from an SMCCC v1.2 caller;
 *   otherwise they are zeroed so no handler can read stale values.
 * - x8-x17 of a result are the callee's for SMC64 with @regs18 (zero unless
 *   the ABI returns something there, as Xen ffa_set_regs and TF-A bb9fc8c0b
 *   do); otherwise they are preserved from @call: "SMC32/HVC32 calls from
 *   AArch64 must preserve x8-x30" and SMCCC v1.1 preserves x4-x17 that are
 *   not results (DEN0028 §2.6; SMCCC v1.1 and v1.2 rules, ffa-facts.md §4).
 *   "SMC64" here is the call's or the result's: FFA_RUN_32 answered by
 *   FFA_MSG_SEND_DIRECT_RESP2_64 returns the response's x8-x17.
 */
void smccc_conform(struct smccc_regs *r, const struct smccc_regs *call, bool regs18);

/* --- FF-A accessors: the only way FF-A code reads a frame --- */

static inline uint32_t ffa_func(const struct smccc_regs *r)
{
	return (uint32_t)r->x[0];
}

/* wN, the low 32 bits of xN. */
static inline uint32_t ffa_w(const struct smccc_regs *r, unsigned n)
{
	return (uint32_t)r->x[n];
}

/* xN in full (meaningful for SMC64 only; smccc_conform() masks SMC32). */
static inline uint64_t ffa_x(const struct smccc_regs *r, unsigned n)
{
	return r->x[n];
}

/* w1[31:16]: the sender of a message, or the endpoint ID of RXTX_UNMAP. */
static inline ffa_id_t ffa_sender(const struct smccc_regs *r)
{
	return (ffa_id_t)(r->x[1] >> 16);
}

/* w1[15:0]: the receiver of a message, or the VM ID of RX_RELEASE/ACQUIRE. */
static inline ffa_id_t ffa_receiver(const struct smccc_regs *r)
{
	return (ffa_id_t)r->x[1];
}

/* The status code in w2 of an FFA_ERROR frame, as the signed spec value. */
static inline int32_t ffa_error_code(const struct smccc_regs *r)
{
	return (int32_t)(uint32_t)r->x[2];
}

/* --- FF-A frame constructors --- */

/* FFA_ERROR with @err zero-extended into x2. */
static inline struct smccc_regs ffa_error(int32_t err)
{
	return (struct smccc_regs){.x = {FFA_ERROR_32, 0, (uint32_t)err}};
}

/* FFA_SUCCESS_32 with w2 = @w2, every other register zero. */
static inline struct smccc_regs ffa_success(uint32_t w2)
{
	return (struct smccc_regs){.x = {FFA_SUCCESS_32, 0, w2}};
}

/* An internal result: FFA_OK becomes FFA_SUCCESS_32, anything else FFA_ERROR. */
static inline struct smccc_regs ffa_status(int32_t err)
{
	return err == FFA_OK ? ffa_success(0) : ffa_error(err);
}

/* A frame with w0 = @fid and w1..w5 as given, the rest zero. */
static inline struct smccc_regs ffa_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
					  uint64_t a4, uint64_t a5)
{
	return (struct smccc_regs){.x = {fid, a1, a2, a3, a4, a5}};
}

/* True if @r is FFA_ERROR carrying @err (compared as a 32-bit value). */
static inline bool ffa_is_error(const struct smccc_regs *r, int32_t err)
{
	return ffa_func(r) == FFA_ERROR_32 && ffa_error_code(r) == err;
}

/* True if @r is FFA_SUCCESS_32 or FFA_SUCCESS_64. */
static inline bool ffa_is_success(const struct smccc_regs *r)
{
	return ffa_func(r) == FFA_SUCCESS_32 || ffa_func(r) == FFA_SUCCESS_64;
}
