/*
 * Preempted direct requests and FFA_RUN through the mediator: a partition
 * that answers a request with FFA_YIELD or FFA_INTERRUPT leaves it pending on
 * one of its vCPUs, and the requesting VM finishes it with FFA_RUN. Direct
 * requests themselves are in test_direct_messaging.c.
 *
 * Rules: DEN0077A v1.2 FFA_RUN, FFA_YIELD, FFA_INTERRUPT, FFA_MSG_WAIT and
 * FFA_MSG_SEND_DIRECT_REQ/REQ2 results (ffa-facts.md §2), and
 * mediator/src/direct_messaging.c's header (pending requests, FFA_RUN of
 * another VM's request, MEDIATOR_MAX_PENDING).
 */
#include "fixture.h"

#include <string.h>

#define CRYPTO 0x8001U /* 8 contexts, REQ and REQ2 receipt */
#define MULTI 0x8003U  /* 2 contexts */

#define REQ2_VAL(n) (0x0400000000000004ULL + (uint64_t)((n)-4) * 0x0101010101010101ULL)
#define PAYLOAD(n, seed) (0x11000000U + (uint32_t)(seed) * 0x100U + (uint32_t)(n))
#define X64_VAL(n) (0x1122334455667700ULL + (uint64_t)(n) * 0x0100000001000001ULL)
#define EXT_PATTERN(n) (0xA5A5A5A500000000ULL | (uint64_t)(n) * 0x11U)

/* --- Helpers --- */

/* A REQ frame @sender -> @receiver with x3..x7 = PAYLOAD(n, @seed). */
static struct smccc_regs req_frame(ffa_id_t sender, ffa_id_t receiver, unsigned seed)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(sender, receiver)}};

	for (unsigned i = 3; i < 8; i++) {
		x.x[i] = PAYLOAD(i, seed);
	}
	return x;
}

/* A REQ2 frame to the Nil UUID with x4..x17 = REQ2_VAL. */
static struct smccc_regs req2_frame(ffa_id_t sender, ffa_id_t receiver)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(sender, receiver)}};

	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		x.x[i] = REQ2_VAL(i);
	}
	return x;
}

/* FFA_RUN of @sp's vCPU @vcpu from @vm. */
static struct smccc_regs run(struct fixture *f, ffa_id_t vm, ffa_id_t sp, uint16_t vcpu)
{
	return fx_call(f, vm, FFA_RUN_32, ffa_target_info(sp, vcpu), 0, 0, 0, 0);
}

/* @r is @fid (FFA_YIELD_32 or FFA_INTERRUPT_32) naming @sp's vCPU 0, w2 = @w2, w3..w7 zero. */
static void assert_preempted(struct smccc_regs r, uint32_t fid, ffa_id_t sp, uint32_t w2)
{
	assert_int_equal(r.x[0], fid);
	assert_int_equal(r.x[1], ffa_target_info(sp, 0));
	assert_int_equal(r.x[2], w2);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
}

/* @r is FFA_MSG_WAIT naming @sp's vCPU @vcpu, w2..w7 zero. */
static void assert_msg_wait(struct smccc_regs r, ffa_id_t sp, uint16_t vcpu)
{
	assert_int_equal(r.x[0], FFA_MSG_WAIT_32);
	assert_int_equal(r.x[1], ffa_target_info(sp, vcpu));
	for (unsigned i = 2; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
}

/* @r is RESP_32 from @sp to @vm with x3..x7 = PAYLOAD(n, @seed). */
static void assert_resp32(struct smccc_regs r, ffa_id_t sp, ffa_id_t vm, unsigned seed)
{
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	assert_int_equal(r.x[1], ffa_sender_receiver(sp, vm));
	assert_int_equal(r.x[2], 0);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], PAYLOAD(i, seed));
	}
}

