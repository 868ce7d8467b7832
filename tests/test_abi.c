/*
 * The wire ABI (mediator/inc/ffa/abi.h) and the SMCCC register rules
 * (smccc_conform()): field offsets from DEN0077A's descriptor tables, the
 * version word, names, UUID register packing, and SMC32 / SMC64 register
 * handling from DEN0028 v1.2 §2.6.
 */
#include "fixture.h"

#include <string.h>

/* DEN0077A "Partition information descriptor": UUID at byte 8, after ID, count and properties. */
static void test_partition_info_layout_matches_spec_table(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct ffa_partition_info, exec_ctx_count), 2);
	assert_int_equal(offsetof(struct ffa_partition_info, properties), 4);
	assert_int_equal(offsetof(struct ffa_partition_info, uuid), 8);
	assert_int_equal(sizeof(struct ffa_partition_info_v1_0), 8);
}

/* DEN0077A "Memory transaction descriptor": v1.1+ EMAD size at 24, count at 28, offset at 32. */
static void test_mem_region_layout_matches_spec_table(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct ffa_mem_region, attributes), 2);
	assert_int_equal(offsetof(struct ffa_mem_region, handle), 8);
	assert_int_equal(offsetof(struct ffa_mem_region, tag), 16);
	assert_int_equal(offsetof(struct ffa_mem_region, ep_mem_size), 24);
	assert_int_equal(offsetof(struct ffa_mem_region, ep_count), 28);
	assert_int_equal(offsetof(struct ffa_mem_region, ep_mem_offset), 32);
	assert_int_equal(offsetof(struct ffa_mem_region_v1_0, ep_count), 28);
	assert_int_equal(offsetof(struct ffa_mem_access, composite_off), 4);
	assert_int_equal(offsetof(struct ffa_mem_access, impdef), 8);
	assert_int_equal(offsetof(struct ffa_mem_access, reserved), 24);
	assert_int_equal(offsetof(struct ffa_mem_access_v1_0, composite_off), 4);
	assert_int_equal(offsetof(struct ffa_mem_region_constituent, page_count), 8);
	assert_int_equal(offsetof(struct ffa_composite_mem_region, constituent_count), 4);
}

/* DEN0077A "Partition message header": v1.2 adds a UUID at byte 24. */
static void test_msg_header_layout_matches_spec_table(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct ffa_partition_msg_header_v1_1, offset), 8);
	assert_int_equal(offsetof(struct ffa_partition_msg_header_v1_1, sender_receiver), 12);
	assert_int_equal(offsetof(struct ffa_partition_msg_header_v1_1, size), 16);
	assert_int_equal(offsetof(struct ffa_partition_msg_header, uuid), 24);
	assert_int_equal(offsetof(struct ffa_endpoint_rxtx_descriptor, rx_composite_off), 4);
	assert_int_equal(offsetof(struct ffa_endpoint_rxtx_descriptor, tx_composite_off), 8);
}

/* DEN0077A FFA_VERSION: bit 31 MBZ, major in bits[30:16], minor in bits[15:0]. */
static void test_version_word_encoding(void **state)
{
	(void)state;
	assert_int_equal(FFA_VERSION_1_0, 0x10000);
	assert_int_equal(FFA_VERSION_1_1, 0x10001);
	assert_int_equal(FFA_VERSION_1_2, 0x10002);
	assert_int_equal(ffa_version_major(0x7FFF0003U), 0x7FFF);
	assert_int_equal(ffa_version_minor(0x7FFF0003U), 3);
	/* Bit 31 is not part of the major. */
	assert_int_equal(ffa_version_major(0x80010002U), 1);
}

/* Every FF-A 1.2 function ID has its spec name, SMC32 and SMC64 forms told apart. */
static void test_func_names_and_versions(void **state)
{
	(void)state;
	assert_string_equal(ffa_func_name(FFA_RXTX_MAP_32), "FFA_RXTX_MAP_32");
	assert_string_equal(ffa_func_name(FFA_RXTX_MAP_64), "FFA_RXTX_MAP_64");
	assert_string_equal(ffa_func_name(FFA_MSG_SEND_DIRECT_REQ2_64),
			    "FFA_MSG_SEND_DIRECT_REQ2_64");
	assert_null(ffa_func_name(0x8400008FU));
	assert_null(ffa_func_name(FFA_VERSION_32 | SMCCC_SMC64));
	assert_int_equal(ffa_func_since(FFA_VERSION_32), FFA_VERSION_1_0);
	assert_int_equal(ffa_func_since(FFA_SPM_ID_GET_32), FFA_VERSION_1_1);
	assert_int_equal(ffa_func_since(FFA_PARTITION_INFO_GET_REGS_64), FFA_VERSION_1_2);
	assert_int_equal(ffa_func_since(0xC4000063U), 0);
	/* Every ID in FF-A's 1.2 range is either named or deliberately absent. */
	for (uint32_t fn = 0x60; fn <= 0x8E; fn++) {
		assert_non_null(ffa_func_name(0x84000000U | fn) ? ffa_func_name(0x84000000U | fn)
								: ffa_func_name(0xC4000000U | fn));
	}
}

