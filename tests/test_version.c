/*
 * FFA_VERSION negotiation under each policy profile (spec, pkvm, xen); the
 * dispatcher's other guards and the observer are in test_dispatch.c.
 *
 * Sources: DEN0077A v1.2 FFA_VERSION (§13.2.2) and the FF-A ACS (ffa-facts.md §1.4), SMCCC
 * SMCCC (no SMC64 from AArch32)-§2.6 (§4), pKVM and Xen behaviour (§5.1-§5.3) and the bugs
 * they fixed (§6.1 P1-P4, P10; §6.2 X1, X6).
 */
#include "fixture.h"

#include <string.h>

#define V1_0 FFA_VERSION_1_0
#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2
#define V1_3 FFA_VERSION(1, 3)
#define NOT_SUPPORTED_W0 ((uint64_t)FFA_VERSION_NOT_SUPPORTED)

/*
 * FFA_VERSION(@req) from @vm with x1..x17 otherwise zero. Asserts every
 * register but x0 of the answer is zero (ACS ffa_version reserved registers;
 * pKVM P10) and returns x0 in full (so 0xFFFFFFFF means exactly
 * 0x00000000FFFFFFFF).
 */
static uint64_t version(struct fixture *f, ffa_id_t vm, uint32_t req)
{
	struct smccc_regs r = fx_call(f, vm, FFA_VERSION_32, req, 0, 0, 0, 0);

	for (unsigned i = 1; i < SMCCC_REG_COUNT; i++) {
		if (r.x[i] != 0) {
			fail_msg("FFA_VERSION(%#x) from VM %u: x%u = %#llx, expected 0", req, vm, i,
				 (unsigned long long)r.x[i]);
		}
	}
	return r.x[0];
}

/* --- spec profile (DEN0077A v1.2 FFA_VERSION, ACS) --- */

/* ffa-facts.md §1.4: bit 31 MBZ; refused with NOT_SUPPORTED in w0 itself, not FFA_ERROR. */
static void test_ffa_version_spec_bit31_set_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, 0x80010002U), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0x80010000U), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0xFFFFFFFFU), NOT_SUPPORTED_W0);
	/* A refused request negotiates nothing: other calls are still refused. */
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_NONE);
	assert_ffa_error(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	fixture_free(f);
}

/* ffa-facts.md §1.4 (same major) and Hafnium §5.4: major != 1 gets NOT_SUPPORTED. */
static void test_ffa_version_spec_major_not_1_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(0, 2)), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(0x7FFF, 2)), NOT_SUPPORTED_W0);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_NONE);
	fixture_free(f);
}

/* ffa-facts.md §1.4 callee rule 3: a request for 1.3 is answered 1.2, and the VM runs at 1.2. */
static void test_ffa_version_spec_newer_minor_answered_1_2(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_3), V1_2);
	assert_int_equal(version(f, GUEST2, FFA_VERSION(1, 0xFFFF)), V1_2);
	fx_lock(f, GUEST1);
	fx_lock(f, GUEST2);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_2);
	assert_int_equal(fx_vm(f, GUEST2)->version, V1_2);
	/* Running at 1.2: the 1.2-only GET_REGS is available. */
	assert_int_equal(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0).x[0],
			 FFA_SUCCESS_64);
	fixture_free(f);
}

/* DEN0077A v1.2 §13.2.2: before the first other call, negotiation may be redone (1.0, 1.2). */
static void test_ffa_version_spec_renegotiate_before_lock(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_0);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_2);
	fx_lock(f, GUEST1);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_2);
	/* The 1.1 ABI FFA_SPM_ID_GET works, so the VM really is not at 1.0. */
	assert_int_equal(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0).x[2], 0x8000);
	fixture_free(f);
}

/* DEN0077A v1.2 §13.2.2: the first call other than FFA_VERSION ends negotiation. */
static void test_ffa_version_spec_first_other_call_locks(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_ID_GET_32, 0, 0, 0, 0).x[0],
			 FFA_SUCCESS_32);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	assert_int_equal(version(f, GUEST1, V1_2), NOT_SUPPORTED_W0);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	/* Another VM is not affected by GUEST1's lock. */
	assert_int_equal(fx_vm(f, GUEST2)->version_state, VM_VERSION_NONE);
	assert_int_equal(version(f, GUEST2, V1_0), V1_2);
	assert_int_equal(version(f, GUEST2, V1_2), V1_2);
	fixture_free(f);
}

