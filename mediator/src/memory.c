/*
 * Memory management through the mediator, the lender's side (DEN0077A v1.2
 * "Memory management": FFA_MEM_SHARE, FFA_MEM_LEND, FFA_MEM_DONATE, 32 and
 * 64; FFA_MEM_FRAG_TX/RX; FFA_MEM_RECLAIM). The borrower's side for VM
 * borrowers is in memory_retrieve.c.
 *
 * A send: the descriptor is in the caller's TX buffer (x3 = 0 and w4 = 0;
 * dynamically allocated buffers are not supported: INVALID_PARAMETERS), w1
 * the total length (at most MEDIATOR_MEM_DESC_MAX, else NO_MEMORY, pKVM P6),
 * w2 this fragment's, at most the TX buffer and the total. Each fragment is
 * copied out once into the mediator's own buffer; while more are due, the
 * mediator answers FFA_MEM_FRAG_RX (w1/w2 a provisional hypervisor handle,
 * bit 63 set, w3 the bytes received) and the VM sends FFA_MEM_FRAG_TX (w1/w2
 * that handle, w3 the fragment length, w4 MBZ). One fragmented send is in
 * progress at a time (BUSY for another); a bad FRAG_TX ends it. A first
 * fragment must carry the header, every access descriptor and the composite
 * header (ffa_mem_desc_first_fragment_min()), and the composite must give
 * the total w1 names (ffa_mem_desc_total_of()): INVALID_PARAMETERS.
 *
 * The whole descriptor is then parsed once in the caller's version
 * (ffa/mem_desc.h) and checked: the send's rules (ffa_mem_txn_check()), the
 * sender the caller (DENIED otherwise: the spec names no code for it; the
 * compliance suite's mem_share_invalid_sender_id_check wants DENIED, which
 * we follow), receivers all known partitions or all other VMs (the
 * latter only where the policy has VM borrowers; never the caller, never
 * mixed), every constituent inside the caller's memory (INVALID_PARAMETERS)
 * and every page the caller's and private (DENIED; pages already shared,
 * lent, a mailbox, or named twice), and what the pages are allows the
 * transaction (check_kinds(): read-only and device pages). Only then do the
 * pages move, all or nothing, to SHARED, LENT or DONATED, tagged with the
 * transaction.
 *
 * Partition borrowers: the mediator sends the SPMC the descriptor in its own
 * (v1.2) layout with the constituents translated to PAs, in fragments of
 * spmc_frag_bytes (the first one at least what that rule demands), checking
 * each FFA_MEM_FRAG_RX (the handle steady, the
 * offset exactly the bytes sent: TF-A c55b519ed) and the final FFA_SUCCESS
 * (only after the last fragment, OP-TEE 7f127d42b; a handle that is
 * SPMC-allocated, non-zero and new, Xen X19). Anything else is ABORTED and
 * the pages go back. VM borrowers: the mediator is the relayer and the
 * provisional handle is the transaction's. SUCCESS carries w2/w3 = handle.
 *
 * Limits: MEDIATOR_MAX_TXNS outstanding, MEDIATOR_MAX_TXNS_PER_VM per
 * lender, and the descriptor limits of ffa/mem_desc.h: NO_MEMORY past them.
 *
 * A donation to a partition ends when the partition retrieves it (the pages
 * are no longer the lender's); the mediator then forgets it.
 *
 * FFA_MEM_RECLAIM (w1/w2 handle, w3 bit 0 zero memory, for any transaction
 * type: DEN0077A v1.2 restricts it only for an owner with read-only access,
 * and the compliance suite's reclaim_input_error_checks zeroes a share;
 * bit 1 time slicing, rest MBZ): an unknown handle is INVALID_PARAMETERS, a
 * caller that is not the lender DENIED, zeroing read-only pages DENIED, a
 * borrower still holding the memory DENIED (the SPMC decides for
 * partitions); then the pages return to the lender, zeroed if asked.
 */
#include "internal.h"

#include <string.h>

#include "mediator/check.h"

#define RECLAIM_FLAGS (FFA_MEM_FLAG_ZERO_MEMORY | FFA_MEM_FLAG_TIME_SLICING)

static uint64_t handle_of(const struct smccc_regs *r, unsigned lo)
{
	return (uint64_t)ffa_w(r, lo) | (uint64_t)ffa_w(r, lo + 1) << 32;
}

