/*
 * The memory transaction descriptor writer and parser (ffa/mem_desc.h):
 * the layouts of v1.0, v1.1 and v1.2 (DEN0077A "Memory transaction
 * descriptor", "Endpoint memory access descriptor"; ffa-facts.md §3.2-3.3),
 * every malformed header or access-descriptor field rejected with
 * INVALID_PARAMETERS, offsets that wrap (pKVM P7), and retrieve requests
 * without a composite. Each corruption starts from a descriptor the parser
 * accepts and changes one field. Composites and constituents:
 * test_mem_desc_composite.c; the send rules: test_mem_desc_check.c.
 */
#include "mem_desc_fx.h"

/* --- The writer, and the parser reading it back --- */

/* DEN0077A descriptor tables: each version's offsets, and parse(write(t)) == t. */
static void check_round_trip(uint32_t v)
{
	struct ffa_mem_txn t = sample();
	uint32_t n = t.receiver_count, comp = emad(v, n), len;

	t.flags = FFA_MEM_FLAG_ZERO_MEMORY | FFA_MEM_FLAG_TIME_SLICING;
	t.handle = 0x0123456789ABCDEFULL; /* the parser carries what it does not judge */
	len = write_raw(v, &t);
	assert_int_equal(len, hdr(v) + n * esz(v) + 16 + t.range_count * 16);
	assert_int_equal(fx_rd16(g_buf), t.sender);
	assert_int_equal(fx_rd32(g_buf + 4), t.flags);
	assert_int_equal(rd64(g_buf + 8), t.handle);
	assert_int_equal(rd64(g_buf + 16), t.tag);
	assert_int_equal(fx_rd32(g_buf + 28), n);
	if (v == FFA_VERSION_1_0) {
		assert_int_equal(g_buf[2], t.attributes);
		assert_int_equal(g_buf[3], 0);
		assert_int_equal(fx_rd32(g_buf + 24), 0);
	} else {
		assert_int_equal(fx_rd16(g_buf + 2), t.attributes);
		assert_int_equal(fx_rd32(g_buf + 24), esz(v));
		assert_int_equal(fx_rd32(g_buf + 32), 48);
		for (uint32_t b = 36; b < 48; b++) {
			assert_int_equal(g_buf[b], 0);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = g_buf + emad(v, i);

		assert_int_equal(fx_rd16(e), t.receivers[i].id);
		assert_int_equal(e[2], t.receivers[i].perms);
		assert_int_equal(e[3], t.receivers[i].flags);
		assert_int_equal(fx_rd32(e + 4), comp);
		for (uint32_t b = 8; b < esz(v); b++) {
			assert_int_equal(e[b], 0);
		}
	}
	assert_int_equal(fx_rd32(g_buf + comp), 6);
	assert_int_equal(fx_rd32(g_buf + comp + 4), t.range_count);
	assert_int_equal(rd64(g_buf + comp + 8), 0);
	for (uint32_t k = 0; k < t.range_count; k++) {
		const uint8_t *c = g_buf + comp + 16 + 16 * k;

		assert_int_equal(rd64(c), t.ranges[k].address);
		assert_int_equal(fx_rd32(c + 8), t.ranges[k].page_count);
		assert_int_equal(fx_rd32(c + 12), 0);
	}
	memset(&g_out, 0xA5, sizeof(g_out));
	assert_int_equal(parse(v, len), FFA_OK);
	assert_txn_equal(&g_out, &t);
}

/* DEN0077A v1.0: 32-byte header, ep_count at 28, 16-byte EMADs at 32. */
static void test_mem_desc_write_v1_0_layout_round_trips(void **state)
{
	(void)state;
	check_round_trip(FFA_VERSION_1_0);
}

/* DEN0077A v1.1: 48-byte header, ep_mem_size 16 at 24, ep_mem_offset 48 at 32. */
static void test_mem_desc_write_v1_1_layout_round_trips(void **state)
{
	(void)state;
	check_round_trip(FFA_VERSION_1_1);
}

/* DEN0077A v1.2: 48-byte header, ep_mem_size 32, 32-byte EMADs at 48. */
static void test_mem_desc_write_v1_2_layout_round_trips(void **state)
{
	(void)state;
	check_round_trip(FFA_VERSION_1_2);
}

/* mem_desc.h: ffa_mem_desc_write() returns 0 when @size is too small. */
static void test_mem_desc_write_too_small_returns_0(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t need = ffa_mem_desc_size(&t, v);

		assert_int_equal(ffa_mem_desc_write(&t, v, g_buf, need - 1), 0);
		assert_int_equal(ffa_mem_desc_write(&t, v, g_buf, 0), 0);
		assert_int_equal(ffa_mem_desc_write(&t, v, g_buf, need), need);
	}
}

