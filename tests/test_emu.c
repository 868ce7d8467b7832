/*
 * The emulator (emu/): Linux's own SMCCC entry stub (smccc-call.S) makes the
 * FF-A call under Unicorn 2.0.1 and the trap reaches the mediator. Rules: SMCCC v1.2's
 * caller convention (x0-x17 in and out, x18-x30 callee-saved: DEN0028 §2.6),
 * the SMC32 zero-extension of results, unicorn-notes.md (trap numbers,
 * HVC needing SCR_EL3.HCE, the stop-address defect G1).
 */
#include "fixture.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "emu.h"

/* One guest (GUEST1) on the default machine, with an engine. */
struct emu_fx {
	struct fixture *f;
	struct emu e;
};

static int emu_setup(void **state)
{
	struct emu_fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->f = fixture_with(NULL);
	assert_int_equal(emu_init(&x->e, &backend_ref, &x->f->m, &x->f->mem,
				  &mediator_vm(&x->f->m, GUEST1)->window, GUEST1),
			 EMU_OK);
	*state = x;
	return 0;
}

static int emu_teardown(void **state)
{
	struct emu_fx *x = *state;

	emu_fini(&x->e);
	fixture_free(x->f);
	free(x);
	return 0;
}

static struct smccc_regs call_of(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return (struct smccc_regs){.x = {fid, a1, a2, a3}};
}

static struct smccc_regs emu_ok_call(struct emu *e, enum emu_conduit c, struct smccc_regs in)
{
	struct smccc_regs out;

	assert_int_equal(emu_call(e, c, &in, &out), EMU_OK);
	return out;
}

/* unicorn-notes.md: smc #0 traps as 13 and reaches the mediator: FFA_VERSION answers 1.2. */
static void test_emu_smc_reaches_mediator(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs r = emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));

	assert_int_equal(r.x[0], FFA_VERSION_1_2);
	assert_int_equal(x->e.traps, 1);
	assert_int_equal(fx_vm(x->f, GUEST1)->version, FFA_VERSION_1_2);
}

/* unicorn-notes.md: hvc #0 is undefined (exception 1) until SCR_EL3.HCE is set, then traps as 11. */
static void test_emu_hvc_needs_hce(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in = call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0), out;

	assert_int_equal(emu_call(&x->e, EMU_HVC, &in, &out), EMU_ERR_EXCEPTION);
	assert_int_equal(x->e.exception, EMU_EXCP_UDEF);
	assert_int_equal(x->e.traps, 0);
	emu_reset(&x->e);
	emu_enable_hvc(&x->e);
	out = emu_ok_call(&x->e, EMU_HVC, in);
	assert_int_equal(out.x[0], FFA_VERSION_1_2);
	assert_int_equal(x->e.traps, 1);
}

/* SMCCC v1.2: all 18 registers go in and come back, each in its own place. */
static void test_emu_eighteen_registers_round_trip(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in, out;

	for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
		in.x[i] = 0x0101010101010101ULL * (i + 1) ^ 0x8000000000000000ULL;
	}
	x->e.bare = true; /* the hook moves the registers and nothing else */
	assert_int_equal(emu_call(&x->e, EMU_SMC, &in, &out), EMU_OK);
	assert_memory_equal(&out, &in, sizeof(in));
}

/* DEN0077A REQ2 through the stub: the 14-register payload x4-x17 comes back in place. */
static void test_emu_req2_payload_through_stub(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in = {.x = {FFA_MSG_SEND_DIRECT_REQ2_64, ffa_sender_receiver(GUEST1, 0x8001)}};
	struct smccc_regs out;

	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		in.x[i] = 0xA5A5000000000000ULL | i;
	}
	out = emu_ok_call(&x->e, EMU_SMC, in);
	assert_int_equal(out.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(out.x[i], 0xA5A5000000000000ULL | i);
	}
}

/* DEN0028 §2.6: an SMC32 result arrives zero-extended: x2 = 0x00000000FFFFFFFE, not -2. */
static void test_emu_smc32_result_zero_extended(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs r;

	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	r = emu_ok_call(&x->e, EMU_SMC, call_of(0xFFFFFFFF00000000ULL | FFA_RXTX_UNMAP_32, 0, 0, 0));
	assert_int_equal(r.x[0], FFA_ERROR_32);
	assert_int_equal(r.x[2], 0x00000000FFFFFFFEULL);
}

