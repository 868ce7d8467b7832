/*
 * VM-to-VM memory transactions with VM borrowers (mediator/src/memory.c and
 * memory_retrieve.c; DEN0077A v1.2 "Memory management", ffa-facts.md §2,
 * §3.2-3.4): the mediator is the relayer, so its handles have bit 63 set;
 * guest 2 retrieves (FFA_MEM_RETRIEVE_REQ -> FFA_MEM_RETRIEVE_RESP in its RX,
 * laid out in its own version) and relinquishes through it, and guest 1
 * reclaims only what no borrower holds. Only the spec profile has VM
 * borrowers: under pKVM and Xen a VM receiver is refused and the borrower's
 * ABIs do not exist. The SPMC's isolation oracle ignores these
 * hypervisor-allocated handles.
 */
#include "fixture.h"

#include <string.h>

#define LENT_IPA (VM_IPA + 4 * PAGE) /* guest 1's pages 4 and 5 (0 and 1 are its pair) */
#define LENT_PAGES 2U
#define TAG 0x7A6ULL
#define SP1 0x8001
#define NX (FFA_INSTRUCTION_ACCESS_NX << FFA_INSTRUCTION_ACCESS_SHIFT)
#define X (FFA_INSTRUCTION_ACCESS_X << FFA_INSTRUCTION_ACCESS_SHIFT)
#define RW FFA_DATA_ACCESS_RW
#define RO FFA_DATA_ACCESS_RO

static const uint32_t send_fid[] = {0, FFA_MEM_SHARE_64, FFA_MEM_LEND_64, FFA_MEM_DONATE_64};

static uint64_t lent_pa(uint32_t i)
{
	return fx_vm_pa(GUEST1, LENT_IPA + i * PAGE);
}

/* cmocka setup: guest 1 at v1.2, guest 2 at the version *@state points at; both with a pair. */
static int borrower_setup(void **state)
{
	*state = fixture_mailboxes(FFA_VERSION_1_2, *(const uint32_t *)*state);
	return 0;
}

/* Guest 1 sends (@type) its pages [@ipa, +2) to guest 2 with @perms, @flags and TAG: the handle. */
static uint64_t give_at(struct fixture *f, uint32_t fid, uint64_t ipa, uint8_t perms,
			uint32_t flags)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, GUEST2, ipa, LENT_PAGES);

	t.receivers[0].perms = perms;
	t.flags = flags;
	t.tag = TAG;
	return fx_mem_send_ok(f, GUEST1, fid, &t);
}

static uint64_t give(struct fixture *f, enum ffa_mem_type type, uint8_t perms, uint32_t flags)
{
	return give_at(f, send_fid[type], LENT_IPA, perms, flags);
}

/* Guest 2's request for @handle: lender guest 1, tag TAG, itself the only receiver. */
static struct ffa_mem_txn request(uint64_t handle, uint8_t perms, uint32_t flags)
{
	struct ffa_mem_txn r = {.sender = GUEST1, .attributes = FX_MEM_ATTR, .flags = flags,
				.handle = handle, .tag = TAG, .receiver_count = 1};

	r.receivers[0] = (struct ffa_mem_receiver){.id = GUEST2, .perms = perms};
	return r;
}

static struct smccc_regs retrieve(struct fixture *f, ffa_id_t vm, const struct ffa_mem_txn *req)
{
	return fx_mem_retrieve(f, vm, FFA_MEM_RETRIEVE_REQ_64, req);
}

static void rx_release(struct fixture *f, ffa_id_t vm)
{
	assert_ffa_success(fx_call(f, vm, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
}

/* The mediator's transaction with @handle, or NULL. */
static const struct mediator_txn *txn(struct fixture *f, uint64_t handle)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		if (f->m.txns[i].used && f->m.txns[i].desc.handle == handle) {
			return &f->m.txns[i];
		}
	}
	return NULL;
}

/* Guest 2's retrievals of @handle not relinquished. */
static unsigned held(struct fixture *f, uint64_t handle)
{
	const struct mediator_txn *x = txn(f, handle);

	assert_non_null(x);
	return x->retrieved[0];
}

/* Guest 1's two pages at @ipa are @owner's, in @state, tagged @handle. */
#define assert_pages_at(f, ipa, owner, state, handle) \
	fx_mem_assert_pages(f, GUEST1, ipa, LENT_PAGES, owner, state, handle)
#define assert_pages(f, owner, state, handle) assert_pages_at(f, LENT_IPA, owner, state, handle)

/*
 * @r is FFA_MEM_RETRIEVE_RESP_32 with w1 = w2 = the length of the
 * transaction @handle of @type laid out in guest 2's RX in its version:
 * guest 1's LENT pages as PAs, flags bits[4:3] the type, guest 2 owning RX.
 */
static void assert_response(struct fixture *f, struct smccc_regs r, uint64_t handle,
			    enum ffa_mem_type type, uint8_t perms)
{
	uint32_t v = fx_vm(f, GUEST2)->version;
	uint32_t hsize = v >= FFA_VERSION_1_1 ? 48 : 32, esize = v >= FFA_VERSION_1_2 ? 32 : 16;
	uint32_t len = hsize + esize + 16 + 16; /* header, one EMAD, composite, one constituent */
	const uint8_t *rx;
	struct ffa_mem_txn resp;

