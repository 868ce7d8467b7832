/*
 * The SPMC model on its own (spmc-model/) as the hypervisor's peer through
 * spmc_ns_call(), with no mediator in between (the manifest parser is in
 * test_manifest.c). Each test plays the hypervisor: the well-behaved start-up and
 * discovery sequence must record no mediator fault, and each way the
 * hypervisor can break DEN0077A v1.2 must get the FF-A error *and* a fault
 * naming the function ID.
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Physical layout of every test: the hypervisor's TX and RX pages (owned by
 * MEM_OWNER_HYP, marked as a mailbox as mediator_init() does), two
 * hypervisor pages left private, two pages of VM 1 marked as its mailbox,
 * and two unowned pages.
 */
#define PG MEM_PAGE_SIZE
#define HYP_TX 0x10000000ULL
#define HYP_RX (HYP_TX + PG)
#define HYP_PRIV (HYP_TX + 2 * PG)
#define VM1_PAGES (HYP_TX + 4 * PG)
#define UNOWNED (HYP_TX + 6 * PG)
#define ENV_PAGES 8U

static int env_setup(void **state)
{
	struct fx_env *e = fx_env_hyp_pair(HYP_TX, ENV_PAGES);

	assert_int_equal(mem_assign(&e->mem, HYP_PRIV, 2, MEM_OWNER_HYP), FFA_OK);
	assert_int_equal(mem_assign(&e->mem, VM1_PAGES, 2, 1), FFA_OK);
	assert_int_equal(mem_transition(&e->mem, VM1_PAGES, 2, 1, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	*state = e;
	return 0;
}

/* FFA_VERSION(@version), which the SPMC at 1.2 must accept. */
static void ns_negotiate(struct fx_env *e, uint32_t version)
{
	struct smccc_regs r = fx_ns_call(e, FFA_VERSION_32, version, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_VERSION_1_2);
}

static void ns_map(struct fx_env *e)
{
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, 0, 0));
}

/* The usual start: FFA_VERSION(1.2), then the hypervisor's pair mapped. */
static void ns_start(struct fx_env *e)
{
	ns_negotiate(e, FFA_VERSION_1_2);
	ns_map(e);
}

/* The hypervisor's @fid(@a1, @a2, @a3) gets FFA_ERROR(@err) and is recorded as fault @nth. */
static void assert_refused(struct fx_env *e, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			   int32_t err, uint32_t nth)
{
	assert_ffa_error(fx_ns_call(e, fid, a1, a2, a3, 0, 0), err);
	fx_assert_faults(e, nth, fid);
}

/* FFA_PARTITION_INFO_GET(Nil UUID, flags @w5): SUCCESS with w2 = @count and w3 = @size. */
static void assert_info_get(struct fx_env *e, uint32_t w5, uint64_t count, uint64_t size)
{
	struct smccc_regs r = fx_ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, w5);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], count);
	assert_int_equal(r.x[3], size);
}

/* The hypervisor's one-page RX buffer, where the SPMC writes descriptors. */
static const uint8_t *hyp_rx(struct fx_env *e)
{
	const uint8_t *rx = mem_map(&e->mem, HYP_RX, 1, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);

	assert_non_null(rx);
	return rx;
}

/* --- The model as the hypervisor's peer --- */

/* DEN0077A v1.2 §13.2.2: the caller negotiates first; a call before FFA_VERSION is a fault. */
static void test_spmc_call_before_version_not_supported_fault(void **state)
{
	struct fx_env *e = *state;

	assert_refused(e, FFA_ID_GET_32, 0, 0, 0, FFA_NOT_SUPPORTED, 1);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, FFA_NOT_SUPPORTED, 2);
	assert_false(e->s.hyp_mailbox.mapped);
	/* Negotiation is still open afterwards. */
	ns_negotiate(e, FFA_VERSION_1_2);
	assert_int_equal(e->s.ns_version, FFA_VERSION_1_2);
}

