/*
 * A VM's RX/TX buffer pair through the mediator: FFA_RXTX_MAP (SMC32 and
 * SMC64), FFA_RXTX_UNMAP, FFA_RX_RELEASE and FFA_RX_ACQUIRE, and the RX
 * ownership state machine (mediator/mailbox.h). Every error path is pinned
 * to the exact status code named by DEN0077A v1.2 (FFA_RXTX_MAP, FFA_RXTX_UNMAP, FFA_RX_RELEASE), the FF-A ACS
 * (ffa_rxtx_map_and_unmap) or a known mediator bug (ffa-facts.md §6.2).
 */
#include "fixture.h"

#include <string.h>

/* The default machine's physical layout (mediator_config_default()). */
/* One FFA_RXTX_MAP call: the SMC64 or SMC32 form, with w1/x1 = @tx, w2/x2 = @rx, w3/x3 = @w3. */
struct map_call {
	uint32_t fid;
	uint64_t tx, rx, w3;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Each of @vm's @n maps in @maps gets FFA_ERROR(@err); a failure names the map. */
static void assert_maps_refused(struct fixture *f, ffa_id_t vm, const struct map_call *maps,
				size_t n, int32_t err)
{
	for (size_t i = 0; i < n; i++) {
		const struct map_call *c = &maps[i];
		struct smccc_regs r = fx_call(f, vm, c->fid, c->tx, c->rx, c->w3, 0, 0);

		if (r.x[0] != FFA_ERROR_32 || r.x[2] != (uint64_t)(uint32_t)err) {
			fail_msg("map %zu: %s(tx %#llx, rx %#llx, w3 %#llx) from VM %u: x0=%#llx "
				 "x2=%#llx, expected FFA_ERROR %d",
				 i, ffa_func_name(c->fid), (unsigned long long)c->tx,
				 (unsigned long long)c->rx, (unsigned long long)c->w3, vm,
				 (unsigned long long)r.x[0], (unsigned long long)r.x[2], err);
		}
	}
}

/* A v1.2 GUEST1's @n maps in @maps are each INVALID_PARAMETERS and leave nothing mapped. */
static void check_maps_invalid(struct fixture *f, const struct map_call *maps, size_t n)
{
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_maps_refused(f, GUEST1, maps, n, FFA_INVALID_PARAMETERS);
	fx_assert_nothing_mapped(f, GUEST1);
}

/*
 * A v1.2 GUEST1 whose page at @shared_pa is already shared maps the one-page
 * pair TX = VM_IPA, RX = VM_IPA + PAGE with @fid: DENIED, and nothing mapped.
 */
static void check_map_over_shared_page_denied(struct fixture *f, uint64_t shared_pa, uint32_t fid)
{
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_int_equal(
		mem_transition(&f->mem, shared_pa, 1, GUEST1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED),
		FFA_OK);
	assert_ffa_error(fx_call(f, GUEST1, fid, VM_IPA, VM_IPA + PAGE, 1, 0, 0), FFA_DENIED);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
}

/* GUEST1's pages at VM_IPA and VM_IPA + PAGE are in states @first and @second. */
static void assert_first_pages(struct fixture *f, enum mem_page_state first,
			       enum mem_page_state second)
{
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA), GUEST1), first);
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + PAGE), GUEST1), second);
}

/* --- Set-ups for non-default RX/TX sizes --- */

/* 4K granule, buffers of up to 8 pages. */
static int setup_4k_max8(void **state)
{
	*state = fixture_sized(1, 8);
	return 0;
}

/* Every page of each VM's window RAM (the window's edges tested alone), buffers of up to @max pages. */
static struct fixture *fixture_all_ram(uint32_t max)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.rxtx_max_pages = max;
	for (uint32_t i = 0; i < cfg.vm_count; i++) {
		cfg.vms[i].ro_pages = cfg.vms[i].device_pages = 0;
	}
	return fixture_with(&cfg);
}

static int setup_all_ram(void **state)
{
	*state = fixture_all_ram(1);
	return 0;
}

static int setup_all_ram_max8(void **state)
{
	*state = fixture_all_ram(8);
	return 0;
}

