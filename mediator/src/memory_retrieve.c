/*
 * Memory management through the mediator, the borrower's side, for VM
 * borrowers of VM-to-VM transactions, where the mediator is the relayer
 * (DEN0077A v1.2: FFA_MEM_RETRIEVE_REQ/RESP, FFA_MEM_RELINQUISH). Only where
 * the policy has VM borrowers (the spec profile); partitions retrieve and
 * relinquish at the SPMC.
 *
 * FFA_MEM_RETRIEVE_REQ (32/64): the request is in the caller's TX buffer
 * (x3 = 0, w4 = 0; w1 = w2: one fragment, exactly the request's bytes),
 * parsed once in the caller's version, with no composite or with one. It must name a transaction the mediator runs
 * and its tag, the caller as its only receiver or every borrower the lender
 * named (the caller among them), no NS bit in the attributes (the Relayer's
 * to set), no instruction access in a share or lend to several borrowers
 * (the response gives NX), a v1.2 caller's IMPDEF value the one the lender
 * gave it, flags: bits[4:3] zero or the transaction's type, bit 0 (zero
 * before retrieval) and bit 2 (zero after relinquish) only for a lend or
 * donate, time slicing, rest MBZ (INVALID_PARAMETERS); the lender as its
 * sender, the caller one of the borrowers, with no more access than it was
 * given, no execute access to device memory, no cacheability or
 * shareability above the lender's, no zeroing the lender did not ask for,
 * and no zeroing after relinquish by a read-only borrower (DENIED);
 * a request longer than MEDIATOR_MEM_DESC_MAX is NO_MEMORY. The response,
 * the transaction in the caller's version with the constituents as PAs,
 * bits[4:3] set to its type and, for a v1.1+ caller, the NS bit set in the
 * memory region attributes (the memory is Non-secure), goes into the
 * caller's RX buffer (BUSY unless mapped and free; NO_MEMORY if it does not
 * fit: responses are never fragmented), answered FFA_MEM_RETRIEVE_RESP with
 * w1 = w2 = its length. A lend or donate with the zero-memory flag is zeroed
 * at its first retrieval; a retrieved donation makes the caller the owner
 * and ends the transaction.
 *
 * FFA_MEM_FRAG_RX from a borrower (w1/w2 a handle, w3 a fragment offset):
 * the next fragment of a retrieve response. The mediator never fragments
 * its responses, so no retrieve of any handle waits for one: always
 * INVALID_PARAMETERS (DEN0077A v1.2 FFA_MEM_FRAG_RX: the handle and offset
 * must name a fragmented transfer in progress). It is a borrower's ABI all
 * the same, reported by FFA_FEATURES beside FFA_MEM_RETRIEVE_REQ, since a
 * borrower may call it (the compliance suite checks the set together).
 *
 * FFA_MEM_RELINQUISH: the descriptor (handle, flags, count, IDs) in the
 * caller's TX buffer; the count 1 and the ID the caller's, flags bit 0 (zero
 * after relinquish, lend only) the only one set (INVALID_PARAMETERS); the
 * caller must hold a retrieval of the transaction, and zero only memory it
 * may write (DENIED). The pages are zeroed when it asked, here or in its
 * retrieve.
 */
#include "internal.h"

#include <string.h>

#include "mediator/check.h"

#define RETRIEVE_FLAGS                                                                   \
	(FFA_MEM_FLAG_ZERO_MEMORY | FFA_MEM_FLAG_TIME_SLICING | FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH | \
	 FFA_MEM_FLAG_TYPE_MASK)

/* The caller's TX buffer and its size. */
static const uint8_t *vm_tx(struct mediator *m, const struct mediator_vm *vm, uint32_t *size)
{
	const struct mailbox *mb = &vm->mailbox;
	const uint8_t *tx = mem_map(m->mem, mb->tx_pa, mb->page_count, vm->id, MEM_PAGE_MAILBOX);

	CHECK(tx != NULL);
	*size = mb->page_count * MEM_PAGE_SIZE;
	return tx;
}

/* The index of @id among @x's borrowers, or -1. */
static int borrower_index(const struct mediator_txn *x, ffa_id_t id)
{
	for (uint32_t i = 0; i < x->desc.receiver_count; i++) {
		if (x->desc.receivers[i].id == id) {
			return (int)i;
		}
	}
	return -1;
}

