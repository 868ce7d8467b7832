/*
 * FFA_NOTIFICATION_INFO_GET through the mediator (mediator/src/notifications.c,
 * whose header comment is the rules) with the SPMC model behind it, from v1.1
 * and v1.2 guests (NT() in fixture.h): which endpoints and vCPUs have
 * pending notifications, SMC32 and SMC64, news told once. The ID-list
 * encoding itself is in test_notif_info.c, the rest of notifications in
 * test_notifications.c. Default machine: VMs 0, 1, 2 with two vCPUs each;
 * 0x8001 has the notification property and sets a VM's notifications by the
 * SPMC model's notify behaviour, run by a direct request (fx_notify_from()).
 */
#include "fixture.h"

#include "ffa/notif_info.h"

#define SP_CRYPTO 0x8001 /* notification property, 8 execution contexts */

/* An INFO_GET reply (@fid 32 or 64) with exactly x2 = @x2 and x3..x7 = @ids. */
static void assert_info(struct smccc_regs r, uint32_t fid, uint64_t x2, const uint64_t ids[5])
{
	assert_int_equal(r.x[0], fid == FFA_NOTIFICATION_INFO_GET_64 ? FFA_SUCCESS_64
								    : FFA_SUCCESS_32);
	assert_int_equal(r.x[2], x2);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(r.x[3 + i], ids[i]);
	}
}

static struct smccc_regs info_get(struct fixture *f, ffa_id_t vm, uint32_t fid)
{
	return fx_call(f, vm, fid, 0, 0, 0, 0, 0);
}

#define LISTS(n) ((uint64_t)(n) << FFA_NOTIF_INFO_LIST_COUNT_SHIFT)
#define LIST_SIZE(i, n) ((uint64_t)(n) << (FFA_NOTIF_INFO_LIST_SIZE_SHIFT + 2 * (i)))

/* ffa-facts §2 INFO_GET: a global notification lists the endpoint alone; told once. */
static void test_info_get_global_notification(void **state)
{
	static const uint32_t fids[] = {FFA_NOTIFICATION_INFO_GET_32, FFA_NOTIFICATION_INFO_GET_64};
	static const uint64_t ids[5] = {GUEST1};
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
		assert_info(info_get(f, GUEST1, fids[i]), fids[i], LISTS(1), ids);
		assert_ffa_error(info_get(f, GUEST1, fids[i]), FFA_NO_DATA);
		/* INFO_GET does not consume the notification itself. */
		fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* ffa-facts §2 INFO_GET: per-vCPU news is the endpoint followed by its vCPU IDs. */
static void test_info_get_per_vcpu_notification(void **state)
{
	static const uint64_t one[5] = {GUEST1 | 1U << 16};
	static const uint64_t both_32[5] = {GUEST1 | GUEST1 << 16, 1};
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x10);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x10, 1), FFA_OK);
	assert_info(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64),
		    FFA_NOTIFICATION_INFO_GET_64, LISTS(1) | LIST_SIZE(0, 1), one);
	/* Global and per-vCPU news: the global list, then the vCPU list. */
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1, FFA_NOTIFICATION_GET_SP), 0x10, 0, 0);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x10, 1), FFA_OK);
	assert_info(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_32),
		    FFA_NOTIFICATION_INFO_GET_32, LISTS(2) | LIST_SIZE(1, 1), both_32);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_32), FFA_NO_DATA);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A INFO_GET: NO_DATA when nothing is pending. */
static void test_info_get_nothing_pending_no_data(void **state)
{
	struct fixture *f = *state;

	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_32), FFA_NO_DATA);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* The header: one VM's INFO_GET never consumes another's news, nor shows it. */
