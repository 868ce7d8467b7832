/*
 * What the mediator lets through of the SPMC's answer to a direct request or
 * an FFA_RUN, for answers the scripted partitions cannot produce: reserved
 * registers left dirty, a response naming another VM, an undefined status,
 * MSG_WAIT to a request, a YIELD naming the wrong partition or vCPU.
 *
 * The seam: this binary links with -Wl,--wrap=other_world_call; the real
 * SPMC model answers first (so its state moves as usual) and an armed edit
 * then rewrites registers of its reply, playing a misbehaving SPMC. Each
 * test's control assertion shows the edit reaches the mediator.
 *
 * Rules: mediator/src/direct_messaging.c's header ("What may come back"),
 * DEN0077A v1.2 FFA_MSG_SEND_DIRECT_RESP/RESP2, FFA_YIELD, FFA_RUN
 * (ffa-facts.md §2), Hafnium e468c116 (response must match the request).
 */
#include "fixture.h"

#include <string.h>

#define CRYPTO 0x8001U
#define REQ2_VAL(n) (0x0400000000000004ULL + (uint64_t)((n)-4) * 0x0101010101010101ULL)
#define GARBAGE 0xDEADBEEFCAFEF00DULL

/* The next SPMC reply gets x[i] = set.x[i] for every bit i of mask. */
static struct {
	uint32_t mask;
	struct smccc_regs set;
	unsigned edits;
} tamper;

struct smccc_regs __real_other_world_call(struct spmc *spmc, const struct smccc_regs *req);
struct smccc_regs __wrap_other_world_call(struct spmc *spmc, const struct smccc_regs *req);

struct smccc_regs __wrap_other_world_call(struct spmc *spmc, const struct smccc_regs *req)
{
	struct smccc_regs r = __real_other_world_call(spmc, req);

	if (tamper.mask != 0) {
		for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
			if (tamper.mask & (1U << i)) {
				r.x[i] = tamper.set.x[i];
			}
		}
		tamper.mask = 0;
		tamper.edits++;
	}
	return r;
}

/* Arm one edit: x[@reg] = @val (call again to edit more registers of the same reply). */
static void tamper_reg(unsigned reg, uint64_t val)
{
	tamper.mask |= 1U << reg;
	tamper.set.x[reg] = val;
}

static int setup_tamper(void **state)
{
	struct fixture *f;

	memset(&tamper, 0, sizeof(tamper));
	f = fixture_with(NULL);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	*state = f;
	return 0;
}

static struct smccc_regs req32(struct fixture *f)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(GUEST1, CRYPTO), 0, 3, 4, 5, 6, 7}};

	return fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_32, x);
}

static struct smccc_regs req2(struct fixture *f)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(GUEST1, CRYPTO)}};

	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		x.x[i] = REQ2_VAL(i);
	}
	return fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ2_64, x);
}

static struct smccc_regs run0(struct fixture *f, uint16_t vcpu)
{
	return fx_call(f, GUEST1, FFA_RUN_32, ffa_target_info(CRYPTO, vcpu), 0, 0, 0, 0);
}

static unsigned pending_count(struct fixture *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MEDIATOR_MAX_PENDING; i++) {
		n += fx_vm(f, GUEST1)->pending[i].active;
	}
	return n;
}

/* DEN0077A RESP2: x2/x3 reserved; direct_messaging.c header: "RESP2's x2/x3 zeroed". */
static void test_direct_req2_resp2_reserved_x2_x3_zeroed(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	tamper_reg(2, GARBAGE);
	tamper_reg(3, GARBAGE);
	tamper_reg(17, GARBAGE); /* control: a payload register does get through */
	r = req2(f);
	assert_int_equal(tamper.edits, 1);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	assert_int_equal(r.x[1], 0x80010001U);
	assert_int_equal(r.x[2], 0);
	assert_int_equal(r.x[3], 0);
	for (unsigned i = 4; i < 17; i++) {
		assert_int_equal(r.x[i], REQ2_VAL(i));
	}
	assert_int_equal(r.x[17], GARBAGE);
}

