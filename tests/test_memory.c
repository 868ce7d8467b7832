/*
 * Memory sharing towards partitions through the mediator, the lender's side
 * (mediator/src/memory.c, whose header comment is the rules; DEN0077A v1.2
 * "Memory management"; ffa-facts.md §2, §3.2-3.4, §5.2, §5.3, §6.1 P5-P9,
 * §6.2 X17-X19): FFA_MEM_SHARE, _LEND, _DONATE (32 and 64) in one fragment
 * and FFA_MEM_RECLAIM, from v1.0, v1.1 and v1.2 guests (FX_MEM_TEST() runs
 * each test for all three descriptor layouts). Fragments, the SPMC's lies,
 * donations the partition completes, mediator_fini() and FFA_FEATURES are in
 * test_memory_frag.c.
 *
 * Default machine: guests 1 and 2 with their pairs mapped (TX at IPA page 0,
 * RX at page 1; pages 2..15 private), partitions 0x8001.. at the SPMC
 * model. After every step the SPMC's isolation oracle must agree and no
 * mediator fault be recorded; a refusal must change nothing
 * (fx_mem_assert_unchanged()).
 */
#include "fixture.h"

#include <string.h>

#define SP1 0x8001
#define SP2 0x8002
#define NOT_A_PARTITION 0x8009
#define IPA(n) (VM_IPA + (uint64_t)(n) * PAGE)
#define PA1(n) fx_vm_pa(GUEST1, IPA(n))
#define ZERO FFA_MEM_FLAG_ZERO_MEMORY

static uint32_t version_of(struct fixture *f, ffa_id_t vm)
{
	return fx_vm(f, vm)->version;
}

/* Page @n of guest 1 is @owner's, in @state, tagged @handle. */
#define assert_page(f, n, owner, state, handle) \
	fx_mem_assert_pages(f, GUEST1, IPA(n), 1, owner, state, handle)

/* Guest 1's pages [first, first + count) are its own, in @state, tagged @handle. */
#define assert_pages(f, first, count, state, handle) \
	fx_mem_assert_pages(f, GUEST1, IPA(first), count, GUEST1, state, handle)

/* Every page of guest 1 but the pair is private and untagged again. */
static void assert_all_private(struct fixture *f)
{
	assert_pages(f, 0, 2, MEM_PAGE_MAILBOX, 0);
	assert_pages(f, 2, VM_PAGES - 2, MEM_PAGE_PRIVATE, 0);
}

/* The SPMC has @handle on record as @t (IPAs of @t's sender) sent with @fid, in PAs. */
static void assert_spmc_record(struct fixture *f, uint64_t handle, uint32_t fid,
			       const struct ffa_mem_txn *t)
{
	const struct spmc_txn *x = spmc_txn_find(&f->spmc, handle);

	assert_non_null(x);
	assert_int_equal(x->type, ffa_mem_type_of(fid));
	assert_int_equal(x->desc.handle, handle);
	assert_int_equal(x->desc.sender, t->sender);
	assert_int_equal(x->desc.receiver_count, t->receiver_count);
	for (uint32_t i = 0; i < t->receiver_count; i++) {
		assert_int_equal(x->desc.receivers[i].id, t->receivers[i].id);
	}
	assert_int_equal(x->desc.page_count, t->page_count);
	assert_int_equal(x->desc.range_count, t->range_count);
	for (uint32_t i = 0; i < t->range_count; i++) {
		assert_int_equal(x->desc.ranges[i].address, fx_vm_pa(t->sender, t->ranges[i].address));
		assert_int_equal(x->desc.ranges[i].page_count, t->ranges[i].page_count);
	}
}

/* @r refuses with @err and nothing changed since @s. */
static void assert_refused(struct fixture *f, struct smccc_regs r, int32_t err,
			   const struct fx_mem_snap *s)
{
	assert_ffa_error(r, err);
	fx_mem_assert_unchanged(f, s);
}

/* Guest 1 sends @t with @fid in one fragment: refused with @err, nothing changed. */
static void refuse(struct fixture *f, uint32_t fid, const struct ffa_mem_txn *t, int32_t err)
{
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	assert_refused(f, fx_mem_send(f, GUEST1, fid, t), err, &s);
}

/* Guest 1 calls @fid with w1..w4 as given: refused with @err, nothing changed. */
static void refuse_regs(struct fixture *f, uint32_t fid, uint64_t total, uint64_t frag,
			uint64_t x3, uint64_t w4, int32_t err)
{
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	assert_refused(f, fx_call(f, GUEST1, fid, total, frag, x3, w4, 0), err, &s);
}

