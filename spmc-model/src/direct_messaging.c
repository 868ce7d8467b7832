/*
 * The SPMC side of direct messaging and CPU cycles (DEN0077A v1.2:
 * FFA_MSG_SEND_DIRECT_REQ/RESP, FFA_MSG_SEND_DIRECT_REQ2/RESP2, FFA_RUN,
 * FFA_YIELD, FFA_INTERRUPT, FFA_MSG_WAIT), with each secure partition played
 * by a scripted behaviour (struct spmc_behaviour) instead of code.
 *
 * The model has one physical CPU: a direct request runs on the receiver's
 * vCPU 0 (an MP partition runs on the vCPU of the current PE, which is PE 0
 * here); FFA_RUN names its vCPU. A vCPU that yielded or was preempted inside
 * a request is BLOCKED or PREEMPTED until FFA_RUN finishes the request; a new
 * request to it meanwhile gets BUSY ("receiver endpoint is in a running,
 * blocked or preempted state").
 *
 * Requests are checked as the hypervisor must have checked them; a request
 * the mediator should never have forwarded is a mediator fault: an unknown
 * receiver or vCPU (INVALID_PARAMETERS), a secure sender, w2 bits in a
 * partition message (INVALID_PARAMETERS), a receiver whose properties do
 * not accept the request (DENIED), a REQ2 UUID the receiver does not have
 * (INVALID_PARAMETERS).
 */
#include "internal.h"

#include <string.h>

/* The response echoing @req's payload: RESP_32/64 for REQ_32/64, RESP2 for REQ2. */
static struct smccc_regs echo(ffa_id_t sp, const struct smccc_regs *req)
{
	struct smccc_regs res = *req;
	uint32_t fid = ffa_func(req);

	res.x[1] = ffa_sender_receiver(sp, ffa_sender(req));
	if (fid == FFA_MSG_SEND_DIRECT_REQ2_64) {
		res.x[0] = FFA_MSG_SEND_DIRECT_RESP2_64;
		res.x[2] = 0; /* x2/x3 reserved in RESP2 */
		res.x[3] = 0;
		return res;
	}
	res.x[0] = fid == FFA_MSG_SEND_DIRECT_REQ_32 ? FFA_MSG_SEND_DIRECT_RESP_32
						     : FFA_MSG_SEND_DIRECT_RESP_64;
	res.x[2] = 0;
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		res.x[i] = 0;
	}
	return res;
}

/* The request's payload as bytes: x3-x7 (REQ) or x4-x17 (REQ2). */
static uint32_t payload_bytes(const struct smccc_regs *req, uint8_t *out)
{
	unsigned first = ffa_func(req) == FFA_MSG_SEND_DIRECT_REQ2_64 ? 4 : 3;
	unsigned last = first == 4 ? SMCCC_REG_COUNT : 8;

	for (unsigned i = first; i < last; i++) {
		memcpy(out + (i - first) * 8, &req->x[i], 8);
	}
	return (last - first) * 8;
}

/* A memory handle in a request's payload: w3/w4 (REQ_32), x3 (REQ_64), x4 (REQ2). */
static uint64_t payload_handle(const struct smccc_regs *req)
{
	switch (ffa_func(req)) {
	case FFA_MSG_SEND_DIRECT_REQ_32:
		return (uint64_t)ffa_w(req, 3) | (uint64_t)ffa_w(req, 4) << 32;
	case FFA_MSG_SEND_DIRECT_REQ_64:
		return ffa_x(req, 3);
	default:
		return ffa_x(req, 4);
	}
}

/* Partition @sp at @vcpu meets request @req and does what its behaviour says. */
static struct smccc_regs behave(struct spmc *s, const struct spmc_partition *sp,
				struct spmc_sp *st, uint16_t vcpu, const struct smccc_regs *req)
{
	const struct spmc_behaviour *b = &st->behaviour;
	struct spmc_vcpu *v = &st->vcpus[vcpu];
	struct smccc_regs res = echo(sp->id, req);
	uint8_t bytes[FFA_DIRECT_REQ2_PAYLOAD_COUNT * 8];
	uint32_t size;

