/*
 * Memory sharing towards partitions in fragments (mediator/src/memory.c,
 * whose header comment is the rules; DEN0077A v1.2 FFA_MEM_FRAG_TX/RX;
 * ffa-facts.md §2 "Memory management", §6.4 TF-A c55b519ed, §6.5 OP-TEE
 * 7f127d42b, §6.2 X19): a guest's descriptor in several FFA_MEM_FRAG_TX, the
 * mediator's own fragments to the SPMC (cfg.spmc_frag_bytes), the SPMC's lies
 * about them and about handles; then a donation the partition completes
 * (SPMC_BEHAVE_RETRIEVE), mediator_fini() with transactions outstanding, and
 * FFA_FEATURES of the memory ABIs. One-fragment sends, their refusals and
 * FFA_MEM_RECLAIM are in test_memory.c.
 *
 * Default machine, guests 1 and 2 at v1.0, v1.1 or v1.2 (FX_MEM_TEST())
 * with their pairs mapped; partitions 0x8001.. at the SPMC model.
 */
#include "fixture.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SP1 0x8001
#define SP2 0x8002
#define IPA(n) (VM_IPA + (uint64_t)(n) * PAGE)
#define PA(vm, n) fx_vm_pa(vm, IPA(n))
#define PA1(n) PA(GUEST1, n)
#define ZERO FFA_MEM_FLAG_ZERO_MEMORY
#define RANGES 10 /* pages 2..11 of the lender, one range each */

/* --- A descriptor in fragments --- */

struct desc {
	uint8_t buf[MEDIATOR_MEM_DESC_MAX];
	uint32_t len;
	struct ffa_mem_txn t;
};

/* @vm's transaction of RANGES one-page ranges to 0x8001, laid out at the VM's version. */
static void build(struct fixture *f, ffa_id_t vm, struct desc *d)
{
	d->t = fx_mem_txn(vm, SP1, IPA(2), 1);
	for (unsigned i = 1; i < RANGES; i++) {
		fx_mem_add_range(&d->t, IPA(2 + i), 1);
	}
	d->len = ffa_mem_desc_write(&d->t, fx_vm(f, vm)->version, d->buf, sizeof(d->buf));
	assert_true(d->len > 3 * 16);
}

/*
 * As a sender of @fid writes it: for a donation, data access cleared (the
 * borrower chooses it, DEN0077A §10.10.3); for a donation or a lend to one
 * borrower, the memory type left unspecified (fx_mem_attributes_for()).
 */
static void as_donation_if(struct fixture *f, ffa_id_t vm, uint32_t fid, struct desc *d)
{
	if (ffa_mem_type_of(fid) == FFA_MEM_TYPE_DONATE) {
		d->t.receivers[0].perms = 0;
	}
	fx_mem_attributes_for(&d->t, fid);
	d->len = ffa_mem_desc_write(&d->t, fx_vm(f, vm)->version, d->buf, sizeof(d->buf));
}

/* Bytes [@off, +@n) of @d into @vm's TX buffer, as the guest does before each fragment. */
static void put(struct fixture *f, ffa_id_t vm, const struct desc *d, uint32_t off, uint32_t n)
{
	memcpy(fx_tx(f, vm), d->buf + off, n);
}

static struct smccc_regs frag_tx(struct fixture *f, ffa_id_t vm, uint64_t h, uint32_t n,
				 uint32_t w4)
{
	return fx_call(f, vm, FFA_MEM_FRAG_TX_32, (uint32_t)h, h >> 32, n, w4, 0);
}