/* 16K granule (4 pages), buffers of up to 8 pages. */
static int setup_16k_max8(void **state)
{
	*state = fixture_sized(4, 8);
	return 0;
}

/* --- FFA_RXTX_MAP: success --- */

/* DEN0077A FFA_RXTX_MAP: a valid map succeeds with SUCCESS_32, w1-w7 zero, and records the pair. */
static void test_rxtx_map_64_valid_succeeds(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;
	struct mailbox *mb;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	r = fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 1, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	mb = fx_mailbox(f, GUEST1);
	assert_true(mb->mapped);
	assert_int_equal(mb->tx_pa, fx_vm_pa(GUEST1, VM_IPA));
	assert_int_equal(mb->rx_pa, fx_vm_pa(GUEST1, VM_IPA + PAGE));
	assert_int_equal(mb->page_count, 1);
	assert_int_equal(mb->rx, MAILBOX_RX_FREE);
}

/* DEN0077A FFA_RXTX_MAP: the SMC32 form maps the same pair. */
static void test_rxtx_map_32_valid_succeeds(void **state)
{
	struct fixture *f = *state;
	struct mailbox *mb;

	fx_negotiate(f, GUEST2, FFA_VERSION_1_1);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_MAP_32, VM_IPA + 2 * PAGE, VM_IPA, 1, 0, 0));
	mb = fx_mailbox(f, GUEST2);
	assert_true(mb->mapped);
	assert_int_equal(mb->tx_pa, fx_vm_pa(GUEST2, VM_IPA + 2 * PAGE));
	assert_int_equal(mb->rx_pa, fx_vm_pa(GUEST2, VM_IPA));
	assert_int_equal(mb->page_count, 1);
}

/* DEN0028 §2.6: SMC32 arguments are w-registers; garbage in x1-x3[63:32] is ignored. */
static void test_rxtx_map_32_ignores_upper_halves(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs x = {{0}};
	struct mailbox *mb;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	x.x[1] = 0xDEADBEEF00000000ULL | VM_IPA;
	x.x[2] = 0xFFFFFFFF00000000ULL | (VM_IPA + PAGE);
	x.x[3] = 0x1234567800000000ULL | 1;
	assert_ffa_success(fx_call_regs(f, GUEST1, FFA_RXTX_MAP_32, x));
	mb = fx_mailbox(f, GUEST1);
	assert_true(mb->mapped);
	assert_int_equal(mb->tx_pa, fx_vm_pa(GUEST1, VM_IPA));
	assert_int_equal(mb->rx_pa, fx_vm_pa(GUEST1, VM_IPA + PAGE));
	assert_int_equal(mb->page_count, 1);
}

/* DEN0077A §"RX/TX buffer ownership": mapped pages are MAILBOX; unmap makes them PRIVATE again. */
static void test_rxtx_map_pages_become_mailbox_and_unmap_restores(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_assert_all_pages(f, GUEST1, MEM_PAGE_PRIVATE);
	fx_map_rxtx(f, GUEST1);
	assert_first_pages(f, MEM_PAGE_MAILBOX, MEM_PAGE_MAILBOX);
	for (uint32_t i = 2; i < VM_PAGES; i++) {
		assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + i * PAGE), GUEST1),
				 MEM_PAGE_PRIVATE);
	}
	/* The other VMs are untouched. */
	fx_assert_all_pages(f, GUEST2, MEM_PAGE_PRIVATE);
	fx_assert_all_pages(f, HOST, MEM_PAGE_PRIVATE);

	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	fx_assert_all_pages(f, GUEST1, MEM_PAGE_PRIVATE);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
}

/* DEN0077A FFA_RXTX_MAP/FFA_RXTX_UNMAP: map, unmap, map again works (no stuck state; Xen X8). */
static void test_rxtx_map_unmap_map_cycle(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (int i = 0; i < 3; i++) {
		fx_map_rxtx(f, GUEST1);
		assert_true(fx_mailbox(f, GUEST1)->mapped);
		assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
		assert_false(fx_mailbox(f, GUEST1)->mapped);
	}
	/* A new pair at other addresses, with the SMC32 form. */
	assert_ffa_success(
		fx_call(f, GUEST1, FFA_RXTX_MAP_32, VM_IPA + 8 * PAGE, VM_IPA + 3 * PAGE, 1, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST1)->tx_pa, fx_vm_pa(GUEST1, VM_IPA + 8 * PAGE));
	assert_int_equal(fx_mailbox(f, GUEST1)->rx_pa, fx_vm_pa(GUEST1, VM_IPA + 3 * PAGE));
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA), GUEST1), MEM_PAGE_PRIVATE);
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + 8 * PAGE), GUEST1), MEM_PAGE_MAILBOX);
}

