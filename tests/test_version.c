/*
 * FFA_VERSION negotiation under each policy profile (spec, pkvm, xen) and the
 * dispatcher's guards (function-ID range, AArch32 SMC64, version gates,
 * response-only IDs), plus what the observer sees of a call.
 *
 * Sources: DEN0077A v1.2 §13.2 and the FF-A ACS (ffa-facts.md §1.4), SMCCC
 * DEN0028 §2.5-§2.6 (§4), pKVM and Xen behaviour (§5.1-§5.3) and the bugs
 * they fixed (§6.1 P1-P4, P10; §6.2 X1, X6).
 */
#include "fixture.h"

#include <string.h>

#define V1_0 FFA_VERSION_1_0
#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2
#define V1_3 FFA_VERSION(1, 3)
#define NOT_SUPPORTED_W0 ((uint64_t)FFA_VERSION_NOT_SUPPORTED)

/* A fresh machine with the default VMs under @profile; start-up must succeed. */
static struct fixture *new_machine(enum mediator_profile profile)
{
	struct mediator_config cfg = fixture_config(profile);

	return fixture_with(&cfg);
}

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

/* A harmless non-VERSION call (FFA_ID_GET) that ends negotiation for @vm. */
static void lock(struct fixture *f, ffa_id_t vm)
{
	struct smccc_regs r = fx_call(f, vm, FFA_ID_GET_32, 0, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], vm);
}

static const struct mediator_vm *vm_of(struct fixture *f, ffa_id_t id)
{
	const struct mediator_vm *vm = mediator_vm(&f->m, id);

	assert_non_null(vm);
	return vm;
}

/* --- spec profile (DEN0077A v1.2 §13.2, ACS) --- */

/* ffa-facts.md §1.4: bit 31 MBZ; refused with NOT_SUPPORTED in w0 itself, not FFA_ERROR. */
static void test_ffa_version_spec_bit31_set_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, 0x80010002U), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0x80010000U), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0xFFFFFFFFU), NOT_SUPPORTED_W0);
	/* A refused request negotiates nothing: other calls are still refused. */
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_NONE);
	assert_ffa_error(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	fixture_free(f);
}

/* ffa-facts.md §1.4 (same major) and Hafnium §5.4: major != 1 gets NOT_SUPPORTED. */
static void test_ffa_version_spec_major_not_1_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(0, 2)), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(0x7FFF, 2)), NOT_SUPPORTED_W0);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_NONE);
	fixture_free(f);
}

/* ffa-facts.md §1.4 callee rule 3: a request for 1.3 is answered 1.2, and the VM runs at 1.2. */
static void test_ffa_version_spec_newer_minor_answered_1_2(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_3), V1_2);
	assert_int_equal(version(f, GUEST2, FFA_VERSION(1, 0xFFFF)), V1_2);
	lock(f, GUEST1);
	lock(f, GUEST2);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_2);
	assert_int_equal(vm_of(f, GUEST2)->version, V1_2);
	/* Running at 1.2: the 1.2-only GET_REGS is available. */
	assert_int_equal(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0).x[0],
			 FFA_SUCCESS_64);
	fixture_free(f);
}

/* DEN0077A v1.2 §13.2.2: before the first other call, negotiation may be redone (1.0, 1.2). */
static void test_ffa_version_spec_renegotiate_before_lock(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_0);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_2);
	lock(f, GUEST1);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_2);
	/* The 1.1 ABI FFA_SPM_ID_GET works, so the VM really is not at 1.0. */
	assert_int_equal(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0).x[2], 0x8000);
	fixture_free(f);
}

/* DEN0077A v1.2 §13.2.2: the first call other than FFA_VERSION ends negotiation. */
static void test_ffa_version_spec_first_other_call_locks(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_ID_GET_32, 0, 0, 0, 0).x[0],
			 FFA_SUCCESS_32);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	assert_int_equal(version(f, GUEST1, V1_2), NOT_SUPPORTED_W0);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	/* Another VM is not affected by GUEST1's lock. */
	assert_int_equal(vm_of(f, GUEST2)->version_state, VM_VERSION_NONE);
	assert_int_equal(version(f, GUEST2, V1_0), V1_2);
	assert_int_equal(version(f, GUEST2, V1_2), V1_2);
	fixture_free(f);
}