	fx_assert_retrieve_resp(r, len, len);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	rx = fx_rx(f, GUEST2);
	/* ffa-facts §3.2/3.3: where the version puts the access descriptors. */
	assert_int_equal(fx_rd32(rx + 28), 1);
	if (v >= FFA_VERSION_1_1) {
		assert_int_equal(fx_rd32(rx + 24), esize);
		assert_int_equal(fx_rd32(rx + 32), 48);
	}
	assert_int_equal(fx_rd16(rx + hsize), GUEST2);
	assert_int_equal(fx_rd32(rx + hsize + 4), hsize + esize); /* the composite's offset */
	assert_int_equal(ffa_mem_desc_parse(rx, len, v, false, &resp), FFA_OK);
	assert_int_equal(resp.sender, GUEST1);
	assert_int_equal(resp.handle, handle);
	assert_int_equal(resp.tag, TAG);
	assert_int_equal((resp.flags & FFA_MEM_FLAG_TYPE_MASK) >> FFA_MEM_FLAG_TYPE_SHIFT, type);
	/* As sent, with the NS bit the relayer sets for a v1.1+ borrower. */
	assert_int_equal(resp.attributes, (type == FFA_MEM_TYPE_SHARE ? FX_MEM_ATTR
								  : FX_MEM_ATTR & ~FFA_MEM_ATTR_TYPE_MASK) |
						  (v >= FFA_VERSION_1_1 ? FFA_MEM_ATTR_NS : 0));
	assert_int_equal(resp.receiver_count, 1);
	assert_int_equal(resp.receivers[0].id, GUEST2);
	assert_int_equal(resp.receivers[0].perms, perms);
	assert_int_equal(resp.page_count, LENT_PAGES);
	assert_int_equal(resp.range_count, 1);
	assert_int_equal(resp.ranges[0].address, lent_pa(0));
	assert_int_equal(resp.ranges[0].page_count, LENT_PAGES);
}

/* Guest 1 gives (@type, RW) and guest 2 retrieves once and releases its RX: the handle. */
static uint64_t given_and_held(struct fixture *f, enum ffa_mem_type type)
{
	uint64_t h = give(f, type, RW, 0);
	struct ffa_mem_txn req = request(h, RW, 0);

	assert_response(f, retrieve(f, GUEST2, &req), h, type, RW);
	rx_release(f, GUEST2);
	return h;
}

/* @r is FFA_ERROR(@err) and nothing moved: pages, records, guest 2's RX, its retrievals. */
static void assert_refused(struct fixture *f, struct smccc_regs r, int32_t err,
			   const struct fx_mem_snap *s, uint64_t handle, unsigned retrievals)
{
	assert_ffa_error(r, err);
	fx_mem_assert_unchanged(f, s);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	if (txn(f, handle) != NULL) {
		assert_int_equal(held(f, handle), retrievals);
	}
}

/* assert_refused() of @call in a test with fixture f, snapshot s and handle h. */
#define REFUSED(call, err, n) assert_refused(f, (call), (err), &s, h, (n))

/* Guest 2's retrieve with @req: refused with @err, nothing moved, @h not retrieved. */
static void refuse_retrieve(struct fixture *f, uint64_t h, const struct ffa_mem_txn *req,
			    int32_t err)
{
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(retrieve(f, GUEST2, req), err, 0);
}

/*
 * Guest 1 gives (@type, @perms); guest 2 asks for it with @req, its handle
 * set to the one given: refused with @err, nothing moved. Returns the handle.
 */
static uint64_t give_and_refuse(struct fixture *f, enum ffa_mem_type type, uint8_t perms,
				struct ffa_mem_txn *req, int32_t err)
{
	uint64_t h = give(f, type, perms, 0);

	req->handle = h;
	refuse_retrieve(f, h, req, err);
	return h;
}

/* --- Sending to a VM --- */

/* memory.c header: VM borrowers: the mediator is the relayer; its handle has bit 63 set. */
static void test_ffa_mem_send_to_vm_success_hyp_handle(void **state)
{
	struct fixture *f = *state;
	static const uint32_t fids[] = {FFA_MEM_SHARE_32, FFA_MEM_SHARE_64, FFA_MEM_LEND_32,
					FFA_MEM_LEND_64,  FFA_MEM_DONATE_32, FFA_MEM_DONATE_64};
	uint64_t handles[6];

	for (unsigned i = 0; i < 6; i++) {
		uint64_t ipa = LENT_IPA + i * LENT_PAGES * PAGE;
		enum ffa_mem_type type = ffa_mem_type_of(fids[i]);
		const struct mediator_txn *x;

		handles[i] = give_at(f, fids[i], ipa, RW, 0);
		assert_true(handles[i] & FFA_HANDLE_ALLOCATOR_HYP);
		assert_true(i == 0 || handles[i] != handles[i - 1]);
		assert_pages_at(f, ipa, GUEST1, fx_mem_state_of(fids[i]), handles[i]);
		x = txn(f, handles[i]);
		assert_non_null(x);
		assert_true(x->vm_borrowers);
		assert_int_equal(x->type, type);
		assert_int_equal(x->desc.ranges[0].address, fx_vm_pa(GUEST1, ipa)); /* kept as PAs */
	}
	assert_int_equal(fx_mem_spmc_txns(f), 0); /* nothing went to the SPMC */
	fx_mem_assert_clean(f);
}