/* DEN0077A FFA_RXTX_MAP / Hafnium api_vm_configure_pages: pages not the hypervisor's, DENIED. */
static void test_ffa_rxtx_map_not_hyp_pages_denied_fault(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	/* VM 1's mailbox pages. */
	assert_refused(e, FFA_RXTX_MAP_64, VM1_PAGES, VM1_PAGES + PG, 1, FFA_DENIED, 1);
	/* Unowned pages. */
	assert_refused(e, FFA_RXTX_MAP_64, UNOWNED, UNOWNED + PG, 1, FFA_DENIED, 2);
	/* The hypervisor's TX with someone else's RX. */
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, VM1_PAGES, 1, FFA_DENIED, 3);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* spmc-model rxtx.c: the hypervisor must mark its pages as a mailbox before mapping them. */
static void test_ffa_rxtx_map_private_pages_denied_fault(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_PRIV, HYP_PRIV + PG, 1, FFA_DENIED, 1);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* DEN0077A FFA_RXTX_MAP, ACS ffa_rxtx_map_and_unmap: a second map is DENIED. */
static void test_ffa_rxtx_map_twice_denied_fault(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	fx_assert_faults(e, 0, 0);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, FFA_DENIED, 1);
	assert_true(e->s.hyp_mailbox.mapped);
	assert_int_equal(e->s.hyp_mailbox.tx_pa, HYP_TX);
	assert_int_equal(e->s.hyp_mailbox.rx_pa, HYP_RX);
	assert_int_equal(e->s.hyp_mailbox.page_count, 1);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_RXTX_MAP: w3[31:6] MBZ (and x3[63:32] for SMC64). */
static void test_ffa_rxtx_map_x3_mbz_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1 | 1U << 6, FFA_INVALID_PARAMETERS, 1);
	assert_refused(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1 | 1ULL << 32, FFA_INVALID_PARAMETERS,
		       2);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* Xen X15 (309e8edfe3): FFA_RXTX_UNMAP while the caller owns RX is DENIED. */
static void test_ffa_rxtx_unmap_rx_owned_denied_fault(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_ffa_success(fx_ns_call(e, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_RXTX_UNMAP_32, 0, 0, 0, FFA_DENIED, 1);
	assert_true(e->s.hyp_mailbox.mapped);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
}

/* DEN0077A FFA_RX_RELEASE: DENIED if the caller does not own its RX buffer. */
static void test_ffa_rx_release_not_held_denied_fault(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RX_RELEASE_32, 0, 0, 0, FFA_DENIED, 1);
	ns_map(e);
	assert_refused(e, FFA_RX_RELEASE_32, 0, 0, 0, FFA_DENIED, 2);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_RX_RELEASE w1[15:0] = VM ID: an ID the SPMC does not know, INVALID. */
static void test_ffa_rx_release_unknown_endpoint_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_ffa_success(fx_ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_RX_RELEASE_32, 5, 0, 0, FFA_INVALID_PARAMETERS, 1);
	/* The hypervisor's own buffer is untouched. */
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
}

/* Hafnium 67686054: FFA_RX_ACQUIRE with a non-existent VM ID must be refused, not crash. */
static void test_ffa_rx_acquire_unknown_endpoint_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_refused(e, FFA_RX_ACQUIRE_32, 5, 0, 0, FFA_INVALID_PARAMETERS, 1);
	assert_refused(e, FFA_RX_ACQUIRE_32, 0xFFFF, 0, 0, FFA_INVALID_PARAMETERS, 2);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_RXTX_UNMAP w1[31:16] = endpoint: an ID the SPMC does not know, INVALID. */
static void test_ffa_rxtx_unmap_unknown_endpoint_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_refused(e, FFA_RXTX_UNMAP_32, 5U << 16, 0, 0, FFA_INVALID_PARAMETERS, 1);
	/* w1[15:0] is MBZ. */
	assert_refused(e, FFA_RXTX_UNMAP_32, 1, 0, 0, FFA_INVALID_PARAMETERS, 2);
	assert_true(e->s.hyp_mailbox.mapped);
}

/* DEN0077A FFA_RXTX_UNMAP, ACS ffa_rxtx_map_and_unmap: nothing mapped is INVALID_PARAMETERS. */
static void test_ffa_rxtx_unmap_nothing_mapped_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_refused(e, FFA_RXTX_UNMAP_32, 0, 0, 0, FFA_INVALID_PARAMETERS, 1);
	ns_map(e);
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_RXTX_UNMAP_32, 0, 0, 0, FFA_INVALID_PARAMETERS, 2);
}

/* ffa-facts §2 RX ownership: PARTITION_INFO_GET while the caller still owns RX is BUSY. */
static void test_ffa_partition_info_get_hyp_holds_rx_busy_fault(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_ffa_success(fx_ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0));
	fx_assert_faults(e, 0, 0);
	assert_refused(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, FFA_BUSY, 1);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	/* And with no RX buffer mapped at all. */
	assert_ffa_success(fx_ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_refused(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, FFA_BUSY, 2);
}

