/*
 * The composite and constituent descriptors of ffa/mem_desc.h's parser
 * (DEN0077A "Composite memory region descriptor", "Constituent memory
 * region descriptor"; ffa-facts.md §3.4): offsets that wrap or overlap
 * (pKVM P5, P8), alignment (pKVM P9, Xen X18), the page-count sum, and
 * NO_MEMORY for what is well formed but too big. Each corruption starts
 * from a descriptor the parser accepts and changes one field.
 */
#include "mem_desc_fx.h"

/* --- The composite descriptor --- */

/* mem_desc.h: a send's receivers name a composite (offset 0 only in a retrieve). */
static void test_mem_desc_parse_rejects_composite_offset_0_in_send(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t len = build(v, &t);

		set_comp(v, t.receiver_count, 0);
		assert_invalid(v, len);
		reject_word(v, &t, emad(v, 0) + 4, 0);
	}
}

/* pKVM P5: a composite offset near 0xFFFFFFFF must not wrap past the bound check. */
static void test_mem_desc_parse_rejects_composite_offset_overflow(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t bad[] = {0xFFFFFFF8U, 0xFFFFFFF0U, 0xFFFFFFE8U, 0x80000000U};

	(void)state;
	FOR_EACH_VERSION(v) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uint32_t len = build(v, &t);

			set_comp(v, t.receiver_count, bad[i]);
			assert_invalid(v, len);
		}
	}
}

/* mem_desc.h: the composite 8-byte aligned (after a gap of 8 it is accepted). */
static void test_mem_desc_parse_rejects_unaligned_composite(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t gaps[] = {1, 4, 12};

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t len = gap_before_composite(v, build(v, &t), t.receiver_count, 8);

		assert_int_equal(parse(v, len), FFA_OK);
		assert_txn_equal(&g_out, &t);
		for (unsigned i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
			len = gap_before_composite(v, build(v, &t), t.receiver_count, gaps[i]);
			assert_invalid(v, len);
		}
	}
}

/* mem_desc.h: the composite after the access descriptors, not over the header or an EMAD. */
static void test_mem_desc_parse_rejects_composite_overlapping_descriptors(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t comp = emad(v, t.receiver_count);
		const uint32_t bad[] = {8, 16, 24, hdr(v), emad(v, 1), comp - 16, comp - 8};

		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uint32_t len = build(v, &t);

			set_comp(v, t.receiver_count, bad[i]);
			assert_invalid(v, len);
		}
	}
	/* v1.1+ (Hafnium: offset < header + EMADs): a valid composite in a gap before the EMADs. */
	FOR_V1_1_UP(v) {
		uint32_t n = t.receiver_count, len = build(v, &t), size = len - emad(v, n);

		len = gap_before_emads(v, len, n, size);
		memcpy(g_buf + 48, g_buf + emad(v, n) + size, size);
		assert_int_equal(parse(v, len), FFA_OK); /* still naming the one after the EMADs */
		for (uint32_t i = 0; i < n; i++) {
			wr32(g_buf + emad(v, i) + size + 4, 48);
		}
		assert_invalid(v, len);
	}
	/* v1.2: a valid composite whose header is the last EMAD's IMPDEF value. */
	{
		const uint32_t v = FFA_VERSION_1_2, last = emad(v, t.receiver_count - 1);

		build(v, &t);
		wr32(g_buf + last + 8, 1);	      /* page_count */
		wr32(g_buf + last + 12, 1);	      /* constituent_count */
		memset(g_buf + last + 16, 0, 16 + 8); /* reserved; address 0 (EMAD reserved) */
		wr32(g_buf + last + 32, 1);	      /* its page_count, after the EMADs */
		wr32(g_buf + last + 36, 0);
		set_comp(v, t.receiver_count, last + 8);
		assert_invalid(v, last + 40);
	}
}

/* pKVM P8: the composite header and its constituents inside the buffer. */
static void test_mem_desc_parse_rejects_composite_past_end(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t comp = emad(v, t.receiver_count), len = build(v, &t);
		uint32_t size = len - comp;
		const uint32_t at[] = {len, len - 8, len + 16};

		for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			/* A valid composite sits there, just outside @len. */
			len = build(v, &t);
			memmove(g_buf + at[i], g_buf + comp, size);
			set_comp(v, t.receiver_count, at[i]);
			assert_invalid(v, len);
		}
	}
}