/* --- FFA_MEM_RETRIEVE_REQ --- */

/* memory_retrieve.c header: the response in the caller's RX, its version, PAs, bits[4:3] = type. */
static void test_ffa_mem_retrieve_req_32_share_response_in_borrower_version(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_SHARE, RW, 0);
	struct ffa_mem_txn req = request(h, RW, 0);

	assert_response(f, fx_mem_retrieve(f, GUEST2, FFA_MEM_RETRIEVE_REQ_32, &req), h,
			FFA_MEM_TYPE_SHARE, RW);
	assert_int_equal(held(f, h), 1);
	assert_pages(f, GUEST1, MEM_PAGE_SHARED, h);
	fx_mem_assert_clean(f);
}

/* memory_retrieve.c header, as above, for a lend asked with its type in bits[4:3]. */
static void test_ffa_mem_retrieve_req_64_lend_response_in_borrower_version(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_LEND, RO, 0);
	struct ffa_mem_txn req = request(h, RO, FFA_MEM_TYPE_LEND << FFA_MEM_FLAG_TYPE_SHIFT);

	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_LEND, RO);
	assert_int_equal(held(f, h), 1);
	assert_pages(f, GUEST1, MEM_PAGE_LENT, h);
}

/* ffa-facts §2 RX ownership: after MEM_RETRIEVE_RESP the consumer owns RX until FFA_RX_RELEASE. */
static void test_ffa_mem_retrieve_req_rx_not_released_busy(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_LEND, RW, 0);
	struct ffa_mem_txn req = request(h, RW, 0);

	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_LEND, RW);
	assert_ffa_error(retrieve(f, GUEST2, &req), FFA_BUSY);
	assert_int_equal(held(f, h), 1);
	rx_release(f, GUEST2);
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_LEND, RW);
	assert_int_equal(held(f, h), 2);
}

/*
 * memory_retrieve.c header: FFA_MEM_FRAG_RX from a borrower names no
 * fragmented response (the whole response went into RX): INVALID_PARAMETERS,
 * for the handle just retrieved at its end or at 0, and for an unknown one.
 */
static void test_ffa_mem_frag_rx_no_fragmented_response_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_SHARE, RW, 0);
	struct ffa_mem_txn req = request(h, RW, 0);
	struct smccc_regs r = retrieve(f, GUEST2, &req);

	assert_response(f, r, h, FFA_MEM_TYPE_SHARE, RW);
	rx_release(f, GUEST2);
	assert_ffa_error(fx_call(f, GUEST2, FFA_MEM_FRAG_RX_32, (uint32_t)h, (uint32_t)(h >> 32),
				 (uint32_t)r.x[1], 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, GUEST2, FFA_MEM_FRAG_RX_32, (uint32_t)h, (uint32_t)(h >> 32), 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, GUEST2, FFA_MEM_FRAG_RX_32, (uint32_t)(h + 1), (uint32_t)(h >> 32),
				 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(held(f, h), 1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* memory_retrieve.c header: it must name a transaction the mediator runs (INVALID_PARAMETERS). */
static void test_ffa_mem_retrieve_req_unknown_handle_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_SHARE, RW, 0);
	struct ffa_mem_txn req = request(h + 1, RW, 0);

	refuse_retrieve(f, h, &req, FFA_INVALID_PARAMETERS);
	req.handle = 1;
	refuse_retrieve(f, h, &req, FFA_INVALID_PARAMETERS);
}

/* memory_retrieve.c header: a partition's transaction is the SPMC's, not ours: INVALID. */
static void test_ffa_mem_retrieve_req_partition_handle_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, LENT_IPA, LENT_PAGES);
	uint64_t h;
	struct ffa_mem_txn req;

	t.tag = TAG;
	h = fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &t);
	assert_int_equal(h & FFA_HANDLE_ALLOCATOR_HYP, 0);
	req = request(h, RW, 0);
	refuse_retrieve(f, h, &req, FFA_INVALID_PARAMETERS);
	req.receivers[0].id = SP1; /* not even in the partition's name */
	refuse_retrieve(f, h, &req, FFA_INVALID_PARAMETERS);
}

/* memory_retrieve.c header: the request names the transaction's lender (DENIED, as a send's sender). */
static void test_ffa_mem_retrieve_req_wrong_sender_denied(void **state)
{
	struct ffa_mem_txn req = request(0, RW, 0);

	req.sender = HOST;
	give_and_refuse(*state, FFA_MEM_TYPE_SHARE, RW, &req, FFA_DENIED);
}

/*
 * memory_retrieve.c header (the compliance suite's relinquish_state_machine_3,
 * mem_security_state_ns_bit_retrieve_check): the NS bit is the Relayer's
 * (INVALID_PARAMETERS); zero after relinquish (flags bit 2) is a lend's, not
 * a read-only borrower's (DENIED), and zeroes the pages at its relinquish.
 */