/* DEN0077A FFA_RXTX_MAP: each VM has its own pair; VM 1's map does not make VM 2's DENIED. */
static void test_rxtx_map_per_vm_independent(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	assert_false(fx_mailbox(f, GUEST2)->mapped);
	fx_map_rxtx(f, GUEST2);
	fx_map_rxtx(f, HOST);
	assert_int_equal(fx_mailbox(f, GUEST2)->tx_pa, fx_vm_pa(GUEST2, VM_IPA));
	assert_int_equal(fx_mailbox(f, HOST)->tx_pa, fx_vm_pa(HOST, VM_IPA));
	/* Unmapping VM 1 leaves VM 2's pair mapped (and VM 2 still gets DENIED). */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_true(fx_mailbox(f, GUEST2)->mapped);
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST2, VM_IPA), GUEST2), MEM_PAGE_MAILBOX);
	assert_ffa_error(fx_call(f, GUEST2, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 1, 0, 0),
			 FFA_DENIED);
	/* VM 1 may map again while VM 2 is mapped. */
	fx_map_rxtx(f, GUEST1);
}

/* --- FFA_RXTX_MAP: errors from ACS ffa_rxtx_map_and_unmap --- */

/* ACS ffa_rxtx_map_and_unmap: TX buffer + 0x100 (not 4K aligned) -> INVALID_PARAMETERS. */
static void test_rxtx_map_tx_misaligned_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA + 0x100, VM_IPA + PAGE, 1},
		{FFA_RXTX_MAP_32, VM_IPA + 0x100, VM_IPA + PAGE, 1},
	};

	check_maps_invalid(*state, bad, N(bad));
}

/* ACS ffa_rxtx_map_and_unmap: RX buffer + 0x100 (not 4K aligned) -> INVALID_PARAMETERS. */
static void test_rxtx_map_rx_misaligned_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE + 0x100, 1},
		{FFA_RXTX_MAP_32, VM_IPA, VM_IPA + PAGE + 0x100, 1},
	};

	check_maps_invalid(*state, bad, N(bad));
}

/* ACS ffa_rxtx_map_and_unmap / Xen X8: page count 0 -> INVALID_PARAMETERS, nothing mapped. */
static void test_rxtx_map_count_zero_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 0},
		{FFA_RXTX_MAP_32, VM_IPA, VM_IPA + PAGE, 0},
	};
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_maps_refused(f, GUEST1, bad, N(bad), FFA_INVALID_PARAMETERS);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
	/* Not stuck (Xen X8): a valid map still works. */
	fx_map_rxtx(f, GUEST1);
}

/* ACS ffa_rxtx_map_and_unmap: a second map while mapped -> DENIED, the first pair unchanged. */
static void test_rxtx_map_second_map_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 1, 0, 0),
			 FFA_DENIED);
	assert_ffa_error(
		fx_call(f, GUEST1, FFA_RXTX_MAP_32, VM_IPA + 4 * PAGE, VM_IPA + 5 * PAGE, 1, 0, 0),
		FFA_DENIED);
	assert_int_equal(fx_mailbox(f, GUEST1)->tx_pa, fx_vm_pa(GUEST1, VM_IPA));
	assert_int_equal(fx_mailbox(f, GUEST1)->rx_pa, fx_vm_pa(GUEST1, VM_IPA + PAGE));
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + 4 * PAGE), GUEST1), MEM_PAGE_PRIVATE);
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + 5 * PAGE), GUEST1), MEM_PAGE_PRIVATE);
}

/* rxtx.c header: a map while the VM owns its RX (pair mapped) -> DENIED, RX still the VM's. */
static void test_rxtx_map_while_rx_owned_denied(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	fx_map_rxtx(f, GUEST1);
	fx_deliver_partition_info(f, GUEST1);
	assert_ffa_error(
		fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA + 4 * PAGE, VM_IPA + 5 * PAGE, 1, 0, 0),
		FFA_DENIED);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_CONSUMER);
}

