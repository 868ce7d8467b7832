/*
 * The mediator's checks on what the SPMC answers a memory send (memory.c
 * send_to_spmc()): an SPMC that lies (struct spmc.mem_lie) must never make a
 * guest believe a share happened. Each lie gets the guest FFA_ERROR(ABORTED)
 * with its pages PRIVATE again (handle 0), nothing on the mediator's record,
 * the SPMC told to forget whatever it recorded (FFA_MEM_RECLAIM of its
 * handle, never of an honest transaction's), and the same send succeeding
 * once the lie is off. Bugs these pin: Xen X19 (SUCCESS with handle 0), TF-A
 * c55b519ed (FRAG_RX offset not the bytes sent), OP-TEE 7f127d42b (SUCCESS
 * before the last fragment; FRAG_RX after it); ffa-facts §2 (bit 63 of a
 * handle: 0 for the SPMC).
 */
#include "fixture.h"

#include <string.h>

#define SP1 0x8001
#define SENT_IPA (VM_IPA + 4 * PAGE) /* pages 4..6 of guest 1, in three ranges */
#define OTHER_IPA (VM_IPA + 8 * PAGE)
#define FRAG 64U /* with three ranges a v1.2 descriptor (144 bytes) takes three fragments */
#define LOG_MAX 64

static uint32_t log_fid[LOG_MAX];
static uint64_t log_handle[LOG_MAX];
static unsigned log_count;

/* The observer: every request the mediator forwards to the SPMC, with w1/w2 as a handle. */
static void log_spmc_calls(void *ctx, const struct mediator_event *ev)
{
	(void)ctx;
	if (ev->kind == MEDIATOR_EV_SPMC_CALL && log_count < LOG_MAX) {
		log_fid[log_count] = ffa_func(ev->regs);
		log_handle[log_count++] = ffa_w(ev->regs, 1) | (uint64_t)ffa_w(ev->regs, 2) << 32;
	}
}

/* How many FFA_MEM_RECLAIMs of @handle the mediator sent since the log was cleared. */
static unsigned reclaims_of(uint64_t handle)
{
	unsigned n = 0;

	for (unsigned i = 0; i < log_count; i++) {
		n += log_fid[i] == FFA_MEM_RECLAIM_32 && log_handle[i] == handle;
	}
	return n;
}

/* A spec machine sending to the SPMC in fragments of @frag bytes; guest 1 at v1.2 with a pair. */
static struct fixture *machine(uint32_t frag)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	cfg.spmc_frag_bytes = frag;
	cfg.observe = log_spmc_calls;
	f = fixture_mailboxes_with(&cfg, FFA_VERSION_1_2, 0);
	log_count = 0;
	return f;
}

/* Guest 1's three pages at @ipa to SP1, in three ranges (pages 0, 1 and 2 of them). */
static struct ffa_mem_txn three_ranges(uint64_t ipa)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, ipa, 1);

	fx_mem_add_range(&t, ipa + PAGE, 1);
	fx_mem_add_range(&t, ipa + 2 * PAGE, 1);
	return t;
}

/* Guest 1's three pages at @ipa are its own, in @state, tagged @handle. */
#define assert_pages(f, ipa, state, handle) \
	fx_mem_assert_pages(f, GUEST1, ipa, 3, GUEST1, state, handle)

/* The SPMC's isolation oracle agrees with the pages. */
static void assert_oracle_agrees(struct fixture *f)
{
	char why[160] = "";

	if (!spmc_isolation_check(&f->spmc, why, sizeof(why))) {
		fail_msg("%s", why);
	}
}

/*
 * spmc.h: faults are requests that break the spec; a mediator that handled
 * a lie correctly is blamed for nothing.
 */
static void assert_no_fault(struct fixture *f)
{
	if (f->spmc.fault_count != 0) {
		fail_msg("%u mediator fault(s), the first for %#x: %s (%s)", f->spmc.fault_count,
			 f->spmc.faults[0].fid, f->spmc.faults[0].reason, f->spmc.isolation_why);
	}
}

/*
 * @r is FFA_ERROR(ABORTED); the pages at SENT_IPA are private again; the
 * mediator and the SPMC keep @txns transactions each, no send is half way,
 * and the oracle agrees.
 */
static void assert_rolled_back(struct fixture *f, struct smccc_regs r, unsigned txns)
{
	assert_ffa_error(r, FFA_ABORTED);
	assert_int_equal(r.x[3], 0);
	assert_pages(f, SENT_IPA, MEM_PAGE_PRIVATE, 0);
	assert_int_equal(fx_mem_mediator_txns(f), txns);
	assert_int_equal(fx_mem_spmc_txns(f), txns);
	assert_false(f->m.frag.active);
	assert_false(f->spmc.frag.active);
	assert_oracle_agrees(f);
}

