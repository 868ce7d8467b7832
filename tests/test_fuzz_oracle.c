/*
 * The fuzz oracle (fuzz/oracle.c): each rule fires, under its own name, on a
 * reply or a state change that breaks it, and stays quiet on the mediator's
 * real answers. The failure hook catches the rule instead of aborting.
 * Rules and their sources: the table at the top of fuzz/oracle.c (DEN0028
 * §2.6 for the register rules, DEN0077A v1.2 §13.2.2 for version locking,
 * ffa-facts.md section 2 for what each ABI may answer).
 */
#include "oracle_fx.h"

/* DEN0028 §2.6: an SMC32 answer with an upper half set is smc32-zero-extension. */
static void test_oracle_smc32_zero_extension(void **state)
{
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	reply = real(call);
	for (unsigned n = 8; n < SMCCC_REG_COUNT; n++) {
		reply.x[n] = call.x[n];
	}
	reply.x[2] |= 1ULL << 40;
	assert_string_equal(judge(call, reply, NULL), "smc32-zero-extension");
}

/* DEN0028 §2.6: an SMC32 call's x8-x17 come back unchanged; one changed is x8-x17-preserved. */
static void test_oracle_x8_x17_preserved(void **state)
{
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	reply = real(call);
	assert_int_equal(reply.x[9], PATTERN | 9);
	reply.x[9] = 0;
	assert_string_equal(judge(call, reply, NULL), "x8-x17-preserved");
}

/* SMCCC 1.2: a v1.2 caller's SMC64 answer zeroes x8-x17 it does not carry; one left is x8-x17-zeroed. */
static void test_oracle_x8_x17_zeroed(void **state)
{
	struct smccc_regs call = call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1);
	struct smccc_regs reply;

	(void)state;
	negotiate_1_2();
	reply = real(call);
	assert_int_equal(reply.x[0], FFA_SUCCESS_32);
	assert_int_equal(reply.x[8], 0);
	reply.x[8] = call.x[8];
	assert_string_equal(judge(call3(FFA_RXTX_MAP_64, 0, 0, 0), reply, NULL), "x8-x17-zeroed");
}

/* FFA_ERROR carries -1..-10 and nothing in x1, x3-x7: anything else is error-code-defined. */
static void test_oracle_error_code_defined(void **state)
{
	struct smccc_regs call = call3(FFA_RX_RELEASE_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	reply = real(call); /* nothing owned: DENIED */
	assert_true(ffa_is_error(&reply, FFA_DENIED));
	reply.x[3] = 1;
	assert_string_equal(judge(call, reply, NULL), "error-code-defined");
	reply.x[3] = 0;
	reply.x[2] = (uint32_t)-11;
	assert_string_equal(judge(call, reply, NULL), "error-code-defined");
}

/* FFA_FEATURES fails only with NOT_SUPPORTED (Hafnium 6fd6c1d6). */
static void test_oracle_features_only_not_supported(void **state)
{
	struct smccc_regs call = call3(FFA_FEATURES_32, 0x84000001, 0, 0);
	struct smccc_regs reply;

	(void)state;
	negotiate_1_2();

	reply = real(call); /* an unknown function ID: NOT_SUPPORTED */
	assert_true(ffa_is_error(&reply, FFA_NOT_SUPPORTED));
	assert_string_equal(judge(call, error(call, FFA_INVALID_PARAMETERS), NULL),
			    "features-only-not-supported");
}

/* Each ABI answers one of its success IDs or error codes; outside FF-A's range the SMCCC unknown value. */
static void test_oracle_answer_allowed(void **state)
{
	(void)state;
	negotiate_1_2();
	struct smccc_regs unmap = call3(FFA_RXTX_UNMAP_32, 0, 0, 0), id = call3(FFA_ID_GET_32, 0, 0, 0);
	struct smccc_regs stray = call3(0x84000000U, 0, 0, 0), poll = call3(FFA_MSG_POLL_32, 0, 0, 0);

	real(unmap); /* nothing mapped: INVALID_PARAMETERS, allowed */
	assert_string_equal(judge(unmap, error(unmap, FFA_NO_DATA), NULL), "answer-allowed");
	assert_string_equal(judge(id, answer(id, FFA_MEM_FRAG_RX_32, 0), NULL), "answer-allowed");
	real(stray);
	assert_string_equal(judge(stray, answer(stray, FFA_SUCCESS_32, 0), NULL), "answer-allowed");
	real(poll);
	assert_string_equal(judge(poll, error(poll, FFA_DENIED), NULL), "answer-allowed");
}

/* FFA_VERSION answers a 1.x word no newer than 1.2, or NOT_SUPPORTED, with x1-x7 zero. */
static void test_oracle_version_word(void **state)
{
	struct smccc_regs call = call3(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);

	(void)state;
	real(call);
	assert_string_equal(judge(call, answer(call, FFA_VERSION(1, 3), 0), NULL), "version-word");
	assert_string_equal(judge(call, answer(call, FFA_VERSION(2, 0), 0), NULL), "version-word");
	assert_string_equal(judge(call, answer(call, FFA_VERSION_1_2, 5), NULL), "version-word");
}

static void change_locked_version(void)
{
	fm.m.vms[VM].version = FFA_VERSION_1_0;
}

static void mediator_serves_1_1(void)
{
	fm.model.mediator_version = FFA_VERSION_1_1; /* as a mediator capped at 1.1 (cfg.max_version) */
}

/*
 * DEN0077A v1.2 §13.2.2: a locked version never changes (version-locked:
 * ref's record against the wire); no VM is told a version newer than the
 * mediator serves (version-not-newer, the state model's).
 */
static void test_oracle_version_locked_and_not_newer(void **state)
{
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0), reply;
	struct smccc_regs version = call3(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0);

	(void)state;
	assert_string_equal(judge(version, answer(version, FFA_VERSION_1_2, 0), mediator_serves_1_1),
			    "version-not-newer");
	assert_true(fuzz_machine_init(&fm, &prog));
	negotiate_1_2();
	reply = real(call);
	assert_string_equal(judge(call, reply, change_locked_version), "version-locked");
}

