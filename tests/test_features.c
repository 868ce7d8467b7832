/*
 * Discovery through the mediator: FFA_FEATURES (DEN0077A v1.2),
 * FFA_ID_GET and FFA_SPM_ID_GET. The key property: the set
 * of ABIs FFA_FEATURES reports to a caller is exactly the set the dispatcher
 * handles for that caller, at every version and for AArch32 callers, so a
 * handler added without a FEATURES decision (or the reverse) shows up here.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FFA_SMC32_BASE 0x84000000U
#define FFA_SMC64_BASE 0xC4000000U
#define FID_SLOTS (2 * (FFA_FUNC_NUM_MAX - FFA_FUNC_NUM_MIN + 1))
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* What the dispatcher handles for a v1.2 AArch64 caller (dispatch.c handler table). */
static const uint32_t handled_v1_2[] = {
	FFA_ERROR_32,
	FFA_SUCCESS_32,
	FFA_SUCCESS_64,
	FFA_INTERRUPT_32,
	FFA_VERSION_32,
	FFA_FEATURES_32,
	FFA_RX_RELEASE_32,
	FFA_RXTX_MAP_32,
	FFA_RXTX_MAP_64,
	FFA_RXTX_UNMAP_32,
	FFA_PARTITION_INFO_GET_32,
	FFA_ID_GET_32,
	FFA_SPM_ID_GET_32,
	FFA_PARTITION_INFO_GET_REGS_64,
	FFA_RUN_32,
	FFA_MSG_SEND_DIRECT_REQ_32,
	FFA_MSG_SEND_DIRECT_REQ_64,
	FFA_MSG_SEND_DIRECT_REQ2_64,
	FFA_MSG_SEND2_32,
	FFA_NOTIFICATION_BIND_32,
	FFA_NOTIFICATION_UNBIND_32,
	FFA_NOTIFICATION_SET_32,
	FFA_NOTIFICATION_GET_32,
	FFA_NOTIFICATION_INFO_GET_32,
	FFA_NOTIFICATION_INFO_GET_64,
	FFA_MEM_DONATE_32,
	FFA_MEM_DONATE_64,
	FFA_MEM_LEND_32,
	FFA_MEM_LEND_64,
	FFA_MEM_SHARE_32,
	FFA_MEM_SHARE_64,
	FFA_MEM_FRAG_TX_32,
	FFA_MEM_RECLAIM_32,
	FFA_MEM_RETRIEVE_REQ_32,
	FFA_MEM_RETRIEVE_REQ_64,
	FFA_MEM_RELINQUISH_32,
	FFA_MEM_RETRIEVE_RESP_32,
	FFA_MEM_FRAG_RX_32,
};

/* ACS ffa_features: the ABIs every FF-A instance must report, at v1.0 already. */
static const uint32_t acs_mandatory[] = {
	FFA_ERROR_32,    FFA_SUCCESS_32,    FFA_INTERRUPT_32,          FFA_VERSION_32,
	FFA_FEATURES_32, FFA_RX_RELEASE_32, FFA_PARTITION_INFO_GET_32, FFA_ID_GET_32,
	FFA_RXTX_UNMAP_32,
};

static struct smccc_regs features(struct fixture *f, ffa_id_t vm, uint32_t id, uint32_t w2)
{
	return fx_call(f, vm, FFA_FEATURES_32, id, w2, 0, 0, 0);
}

/* A FEATURES SUCCESS: FFA_SUCCESS_32, w1 and w3-w7 zero; returns w2. */
static uint32_t features_success(struct smccc_regs r, uint32_t id)
{
	if (r.x[0] != FFA_SUCCESS_32) {
		fail_msg("FFA_FEATURES(%#x): x0=%#llx x2=%#llx, expected FFA_SUCCESS_32", id,
			 (unsigned long long)r.x[0], (unsigned long long)r.x[2]);
	}
	for (unsigned i = 1; i < 8; i++) {
		if (i != 2 && r.x[i] != 0) {
			fail_msg("FFA_FEATURES(%#x): x%u=%#llx, expected 0", id, i,
				 (unsigned long long)r.x[i]);
		}
	}
	assert_int_equal(r.x[2] >> 32, 0);
	return (uint32_t)r.x[2];
}