/* ACS ffa_version_negotiation: once locked, (major, minor-1) is refused, the same version not. */
static void test_ffa_version_spec_after_lock_same_ok_lower_refused(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	lock(f, GUEST1);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(version(f, GUEST1, V1_1), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0x80010002U), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_2);
	fixture_free(f);
}

/* ffa-facts.md §1.4 / Hafnium §5.4: once locked, any different version gets NOT_SUPPORTED. */
static void test_ffa_version_spec_after_lock_different_refused(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_1);
	lock(f, GUEST1);
	assert_int_equal(version(f, GUEST1, V1_2), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 1)), NOT_SUPPORTED_W0);
	/* The same version is answered with the implementation's version (Hafnium §5.4). */
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	fixture_free(f);
}

/* mediator_version_negotiate(): a refused request leaves the requested version as it was. */
static void test_ffa_version_spec_refused_request_keeps_state(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, GUEST1, 0x80010000U), NOT_SUPPORTED_W0);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	lock(f, GUEST1);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* ffa-facts.md §5.1 "FIDs before negotiation": FFA_ERROR/NOT_SUPPORTED, and no lock. */
static void test_dispatch_spec_call_before_version_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

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
	assert_false(vm_of(f, GUEST1)->mailbox.mapped);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_NONE);
	/* Negotiation is still open: two VERSION calls may still disagree. */
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	lock(f, GUEST1);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* pKVM P10 and DEN0028 §2.6: the SMC32 reply has x1-x7 zero and the caller's x8-x17 preserved. */
static void test_ffa_version_smc32_reply_x1_x7_zero_x8_x17_preserved(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);
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
			lock(f, GUEST1);
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
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);
	struct smccc_regs call = {.x = {0xFFFFFFFF00000000ULL | FFA_VERSION_32,
					0xFFFFFFFF00000000ULL | V1_1}};
	struct smccc_regs r = mediator_call(&f->m, GUEST1, &call);

	(void)state;
	assert_int_equal(r.x[0], V1_2);
	lock(f, GUEST1);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* DEN0077A v1.2 §13.2.2: only an FF-A ABI ends negotiation, not an SMCCC call outside it. */
static void test_ffa_version_non_ffa_call_does_not_lock(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(fx_call(f, GUEST1, 0x84000000U, 0, 0, 0, 0, 0).x[0], SMCCC_UNKNOWN);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_2);
	fixture_free(f);
}

/* --- pkvm profile (ffa-facts.md §5.2) --- */

/* ffa-facts.md §5.2: pKVM's only FF-A client is the host; a guest gets NOT_SUPPORTED. */
static void test_ffa_version_pkvm_guest_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_PKVM);

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
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_NONE);
	assert_int_equal(vm_of(f, GUEST2)->version_state, VM_VERSION_NONE);
	/* The host itself works. */
	lock(f, HOST);
	fixture_free(f);
}

