/*
 * The mediator's one dispatcher (DEN0077A v1.2 §"Function ID table"), with
 * the guards that run before it, in this order:
 *   1. a function ID outside FF-A's range (ffa-facts.md §1.1) is not ours:
 *      w0 = SMCCC_UNKNOWN;
 *   2. FF-A not available (start-up with the SPMC failed, or a guest under a
 *      host-only policy): NOT_SUPPORTED;
 *   3. an AArch32 caller using an SMC64 ID: NOT_SUPPORTED (SMCCC: the SMC64
 *      convention is not available to AArch32 callers; Xen does the same);
 *   4. before FFA_VERSION, only FFA_VERSION: the policy's early error;
 *      the first other call ends negotiation (DEN0077A v1.2 §13.2.2);
 *   5. an ID in FF-A's range that we do not handle, or that the caller's
 *      negotiated version does not have: FFA_ERROR / NOT_SUPPORTED (not the
 *      SMCCC unknown value: Xen 75571e162b).
 *
 * Handled: the table below (FFA_MEM_RETRIEVE_REQ, FFA_MEM_RETRIEVE_RESP,
 * FFA_MEM_FRAG_RX and FFA_MEM_RELINQUISH only where the policy lets VMs
 * borrow from VMs). Not handled (FFA_ERROR / NOT_SUPPORTED):
 * FFA_MEM_OP_PAUSE/RESUME (v1.0 only,
 * withdrawn), FFA_MEM_PERM_GET/SET (partitions only); FFA_RX_ACQUIRE, FFA_NOTIFICATION_BITMAP_CREATE and
 * _DESTROY and every other physical-instance or SPMC-only ABI, which a VM
 * may never call; FFA_MSG_SEND_DIRECT_RESP/RESP2, FFA_MSG_WAIT, FFA_YIELD,
 * FFA_MSG_POLL and FFA_MSG_SEND, which belong to a receiver of messages
 * (VM-to-VM direct messaging is not supported); FFA_CONSOLE_LOG and
 * FFA_SECONDARY_EP_REGISTER (partitions only). FFA_ERROR, FFA_SUCCESS and
 * FFA_INTERRUPT are reported by FFA_FEATURES, as the ACS requires, but are
 * responses: a VM invoking one as a call gets DENIED. So is
 * FFA_MEM_RETRIEVE_RESP, reported wherever FFA_MEM_RETRIEVE_REQ is: the ACS
 * (ff-a-acs test/v1.0/setup_discovery/ffa_features) requires the pair
 * together, and DEN0077A v1.2 FFA_FEATURES reports an interface the caller
 * may receive as well as those it may invoke.
 */
#include "internal.h"

#include "mediator/check.h"
#include "mediator/other_world.h"

/* ERROR, SUCCESS, INTERRUPT and RETRIEVE_RESP exist but are not calls a VM may make. */
static struct smccc_regs mediator_ffa_response_only(struct mediator *m, struct mediator_vm *vm,
						    const struct smccc_regs *args)
{
	(void)m;
	(void)vm;
	(void)args;
	return ffa_error(FFA_DENIED);
}

static const struct {
	uint32_t fid;
	mediator_handler_fn fn;
} handlers[] = {
	{FFA_ERROR_32, mediator_ffa_response_only},
	{FFA_SUCCESS_32, mediator_ffa_response_only},
	{FFA_SUCCESS_64, mediator_ffa_response_only},
	{FFA_INTERRUPT_32, mediator_ffa_response_only},
	{FFA_VERSION_32, mediator_ffa_version},
	{FFA_FEATURES_32, mediator_ffa_features},
	{FFA_RX_RELEASE_32, mediator_ffa_rx_release},
	{FFA_RXTX_MAP_32, mediator_ffa_rxtx_map},
	{FFA_RXTX_MAP_64, mediator_ffa_rxtx_map},
	{FFA_RXTX_UNMAP_32, mediator_ffa_rxtx_unmap},
	{FFA_PARTITION_INFO_GET_32, mediator_ffa_partition_info_get},
	{FFA_ID_GET_32, mediator_ffa_id_get},
	{FFA_SPM_ID_GET_32, mediator_ffa_spm_id_get},
	{FFA_PARTITION_INFO_GET_REGS_64, mediator_ffa_partition_info_get_regs},
	{FFA_RUN_32, mediator_ffa_run},
	{FFA_MSG_SEND_DIRECT_REQ_32, mediator_ffa_msg_send_direct_req},
	{FFA_MSG_SEND_DIRECT_REQ_64, mediator_ffa_msg_send_direct_req},
	{FFA_MSG_SEND_DIRECT_REQ2_64, mediator_ffa_msg_send_direct_req},
	{FFA_MSG_SEND2_32, mediator_ffa_msg_send2},
	{FFA_NOTIFICATION_BIND_32, mediator_ffa_notification_bind},
	{FFA_NOTIFICATION_UNBIND_32, mediator_ffa_notification_unbind},
	{FFA_NOTIFICATION_SET_32, mediator_ffa_notification_set},
	{FFA_NOTIFICATION_GET_32, mediator_ffa_notification_get},
	{FFA_NOTIFICATION_INFO_GET_32, mediator_ffa_notification_info_get},
	{FFA_NOTIFICATION_INFO_GET_64, mediator_ffa_notification_info_get},
	{FFA_MEM_DONATE_32, mediator_ffa_mem_send},
	{FFA_MEM_DONATE_64, mediator_ffa_mem_send},
	{FFA_MEM_LEND_32, mediator_ffa_mem_send},
	{FFA_MEM_LEND_64, mediator_ffa_mem_send},
	{FFA_MEM_SHARE_32, mediator_ffa_mem_send},
	{FFA_MEM_SHARE_64, mediator_ffa_mem_send},
	{FFA_MEM_FRAG_TX_32, mediator_ffa_mem_frag_tx},
	{FFA_MEM_RECLAIM_32, mediator_ffa_mem_reclaim},
	{FFA_MEM_RETRIEVE_REQ_32, mediator_ffa_mem_retrieve_req},
	{FFA_MEM_RETRIEVE_REQ_64, mediator_ffa_mem_retrieve_req},
	{FFA_MEM_RELINQUISH_32, mediator_ffa_mem_relinquish},
	{FFA_MEM_RETRIEVE_RESP_32, mediator_ffa_response_only},
	{FFA_MEM_FRAG_RX_32, mediator_ffa_mem_frag_rx},
};