/* With the lie off, the same send of @t by @fid succeeds with an SPMC handle: returned. */
static uint64_t assert_honest_send_works(struct fixture *f, uint32_t fid,
					 const struct ffa_mem_txn *t, unsigned txns_before)
{
	uint64_t h;

	f->spmc.mem_lie = SPMC_LIE_NONE;
	h = fx_mem_send_ok(f, GUEST1, fid, t);
	assert_int_not_equal(h, 0);
	assert_int_equal(h & FFA_HANDLE_ALLOCATOR_HYP, 0);
	assert_pages(f, SENT_IPA, fx_mem_state_of(fid), h);
	assert_non_null(spmc_txn_find(&f->spmc, h));
	assert_int_equal(fx_mem_mediator_txns(f), txns_before + 1);
	assert_int_equal(fx_mem_spmc_txns(f), txns_before + 1);
	assert_oracle_agrees(f);
	return h;
}

/* Lie @lie against guest 1's send (@fid) of its three pages, in fragments of @frag bytes. */
static void lie_once(uint32_t frag, enum spmc_mem_lie lie, uint32_t fid)
{
	struct fixture *f = machine(frag);
	struct ffa_mem_txn t = three_ranges(SENT_IPA);
	uint64_t next = f->spmc.next_handle;

	f->spmc.mem_lie = lie;
	assert_rolled_back(f, fx_mem_send(f, GUEST1, fid, &t), 0);
	assert_null(spmc_txn_find(&f->spmc, next));
	if (lie == SPMC_LIE_FRAG_RX_AFTER_LAST || lie == SPMC_LIE_FRAG_OFFSET) {
		/* It recorded the send, or a send in fragments: the mediator told it to forget. */
		assert_int_equal(reclaims_of(next), 1);
	}
	assert_honest_send_works(f, fid, &t, 0);
	assert_no_fault(f);
	fixture_free(f);
}

/* Xen X19 / ffa-facts §8 "SUCCESS implies a non-zero, SPMC-issued handle": handle 0 is ABORTED. */
static void test_ffa_mem_share_spmc_handle_zero_aborted(void **state)
{
	(void)state;
	lie_once(0, SPMC_LIE_HANDLE_ZERO, FFA_MEM_SHARE_64);
}

/* ffa-facts §2: bit 63 of a handle names its allocator; the SPMC's has it clear: ABORTED. */
static void test_ffa_mem_share_spmc_handle_hyp_aborted(void **state)
{
	(void)state;
	lie_once(0, SPMC_LIE_HANDLE_HYP, FFA_MEM_SHARE_64);
}

/* TF-A c55b519ed: FRAG_RX's offset must be the bytes sent so far: ABORTED, send forgotten. */
static void test_ffa_mem_share_spmc_frag_offset_aborted(void **state)
{
	(void)state;
	lie_once(FRAG, SPMC_LIE_FRAG_OFFSET, FFA_MEM_SHARE_64);
}

/* OP-TEE 7f127d42b: SUCCESS only after the last fragment: an early one is ABORTED. */
static void test_ffa_mem_share_spmc_early_success_aborted(void **state)
{
	(void)state;
	lie_once(FRAG, SPMC_LIE_EARLY_SUCCESS, FFA_MEM_SHARE_64);
}

/* OP-TEE 7f127d42b: FRAG_RX after the last fragment is ABORTED and the record reclaimed. */
static void test_ffa_mem_share_spmc_frag_rx_after_last_aborted(void **state)
{
	(void)state;
	lie_once(FRAG, SPMC_LIE_FRAG_RX_AFTER_LAST, FFA_MEM_SHARE_64);
}

/* As above, with the whole descriptor in one fragment. */
static void test_ffa_mem_share_spmc_frag_rx_after_only_fragment_aborted(void **state)
{
	(void)state;
	lie_once(0, SPMC_LIE_FRAG_RX_AFTER_LAST, FFA_MEM_SHARE_32);
}