/* DEN0077A "Status error codes": spec names for -1..-10, UNKNOWN otherwise. */
static void test_error_names(void **state)
{
	(void)state;
	assert_string_equal(ffa_error_name(FFA_NOT_SUPPORTED), "NOT_SUPPORTED");
	assert_string_equal(ffa_error_name(FFA_INVALID_PARAMETERS), "INVALID_PARAMETERS");
	assert_string_equal(ffa_error_name(FFA_DENIED), "DENIED");
	assert_string_equal(ffa_error_name(FFA_NO_DATA), "NO_DATA");
	assert_string_equal(ffa_error_name(FFA_NOT_READY), "NOT_READY");
	assert_string_equal(ffa_error_name(-11), "UNKNOWN");
	assert_string_equal(ffa_error_name(1), "UNKNOWN");
	assert_int_equal((uint32_t)FFA_INVALID_PARAMETERS, 0xFFFFFFFEU);
}

/* DEN0077A §"FFA_MSG_SEND_DIRECT_REQ2": UUID byte 0 sits in the low-order bits. */
static void test_uuid_register_packing(void **state)
{
	struct ffa_uuid u, back;

	(void)state;
	assert_true(ffa_uuid_parse("00112233-4455-6677-8899-aabbccddeeff", &u));
	assert_int_equal(u.b[0], 0x00);
	assert_int_equal(u.b[15], 0xFF);
	assert_int_equal(ffa_uuid_word32(&u, 0), 0x33221100U);
	assert_int_equal(ffa_uuid_word32(&u, 3), 0xFFEEDDCCU);
	assert_int_equal(ffa_uuid_word64(&u, 0), 0x7766554433221100ULL);
	assert_int_equal(ffa_uuid_word64(&u, 1), 0xFFEEDDCCBBAA9988ULL);
	back = ffa_uuid_from_words64(ffa_uuid_word64(&u, 0), ffa_uuid_word64(&u, 1));
	assert_memory_equal(&back, &u, sizeof(u));
	back = ffa_uuid_from_words32(0x33221100U, 0x77665544U, 0xBBAA9988U, 0xFFEEDDCCU);
	assert_memory_equal(&back, &u, sizeof(u));
	assert_false(ffa_uuid_parse("00112233-4455-6677-8899-aabbccddeef", &u));
	assert_false(ffa_uuid_parse("00112233-4455-6677-8899-aabbccddeeff0", &u));
	assert_false(ffa_uuid_parse("0011223304455-6677-8899-aabbccddeeff", &u));
	assert_false(ffa_uuid_parse("00112233-4455-6677-8899-aabbccddeegf", &u));
}

static struct smccc_regs filled(uint64_t base)
{
	struct smccc_regs r;

	for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
		r.x[i] = base + i;
	}
	return r;
}

/* DEN0028 §2.6: an SMC32 result is zero-extended: INVALID_PARAMETERS is x2 = 0x00000000FFFFFFFE. */
static void test_smc32_result_is_zero_extended(void **state)
{
	struct smccc_regs call = filled(0xAAAAAAAA00000000ULL);
	struct smccc_regs res = {.x = {0xFFFFFFFF84000060ULL, 0, (uint64_t)(int64_t)-2}};

	(void)state;
	call.x[0] = FFA_RXTX_UNMAP_32;
	smccc_conform(&res, &call, false);
	assert_int_equal(res.x[0], FFA_ERROR_32);
	assert_int_equal(res.x[2], 0x00000000FFFFFFFEULL);
}

/* DEN0028 §2.6: SMC32 calls preserve x8-x17, even from an SMCCC v1.2 caller. */
static void test_smc32_preserves_x8_to_x17(void **state)
{
	struct smccc_regs call = filled(0x1000);
	struct smccc_regs res = filled(0x5000);

	(void)state;
	call.x[0] = FFA_ID_GET_32;
	res.x[0] = FFA_SUCCESS_32;
	smccc_conform(&res, &call, true);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(res.x[i], 0x1000 + i);
	}
	assert_int_equal(res.x[7], 0x5007);
}

