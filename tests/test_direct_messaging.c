/*
 * Direct requests from a VM through the mediator to the scripted partitions
 * of the SPMC model: FFA_MSG_SEND_DIRECT_REQ_32/_64 and _REQ2_64 with their
 * responses, the sender/receiver/w2/UUID checks, and what the mediator makes
 * of each partition behaviour (spmc_set_behaviour()). Preemption and FFA_RUN
 * are in test_run.c; SPMC answers no scripted partition gives (edited through
 * the observer) in test_direct_replies.c.
 *
 * Rules: DEN0077A v1.2 FFA_MSG_SEND_DIRECT_REQ/RESP and
 * FFA_MSG_SEND_DIRECT_REQ2/RESP2 (ffa-facts.md §2), SMCCC DEN0028 §2.6 and
 * v1.2 (ffa-facts.md §4), and mediator/src/direct_messaging.c's header.
 */
#include "fixture.h"

#include <string.h>

#define CRYPTO 0x8001U  /* v1.2, 8 contexts, REQ and REQ2 receipt */
#define STORAGE 0x8002U /* v1.1, REQ receipt only */
#define MULTI 0x8003U   /* v1.2, three UUIDs, REQ and REQ2 receipt */
#define LEGACY 0x8004U  /* v1.0, REQ receipt */

/* Values that tell registers apart: distinct in every byte and both halves. */
#define HI_GARBAGE 0xDEADBEEF00000000ULL
#define REQ2_VAL(n) (0x0400000000000004ULL + (uint64_t)((n)-4) * 0x0101010101010101ULL)
#define X64_VAL(n) (0x1122334455667700ULL + (uint64_t)(n) * 0x0100000001000001ULL)
#define W32_VAL(n) (0x10203000U + (uint32_t)(n) * 0x01010101U)
#define EXT_PATTERN(n) (0xA5A5A5A500000000ULL | (uint64_t)(n) * 0x11U)

/* --- Helpers --- */

/* A frame with w1 = @sender | @receiver and x3..x7 = W32_VAL, the rest zero. */
static struct smccc_regs req_frame(ffa_id_t sender, ffa_id_t receiver)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(sender, receiver)}};

	for (unsigned i = 3; i < 8; i++) {
		x.x[i] = W32_VAL(i);
	}
	return x;
}

/* A REQ2 frame to @receiver for service (@lo, @hi) with x4..x17 = REQ2_VAL. */
static struct smccc_regs req2_frame(ffa_id_t sender, ffa_id_t receiver, uint64_t lo,
				    uint64_t hi)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(sender, receiver), lo, hi}};

	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		x.x[i] = REQ2_VAL(i);
	}
	return x;
}

/* @r is the RESP2 from @sp to @vm carrying REQ2_VAL in x4..x17, x2/x3 zero. */
static void assert_resp2_echo(struct smccc_regs r, ffa_id_t sp, ffa_id_t vm)
{
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	assert_int_equal(r.x[1], ffa_sender_receiver(sp, vm));
	assert_int_equal(r.x[2], 0);
	assert_int_equal(r.x[3], 0);
	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		if (r.x[i] != REQ2_VAL(i)) {
			fail_msg("RESP2 x%u = %#llx, expected %#llx", i, (unsigned long long)r.x[i],
				 (unsigned long long)REQ2_VAL(i));
		}
	}
}

/* @r is RESP_32 from @sp to @vm echoing req_frame()'s payload. */
static void assert_resp32_echo(struct smccc_regs r, ffa_id_t sp, ffa_id_t vm)
{
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	assert_int_equal(r.x[1], ffa_sender_receiver(sp, vm));
	assert_int_equal(r.x[2], 0);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], W32_VAL(i));
	}
}

/* The UUID word @n (0: x2, 1: x3) of @text as REQ2 carries it. */
static uint64_t uuid_word(const char *text, unsigned n)
{
	struct ffa_uuid u = fx_uuid(text);

	return ffa_uuid_word64(&u, n);
}

/* A machine for manifest @text, which must parse and start; GUEST1 at v1.2. */
static struct spmc_manifest custom;

static struct fixture *manifest_machine(const char *text)
{
	char err[256];
	struct fixture *f;

