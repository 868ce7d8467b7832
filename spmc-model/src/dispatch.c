/*
 * The SPMC model's dispatcher for calls from the NS physical instance (the
 * hypervisor), and the other-world seam the mediator links against.
 *
 * Guards, in order: a function ID outside FF-A's range gets SMCCC_UNKNOWN;
 * a call before FFA_VERSION is a mediator fault (DEN0077A v1.2 §13.2.2: the
 * caller negotiates first) answered NOT_SUPPORTED; the first other call
 * locks the version; an ID the model does not handle for this caller, or
 * that its negotiated version does not have, gets NOT_SUPPORTED.
 *
 * Handled for the hypervisor: the table below (Hafnium as SPMC: only the
 * SMC64 form of FFA_RXTX_MAP, aa100c1b; FFA_MEM_RETRIEVE_REQ and
 * FFA_MEM_FRAG_RX only as the hypervisor's own retrieve request, DEN0077A
 * v1.2 §17.4.3, memory_retrieve.c). Before each call the isolation
 * oracle (spmc_isolation_check()) compares the model's memory record with
 * the pages; a mismatch is a mediator fault.
 *
 * Register width of the replies (the SPMD/SPMC's, which a real hypervisor
 * receives): the SMCCC version the caller's FF-A version implies, as TF-A's
 * SPMD does. A caller that negotiated FF-A 1.2 gets SMCCC 1.2 (an SMC64
 * answer's x8-x17 are results, zero unless the ABI returns something
 * there); any other gets SMCCC 1.1 rules: x4-x17 that are not results are
 * preserved, and an SMC32 answer's upper halves are zero (DEN0028 §2.6;
 * smccc_conform()). So 6.12's pKVM, at FF-A 1.1, gets its own registers back
 * beyond the results, and its arm_smccc_1_1_smc() reads x0-x3 of them.
 */
#include "internal.h"

#include "mediator/other_world.h"

static struct smccc_regs spmc_ffa_response_only(struct spmc *s, const struct smccc_regs *args)
{
	(void)s;
	(void)args;
	return ffa_error(FFA_DENIED);
}

static const struct {
	uint32_t fid;
	struct smccc_regs (*fn)(struct spmc *s, const struct smccc_regs *args);
} handlers[] = {
	{FFA_ERROR_32, spmc_ffa_response_only},
	{FFA_SUCCESS_32, spmc_ffa_response_only},
	{FFA_SUCCESS_64, spmc_ffa_response_only},
	{FFA_INTERRUPT_32, spmc_ffa_response_only},
	{FFA_VERSION_32, spmc_ffa_version},
	{FFA_FEATURES_32, spmc_ffa_features},
	{FFA_RX_RELEASE_32, spmc_ffa_rx_release},
	{FFA_RXTX_MAP_64, spmc_ffa_rxtx_map},
	{FFA_RXTX_UNMAP_32, spmc_ffa_rxtx_unmap},
	{FFA_PARTITION_INFO_GET_32, spmc_ffa_partition_info_get},
	{FFA_ID_GET_32, spmc_ffa_id_get},
	{FFA_RX_ACQUIRE_32, spmc_ffa_rx_acquire},
	{FFA_SPM_ID_GET_32, spmc_ffa_spm_id_get},
	{FFA_PARTITION_INFO_GET_REGS_64, spmc_ffa_partition_info_get_regs},
	{FFA_RUN_32, spmc_ffa_run},
	{FFA_MSG_SEND_DIRECT_REQ_32, spmc_ffa_msg_send_direct_req},
	{FFA_MSG_SEND_DIRECT_REQ_64, spmc_ffa_msg_send_direct_req},
	{FFA_MSG_SEND_DIRECT_REQ2_64, spmc_ffa_msg_send_direct_req},
	{FFA_MSG_SEND2_32, spmc_ffa_msg_send2},
	{FFA_NOTIFICATION_BITMAP_CREATE_32, spmc_ffa_notification_bitmap_create},
	{FFA_NOTIFICATION_BITMAP_DESTROY_32, spmc_ffa_notification_bitmap_destroy},
	{FFA_NOTIFICATION_BIND_32, spmc_ffa_notification_bind},
	{FFA_NOTIFICATION_UNBIND_32, spmc_ffa_notification_unbind},
	{FFA_NOTIFICATION_SET_32, spmc_ffa_notification_set},
	{FFA_NOTIFICATION_GET_32, spmc_ffa_notification_get},
	{FFA_NOTIFICATION_INFO_GET_32, spmc_ffa_notification_info_get},
	{FFA_NOTIFICATION_INFO_GET_64, spmc_ffa_notification_info_get},
	{FFA_MEM_DONATE_32, spmc_ffa_mem_send},
	{FFA_MEM_DONATE_64, spmc_ffa_mem_send},
	{FFA_MEM_LEND_32, spmc_ffa_mem_send},
	{FFA_MEM_LEND_64, spmc_ffa_mem_send},
	{FFA_MEM_SHARE_32, spmc_ffa_mem_send},
	{FFA_MEM_SHARE_64, spmc_ffa_mem_send},
	{FFA_MEM_FRAG_TX_32, spmc_ffa_mem_frag_tx},
	{FFA_MEM_RECLAIM_32, spmc_ffa_mem_reclaim},
	{FFA_MEM_RETRIEVE_REQ_32, spmc_ffa_mem_retrieve_req},
	{FFA_MEM_RETRIEVE_REQ_64, spmc_ffa_mem_retrieve_req},
	{FFA_MEM_FRAG_RX_32, spmc_ffa_mem_frag_rx},
};

