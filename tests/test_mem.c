/*
 * The memory model (mediator/mem.h: mem_init, mem_reset, mem_assign, mem_translate,
 * mem_transition, mem_map, mem_ranges_overlap) and the RX buffer ownership
 * state machine (mediator/mailbox.h, DEN0077A v1.2 §"RX/TX buffer
 * ownership"). The legal transitions and every error each function
 * documents; mailbox_rx_deliver/abandon are only called where legal (they
 * CHECK() and abort otherwise, by design).
 */
#include "fixture.h"

#include <stdlib.h>

#define PA_BASE 0x10000000ULL
#define PAGES 16U
#define PG MEM_PAGE_SIZE
#define OWNER_A 1U
#define OWNER_B 2U

/* A fresh 16-page memory at PA_BASE, every page unowned. */
static int mem_setup(void **state)
{
	struct mem *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	assert_int_equal(mem_init(m, PA_BASE, PAGES), FFA_OK);
	*state = m;
	return 0;
}

static int mem_teardown(void **state)
{
	mem_fini(*state);
	free(*state);
	return 0;
}

static void assert_page(const struct mem *m, uint32_t i, uint32_t owner, enum mem_page_state st)
{
	assert_int_equal(m->pages[i].owner, owner);
	assert_int_equal(m->pages[i].state, st);
}

/* --- mem_init --- */

