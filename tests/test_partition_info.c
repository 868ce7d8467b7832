/*
 * Partition discovery through the mediator (mediator/src/partition_info.c):
 * FFA_PARTITION_INFO_GET (DEN0077A v1.2) for v1.0, v1.1 and v1.2
 * callers, and FFA_PARTITION_INFO_GET_REGS, against the SPMC model
 * with the default manifest (four partitions, 0x8003 with three UUIDs, six
 * descriptors for a v1.2 caller) and a seven-partition one. Descriptors are
 * decoded byte by byte from the VM's RX buffer (ffa-facts.md §3.1), and
 * UUIDs compared with the manifest's text order.
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#define UNKNOWN_UUID "deadbeef-0000-4000-8000-000000000001"

#define RX_FILL 0xEEU /* what the VM leaves in its RX buffer before a call */

struct want {
	uint16_t id;
	uint16_t exec;
	uint32_t props;
	const char *uuid; /* NULL: a zeroed UUID field */
};

/* The default manifest as a v1.2 caller sees it: one descriptor per UUID, all property bits. */
static const struct want v1_2_list[6] = {
	{0x8001, 8, 0x70F, UUID_CRYPTO},  {0x8002, 1, 0x10D, UUID_STORAGE},
	{0x8003, 2, 0x3C1, UUID_MULTI0},  {0x8003, 2, 0x3C1, UUID_MULTI1},
	{0x8003, 2, 0x3C1, UUID_MULTI2},  {0x8004, 1, 0x003, UUID_LEGACY},
};

/* ... as a v1.1 caller: once per partition (first UUID), properties bits[8:0]. */
static const struct want v1_1_list[4] = {
	{0x8001, 8, 0x10F, UUID_CRYPTO},
	{0x8002, 1, 0x10D, UUID_STORAGE},
	{0x8003, 2, 0x1C1, UUID_MULTI0},
	{0x8004, 1, 0x003, UUID_LEGACY},
};

/* ... as a v1.0 caller: once per partition, properties bits[2:0], no UUID. */
static const struct want v1_0_list[4] = {
	{0x8001, 8, 0x7, NULL},
	{0x8002, 1, 0x5, NULL},
	{0x8003, 2, 0x1, NULL},
	{0x8004, 1, 0x3, NULL},
};

/* Eight bytes, byte 0 in the low-order bits (DEN0077A §"FFA_MSG_SEND_DIRECT_REQ2"). */
static uint64_t le64(const uint8_t *b)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++) {
		v |= (uint64_t)b[i] << (8 * i);
	}
	return v;
}

/* Descriptor @i of @desc_size bytes at @rx matches @w (UUID checked for 24-byte ones). */
static void assert_desc(const uint8_t *rx, unsigned i, size_t desc_size, const struct want *w)
{
	const uint8_t *p = rx + i * desc_size;

	if (fx_rd16(p) != w->id || fx_rd16(p + 2) != w->exec || fx_rd32(p + 4) != w->props) {
		fail_msg("descriptor %u: id %#x exec %u props %#x, expected %#x %u %#x", i,
			 fx_rd16(p), fx_rd16(p + 2), fx_rd32(p + 4), w->id, w->exec, w->props);
	}
	if (desc_size == 24) {
		struct ffa_uuid u = {{0}};

		if (w->uuid != NULL) {
			u = fx_uuid(w->uuid);
		}
		assert_memory_equal(p + 8, u.b, 16);
	}
}

/* Bytes [@from, @to) of @rx still hold what the VM left there. */
static void assert_untouched(const uint8_t *rx, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (rx[i] != RX_FILL) {
			fail_msg("RX byte %zu = %#x: written past the descriptors", i, rx[i]);
		}
	}
}

/*
 * Bytes [@from, @to) of @rx are zero: nothing of what the buffer held before
 * shows behind the descriptors (mediator_rx_write_end(), Hafnium d89f5d43).
 */
