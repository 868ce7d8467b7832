/*
 * The FFA_NOTIFICATION_INFO_GET ID-list encoder and decoder shared by the
 * mediator and the SPMC model (mediator/src/notif_info.c, ffa/notif_info.h),
 * against DEN0077A v1.2 FFA_NOTIFICATION_INFO_GET (ffa-facts §2): x2 bit 0
 * more pending, bits[11:7] the number of lists, bits[12+2i+1:12+2i] the
 * number of vCPU IDs in list i; the 16-bit IDs from x3, four per register for
 * SMC64 (at most 20) and two per register for SMC32 (at most 10); an
 * endpoint with global news alone in a list, per-vCPU news as the endpoint
 * followed by up to three vCPU IDs.
 */
#include "fixture.h"

#include "ffa/notif_info.h"

#define LISTS(n) ((uint64_t)(n) << FFA_NOTIF_INFO_LIST_COUNT_SHIFT)
#define LIST_SIZE(i, n) ((uint64_t)(n) << (FFA_NOTIF_INFO_LIST_SIZE_SHIFT + 2 * (i)))

/* A reply frame full of garbage, as a handler's result might start. */
static struct smccc_regs dirty_regs(void)
{
	struct smccc_regs r;

	for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
		r.x[i] = 0xA5A5A5A5A5A5A5A5ULL;
	}
	r.x[0] = FFA_SUCCESS_64;
	return r;
}

/* Add @id with global news only; returns what ffa_info_lists_add() returned. */
static bool add_global(struct ffa_info_lists *l, ffa_id_t id)
{
	bool global = true;
	uint32_t vcpus = 0;
	bool all = ffa_info_lists_add(l, id, &global, &vcpus);

	assert_int_equal(global, !all);
	return all;
}

/* ffa_info_lists_init() zeroes x2..x7 only. */
static void test_init_zeroes_x2_to_x7(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;

	(void)state;
	ffa_info_lists_init(&l, &r, true);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[1], 0xA5A5A5A5A5A5A5A5ULL);
	for (unsigned i = 2; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	assert_int_equal(ffa_info_lists_finish(&l, false), 0);
	assert_int_equal(r.x[2], 0);
}

/* No news: nothing added, everything "fitted". */
static void test_add_nothing(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;
	bool global = false;
	uint32_t vcpus = 0;

	(void)state;
	ffa_info_lists_init(&l, &r, true);
	assert_true(ffa_info_lists_add(&l, 5, &global, &vcpus));
	assert_int_equal(ffa_info_lists_finish(&l, false), 0);
	assert_int_equal(r.x[2], 0);
	assert_int_equal(r.x[3], 0);
}

/* ffa-facts §2: global news is the endpoint alone in a list (size 0). */
static void test_one_global_endpoint(void **state)
{
	(void)state;
	for (int is64 = 0; is64 < 2; is64++) {
		struct smccc_regs r = dirty_regs();
		struct ffa_info_lists l;

		ffa_info_lists_init(&l, &r, is64);
		assert_true(add_global(&l, 0x1234));
		assert_int_equal(ffa_info_lists_finish(&l, false), 1);
		assert_int_equal(r.x[2], LISTS(1));
		assert_int_equal(r.x[3], 0x1234);
		for (unsigned i = 4; i < 8; i++) {
			assert_int_equal(r.x[i], 0);
		}
	}
}

/* Per-vCPU news: the endpoint then up to 3 vCPU IDs; mask 0xF is two lists, 3 + 1. */
static void test_per_vcpu_chunks_of_three(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;
	bool global = false;
	uint32_t vcpus = 0xF;

	(void)state;
	ffa_info_lists_init(&l, &r, true);
	assert_true(ffa_info_lists_add(&l, 7, &global, &vcpus));
	assert_int_equal(vcpus, 0);
	assert_int_equal(ffa_info_lists_finish(&l, false), 2);
	assert_int_equal(r.x[2], LISTS(2) | LIST_SIZE(0, 3) | LIST_SIZE(1, 1));
	/* IDs 7 0 1 2 | 7 3 */
	assert_int_equal(r.x[3], 7 | 0ULL << 16 | 1ULL << 32 | 2ULL << 48);
	assert_int_equal(r.x[4], 7 | 3ULL << 16);
	assert_int_equal(r.x[5], 0);
}