/* @r is FFA_MEM_FRAG_RX with w3 = @offset; returns its handle (hypervisor-allocated). */
static uint64_t assert_frag_rx(struct smccc_regs r, uint32_t offset)
{
	uint64_t h;

	if (r.x[0] != FFA_MEM_FRAG_RX_32) {
		fail_msg("expected FFA_MEM_FRAG_RX, got x0=%#llx x2=%#llx", (unsigned long long)r.x[0],
			 (unsigned long long)r.x[2]);
	}
	assert_true(r.x[1] <= UINT32_MAX && r.x[2] <= UINT32_MAX);
	h = r.x[1] | r.x[2] << 32;
	assert_int_equal(h & FFA_HANDLE_ALLOCATOR_HYP, FFA_HANDLE_ALLOCATOR_HYP);
	assert_int_equal(r.x[3], offset);
	for (unsigned i = 4; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	return h;
}

/* @vm starts sending @d with @fid: the first @n bytes. Returns the provisional handle. */
static uint64_t start(struct fixture *f, ffa_id_t vm, uint32_t fid, const struct desc *d,
		      uint32_t n)
{
	put(f, vm, d, 0, n);
	return assert_frag_rx(fx_call(f, vm, fid, d->len, n, 0, 0, 0), n);
}

/* Guest @vm's pages 2..11 (those build() names) are private and untagged. */
static void assert_untouched(struct fixture *f, ffa_id_t vm)
{
	fx_mem_assert_pages(f, vm, IPA(2), RANGES, vm, MEM_PAGE_PRIVATE, 0);
}

/* @d's pages are @vm's, shared under @h, the SPMC has it in PAs; then RECLAIM returns them. */
static void assert_shared_then_reclaim(struct fixture *f, ffa_id_t vm, const struct desc *d,
				       uint64_t h, enum mem_page_state state)
{
	const struct spmc_txn *x = spmc_txn_find(&f->spmc, h);
	unsigned txns;

	assert_int_equal(h & FFA_HANDLE_ALLOCATOR_HYP, 0);
	fx_mem_assert_pages(f, vm, IPA(2), RANGES, vm, state, h);
	assert_non_null(x);
	assert_int_equal(x->desc.sender, vm);
	assert_int_equal(x->desc.receiver_count, 1);
	assert_int_equal(x->desc.receivers[0].id, d->t.receivers[0].id);
	assert_int_equal(x->desc.range_count, RANGES);
	assert_int_equal(x->desc.page_count, RANGES);
	for (unsigned i = 0; i < RANGES; i++) {
		assert_int_equal(x->desc.ranges[i].address, fx_vm_pa(vm, d->t.ranges[i].address));
		assert_int_equal(x->desc.ranges[i].address, PA(vm, 2 + i));
		assert_int_equal(x->desc.ranges[i].page_count, 1);
	}
	assert_false(f->m.frag.active);
	fx_mem_assert_clean(f);
	txns = fx_mem_mediator_txns(f);
	assert_int_equal(fx_mem_spmc_txns(f), txns);
	assert_ffa_success(fx_mem_reclaim(f, vm, h, 0));
	assert_untouched(f, vm);
	assert_null(spmc_txn_find(&f->spmc, h));
	assert_int_equal(fx_mem_mediator_txns(f), txns - 1);
	assert_int_equal(fx_mem_spmc_txns(f), txns - 1);
	fx_mem_assert_clean(f);
}

/* Guest 1 sends its build() descriptor @d with @fid in one fragment. */
static struct smccc_regs send_whole(struct fixture *f, uint32_t fid, struct desc *d)
{
	build(f, GUEST1, d);
	as_donation_if(f, GUEST1, fid, d);
	put(f, GUEST1, d, 0, d->len);
	return fx_call(f, GUEST1, fid, d->len, d->len, 0, 0, 0);
}

/* Guest 1 sends the first half of its build() descriptor @d with @fid: the provisional handle. */
static uint64_t start_half(struct fixture *f, uint32_t fid, struct desc *d)
{
	build(f, GUEST1, d);
	as_donation_if(f, GUEST1, fid, d);
	return start(f, GUEST1, fid, d, d->len / 2);
}

/* Guest 1 sends the rest of @d under @h1: its pages in @state, then reclaimed. */
static void finish_half(struct fixture *f, const struct desc *d, uint64_t h1,
			enum mem_page_state state)
{
	uint32_t a = d->len / 2;

	put(f, GUEST1, d, a, d->len - a);
	assert_shared_then_reclaim(f, GUEST1, d, fx_mem_handle(frag_tx(f, GUEST1, h1, d->len - a, 0)),
				   state);
}

/*
 * memory.c: while more are due, FFA_MEM_FRAG_RX with w1/w2 a provisional
 * hypervisor handle (bit 63) and w3 the bytes received; FRAG_TX names that
 * handle and the fragment's length; after the last, SUCCESS with the handle.
 * Nothing moves before the whole descriptor is in.
 */
static void three_fragments(struct fixture *f, uint32_t fid)
{
	struct desc d;
	uint32_t a, b;
	uint64_t h1, h;

	build(f, GUEST1, &d);
	as_donation_if(f, GUEST1, fid, &d);
	/* The first fragment holds at least the header, the access descriptor and the composite header. */
	a = ffa_mem_desc_first_fragment_min(d.buf, d.len, fx_vm(f, GUEST1)->version);
	a = a > d.len / 3 ? a : d.len / 3;
	b = (d.len - a) / 2 + 5;
	h1 = start(f, GUEST1, fid, &d, a);
	assert_untouched(f, GUEST1);
	fx_mem_assert_clean(f);
	put(f, GUEST1, &d, a, b);
	assert_int_equal(assert_frag_rx(frag_tx(f, GUEST1, h1, b, 0), a + b), h1);
	assert_untouched(f, GUEST1);
	assert_int_equal(fx_mem_spmc_txns(f), 0);
	fx_mem_assert_clean(f);
	put(f, GUEST1, &d, a + b, d.len - a - b);
	h = fx_mem_handle(frag_tx(f, GUEST1, h1, d.len - a - b, 0));
	assert_int_not_equal(h, h1);
	assert_shared_then_reclaim(f, GUEST1, &d, h, fx_mem_state_of(fid));
}

FX_TEST_CASE(test_mem_frag_share_64_in_three_fragments, three_fragments, FFA_MEM_SHARE_64)
FX_TEST_CASE(test_mem_frag_lend_32_in_three_fragments, three_fragments, FFA_MEM_LEND_32)
FX_TEST_CASE(test_mem_frag_donate_64_in_three_fragments, three_fragments, FFA_MEM_DONATE_64)

/* memory.c: "a bad FRAG_TX ends it": a later FRAG_TX with the right handle is INVALID too. */
static void assert_send_ended(struct fixture *f, const struct desc *d, uint64_t h1, uint32_t a)
{
	struct fx_mem_snap s;
	struct ffa_mem_txn t = fx_mem_txn(GUEST2, SP1, IPA(2), 1);

	assert_false(f->m.frag.active);
	assert_untouched(f, GUEST1);
	fx_mem_snap_take(f, &s);
	put(f, GUEST1, d, a, d->len - a);
	assert_ffa_error(frag_tx(f, GUEST1, h1, d->len - a, 0), FFA_INVALID_PARAMETERS);
	fx_mem_assert_unchanged(f, &s);
	/* Nothing is in progress any more: another VM may send. */
	assert_ffa_success(fx_mem_reclaim(f, GUEST2, fx_mem_send_ok(f, GUEST2, FFA_MEM_SHARE_64, &t),
					  0));
	fx_mem_assert_clean(f);
}

/*
 * A fragmented send of guest 1 whose second FRAG_TX is bad: w1/w2 the handle
 * XOR @flip, w3 the remaining length + @len_delta (0 if @zero_len), w4 @w4.
 */
static void bad_frag_tx(struct fixture *f, uint64_t flip, int64_t len_delta, uint32_t w4,
			bool zero_len)
{
	struct desc d;
	uint64_t h1 = start_half(f, FFA_MEM_SHARE_64, &d);
	uint32_t a = d.len / 2;
	uint32_t n;

	n = zero_len ? 0 : (uint32_t)((int64_t)(d.len - a) + len_delta);
	put(f, GUEST1, &d, a, d.len - a);
	assert_ffa_error(frag_tx(f, GUEST1, h1 ^ flip, n, w4), FFA_INVALID_PARAMETERS);
	assert_send_ended(f, &d, h1, a);
}

/* memory.c: FRAG_TX w1/w2 "that handle"; "a bad FRAG_TX ends it". */
FX_TEST_CASE(test_mem_frag_tx_other_handle_invalid_ends_send, bad_frag_tx, 1, 0, 0, false)

/* The same with an SPMC-style handle (bit 63 clear): still not the send's. */
FX_TEST_CASE(test_mem_frag_tx_handle_without_bit_63_invalid_ends_send, bad_frag_tx,
	     FFA_HANDLE_ALLOCATOR_HYP, 0, 0, false)

/* memory.c: FRAG_TX "w4 MBZ"; a bad FRAG_TX ends the send. */
FX_TEST_CASE(test_mem_frag_tx_w4_set_invalid_ends_send, bad_frag_tx, 0, 0, 1U << 16, false)

/* memory.c: a fragment of length 0 is bad (as w2 = 0 is for the first). */
FX_TEST_CASE(test_mem_frag_tx_length_zero_invalid_ends_send, bad_frag_tx, 0, 0, 0, true)

/* memory.c: a fragment past the total is bad. */
FX_TEST_CASE(test_mem_frag_tx_length_past_total_invalid_ends_send, bad_frag_tx, 0, 1, 0, false)

/*
 * memory.c (Hafnium a9d6a31f; ff-a-acs mem_share_invalid_total_length_check): a first
 * fragment short of the access descriptors and composite header, or whose composite gives
 * another total than w1, is INVALID_PARAMETERS and leaves nothing in progress.
 */
static void test_mem_frag_first_fragment_rules(void **state)
{
	struct fixture *f = *state;
	struct desc d;
	uint32_t min;

	build(f, GUEST1, &d);
	min = ffa_mem_desc_first_fragment_min(d.buf, d.len, fx_vm(f, GUEST1)->version);
	put(f, GUEST1, &d, 0, d.len);
	assert_ffa_error(fx_call(f, GUEST1, FFA_MEM_SHARE_64, d.len, min - 1, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_call(f, GUEST1, FFA_MEM_SHARE_64, d.len + 16, d.len, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_untouched(f, GUEST1);
	/* Nothing was left in progress: the exact first fragment is taken, then the whole. */
	assert_frag_rx(fx_call(f, GUEST1, FFA_MEM_SHARE_64, d.len, min, 0, 0, 0), min);
}

/*
 * memory.c: the send is guest 1's; DEN0077A: the handle names the caller's
 * transaction, so from guest 2 it names none (INVALID_PARAMETERS), and one VM
 * cannot end another's send: guest 1 completes it.
 */
static void test_mem_frag_tx_from_other_vm_invalid_send_goes_on(void **state)
{
	struct fixture *f = *state;
	struct desc d, other;
	uint64_t h1 = start_half(f, FFA_MEM_SHARE_64, &d);
	uint32_t a = d.len / 2;
	struct fx_mem_snap s;

	build(f, GUEST2, &other);
	fx_mem_snap_take(f, &s);
	put(f, GUEST2, &other, a, other.len - a);
	assert_ffa_error(frag_tx(f, GUEST2, h1, d.len - a, 0), FFA_INVALID_PARAMETERS);
	fx_mem_assert_unchanged(f, &s);
	finish_half(f, &d, h1, MEM_PAGE_SHARED);
	assert_untouched(f, GUEST2);
}

/* memory.c: FRAG_TX with no send in progress names no transaction: INVALID_PARAMETERS. */
static void test_mem_frag_tx_without_send_invalid(void **state)
{
	struct fixture *f = *state;
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	assert_ffa_error(frag_tx(f, GUEST1, FFA_HANDLE_ALLOCATOR_HYP | 1, 16, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(frag_tx(f, GUEST1, 1, 16, 0), FFA_INVALID_PARAMETERS);
	assert_ffa_error(frag_tx(f, GUEST1, 0, 0, 0), FFA_INVALID_PARAMETERS);
	fx_mem_assert_unchanged(f, &s);
}

/* memory.c: "One fragmented send is in progress at a time (BUSY for another)". */
static void test_mem_frag_second_send_busy(void **state)
{
	struct fixture *f = *state;
	struct desc d, other;
	struct ffa_mem_txn one = fx_mem_txn(GUEST2, SP1, IPA(2), 1);
	uint64_t h1 = start_half(f, FFA_MEM_SHARE_64, &d);
	uint32_t a = d.len / 2;
	struct fx_mem_snap s;

	build(f, GUEST2, &other);
	fx_mem_snap_take(f, &s);
	put(f, GUEST2, &other, 0, a);
	assert_ffa_error(fx_call(f, GUEST2, FFA_MEM_SHARE_64, other.len, a, 0, 0, 0), FFA_BUSY);
	assert_ffa_error(fx_mem_send(f, GUEST2, FFA_MEM_LEND_32, &one), FFA_BUSY);
	fx_mem_assert_unchanged(f, &s);
	finish_half(f, &d, h1, MEM_PAGE_SHARED);
	assert_ffa_success(fx_mem_reclaim(f, GUEST2, fx_mem_send_ok(f, GUEST2, FFA_MEM_LEND_32, &one),
					  0));
	fx_mem_assert_clean(f);
}

/* memory.c: no TX buffer for a fragment: DENIED (as for the first), and the send ends. */
static void test_mem_frag_tx_after_unmap_denied_ends_send(void **state)
{
	struct fixture *f = *state;
	struct desc d;
	uint64_t h1 = start_half(f, FFA_MEM_SHARE_64, &d);
	uint32_t a = d.len / 2;

	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_ffa_error(frag_tx(f, GUEST1, h1, d.len - a, 0), FFA_DENIED);
	fx_map_rxtx(f, GUEST1);
	assert_send_ended(f, &d, h1, a);
}

/* memory.c: the whole descriptor is checked once it is in: a mailbox page last is DENIED. */
static void test_mem_frag_bad_page_in_last_fragment_denied(void **state)
{
	struct fixture *f = *state;
	struct desc d;
	uint32_t a;
	uint64_t h1;

	build(f, GUEST1, &d);
	d.t.ranges[RANGES - 1].address = IPA(1); /* the RX page */
	d.len = ffa_mem_desc_write(&d.t, fx_vm(f, GUEST1)->version, d.buf, sizeof(d.buf));
	a = d.len - 16;
	h1 = start(f, GUEST1, FFA_MEM_SHARE_64, &d, a);
	put(f, GUEST1, &d, a, 16);
	assert_ffa_error(frag_tx(f, GUEST1, h1, 16, 0), FFA_DENIED);
	assert_send_ended(f, &d, h1, a);
}

/* memory.c RECLAIM: the provisional handle names no transaction (INVALID); the send goes on. */
static void test_mem_frag_reclaim_provisional_handle_invalid(void **state)
{
	struct fixture *f = *state;
	struct desc d;
	uint64_t h1 = start_half(f, FFA_MEM_LEND_64, &d);
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	assert_ffa_error(fx_mem_reclaim(f, GUEST1, h1, 0), FFA_INVALID_PARAMETERS);
	fx_mem_assert_unchanged(f, &s);
	finish_half(f, &d, h1, MEM_PAGE_LENT);
}

/* --- The mediator's own fragments to the SPMC --- */

/* What the observer saw the mediator forward of memory sends. */
struct seen_sends {
	unsigned sends, frag_tx;
	uint32_t send_fid, send_total, send_len, frag_bytes;
	uint64_t frag_handle;
	bool frag_ok; /* every FRAG_TX: the same handle, at most 64 bytes, w4 = 0 */
};
static struct seen_sends seen;

static void watch(void *ctx, const struct mediator_event *ev)
{
	uint32_t fid = ffa_func(ev->regs);

	(void)ctx;
	if (ev->kind != MEDIATOR_EV_SPMC_CALL) {
		return;
	}
	if (ffa_mem_type_of(fid) != 0) {
		seen.sends++;
		seen.send_fid = fid;
		seen.send_total = ffa_w(ev->regs, 1);
		seen.send_len = ffa_w(ev->regs, 2);
		seen.frag_bytes = ffa_w(ev->regs, 2);
	} else if (fid == FFA_MEM_FRAG_TX_32) {
		uint64_t h = ffa_w(ev->regs, 1) | (uint64_t)ffa_w(ev->regs, 2) << 32;

		seen.frag_ok &= seen.frag_tx == 0 || h == seen.frag_handle;
		seen.frag_handle = h;
		seen.frag_tx++;
		seen.frag_bytes += ffa_w(ev->regs, 3);
		seen.frag_ok &= ffa_w(ev->regs, 3) <= 64 && ffa_w(ev->regs, 4) == 0;
	}
}

/* fx_mem_setup() on a machine whose mediator sends the SPMC fragments of 64 bytes. */
static int frag64_setup(void **state)
{
	uint32_t version = *(const uint32_t *)*state;
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.spmc_frag_bytes = 64;
	cfg.observe = watch;
	*state = fixture_mailboxes_with(&cfg, version, version);
	seen = (struct seen_sends){.frag_ok = true};
	return 0;
}

#define FRAG64_TEST(fn)                                                        \
	{#fn " (v1.0, SPMC fragments of 64)", fn, frag64_setup, fixture_teardown, &fx_version_1_0}, \
	{#fn " (v1.1, SPMC fragments of 64)", fn, frag64_setup, fixture_teardown, &fx_version_1_1}, \
	{#fn " (v1.2, SPMC fragments of 64)", fn, frag64_setup, fixture_teardown, &fx_version_1_2}

/* The bytes the SPMC gets for @d: the mediator's own (v1.2) layout. */
static uint32_t spmc_len(const struct desc *d)
{
	return ffa_mem_desc_size(&d->t, FFA_VERSION_1_2);
}

/*
 * memory.c: the first fragment the SPMC gets: 64 bytes, or more where the
 * header, the access descriptors and the composite header need it (v1.2:
 * 48 + 32 each + 16); then 64 at a time.
 */
static uint32_t spmc_first(const struct desc *d)
{
	uint32_t need = 48 + 32 * d->t.receiver_count + 16;

	return need > 64 ? need : 64;
}

static uint32_t spmc_frag_txs(const struct desc *d)
{
	return (spmc_len(d) - spmc_first(d) + 63) / 64;
}

/*
 * memory.c: the SPMC gets the descriptor in the mediator's v1.2 layout "in
 * fragments of spmc_frag_bytes", the handle steady in every FRAG_TX; the
 * send succeeds.
 */
static void spmc_fragments(struct fixture *f, uint32_t fid)
{
	struct desc d;
	uint64_t h = fx_mem_handle(send_whole(f, fid, &d));

	assert_int_equal(seen.sends, 1);
	assert_int_equal(ffa_mem_type_of(seen.send_fid), ffa_mem_type_of(fid));
	assert_int_equal(seen.send_total, spmc_len(&d));
	assert_int_equal(seen.send_len, spmc_first(&d));
	assert_int_equal(seen.frag_tx, spmc_frag_txs(&d));
	assert_int_equal(seen.frag_bytes, spmc_len(&d));
	assert_true(seen.frag_ok);
	assert_int_equal(seen.frag_handle, h);
	assert_int_equal(spmc_txn_find(&f->spmc, h)->type, ffa_mem_type_of(fid));
	assert_shared_then_reclaim(f, GUEST1, &d, h, fx_mem_state_of(fid));
}

FX_TEST_CASE(test_mem_spmc_frag_share_64, spmc_fragments, FFA_MEM_SHARE_64)
FX_TEST_CASE(test_mem_spmc_frag_lend_32, spmc_fragments, FFA_MEM_LEND_32)

/* memory.c: the guest's fragments and the mediator's are independent. */
static void test_mem_spmc_frag_after_guest_fragments(void **state)
{
	struct fixture *f = *state;
	struct desc d;
	uint64_t h1 = start_half(f, FFA_MEM_DONATE_64, &d);

	assert_int_equal(seen.sends, 0);
	finish_half(f, &d, h1, MEM_PAGE_DONATED);
	assert_int_equal(seen.frag_tx, spmc_frag_txs(&d));
}

/* --- The SPMC's lies --- */

/* Guest 1 shares its usual descriptor while the SPMC tells @lie: ABORTED, nothing changed. */
static void lie_aborts(struct fixture *f, enum spmc_mem_lie lie)
{
	struct desc d;
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	f->spmc.mem_lie = lie;
	assert_ffa_error(send_whole(f, FFA_MEM_SHARE_64, &d), FFA_ABORTED);
	f->spmc.mem_lie = SPMC_LIE_NONE;
	fx_mem_assert_unchanged(f, &s);
	/* The same share goes through once the SPMC tells the truth. */
	assert_shared_then_reclaim(f, GUEST1, &d, fx_mem_handle(send_whole(f, FFA_MEM_SHARE_64, &d)),
				   MEM_PAGE_SHARED);
}

/* memory.c: each FFA_MEM_FRAG_RX's offset "exactly the bytes sent" (TF-A c55b519ed). */
FX_TEST_CASE(test_mem_spmc_lie_frag_offset_aborted, lie_aborts, SPMC_LIE_FRAG_OFFSET)

/* memory.c: FFA_SUCCESS "only after the last fragment" (OP-TEE 7f127d42b). */
FX_TEST_CASE(test_mem_spmc_lie_early_success_aborted, lie_aborts, SPMC_LIE_EARLY_SUCCESS)

/* memory.c: no FFA_MEM_FRAG_RX after the last fragment (OP-TEE 7f127d42b). */
FX_TEST_CASE(test_mem_spmc_lie_frag_rx_after_last_aborted, lie_aborts, SPMC_LIE_FRAG_RX_AFTER_LAST)

/* memory.c: the SPMC's handle "non-zero" (Xen X19's symptom). */
FX_TEST_CASE(test_mem_spmc_lie_handle_zero_aborted, lie_aborts, SPMC_LIE_HANDLE_ZERO)

/* memory.c: the SPMC's handle "SPMC-allocated" (bit 63 clear). */
FX_TEST_CASE(test_mem_spmc_lie_handle_hyp_aborted, lie_aborts, SPMC_LIE_HANDLE_HYP)

/* memory.c: the SPMC's handle "new"; the transaction already holding it is left alone. */
static void test_mem_spmc_lie_handle_reused_aborted(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(13), 2);
	uint64_t h = fx_mem_send_ok(f, GUEST1, FFA_MEM_LEND_64, &t);

	lie_aborts(f, SPMC_LIE_HANDLE_REUSED);
	assert_non_null(spmc_txn_find(&f->spmc, h));
	assert_int_equal(fx_mem_page(f, PA(GUEST1, 13))->state, MEM_PAGE_LENT);
	assert_int_equal(fx_mem_page(f, PA(GUEST1, 14))->handle, h);
	assert_ffa_success(fx_mem_reclaim(f, GUEST1, h, 0));
	assert_int_equal(fx_mem_page(f, PA(GUEST1, 13))->state, MEM_PAGE_PRIVATE);
	fx_mem_assert_clean(f);
}

/* memory.c: the SPMC's error is the guest's ("Anything else ... the pages go back"). */
static void test_mem_spmc_full_no_memory_pages_back(void **state)
{
	struct fixture *f = *state;
	struct desc d;
	struct fx_mem_snap s;

	for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) { /* records of no pages */
		f->spmc.txns[i] = (struct spmc_txn){
			.used = true, .type = FFA_MEM_TYPE_SHARE,
			.desc = {.sender = GUEST2, .handle = 0x7000 + i}};
	}
	fx_mem_snap_take(f, &s);
	assert_ffa_error(send_whole(f, FFA_MEM_SHARE_64, &d), FFA_NO_MEMORY);
	fx_mem_assert_unchanged(f, &s);
	assert_untouched(f, GUEST1);
}

/* Page @n of guest 1 is @owner's, in @state, tagged @handle. */
#define assert_page(f, n, owner, state, handle) \
	fx_mem_assert_pages(f, GUEST1, IPA(n), 1, owner, state, handle)

/* Guest 1's pages [first, first + count) are its own, in @state, tagged @handle. */
#define assert_pages(f, first, count, state, handle) \
	fx_mem_assert_pages(f, GUEST1, IPA(first), count, GUEST1, state, handle)

/* --- A donation the partition retrieved --- */

/* spmc.h / spmc-model memory.c: "a donation it retrieves becomes its own and leaves the record". */
static uint64_t donate_and_retrieve(struct fixture *f)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 2);
	uint64_t h = fx_mem_send_ok(f, GUEST1, FFA_MEM_DONATE_64, &t);

	assert_pages(f, 2, 2, MEM_PAGE_DONATED, h);
	assert_int_equal(fx_mem_sp_does(f, GUEST1, SP1, SPMC_BEHAVE_RETRIEVE, h), FFA_OK);
	return h;
}

/* DEN0077A DONATE: once retrieved the pages are the partition's; RECLAIM is INVALID. */
static void test_mem_donate_retrieved_pages_are_the_partitions(void **state)
{
	struct fixture *f = *state;
	uint64_t h = donate_and_retrieve(f);

	assert_page(f, 2, SP1, MEM_PAGE_PRIVATE, 0);
	assert_page(f, 3, SP1, MEM_PAGE_PRIVATE, 0);
	assert_null(spmc_txn_find(&f->spmc, h));
	fx_mem_assert_clean(f);
	/* Not assert_refused(): when the mediator forgets the donation is its business. */
	assert_ffa_error(fx_mem_reclaim(f, GUEST1, h, 0), FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_mem_reclaim(f, GUEST1, h, ZERO), FFA_INVALID_PARAMETERS);
	assert_page(f, 2, SP1, MEM_PAGE_PRIVATE, 0);
	assert_page(f, 3, SP1, MEM_PAGE_PRIVATE, 0);
	assert_pages(f, 4, VM_PAGES - 4, MEM_PAGE_PRIVATE, 0);
	assert_int_equal(fx_mem_spmc_txns(f), 0);
	fx_mem_assert_clean(f);
}

/* memory.c: "every page the caller's": a page it donated away is no longer (DENIED). */
static void test_mem_share_donated_page_denied(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(3), 1);

	donate_and_retrieve(f);
	/* Not refuse(): when the mediator forgets the completed donation is its business. */
	assert_ffa_error(fx_mem_send(f, GUEST1, FFA_MEM_SHARE_64, &t), FFA_DENIED);
	assert_ffa_error(fx_mem_send(f, GUEST1, FFA_MEM_DONATE_64, &t), FFA_DENIED);
	assert_page(f, 2, SP1, MEM_PAGE_PRIVATE, 0);
	assert_page(f, 3, SP1, MEM_PAGE_PRIVATE, 0);
	assert_int_equal(fx_mem_spmc_txns(f), 0);
	assert_false(f->m.frag.active);
	fx_mem_assert_clean(f);
}

/*
 * DEN0077A DONATE (Hafnium frees the share state at the retrieve): a
 * completed donation is no transaction any more, so it holds none of the
 * lender's MEDIATOR_MAX_TXNS_PER_VM slots.
 */
static void test_mem_donate_retrieved_frees_lender_slot(void **state)
{
	struct fixture *f = *state;
	uint64_t h = donate_and_retrieve(f);

	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS_PER_VM; i++) {
		struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(4 + i), 1);
		struct smccc_regs r = fx_mem_send(f, GUEST1, FFA_MEM_SHARE_64, &t);

		if (r.x[0] != FFA_SUCCESS_32) {
			fail_msg("share %u after a completed donation: x0=%#llx x2=%#llx", i + 1,
				 (unsigned long long)r.x[0], (unsigned long long)r.x[2]);
		}
	}
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		assert_false(f->m.txns[i].used && f->m.txns[i].desc.handle == h);
	}
	fx_mem_assert_clean(f);
}

/* --- mediator_fini() --- */

/* mediator.h mediator_fini(): "every memory transaction (reclaimed ...; the pages return to their lenders)". */
static void test_mem_fini_ends_every_transaction(void **state)
{
	struct fixture *f = *state;
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, SP1, IPA(2), 2);
	struct ffa_mem_txn u = fx_mem_txn(GUEST1, SP2, IPA(8), 2);
	struct ffa_mem_txn v = fx_mem_txn(GUEST2, SP1, IPA(3), 1);

	fx_mem_send_ok(f, GUEST1, FFA_MEM_SHARE_64, &t);
	fx_mem_send_ok(f, GUEST1, FFA_MEM_LEND_32, &u);
	fx_mem_send_ok(f, GUEST2, FFA_MEM_DONATE_64, &v);
	assert_int_equal(mediator_fini(&f->m), FFA_OK);
	assert_pages(f, 2, VM_PAGES - 2, MEM_PAGE_PRIVATE, 0);
	assert_int_equal(fx_mem_page(f, fx_vm_pa(GUEST2, IPA(3)))->state, MEM_PAGE_PRIVATE);
	assert_int_equal(fx_mem_mediator_txns(f), 0);
	assert_int_equal(fx_mem_spmc_txns(f), 0);
	fx_mem_assert_clean(f);
}