/* mem.h mem_init(): zeroed, unowned, private pages at the base asked for. */
static void test_mem_init_pages_unowned_and_zeroed(void **state)
{
	struct mem *m = *state;

	assert_int_equal(m->pa_base, PA_BASE);
	assert_int_equal(m->page_count, PAGES);
	for (uint32_t i = 0; i < PAGES; i++) {
		assert_page(m, i, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
	}
	for (size_t i = 0; i < (size_t)PAGES * PG; i++) {
		if (m->ram[i] != 0) {
			fail_msg("ram[%zu] = %#x, expected 0", i, m->ram[i]);
		}
	}
}

/* mem.h mem_reset(): every page zeroed, private and unowned again, the RAM not moved. */
static void test_mem_reset_restores_init_state_in_place(void **state)
{
	struct mem *m = *state;
	uint8_t *ram = m->ram, *p;

	assert_int_equal(mem_assign(m, PA_BASE + PG, 2, OWNER_A), FFA_OK);
	assert_int_equal(mem_transition(m, PA_BASE + PG, 1, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	p = mem_map(m, PA_BASE + PG, 1, OWNER_A, MEM_PAGE_MAILBOX);
	assert_non_null(p);
	p[7] = 0x5A;
	mem_zero(m, PA_BASE + 3 * PG, 1);
	m->ram[3 * PG + 9] = 0x5B; /* after mem_zero(), which marked the page */
	mem_reset(m);
	assert_ptr_equal(m->ram, ram);
	assert_int_equal(m->ram[PG + 7], 0);
	assert_int_equal(m->ram[3 * PG + 9], 0);
	for (uint32_t i = 0; i < PAGES; i++) {
		assert_false(mem_page_dirty(m, i));
	}
	assert_page(m, 1, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
	assert_page(m, 2, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
}

/* mem.h mem_touch(): every page a byte range covers, clipped to memory, even at 2^64. */
static void test_mem_touch_marks_covered_pages(void **state)
{
	struct mem *m = *state;

	mem_touch(m, PA_BASE + 2 * PG - 1, 2); /* the last byte of page 1, the first of page 2 */
	assert_false(mem_page_dirty(m, 0));
	assert_true(mem_page_dirty(m, 1));
	assert_true(mem_page_dirty(m, 2));
	assert_false(mem_page_dirty(m, 3));
	mem_touch(m, PA_BASE - 1, 1);                     /* just below: nothing */
	mem_touch(m, PA_BASE + PAGES * PG, 1);            /* just above: nothing */
	mem_touch(m, PA_BASE + 4 * PG, 0);                /* empty: nothing */
	assert_false(mem_page_dirty(m, 0));
	assert_false(mem_page_dirty(m, 4));
	mem_touch(m, PA_BASE - 8, 16);                    /* straddles the start: page 0 */
	assert_true(mem_page_dirty(m, 0));
	mem_touch(m, UINT64_MAX - 4, 100);                /* wraps 2^64: clipped, no page */
	mem_touch(m, PA_BASE + (PAGES - 1) * PG, UINT64_MAX); /* to the end: the last page */
	assert_true(mem_page_dirty(m, PAGES - 1));
	assert_false(mem_page_dirty(m, PAGES));           /* outside: never dirty */
	assert_false(mem_page_dirty(m, 4));
}

/* mem.h mem_init(): a bad size or alignment, or a range wrapping 2^64, is INVALID_PARAMETERS. */
static void test_mem_init_rejects_bad_size_and_alignment(void **state)
{
	struct mem m;

	(void)state;
	assert_int_equal(mem_init(&m, PA_BASE, 0), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_init(&m, PA_BASE + 0x800, 1), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_init(&m, 0xFFFFFFFFFFFFF000ULL, 2), FFA_INVALID_PARAMETERS);
	assert_null(m.ram);
	assert_null(m.pages);
}

/* --- mem_assign --- */

/* mem.h mem_assign(): unowned pages become @owner's, private; the rest untouched. */
static void test_mem_assign_gives_unowned_pages(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE + 2 * PG, 3, OWNER_A), FFA_OK);
	assert_page(m, 1, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
	assert_page(m, 2, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 4, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 5, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
	assert_int_equal(mem_assign(m, PA_BASE + 15 * PG, 1, MEM_OWNER_HYP), FFA_OK);
	assert_page(m, 15, MEM_OWNER_HYP, MEM_PAGE_PRIVATE);
}

/* mem.h mem_assign(): a page that already has an owner is DENIED, and nothing changes. */
static void test_mem_assign_already_owned_denied(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE + 3 * PG, 1, OWNER_B), FFA_OK);
	assert_int_equal(mem_assign(m, PA_BASE, 4, OWNER_A), FFA_DENIED);
	for (uint32_t i = 0; i < 3; i++) {
		assert_page(m, i, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
	}
	assert_page(m, 3, OWNER_B, MEM_PAGE_PRIVATE);
	/* The same owner again is also refused: assign is for unowned pages only. */
	assert_int_equal(mem_assign(m, PA_BASE + 3 * PG, 1, OWNER_B), FFA_DENIED);
}

/* mem.h mem_assign(): outside memory, misaligned or zero pages is INVALID_PARAMETERS. */
static void test_mem_assign_out_of_range_invalid(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE - PG, 1, OWNER_A), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_assign(m, PA_BASE + PAGES * PG, 1, OWNER_A), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_assign(m, PA_BASE + 15 * PG, 2, OWNER_A), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_assign(m, PA_BASE + 0x10, 1, OWNER_A), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_assign(m, PA_BASE, 0, OWNER_A), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_assign(m, PA_BASE, UINT32_MAX, OWNER_A), FFA_INVALID_PARAMETERS);
	for (uint32_t i = 0; i < PAGES; i++) {
		assert_page(m, i, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
	}
}

/* --- mem_translate --- */

static const struct mem_window window = {
	.owner = OWNER_A,
	.ipa_base = 0x80000000ULL,
	.pa_base = PA_BASE + 4 * PG,
	.page_count = 8,
};

/* mem.h mem_translate(): an IPA inside the window maps to pa_base + offset. */
static void test_mem_translate_inside_window(void **state)
{
	uint64_t pa = 0;

	(void)state;
	assert_int_equal(mem_translate(&window, 0x80000000ULL, 8, &pa), FFA_OK);
	assert_int_equal(pa, PA_BASE + 4 * PG);
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 7 * PG, 1, &pa), FFA_OK);
	assert_int_equal(pa, PA_BASE + 11 * PG);
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 3 * PG, 2, &pa), FFA_OK);
	assert_int_equal(pa, PA_BASE + 7 * PG);
}