/* Sparse vCPUs keep their IDs; global news comes first, then the vCPU lists. */
static void test_global_then_sparse_vcpus(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;
	bool global = true;
	uint32_t vcpus = 1U << 0 | 1U << 5 | 1U << 10 | 1U << 31;

	(void)state;
	ffa_info_lists_init(&l, &r, false);
	assert_true(ffa_info_lists_add(&l, 9, &global, &vcpus));
	assert_false(global);
	assert_int_equal(vcpus, 0);
	assert_int_equal(ffa_info_lists_finish(&l, false), 3);
	assert_int_equal(r.x[2], LISTS(3) | LIST_SIZE(1, 3) | LIST_SIZE(2, 1));
	/* SMC32, two IDs per register: 9 | 9 0 5 10 | 9 31 */
	assert_int_equal(r.x[3], 9 | 9U << 16);
	assert_int_equal(r.x[4], 0 | 5U << 16);
	assert_int_equal(r.x[5], 10 | 9U << 16);
	assert_int_equal(r.x[6], 31);
	assert_int_equal(r.x[7], 0);
}

/* ffa-facts §2: SMC32 carries at most 10 IDs; the 11th endpoint does not fit and stays. */
static void test_smc32_capacity_10_ids(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;

	(void)state;
	ffa_info_lists_init(&l, &r, false);
	for (ffa_id_t id = 1; id <= 10; id++) {
		assert_true(add_global(&l, id));
	}
	assert_false(add_global(&l, 11));
	assert_int_equal(ffa_info_lists_finish(&l, true), 10);
	assert_int_equal(r.x[2], LISTS(10) | FFA_NOTIF_INFO_MORE_PENDING);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(r.x[3 + i], (2 * i + 1) | (2 * i + 2) << 16);
	}
}

/* ffa-facts §2: SMC64 carries at most 20 IDs. */
static void test_smc64_capacity_20_ids(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;

	(void)state;
	ffa_info_lists_init(&l, &r, true);
	for (ffa_id_t id = 1; id <= 20; id++) {
		assert_true(add_global(&l, id));
	}
	assert_false(add_global(&l, 21));
	assert_int_equal(ffa_info_lists_finish(&l, false), 20);
	assert_int_equal(r.x[2], LISTS(20));
	for (unsigned i = 0; i < 5; i++) {
		uint64_t want = 0;

		for (unsigned k = 0; k < 4; k++) {
			want |= (uint64_t)(4 * i + k + 1) << (16 * k);
		}
		assert_int_equal(r.x[3 + i], want);
	}
}

/* What does not fit of an endpoint's vCPU news stays in *vcpus for the next call. */
static void test_partial_vcpu_news_stays(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;
	bool global = true;
	uint32_t vcpus = 0xFFFF;

	(void)state;
	/* SMC64: 1 + 4 lists of 4 IDs = 17; the fifth list (vCPUs 12-14) would make 21. */
	ffa_info_lists_init(&l, &r, true);
	assert_false(ffa_info_lists_add(&l, 3, &global, &vcpus));
	assert_false(global);
	assert_int_equal(vcpus, 0xF000);
	assert_int_equal(ffa_info_lists_finish(&l, true), 5);
	/* SMC32, capacity 10. */
	global = true;
	vcpus = 0xFFFF;
	ffa_info_lists_init(&l, &r, false);
	assert_false(ffa_info_lists_add(&l, 3, &global, &vcpus));
	assert_false(global);
	/* Global (1) + 0,1,2 (4) = 5 IDs, then 3,4,5 (4) = 9, then 6,7,8 does not fit. */
	assert_int_equal(vcpus, 0xFFC0);
	assert_int_equal(ffa_info_lists_finish(&l, true), 3);
}

