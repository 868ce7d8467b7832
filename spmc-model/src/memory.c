/*
 * The SPMC side of memory management (DEN0077A v1.2 "Memory management")
 * for the hypervisor caller: FFA_MEM_SHARE/LEND/DONATE (32/64) with
 * FFA_MEM_FRAG_TX/RX, FFA_MEM_RECLAIM, and the partitions' retrieve and
 * relinquish through their scripted behaviour; plus the isolation oracle.
 *
 * A send arrives in the hypervisor's TX buffer, x3 = w4 = 0, in fragments:
 * the model allocates the handle at the first fragment (bit 63 clear,
 * never 0), answers FFA_MEM_FRAG_RX with the bytes received, and on the last
 * parses the whole descriptor with the same parser as the mediator, at the
 * hypervisor's version, checks the send's rules, and keeps its own record
 * (handle, sender, type, receivers, pages). Mediator faults: MBZ registers
 * set, a FRAG_TX naming another handle, a sender that is not an NS endpoint,
 * a receiver that is not a partition, pages that are not the sender's and
 * already moved to the type's state (the mediator moves them before it
 * forwards).
 *
 * FFA_MEM_RECLAIM: an unknown handle is INVALID_PARAMETERS; a partition
 * still holding the memory DENIED; otherwise the record goes. A partition
 * retrieves (the retrieve behaviour) only a transaction it is a receiver of;
 * a donation it retrieves becomes its own and leaves the record. The access
 * behaviour writes what it retrieved: while it holds a lend or share, or
 * owns a donation; not after its relinquish or the lender's reclaim.
 *
 * The hypervisor's page semantics (struct spmc.ns_pages, set with
 * spmc_set_ns_pages()) say what "already moved" means: by default a lend's
 * pages are MEM_PAGE_LENT and each page carries its handle once the
 * mediator has the SPMC's; under Linux pKVM's rules a lend's pages are
 * MEM_PAGE_SHARED and never tagged, and the isolation oracle checks only
 * that each transaction's pages are held (pkvm-host.md, "Host memory
 * ownership").
 *
 * Lies (struct spmc.mem_lie) make the model answer what no SPMC should, to
 * test the mediator; a lying answer leaves nothing on record.
 *
 * The hypervisor's own retrieve request (FFA_MEM_RETRIEVE_REQ with no
 * receivers, continued by FFA_MEM_FRAG_RX) is in memory_retrieve.c.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static struct smccc_regs success_handle(uint64_t handle)
{
	return (struct smccc_regs){.x = {FFA_SUCCESS_32, 0, (uint32_t)handle, (uint32_t)(handle >> 32)}};
}

/* FFA_MEM_FRAG_RX for a send: w4 = 0 (the sender is not parsed before the last fragment). */
static struct smccc_regs frag_rx(uint64_t handle, uint32_t offset)
{
	return spmc_mem_frag(FFA_MEM_FRAG_RX_32, handle, offset, 0);
}

/* The index of the transaction on record with @handle, or -1. */
static int txn_index(const struct spmc *s, uint64_t handle)
{
	for (int i = 0; i < SPMC_MAX_TXNS; i++) {
		if (s->txns[i].used && s->txns[i].desc.handle == handle) {
			return i;
		}
	}
	return -1;
}

struct spmc_txn *spmc_txn_find(struct spmc *s, uint64_t handle)
{
	int i = txn_index(s, handle);

	return i < 0 ? NULL : &s->txns[i];
}

/* The state a @type transaction's pages are in while it is on record (struct spmc_ns_pages). */
static enum mem_page_state state_for(const struct spmc *s, enum ffa_mem_type type)
{
	if (type == FFA_MEM_TYPE_LEND && s->ns_pages.lend_as_share) {
		return MEM_PAGE_SHARED;
	}
	return type == FFA_MEM_TYPE_SHARE  ? MEM_PAGE_SHARED
	       : type == FFA_MEM_TYPE_LEND ? MEM_PAGE_LENT
					   : MEM_PAGE_DONATED;
}

