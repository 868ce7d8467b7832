/*
 * The hypervisor's own retrieve request at the SPMC (DEN0077A v1.2 §17.4.3
 * "Hypervisor retrieve request", with the ABIs FFA_MEM_RETRIEVE_REQ/RESP,
 * FFA_MEM_FRAG_RX and FFA_MEM_FRAG_TX; ffa-facts §2 and §3.2): before it
 * reclaims, the hypervisor learns what a transaction covers from the SPMC's
 * record, as Linux pKVM's FF-A proxy does for every FFA_MEM_RECLAIM
 * (pkvm-host.md, "How descriptors reach the secure world").
 *
 * The request (32 or 64) is in the hypervisor's TX buffer at its negotiated
 * version: a memory transaction descriptor with no endpoint memory access
 * descriptor (the count 0 is what makes it the hypervisor's own; Hafnium
 * is_ffa_hypervisor_retrieve_request()), whose only meaningful fields are the
 * handle and the sender. w1 = w2 (one fragment), x3 = w4 = 0 (no dynamic
 * buffer). Its length is at least the version's header (32 bytes in v1.0,
 * 48 from v1.1) and at most 48: pKVM sends sizeof its v1.1 struct
 * ffa_mem_region at every version, the bytes past a v1.0 header zero.
 * Attributes, flags, tag and the reserved fields MBZ (tf-a-tests'
 * ffa_hypervisor_retrieve_request_init() zeroes all but the handle, pKVM all
 * but sender and handle); the access descriptors' size and offset describe
 * none, so 0 or the version's values pass. The sender is the transaction's,
 * or 0: the hypervisor naming itself, as tf-a-tests do (Hafnium does not
 * read it).
 *
 * The answer, FFA_MEM_RETRIEVE_RESP_32 with w1 = the response's total length
 * and w2 = this fragment's, carries the transaction on record, laid out at
 * the hypervisor's version with ffa_mem_desc_write(), into its RX buffer:
 * sender, attributes, the flags with bits[4:3] the transaction type, every
 * receiver, and the composite with the constituents as PAs. The SPMC takes
 * the RX buffer as producer and delivers it: the hypervisor owns it until
 * FFA_RX_RELEASE. A response longer than the RX buffer, or than
 * s->retrieve_frag_bytes when that is set, goes in fragments that each end
 * on a constituent, the first holding the header, every access descriptor,
 * the composite header and at least one constituent. The hypervisor asks for
 * each next one with FFA_MEM_FRAG_RX (w1/w2 the handle, w3 the bytes
 * delivered so far, w4[31:16] the sender or 0, w4[15:0] MBZ), answered with
 * FFA_MEM_FRAG_TX (w1/w2 the handle, w3 the fragment's length, w4[31:16] the
 * transaction's sender). A new request abandons a response still in
 * fragments. A hypervisor retrieve is no borrower's: it changes nothing on
 * record, so FFA_MEM_RECLAIM works as before.
 *
 * Errors: RX not free (not yet released): BUSY; a request in fragments
 * (w1 != w2), one naming receivers (a VM borrower's: the model's receivers
 * are all partitions), an unknown handle or another sender:
 * INVALID_PARAMETERS; FFA_MEM_FRAG_RX for a transaction gone since (reclaimed
 * or donated away): INVALID_PARAMETERS. Mediator faults, for what no
 * hypervisor may send: x3/w4 set, a request of a bad length or with MBZ
 * fields set, FFA_MEM_FRAG_RX with no response in fragments, for another
 * handle, at another offset or with w4[15:0] set (INVALID_PARAMETERS); no
 * RX/TX pair mapped (DENIED); RX pages no longer the hypervisor's mailbox
 * (ABORTED).
 */
#include "internal.h"

#include <string.h>

#include "mediator/check.h"

#define HEADER_V1_0 ((uint32_t)sizeof(struct ffa_mem_region_v1_0))
#define HEADER_V1_1 ((uint32_t)sizeof(struct ffa_mem_region))
#define CONSTITUENT ((uint32_t)sizeof(struct ffa_mem_region_constituent))

/* The longest response: a v1.1 header, v1.2 access descriptors, every constituent. */
#define RESPONSE_MAX                                                                     \
	(HEADER_V1_1 + FFA_MEM_MAX_RECEIVERS * (uint32_t)sizeof(struct ffa_mem_access) + \
	 (uint32_t)sizeof(struct ffa_composite_mem_region) + FFA_MEM_MAX_RANGES * CONSTITUENT)

/* What a hypervisor retrieve request says. */
struct hyp_request {
	ffa_id_t sender;
	uint64_t handle;
	uint32_t receiver_count;
};

/* Enough zero bytes for what is compared with them: a v1.0 header's tail, v1.1 reserved. */
static const uint8_t zeros[HEADER_V1_1 - HEADER_V1_0];