/* SUCCESS (true) or FFA_ERROR/NOT_SUPPORTED (false); anything else fails the test. */
static bool features_answer(struct smccc_regs r, uint32_t id, uint32_t w2)
{
	if (r.x[0] == FFA_ERROR_32) {
		if (r.x[2] != (uint32_t)FFA_NOT_SUPPORTED) {
			fail_msg("FFA_FEATURES(%#x, w2=%#x): error %#llx, only NOT_SUPPORTED allowed",
				 id, w2, (unsigned long long)r.x[2]);
		}
		for (unsigned i = 3; i < 8; i++) {
			assert_int_equal(r.x[i], 0);
		}
		return false;
	}
	features_success(r, id);
	return true;
}

static uint32_t fid_of_slot(unsigned slot)
{
	unsigned n = FFA_FUNC_NUM_MAX - FFA_FUNC_NUM_MIN + 1;

	return (slot < n ? FFA_SMC32_BASE : FFA_SMC64_BASE) + FFA_FUNC_NUM_MIN + slot % n;
}

static bool in_list(const uint32_t *list, size_t n, uint32_t fid)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i] == fid) {
			return true;
		}
	}
	return false;
}

/* --- FFA_FEATURES(FFA_RXTX_MAP) interface properties --- */

/* ffa-facts.md §2 / ACS ffa_features: v1.2: w2[1:0] = 0 (4K), w2[15:2] = 0, w2[31:16] = max 1. */
static void test_features_rxtx_map_v1_2_default(void **state)
{
	struct fixture *f = *state;
	uint32_t w2;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	w2 = features_success(features(f, GUEST1, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64);
	assert_int_equal(w2 & FFA_FEAT_RXTX_MIN_SIZE_MASK, FFA_FEAT_RXTX_MIN_SIZE_4K);
	assert_int_equal(w2 & 0xFFFCU, 0);
	assert_int_equal(w2 >> FFA_FEAT_RXTX_MAX_PAGES_SHIFT, 1);
	assert_int_equal(w2, 0x00010000U);
	/* The SMC32 form reports the same properties. */
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_32, 0), FFA_RXTX_MAP_32),
			 0x00010000U);
}

/* ffa-facts.md §2: w2[31:16] is the configured maximum (8 pages). */
static void test_features_rxtx_map_v1_2_max8(void **state)
{
	struct fixture *f = fixture_sized(1, 8);

	(void)state;
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 8U << 16);
	fixture_free(f);
}

/* ACS ffa_features (v1.0 client): before v1.2 w2[31:2] MBZ: no maximum for 1.1 and 1.0 callers. */
static void test_features_rxtx_map_pre_v1_2_no_max(void **state)
{
	struct fixture *f = fixture_sized(1, 8);

	(void)state;
	fx_negotiate(f, GUEST1, FFA_VERSION_1_1);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_0);
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 0);
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_32, 0), FFA_RXTX_MAP_32),
			 0);
	assert_int_equal(features_success(features(f, GUEST2, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 0);
	assert_int_equal(features_success(features(f, GUEST2, FFA_RXTX_MAP_32, 0), FFA_RXTX_MAP_32),
			 0);
	fixture_free(f);
}

/* ffa-facts.md §2: minimum 16K is w2[1:0] = 0b10, for every caller version. */
static void test_features_rxtx_map_min_16k(void **state)
{
	struct fixture *f = fixture_sized(4, 8);

	(void)state;
	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_1);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_0);
	assert_int_equal(features_success(features(f, HOST, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 (8U << 16) | FFA_FEAT_RXTX_MIN_SIZE_16K);
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 FFA_FEAT_RXTX_MIN_SIZE_16K);
	assert_int_equal(features_success(features(f, GUEST2, FFA_RXTX_MAP_32, 0), FFA_RXTX_MAP_32),
			 2);
	fixture_free(f);
}

/* ffa-facts.md §2: minimum 64K is w2[1:0] = 0b01. */
static void test_features_rxtx_map_min_64k(void **state)
{
	struct fixture *f = fixture_sized(16, 16);

	(void)state;
	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_0);
	assert_int_equal(features_success(features(f, HOST, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 (16U << 16) | FFA_FEAT_RXTX_MIN_SIZE_64K);
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_64, 0), FFA_RXTX_MAP_64),
			 1);
	fixture_free(f);
}

