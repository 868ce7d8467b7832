/*
 * The state model, direct messaging (DEN0077A v1.2 §15.2-15.5
 * FFA_MSG_SEND_DIRECT_REQ/RESP, REQ2/RESP2, §14.1 FFA_RUN; the partition
 * runtime model's "blocked" and "preempted" states, §7). A request a
 * partition answered with FFA_YIELD or FFA_INTERRUPT is unfinished: the
 * answer's w1 names the partition and the vCPU that holds it, and only
 * FFA_RUN of that vCPU finishes it.
 *
 *   direct-response-endpoints: a direct response to a VM's request (or an
 *     FFA_YIELD / FFA_INTERRUPT in its place) comes from the partition the
 *     request named, to the sender it named: w1 = partition << 16 | sender
 *     (§15.3: the response swaps the request's sender and receiver). The
 *     sender is the caller unless a backend forwards the call unfiltered;
 *     forwarded-names-caller judges that.
 *   direct-unfinished: an unfinished request is finished (a direct response
 *     to FFA_RUN) only for the VM that made it, whoever runs the vCPU, and
 *     the response names that VM; its maker's FFA_RUN does not find the vCPU
 *     waiting for a new message (FFA_MSG_WAIT: the request was lost, the
 *     partition in it answers it, §15.2); a partition with one execution context
 *     that holds an unfinished request does not answer a new one.
 */
#include "model.h"

#include "harness.h"

/* The model's slot of partition @id (its manifest index), or -1. */
static int sp_slot(const struct fuzz_machine *fm, ffa_id_t id)
{
	const struct spmc_manifest *mf = fm->spmc.manifest;

	for (uint32_t i = 0; i < mf->partition_count && i < MODEL_MAX_SPS; i++) {
		if (mf->partitions[i].id == id) {
			return (int)i;
		}
	}
	return -1;
}

static bool is_response(uint32_t fid)
{
	return fid == FFA_MSG_SEND_DIRECT_RESP_32 || fid == FFA_MSG_SEND_DIRECT_RESP_64 ||
	       fid == FFA_MSG_SEND_DIRECT_RESP2_64;
}

/* A request of @v to partition @sp, naming sender @named, answered @reply. */
static void follow_request(struct fuzz_machine *fm, struct model_vm *v, ffa_id_t named, ffa_id_t sp,
			   const struct smccc_regs *reply)
{
	uint32_t rfid = ffa_func(reply), w1 = ffa_w(reply, 1);
	int slot = sp_slot(fm, sp);
	bool unfinished = rfid == FFA_YIELD_32 || rfid == FFA_INTERRUPT_32;

	if (slot < 0 || (!is_response(rfid) && !unfinished)) {
		return;
	}
	if (is_response(rfid) && w1 != ffa_sender_receiver(sp, named)) {
		oracle_violation(fm, "direct-response-endpoints", "VM %#x's request to %#x answered %#x with w1 = %#x",
				 v->id, sp, rfid, w1);
	}
	if (unfinished && (w1 >> 16 != sp || (w1 & 0xFFFF) >= MODEL_MAX_VCPUS)) {
		oracle_violation(fm, "direct-response-endpoints", "VM %#x's request to %#x answered %#x naming %#x",
				 v->id, sp, rfid, w1);
		return;
	}
	if (is_response(rfid)) {
		if (fm->spmc.manifest->partitions[slot].exec_ctx_count == 1 &&
		    fm->model.unfinished[slot][0].maker != MODEL_NOBODY) {
			oracle_violation(fm, "direct-unfinished", "%#x answered VM %#x while its only vCPU holds VM %#x's request",
					 sp, v->id, fm->model.unfinished[slot][0].maker);
		}
		model_count(MODEL_T_DIRECT_ANSWERED);
		return;
	}
	fm->model.unfinished[slot][w1 & 0xFFFF].maker = v->id;
	fm->model.unfinished[slot][w1 & 0xFFFF].named = named;
	model_count(MODEL_T_DIRECT_UNFINISHED);
}

/* FFA_RUN of @v for partition vCPU @target answered @reply. */
static void follow_run(struct fuzz_machine *fm, struct model_vm *v, uint32_t target,
		       const struct smccc_regs *reply)
{
	ffa_id_t sp = (ffa_id_t)(target >> 16);
	uint16_t vcpu = target & 0xFFFF;
	int slot = sp_slot(fm, sp);
	uint32_t rfid = ffa_func(reply);
	ffa_id_t maker, named;

	if (slot < 0 || vcpu >= MODEL_MAX_VCPUS) {
		return;
	}
	maker = fm->model.unfinished[slot][vcpu].maker;
	named = fm->model.unfinished[slot][vcpu].named;
	if (maker != MODEL_NOBODY && maker != v->id) {
		model_count(MODEL_T_DIRECT_RUN_OTHER);
	}
	if (rfid == FFA_MSG_WAIT_32 && maker == v->id) {
		oracle_violation(fm, "direct-unfinished", "VM %#x's FFA_RUN of %#x vCPU %u answered FFA_MSG_WAIT; its request there was never finished",
				 v->id, sp, vcpu);
		fm->model.unfinished[slot][vcpu].maker = MODEL_NOBODY;
		return;
	}
	if (!is_response(rfid)) {
		return;
	}
	if (maker != v->id || ffa_w(reply, 1) != ffa_sender_receiver(sp, named)) {
		oracle_violation(fm, "direct-unfinished", "VM %#x's FFA_RUN of %#x vCPU %u answered %#x w1 = %#x; the request there is %#x's",
				 v->id, sp, vcpu, rfid, ffa_w(reply, 1), maker);
	}
	fm->model.unfinished[slot][vcpu].maker = MODEL_NOBODY;
	model_count(MODEL_T_DIRECT_RESUMED);
}

void model_direct_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			const struct smccc_regs *reply)
{
	switch (ffa_func(call)) {
	case FFA_MSG_SEND_DIRECT_REQ_32:
	case FFA_MSG_SEND_DIRECT_REQ_64:
	case FFA_MSG_SEND_DIRECT_REQ2_64:
		follow_request(fm, v, ffa_sender(call), ffa_receiver(call), reply);
		break;
	case FFA_RUN_32:
		follow_run(fm, v, ffa_w(call, 1), reply);
		break;
	default:
		break;
	}
}
