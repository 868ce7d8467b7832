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
#include "memory_vm_fx.h"

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

/*
 * The compliance suite's share_device_attr and share_device_attr1: a
 * Borrower may strengthen the memory type the Sender gave (Device-nGnRnE <
 * nGnRE < nGRE < GRE < Normal), never weaken it (DENIED).
 */
static void test_ffa_mem_retrieve_req_device_type_precedence(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, GUEST2, LENT_IPA, LENT_PAGES), req;
	uint64_t h;

	t.attributes = FFA_MEM_ATTR_TYPE_DEVICE | 1U << FFA_MEM_ATTR_CACHEABILITY_SHIFT; /* nGnRE */
	t.tag = TAG;
	h = fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &t);
	req = request(h, RW, 0);
	req.attributes = FFA_MEM_ATTR_TYPE_DEVICE | 2U << FFA_MEM_ATTR_CACHEABILITY_SHIFT; /* nGRE */
	refuse_retrieve(f, h, &req, FFA_DENIED);
	req.attributes = FX_MEM_ATTR; /* Normal */
	refuse_retrieve(f, h, &req, FFA_DENIED);
	req.attributes = FFA_MEM_ATTR_TYPE_DEVICE; /* nGnRnE */
	fx_assert_retrieve_resp(retrieve(f, GUEST2, &req), 112, 112);
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
		V12(test_ffa_mem_retrieve_req_device_type_precedence),
	};

	return cmocka_run_group_tests_name("memory_vm", tests, NULL, NULL);
}
