/*
 * The mediator's checks on what the SPMC answers (partition_info.c): an SPMC
 * that lies must never reach a guest unchecked. Linked with
 * -Wl,--wrap=other_world_call: the real SPMC model answers first (so its
 * state moves as usual) and a test's lie then rewrites the reply. Bugs these
 * pin: Xen X12 (unbounded size and count), X13 (RX_RELEASE when no ownership
 * passed), pKVM P3 (status compared as 64 bits), Hafnium 9decd785 (UUID not
 * zeroed for a specific UUID).
 */
#include "fixture.h"

#include <string.h>

#define LOG_MAX 64

typedef struct smccc_regs (*lie_fn)(struct spmc *s, struct smccc_regs honest);

static lie_fn lie;
static uint32_t lie_fid;
static uint32_t log_fids[LOG_MAX];
static uint32_t log_w1[LOG_MAX];
static unsigned log_count;

struct smccc_regs __real_other_world_call(struct spmc *spmc, const struct smccc_regs *req);
struct smccc_regs __wrap_other_world_call(struct spmc *spmc, const struct smccc_regs *req);

struct smccc_regs __wrap_other_world_call(struct spmc *spmc, const struct smccc_regs *req)
{
	struct smccc_regs honest = __real_other_world_call(spmc, req);

	if (log_count < LOG_MAX) {
		log_w1[log_count] = ffa_w(req, 1);
		log_fids[log_count++] = ffa_func(req);
	}
	if (lie != NULL && ffa_func(req) == lie_fid) {
		return lie(spmc, honest);
	}
	return honest;
}

/* A v1.2 guest with its pair mapped, the lie armed for @fid, the log cleared. */
static struct fixture *machine(uint32_t version, uint32_t fid, lie_fn fn)
{
	struct fixture *f;

	lie = NULL; /* a failed test may have left one armed */
	f = fixture_with(NULL);
	fx_negotiate(f, GUEST1, version);
	fx_map_rxtx(f, GUEST1);
	lie = fn;
	lie_fid = fid;
	log_count = 0;
	return f;
}

static void done(struct fixture *f)
{
	lie = NULL;
	fixture_free(f);
}

/* Whether the mediator sent @fid with w1 = @w1 since the lie was armed. */
static bool logged(uint32_t fid, uint32_t w1)
{
	for (unsigned i = 0; i < log_count; i++) {
		if (log_fids[i] == fid && log_w1[i] == w1) {
			return true;
		}
	}
	return false;
}

static struct smccc_regs partition_info_get(struct fixture *f, ffa_id_t vm)
{
	return fx_call(f, vm, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);
}

/* The hypervisor's RX buffer, where the SPMC model wrote partition information. */
static uint8_t *hyp_rx(struct spmc *s)
{
	uint8_t *rx = mem_map(s->mem, s->hyp_mailbox.rx_pa, s->hyp_mailbox.page_count,
			      MEM_OWNER_HYP, MEM_PAGE_MAILBOX);

	assert_non_null(rx);
	return rx;
}

static struct smccc_regs lie_huge_count(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[2] = 1000; /* 1000 * 24 bytes do not fit one 4K page */
	return honest;
}

/* Xen X12: count * size beyond the mediator's RX buffer is ABORTED, and RX still goes back. */
static void test_partition_info_get_spmc_count_beyond_buffer_aborted(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_32, lie_huge_count);

	(void)state;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_ABORTED);
	assert_true(logged(FFA_RX_RELEASE_32, 0)); /* ownership had passed: give it back */
	assert_true(logged(FFA_RX_RELEASE_32, GUEST1)); /* and the guest's RX, taken unfilled */
	assert_int_equal(f->spmc.hyp_mailbox.rx, MAILBOX_RX_FREE);
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.fault_count, 0);
	done(f);
}

static struct smccc_regs lie_small_size(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[3] = 8; /* a v1.0 size from an SPMC that negotiated 1.2 */
	return honest;
}

/* Xen X12: a descriptor size below 24 bytes is ABORTED. */
static void test_partition_info_get_spmc_size_below_24_aborted(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_32, lie_small_size);

	(void)state;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_ABORTED);
	assert_true(logged(FFA_RX_RELEASE_32, 0));
	done(f);
}

/* Rewrite the SPMC's 24-byte list with a 32-byte stride, as a later FF-A might. */
static struct smccc_regs lie_wide_descriptors(struct spmc *s, struct smccc_regs honest)
{
	uint8_t *rx = hyp_rx(s);
	uint8_t copy[6 * 24];
	uint32_t count = (uint32_t)honest.x[2];

