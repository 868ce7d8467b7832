/*
 * The structure-aware mutator core (fuzz/mutate.c): whatever it does, the
 * result is a well-formed program of the target's ABIs in canonical form,
 * within the size it was given; its call-level moves add, drop and splice
 * whole calls; its field moves reach the values FF-A gives meaning to.
 * Inputs: the seeds of corpus/seq (run from the repository's root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "ffa/mem_desc.h"
#include "mutate.h"

#define MAX_SEEDS 64
#define ROOM 8192

static struct {
	uint8_t bytes[ROOM];
	size_t len;
} seeds[MAX_SEEDS];
static unsigned seed_count;
static const struct fuzz_abi_set *set;
static struct fuzz_program p, q;

static int load(void **state)
{
	DIR *d = opendir("corpus/seq");
	struct dirent *e;

	(void)state;
	set = fuzz_abi_set("seq");
	assert_non_null(d);
	while ((e = readdir(d)) != NULL && seed_count < MAX_SEEDS) {
		char path[512];
		FILE *f;

		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(path, sizeof(path), "corpus/seq/%s", e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		seeds[seed_count].len = fread(seeds[seed_count].bytes, 1, ROOM, f);
		fclose(f);
		seed_count++;
	}
	closedir(d);
	assert_true(seed_count >= 8);
	return 0;
}

/* Decoding @data and encoding it again gives the same bytes: the input is canonical. */
static void assert_canonical(const uint8_t *data, size_t len)
{
	static uint8_t again[ROOM];

	fuzz_decode(set, data, len, &p);
	assert_int_equal(fuzz_encode(set, &p, again, sizeof(again)), len);
	assert_memory_equal(again, data, len);
	for (uint32_t i = 0; i < p.call_count; i++) {
		assert_true(fuzz_abi_index(set, p.calls[i].fid) < set->count);
	}
}

/* mutate.h fuzz_mutate(): canonical programs within @max; calls added and dropped. */
static void test_mutate_keeps_programs_well_formed(void **state)
{
	static uint8_t buf[ROOM];
	unsigned grew = 0, shrank = 0, same_count = 0;

	(void)state;
	for (unsigned seed = 1; seed <= 4000; seed++) {
		unsigned k = seed % seed_count, before;
		size_t max = seeds[k].len + 64, n;

		memcpy(buf, seeds[k].bytes, seeds[k].len);
		before = fuzz_call_count(set, buf, seeds[k].len);
		n = fuzz_mutate(set, buf, seeds[k].len, max, seed);
		assert_true(n > 0 && n <= max);
		if (n != seeds[k].len || memcmp(buf, seeds[k].bytes, n) != 0) {
			assert_canonical(buf, n);
		}
		grew += fuzz_call_count(set, buf, n) > before;
		shrank += fuzz_call_count(set, buf, n) < before;
		same_count += fuzz_call_count(set, buf, n) == before;
	}
	assert_true(grew > 200);
	assert_true(shrank > 200);
	assert_true(same_count > 1000); /* field moves */
}

/* mutate.h: field moves reach version words, sender|receiver pairs and run-time selectors. */
static void test_mutate_reaches_meaningful_values(void **state)
{
	static uint8_t buf[ROOM];
	bool version = false, pair = false, selector = false, near_end = false;

	(void)state;
	for (unsigned seed = 1; seed <= 4000; seed++) {
		unsigned k = seed % seed_count;
		size_t n;

		memcpy(buf, seeds[k].bytes, seeds[k].len);
		n = fuzz_mutate(set, buf, seeds[k].len, sizeof(buf), seed);
		fuzz_decode(set, buf, n, &p);
		for (uint32_t i = 0; i < p.call_count; i++) {
			for (unsigned r = 1; r <= 7; r++) {
				if (!(p.calls[i].present & (1U << (r - 1)))) {
					continue;
				}
				version |= p.calls[i].special[r] == 0 && p.calls[i].x[r] == 0x10003;
				pair |= p.calls[i].special[r] == 0 && p.calls[i].x[r] == 0x28004;
				selector |= p.calls[i].special[r] >= 0xC0;
			}
			for (uint32_t b = 0; b + 4 <= p.calls[i].payload_len; b += 4) {
				uint32_t w;

				memcpy(&w, p.payload + p.calls[i].payload_off + b, 4);
				near_end |= w >= 0xFFFFFFF0U && w != 0xFFFFFFFFU;
			}
		}
	}
	assert_true(version);
	assert_true(pair);
	assert_true(selector);
	assert_true(near_end);
}