/* One endpoint whose global news fits while its vCPU news does not. */
static void test_global_fits_vcpus_do_not(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;
	bool global = false;
	uint32_t vcpus = 0x3F;

	(void)state;
	ffa_info_lists_init(&l, &r, false);
	assert_true(ffa_info_lists_add(&l, 1, &global, &vcpus)); /* 8 IDs */
	global = true;
	vcpus = 0x7;
	assert_false(ffa_info_lists_add(&l, 2, &global, &vcpus)); /* 9, then 13 */
	assert_false(global);
	assert_int_equal(vcpus, 0x7);
	assert_int_equal(ffa_info_lists_finish(&l, true), 3);
	assert_int_equal(r.x[2], LISTS(3) | LIST_SIZE(0, 3) | LIST_SIZE(1, 3) |
					  FFA_NOTIF_INFO_MORE_PENDING);
	assert_int_equal(r.x[7], 2); /* the ninth ID, low half of w7 */
}

/* x2 bit 0: more pending, exactly when finish() is told so. */
static void test_more_pending_bit(void **state)
{
	(void)state;
	for (int more = 0; more < 2; more++) {
		struct smccc_regs r = dirty_regs();
		struct ffa_info_lists l;

		ffa_info_lists_init(&l, &r, true);
		assert_true(add_global(&l, 4));
		ffa_info_lists_finish(&l, more);
		assert_int_equal(r.x[2] & FFA_NOTIF_INFO_MORE_PENDING, (uint64_t)more);
		assert_int_equal(r.x[2] & ~FFA_NOTIF_INFO_MORE_PENDING, LISTS(1));
	}
}

/* decode(encode(x)) gives back the lists, in order, for both conventions. */
static void test_round_trip(void **state)
{
	static const struct {
		ffa_id_t id;
		bool global;
		uint32_t vcpus;
	} in[] = {{0x0001, true, 0}, {0x0002, false, 0x7}, {0xFFFF, true, 0x10002}};
	/* id, vCPU count, vCPUs */
	static const struct ffa_info_list want[] = {
		{0x0001, 0, {0}},     {0x0002, 3, {0, 1, 2}}, {0xFFFF, 0, {0}},
		{0xFFFF, 2, {1, 16}},
	};

	(void)state;
	for (int is64 = 0; is64 < 2; is64++) {
		struct smccc_regs r = dirty_regs();
		struct ffa_info_list out[FFA_NOTIF_INFO_MAX_IDS_64];
		struct ffa_info_lists l;

		ffa_info_lists_init(&l, &r, is64);
		for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
			bool global = in[i].global;
			uint32_t vcpus = in[i].vcpus;

			assert_true(ffa_info_lists_add(&l, in[i].id, &global, &vcpus));
		}
		assert_int_equal(ffa_info_lists_finish(&l, true), 4);
		assert_int_equal(ffa_info_lists_decode(&r, is64, out), 4);
		for (unsigned i = 0; i < 4; i++) {
			assert_int_equal(out[i].id, want[i].id);
			assert_int_equal(out[i].vcpu_count, want[i].vcpu_count);
			for (unsigned k = 0; k < want[i].vcpu_count; k++) {
				assert_int_equal(out[i].vcpus[k], want[i].vcpus[k]);
			}
		}
	}
}

/* Decoding a hand-built reply: list i's size at bits[12+2i+1:12+2i]. */
static void test_decode_hand_built(void **state)
{
	struct smccc_regs r = {.x = {FFA_SUCCESS_32}};
	struct ffa_info_list out[FFA_NOTIF_INFO_MAX_IDS_64];

	(void)state;
	r.x[2] = LISTS(2) | LIST_SIZE(1, 2) | FFA_NOTIF_INFO_MORE_PENDING;
	r.x[3] = 9 | 8U << 16;
	r.x[4] = 1 | 2U << 16 | 0xDEADBEEF00000000ULL; /* SMC32: upper halves ignored */
	assert_int_equal(ffa_info_lists_decode(&r, false, out), 2);
	assert_int_equal(out[0].id, 9);
	assert_int_equal(out[0].vcpu_count, 0);
	assert_int_equal(out[1].id, 8);
	assert_int_equal(out[1].vcpu_count, 2);
	assert_int_equal(out[1].vcpus[0], 1);
	assert_int_equal(out[1].vcpus[1], 2);
}