static void test_ffa_mem_retrieve_req_ns_bit_and_zero_after_relinquish(void **state)
{
	struct fixture *f = *state;
	uint8_t *pages = mem_map(&f->mem, lent_pa(0), LENT_PAGES, GUEST1, MEM_PAGE_PRIVATE);
	uint8_t zero[LENT_PAGES * FFA_PAGE_SIZE] = {0};
	struct ffa_mem_txn req = request(0, RO, FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH);
	uint64_t h;

	assert_non_null(pages);
	fx_pattern(pages, sizeof(zero), 0x5A);
	h = give_and_refuse(f, FFA_MEM_TYPE_LEND, RW, &req, FFA_DENIED);
	req = request(h, RW, 0);
	req.attributes |= FFA_MEM_ATTR_NS;
	refuse_retrieve(f, h, &req, FFA_INVALID_PARAMETERS);
	req = request(h, RW, FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH);
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_LEND, RW);
	fx_assert_pattern(pages, sizeof(zero), 0x5A);
	assert_ffa_success(fx_mem_relinquish(f, GUEST2, h, 0, GUEST2));
	assert_memory_equal(pages, zero, sizeof(zero));
}

/* memory_retrieve.c header: the request names the transaction's tag (INVALID_PARAMETERS). */
static void test_ffa_mem_retrieve_req_wrong_tag_invalid(void **state)
{
	struct ffa_mem_txn req = request(0, RW, 0);

	req.tag = TAG + 1;
	give_and_refuse(*state, FFA_MEM_TYPE_LEND, RW, &req, FFA_INVALID_PARAMETERS);
}

/* memory_retrieve.c header: the caller as the request's only receiver (INVALID_PARAMETERS). */
static void test_ffa_mem_retrieve_req_two_receivers_invalid(void **state)
{
	struct ffa_mem_txn req = request(0, RW, 0);

	req.receivers[1] = (struct ffa_mem_receiver){.id = HOST, .perms = RW};
	req.receiver_count = 2;
	give_and_refuse(*state, FFA_MEM_TYPE_SHARE, RW, &req, FFA_INVALID_PARAMETERS);
}

/* memory_retrieve.c header: the receiver must be the caller (INVALID_PARAMETERS). */
static void test_ffa_mem_retrieve_req_other_receiver_invalid(void **state)
{
	struct ffa_mem_txn req = request(0, RW, 0);

	req.receivers[0].id = HOST;
	give_and_refuse(*state, FFA_MEM_TYPE_SHARE, RW, &req, FFA_INVALID_PARAMETERS);
}

/* ffa-facts §3.4 / memory_retrieve.c header: bits[4:3] zero or the transaction's type. */
static void test_ffa_mem_retrieve_req_other_type_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn req = request(0, RW, FFA_MEM_TYPE_LEND << FFA_MEM_FLAG_TYPE_SHIFT);
	uint64_t h = give_and_refuse(f, FFA_MEM_TYPE_SHARE, RW, &req, FFA_INVALID_PARAMETERS);

	req.flags = FFA_MEM_TYPE_DONATE << FFA_MEM_FLAG_TYPE_SHIFT;
	refuse_retrieve(f, h, &req, FFA_INVALID_PARAMETERS);
	req.flags = FFA_MEM_TYPE_SHARE << FFA_MEM_FLAG_TYPE_SHIFT;
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_SHARE, RW);
}

/* ffa-facts §3.4 flags bit 0: zero memory is invalid for a share. */
static void test_ffa_mem_retrieve_req_zero_flag_on_share_invalid(void **state)
{
	struct ffa_mem_txn req = request(0, RW, FFA_MEM_FLAG_ZERO_MEMORY);

	give_and_refuse(*state, FFA_MEM_TYPE_SHARE, RW, &req, FFA_INVALID_PARAMETERS);
}

/* memory_retrieve.c header: the caller must be one of the transaction's borrowers (DENIED). */
static void test_ffa_mem_retrieve_req_not_a_borrower_denied(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_LEND, RW, 0);
	struct fx_mem_snap s;
	struct ffa_mem_txn req = request(h, RW, 0);

	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_map_rxtx(f, HOST);
	fx_mem_snap_take(f, &s);
	req.receivers[0].id = HOST;
	assert_ffa_error(retrieve(f, HOST, &req), FFA_DENIED);
	assert_int_equal(fx_mailbox(f, HOST)->rx, MAILBOX_RX_FREE);
	req.receivers[0].id = GUEST1; /* the lender itself */
	assert_ffa_error(retrieve(f, GUEST1, &req), FFA_DENIED);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	fx_mem_assert_unchanged(f, &s);
	assert_int_equal(held(f, h), 0);
}

/* memory_retrieve.c header: no more access than it was given (DENIED): RW of an RO grant. */
static void test_ffa_mem_retrieve_req_rw_when_ro_granted_denied(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn req = request(0, RW | NX, 0);
	uint64_t h = give_and_refuse(f, FFA_MEM_TYPE_SHARE, RO, &req, FFA_DENIED);

	req.receivers[0].perms = RO | NX;
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_SHARE, RO | NX);
}