/*
 * ACS ffa_features: every SUCCESS has w3-w7 zero, and w2 zero for ABIs with
 * no properties; FFA_MEM_RETRIEVE_REQ's is NS-bit handling (bit 1, the ACS's
 * ffa_features_nsbit, whatever the input).
 */
static void test_features_success_reserved_regs_zero(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(handled_v1_2) / sizeof(handled_v1_2[0]); i++) {
		uint32_t id = handled_v1_2[i];
		uint32_t w2 = features_success(features(f, GUEST1, id, 0), id);
		uint32_t want = id == FFA_MEM_RETRIEVE_REQ_32 || id == FFA_MEM_RETRIEVE_REQ_64
					? FFA_FEAT_RETRIEVE_NS_BIT
					: 0;

		if (id != FFA_RXTX_MAP_32 && id != FFA_RXTX_MAP_64 && w2 != want) {
			fail_msg("FFA_FEATURES(%#x): w2=%#x, expected %#x", id, w2, want);
		}
	}
	assert_int_equal(features_success(features(f, GUEST1, FFA_MEM_RETRIEVE_REQ_64, FFA_FEAT_RETRIEVE_NS_BIT),
					  FFA_MEM_RETRIEVE_REQ_64),
			 FFA_FEAT_RETRIEVE_NS_BIT);
}

/* --- FFA_FEATURES: feature IDs and the only error --- */

/*
 * ffa-facts.md §2 (Hafnium api_ffa_features): of the feature IDs the SRI (and
 * the NPI, tests/test_notifications.c), with its ID in w2; MEI, MBZ bits or
 * w2 set -> NOT_SUPPORTED.
 */
static void test_features_feature_ids(void **state)
{
	struct fixture *f = *state;
	static const uint32_t ids[] = {
		0, FFA_FEATURE_MEI, 4, 0xFF,
		0x100 | FFA_FEATURE_NPI, 0x7FFFFF00 | FFA_FEATURE_SRI, 0x00010000 | FFA_FEATURE_MEI,
		0x7FFFFFFF,
	};
	struct smccc_regs r;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_ffa_error(features(f, GUEST1, ids[i], 0), FFA_NOT_SUPPORTED);
		assert_ffa_error(features(f, GUEST1, ids[i], 0xFFFFFFFFU), FFA_NOT_SUPPORTED);
	}
	assert_ffa_error(features(f, GUEST1, FFA_FEATURE_SRI, 0xFFFFFFFFU), FFA_NOT_SUPPORTED);
	r = features(f, GUEST1, FFA_FEATURE_SRI, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], FFA_SRI_INTID);
}

/* Hafnium 6fd6c1d6: the only error FFA_FEATURES returns is NOT_SUPPORTED, whatever w1 and w2. */
static void test_features_only_error_is_not_supported(void **state)
{
	struct fixture *f = *state;
	static const uint32_t w2s[] = {0, 1, 2, 0x80000000U, 0xFFFFFFFFU};
	static const uint32_t odd[] = {
		0x0, 0x80000000U, 0x84000000U, 0x8400005FU, 0x84000100U, 0x84010063U, 0x85000063U,
		0x04000063U, 0x44000063U, 0xC40000FFU, 0xC4FF0064U, 0xFFFFFFFFU, 0x7FFFFFFFU,
		0x12345678U, 0x9ABCDEF0U, 0xDEADBEEFU, 0x840000AAU | 0x00400000U, 0xC5000066U,
	};
	uint32_t seed = 0x2545F491U;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t k = 0; k < sizeof(w2s) / sizeof(w2s[0]); k++) {
		for (uint32_t n = 0; n <= 0x1FF; n++) {
			features_answer(features(f, GUEST1, FFA_SMC32_BASE | n, w2s[k]),
					FFA_SMC32_BASE | n, w2s[k]);
			features_answer(features(f, GUEST1, FFA_SMC64_BASE | n, w2s[k]),
					FFA_SMC64_BASE | n, w2s[k]);
		}
		for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
			features_answer(features(f, GUEST1, odd[i], w2s[k]), odd[i], w2s[k]);
		}
		for (int i = 0; i < 2000; i++) {
			/* xorshift32 */
			seed ^= seed << 13;
			seed ^= seed >> 17;
			seed ^= seed << 5;
			features_answer(features(f, GUEST1, seed, w2s[k]), seed, w2s[k]);
		}
	}
	/* Bits above w1/w2 in x1/x2 are not part of an SMC32 call: FEATURES still answers. */
	assert_int_equal(features_success(features(f, GUEST1, FFA_ID_GET_32, 0), FFA_ID_GET_32), 0);
	assert_int_equal(features_success(fx_call(f, GUEST1, FFA_FEATURES_32,
						   0xFFFFFFFF00000000ULL | FFA_ID_GET_32,
						   0xFFFFFFFF00000000ULL, 0, 0, 0),
					   FFA_ID_GET_32),
			 0);
}