/*
 * Read the request at @buf (@len bytes, from @version's header up to a v1.1
 * header) into @req. Returns: whether every field it does not use is as it
 * must be.
 */
static bool read_request(const uint8_t *buf, uint32_t len, uint32_t version,
			 struct hyp_request *req)
{
	if (version < FFA_VERSION_1_1) {
		struct ffa_mem_region_v1_0 h;

		memcpy(&h, buf, sizeof(h));
		*req = (struct hyp_request){
			.sender = h.sender, .handle = h.handle, .receiver_count = h.ep_count};
		return h.attributes == 0 && h.reserved0 == 0 && h.flags == 0 && h.tag == 0 &&
		       h.reserved1 == 0 && memcmp(buf + sizeof(h), zeros, len - sizeof(h)) == 0;
	}
	struct ffa_mem_region h;
	uint32_t emad = version >= FFA_VERSION_1_2 ? sizeof(struct ffa_mem_access)
						   : sizeof(struct ffa_mem_access_v1_0);

	memcpy(&h, buf, sizeof(h));
	*req = (struct hyp_request){
		.sender = h.sender, .handle = h.handle, .receiver_count = h.ep_count};
	return h.attributes == 0 && h.flags == 0 && h.tag == 0 &&
	       memcmp(h.reserved, zeros, sizeof(h.reserved)) == 0 &&
	       (h.ep_mem_size == 0 || h.ep_mem_size == emad) &&
	       (h.ep_mem_offset == 0 || (h.ep_mem_offset >= sizeof(h) && h.ep_mem_offset % 16 == 0));
}

/*
 * The length of the fragment at @off of the @total-byte response to @t: what
 * the RX buffer (or s->retrieve_frag_bytes, if smaller) holds, ending on a
 * constituent; the first at least everything before the constituents and
 * one of them. Every part of a descriptor is a multiple of 16 bytes, so
 * @off and @total are too.
 */
static uint32_t fragment_length(const struct spmc *s, const struct ffa_mem_txn *t,
				uint32_t total, uint32_t off)
{
	uint32_t limit = s->hyp_mailbox.page_count * MEM_PAGE_SIZE;
	uint32_t least = off == 0 ? total - (t->range_count - 1) * CONSTITUENT : CONSTITUENT;
	uint32_t len;

	CHECK(off % CONSTITUENT == 0 && total % CONSTITUENT == 0 && off < total);
	if (s->retrieve_frag_bytes != 0 && s->retrieve_frag_bytes < limit) {
		limit = s->retrieve_frag_bytes;
	}
	if (total - off <= limit) {
		return total - off;
	}
	len = limit / CONSTITUENT * CONSTITUENT;
	return len < least ? least : len;
}

/*
 * Deliver the fragment at @off of @x's response into the hypervisor's RX
 * buffer, and remember where the response stands.
 * Returns: FFA_OK with *@total and *@len set; FFA_BUSY (RX not free) or
 * FFA_ABORTED (its RX pages are no longer its mailbox: a fault for @fid).
 */
static int deliver(struct spmc *s, uint32_t fid, const struct spmc_txn *x, uint32_t off,
		   uint32_t *total, uint32_t *len)
{
	struct mailbox *mb = &s->hyp_mailbox;
	struct ffa_mem_txn resp = x->desc;
	uint8_t desc[RESPONSE_MAX];
	uint8_t *rx;

	resp.flags = (resp.flags & ~FFA_MEM_FLAG_TYPE_MASK) |
		     (uint32_t)x->type << FFA_MEM_FLAG_TYPE_SHIFT;
	*total = ffa_mem_desc_write(&resp, s->ns_version, desc, sizeof(desc));
	CHECK(*total != 0);
	*len = fragment_length(s, &resp, *total, off);
	if (mailbox_rx_acquire(mb) != FFA_OK) {
		return FFA_BUSY;
	}
	rx = mem_map(s->mem, mb->rx_pa, mb->page_count, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);
	if (rx == NULL) {
		mailbox_rx_abandon(mb);
		spmc_fault(s, fid, "the hypervisor's RX pages are no longer its mailbox", FFA_ABORTED);
		return FFA_ABORTED;
	}
	memcpy(rx, desc + off, *len);
	mailbox_rx_deliver(mb);
	/* Field by field: the padding stays as spmc_init() zeroed it. */
	s->hyp_retrieve.handle = x->desc.handle;
	s->hyp_retrieve.total = *total;
	s->hyp_retrieve.sent = off + *len;
	s->hyp_retrieve.active = off + *len < *total;
	return FFA_OK;
}

/**
 * spmc_ffa_mem_retrieve_req() - FFA_MEM_RETRIEVE_REQ_32/64 from the
 * hypervisor: its own retrieve request (see the file's header).
 * Returns: FFA_MEM_RETRIEVE_RESP_32 (w1 total length, w2 this fragment's);
 * FFA_ERROR INVALID_PARAMETERS (x3/w4 set, w1 != w2, a bad length, MBZ
 * fields set, receivers named, an unknown handle, another sender), DENIED
 * (no RX/TX pair), BUSY (RX not free) or ABORTED (RX no longer a mailbox).
 */