	assert_int_equal(count, 6);
	memcpy(copy, rx, sizeof(copy));
	memset(rx, 0xEE, 6 * 32);
	for (uint32_t i = 0; i < count; i++) {
		memcpy(rx + i * 32, copy + i * 24, 24);
	}
	honest.x[3] = 32;
	return honest;
}

/* DEN0077A FFA_PARTITION_INFO_GET: w3 is the descriptor size; the mediator walks the SPMC's list by it. */
static void test_partition_info_get_spmc_larger_descriptor_size_honoured(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_32, lie_wide_descriptors);
	struct smccc_regs r;
	const struct ffa_partition_info *d;

	(void)state;
	r = partition_info_get(f, GUEST1);
	assert_ffa_success(r);
	assert_int_equal(r.x[2], 6);
	assert_int_equal(r.x[3], 24); /* the guest gets the 24-byte layout it knows */
	d = (const struct ffa_partition_info *)fx_rx(f, GUEST1);
	assert_int_equal(d[0].id, 0x8001);
	assert_int_equal(d[1].id, 0x8002);
	assert_int_equal(d[5].id, 0x8004);
	done(f);
}

static struct smccc_regs lie_error_code_positive(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	(void)honest;
	return (struct smccc_regs){.x = {FFA_ERROR_32, 0, 5}};
}

static struct smccc_regs lie_error_code_undefined(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	(void)honest;
	return (struct smccc_regs){.x = {FFA_ERROR_32, 0, 0xFFFFFFF5U}}; /* -11 */
}

static struct smccc_regs lie_denied(struct spmc *s, struct smccc_regs honest)
{
	(void)honest;
	/* The model did hand RX over; undo that so the lie is consistent. */
	assert_int_equal(mailbox_rx_release(&s->hyp_mailbox), FFA_OK);
	return ffa_error(FFA_DENIED);
}

static struct smccc_regs lie_wrong_function(struct spmc *s, struct smccc_regs honest)
{
	(void)honest;
	assert_int_equal(mailbox_rx_release(&s->hyp_mailbox), FFA_OK);
	return (struct smccc_regs){.x = {FFA_MSG_WAIT_32}};
}

/* Status codes outside the spec's set become ABORTED, never a guest-visible oddity. */
static void test_partition_info_get_spmc_undefined_error_aborted(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_32, lie_error_code_positive);

	(void)state;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_ABORTED);
	lie = lie_error_code_undefined;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_ABORTED);
	done(f);
}

/* Xen X13: an SPMC error passes through and no RX_RELEASE follows (no ownership passed). */
static void test_partition_info_get_spmc_error_passed_without_release(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_32, lie_denied);

	(void)state;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_DENIED);
	assert_false(logged(FFA_RX_RELEASE_32, 0));
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.fault_count, 0);
	done(f);
}

/* A reply that is neither SUCCESS nor ERROR is ABORTED, with no RX_RELEASE. */
static void test_partition_info_get_spmc_wrong_function_aborted(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_32, lie_wrong_function);

	(void)state;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_ABORTED);
	assert_false(logged(FFA_RX_RELEASE_32, 0));
	assert_int_equal(f->spmc.fault_count, 0);
	done(f);
}

static struct smccc_regs lie_uuid_and_properties(struct spmc *s, struct smccc_regs honest)
{
	struct ffa_partition_info *d = (struct ffa_partition_info *)hyp_rx(s);

	memset(&d[0].uuid, 0xAB, sizeof(d[0].uuid));
	d[0].properties = 0xFFFFFFFFU;
	honest.x[2] |= 0xFFFFFFFF00000000ULL; /* garbage above w2 */
	return honest;
}

/* Hafnium 9decd785, DEN0077A FFA_PARTITION_INFO_GET: a specific UUID's reply has the UUID zeroed and properties masked. */
static void test_partition_info_get_mediator_zeroes_uuid_and_masks_properties(void **state)
{
	struct fixture *f =
		machine(FFA_VERSION_1_1, FFA_PARTITION_INFO_GET_32, lie_uuid_and_properties);
	const struct spmc_partition *sp = spmc_partition_find(&f->spmc, 0x8002);
	const struct ffa_partition_info *d;
	struct smccc_regs r;
	const struct ffa_uuid zero = {{0}};

	(void)state;
	assert_non_null(sp);
	r = fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, ffa_uuid_word32(&sp->uuids[0], 0),
		    ffa_uuid_word32(&sp->uuids[0], 1), ffa_uuid_word32(&sp->uuids[0], 2),
		    ffa_uuid_word32(&sp->uuids[0], 3), 0);
	assert_ffa_success(r);
	assert_int_equal(r.x[2], 1); /* w2 read as 32 bits */
	d = (const struct ffa_partition_info *)fx_rx(f, GUEST1);
	assert_memory_equal(&d[0].uuid, &zero, sizeof(zero));
	assert_int_equal(d[0].properties, FFA_PARTITION_PROPS_V1_1);
	done(f);
}