/* SMCCC v1.2 with FF-A 1.2: an SMC64 result owns x8-x17; an older caller keeps its own. */
static void test_smc64_x8_to_x17_depend_on_smccc_version(void **state)
{
	struct smccc_regs call = filled(0x1000);
	struct smccc_regs res = {.x = {FFA_SUCCESS_64, 0, 0xAAAAAAAABBBBBBBBULL}};
	struct smccc_regs res11 = res;

	(void)state;
	call.x[0] = FFA_PARTITION_INFO_GET_REGS_64;
	smccc_conform(&res, &call, true);
	assert_int_equal(res.x[2], 0xAAAAAAAABBBBBBBBULL);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(res.x[i], 0);
	}
	smccc_conform(&res11, &call, false);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(res11.x[i], 0x1000 + i);
	}
}

/* A result is masked to its own convention: FFA_ERROR_32 answering an SMC64 call. */
static void test_smc32_result_to_smc64_call_is_masked(void **state)
{
	struct smccc_regs call = {.x = {FFA_RXTX_MAP_64}};
	struct smccc_regs res = {.x = {FFA_ERROR_32, 0xDEAD00000000ULL, (uint64_t)(int64_t)-6}};

	(void)state;
	smccc_conform(&res, &call, true);
	assert_int_equal(res.x[1], 0);
	assert_int_equal(res.x[2], 0x00000000FFFFFFFAULL);
}

/* Calls: SMC32 arguments lose their upper halves and x8-x17; SMC64 v1.2 keeps all. */
static void test_call_arguments_follow_the_convention(void **state)
{
	struct smccc_regs c32 = filled(0xFFFFFFFF00000000ULL);
	struct smccc_regs c64 = filled(0xFFFFFFFF00000000ULL);

	(void)state;
	c32.x[0] = 0xFFFFFFFF00000000ULL | FFA_RXTX_MAP_32;
	smccc_conform(&c32, NULL, true);
	assert_int_equal(c32.x[0], FFA_RXTX_MAP_32);
	assert_int_equal(c32.x[1], 1);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(c32.x[i], 0);
	}
	c64.x[0] = FFA_MSG_SEND_DIRECT_REQ2_64;
	smccc_conform(&c64, NULL, true);
	assert_int_equal(c64.x[17], 0xFFFFFFFF00000011ULL);
	c64 = filled(0xFFFFFFFF00000000ULL);
	c64.x[0] = FFA_RXTX_MAP_64;
	smccc_conform(&c64, NULL, false);
	assert_int_equal(c64.x[1], 0xFFFFFFFF00000001ULL);
	assert_int_equal(c64.x[8], 0);
}

/* ffa-facts.md §1.1: FF-A owns fast calls 0x60-0xFF of owner 4, SMC32 and SMC64. */
static void test_ffa_function_range(void **state)
{
	(void)state;
	assert_true(smccc_is_ffa_fid(0x84000060U));
	assert_true(smccc_is_ffa_fid(0xC40000FFU));
	assert_false(smccc_is_ffa_fid(0x8400005FU));
	assert_false(smccc_is_ffa_fid(0x84000100U));
	assert_false(smccc_is_ffa_fid(0x04000063U)); /* yielding call */
	assert_false(smccc_is_ffa_fid(0x84010063U)); /* bits[23:16] MBZ (SVE hint) */
	assert_false(smccc_is_ffa_fid(0x85000063U)); /* owner 5 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partition_info_layout_matches_spec_table),
		cmocka_unit_test(test_mem_region_layout_matches_spec_table),
		cmocka_unit_test(test_msg_header_layout_matches_spec_table),
		cmocka_unit_test(test_version_word_encoding),
		cmocka_unit_test(test_func_names_and_versions),
		cmocka_unit_test(test_error_names),
		cmocka_unit_test(test_uuid_register_packing),
		cmocka_unit_test(test_smc32_result_is_zero_extended),
		cmocka_unit_test(test_smc32_preserves_x8_to_x17),
		cmocka_unit_test(test_smc64_x8_to_x17_depend_on_smccc_version),
		cmocka_unit_test(test_smc32_result_to_smc64_call_is_masked),
		cmocka_unit_test(test_call_arguments_follow_the_convention),
		cmocka_unit_test(test_ffa_function_range),
	};

	return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