/* FFA_MEM_RECLAIM of @h with @flags from @vm: refused with @err, nothing changed. */
static void refuse_reclaim(struct fixture *f, ffa_id_t vm, uint64_t h, uint32_t flags,
			   int32_t err)
{
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	assert_refused(f, fx_mem_reclaim(f, vm, h, flags), err, &s);
}

/* Guest 1's page 2 to @to, sent with @fid: refused with @err, nothing changed. */
static void refuse_to(struct fixture *f, uint32_t fid, ffa_id_t to, int32_t err)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, to, IPA(2), 1);

	refuse(f, fid, &t, err);
}

/* Guest 1's page 2 to @to and @also, sent with @fid: refused with @err, nothing changed. */
static void refuse_to_both(struct fixture *f, uint32_t fid, ffa_id_t to, ffa_id_t also,
			   int32_t err)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, to, IPA(2), 1);

	fx_mem_add_receiver(&t, also);
	refuse(f, fid, &t, err);
}

/* A send of guest 1's to partition 0x8001 with @fid of up to three ranges (0 pages: no more). */
struct send {
	uint32_t fid;
	struct ffa_mem_range ranges[3];
};

/* Each of the @n @sends, in turn: refused with @err, nothing changed. */
static void refuse_sends(struct fixture *f, const struct send *sends, unsigned n, int32_t err)
{
	for (unsigned i = 0; i < n; i++) {
		const struct ffa_mem_range *r = sends[i].ranges;
		struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, r[0].address, r[0].page_count);

		for (unsigned k = 1; k < 3 && r[k].page_count != 0; k++) {
			fx_mem_add_range(&t, r[k].address, r[k].page_count);
		}
		refuse(f, sends[i].fid, &t, err);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Guest 1's pages [@first, +@count) sent to partition 0x8001 with @fid: the handle. */
static uint64_t send_ok(struct fixture *f, uint32_t fid, unsigned first, unsigned count)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(first), count);

	return fx_mem_send_ok(f, GUEST1, fid, &t);
}

/* The usual transaction: guest 1's pages 2-3 and 5 to partition 0x8001. */
static struct ffa_mem_txn two_ranges(void)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 2);

	fx_mem_add_range(&t, IPA(5), 1);
	return t;
}

/* --- Send, then reclaim --- */

/*
 * memory.c: the pages move to SHARED/LENT/DONATED tagged with the handle,
 * the SPMC gets the descriptor in PAs, SUCCESS carries w2/w3 = handle (an
 * SPMC handle: bit 63 clear, non-zero); RECLAIM returns every page.
 */
static void send_then_reclaim(struct fixture *f, uint32_t fid)
{
	struct ffa_mem_txn t = two_ranges();
	struct smccc_regs r = fx_mem_send(f, GUEST1, fid, &t);
	uint64_t h = fx_mem_handle(r);

	assert_int_not_equal(h, 0);
	assert_int_equal(h & FFA_HANDLE_ALLOCATOR_HYP, 0);
	for (unsigned i = 4; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	assert_pages(f, 2, 2, fx_mem_state_of(fid), h);
	assert_page(f, 4, GUEST1, MEM_PAGE_PRIVATE, 0);
	assert_page(f, 5, GUEST1, fx_mem_state_of(fid), h);
	assert_pages(f, 6, VM_PAGES - 6, MEM_PAGE_PRIVATE, 0);
	assert_spmc_record(f, h, fid, &t);
	assert_int_equal(fx_mem_mediator_txns(f), 1);
	assert_int_equal(fx_mem_spmc_txns(f), 1);
	fx_mem_assert_clean(f);

	r = fx_mem_reclaim(f, GUEST1, h, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	assert_all_private(f);
	assert_null(spmc_txn_find(&f->spmc, h));
	assert_int_equal(fx_mem_mediator_txns(f), 0);
	assert_int_equal(fx_mem_spmc_txns(f), 0);
	fx_mem_assert_clean(f);
}

/* Test @name: send_then_reclaim() with @fid. */
#define SEND_THEN_RECLAIM_TEST(name, fid) FX_TEST_CASE(name, send_then_reclaim, fid)

SEND_THEN_RECLAIM_TEST(test_mem_share_64_then_reclaim, FFA_MEM_SHARE_64)
SEND_THEN_RECLAIM_TEST(test_mem_share_32_then_reclaim, FFA_MEM_SHARE_32)
SEND_THEN_RECLAIM_TEST(test_mem_lend_64_then_reclaim, FFA_MEM_LEND_64)
SEND_THEN_RECLAIM_TEST(test_mem_lend_32_then_reclaim, FFA_MEM_LEND_32)

/* memory.c: a donation not yet retrieved may be reclaimed like the others. */
SEND_THEN_RECLAIM_TEST(test_mem_donate_64_then_reclaim, FFA_MEM_DONATE_64)
SEND_THEN_RECLAIM_TEST(test_mem_donate_32_then_reclaim, FFA_MEM_DONATE_32)

/* memory.c: receivers all known partitions; a share may have several. */
static void test_mem_share_two_partitions(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(7), 3);
	uint64_t h;

	fx_mem_add_receiver(&t, SP2);
	h = fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &t);
	assert_pages(f, 7, 3, MEM_PAGE_SHARED, h);
	assert_spmc_record(f, h, FFA_MEM_SHARE_64, &t);
	fx_mem_assert_clean(f);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_all_private(f);
	fx_mem_assert_clean(f);
}