static size_t handler_index(uint32_t fid)
{
	size_t i = 0;

	while (i < sizeof(handlers) / sizeof(handlers[0]) && handlers[i].fid != fid) {
		i++;
	}
	return i;
}

bool spmc_abi_is_handled(const struct spmc *s, uint32_t fid)
{
	return handler_index(fid) < sizeof(handlers) / sizeof(handlers[0]) &&
	       s->ns_version >= ffa_func_since(fid);
}

struct smccc_regs spmc_fault(struct spmc *s, uint32_t fid, const char *reason, int32_t err)
{
	if (s->fault_count < SPMC_MAX_FAULTS) {
		s->faults[s->fault_count] = (struct spmc_fault){.fid = fid, .reason = reason};
	}
	s->fault_count++;
	s->last_fault = (struct spmc_fault){.fid = fid, .reason = reason};
	return ffa_error(err);
}

static struct smccc_regs dispatch(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t fid = ffa_func(args);

	if (fid == FFA_VERSION_32) {
		return spmc_ffa_version(s, args);
	}
	if (s->version_state == VM_VERSION_NONE) {
		return spmc_fault(s, fid, "FF-A call before FFA_VERSION", FFA_NOT_SUPPORTED);
	}
	s->version_state = VM_VERSION_LOCKED;
	if (!spmc_abi_is_handled(s, fid)) {
		return ffa_error(FFA_NOT_SUPPORTED);
	}
	return handlers[handler_index(fid)].fn(s, args);
}

struct smccc_regs spmc_ns_call(struct spmc *s, const struct smccc_regs *req)
{
	bool regs18 = s->version_state != VM_VERSION_NONE && s->ns_version >= FFA_VERSION_1_2;
	struct smccc_regs args = *req;
	struct smccc_regs res = {.x = {SMCCC_UNKNOWN}};

	if (!spmc_isolation_check(s, s->isolation_why, sizeof(s->isolation_why))) {
		spmc_fault(s, ffa_func(req), "isolation: SPMC record and pages disagree", FFA_ABORTED);
	}
	if (smccc_is_ffa_fid(ffa_func(req))) {
		smccc_conform(&args, NULL, regs18);
		res = dispatch(s, &args);
	}
	smccc_conform(&res, req, regs18);
	if (s->garble_upper) {
		/* A partition that breaks SMCCC: the mediator must mask SMC32 results. */
		for (unsigned i = 1; i < 8; i++) {
			res.x[i] |= 0xDEADBEEF00000000ULL;
		}
		s->garble_upper = false;
	}
	return res;
}

struct smccc_regs other_world_call(struct spmc *spmc, const struct smccc_regs *req)
{
	return spmc_ns_call(spmc, req);
}

bool other_world_sri_take(struct spmc *spmc)
{
	return spmc_sri_take(spmc);
}