struct mediator_txn *mediator_txn_find(struct mediator *m, uint64_t handle)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		if (m->txns[i].used && m->txns[i].desc.handle == handle) {
			return &m->txns[i];
		}
	}
	return NULL;
}

static enum mem_page_state state_for(enum ffa_mem_type type)
{
	return type == FFA_MEM_TYPE_SHARE  ? MEM_PAGE_SHARED
	       : type == FFA_MEM_TYPE_LEND ? MEM_PAGE_LENT
					   : MEM_PAGE_DONATED;
}

/* Move ranges [0, @n) of @t (PAs) between states, tagging @handle; all or nothing. */
static int move_pages(struct mediator *m, const struct ffa_mem_txn *t, uint32_t n,
		      enum mem_page_state from, enum mem_page_state to, uint64_t handle)
{
	for (uint32_t i = 0; i < n; i++) {
		int err = mem_transition_handle(m->mem, t->ranges[i].address, t->ranges[i].page_count,
						t->sender, from, to, handle);

		if (err != FFA_OK) {
			move_pages(m, t, i, to, from, to == MEM_PAGE_PRIVATE ? handle : 0);
			return err;
		}
	}
	return FFA_OK;
}

void mediator_txn_release_pages(struct mediator *m, struct mediator_txn *x, bool zero)
{
	const struct ffa_mem_txn *t = &x->desc;

	CHECK(move_pages(m, t, t->range_count, state_for(x->type), MEM_PAGE_PRIVATE, 0) ==
	      FFA_OK);
	for (uint32_t i = 0; zero && i < t->range_count; i++) {
		mem_zero(m->mem, t->ranges[i].address, t->ranges[i].page_count);
	}
	*x = (struct mediator_txn){0};
}

unsigned mediator_txn_kinds(const struct mediator *m, const struct ffa_mem_txn *t)
{
	unsigned kinds = 0;

	for (uint32_t i = 0; i < t->range_count; i++) {
		kinds |= mem_kinds(m->mem, t->ranges[i].address, t->ranges[i].page_count);
	}
	return kinds;
}

/*
 * What the pages of @t (PAs), sent by @vm as @type to partitions (@to_sps)
 * or VMs, allow. Returns FFA_OK or FFA_DENIED.
 *
 * Read-only pages (DEN0077A v1.2, the memory transaction descriptor's flags:
 * the zero-memory flag MBZ when the Owner has read-only access, else the
 * Relayer answers DENIED; FFA_MEM_RECLAIM's the same): no zeroing, and no
 * borrower gets the write access the owner does not have (the compliance
 * suite's lend_input_error_checks4, share_input_error_checks2 and
 * donate_input_error_checks4 want DENIED).
 *
 * Device (MMIO) pages: FF-A v1.0 lets no access to a device region be
 * granted to another partition at run time (the suite's *_input_error_checks
 * MMIO checks); v1.1 added device memory to memory management, and the
 * suite's v1.1 mem_lend_mmio and mem_share_mmio lend and share a UART
 * VM-to-VM. Our reading, where the two meet: a v1.1+ VM may lend or share a
 * device region to other VMs; never to a partition (the secure world does not
 * map the normal world's devices: share_input_error_checks' MMIO check, run
 * in v1.2 builds), and never donate it, the suite's donate_input_error_checks
 * MMIO check (VM to VM, v1.2 builds too; its v1.1 mem_donate_mmio expects the
 * opposite of the same call: a deviation, corpus/scenarios/acs/README.md).
 * The spec names no code; the suite's checks accept any error: DENIED.
 */
static int check_kinds(const struct mediator *m, const struct mediator_vm *vm,
		       const struct ffa_mem_txn *t, enum ffa_mem_type type, bool to_sps)
{
	unsigned kinds = mediator_txn_kinds(m, t);

	if ((kinds & 1U << MEM_KIND_DEVICE) &&
	    (to_sps || type == FFA_MEM_TYPE_DONATE || vm->version < FFA_VERSION_1_1)) {
		return FFA_DENIED;
	}
	if (kinds & 1U << MEM_KIND_READ_ONLY) {
		if (t->flags & FFA_MEM_FLAG_ZERO_MEMORY) {
			return FFA_DENIED;
		}
		for (uint32_t i = 0; i < t->receiver_count; i++) {
			if ((t->receivers[i].perms & FFA_DATA_ACCESS_MASK) == FFA_DATA_ACCESS_RW) {
				return FFA_DENIED;
			}
		}
	}
	return FFA_OK;
}