/* ffa-facts §2 MEM_RETRIEVE_REQ: w1 = w2 (one fragment) within TX, x3 = 0, w4 = 0. */
static void test_ffa_mem_retrieve_req_bad_registers_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_SHARE, RW, 0);
	struct fx_mem_snap s;
	struct ffa_mem_txn req = request(h, RW, 0);
	uint32_t len = fx_mem_retrieve_write(f, GUEST2, &req);
	uint32_t fid = FFA_MEM_RETRIEVE_REQ_64;

	fx_mem_snap_take(f, &s);
	REFUSED(fx_call(f, GUEST2, fid, PAGE + 1, PAGE + 1, 0, 0, 0), FFA_INVALID_PARAMETERS, 0);
	REFUSED(fx_call(f, GUEST2, fid, len, len - 1, 0, 0, 0), FFA_INVALID_PARAMETERS, 0);
	REFUSED(fx_call(f, GUEST2, fid, len + 16, len, 0, 0, 0), FFA_INVALID_PARAMETERS, 0);
	REFUSED(fx_call(f, GUEST2, fid, len, len, VM_IPA, 0, 0), FFA_INVALID_PARAMETERS, 0);
	REFUSED(fx_call(f, GUEST2, fid, len, len, 0, 1, 0), FFA_INVALID_PARAMETERS, 0);
	REFUSED(fx_call(f, GUEST2, fid, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS, 0);
	assert_response(f, fx_call(f, GUEST2, fid, len, len, 0, 0, 0), h, FFA_MEM_TYPE_SHARE, RW);
}

/* memory_retrieve.c header: a lend with the zero-memory flag is zeroed at its first retrieval. */
static void test_ffa_mem_retrieve_req_lend_zero_flag_zeroes_first_retrieval(void **state)
{
	struct fixture *f = *state;
	uint8_t *pages = mem_map(&f->mem, lent_pa(0), LENT_PAGES, GUEST1, MEM_PAGE_PRIVATE);
	uint8_t zero[LENT_PAGES * FFA_PAGE_SIZE] = {0};
	uint64_t h;
	struct ffa_mem_txn req;

	assert_non_null(pages);
	fx_pattern(pages, sizeof(zero), 0x5A);
	h = give(f, FFA_MEM_TYPE_LEND, RW, FFA_MEM_FLAG_ZERO_MEMORY);
	fx_assert_pattern(pages, sizeof(zero), 0x5A); /* not at the send */
	req = request(h, RW, 0);
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_LEND, RW);
	assert_memory_equal(pages, zero, sizeof(zero));
	/* What the borrower writes survives its next retrieval. */
	fx_pattern(pages, sizeof(zero), 0x77);
	rx_release(f, GUEST2);
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_LEND, RW);
	fx_assert_pattern(pages, sizeof(zero), 0x77);
}

/*
 * DEN0077A v1.2 data access usage (Hafnium ffa_memory_retrieve): a donor
 * leaves data access unspecified and the borrower names it: RW is granted.
 */
static void test_ffa_mem_retrieve_req_donate_unspecified_access_rw_granted(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_DONATE, 0, 0);
	struct ffa_mem_txn req = request(h, RW, 0);
	struct smccc_regs r = retrieve(f, GUEST2, &req);

	if (r.x[0] != FFA_MEM_RETRIEVE_RESP_32) {
		fail_msg("donation with unspecified access, RW asked: x0=%#llx x2=%#llx",
			 (unsigned long long)r.x[0], (unsigned long long)r.x[2]);
	}
	assert_pages(f, GUEST2, MEM_PAGE_PRIVATE, 0);
}

/*
 * DEN0077A v1.1 §10.10.3 (Hafnium ffa_memory_send_validate: "NX is required
 * for share operations"): a borrower asking X of a share is DENIED.
 */
static void test_ffa_mem_retrieve_req_execute_on_share_denied(void **state)
{
	struct ffa_mem_txn req = request(0, RW | X, 0);

	/* Given RW, instruction access not specified. */
	give_and_refuse(*state, FFA_MEM_TYPE_SHARE, RW, &req, FFA_DENIED);
}

/*
 * Hafnium ffa_memory_retrieve ("Borrower needs memory cleared. Sender needs
 * to set flag"): zeroing asked by the borrower of a lend whose lender did not
 * set the flag is DENIED, never a response over memory left as it was.
 */
static void test_ffa_mem_retrieve_req_zero_flag_lender_did_not_set_denied(void **state)
{
	struct fixture *f = *state;
	uint8_t *pages = mem_map(&f->mem, lent_pa(0), LENT_PAGES, GUEST1, MEM_PAGE_PRIVATE);
	struct ffa_mem_txn req = request(0, RW, FFA_MEM_FLAG_ZERO_MEMORY);

	assert_non_null(pages);
	fx_pattern(pages, LENT_PAGES * FFA_PAGE_SIZE, 0x33);
	give_and_refuse(f, FFA_MEM_TYPE_LEND, RW, &req, FFA_DENIED);
	fx_assert_pattern(pages, LENT_PAGES * FFA_PAGE_SIZE, 0x33);
}