/* REQ_32 from @vm to @sp with req_frame(@vm, @sp, @seed). */
static struct smccc_regs req32(struct fixture *f, ffa_id_t vm, ffa_id_t sp, unsigned seed)
{
	return fx_call_regs(f, vm, FFA_MSG_SEND_DIRECT_REQ_32, req_frame(vm, sp, seed));
}

/* REQ2_64 from @vm to @sp with req2_frame(@vm, @sp). */
static struct smccc_regs req2(struct fixture *f, ffa_id_t vm, ffa_id_t sp)
{
	return fx_call_regs(f, vm, FFA_MSG_SEND_DIRECT_REQ2_64, req2_frame(vm, sp));
}

/* The state of @sp's vCPU @vcpu at the SPMC. */
static enum spmc_vcpu_state sp_vcpu(struct fixture *f, ffa_id_t sp, uint16_t vcpu)
{
	struct spmc_sp *st = spmc_sp_state(&f->spmc, sp);

	assert_non_null(st);
	return st->vcpus[vcpu].state;
}

/* How many of @vm's requests the mediator holds as pending. */
static unsigned pending_count(struct fixture *f, ffa_id_t vm)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MEDIATOR_MAX_PENDING; i++) {
		n += fx_vm(f, vm)->pending[i].active;
	}
	return n;
}

/* A default machine with GUEST1 and GUEST2 at v1.2. */
static int setup_two_guests(void **state)
{
	struct fixture *f = fixture_with(NULL);

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	*state = f;
	return 0;
}

/* --- Preempted requests finished by FFA_RUN --- */

/*
 * DEN0077A DIRECT_REQ results (YIELD) and FFA_RUN: the receiver yields, a new
 * request meets a blocked vCPU (BUSY), RUN finishes the original request.
 */
