/*
 * The SPMC side of indirect messaging (DEN0077A v1.1+ FFA_MSG_SEND2 and the
 * "Partition message header" table).
 *
 * From the NS physical instance: w1[31:16] names the VM the hypervisor sends
 * for, and the message is in the hypervisor's TX buffer with a v1.2
 * (40-byte) header: the mediator validates the VM's own message and relays a
 * copy, so the SPMC never reads a VM's TX buffer behind the mediator's back
 * (Xen X11's TOCTOU cannot arise). The model checks the copy again: a
 * mismatch between w1 and the header's sender, a receiver that is not a
 * partition taking indirect messages, an unknown UUID or a payload outside
 * the buffer is a mediator fault. The message fills the partition's RX
 * buffer and raises its RX-full SPM framework notification (§10.3): until the
 * scheduler runs the partition (FFA_RUN), which reads and releases it, a
 * second message is BUSY (DEN0077A v1.2 §15.6; the compliance suite's
 * ffa_msg_send2 checks both). The first SPMC_MSG_CAPTURE bytes of the last
 * message are kept for tests.
 *
 * Partitions send to VMs (the send-back behaviour) into the VM's RX buffer
 * registered by the forwarded FFA_RXTX_MAP, with a v1.2 header (offset 40,
 * Nil UUID), and raise the VM's RX-full SPM framework notification.
 */
#include "internal.h"

#include <string.h>

#define HEADER_SIZE ((uint32_t)sizeof(struct ffa_partition_msg_header))

struct smccc_regs spmc_ffa_msg_send2(struct spmc *s, const struct smccc_regs *args)
{
	struct mailbox *mb = &s->hyp_mailbox;
	uint64_t tx_size = (uint64_t)mb->page_count * MEM_PAGE_SIZE;
	struct ffa_partition_msg_header h;
	const struct spmc_partition *sp;
	struct spmc_sp *st;
	const uint8_t *tx;

	if ((ffa_w(args, 1) & 0xFFFFU) != 0 || (ffa_w(args, 2) & ~FFA_MSG_SEND2_DELAY_SRI) != 0) {
		return spmc_fault(s, FFA_MSG_SEND2_32, "SEND2 with MBZ bits set in w1 or w2",
				  FFA_INVALID_PARAMETERS);
	}
	tx = mb->mapped ? mem_map(s->mem, mb->tx_pa, mb->page_count, MEM_OWNER_HYP,
				  MEM_PAGE_MAILBOX)
			: NULL;
	if (tx == NULL) {
		return spmc_fault(s, FFA_MSG_SEND2_32, "SEND2 with no hypervisor TX buffer",
				  FFA_DENIED);
	}
	memcpy(&h, tx, sizeof(h)); /* once; then only the copy is read */
	if (h.sender_receiver >> 16 != ffa_sender(args) || ffa_id_is_secure(ffa_sender(args))) {
		return spmc_fault(s, FFA_MSG_SEND2_32, "SEND2 header sender is not w1's NS sender",
				  FFA_INVALID_PARAMETERS);
	}
	sp = spmc_partition_find(s, (ffa_id_t)h.sender_receiver);
	if (sp == NULL || !(sp->properties & FFA_PARTITION_INDIRECT_MSG)) {
		return spmc_fault(s, FFA_MSG_SEND2_32,
				  "SEND2 to an endpoint that is not a partition taking indirect messages",
				  sp == NULL ? FFA_INVALID_PARAMETERS : FFA_DENIED);
	}
	if (h.offset < HEADER_SIZE || h.size == 0 || (uint64_t)h.offset + h.size > tx_size ||
	    !spmc_partition_has_service(sp, &h.uuid)) {
		return spmc_fault(s, FFA_MSG_SEND2_32,
				  "SEND2 relay with a bad offset, size or UUID", FFA_INVALID_PARAMETERS);
	}
	st = spmc_sp_state(s, sp->id);
	if (st->rx_full) {
		return ffa_error(FFA_BUSY);
	}
	st->rx_full = true;
	st->npi_pending |= 1U; /* on the vCPU that runs first, 0 */
	spmc_notify_framework(s, &st->notif, FFA_FRAMEWORK_NOTIF_RX_FULL);
	st->msg_count++;
	st->msg_sender = (ffa_id_t)(h.sender_receiver >> 16);
	st->msg_size = h.size;
	memset(st->msg, 0, sizeof(st->msg));
	memcpy(st->msg, tx + h.offset, h.size < SPMC_MSG_CAPTURE ? h.size : SPMC_MSG_CAPTURE);
	return ffa_success(0);
}

void spmc_sp_rx_release(struct spmc_sp *st)
{
	st->rx_full = false;
}

int spmc_send_to_ns(struct spmc *s, ffa_id_t sp, ffa_id_t vm, const void *payload,
		    uint32_t size)
{
	struct spmc_ns *ns = spmc_ns_find(s, vm);
	struct ffa_partition_msg_header h = {
		.offset = HEADER_SIZE,
		.sender_receiver = ffa_sender_receiver(sp, vm),
		.size = size,
	};
	uint8_t *rx;
	int err;

	if (ns == NULL || !ns->mailbox.mapped ||
	    (uint64_t)HEADER_SIZE + size > (uint64_t)ns->mailbox.page_count * MEM_PAGE_SIZE) {
		return FFA_INVALID_PARAMETERS;
	}
	err = mailbox_rx_acquire(&ns->mailbox);
	if (err != FFA_OK) {
		return err;
	}
	rx = mem_map(s->mem, ns->mailbox.rx_pa, ns->mailbox.page_count, vm, MEM_PAGE_MAILBOX);
	if (rx == NULL) {
		/* The hypervisor let the VM's pages leave the mailbox state. */
		mailbox_rx_abandon(&ns->mailbox);
		spmc_fault(s, FFA_MSG_SEND2_32, "a VM's registered RX pages are not its mailbox",
			   FFA_ABORTED);
		return FFA_ABORTED;
	}
	memcpy(rx, &h, sizeof(h));
	memcpy(rx + HEADER_SIZE, payload, size);
	mailbox_rx_deliver(&ns->mailbox);
	spmc_notify_framework(s, &ns->notif, FFA_FRAMEWORK_NOTIF_RX_FULL);
	return FFA_OK;
}