/* ACS ffa_version_negotiation: once locked, (major, minor-1) is refused, the same version not. */
static void test_ffa_version_spec_after_lock_same_ok_lower_refused(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_lock(f, GUEST1);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(version(f, GUEST1, V1_1), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0x80010002U), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_2);
	fixture_free(f);
}

/* ffa-facts.md §1.4 / Hafnium §5.4: once locked, any different version gets NOT_SUPPORTED. */
static void test_ffa_version_spec_after_lock_different_refused(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_1);
	fx_lock(f, GUEST1);
	assert_int_equal(version(f, GUEST1, V1_2), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 1)), NOT_SUPPORTED_W0);
	/* The same version is answered with the implementation's version (Hafnium §5.4). */
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	fixture_free(f);
}

/* mediator_version_negotiate(): a refused request leaves the requested version as it was. */
static void test_ffa_version_spec_refused_request_keeps_state(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0x80010000U), NOT_SUPPORTED_W0);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	fx_lock(f, GUEST1);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* ffa-facts.md §5.1 "FIDs before negotiation": FFA_ERROR/NOT_SUPPORTED, and no lock. */
static void test_dispatch_spec_call_before_version_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_ffa_error(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_VERSION_32, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0,
				 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_ERROR_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_false(fx_vm(f, GUEST1)->mailbox.mapped);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_NONE);
	/* Negotiation is still open: two VERSION calls may still disagree. */
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	fx_lock(f, GUEST1);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* pKVM P10 and DEN0028 §2.6: the SMC32 reply has x1-x7 zero and the caller's x8-x17 preserved. */
static void test_ffa_version_smc32_reply_x1_x7_zero_x8_x17_preserved(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);
	struct smccc_regs call, r;

	(void)state;
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
			call.x[i] = 0xA5A5A5A500000000ULL | (0x100U * round + i);
		}
		call.x[0] = FFA_VERSION_32;
		/* round 0: 1.2 before lock; 1: 1.2 after lock (SMCCC 1.2 caller); 2: refused. */
		call.x[1] = round == 2 ? 0x80010002U : V1_2;
		if (round == 1) {
			fx_lock(f, GUEST1);
		}
		r = mediator_call(&f->m, GUEST1, &call);
		assert_int_equal(r.x[0], round == 2 ? NOT_SUPPORTED_W0 : V1_2);
		for (unsigned i = 1; i < 8; i++) {
			assert_int_equal(r.x[i], 0);
		}
		for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
			assert_int_equal(r.x[i], call.x[i]);
		}
	}
	fixture_free(f);
}

/* DEN0028 §2.6: only w1 of an SMC32 call is valid, so x1[63:32] must not change the request. */
static void test_ffa_version_upper_half_of_x1_ignored(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);
	struct smccc_regs call = {.x = {0xFFFFFFFF00000000ULL | FFA_VERSION_32,
					0xFFFFFFFF00000000ULL | V1_1}};
	struct smccc_regs r = mediator_call(&f->m, GUEST1, &call);

	(void)state;
	assert_int_equal(r.x[0], V1_2);
	fx_lock(f, GUEST1);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* DEN0077A v1.2 §13.2.2: only an FF-A ABI ends negotiation, not an SMCCC call outside it. */
static void test_ffa_version_non_ffa_call_does_not_lock(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(fx_call(f, GUEST1, 0x84000000U, 0, 0, 0, 0, 0).x[0], SMCCC_UNKNOWN);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_2);
	fixture_free(f);
}

/* --- pkvm profile (ffa-facts.md §5.2) --- */

/* ffa-facts.md §5.2: pKVM's only FF-A client is the host; a guest gets NOT_SUPPORTED. */
static void test_ffa_version_pkvm_guest_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_2), NOT_SUPPORTED_W0);
	assert_ffa_error(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_int_equal(version(f, HOST, V1_2), V1_2);
	assert_int_equal(version(f, GUEST2, V1_2), NOT_SUPPORTED_W0);
	assert_ffa_error(fx_call(f, GUEST2, FFA_FEATURES_32, FFA_VERSION_32, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST2, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0,
				 0),
			 FFA_NOT_SUPPORTED);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_NONE);
	assert_int_equal(fx_vm(f, GUEST2)->version_state, VM_VERSION_NONE);
	/* The host itself works. */
	fx_lock(f, HOST);
	fixture_free(f);
}