/* mem.h mem_translate(): zero pages is INVALID_PARAMETERS. */
static void test_mem_translate_zero_pages_invalid(void **state)
{
	uint64_t pa = 0x1234;

	(void)state;
	assert_int_equal(mem_translate(&window, 0x80000000ULL, 0, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(pa, 0x1234);
}

/* mem.h mem_translate(): below the window's base is INVALID_PARAMETERS. */
static void test_mem_translate_below_base_invalid(void **state)
{
	uint64_t pa = 0x1234;

	(void)state;
	assert_int_equal(mem_translate(&window, 0x80000000ULL - PG, 1, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0x80000000ULL - PG, 2, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0, 1, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(pa, 0x1234);
}

/* mem.h mem_translate(): starting at or past the end is INVALID_PARAMETERS. */
static void test_mem_translate_past_end_invalid(void **state)
{
	uint64_t pa = 0x1234;

	(void)state;
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 8 * PG, 1, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 100 * PG, 1, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0x80000000ULL, 9, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0x80000000ULL, UINT32_MAX, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(pa, 0x1234);
}

/* mem.h mem_translate(): "any byte of the range outside the window": straddling the end. */
static void test_mem_translate_straddling_end_invalid(void **state)
{
	uint64_t pa = 0x1234;

	(void)state;
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 7 * PG, 2, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 7 * PG + 0x800, 1, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0x80000000ULL + 1, 8, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(pa, 0x1234);
}

/* mem.h mem_translate(): "overflow included": an IPA near UINT64_MAX never wraps into the window. */
static void test_mem_translate_ipa_near_uint64_max_invalid(void **state)
{
	const struct mem_window top = {
		.owner = OWNER_A,
		.ipa_base = 0xFFFFFFFFFFFF8000ULL, /* the last 8 pages of the address space */
		.pa_base = PA_BASE,
		.page_count = 8,
	};
	uint64_t pa = 0x1234;

	(void)state;
	assert_int_equal(mem_translate(&window, 0xFFFFFFFFFFFFF000ULL, 1, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, UINT64_MAX, 1, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&window, 0xFFFFFFFFFFFFF000ULL, UINT32_MAX, &pa),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(pa, 0x1234);
	/* A window ending exactly at 2^64: its last page is fine, one more is not. */
	assert_int_equal(mem_translate(&top, 0xFFFFFFFFFFFFF000ULL, 1, &pa), FFA_OK);
	assert_int_equal(pa, PA_BASE + 7 * PG);
	assert_int_equal(mem_translate(&top, 0xFFFFFFFFFFFFF000ULL, 2, &pa), FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_translate(&top, 0xFFFFFFFFFFFF8000ULL, 9, &pa), FFA_INVALID_PARAMETERS);
}

/* --- mem_transition --- */

/* mem.h mem_transition(): every page of the range moves from @from to @to. */
static void test_mem_transition_moves_every_page(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE, 4, OWNER_A), FFA_OK);
	assert_int_equal(mem_transition(m, PA_BASE + PG, 2, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	assert_page(m, 0, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 1, OWNER_A, MEM_PAGE_MAILBOX);
	assert_page(m, 2, OWNER_A, MEM_PAGE_MAILBOX);
	assert_page(m, 3, OWNER_A, MEM_PAGE_PRIVATE);
	assert_int_equal(mem_transition(m, PA_BASE + PG, 2, OWNER_A, MEM_PAGE_MAILBOX,
					MEM_PAGE_PRIVATE),
			 FFA_OK);
	assert_page(m, 1, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 2, OWNER_A, MEM_PAGE_PRIVATE);
}

/* mem.h mem_transition(): "all or nothing": one page with another owner mid-range, DENIED. */
static void test_mem_transition_other_owner_mid_range_denied(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE, 2, OWNER_A), FFA_OK);
	assert_int_equal(mem_assign(m, PA_BASE + 2 * PG, 1, OWNER_B), FFA_OK);
	assert_int_equal(mem_assign(m, PA_BASE + 3 * PG, 2, OWNER_A), FFA_OK);
	assert_int_equal(mem_transition(m, PA_BASE, 5, OWNER_A, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED),
			 FFA_DENIED);
	assert_page(m, 0, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 1, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 2, OWNER_B, MEM_PAGE_PRIVATE);
	assert_page(m, 3, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 4, OWNER_A, MEM_PAGE_PRIVATE);
}

/* mem.h mem_transition(): "all or nothing": one page in another state mid-range, DENIED. */
static void test_mem_transition_other_state_mid_range_denied(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE, 5, OWNER_A), FFA_OK);
	assert_int_equal(mem_transition(m, PA_BASE + 2 * PG, 1, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_LENT),
			 FFA_OK);
	assert_int_equal(mem_transition(m, PA_BASE, 5, OWNER_A, MEM_PAGE_PRIVATE, MEM_PAGE_MAILBOX),
			 FFA_DENIED);
	assert_page(m, 0, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 1, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 2, OWNER_A, MEM_PAGE_LENT);
	assert_page(m, 3, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 4, OWNER_A, MEM_PAGE_PRIVATE);
	/* Unowned pages are nobody's: DENIED for any named owner. */
	assert_int_equal(mem_transition(m, PA_BASE + 8 * PG, 1, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_DENIED);
	assert_page(m, 8, MEM_OWNER_NONE, MEM_PAGE_PRIVATE);
}

/* mem.h mem_transition(): outside memory, misaligned or zero pages is INVALID_PARAMETERS. */
static void test_mem_transition_out_of_range_invalid(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE, PAGES, OWNER_A), FFA_OK);
	assert_int_equal(mem_transition(m, PA_BASE, 0, OWNER_A, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_transition(m, PA_BASE + 15 * PG, 2, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_SHARED),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_transition(m, PA_BASE - PG, 1, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_SHARED),
			 FFA_INVALID_PARAMETERS);
	assert_int_equal(mem_transition(m, PA_BASE + 0x100, 1, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_SHARED),
			 FFA_INVALID_PARAMETERS);
	assert_page(m, 15, OWNER_A, MEM_PAGE_PRIVATE);
	assert_page(m, 0, OWNER_A, MEM_PAGE_PRIVATE);
}

/* --- mem_map --- */

/* mem.h mem_map(): the host pointer of page n is ram + n pages. */
static void test_mem_map_returns_page_offset(void **state)
{
	struct mem *m = *state;
	uint8_t *p;

	assert_int_equal(mem_assign(m, PA_BASE + 3 * PG, 2, OWNER_A), FFA_OK);
	p = mem_map(m, PA_BASE + 3 * PG, 2, OWNER_A, MEM_PAGE_PRIVATE);
	assert_ptr_equal(p, m->ram + 3 * PG);
	assert_ptr_equal(mem_map(m, PA_BASE + 4 * PG, 1, OWNER_A, MEM_PAGE_PRIVATE),
			 m->ram + 4 * PG);
	/* Writes land in the page itself. */
	p[PG] = 0x5A;
	assert_int_equal(m->ram[4 * PG], 0x5A);
}

/* mem.h mem_map(): a page of another owner or in another state gives NULL. */
static void test_mem_map_wrong_owner_or_state_null(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE, 2, OWNER_A), FFA_OK);
	assert_int_equal(mem_assign(m, PA_BASE + 2 * PG, 1, OWNER_B), FFA_OK);
	assert_null(mem_map(m, PA_BASE, 1, OWNER_B, MEM_PAGE_PRIVATE));
	assert_null(mem_map(m, PA_BASE, 1, OWNER_A, MEM_PAGE_MAILBOX));
	assert_null(mem_map(m, PA_BASE, 3, OWNER_A, MEM_PAGE_PRIVATE)); /* page 2 is B's */
	assert_null(mem_map(m, PA_BASE + 5 * PG, 1, OWNER_A, MEM_PAGE_PRIVATE)); /* unowned */
	assert_int_equal(mem_transition(m, PA_BASE + PG, 1, OWNER_A, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	assert_null(mem_map(m, PA_BASE, 2, OWNER_A, MEM_PAGE_PRIVATE));
	assert_ptr_equal(mem_map(m, PA_BASE + PG, 1, OWNER_A, MEM_PAGE_MAILBOX), m->ram + PG);
}

/* mem.h mem_map(): outside memory, misaligned or zero pages gives NULL. */
static void test_mem_map_out_of_range_null(void **state)
{
	struct mem *m = *state;

	assert_int_equal(mem_assign(m, PA_BASE, PAGES, OWNER_A), FFA_OK);
	assert_null(mem_map(m, PA_BASE + 15 * PG, 2, OWNER_A, MEM_PAGE_PRIVATE));
	assert_null(mem_map(m, PA_BASE + PAGES * PG, 1, OWNER_A, MEM_PAGE_PRIVATE));
	assert_null(mem_map(m, PA_BASE - PG, 1, OWNER_A, MEM_PAGE_PRIVATE));
	assert_null(mem_map(m, PA_BASE + 8, 1, OWNER_A, MEM_PAGE_PRIVATE));
	assert_null(mem_map(m, PA_BASE, 0, OWNER_A, MEM_PAGE_PRIVATE));
	assert_ptr_equal(mem_map(m, PA_BASE, PAGES, OWNER_A, MEM_PAGE_PRIVATE), m->ram);
}

/* --- mem_ranges_overlap --- */

/* mem.h mem_ranges_overlap(): half-open ranges that touch do not overlap. */
static void test_mem_ranges_overlap_adjacent_false(void **state)
{
	(void)state;
	assert_false(mem_ranges_overlap(0x1000, 0x1000, 0x2000, 0x1000));
	assert_false(mem_ranges_overlap(0x2000, 0x1000, 0x1000, 0x1000));
	assert_false(mem_ranges_overlap(0, 1, 1, 1));
	assert_true(mem_ranges_overlap(0x1000, 0x1001, 0x2000, 0x1000));
	assert_true(mem_ranges_overlap(0x2000, 0x1000, 0x1000, 0x1001));
}

/* mem.h mem_ranges_overlap(): one range inside the other, either order. */
static void test_mem_ranges_overlap_nested_true(void **state)
{
	(void)state;
	assert_true(mem_ranges_overlap(0x1000, 0x10000, 0x4000, 0x1000));
	assert_true(mem_ranges_overlap(0x4000, 0x1000, 0x1000, 0x10000));
	assert_true(mem_ranges_overlap(0, UINT64_MAX, 0x4000, 1));
}

/* mem.h mem_ranges_overlap(): a range overlaps itself. */
static void test_mem_ranges_overlap_identical_true(void **state)
{
	(void)state;
	assert_true(mem_ranges_overlap(0x3000, 0x1000, 0x3000, 0x1000));
	assert_true(mem_ranges_overlap(0, 1, 0, 1));
}

/* mem.h mem_ranges_overlap(): an empty range overlaps nothing, even inside another. */
static void test_mem_ranges_overlap_zero_length_false(void **state)
{
	(void)state;
	assert_false(mem_ranges_overlap(0x3000, 0, 0x1000, 0x10000));
	assert_false(mem_ranges_overlap(0x1000, 0x10000, 0x3000, 0));
	assert_false(mem_ranges_overlap(0x3000, 0, 0x3000, 0));
	assert_false(mem_ranges_overlap(0x3000, 0, 0x3000, 0x1000));
}

/* mem.h mem_ranges_overlap() "(no overflow)": ranges ending exactly at 2^64. */
static void test_mem_ranges_overlap_ending_at_2_64(void **state)
{
	(void)state;
	/* [2^64 - 4K, 2^64) and its last byte. */
	assert_true(mem_ranges_overlap(0xFFFFFFFFFFFFF000ULL, 0x1000, UINT64_MAX, 1));
	assert_true(mem_ranges_overlap(UINT64_MAX, 1, 0xFFFFFFFFFFFFF000ULL, 0x1000));
	/* The two last pages of the address space, side by side. */
	assert_false(mem_ranges_overlap(0xFFFFFFFFFFFFE000ULL, 0x1000, 0xFFFFFFFFFFFFF000ULL,
					0x1000));
	assert_false(mem_ranges_overlap(0xFFFFFFFFFFFFF000ULL, 0x1000, 0xFFFFFFFFFFFFE000ULL,
					0x1000));
	/* [0, 2^64 - 1) and the last byte are adjacent. */
	assert_false(mem_ranges_overlap(0, UINT64_MAX, UINT64_MAX, 1));
	assert_false(mem_ranges_overlap(UINT64_MAX, 1, 0, UINT64_MAX));
	/* A range at the top and one at the bottom do not meet by wrapping. */
	assert_false(mem_ranges_overlap(0xFFFFFFFFFFFFF000ULL, 0x1000, 0, 0x1000));
	assert_false(mem_ranges_overlap(0, 0x1000, 0xFFFFFFFFFFFFF000ULL, 0x1000));
}

/* --- The RX ownership state machine --- */

/* mailbox.h: FREE --acquire--> PRODUCER --deliver--> CONSUMER --release--> FREE. */
static void test_mailbox_rx_produce_deliver_release(void **state)
{
	struct mailbox mb = {.mapped = true, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_OK);
	assert_int_equal(mb.rx, MAILBOX_RX_PRODUCER);
	mailbox_rx_deliver(&mb);
	assert_int_equal(mb.rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(mailbox_rx_release(&mb), FFA_OK);
	assert_int_equal(mb.rx, MAILBOX_RX_FREE);
	assert_true(mb.mapped);
}

/* mailbox.h: PRODUCER --abandon--> FREE. */
static void test_mailbox_rx_abandon_frees(void **state)
{
	struct mailbox mb = {.mapped = true, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_OK);
	mailbox_rx_abandon(&mb);
	assert_int_equal(mb.rx, MAILBOX_RX_FREE);
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_OK);
	assert_int_equal(mb.rx, MAILBOX_RX_PRODUCER);
}

/* mailbox.h: FREE --take (FFA_RX_ACQUIRE)--> CONSUMER --release--> FREE. */
static void test_mailbox_rx_take_then_release(void **state)
{
	struct mailbox mb = {.mapped = true, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_take(&mb), FFA_OK);
	assert_int_equal(mb.rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(mailbox_rx_release(&mb), FFA_OK);
	assert_int_equal(mb.rx, MAILBOX_RX_FREE);
}

/* mailbox.h mailbox_rx_acquire(): BUSY when the pair is not mapped. */
static void test_mailbox_rx_acquire_unmapped_busy(void **state)
{
	struct mailbox mb = {.mapped = false, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_BUSY);
	assert_int_equal(mb.rx, MAILBOX_RX_FREE);
}

/* mailbox.h mailbox_rx_acquire(): BUSY when RX is not free (producer or consumer holds it). */
static void test_mailbox_rx_acquire_not_free_busy(void **state)
{
	struct mailbox mb = {.mapped = true, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_OK);
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_BUSY);
	assert_int_equal(mb.rx, MAILBOX_RX_PRODUCER);
	mailbox_rx_deliver(&mb);
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_BUSY);
	assert_int_equal(mb.rx, MAILBOX_RX_CONSUMER);
}

