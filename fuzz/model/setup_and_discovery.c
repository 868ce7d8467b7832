/*
 * The state model, setup and discovery (DEN0077A v1.2 §13.2-13.5):
 *   - each VM's version from its FFA_VERSION calls: after an answer that is a
 *     version, the VM runs at the lower of what it asked and what it was
 *     answered (§13.2.1: the caller adapts to a lower callee); the version
 *     becomes final where the backend's profile says (VERSION_LOCK_*);
 *   - version-locked: a final version that a later FFA_VERSION contradicts,
 *     where the profile answers the negotiated version;
 *   - version-not-newer: no VM runs newer than the mediator can serve (its
 *     own newest and the SPMC's);
 *   - features-honoured: FFA_FEATURES(function ID) is the answer a call to
 *     that function gets (§13.3: NOT_SUPPORTED means not implemented at the
 *     caller's version). After SUCCESS, calling it never answers
 *     NOT_SUPPORTED; after NOT_SUPPORTED it always does. The IDs a VM may
 *     be told about but never call (responses: FFA_ERROR, FFA_SUCCESS,
 *     FFA_INTERRUPT, FFA_MSG_WAIT, FFA_YIELD, direct responses,
 *     FFA_MEM_RETRIEVE_RESP) are left out of the first half;
 *   - features-stable: the same question at the same version gets the same
 *     answer, and FFA_RXTX_MAP's properties stay what they were;
 *   - id-get-own: FFA_ID_GET's SUCCESS carries the caller's own ID
 *     (§13.6), FFA_SPM_ID_GET's the SPMC's (§13.7).
 */
#include "model.h"

#include "harness.h"

/* Whether @fid is a response a VM may be told of but never calls as a request. */
static bool response_only(uint32_t fid)
{
	switch (fid) {
	case FFA_ERROR_32:
	case FFA_SUCCESS_32:
	case FFA_SUCCESS_64:
	case FFA_INTERRUPT_32:
	case FFA_MSG_WAIT_32:
	case FFA_YIELD_32:
	case FFA_MSG_SEND_DIRECT_RESP_32:
	case FFA_MSG_SEND_DIRECT_RESP_64:
	case FFA_MSG_SEND_DIRECT_RESP2_64:
	case FFA_MEM_RETRIEVE_RESP_32:
		return true;
	default:
		return false;
	}
}

void model_version_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			 const struct smccc_regs *reply)
{
	const struct mediator_policy *p = oracle_policy(fm);
	uint32_t cfid = ffa_func(call), req = ffa_w(call, 1), ans = (uint32_t)reply->x[0];
	uint32_t version;

	if (cfid != FFA_VERSION_32) {
		/* Any FF-A call but FFA_VERSION ends negotiation, one answered
		 * NOT_SUPPORTED too (an AArch32 caller's SMC64 ID): the caller
		 * invoked another ABI (DEN0077A v1.2 §13.2.2). */
		if (smccc_is_ffa_fid(cfid) && v->vstate == VM_VERSION_REQUESTED &&
		    p->lock == VERSION_LOCK_FIRST_OTHER_CALL) {
			v->vstate = VM_VERSION_LOCKED;
			model_count(MODEL_T_VERSION_LOCKED);
		}
		return;
	}
	if (ans == FFA_VERSION_NOT_SUPPORTED) {
		return;
	}
	if ((ans & FFA_VERSION_MBZ) != 0) {
		v->version_unknown = true; /* version-word fired: what the VM runs at is unknown */
		return;
	}
	v->version_unknown = false;
	if (v->vstate == VM_VERSION_LOCKED) {
		model_count(MODEL_T_VERSION_RELOCK_ASKED);
		if (p->reply_negotiated && ans != v->version) {
			oracle_violation(fm, "version-locked", "VM %#x locked at %#x was answered %#x",
					 v->id, v->version, ans);
		}
		return;
	}
	/* What the mediator made of the request, by its profile's knobs: bit 31
	 * ignored, an unknown major taken as its own (the answer). */
	if ((req & FFA_VERSION_MBZ) && !p->check_version_mbz) {
		req &= ~FFA_VERSION_MBZ;
	}
	if (ffa_version_major(req) != 1 && p->adopt_unknown_major) {
		req = ans;
	}
	version = ffa_version_major(req) == ffa_version_major(ans) && req < ans ? req : ans;
	if (version != v->version || v->vstate == VM_VERSION_NONE) {
		v->told_yes[0] = v->told_yes[1] = v->told_no[0] = v->told_no[1] = 0;
		v->ns_bit_told = false;
	}
	v->version = version;
	v->vstate = p->lock == VERSION_LOCK_FIRST_VERSION ? VM_VERSION_LOCKED : VM_VERSION_REQUESTED;
	model_count(v->vstate == VM_VERSION_LOCKED ? MODEL_T_VERSION_LOCKED : MODEL_T_VERSION_SET);
	if (v->version > fm->model.mediator_version && ffa_version_major(v->version) == 1) {
		oracle_violation(fm, "version-not-newer", "VM %#x runs at %#x, the mediator can serve %#x",
				 v->id, v->version, fm->model.mediator_version);
	}
}

