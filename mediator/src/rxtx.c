/*
 * A VM's RX/TX buffer pair (DEN0077A v1.2 chapter 13, "Setup and discovery
 * interfaces": FFA_RXTX_MAP, FFA_RXTX_UNMAP, FFA_RX_RELEASE) and the
 * ownership of its RX buffer
 * (mediator/mailbox.h). The mediator keeps each VM's pair itself; it is not
 * registered with the SPMC (the forwarded endpoint RX/TX descriptor form
 * arrives with indirect messaging, issue 3).
 *
 * Checks, in order, each with the error the spec or the ACS names:
 *   MAP:   x3[63:6] MBZ, page count 0, not a multiple of the minimum size or
 *          above the maximum (INVALID_PARAMETERS; Xen X2 was NOT_SUPPORTED);
 *          TX or RX not aligned to the minimum size (ACS +0x100 cases),
 *          TX overlapping RX (INVALID_PARAMETERS); a pair already mapped,
 *          including while the VM owns its RX buffer (DENIED); an address
 *          outside the VM's memory (INVALID_PARAMETERS); a page the VM owns
 *          but that is already shared or mapped (DENIED, as Hafnium's
 *          api_vm_configure_pages: the memory is not in a state to map).
 *   UNMAP: w1 must be 0 at a virtual instance (w1[31:16] names an endpoint
 *          only for the hypervisor at the physical instance); nothing
 *          mapped (INVALID_PARAMETERS); RX owned by anyone (DENIED, Xen X15).
 *   RX_RELEASE: w1 MBZ for a VM (INVALID_PARAMETERS); not mapped or RX not
 *          owned by the VM (DENIED).
 */
#include "internal.h"

#include "mediator/check.h"

struct smccc_regs mediator_ffa_rxtx_map(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args)
{
	uint64_t tx = ffa_x(args, 1); /* SMC32: smccc_conform() kept w1 only */
	uint64_t rx = ffa_x(args, 2);
	uint64_t x3 = ffa_x(args, 3);
	uint32_t count = (uint32_t)(x3 & FFA_RXTX_PAGE_COUNT_MASK);
	uint64_t granule = (uint64_t)m->rxtx_min_pages * MEM_PAGE_SIZE;
	uint64_t tx_pa, rx_pa;
	int err;

	if ((x3 & ~(uint64_t)FFA_RXTX_PAGE_COUNT_MASK) != 0 || count == 0 ||
	    count % m->rxtx_min_pages != 0 || count > m->rxtx_max_pages) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (tx % granule != 0 || rx % granule != 0 ||
	    mem_ranges_overlap(tx, (uint64_t)count * MEM_PAGE_SIZE, rx,
			       (uint64_t)count * MEM_PAGE_SIZE)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (vm->mailbox.mapped) {
		return ffa_error(FFA_DENIED);
	}
	if (mem_translate(&vm->window, tx, count, &tx_pa) != FFA_OK ||
	    mem_translate(&vm->window, rx, count, &rx_pa) != FFA_OK) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	err = mem_transition(m->mem, tx_pa, count, vm->id, MEM_PAGE_PRIVATE, MEM_PAGE_MAILBOX);
	if (err != FFA_OK) {
		return ffa_error(err);
	}
	err = mem_transition(m->mem, rx_pa, count, vm->id, MEM_PAGE_PRIVATE, MEM_PAGE_MAILBOX);
	if (err != FFA_OK) {
		CHECK(mem_transition(m->mem, tx_pa, count, vm->id, MEM_PAGE_MAILBOX,
				     MEM_PAGE_PRIVATE) == FFA_OK);
		return ffa_error(err);
	}
	mailbox_map(&vm->mailbox, tx_pa, rx_pa, count);
	return ffa_success(0);
}

struct smccc_regs mediator_ffa_rxtx_unmap(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args)
{
	struct mailbox *mb = &vm->mailbox;

	if (ffa_w(args, 1) != 0 || !mb->mapped) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (mb->rx != MAILBOX_RX_FREE) {
		return ffa_error(FFA_DENIED);
	}
	CHECK(mem_transition(m->mem, mb->tx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX,
			     MEM_PAGE_PRIVATE) == FFA_OK);
	CHECK(mem_transition(m->mem, mb->rx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX,
			     MEM_PAGE_PRIVATE) == FFA_OK);
	mailbox_unmap(mb);
	return ffa_success(0);
}

struct smccc_regs mediator_ffa_rx_release(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args)
{
	(void)m;
	if (ffa_w(args, 1) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	return ffa_status(mailbox_rx_release(&vm->mailbox));
}

uint8_t *mediator_rx_write_begin(struct mediator *m, struct mediator_vm *vm, uint32_t *size,
				 int *err)
{
	struct mailbox *mb = &vm->mailbox;
	uint8_t *rx;

	*err = mailbox_rx_acquire(mb);
	if (*err != FFA_OK) {
		return NULL;
	}
	rx = mem_map(m->mem, mb->rx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX);
	CHECK(rx != NULL); /* a mapped pair's pages stay MAILBOX until unmapped */
	*size = mb->page_count * MEM_PAGE_SIZE;
	return rx;
}

void mediator_rx_write_end(struct mediator_vm *vm, bool deliver)
{
	if (deliver) {
		mailbox_rx_deliver(&vm->mailbox);
	} else {
		mailbox_rx_abandon(&vm->mailbox);
	}
}