/* SMCCC (DEN0028 §2.6; OP-TEE fba7d2ad2): an SMC32 call's x1-x4[63:32] are not arguments. */
static void test_mem_share_32_upper_halves_ignored(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	uint64_t hi = 0xFFFFFFFF00000000ULL;
	uint32_t len = fx_mem_write(f, GUEST1, &t);
	uint64_t h = fx_mem_handle(fx_call(f, GUEST1, FFA_MEM_SHARE_32, hi | len, hi | len, hi, hi, 0));

	assert_page(f, 2, GUEST1, MEM_PAGE_SHARED, h);
	assert_ffa_success(fx_call(f, GUEST1, FFA_MEM_RECLAIM_32, hi | (uint32_t)h, hi | h >> 32, hi,
				   hi, 0));
	assert_all_private(f);
	fx_mem_assert_clean(f);
}

/* --- RECLAIM's zero-memory flag --- */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

/* Guest 1's private pages [first, +count), as it sees them. */
static uint8_t *contents(struct fixture *f, unsigned first, unsigned count)
{
	uint8_t *p = mem_map(&f->mem, PA1(first), count, GUEST1, MEM_PAGE_PRIVATE);

	assert_non_null(p);
	return p;
}

/* Guest 1 writes pattern @seed over its private pages [first, +count). */
static void fill(struct fixture *f, unsigned first, unsigned count, uint8_t seed)
{
	fx_pattern(contents(f, first, count), count * (uint32_t)PAGE, seed);
}

/* memory.c RECLAIM: w3 bit 0 zeroes the memory (for a lend or a donation) before it returns. */
static void reclaim_zeroes(struct fixture *f, uint32_t fid)
{
	uint64_t h;

	fill(f, 2, 3, 0x5A);
	h = send_ok(f, fid, 2, 2);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, ZERO));
	assert_all_private(f);
	assert_true(all_zero(contents(f, 2, 2), 2 * PAGE));
	fx_assert_pattern(contents(f, 4, 1), (uint32_t)PAGE, (uint8_t)(0x5A + 2 * PAGE * 13));
	fx_mem_assert_clean(f);
}

FX_TEST_CASE(test_mem_reclaim_zero_flag_zeroes_lent_pages, reclaim_zeroes, FFA_MEM_LEND_64)
FX_TEST_CASE(test_mem_reclaim_zero_flag_zeroes_donated_pages, reclaim_zeroes, FFA_MEM_DONATE_32)

/* memory.c RECLAIM: without the flag the lender gets its contents back. */
static void test_mem_reclaim_without_zero_flag_keeps_contents(void **state)
{
	struct fixture *f = *state;
	uint64_t h;

	fill(f, 2, 2, 0x33);
	h = send_ok(f, FFA_MEM_LEND_64, 2, 2);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	fx_assert_pattern(contents(f, 2, 2), 2 * (uint32_t)PAGE, 0x33);
}

/*
 * memory.c RECLAIM (the compliance suite's reclaim_input_error_checks 9):
 * the zero flag after a share is taken too, and zeroes the pages.
 */
static void test_mem_reclaim_zero_flag_on_share_zeroes(void **state)
{
	struct fixture *f = *state;
	uint64_t h;

	fill(f, 2, 2, 0x5A);
	h = send_ok(f, FFA_MEM_SHARE_64, 2, 2);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, ZERO));
	assert_all_private(f);
	assert_true(all_zero(contents(f, 2, 2), 2 * PAGE));
}

/* --- Refusals of the call itself --- */

