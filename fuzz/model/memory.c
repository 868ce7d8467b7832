/*
 * The state model, memory management (DEN0077A v1.2 chapter 16: §16.1-16.3
 * FFA_MEM_DONATE/LEND/SHARE, §16.4-16.5 FFA_MEM_FRAG_TX/RX, §16.6-16.8
 * FFA_MEM_RETRIEVE_REQ/RESP, FFA_MEM_RELINQUISH, §16.9 FFA_MEM_RECLAIM; the
 * transaction life cycle of §11: a lender's send creates a transaction with
 * a handle, borrowers retrieve and relinquish it, the lender reclaims it
 * once no borrower holds it, and the handle is dead from then on).
 *
 * The model keeps each transaction a VM's send created: its handle, lender,
 * type, borrowers (from the descriptor the lender wrote in its TX; unknown
 * for a send in fragments, whose descriptor the model does not gather), the
 * VM borrowers' retrieves not yet relinquished, and its pages.
 *
 *   mem-handle-fresh: a send's SUCCESS gives a handle no live transaction has.
 *   mem-fragments: FFA_MEM_FRAG_TX continues (FRAG_RX) or completes (SUCCESS)
 *     only a send the caller began and the mediator answered FFA_MEM_FRAG_RX,
 *     with its handle (§16.4: the sender continues its own transmission),
 *     after errors to some of its fragments too (an error need not end it).
 *   mem-retrieve: a VM's retrieve succeeds only for a live transaction that
 *     names it as a borrower, with memory region attributes within the
 *     lender's (ffa_mem_attributes_within(): the compliance suite's
 *     attribute-precedence checks); its relinquish only for one it holds; the
 *     response in its RX carries the NS bit in the memory region attributes
 *     once FFA_FEATURES(FFA_MEM_RETRIEVE_REQ) reported NS-bit handling (w2
 *     bit 1; the compliance suite's mem_security_state_ns_bit_retrieve_check).
 *   mem-page-kinds: a send succeeds only as its pages allow (the platform's
 *     read-only and device pages, mediator/mem.h; the reading is
 *     mediator/src/memory.c's check_kinds(), from the compliance suite's
 *     checks): a read-only page with the zero-memory flag or write access
 *     for a borrower never; a device page never to a partition, never
 *     donated, never by a v1.0 caller. A reclaim that zeroes read-only pages
 *     never succeeds either.
 *   mem-reclaim: FFA_MEM_RECLAIM succeeds only for a live transaction of the
 *     caller that no VM borrower holds (§16.9: DENIED while borrowers hold
 *     it), and its pages are then the lender's private pages again; a dead
 *     handle is never accepted again. Its DENIED means a borrower holds it:
 *     the caller's own live transaction, with no flags, that no VM borrower
 *     and no partition (the SPMC model's record) holds is not DENIED.
 */
#include "model.h"

#include <string.h>

#include "ffa/mem_desc.h"
#include "harness.h"

static struct model_txn *txn_find(struct fuzz_model *md, uint64_t handle)
{
	for (unsigned i = 0; i < MODEL_MAX_TXNS; i++) {
		if (md->txns[i].live && md->txns[i].handle == handle) {
			return &md->txns[i];
		}
	}
	return NULL;
}

static bool dead(const struct fuzz_model *md, uint64_t handle)
{
	for (unsigned i = 0; i < MODEL_MAX_TXNS; i++) {
		if (md->dead[i] == handle) {
			return true;
		}
	}
	return false;
}