/* DEN0077A DIRECT_RESP: w1[15:0] must be the requester; a response naming another VM -> ABORTED. */
static void test_direct_resp_naming_other_vm_aborted(void **state)
{
	struct fixture *f = *state;

	tamper_reg(1, ffa_sender_receiver(CRYPTO, GUEST2));
	assert_ffa_error(req32(f), FFA_ABORTED);
	tamper_reg(1, ffa_sender_receiver(CRYPTO, GUEST2));
	assert_ffa_error(req2(f), FFA_ABORTED);
	assert_int_equal(tamper.edits, 2);
}

/* DEN0077A DIRECT_RESP w2 (flags) MBZ for a partition message: a framework bit -> ABORTED. */
static void test_direct_resp_w2_set_aborted(void **state)
{
	struct fixture *f = *state;

	tamper_reg(2, FFA_DIRECT_MSG_FRAMEWORK | 5U);
	assert_ffa_error(req32(f), FFA_ABORTED);
	tamper_reg(2, 1);
	assert_ffa_error(req32(f), FFA_ABORTED);
	assert_int_equal(tamper.edits, 2);
}

/* DEN0077A status codes: an FFA_ERROR with a status the spec does not define -> ABORTED. */
static void test_direct_req_undefined_error_status_aborted(void **state)
{
	struct fixture *f = *state;
	const uint32_t statuses[] = {0, 1, 0x7FFFFFFF, (uint32_t)-11, 0x80000000U};

	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		tamper_reg(0, FFA_ERROR_32);
		tamper_reg(2, statuses[i]);
		assert_ffa_error(req32(f), FFA_ABORTED);
	}
	/* Control: a defined status passes. */
	tamper_reg(0, FFA_ERROR_32);
	tamper_reg(2, (uint32_t)FFA_RETRY);
	assert_ffa_error(req32(f), FFA_RETRY);
}

/* direct_messaging.c header: FFA_MSG_WAIT answers only FFA_RUN; to a request -> ABORTED. */
static void test_direct_req_msg_wait_reply_aborted(void **state)
{
	struct fixture *f = *state;

	tamper_reg(0, FFA_MSG_WAIT_32);
	tamper_reg(1, ffa_target_info(CRYPTO, 0));
	assert_ffa_error(req32(f), FFA_ABORTED);
	assert_int_equal(pending_count(f), 0);
}

/* DEN0077A FFA_YIELD w1 = the receiver | one of its vCPUs; another SP or vCPU -> ABORTED, none pending. */
static void test_direct_req_yield_naming_wrong_target_aborted(void **state)
{
	struct fixture *f = *state;
	const uint32_t targets[] = {ffa_target_info(0x8002, 0), ffa_target_info(CRYPTO, 8),
				    ffa_target_info(GUEST1, 0)};

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		tamper_reg(0, FFA_YIELD_32);
		tamper_reg(1, targets[i]);
		assert_ffa_error(req32(f), FFA_ABORTED);
	}
	assert_int_equal(pending_count(f), 0);
}

/* DEN0077A FFA_YIELD: w2/w3 timeout passed on, w4-w7 MBZ (header: "w4-w7 MBZ"). */
static void test_direct_req_yield_timeout_kept_rest_zeroed(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	tamper_reg(0, FFA_YIELD_32);
	tamper_reg(1, ffa_target_info(CRYPTO, 5));
	tamper_reg(2, 0x1234);
	tamper_reg(3, 0x5678);
	for (unsigned i = 4; i < 8; i++) {
		tamper_reg(i, GARBAGE);
	}
	r = req32(f);
	assert_int_equal(r.x[0], FFA_YIELD_32);
	assert_int_equal(r.x[1], 0x80010005U);
	assert_int_equal(r.x[2], 0x1234);
	assert_int_equal(r.x[3], 0x5678);
	for (unsigned i = 4; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	/* The request is now pending on vCPU 5. */
	assert_int_equal(pending_count(f), 1);
	assert_int_equal(fx_vm(f, GUEST1)->pending[0].vcpu, 5);
}

/*
 * DEN0077A DIRECT_REQ2 results: SUCCESS is completion without a response;
 * header: replies rebuilt from zero, so the payload left in x4-x17 never reaches the VM.
 */
static void test_direct_req2_success_completion(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	tamper_reg(0, FFA_SUCCESS_32);
	tamper_reg(1, 0);
	r = req2(f);
	assert_int_equal(tamper.edits, 1);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r.x[i], 0);
	}
	assert_int_equal(pending_count(f), 0);
}