/* The borrower's ABIs, handled only where the policy lets VMs borrow from VMs. */
static bool is_borrower_abi(uint32_t fid)
{
	return fid == FFA_MEM_RETRIEVE_REQ_32 || fid == FFA_MEM_RETRIEVE_REQ_64 ||
	       fid == FFA_MEM_RETRIEVE_RESP_32 || fid == FFA_MEM_FRAG_RX_32 ||
	       fid == FFA_MEM_RELINQUISH_32;
}

static size_t handler_index(uint32_t fid)
{
	size_t i = 0;

	while (i < sizeof(handlers) / sizeof(handlers[0]) && handlers[i].fid != fid) {
		i++;
	}
	return i;
}

bool mediator_abi_is_handled(const struct mediator *m, const struct mediator_vm *vm,
			     uint32_t fid)
{
	size_t i = handler_index(fid);

	return i < sizeof(handlers) / sizeof(handlers[0]) && vm->version >= ffa_func_since(fid) &&
	       !(vm->aarch32 && smccc_is_smc64(fid)) &&
	       (!is_borrower_abi(fid) || m->policy->vm_borrowers);
}

static struct smccc_regs not_supported(uint32_t fid)
{
	/* FFA_VERSION reports NOT_SUPPORTED in w0 itself (DEN0077A §"FFA_VERSION"). */
	if (fid == FFA_VERSION_32) {
		return (struct smccc_regs){.x = {FFA_VERSION_NOT_SUPPORTED}};
	}
	return ffa_error(FFA_NOT_SUPPORTED);
}

static struct smccc_regs dispatch(struct mediator *m, struct mediator_vm *vm,
				  const struct smccc_regs *args)
{
	uint32_t fid = ffa_func(args);

	if (!m->ffa_ready || (m->policy->host_only && vm->id != FFA_HOST_ID)) {
		return not_supported(fid);
	}
	if (fid == FFA_VERSION_32) {
		return mediator_ffa_version(m, vm, args);
	}
	/* Any other FF-A call ends negotiation, even one this caller cannot
	 * make (an AArch32 caller's SMC64 ID): it invoked another ABI
	 * (DEN0077A v1.2 §13.2.2), and the caller sees one rule. */
	if (vm->version_state != VM_VERSION_NONE) {
		vm->version_state = VM_VERSION_LOCKED;
	}
	if (vm->aarch32 && smccc_is_smc64(fid)) {
		return not_supported(fid);
	}
	if (vm->version_state == VM_VERSION_NONE) {
		return ffa_error(m->policy->early_call_error);
	}
	if (!mediator_abi_is_handled(m, vm, fid)) {
		return not_supported(fid);
	}
	return handlers[handler_index(fid)].fn(m, vm, args);
}

static void observe(struct mediator *m, enum mediator_event_kind kind, ffa_id_t vm_id,
		    const struct smccc_regs *regs)
{
	if (m->observe != NULL) {
		struct mediator_event ev = {.kind = kind, .vm_id = vm_id, .regs = regs};

		m->observe(m->observe_ctx, &ev);
	}
}

struct smccc_regs mediator_call(struct mediator *m, ffa_id_t vm_id, const struct smccc_regs *call)
{
	struct mediator_vm *vm = mediator_vm(m, vm_id);
	struct smccc_regs args = *call;
	struct smccc_regs res = {.x = {SMCCC_UNKNOWN}};

	CHECK(vm != NULL);
	observe(m, MEDIATOR_EV_GUEST_CALL, vm_id, call);
	if (smccc_is_ffa_fid(ffa_func(call))) {
		smccc_conform(&args, NULL, mediator_vm_regs18(vm));
		res = dispatch(m, vm, &args);
	}
	smccc_conform(&res, call, mediator_vm_regs18(vm));
	if (m->ffa_ready) {
		mediator_interrupts_deliver(m, vm_id);
	}
	observe(m, MEDIATOR_EV_GUEST_REPLY, vm_id, &res);
	return res;
}

void mediator_inject_irq(struct mediator *m, ffa_id_t vm, uint32_t intid)
{
	struct smccc_regs irq = {.x = {intid}};

	observe(m, MEDIATOR_EV_GUEST_IRQ, vm, &irq);
}

struct smccc_regs mediator_forward(struct mediator *m, ffa_id_t vm_id, struct smccc_regs req)
{
	struct smccc_regs res;

	smccc_conform(&req, NULL, m->version >= FFA_VERSION_1_2);
	observe(m, MEDIATOR_EV_SPMC_CALL, vm_id, &req);
	res = other_world_call(m->spmc, &req);
	observe(m, MEDIATOR_EV_SPMC_REPLY, vm_id, &res);
	return res;
}