static void assert_cleared(const uint8_t *rx, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		if (rx[i] != 0) {
			fail_msg("RX byte %zu = %#x: left behind the descriptors", i, rx[i]);
		}
	}
}

/* The VM fills its own RX buffer with RX_FILL. */
static void fill_rx(struct fixture *f, ffa_id_t vm)
{
	memset((uint8_t *)fx_rx(f, vm), RX_FILL, FFA_PAGE_SIZE);
}

/* GUEST1 at @version, with its RX/TX pair mapped and filled if @map. */
static void guest_setup(struct fixture *f, uint32_t version, bool map)
{
	fx_negotiate(f, GUEST1, version);
	if (map) {
		fx_map_rxtx(f, GUEST1);
		fill_rx(f, GUEST1);
	}
}

/* Nobody holds the mediator's RX buffer at the SPMC, and the SPMC saw no fault. */
static void assert_hyp_rx_free_no_faults(const struct fixture *f)
{
	assert_int_equal(f->m.hyp_mailbox.rx, MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.hyp_mailbox.rx, MAILBOX_RX_FREE);
	if (f->spmc.fault_count != 0) {
		fail_msg("SPMC fault: %s (fid %#x)", f->spmc.faults[0].reason,
			 f->spmc.faults[0].fid);
	}
}

static struct smccc_regs info_get(struct fixture *f, const struct ffa_uuid *u, uint32_t flags)
{
	return fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, ffa_uuid_word32(u, 0),
		       ffa_uuid_word32(u, 1), ffa_uuid_word32(u, 2), ffa_uuid_word32(u, 3), flags);
}

static const struct ffa_uuid nil_uuid = {{0}};

/* A SUCCESS answer to FFA_PARTITION_INFO_GET with w2 = @count and w3 = @size. */
static void assert_info(struct smccc_regs r, uint64_t count, uint64_t size)
{
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], count);
	assert_int_equal(r.x[3], size);
}

/* GUEST1's RX holds the @count descriptors of @list, @size bytes each, and nothing after them. */
static void assert_rx_holds(struct fixture *f, size_t size, const struct want *list,
			    unsigned count)
{
	const uint8_t *rx = fx_rx(f, GUEST1);

	for (unsigned i = 0; i < count; i++) {
		assert_desc(rx, i, size, &list[i]);
	}
	assert_cleared(rx, count * size, FFA_PAGE_SIZE);
}

/*
 * GUEST1 at @version, its pair mapped, asks for every partition (Nil UUID):
 * SUCCESS, w2 = @count, w3 = @w3, and @list in RX with @size-byte descriptors.
 * Returns the answer for the caller's own checks.
 */
static struct smccc_regs check_nil_uuid_list(struct fixture *f, uint32_t version, uint64_t w3,
					     size_t size, const struct want *list, unsigned count)
{
	struct smccc_regs r;

	guest_setup(f, version, true);
	r = info_get(f, &nil_uuid, 0);
	assert_info(r, count, w3);
	assert_rx_holds(f, size, list, count);
	assert_hyp_rx_free_no_faults(f);
	return r;
}

/* Nothing was delivered: GUEST1's RX is still free and holds what the VM left there. */
static void assert_nothing_delivered(struct fixture *f)
{
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_FREE);
	assert_untouched(fx_rx(f, GUEST1), 0, FFA_PAGE_SIZE);
	assert_hyp_rx_free_no_faults(f);
}

/* --- FFA_PARTITION_INFO_GET --- */

/* ffa-facts §2, §3.1: v1.0 callers get 8-byte descriptors, w3 = 0, properties bits[2:0]. */
static void test_ffa_partition_info_get_v1_0_nil_uuid_8_byte_descriptors(void **state)
{
	struct smccc_regs r = check_nil_uuid_list(*state, FFA_VERSION_1_0, 0, 8, v1_0_list, 4);

	assert_int_equal(r.x[1], 0);
}