/*
 * Linux's SMCCC 1.1 entry (__arm_smccc_smc, DEN0028 §2.5): x0-x7 in, the
 * result structure holds x0-x3. A direct request's payload goes in x3-x7:
 * the partition's echo comes back in x3 only.
 */
static void test_emu_smccc11_entry_four_results(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in = {.x = {FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(GUEST1, 0x8001)}};
	struct smccc_regs out;

	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	for (unsigned i = 3; i < 8; i++) {
		in.x[i] = 0x5A5A000000000000ULL | i;
	}
	assert_int_equal(emu_call_smccc11(&x->e, EMU_SMC, &in, &out), EMU_OK);
	assert_int_equal(out.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(out.x[3], 0x5A5A000000000003ULL);
	for (unsigned i = 4; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(out.x[i], 0);
	}
	assert_int_equal(x->e.traps, 2);
}

/* DEN0028 §2.6: x18-x29 survive the call (the canary entry reports none changed). */
static void test_emu_callee_saved_survive(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in = call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0), out;
	uint32_t changed = 0xFFFFFFFF;

	assert_int_equal(emu_call_canary(&x->e, EMU_SMC, &in, &out, &changed), EMU_OK);
	assert_int_equal(out.x[0], FFA_VERSION_1_2);
	assert_int_equal(changed, 0);
}

/* A trap hook that clobbers x21 and x28, as a buggy EL2 handler would. */
static void clobber(uc_engine *uc, uint32_t intno, void *user)
{
	uint64_t junk = 0xBAD;

	(void)intno;
	(void)user;
	uc_reg_write(uc, UC_ARM64_REG_X21, &junk);
	uc_reg_write(uc, UC_ARM64_REG_X28, &junk);
}

/* The canary check can fail: a handler clobbering x21 and x28 is named in the mask. */
static void test_emu_canary_catches_clobber(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in = call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0), out;
	uint32_t changed = 0;
	uc_hook hook;

	assert_int_equal(uc_hook_add(x->e.uc, &hook, UC_HOOK_INTR, (void *)clobber, NULL, 1, 0),
			 UC_ERR_OK);
	assert_int_equal(emu_call_canary(&x->e, EMU_SMC, &in, &out, &changed), EMU_OK);
	assert_int_equal(changed, (1U << 21) | (1U << 28));
	assert_int_equal(out.x[0], FFA_VERSION_1_2);
	uc_hook_del(x->e.uc, hook);
}

/* Guest code maps its RX/TX and asks for partition info; guest memory then holds the descriptors. */
static void test_emu_guest_reads_partition_info(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs r;
	/* ldr x0, [x0]; ret */
	static const uint32_t load[] = {0xf9400000, 0xd65f03c0};
	struct smccc_regs regs = {.x = {VM_IPA + FFA_PAGE_SIZE}};
	uint8_t rx[24];

	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	r = emu_ok_call(&x->e, EMU_SMC,
			call_of(FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1));
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	r = emu_ok_call(&x->e, EMU_SMC, call_of(FFA_PARTITION_INFO_GET_32, 0, 0, 0));
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 6);
	assert_int_equal(emu_read(&x->e, VM_IPA + FFA_PAGE_SIZE, rx, sizeof(rx)), EMU_OK);
	assert_int_equal(fx_rd16(rx), 0x8001);
	assert_int_equal(fx_rd16(rx + 2), 8); /* execution contexts */
	/* And guest code itself loads the first descriptor's first word. */
	assert_int_equal(emu_run_blob(&x->e, load, sizeof(load), &regs), EMU_OK);
	assert_int_equal(regs.x[0] & 0xFFFF, 0x8001);
	assert_int_equal((regs.x[0] >> 16) & 0xFFFF, 8);
}

/* What guest code writes is what the mediator reads: a SEND2 header written through Unicorn. */
static void test_emu_guest_written_tx_reaches_mediator(void **state)
{
	struct emu_fx *x = *state;
	struct ffa_partition_msg_header h = {.offset = 40, .sender_receiver = (GUEST1 << 16) | 0x8001,
					     .size = 4};
	struct smccc_regs r;

	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1));
	assert_int_equal(emu_write(&x->e, VM_IPA, &h, sizeof(h)), EMU_OK);
	assert_int_equal(emu_write(&x->e, VM_IPA + 40, "ping", 4), EMU_OK);
	r = emu_ok_call(&x->e, EMU_SMC, call_of(FFA_MSG_SEND2_32, 0, 0, 0));
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_memory_equal(spmc_sp_state(&x->f->spmc, 0x8001)->msg, "ping", 4);
}