/* Index of @id among @t's borrowers, or -1. */
static int borrower(const struct model_txn *t, ffa_id_t id)
{
	for (unsigned i = 0; i < t->receiver_count; i++) {
		if (t->receivers[i] == id) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * What @v's send descriptor (@len bytes in its TX) says, into @t and @d;
 * false if it cannot be read.
 */
static bool read_send(struct fuzz_machine *fm, const struct model_vm *v, uint32_t len,
		      struct model_txn *t, struct ffa_mem_txn *d)
{
	const uint8_t *tx = model_tx(fm, v);

	if (tx == NULL || len > v->pages * MEM_PAGE_SIZE ||
	    ffa_mem_desc_parse(tx, len, v->version, false, d) != FFA_OK) {
		return false;
	}
	t->borrowers_unknown = false;
	t->attributes = d->attributes;
	t->receiver_count = d->receiver_count < 4 ? (uint8_t)d->receiver_count : 4;
	for (unsigned i = 0; i < t->receiver_count; i++) {
		t->receivers[i] = d->receivers[i].id;
	}
	t->range_count = 0;
	for (unsigned i = 0; i < d->range_count; i++) {
		uint64_t pa = model_pa(fm, v->id, d->ranges[i].address, d->ranges[i].page_count);

		if (pa != 0) {
			t->kinds |= (uint8_t)mem_kinds(&fm->mem, pa, d->ranges[i].page_count);
		}
		if (pa != 0 && t->range_count < MODEL_MAX_RANGES) {
			t->range_pa[t->range_count] = pa;
			t->range_pages[t->range_count++] = d->ranges[i].page_count;
		}
	}
	return true;
}

/* mem-page-kinds: @v's send @t (descriptor @d) succeeded; its pages allow it? */
static void check_kinds(struct fuzz_machine *fm, const struct model_vm *v,
			const struct model_txn *t, const struct ffa_mem_txn *d)
{
	bool to_sp = false, write = false;
	bool v1_0 = model_version_known(v) && v->version < FFA_VERSION_1_1;

	for (uint32_t i = 0; i < d->receiver_count; i++) {
		to_sp |= ffa_id_is_secure(d->receivers[i].id);
		write |= (d->receivers[i].perms & FFA_DATA_ACCESS_MASK) == FFA_DATA_ACCESS_RW;
	}
	if ((t->kinds & 1U << MEM_KIND_DEVICE) &&
	    (to_sp || t->type == FFA_MEM_TYPE_DONATE || v1_0)) {
		oracle_violation(fm, "mem-page-kinds", "VM %#x (v%u.%u) gave a device page %s",
				 v->id, v->version >> 16, v->version & 0xFFFF,
				 to_sp ? "to a partition" : t->type == FFA_MEM_TYPE_DONATE ? "away (donate)" : "away");
	}
	if ((t->kinds & 1U << MEM_KIND_READ_ONLY) && ((d->flags & FFA_MEM_FLAG_ZERO_MEMORY) || write)) {
		oracle_violation(fm, "mem-page-kinds", "VM %#x sent a read-only page %s", v->id,
				 write ? "with write access for a borrower" : "to be zeroed");
	}
}

/* Whether memory call @call's descriptor is in the caller's TX (x3, w3 for SMC32, zero). */
static bool in_tx(const struct smccc_regs *call)
{
	return (smccc_is_smc64(ffa_func(call)) ? call->x[3] : ffa_w(call, 3)) == 0;
}

/* A new live transaction @t with @handle (mem-handle-fresh). */
static void created(struct fuzz_machine *fm, struct model_txn *t, uint64_t handle)
{
	struct fuzz_model *md = &fm->model;

	if (txn_find(md, handle) != NULL) {
		oracle_violation(fm, "mem-handle-fresh", "VM %#x's send got handle %#llx, live already",
				 t->sender, (unsigned long long)handle);
		return;
	}
	for (unsigned i = 0; i < MODEL_MAX_TXNS; i++) {
		if (!md->txns[i].live) {
			md->txns[i] = *t;
			md->txns[i].live = true;
			md->txns[i].handle = handle;
			return;
		}
	}
	/* More live transactions than the model keeps: this one goes unfollowed. */
}

static uint64_t reply_handle(const struct smccc_regs *r, unsigned lo)
{
	return (uint64_t)ffa_w(r, lo) | (uint64_t)ffa_w(r, lo + 1) << 32;
}

static void follow_send(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			const struct smccc_regs *reply)
{
	struct fuzz_model *md = &fm->model;
	struct model_txn t = {.sender = v->id, .type = (uint8_t)ffa_mem_type_of(ffa_func(call)),
			      .borrowers_unknown = true};
	uint32_t rfid = ffa_func(reply);
	struct ffa_mem_txn d;
	bool read = in_tx(call) && ffa_w(call, 1) == ffa_w(call, 2) &&
		    read_send(fm, v, ffa_w(call, 2), &t, &d);

	if (t.kinds & ~(1U << MEM_KIND_RAM)) {
		model_count(MODEL_T_MEM_SPECIAL_PAGES);
	}
	if (rfid != FFA_SUCCESS_32 && rfid != FFA_MEM_FRAG_RX_32) {
		return;
	}
	if (rfid == FFA_SUCCESS_32) {
		if (read) {
			check_kinds(fm, v, &t, &d);
		}
		created(fm, &t, reply_handle(reply, 2));
		model_count(MODEL_T_MEM_SENT);
		return;
	}
	md->sending = (struct model_pending_send){
		.active = true, .sender = v->id, .handle = reply_handle(reply, 1), .first = t};
}

static void follow_frag_tx(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			   const struct smccc_regs *reply)
{
	struct model_pending_send *s = &fm->model.sending;
	uint64_t handle = reply_handle(call, 1);
	uint32_t rfid = ffa_func(reply);

	if (rfid != FFA_SUCCESS_32 && rfid != FFA_MEM_FRAG_RX_32) {
		/*
		 * An error does not say whether the transmission ended: a mediator
		 * may refuse one fragment's registers and still await it (Hafnium's
		 * api_ffa_mem_frag_tx and pKVM's do_ffa_mem_frag_tx check the
		 * length before the transaction), so the send stays the caller's.
		 */
		return;
	}
	/* The final SUCCESS may give another handle than the provisional one
	 * FFA_MEM_FRAG_RX carried (a hypervisor's, bit 63, then the SPMC's). */
	if (!s->active || s->sender != v->id || s->handle != handle ||
	    (rfid == FFA_MEM_FRAG_RX_32 && reply_handle(reply, 1) != handle)) {
		oracle_violation(fm, "mem-fragments", "VM %#x's FFA_MEM_FRAG_TX of %#llx answered %#x; the send in fragments is %s's %#llx",
				 v->id, (unsigned long long)handle, rfid,
				 s->active ? "a VM" : "nobody", (unsigned long long)s->handle);
		return;
	}
	if (rfid == FFA_SUCCESS_32) {
		s->active = false;
		created(fm, &s->first, reply_handle(reply, 2));
		model_count(MODEL_T_MEM_SENT_FRAGMENTS);
	}
}

/* mem-retrieve's NS bit: @v's retrieve response (@reply: its lengths) in its RX. */
static void ns_bit_check(struct fuzz_machine *fm, const struct model_vm *v, const struct smccc_regs *reply)
{
	const uint8_t *rx = model_rx(fm, v);
	struct ffa_mem_txn r;
	uint32_t len = ffa_w(reply, 2);

	if (!v->ns_bit_told || rx == NULL || len > v->pages * MEM_PAGE_SIZE ||
	    ffa_mem_desc_parse(rx, len, v->version, false, &r) != FFA_OK) {
		return; /* not promised, or a response the model cannot read (a fragment of it) */
	}
	if (!(r.attributes & FFA_MEM_ATTR_NS)) {
		oracle_violation(fm, "mem-retrieve", "VM %#x was told of NS-bit handling; its retrieve response of %#llx has attributes %#x",
				 v->id, (unsigned long long)r.handle, r.attributes);
	}
}

static void follow_retrieve(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			    const struct smccc_regs *reply)
{
	struct ffa_mem_txn d;
	const uint8_t *tx = model_tx(fm, v);
	struct model_txn *t;
	int at;

	if (ffa_func(reply) != FFA_MEM_RETRIEVE_RESP_32) {
		return;
	}
	if (tx == NULL || !in_tx(call) || ffa_w(call, 2) > v->pages * MEM_PAGE_SIZE ||
	    ffa_mem_desc_parse(tx, ffa_w(call, 2), v->version, true, &d) != FFA_OK) {
		fm->model.holds_unknown = true; /* a retrieve of what, the model cannot tell */
		return;
	}
	t = txn_find(&fm->model, d.handle);
	if (t == NULL && !dead(&fm->model, d.handle)) {
		return; /* a transaction the model did not see made (another world's) */
	}
	at = t != NULL ? borrower(t, v->id) : -1;
	if (t == NULL || (!t->borrowers_unknown && at < 0)) {
		oracle_violation(fm, "mem-retrieve", "VM %#x retrieved %#llx, %s", v->id,
				 (unsigned long long)d.handle,
				 t == NULL ? "reclaimed already" : "which does not name it");
		model_count(MODEL_T_MEM_DEAD_HANDLE);
		return;
	}
	if (at < 0 && t->receiver_count < 4) {
		at = t->receiver_count++; /* a borrower the model could not read from the send */
		t->receivers[at] = v->id;
	}
	if (at >= 0) {
		t->held[at]++;
	}
	if (!ffa_mem_attributes_within(d.attributes, t->attributes)) {
		oracle_violation(fm, "mem-retrieve", "VM %#x retrieved %#llx as attributes %#x, beyond the lender's %#x",
				 v->id, (unsigned long long)d.handle, d.attributes, t->attributes);
	}
	ns_bit_check(fm, v, reply);
	model_count(MODEL_T_MEM_RETRIEVED);
}

static void follow_relinquish(struct fuzz_machine *fm, struct model_vm *v,
			      const struct smccc_regs *reply)
{
	const uint8_t *tx = model_tx(fm, v);
	struct ffa_mem_relinquish r;
	struct model_txn *t;
	int at;

	if (ffa_func(reply) != FFA_SUCCESS_32 || tx == NULL) {
		return;
	}
	memcpy(&r, tx, sizeof(r));
	t = txn_find(&fm->model, r.handle);
	if (t == NULL && !dead(&fm->model, r.handle)) {
		return;
	}
	at = t != NULL ? borrower(t, v->id) : -1;
	if (t == NULL || (at >= 0 ? t->held[at] == 0 : !t->borrowers_unknown)) {
		oracle_violation(fm, "mem-retrieve", "VM %#x relinquished %#llx, which it does not hold", v->id,
				 (unsigned long long)r.handle);
		return;
	}
	if (at >= 0) {
		t->held[at]--;
	}
	model_count(MODEL_T_MEM_RELINQUISHED);
}

/* Whether a partition holds transaction @handle (the SPMC model's record). */
static bool sp_holds(struct fuzz_machine *fm, uint64_t handle)
{
	const struct spmc_txn *x = spmc_txn_find(&fm->spmc, handle);

	for (unsigned i = 0; x != NULL && i < FFA_MEM_MAX_RECEIVERS; i++) {
		if (x->retrieved[i] != 0) {
			return true;
		}
	}
	return false;
}

static void follow_reclaim(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			   const struct smccc_regs *reply)
{
	struct fuzz_model *md = &fm->model;
	uint64_t handle = reply_handle(call, 1);
	struct model_txn *t = txn_find(md, handle);
	bool held = false;

	for (unsigned i = 0; t != NULL && i < t->receiver_count; i++) {
		held |= t->held[i] != 0;
	}
	if (held) {
		model_count(MODEL_T_MEM_RECLAIM_HELD);
	}
	if (t == NULL && dead(md, handle)) {
		model_count(MODEL_T_MEM_DEAD_HANDLE);
	}
	if (ffa_is_error(reply, FFA_DENIED) && t != NULL && t->sender == v->id && !held &&
	    ffa_w(call, 3) == 0 && !sp_holds(fm, handle) && !md->holds_unknown) {
		oracle_violation(fm, "mem-reclaim", "VM %#x's reclaim of %#llx DENIED; no borrower holds it (%s)",
				 v->id, (unsigned long long)handle,
				 v->mapped ? "its pair mapped" : "no pair mapped");
	}
	if (ffa_func(reply) != FFA_SUCCESS_32 || (t == NULL && !dead(md, handle))) {
		return;
	}
	if (t != NULL && (ffa_w(call, 3) & FFA_MEM_FLAG_ZERO_MEMORY) &&
	    (t->kinds & 1U << MEM_KIND_READ_ONLY)) {
		oracle_violation(fm, "mem-page-kinds", "VM %#x's reclaim of %#llx zeroed read-only pages",
				 v->id, (unsigned long long)handle);
	}
	if (t == NULL || t->sender != v->id || held) {
		oracle_violation(fm, "mem-reclaim", "VM %#x reclaimed %#llx: %s", v->id,
				 (unsigned long long)handle,
				 t == NULL ? "reclaimed already" : held ? "a VM borrower holds it" : "not its own");
		return;
	}
	for (unsigned i = 0; i < t->range_count; i++) {
		for (uint32_t k = 0; k < t->range_pages[i]; k++) {
			const struct mem_page *p =
				mem_page_at(&fm->mem, t->range_pa[i] + (uint64_t)k * MEM_PAGE_SIZE);

			if (p != NULL && (p->owner != v->id || p->state != MEM_PAGE_PRIVATE)) {
				oracle_violation(fm, "mem-reclaim", "VM %#x reclaimed %#llx; page %#llx is %u's in state %u",
						 v->id, (unsigned long long)handle,
						 (unsigned long long)(t->range_pa[i] + (uint64_t)k * MEM_PAGE_SIZE),
						 p->owner, p->state);
				i = t->range_count;
				break;
			}
		}
	}
	t->live = false;
	md->dead[md->dead_next++ % MODEL_MAX_TXNS] = handle;
	model_count(MODEL_T_MEM_RECLAIMED);
}

void model_memory_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call);

	if (ffa_mem_type_of(cfid) != 0) {
		follow_send(fm, v, call, reply);
	} else if (cfid == FFA_MEM_FRAG_TX_32) {
		follow_frag_tx(fm, v, call, reply);
	} else if (cfid == FFA_MEM_RETRIEVE_REQ_32 || cfid == FFA_MEM_RETRIEVE_REQ_64) {
		follow_retrieve(fm, v, call, reply);
	} else if (cfid == FFA_MEM_RELINQUISH_32) {
		follow_relinquish(fm, v, reply);
	} else if (cfid == FFA_MEM_RECLAIM_32) {
		follow_reclaim(fm, v, call, reply);
	}
}