/* memory.c: x3 = 0 and w4 = 0 (no dynamically allocated buffers): INVALID_PARAMETERS. */
static void test_mem_share_x3_or_w4_set_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	uint32_t len = fx_mem_write(f, GUEST1, &t);

	refuse_regs(f, FFA_MEM_SHARE_64, len, len, IPA(3), 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, len, len, 1ULL << 32, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_LEND_32, len, len, 1, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, len, len, 0, 1, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_DONATE_64, len, len, 0, 0x80000000U, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, len, len, IPA(3), 1, FFA_INVALID_PARAMETERS);
}

/* memory.c: the descriptor is in the caller's TX buffer; none mapped: DENIED. */
static void test_mem_share_without_tx_denied(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	uint32_t len = fx_mem_write(f, GUEST1, &t);

	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	refuse_regs(f, FFA_MEM_SHARE_64, len, len, 0, 0, FFA_DENIED);
	refuse_regs(f, FFA_MEM_LEND_32, len, len, 0, 0, FFA_DENIED);
}

/* memory.c: w1 the total, w2 this fragment's, non-zero, at most the TX buffer and the total. */
static void test_mem_share_bad_lengths_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	uint32_t len = fx_mem_write(f, GUEST1, &t);

	refuse_regs(f, FFA_MEM_SHARE_64, 0, 0, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, 0, len, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, len, 0, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, len, len + 1, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_LEND_64, 2 * PAGE, PAGE + 1, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, MEDIATOR_MEM_DESC_MAX, MEDIATOR_MEM_DESC_MAX, 0, 0,
		    FFA_INVALID_PARAMETERS);
}

/* memory.c: "w1 the total length (at most MEDIATOR_MEM_DESC_MAX, else NO_MEMORY, pKVM P6)". */
static void test_mem_share_total_over_limit_no_memory(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	uint32_t len = fx_mem_write(f, GUEST1, &t);

	refuse_regs(f, FFA_MEM_SHARE_64, MEDIATOR_MEM_DESC_MAX + 1, len, 0, 0, FFA_NO_MEMORY);
	refuse_regs(f, FFA_MEM_LEND_32, 0xFFFFFFFFU, PAGE, 0, 0, FFA_NO_MEMORY);
}

/* --- Refusals of the descriptor --- */

/* memory.c: "the sender the caller": DENIED (ff-a-acs mem_share_invalid_sender_id_check). */
static void test_mem_share_sender_not_caller_denied(void **state)
{
	struct fixture *f = *state;
	const ffa_id_t others[] = {GUEST2, HOST, SP1};

	for (unsigned i = 0; i < N(others); i++) {
		struct ffa_mem_txn t = fx_mem_txn(others[i], SP1, IPA(2), 1);

		refuse(f, FFA_MEM_SHARE_64, &t, FFA_DENIED);
	}
}

/* memory.c: receivers known partitions (or other VMs): 0x8009 and VM 9 are neither. */
static void test_mem_share_unknown_receiver_invalid(void **state)
{
	refuse_to(*state, FFA_MEM_SHARE_64, NOT_A_PARTITION, FFA_INVALID_PARAMETERS);
	refuse_to_both(*state, FFA_MEM_LEND_64, SP1, 9, FFA_INVALID_PARAMETERS);
}

/* memory.c: receivers "never the caller". */
static void test_mem_share_to_self_invalid(void **state)
{
	refuse_to(*state, FFA_MEM_SHARE_64, GUEST1, FFA_INVALID_PARAMETERS);
	refuse_to_both(*state, FFA_MEM_SHARE_64, SP1, GUEST1, FFA_INVALID_PARAMETERS);
}

/* memory.c: receivers all partitions or all VMs, "never mixed". */
static void test_mem_share_partition_and_vm_invalid(void **state)
{
	refuse_to_both(*state, FFA_MEM_SHARE_64, SP1, GUEST2, FFA_INVALID_PARAMETERS);
	refuse_to_both(*state, FFA_MEM_LEND_64, GUEST2, SP1, FFA_INVALID_PARAMETERS);
}

/* memory.c: every page the caller's and private: one already shared is DENIED. */
static void test_mem_share_page_already_shared_denied(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	struct ffa_mem_txn u = fx_mem_txn(GUEST1, SP2, IPA(2), 2);
	uint64_t h = fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &t);

	refuse(f, FFA_MEM_SHARE_64, &t, FFA_DENIED);
	refuse(f, FFA_MEM_LEND_64, &u, FFA_DENIED);
	assert_page(f, 2, GUEST1, MEM_PAGE_SHARED, h);
	assert_page(f, 3, GUEST1, MEM_PAGE_PRIVATE, 0);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_all_private(f);
}