/* mem.h mem_reset() clears only dirty pages: a guest code blob dirties the VM's RAM, emu_write() its bytes. */
static void test_emu_writes_mark_pages_dirty(void **state)
{
	struct emu_fx *x = *state;
	static const uint32_t store[] = {0xf9000001, 0xd65f03c0}; /* str x1, [x0]; ret */
	const struct mem_window *w = &mediator_vm(&x->f->m, GUEST1)->window;
	uint32_t first = (uint32_t)((w->pa_base - x->f->mem.pa_base) / FFA_PAGE_SIZE);
	struct smccc_regs regs = {.x = {VM_IPA + 3 * FFA_PAGE_SIZE + 8, 0x5A5A}};

	/* Eight bytes across the end of page 5: pages 5 and 6, no other. */
	assert_int_equal(emu_write(&x->e, VM_IPA + 6 * FFA_PAGE_SIZE - 4, "abcdefgh", 8), EMU_OK);
	assert_false(mem_page_dirty(&x->f->mem, first + 4));
	assert_true(mem_page_dirty(&x->f->mem, first + 5));
	assert_true(mem_page_dirty(&x->f->mem, first + 6));
	assert_false(mem_page_dirty(&x->f->mem, first + 7));
	assert_false(mem_page_dirty(&x->f->mem, first + 3));
	assert_int_equal(emu_run_blob(&x->e, store, sizeof(store), &regs), EMU_OK);
	for (uint32_t i = 0; i < w->page_count; i++) {
		assert_true(mem_page_dirty(&x->f->mem, first + i));
	}
	mem_reset(&x->f->mem);
	assert_int_equal(x->f->mem.ram[(size_t)(first + 3) * FFA_PAGE_SIZE + 8], 0);
	assert_int_equal(x->f->mem.ram[(size_t)(first + 6) * FFA_PAGE_SIZE], 0);
	assert_false(mem_page_dirty(&x->f->mem, first + 3));
}

/* emu.h emu_guest_ram_readonly(): a guest store into RAM faults; stub calls and emu_write() still work. */
static void test_emu_readonly_ram_stops_guest_stores(void **state)
{
	struct emu_fx *x = *state;
	static const uint32_t store[] = {0xf9000001, 0xd65f03c0}; /* str x1, [x0]; ret */
	struct smccc_regs regs = {.x = {VM_IPA + 8, 0x5A5A}};
	struct smccc_regs r;

	emu_guest_ram_readonly(&x->e);
	assert_int_equal(emu_run_blob(&x->e, store, sizeof(store), &regs), EMU_ERR_FAULT);
	assert_int_equal(x->e.uc_error, UC_ERR_WRITE_PROT);
	emu_reset(&x->e);
	r = emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	assert_int_equal(r.x[0], FFA_VERSION_1_2);
	assert_int_equal(emu_write(&x->e, VM_IPA, "ab", 2), EMU_OK);
	assert_memory_equal(x->f->mem.ram + (mediator_vm(&x->f->m, GUEST1)->window.pa_base -
					     x->f->mem.pa_base),
			    "ab", 2);
}

/* unicorn-notes.md: an undefined instruction stops the run and is reported, not re-executed. */
static void test_emu_undefined_instruction_reported(void **state)
{
	struct emu_fx *x = *state;
	static const uint32_t udf[] = {0x00000000}; /* udf #0 */
	struct smccc_regs regs = {{0}};

	assert_int_equal(emu_run_blob(&x->e, udf, sizeof(udf), &regs), EMU_ERR_EXCEPTION);
	assert_int_equal(x->e.exception, EMU_EXCP_UDEF);
	/* A breakpoint too. */
	static const uint32_t brk[] = {0xd4200000}; /* brk #0 */

	emu_reset(&x->e);
	assert_int_equal(emu_run_blob(&x->e, brk, sizeof(brk), &regs), EMU_ERR_EXCEPTION);
	assert_int_equal(x->e.exception, EMU_EXCP_BKPT);
}

/* A blob touching unmapped memory is a fault, reported. */
static void test_emu_unmapped_access_reported(void **state)
{
	struct emu_fx *x = *state;
	static const uint32_t load[] = {0xf9400000, 0xd65f03c0}; /* ldr x0, [x0]; ret */
	struct smccc_regs regs = {.x = {0x40000000}};

	assert_int_equal(emu_run_blob(&x->e, load, sizeof(load), &regs), EMU_ERR_FAULT);
	assert_int_equal(x->e.uc_error, UC_ERR_READ_UNMAPPED);
}