/* Xen X2 (fix 6242d1b745): a count above the maximum (2 > default max 1) -> INVALID_PARAMETERS. */
static void test_rxtx_map_count_above_max_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 2 * PAGE, 2},
		{FFA_RXTX_MAP_32, VM_IPA, VM_IPA + 2 * PAGE, 2},
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 2 * PAGE, 63}, /* the largest encodable count */
	};

	check_maps_invalid(*state, bad, N(bad));
}

/* DEN0077A FFA_RXTX_MAP (OP-TEE GENMASK_64(63,6)): w3 bits[31:6] MBZ -> INVALID_PARAMETERS. */
static void test_rxtx_map_w3_mbz_invalid(void **state)
{
	struct fixture *f = *state;
	static const uint64_t bad_w3[] = {
		1U | (1U << 6), 1U | (1U << 16), 1U | 0x80000000U, 0xFFFFFFC1U,
		0x40U, /* count 0 in [5:0], MBZ bit set */
	};

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	for (size_t i = 0; i < N(bad_w3); i++) {
		const struct map_call both[] = {
			{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, bad_w3[i]},
			{FFA_RXTX_MAP_32, VM_IPA, VM_IPA + PAGE, bad_w3[i]},
		};

		assert_maps_refused(f, GUEST1, both, N(both), FFA_INVALID_PARAMETERS);
	}
	assert_false(fx_mailbox(f, GUEST1)->mapped);
}

/* DEN0077A FFA_RXTX_MAP (OP-TEE GENMASK_64(63,6)): SMC64 x3[63:32] MBZ -> INVALID_PARAMETERS. */
static void test_rxtx_map_64_x3_upper_bits_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, (1ULL << 32) | 1},
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 0x8000000000000001ULL},
	};
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_maps_refused(f, GUEST1, bad, N(bad), FFA_INVALID_PARAMETERS);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
}

/* ACS ffa_rxtx_map_and_unmap: TX == RX overlaps itself -> INVALID_PARAMETERS. */
static void test_rxtx_map_tx_equals_rx_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA, 1},
		{FFA_RXTX_MAP_32, VM_IPA + 3 * PAGE, VM_IPA + 3 * PAGE, 1},
	};

	check_maps_invalid(*state, bad, N(bad));
}

/* rxtx.c header: 4-page TX and RX one page apart overlap -> INVALID_PARAMETERS. */
static void test_rxtx_map_tx_overlaps_rx_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 4},
		{FFA_RXTX_MAP_64, VM_IPA + 3 * PAGE, VM_IPA, 4},
	};
	struct fixture *f = *state;

	check_maps_invalid(f, bad, N(bad));
	/* Adjacent but not overlapping: accepted, all eight pages MAILBOX. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 4 * PAGE, 4, 0, 0));
	for (uint32_t i = 0; i < 8; i++) {
		assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + i * PAGE), GUEST1),
				 MEM_PAGE_MAILBOX);
	}
	assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + 8 * PAGE), GUEST1), MEM_PAGE_PRIVATE);
	assert_int_equal(fx_mailbox(f, GUEST1)->page_count, 4);
}

/* DEN0077A FFA_RXTX_MAP: an address outside the VM's memory -> INVALID_PARAMETERS (below, above, wrap). */
static void test_rxtx_map_outside_ipa_window_invalid(void **state)
{
	const uint64_t end = VM_IPA + VM_PAGES * PAGE;
	const uint64_t near_top = 0xFFFFFFFFFFFFF000ULL;
	const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA - PAGE, VM_IPA, 1}, /* TX below the window */
		{FFA_RXTX_MAP_64, VM_IPA, 0, 1},	     /* RX below the window (address 0) */
		{FFA_RXTX_MAP_64, end, VM_IPA, 1},	     /* TX just above the window */
		{FFA_RXTX_MAP_32, VM_IPA, end, 1},	     /* RX just above the window */
		{FFA_RXTX_MAP_32, 0xFFFFF000U, VM_IPA, 1},   /* far above, within 32 bits */
		/* Near 2^64: an end that would wrap to a small address. */
		{FFA_RXTX_MAP_64, near_top, VM_IPA, 1},
		{FFA_RXTX_MAP_64, VM_IPA, near_top, 1},
		/* The window's address with bit 63 set: no truncation to the low bits. */
		{FFA_RXTX_MAP_64, VM_IPA | (1ULL << 63), VM_IPA + PAGE, 1},
	};
	struct fixture *f = *state;

	check_maps_invalid(f, bad, N(bad));
	/* The last page of the window is inside: accepted. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_64, end - PAGE, VM_IPA, 1, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST1)->tx_pa, fx_vm_pa(GUEST1, end - PAGE));
}

/*
 * rxtx.c (Hafnium's api_vm_configure_pages: R for RX, R+W for TX): a TX
 * page the VM may only read, or a buffer on a device page -> DENIED, and
 * nothing moves; a read-only RX page is accepted.
 */