/* The hypervisor's start-up and discovery as pKVM/Xen do it: no fault anywhere. */
static void test_spmc_well_behaved_sequence_no_faults(void **state)
{
	struct fx_env *e = *state;
	struct smccc_regs r;
	const uint8_t *rx;
	struct ffa_uuid u = fx_uuid(UUID_CRYPTO);

	ns_negotiate(e, FFA_VERSION_1_2);
	r = fx_ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	r = fx_ns_call(e, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0x8000);
	/* ffa-facts §2 FFA_FEATURES(RXTX_MAP): v1.2 w2[31:16] = max pages (1), w2[1:0] = 4K. */
	r = fx_ns_call(e, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0x00010000);
	assert_int_equal(r.x[3], 0);
	ns_map(e);
	assert_info_get(e, 0, 6, 24);
	rx = hyp_rx(e);
	assert_int_equal(fx_rd16(rx), 0x8001);
	assert_int_equal(fx_rd16(rx + 2), 8);
	assert_int_equal(fx_rd32(rx + 4), 0x70F);
	assert_memory_equal(rx + 8, u.b, 16);
	assert_int_equal(fx_rd16(rx + 5 * 24), 0x8004);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	/* FFA_RX_ACQUIRE takes a free buffer; a second one finds it owned. */
	assert_ffa_success(fx_ns_call(e, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0));
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_ffa_error(fx_ns_call(e, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0), FFA_BUSY);
	assert_ffa_success(fx_ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_false(e->s.hyp_mailbox.mapped);
	fx_assert_faults(e, 0, 0);
}

/* FFA_FEATURES(@id) at the NS physical instance answers SUCCESS with @w2. */
static void assert_features(struct fx_env *e, uint32_t id, uint32_t w2)
{
	struct smccc_regs r = fx_ns_call(e, FFA_FEATURES_32, id, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], w2);
}

/* ffa-facts §2 FFA_FEATURES(RXTX_MAP): before v1.2, w2[31:2] are MBZ (no maximum). */
static void test_ffa_features_rxtx_map_v1_1_caller_no_max(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_1);
	assert_features(e, FFA_RXTX_MAP_64, 0);
	fx_assert_faults(e, 0, 0);
}

/*
 * ffa-facts.md §2 FFA_FEATURES feature IDs at the NS physical instance: the
 * SRI from v1.1 (TF-A's tests: SRI yes, NPI and MEI no); a VM's notification
 * for a partition pends it, once, until the hypervisor takes it.
 */