/* Whether every page of @t is its sender's, in @state and (unless 0) tagged @handle. */
static bool pages_held(const struct spmc *s, const struct ffa_mem_txn *t, enum mem_page_state state,
		       uint64_t handle)
{
	for (uint32_t i = 0; i < t->range_count; i++) {
		for (uint32_t k = 0; k < t->ranges[i].page_count; k++) {
			const struct mem_page *p =
				mem_page_at(s->mem, t->ranges[i].address + (uint64_t)k * MEM_PAGE_SIZE);

			if (p == NULL || p->owner != t->sender || p->state != state ||
			    (handle != 0 && p->handle != handle)) {
				return false;
			}
		}
	}
	return true;
}

/* The whole descriptor is in s->frag: check it and put it on record. */
static struct smccc_regs complete_send(struct spmc *s)
{
	enum ffa_mem_type type = ffa_mem_type_of(s->frag.fid);
	uint64_t handle = s->frag.handle;
	struct spmc_txn *slot = NULL;
	struct ffa_mem_txn t;
	int err;

	s->frag.active = false;
	err = ffa_mem_desc_parse(s->frag.buf, s->frag.total, s->ns_version, false, &t);
	if (err == FFA_OK) {
		err = ffa_mem_txn_check(&t, type);
	}
	if (err != FFA_OK) {
		return spmc_fault(s, s->frag.fid, "a memory descriptor the mediator should have refused",
				  err);
	}
	if (ffa_id_is_secure(t.sender)) {
		return spmc_fault(s, s->frag.fid, "memory sent for a secure sender",
				  FFA_INVALID_PARAMETERS);
	}
	for (uint32_t i = 0; i < t.receiver_count; i++) {
		if (spmc_partition_find(s, t.receivers[i].id) == NULL) {
			return spmc_fault(s, s->frag.fid, "memory sent to a receiver that is no partition",
					  FFA_INVALID_PARAMETERS);
		}
	}
	if (!pages_held(s, &t, state_for(s, type), 0)) {
		return spmc_fault(s, s->frag.fid,
				  "memory sent whose pages the sender does not hold in that state",
				  FFA_DENIED);
	}
	for (unsigned i = 0; slot == NULL && i < SPMC_MAX_TXNS; i++) {
		slot = s->txns[i].used ? NULL : &s->txns[i];
	}
	if (slot == NULL) {
		return ffa_error(FFA_NO_MEMORY);
	}
	switch (s->mem_lie) {
	case SPMC_LIE_HANDLE_ZERO:
		return success_handle(0);
	case SPMC_LIE_HANDLE_HYP:
		return success_handle(handle | FFA_HANDLE_ALLOCATOR_HYP);
	case SPMC_LIE_HANDLE_REUSED:
		for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) {
			if (s->txns[i].used) {
				return success_handle(s->txns[i].desc.handle);
			}
		}
		break;
	default:
		break;
	}
	if (s->mem_lie == SPMC_LIE_FRAG_RX_AFTER_LAST) {
		return frag_rx(handle, s->frag.total); /* a lie leaves nothing on record */
	}
	t.handle = handle;
	*slot = (struct spmc_txn){.used = true, .type = type, .desc = t};
	s->txn_epoch++;
	return success_handle(handle);
}

/* Take @len bytes of the hypervisor's TX into the reassembly buffer, then answer. */
static struct smccc_regs take_fragment(struct spmc *s, uint32_t len)
{
	const struct mailbox *mb = &s->hyp_mailbox;
	const uint8_t *tx = mb->mapped ? mem_map(s->mem, mb->tx_pa, mb->page_count, MEM_OWNER_HYP,
						 MEM_PAGE_MAILBOX)
				       : NULL;

	if (tx == NULL) {
		s->frag.active = false;
		return spmc_fault(s, s->frag.fid, "memory sent with no hypervisor TX buffer",
				  FFA_DENIED);
	}
	memcpy(s->frag.buf + s->frag.received, tx, len);
	if (s->frag.received == 0 && len < s->frag.total &&
	    len < ffa_mem_desc_first_fragment_min(s->frag.buf, len, s->ns_version)) {
		s->frag.active = false;
		return spmc_fault(s, s->frag.fid,
				  "a first memory fragment without every access descriptor",
				  FFA_INVALID_PARAMETERS);
	}
	s->frag.received += len;
	if (s->frag.received < s->frag.total) {
		if (s->mem_lie == SPMC_LIE_EARLY_SUCCESS) {
			s->frag.active = false;
			return success_handle(s->frag.handle);
		}
		if (s->mem_lie == SPMC_LIE_FRAG_OFFSET_NEAR_END) {
			return frag_rx(s->frag.handle, 0xFFFFFFF0U);
		}
		return frag_rx(s->frag.handle,
			       s->frag.received - (s->mem_lie == SPMC_LIE_FRAG_OFFSET ? 16 : 0));
	}
	return complete_send(s);
}

