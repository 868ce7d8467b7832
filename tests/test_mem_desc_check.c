/*
 * The send rules of ffa/mem_desc.h: ffa_mem_txn_check() (transaction flags,
 * handle, memory region attributes and permissions of a SHARE, LEND or
 * DONATE; ffa-facts.md §3.3-3.4, Xen X17) and ffa_mem_type_of().
 */
#include "fixture.h"

#include "ffa/mem_desc.h"

static const enum ffa_mem_type all_types[] = {FFA_MEM_TYPE_SHARE, FFA_MEM_TYPE_LEND,
					      FFA_MEM_TYPE_DONATE};
#define N_TYPES (sizeof(all_types) / sizeof(all_types[0]))

/*
 * A valid send of @type: one receiver, RW for a share or lend and data
 * access not specified for a donation (DEN0077A §10.10.3); normal WB
 * inner-shareable memory for a share, the memory type left unspecified for
 * a lend or donation to one borrower (mem_desc.c).
 */
static struct ffa_mem_txn one_receiver(enum ffa_mem_type type)
{
	return (struct ffa_mem_txn){
		.sender = 0x0001,
		.attributes = type == FFA_MEM_TYPE_SHARE
				      ? FFA_MEM_ATTR_NORMAL_WB_INNER
				      : FFA_MEM_ATTR_NORMAL_WB_INNER & ~FFA_MEM_ATTR_TYPE_MASK,
		.receiver_count = 1,
		.receivers = {{0x8001, type == FFA_MEM_TYPE_DONATE ? 0 : FFA_DATA_ACCESS_RW, 0}},
		.page_count = 2,
		.range_count = 1,
		.ranges = {{0x80000000ULL, 2}},
	};
}

static int check_attr(uint16_t attributes, enum ffa_mem_type type)
{
	struct ffa_mem_txn t = one_receiver(type);

	t.attributes = attributes;
	return ffa_mem_txn_check(&t, type);
}

static int check_flags(uint32_t flags, enum ffa_mem_type type)
{
	struct ffa_mem_txn t = one_receiver(type);

	t.flags = flags;
	return ffa_mem_txn_check(&t, type);
}

/* mem_desc.h: the base transaction is a valid SHARE, LEND and DONATE. */
static void test_mem_txn_check_accepts_plain_send(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		struct ffa_mem_txn t = one_receiver(all_types[i]);

		assert_int_equal(ffa_mem_txn_check(&t, all_types[i]), FFA_OK);
	}
}

/* ffa-facts §3.4: flags bit 0 (zero memory) is invalid for SHARE, allowed for LEND and DONATE. */
static void test_mem_txn_check_zero_memory_flag(void **state)
{
	(void)state;
	assert_int_equal(check_flags(FFA_MEM_FLAG_ZERO_MEMORY, FFA_MEM_TYPE_SHARE),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(check_flags(FFA_MEM_FLAG_ZERO_MEMORY, FFA_MEM_TYPE_LEND), FFA_OK);
	assert_int_equal(check_flags(FFA_MEM_FLAG_ZERO_MEMORY, FFA_MEM_TYPE_DONATE), FFA_OK);
	assert_int_equal(check_flags(FFA_MEM_FLAG_ZERO_MEMORY | FFA_MEM_FLAG_TIME_SLICING,
				     FFA_MEM_TYPE_LEND),
			 FFA_OK);
}

/* ffa-facts §3.4: flags bit 1 (time slicing) is allowed for every send. */
static void test_mem_txn_check_time_slicing_ok(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		assert_int_equal(check_flags(FFA_MEM_FLAG_TIME_SLICING, all_types[i]), FFA_OK);
	}
}

/* mem_desc.h: flags other than zero-memory and time-slicing MBZ in a send (bits 2-31). */
static void test_mem_txn_check_rejects_other_flag_bits(void **state)
{
	const uint32_t bad[] = {FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH,
				1U << FFA_MEM_FLAG_TYPE_SHIFT,
				FFA_MEM_FLAG_TYPE_MASK,
				1U << FFA_MEM_FLAG_ALIGN_HINT_SHIFT,
				FFA_MEM_FLAG_ALIGN_HINT_VALID,
				FFA_MEM_FLAG_BYPASS_BORROWERS_CHECK,
				1U << 16,
				1U << 31};

	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		for (unsigned b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			assert_int_equal(check_flags(bad[b], all_types[i]), FFA_INVALID_PARAMETERS);
			assert_int_equal(check_flags(bad[b] | FFA_MEM_FLAG_TIME_SLICING,
						     all_types[i]),
					 FFA_INVALID_PARAMETERS);
		}
	}
}