/* The oracle: the same calls through the stub and directly give identical results. */
static void test_emu_compare_stub_and_direct(void **state)
{
	struct emu_fx *x = *state;
	struct fixture *twin = fixture_with(NULL);
	const struct smccc_regs calls[] = {
		call_of(FFA_VERSION_32, FFA_VERSION_1_1, 0, 0),
		call_of(FFA_ID_GET_32, 0, 0, 0),
		call_of(FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1),
		call_of(FFA_PARTITION_INFO_GET_32, 0, 0, 0),
		call_of(FFA_RX_RELEASE_32, 0, 0, 0),
		call_of(FFA_RX_RELEASE_32, 0, 0, 0),
		call_of(FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(GUEST1, 0x8001), 0, 0x1234),
		call_of(0xC40000FFU, 1, 2, 3),
	};

	assert_int_equal(emu_compare(&x->e, &twin->m, calls, sizeof(calls) / sizeof(calls[0])), -1);
	fixture_free(twin);
}

/* The oracle can fail: a twin in another state disagrees at the first call. */
static void test_emu_compare_reports_difference(void **state)
{
	struct emu_fx *x = *state;
	struct fixture *twin = fixture_with(NULL);
	const struct smccc_regs calls[] = {call_of(FFA_ID_GET_32, 0, 0, 0)};

	fx_negotiate(twin, GUEST1, FFA_VERSION_1_2); /* the stub's mediator has not negotiated */
	assert_int_equal(emu_compare(&x->e, &twin->m, calls, 1), 0);
	fixture_free(twin);
}

static long rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld %ld", &pages, &resident), 2);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void count_edge(uc_engine *uc, void *cur, void *prev, void *user)
{
	(void)uc;
	(void)cur;
	(void)prev;
	(*(unsigned long *)user)++;
}

/*
 * unicorn-notes.md G1: with the stop address alone on its page nothing is
 * translated again per call, and one million calls leave the resident
 * memory within a few MiB of where it started.
 */
static void test_emu_million_calls_flat(void **state)
{
	struct emu_fx *x = *state;
	struct smccc_regs in = call_of(FFA_ID_GET_32, 0, 0, 0), out;
	unsigned long edges = 0, after_warmup;
	uc_hook hook;
	long before;

	emu_ok_call(&x->e, EMU_SMC, call_of(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0));
	assert_int_equal(uc_hook_add(x->e.uc, &hook, UC_HOOK_EDGE_GENERATED, (void *)count_edge,
				     &edges, 1, 0),
			 UC_ERR_OK);
	for (unsigned i = 0; i < 10000; i++) {
		assert_int_equal(emu_call(&x->e, EMU_SMC, &in, &out), EMU_OK);
	}
	after_warmup = edges;
	before = rss_kib();
	for (unsigned i = 0; i < 1000000; i++) {
		if (emu_call(&x->e, EMU_SMC, &in, &out) != EMU_OK || out.x[2] != GUEST1) {
			fail_msg("call %u failed", i);
		}
	}
	assert_int_equal(edges, after_warmup); /* no block translated again */
	if (rss_kib() - before > 4096) {
		fail_msg("resident memory grew %ld KiB over one million calls", rss_kib() - before);
	}
	uc_hook_del(x->e.uc, hook);
}

/* ASan's quarantine would hold Unicorn's per-store allocations: keep it small here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=1";
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, emu_setup, emu_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_emu_smc_reaches_mediator),
		T(test_emu_hvc_needs_hce),
		T(test_emu_eighteen_registers_round_trip),
		T(test_emu_req2_payload_through_stub),
		T(test_emu_smc32_result_zero_extended),
		T(test_emu_smccc11_entry_four_results),
		T(test_emu_callee_saved_survive),
		T(test_emu_canary_catches_clobber),
		T(test_emu_guest_reads_partition_info),
		T(test_emu_guest_written_tx_reaches_mediator),
		T(test_emu_writes_mark_pages_dirty),
		T(test_emu_readonly_ram_stops_guest_stores),
		T(test_emu_undefined_instruction_reported),
		T(test_emu_unmapped_access_reported),
		T(test_emu_compare_stub_and_direct),
		T(test_emu_compare_reports_difference),
		T(test_emu_million_calls_flat),
	};

	return cmocka_run_group_tests_name("emu", tests, NULL, NULL);
}