/* memory_retrieve.c header: a retrieved donation makes the caller the owner and ends it. */
static void test_ffa_mem_retrieve_req_donate_makes_borrower_owner(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_DONATE, RW, 0);
	struct ffa_mem_txn req = request(h, RW, 0);

	assert_pages(f, GUEST1, MEM_PAGE_DONATED, h);
	assert_response(f, retrieve(f, GUEST2, &req), h, FFA_MEM_TYPE_DONATE, RW);
	assert_pages(f, GUEST2, MEM_PAGE_PRIVATE, 0);
	assert_null(txn(f, h));
	assert_int_equal(fx_mem_mediator_txns(f), 0);
	/* memory.c header: an unknown handle is INVALID_PARAMETERS. */
	assert_ffa_error(fx_mem_reclaim(f, GUEST1, h, 0), FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_mem_relinquish(f, GUEST2, h, 0, GUEST2), FFA_INVALID_PARAMETERS);
	assert_pages(f, GUEST2, MEM_PAGE_PRIVATE, 0);
	fx_mem_assert_clean(f);
}

/* --- FFA_MEM_RELINQUISH and FFA_MEM_RECLAIM --- */

/* memory_retrieve.c/memory.c headers: relinquish ends the hold; reclaim returns the pages. */
static void test_ffa_mem_relinquish_then_reclaim_success(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_LEND);
	struct smccc_regs r = fx_mem_relinquish(f, GUEST2, h, 0, GUEST2);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	assert_int_equal(held(f, h), 0);
	assert_pages(f, GUEST1, MEM_PAGE_LENT, h);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_pages(f, GUEST1, MEM_PAGE_PRIVATE, 0);
	assert_null(txn(f, h));
	fx_mem_assert_clean(f);
}

/* memory_retrieve.c header: the caller must hold a retrieval of the transaction (DENIED). */
static void test_ffa_mem_relinquish_without_retrieval_denied(void **state)
{
	struct fixture *f = *state;
	uint64_t h = give(f, FFA_MEM_TYPE_LEND, RW, 0);
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(fx_mem_relinquish(f, GUEST2, h, 0, GUEST2), FFA_DENIED, 0);
}

/* Hafnium ffa_memory_relinquish / memory_retrieve.c header: the endpoint count is 1. */
static void test_ffa_mem_relinquish_endpoint_count_not_one_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_LEND);
	struct ffa_mem_relinquish d = {.handle = h};
	const uint16_t ids[2] = {GUEST2, GUEST2};
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	for (uint32_t count = 0; count <= 2; count += 2) {
		uint8_t *tx = fx_tx(f, GUEST2);

		d.endpoint_count = count;
		memcpy(tx, &d, sizeof(d));
		memcpy(tx + sizeof(d), ids, sizeof(ids));
		REFUSED(fx_call(f, GUEST2, FFA_MEM_RELINQUISH_32, 0, 0, 0, 0, 0),
			FFA_INVALID_PARAMETERS, 1);
	}
}

/* Hafnium ffa_memory_relinquish / memory_retrieve.c header: the ID is the caller's. */
static void test_ffa_mem_relinquish_other_endpoint_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_LEND);
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(fx_mem_relinquish(f, GUEST2, h, 0, GUEST1), FFA_INVALID_PARAMETERS, 1);
	REFUSED(fx_mem_relinquish(f, GUEST2, h, 0, HOST), FFA_INVALID_PARAMETERS, 1);
}

/* memory_retrieve.c header: flags bit 0 is the only one that may be set. */
static void test_ffa_mem_relinquish_unknown_flags_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_LEND);
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(fx_mem_relinquish(f, GUEST2, h, 1U << 4, GUEST2), FFA_INVALID_PARAMETERS, 1);
	REFUSED(fx_mem_relinquish(f, GUEST2, h, 1U << 31, GUEST2), FFA_INVALID_PARAMETERS, 1);
}

/* Hafnium ffa_memory_relinquish ("memory which was shared can't be cleared"): INVALID. */
static void test_ffa_mem_relinquish_zero_flag_on_share_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_SHARE);
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(fx_mem_relinquish(f, GUEST2, h, FFA_MEM_FLAG_ZERO_MEMORY, GUEST2),
		FFA_INVALID_PARAMETERS, 1);
	assert_ffa_success(fx_mem_relinquish(f, GUEST2, h, 0, GUEST2));
	assert_int_equal(held(f, h), 0);
}

/* memory_retrieve.c header: flags bit 0 on a lend zeroes the memory after relinquish. */
static void test_ffa_mem_relinquish_lend_zero_flag_zeroes(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_LEND);
	uint8_t *pages = mem_map(&f->mem, lent_pa(0), LENT_PAGES, GUEST1, MEM_PAGE_LENT);
	uint8_t zero[LENT_PAGES * FFA_PAGE_SIZE] = {0};

	assert_non_null(pages);
	fx_pattern(pages, sizeof(zero), 0x21); /* the borrower's secrets */
	assert_ffa_success(fx_mem_relinquish(f, GUEST2, h, FFA_MEM_FLAG_ZERO_MEMORY, GUEST2));
	assert_memory_equal(pages, zero, sizeof(zero));
}