	if (!spmc_manifest_parse(text, strlen(text), "test", &custom, err, sizeof(err))) {
		fail_msg("manifest: %s", err);
	}
	f = fixture_new(NULL, &custom);
	assert_int_equal(f->init_err, FFA_OK);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	return f;
}

/* 0x8005 takes no direct request, 0x8006 REQ2 only. */
static const char no_req_recv_manifest[] =
	"partition 0x8005 no-direct\n"
	"    uuid 11111111-2222-4333-8444-555555555555\n"
	"    properties indirect-msg aarch64\n"
	"partition 0x8006 req2-only\n"
	"    uuid 66666666-7777-4888-9999-aaaaaaaaaaaa\n"
	"    properties direct-req2-recv aarch64\n";

/* 0x8005 .. 0x8007 with the behaviours error -6, yield and interrupt 42. */
static const char behaviour_manifest[] =
	"partition 0x8005 refuser\n"
	"    uuid 11111111-2222-4333-8444-555555555555\n"
	"    behaviour error -6\n"
	"    properties direct-req-recv aarch64\n"
	"partition 0x8006 yielder\n"
	"    uuid 66666666-7777-4888-9999-aaaaaaaaaaaa\n"
	"    behaviour yield\n"
	"    properties direct-req-recv aarch64\n"
	"partition 0x8007 interrupted\n"
	"    uuid 77777777-7777-4888-9999-aaaaaaaaaaaa\n"
	"    behaviour interrupt 42\n"
	"    properties direct-req-recv aarch64\n";

/* What the observer saw of the last request forwarded and the SPMC's reply. */
static struct {
	struct smccc_regs spmc_call;
	struct smccc_regs spmc_reply;
	unsigned spmc_calls;
} seen;

static void observer(void *ctx, const struct mediator_event *ev)
{
	(void)ctx;
	if (ev->kind == MEDIATOR_EV_SPMC_CALL) {
		seen.spmc_call = *ev->regs;
		seen.spmc_calls++;
	} else if (ev->kind == MEDIATOR_EV_SPMC_REPLY) {
		seen.spmc_reply = *ev->regs;
	}
}

/* A default machine with the observer, GUEST1 at v1.2; seen reset after start-up. */
static struct fixture *observed_machine(void)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	cfg.observe = observer;
	f = fixture_with(&cfg);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	memset(&seen, 0, sizeof(seen));
	return f;
}

/* No request of @vm is left pending at the mediator. */
static void assert_nothing_pending(struct fixture *f, ffa_id_t vm)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_PENDING; i++) {
		assert_false(fx_vm(f, vm)->pending[i].active);
	}
}

/* @fid from @vm to @sp: REQ_32/REQ_64 with req_frame(), REQ2_64 with req2_frame() for Nil. */
static struct smccc_regs req(struct fixture *f, uint32_t fid, ffa_id_t vm, ffa_id_t sp)
{
	struct smccc_regs x = fid == FFA_MSG_SEND_DIRECT_REQ2_64 ? req2_frame(vm, sp, 0, 0)
								 : req_frame(vm, sp);

	return fx_call_regs(f, vm, fid, x);
}

/* REQ2_64 from GUEST1 to @sp for the service UUID @text. */
static struct smccc_regs req2_service(struct fixture *f, ffa_id_t sp, const char *text)
{
	struct smccc_regs x = req2_frame(GUEST1, sp, uuid_word(text, 0), uuid_word(text, 1));

	return fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ2_64, x);
}

/*
 * From GUEST1, REQ_32 and REQ_64 with req_frame(@sender, @receiver) and REQ2_64
 * with req2_frame(@sender, @receiver, 0, 0): each gets FFA_ERROR(@err).
 */
static void assert_each_req_refused(struct fixture *f, ffa_id_t sender, ffa_id_t receiver,
				    int32_t err)
{
	struct smccc_regs x = req_frame(sender, receiver);

	assert_ffa_error(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_32, x), err);
	assert_ffa_error(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_64, x), err);
	x = req2_frame(sender, receiver, 0, 0);
	assert_ffa_error(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ2_64, x), err);
}