/* Whether a few moves on the one call @c reach a program where @found(call) holds. */
static bool one_call_reaches(struct fuzz_call c, bool (*found)(const struct fuzz_call *))
{
	static uint8_t buf[ROOM];
	struct fuzz_program one = {.vm_count = 1, .call_count = 1, .calls = {c}};

	for (unsigned seed = 1; seed <= 4000; seed++) {
		size_t len = fuzz_encode(set, &one, buf, sizeof(buf));
		size_t n = fuzz_mutate(set, buf, len, sizeof(buf), seed);

		fuzz_decode(set, buf, n, &p);
		for (uint32_t i = 0; i < p.call_count; i++) {
			if (found(&p.calls[i])) {
				return true;
			}
		}
	}
	return false;
}

static bool x1_x2_copied(const struct fuzz_call *c)
{
	return (c->present & 3) == 3 && c->special[1] == 0 && c->special[2] == 0 &&
	       c->x[1] == c->x[2] && (c->x[1] == 0x1234 || c->x[1] == 0x50);
}

/*
 * Field moves copy one register into another of the same call (a send's
 * total and fragment lengths must agree): from x1 = 0x1234, x2 = 0x50, a
 * call with both equal is out of reach of a few bit flips and nudges.
 */
static void test_mutate_copies_registers(void **state)
{
	(void)state;
	assert_true(one_call_reaches(
		(struct fuzz_call){.fid = FFA_MEM_SHARE_64, .present = 3, .x = {0, 0x1234, 0x50}},
		x1_x2_copied));
}

static bool x1_a_page_up(const struct fuzz_call *c)
{
	return (c->present & 1) && c->special[1] == 0 && c->x[1] == 0x4050;
}

/*
 * Field moves nudge a register by a page (FF-A lengths and addresses count
 * 4K pages): 0x3050 + 0x1000 = 0x4050 is three bit flips away.
 */
static void test_mutate_nudges_by_a_page(void **state)
{
	(void)state;
	assert_true(one_call_reaches(
		(struct fuzz_call){.fid = FFA_MEM_SHARE_64, .present = 1, .x = {0, 0x3050}},
		x1_a_page_up));
}

static bool carries_a_descriptor(const struct fuzz_call *c)
{
	static const uint32_t versions[] = {FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2};
	struct ffa_mem_txn t;

	if (c->payload_len == 0 || (c->present & 3) != 3 || c->special[1] != 0 ||
	    c->x[1] != c->payload_len || c->x[2] != c->payload_len) {
		return false;
	}
	for (unsigned i = 0; i < 3; i++) {
		if (ffa_mem_desc_parse(p.payload + c->payload_off, c->payload_len, versions[i], false,
				       &t) == FFA_OK && t.sender == c->vm && t.range_count == 1) {
			return true;
		}
	}
	return false;
}

/*
 * A memory send gets a well-formed transaction descriptor (DEN0077A v1.2
 * FFA_MEM_SHARE: w1 = w2 = its length, in TX) from the caller: byte moves
 * alone would almost never write one into an empty payload.
 */
static void test_mutate_writes_memory_descriptors(void **state)
{
	(void)state;
	assert_true(one_call_reaches((struct fuzz_call){.vm = 1, .fid = FFA_MEM_LEND_64, .present = 1,
							 .x = {0, 0x30}},
				     carries_a_descriptor));
}