static void test_rxtx_map_read_only_tx_or_device_denied(void **state)
{
	const uint64_t ro = VM_IPA + VM_RO_PAGE * PAGE, dev = VM_IPA + VM_DEVICE_PAGE * PAGE;
	const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, ro, VM_IPA, 1},  /* TX read-only */
		{FFA_RXTX_MAP_64, dev, VM_IPA, 1}, /* TX on the device */
		{FFA_RXTX_MAP_32, VM_IPA, dev, 1}, /* RX on the device */
	};
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_maps_refused(f, GUEST1, bad, N(bad), FFA_DENIED);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
	fx_assert_all_pages(f, GUEST1, MEM_PAGE_PRIVATE);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, ro, 1, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST1)->rx_pa, fx_vm_pa(GUEST1, ro));
}

/* DEN0077A FFA_RXTX_MAP: an IPA near 2^64 whose PA would wrap onto another VM's pages -> INVALID_PARAMETERS. */
static void test_rxtx_map_ipa_wrap_into_other_vm_invalid(void **state)
{
	static const struct map_call bad[] = {
		/* One page at 2^64 - 1 MiB: PA 0x20100000 would be VM 1's first page. */
		{FFA_RXTX_MAP_64, 0xFFFFFFFFFFF00000ULL, 0, 1},
		/* Two pages at 2^64 - 4K: the end wraps to 4K, in the window if added naively. */
		{FFA_RXTX_MAP_64, 0xFFFFFFFFFFFFF000ULL, 2 * PAGE, 2},
		{FFA_RXTX_MAP_64, 4 * PAGE, 0xFFFFFFFFFFFFE000ULL, 2},
	};
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	(void)state;
	cfg.rxtx_max_pages = 8;
	cfg.vms[GUEST2].ipa_base = 0; /* PA = 0x20200000 + IPA: 2^64 - 1 MiB wraps to VM 1's PA */
	f = fixture_with(&cfg);
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	assert_maps_refused(f, GUEST2, bad, N(bad), FFA_INVALID_PARAMETERS);
	assert_false(fx_mailbox(f, GUEST2)->mapped);
	fx_assert_all_pages(f, GUEST1, MEM_PAGE_PRIVATE);
	for (uint32_t i = 0; i < VM_PAGES; i++) {
		assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST2, VM_IPA + i * PAGE), GUEST2),
				 MEM_PAGE_PRIVATE);
	}
	/* The window itself works: IPA 0 is VM 2's first page. */
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_MAP_64, 0, PAGE, 1, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST2)->tx_pa, fx_vm_pa(GUEST2, VM_IPA));
	fixture_free(f);
}