/* A direct request is completed by its own response variant (Hafnium e468c116): RESP_32 to REQ_64 is not. */
static void test_oracle_direct_response_id(void **state)
{
	struct smccc_regs call = call3(FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM, 0x8001), 0, 7);
	struct smccc_regs reply;

	(void)state;
	negotiate_1_2();
	reply = real(call);
	assert_int_equal(reply.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	reply.x[0] = FFA_MSG_SEND_DIRECT_RESP_32;
	assert_string_equal(judge(call, reply, NULL), "direct-response-id");
}

static void scribble_rx(void)
{
	const struct mediator_vm *v = &fm.m.vms[VM];
	uint8_t *rx = mem_map(&fm.mem, v->mailbox.rx_pa, 1, v->id, MEM_PAGE_MAILBOX);

	rx[100] ^= 0xFF;
}

/* An RX buffer the VM owns is not written under it: rx-owned-untouched. */
static void test_oracle_rx_owned_untouched(void **state)
{
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	real(call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1));
	assert_int_equal(real(call3(FFA_PARTITION_INFO_GET_32, 0, 0, 0)).x[0], FFA_SUCCESS_32);
	reply = real(call); /* the VM owns its RX now, and the call leaves it */
	assert_string_equal(judge(call, reply, scribble_rx), "rx-owned-untouched");
}

static void spmc_fault(void)
{
	fm.spmc.faults[fm.spmc.fault_count % SPMC_MAX_FAULTS] =
		(struct spmc_fault){.fid = FFA_ID_GET_32, .reason = "test"};
	fm.spmc.fault_count++;
}

static void share_behind_the_record(void)
{
	assert_int_equal(mem_transition_handle(&fm.mem, fm.m.vms[VM].window.pa_base + 3 * FFA_PAGE_SIZE, 1,
					       VM, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, 0x77),
			 FFA_OK);
}

/* A fault the SPMC model records is spmc-fault; a page shared with no transaction on record is isolation. */
static void test_oracle_spmc_fault_and_isolation(void **state)
{
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	reply = real(call);
	assert_string_equal(judge(call, reply, spmc_fault), "spmc-fault");
	fm.spmc.fault_count = 0;
	assert_string_equal(judge(call, reply, share_behind_the_record), "isolation");
}

