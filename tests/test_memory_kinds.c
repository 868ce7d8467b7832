/*
 * What a page is limits what may be sent of it (mediator/src/memory.c
 * check_kinds(), its reading of DEN0077A v1.2 and the compliance suite's
 * checks; memory_retrieve.c for the borrower's side): each VM's window ends
 * with a read-only page (VM_RO_PAGE) and a device page (VM_DEVICE_PAGE).
 *   read-only (the owner's access): no zero-memory flag and no write access
 *     for a borrower in a send, no zeroing at reclaim (DENIED); a donation
 *     makes it the new owner's RAM;
 *   device: never to a partition, never donated, never by a v1.0 caller
 *     (DENIED); a v1.1+ VM may lend or share it to another VM.
 * A refused call moves nothing.
 */
#include "memory_vm_fx.h"

#define RO_IPA (VM_IPA + VM_RO_PAGE * PAGE)
#define DEVICE_IPA (VM_IPA + VM_DEVICE_PAGE * PAGE)

/* Guest 1's send (@fid) of the page at @ipa to @to with @perms and @flags: refused with @err, nothing moved. */
static void refuse_send(struct fixture *f, uint32_t fid, uint64_t ipa, ffa_id_t to, uint8_t perms,
			uint32_t flags, int32_t err)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, to, ipa, 1);
	struct fx_mem_snap s;

	t.receivers[0].perms = perms;
	t.flags = flags;
	fx_mem_attributes_for(&t, fid);
	fx_mem_snap_take(f, &s);
	assert_ffa_error(fx_mem_send(f, GUEST1, fid, &t), err);
	fx_mem_assert_unchanged(f, &s);
}

/* Guest 1's send (@fid) of the page at @ipa to guest 2 with @perms and TAG, no flags: the handle. */
static uint64_t send_page(struct fixture *f, uint32_t fid, uint64_t ipa, uint8_t perms)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, GUEST2, ipa, 1);

	t.receivers[0].perms = perms;
	t.tag = TAG;
	fx_mem_attributes_for(&t, fid);
	return fx_mem_send_ok(f, GUEST1, fid, &t);
}

/* The ACS's lend/share/donate_input_error_checks4/2/4: the owner cannot give what it does not have. */
static void test_kinds_read_only_send_zero_or_write_denied(void **state)
{
	struct fixture *f = *state;

	refuse_send(f, FFA_MEM_SHARE_64, RO_IPA, GUEST2, RW, 0, FFA_DENIED);
	refuse_send(f, FFA_MEM_LEND_32, RO_IPA, GUEST2, RW, 0, FFA_DENIED);
	refuse_send(f, FFA_MEM_SHARE_64, RO_IPA, SP1, RW, 0, FFA_DENIED);
	refuse_send(f, FFA_MEM_LEND_64, RO_IPA, GUEST2, RO, FFA_MEM_FLAG_ZERO_MEMORY, FFA_DENIED);
	refuse_send(f, FFA_MEM_DONATE_64, RO_IPA, GUEST2, 0, FFA_MEM_FLAG_ZERO_MEMORY, FFA_DENIED);
	/* The same page with the same flags in RAM goes: it is the page that is refused. */
	fx_mem_assert_clean(f);
	assert_int_not_equal(send_page(f, FFA_MEM_LEND_64, VM_IPA + 4 * PAGE, RW), 0);
}

/* A read-only lend goes; its reclaim may not zero the page (DENIED), then reclaims. */
static void test_kinds_read_only_lend_reclaim_zero_denied(void **state)
{
	struct fixture *f = *state;
	uint64_t h = send_page(f, FFA_MEM_LEND_64, RO_IPA, RO);

	fx_mem_assert_pages(f, GUEST1, RO_IPA, 1, GUEST1, MEM_PAGE_LENT, h);
	assert_ffa_error(fx_mem_reclaim(f, GUEST1, h, FFA_MEM_FLAG_ZERO_MEMORY), FFA_DENIED);
	fx_mem_assert_pages(f, GUEST1, RO_IPA, 1, GUEST1, MEM_PAGE_LENT, h);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	fx_mem_assert_pages(f, GUEST1, RO_IPA, 1, GUEST1, MEM_PAGE_PRIVATE, 0);
}