struct smccc_regs spmc_ffa_mem_send(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t fid = ffa_func(args);
	uint32_t total = ffa_w(args, 1);
	uint32_t len = ffa_w(args, 2);

	if (ffa_x(args, 3) != 0 || ffa_w(args, 4) != 0) {
		return spmc_fault(s, fid, "memory send with x3/w4 set (no dynamic buffers)",
				  FFA_INVALID_PARAMETERS);
	}
	if (total == 0 || len == 0 || len > total ||
	    len > (uint64_t)s->hyp_mailbox.page_count * MEM_PAGE_SIZE) {
		return spmc_fault(s, fid, "memory send with bad total or fragment length",
				  FFA_INVALID_PARAMETERS);
	}
	if (total > SPMC_MEM_DESC_MAX) {
		return ffa_error(FFA_NO_MEMORY);
	}
	if (s->frag.active) {
		return spmc_fault(s, fid, "memory send while another is in fragments", FFA_BUSY);
	}
	s->frag = (struct spmc_frag){.active = true,
				     .fid = fid,
				     .handle = s->next_handle++,
				     .total = total};
	return take_fragment(s, len);
}

struct smccc_regs spmc_ffa_mem_frag_tx(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t len = ffa_w(args, 3);

	if (!s->frag.active || spmc_handle_of(args, 1) != s->frag.handle) {
		return spmc_fault(s, FFA_MEM_FRAG_TX_32, "FRAG_TX for no fragmented send",
				  FFA_INVALID_PARAMETERS);
	}
	if (ffa_w(args, 4) != 0 || len == 0 || len > s->frag.total - s->frag.received ||
	    len > (uint64_t)s->hyp_mailbox.page_count * MEM_PAGE_SIZE) {
		s->frag.active = false;
		return spmc_fault(s, FFA_MEM_FRAG_TX_32, "FRAG_TX with a bad length or w4",
				  FFA_INVALID_PARAMETERS);
	}
	return take_fragment(s, len);
}

struct smccc_regs spmc_ffa_mem_reclaim(struct spmc *s, const struct smccc_regs *args)
{
	uint64_t handle = spmc_handle_of(args, 1);
	struct spmc_txn *x = spmc_txn_find(s, handle);