/*
 * REQ_64 from @vm to @sp with x3..x7 = X64_VAL and x8..x17 = EXT_PATTERN:
 * the reply is RESP_64 with w1 = @w1, w2 = 0 and x3..x7 echoed, and x8..x17
 * still EXT_PATTERN if @preserved, else zero.
 */
static void req64_echo(struct fixture *f, ffa_id_t vm, ffa_id_t sp, uint32_t w1, bool preserved)
{
	struct smccc_regs x = req_frame(vm, sp);
	struct smccc_regs r;

	for (unsigned i = 3; i < 8; i++) {
		x.x[i] = X64_VAL(i);
	}
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		x.x[i] = EXT_PATTERN(i);
	}
	r = fx_call_regs(f, vm, FFA_MSG_SEND_DIRECT_REQ_64, x);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], w1);
	assert_int_equal(r.x[2], 0);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], X64_VAL(i));
	}
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r.x[i], preserved ? EXT_PATTERN(i) : 0);
	}
}

/* --- Round trips --- */

/*
 * DEN0077A DIRECT_REQ/RESP + DEN0028 §2.6: SMC32 payload is w3-w7 only (x[63:32]
 * ignored) and an SMC32 call preserves x8-x17.
 */
static void test_direct_req_32_echo_round_trip(void **state)
{
	struct fixture *f = observed_machine();
	struct smccc_regs x = req_frame(GUEST1, CRYPTO);
	struct smccc_regs r;

	(void)state;
	x.x[1] |= HI_GARBAGE; /* w1 is what counts */
	x.x[2] = HI_GARBAGE;  /* w2 = 0 */
	for (unsigned i = 3; i < 8; i++) {
		x.x[i] |= HI_GARBAGE;
	}
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		x.x[i] = EXT_PATTERN(i);
	}
	r = fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_32, x);
	assert_resp32_echo(r, CRYPTO, GUEST1);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r.x[i], EXT_PATTERN(i));
	}
	/* The SPMC was sent the masked payload. */
	assert_int_equal(seen.spmc_calls, 1);
	assert_int_equal(seen.spmc_call.x[1], ffa_sender_receiver(GUEST1, CRYPTO));
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(seen.spmc_call.x[i], W32_VAL(i));
	}
	assert_nothing_pending(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * DEN0077A DIRECT_REQ_64/RESP_64 + SMCCC v1.2: a v1.2 SMC64 result's unused x8-x17
 * are zero; direct_messaging.c: "REQ's payload is x3-x7 only" (x8-x17 not forwarded).
 */
static void test_direct_req_64_echo_round_trip_v1_2_zeroes_x8_x17(void **state)
{
	struct fixture *f = observed_machine();

	(void)state;
	req64_echo(f, GUEST1, CRYPTO, 0x80010001U, false);
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(seen.spmc_call.x[i], 0);
	}
	assert_int_equal(seen.spmc_call.x[7], X64_VAL(7));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* SMCCC v1.1 (ffa-facts.md §4): a pre-1.2 caller's x8-x17 are preserved across SMC64. */
static void test_direct_req_64_echo_round_trip_v1_1_preserves_x8_x17(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST2, FFA_VERSION_1_1);
	req64_echo(f, GUEST2, MULTI, 0x80030002U, true);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ: the host (ID 0) and a v1.0 caller reach v1.1 and v1.0 partitions. */
static void test_direct_req_32_host_and_v1_0_caller_round_trip(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST1, FFA_VERSION_1_0);
	assert_resp32_echo(req(f, FFA_MSG_SEND_DIRECT_REQ_32, HOST, STORAGE), STORAGE, HOST);
	assert_resp32_echo(req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, LEGACY), LEGACY, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- Sender and receiver --- */

/* DEN0077A DIRECT_REQ: w1[31:16] must be the caller's own ID -> INVALID_PARAMETERS. */
static void test_direct_req_sender_not_caller_invalid(void **state)
{
	struct fixture *f = *state;
	const ffa_id_t senders[] = {HOST, GUEST2, CRYPTO, 0x8000, 0xFFFF};

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
		assert_each_req_refused(f, senders[i], CRYPTO, FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ: a receiver that is the caller, the SPMC or no endpoint -> INVALID. */
static void test_direct_req_receiver_not_a_partition_invalid(void **state)
{
	struct fixture *f = *state;
	const ffa_id_t receivers[] = {GUEST1, 0x8009, 0x8000, 0x0003, 0xFFFF};

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(receivers) / sizeof(receivers[0]); i++) {
		assert_each_req_refused(f, GUEST1, receivers[i], FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A DIRECT_REQ DENIED, "the receiver does not support receipt of
 * direct request messages": another VM (VM-to-VM direct messaging is not
 * supported) is such an endpoint, as ff-a-acs ffa_direct_message_error reads
 * it whatever the receiver is; nothing reaches the SPMC.
 */
static void test_direct_req_to_another_vm_denied(void **state)
{
	struct fixture *f = *state;
	const ffa_id_t receivers[] = {GUEST2, HOST};

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(receivers) / sizeof(receivers[0]); i++) {
		assert_each_req_refused(f, GUEST1, receivers[i], FFA_DENIED);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ: w2 bit 31 (framework) and bits[30:0] MBZ for a VM -> INVALID_PARAMETERS. */
static void test_direct_req_w2_any_bit_invalid(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (unsigned bit = 0; bit < 32; bit++) {
		struct smccc_regs x = req_frame(GUEST1, CRYPTO);

		x.x[2] = 1ULL << bit;
		assert_ffa_error(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_32, x),
				 FFA_INVALID_PARAMETERS);
		assert_ffa_error(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_64, x),
				 FFA_INVALID_PARAMETERS);
	}
	/* A framework VM-created message (type 4) from a VM is refused too. */
	{
		struct smccc_regs x = req_frame(GUEST1, CRYPTO);

		x.x[2] = FFA_DIRECT_MSG_FRAMEWORK | 4U;
		assert_ffa_error(fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_32, x),
				 FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ2: a receiver without REQ2 receipt (properties bit 9) -> DENIED. */
static void test_direct_req2_receiver_without_req2_recv_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, STORAGE), FFA_DENIED);
	assert_ffa_error(req2_service(f, STORAGE, UUID_STORAGE), FFA_DENIED);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, LEGACY), FFA_DENIED);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ: "receiver does not support receipt of direct requests" -> DENIED. */
static void test_direct_req_receiver_without_req_recv_denied(void **state)
{
	struct fixture *f = manifest_machine(no_req_recv_manifest);

	(void)state;
	assert_each_req_refused(f, GUEST1, 0x8005, FFA_DENIED);
	/* REQ2 receipt alone takes REQ2 but not REQ. */
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ_64, GUEST1, 0x8006), FFA_DENIED);
	assert_resp2_echo(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, 0x8006), 0x8006, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- REQ2 --- */