/* mem_desc.h: a send's handle MBZ (the relayer allocates it). */
static void test_mem_txn_check_rejects_handle(void **state)
{
	const uint64_t bad[] = {1, 0x8000000000000000ULL, 0xFFFFFFFF00000000ULL};

	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			struct ffa_mem_txn t = one_receiver(all_types[i]);

			t.handle = bad[k];
			assert_int_equal(ffa_mem_txn_check(&t, all_types[i]),
					 FFA_INVALID_PARAMETERS);
		}
	}
}

/* Xen X17: the NS attribute bit (bit 6) must be 0 from a sender. */
static void test_mem_txn_check_rejects_ns_attribute(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		assert_int_equal(check_attr(FFA_MEM_ATTR_NORMAL_WB_INNER | FFA_MEM_ATTR_NS,
					    all_types[i]),
				 FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(check_attr(FFA_MEM_ATTR_NS, FFA_MEM_TYPE_LEND), FFA_INVALID_PARAMETERS);
}

/* ffa-facts §3.2: attributes bits[15:7] MBZ. */
static void test_mem_txn_check_rejects_reserved_attribute_bits(void **state)
{
	(void)state;
	for (unsigned b = 7; b < 16; b++) {
		assert_int_equal(check_attr((uint16_t)(FFA_MEM_ATTR_NORMAL_WB_INNER | 1U << b),
					    FFA_MEM_TYPE_SHARE),
				 FFA_INVALID_PARAMETERS);
	}
}

/* ffa-facts §3.4: shareability 01 is reserved. */
static void test_mem_txn_check_rejects_reserved_shareability(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		assert_int_equal(check_attr(0x2D, all_types[i]), FFA_INVALID_PARAMETERS);
		assert_int_equal(check_attr(0x11, all_types[i]), FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(check_attr(0x2E, FFA_MEM_TYPE_SHARE), FFA_OK); /* outer */
	assert_int_equal(check_attr(0x2C, FFA_MEM_TYPE_SHARE), FFA_OK); /* non-shareable */
}

/* ffa-facts §3.4: memory type 11 is reserved. */
static void test_mem_txn_check_rejects_memory_type_3(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		assert_int_equal(check_attr(0x3F, all_types[i]), FFA_INVALID_PARAMETERS);
		assert_int_equal(check_attr(0x30, all_types[i]), FFA_INVALID_PARAMETERS);
	}
}

/* ffa-facts §3.4: normal memory cacheability 00 and 10 are reserved (01 and 11 valid). */
static void test_mem_txn_check_rejects_reserved_normal_cacheability(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		assert_int_equal(check_attr(0x23, all_types[i]), FFA_INVALID_PARAMETERS);
		assert_int_equal(check_attr(0x2B, all_types[i]), FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(check_attr(0x27, FFA_MEM_TYPE_SHARE), FFA_OK); /* non-cacheable */
	assert_int_equal(check_attr(0x2F, FFA_MEM_TYPE_SHARE), FFA_OK); /* write-back */
}

/* mem_desc.h: a SHARE must name a memory type; a LEND or DONATE to one borrower must not. */
static void test_mem_txn_check_share_needs_memory_type(void **state)
{
	(void)state;
	assert_int_equal(check_attr(0x00, FFA_MEM_TYPE_SHARE), FFA_INVALID_PARAMETERS);
	assert_int_equal(check_attr(0x03, FFA_MEM_TYPE_SHARE), FFA_INVALID_PARAMETERS);
	assert_int_equal(check_attr(0x00, FFA_MEM_TYPE_LEND), FFA_OK);
	assert_int_equal(check_attr(0x00, FFA_MEM_TYPE_DONATE), FFA_OK);
}

/* ffa-facts §3.4: 0x2F (normal WB inner shareable) and every device type are valid where a type is named. */
static void test_mem_txn_check_accepts_normal_wb_and_device(void **state)
{
	const uint16_t device[] = {0x10, 0x14, 0x18, 0x1C};
	struct ffa_mem_txn lend = one_receiver(FFA_MEM_TYPE_LEND);

	(void)state;
	lend.receiver_count = 2;
	lend.receivers[1] = (struct ffa_mem_receiver){0x8002, FFA_DATA_ACCESS_RW, 0};
	for (unsigned d = 0; d < sizeof(device) / sizeof(device[0]); d++) {
		assert_int_equal(check_attr(device[d], FFA_MEM_TYPE_SHARE), FFA_OK);
		lend.attributes = device[d];
		assert_int_equal(ffa_mem_txn_check(&lend, FFA_MEM_TYPE_LEND), FFA_OK);
	}
	assert_int_equal(check_attr(FFA_MEM_ATTR_NORMAL_WB_INNER, FFA_MEM_TYPE_SHARE), FFA_OK);
	lend.attributes = FFA_MEM_ATTR_NORMAL_WB_INNER;
	assert_int_equal(ffa_mem_txn_check(&lend, FFA_MEM_TYPE_LEND), FFA_OK);
}

/*
 * DEN0077A v1.2 "Usage of other memory region attributes" (Hafnium
 * ffa_memory_send_validate()): a donation, or a lend to one borrower, leaves
 * the memory type unspecified; naming one is INVALID_PARAMETERS. A lend to
 * several borrowers names it.
 */
static void test_mem_txn_check_single_borrower_type_unspecified(void **state)
{
	struct ffa_mem_txn lend = one_receiver(FFA_MEM_TYPE_LEND);

	(void)state;
	assert_int_equal(check_attr(0x2F, FFA_MEM_TYPE_LEND), FFA_INVALID_PARAMETERS);
	assert_int_equal(check_attr(0x2F, FFA_MEM_TYPE_DONATE), FFA_INVALID_PARAMETERS);
	assert_int_equal(check_attr(0x10, FFA_MEM_TYPE_DONATE), FFA_INVALID_PARAMETERS);
	assert_int_equal(check_attr(0x0F, FFA_MEM_TYPE_LEND), FFA_OK);
	assert_int_equal(check_attr(0x00, FFA_MEM_TYPE_DONATE), FFA_OK);
	lend.receiver_count = 2;
	lend.receivers[1] = (struct ffa_mem_receiver){0x8002, FFA_DATA_ACCESS_RW, 0};
	lend.attributes = 0x0F;
	assert_int_equal(ffa_mem_txn_check(&lend, FFA_MEM_TYPE_LEND), FFA_INVALID_PARAMETERS);
}

/*
 * DEN0077A v1.1 §10.10.3 (Hafnium ffa_memory_send_validate, TF-A 92b99ee): a sender
 * leaves instruction access not specified (NX and X refused) in every send; a share or
 * lend names RO or RW; a donation leaves data access to the borrower.
 */
static void test_mem_txn_check_sender_permissions(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_TYPES; i++) {
		struct ffa_mem_txn t = one_receiver(all_types[i]);
		uint8_t data = t.receivers[0].perms;

		for (uint32_t instr = 1; instr <= 2; instr++) {
			t.receivers[0].perms = (uint8_t)(data | instr << FFA_INSTRUCTION_ACCESS_SHIFT);
			assert_int_equal(ffa_mem_txn_check(&t, all_types[i]), FFA_INVALID_PARAMETERS);
		}
		t.receivers[0].perms = all_types[i] == FFA_MEM_TYPE_DONATE ? FFA_DATA_ACCESS_RO : 0;
		assert_int_equal(ffa_mem_txn_check(&t, all_types[i]), FFA_INVALID_PARAMETERS);
	}
	/* Any receiver's instruction access is enough to refuse a LEND. */
	struct ffa_mem_txn t = one_receiver(FFA_MEM_TYPE_LEND);

	t.receiver_count = 2;
	t.attributes = FFA_MEM_ATTR_NORMAL_WB_INNER; /* two borrowers: the type is named */
	t.receivers[1] = (struct ffa_mem_receiver){0x8002, FFA_DATA_ACCESS_RO | 1U << 2, 0};
	assert_int_equal(ffa_mem_txn_check(&t, FFA_MEM_TYPE_LEND), FFA_INVALID_PARAMETERS);
	t.receivers[1].perms = FFA_DATA_ACCESS_RO;
	assert_int_equal(ffa_mem_txn_check(&t, FFA_MEM_TYPE_LEND), FFA_OK);
}

/* mem_desc.h: a DONATE has exactly one receiver. */
static void test_mem_txn_check_donate_has_one_receiver(void **state)
{
	struct ffa_mem_txn t = one_receiver(FFA_MEM_TYPE_DONATE);
	struct ffa_mem_txn share = one_receiver(FFA_MEM_TYPE_SHARE);

	(void)state;
	assert_int_equal(ffa_mem_txn_check(&t, FFA_MEM_TYPE_DONATE), FFA_OK);
	t.receiver_count = 2;
	t.receivers[1] = (struct ffa_mem_receiver){0x8002, 0, 0};
	assert_int_equal(ffa_mem_txn_check(&t, FFA_MEM_TYPE_DONATE), FFA_INVALID_PARAMETERS);
	share.receiver_count = 2;
	share.receivers[1] = (struct ffa_mem_receiver){0x8002, FFA_DATA_ACCESS_RW, 0};
	assert_int_equal(ffa_mem_txn_check(&share, FFA_MEM_TYPE_SHARE), FFA_OK);
	assert_int_equal(ffa_mem_txn_check(&share, FFA_MEM_TYPE_LEND), FFA_OK); /* two: type named */
}

/* ffa-facts §1.2: SHARE/LEND/DONATE in both the SMC32 and the SMC64 forms. */
static void test_mem_type_of_send_functions(void **state)
{
	(void)state;
	assert_int_equal(ffa_mem_type_of(FFA_MEM_SHARE_32), FFA_MEM_TYPE_SHARE);
	assert_int_equal(ffa_mem_type_of(FFA_MEM_SHARE_64), FFA_MEM_TYPE_SHARE);
	assert_int_equal(ffa_mem_type_of(FFA_MEM_LEND_32), FFA_MEM_TYPE_LEND);
	assert_int_equal(ffa_mem_type_of(FFA_MEM_LEND_64), FFA_MEM_TYPE_LEND);
	assert_int_equal(ffa_mem_type_of(FFA_MEM_DONATE_32), FFA_MEM_TYPE_DONATE);
	assert_int_equal(ffa_mem_type_of(FFA_MEM_DONATE_64), FFA_MEM_TYPE_DONATE);
}

/* mem_desc.h: 0 for every function ID that is not a send. */
static void test_mem_type_of_other_functions_is_0(void **state)
{
	const uint32_t other[] = {0,
				  FFA_VERSION_32,
				  FFA_MEM_RETRIEVE_REQ_32,
				  FFA_MEM_RETRIEVE_REQ_64,
				  FFA_MEM_RETRIEVE_RESP_32,
				  FFA_MEM_RELINQUISH_32,
				  FFA_MEM_RECLAIM_32,
				  FFA_MEM_FRAG_TX_32,
				  0x84000070U,
				  FFA_MEM_SHARE_32 & ~0x80000000U, /* not a fast call */
				  FFA_MEM_SHARE_32 | 0x00010000U,
				  FFA_MEM_SHARE_64 | 0x00000100U};

	(void)state;
	for (unsigned i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		assert_int_equal(ffa_mem_type_of(other[i]), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_txn_check_accepts_plain_send),
		cmocka_unit_test(test_mem_txn_check_zero_memory_flag),
		cmocka_unit_test(test_mem_txn_check_time_slicing_ok),
		cmocka_unit_test(test_mem_txn_check_rejects_other_flag_bits),
		cmocka_unit_test(test_mem_txn_check_rejects_handle),
		cmocka_unit_test(test_mem_txn_check_rejects_ns_attribute),
		cmocka_unit_test(test_mem_txn_check_rejects_reserved_attribute_bits),
		cmocka_unit_test(test_mem_txn_check_rejects_reserved_shareability),
		cmocka_unit_test(test_mem_txn_check_rejects_memory_type_3),
		cmocka_unit_test(test_mem_txn_check_rejects_reserved_normal_cacheability),
		cmocka_unit_test(test_mem_txn_check_share_needs_memory_type),
		cmocka_unit_test(test_mem_txn_check_accepts_normal_wb_and_device),
		cmocka_unit_test(test_mem_txn_check_single_borrower_type_unspecified),
		cmocka_unit_test(test_mem_txn_check_sender_permissions),
		cmocka_unit_test(test_mem_txn_check_donate_has_one_receiver),
		cmocka_unit_test(test_mem_type_of_send_functions),
		cmocka_unit_test(test_mem_type_of_other_functions_is_0),
	};

	return cmocka_run_group_tests_name("mem_desc_check", tests, NULL, NULL);
}
