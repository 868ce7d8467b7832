/*
 * Direct messaging and CPU cycles through the mediator (DEN0077A v1.2:
 * FFA_MSG_SEND_DIRECT_REQ/RESP 32 and 64, FFA_MSG_SEND_DIRECT_REQ2/RESP2,
 * FFA_RUN, and FFA_YIELD, FFA_INTERRUPT, FFA_MSG_WAIT as their results).
 * VM-to-VM direct messages are not supported: the receiver must be a secure
 * partition the mediator discovered at start-up.
 *
 * A request from a VM, checked before it is forwarded:
 *   - w1[31:16] is the caller's own ID, w1[15:0] a known partition that is
 *     not the caller (INVALID_PARAMETERS); another VM of this mediator is an
 *     endpoint that does not receive direct requests (VM-to-VM direct
 *     messaging is not supported), so DENIED, as for a partition without the
 *     property: DEN0077A v1.2 FFA_MSG_SEND_DIRECT_REQ's DENIED, and the
 *     reading of ff-a-acs test/v1.0/direct_messaging/ffa_direct_message_error,
 *     which expects DENIED whatever kind of endpoint the receiver is;
 *   - REQ: w2 MBZ, the framework bit included: a VM sends no framework
 *     messages (INVALID_PARAMETERS); SMC32 payload already masked to 32 bits
 *     by smccc_conform();
 *   - REQ2 (v1.2, SMC64: dispatcher guards): x2/x3 a UUID, byte 0 in the low
 *     bits; Nil is the default service, anything else must be one of the
 *     receiver's (INVALID_PARAMETERS); x4-x17 forwarded untouched;
 *   - the receiver's properties take the request (bit 0 for REQ, bit 9 for
 *     REQ2), else DENIED (DEN0077A: "receiver endpoint does not support
 *     receipt of direct request messages");
 *   - at most MEDIATOR_MAX_PENDING preempted requests per VM, else BUSY.
 *
 * What may come back (anything else, or an ID that does not match, becomes
 * FFA_ERROR / ABORTED; every reply is rebuilt from zero so nothing the SPMC
 * left in other registers reaches the VM, and smccc_conform() masks it to
 * the reply's own convention and zeroes x8-x17 for a v1.2 SMC64 caller):
 *   - the RESP matching the request (RESP_32 for REQ_32, RESP_64 for
 *     REQ_64, RESP2 for REQ2; a RESP to a REQ2 is ABORTED), w1 = receiver |
 *     caller, w2 MBZ; RESP2's x2/x3 zeroed, x4-x17 carried through;
 *   - FFA_SUCCESS (completion without a response; payload MBZ);
 *   - FFA_ERROR with a status the spec defines;
 *   - FFA_YIELD or FFA_INTERRUPT naming the receiver in w1[31:16] and one of
 *     its vCPUs in w1[15:0]: the request is now pending on that vCPU, and
 *     the VM finishes it with FFA_RUN;
 *   - for FFA_RUN also FFA_MSG_WAIT (the vCPU has nothing more to do).
 *
 * FFA_RUN (w1 = target | vCPU): the target must be a known partition and the
 * vCPU within its execution contexts, and w2-w7 zero (INVALID_PARAMETERS).
 * DEN0077A v1.2 reserves w2-w7 of FFA_RUN (SBZ): a callee may ignore them or
 * refuse them; the compliance suite (ff-a-acs test/v1.0/indirect_messaging/
 * ffa_run, check 2) expects an error for w2 = 0xFFFF, so they are refused. A VM may run a
 * vCPU on which it has a pending request, or one on which no VM has: running
 * another VM's preempted request is DENIED, since its response would reach
 * the wrong VM (real mediators pass FFA_RUN through unchecked).
 */
#include "internal.h"

static struct mediator_pending *pending_find(struct mediator_vm *vm, ffa_id_t sp,
					     uint16_t vcpu)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_PENDING; i++) {
		struct mediator_pending *p = &vm->pending[i];

		if (p->active && p->sp == sp && p->vcpu == vcpu) {
			return p;
		}
	}
	return NULL;
}

static struct mediator_pending *pending_free_slot(struct mediator_vm *vm)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_PENDING; i++) {
		if (!vm->pending[i].active) {
			return &vm->pending[i];
		}
	}
	return NULL;
}

static bool pending_elsewhere(struct mediator *m, const struct mediator_vm *vm, ffa_id_t sp,
			      uint16_t vcpu)
{
	for (uint32_t i = 0; i < m->vm_count; i++) {
		if (&m->vms[i] != vm && pending_find(&m->vms[i], sp, vcpu) != NULL) {
			return true;
		}
	}
	return false;
}

/* The response that completes request @req_fid. */
static uint32_t response_for(uint32_t req_fid)
{
	switch (req_fid) {
	case FFA_MSG_SEND_DIRECT_REQ_32:
		return FFA_MSG_SEND_DIRECT_RESP_32;
	case FFA_MSG_SEND_DIRECT_REQ_64:
		return FFA_MSG_SEND_DIRECT_RESP_64;
	default:
		return FFA_MSG_SEND_DIRECT_RESP2_64;
	}
}

/* What the VM sees of a direct response @r from @sp to @req_fid, or ABORTED. */
static struct smccc_regs check_response(const struct mediator_vm *vm, ffa_id_t sp,
					uint32_t req_fid, const struct smccc_regs *r)
{
	uint32_t fid = ffa_func(r);
	struct smccc_regs g = {.x = {fid, ffa_w(r, 1)}};
	unsigned first = fid == FFA_MSG_SEND_DIRECT_RESP2_64 ? FFA_DIRECT_REQ2_PAYLOAD_FIRST : 3;
	unsigned end = fid == FFA_MSG_SEND_DIRECT_RESP2_64 ? SMCCC_REG_COUNT : 8;

	if (req_fid == 0 || fid != response_for(req_fid) || ffa_sender(r) != sp ||
	    ffa_receiver(r) != vm->id ||
	    (fid != FFA_MSG_SEND_DIRECT_RESP2_64 && ffa_w(r, 2) != 0)) {
		return ffa_error(FFA_ABORTED);
	}
	for (unsigned i = first; i < end; i++) {
		g.x[i] = r->x[i];
	}
	return g;
}

