/*
 * The SMCCC register rules (DEN0028 §2.6 and SMCCC v1.2): see smccc_conform()
 * in ffa/smccc.h for the rules and their sources.
 */
#include "ffa/smccc.h"

/* Fast calls with owner 4 (standard secure service): FF-A's own IDs. */
static bool is_ffa_convention(uint32_t w0)
{
	return (w0 & SMCCC_FAST_CALL) != 0 &&
	       ((w0 >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) == SMCCC_OWNER_STANDARD_SECURE;
}

void smccc_conform(struct smccc_regs *r, const struct smccc_regs *call, bool regs18)
{
	uint32_t w0 = (uint32_t)r->x[0];
	uint32_t width_fid = is_ffa_convention(w0) || call == NULL ? w0 : (uint32_t)call->x[0];
	/*
	 * An SMC32 call may be answered by an SMC64 function: FFA_RUN_32 by
	 * FFA_MSG_SEND_DIRECT_RESP2_64 (DEN0077A v1.2 lists the direct response
	 * among FFA_RUN's results; pKVM's ffa_set_retval comment names the
	 * clash with DEN0028 §2.6, which FF-A v1.3 resolves). For an SMCCC v1.2
	 * caller the reply's own convention wins: x8-x17 carry its results.
	 */
	bool call64 = smccc_is_smc64(call ? (uint32_t)call->x[0] : w0) ||
		      (call != NULL && is_ffa_convention(w0) && smccc_is_smc64(w0));

	r->x[0] = w0;
	if (!smccc_is_smc64(width_fid)) {
		for (unsigned i = 1; i < 8; i++) {
			r->x[i] = (uint32_t)r->x[i];
		}
	}
	if (call64 && regs18) {
		return; /* x8-x17 are arguments or results */
	}
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		r->x[i] = call ? call->x[i] : 0;
	}
}