	if (s->frag.active && s->frag.handle == handle) {
		s->frag.active = false; /* the hypervisor gave up on a fragmented send */
		return ffa_success(0);
	}
	if (x == NULL ||
	    (ffa_w(args, 3) & ~(FFA_MEM_FLAG_ZERO_MEMORY | FFA_MEM_FLAG_TIME_SLICING)) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	for (uint32_t i = 0; i < x->desc.receiver_count; i++) {
		if (x->retrieved[i] != 0) {
			return ffa_error(FFA_DENIED);
		}
	}
	*x = (struct spmc_txn){0};
	s->txn_epoch++;
	return ffa_success(0);
}

/* Partition @sp's receiver slot in @x, or -1. */
static int receiver_slot(const struct spmc_txn *x, ffa_id_t sp)
{
	for (uint32_t i = 0; i < x->desc.receiver_count; i++) {
		if (x->desc.receivers[i].id == sp) {
			return (int)i;
		}
	}
	return -1;
}

int spmc_mem_retrieve(struct spmc *s, ffa_id_t sp, uint64_t handle)
{
	struct spmc_txn *x = spmc_txn_find(s, handle);
	int i = x != NULL ? receiver_slot(x, sp) : -1;
	struct spmc_sp *st = spmc_sp_state(s, sp);

	if (i < 0) {
		return FFA_INVALID_PARAMETERS;
	}
	st->held_handle = handle;
	st->held_pa = x->desc.range_count != 0 ? x->desc.ranges[0].address : 0;
	st->held_pages = x->desc.range_count != 0 ? x->desc.ranges[0].page_count : 0;
	if (x->type == FFA_MEM_TYPE_DONATE) {
		for (uint32_t k = 0; k < x->desc.range_count; k++) {
			if (mem_give(s->mem, x->desc.ranges[k].address, x->desc.ranges[k].page_count,
				     x->desc.sender, MEM_PAGE_DONATED, sp) != FFA_OK) {
				return FFA_ABORTED;
			}
		}
		*x = (struct spmc_txn){0}; /* the donation is complete */
		s->txn_epoch++;
		return FFA_OK;
	}
	x->retrieved[i]++;
	return FFA_OK;
}

int spmc_mem_relinquish(struct spmc *s, ffa_id_t sp, uint64_t handle)
{
	struct spmc_txn *x = spmc_txn_find(s, handle);
	int i = x != NULL ? receiver_slot(x, sp) : -1;

	if (i < 0) {
		return FFA_INVALID_PARAMETERS;
	}
	if (x->retrieved[i] == 0) {
		return FFA_DENIED;
	}
	x->retrieved[i]--;
	return FFA_OK;
}

int spmc_mem_access(struct spmc *s, ffa_id_t sp, uint64_t handle)
{
	const struct spmc_sp *st = spmc_sp_state(s, sp);
	const struct spmc_txn *x = spmc_txn_find(s, handle);
	const struct mem_page *pg;
	int i = x != NULL ? receiver_slot(x, sp) : -1;
	bool may;

	if (st->held_handle != handle || st->held_pages == 0) {
		return FFA_INVALID_PARAMETERS;
	}
	/* A lend or share: while it holds a retrieval; a donation: while the page is its own. */
	pg = mem_page_at(s->mem, st->held_pa);
	may = x != NULL ? i >= 0 && x->retrieved[i] != 0 : pg != NULL && pg->owner == sp;
	if (!may) {
		return FFA_DENIED;
	}
	mem_host(s->mem, st->held_pa, 1)[0] = (uint8_t)sp; /* its mark, where the lender may see it */
	return FFA_OK;
}

bool spmc_isolation_check(struct spmc *s, char *why, size_t why_len)
{
	const struct mem *mem = s->mem;

	if (s->isolation_passed && s->passed_mem_epoch == mem->epoch &&
	    s->passed_txn_epoch == s->txn_epoch) {
		return true;
	}

	for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) {
		const struct spmc_txn *x = &s->txns[i];

		if (!x->used) {
			continue;
		}
		if (!pages_held(s, &x->desc, state_for(s, x->type),
				s->ns_pages.untagged ? 0 : x->desc.handle)) {
			snprintf(why, why_len, "isolation: a page of handle %#llx is not %#x's in its state",
				 (unsigned long long)x->desc.handle, x->desc.sender);
			return false;
		}
	}
	/* Untagged pages name no transaction; pKVM may leave some shared after a failure. */
	for (uint32_t p = 0; !s->ns_pages.untagged && p < mem->page_count; p++) {
		const struct mem_page *pg = &mem->pages[p];
		int i;

		if ((pg->state != MEM_PAGE_SHARED && pg->state != MEM_PAGE_LENT &&
		     pg->state != MEM_PAGE_DONATED) ||
		    (pg->handle & FFA_HANDLE_ALLOCATOR_HYP)) {
			continue; /* private, a mailbox, or the mediator's own transaction */
		}
		i = txn_index(s, pg->handle);
		if (i < 0 || pg->state != state_for(s, s->txns[i].type) ||
		    pg->owner != s->txns[i].desc.sender) {
			snprintf(why, why_len,
				 "isolation: page %#llx is %s under handle %#llx, which the SPMC does not hold so",
				 (unsigned long long)(mem->pa_base + (uint64_t)p * MEM_PAGE_SIZE),
				 pg->state == MEM_PAGE_SHARED ? "shared" : pg->state == MEM_PAGE_LENT ? "lent"
												: "donated",
				 (unsigned long long)pg->handle);
			return false;
		}
	}
	s->isolation_passed = true;
	s->passed_mem_epoch = mem->epoch;
	s->passed_txn_epoch = s->txn_epoch;
	return true;
}

void spmc_set_ns_pages(struct spmc *s, struct spmc_ns_pages pages)
{
	s->ns_pages.lend_as_share = pages.lend_as_share;
	s->ns_pages.untagged = pages.untagged;
	s->isolation_passed = false;
}