/* ffa-facts.md §5.1/§5.2: pKVM answers a call before FFA_VERSION with INVALID_PARAMETERS. */
static void test_dispatch_pkvm_call_before_version_invalid_parameters(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_ffa_error(fx_call(f, HOST, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, HOST, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	/* pKVM P1: IDs 0x80-0xFF are in the gated range too. */
	assert_ffa_error(fx_call(f, HOST, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, HOST, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(fx_vm(f, HOST)->version_state, VM_VERSION_NONE);
	fixture_free(f);
}

/* On a fresh pKVM machine the host's first FFA_VERSION(@req) is answered, and negotiates, @want. */
static void check_pkvm_first_version(uint32_t req, uint32_t want)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_PKVM);
	uint64_t answer = version(f, HOST, req);

	if (answer != want) {
		fail_msg("pKVM FFA_VERSION(%#x): answered %#llx, expected %#x", req,
			 (unsigned long long)answer, want);
	}
	if (fx_vm(f, HOST)->version != want) {
		fail_msg("pKVM FFA_VERSION(%#x): negotiated %#x, expected %#x", req,
			 fx_vm(f, HOST)->version, want);
	}
	fixture_free(f);
}

/* ffa-facts.md §5.2: pKVM answers the negotiated version: a downgrade to 1.1 gets 0x10001. */
static void test_ffa_version_pkvm_downgrade_answers_negotiated(void **state)
{
	(void)state;
	check_pkvm_first_version(V1_1, V1_1);
	check_pkvm_first_version(V1_0, V1_0);
	check_pkvm_first_version(V1_3, V1_2);
}

/* ffa-facts.md §5.2: pKVM locks at the first successful FFA_VERSION, not the first other call. */
static void test_ffa_version_pkvm_locks_at_first_version(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, HOST, V1_1), V1_1);
	assert_int_equal(fx_vm(f, HOST)->version_state, VM_VERSION_LOCKED);
	/* No other call in between, yet 1.2 no longer changes anything. */
	assert_int_equal(version(f, HOST, V1_2), V1_1);
	assert_int_equal(fx_vm(f, HOST)->version, V1_1);
	assert_int_equal(version(f, HOST, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(fx_vm(f, HOST)->version, V1_1);
	fixture_free(f);
}

/* pKVM P2 (f414269392443): once locked a lower minor is refused; same/higher get the locked one. */
static void test_ffa_version_pkvm_lower_after_lock_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, HOST, V1_1), V1_1);
	fx_lock(f, HOST);
	assert_int_equal(version(f, HOST, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, HOST, V1_1), V1_1);
	assert_int_equal(version(f, HOST, V1_2), V1_1);
	assert_int_equal(version(f, HOST, V1_3), V1_1);
	assert_int_equal(version(f, HOST, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(fx_vm(f, HOST)->version, V1_1);
	fixture_free(f);
}

/* ffa-facts.md §5.2: pKVM reads the major with GENMASK(30,16), so bit 31 is ignored. */
static void test_ffa_version_pkvm_bit31_ignored(void **state)
{
	(void)state;
	check_pkvm_first_version(0x80010002U, V1_2);
	check_pkvm_first_version(0x80010001U, V1_1);
}

/* ffa-facts.md §5.2: pKVM refuses major != 1 with NOT_SUPPORTED and stays unnegotiated. */
static void test_ffa_version_pkvm_major_not_1_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, HOST, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(fx_vm(f, HOST)->version_state, VM_VERSION_NONE);
	assert_ffa_error(fx_call(f, HOST, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	assert_int_equal(version(f, HOST, V1_0), V1_0);
	fixture_free(f);
}

/* --- xen profile (ffa-facts.md §5.3, Xen ad2d3a7daf) --- */

/* ffa-facts.md §5.3: Xen negotiates per VM; two guests can run at different versions. */
static void test_ffa_version_xen_per_vm(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST2, V1_1), V1_2);
	assert_int_equal(version(f, HOST, V1_2), V1_2);
	fx_lock(f, GUEST1);
	fx_lock(f, GUEST2);
	fx_lock(f, HOST);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_0);
	assert_int_equal(fx_vm(f, GUEST2)->version, V1_1);
	assert_int_equal(fx_vm(f, HOST)->version, V1_2);
	/* The gates follow each VM's own version. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_int_equal(fx_call(f, GUEST2, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0).x[0], FFA_SUCCESS_32);
	fixture_free(f);
}

/* ffa-facts.md §5.3: Xen does not check bit 31 of the requested version. */
static void test_ffa_version_xen_bit31_ignored(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, 0x80010001U), V1_2);
	fx_lock(f, GUEST1);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* ffa-facts.md §5.3: Xen takes an unknown major, or a minor above 2, as 1.2, and answers 1.2. */