/* --- The header --- */

/* mem_desc.h: the header inside the buffer (32 bytes v1.0, 48 v1.1+). */
static void test_mem_desc_parse_rejects_short_header(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		build(v, &t);
		assert_invalid(v, hdr(v) - 1);
		assert_invalid(v, 0);
		assert_invalid(v, 32 - 1);
	}
	build(FFA_VERSION_1_1, &t);
	assert_invalid(FFA_VERSION_1_1, 32); /* a v1.0-sized header is short for v1.1 */
}

/* DEN0077A v1.0 header: byte 3 and bytes 24-27 reserved, MBZ. */
static void test_mem_desc_parse_rejects_v1_0_reserved(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t at[] = {3, 24, 25, 26, 27};

	(void)state;
	for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		reject_byte(FFA_VERSION_1_0, &t, at[i], 0x01);
	}
}

/* DEN0077A v1.1+ header: bytes 36-47 reserved, MBZ. */
static void test_mem_desc_parse_rejects_v1_1_header_reserved(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_V1_1_UP(v) {
		for (uint32_t b = 36; b < 48; b++) {
			reject_byte(v, &t, b, 0x80);
		}
	}
}

/* ffa-facts §3.2: v1.1+ attributes bits[15:7] MBZ. */
static void test_mem_desc_parse_rejects_attribute_bits_15_7(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint16_t bits[] = {1U << 7, 1U << 8, 1U << 12, 1U << 15};

	(void)state;
	FOR_V1_1_UP(v) {
		for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
			uint32_t len = build(v, &t);
			uint16_t a = (uint16_t)(fx_rd16(g_buf + 2) | bits[i]);

			g_buf[2] = (uint8_t)a;
			g_buf[3] = (uint8_t)(a >> 8);
			assert_invalid(v, len);
		}
	}
}

/* mem_desc.h: ep_mem_size exactly the caller's version's (16 for v1.1, 32 for v1.2). */
static void test_mem_desc_parse_rejects_wrong_ep_mem_size(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t bad[] = {0, 8, 24, 48, 64};
	uint32_t len;

	(void)state;
	len = build(FFA_VERSION_1_1, &t); /* ep_mem_size 16 */
	assert_invalid(FFA_VERSION_1_2, len);
	len = build(FFA_VERSION_1_2, &t); /* ep_mem_size 32 */
	assert_invalid(FFA_VERSION_1_1, len);
	FOR_V1_1_UP(v) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			reject_word(v, &t, 24, bad[i]);
		}
	}
}

/* DEN0077A v1.1+: the EMADs may start after a gap; ep_mem_offset is honoured. */
static void test_mem_desc_parse_honours_ep_mem_offset(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_V1_1_UP(v) {
		uint32_t len = gap_before_emads(v, build(v, &t), t.receiver_count, 16);

		memset(&g_out, 0, sizeof(g_out));
		assert_int_equal(parse(v, len), FFA_OK);
		assert_txn_equal(&g_out, &t);
	}
}

/* mem_desc.h: ep_mem_offset at least 48 (Hafnium: receivers_offset < 48 refused). */
static void test_mem_desc_parse_rejects_ep_mem_offset_below_48(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t bad[] = {0, 16, 32};

	(void)state;
	FOR_V1_1_UP(v) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			reject_word(v, &t, 32, bad[i]);
		}
		/* A one-receiver retrieve: at offset 32 the header's own bytes pass for an EMAD. */
		build(v, &t);
		set_comp(v, t.receiver_count, 0);
		wr32(g_buf + 28, 1);
		assert_int_equal(ffa_mem_desc_parse(g_buf, emad(v, 1), v, true, &g_out), FFA_OK);
		wr32(g_buf + 32, 32);
		assert_int_equal(ffa_mem_desc_parse(g_buf, emad(v, 1), v, true, &g_out),
				 FFA_INVALID_PARAMETERS);
	}
}

/* ffa-facts §3.2: ep_mem_offset 16-byte aligned (the EMADs otherwise well placed). */
static void test_mem_desc_parse_rejects_unaligned_ep_mem_offset(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t gaps[] = {1, 4, 8, 12};

	(void)state;
	FOR_V1_1_UP(v) {
		for (unsigned i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
			uint32_t len = gap_before_emads(v, build(v, &t), t.receiver_count, gaps[i]);

			assert_invalid(v, len);
		}
	}
}