/* ffa-facts.md §5.1/§5.2: pKVM answers a call before FFA_VERSION with INVALID_PARAMETERS. */
static void test_dispatch_pkvm_call_before_version_invalid_parameters(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_ffa_error(fx_call(f, HOST, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, HOST, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	/* pKVM P1: IDs 0x80-0xFF are in the gated range too. */
	assert_ffa_error(fx_call(f, HOST, FFA_MSG_SEND_DIRECT_REQ2_64, 0, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, HOST, FFA_RX_ACQUIRE_32, 0, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(vm_of(f, HOST)->version_state, VM_VERSION_NONE);
	fixture_free(f);
}

/* On a fresh pKVM machine the host's first FFA_VERSION(@req) is answered, and negotiates, @want. */
static void check_pkvm_first_version(uint32_t req, uint32_t want)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_PKVM);
	uint64_t answer = version(f, HOST, req);

	if (answer != want) {
		fail_msg("pKVM FFA_VERSION(%#x): answered %#llx, expected %#x", req,
			 (unsigned long long)answer, want);
	}
	if (vm_of(f, HOST)->version != want) {
		fail_msg("pKVM FFA_VERSION(%#x): negotiated %#x, expected %#x", req,
			 vm_of(f, HOST)->version, want);
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
	struct fixture *f = new_machine(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, HOST, V1_1), V1_1);
	assert_int_equal(vm_of(f, HOST)->version_state, VM_VERSION_LOCKED);
	/* No other call in between, yet 1.2 no longer changes anything. */
	assert_int_equal(version(f, HOST, V1_2), V1_1);
	assert_int_equal(vm_of(f, HOST)->version, V1_1);
	assert_int_equal(version(f, HOST, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(vm_of(f, HOST)->version, V1_1);
	fixture_free(f);
}

/* pKVM P2 (f414269392443): once locked a lower minor is refused; same/higher get the locked one. */
static void test_ffa_version_pkvm_lower_after_lock_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, HOST, V1_1), V1_1);
	lock(f, HOST);
	assert_int_equal(version(f, HOST, V1_0), NOT_SUPPORTED_W0);
	assert_int_equal(version(f, HOST, V1_1), V1_1);
	assert_int_equal(version(f, HOST, V1_2), V1_1);
	assert_int_equal(version(f, HOST, V1_3), V1_1);
	assert_int_equal(version(f, HOST, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(vm_of(f, HOST)->version, V1_1);
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
	struct fixture *f = new_machine(MEDIATOR_PROFILE_PKVM);

	(void)state;
	assert_int_equal(version(f, HOST, FFA_VERSION(2, 0)), NOT_SUPPORTED_W0);
	assert_int_equal(vm_of(f, HOST)->version_state, VM_VERSION_NONE);
	assert_ffa_error(fx_call(f, HOST, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	assert_int_equal(version(f, HOST, V1_0), V1_0);
	fixture_free(f);
}

/* --- xen profile (ffa-facts.md §5.3, Xen ad2d3a7daf) --- */

/* ffa-facts.md §5.3: Xen negotiates per VM; two guests can run at different versions. */
static void test_ffa_version_xen_per_vm(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST2, V1_1), V1_2);
	assert_int_equal(version(f, HOST, V1_2), V1_2);
	lock(f, GUEST1);
	lock(f, GUEST2);
	lock(f, HOST);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_0);
	assert_int_equal(vm_of(f, GUEST2)->version, V1_1);
	assert_int_equal(vm_of(f, HOST)->version, V1_2);
	/* The gates follow each VM's own version. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_int_equal(fx_call(f, GUEST2, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0).x[0], FFA_SUCCESS_32);
	fixture_free(f);
}

/* ffa-facts.md §5.3: Xen does not check bit 31 of the requested version. */
static void test_ffa_version_xen_bit31_ignored(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, 0x80010001U), V1_2);
	lock(f, GUEST1);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_1);
	fixture_free(f);
}

/* ffa-facts.md §5.3: Xen takes an unknown major, or a minor above 2, as 1.2, and answers 1.2. */
static void test_ffa_version_xen_unknown_major_answered_1_2(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST1, FFA_VERSION(2, 0)), V1_2);
	assert_int_equal(version(f, GUEST2, FFA_VERSION(0, 1)), V1_2);
	assert_int_equal(version(f, HOST, FFA_VERSION(1, 7)), V1_2);
	lock(f, GUEST1);
	lock(f, GUEST2);
	lock(f, HOST);
	assert_int_equal(vm_of(f, GUEST1)->version, V1_2);
	assert_int_equal(vm_of(f, GUEST2)->version, V1_2);
	assert_int_equal(vm_of(f, HOST)->version, V1_2);
	fixture_free(f);
}

/* ffa-facts.md §5.3: Xen always answers FFA_MY_VERSION (0x10002), before negotiation ends too. */
static void test_ffa_version_xen_always_answers_1_2(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	assert_int_equal(version(f, GUEST1, V1_1), V1_2);
	assert_int_equal(version(f, GUEST1, V1_2), V1_2);
	assert_int_equal(version(f, GUEST1, 0xFFFFFFFFU), V1_2);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_REQUESTED);
	fixture_free(f);
}

/* Xen X6 fix ad2d3a7daf: once locked, FFA_VERSION never refuses and never changes the version. */
static void test_ffa_version_xen_after_lock_unchanged(void **state)
{
	static const uint32_t reqs[] = {V1_2,  V1_1,	    V1_0, 0x80010002U, FFA_VERSION(2, 0),
					V1_3, 0xFFFFFFFFU, 0};
	struct fixture *f = new_machine(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_int_equal(version(f, GUEST1, V1_0), V1_2);
	lock(f, GUEST1);
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		assert_int_equal(version(f, GUEST1, reqs[i]), V1_2);
		assert_int_equal(vm_of(f, GUEST1)->version, V1_0);
		assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_LOCKED);
	}
	/* Still a 1.0 VM: 1.1 ABIs are refused. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	fixture_free(f);
}

/* Xen X6 (ad2d3a7daf): a call before FFA_VERSION gets FFA_ERROR/NOT_SUPPORTED. */
static void test_dispatch_xen_call_before_version_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_XEN);

	(void)state;
	assert_ffa_error(fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, HOST, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(vm_of(f, HOST)->mailbox.mapped);
	assert_int_equal(vm_of(f, GUEST1)->version_state, VM_VERSION_NONE);
	fixture_free(f);
}