static void test_ffa_features_sri_and_its_pending(void **state)
{
	struct fx_env *e = *state;
	struct smccc_regs r;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_features(e, FFA_FEATURE_SRI, FFA_SRI_INTID);
	assert_ffa_error(fx_ns_call(e, FFA_FEATURES_32, FFA_FEATURE_NPI, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_ns_call(e, FFA_FEATURES_32, FFA_FEATURE_MEI, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_false(spmc_sri_take(&e->s));
	r = fx_ns_call(e, FFA_NOTIFICATION_SET_32, ffa_sender_receiver(1, 0x8001), 0, 0x1, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(spmc_sp_state(&e->s, 0x8001)->npi_pending, 1);
	assert_true(spmc_sri_take(&e->s));
	assert_false(spmc_sri_take(&e->s));
	/* Running the partition hands it its notifications and its NPI. */
	r = fx_ns_call(e, FFA_RUN_32, 0x80010000, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_MSG_WAIT_32);
	assert_int_equal(spmc_sp_state(&e->s, 0x8001)->npi_pending, 0);
	assert_int_equal(spmc_sp_state(&e->s, 0x8001)->notif.pending, 0);
	fx_assert_faults(e, 0, 0);
}

/* Hafnium aa100c1b: as SPMC only the SMC64 form of FFA_RXTX_MAP exists. */
static void test_ffa_rxtx_map_32_not_supported(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_2);
	assert_ffa_error(fx_ns_call(e, FFA_RXTX_MAP_32, HYP_TX, HYP_RX, 1, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_ns_call(e, FFA_FEATURES_32, FFA_RXTX_MAP_32, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(e->s.hyp_mailbox.mapped);
}

/* DEN0077A v1.2 §13.2.2, ACS ffa_version_negotiation: locked at the first other call. */
static void test_ffa_version_locked_after_first_other_call(void **state)
{
	struct fx_env *e = *state;
	struct smccc_regs r;

	/* Still open: a second FFA_VERSION may change the request. */
	ns_negotiate(e, FFA_VERSION_1_1);
	ns_negotiate(e, FFA_VERSION_1_2);
	assert_ffa_success(fx_ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0));
	r = fx_ns_call(e, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_VERSION_NOT_SUPPORTED);
	assert_int_equal(e->s.ns_version, FFA_VERSION_1_2);
	r = fx_ns_call(e, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_VERSION_1_2);
	fx_assert_faults(e, 0, 0);
}

/* Hafnium 48546b1e, ffa-facts §3.1: a v1.1 caller sees each partition once, w3 = 24. */
static void test_ffa_partition_info_get_v1_1_caller_one_per_partition(void **state)
{
	static const struct {
		uint16_t id, exec;
		uint32_t props;
		const char *uuid;
	} want[] = {
		{0x8001, 8, 0x10F, UUID_CRYPTO},
		{0x8002, 1, 0x10D, UUID_STORAGE},
		{0x8003, 2, 0x1C1, UUID_MULTI0},
		{0x8004, 1, 0x003, UUID_LEGACY},
	};
	struct fx_env *e = *state;
	const uint8_t *rx;

	ns_negotiate(e, FFA_VERSION_1_1);
	ns_map(e);
	assert_info_get(e, 0, 4, 24);
	rx = hyp_rx(e);
	for (unsigned i = 0; i < 4; i++) {
		struct ffa_uuid u = fx_uuid(want[i].uuid);

		assert_int_equal(fx_rd16(rx + 24 * i), want[i].id);
		assert_int_equal(fx_rd16(rx + 24 * i + 2), want[i].exec);
		assert_int_equal(fx_rd32(rx + 24 * i + 4), want[i].props);
		assert_memory_equal(rx + 24 * i + 8, u.b, 16);
	}
	/* Nothing written past the fourth descriptor. */
	for (unsigned i = 4 * 24; i < 6 * 24; i++) {
		assert_int_equal(rx[i], 0);
	}
	fx_assert_faults(e, 0, 0);
}

/* ffa-facts §2 FFA_PARTITION_INFO_GET: w5 bits[31:1] MBZ; v1.0: all of w5 MBZ. */
static void test_ffa_partition_info_get_flags_mbz_invalid(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_ffa_error(fx_ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 2),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0x80000001U),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
}

/* ffa-facts §2 FFA_PARTITION_INFO_GET: v1.0 has no flags, so w5 = 1 is INVALID_PARAMETERS. */
static void test_ffa_partition_info_get_v1_0_caller_flags_invalid(void **state)
{
	struct fx_env *e = *state;

	ns_negotiate(e, FFA_VERSION_1_0);
	ns_map(e);
	assert_ffa_error(fx_ns_call(e, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 1),
			 FFA_INVALID_PARAMETERS);
	/* Without flags: 8-byte descriptors, one per partition, w3 = 0. */
	assert_info_get(e, 0, 4, 0);
}

/* ffa-facts §2 FFA_PARTITION_INFO_GET: count only (w5 = 1) gives w2 = count, w3 = 0, no RX. */
static void test_ffa_partition_info_get_count_only_leaves_rx_free(void **state)
{
	struct fx_env *e = *state;

	ns_start(e);
	assert_info_get(e, 1, 6, 0);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	fx_assert_faults(e, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ENV_TEST(test_spmc_call_before_version_not_supported_fault),
		ENV_TEST(test_ffa_rxtx_map_not_hyp_pages_denied_fault),
		ENV_TEST(test_ffa_rxtx_map_private_pages_denied_fault),
		ENV_TEST(test_ffa_rxtx_map_twice_denied_fault),
		ENV_TEST(test_ffa_rxtx_map_x3_mbz_invalid_fault),
		ENV_TEST(test_ffa_rxtx_unmap_rx_owned_denied_fault),
		ENV_TEST(test_ffa_rx_release_not_held_denied_fault),
		ENV_TEST(test_ffa_rx_release_unknown_endpoint_invalid_fault),
		ENV_TEST(test_ffa_rx_acquire_unknown_endpoint_invalid_fault),
		ENV_TEST(test_ffa_rxtx_unmap_unknown_endpoint_invalid_fault),
		ENV_TEST(test_ffa_rxtx_unmap_nothing_mapped_invalid_fault),
		ENV_TEST(test_ffa_partition_info_get_hyp_holds_rx_busy_fault),
		ENV_TEST(test_spmc_well_behaved_sequence_no_faults),
		ENV_TEST(test_ffa_features_rxtx_map_v1_1_caller_no_max),
		ENV_TEST(test_ffa_rxtx_map_32_not_supported),
		ENV_TEST(test_ffa_features_sri_and_its_pending),
		ENV_TEST(test_ffa_version_locked_after_first_other_call),
		ENV_TEST(test_ffa_partition_info_get_v1_1_caller_one_per_partition),
		ENV_TEST(test_ffa_partition_info_get_flags_mbz_invalid),
		ENV_TEST(test_ffa_partition_info_get_v1_0_caller_flags_invalid),
		ENV_TEST(test_ffa_partition_info_get_count_only_leaves_rx_free),
	};

	return cmocka_run_group_tests_name("spmc", tests, NULL, NULL);
}