/* Xen X3 (1b42304fd1), Hafnium 48546b1e: v1.1 gets w3 = 24, each partition once, bits[8:0]. */
static void test_ffa_partition_info_get_v1_1_nil_uuid_one_per_partition(void **state)
{
	check_nil_uuid_list(*state, FFA_VERSION_1_1, 24, 24, v1_1_list, 4);
}

/* Hafnium 48546b1e, ffa-facts §3.1: v1.2 sees 0x8003 once per UUID and the REQ2 bits. */
static void test_ffa_partition_info_get_v1_2_nil_uuid_one_per_uuid(void **state)
{
	struct smccc_regs r = check_nil_uuid_list(*state, FFA_VERSION_1_2, 24, 24, v1_2_list, 6);

	for (unsigned i = 4; i < 8; i++) {
		assert_int_equal(r.x[i], 0); /* reserved result registers MBZ */
	}
}

/* ffa-facts §2 RX ownership, Xen X13: the VM owns RX after success; the mediator released its own. */
static void test_ffa_partition_info_get_success_gives_rx_to_vm(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_2, true);
	assert_ffa_success(info_get(f, &nil_uuid, 0));
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(mediator_vm(&f->m, GUEST2)->mailbox.rx, MAILBOX_RX_FREE);
	assert_hyp_rx_free_no_faults(f);
}

/* Hafnium 9decd785, Xen 500ee5fe0f: a non-Nil UUID query returns the UUID field zeroed. */
static void test_ffa_partition_info_get_one_uuid_zeroes_uuid_field(void **state)
{
	static const struct want w = {0x8003, 2, 0x3C1, NULL};
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UUID_MULTI1);

	guest_setup(f, FFA_VERSION_1_2, true);
	assert_info(info_get(f, &u, 0), 1, 24);
	assert_rx_holds(f, 24, &w, 1);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2: w1 = UUID bytes 0-3 ... w4 = bytes 12-15, byte 0 in the low-order bits. */
static void test_ffa_partition_info_get_uuid_words_byte0_low(void **state)
{
	static const struct want w = {0x8002, 1, 0x10D, NULL};
	struct fixture *f = *state;
	struct smccc_regs r;

	guest_setup(f, FFA_VERSION_1_2, true);
	/* 3c9d5e7f-8a1b-4c2d-b3e4-f5a6b7c8d9e0, bytes 0..15 little-endian in w1..w4. */
	r = fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0x7F5E9D3CU, 0x2D4C1B8AU, 0xA6F5E4B3U,
		    0xE0D9C8B7U, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 1);
	assert_desc(fx_rx(f, GUEST1), 0, 24, &w);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	/* The same UUID with byte 0 in the high-order bits names no partition. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0x3C9D5E7FU, 0x8A1B4C2DU,
				 0xB3E4F5A6U, 0xB7C8D9E0U, 0),
			 FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
}

/* DEN0028 §2.6: "only the bottom 32 bits of a 32-bit SMC call are valid": x1-x5[63:32] ignored. */
static void test_ffa_partition_info_get_smc32_upper_halves_ignored(void **state)
{
	static const struct want w = {0x8004, 1, 0x3, NULL};
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UUID_LEGACY);
	const uint64_t junk = 0xFFFFFFFF00000000ULL;
	struct smccc_regs r;

	guest_setup(f, FFA_VERSION_1_2, true);
	r = fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, junk | ffa_uuid_word32(&u, 0),
		    junk | ffa_uuid_word32(&u, 1), junk | ffa_uuid_word32(&u, 2),
		    junk | ffa_uuid_word32(&u, 3), junk);
	assert_info(r, 1, 24);
	assert_desc(fx_rx(f, GUEST1), 0, 24, &w);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2: an unknown UUID is INVALID_PARAMETERS; no ownership moves (Xen X13). */