/*
 * The ACS's donate_retrieve_input_checks5: a donated read-only page is
 * retrieved read-write (read-only was the lender's access), never zeroed
 * (the lender could not ask for it: DENIED), and is the borrower's RAM.
 */
static void test_kinds_read_only_donation_retrieved(void **state)
{
	struct fixture *f = *state;
	uint64_t h = send_page(f, FFA_MEM_DONATE_64, RO_IPA, 0);
	struct ffa_mem_txn req = request(h, RW, FFA_MEM_FLAG_ZERO_MEMORY);
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(retrieve(f, GUEST2, &req), FFA_DENIED, 0);
	req = request(h, RW, 0);
	fx_assert_retrieve_resp(retrieve(f, GUEST2, &req), 112, 112);
	rx_release(f, GUEST2);
	fx_mem_assert_pages(f, GUEST1, RO_IPA, 1, GUEST2, MEM_PAGE_PRIVATE, 0);
	assert_int_equal(fx_mem_page(f, fx_vm_pa(GUEST1, RO_IPA))->kind, MEM_KIND_RAM);
}

/* The ACS's *_input_error_checks MMIO checks: a device page never to a partition, never donated. */
static void test_kinds_device_to_partition_or_donated_denied(void **state)
{
	struct fixture *f = *state;

	refuse_send(f, FFA_MEM_SHARE_64, DEVICE_IPA, SP1, RW, 0, FFA_DENIED);
	refuse_send(f, FFA_MEM_LEND_32, DEVICE_IPA, SP1, RW, 0, FFA_DENIED);
	refuse_send(f, FFA_MEM_DONATE_64, DEVICE_IPA, GUEST2, 0, 0, FFA_DENIED);
	fx_mem_assert_clean(f);
}

/* The ACS's v1.1 mem_share_mmio and mem_lend_mmio: a v1.2 VM lends or shares its device to a VM. */
static void test_kinds_device_to_vm_allowed(void **state)
{
	struct fixture *f = *state;
	uint64_t h = send_page(f, FFA_MEM_SHARE_64, DEVICE_IPA, RW);

	fx_mem_assert_pages(f, GUEST1, DEVICE_IPA, 1, GUEST1, MEM_PAGE_SHARED, h);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	h = send_page(f, FFA_MEM_LEND_64, DEVICE_IPA, RW);
	fx_mem_assert_pages(f, GUEST1, DEVICE_IPA, 1, GUEST1, MEM_PAGE_LENT, h);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
}

/* FF-A v1.0 grants no access to a device region at run time: a v1.0 lender's lend DENIED. */
static void test_kinds_device_v1_0_lender_denied(void **state)
{
	struct fixture *f = fixture_mailboxes(FFA_VERSION_1_0, FFA_VERSION_1_2);

	(void)state;
	refuse_send(f, FFA_MEM_LEND_64, DEVICE_IPA, GUEST2, RW, 0, FFA_DENIED);
	refuse_send(f, FFA_MEM_SHARE_32, DEVICE_IPA, GUEST2, RW, 0, FFA_DENIED);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		V12(test_kinds_read_only_send_zero_or_write_denied),
		V12(test_kinds_read_only_lend_reclaim_zero_denied),
		V12(test_kinds_read_only_donation_retrieved),
		V12(test_kinds_device_to_partition_or_donated_denied),
		V12(test_kinds_device_to_vm_allowed),
		OWN(test_kinds_device_v1_0_lender_denied),
	};

	return cmocka_run_group_tests_name("test_memory_kinds", tests, NULL, NULL);
}