/* features-stable, and the record of an FFA_FEATURES(function ID) answer. */
static void follow_features(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			    const struct smccc_regs *reply)
{
	uint32_t asked = ffa_w(call, 1);
	bool yes = ffa_func(reply) == FFA_SUCCESS_32;
	int w64, n = model_fid_index(asked, &w64);
	uint64_t bit;

	if (n < 0 || ffa_w(call, 2) != 0 || v->vstate == VM_VERSION_NONE ||
	    (!yes && !ffa_is_error(reply, FFA_NOT_SUPPORTED))) {
		return; /* feature IDs, input properties, before a version, or an early answer */
	}
	bit = 1ULL << n;
	if ((yes && (v->told_no[w64] & bit)) || (!yes && (v->told_yes[w64] & bit)) ||
	    (yes && n == (int)(FFA_RXTX_MAP_32 & 0xFF) - 0x60 && (v->told_yes[w64] & bit) &&
	     v->rxtx_props != ffa_w(reply, 2))) {
		oracle_violation(fm, "features-stable", "VM %#x: FFA_FEATURES(%#x) answered %#x w2 %#x, before %s",
				 v->id, asked, ffa_func(reply), ffa_w(reply, 2),
				 (v->told_yes[w64] & bit) ? "SUCCESS" : "NOT_SUPPORTED");
	}
	if (yes) {
		v->told_yes[w64] |= bit;
		v->rxtx_props = n == (int)(FFA_RXTX_MAP_32 & 0xFF) - 0x60 ? ffa_w(reply, 2) : v->rxtx_props;
		v->ns_bit_told = v->ns_bit_told || (n == (int)(FFA_MEM_RETRIEVE_REQ_32 & 0xFF) - 0x60 &&
						    (ffa_w(reply, 2) & FFA_FEAT_RETRIEVE_NS_BIT));
		model_count(MODEL_T_FEATURES_TOLD_YES);
	} else {
		v->told_no[w64] |= bit;
		model_count(MODEL_T_FEATURES_TOLD_NO);
	}
}

/* features-honoured: a call to a function whose support the VM was told at this version. */
static void check_honoured(struct fuzz_machine *fm, const struct model_vm *v,
			   const struct smccc_regs *call, const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call);
	int w64, n = model_fid_index(cfid, &w64);
	bool refused = ffa_is_error(reply, FFA_NOT_SUPPORTED);
	uint64_t bit;

	if (n < 0 || cfid == FFA_FEATURES_32 || cfid == FFA_VERSION_32) {
		return;
	}
	bit = 1ULL << n;
	if ((v->told_yes[w64] | v->told_no[w64]) & bit) {
		model_count(MODEL_T_FEATURES_HONOURED);
	}
	if ((v->told_yes[w64] & bit) && refused && !response_only(cfid)) {
		oracle_violation(fm, "features-honoured", "VM %#x was told %#x is supported; calling it: NOT_SUPPORTED",
				 v->id, cfid);
	}
	if ((v->told_no[w64] & bit) && !refused) {
		oracle_violation(fm, "features-honoured", "VM %#x was told %#x is not supported; calling it: %#x %d",
				 v->id, cfid, ffa_func(reply), ffa_error_code(reply));
	}
}

void model_setup_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
		       const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call);
	bool ok = ffa_func(reply) == FFA_SUCCESS_32;

	check_honoured(fm, v, call, reply);
	if (cfid == FFA_FEATURES_32) {
		follow_features(fm, v, call, reply);
	}
	if (cfid == FFA_ID_GET_32 && ok && ffa_w(reply, 2) != v->id) {
		oracle_violation(fm, "id-get-own", "VM %#x was given ID %#x", v->id, ffa_w(reply, 2));
	}
	if (cfid == FFA_SPM_ID_GET_32 && ok && ffa_w(reply, 2) != fm->spmc.manifest->spmc_id) {
		oracle_violation(fm, "id-get-own", "FFA_SPM_ID_GET gave %#x, the SPMC is %#x",
				 ffa_w(reply, 2), fm->spmc.manifest->spmc_id);
	}
}