/* memory.c: every constituent inside the caller's memory: guest 2's PA is not (INVALID). */
static void test_mem_share_other_vms_memory_invalid(void **state)
{
	const struct send bad[] = {
		{FFA_MEM_SHARE_64, {{fx_vm_pa(GUEST2, IPA(2)), 1}}},
		{FFA_MEM_LEND_64, {{IPA(2), 1}, {fx_vm_pa(GUEST2, IPA(3)), 1}}},
	};

	refuse_sends(*state, bad, N(bad), FFA_INVALID_PARAMETERS);
}

/* memory.c: inside the caller's memory: past the window's end or below it, INVALID. */
static void test_mem_share_outside_window_invalid(void **state)
{
	const struct send bad[] = {
		{FFA_MEM_SHARE_64, {{IPA(VM_PAGES), 1}}},
		{FFA_MEM_SHARE_64, {{IPA(VM_PAGES - 1), 2}}},
		{FFA_MEM_LEND_32, {{VM_IPA - PAGE, 1}}},
		{FFA_MEM_DONATE_64, {{0, 1}}},
	};

	refuse_sends(*state, bad, N(bad), FFA_INVALID_PARAMETERS);
}

/* memory.c and mem.h mem_translate(): no wrap; an IPA near 2^64 is outside (Xen X18). */
static void test_mem_share_ipa_near_2_64_invalid(void **state)
{
	const struct send bad[] = {
		{FFA_MEM_SHARE_64, {{0xFFFFFFFFFFFFF000ULL, 1}}},
		{FFA_MEM_SHARE_64, {{0xFFFFFFFFFFFFF000ULL, 2}}},
		/* The second range wraps to IPA 0x1000. */
		{FFA_MEM_LEND_64, {{IPA(2), 1}, {0xFFFFFFFFFFFFE000ULL, 3}}},
	};

	refuse_sends(*state, bad, N(bad), FFA_INVALID_PARAMETERS);
}

/* memory.c: a mailbox page is not private: DENIED (the TX, the RX, or a range holding one). */
static void test_mem_share_mailbox_page_denied(void **state)
{
	struct fixture *f = *state;
	const struct send bad[] = {
		{FFA_MEM_SHARE_64, {{IPA(0), 1}}},
		{FFA_MEM_LEND_64, {{IPA(1), 1}}},
		{FFA_MEM_DONATE_32, {{IPA(1), 2}}},
		/* Pages 2-3 moved first, then rolled back. */
		{FFA_MEM_SHARE_32, {{IPA(2), 2}, {IPA(0), 1}}},
	};

	refuse_sends(f, bad, N(bad), FFA_DENIED);
	assert_all_private(f);
}

/* memory.c: pages "named twice" are DENIED, all or nothing: the first range goes back. */
static void test_mem_share_overlapping_ranges_denied(void **state)
{
	struct fixture *f = *state;
	const struct send bad[] = {
		{FFA_MEM_SHARE_64, {{IPA(2), 2}, {IPA(3), 1}}},
		{FFA_MEM_LEND_64, {{IPA(6), 1}, {IPA(6), 1}}},
		{FFA_MEM_DONATE_64, {{IPA(8), 1}, {IPA(9), 2}, {IPA(10), 1}}},
	};

	refuse_sends(f, bad, N(bad), FFA_DENIED);
	assert_all_private(f);
}

/* mem_desc.h ffa_mem_txn_check(): attributes' NS bit set by a sender (Xen X17): INVALID. */
static void test_mem_share_ns_bit_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 1);

	t.attributes |= FFA_MEM_ATTR_NS;
	refuse(f, FFA_MEM_SHARE_64, &t, FFA_INVALID_PARAMETERS);
	refuse(f, FFA_MEM_LEND_32, &t, FFA_INVALID_PARAMETERS);
}

/* ffa_mem_txn_check(): the zero-memory flag is not for a share; handle MBZ; no X for a share. */
static void test_mem_share_txn_rules_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn zero = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	struct ffa_mem_txn handle = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	struct ffa_mem_txn exec = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	struct ffa_mem_txn untyped = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	struct ffa_mem_txn flags = fx_mem_txn(GUEST1, SP1, IPA(2), 1);

	zero.flags = ZERO;
	refuse(f, FFA_MEM_SHARE_64, &zero, FFA_INVALID_PARAMETERS);
	handle.handle = 1;
	refuse(f, FFA_MEM_SHARE_64, &handle, FFA_INVALID_PARAMETERS);
	exec.receivers[0].perms = FFA_DATA_ACCESS_RW | FFA_INSTRUCTION_ACCESS_X << FFA_INSTRUCTION_ACCESS_SHIFT;
	refuse(f, FFA_MEM_SHARE_64, &exec, FFA_INVALID_PARAMETERS);
	untyped.attributes = 0;
	refuse(f, FFA_MEM_SHARE_32, &untyped, FFA_INVALID_PARAMETERS);
	flags.flags = FFA_MEM_FLAG_ZERO_AFTER_RELINQUISH;
	refuse(f, FFA_MEM_LEND_64, &flags, FFA_INVALID_PARAMETERS);
}

