/*
 * Shared by the memory descriptor tests (test_mem_desc*.c): the spec's
 * sizes, a sample transaction laid out in g_buf, and ways to move its parts.
 */
#pragma once

#include <string.h>

#include "fixture.h"
#include "ffa/mem_desc.h"

static const uint32_t versions[] = {FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2};
#define FOR_EACH_VERSION(v) \
	for (uint32_t vi_ = 0, v; vi_ < 3 && (v = versions[vi_], 1); vi_++)
#define FOR_V1_1_UP(v) \
	for (uint32_t vi_ = 1, v; vi_ < 3 && (v = versions[vi_], 1); vi_++)

static uint8_t g_buf[8192];
static struct ffa_mem_txn g_out;

/* The spec's sizes: headers 32 (v1.0) / 48 (v1.1+), EMADs 16 (v1.0, v1.1) / 32 (v1.2). */
static inline uint32_t hdr(uint32_t v)
{
	return v >= FFA_VERSION_1_1 ? 48 : 32;
}

static inline uint32_t esz(uint32_t v)
{
	return v >= FFA_VERSION_1_2 ? 32 : 16;
}

static inline uint32_t emad(uint32_t v, uint32_t i)
{
	return hdr(v) + i * esz(v);
}

static inline uint64_t rd64(const uint8_t *p)
{
	return fx_rd32(p) | (uint64_t)fx_rd32(p + 4) << 32;
}

static inline void wr32(uint8_t *p, uint32_t x)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(x >> (8 * i));
	}
}

static inline void wr64(uint8_t *p, uint64_t x)
{
	wr32(p, (uint32_t)x);
	wr32(p + 4, (uint32_t)(x >> 32));
}

/* Three receivers, three ranges (6 pages), normal WB inner-shareable memory. */
static inline struct ffa_mem_txn sample(void)
{
	return (struct ffa_mem_txn){
		.sender = 0x0001,
		.attributes = FFA_MEM_ATTR_NORMAL_WB_INNER,
		.tag = 0x1122334455667788ULL,
		.receiver_count = 3,
		.receivers = {{0x8001, FFA_DATA_ACCESS_RW | FFA_INSTRUCTION_ACCESS_NX << 2, 0},
			      {0x8002, FFA_DATA_ACCESS_RO, 1},
			      {0x0002, FFA_DATA_ACCESS_RW, 0}},
		.page_count = 6,
		.range_count = 3,
		.ranges = {{0x80000000ULL, 2}, {0x80010000ULL, 3}, {0xFFFFF000000ULL, 1}},
	};
}

static inline uint32_t write_raw(uint32_t v, const struct ffa_mem_txn *t)
{
	uint32_t len;

	memset(g_buf, 0, sizeof(g_buf));
	len = ffa_mem_desc_write(t, v, g_buf, sizeof(g_buf));
	assert_int_equal(len, ffa_mem_desc_size(t, v));
	return len;
}

static inline int parse(uint32_t v, uint32_t len)
{
	return ffa_mem_desc_parse(g_buf, len, v, false, &g_out);
}

/* @t laid out for @v in g_buf; the parser must accept it. Returns its length. */
static inline uint32_t build(uint32_t v, const struct ffa_mem_txn *t)
{
	uint32_t len = write_raw(v, t);

	assert_int_equal(parse(v, len), FFA_OK);
	return len;
}

#define assert_invalid(v, len) assert_int_equal(parse((v), (len)), FFA_INVALID_PARAMETERS)

/* @t laid out for @v with the byte at @at set to @val: the parser refuses it. */
static inline void reject_byte(uint32_t v, const struct ffa_mem_txn *t, uint32_t at, uint8_t val)
{
	uint32_t len = build(v, t);

	g_buf[at] = val;
	assert_invalid(v, len);
}

/* @t laid out for @v with @bits set in the byte at @at: the parser refuses it. */
static inline void reject_bits(uint32_t v, const struct ffa_mem_txn *t, uint32_t at, uint8_t bits)
{
	uint32_t len = build(v, t);

	g_buf[at] |= bits;
	assert_invalid(v, len);
}

/* @t laid out for @v with the u32 at @at set to @val: the parser refuses it. */
static inline void reject_word(uint32_t v, const struct ffa_mem_txn *t, uint32_t at, uint32_t val)
{
	uint32_t len = build(v, t);

	wr32(g_buf + at, val);
	assert_invalid(v, len);
}

static inline void assert_txn_equal(const struct ffa_mem_txn *a, const struct ffa_mem_txn *b)
{
	assert_int_equal(a->sender, b->sender);
	assert_int_equal(a->attributes, b->attributes);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->handle, b->handle);
	assert_int_equal(a->tag, b->tag);
	assert_int_equal(a->receiver_count, b->receiver_count);
	for (uint32_t i = 0; i < a->receiver_count; i++) {
		assert_int_equal(a->receivers[i].id, b->receivers[i].id);
		assert_int_equal(a->receivers[i].perms, b->receivers[i].perms);
		assert_int_equal(a->receivers[i].flags, b->receivers[i].flags);
	}
	assert_int_equal(a->page_count, b->page_count);
	assert_int_equal(a->range_count, b->range_count);
	for (uint32_t k = 0; k < a->range_count; k++) {
		assert_int_equal(a->ranges[k].address, b->ranges[k].address);
		assert_int_equal(a->ranges[k].page_count, b->ranges[k].page_count);
	}
}

/* Every one of @n EMADs names the composite at @off. */
static inline void set_comp(uint32_t v, uint32_t n, uint32_t off)
{
	for (uint32_t i = 0; i < n; i++) {
		wr32(g_buf + emad(v, i) + 4, off);
	}
}

/* Open a zeroed @gap at byte @at (moving the rest up); offsets are the caller's. */
static inline uint32_t open_gap(uint32_t len, uint32_t at, uint32_t gap)
{
	memmove(g_buf + at + gap, g_buf + at, len - at);
	memset(g_buf + at, 0, gap);
	return len + gap;
}

/* v1.1+: put the EMADs @gap bytes after the header (ep_mem_offset 48 + @gap). */
static inline uint32_t gap_before_emads(uint32_t v, uint32_t len, uint32_t n, uint32_t gap)
{
	uint32_t comp = emad(v, n) + gap;

	len = open_gap(len, 48, gap);
	wr32(g_buf + 32, 48 + gap);
	for (uint32_t i = 0; i < n; i++) {
		wr32(g_buf + emad(v, i) + gap + 4, comp);
	}
	return len;
}

/* Put the composite @gap bytes after the @n EMADs. */
static inline uint32_t gap_before_composite(uint32_t v, uint32_t len, uint32_t n, uint32_t gap)
{
	len = open_gap(len, emad(v, n), gap);
	set_comp(v, n, emad(v, n) + gap);
	return len;
}