static void test_ffa_partition_info_get_unknown_uuid_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UNKNOWN_UUID);

	guest_setup(f, FFA_VERSION_1_2, true);
	assert_ffa_error(info_get(f, &u, 0), FFA_INVALID_PARAMETERS);
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_FREE);
	assert_untouched(fx_rx(f, GUEST1), 0, FFA_PAGE_SIZE);
	assert_ffa_error(info_get(f, &u, 1), FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2: count only (w5 bit 0, v1.1+): w2 = count, w3 = 0, no RX buffer needed. */
static void test_ffa_partition_info_get_count_only_without_rx(void **state)
{
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UUID_MULTI2);

	guest_setup(f, FFA_VERSION_1_2, false);
	assert_info(info_get(f, &nil_uuid, FFA_PARTITION_INFO_GET_COUNT_ONLY), 6, 0);
	assert_info(info_get(f, &u, FFA_PARTITION_INFO_GET_COUNT_ONLY), 1, 0);
	assert_false(mediator_vm(&f->m, GUEST1)->mailbox.mapped);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2: count only writes nothing to the RX buffer and leaves it free (v1.1 count 4). */
static void test_ffa_partition_info_get_count_only_rx_untouched(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_1, true);
	assert_info(info_get(f, &nil_uuid, FFA_PARTITION_INFO_GET_COUNT_ONLY), 4, 0);
	assert_nothing_delivered(f);
}

/* ffa-facts §2 and §5.3 (Xen): "v1.0: w5 MBZ": the count-only flag is invalid for v1.0. */
static void test_ffa_partition_info_get_v1_0_flags_invalid(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_0, true);
	assert_ffa_error(info_get(f, &nil_uuid, FFA_PARTITION_INFO_GET_COUNT_ONLY),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(info_get(f, &nil_uuid, 0x100), FFA_INVALID_PARAMETERS);
	assert_nothing_delivered(f);
}

/* ffa-facts §2, §5.4 (Hafnium): w5 bits[31:1] MBZ. */
static void test_ffa_partition_info_get_flags_mbz_invalid(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_2, true);
	assert_ffa_error(info_get(f, &nil_uuid, 2), FFA_INVALID_PARAMETERS);
	assert_ffa_error(info_get(f, &nil_uuid, 0x80000001U), FFA_INVALID_PARAMETERS);
	assert_ffa_error(info_get(f, &nil_uuid, 0xFFFFFFFEU), FFA_INVALID_PARAMETERS);
	assert_nothing_delivered(f);
}

/* partition_info.c header (pKVM, Hafnium): no RX buffer mapped is BUSY. */
static void test_ffa_partition_info_get_rx_not_mapped_busy(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_2, false);
	assert_ffa_error(info_get(f, &nil_uuid, 0), FFA_BUSY);
	assert_false(mediator_vm(&f->m, GUEST1)->mailbox.mapped);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2 RX ownership: the VM holds RX until FFA_RX_RELEASE; meanwhile BUSY. */
static void test_ffa_partition_info_get_rx_owned_busy_until_release(void **state)
{
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UUID_LEGACY);
	struct smccc_regs r;
	const uint8_t *rx;

	guest_setup(f, FFA_VERSION_1_2, true);
	assert_ffa_success(info_get(f, &nil_uuid, 0));
	assert_ffa_error(info_get(f, &u, 0), FFA_BUSY);
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_CONSUMER);
	rx = fx_rx(f, GUEST1);
	for (unsigned i = 0; i < 6; i++) {
		assert_desc(rx, i, 24, &v1_2_list[i]); /* the first answer is intact */
	}
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_FREE);
	r = info_get(f, &u, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 1);
	assert_int_equal(fx_rd16(rx), 0x8004);
	assert_int_equal(mediator_vm(&f->m, GUEST1)->mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_hyp_rx_free_no_faults(f);
}

/* --- FFA_PARTITION_INFO_GET_REGS --- */

static struct smccc_regs info_get_regs(struct fixture *f, ffa_id_t vm, const struct ffa_uuid *u,
				       uint64_t x3)
{
	return fx_call(f, vm, FFA_PARTITION_INFO_GET_REGS_64, ffa_uuid_word64(u, 0),
		       ffa_uuid_word64(u, 1), x3, 0, 0);
}

