/*
 * Indirect messaging through the mediator (DEN0077A v1.1+ FFA_MSG_SEND2 and
 * the "Partition message header" table: 20 bytes in v1.1, 40 bytes with a
 * UUID in v1.2).
 *
 * The header is copied out of the caller's TX buffer once, at the caller's
 * version's size, and only the copy is read (Xen X10/X11: no NULL TX, no
 * double fetch). Checks: w1 as below and w2 bits other than "delay SRI"
 * MBZ (INVALID_PARAMETERS); a TX buffer mapped (DENIED);
 * offset at least the header size of the caller's version, size non-zero,
 * offset + size inside the TX buffer computed without overflow, the sender
 * the caller, the receiver not the caller and known (INVALID_PARAMETERS).
 *
 * To a partition: a non-Nil UUID must be one of its services
 * (INVALID_PARAMETERS) and it must take indirect messages (DENIED). The
 * mediator relays a copy of the checked message from its own TX buffer with
 * a v1.2 header, w1[31:16] naming the VM; the SPMC delivers it.
 *
 * To another VM: the mediator delivers it into the receiver's RX buffer
 * (BUSY unless it is mapped and free; NO_MEMORY if the message does not fit)
 * with a header of the receiver's version (a v1.1 sender's UUID is Nil), and
 * raises the receiver's RX-full hypervisor framework notification.
 */
#include "internal.h"

#include <string.h>

#include "mediator/check.h"

/*
 * w1[31:16] is the sender VM ID that the hypervisor fills when it forwards
 * at the NS physical instance (DEN0077A v1.2, FFA_MSG_SEND2); at a virtual
 * instance it names no one the VM could not name in its header. The
 * compliance suite's VM clients (v1.1 ffa_msg_send2) put their own ID there,
 * and Xen accepts that: so do we. Any other value, another endpoint's ID or
 * a bit of w1[15:0], is INVALID_PARAMETERS (a VM claiming to forward for
 * another: Hafnium's reading of the field as MBZ at a virtual instance).
 */
static bool w1_valid(const struct mediator_vm *vm, uint32_t w1)
{
	return w1 == 0 || w1 == (uint32_t)vm->id << 16;
}

static uint32_t header_size(uint32_t version)
{
	return version >= FFA_VERSION_1_2 ? sizeof(struct ffa_partition_msg_header)
					  : sizeof(struct ffa_partition_msg_header_v1_1);
}

static struct smccc_regs relay_to_sp(struct mediator *m, struct mediator_vm *vm,
				     const struct mediator_sp *sp,
				     const struct ffa_partition_msg_header *h, const uint8_t *payload,
				     uint32_t flags)
{
	struct ffa_partition_msg_header out = *h;
	uint32_t size;
	uint8_t *tx = mediator_hyp_tx(m, &size);
	struct smccc_regs r;

	if (!ffa_uuid_is_nil(&h->uuid) && !ffa_uuid_in(sp->uuids, sp->uuid_count, &h->uuid)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!(sp->properties & FFA_PARTITION_INDIRECT_MSG)) {
		return ffa_error(FFA_DENIED);
	}
	if ((uint64_t)sizeof(out) + h->size > size) {
		return ffa_error(FFA_NO_MEMORY);
	}
	out.flags = 0;
	out.reserved = 0;
	out.reserved2 = 0;
	out.offset = sizeof(out);
	memcpy(tx, &out, sizeof(out));
	memcpy(tx + sizeof(out), payload, h->size);
	r = mediator_forward(m, vm->id,
			     ffa_call(FFA_MSG_SEND2_32, (uint32_t)vm->id << 16, flags, 0, 0, 0));
	return mediator_spmc_status(&r);
}

static struct smccc_regs deliver_to_vm(struct mediator *m, struct mediator_vm *to,
				       const struct ffa_partition_msg_header *h,
				       const uint8_t *payload)
{
	uint32_t hsize = header_size(to->version);
	struct ffa_partition_msg_header out = {
		.offset = hsize,
		.sender_receiver = h->sender_receiver,
		.size = h->size,
		.uuid = h->uuid,
	};
	uint32_t size;
	int err;
	uint8_t *rx = mediator_rx_write_begin(m, to, &size, &err);

	if (rx == NULL) {
		return ffa_error(err);
	}
	if ((uint64_t)hsize + h->size > size) {
		mediator_rx_write_end(m, to, false, 0);
		return ffa_error(FFA_NO_MEMORY);
	}
	memcpy(rx, &out, hsize);
	memcpy(rx + hsize, payload, h->size);
	mediator_rx_write_end(m, to, true, hsize + h->size);
	to->hyp_framework_pending |= FFA_FRAMEWORK_NOTIF_RX_FULL;
	to->news_global = true;
	return ffa_success(0);
}

struct smccc_regs mediator_ffa_msg_send2(struct mediator *m, struct mediator_vm *vm,
					 const struct smccc_regs *args)
{
	uint32_t flags = ffa_w(args, 2);
	uint32_t hsize = header_size(vm->version);
	struct ffa_partition_msg_header h = {0};
	const struct mailbox *mb = &vm->mailbox;
	uint64_t tx_size = (uint64_t)mb->page_count * MEM_PAGE_SIZE;
	const struct mediator_sp *sp;
	struct mediator_vm *to;
	const uint8_t *tx;
	ffa_id_t receiver;

	if (!w1_valid(vm, ffa_w(args, 1)) || (flags & ~FFA_MSG_SEND2_DELAY_SRI) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!mb->mapped) {
		return ffa_error(FFA_DENIED);
	}
	tx = mem_map(m->mem, mb->tx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX);
	CHECK(tx != NULL);
	memcpy(&h, tx, hsize); /* the only read of the header */
	receiver = (ffa_id_t)h.sender_receiver;
	if (h.offset < hsize || h.size == 0 || (uint64_t)h.offset + h.size > tx_size ||
	    h.sender_receiver >> 16 != vm->id || receiver == vm->id) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sp = mediator_sp_find(m, receiver);
	if (sp != NULL) {
		return relay_to_sp(m, vm, sp, &h, tx + h.offset, flags);
	}
	to = mediator_vm(m, receiver);
	if (to == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	return deliver_to_vm(m, to, &h, tx + h.offset);
}