/* pKVM P7: ep_mem_offset near 0xFFFFFFFF (or past the buffer) must not wrap into it. */
static void test_mem_desc_parse_rejects_ep_mem_offset_overflow(void **state)
{
	struct ffa_mem_txn t = sample();
	const uint32_t bad[] = {0xFFFFFFF0U, 0xFFFFFFE0U, 0xFFFFFF00U, 0x10000U};

	(void)state;
	FOR_V1_1_UP(v) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			reject_word(v, &t, 32, bad[i]);
		}
	}
}

/* mem_desc.h: 1 to FFA_MEM_MAX_RECEIVERS receivers; 0 is malformed. */
static void test_mem_desc_parse_rejects_ep_count_0(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t len = build(v, &t);

		wr32(g_buf + 28, 0);
		assert_invalid(v, len);
		assert_int_equal(ffa_mem_desc_parse(g_buf, len, v, true, &g_out),
				 FFA_INVALID_PARAMETERS);
	}
}

/* mem_desc.h: access descriptors inside the buffer, 64-bit arithmetic (no wrap of size * count). */
static void test_mem_desc_parse_rejects_emads_past_buffer(void **state)
{
	struct ffa_mem_txn t = sample();
	uint32_t n = t.receiver_count;

	(void)state;
	FOR_EACH_VERSION(v) {
		/* A retrieve request ending with its EMADs; beyond: zeros, a plausible EMAD. */
		uint32_t end = emad(v, n), len = build(v, &t);

		set_comp(v, n, 0);
		memset(g_buf + end, 0, len - end);
		assert_int_equal(ffa_mem_desc_parse(g_buf, end, v, true, &g_out), FFA_OK);
		wr32(g_buf + 28, n + 1);
		assert_int_equal(ffa_mem_desc_parse(g_buf, end, v, true, &g_out),
				 FFA_INVALID_PARAMETERS);
		wr32(g_buf + 28, n);
		assert_int_equal(ffa_mem_desc_parse(g_buf, end - 1, v, true, &g_out),
				 FFA_INVALID_PARAMETERS);
		/* esz * count == 2^32: wraps to 0 in 32 bits. */
		len = build(v, &t);
		wr32(g_buf + 28, (uint32_t)(0x100000000ULL / esz(v)));
		assert_invalid(v, len);
		wr32(g_buf + 28, 0xFFFFFFFFU);
		assert_invalid(v, len);
	}
}

/* --- The endpoint memory access descriptors --- */

/* ffa-facts §3.3: permissions bits[7:4] MBZ. */
static void test_mem_desc_parse_rejects_perms_bits_7_4(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		for (uint32_t b = 4; b < 8; b++) {
			reject_bits(v, &t, emad(v, 1) + 2, (uint8_t)(1U << b));
		}
	}
}

/* ffa-facts §3.3: data access 3 and instruction access 3 are reserved. */
static void test_mem_desc_parse_rejects_reserved_access(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t len;

		reject_byte(v, &t, emad(v, 2) + 2, 3);                           /* data access 3 */
		reject_byte(v, &t, emad(v, 2) + 2, FFA_DATA_ACCESS_RW | 3 << 2); /* instr. access 3 */
		len = build(v, &t);
		g_buf[emad(v, 2) + 2] = FFA_DATA_ACCESS_RO | FFA_INSTRUCTION_ACCESS_X << 2;
		assert_int_equal(parse(v, len), FFA_OK); /* X is the parser's to accept */
	}
}

/* ffa-facts §3.3: receiver flags: only bit 0 (non-retrieval borrower) defined. */
static void test_mem_desc_parse_rejects_receiver_flags_other_than_bit_0(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		for (uint32_t b = 1; b < 8; b++) {
			reject_byte(v, &t, emad(v, 0) + 3, (uint8_t)(1U << b | 1U));
		}
	}
}

/* mem_desc.h: distinct receivers; the same endpoint twice is malformed. */
static void test_mem_desc_parse_rejects_duplicate_receiver(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t len = build(v, &t);

		memcpy(g_buf + emad(v, 2), g_buf + emad(v, 0), 2); /* 1st and 3rd */
		assert_invalid(v, len);
		len = build(v, &t);
		memcpy(g_buf + emad(v, 1), g_buf + emad(v, 2), 2); /* adjacent */
		assert_invalid(v, len);
	}
}

/* ffa-facts §3.3: v1.0/v1.1 EMAD bytes 8-15 reserved, MBZ. */
static void test_mem_desc_parse_rejects_emad_reserved_v1_0_v1_1(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	for (uint32_t vi = 0; vi < 2; vi++) {
		for (uint32_t b = 8; b < 16; b++) {
			reject_byte(versions[vi], &t, emad(versions[vi], 1) + b, 0x10);
		}
	}
}