/* memory.c header: a handle that is SPMC-allocated, non-zero *and new* (Xen X19). */
static void test_ffa_mem_share_spmc_handle_reused_aborted(void **state)
{
	struct fixture *f = machine(0);
	struct ffa_mem_txn first = three_ranges(OTHER_IPA);
	struct ffa_mem_txn t = three_ranges(SENT_IPA);
	uint64_t h1;

	(void)state;
	h1 = fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &first);
	log_count = 0;
	f->spmc.mem_lie = SPMC_LIE_HANDLE_REUSED;
	assert_rolled_back(f, fx_mem_send(f, GUEST1, FFA_MEM_SHARE_64, &t), 1);
	/* The honest transaction is untouched: the mediator must not reclaim it at the SPMC. */
	assert_int_equal(reclaims_of(h1), 0);
	assert_non_null(spmc_txn_find(&f->spmc, h1));
	assert_pages(f, OTHER_IPA, MEM_PAGE_SHARED, h1);
	assert_int_not_equal(assert_honest_send_works(f, FFA_MEM_SHARE_64, &t, 1), h1);
	/* And the first can still be reclaimed. */
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h1, 0));
	assert_no_fault(f);
	fixture_free(f);
}

static const uint32_t lend_donate[] = {FFA_MEM_LEND_32, FFA_MEM_LEND_64, FFA_MEM_DONATE_32,
				       FFA_MEM_DONATE_64};

/* The lies that leave nothing on record, against LEND and DONATE (32 and 64) too. */
static void test_ffa_mem_lend_donate_spmc_lies_aborted(void **state)
{
	(void)state;
	for (unsigned k = 0; k < 4; k++) {
		lie_once(0, SPMC_LIE_HANDLE_ZERO, lend_donate[k]);
		lie_once(0, SPMC_LIE_HANDLE_HYP, lend_donate[k]);
		lie_once(FRAG, SPMC_LIE_FRAG_OFFSET, lend_donate[k]);
		lie_once(FRAG, SPMC_LIE_EARLY_SUCCESS, lend_donate[k]);
	}
}

/* OP-TEE 7f127d42b, against LEND and DONATE (32 and 64): ABORTED and the record reclaimed. */
static void test_ffa_mem_lend_donate_spmc_frag_rx_after_last_aborted(void **state)
{
	(void)state;
	for (unsigned k = 0; k < 4; k++) {
		lie_once(FRAG, SPMC_LIE_FRAG_RX_AFTER_LAST, lend_donate[k]);
	}
}

/* A lie on one VM's send leaves another VM's later send unharmed (no state carried over). */
static void test_ffa_mem_share_after_lie_other_vm_unharmed(void **state)
{
	struct fixture *f = machine(FRAG);
	struct ffa_mem_txn t = three_ranges(SENT_IPA);
	struct ffa_mem_txn g2 = fx_mem_txn(GUEST2, SP1, VM_IPA + 4 * PAGE, 1);
	uint64_t h;

	(void)state;
	fx_negotiate(f, GUEST2, FFA_VERSION_1_1);
	fx_map_rxtx(f, GUEST2);
	f->spmc.mem_lie = SPMC_LIE_FRAG_OFFSET;
	assert_rolled_back(f, fx_mem_send(f, GUEST1, FFA_MEM_LEND_64, &t), 0);
	f->spmc.mem_lie = SPMC_LIE_NONE;
	h = fx_mem_send_ok(f, GUEST2, FFA_MEM_SHARE_64, &g2);
	assert_int_equal(h & FFA_HANDLE_ALLOCATOR_HYP, 0);
	assert_int_equal(fx_mem_page(f, fx_vm_pa(GUEST2, VM_IPA + 4 * PAGE))->handle, h);
	assert_pages(f, SENT_IPA, MEM_PAGE_PRIVATE, 0);
	assert_oracle_agrees(f);
	assert_no_fault(f);
	fixture_free(f);
}

#define OWN(fn) cmocka_unit_test_teardown(fn, fixture_teardown_leftover)

int main(void)
{
	const struct CMUnitTest tests[] = {
		OWN(test_ffa_mem_share_spmc_handle_zero_aborted),
		OWN(test_ffa_mem_share_spmc_handle_hyp_aborted),
		OWN(test_ffa_mem_share_spmc_handle_reused_aborted),
		OWN(test_ffa_mem_share_spmc_frag_offset_aborted),
		OWN(test_ffa_mem_share_spmc_early_success_aborted),
		OWN(test_ffa_mem_share_spmc_frag_rx_after_last_aborted),
		OWN(test_ffa_mem_share_spmc_frag_rx_after_only_fragment_aborted),
		OWN(test_ffa_mem_lend_donate_spmc_lies_aborted),
		OWN(test_ffa_mem_lend_donate_spmc_frag_rx_after_last_aborted),
		OWN(test_ffa_mem_share_after_lie_other_vm_unharmed),
	};

	return cmocka_run_group_tests_name("memory_lies", tests, NULL, NULL);
}