struct smccc_regs spmc_ffa_mem_retrieve_req(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t fid = ffa_func(args);
	uint32_t len = ffa_w(args, 1);
	uint32_t header = s->ns_version >= FFA_VERSION_1_1 ? HEADER_V1_1 : HEADER_V1_0;
	const struct mailbox *mb = &s->hyp_mailbox;
	const uint8_t *tx = mb->mapped ? mem_map(s->mem, mb->tx_pa, mb->page_count, MEM_OWNER_HYP,
						 MEM_PAGE_MAILBOX)
				       : NULL;
	uint8_t buf[HEADER_V1_1];
	struct hyp_request req;
	const struct spmc_txn *x;
	uint32_t total, sent;
	bool clean;
	int err;

	if (ffa_x(args, 3) != 0 || ffa_w(args, 4) != 0) {
		return spmc_fault(s, fid, "retrieve request with x3/w4 set (no dynamic buffers)",
				  FFA_INVALID_PARAMETERS);
	}
	if (tx == NULL) {
		return spmc_fault(s, fid, "retrieve request with no hypervisor RX/TX pair", FFA_DENIED);
	}
	if (len != ffa_w(args, 2)) {
		return ffa_error(FFA_INVALID_PARAMETERS); /* in fragments: taken in one, as Hafnium */
	}
	if (len < header || len > (uint64_t)mb->page_count * MEM_PAGE_SIZE) {
		return spmc_fault(s, fid, "retrieve request shorter than a header or longer than TX",
				  FFA_INVALID_PARAMETERS);
	}
	memcpy(buf, tx, len < sizeof(buf) ? len : sizeof(buf)); /* the only read of TX */
	clean = read_request(buf, len < sizeof(buf) ? len : sizeof(buf), s->ns_version, &req);
	if (req.receiver_count != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS); /* a VM borrower's: there are none */
	}
	if (len > HEADER_V1_1 || !clean) {
		return spmc_fault(s, fid, "hypervisor retrieve request with MBZ fields set or too long",
				  FFA_INVALID_PARAMETERS);
	}
	x = spmc_txn_find(s, req.handle);
	if (x == NULL || (req.sender != FFA_HOST_ID && req.sender != x->desc.sender)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	err = deliver(s, fid, x, 0, &total, &sent);
	if (err != FFA_OK) {
		return ffa_error(err);
	}
	return (struct smccc_regs){.x = {FFA_MEM_RETRIEVE_RESP_32, total, sent}};
}

/**
 * spmc_ffa_mem_frag_rx() - FFA_MEM_FRAG_RX from the hypervisor: the next
 * fragment of its retrieve response.
 * Returns: FFA_MEM_FRAG_TX_32 (w1/w2 handle, w3 the fragment's length,
 * w4[31:16] the sender); FFA_ERROR INVALID_PARAMETERS (no response in
 * fragments for that handle, the transaction gone, another offset or
 * sender, w4[15:0] set), DENIED (no RX/TX pair), BUSY (RX not released) or
 * ABORTED (RX no longer a mailbox).
 */
struct smccc_regs spmc_ffa_mem_frag_rx(struct spmc *s, const struct smccc_regs *args)
{
	uint64_t handle = spmc_handle_of(args, 1);
	uint32_t off = ffa_w(args, 3);
	uint32_t w4 = ffa_w(args, 4);
	struct spmc_hyp_retrieve *r = &s->hyp_retrieve;
	const struct spmc_txn *x = spmc_txn_find(s, handle);
	uint32_t total, len;
	int err;

	if (!r->active || r->handle != handle) {
		return spmc_fault(s, FFA_MEM_FRAG_RX_32, "FRAG_RX for no retrieve response in fragments",
				  FFA_INVALID_PARAMETERS);
	}
	if (x == NULL) {
		r->active = false; /* reclaimed, or donated away, since */
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if ((w4 & 0xFFFFU) != 0 || off != r->sent) {
		return spmc_fault(s, FFA_MEM_FRAG_RX_32,
				  "FRAG_RX at another offset than delivered, or with w4[15:0] set",
				  FFA_INVALID_PARAMETERS);
	}
	if ((w4 >> 16) != FFA_HOST_ID && (w4 >> 16) != x->desc.sender) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!s->hyp_mailbox.mapped) {
		return spmc_fault(s, FFA_MEM_FRAG_RX_32, "FRAG_RX with no hypervisor RX/TX pair",
				  FFA_DENIED);
	}
	err = deliver(s, FFA_MEM_FRAG_RX_32, x, off, &total, &len);
	if (err != FFA_OK) {
		return ffa_error(err);
	}
	return spmc_mem_frag(FFA_MEM_FRAG_TX_32, handle, len, x->desc.sender);
}