/* ffa-facts §3.3: v1.2 EMAD bytes 24-31 reserved, MBZ. */
static void test_mem_desc_parse_rejects_emad_reserved_v1_2(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	for (uint32_t b = 24; b < 32; b++) {
		reject_byte(FFA_VERSION_1_2, &t, emad(FFA_VERSION_1_2, 2) + b, 0x01);
	}
}

/* ffa-facts §3.3: v1.2 EMAD bytes 8-23 are an IMPDEF value, not reserved. */
static void test_mem_desc_parse_accepts_v1_2_impdef(void **state)
{
	struct ffa_mem_txn t = sample();
	uint32_t len = build(FFA_VERSION_1_2, &t);

	(void)state;
	for (uint32_t i = 0; i < t.receiver_count; i++) {
		memset(g_buf + emad(FFA_VERSION_1_2, i) + 8, 0xFF, 16);
	}
	assert_int_equal(parse(FFA_VERSION_1_2, len), FFA_OK);
	assert_txn_equal(&g_out, &t);
}

/* mem_desc.h: a retrieve request may name no composite: no ranges; a send may not. */
static void test_mem_desc_parse_retrieve_without_composite(void **state)
{
	struct ffa_mem_txn t = sample();

	(void)state;
	FOR_EACH_VERSION(v) {
		uint32_t end = emad(v, t.receiver_count);

		build(v, &t);
		set_comp(v, t.receiver_count, 0);
		memset(&g_out, 0xA5, sizeof(g_out));
		assert_int_equal(ffa_mem_desc_parse(g_buf, end, v, true, &g_out), FFA_OK);
		assert_int_equal(g_out.range_count, 0);
		assert_int_equal(g_out.page_count, 0);
		t.range_count = t.page_count = 0;
		assert_txn_equal(&g_out, &t);
		t = sample();
		assert_int_equal(ffa_mem_desc_parse(g_buf, end, v, false, &g_out),
				 FFA_INVALID_PARAMETERS);
		/* With a composite, a retrieve request's ranges are read too. */
		assert_int_equal(ffa_mem_desc_parse(g_buf, build(v, &t), v, true, &g_out), FFA_OK);
		assert_txn_equal(&g_out, &t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_desc_write_v1_0_layout_round_trips),
		cmocka_unit_test(test_mem_desc_write_v1_1_layout_round_trips),
		cmocka_unit_test(test_mem_desc_write_v1_2_layout_round_trips),
		cmocka_unit_test(test_mem_desc_write_too_small_returns_0),
		cmocka_unit_test(test_mem_desc_parse_rejects_short_header),
		cmocka_unit_test(test_mem_desc_parse_rejects_v1_0_reserved),
		cmocka_unit_test(test_mem_desc_parse_rejects_v1_1_header_reserved),
		cmocka_unit_test(test_mem_desc_parse_rejects_attribute_bits_15_7),
		cmocka_unit_test(test_mem_desc_parse_rejects_wrong_ep_mem_size),
		cmocka_unit_test(test_mem_desc_parse_honours_ep_mem_offset),
		cmocka_unit_test(test_mem_desc_parse_rejects_ep_mem_offset_below_48),
		cmocka_unit_test(test_mem_desc_parse_rejects_unaligned_ep_mem_offset),
		cmocka_unit_test(test_mem_desc_parse_rejects_ep_mem_offset_overflow),
		cmocka_unit_test(test_mem_desc_parse_rejects_ep_count_0),
		cmocka_unit_test(test_mem_desc_parse_rejects_emads_past_buffer),
		cmocka_unit_test(test_mem_desc_parse_rejects_perms_bits_7_4),
		cmocka_unit_test(test_mem_desc_parse_rejects_reserved_access),
		cmocka_unit_test(test_mem_desc_parse_rejects_receiver_flags_other_than_bit_0),
		cmocka_unit_test(test_mem_desc_parse_rejects_duplicate_receiver),
		cmocka_unit_test(test_mem_desc_parse_rejects_emad_reserved_v1_0_v1_1),
		cmocka_unit_test(test_mem_desc_parse_rejects_emad_reserved_v1_2),
		cmocka_unit_test(test_mem_desc_parse_accepts_v1_2_impdef),
		cmocka_unit_test(test_mem_desc_parse_retrieve_without_composite),
	};

	return cmocka_run_group_tests_name("mem_desc", tests, NULL, NULL);
}