/* DEN0077A FFA_RXTX_MAP: a buffer straddling the end of the VM's memory -> INVALID_PARAMETERS. */
static void test_rxtx_map_straddles_window_end_invalid(void **state)
{
	const uint64_t end = VM_IPA + VM_PAGES * PAGE;
	const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, end - PAGE, VM_IPA, 2},     /* TX's last page past the end */
		{FFA_RXTX_MAP_64, VM_IPA, end - 4 * PAGE, 8}, /* RX's last four pages past it */
		/* 8 pages at 2^64 - 4 pages: the range wraps around 2^64. */
		{FFA_RXTX_MAP_64, 0xFFFFFFFFFFFFC000ULL, VM_IPA, 8},
	};
	struct fixture *f = *state;

	check_maps_invalid(f, bad, N(bad));
	/* Exactly up to the end: accepted. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_64, end - 2 * PAGE, VM_IPA, 2, 0, 0));
}

/* rxtx.c header (Hafnium api_vm_configure_pages): RX page already shared -> DENIED, TX rolled back. */
static void test_rxtx_map_rx_page_shared_denied_no_partial_state(void **state)
{
	struct fixture *f = *state;

	check_map_over_shared_page_denied(f, fx_vm_pa(GUEST1, VM_IPA + PAGE), FFA_RXTX_MAP_64);
	assert_first_pages(f, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED);
	/* The TX page is usable again: a pair elsewhere with the same TX succeeds. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 2 * PAGE, 1, 0, 0));
	assert_first_pages(f, MEM_PAGE_MAILBOX, MEM_PAGE_SHARED);
}

/* rxtx.c header (Hafnium api_vm_configure_pages): TX page already shared -> DENIED, RX untouched. */
static void test_rxtx_map_tx_page_shared_denied(void **state)
{
	struct fixture *f = *state;

	check_map_over_shared_page_denied(f, fx_vm_pa(GUEST1, VM_IPA), FFA_RXTX_MAP_32);
	assert_first_pages(f, MEM_PAGE_SHARED, MEM_PAGE_PRIVATE);
}

/* rxtx.c header: one shared page in the middle of a 4-page RX -> DENIED, all TX pages PRIVATE. */
static void test_rxtx_map_multipage_partial_shared_rolls_back(void **state)
{
	struct fixture *f = *state;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_int_equal(mem_transition(&f->mem, fx_vm_pa(GUEST1, VM_IPA + 6 * PAGE), 1, GUEST1,
					MEM_PAGE_PRIVATE, MEM_PAGE_LENT),
			 FFA_OK);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 4 * PAGE, 4, 0, 0),
			 FFA_DENIED);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
	for (uint32_t i = 0; i < VM_PAGES; i++) {
		assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + i * PAGE), GUEST1),
				 i == 6 ? MEM_PAGE_LENT : MEM_PAGE_PRIVATE);
	}
}

/* --- FFA_RXTX_MAP with a 16K granule (ACS: count below the granule) --- */

/* ACS ffa_rxtx_map_and_unmap: count 1 with a 16K minimum -> INVALID_PARAMETERS. */
static void test_rxtx_map_16k_count_below_granule_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 4 * PAGE, 1},
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 4 * PAGE, 2},
		/* Not a multiple of the granule (ffa-facts.md §2). */
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 8 * PAGE, 6},
		/* Above the maximum of 8. */
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 8 * PAGE, 12},
	};

	check_maps_invalid(*state, bad, N(bad));
}

/* ffa-facts.md §2: an address 4K- but not 16K-aligned with a 16K minimum -> INVALID_PARAMETERS. */
static void test_rxtx_map_16k_misaligned_invalid(void **state)
{
	static const struct map_call bad[] = {
		{FFA_RXTX_MAP_64, VM_IPA + PAGE, VM_IPA + 8 * PAGE, 4},
		{FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 6 * PAGE, 4},
		{FFA_RXTX_MAP_32, VM_IPA + 2 * PAGE, VM_IPA + 8 * PAGE, 4},
	};

	check_maps_invalid(*state, bad, N(bad));
}