/*
 * Whether a borrower may have access @want where the lender granted
 * @granted in a @type transaction: data access not specified by the lender
 * (a donation) is the borrower's choice, else RO within RW; instruction
 * access never X for a share or lend (DEN0077A v1.1 §10.10.3 as Hafnium and
 * TF-A 92b99ee quote it), else NX within X.
 */
static bool access_within(uint8_t want, uint8_t granted, enum ffa_mem_type type)
{
	uint32_t wd = want & FFA_DATA_ACCESS_MASK, gd = granted & FFA_DATA_ACCESS_MASK;
	uint32_t wi = (want & FFA_INSTRUCTION_ACCESS_MASK) >> FFA_INSTRUCTION_ACCESS_SHIFT;
	uint32_t gi = (granted & FFA_INSTRUCTION_ACCESS_MASK) >> FFA_INSTRUCTION_ACCESS_SHIFT;

	if (type != FFA_MEM_TYPE_DONATE && wi == FFA_INSTRUCTION_ACCESS_X) {
		return false;
	}
	return (gd == 0 || wd <= gd) && (gi == 0 || wi <= gi);
}

/*
 * The access the borrower gets: what the lender granted and, where the
 * lender left it open, what the borrower asked for; data access left open by
 * both is RW (Hafnium's ffa_memory_retrieve grants RW to an open donation).
 */
static uint8_t effective_access(uint8_t want, uint8_t granted)
{
	uint8_t data = granted & FFA_DATA_ACCESS_MASK;
	uint8_t instr = granted & FFA_INSTRUCTION_ACCESS_MASK;

	if (data == FFA_DATA_ACCESS_NOT_SPECIFIED) {
		data = want & FFA_DATA_ACCESS_MASK ? want & FFA_DATA_ACCESS_MASK : FFA_DATA_ACCESS_RW;
	}
	return (uint8_t)(data | (instr != 0 ? instr : want & FFA_INSTRUCTION_ACCESS_MASK));
}

/*
 * Whether @x is a share or lend to several borrowers: its instruction access
 * is the Relayer's to set, NX, and no Borrower may name one (DEN0077A v1.2
 * instruction access usage; the compliance suite's lend_retrieve_input_checks5).
 */
static bool shared_by_many(const struct mediator_txn *x)
{
	return x->type != FFA_MEM_TYPE_DONATE && x->desc.receiver_count > 1;
}

/*
 * The caller's entry in request @req for transaction @x: the request names
 * the caller alone, or every borrower the lender named (DEN0077A v1.2: the
 * Relayer checks that each Borrower the Receiver names is one the Sender
 * named; the compliance suite's retrieves name them all). Returns: the
 * index in @req, or -1.
 */
static int caller_entry(const struct mediator_txn *x, const struct mediator_vm *vm,
			const struct ffa_mem_txn *req)
{
	int mine = -1;

	if (req->receiver_count != 1 && req->receiver_count != x->desc.receiver_count) {
		return -1;
	}
	for (uint32_t j = 0; j < req->receiver_count; j++) {
		if (req->receiver_count > 1 && borrower_index(x, req->receivers[j].id) < 0) {
			return -1;
		}
		mine = req->receivers[j].id == vm->id ? (int)j : mine;
	}
	return mine;
}

/*
 * Check request @req from @vm against transaction @x. Returns the borrower
 * index (*@j: the caller's entry in @req) or an error.
 */