/* ffa-facts.md §2 (Xen X16, fix 4992308e97): non-zero w2-w7 do not turn a SUCCESS into an error. */
static void test_features_nonzero_w2_to_w7_ignored(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_int_equal(features_success(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_RXTX_MAP_64,
						   0xFFFFFFFFU, 0xFFFFFFFFU, 0xFFFFFFFFU,
						   0xFFFFFFFFU),
					   FFA_RXTX_MAP_64),
			 0x00010000U);
	assert_int_equal(features_success(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_VERSION_32, 2, 3,
						   4, 5),
					   FFA_VERSION_32),
			 0);
}

/* ACS ffa_features: the mandatory ABIs are reported to a v1.0 caller. */
static void test_features_acs_mandatory_v1_0(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_0);
	for (size_t i = 0; i < sizeof(acs_mandatory) / sizeof(acs_mandatory[0]); i++) {
		features_success(features(f, GUEST1, acs_mandatory[i], 0), acs_mandatory[i]);
	}
	/* ... and to v1.1 and v1.2 callers. */
	fx_negotiate(f, GUEST2, FFA_VERSION_1_1);
	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(acs_mandatory) / sizeof(acs_mandatory[0]); i++) {
		features_success(features(f, GUEST2, acs_mandatory[i], 0), acs_mandatory[i]);
		features_success(features(f, HOST, acs_mandatory[i], 0), acs_mandatory[i]);
	}
}