/* Whether the receivers are all partitions (*@to_sps) or all other VMs. */
static int check_receivers(struct mediator *m, const struct mediator_vm *vm,
			   const struct ffa_mem_txn *t, bool *to_sps)
{
	uint32_t sps = 0;

	for (uint32_t i = 0; i < t->receiver_count; i++) {
		ffa_id_t id = t->receivers[i].id;

		if (mediator_sp_find(m, id) != NULL) {
			sps++;
		} else if (id == vm->id || mediator_vm(m, id) == NULL) {
			return FFA_INVALID_PARAMETERS;
		}
	}
	*to_sps = sps == t->receiver_count;
	if (sps != 0 && !*to_sps) {
		return FFA_INVALID_PARAMETERS; /* partitions and VMs in one transaction */
	}
	return *to_sps || m->policy->vm_borrowers ? FFA_OK : FFA_INVALID_PARAMETERS;
}

/* Translate @t's constituents from @vm's IPAs to PAs, in place. */
static int translate(const struct mediator_vm *vm, struct ffa_mem_txn *t)
{
	for (uint32_t i = 0; i < t->range_count; i++) {
		uint64_t pa;

		if (mem_translate(&vm->window, t->ranges[i].address, t->ranges[i].page_count, &pa) !=
		    FFA_OK) {
			return FFA_INVALID_PARAMETERS;
		}
		t->ranges[i].address = pa;
	}
	return FFA_OK;
}

/*
 * A donation to a partition completes when the partition retrieves it, at
 * the SPMC: the pages are no longer the lender's. Forget such records.
 */
static void sweep_donations(struct mediator *m)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		struct mediator_txn *x = &m->txns[i];
		const struct mem_page *p;

		if (!x->used || x->vm_borrowers || x->type != FFA_MEM_TYPE_DONATE) {
			continue;
		}
		p = mem_page_at(m->mem, x->desc.ranges[0].address);
		if (p != NULL && p->owner != x->desc.sender) {
			*x = (struct mediator_txn){0};
		}
	}
}

static unsigned txns_of(const struct mediator *m, ffa_id_t vm)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		n += m->txns[i].used && m->txns[i].desc.sender == vm;
	}
	return n;
}

static struct mediator_txn *txn_slot(struct mediator *m)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		if (!m->txns[i].used) {
			return &m->txns[i];
		}
	}
	return NULL;
}

/* Best effort: tell the SPMC to forget @handle after we gave up on it. */
static void abandon_at_spmc(struct mediator *m, ffa_id_t vm, uint64_t handle)
{
	if (handle == 0) {
		return;
	}
	(void)mediator_forward(m, vm,
			       ffa_call(FFA_MEM_RECLAIM_32, (uint32_t)handle,
					(uint32_t)(handle >> 32), 0, 0, 0));
}

/*
 * Send @t (PAs) to the SPMC as a @type transaction, fragmenting it.
 * Returns: an ffa_error; *@handle the SPMC's handle on success.
 */
static int send_to_spmc(struct mediator *m, ffa_id_t vm, enum ffa_mem_type type,
			const struct ffa_mem_txn *t, uint64_t *handle)
{
	static const uint32_t fids[] = {0, FFA_MEM_SHARE_64, FFA_MEM_LEND_64, FFA_MEM_DONATE_64};
	uint8_t desc[MEDIATOR_MEM_DESC_MAX];
	uint32_t size;
	uint8_t *tx = mediator_hyp_tx(m, &size);
	uint32_t len = ffa_mem_desc_write(t, m->version, desc, sizeof(desc));
	uint32_t frag = m->spmc_frag_bytes != 0 && m->spmc_frag_bytes < size ? m->spmc_frag_bytes
									     : size;
	uint32_t first = ffa_mem_desc_first_fragment_min(desc, len, m->version);
	uint32_t sent;
	bool have_handle = false;
	struct smccc_regs r;

	CHECK(len != 0); /* the limits keep every descriptor inside desc[] */
	/* The first fragment carries at least the header, the access descriptors and the composite header. */
	sent = len < (frag > first ? frag : first) ? len : (frag > first ? frag : first);
	CHECK(sent <= size);
	memcpy(tx, desc, sent);
	r = mediator_forward(m, vm, ffa_call(fids[type], len, sent, 0, 0, 0));
	while (ffa_func(&r) == FFA_MEM_FRAG_RX_32) {
		uint32_t chunk = len - sent < frag ? len - sent : frag;

		if ((have_handle && handle_of(&r, 1) != *handle) || ffa_w(&r, 3) != sent ||
		    sent == len) {
			/* A wrong handle, offset, or more wanted after the last fragment. */
			abandon_at_spmc(m, vm, have_handle ? *handle : handle_of(&r, 1));
			return FFA_ABORTED;
		}
		*handle = handle_of(&r, 1);
		have_handle = true;
		memcpy(tx, desc + sent, chunk);
		r = mediator_forward(m, vm, ffa_call(FFA_MEM_FRAG_TX_32, (uint32_t)*handle,
						     (uint32_t)(*handle >> 32), chunk, 0, 0));
		sent += chunk;
	}
	if (!ffa_is_success(&r)) {
		if (have_handle) {
			abandon_at_spmc(m, vm, *handle);
		}
		return ffa_func(&r) == FFA_ERROR_32 ? mediator_spmc_error(&r) : FFA_ABORTED;
	}
	if (sent != len || handle_of(&r, 2) == 0 || (handle_of(&r, 2) & FFA_HANDLE_ALLOCATOR_HYP) ||
	    (have_handle && handle_of(&r, 2) != *handle) ||
	    mediator_txn_find(m, handle_of(&r, 2)) != NULL) {
		if (handle_of(&r, 2) != 0 && mediator_txn_find(m, handle_of(&r, 2)) == NULL) {
			abandon_at_spmc(m, vm, handle_of(&r, 2));
		}
		return FFA_ABORTED;
	}
	*handle = handle_of(&r, 2);
	return FFA_OK;
}