/* --- dispatcher guards --- */

/* DEN0028 §2.5 / Xen §5.3: an AArch32 caller's SMC64 ID gets NOT_SUPPORTED, even pre-VERSION. */
static void test_dispatch_aarch32_smc64_not_supported(void **state)
{
	struct fixture *f = fixture_aarch32(GUEST1);
	struct mediator_config cfg;

	(void)state;
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0,
				 0),
			 FFA_NOT_SUPPORTED);
	fx_negotiate(f, GUEST1, V1_2);
	lock(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0,
				 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_SUCCESS_64, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(vm_of(f, GUEST1)->mailbox.mapped);
	/* The SMC32 form works for it, and the SMC64 form for an AArch64 VM. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_32, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1,
				   0, 0));
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	fixture_free(f);

	/* Under pKVM the early error is INVALID_PARAMETERS, so the guard order shows. */
	cfg = fixture_config(MEDIATOR_PROFILE_PKVM);
	cfg.vms[HOST].aarch32 = true;
	f = fixture_with(&cfg);
	assert_ffa_error(fx_call(f, HOST, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, HOST, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, HOST, FFA_ID_GET_32, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	fixture_free(f);
}

/* Xen X1 (75571e162b): an unknown ID in FF-A's range gets FFA_ERROR/NOT_SUPPORTED, not -1. */
static void test_dispatch_unknown_ffa_id_in_range_not_supported(void **state)
{
	static const uint32_t ids[] = {0x8400008FU, 0xC40000FFU, 0x840000A0U, 0xC400008FU,
				       0x840000FFU, 0xC4000063U, 0xC4000060U};
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	lock(f, GUEST1);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct smccc_regs r = fx_call(f, GUEST1, ids[i], 0, 0, 0, 0, 0);

		assert_int_equal(r.x[0], FFA_ERROR_32);
		assert_int_equal(r.x[1], 0);
		assert_int_equal(r.x[2], 0xFFFFFFFFULL);
		for (unsigned j = 3; j < SMCCC_REG_COUNT; j++) {
			assert_int_equal(r.x[j], 0);
		}
	}
	fixture_free(f);

	/* The same under the Xen profile, whose original bug this was. */
	f = new_machine(MEDIATOR_PROFILE_XEN);
	fx_negotiate(f, GUEST2, V1_1);
	lock(f, GUEST2);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_ffa_error(fx_call(f, GUEST2, ids[i], 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	}
	fixture_free(f);
}

/* ffa-facts.md §4: an ID outside FF-A's range gets SMCCC unknown, w0 = 0xFFFFFFFF, all else 0. */
static void test_dispatch_id_outside_ffa_range_smccc_unknown(void **state)
{
	static const uint32_t ids[] = {0x84000000U, 0xC4000100U, 0x8400005FU, 0x84000100U,
				       0x04000063U, 0x84010063U, 0x85000063U, 0xC5000066U};
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	for (unsigned pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			fx_negotiate(f, GUEST1, V1_2);
			lock(f, GUEST1);
		}
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			struct smccc_regs r = fx_call(f, GUEST1, ids[i], 0, 0, 0, 0, 0);

			assert_int_equal(r.x[0], 0xFFFFFFFFULL);
			for (unsigned j = 1; j < SMCCC_REG_COUNT; j++) {
				assert_int_equal(r.x[j], 0);
			}
		}
	}
	fixture_free(f);

	/* Not FF-A, so a pKVM guest's (not an FF-A client) PSCI call is still just unknown. */
	f = new_machine(MEDIATOR_PROFILE_PKVM);
	assert_int_equal(fx_call(f, GUEST1, 0x84000000U, 0, 0, 0, 0, 0).x[0], 0xFFFFFFFFULL);
	assert_int_equal(fx_call(f, HOST, 0xC4000100U, 0, 0, 0, 0, 0).x[0], 0xFFFFFFFFULL);
	fixture_free(f);
}