/* DEN0077A FFA_FEATURES: ABIs newer than the caller's version are not reported (1.1 SPM_ID_GET, SEND2, notifications; 1.2 GET_REGS, REQ2). */
static void test_features_newer_abis_hidden_from_older_callers(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_0);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_1);
	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	assert_ffa_error(features(f, GUEST1, FFA_SPM_ID_GET_32, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(features(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0), FFA_NOT_SUPPORTED);
	features_success(features(f, GUEST2, FFA_SPM_ID_GET_32, 0), FFA_SPM_ID_GET_32);
	assert_ffa_error(features(f, GUEST2, FFA_PARTITION_INFO_GET_REGS_64, 0), FFA_NOT_SUPPORTED);
	features_success(features(f, HOST, FFA_SPM_ID_GET_32, 0), FFA_SPM_ID_GET_32);
	features_success(features(f, HOST, FFA_PARTITION_INFO_GET_REGS_64, 0),
			 FFA_PARTITION_INFO_GET_REGS_64);
	/* Hypervisor-only and unimplemented ABIs are never reported to a VM (Xen X16). */
	assert_ffa_error(features(f, HOST, FFA_RX_ACQUIRE_32, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(features(f, HOST, FFA_NOTIFICATION_BITMAP_CREATE_32, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(features(f, HOST, FFA_YIELD_32, 0), FFA_NOT_SUPPORTED);
	/* REQ2 is v1.2: reported to the v1.2 host, not to the v1.1 guest. */
	features_success(features(f, HOST, FFA_MSG_SEND_DIRECT_REQ2_64, 0),
			 FFA_MSG_SEND_DIRECT_REQ2_64);
	assert_ffa_error(features(f, GUEST2, FFA_MSG_SEND_DIRECT_REQ2_64, 0), FFA_NOT_SUPPORTED);
	/* SEND2 and notifications are v1.1: hidden from the v1.0 guest. */
	assert_ffa_error(features(f, GUEST1, FFA_MSG_SEND2_32, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(features(f, GUEST1, FFA_NOTIFICATION_BIND_32, 0), FFA_NOT_SUPPORTED);
}

/* SMCCC (no SMC64 from AArch32): an AArch32 caller is not offered SMC64 ABIs. */
static void test_features_aarch32_no_smc64(void **state)
{
	struct fixture *f = fixture_aarch32(GUEST1);

	(void)state;
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_error(features(f, GUEST1, FFA_RXTX_MAP_64, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(features(f, GUEST1, FFA_SUCCESS_64, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(features(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0), FFA_NOT_SUPPORTED);
	assert_int_equal(features_success(features(f, GUEST1, FFA_RXTX_MAP_32, 0), FFA_RXTX_MAP_32),
			 0x00010000U);
	features_success(features(f, GUEST1, FFA_SUCCESS_32, 0), FFA_SUCCESS_32);
	fixture_free(f);
}

/* --- FEATURES and the dispatcher agree --- */

/*
 * For every FF-A ID, FEATURES' answer and the call's answer agree:
 * NOT_SUPPORTED <=> NOT_SUPPORTED. Fills @reported / @handled (may be NULL)
 * with what FEATURES reported and what the dispatcher handled.
 */
static void check_features_match_dispatch(struct fixture *f, ffa_id_t vm, uint32_t version,
					  bool reported[FID_SLOTS], bool handled[FID_SLOTS])
{
	bool rep[FID_SLOTS];

	fx_negotiate(f, vm, version);
	/* All FEATURES first: the calls below change state (FFA_VERSION, ...). */
	for (unsigned s = 0; s < FID_SLOTS; s++) {
		uint32_t id = fid_of_slot(s);

		rep[s] = features_answer(features(f, vm, id, 0), id, 0);
	}
	for (unsigned s = 0; s < FID_SLOTS; s++) {
		uint32_t id = fid_of_slot(s);
		struct smccc_regs r;
		bool not_supported;

		if (id == FFA_VERSION_32) {
			/* Zero args would be version 0.0, refused on its merits: ask for ours. */
			r = fx_call(f, vm, id, version, 0, 0, 0, 0);
			not_supported = (uint32_t)r.x[0] == FFA_VERSION_NOT_SUPPORTED;
		} else if (id == FFA_FEATURES_32) {
			/* w1 = 0 is feature ID 0, NOT_SUPPORTED on its merits: ask about ID_GET. */
			r = fx_call(f, vm, id, FFA_ID_GET_32, 0, 0, 0, 0);
			not_supported = ffa_is_error(&r, FFA_NOT_SUPPORTED);
		} else {
			r = fx_call(f, vm, id, 0, 0, 0, 0, 0);
			not_supported = ffa_is_error(&r, FFA_NOT_SUPPORTED);
		}
		if (!rep[s] && !not_supported) {
			fail_msg("v%#x VM %u: FEATURES(%#x) = NOT_SUPPORTED but the call answered "
				 "x0=%#llx x2=%#llx",
				 version, vm, id, (unsigned long long)r.x[0],
				 (unsigned long long)r.x[2]);
		}
		if (rep[s] && not_supported) {
			fail_msg("v%#x VM %u: FEATURES(%#x) = SUCCESS but the call answered "
				 "NOT_SUPPORTED",
				 version, vm, id);
		}
		if (!rep[s] && id != FFA_VERSION_32) {
			/* FFA_ERROR/NOT_SUPPORTED exactly, not SMCCC_UNKNOWN (Xen X1). */
			assert_int_equal(r.x[0], FFA_ERROR_32);
			assert_int_equal(r.x[2], (uint32_t)FFA_NOT_SUPPORTED);
		}
		if (reported != NULL) {
			reported[s] = rep[s];
		}
		if (handled != NULL) {
			handled[s] = !not_supported;
		}
	}
	/* FEATURES after the calls still gives the same answers (no state drift). */
	for (unsigned s = 0; s < FID_SLOTS; s++) {
		uint32_t id = fid_of_slot(s);

		if (features_answer(features(f, vm, id, 0), id, 0) != rep[s]) {
			fail_msg("v%#x VM %u: FEATURES(%#x) changed after the calls", version, vm, id);
		}
	}
}

/* Assert @set (over all slots) is exactly @list minus what @drop says. */
static void assert_set_is(const bool set[FID_SLOTS], const uint32_t *list, size_t n,
			  const uint32_t *drop, size_t n_drop, const char *what)
{
	for (unsigned s = 0; s < FID_SLOTS; s++) {
		uint32_t id = fid_of_slot(s);
		bool want = in_list(list, n, id) && !in_list(drop, n_drop, id);

		if (set[s] != want) {
			fail_msg("%s: %#x (%s) is %s, expected %s", what, id,
				 ffa_func_name(id) ? ffa_func_name(id) : "?",
				 set[s] ? "in" : "absent", want ? "in" : "absent");
		}
	}
}

/* v1.2 brought GET_REGS and REQ2; v1.1 brought SPM_ID_GET, SEND2 and notifications. */
static const uint32_t drop_v1_1[] = {FFA_PARTITION_INFO_GET_REGS_64, FFA_MSG_SEND_DIRECT_REQ2_64};
static const uint32_t drop_v1_0[] = {
	FFA_PARTITION_INFO_GET_REGS_64, FFA_MSG_SEND_DIRECT_REQ2_64, FFA_SPM_ID_GET_32,
	FFA_MSG_SEND2_32,		FFA_NOTIFICATION_BIND_32,    FFA_NOTIFICATION_UNBIND_32,
	FFA_NOTIFICATION_SET_32,	FFA_NOTIFICATION_GET_32,     FFA_NOTIFICATION_INFO_GET_32,
	FFA_NOTIFICATION_INFO_GET_64,
};
/* The borrower's ABIs exist only where the policy has VM borrowers. */
static const uint32_t drop_borrower[] = {FFA_MEM_RETRIEVE_REQ_32, FFA_MEM_RETRIEVE_REQ_64,
					 FFA_MEM_RELINQUISH_32, FFA_MEM_RETRIEVE_RESP_32,
					 FFA_MEM_FRAG_RX_32};
/* An AArch32 VM also loses every SMC64 ID. */
static const uint32_t drop_a32_v1_2[] = {
	FFA_SUCCESS_64,		    FFA_RXTX_MAP_64,		 FFA_PARTITION_INFO_GET_REGS_64,
	FFA_MSG_SEND_DIRECT_REQ_64, FFA_MSG_SEND_DIRECT_REQ2_64, FFA_NOTIFICATION_INFO_GET_64,
	FFA_MEM_DONATE_64,	    FFA_MEM_LEND_64,		 FFA_MEM_SHARE_64,
	FFA_MEM_RETRIEVE_REQ_64,
};
static const uint32_t drop_a32_v1_0[] = {
	FFA_SUCCESS_64,		    FFA_RXTX_MAP_64,		 FFA_PARTITION_INFO_GET_REGS_64,
	FFA_MSG_SEND_DIRECT_REQ_64, FFA_MSG_SEND_DIRECT_REQ2_64, FFA_NOTIFICATION_INFO_GET_64,
	FFA_MEM_DONATE_64,	    FFA_MEM_LEND_64,		 FFA_MEM_SHARE_64,
	FFA_MEM_RETRIEVE_REQ_64,
	FFA_SPM_ID_GET_32,	    FFA_MSG_SEND2_32,		 FFA_NOTIFICATION_BIND_32,
	FFA_NOTIFICATION_UNBIND_32, FFA_NOTIFICATION_SET_32,	 FFA_NOTIFICATION_GET_32,
	FFA_NOTIFICATION_INFO_GET_32,
};

/*
 * @vm at @version: FEATURES reports, and the dispatcher handles, exactly the
 * handled_v1_2 ABIs minus @drop; @what names the case in a failure.
 */
static void check_reported_and_handled(struct fixture *f, ffa_id_t vm, uint32_t version,
				       const uint32_t *drop, size_t n_drop, const char *what)
{
	bool reported[FID_SLOTS], handled[FID_SLOTS];
	char label[64];

	check_features_match_dispatch(f, vm, version, reported, handled);
	snprintf(label, sizeof(label), "%s reported", what);
	assert_set_is(reported, handled_v1_2, N(handled_v1_2), drop, n_drop, label);
	snprintf(label, sizeof(label), "%s handled", what);
	assert_set_is(handled, handled_v1_2, N(handled_v1_2), drop, n_drop, label);
}

/* DEN0077A FFA_FEATURES: v1.2 caller: FEATURES reports exactly what is handled, the 36 ABIs of the table. */
static void test_features_match_dispatch_v1_2(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	check_reported_and_handled(f, GUEST1, FFA_VERSION_1_2, NULL, 0, "v1.2");
	fixture_free(f);
}

/* DEN0077A FFA_FEATURES: v1.1 caller: the same, without the v1.2 FFA_PARTITION_INFO_GET_REGS. */
static void test_features_match_dispatch_v1_1(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	check_reported_and_handled(f, GUEST2, FFA_VERSION_1_1, drop_v1_1, N(drop_v1_1), "v1.1");
	fixture_free(f);
}

/* DEN0077A FFA_FEATURES: v1.0 caller: the same, without the v1.1 FFA_SPM_ID_GET either. */
static void test_features_match_dispatch_v1_0(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	check_reported_and_handled(f, HOST, FFA_VERSION_1_0, drop_v1_0, N(drop_v1_0), "v1.0");
	fixture_free(f);
}

/* SMCCC (no SMC64 from AArch32) + DEN0077A FFA_FEATURES: an AArch32 VM: FEATURES matches dispatch, no SMC64 IDs. */
static void test_features_match_dispatch_aarch32(void **state)
{
	static const uint32_t versions[] = {FFA_VERSION_1_2, FFA_VERSION_1_1, FFA_VERSION_1_0};

	(void)state;
	for (size_t i = 0; i < N(versions); i++) {
		struct fixture *f = fixture_aarch32(GUEST1);

		if (versions[i] == FFA_VERSION_1_0) {
			check_reported_and_handled(f, GUEST1, versions[i], drop_a32_v1_0,
						   N(drop_a32_v1_0), "aarch32 v1.0");
		} else {
			check_reported_and_handled(f, GUEST1, versions[i], drop_a32_v1_2,
						   N(drop_a32_v1_2), "aarch32");
		}
		fixture_free(f);
	}
}

/* DEN0077A FFA_FEATURES, Xen/pKVM profiles: FEATURES matches dispatch under every policy profile. */
static void test_features_match_dispatch_profiles(void **state)
{
	(void)state;
	for (int p = 0; p < MEDIATOR_PROFILE_COUNT; p++) {
		struct mediator_config cfg = fixture_config((enum mediator_profile)p);
		struct fixture *f = fixture_with(&cfg);
		bool reported[FID_SLOTS];

		/* The host is a client under every profile (pKVM is host-only). */
		check_features_match_dispatch(f, HOST, FFA_VERSION_1_2, reported, NULL);
		/* Only the spec profile lets VMs borrow from VMs (retrieve, relinquish). */
		if (p == MEDIATOR_PROFILE_SPEC) {
			assert_set_is(reported, handled_v1_2, N(handled_v1_2), NULL, 0,
				      "profile reported");
		} else {
			assert_set_is(reported, handled_v1_2, N(handled_v1_2), drop_borrower,
				      N(drop_borrower), "profile reported");
		}
		fixture_free(f);
	}
}

/* --- FFA_ID_GET and FFA_SPM_ID_GET --- */

/* DEN0077A FFA_ID_GET: FFA_ID_GET returns the caller's own ID in w2, w3-w7 zero. */
static void test_id_get_returns_own_id(void **state)
{
	struct fixture *f = *state;
	static const ffa_id_t vms[] = {HOST, GUEST1, GUEST2};
	static const uint32_t vers[] = {FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2};

	for (size_t i = 0; i < N(vms); i++) {
		struct smccc_regs r;

		fx_negotiate(f, vms[i], vers[i]);
		r = fx_call(f, vms[i], FFA_ID_GET_32, 0, 0, 0, 0, 0);
		assert_int_equal(r.x[0], FFA_SUCCESS_32);
		assert_int_equal(r.x[1], 0);
		assert_int_equal(r.x[2], vms[i]);
		for (unsigned k = 3; k < 8; k++) {
			assert_int_equal(r.x[k], 0);
		}
	}
}

/* DEN0077A FFA_ID_GET: a VM with a non-default ID gets that ID (not its index). */
static void test_id_get_nondefault_ids(void **state)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	(void)state;
	cfg.vms[1].id = 7;
	cfg.vms[2].id = 0x7FFF;
	f = fixture_with(&cfg);
	fx_negotiate(f, 7, FFA_VERSION_1_2);
	fx_negotiate(f, 0x7FFF, FFA_VERSION_1_1);
	assert_int_equal(fx_call(f, 7, FFA_ID_GET_32, 0, 0, 0, 0, 0).x[2], 7);
	assert_int_equal(fx_call(f, 0x7FFF, FFA_ID_GET_32, 0, 0, 0, 0, 0).x[2], 0x7FFF);
	fixture_free(f);
}

/* DEN0077A FFA_SPM_ID_GET: FFA_SPM_ID_GET returns the manifest's spmc-id 0x8000 to v1.1+ callers. */
static void test_spm_id_get_v1_1_and_v1_2(void **state)
{
	struct fixture *f = *state;
	static const ffa_id_t vms[] = {GUEST1, GUEST2};
	static const uint32_t vers[] = {FFA_VERSION_1_1, FFA_VERSION_1_2};

	for (size_t i = 0; i < N(vms); i++) {
		struct smccc_regs r;

		fx_negotiate(f, vms[i], vers[i]);
		r = fx_call(f, vms[i], FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
		assert_int_equal(r.x[0], FFA_SUCCESS_32);
		assert_int_equal(r.x[1], 0);
		assert_int_equal(r.x[2], 0x8000);
		for (unsigned k = 3; k < 8; k++) {
			assert_int_equal(r.x[k], 0);
		}
	}
}

/* DEN0077A FFA_SPM_ID_GET: FFA_SPM_ID_GET is v1.1: a v1.0 caller gets NOT_SUPPORTED. */
static void test_spm_id_get_v1_0_not_supported(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_0);
	assert_ffa_error(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
}

/* DEN0077A FFA_SPM_ID_GET: the ID comes from the SPMC (a manifest with spmc-id 0x8123). */
static void test_spm_id_get_from_manifest(void **state)
{
	static const char text[] = "spmc-version 1.2\nspmc-id 0x8123\n"
				   "partition 0x8001 p\n    version 1.2\n"
				   "    uuid 7b8f3c2a-51d4-4e6b-9a0c-1d2e3f405162\n";
	struct spmc_manifest *man = calloc(1, sizeof(*man));
	char err[128];
	struct fixture *f;

	(void)state;
	assert_non_null(man);
	if (!spmc_manifest_parse(text, strlen(text), "test", man, err, sizeof(err))) {
		fail_msg("%s", err);
	}
	f = fixture_new(NULL, man);
	assert_int_equal(f->init_err, FFA_OK);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_int_equal(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0).x[2], 0x8123);
	fixture_free(f);
	free(man);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_features_rxtx_map_v1_2_default),
		cmocka_unit_test(test_features_rxtx_map_v1_2_max8),
		cmocka_unit_test(test_features_rxtx_map_pre_v1_2_no_max),
		cmocka_unit_test(test_features_rxtx_map_min_16k),
		cmocka_unit_test(test_features_rxtx_map_min_64k),
		T(test_features_success_reserved_regs_zero),
		T(test_features_feature_ids),
		T(test_features_only_error_is_not_supported),
		T(test_features_nonzero_w2_to_w7_ignored),
		T(test_features_acs_mandatory_v1_0),
		T(test_features_newer_abis_hidden_from_older_callers),
		cmocka_unit_test(test_features_aarch32_no_smc64),
		cmocka_unit_test(test_features_match_dispatch_v1_2),
		cmocka_unit_test(test_features_match_dispatch_v1_1),
		cmocka_unit_test(test_features_match_dispatch_v1_0),
		cmocka_unit_test(test_features_match_dispatch_aarch32),
		cmocka_unit_test(test_features_match_dispatch_profiles),
		T(test_id_get_returns_own_id),
		cmocka_unit_test(test_id_get_nondefault_ids),
		T(test_spm_id_get_v1_1_and_v1_2),
		T(test_spm_id_get_v1_0_not_supported),
		cmocka_unit_test(test_spm_id_get_from_manifest),
	};
#undef T

	return cmocka_run_group_tests_name("features", tests, NULL, NULL);
}
