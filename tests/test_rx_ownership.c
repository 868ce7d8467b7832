/*
 * FFA_RXTX_UNMAP, FFA_RX_RELEASE and the RX buffer ownership state machine
 * (mediator/inc/mediator/mailbox.h) seen from a VM, and FFA_RX_ACQUIRE being
 * hypervisor-only. Sources: DEN0077A v1.2 chapter 13 (FFA_RXTX_UNMAP,
 * FFA_RX_RELEASE, FFA_RX_ACQUIRE), ffa-facts.md §2 and §5.3, Xen X15.
 */
#include "fixture.h"

#include <string.h>

/* --- FFA_RXTX_UNMAP --- */

/* ACS ffa_rxtx_map_and_unmap: unmap with nothing mapped -> INVALID_PARAMETERS. */
static void test_rxtx_unmap_not_mapped_invalid(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	/* And again after a map/unmap pair. */
	fx_map_rxtx(f, GUEST1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
}

/* ffa-facts.md §2 (Hafnium api_ffa_rxtx_unmap): w1 != 0 at a virtual instance -> INVALID_PARAMETERS. */
static void test_rxtx_unmap_w1_nonzero_invalid(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	/* The VM's own ID in w1[31:16], another VM's, and MBZ bits[15:0]. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, (uint64_t)GUEST1 << 16, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, (uint64_t)GUEST2 << 16, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 1, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_true(fx_mailbox(f, GUEST1)->mapped);
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA), GUEST1), MEM_PAGE_MAILBOX);
	/* Upper half of x1 is not w1 (SMC32): ignored. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0xFFFFFFFF00000000ULL, 0, 0, 0, 0));
	assert_false(fx_mailbox(f, GUEST1)->mapped);
}

/* Xen X15 (fix 309e8edfe3): unmap while the VM owns its RX -> DENIED; after RX_RELEASE it succeeds. */
static void test_rxtx_unmap_while_rx_owned_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	fx_deliver_partition_info(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_true(fx_mailbox(f, GUEST1)->mapped);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + PAGE), GUEST1), MEM_PAGE_MAILBOX);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	fx_assert_nothing_mapped(f, GUEST1);
}

/* --- FFA_RX_RELEASE and the RX ownership state machine --- */

/* DEN0077A FFA_RX_RELEASE (Xen 5.3): RX_RELEASE with nothing mapped -> DENIED. */
static void test_rx_release_not_mapped_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
}

/* DEN0077A FFA_RX_RELEASE: RX_RELEASE while RX is free (the VM does not own it) -> DENIED. */
static void test_rx_release_rx_free_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_true(fx_mailbox(f, GUEST1)->mapped);
}

/* ffa-facts.md §2 (Hafnium ffa_receiver): RX_RELEASE w1 MBZ for a VM -> INVALID_PARAMETERS. */
static void test_rx_release_w1_nonzero_invalid(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	fx_deliver_partition_info(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, GUEST1, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0x80000000U, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	/* Still the VM's: the failed release changed nothing. */
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	/* Not mapped at all, w1 != 0: INVALID_PARAMETERS too. */
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	assert_ffa_error(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 5, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
}

/* DEN0077A §"RX/TX buffer ownership": one delivery, one release; the second is DENIED. */
static void test_rx_release_once_after_delivery(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	fx_deliver_partition_info(f, GUEST1);
	r = fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	/* The cycle repeats: deliver, release. */
	fx_deliver_partition_info(f, GUEST1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
}

/* partition_info.c header (pKVM, Hafnium): a delivery while the VM owns RX -> BUSY, RX unchanged. */
static void test_rx_ownership_second_delivery_busy(void **state)
{
	struct fixture *f = *state;
	uint8_t before[64];

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	fx_deliver_partition_info(f, GUEST1);
	memcpy(before, fx_rx(f, GUEST1), sizeof(before));
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0), FFA_BUSY);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_CONSUMER);
	assert_memory_equal(fx_rx(f, GUEST1), before, sizeof(before));
}

/* DEN0077A v1.1 §"FFA_PARTITION_INFO_GET" count-only flag: RX not written, so nothing to release. */
static void test_rx_ownership_count_only_leaves_rx_free(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_1);
	fx_map_rxtx(f, GUEST1);
	r = fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0,
		    FFA_PARTITION_INFO_GET_COUNT_ONLY);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
}

/* DEN0077A §"RX/TX buffer ownership": the VM owning its RX does not affect another VM's. */
static void test_rx_ownership_per_vm_independent(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_0);
	fx_map_rxtx(f, GUEST1);
	fx_map_rxtx(f, GUEST2);
	fx_deliver_partition_info(f, GUEST1);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	assert_ffa_error(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
}

/* DEN0077A FFA_RX_RELEASE: after unmap, RX_RELEASE is DENIED and a delivery is BUSY (no buffer). */
static void test_rx_release_after_unmap_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	fx_deliver_partition_info(f, GUEST1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0), FFA_BUSY);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
}

/* --- FFA_RX_ACQUIRE --- */

/* ffa-facts.md §2 (Hafnium, Xen): FFA_RX_ACQUIRE is hypervisor-only: a VM gets NOT_SUPPORTED. */
static void test_rx_acquire_from_vm_not_supported(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, HOST, FFA_VERSION_1_1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	fx_map_rxtx(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_ACQUIRE_32, GUEST1, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	/* The host VM is a VM at a virtual instance too. */
	fx_map_rxtx(f, HOST);
	assert_ffa_error(fx_call(f, HOST, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_int_equal(fx_mailbox(f, HOST)->rx, MAILBOX_RX_FREE);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_rxtx_unmap_not_mapped_invalid),
		T(test_rxtx_unmap_w1_nonzero_invalid),
		T(test_rxtx_unmap_while_rx_owned_denied),
		T(test_rx_release_not_mapped_denied),
		T(test_rx_release_rx_free_denied),
		T(test_rx_release_w1_nonzero_invalid),
		T(test_rx_release_once_after_delivery),
		T(test_rx_ownership_second_delivery_busy),
		T(test_rx_ownership_count_only_leaves_rx_free),
		T(test_rx_ownership_per_vm_independent),
		T(test_rx_release_after_unmap_denied),
		T(test_rx_acquire_from_vm_not_supported),
	};

	return cmocka_run_group_tests_name("rx_ownership", tests, NULL, NULL);
}