/* A share's SUCCESS carries a handle on the mediator's record: share-success-handle. */
static void test_oracle_share_success_handle(void **state)
{
	struct smccc_regs call = call3(FFA_MEM_SHARE_64, 0x50, 0x50, 0);
	struct smccc_regs reply = {.x = {FFA_SUCCESS_32, 0, 0x1234, 0}};

	(void)state;
	negotiate_1_2();
	assert_string_equal(judge(call, reply, NULL), "share-success-handle");
}

/* Every request forwarded during a VM's call names that VM: forwarded-names-caller. */
static void test_oracle_forwarded_names_caller(void **state)
{
	struct smccc_regs forwarded = ffa_call(FFA_MSG_SEND_DIRECT_REQ_32, ffa_sender_receiver(0, 0x8001),
					       0, 0, 0, 0);
	struct mediator_event ev = {.kind = MEDIATOR_EV_SPMC_CALL, .vm_id = VM, .regs = &forwarded};
	struct oracle_before b;
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0);

	(void)state;
	negotiate_1_2();
	oracle_before(&fm, VM, &call, &b); /* VM is now the caller */
	assert_string_equal(observed(&ev), "forwarded-names-caller");
	forwarded = ffa_call(FFA_MSG_SEND_DIRECT_REQ_32, ffa_sender_receiver(VM, 0x8001), 0, 0, 0, 0);
	assert_string_equal(observed(&ev), "");
}

/* RXTX_MAP succeeds only with 1..max pages, a multiple of the minimum, aligned buffers (Xen X8). */
static void test_oracle_rxtx_map_params(void **state)
{
	struct smccc_regs ok = call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1);
	struct smccc_regs zero = call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 0);
	struct smccc_regs unaligned = call3(FFA_RXTX_MAP_32, FUZZ_VM_IPA + 0x100, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1);
	struct smccc_regs too_many = call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + 2 * FFA_PAGE_SIZE, 2);
	struct smccc_regs success = {.x = {FFA_SUCCESS_32}}, reply;

	(void)state;
	negotiate_1_2();
	reply = real(zero); /* the mediator's real answers pass */
	assert_true(ffa_is_error(&reply, FFA_INVALID_PARAMETERS));
	reply = real(too_many);
	assert_true(ffa_is_error(&reply, FFA_INVALID_PARAMETERS));
	assert_int_equal(real(ok).x[0], FFA_SUCCESS_32);
	assert_string_equal(judge(zero, success, NULL), "rxtx-map-params");
	assert_string_equal(judge(unaligned, keeping(unaligned, success), NULL), "rxtx-map-params");
	assert_string_equal(judge(too_many, success, NULL), "rxtx-map-params");
}

static struct smccc_regs spmc_said;

/* What the SPMC answered during the call under judgement, as the observer records it. */
static void spmc_answered(void)
{
	struct mediator_event ev = {.kind = MEDIATOR_EV_SPMC_REPLY, .vm_id = VM, .regs = &spmc_said};

	oracle_observe(&fm, &ev);
}

/* A partition's defined FFA_ERROR status reaches the caller of a direct request unchanged. */
static void test_oracle_direct_error_relayed(void **state)
{
	struct smccc_regs call = call3(FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM, 0x8001), 0, 7);
	struct smccc_regs reply;

	(void)state;
	negotiate_1_2();
	spmc_set_behaviour(&fm.spmc, 0x8001, (struct spmc_behaviour){.kind = SPMC_BEHAVE_BUSY});
	reply = real(call);
	assert_true(ffa_is_error(&reply, FFA_BUSY));
	spmc_said = ffa_error(FFA_BUSY);
	assert_string_equal(judge(call, ffa_error(FFA_ABORTED), spmc_answered), "direct-error-relayed");
	spmc_said = ffa_error(1); /* not a defined status: ABORTED is right */
	assert_string_equal(judge(call, ffa_error(FFA_ABORTED), spmc_answered), "");
}