static int check_request(const struct mediator_txn *x, const struct mediator_vm *vm,
			 const struct ffa_mem_txn *req, int *j)
{
	uint32_t type = (req->flags & FFA_MEM_FLAG_TYPE_MASK) >> FFA_MEM_FLAG_TYPE_SHIFT;
	bool device = (req->attributes & FFA_MEM_ATTR_TYPE_MASK) == FFA_MEM_ATTR_TYPE_DEVICE;
	uint8_t want;
	int i;

	*j = caller_entry(x, vm, req);
	if (*j >= 0 && shared_by_many(x) && (req->receivers[*j].perms & FFA_INSTRUCTION_ACCESS_MASK) != 0) {
		return FFA_INVALID_PARAMETERS; /* with several borrowers, the instruction access is NX, unasked */
	}
	i = borrower_index(x, vm->id);
	if (*j >= 0 && i >= 0 && vm->version >= FFA_VERSION_1_2 &&
	    memcmp(req->impdef[*j], x->desc.impdef[i], sizeof(req->impdef[*j])) != 0) {
		return FFA_INVALID_PARAMETERS; /* v1.2: the IMPDEF value the lender gave this borrower */
	}
	if (req->tag != x->desc.tag || *j < 0 || (req->flags & ~RETRIEVE_FLAGS) != 0 ||
	    (type != 0 && type != x->type) || (req->attributes & FFA_MEM_ATTR_NS) != 0 ||
	    ((req->flags & (FFA_MEM_FLAG_ZERO_MEMORY | FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH)) &&
	     x->type == FFA_MEM_TYPE_SHARE)) {
		return FFA_INVALID_PARAMETERS; /* the NS bit is the Relayer's to set, in the response */
	}
	/* A sender other than the lender: as FFA_MEM_SHARE/LEND/DONATE's sender check, DENIED. */
	want = req->receivers[*j].perms;
	if (req->sender != x->desc.sender || i < 0 || !access_within(want, x->desc.receivers[i].perms, x->type) ||
	    (device && (want & FFA_INSTRUCTION_ACCESS_MASK) >> FFA_INSTRUCTION_ACCESS_SHIFT == FFA_INSTRUCTION_ACCESS_X)) {
		return FFA_DENIED; /* no execution of device memory, whatever the transaction */
	}
	if ((req->flags & FFA_MEM_FLAG_ZERO_MEMORY) && !(x->desc.flags & FFA_MEM_FLAG_ZERO_MEMORY)) {
		return FFA_DENIED; /* Hafnium: the borrower needs it cleared, the lender did not ask */
	}
	if (!ffa_mem_attributes_within(req->attributes, x->desc.attributes)) {
		return FFA_DENIED;
	}
	if ((req->flags & FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH) &&
	    ((want & FFA_DATA_ACCESS_MASK) == FFA_DATA_ACCESS_RO ||
	     (x->desc.receivers[i].perms & FFA_DATA_ACCESS_MASK) == FFA_DATA_ACCESS_RO)) {
		return FFA_DENIED; /* a read-only borrower cannot zero what it relinquishes */
	}
	return i;
}

/*
 * Write @x as a retrieve response into @vm's RX, borrower @i getting access
 * @access. Returns the length or a negative error.
 */
static int write_response(struct mediator *m, struct mediator_vm *vm,
			  const struct mediator_txn *x, int i, uint8_t access)
{
	struct ffa_mem_txn resp = x->desc;
	uint32_t size, len;
	int err;
	uint8_t *rx = mediator_rx_write_begin(m, vm, &size, &err);

	if (rx == NULL) {
		return err;
	}
	resp.receivers[i].perms = access;
	resp.flags = (resp.flags & ~FFA_MEM_FLAG_TYPE_MASK) |
		     (uint32_t)x->type << FFA_MEM_FLAG_TYPE_SHIFT;
	if (vm->version >= FFA_VERSION_1_1) {
		resp.attributes |= FFA_MEM_ATTR_NS; /* the relayer's: NS memory (FFA_FEATURES bit 1) */
	}
	len = ffa_mem_desc_write(&resp, vm->version, rx, size);
	mediator_rx_write_end(m, vm, len != 0, len);
	return len != 0 ? (int)len : FFA_NO_MEMORY;
}

