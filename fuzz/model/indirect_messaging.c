/*
 * The state model, indirect messaging (DEN0077A v1.2 §15.6 FFA_MSG_SEND2 and
 * its "Partition message header"; ffa-facts.md §3.5). The message is what
 * the sender wrote in its TX buffer: a header of its version's size (20
 * bytes at v1.1, 40 at v1.2) with the sender and receiver, the payload's
 * offset and size.
 *
 *   send2-delivered: a SUCCESS means the message reached the receiver the
 *     header names, whole, from the caller:
 *     - a VM: its RX was mapped and free (the spec's BUSY otherwise), and now
 *       holds a header naming the caller and itself, the same size, and the
 *       sender's payload at the header's offset; the receiver owns its RX
 *       from then on (rxtx.c), and its RX-full hypervisor framework
 *       notification is pending (§10.3: the producer signals it;
 *       notifications.c);
 *     - a partition: the SPMC model received one more message, from the
 *       caller, with the sender's payload;
 *     - anything else (an unknown receiver, a header naming another sender):
 *       SUCCESS is wrong.
 *   send2-busy: BUSY means the receiver's RX buffer is not free (§15.6; the
 *     compliance suite's ffa_msg_send2 sends twice to a partition): it is
 *     wrong for a well-formed message (w1 0 or the caller's ID in [31:16],
 *     w2's MBZ bits clear, the header naming the caller as sender and
 *     another endpoint as receiver, a non-empty payload inside the TX buffer
 *     after a header of the caller's version, no UUID) to a receiver whose
 *     RX was free: a partition taking indirect messages whose RX held none,
 *     or a VM whose RX was mapped, not full, and large enough for the
 *     message with a v1.2 header. Whether another check came first cannot
 *     matter then: every other error has a code of its own.
 */
#include "model.h"

#include <string.h>

#include "harness.h"

#define HEADER_V1_1 20U

/* The receiving VM @r's RX holds @size bytes equal to @payload, from @sender. */
static bool rx_holds(struct fuzz_machine *fm, const struct model_vm *r, ffa_id_t sender,
		     const uint8_t *payload, uint32_t size)
{
	const uint8_t *rx = model_rx(fm, r);
	struct ffa_partition_msg_header h;
	uint64_t room = (uint64_t)r->pages * MEM_PAGE_SIZE;

	if (rx == NULL) {
		return false;
	}
	memcpy(&h, rx, sizeof(h));
	return h.sender_receiver == ffa_sender_receiver(sender, r->id) && h.size == size &&
	       h.offset >= HEADER_V1_1 && (uint64_t)h.offset + size <= room &&
	       memcmp(rx + h.offset, payload, size) == 0;
}

/* send2-busy: @v's well-formed message in @h was refused BUSY; was the receiver's RX free? */
static void busy_check(struct fuzz_machine *fm, const struct model_vm *v, const struct model_before *b,
		       const struct smccc_regs *call, const struct ffa_partition_msg_header *h)
{
	uint32_t hsize = v->version >= FFA_VERSION_1_2 ? (uint32_t)sizeof(*h) : HEADER_V1_1;
	ffa_id_t to = (ffa_id_t)(h->sender_receiver & 0xFFFF);
	const struct spmc_manifest *mf = fm->spmc.manifest;
	bool free = false;

	if ((ffa_w(call, 1) != 0 && ffa_w(call, 1) != (uint32_t)v->id << 16) ||
	    (ffa_w(call, 2) & ~FFA_MSG_SEND2_DELAY_SRI) != 0 ||
	    h->sender_receiver >> 16 != v->id || to == v->id || h->size == 0 || h->offset < hsize ||
	    (uint64_t)h->offset + h->size > (uint64_t)v->pages * MEM_PAGE_SIZE ||
	    (hsize == sizeof(*h) && !ffa_uuid_is_nil(&h->uuid))) {
		return;
	}
	for (uint32_t i = 0; i < mf->partition_count && i < MODEL_MAX_SPS; i++) {
		free = free || (mf->partitions[i].id == to &&
				(mf->partitions[i].properties & FFA_PARTITION_INDIRECT_MSG) &&
				!(b->sp_rx_full >> i & 1));
	}
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		const struct model_vm *r = &fm->model.vms[i];

		free = free || (r->id == to && r->mapped && !(b->rx_full >> i & 1) &&
				(uint64_t)sizeof(*h) + h->size <= (uint64_t)r->pages * MEM_PAGE_SIZE);
	}
	if (free) {
		oracle_violation(fm, "send2-busy", "VM %#x's %u-byte message to %#x: BUSY, yet its RX was free",
				 v->id, h->size, to);
	}
}