static void test_ffa_version_xen_unknown_major_answered_1_2(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 0)), V1_2);
	assert_int_equal(version(f, GUEST2, FFA_VERSION(0, 1)), V1_2);
	assert_int_equal(version(f, HOST, FFA_VERSION(1, 7)), V1_2);
	fx_lock(f, GUEST1);
	fx_lock(f, GUEST2);
	fx_lock(f, HOST);
	assert_int_equal(fx_vm(f, GUEST1)->version, V1_2);
	assert_int_equal(fx_vm(f, GUEST2)->version, V1_2);
	assert_int_equal(fx_vm(f, HOST)->version, V1_2);
	fixture_free(f);
}

/* ffa-facts.md §5.3: Xen always answers FFA_MY_VERSION (0x10002), before negotiation ends too. */
static void test_ffa_version_xen_always_answers_1_2(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(version(f, GUEST1, 0xFFFFFFFFU), V1_2);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	fixture_free(f);
}

/* Xen X6 fix ad2d3a7daf: once locked, FFA_VERSION never refuses and never changes the version. */
static void test_ffa_version_xen_after_lock_unchanged(void **state)
{
	static const uint32_t reqs[] = {V1_2,  V1_1,	    V1_0, 0x80010002U, FFA_VERSION(2, 0),
					V1_3, 0xFFFFFFFFU, 0};
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	fx_lock(f, GUEST1);
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		assert_int_equal(version(f, GUEST1, reqs[i]), V1_2);
		assert_int_equal(fx_vm(f, GUEST1)->version, V1_0);
		assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	}
	/* Still a 1.0 VM: 1.1 ABIs are refused. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	fixture_free(f);
}

/* Xen X6 (ad2d3a7daf): a call before FFA_VERSION gets FFA_ERROR/NOT_SUPPORTED. */
static void test_dispatch_xen_call_before_version_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_ffa_error(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, HOST, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(fx_vm(f, HOST)->mailbox.mapped);
	assert_int_equal(fx_vm(f, GUEST1)->version_state, VM_VERSION_NONE);
	fixture_free(f);
}

#define TEST(fn) cmocka_unit_test_teardown(fn, fixture_teardown_leftover)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_ffa_version_spec_bit31_set_not_supported),
		TEST(test_ffa_version_spec_major_not_1_not_supported),
		TEST(test_ffa_version_spec_newer_minor_answered_1_2),
		TEST(test_ffa_version_spec_renegotiate_before_lock),
		TEST(test_ffa_version_spec_first_other_call_locks),
		TEST(test_ffa_version_spec_after_lock_same_ok_lower_refused),
		TEST(test_ffa_version_spec_after_lock_different_refused),
		TEST(test_ffa_version_spec_refused_request_keeps_state),
		TEST(test_dispatch_spec_call_before_version_not_supported),
		TEST(test_ffa_version_smc32_reply_x1_x7_zero_x8_x17_preserved),
		TEST(test_ffa_version_upper_half_of_x1_ignored),
		TEST(test_ffa_version_non_ffa_call_does_not_lock),
		TEST(test_ffa_version_pkvm_guest_not_supported),
		TEST(test_dispatch_pkvm_call_before_version_invalid_parameters),
		TEST(test_ffa_version_pkvm_downgrade_answers_negotiated),
		TEST(test_ffa_version_pkvm_locks_at_first_version),
		TEST(test_ffa_version_pkvm_lower_after_lock_not_supported),
		TEST(test_ffa_version_pkvm_bit31_ignored),
		TEST(test_ffa_version_pkvm_major_not_1_not_supported),
		TEST(test_ffa_version_xen_per_vm),
		TEST(test_ffa_version_xen_bit31_ignored),
		TEST(test_ffa_version_xen_unknown_major_answered_1_2),
		TEST(test_ffa_version_xen_always_answers_1_2),
		TEST(test_ffa_version_xen_after_lock_unchanged),
		TEST(test_dispatch_xen_call_before_version_not_supported),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