/* ffa-facts.md §2: a 16K-aligned pair of 4 pages with a 16K minimum -> SUCCESS. */
static void test_rxtx_map_16k_aligned_count4_succeeds(void **state)
{
	struct fixture *f = *state;
	struct mailbox *mb;

	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 4 * PAGE, 4, 0, 0));
	mb = fx_mailbox(f, GUEST1);
	assert_true(mb->mapped);
	assert_int_equal(mb->page_count, 4);
	assert_int_equal(mb->tx_pa, fx_vm_pa(GUEST1, VM_IPA));
	assert_int_equal(mb->rx_pa, fx_vm_pa(GUEST1, VM_IPA + 4 * PAGE));
	for (uint32_t i = 0; i < VM_PAGES; i++) {
		assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST1, VM_IPA + i * PAGE), GUEST1),
				 i < 8 ? MEM_PAGE_MAILBOX : MEM_PAGE_PRIVATE);
	}
	/* 8 pages (the maximum) at the other VM. */
	fx_negotiate(f, GUEST2, FFA_VERSION_1_2);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_MAP_32, VM_IPA + 8 * PAGE, VM_IPA, 8, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST2)->page_count, 8);
	for (uint32_t i = 0; i < VM_PAGES; i++) { /* its 16 pages of RAM, not the two after */
		assert_int_equal(fx_page_state(f, fx_vm_pa(GUEST2, VM_IPA + i * PAGE), GUEST2),
				 i < VM_RO_PAGE ? MEM_PAGE_MAILBOX : MEM_PAGE_PRIVATE);
	}
	/* Unmap releases all four pages of each buffer. */
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	fx_assert_all_pages(f, GUEST1, MEM_PAGE_PRIVATE);
}

/* SMCCC (no SMC64 from AArch32) (dispatch.c guard 3): an AArch32 VM's FFA_RXTX_MAP_64 -> NOT_SUPPORTED. */
static void test_rxtx_map_64_from_aarch32_not_supported(void **state)
{
	struct fixture *f = fixture_aarch32(GUEST1);

	(void)state;
	fx_negotiate(f, GUEST1, FFA_VERSION_1_2);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + PAGE, 1, 0, 0),
			 FFA_NOT_SUPPORTED);
	assert_false(fx_mailbox(f, GUEST1)->mapped);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_MAP_32, VM_IPA, VM_IPA + PAGE, 1, 0, 0));
	assert_true(fx_mailbox(f, GUEST1)->mapped);
	fixture_free(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
#define T_4K8(name) cmocka_unit_test_setup_teardown(name, setup_4k_max8, fixture_teardown)
#define T_16K(name) cmocka_unit_test_setup_teardown(name, setup_16k_max8, fixture_teardown)
#define T_RAM(name) cmocka_unit_test_setup_teardown(name, setup_all_ram, fixture_teardown)
#define T_RAM8(name) cmocka_unit_test_setup_teardown(name, setup_all_ram_max8, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_rxtx_map_64_valid_succeeds),
		T(test_rxtx_map_32_valid_succeeds),
		T(test_rxtx_map_32_ignores_upper_halves),
		T(test_rxtx_map_pages_become_mailbox_and_unmap_restores),
		T(test_rxtx_map_unmap_map_cycle),
		T(test_rxtx_map_per_vm_independent),
		T(test_rxtx_map_tx_misaligned_invalid),
		T(test_rxtx_map_rx_misaligned_invalid),
		T(test_rxtx_map_count_zero_invalid),
		T(test_rxtx_map_second_map_denied),
		T(test_rxtx_map_while_rx_owned_denied),
		T(test_rxtx_map_count_above_max_invalid),
		T(test_rxtx_map_w3_mbz_invalid),
		T(test_rxtx_map_64_x3_upper_bits_invalid),
		T(test_rxtx_map_tx_equals_rx_invalid),
		T_4K8(test_rxtx_map_tx_overlaps_rx_invalid),
		T_RAM(test_rxtx_map_outside_ipa_window_invalid),
		T(test_rxtx_map_read_only_tx_or_device_denied),
		T_RAM8(test_rxtx_map_straddles_window_end_invalid),
		cmocka_unit_test(test_rxtx_map_ipa_wrap_into_other_vm_invalid),
		T(test_rxtx_map_rx_page_shared_denied_no_partial_state),
		T(test_rxtx_map_tx_page_shared_denied),
		T_4K8(test_rxtx_map_multipage_partial_shared_rolls_back),
		T_16K(test_rxtx_map_16k_count_below_granule_invalid),
		T_16K(test_rxtx_map_16k_misaligned_invalid),
		T_16K(test_rxtx_map_16k_aligned_count4_succeeds),
		cmocka_unit_test(test_rxtx_map_64_from_aarch32_not_supported),
	};
#undef T
#undef T_4K8
#undef T_16K

	return cmocka_run_group_tests_name("rxtx", tests, NULL, NULL);
}