static struct smccc_regs regs_success32(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[0] = FFA_SUCCESS_32;
	return honest;
}

static struct smccc_regs regs_size48(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[2] = (honest.x[2] & 0xFFFFFFFFFFFFULL) | 48ULL << 48;
	return honest;
}

static struct smccc_regs regs_current_before_start(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[2] &= ~0xFFFF0000ULL; /* current index 0 for start index 5 */
	return honest;
}

static struct smccc_regs regs_six_descriptors(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[2] = (honest.x[2] & ~0xFFFF0000ULL) | 5ULL << 16; /* 0..5: six in one reply */
	return honest;
}

static struct smccc_regs regs_garbage_properties(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	honest.x[3] |= 0xFFFFF80000000000ULL; /* properties bits[31:11] */
	return honest;
}

static struct smccc_regs get_regs(struct fixture *f, uint64_t start, uint64_t tag)
{
	return fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0, 0,
		       start | tag << FFA_PART_INFO_REGS_TAG_SHIFT, 0, 0);
}

/* DEN0077A FFA_PARTITION_INFO_GET_REGS: the reply must be FFA_SUCCESS_64 with 24-byte descriptors, else ABORTED. */
static void test_partition_info_get_regs_spmc_malformed_reply_aborted(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_REGS_64, regs_success32);

	(void)state;
	assert_ffa_error(get_regs(f, 0, 0), FFA_ABORTED);
	lie = regs_size48;
	assert_ffa_error(get_regs(f, 0, 0), FFA_ABORTED);
	lie = regs_six_descriptors;
	assert_ffa_error(get_regs(f, 0, 0), FFA_ABORTED);
	lie = regs_current_before_start;
	assert_ffa_error(get_regs(f, 5, f->spmc.info_tag), FFA_ABORTED);
	done(f);
}

/* DEN0077A table "Partition properties": bits[31:11] MBZ for a v1.2 caller, whatever the SPMC says. */
static void test_partition_info_get_regs_properties_masked(void **state)
{
	struct fixture *f =
		machine(FFA_VERSION_1_2, FFA_PARTITION_INFO_GET_REGS_64, regs_garbage_properties);
	struct smccc_regs r;

	(void)state;
	r = get_regs(f, 0, 0);
	assert_ffa_success(r);
	assert_int_equal(r.x[3] >> 32, spmc_partition_find(&f->spmc, 0x8001)->properties);
	assert_int_equal(r.x[3] & 0xFFFF, 0x8001);
	done(f);
}

static struct smccc_regs release_refused(struct spmc *s, struct smccc_regs honest)
{
	(void)s;
	(void)honest;
	return ffa_error(FFA_DENIED);
}

/* The mediator gives its RX back after every transfer; if the SPMC refuses, the guest sees ABORTED. */
static void test_partition_info_get_release_refused_aborted(void **state)
{
	struct fixture *f = machine(FFA_VERSION_1_2, FFA_RX_RELEASE_32, release_refused);

	(void)state;
	assert_ffa_error(partition_info_get(f, GUEST1), FFA_ABORTED);
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_FREE);
	done(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partition_info_get_spmc_count_beyond_buffer_aborted),
		cmocka_unit_test(test_partition_info_get_spmc_size_below_24_aborted),
		cmocka_unit_test(test_partition_info_get_spmc_larger_descriptor_size_honoured),
		cmocka_unit_test(test_partition_info_get_spmc_undefined_error_aborted),
		cmocka_unit_test(test_partition_info_get_spmc_error_passed_without_release),
		cmocka_unit_test(test_partition_info_get_spmc_wrong_function_aborted),
		cmocka_unit_test(test_partition_info_get_mediator_zeroes_uuid_and_masks_properties),
		cmocka_unit_test(test_partition_info_get_regs_spmc_malformed_reply_aborted),
		cmocka_unit_test(test_partition_info_get_regs_properties_masked),
		cmocka_unit_test(test_partition_info_get_release_refused_aborted),
	};

	return cmocka_run_group_tests_name("spmc_lies", tests, NULL, NULL);
}