/* DEN0077A DIRECT_REQ2 is v1.2: a v1.1 caller gets NOT_SUPPORTED. */
static void test_direct_req2_v1_1_caller_not_supported(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_1);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, CRYPTO), FFA_NOT_SUPPORTED);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* SMCCC: no SMC64 from AArch32 (dispatch.c guard 3): REQ2 and REQ_64 -> NOT_SUPPORTED. */
static void test_direct_req2_aarch32_not_supported(void **state)
{
	struct fixture *f = fixture_aarch32(GUEST1);

	(void)state;
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, CRYPTO), FFA_NOT_SUPPORTED);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ_64, GUEST1, CRYPTO), FFA_NOT_SUPPORTED);
	assert_resp32_echo(req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, CRYPTO), CRYPTO, GUEST1);
	fixture_free(f);
}

/* DEN0077A DIRECT_REQ2/RESP2: x4-x17 carried both ways in place; RESP2 x2/x3 reserved (0). */
static void test_direct_req2_14_register_round_trip(void **state)
{
	struct fixture *f = observed_machine();
	struct smccc_regs r;

	(void)state;
	r = req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, CRYPTO);
	assert_resp2_echo(r, CRYPTO, GUEST1);
	assert_int_equal(r.x[1], 0x80010001U);
	/* The SPMC got all 14 registers. */
	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(seen.spmc_call.x[i], REQ2_VAL(i));
	}
	assert_nothing_pending(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A DIRECT_REQ2: x2/x3 = UUID bytes 0-7 / 8-15, byte 0 low; any of 0x8003's -> RESP2. */
static void test_direct_req2_each_service_uuid_ok(void **state)
{
	struct fixture *f = *state;
	const struct spmc_partition *p = spmc_partition_find(&f->spmc, MULTI);
	const char *const texts[] = {UUID_MULTI0, UUID_MULTI1, UUID_MULTI2};

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_non_null(p);
	assert_int_equal(p->uuid_count, 3);
	for (unsigned i = 0; i < 3; i++) {
		struct ffa_uuid u = fx_uuid(texts[i]);

		assert_true(ffa_uuid_equal(&p->uuids[i], &u));
		assert_resp2_echo(req2_service(f, MULTI, texts[i]), MULTI, GUEST1);
	}
	/* UUID_MULTI0 = a1b2c3d4-...: byte 0 (0xa1) in the low bits of x2. */
	assert_int_equal(uuid_word(UUID_MULTI0, 0), 0x8947f6e5d4c3b2a1ULL);
	assert_resp2_echo(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, MULTI), MULTI, GUEST1);
	assert_resp2_echo(req2_service(f, CRYPTO, UUID_CRYPTO), CRYPTO, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ2: a UUID the receiver does not have -> INVALID_PARAMETERS. */
static void test_direct_req2_foreign_uuid_invalid(void **state)
{
	struct fixture *f = *state;
	const struct {
		ffa_id_t sp;
		uint64_t lo, hi;
	} cases[] = {
		{MULTI, 0x0123456789abcdefULL, 0xfedcba9876543210ULL}, /* nobody's */
		{MULTI, 1, 0},                                         /* almost Nil */
		{MULTI, 0, 1ULL << 63},
		{MULTI, uuid_word(UUID_CRYPTO, 0), uuid_word(UUID_CRYPTO, 1)}, /* another SP's */
		{CRYPTO, uuid_word(UUID_MULTI1, 0), uuid_word(UUID_MULTI1, 1)},
		/* The right UUID with x2/x3 swapped: the word order matters. */
		{MULTI, uuid_word(UUID_MULTI0, 1), uuid_word(UUID_MULTI0, 0)},
		{CRYPTO, uuid_word(UUID_CRYPTO, 1), uuid_word(UUID_CRYPTO, 0)},
		/* ... and so does the byte order inside each word. */
		{MULTI, __builtin_bswap64(uuid_word(UUID_MULTI2, 0)),
		 __builtin_bswap64(uuid_word(UUID_MULTI2, 1))},
	};

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smccc_regs r = fx_call_regs(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ2_64,
						   req2_frame(GUEST1, cases[i].sp, cases[i].lo,
							      cases[i].hi));

		if (r.x[0] != FFA_ERROR_32 || r.x[2] != (uint32_t)FFA_INVALID_PARAMETERS) {
			fail_msg("case %zu: x0=%#llx x2=%#llx, expected INVALID_PARAMETERS", i,
				 (unsigned long long)r.x[0], (unsigned long long)r.x[2]);
		}
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- Partition behaviours as the VM sees them --- */

/* DEN0077A DIRECT_REQ: an FFA_ERROR the receiver returns reaches the caller unchanged. */
static void test_direct_req_partition_error_passed_on(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (int32_t err = FFA_NOT_SUPPORTED; err >= FFA_NOT_READY; err--) {
		fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_ERROR, (uint32_t)err, 0);
		assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, CRYPTO), err);
		assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, CRYPTO), err);
	}
	assert_nothing_pending(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A DIRECT_REQ: the receiver's BUSY reaches the caller. */
static void test_direct_req_partition_busy(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_BUSY, 0, 0);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ_64, GUEST1, CRYPTO), FFA_BUSY);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* direct_messaging.c header + Hafnium e468c116: a reply that is not the matching RESP -> ABORTED. */
static void test_direct_req_wrong_response_id_aborted(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_WRONG_RESPONSE_ID, 0, 0);
	assert_each_req_refused(f, GUEST1, CRYPTO, FFA_ABORTED);
	assert_nothing_pending(f, GUEST1);
}