	switch (b->kind) {
	case SPMC_BEHAVE_ERROR:
		return ffa_error((int32_t)(uint32_t)b->arg);
	case SPMC_BEHAVE_BUSY:
		return ffa_error(FFA_BUSY);
	case SPMC_BEHAVE_YIELD:
		*v = (struct spmc_vcpu){.state = SPMC_VCPU_BLOCKED, .request = *req};
		return (struct smccc_regs){.x = {FFA_YIELD_32, ffa_target_info(sp->id, vcpu)}};
	case SPMC_BEHAVE_INTERRUPT:
		*v = (struct spmc_vcpu){.state = SPMC_VCPU_PREEMPTED, .request = *req};
		return (struct smccc_regs){
			.x = {FFA_INTERRUPT_32, ffa_target_info(sp->id, vcpu), (uint32_t)b->arg}};
	case SPMC_BEHAVE_SEND_BACK:
		size = payload_bytes(req, bytes);
		st->last_send_status = spmc_send_to_ns(s, sp->id, ffa_sender(req), bytes, size);
		return res;
	case SPMC_BEHAVE_NOTIFY:
		st->last_send_status = spmc_notify_ns(s, sp->id, ffa_sender(req), b->arg, b->arg2);
		return res;
	case SPMC_BEHAVE_RETRIEVE:
		st->last_send_status = spmc_mem_retrieve(s, sp->id, payload_handle(req));
		return res;
	case SPMC_BEHAVE_RELINQUISH:
		st->last_send_status = spmc_mem_relinquish(s, sp->id, payload_handle(req));
		return res;
	case SPMC_BEHAVE_ACCESS:
		st->last_send_status = spmc_mem_access(s, sp->id, payload_handle(req));
		/* The register after the handle: w5 (REQ_32), x4 (REQ_64), x5 (REQ2). */
		res.x[ffa_func(req) == FFA_MSG_SEND_DIRECT_REQ_64 ? 4 : 5] = (uint32_t)st->last_send_status;
		return res;
	case SPMC_BEHAVE_WRONG_RESPONSE_ID:
		res.x[0] = FFA_MSG_SEND_DIRECT_REQ_32;
		return res;
	case SPMC_BEHAVE_WRONG_RESPONDER:
		res.x[1] = ffa_sender_receiver((ffa_id_t)(sp->id + 1), ffa_sender(req));
		return res;
	case SPMC_BEHAVE_GARBAGE_UPPER:
		/* Applied by spmc_ns_call() after its own SMCCC masking. */
		s->garble_upper = ffa_func(&res) == FFA_MSG_SEND_DIRECT_RESP_32;
		return res;
	case SPMC_BEHAVE_RESP_TO_REQ2:
		if (ffa_func(req) == FFA_MSG_SEND_DIRECT_REQ2_64) {
			res.x[0] = FFA_MSG_SEND_DIRECT_RESP_64;
		}
		return res;
	case SPMC_BEHAVE_ECHO:
	case SPMC_BEHAVE_COUNT:
		break;
	}
	return res;
}

/* Whether @sp's properties say it receives @fid. */
static bool receiver_accepts(const struct spmc_partition *sp, uint32_t fid)
{
	if (fid != FFA_MSG_SEND_DIRECT_REQ2_64) {
		return (sp->properties & FFA_PARTITION_DIRECT_REQ_RECV) != 0;
	}
	return (sp->properties & FFA_PARTITION_DIRECT_REQ2_RECV) != 0;
}

struct smccc_regs spmc_ffa_msg_send_direct_req(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t fid = ffa_func(args);
	const struct spmc_partition *sp = spmc_partition_find(s, ffa_receiver(args));
	struct ffa_uuid uuid = ffa_uuid_from_words64(ffa_x(args, 2), ffa_x(args, 3));
	struct spmc_sp *st;

	if (sp == NULL) {
		return spmc_fault(s, fid, "direct request to an unknown partition",
				  FFA_INVALID_PARAMETERS);
	}
	if (ffa_id_is_secure(ffa_sender(args))) {
		return spmc_fault(s, fid, "direct request from the NS side naming a secure sender",
				  FFA_INVALID_PARAMETERS);
	}
	if (fid != FFA_MSG_SEND_DIRECT_REQ2_64 && ffa_w(args, 2) != 0) {
		return spmc_fault(s, fid, "direct request with w2 set (framework bit or MBZ bits)",
				  FFA_INVALID_PARAMETERS);
	}
	if (!receiver_accepts(sp, fid)) {
		return spmc_fault(s, fid, "direct request the receiver's properties refuse",
				  FFA_DENIED);
	}
	if (fid == FFA_MSG_SEND_DIRECT_REQ2_64 && !spmc_partition_has_service(sp, &uuid)) {
		return spmc_fault(s, fid, "REQ2 with a UUID the receiver does not have",
				  FFA_INVALID_PARAMETERS);
	}
	st = spmc_sp_state(s, sp->id);
	if (st->vcpus[0].state != SPMC_VCPU_WAITING) {
		return ffa_error(FFA_BUSY);
	}
	return behave(s, sp, st, 0, args);
}

/*
 * FFA_RUN: w1 = target | vCPU. A vCPU inside a preempted or blocked request
 * finishes it (a response echoing that request); a waiting one runs, gets
 * its pending notifications, reads and releases the indirect message in its
 * RX if there is one, and returns FFA_MSG_WAIT.
 */
struct smccc_regs spmc_ffa_run(struct spmc *s, const struct smccc_regs *args)
{
	const struct spmc_partition *sp = spmc_partition_find(s, ffa_sender(args));
	uint16_t vcpu = ffa_receiver(args);
	struct spmc_sp *st;
	struct spmc_vcpu *v;

	if (sp == NULL || vcpu >= sp->exec_ctx_count) {
		return spmc_fault(s, FFA_RUN_32, "FFA_RUN of an unknown partition or vCPU",
				  FFA_INVALID_PARAMETERS);
	}
	st = spmc_sp_state(s, sp->id);
	v = &st->vcpus[vcpu];
	if (v->state == SPMC_VCPU_WAITING) {
		spmc_sp_notifications_take(st, vcpu);
		spmc_sp_rx_release(st);
		return (struct smccc_regs){.x = {FFA_MSG_WAIT_32, ffa_target_info(sp->id, vcpu)}};
	}
	v->state = SPMC_VCPU_WAITING;
	return echo(sp->id, &v->request);
}
