/*
 * The fuzz harness's start-up snapshots (fuzz/harness.c fuzz_machine_init(),
 * mediator_state_copy(), spmc_state_copy(), mem_restore()): a machine
 * started from a snapshot, after earlier programs left it in any state, must
 * behave exactly as one started up from nothing. Every seed of corpus/seq
 * (run from the repository's root, as make test does) is run on a machine
 * that has already run every seed, and on a fresh one; every reply, every
 * byte of memory and every page record must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "harness.h"

#define MAX_SEEDS 64

static struct {
	char name[256];
	struct fuzz_program p;
} seeds[MAX_SEEDS];
static unsigned seed_count;

static void load_seeds(void)
{
	const struct fuzz_abi_set *set = fuzz_abi_set("seq");
	static uint8_t buf[1 << 16];
	DIR *d = opendir("corpus/seq");
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL && seed_count < MAX_SEEDS) {
		char path[512];
		FILE *f;
		size_t n;

		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(path, sizeof(path), "corpus/seq/%s", e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		snprintf(seeds[seed_count].name, sizeof(seeds[0].name), "%s", e->d_name);
		fuzz_decode(set, buf, n, &seeds[seed_count++].p);
	}
	closedir(d);
	assert_true(seed_count >= 8);
}

static void assert_same_memory(const struct mem *a, const struct mem *b, const char *seed)
{
	for (uint32_t i = 0; i < a->page_count; i++) {
		if (memcmp(a->ram + (size_t)i * MEM_PAGE_SIZE, b->ram + (size_t)i * MEM_PAGE_SIZE,
			   MEM_PAGE_SIZE) != 0 ||
		    a->pages[i].owner != b->pages[i].owner || a->pages[i].state != b->pages[i].state ||
		    a->pages[i].handle != b->pages[i].handle) {
			fail_msg("%s: page %u differs between a restored and a fresh start", seed, i);
		}
	}
}

static void assert_same_bytes(const char *what, const void *a, const void *b, size_t n,
			      const char *seed)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			fail_msg("%s: %s differ at byte %zu (%#x restored, %#x fresh)", seed, what, i, x[i],
				 y[i]);
		}
	}
}

/* harness.h fuzz_machine_init(): a restored start equals a fresh one, whatever ran before. */
static void test_snapshot_start_equals_fresh_start(void **state)
{
	static struct fuzz_machine used, fresh;
	static struct smccc_regs a[FUZZ_MAX_CALLS], b[FUZZ_MAX_CALLS];

	(void)state;
	load_seeds();
	for (unsigned i = 0; i < seed_count; i++) {
		fuzz_run(&used, &seeds[i].p, NULL); /* leaves every set-up's snapshot, and a mess */
	}
	for (unsigned i = 0; i < seed_count; i++) {
		unsigned long restores = used.restores;

		fuzz_run(&used, &seeds[i].p, a);
		assert_int_equal(used.restores, restores + 1);
		memset(&fresh, 0, sizeof(fresh)); /* no snapshot: a real start-up */
		fuzz_run(&fresh, &seeds[i].p, b);
		assert_int_equal(fresh.restores, 0);
		for (uint32_t k = 0; k < seeds[i].p.call_count; k++) {
			if (memcmp(&a[k], &b[k], sizeof(a[k])) != 0) {
				fail_msg("%s: call %u: restored x0 %#llx, fresh x0 %#llx", seeds[i].name, k,
					 (unsigned long long)a[k].x[0], (unsigned long long)b[k].x[0]);
			}
		}
		assert_same_memory(&used.mem, &fresh.mem, seeds[i].name);
		/* The models' own state, where it holds no pointers: partitions and VMs. */
		assert_same_bytes("the SPMC's partitions", used.spmc.sps, fresh.spmc.sps,
				  spmc_manifest_default()->partition_count * sizeof(used.spmc.sps[0]),
				  seeds[i].name);
		assert_same_bytes("the SPMC's NS endpoints", used.spmc.ns, fresh.spmc.ns,
				  sizeof(used.spmc.ns), seeds[i].name);
		assert_same_bytes("the mediator's VMs", used.m.vms, fresh.m.vms, sizeof(used.m.vms),
				  seeds[i].name);
		assert_same_bytes("the mediator's partitions", used.m.sps, fresh.m.sps,
				  sizeof(used.m.sps), seeds[i].name);
		fuzz_machine_fini(&fresh);
	}
}

/* mem.h mem_restore(): written pages back to the snapshot's bytes, pages dirtied since zeroed. */
static void test_mem_restore_returns_to_snapshot(void **state)
{
	struct mem m;
	struct mem_snapshot s;
	uint8_t *p;

	(void)state;
	assert_int_equal(mem_init(&m, 0x10000000ULL, 8), FFA_OK);
	assert_int_equal(mem_assign(&m, 0x10000000ULL, 2, 7), FFA_OK);
	p = mem_map(&m, 0x10000000ULL, 1, 7, MEM_PAGE_PRIVATE);
	assert_non_null(p);
	p[5] = 0xAA;
	assert_int_equal(mem_snapshot_take(&m, &s), FFA_OK);
	p[5] = 0xBB;                                            /* a snapshot page changed */
	p = mem_map(&m, 0x10000000ULL + MEM_PAGE_SIZE, 1, 7, MEM_PAGE_PRIVATE);
	p[9] = 0xCC;                                            /* a page dirtied since */
	assert_int_equal(mem_transition(&m, 0x10000000ULL, 1, 7, MEM_PAGE_PRIVATE, MEM_PAGE_MAILBOX),
			 FFA_OK);
	mem_restore(&m, &s);
	assert_int_equal(m.ram[5], 0xAA);
	assert_int_equal(m.ram[MEM_PAGE_SIZE + 9], 0);
	assert_int_equal(mem_page_at(&m, 0x10000000ULL)->state, MEM_PAGE_PRIVATE);
	assert_true(mem_page_dirty(&m, 0));
	assert_false(mem_page_dirty(&m, 1));
	mem_snapshot_free(&s);
	mem_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot_start_equals_fresh_start),
		cmocka_unit_test(test_mem_restore_returns_to_snapshot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