/* ffa-facts.md §1.2 "Since": FFA_PARTITION_INFO_GET_REGS (1.2) from a 1.1 VM: NOT_SUPPORTED. */
static void test_dispatch_v1_2_abi_from_v1_1_vm_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_1);
	lock(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_2);
	lock(f, GUEST2);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_PARTITION_INFO_GET_REGS_64, 0, 0,
				 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_int_equal(fx_call(f, GUEST2, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0).x[0],
			 FFA_SUCCESS_64);
	assert_int_equal(fx_call(f, GUEST2, FFA_FEATURES_32, FFA_PARTITION_INFO_GET_REGS_64, 0, 0,
				 0, 0)
				 .x[0],
			 FFA_SUCCESS_32);
	fixture_free(f);
}

/* ffa-facts.md §1.2 "Since": FFA_SPM_ID_GET (1.1) from a 1.0 VM gets NOT_SUPPORTED. */
static void test_dispatch_v1_1_abi_from_v1_0_vm_not_supported(void **state)
{
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);
	struct smccc_regs r;

	(void)state;
	fx_negotiate(f, GUEST1, V1_0);
	lock(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_1);
	lock(f, GUEST2);
	assert_ffa_error(fx_call(f, GUEST1, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_SPM_ID_GET_32, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	r = fx_call(f, GUEST2, FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0x8000);
	fixture_free(f);
}

/* dispatch.c / ACS: ERROR, SUCCESS, INTERRUPT are responses; invoked as calls they get DENIED. */
static void test_dispatch_response_abis_as_calls_denied(void **state)
{
	static const uint32_t ids[] = {FFA_ERROR_32, FFA_SUCCESS_32, FFA_SUCCESS_64,
				       FFA_INTERRUPT_32};
	struct fixture *f = new_machine(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	lock(f, GUEST1);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_ffa_error(fx_call(f, GUEST1, ids[i], 0, FFA_NOT_SUPPORTED, 0, 0, 0),
				 FFA_DENIED);
		/* ... while FFA_FEATURES reports each as present (ACS mandatory list). */
		assert_int_equal(fx_call(f, GUEST1, FFA_FEATURES_32, ids[i], 0, 0, 0, 0).x[0],
				 FFA_SUCCESS_32);
	}
	fixture_free(f);
}

/* --- the observer --- */

#define MAX_EVENTS 32

struct recorded_event {
	enum mediator_event_kind kind;
	ffa_id_t vm_id;
	struct smccc_regs regs;
};

struct recorder {
	unsigned count;
	struct recorded_event ev[MAX_EVENTS];
};

static void record_event(void *ctx, const struct mediator_event *ev)
{
	struct recorder *rec = ctx;

	if (rec->count < MAX_EVENTS) {
		rec->ev[rec->count] = (struct recorded_event){
			.kind = ev->kind, .vm_id = ev->vm_id, .regs = *ev->regs};
	}
	rec->count++;
}

static struct fixture *new_observed_machine(struct recorder *rec)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.observe = record_event;
	cfg.observe_ctx = rec;
	*rec = (struct recorder){0};
	return fixture_with(&cfg);
}

static void assert_event(const struct recorder *rec, unsigned i, enum mediator_event_kind kind,
			 ffa_id_t vm_id, uint64_t x0)
{
	assert_true(i < rec->count && i < MAX_EVENTS);
	assert_int_equal(rec->ev[i].kind, kind);
	assert_int_equal(rec->ev[i].vm_id, vm_id);
	assert_int_equal(rec->ev[i].regs.x[0], x0);
}

/* mediator.h "Observation": start-up requests are SPMC_CALL/SPMC_REPLY pairs for FFA_HOST_ID. */
static void test_mediator_init_observer_sees_startup_exchange(void **state)
{
	static const uint32_t fids[] = {FFA_VERSION_32, FFA_ID_GET_32, FFA_SPM_ID_GET_32,
					FFA_FEATURES_32, FFA_RXTX_MAP_64};
	struct recorder rec;
	struct fixture *f = new_observed_machine(&rec);

	(void)state;
	assert_int_equal(rec.count, 2 * 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_event(&rec, 2 * i, MEDIATOR_EV_SPMC_CALL, FFA_HOST_ID, fids[i]);
		assert_int_equal(rec.ev[2 * i + 1].kind, MEDIATOR_EV_SPMC_REPLY);
		assert_int_equal(rec.ev[2 * i + 1].vm_id, FFA_HOST_ID);
	}
	assert_int_equal(rec.ev[1].regs.x[0], V1_2);
	assert_int_equal(rec.ev[9].regs.x[0], FFA_SUCCESS_32);
	fixture_free(f);
}