/*
 * mediator_fini() after a donation the partition completed: the pages are
 * the partition's, nothing is left to end, and teardown must not trip a
 * CHECK() (check.h: a CHECK() a guest can reach is a bug). Run in a child.
 */
static void test_mem_fini_after_completed_donation(void **state)
{
	struct fixture *f = *state;
	pid_t pid;
	int status = 0;

	donate_and_retrieve(f);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		_exit(mediator_fini(&f->m) == FFA_OK && fx_mem_page(f, PA1(2))->owner == SP1 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fail_msg("mediator_fini() after a completed donation: %s %d",
			 WIFSIGNALED(status) ? "killed by signal" : "exit status",
			 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	}
}

/* --- FFA_FEATURES --- */

/*
 * ffa-facts.md §2 FFA_FEATURES: MEM_DONATE/LEND/SHARE w2[0] is dynamic-buffer
 * support (none here), rest of w2 and w3 MBZ (all zero for v1.2, ACS); FRAG_TX
 * and RECLAIM have no properties. FFA_MEM_FRAG_RX is a borrower's ABI
 * (memory_retrieve.c): reported where VMs borrow, as here, and refused when
 * called, since no retrieve response is ever fragmented.
 */
static void test_mem_features(void **state)
{
	struct fixture *f = *state;
	static const uint32_t fids[] = {FFA_MEM_SHARE_64, FFA_MEM_SHARE_32, FFA_MEM_LEND_64,
					FFA_MEM_LEND_32, FFA_MEM_DONATE_64, FFA_MEM_DONATE_32,
					FFA_MEM_FRAG_TX_32, FFA_MEM_RECLAIM_32};

	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		struct smccc_regs r = fx_call(f, GUEST1, FFA_FEATURES_32, fids[i], 0, 0, 0, 0);

		assert_int_equal(r.x[0], FFA_SUCCESS_32);
		for (unsigned k = 1; k < 8; k++) {
			assert_int_equal(r.x[k], 0);
		}
	}
	assert_int_equal(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_MEM_FRAG_RX_32, 0, 0, 0, 0).x[0],
			 FFA_SUCCESS_32);
	assert_ffa_error(fx_call(f, GUEST1, FFA_MEM_FRAG_RX_32, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX_MEM_TEST(test_mem_frag_share_64_in_three_fragments),
		FX_MEM_TEST(test_mem_frag_lend_32_in_three_fragments),
		FX_MEM_TEST(test_mem_frag_donate_64_in_three_fragments),
		FX_MEM_TEST(test_mem_frag_tx_other_handle_invalid_ends_send),
		FX_MEM_TEST(test_mem_frag_tx_handle_without_bit_63_invalid_ends_send),
		FX_MEM_TEST(test_mem_frag_tx_w4_set_invalid_ends_send),
		FX_MEM_TEST(test_mem_frag_tx_length_zero_invalid_ends_send),
		FX_MEM_TEST(test_mem_frag_tx_length_past_total_invalid_ends_send),
		FX_MEM_TEST(test_mem_frag_first_fragment_rules),
		FX_MEM_TEST(test_mem_frag_tx_from_other_vm_invalid_send_goes_on),
		FX_MEM_TEST(test_mem_frag_tx_without_send_invalid),
		FX_MEM_TEST(test_mem_frag_second_send_busy),
		FX_MEM_TEST(test_mem_frag_tx_after_unmap_denied_ends_send),
		FX_MEM_TEST(test_mem_frag_bad_page_in_last_fragment_denied),
		FX_MEM_TEST(test_mem_frag_reclaim_provisional_handle_invalid),
		FRAG64_TEST(test_mem_spmc_frag_share_64),
		FRAG64_TEST(test_mem_spmc_frag_lend_32),
		FRAG64_TEST(test_mem_spmc_frag_after_guest_fragments),
		FRAG64_TEST(test_mem_spmc_lie_frag_offset_aborted),
		FRAG64_TEST(test_mem_spmc_lie_early_success_aborted),
		FRAG64_TEST(test_mem_spmc_lie_frag_rx_after_last_aborted),
		FX_MEM_TEST(test_mem_spmc_lie_frag_rx_after_last_aborted),
		FX_MEM_TEST(test_mem_spmc_lie_handle_zero_aborted),
		FX_MEM_TEST(test_mem_spmc_lie_handle_hyp_aborted),
		FX_MEM_TEST(test_mem_spmc_lie_handle_reused_aborted),
		FRAG64_TEST(test_mem_spmc_lie_handle_reused_aborted),
		FX_MEM_TEST(test_mem_spmc_full_no_memory_pages_back),
		FRAG64_TEST(test_mem_spmc_full_no_memory_pages_back),
		FX_MEM_TEST(test_mem_donate_retrieved_pages_are_the_partitions),
		FX_MEM_TEST(test_mem_share_donated_page_denied),
		FX_MEM_TEST(test_mem_donate_retrieved_frees_lender_slot),
		FX_MEM_TEST(test_mem_fini_ends_every_transaction),
		FX_MEM_TEST(test_mem_fini_after_completed_donation),
		FX_MEM_TEST(test_mem_features),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