/*
 * Check what the SPMC answered to a request (@p NULL, @req_fid its ID) or to
 * an FFA_RUN (@is_run; @p the VM's pending request on that vCPU, if any),
 * update the VM's pending requests, and build what the VM sees.
 */
static struct smccc_regs answer(struct mediator_vm *vm, const struct mediator_sp *sp,
				struct mediator_pending *p, uint32_t req_fid, bool is_run,
				const struct smccc_regs *r)
{
	uint32_t fid = ffa_func(r);
	uint16_t vcpu = ffa_receiver(r);

	switch (fid) {
	case FFA_ERROR_32:
		/* A failed FFA_RUN leaves the request pending; a failed request made none. */
		return ffa_error(mediator_spmc_error(r));
	case FFA_YIELD_32:
	case FFA_INTERRUPT_32:
		if (ffa_sender(r) != sp->id || vcpu >= sp->exec_ctx_count ||
		    (p != NULL && p->vcpu != vcpu)) {
			return ffa_error(FFA_ABORTED);
		}
		if (p == NULL && !is_run) {
			p = pending_free_slot(vm); /* checked free before forwarding */
			*p = (struct mediator_pending){
				.active = true, .fid = req_fid, .sp = sp->id, .vcpu = vcpu};
		}
		/* YIELD: w2/w3 timeout; INTERRUPT: w2 interrupt ID; w4-w7 MBZ. */
		return (struct smccc_regs){.x = {fid, ffa_w(r, 1), ffa_w(r, 2), ffa_w(r, 3)}};
	case FFA_MSG_WAIT_32:
		if (!is_run) {
			return ffa_error(FFA_ABORTED);
		}
		if (p != NULL) {
			p->active = false; /* the partition dropped the request */
		}
		return (struct smccc_regs){.x = {fid, ffa_target_info(sp->id, vcpu)}};
	case FFA_SUCCESS_32:
	case FFA_SUCCESS_64:
		if (p != NULL) {
			p->active = false;
		}
		return (struct smccc_regs){.x = {fid}};
	default:
		if (p != NULL) {
			p->active = false;
		}
		return check_response(vm, sp->id, p != NULL ? p->fid : (is_run ? 0 : req_fid), r);
	}
}

/* Whether @sp offers service @uuid: Nil (its default service) or one of its UUIDs. */
static bool sp_has_service(const struct mediator_sp *sp, const struct ffa_uuid *uuid)
{
	return ffa_uuid_is_nil(uuid) || ffa_uuid_in(sp->uuids, sp->uuid_count, uuid);
}

struct smccc_regs mediator_ffa_msg_send_direct_req(struct mediator *m, struct mediator_vm *vm,
						   const struct smccc_regs *args)
{
	uint32_t fid = ffa_func(args);
	bool req2 = fid == FFA_MSG_SEND_DIRECT_REQ2_64;
	const struct mediator_sp *sp = mediator_sp_find(m, ffa_receiver(args));
	struct ffa_uuid uuid = ffa_uuid_from_words64(ffa_x(args, 2), ffa_x(args, 3));
	struct smccc_regs req = *args;
	struct smccc_regs r;

	if (ffa_sender(args) != vm->id) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (sp == NULL) { /* another VM takes no direct requests (see above); no endpoint at all */
		return ffa_error(ffa_receiver(args) != vm->id && mediator_vm(m, ffa_receiver(args)) != NULL
					 ? FFA_DENIED
					 : FFA_INVALID_PARAMETERS);
	}
	if ((!req2 && ffa_w(args, 2) != 0) || (req2 && !sp_has_service(sp, &uuid))) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!(sp->properties &
	      (req2 ? FFA_PARTITION_DIRECT_REQ2_RECV : FFA_PARTITION_DIRECT_REQ_RECV))) {
		return ffa_error(FFA_DENIED);
	}
	if (pending_free_slot(vm) == NULL) {
		return ffa_error(FFA_BUSY);
	}
	if (!req2) {
		for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
			req.x[i] = 0; /* REQ's payload is x3-x7 only */
		}
	}
	r = mediator_forward(m, vm->id, req);
	return answer(vm, sp, NULL, fid, false, &r);
}

struct smccc_regs mediator_ffa_run(struct mediator *m, struct mediator_vm *vm,
				   const struct smccc_regs *args)
{
	const struct mediator_sp *sp = mediator_sp_find(m, ffa_sender(args));
	uint16_t vcpu = ffa_receiver(args);
	struct mediator_pending *p;
	struct smccc_regs r;

	if (sp == NULL || vcpu >= sp->exec_ctx_count) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	for (unsigned i = 2; i < 8; i++) {
		if (ffa_w(args, i) != 0) {
			return ffa_error(FFA_INVALID_PARAMETERS); /* reserved: see above */
		}
	}
	p = pending_find(vm, sp->id, vcpu);
	if (p == NULL && pending_elsewhere(m, vm, sp->id, vcpu)) {
		return ffa_error(FFA_DENIED);
	}
	r = mediator_forward(m, vm->id,
			     ffa_call(FFA_RUN_32, ffa_target_info(sp->id, vcpu), 0, 0, 0, 0));
	return answer(vm, sp, p, 0, true, &r);
}