/* mailbox.h mailbox_rx_take(): DENIED if not mapped, BUSY if RX is not free. */
static void test_mailbox_rx_take_errors(void **state)
{
	struct mailbox unmapped = {.mapped = false, .rx = MAILBOX_RX_FREE};
	struct mailbox mb = {.mapped = true, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_take(&unmapped), FFA_DENIED);
	assert_int_equal(unmapped.rx, MAILBOX_RX_FREE);
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_OK);
	assert_int_equal(mailbox_rx_take(&mb), FFA_BUSY);
	assert_int_equal(mb.rx, MAILBOX_RX_PRODUCER);
	mailbox_rx_deliver(&mb);
	assert_int_equal(mailbox_rx_take(&mb), FFA_BUSY);
	assert_int_equal(mb.rx, MAILBOX_RX_CONSUMER);
}

/* mailbox.h mailbox_rx_release(): DENIED unless mapped and held by the consumer. */
static void test_mailbox_rx_release_not_consumer_denied(void **state)
{
	struct mailbox unmapped = {.mapped = false, .rx = MAILBOX_RX_CONSUMER};
	struct mailbox mb = {.mapped = true, .rx = MAILBOX_RX_FREE};

	(void)state;
	assert_int_equal(mailbox_rx_release(&unmapped), FFA_DENIED);
	assert_int_equal(unmapped.rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(mailbox_rx_release(&mb), FFA_DENIED);
	assert_int_equal(mb.rx, MAILBOX_RX_FREE);
	assert_int_equal(mailbox_rx_acquire(&mb), FFA_OK);
	assert_int_equal(mailbox_rx_release(&mb), FFA_DENIED);
	assert_int_equal(mb.rx, MAILBOX_RX_PRODUCER);
	mailbox_rx_deliver(&mb);
	assert_int_equal(mailbox_rx_release(&mb), FFA_OK);
	assert_int_equal(mailbox_rx_release(&mb), FFA_DENIED);
	assert_int_equal(mb.rx, MAILBOX_RX_FREE);
}

#define MEM_TEST(fn) cmocka_unit_test_setup_teardown(fn, mem_setup, mem_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		MEM_TEST(test_mem_init_pages_unowned_and_zeroed),
		cmocka_unit_test(test_mem_init_rejects_bad_size_and_alignment),
		MEM_TEST(test_mem_reset_restores_init_state_in_place),
		MEM_TEST(test_mem_touch_marks_covered_pages),
		MEM_TEST(test_mem_assign_gives_unowned_pages),
		MEM_TEST(test_mem_assign_already_owned_denied),
		MEM_TEST(test_mem_assign_out_of_range_invalid),
		cmocka_unit_test(test_mem_translate_inside_window),
		cmocka_unit_test(test_mem_translate_zero_pages_invalid),
		cmocka_unit_test(test_mem_translate_below_base_invalid),
		cmocka_unit_test(test_mem_translate_past_end_invalid),
		cmocka_unit_test(test_mem_translate_straddling_end_invalid),
		cmocka_unit_test(test_mem_translate_ipa_near_uint64_max_invalid),
		MEM_TEST(test_mem_transition_moves_every_page),
		MEM_TEST(test_mem_transition_other_owner_mid_range_denied),
		MEM_TEST(test_mem_transition_other_state_mid_range_denied),
		MEM_TEST(test_mem_transition_out_of_range_invalid),
		MEM_TEST(test_mem_map_returns_page_offset),
		MEM_TEST(test_mem_map_wrong_owner_or_state_null),
		MEM_TEST(test_mem_map_out_of_range_null),
		cmocka_unit_test(test_mem_ranges_overlap_adjacent_false),
		cmocka_unit_test(test_mem_ranges_overlap_nested_true),
		cmocka_unit_test(test_mem_ranges_overlap_identical_true),
		cmocka_unit_test(test_mem_ranges_overlap_zero_length_false),
		cmocka_unit_test(test_mem_ranges_overlap_ending_at_2_64),
		cmocka_unit_test(test_mailbox_rx_produce_deliver_release),
		cmocka_unit_test(test_mailbox_rx_abandon_frees),
		cmocka_unit_test(test_mailbox_rx_take_then_release),
		cmocka_unit_test(test_mailbox_rx_acquire_unmapped_busy),
		cmocka_unit_test(test_mailbox_rx_acquire_not_free_busy),
		cmocka_unit_test(test_mailbox_rx_take_errors),
		cmocka_unit_test(test_mailbox_rx_release_not_consumer_denied),
	};

	return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