/* The whole descriptor is in m->frag: check it, move the pages, relay it. */
static struct smccc_regs complete_send(struct mediator *m, struct mediator_vm *vm)
{
	enum ffa_mem_type type = ffa_mem_type_of(m->frag.fid);
	uint64_t handle = m->frag.handle;
	struct mediator_txn *x = txn_slot(m);
	struct ffa_mem_txn t;
	bool to_sps = false;
	int err;

	m->frag.active = false;
	sweep_donations(m);
	err = ffa_mem_desc_parse(m->frag.buf, m->frag.total, vm->version, false, &t);
	if (err == FFA_OK) {
		err = ffa_mem_txn_check(&t, type);
	}
	if (err == FFA_OK && t.sender != vm->id) {
		err = FFA_DENIED; /* the compliance suite's reading (see the top of this file) */
	}
	if (err == FFA_OK) {
		err = check_receivers(m, vm, &t, &to_sps);
	}
	if (err == FFA_OK && (x == NULL || txns_of(m, vm->id) >= MEDIATOR_MAX_TXNS_PER_VM)) {
		err = FFA_NO_MEMORY;
	}
	if (err == FFA_OK) {
		err = translate(vm, &t);
	}
	if (err == FFA_OK) {
		err = check_kinds(m, vm, &t, type, to_sps);
	}
	if (err == FFA_OK) {
		err = move_pages(m, &t, t.range_count, MEM_PAGE_PRIVATE, state_for(type), handle);
	}
	if (err == FFA_OK && to_sps) {
		err = send_to_spmc(m, vm->id, type, &t, &handle);
		if (err != FFA_OK) {
			move_pages(m, &t, t.range_count, state_for(type), MEM_PAGE_PRIVATE, 0);
		} else {
			CHECK(move_pages(m, &t, t.range_count, state_for(type), state_for(type),
					 handle) == FFA_OK);
		}
	}
	if (err != FFA_OK) {
		return ffa_error(err);
	}
	t.handle = handle;
	*x = (struct mediator_txn){.used = true, .type = type, .vm_borrowers = !to_sps, .desc = t};
	return (struct smccc_regs){.x = {FFA_SUCCESS_32, 0, (uint32_t)handle, (uint32_t)(handle >> 32)}};
}

/* Copy @len bytes of @vm's TX into the reassembly buffer, then answer. */
static struct smccc_regs take_fragment(struct mediator *m, struct mediator_vm *vm, uint32_t len)
{
	const struct mailbox *mb = &vm->mailbox;
	const uint8_t *tx = mem_map(m->mem, mb->tx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX);
	uint64_t h = m->frag.handle;