/*
 * DEN0077A §10.10.3 as Hafnium ffa_memory_send_validate() and TF-A tests
 * 92b99ee read it: a share's instruction access is NX, set by the relayer;
 * the sender leaves it not specified (INVALID_PARAMETERS otherwise); a
 * share or lend names its data access (RO or RW; not specified is INVALID).
 */
static void test_mem_share_sender_permissions_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn nx = fx_mem_txn(GUEST1, SP1, IPA(2), 1);
	struct ffa_mem_txn no_data = fx_mem_txn(GUEST1, SP1, IPA(2), 1);

	nx.receivers[0].perms = FFA_DATA_ACCESS_RW |
				FFA_INSTRUCTION_ACCESS_NX << FFA_INSTRUCTION_ACCESS_SHIFT;
	refuse(f, FFA_MEM_SHARE_64, &nx, FFA_INVALID_PARAMETERS);
	no_data.receivers[0].perms = 0;
	refuse(f, FFA_MEM_SHARE_64, &no_data, FFA_INVALID_PARAMETERS);
	refuse(f, FFA_MEM_LEND_32, &no_data, FFA_INVALID_PARAMETERS);
}

/* ffa_mem_txn_check(): "DONATE has one receiver". */
static void test_mem_donate_two_receivers_invalid(void **state)
{
	refuse_to_both(*state, FFA_MEM_DONATE_64, SP1, SP2, FFA_INVALID_PARAMETERS);
	refuse_to_both(*state, FFA_MEM_DONATE_32, SP1, SP2, FFA_INVALID_PARAMETERS);
}

static void wr32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Guest 1's usual descriptor with the u32 at byte @off replaced by @v: refused with @err. */
static void refuse_patched(struct fixture *f, uint32_t off, uint32_t v, int32_t err)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 2);
	uint32_t len = fx_mem_write(f, GUEST1, &t);

	wr32(fx_tx(f, GUEST1) + off, v);
	refuse_regs(f, FFA_MEM_SHARE_64, len, len, 0, 0, err);
}

/* The access descriptors' offset in guest 1's layout. */
static uint32_t emad_at(struct fixture *f)
{
	return version_of(f, GUEST1) >= FFA_VERSION_1_1 ? 48 : 32;
}

/* mem_desc.h: 64-bit offsets, no wrap (pKVM P5): composite offset 0xFFFFFFF8 is INVALID. */
static void test_mem_share_composite_offset_near_4g_invalid(void **state)
{
	struct fixture *f = *state;

	refuse_patched(f, emad_at(f) + 4, 0xFFFFFFF8U, FFA_INVALID_PARAMETERS);
	refuse_patched(f, emad_at(f) + 4, 0xFFFFFFF0U, FFA_INVALID_PARAMETERS);
}

/* mem_desc.h (pKVM P7, Xen §3.2): the access descriptors' offset near 4G: INVALID. */
static void test_mem_share_ep_mem_offset_near_4g_invalid(void **state)
{
	struct fixture *f = *state;

	refuse_patched(f, 32, 0xFFFFFFF0U, FFA_INVALID_PARAMETERS);
	refuse_patched(f, 32, 0xFFFFFFFFU, FFA_INVALID_PARAMETERS);
}

/* mem_desc.h: access-descriptor and constituent counts near 4G overflow nothing: INVALID. */
static void test_mem_share_counts_near_4g_invalid(void **state)
{
	struct fixture *f = *state;
	uint32_t composite = emad_at(f) + (version_of(f, GUEST1) >= FFA_VERSION_1_2 ? 32 : 16);

	refuse_patched(f, 28, 0xFFFFFFFFU, FFA_INVALID_PARAMETERS);
	refuse_patched(f, 28, 0x10000001U, FFA_INVALID_PARAMETERS);
	refuse_patched(f, composite + 4, 0xFFFFFFFFU, FFA_INVALID_PARAMETERS);
	refuse_patched(f, composite + 4, 0x10000001U, FFA_INVALID_PARAMETERS);
}

/*
 * DEN0077A FFA_MEM_SHARE w1 "Total length of the memory transaction
 * descriptor": it ends with the last constituent (Hafnium
 * ffa_memory_send_validate(): "Invalid length" unless the total is exactly
 * the constituents' end). Shorter or longer: INVALID_PARAMETERS.
 */