static uint64_t regs_x2(uint64_t last, uint64_t cur, uint64_t tag)
{
	return last | cur << 16 | tag << 32 | 24ULL << 48;
}

/* Descriptor @i of reply @r (from x3) matches @w: ID | exec << 16 | props << 32, UUID lo, hi. */
static void assert_regs_desc(const struct smccc_regs *r, unsigned i, const struct want *w)
{
	unsigned reg = 3 + 3 * i;
	struct ffa_uuid u = {{0}};

	if (w->uuid != NULL) {
		u = fx_uuid(w->uuid);
	}
	assert_int_equal(r->x[reg], w->id | (uint64_t)w->exec << 16 | (uint64_t)w->props << 32);
	assert_int_equal(r->x[reg + 1], le64(u.b));
	assert_int_equal(r->x[reg + 2], le64(u.b + 8));
}

/* ffa-facts §2 GET_REGS: six descriptors, first call carries five, x2 = last 5, current 4. */
static void test_ffa_partition_info_get_regs_first_page_five_descriptors(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	guest_setup(f, FFA_VERSION_1_2, false);
	r = info_get_regs(f, GUEST1, &nil_uuid, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[1], 0);
	assert_int_equal(r.x[2], regs_x2(5, 4, 1));
	for (unsigned i = 0; i < 5; i++) {
		assert_regs_desc(&r, i, &v1_2_list[i]);
	}
	/* 7b8f3c2a-51d4-4e6b-9a0c-1d2e3f405162, byte 0 in the low-order bits. */
	assert_int_equal(r.x[4], 0x6B4ED4512A3C8F7BULL);
	assert_int_equal(r.x[5], 0x6251403F2E1D0C9AULL);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2 GET_REGS: the next call starts at current + 1 with the tag it was given. */
static void test_ffa_partition_info_get_regs_second_page_one_descriptor(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;
	uint64_t tag;

	guest_setup(f, FFA_VERSION_1_2, false);
	r = info_get_regs(f, GUEST1, &nil_uuid, 0);
	tag = (r.x[2] >> 32) & 0xFFFF;
	assert_int_equal(tag, 1);
	r = info_get_regs(f, GUEST1, &nil_uuid, 5 | tag << 16);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[1], 0);
	assert_int_equal(r.x[2], regs_x2(5, 5, 1));
	assert_regs_desc(&r, 0, &v1_2_list[5]);
	for (unsigned i = 6; i < SMCCC_REG_COUNT; i++) {
		if (r.x[i] != 0) {
			fail_msg("x%u = %#llx, expected 0 after the last descriptor", i,
				 (unsigned long long)r.x[i]);
		}
	}
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2 GET_REGS: a start index past the last is INVALID_PARAMETERS. */
static void test_ffa_partition_info_get_regs_start_past_last_invalid(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_2, false);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 6 | 1U << 16), FFA_INVALID_PARAMETERS);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 0xFFFF | 1U << 16),
			 FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2, §5.3 (Xen ed6787f6d2): start 0 must carry tag 0, else INVALID_PARAMETERS. */
static void test_ffa_partition_info_get_regs_start_0_nonzero_tag_invalid(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_2, false);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 1U << 16), FFA_INVALID_PARAMETERS);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 0xFFFFU << 16),
			 FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2 GET_REGS: the list changed under the caller (stale tag) is RETRY. */
static void test_ffa_partition_info_get_regs_stale_tag_retry(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	guest_setup(f, FFA_VERSION_1_2, false);
	r = info_get_regs(f, GUEST1, &nil_uuid, 0);
	assert_int_equal(r.x[2], regs_x2(5, 4, 1));
	spmc_info_tag_bump(&f->spmc);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 5 | 1U << 16), FFA_RETRY);
	/* Tag 0 asks for no check (the compliance suite walks so): the rest of the list. */
	r = info_get_regs(f, GUEST1, &nil_uuid, 5);
	assert_int_equal(r.x[2], regs_x2(5, 5, 2));
	/* Starting over gives the new tag, which then works. */
	r = info_get_regs(f, GUEST1, &nil_uuid, 0);
	assert_int_equal(r.x[2], regs_x2(5, 4, 2));
	r = info_get_regs(f, GUEST1, &nil_uuid, 5 | 2U << 16);
	assert_int_equal(r.x[2], regs_x2(5, 5, 2));
	assert_hyp_rx_free_no_faults(f);
}