static void test_run_after_yield_completes_req_32(void **state)
{
	struct fixture *f = *state;

	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_YIELD, 0, 0);
	assert_preempted(req32(f, GUEST1, CRYPTO, 1), FFA_YIELD_32, CRYPTO, 0);
	assert_int_equal(sp_vcpu(f, CRYPTO, 0), SPMC_VCPU_BLOCKED);
	assert_int_equal(pending_count(f, GUEST1), 1);
	/* The receiver's vCPU is blocked: BUSY, and the first request is kept. */
	assert_ffa_error(req32(f, GUEST1, CRYPTO, 2), FFA_BUSY);
	assert_int_equal(pending_count(f, GUEST1), 1);
	/* RUN finishes the ORIGINAL request. */
	assert_resp32(run(f, GUEST1, CRYPTO, 0), CRYPTO, GUEST1, 1);
	assert_int_equal(sp_vcpu(f, CRYPTO, 0), SPMC_VCPU_WAITING);
	assert_int_equal(pending_count(f, GUEST1), 0);
	/* Nothing left to do. */
	assert_msg_wait(run(f, GUEST1, CRYPTO, 0), CRYPTO, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A FFA_RUN: a yielded REQ_64 completes with RESP_64 and its 64-bit payload. */
static void test_run_after_yield_completes_req_64(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs x = req_frame(GUEST1, CRYPTO, 0);
	struct smccc_regs r;

	for (unsigned i = 3; i < 8; i++) {
		x.x[i] = X64_VAL(i);
	}
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_YIELD, 0, 0);
	assert_preempted(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_64, x), FFA_YIELD_32,
			 CRYPTO, 0);
	r = run(f, GUEST1, CRYPTO, 0);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], 0x80010001U);
	assert_int_equal(r.x[2], 0);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], X64_VAL(i));
	}
	assert_int_equal(pending_count(f, GUEST1), 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A FFA_INTERRUPT (w1 = endpoint | vCPU, w2 = interrupt ID), then FFA_RUN finishes. */
static void test_run_after_interrupt_completes_req_32(void **state)
{
	struct fixture *f = *state;

	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_INTERRUPT, 0x2A, 0);
	assert_preempted(req32(f, GUEST1, CRYPTO, 3), FFA_INTERRUPT_32, CRYPTO, 0x2A);
	assert_int_equal(sp_vcpu(f, CRYPTO, 0), SPMC_VCPU_PREEMPTED);
	assert_ffa_error(req32(f, GUEST1, CRYPTO, 4), FFA_BUSY);
	assert_resp32(run(f, GUEST1, CRYPTO, 0), CRYPTO, GUEST1, 3);
	assert_msg_wait(run(f, GUEST1, CRYPTO, 0), CRYPTO, 0);
	assert_int_equal(pending_count(f, GUEST1), 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A FFA_RUN results include the direct response; RESP2 carries x4-x17
 * (direct_messaging.c header: "x4-x17 carried through").
 */
static void test_run_after_preemption_completes_req2_with_14_registers(void **state)
{
	struct fixture *f = *state;
	const struct {
		enum spmc_behaviour_kind kind;
		uint32_t fid, w2;
	} cases[] = {{SPMC_BEHAVE_YIELD, FFA_YIELD_32, 0},
		     {SPMC_BEHAVE_INTERRUPT, FFA_INTERRUPT_32, 7}};

	for (size_t c = 0; c < 2; c++) {
		struct smccc_regs r;

		fx_behave(&f->spmc, CRYPTO, cases[c].kind, cases[c].w2, 0);
		assert_preempted(req2(f, GUEST1, CRYPTO), cases[c].fid, CRYPTO, cases[c].w2);
		assert_ffa_error(req2(f, GUEST1, CRYPTO), FFA_BUSY);
		r = run(f, GUEST1, CRYPTO, 0);
		assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
		assert_int_equal(r.x[1], 0x80010001U);
		assert_int_equal(r.x[2], 0);
		assert_int_equal(r.x[3], 0);
		for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
			if (r.x[i] != REQ2_VAL(i)) {
				fail_msg("case %zu: RESP2 via FFA_RUN: x%u = %#llx, expected %#llx",
					 c, i, (unsigned long long)r.x[i],
					 (unsigned long long)REQ2_VAL(i));
			}
		}
		assert_int_equal(pending_count(f, GUEST1), 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ: BUSY when the receiver's vCPU is blocked or preempted, whoever asks. */
static void test_direct_req_to_preempted_receiver_busy(void **state)
{
	struct fixture *f = *state;

	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_YIELD, 0, 0);
	assert_preempted(req32(f, GUEST1, CRYPTO, 1), FFA_YIELD_32, CRYPTO, 0);
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_ECHO, 0, 0);
	assert_ffa_error(fx_call_regs(f, GUEST2, FFA_MSG_SEND_DIRECT_REQ_64,
				      req_frame(GUEST2, CRYPTO, 2)),
			 FFA_BUSY);
	assert_ffa_error(req2(f, GUEST2, CRYPTO), FFA_BUSY);
	assert_int_equal(pending_count(f, GUEST2), 0);
	assert_resp32(run(f, GUEST1, CRYPTO, 0), CRYPTO, GUEST1, 1);
	/* Free again. */
	assert_resp32(req32(f, GUEST2, CRYPTO, 2), CRYPTO, GUEST2, 2);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* direct_messaging.c header: running another VM's preempted request is DENIED. */
static void test_run_other_vms_preempted_request_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_YIELD, 0, 0);
	assert_preempted(req32(f, GUEST1, CRYPTO, 5), FFA_YIELD_32, CRYPTO, 0);
	assert_ffa_error(run(f, GUEST2, CRYPTO, 0), FFA_DENIED);
	assert_ffa_error(run(f, HOST, CRYPTO, 0), FFA_DENIED);
	/* Not forwarded: the vCPU still holds GUEST1's request. */
	assert_int_equal(sp_vcpu(f, CRYPTO, 0), SPMC_VCPU_BLOCKED);
	assert_int_equal(pending_count(f, GUEST1), 1);
	/* Another vCPU of the same partition is anyone's to run. */
	assert_msg_wait(run(f, GUEST2, CRYPTO, 1), CRYPTO, 1);
	assert_resp32(run(f, GUEST1, CRYPTO, 0), CRYPTO, GUEST1, 5);
	/* Finished: the vCPU is free for every VM again. */
	assert_msg_wait(run(f, GUEST2, CRYPTO, 0), CRYPTO, 0);
	/* The host's preempted request is the host's alone, too. */
	assert_preempted(req32(f, HOST, CRYPTO, 7), FFA_YIELD_32, CRYPTO, 0);
	assert_ffa_error(run(f, GUEST1, CRYPTO, 0), FFA_DENIED);
	assert_resp32(run(f, HOST, CRYPTO, 0), CRYPTO, HOST, 7);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A FFA_RUN: a vCPU without a request runs, finds nothing and returns MSG_WAIT. */
static void test_run_wrong_vcpu_leaves_request_pending(void **state)
{
	struct fixture *f = *state;

	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_INTERRUPT, 9, 0);
	assert_preempted(req32(f, GUEST1, CRYPTO, 6), FFA_INTERRUPT_32, CRYPTO, 9);
	assert_msg_wait(run(f, GUEST1, CRYPTO, 1), CRYPTO, 1);
	assert_msg_wait(run(f, GUEST1, CRYPTO, 7), CRYPTO, 7);
	assert_int_equal(pending_count(f, GUEST1), 1);
	assert_resp32(run(f, GUEST1, CRYPTO, 0), CRYPTO, GUEST1, 6);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- FFA_RUN arguments --- */

/* DEN0077A FFA_RUN: an unknown endpoint (a VM, the SPMC, no one) -> INVALID_PARAMETERS. */
static void test_run_unknown_target_invalid(void **state)
{
	struct fixture *f = *state;
	const ffa_id_t targets[] = {0x8009, GUEST2, GUEST1, HOST, 0x8000, 0xFFFF};

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		assert_ffa_error(run(f, GUEST1, targets[i], 0), FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A FFA_RUN: a vCPU index >= the target's execution contexts -> INVALID_PARAMETERS. */
static void test_run_vcpu_beyond_exec_contexts_invalid(void **state)
{
	struct fixture *f = *state;

	assert_ffa_error(run(f, GUEST1, MULTI, 2), FFA_INVALID_PARAMETERS);
	assert_ffa_error(run(f, GUEST1, MULTI, 0xFFFF), FFA_INVALID_PARAMETERS);
	assert_ffa_error(run(f, GUEST1, CRYPTO, 8), FFA_INVALID_PARAMETERS);
	assert_msg_wait(run(f, GUEST1, MULTI, 1), MULTI, 1);
	assert_msg_wait(run(f, GUEST1, CRYPTO, 7), CRYPTO, 7);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A v1.2 FFA_RUN reserves w2-w7; ff-a-acs ffa_run check 2 expects an
 * error for a non-zero one: INVALID_PARAMETERS, the vCPU not run (nothing
 * reaches the SPMC); with them zero it runs.
 */
static void test_run_reserved_registers_invalid(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 2; i < 8; i++) {
		struct smccc_regs x = {.x = {0, ffa_target_info(CRYPTO, 3)}};

		x.x[i] = i == 2 ? 0xFFFF : 1;
		assert_ffa_error(fx_call_regs(f, GUEST1, FFA_RUN_32, x), FFA_INVALID_PARAMETERS);
	}
	assert_msg_wait(run(f, GUEST1, CRYPTO, 3), CRYPTO, 3);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A FFA_RUN of an idle vCPU -> MSG_WAIT; DEN0028 §2.6: SMC32 keeps x8-x17. */
static void test_run_idle_vcpu_msg_wait(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs x = {.x = {0, ffa_target_info(CRYPTO, 3)}};
	struct smccc_regs r;

	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		x.x[i] = EXT_PATTERN(i);
	}
	r = fx_call_regs(f, GUEST1, FFA_RUN_32, x);
	assert_msg_wait(r, CRYPTO, 3);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r.x[i], EXT_PATTERN(i));
	}
	assert_int_equal(pending_count(f, GUEST1), 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- MEDIATOR_MAX_PENDING --- */

static const char five_yielders[] =
	"partition 0x8011 y1\n    uuid 00008011-0000-4000-8000-000000000001\n"
	"    behaviour yield\n    properties direct-req-recv aarch64\n"
	"partition 0x8012 y2\n    uuid 00008012-0000-4000-8000-000000000002\n"
	"    behaviour yield\n    properties direct-req-recv aarch64\n"
	"partition 0x8013 y3\n    uuid 00008013-0000-4000-8000-000000000003\n"
	"    behaviour yield\n    properties direct-req-recv aarch64\n"
	"partition 0x8014 y4\n    uuid 00008014-0000-4000-8000-000000000004\n"
	"    behaviour yield\n    properties direct-req-recv aarch64\n"
	"partition 0x8015 y5\n    uuid 00008015-0000-4000-8000-000000000005\n"
	"    behaviour yield\n    properties direct-req-recv aarch64\n";

static struct spmc_manifest yielders;

/* direct_messaging.c header: at most MEDIATOR_MAX_PENDING (4) preempted requests per VM, else BUSY. */
static void test_direct_req_fifth_preempted_busy(void **state)
{
	char err[256];
	struct fixture *f;

	(void)state;
	if (!spmc_manifest_parse(five_yielders, strlen(five_yielders), "five", &yielders, err,
				 sizeof(err))) {
		fail_msg("manifest: %s", err);
	}
	f = fixture_new(NULL, &yielders);
	assert_int_equal(f->init_err, FFA_OK);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	assert_int_equal(MEDIATOR_MAX_PENDING, 4);
	for (ffa_id_t sp = 0x8011; sp <= 0x8014; sp++) {
		assert_preempted(req32(f, GUEST1, sp, sp & 0xF), FFA_YIELD_32, sp, 0);
	}
	assert_int_equal(pending_count(f, GUEST1), 4);
	assert_ffa_error(req32(f, GUEST1, 0x8015, 5), FFA_BUSY);
	assert_int_equal(sp_vcpu(f, 0x8015, 0), SPMC_VCPU_WAITING); /* never forwarded */
	/* The limit is per VM: GUEST2 may still preempt a request. */
	assert_preempted(req32(f, GUEST2, 0x8015, 9), FFA_YIELD_32, 0x8015, 0);
	/* Finishing one frees a slot. */
	assert_resp32(run(f, GUEST1, 0x8012, 0), 0x8012, GUEST1, 2);
	assert_int_equal(pending_count(f, GUEST1), 3);
	assert_preempted(req32(f, GUEST1, 0x8012, 12), FFA_YIELD_32, 0x8012, 0);
	for (ffa_id_t sp = 0x8011; sp <= 0x8014; sp++) {
		assert_resp32(run(f, GUEST1, sp, 0), sp, GUEST1, sp == 0x8012 ? 12 : sp & 0xF);
	}
	assert_resp32(run(f, GUEST2, 0x8015, 0), 0x8015, GUEST2, 9);
	assert_int_equal(pending_count(f, GUEST1), 0);
	assert_int_equal(pending_count(f, GUEST2), 0);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup_two_guests, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_run_after_yield_completes_req_32),
		T(test_run_after_yield_completes_req_64),
		T(test_run_after_interrupt_completes_req_32),
		T(test_run_after_preemption_completes_req2_with_14_registers),
		T(test_direct_req_to_preempted_receiver_busy),
		T(test_run_other_vms_preempted_request_denied),
		T(test_run_wrong_vcpu_leaves_request_pending),
		T(test_run_unknown_target_invalid),
		T(test_run_vcpu_beyond_exec_contexts_invalid),
		T(test_run_idle_vcpu_msg_wait),
		T(test_run_reserved_registers_invalid),
		cmocka_unit_test_teardown(test_direct_req_fifth_preempted_busy,
					  fixture_teardown_leftover),
	};
#undef T

	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