static void test_mem_share_total_not_descriptor_length_invalid(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 2);
	uint32_t len = fx_mem_write(f, GUEST1, &t);

	refuse_regs(f, FFA_MEM_SHARE_64, len - 16, len - 16, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_SHARE_64, len + 16, len + 16, 0, 0, FFA_INVALID_PARAMETERS);
	refuse_regs(f, FFA_MEM_LEND_32, PAGE, PAGE, 0, 0, FFA_INVALID_PARAMETERS);
}

/* --- Limits --- */

/* memory.c: MEDIATOR_MAX_TXNS_PER_VM per lender, then NO_MEMORY; a reclaim frees a slot. */
static void test_mem_share_ninth_txn_no_memory(void **state)
{
	struct fixture *f = *state;
	static const uint32_t fids[] = {FFA_MEM_SHARE_64, FFA_MEM_LEND_64, FFA_MEM_DONATE_64,
					FFA_MEM_SHARE_32};
	uint64_t h[MEDIATOR_MAX_TXNS_PER_VM];
	struct ffa_mem_txn ninth = fx_mem_txn(GUEST1, SP1, IPA(2 + MEDIATOR_MAX_TXNS_PER_VM), 1);
	struct ffa_mem_txn other = fx_mem_txn(GUEST2, SP1, IPA(2), 1);

	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS_PER_VM; i++) {
		struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2 + i), 1);

		h[i] = fx_mem_send_ok(f, GUEST1, fids[i % 4], &t);
		assert_page(f, 2 + i, GUEST1, fx_mem_state_of(fids[i % 4]), h[i]);
		for (unsigned k = 0; k < i; k++) {
			assert_int_not_equal(h[k], h[i]); /* every handle new */
		}
	}
	refuse(f, FFA_MEM_SHARE_64, &ninth, FFA_NO_MEMORY);
	refuse(f, FFA_MEM_LEND_32, &ninth, FFA_NO_MEMORY);
	fx_mem_handle(fx_mem_send(f, GUEST2, FFA_MEM_SHARE_64, &other)); /* per lender */
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h[3], 0));
	fx_mem_handle(fx_mem_send(f, GUEST1, FFA_MEM_SHARE_64, &ninth));
	fx_mem_assert_clean(f);
}

/* --- RECLAIM's rules --- */

/* memory.c RECLAIM: "an unknown handle is INVALID_PARAMETERS", a reclaimed one too. */
static void test_mem_reclaim_unknown_handle_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = send_ok(f, FFA_MEM_LEND_64, 2, 1);
	const uint64_t unknown[] = {h + 1, h | FFA_HANDLE_ALLOCATOR_HYP, FFA_HANDLE_INVALID, 0};

	for (unsigned i = 0; i < N(unknown); i++) {
		refuse_reclaim(f, GUEST1, unknown[i], 0, FFA_INVALID_PARAMETERS);
	}
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	refuse_reclaim(f, GUEST1, h, 0, FFA_INVALID_PARAMETERS);
}

/* memory.c RECLAIM: "a caller that is not the lender DENIED". */
static void test_mem_reclaim_by_other_vm_denied(void **state)
{
	struct fixture *f = *state;
	uint64_t h = send_ok(f, FFA_MEM_LEND_64, 2, 2);

	refuse_reclaim(f, GUEST2, h, 0, FFA_DENIED);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_all_private(f);
}

/* memory.c RECLAIM: w3 "bit 1 time slicing, rest MBZ". */
static void test_mem_reclaim_reserved_flags_invalid(void **state)
{
	struct fixture *f = *state;
	uint64_t h = send_ok(f, FFA_MEM_LEND_32, 2, 1);
	const uint32_t reserved[] = {1U << 2, 1U << 31, ZERO | 1U << 3};

	for (unsigned i = 0; i < N(reserved); i++) {
		refuse_reclaim(f, GUEST1, h, reserved[i], FFA_INVALID_PARAMETERS);
	}
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, FFA_MEM_FLAG_TIME_SLICING));
	assert_all_private(f);
	fx_mem_assert_clean(f);
}