static void test_info_get_per_vm(void **state)
{
	static const uint64_t ids1[5] = {GUEST1};
	static const uint64_t ids2[5] = {GUEST2};
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	fx_bind_ok(f, GUEST2, SP_CRYPTO, 0, 0x1);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST2, 0x1, 0), FFA_OK);
	assert_info(info_get(f, GUEST2, FFA_NOTIFICATION_INFO_GET_64),
		    FFA_NOTIFICATION_INFO_GET_64, LISTS(1), ids2);
	assert_ffa_error(info_get(f, GUEST2, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
	assert_info(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_32),
		    FFA_NOTIFICATION_INFO_GET_32, LISTS(1), ids1);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A INFO_GET lists endpoints with *pending* notifications: nothing
 * once the VM took them with GET, also when another VM's INFO_GET already
 * fetched the news from the SPMC.
 */
static void test_info_get_after_get_no_data(void **state)
{
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	/* GET first: the SPMC forgets the news. */
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
	/* Guest 2's INFO_GET moves guest 1's news into the mediator, then guest 1 GETs. */
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_ffa_error(info_get(f, GUEST2, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64), FFA_NO_DATA);
}

/*
 * DEN0077A INFO_GET lists endpoints with pending notifications, also those
 * the mediator holds (fetched by a GET without the SP flag), global or per-vCPU.
 */
static void test_info_get_reports_held_notifications(void **state)
{
	static const uint64_t global[5] = {GUEST1};
	static const uint64_t vcpu1[5] = {GUEST1 | 1U << 16};
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x10);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_HYP), 0, 0, 0);
	assert_info(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64),
		    FFA_NOTIFICATION_INFO_GET_64, LISTS(1), global);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x10, 1), FFA_OK);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1, FFA_NOTIFICATION_GET_VM), 0, 0, 0);
	assert_info(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64),
		    FFA_NOTIFICATION_INFO_GET_64, LISTS(1) | LIST_SIZE(0, 1), vcpu1);
}

/*
 * ffa-facts §2 INFO_GET: at most 10 IDs for SMC32; x2 bit 0 says more is
 * pending, and it comes in the next call. A VM with 16 vCPUs, each with a
 * per-vCPU notification, and a global one: 23 IDs.
 */
static void test_info_get_more_pending_many_vcpus(void **state)
{
	/* Lists per call: [1] [1 0 1 2] [1 3 4 5] | [1 6 7 8] [1 9 10 11] | [1 12 13 14] [1 15] */
	static const unsigned lists[3] = {3, 2, 2};
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	uint32_t version = *(const uint32_t *)*state;
	struct fixture *f;
	unsigned next = 0;

	cfg.vms[GUEST1].vcpu_count = 16;
	f = fixture_with(&cfg);
	fx_negotiate(f, GUEST1, version);
	assert_int_equal(fx_vm_notif(f, GUEST1)->vcpu_count, 16);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x2);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	for (uint16_t v = 0; v < 16; v++) {
		assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x2, v), FFA_OK);
	}
	for (unsigned call = 0; call < 3; call++) {
		struct smccc_regs r = info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_32);
		struct ffa_info_list got[FFA_NOTIF_INFO_MAX_IDS_64];

		assert_int_equal(r.x[0], FFA_SUCCESS_32);
		assert_int_equal(r.x[2] & FFA_NOTIF_INFO_MORE_PENDING, call < 2 ? 1 : 0);
		assert_int_equal(ffa_info_lists_decode(&r, false, got), (int)lists[call]);
		for (unsigned i = 0; i < lists[call]; i++) {
			bool global = call == 0 && i == 0;

			assert_int_equal(got[i].id, GUEST1);
			unsigned want = global ? 0 : 16 - next < 3 ? 16 - next : 3;

			assert_int_equal(got[i].vcpu_count, want);
			for (unsigned k = 0; k < got[i].vcpu_count; k++) {
				assert_int_equal(got[i].vcpus[k], next++);
			}
		}
	}
	assert_int_equal(next, 16);
	assert_ffa_error(info_get(f, GUEST1, FFA_NOTIFICATION_INFO_GET_32), FFA_NO_DATA);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		NT(test_info_get_global_notification),
		NT(test_info_get_per_vcpu_notification),
		NT(test_info_get_nothing_pending_no_data),
		NT(test_info_get_per_vm),
		NT(test_info_get_after_get_no_data),
		NT(test_info_get_reports_held_notifications),
		NT_OWN(test_info_get_more_pending_many_vcpus),
	};

	return cmocka_run_group_tests_name("notifications_info_get", tests, NULL, NULL);
}