/* mem_desc.h: one composite that every receiver names. */
static void test_mem_desc_parse_rejects_receivers_naming_different_composites(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t comp = emad(v, t.receiver_count), len = build(v, &t);
		uint32_t size = len - comp;

		/* An identical, valid copy of the composite right after the first. */
		memcpy(g_buf + len, g_buf + comp, size);
		wr32(g_buf + emad(v, 1) + 4, len);
		assert_invalid(v, len + size);
		/* The copy named by all of them is fine. */
		set_comp(v, t.receiver_count, len);
		assert_int_equal(parse(v, len + size), FFA_OK);
	}
}

/* mem_desc.h: composite bytes 8-15 reserved, MBZ. */
static void test_mem_desc_parse_rejects_composite_reserved(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		for (uint32_t b = 8; b < 16; b++) {
			reject_byte(v, &t, emad(v, t.receiver_count) + b, 0x01);
		}
	}
}

/* mem_desc.h: 1 to FFA_MEM_MAX_RANGES constituents; 0 is malformed. */
static void test_mem_desc_parse_rejects_constituent_count_0(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	t.range_count = 0;
	t.page_count = 0;
	FOR_EACH_VERSION(v) {
		assert_invalid(v, write_raw(v, &t));
	}
}

/* pKVM P8: all constituents inside the buffer; off + 16 + n * 16 must not wrap. */
static void test_mem_desc_parse_rejects_constituents_past_end(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t wrap[] = {0x10000000U, 0x0FFFFFFFU, 0xFFFFFFFFU};

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t comp = emad(v, t.receiver_count), len = build(v, &t);

		/* One more valid constituent, just past @len. */
		wr64(g_buf + len, 0x90000000ULL);
		wr32(g_buf + len + 8, 1);
		wr32(g_buf + comp, 7);
		wr32(g_buf + comp + 4, 4);
		assert_int_equal(parse(v, len + 16), FFA_OK);
		assert_invalid(v, len);
		assert_invalid(v, len + 15);
		for (unsigned i = 0; i < sizeof(wrap) / sizeof(wrap[0]); i++) {
			reject_word(v, &t, comp + 4, wrap[i]);
		}
		len = build(v, &t);
		assert_invalid(v, len - 1); /* the last constituent cut short */
	}
}

/* pKVM P9 / Xen X18: each constituent address 4K aligned. */
static void test_mem_desc_parse_rejects_unaligned_constituent(void **state)
{
	const uint64_t off[] = {1, 0x10, 0x800, 0xFFF};

	(void)state;
	FOR_EACH_VERSION(v) {
		for (unsigned i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
			struct ffa_mem_txn t = sample();

			t.ranges[1].address += off[i];
			assert_invalid(v, write_raw(v, &t));
		}
	}
}

/* mem_desc.h: each constituent has a non-zero page count (the sum still matching). */
static void test_mem_desc_parse_rejects_constituent_page_count_0(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	t.page_count -= t.ranges[1].page_count;
	t.ranges[1].page_count = 0;
	FOR_EACH_VERSION(v) {
		assert_invalid(v, write_raw(v, &t));
	}
}

/* ffa-facts §3.4: constituent bytes 12-15 reserved, MBZ. */
static void test_mem_desc_parse_rejects_constituent_reserved(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		for (uint32_t b = 12; b < 16; b++) {
			reject_byte(v, &t, emad(v, t.receiver_count) + 16 + 2 * 16 + b, 0x01);
		}
	}
}

/* ffa-facts §3.4: the composite's page count is the constituents' sum. */
static void test_mem_desc_parse_rejects_page_count_not_sum(void **state)
{
	const uint32_t bad[] = {5, 7, 0, 0xFFFFFFFFU};

	(void)state;
	FOR_EACH_VERSION(v) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct ffa_mem_txn t = sample();

			t.page_count = bad[i];
			assert_invalid(v, write_raw(v, &t));
		}
	}
}

/* mem_desc.h: 64-bit sum: ranges summing to 2^32 (+1) do not match a page count of 0 (1). */
static void test_mem_desc_parse_rejects_page_sum_overflow(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	t.range_count = 2;
	FOR_EACH_VERSION(v) {
		t.ranges[0].page_count = 0x80000000U;
		t.ranges[1].page_count = 0x80000000U;
		t.page_count = 0;
		assert_invalid(v, write_raw(v, &t));
		t.ranges[0].page_count = 0xFFFFFFFFU;
		t.ranges[1].page_count = 2;
		t.page_count = 1;
		assert_invalid(v, write_raw(v, &t));
	}
}

/* --- Well formed but too big: NO_MEMORY --- */