/* DEN0077A DIRECT_RESP: w1[31:16] must be the request's receiver; another responder -> ABORTED. */
static void test_direct_req_wrong_responder_aborted(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_WRONG_RESPONDER, 0, 0);
	assert_each_req_refused(f, GUEST1, CRYPTO, FFA_ABORTED);
	/* The misbehaviour is the partition's own: no mediator fault. */
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0028 §2.6: an SMC32 result's x1-x7[63:32] are zero even if the SPMC dirtied them. */
static void test_direct_req_32_garbage_upper_masked(void **state)
{
	struct fixture *f = observed_machine();
	struct smccc_regs r;

	(void)state;
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_GARBAGE_UPPER, 0, 0);
	r = req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, CRYPTO);
	/* The SPMC really sent garbage ... */
	assert_int_equal(seen.spmc_reply.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	for (unsigned i = 1; i < 8; i++) {
		assert_int_equal(seen.spmc_reply.x[i] >> 32, 0xDEADBEEFU);
	}
	/* ... and the VM sees none of it. */
	assert_resp32_echo(r, CRYPTO, GUEST1);
	/* Only SMC32 responses are garbled: REQ_64 is a plain echo. */
	r = req(f, FFA_MSG_SEND_DIRECT_REQ_64, GUEST1, CRYPTO);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], 0x80010001U);
	assert_int_equal(r.x[3], W32_VAL(3));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A DIRECT_REQ2 (Hafnium e468c116 ABI pairs): a REQ2 answered by RESP_64 -> ABORTED. */