/* decode() returns -1 when x2 claims more lists or IDs than the registers hold. */
static void test_decode_rejects_overflow(void **state)
{
	struct smccc_regs r = {.x = {FFA_SUCCESS_64}};
	struct ffa_info_list out[FFA_NOTIF_INFO_MAX_IDS_64];
	uint64_t sizes3 = 0;

	(void)state;
	r.x[2] = LISTS(10);
	assert_int_equal(ffa_info_lists_decode(&r, false, out), 10);
	r.x[2] = LISTS(11);
	assert_int_equal(ffa_info_lists_decode(&r, false, out), -1);
	r.x[2] = LISTS(20);
	assert_int_equal(ffa_info_lists_decode(&r, true, out), 20);
	r.x[2] = LISTS(21);
	assert_int_equal(ffa_info_lists_decode(&r, true, out), -1);
	r.x[2] = LISTS(31);
	assert_int_equal(ffa_info_lists_decode(&r, true, out), -1);
	/* SMC32: two lists of 1 + 3 IDs fit (8), three do not (12). */
	r.x[2] = LISTS(2) | LIST_SIZE(0, 3) | LIST_SIZE(1, 3);
	assert_int_equal(ffa_info_lists_decode(&r, false, out), 2);
	r.x[2] = LISTS(3) | LIST_SIZE(0, 3) | LIST_SIZE(1, 3) | LIST_SIZE(2, 3);
	assert_int_equal(ffa_info_lists_decode(&r, false, out), -1);
	/* SMC64: five lists of 4 IDs fit (20); a sixth, even of 1 ID, does not. */
	for (unsigned i = 0; i < 5; i++) {
		sizes3 |= LIST_SIZE(i, 3);
	}
	r.x[2] = LISTS(5) | sizes3;
	assert_int_equal(ffa_info_lists_decode(&r, true, out), 5);
	r.x[2] = LISTS(6) | sizes3;
	assert_int_equal(ffa_info_lists_decode(&r, true, out), -1);
	/* SMC32: 9 single lists and one with a vCPU: 11 IDs. */
	r.x[2] = LISTS(10) | LIST_SIZE(9, 1);
	assert_int_equal(ffa_info_lists_decode(&r, false, out), -1);
}

/* Exact packing: SMC64 four IDs per register, ID 0 in x3[15:0]; SMC32 two per register. */
static void test_exact_register_packing(void **state)
{
	struct smccc_regs r = dirty_regs();
	struct ffa_info_lists l;

	(void)state;
	ffa_info_lists_init(&l, &r, true);
	for (ffa_id_t id = 0xA001; id <= 0xA006; id++) {
		assert_true(add_global(&l, id));
	}
	ffa_info_lists_finish(&l, false);
	assert_int_equal(r.x[3], 0xA004A003A002A001ULL);
	assert_int_equal(r.x[4], 0x00000000A006A005ULL);
	assert_int_equal(r.x[5], 0);

	r = dirty_regs();
	ffa_info_lists_init(&l, &r, false);
	for (ffa_id_t id = 0xA001; id <= 0xA006; id++) {
		assert_true(add_global(&l, id));
	}
	ffa_info_lists_finish(&l, false);
	assert_int_equal(r.x[3], 0xA002A001ULL);
	assert_int_equal(r.x[4], 0xA004A003ULL);
	assert_int_equal(r.x[5], 0xA006A005ULL);
	assert_int_equal(r.x[6], 0);
	assert_int_equal(r.x[2], LISTS(6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_zeroes_x2_to_x7),
		cmocka_unit_test(test_add_nothing),
		cmocka_unit_test(test_one_global_endpoint),
		cmocka_unit_test(test_per_vcpu_chunks_of_three),
		cmocka_unit_test(test_global_then_sparse_vcpus),
		cmocka_unit_test(test_smc32_capacity_10_ids),
		cmocka_unit_test(test_smc64_capacity_20_ids),
		cmocka_unit_test(test_partial_vcpu_news_stays),
		cmocka_unit_test(test_global_fits_vcpus_do_not),
		cmocka_unit_test(test_more_pending_bit),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_decode_hand_built),
		cmocka_unit_test(test_decode_rejects_overflow),
		cmocka_unit_test(test_exact_register_packing),
	};

	return cmocka_run_group_tests_name("notif_info", tests, NULL, NULL);
}