/* mediator.h "Observation": a local call is GUEST_CALL (as it arrived) then GUEST_REPLY. */
static void test_mediator_call_observer_local_call(void **state)
{
	struct recorder rec;
	struct fixture *f = new_observed_machine(&rec);
	struct smccc_regs call = {.x = {FFA_VERSION_32, 0xDEAD000000010002ULL, 7}};
	struct smccc_regs r;

	(void)state;
	call.x[12] = 0x1234;
	rec.count = 0;
	r = mediator_call(&f->m, GUEST1, &call);
	assert_int_equal(rec.count, 2);
	assert_event(&rec, 0, MEDIATOR_EV_GUEST_CALL, GUEST1, FFA_VERSION_32);
	assert_memory_equal(&rec.ev[0].regs, &call, sizeof(call));
	assert_event(&rec, 1, MEDIATOR_EV_GUEST_REPLY, GUEST1, V1_2);
	assert_memory_equal(&rec.ev[1].regs, &r, sizeof(r));
	assert_int_equal(rec.ev[1].regs.x[12], 0x1234);

	/* FFA_ID_GET and a non-FF-A call are local too: no SPMC traffic. */
	rec.count = 0;
	r = fx_call(f, GUEST1, FFA_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(rec.count, 2);
	assert_event(&rec, 0, MEDIATOR_EV_GUEST_CALL, GUEST1, FFA_ID_GET_32);
	assert_event(&rec, 1, MEDIATOR_EV_GUEST_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_memory_equal(&rec.ev[1].regs, &r, sizeof(r));
	rec.count = 0;
	fx_call(f, GUEST2, 0x84000000U, 0, 0, 0, 0, 0);
	assert_int_equal(rec.count, 2);
	assert_event(&rec, 0, MEDIATOR_EV_GUEST_CALL, GUEST2, 0x84000000U);
	assert_event(&rec, 1, MEDIATOR_EV_GUEST_REPLY, GUEST2, SMCCC_UNKNOWN);
	fixture_free(f);
}

/* mediator.h "Observation": a forwarded call nests SPMC_CALL/SPMC_REPLY pairs in the guest pair. */
static void test_mediator_call_observer_forwarded_call(void **state)
{
	struct recorder rec;
	struct fixture *f = new_observed_machine(&rec);
	struct smccc_regs r;

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_map_rxtx(f, GUEST1);
	rec.count = 0;
	r = fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 6); /* default manifest: six descriptors for a v1.2 caller */
	assert_int_equal(r.x[3], sizeof(struct ffa_partition_info));
	assert_int_equal(rec.count, 6);
	assert_event(&rec, 0, MEDIATOR_EV_GUEST_CALL, GUEST1, FFA_PARTITION_INFO_GET_32);
	assert_event(&rec, 1, MEDIATOR_EV_SPMC_CALL, GUEST1, FFA_PARTITION_INFO_GET_32);
	assert_event(&rec, 2, MEDIATOR_EV_SPMC_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_event(&rec, 3, MEDIATOR_EV_SPMC_CALL, GUEST1, FFA_RX_RELEASE_32);
	assert_event(&rec, 4, MEDIATOR_EV_SPMC_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_event(&rec, 5, MEDIATOR_EV_GUEST_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_memory_equal(&rec.ev[5].regs, &r, sizeof(r));
	for (unsigned i = 1; i <= 4; i++) {
		assert_int_equal(rec.ev[1].regs.x[i], 0); /* Nil UUID, no flags */
	}
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
		TEST(test_dispatch_aarch32_smc64_not_supported),
		TEST(test_dispatch_unknown_ffa_id_in_range_not_supported),
		TEST(test_dispatch_id_outside_ffa_range_smccc_unknown),
		TEST(test_dispatch_v1_2_abi_from_v1_1_vm_not_supported),
		TEST(test_dispatch_v1_1_abi_from_v1_0_vm_not_supported),
		TEST(test_dispatch_response_abis_as_calls_denied),
		TEST(test_mediator_init_observer_sees_startup_exchange),
		TEST(test_mediator_call_observer_local_call),
		TEST(test_mediator_call_observer_forwarded_call),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
