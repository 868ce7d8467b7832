/*
 * A VM's RX/TX buffer pair (DEN0077A v1.2 chapter 13, "Setup and discovery
 * interfaces": FFA_RXTX_MAP, FFA_RXTX_UNMAP, FFA_RX_RELEASE) and the
 * ownership of its RX buffer (mediator/mailbox.h).
 *
 * Checks, in order, each with the error the spec or the ACS names:
 *   MAP:   x3[63:6] MBZ, page count 0, not a multiple of the minimum size or
 *          above the maximum (INVALID_PARAMETERS; Xen X2 was NOT_SUPPORTED);
 *          TX or RX not aligned to the minimum size (ACS +0x100 cases),
 *          TX overlapping RX (INVALID_PARAMETERS); a pair already mapped,
 *          including while the VM owns its RX buffer (DENIED); an address
 *          outside the VM's memory (INVALID_PARAMETERS); a page the VM owns
 *          but that is already shared or mapped (DENIED, as Hafnium's
 *          api_vm_configure_pages: the memory is not in a state to map); a
 *          TX page the VM may not write, an RX or TX page on a device
 *          (DENIED: Hafnium wants R for RX, R+W for TX; a device's
 *          registers are not memory).
 *   UNMAP: w1 must be 0 at a virtual instance (w1[31:16] names an endpoint
 *          only for the hypervisor at the physical instance); nothing
 *          mapped (INVALID_PARAMETERS); RX owned by anyone (DENIED, Xen X15).
 *   RX_RELEASE: w1 MBZ for a VM (INVALID_PARAMETERS); not mapped or RX not
 *          owned by the VM (DENIED).
 *
 * Registration with the SPMC (FF-A v1.1 "forwarded" RXTX_MAP, as Xen does
 * when the SPMC has FFA_RX_ACQUIRE): a guest's pair is also registered with
 * the SPMC through an endpoint RX/TX descriptor in the mediator's TX buffer,
 * so that partitions can send to the guest. Its RX buffer then has two
 * producers: before the mediator writes it, FFA_RX_ACQUIRE(VM) takes it from
 * the SPMC (BUSY if a partition's message is in it); the guest's
 * FFA_RX_RELEASE gives it back with FFA_RX_RELEASE(VM), which also releases
 * a partition's message that the mediator never saw. The host (ID 0) shares
 * the hypervisor's own ID at the SPMC and is not registered.
 */
#include "internal.h"

#include <string.h>

#include "mediator/check.h"

uint8_t *mediator_hyp_tx(struct mediator *m, uint32_t *size)
{
	struct mailbox *mb = &m->hyp_mailbox;
	uint8_t *tx = mem_map(m->mem, mb->tx_pa, mb->page_count, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);

	CHECK(tx != NULL); /* mapped at start-up, before any VM call */
	*size = mb->page_count * MEM_PAGE_SIZE;
	return tx;
}

/* The endpoint RX/TX descriptor: header, RX composite at 16, TX composite at 48. */
#define DESC_RX_OFF 16U
#define DESC_TX_OFF 48U

static void put_composite(uint8_t *at, uint64_t pa, uint32_t pages)
{
	struct ffa_composite_mem_region c = {.page_count = pages, .constituent_count = 1};
	struct ffa_mem_region_constituent k = {.address = pa, .page_count = pages};

	memcpy(at, &c, sizeof(c));
	memcpy(at + sizeof(c), &k, sizeof(k));
}

/* Register @vm's newly mapped pair with the SPMC. Returns an ffa_error. */
static int register_at_spmc(struct mediator *m, struct mediator_vm *vm)
{
	const struct mailbox *mb = &vm->mailbox;
	struct ffa_endpoint_rxtx_descriptor d = {
		.endpoint_id = vm->id,
		.rx_composite_off = DESC_RX_OFF,
		.tx_composite_off = DESC_TX_OFF,
	};
	uint32_t size;
	uint8_t *tx = mediator_hyp_tx(m, &size);
	struct smccc_regs r;

	memset(tx, 0, DESC_TX_OFF + 32);
	memcpy(tx, &d, sizeof(d));
	put_composite(tx + DESC_RX_OFF, mb->rx_pa, mb->page_count);
	put_composite(tx + DESC_TX_OFF, mb->tx_pa, mb->page_count);
	r = mediator_forward(m, vm->id, ffa_call(FFA_RXTX_MAP_64, 0, 0, 0, 0, 0));
	if (!ffa_is_success(&r)) {
		return mediator_spmc_error(&r);
	}
	vm->mailbox_at_spmc = true;
	return FFA_OK;
}

static void pages_to(struct mediator *m, struct mediator_vm *vm, enum mem_page_state from,
		     enum mem_page_state to)
{
	const struct mailbox *mb = &vm->mailbox;