/* ACS ffa_partition_info_get_regs: an unknown UUID is INVALID_PARAMETERS. */
static void test_ffa_partition_info_get_regs_unknown_uuid_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UNKNOWN_UUID);

	guest_setup(f, FFA_VERSION_1_2, false);
	assert_ffa_error(info_get_regs(f, GUEST1, &u, 0), FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2 GET_REGS: x3[63:32] MBZ. */
static void test_ffa_partition_info_get_regs_x3_upper_mbz_invalid(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_2, false);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 1ULL << 32), FFA_INVALID_PARAMETERS);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 1ULL << 63), FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §1.2, §5.3 (Xen): GET_REGS is v1.2 only; a v1.1 caller gets NOT_SUPPORTED. */
static void test_ffa_partition_info_get_regs_v1_1_caller_not_supported(void **state)
{
	struct fixture *f = *state;

	guest_setup(f, FFA_VERSION_1_1, false);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 0), FFA_NOT_SUPPORTED);
	assert_hyp_rx_free_no_faults(f);
}

/* SMCCC (no SMC64 from AArch32), ffa-facts §5.3 (Xen): an AArch32 VM cannot make SMC64 calls: NOT_SUPPORTED. */
static void test_ffa_partition_info_get_regs_aarch32_vm_not_supported(void **state)
{
	struct fixture *f = fixture_aarch32(GUEST1);

	(void)state;
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 0), FFA_NOT_SUPPORTED);
	/* The AArch64 guest next to it is served. */
	assert_int_equal(info_get_regs(f, GUEST2, &nil_uuid, 0).x[0], FFA_SUCCESS_64);
	assert_hyp_rx_free_no_faults(f);
	fixture_free(f);
}

/* Hafnium 9decd785, Xen 500ee5fe0f: a non-Nil UUID gives zeroed UUID registers. */
static void test_ffa_partition_info_get_regs_non_nil_uuid_zeroes_uuid_regs(void **state)
{
	static const struct want multi = {0x8003, 2, 0x3C1, NULL};
	static const struct want storage = {0x8002, 1, 0x10D, NULL};
	struct fixture *f = *state;
	struct ffa_uuid u = fx_uuid(UUID_MULTI1);
	struct smccc_regs r;

	guest_setup(f, FFA_VERSION_1_2, false);
	r = info_get_regs(f, GUEST1, &u, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2], regs_x2(0, 0, 1));
	assert_regs_desc(&r, 0, &multi);
	for (unsigned i = 6; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r.x[i], 0);
	}
	/* 3c9d5e7f-8a1b-4c2d-b3e4-f5a6b7c8d9e0 as x1 = bytes 0-7, x2 = bytes 8-15, byte 0 low. */
	r = fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_REGS_64, 0x2D4C1B8A7F5E9D3CULL,
		    0xE0D9C8B7A6F5E4B3ULL, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2], regs_x2(0, 0, 1));
	assert_regs_desc(&r, 0, &storage);
	assert_hyp_rx_free_no_faults(f);
}