/* memory.c header: a borrower still holding the memory makes the reclaim DENIED. */
static void test_ffa_mem_reclaim_while_borrowed_denied(void **state)
{
	struct fixture *f = *state;
	uint64_t h = given_and_held(f, FFA_MEM_TYPE_LEND);

	assert_ffa_error(fx_mem_reclaim(f, GUEST1, h, 0), FFA_DENIED);
	assert_pages(f, GUEST1, MEM_PAGE_LENT, h);
	assert_int_equal(held(f, h), 1);
	assert_ffa_success(fx_mem_relinquish(f, GUEST2, h, 0, GUEST2));
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_pages(f, GUEST1, MEM_PAGE_PRIVATE, 0);
	assert_null(txn(f, h));
}

/* --- Profiles without VM borrowers --- */

/*
 * A @profile machine, @lender at v1.2 with a pair (@borrower too if
 * @borrower_mapped), answering both ways a hypervisor without VM borrowers
 * does: the receiver, and the borrower's ABIs.
 */
static struct fixture *no_vm_borrowers(enum mediator_profile profile, ffa_id_t lender,
				       ffa_id_t borrower, bool borrower_mapped)
{
	struct fixture *f = fixture_profile(profile);
	struct ffa_mem_txn t = fx_mem_txn(lender, borrower, LENT_IPA, LENT_PAGES);
	struct ffa_mem_txn req = request(1ULL | FFA_HANDLE_ALLOCATOR_HYP, RW, 0);

	fx_negotiate(f, lender, FFA_VERSION_1_2);
	fx_map_rxtx(f, lender);
	if (borrower_mapped) {
		fx_negotiate(f, borrower, FFA_VERSION_1_2);
		fx_map_rxtx(f, borrower);
	}
	/* memory.c header: VM receivers only where the policy has VM borrowers. */
	assert_ffa_error(fx_mem_send(f, lender, FFA_MEM_SHARE_64, &t), FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_mem_send(f, lender, FFA_MEM_LEND_32, &t), FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_mem_send(f, lender, FFA_MEM_DONATE_64, &t), FFA_INVALID_PARAMETERS);
	for (uint32_t i = 0; i < LENT_PAGES; i++) {
		assert_int_equal(fx_page_state(f, fx_vm_pa(lender, LENT_IPA + i * PAGE), lender),
				 MEM_PAGE_PRIVATE);
	}
	assert_int_equal(fx_mem_mediator_txns(f), 0);
	/* dispatch.c header: RETRIEVE_REQ and RELINQUISH only with VM borrowers. */
	req.receivers[0].id = lender;
	assert_ffa_error(fx_mem_retrieve(f, lender, FFA_MEM_RETRIEVE_REQ_32, &req), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_mem_retrieve(f, lender, FFA_MEM_RETRIEVE_REQ_64, &req), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_mem_relinquish(f, lender, 1, 0, lender), FFA_NOT_SUPPORTED);
	fx_mem_assert_clean(f);
	return f;
}

/* mediator.h: vm_borrowers only in the spec profile; pKVM's host cannot lend to a guest. */
static void test_ffa_mem_send_to_vm_pkvm_invalid(void **state)
{
	(void)state;
	fixture_free(no_vm_borrowers(MEDIATOR_PROFILE_PKVM, HOST, GUEST1, false));
}

/* mediator.h: vm_borrowers only in the spec profile; Xen's guests cannot lend to each other. */
static void test_ffa_mem_send_to_vm_xen_invalid(void **state)
{
	struct fixture *f = no_vm_borrowers(MEDIATOR_PROFILE_XEN, GUEST1, GUEST2, true);

	(void)state;
	/* Guest 2, a would-be borrower, has no borrower's ABIs either. */
	assert_ffa_error(fx_mem_relinquish(f, GUEST2, 1, 0, GUEST2), FFA_NOT_SUPPORTED);
	fixture_free(f);
}

/* spmc.h spmc_isolation_check(): pages under a hypervisor handle (bit 63) are not the SPMC's. */
static void test_spmc_isolation_ignores_vm_transactions(void **state)
{
	struct fixture *f = *state;
	uint64_t lend = give(f, FFA_MEM_TYPE_LEND, RW, 0);
	uint64_t share = give_at(f, FFA_MEM_SHARE_32, LENT_IPA + 2 * PAGE, RW, 0);
	uint64_t donate = give_at(f, FFA_MEM_DONATE_64, LENT_IPA + 4 * PAGE, RW, 0);
	struct ffa_mem_txn req = request(lend, RW, 0);
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, LENT_IPA + 6 * PAGE, 1);
	char why[160] = "";

	assert_response(f, retrieve(f, GUEST2, &req), lend, FFA_MEM_TYPE_LEND, RW);
	assert_true(share & donate & FFA_HANDLE_ALLOCATOR_HYP);
	assert_true(spmc_isolation_check(&f->spmc, why, sizeof(why)));
	/* A share to a partition makes the SPMC run its oracle over every page. */
	assert_int_equal(fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &t) & FFA_HANDLE_ALLOCATOR_HYP, 0);
	fx_mem_assert_clean(f);
}