	CHECK(mem_transition(m->mem, mb->tx_pa, mb->page_count, vm->id, from, to) == FFA_OK);
	CHECK(mem_transition(m->mem, mb->rx_pa, mb->page_count, vm->id, from, to) == FFA_OK);
}

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
	if ((mem_kinds(m->mem, tx_pa, count) & ~(1U << MEM_KIND_RAM)) != 0 ||
	    (mem_kinds(m->mem, rx_pa, count) & 1U << MEM_KIND_DEVICE)) {
		return ffa_error(FFA_DENIED); /* TX the VM cannot write; RX on a device */
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
	if (vm->id != FFA_HOST_ID) {
		err = register_at_spmc(m, vm);
		if (err != FFA_OK) {
			pages_to(m, vm, MEM_PAGE_MAILBOX, MEM_PAGE_PRIVATE);
			mailbox_unmap(&vm->mailbox);
			return ffa_error(err);
		}
	}
	return ffa_success(0);
}

/* Give the VM's RX back at the SPMC too. Returns an ffa_error. */
static int release_at_spmc(struct mediator *m, struct mediator_vm *vm)
{
	struct smccc_regs r =
		mediator_forward(m, vm->id, ffa_call(FFA_RX_RELEASE_32, vm->id, 0, 0, 0, 0));

	return ffa_is_success(&r) ? FFA_OK : mediator_spmc_error(&r);
}

int mediator_rxtx_teardown(struct mediator *m, struct mediator_vm *vm, bool force)
{
	struct mailbox *mb = &vm->mailbox;

	if (!mb->mapped) {
		return FFA_INVALID_PARAMETERS;
	}
	if (force) {
		/* Whatever is in RX (ours or a partition's) is dropped with the VM. */
		if (mb->rx == MAILBOX_RX_CONSUMER) {
			CHECK(mailbox_rx_release(mb) == FFA_OK);
		}
		if (vm->mailbox_at_spmc) {
			(void)release_at_spmc(m, vm); /* DENIED: nothing was held */
		}
	}
	if (mb->rx != MAILBOX_RX_FREE) {
		return FFA_DENIED;
	}
	if (vm->mailbox_at_spmc) {
		struct smccc_regs r = mediator_forward(
			m, vm->id, ffa_call(FFA_RXTX_UNMAP_32, (uint32_t)vm->id << 16, 0, 0, 0, 0));

		if (!ffa_is_success(&r)) {
			return mediator_spmc_error(&r); /* e.g. DENIED: a partition's message is in RX */
		}
		vm->mailbox_at_spmc = false;
	}
	pages_to(m, vm, MEM_PAGE_MAILBOX, MEM_PAGE_PRIVATE);
	mailbox_unmap(mb);
	return FFA_OK;
}

struct smccc_regs mediator_ffa_rxtx_unmap(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args)
{
	if (ffa_w(args, 1) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	return ffa_status(mediator_rxtx_teardown(m, vm, false));
}

struct smccc_regs mediator_ffa_rx_release(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args)
{
	bool ours = vm->mailbox.rx == MAILBOX_RX_CONSUMER; /* filled by the mediator */
	int err;

	if (ffa_w(args, 1) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!vm->mailbox_at_spmc) {
		return ffa_status(mailbox_rx_release(&vm->mailbox));
	}
	/* Registered: the SPMC holds the truth about a partition's message. */
	err = release_at_spmc(m, vm);
	if (ours) {
		CHECK(mailbox_rx_release(&vm->mailbox) == FFA_OK);
		/* The SPMC must agree it was ours to release: else it broke the protocol. */
		return ffa_status(err == FFA_OK ? FFA_OK : FFA_ABORTED);
	}
	return ffa_status(err);
}

uint8_t *mediator_rx_write_begin(struct mediator *m, struct mediator_vm *vm, uint32_t *size,
				 int *err)
{
	struct mailbox *mb = &vm->mailbox;
	struct smccc_regs r;
	uint8_t *rx;

	*err = mailbox_rx_acquire(mb);
	if (*err != FFA_OK) {
		return NULL;
	}
	if (vm->mailbox_at_spmc) {
		r = mediator_forward(m, vm->id, ffa_call(FFA_RX_ACQUIRE_32, vm->id, 0, 0, 0, 0));
		if (!ffa_is_success(&r)) {
			mailbox_rx_abandon(mb);
			*err = mediator_spmc_error(&r); /* BUSY: a partition's message is there */
			return NULL;
		}
	}
	rx = mem_map(m->mem, mb->rx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX);
	CHECK(rx != NULL); /* a mapped pair's pages stay MAILBOX until unmapped */
	*size = mb->page_count * MEM_PAGE_SIZE;
	return rx;
}

void mediator_rx_write_end(struct mediator *m, struct mediator_vm *vm, bool deliver,
			   uint32_t written)
{
	const struct mailbox *mb = &vm->mailbox;

	if (deliver) {
		uint8_t *rx = mem_map(m->mem, mb->rx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX);
		uint32_t size = mb->page_count * MEM_PAGE_SIZE;

		CHECK(rx != NULL && written <= size);
		memset(rx + written, 0, size - written); /* nothing of an earlier message behind it */
		mailbox_rx_deliver(&vm->mailbox);
		return;
	}
	mailbox_rx_abandon(&vm->mailbox);
	if (vm->mailbox_at_spmc) {
		/* Give back what FFA_RX_ACQUIRE took; failing that, the SPMC is wrong. */
		(void)release_at_spmc(m, vm);
	}
}