/* direct_messaging.c header: FFA_RUN of a vCPU with no request of this VM cannot yield a RESP -> ABORTED. */
static void test_run_response_without_request_aborted(void **state)
{
	struct fixture *f = *state;

	tamper_reg(0, FFA_MSG_SEND_DIRECT_RESP_32);
	tamper_reg(1, ffa_sender_receiver(CRYPTO, GUEST1));
	assert_ffa_error(run0(f, 2), FFA_ABORTED);
	assert_int_equal(tamper.edits, 1);
}

/* Hafnium e468c116: the RESP finishing a preempted REQ_32 must be RESP_32; RESP_64 -> ABORTED. */
static void test_run_response_not_matching_request_aborted(void **state)
{
	struct fixture *f = *state;

	spmc_set_behaviour(&f->spmc, CRYPTO, (struct spmc_behaviour){.kind = SPMC_BEHAVE_YIELD});
	assert_int_equal(req32(f).x[0], FFA_YIELD_32);
	tamper_reg(0, FFA_MSG_SEND_DIRECT_RESP_64);
	assert_ffa_error(run0(f, 0), FFA_ABORTED);
	assert_int_equal(tamper.edits, 1);
}

/*
 * direct_messaging.c answer(): a RUN that yields again or fails leaves the one
 * pending request in place (no second slot); MSG_WAIT drops it.
 */
static void test_run_yield_again_or_error_keeps_request_pending(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	spmc_set_behaviour(&f->spmc, CRYPTO, (struct spmc_behaviour){.kind = SPMC_BEHAVE_YIELD});
	assert_int_equal(req32(f).x[0], FFA_YIELD_32);
	tamper_reg(0, FFA_YIELD_32);
	tamper_reg(1, ffa_target_info(CRYPTO, 0));
	r = run0(f, 0);
	assert_int_equal(r.x[0], FFA_YIELD_32);
	assert_int_equal(r.x[1], 0x80010000U);
	assert_int_equal(pending_count(f), 1);
	tamper_reg(0, FFA_ERROR_32);
	tamper_reg(2, (uint32_t)FFA_BUSY);
	assert_ffa_error(run0(f, 0), FFA_BUSY);
	assert_int_equal(pending_count(f), 1);
	assert_int_equal(tamper.edits, 2);
	/* The partition (which really answered the first RUN) now waits: the request is gone. */
	r = run0(f, 0);
	assert_int_equal(r.x[0], FFA_MSG_WAIT_32);
	assert_int_equal(pending_count(f), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup_tamper, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_direct_req2_resp2_reserved_x2_x3_zeroed),
		T(test_direct_resp_naming_other_vm_aborted),
		T(test_direct_resp_w2_set_aborted),
		T(test_direct_req_undefined_error_status_aborted),
		T(test_direct_req_msg_wait_reply_aborted),
		T(test_direct_req_yield_naming_wrong_target_aborted),
		T(test_direct_req_yield_timeout_kept_rest_zeroed),
		T(test_direct_req2_success_completion),
		T(test_run_response_without_request_aborted),
		T(test_run_response_not_matching_request_aborted),
		T(test_run_yield_again_or_error_keeps_request_pending),
	};
#undef T

	return cmocka_run_group_tests_name("direct_replies", tests, NULL, NULL);
}