/* mem_desc.h: more than FFA_MEM_MAX_RECEIVERS receivers is NO_MEMORY; the maximum is fine. */
static void test_mem_desc_parse_too_many_receivers_is_no_memory(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	t.receiver_count = FFA_MEM_MAX_RECEIVERS;
	t.receivers[3] = (struct ffa_mem_receiver){0x8003, FFA_DATA_ACCESS_RW, 0};
	FOR_EACH_VERSION(v) {
		uint32_t n = FFA_MEM_MAX_RECEIVERS, len = build(v, &t);

		/* One more EMAD, all naming the moved composite. */
		len = gap_before_composite(v, len, n, esz(v));
		g_buf[emad(v, n)] = 0x04;
		g_buf[emad(v, n) + 1] = 0x80;
		g_buf[emad(v, n) + 2] = FFA_DATA_ACCESS_RW;
		set_comp(v, n + 1, emad(v, n + 1));
		wr32(g_buf + 28, n + 1);
		assert_int_equal(parse(v, len), FFA_NO_MEMORY);
	}
}

/* mem_desc.h: more than FFA_MEM_MAX_RANGES constituents is NO_MEMORY; the maximum is fine. */
static void test_mem_desc_parse_too_many_ranges_is_no_memory(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	t.range_count = FFA_MEM_MAX_RANGES;
	t.page_count = FFA_MEM_MAX_RANGES;
	for (uint32_t k = 0; k < FFA_MEM_MAX_RANGES; k++) {
		t.ranges[k] = (struct ffa_mem_range){0x80000000ULL + 2 * k * PAGE, 1};
	}
	FOR_EACH_VERSION(v) {
		uint32_t comp = emad(v, t.receiver_count), len = build(v, &t);

		assert_txn_equal(&g_out, &t);
		wr64(g_buf + len, 0x90000000ULL);
		wr32(g_buf + len + 8, 1);
		wr32(g_buf + comp, FFA_MEM_MAX_RANGES + 1);
		wr32(g_buf + comp + 4, FFA_MEM_MAX_RANGES + 1);
		assert_int_equal(parse(v, len + 16), FFA_NO_MEMORY);
	}
}

/* mem_desc.h: more than FFA_MEM_MAX_PAGES pages is NO_MEMORY; the maximum is fine. */
static void test_mem_desc_parse_too_many_pages_is_no_memory(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	t.range_count = 2;
	t.ranges[0].page_count = FFA_MEM_MAX_PAGES - 1;
	t.ranges[1].page_count = 1;
	t.page_count = FFA_MEM_MAX_PAGES;
	FOR_EACH_VERSION(v) {
		build(v, &t);
		t.ranges[1].page_count = 2;
		t.page_count = FFA_MEM_MAX_PAGES + 1;
		assert_int_equal(parse(v, write_raw(v, &t)), FFA_NO_MEMORY);
		t.ranges[1].page_count = 1;
		t.page_count = FFA_MEM_MAX_PAGES;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_desc_parse_rejects_composite_offset_0_in_send),
		cmocka_unit_test(test_mem_desc_parse_rejects_composite_offset_overflow),
		cmocka_unit_test(test_mem_desc_parse_rejects_unaligned_composite),
		cmocka_unit_test(test_mem_desc_parse_rejects_composite_overlapping_descriptors),
		cmocka_unit_test(test_mem_desc_parse_rejects_composite_past_end),
		cmocka_unit_test(test_mem_desc_parse_rejects_receivers_naming_different_composites),
		cmocka_unit_test(test_mem_desc_parse_rejects_composite_reserved),
		cmocka_unit_test(test_mem_desc_parse_rejects_constituent_count_0),
		cmocka_unit_test(test_mem_desc_parse_rejects_constituents_past_end),
		cmocka_unit_test(test_mem_desc_parse_rejects_unaligned_constituent),
		cmocka_unit_test(test_mem_desc_parse_rejects_constituent_page_count_0),
		cmocka_unit_test(test_mem_desc_parse_rejects_constituent_reserved),
		cmocka_unit_test(test_mem_desc_parse_rejects_page_count_not_sum),
		cmocka_unit_test(test_mem_desc_parse_rejects_page_sum_overflow),
		cmocka_unit_test(test_mem_desc_parse_too_many_receivers_is_no_memory),
		cmocka_unit_test(test_mem_desc_parse_too_many_ranges_is_no_memory),
		cmocka_unit_test(test_mem_desc_parse_too_many_pages_is_no_memory),
	};

	return cmocka_run_group_tests_name("mem_desc_composite", tests, NULL, NULL);
}