/* --- The mediator's own limits --- */

/*
 * memory.c header (limits: MEDIATOR_MEM_DESC_MAX) and memory_retrieve.c
 * ("the only read of the request"): a request as long as a 3-page TX (12K,
 * more than the mediator's 8K descriptor buffer) is refused, never copied.
 */
static void test_ffa_mem_retrieve_req_longer_than_mediator_buffer_refused(void **state)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;
	uint64_t h;
	struct ffa_mem_txn req;
	struct smccc_regs r;
	uint32_t len = 3 * FFA_PAGE_SIZE;

	(void)state;
	cfg.rxtx_max_pages = 3;
	f = fixture_with(&cfg);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + len, 3, 0, 0));
	h = give(f, FFA_MEM_TYPE_SHARE, RW, 0);
	req = request(h, RW, 0);
	fx_mem_retrieve_write(f, GUEST2, &req);
	r = fx_call(f, GUEST2, FFA_MEM_RETRIEVE_REQ_64, len, len, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_ERROR_32);
	assert_true(r.x[2] == (uint32_t)FFA_NO_MEMORY || r.x[2] == (uint32_t)FFA_INVALID_PARAMETERS);
	assert_int_equal(held(f, h), 0);
	fixture_free(f);
}

#define V12(fn) cmocka_unit_test_prestate_setup_teardown(fn, borrower_setup, fixture_teardown, \
							  &fx_version_1_2)
#define VALL(fn)                                                                      \
	{#fn " (v1.0 borrower)", fn, borrower_setup, fixture_teardown, &fx_version_1_0}, \
	{#fn " (v1.1 borrower)", fn, borrower_setup, fixture_teardown, &fx_version_1_1}, \
	{#fn " (v1.2 borrower)", fn, borrower_setup, fixture_teardown, &fx_version_1_2}
#define OWN(fn) cmocka_unit_test_teardown(fn, fixture_teardown_leftover)

int main(void)
{
	const struct CMUnitTest tests[] = {
		V12(test_ffa_mem_send_to_vm_success_hyp_handle),
		VALL(test_ffa_mem_retrieve_req_32_share_response_in_borrower_version),
		VALL(test_ffa_mem_retrieve_req_64_lend_response_in_borrower_version),
		VALL(test_ffa_mem_retrieve_req_donate_makes_borrower_owner),
		V12(test_ffa_mem_retrieve_req_rx_not_released_busy),
		V12(test_ffa_mem_retrieve_req_unknown_handle_invalid),
		V12(test_ffa_mem_frag_rx_no_fragmented_response_invalid),
		V12(test_ffa_mem_retrieve_req_partition_handle_invalid),
		V12(test_ffa_mem_retrieve_req_wrong_sender_denied),
		V12(test_ffa_mem_retrieve_req_ns_bit_and_zero_after_relinquish),
		V12(test_ffa_mem_retrieve_req_wrong_tag_invalid),
		VALL(test_ffa_mem_retrieve_req_two_receivers_invalid),
		V12(test_ffa_mem_retrieve_req_other_receiver_invalid),
		V12(test_ffa_mem_retrieve_req_other_type_invalid),
		V12(test_ffa_mem_retrieve_req_zero_flag_on_share_invalid),
		V12(test_ffa_mem_retrieve_req_not_a_borrower_denied),
		V12(test_ffa_mem_retrieve_req_rw_when_ro_granted_denied),
		V12(test_ffa_mem_retrieve_req_bad_registers_invalid),
		V12(test_ffa_mem_retrieve_req_lend_zero_flag_zeroes_first_retrieval),
		V12(test_ffa_mem_retrieve_req_donate_unspecified_access_rw_granted),
		V12(test_ffa_mem_retrieve_req_execute_on_share_denied),
		V12(test_ffa_mem_retrieve_req_zero_flag_lender_did_not_set_denied),
		V12(test_ffa_mem_relinquish_then_reclaim_success),
		V12(test_ffa_mem_relinquish_without_retrieval_denied),
		V12(test_ffa_mem_relinquish_endpoint_count_not_one_invalid),
		V12(test_ffa_mem_relinquish_other_endpoint_invalid),
		V12(test_ffa_mem_relinquish_unknown_flags_invalid),
		V12(test_ffa_mem_relinquish_zero_flag_on_share_invalid),
		V12(test_ffa_mem_relinquish_lend_zero_flag_zeroes),
		V12(test_ffa_mem_reclaim_while_borrowed_denied),
		OWN(test_ffa_mem_send_to_vm_pkvm_invalid),
		OWN(test_ffa_mem_send_to_vm_xen_invalid),
		V12(test_spmc_isolation_ignores_vm_transactions),
		/* Last: without the fix it overflows a stack buffer and ASan ends the run. */
		OWN(test_ffa_mem_retrieve_req_longer_than_mediator_buffer_refused),
	};

	return cmocka_run_group_tests_name("memory_vm", tests, NULL, NULL);
}