struct smccc_regs mediator_ffa_mem_retrieve_req(struct mediator *m, struct mediator_vm *vm,
						const struct smccc_regs *args)
{
	uint8_t buf[MEDIATOR_MEM_DESC_MAX];
	uint32_t len = ffa_w(args, 1);
	uint32_t tx_size;
	struct ffa_mem_txn req;
	struct mediator_txn *x;
	int i, j, n;

	if (ffa_x(args, 3) != 0 || ffa_w(args, 4) != 0 || len != ffa_w(args, 2) || len == 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!vm->mailbox.mapped) {
		return ffa_error(FFA_DENIED);
	}
	const uint8_t *tx = vm_tx(m, vm, &tx_size);

	if (len > tx_size) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (len > sizeof(buf)) {
		return ffa_error(FFA_NO_MEMORY); /* a multi-page TX may hold more than buf */
	}
	memcpy(buf, tx, len); /* the only read of the request */
	n = ffa_mem_desc_parse(buf, len, vm->version, true, &req);
	if (n != FFA_OK) {
		return ffa_error(n);
	}
	if (len != ffa_mem_desc_request_size(&req, vm->version)) {
		return ffa_error(FFA_INVALID_PARAMETERS); /* bytes beyond the request (the ACS's retrieve checks) */
	}
	x = mediator_txn_find(m, req.handle);
	if (x == NULL || !x->vm_borrowers) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	i = check_request(x, vm, &req, &j);
	if (i < 0) {
		return ffa_error(i);
	}
	n = write_response(m, vm, x, i,
			   effective_access(req.receivers[j].perms, x->desc.receivers[i].perms) |
				   (shared_by_many(x) ? FFA_INSTRUCTION_ACCESS_NX << FFA_INSTRUCTION_ACCESS_SHIFT : 0));
	if (n < 0) {
		return ffa_error(n);
	}
	if ((x->desc.flags & FFA_MEM_FLAG_ZERO_MEMORY) && x->retrieved[i] == 0) {
		for (uint32_t k = 0; k < x->desc.range_count; k++) {
			mem_zero(m->mem, x->desc.ranges[k].address, x->desc.ranges[k].page_count);
		}
	}
	if (x->type == FFA_MEM_TYPE_DONATE) {
		/* The donation is complete: the borrower owns the pages; no reclaim. */
		for (uint32_t k = 0; k < x->desc.range_count; k++) {
			CHECK(mem_give(m->mem, x->desc.ranges[k].address, x->desc.ranges[k].page_count,
				       x->desc.sender, MEM_PAGE_DONATED, vm->id) == FFA_OK);
		}
		*x = (struct mediator_txn){0};
	} else {
		x->retrieved[i]++;
		x->zero_on_relinquish[i] |= (req.flags & FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH) != 0;
	}
	return (struct smccc_regs){.x = {FFA_MEM_RETRIEVE_RESP_32, (uint32_t)n, (uint32_t)n}};
}

struct smccc_regs mediator_ffa_mem_relinquish(struct mediator *m, struct mediator_vm *vm,
					      const struct smccc_regs *args)
{
	struct ffa_mem_relinquish d;
	uint16_t endpoint;
	uint32_t tx_size;
	struct mediator_txn *x;
	int i;

	(void)args;
	if (!vm->mailbox.mapped) {
		return ffa_error(FFA_DENIED);
	}
	const uint8_t *tx = vm_tx(m, vm, &tx_size);

	memcpy(&d, tx, sizeof(d));
	memcpy(&endpoint, tx + sizeof(d), sizeof(endpoint));
	x = mediator_txn_find(m, d.handle);
	if (d.endpoint_count != 1 || endpoint != vm->id ||
	    (d.flags & ~FFA_MEM_FLAG_ZERO_MEMORY) != 0 || x == NULL || !x->vm_borrowers ||
	    ((d.flags & FFA_MEM_FLAG_ZERO_MEMORY) && x->type != FFA_MEM_TYPE_LEND)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	i = borrower_index(x, vm->id);
	if (i < 0 || x->retrieved[i] == 0 ||
	    ((d.flags & FFA_MEM_FLAG_ZERO_MEMORY) &&
	     (x->desc.receivers[i].perms & FFA_DATA_ACCESS_MASK) == FFA_DATA_ACCESS_RO)) {
		return ffa_error(FFA_DENIED); /* a read-only borrower cannot zero */
	}
	x->retrieved[i]--;
	for (uint32_t k = 0; ((d.flags & FFA_MEM_FLAG_ZERO_MEMORY) || x->zero_on_relinquish[i]) &&
			     k < x->desc.range_count;
	     k++) {
		mem_zero(m->mem, x->desc.ranges[k].address, x->desc.ranges[k].page_count);
	}
	x->zero_on_relinquish[i] = x->zero_on_relinquish[i] && x->retrieved[i] != 0;
	return ffa_success(0);
}

struct smccc_regs mediator_ffa_mem_frag_rx(struct mediator *m, struct mediator_vm *vm,
					   const struct smccc_regs *args)
{
	(void)m;
	(void)vm;
	(void)args;
	return ffa_error(FFA_INVALID_PARAMETERS); /* no fragmented response, ever (above) */
}