/* memory.c RECLAIM: a partition still holding the memory: DENIED (the SPMC decides). */
static void reclaim_while_held(struct fixture *f, uint32_t fid)
{
	uint64_t h = send_ok(f, fid, 4, 2);

	assert_int_equal(fx_mem_sp_does(f, GUEST1, SP1, SPMC_BEHAVE_RETRIEVE, h), FFA_OK);
	assert_pages(f, 4, 2, fx_mem_state_of(fid), h);
	fx_mem_assert_clean(f);
	refuse_reclaim(f, GUEST1, h, 0, FFA_DENIED);
	assert_int_equal(fx_mem_sp_does(f, GUEST1, SP1, SPMC_BEHAVE_RELINQUISH, h), FFA_OK);
	fx_mem_assert_clean(f);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_all_private(f);
	assert_null(spmc_txn_find(&f->spmc, h));
	assert_int_equal(fx_mem_mediator_txns(f), 0);
	fx_mem_assert_clean(f);
}

FX_TEST_CASE(test_mem_reclaim_shared_while_retrieved_denied, reclaim_while_held, FFA_MEM_SHARE_64)
FX_TEST_CASE(test_mem_reclaim_lent_while_retrieved_denied, reclaim_while_held, FFA_MEM_LEND_32)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_MEM_TEST(test_mem_share_64_then_reclaim),
		FX_MEM_TEST(test_mem_share_32_then_reclaim),
		FX_MEM_TEST(test_mem_lend_64_then_reclaim),
		FX_MEM_TEST(test_mem_lend_32_then_reclaim),
		FX_MEM_TEST(test_mem_donate_64_then_reclaim),
		FX_MEM_TEST(test_mem_donate_32_then_reclaim),
		FX_MEM_TEST(test_mem_share_two_partitions),
		FX_MEM_TEST(test_mem_share_32_upper_halves_ignored),
		FX_MEM_TEST(test_mem_reclaim_zero_flag_zeroes_lent_pages),
		FX_MEM_TEST(test_mem_reclaim_zero_flag_zeroes_donated_pages),
		FX_MEM_TEST(test_mem_reclaim_without_zero_flag_keeps_contents),
		FX_MEM_TEST(test_mem_reclaim_zero_flag_on_share_zeroes),
		FX_MEM_TEST(test_mem_share_x3_or_w4_set_invalid),
		FX_MEM_TEST(test_mem_share_without_tx_denied),
		FX_MEM_TEST(test_mem_share_bad_lengths_invalid),
		FX_MEM_TEST(test_mem_share_total_over_limit_no_memory),
		FX_MEM_TEST(test_mem_share_sender_not_caller_denied),
		FX_MEM_TEST(test_mem_share_unknown_receiver_invalid),
		FX_MEM_TEST(test_mem_share_to_self_invalid),
		FX_MEM_TEST(test_mem_share_partition_and_vm_invalid),
		FX_MEM_TEST(test_mem_share_page_already_shared_denied),
		FX_MEM_TEST(test_mem_share_other_vms_memory_invalid),
		FX_MEM_TEST(test_mem_share_outside_window_invalid),
		FX_MEM_TEST(test_mem_share_ipa_near_2_64_invalid),
		FX_MEM_TEST(test_mem_share_mailbox_page_denied),
		FX_MEM_TEST(test_mem_share_overlapping_ranges_denied),
		FX_MEM_TEST(test_mem_share_ns_bit_invalid),
		FX_MEM_TEST(test_mem_share_txn_rules_invalid),
		FX_MEM_TEST(test_mem_share_sender_permissions_invalid),
		FX_MEM_TEST(test_mem_donate_two_receivers_invalid),
		FX_MEM_TEST(test_mem_share_composite_offset_near_4g_invalid),
		/* The access descriptors' offset exists from v1.1 on. */
		{"test_mem_share_ep_mem_offset_near_4g_invalid (v1.1)",
		 test_mem_share_ep_mem_offset_near_4g_invalid, fx_mem_setup, fixture_teardown,
		 &fx_version_1_1},
		{"test_mem_share_ep_mem_offset_near_4g_invalid (v1.2)",
		 test_mem_share_ep_mem_offset_near_4g_invalid, fx_mem_setup, fixture_teardown,
		 &fx_version_1_2},
		FX_MEM_TEST(test_mem_share_counts_near_4g_invalid),
		FX_MEM_TEST(test_mem_share_total_not_descriptor_length_invalid),
		FX_MEM_TEST(test_mem_share_ninth_txn_no_memory),
		FX_MEM_TEST(test_mem_reclaim_unknown_handle_invalid),
		FX_MEM_TEST(test_mem_reclaim_by_other_vm_denied),
		FX_MEM_TEST(test_mem_reclaim_reserved_flags_invalid),
		FX_MEM_TEST(test_mem_reclaim_shared_while_retrieved_denied),
		FX_MEM_TEST(test_mem_reclaim_lent_while_retrieved_denied),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
