/*
 * The mediator's dispatcher guards (mediator/src/dispatch.c): the FF-A
 * function-ID range, AArch32 callers using SMC64 IDs, the version gates and
 * response-only IDs, and what the observer sees of a call.
 *
 * Sources: ffa-facts.md §1.1 (the range), §4 (SMCCC), §5.1 and §6.2 X1
 * (FFA_ERROR / NOT_SUPPORTED for unknown FF-A IDs, not the SMCCC value).
 */
#include "fixture.h"

#include <string.h>

#define V1_0 FFA_VERSION_1_0
#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2

/* --- dispatcher guards --- */

/* SMCCC (no SMC64 from AArch32) / Xen §5.3: an AArch32 caller's SMC64 ID gets NOT_SUPPORTED, even pre-VERSION. */
static void test_dispatch_aarch32_smc64_not_supported(void **state)
{
	struct fixture *f = fixture_aarch32(GUEST1);
	struct mediator_config cfg;

	(void)state;
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0,
				 0),
			 FFA_NOT_SUPPORTED);
	fx_negotiate(f, GUEST1, V1_2);
	fx_lock(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0,
				 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_SUCCESS_64, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(fx_vm(f, GUEST1)->mailbox.mapped);
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
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_lock(f, GUEST1);
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
	f = fixture_profile(MEDIATOR_PROFILE_XEN);
	fx_negotiate(f, GUEST2, V1_1);
	fx_lock(f, GUEST2);
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
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	for (unsigned pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			fx_negotiate(f, GUEST1, V1_2);
			fx_lock(f, GUEST1);
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
	f = fixture_profile(MEDIATOR_PROFILE_PKVM);
	assert_int_equal(fx_call(f, GUEST1, 0x84000000U, 0, 0, 0, 0, 0).x[0], 0xFFFFFFFFULL);
	assert_int_equal(fx_call(f, HOST, 0xC4000100U, 0, 0, 0, 0, 0).x[0], 0xFFFFFFFFULL);
	fixture_free(f);
}

/* ffa-facts.md §1.2 "Since": FFA_PARTITION_INFO_GET_REGS (1.2) from a 1.1 VM: NOT_SUPPORTED. */
static void test_dispatch_v1_2_abi_from_v1_1_vm_not_supported(void **state)
{
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_1);
	fx_lock(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_2);
	fx_lock(f, GUEST2);
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
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);
	struct smccc_regs r;

	(void)state;
	fx_negotiate(f, GUEST1, V1_0);
	fx_lock(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_1);
	fx_lock(f, GUEST2);
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
	/* RETRIEVE_RESP too, where VMs retrieve (the spec profile): the ACS wants it beside RETRIEVE_REQ. */
	static const uint32_t ids[] = {FFA_ERROR_32, FFA_SUCCESS_32, FFA_SUCCESS_64,
				       FFA_INTERRUPT_32, FFA_MEM_RETRIEVE_RESP_32};
	struct fixture *f = fixture_profile(MEDIATOR_PROFILE_SPEC);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_lock(f, GUEST1);
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

/*
 * mediator.h "Observation": start-up requests are SPMC_CALL/SPMC_REPLY pairs, for
 * FFA_HOST_ID except each VM's bitmap creation, made on that VM's behalf.
 */
static void test_mediator_init_observer_sees_startup_exchange(void **state)
{
	static const struct {
		uint32_t fid;
		ffa_id_t vm;
	} calls[] = {
		{FFA_VERSION_32, HOST},
		{FFA_ID_GET_32, HOST},
		{FFA_SPM_ID_GET_32, HOST},
		{FFA_FEATURES_32, HOST},
		{FFA_RXTX_MAP_64, HOST},
		{FFA_PARTITION_INFO_GET_32, HOST},
		{FFA_RX_RELEASE_32, HOST},
		{FFA_NOTIFICATION_BITMAP_CREATE_32, HOST},
		{FFA_NOTIFICATION_BITMAP_CREATE_32, GUEST1},
		{FFA_NOTIFICATION_BITMAP_CREATE_32, GUEST2},
	};
	struct recorder rec;
	struct fixture *f = new_observed_machine(&rec);

	(void)state;
	assert_int_equal(rec.count, 2 * 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_event(&rec, 2 * i, MEDIATOR_EV_SPMC_CALL, calls[i].vm, calls[i].fid);
		assert_int_equal(rec.ev[2 * i + 1].kind, MEDIATOR_EV_SPMC_REPLY);
		assert_int_equal(rec.ev[2 * i + 1].vm_id, calls[i].vm);
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
	/* The guest's RX is registered at the SPMC: take it first (FFA_RX_ACQUIRE). */
	assert_int_equal(rec.count, 8);
	assert_event(&rec, 0, MEDIATOR_EV_GUEST_CALL, GUEST1, FFA_PARTITION_INFO_GET_32);
	assert_event(&rec, 1, MEDIATOR_EV_SPMC_CALL, GUEST1, FFA_RX_ACQUIRE_32);
	assert_event(&rec, 2, MEDIATOR_EV_SPMC_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_event(&rec, 3, MEDIATOR_EV_SPMC_CALL, GUEST1, FFA_PARTITION_INFO_GET_32);
	assert_event(&rec, 4, MEDIATOR_EV_SPMC_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_event(&rec, 5, MEDIATOR_EV_SPMC_CALL, GUEST1, FFA_RX_RELEASE_32);
	assert_event(&rec, 6, MEDIATOR_EV_SPMC_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_event(&rec, 7, MEDIATOR_EV_GUEST_REPLY, GUEST1, FFA_SUCCESS_32);
	assert_memory_equal(&rec.ev[7].regs, &r, sizeof(r));
	assert_int_equal(rec.ev[1].regs.x[1], GUEST1);
	for (unsigned i = 1; i <= 4; i++) {
		assert_int_equal(rec.ev[3].regs.x[i], 0); /* Nil UUID, no flags */
	}
	fixture_free(f);
}

#define TEST(fn) cmocka_unit_test_teardown(fn, fixture_teardown_leftover)

int main(void)
{
	const struct CMUnitTest tests[] = {
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

	return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
