/*
 * VM-to-VM memory transactions with VM borrowers, the end of a borrowing
 * (mediator/src/memory_retrieve.c FFA_MEM_RELINQUISH, memory.c
 * FFA_MEM_RECLAIM; DEN0077A v1.2 "Memory management"), the profiles without
 * VM borrowers and the mediator's own limits; the send and the retrieve are
 * tests/test_memory_vm.c's.
 */
#include "memory_vm_fx.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
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

	return cmocka_run_group_tests_name("memory_vm_relinquish", tests, NULL, NULL);
}