/* ffa-facts §2 GET_REGS: five descriptors a call, so seven partitions take two calls (5 + 2). */
static void test_ffa_partition_info_get_regs_seven_partitions_two_pages(void **state)
{
	static struct spmc_manifest mf;
	static char text[2048];
	struct want want[7];
	char uuids[7][40];
	char err[256] = "";
	size_t len = 0;
	struct fixture *f;
	struct smccc_regs r;

	(void)state;
	for (unsigned i = 0; i < 7; i++) {
		snprintf(uuids[i], sizeof(uuids[i]), "%08x-0000-4000-8000-0000000000%02x", 0x1000 + i,
			 i);
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"partition 0x%04x sp%u\n"
					"    uuid %s\n"
					"    execution-contexts %u\n"
					"    properties direct-req-recv aarch64\n",
					0x8101 + i, i, uuids[i], i + 1);
		want[i] = (struct want){(uint16_t)(0x8101 + i), (uint16_t)(i + 1), 0x101, uuids[i]};
	}
	if (!spmc_manifest_parse(text, len, "seven.manifest", &mf, err, sizeof(err))) {
		fail_msg("%s", err);
	}
	f = fixture_new(NULL, &mf);
	assert_int_equal(f->init_err, FFA_OK);
	guest_setup(f, FFA_VERSION_1_2, false);

	r = info_get_regs(f, GUEST1, &nil_uuid, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2], regs_x2(6, 4, 1));
	for (unsigned i = 0; i < 5; i++) {
		assert_regs_desc(&r, i, &want[i]);
	}
	r = info_get_regs(f, GUEST1, &nil_uuid, 5 | 1U << 16);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2], regs_x2(6, 6, 1));
	assert_regs_desc(&r, 0, &want[5]);
	assert_regs_desc(&r, 1, &want[6]);
	for (unsigned i = 9; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(r.x[i], 0);
	}
	assert_ffa_error(info_get_regs(f, GUEST1, &nil_uuid, 7 | 1U << 16), FFA_INVALID_PARAMETERS);
	assert_hyp_rx_free_no_faults(f);
	fixture_free(f);
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_TEST(test_ffa_partition_info_get_v1_0_nil_uuid_8_byte_descriptors),
		FX_TEST(test_ffa_partition_info_get_v1_1_nil_uuid_one_per_partition),
		FX_TEST(test_ffa_partition_info_get_v1_2_nil_uuid_one_per_uuid),
		FX_TEST(test_ffa_partition_info_get_success_gives_rx_to_vm),
		FX_TEST(test_ffa_partition_info_get_one_uuid_zeroes_uuid_field),
		FX_TEST(test_ffa_partition_info_get_uuid_words_byte0_low),
		FX_TEST(test_ffa_partition_info_get_smc32_upper_halves_ignored),
		FX_TEST(test_ffa_partition_info_get_unknown_uuid_invalid),
		FX_TEST(test_ffa_partition_info_get_count_only_without_rx),
		FX_TEST(test_ffa_partition_info_get_count_only_rx_untouched),
		FX_TEST(test_ffa_partition_info_get_v1_0_flags_invalid),
		FX_TEST(test_ffa_partition_info_get_flags_mbz_invalid),
		FX_TEST(test_ffa_partition_info_get_rx_not_mapped_busy),
		FX_TEST(test_ffa_partition_info_get_rx_owned_busy_until_release),
		FX_TEST(test_ffa_partition_info_get_regs_first_page_five_descriptors),
		FX_TEST(test_ffa_partition_info_get_regs_second_page_one_descriptor),
		FX_TEST(test_ffa_partition_info_get_regs_start_past_last_invalid),
		FX_TEST(test_ffa_partition_info_get_regs_start_0_nonzero_tag_invalid),
		FX_TEST(test_ffa_partition_info_get_regs_stale_tag_retry),
		FX_TEST(test_ffa_partition_info_get_regs_unknown_uuid_invalid),
		FX_TEST(test_ffa_partition_info_get_regs_x3_upper_mbz_invalid),
		FX_TEST(test_ffa_partition_info_get_regs_v1_1_caller_not_supported),
		cmocka_unit_test(test_ffa_partition_info_get_regs_aarch32_vm_not_supported),
		FX_TEST(test_ffa_partition_info_get_regs_non_nil_uuid_zeroes_uuid_regs),
		cmocka_unit_test(test_ffa_partition_info_get_regs_seven_partitions_two_pages),
	};

	return cmocka_run_group_tests_name("partition_info", tests, NULL, NULL);
}