/* A direct request is forwarded, and its response returned, with the payload unchanged. */
static void test_oracle_direct_payload_relayed(void **state)
{
	struct smccc_regs call = call3(FFA_MSG_SEND_DIRECT_REQ2_64, ffa_sender_receiver(VM, 0x8001), 0, 0);
	struct smccc_regs forwarded, reply;
	struct mediator_event ev = {.kind = MEDIATOR_EV_SPMC_CALL, .vm_id = VM, .regs = &forwarded};
	struct oracle_before b;

	(void)state;
	negotiate_1_2();
	call.x[4] = 0x44;
	call.x[5] = 0x55;
	reply = real(call); /* echo: RESP2 with the payload */
	assert_int_equal(reply.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	assert_int_equal(reply.x[5], 0x55);
	assert_int_equal(reply.x[12], PATTERN | 12);
	spmc_said = reply;
	reply.x[12] = PATTERN | 11; /* x12 answered from x11 */
	assert_string_equal(judge(call, reply, spmc_answered), "direct-payload-relayed");

	forwarded = call;
	forwarded.x[5] = call.x[4]; /* x5 forwarded from x4 */
	oracle_before(&fm, VM, &call, &b);
	assert_string_equal(observed(&ev), "direct-payload-relayed");
}

static void unmailbox_rx(void)
{
	const struct mediator_vm *v = &fm.m.vms[VM];

	assert_int_equal(mem_transition(&fm.mem, v->mailbox.rx_pa, 1, v->id, MEM_PAGE_MAILBOX,
					MEM_PAGE_PRIVATE),
			 FFA_OK);
}

/* A mapped pair whose RX page is not the VM's mailbox (Xen X4): mailbox-pages. */
static void test_oracle_mailbox_pages(void **state)
{
	struct smccc_regs call = call3(FFA_ID_GET_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	real(call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1));
	reply = real(call);
	assert_string_equal(judge(call, reply, unmailbox_rx), "mailbox-pages");
}

static void hold_spmc_rx(void)
{
	fm.spmc.hyp_mailbox.rx = MAILBOX_RX_CONSUMER;
}

static void hold_mediator_rx(void)
{
	fm.m.hyp_mailbox.rx = MAILBOX_RX_CONSUMER;
}

/* The hypervisor's RX left held at the SPMC, or in the mediator's record: hyp-rx-released. */
static void test_oracle_hyp_rx_released(void **state)
{
	struct smccc_regs call = call3(FFA_PARTITION_INFO_GET_32, 0, 0, 0), reply;

	(void)state;
	negotiate_1_2();
	real(call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1));
	reply = real(call); /* the mediator took the SPMC's RX and gave it back */
	assert_int_equal(reply.x[0], FFA_SUCCESS_32);
	assert_string_equal(judge(call, reply, hold_spmc_rx), "hyp-rx-released");
	fm.spmc.hyp_mailbox.rx = MAILBOX_RX_FREE;
	assert_string_equal(judge(call, reply, hold_mediator_rx), "hyp-rx-released");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_oracle_smc32_zero_extension, fresh),
		cmocka_unit_test_setup(test_oracle_x8_x17_preserved, fresh),
		cmocka_unit_test_setup(test_oracle_x8_x17_zeroed, fresh),
		cmocka_unit_test_setup(test_oracle_error_code_defined, fresh),
		cmocka_unit_test_setup(test_oracle_features_only_not_supported, fresh),
		cmocka_unit_test_setup(test_oracle_answer_allowed, fresh),
		cmocka_unit_test_setup(test_oracle_version_word, fresh),
		cmocka_unit_test_setup(test_oracle_version_locked_and_not_newer, fresh),
		cmocka_unit_test_setup(test_oracle_direct_response_id, fresh),
		cmocka_unit_test_setup(test_oracle_rx_owned_untouched, fresh),
		cmocka_unit_test_setup(test_oracle_spmc_fault_and_isolation, fresh),
		cmocka_unit_test_setup(test_oracle_share_success_handle, fresh),
		cmocka_unit_test_setup(test_oracle_forwarded_names_caller, fresh),
		cmocka_unit_test_setup(test_oracle_rxtx_map_params, fresh),
		cmocka_unit_test_setup(test_oracle_direct_error_relayed, fresh),
		cmocka_unit_test_setup(test_oracle_direct_payload_relayed, fresh),
		cmocka_unit_test_setup(test_oracle_mailbox_pages, fresh),
		cmocka_unit_test_setup(test_oracle_hyp_rx_released, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