static bool requests_a_carried_handle(const struct fuzz_call *c)
{
	static const uint32_t versions[] = {FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2};
	struct ffa_mem_txn t;

	if (c->payload_len == 0 || (c->present & 3) != 3 || c->x[1] != c->payload_len) {
		return false;
	}
	for (unsigned i = 0; i < 3; i++) {
		if (ffa_mem_desc_parse(p.payload + c->payload_off, c->payload_len, versions[i], true,
				       &t) == FFA_OK && (t.handle & ~0xFFULL) == FUZZ_HANDLE_MARK &&
		    t.receiver_count == 1 && t.receivers[0].id == c->vm && t.range_count == 0) {
			return true;
		}
	}
	return false;
}

/*
 * A retrieve request gets a well-formed request (DEN0077A v1.2
 * FFA_MEM_RETRIEVE_REQ: w1 = w2 = its length, no composite) naming the
 * caller as the borrower and a handle a reply carried (FUZZ_HANDLE_MARK),
 * which a byte move inside a descriptor almost never writes.
 */
static void test_mutate_writes_retrieve_requests(void **state)
{
	(void)state;
	assert_true(one_call_reaches((struct fuzz_call){.vm = 1, .fid = FFA_MEM_RETRIEVE_REQ_64,
							 .present = 1, .x = {0, 0x30}},
				     requests_a_carried_handle));
}

/* mutate.h fuzz_crossover(): a prefix of a's calls, then a run of b's, under a's header. */
static void test_crossover_splices_calls(void **state)
{
	static uint8_t out[ROOM];
	unsigned mixed = 0;

	(void)state;
	for (unsigned seed = 1; seed <= 500; seed++) {
		unsigned a = seed % seed_count, b = (seed * 7 + 3) % seed_count;
		size_t n = fuzz_crossover(set, seeds[a].bytes, seeds[a].len, seeds[b].bytes,
					  seeds[b].len, out, sizeof(out), seed);

		assert_true(n >= FUZZ_HEADER_SIZE);
		assert_canonical(out, n);
		assert_memory_equal(out, seeds[a].bytes, 1); /* a's profile */
		fuzz_decode(set, seeds[a].bytes, seeds[a].len, &q);
		fuzz_decode(set, out, n, &p);
		if (p.call_count > 0 && q.call_count > 0 && p.calls[0].fid != q.calls[0].fid) {
			mixed++;
		}
	}
	assert_true(mixed > 0);
}

/* mutate.h fuzz_drop_call(): exactly call @index goes; past the last call, nothing. */
static void test_drop_call_removes_one_call(void **state)
{
	static uint8_t out[ROOM];
	const uint8_t *in = seeds[0].bytes;
	size_t len = seeds[0].len;
	unsigned count = fuzz_call_count(set, in, len);

	(void)state;
	assert_true(count >= 2);
	for (unsigned i = 0; i < count; i++) {
		size_t n = fuzz_drop_call(set, in, len, i, out, sizeof(out));

		assert_true(n > 0 && n < len);
		fuzz_decode(set, in, len, &q);
		fuzz_decode(set, out, n, &p);
		assert_int_equal(p.call_count, count - 1);
		for (unsigned k = 0; k < count - 1; k++) {
			assert_int_equal(p.calls[k].fid, q.calls[k < i ? k : k + 1].fid);
		}
	}
	assert_int_equal(fuzz_drop_call(set, in, len, count, out, sizeof(out)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutate_keeps_programs_well_formed),
		cmocka_unit_test(test_mutate_reaches_meaningful_values),
		cmocka_unit_test(test_mutate_copies_registers),
		cmocka_unit_test(test_mutate_nudges_by_a_page),
		cmocka_unit_test(test_mutate_writes_memory_descriptors),
		cmocka_unit_test(test_mutate_writes_retrieve_requests),
		cmocka_unit_test(test_crossover_splices_calls),
		cmocka_unit_test(test_drop_call_removes_one_call),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