	CHECK(tx != NULL);
	memcpy(m->frag.buf + m->frag.received, tx, len); /* the only read of this fragment */
	/*
	 * A first fragment without every access descriptor and the composite
	 * header, or whose composite says the descriptor is not w1 bytes long
	 * (the compliance suite's mem_share_invalid_total_length_check).
	 */
	if (m->frag.received == 0 && len < m->frag.total &&
	    (len < ffa_mem_desc_first_fragment_min(m->frag.buf, len, vm->version) ||
	     ffa_mem_desc_total_of(m->frag.buf, len, vm->version) != m->frag.total)) {
		m->frag.active = false;
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	m->frag.received += len;
	if (m->frag.received < m->frag.total) {
		return (struct smccc_regs){
			.x = {FFA_MEM_FRAG_RX_32, (uint32_t)h, (uint32_t)(h >> 32), m->frag.received}};
	}
	return complete_send(m, vm);
}

struct smccc_regs mediator_ffa_mem_send(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args)
{
	uint32_t total = ffa_w(args, 1);
	uint32_t len = ffa_w(args, 2);
	uint64_t tx_size = (uint64_t)vm->mailbox.page_count * MEM_PAGE_SIZE;

	if (ffa_x(args, 3) != 0 || ffa_w(args, 4) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS); /* no dynamically allocated buffers */
	}
	if (!vm->mailbox.mapped) {
		return ffa_error(FFA_DENIED);
	}
	if (total == 0 || len == 0 || len > total || len > tx_size) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (total > MEDIATOR_MEM_DESC_MAX) {
		return ffa_error(FFA_NO_MEMORY);
	}
	if (m->frag.active) {
		return ffa_error(FFA_BUSY);
	}
	m->frag = (struct mediator_frag){
		.active = true,
		.vm = vm->id,
		.fid = ffa_func(args),
		.handle = FFA_HANDLE_ALLOCATOR_HYP | m->next_handle++,
		.total = total,
	};
	return take_fragment(m, vm, len);
}

struct smccc_regs mediator_ffa_mem_frag_tx(struct mediator *m, struct mediator_vm *vm,
					   const struct smccc_regs *args)
{
	uint32_t len = ffa_w(args, 3);
	uint64_t tx_size = (uint64_t)vm->mailbox.page_count * MEM_PAGE_SIZE;

	if (!m->frag.active || m->frag.vm != vm->id) {
		return ffa_error(FFA_INVALID_PARAMETERS); /* another VM cannot touch this send */
	}
	if (handle_of(args, 1) != m->frag.handle || ffa_w(args, 4) != 0 || len == 0 ||
	    len > m->frag.total - m->frag.received ||
	    !vm->mailbox.mapped || len > tx_size) {
		m->frag.active = false; /* a bad fragment ends the transaction */
		return ffa_error(vm->mailbox.mapped ? FFA_INVALID_PARAMETERS : FFA_DENIED);
	}
	return take_fragment(m, vm, len);
}

void mediator_memory_teardown(struct mediator *m)
{
	sweep_donations(m);
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		struct mediator_txn *x = &m->txns[i];

		if (x->used && !x->vm_borrowers) {
			abandon_at_spmc(m, x->desc.sender, x->desc.handle); /* DENIED if held */
		}
		if (x->used) {
			mediator_txn_release_pages(m, x, false);
		}
	}
	m->frag.active = false;
}

struct smccc_regs mediator_ffa_mem_reclaim(struct mediator *m, struct mediator_vm *vm,
					   const struct smccc_regs *args)
{
	struct mediator_txn *x;
	uint32_t flags = ffa_w(args, 3);

	sweep_donations(m);
	x = mediator_txn_find(m, handle_of(args, 1));
	if (x == NULL || (flags & ~RECLAIM_FLAGS) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (x->desc.sender != vm->id ||
	    ((flags & FFA_MEM_FLAG_ZERO_MEMORY) &&
	     (mediator_txn_kinds(m, &x->desc) & 1U << MEM_KIND_READ_ONLY))) {
		return ffa_error(FFA_DENIED); /* not the lender's; zeroing what it may only read */
	}
	if (x->vm_borrowers) {
		for (uint32_t i = 0; i < x->desc.receiver_count; i++) {
			if (x->retrieved[i] != 0) {
				return ffa_error(FFA_DENIED); /* a borrower still holds it */
			}
		}
	} else {
		struct smccc_regs r = mediator_forward(
			m, vm->id, ffa_call(FFA_MEM_RECLAIM_32, ffa_w(args, 1), ffa_w(args, 2), flags, 0, 0));

		if (!ffa_is_success(&r)) {
			return ffa_error(mediator_spmc_error(&r));
		}
	}
	mediator_txn_release_pages(m, x, (flags & FFA_MEM_FLAG_ZERO_MEMORY) != 0);
	return ffa_success(0);
}