static void test_direct_req2_answered_by_resp_64_aborted(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_behave(&f->spmc, CRYPTO, SPMC_BEHAVE_RESP_TO_REQ2, 0, 0);
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ2_64, GUEST1, CRYPTO), FFA_ABORTED);
	/* A REQ_64 under the same behaviour gets its normal RESP_64. */
	r = req(f, FFA_MSG_SEND_DIRECT_REQ_64, GUEST1, CRYPTO);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], 0x80010001U);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], W32_VAL(i));
	}
	assert_nothing_pending(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* spmc.h manifest format: the 'behaviour' key sets each partition's behaviour at boot. */
static void test_direct_req_manifest_behaviour_applies(void **state)
{
	struct fixture *f = manifest_machine(behaviour_manifest);
	struct smccc_regs r;

	(void)state;
	assert_ffa_error(req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, 0x8005), FFA_DENIED);
	r = req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, 0x8006);
	assert_int_equal(r.x[0], FFA_YIELD_32);
	assert_int_equal(r.x[1], 0x80060000U);
	r = req(f, FFA_MSG_SEND_DIRECT_REQ_32, GUEST1, 0x8007);
	assert_int_equal(r.x[0], FFA_INTERRUPT_32);
	assert_int_equal(r.x[1], 0x80070000U);
	assert_int_equal(r.x[2], 42);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
#define OWN(name) cmocka_unit_test_teardown(name, fixture_teardown_leftover)
	const struct CMUnitTest tests[] = {
		OWN(test_direct_req_32_echo_round_trip),
		OWN(test_direct_req_64_echo_round_trip_v1_2_zeroes_x8_x17),
		T(test_direct_req_64_echo_round_trip_v1_1_preserves_x8_x17),
		T(test_direct_req_32_host_and_v1_0_caller_round_trip),
		T(test_direct_req_sender_not_caller_invalid),
		T(test_direct_req_receiver_not_a_partition_invalid),
		T(test_direct_req_to_another_vm_denied),
		T(test_direct_req_w2_any_bit_invalid),
		T(test_direct_req2_receiver_without_req2_recv_denied),
		OWN(test_direct_req_receiver_without_req_recv_denied),
		T(test_direct_req2_v1_1_caller_not_supported),
		OWN(test_direct_req2_aarch32_not_supported),
		OWN(test_direct_req2_14_register_round_trip),
		T(test_direct_req2_each_service_uuid_ok),
		T(test_direct_req2_foreign_uuid_invalid),
		T(test_direct_req_partition_error_passed_on),
		T(test_direct_req_partition_busy),
		T(test_direct_req_wrong_response_id_aborted),
		T(test_direct_req_wrong_responder_aborted),
		OWN(test_direct_req_32_garbage_upper_masked),
		T(test_direct_req2_answered_by_resp_64_aborted),
		OWN(test_direct_req_manifest_behaviour_applies),
	};
#undef T
#undef OWN

	return cmocka_run_group_tests_name("direct_messaging", tests, NULL, NULL);
}