void model_indirect_check(struct fuzz_machine *fm, struct model_vm *v, const struct model_before *b,
			  const struct smccc_regs *call, const struct smccc_regs *reply)
{
	const uint8_t *tx = model_tx(fm, v);
	struct ffa_partition_msg_header h;
	uint64_t room = (uint64_t)v->pages * MEM_PAGE_SIZE;
	ffa_id_t to;

	if (ffa_func(call) != FFA_MSG_SEND2_32) {
		return;
	}
	if (ffa_is_error(reply, FFA_BUSY) && tx != NULL && model_version_known(v)) {
		memcpy(&h, tx, sizeof(h));
		busy_check(fm, v, b, call, &h);
		return;
	}
	if (ffa_func(reply) != FFA_SUCCESS_32) {
		return;
	}
	if (tx == NULL) {
		oracle_violation(fm, "send2-delivered", "VM %#x has no TX, yet its message was sent", v->id);
		return;
	}
	memcpy(&h, tx, sizeof(h));
	to = (ffa_id_t)(h.sender_receiver & 0xFFFF);
	if (h.sender_receiver >> 16 != v->id || (uint64_t)h.offset + h.size > room) {
		oracle_violation(fm, "send2-delivered", "VM %#x's message (header %#x, offset %u, size %u) was sent",
				 v->id, h.sender_receiver, h.offset, h.size);
		return;
	}
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		struct model_vm *r = &fm->model.vms[i];

		if (r->id != to || r == v) {
			continue;
		}
		if ((b->rx_full >> i & 1) || !rx_holds(fm, r, v->id, tx + h.offset, h.size)) {
			oracle_violation(fm, "send2-delivered", "VM %#x's %u-byte message to VM %#x: %s", v->id,
					 h.size, to, (b->rx_full >> i & 1) ? "its RX was full" : "not in its RX");
		}
		model_rx_filled(fm, r);
		r->hyp_pending |= FFA_FRAMEWORK_NOTIF_RX_FULL; /* the hypervisor, its producer, signals it */
		r->news++;
		model_count(MODEL_T_SEND2_TO_VM);
		return;
	}
	for (uint32_t i = 0; i < fm->spmc.manifest->partition_count && i < MODEL_MAX_SPS; i++) {
		const struct spmc_sp *sp = &fm->spmc.sps[i];
		uint32_t n = h.size < SPMC_MSG_CAPTURE ? h.size : SPMC_MSG_CAPTURE;

		if (fm->spmc.manifest->partitions[i].id != to) {
			continue;
		}
		if (sp->msg_count != b->sp_msgs[i] + 1 || sp->msg_sender != v->id ||
		    sp->msg_size != h.size || memcmp(sp->msg, tx + h.offset, n) != 0) {
			oracle_violation(fm, "send2-delivered", "VM %#x's %u-byte message to %#x: the partition got %u message(s), the last from %#x, %u bytes",
					 v->id, h.size, to, sp->msg_count - b->sp_msgs[i], sp->msg_sender,
					 sp->msg_size);
		}
		v->news++; /* it schedules the partition */
		model_count(MODEL_T_SEND2_TO_SP);
		return;
	}
	oracle_violation(fm, "send2-delivered", "VM %#x's message to %#x, no endpoint, was sent", v->id, to);
}
