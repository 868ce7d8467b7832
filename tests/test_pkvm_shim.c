/*
 * The pkvm backend's shim (mediator/pkvm/): the hypervisor around Linux's
 * unmodified FF-A proxy. Each test names the pKVM rule it shows
 * (pkvm-host.md, from mem_protect.c, hyp-main.c and ffa.c's callers):
 * the host's stage-2 ownership transitions and the hypervisor's pin counts,
 * the trap path that forwards an unhandled call to EL3 unfiltered, lock
 * misuse and WARN as findings, and a restored snapshot behaving exactly as
 * a cold start.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../mediator/pkvm/include/nvhe/mem_protect.h"
#include "../mediator/pkvm/include/nvhe/spinlock.h"
#include "../mediator/pkvm/pkvm.h"
#include "spmc/spmc.h"

#define HOST_PA 0x80000000ULL /* IPA = PA */
#define HOST_PAGES 16U
#define PG MEM_PAGE_SIZE
#define PFN(pa) ((pa) / PG)

struct env {
	struct mem mem;
	struct spmc spmc;
	struct pkvm pk;
	struct mediator_config cfg;
	unsigned forwarded;        /* SPMC calls seen by the observer */
	unsigned unfiltered;       /* ... of which the host's own, unfiltered */
	struct smccc_regs last_req; /* the last one */
};

static void observe(void *ctx, const struct mediator_event *ev)
{
	struct env *e = ctx;

	if (ev->kind == MEDIATOR_EV_SPMC_CALL) {
		e->forwarded++;
		e->unfiltered += ev->unfiltered;
		e->last_req = *ev->regs;
	}
}

static void env_start(struct env *e)
{
	uint64_t base;
	uint32_t pages;

	memset(e, 0, sizeof(*e));
	mediator_config_default(&e->cfg, MEDIATOR_PROFILE_PKVM);
	e->cfg.vm_count = 1;
	e->cfg.vms[0].ipa_base = HOST_PA;
	e->cfg.vms[0].pa_base = HOST_PA;
	e->cfg.vms[0].page_count = HOST_PAGES;
	e->cfg.observe = observe;
	e->cfg.observe_ctx = e;
	pkvm_mem_extent(&e->cfg, &base, &pages);
	assert_int_equal(mem_init(&e->mem, base, pages), FFA_OK);
	spmc_init(&e->spmc, spmc_manifest_default(), &e->mem);
	assert_int_equal(pkvm_start(&e->pk, &e->cfg, &e->mem, &e->spmc), FFA_OK);
}

static int setup(void **state)
{
	static struct env e;

	env_start(&e);
	*state = &e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	mem_fini(&e->mem);
	return 0;
}

static struct smccc_regs host_call(struct env *e, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct smccc_regs r = {.x = {fid, a1, a2, a3}};

	return pkvm_call(&e->pk, &r);
}

/* The host's FFA_VERSION(1.1): pKVM 6.12 negotiates FF-A 1.1 (hyp_ffa_init()). */
static void negotiate(struct env *e)
{
	assert_int_equal(host_call(e, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0).x[0], FFA_VERSION_1_1);
}

/* Shim findings are caught here: the hook longjmps back with the rule. */
static jmp_buf finding_jmp;
static char finding_rule[64];

static void catch_finding(const char *rule, const char *detail)
{
	(void)detail;
	snprintf(finding_rule, sizeof(finding_rule), "%s", rule);
	longjmp(finding_jmp, 1);
}

#define EXPECT_FINDING(rule, stmt)                                          \
	do {                                                                \
		finding_rule[0] = '\0';                                     \
		backend_finding_hook = catch_finding;                          \
		if (setjmp(finding_jmp) == 0) {                             \
			stmt;                                               \
		}                                                           \
		backend_finding_hook = NULL;                                   \
		assert_string_equal(finding_rule, rule);                    \
	} while (0)

/* hyp_ffa_init() asked the SPMC for FF-A 1.1, and nothing else (6.12's init). */
static void test_init_negotiates_1_1_with_the_spmc(void **state)
{
	struct env *e = *state;

	assert_int_equal(e->forwarded, 1);
	assert_int_equal(e->last_req.x[0], FFA_VERSION_32);
	assert_int_equal(e->last_req.x[1], FFA_VERSION_1_1);
	assert_true(e->pk.ffa_ready);
}

/*
 * __pkvm_host_share_hyp(): host OWNED -> SHARED_OWNED and the hypervisor
 * SHARED_BORROWED; a page that is not host memory, or not OWNED, -EPERM.
 * The platform model shows the page as the host's mailbox.
 */
static void test_share_hyp_needs_an_owned_host_page(void **state)
{
	struct env *e = *state;
	const struct pkvm_page *pg = pkvm_page_of(&e->pk, HOST_PA);

	pkvm_shim_enter(&e->pk);
	assert_int_equal(__pkvm_host_share_hyp(PFN(e->pk.proxy_pa)), -EPERM); /* the hypervisor's */
	assert_int_equal(__pkvm_host_share_hyp(PFN(HOST_PA - PG)), -EPERM);   /* not memory */
	assert_int_equal(__pkvm_host_share_hyp(PFN(HOST_PA)), 0);
	assert_int_equal(pg->host, PKVM_PAGE_SHARED_OWNED);
	assert_int_equal(pg->hyp, PKVM_PAGE_SHARED_BORROWED);
	assert_int_equal(mem_page_at(&e->mem, HOST_PA)->state, MEM_PAGE_MAILBOX);
	assert_int_equal(__pkvm_host_share_hyp(PFN(HOST_PA)), -EPERM); /* no longer OWNED */
	assert_int_equal(__pkvm_host_unshare_hyp(PFN(HOST_PA)), 0);
	assert_int_equal(pg->host, PKVM_PAGE_OWNED);
	assert_int_equal(pg->hyp, PKVM_NOPAGE);
	assert_int_equal(mem_page_at(&e->mem, HOST_PA)->state, MEM_PAGE_PRIVATE);
}

/*
 * hyp_pin_shared_mem() needs host SHARED_OWNED and hypervisor
 * SHARED_BORROWED; __pkvm_host_unshare_hyp() of a pinned page is -EBUSY
 * until it is unpinned.
 */
static void test_unshare_hyp_of_a_pinned_page_is_busy(void **state)
{
	struct env *e = *state;
	void *va = mem_host(&e->mem, HOST_PA + PG, 1);

	pkvm_shim_enter(&e->pk);
	assert_int_equal(hyp_pin_shared_mem(va, (char *)va + 1), -EPERM); /* not shared yet */
	assert_int_equal(__pkvm_host_share_hyp(PFN(HOST_PA + PG)), 0);
	assert_int_equal(hyp_pin_shared_mem(va, (char *)va + 1), 0);
	assert_int_equal(pkvm_page_of(&e->pk, HOST_PA + PG)->pins, 1);
	assert_int_equal(__pkvm_host_unshare_hyp(PFN(HOST_PA + PG)), -EBUSY);
	hyp_unpin_shared_mem(va, (char *)va + 1);
	assert_int_equal(__pkvm_host_unshare_hyp(PFN(HOST_PA + PG)), 0);
}

/*
 * __pkvm_host_share_ffa(pfn, n): all n OWNED -> SHARED_OWNED or none; n = 0
 * succeeds. The platform model shows them shared, the host still owning
 * them (pKVM keeps the host's access, lend or share).
 */
static void test_share_ffa_is_all_or_nothing(void **state)
{
	struct env *e = *state;

	pkvm_shim_enter(&e->pk);
	assert_int_equal(__pkvm_host_share_ffa(PFN(HOST_PA + 5 * PG), 1), 0);
	/* pages 4..6: 5 is no longer OWNED, so 4 and 6 stay as they were */
	assert_int_equal(__pkvm_host_share_ffa(PFN(HOST_PA + 4 * PG), 3), -EPERM);
	assert_int_equal(pkvm_page_of(&e->pk, HOST_PA + 4 * PG)->host, PKVM_PAGE_OWNED);
	assert_int_equal(pkvm_page_of(&e->pk, HOST_PA + 6 * PG)->host, PKVM_PAGE_OWNED);
	/* a range running past the end of host memory */
	assert_int_equal(__pkvm_host_share_ffa(PFN(HOST_PA + (HOST_PAGES - 1) * PG), 2), -EPERM);
	assert_int_equal(__pkvm_host_share_ffa(PFN(HOST_PA + 4 * PG), 0), 0);
	assert_int_equal(mem_page_at(&e->mem, HOST_PA + 5 * PG)->state, MEM_PAGE_SHARED);
	assert_int_equal(mem_page_at(&e->mem, HOST_PA + 5 * PG)->owner, PKVM_HOST_ID);
	assert_int_equal(__pkvm_host_unshare_ffa(PFN(HOST_PA + 4 * PG), 2), -EPERM); /* 4 OWNED */
	assert_int_equal(__pkvm_host_unshare_ffa(PFN(HOST_PA + 5 * PG), 1), 0);
	assert_int_equal(mem_page_at(&e->mem, HOST_PA + 5 * PG)->state, MEM_PAGE_PRIVATE);
}

/*
 * __pkvm_host_unshare_ffa() does not record or check with whom a page was
 * shared: it takes back a page shared with the hypervisor too (the host
 * side is SHARED_OWNED either way), leaving the hypervisor's mapping.
 */
static void test_unshare_ffa_does_not_check_with_whom(void **state)
{
	struct env *e = *state;

	pkvm_shim_enter(&e->pk);
	assert_int_equal(__pkvm_host_share_hyp(PFN(HOST_PA + 8 * PG)), 0);
	assert_int_equal(__pkvm_host_unshare_ffa(PFN(HOST_PA + 8 * PG), 1), 0);
	assert_int_equal(pkvm_page_of(&e->pk, HOST_PA + 8 * PG)->host, PKVM_PAGE_OWNED);
	assert_int_equal(pkvm_page_of(&e->pk, HOST_PA + 8 * PG)->hyp, PKVM_PAGE_SHARED_BORROWED);
}

/*
 * WARN is a finding: unsharing from the hypervisor a page it never mapped
 * (shared with FF-A instead) fails inside do_unshare(), whose WARN_ON
 * panics pKVM at EL2.
 */
static void test_warn_is_a_finding(void **state)
{
	struct env *e = *state;

	pkvm_shim_enter(&e->pk);
	assert_int_equal(__pkvm_host_share_ffa(PFN(HOST_PA + 9 * PG), 1), 0);
	EXPECT_FINDING("pkvm-warn", __pkvm_host_unshare_hyp(PFN(HOST_PA + 9 * PG)));
}

/* A lock taken twice deadlocks at EL2; a free lock released corrupts it: both findings. */
static void test_lock_misuse_is_a_finding(void **state)
{
	struct env *e = *state;
	hyp_spinlock_t lock = __HYP_SPIN_LOCK_UNLOCKED;

	pkvm_shim_enter(&e->pk);
	hyp_spin_lock(&lock);
	EXPECT_FINDING("pkvm-lock-twice", hyp_spin_lock(&lock));
	hyp_spin_unlock(&lock);
	EXPECT_FINDING("pkvm-unlock-free", hyp_spin_unlock(&lock));
	/* A lock held when the handler returns would stall the next call. */
	lock.locked = 0;
	e->pk.locks_held = 0;
	hyp_spin_lock(&lock);
	EXPECT_FINDING("pkvm-lock-held", host_call(e, FFA_VERSION_32, FFA_VERSION_1_1, 0, 0));
}

/*
 * hyp-main.c handle_host_smc(): a call the proxy does not handle goes to EL3
 * with x0-x17 as the host made them, and comes back unfiltered. 6.12's proxy
 * does not handle FFA_ID_GET.
 */
static void test_unhandled_call_passes_through_unfiltered(void **state)
{
	struct env *e = *state;
	struct smccc_regs call = {.x = {FFA_ID_GET_32}}, reply;

	negotiate(e);
	for (unsigned i = 1; i < SMCCC_REG_COUNT; i++) {
		call.x[i] = 0xA5A5000000000000ULL | i;
	}
	e->unfiltered = 0;
	reply = pkvm_call(&e->pk, &call);
	assert_int_equal(e->unfiltered, 1);
	assert_memory_equal(&e->last_req, &call, sizeof(call));
	assert_int_equal(reply.x[0], FFA_SUCCESS_32);
	assert_int_equal(reply.x[2], 0); /* the NS physical instance's ID */
	for (unsigned i = 8; i < SMCCC_REG_COUNT; i++) {
		assert_int_equal(reply.x[i], call.x[i]); /* an SMCCC 1.1 caller's x8-x17 back */
	}
}

/* The proxy refuses what it does not support (ffa_call_supported()) without forwarding. */
static void test_refused_call_is_not_forwarded(void **state)
{
	struct env *e = *state;
	struct smccc_regs reply;

	negotiate(e);
	e->forwarded = 0;
	reply = host_call(e, FFA_MEM_DONATE_64, 0, 0, 0);
	assert_int_equal(reply.x[0], FFA_ERROR_32);
	assert_int_equal((int32_t)reply.x[2], FFA_NOT_SUPPORTED);
	assert_int_equal(e->forwarded, 0);
}

/* Call @i of the sequence the snapshot test makes, its reply into out[@i]. */
static void run_sequence_step(struct env *e, unsigned i, struct smccc_regs *out)
{
	static const uint64_t calls[5][4] = {
		{FFA_VERSION_32, FFA_VERSION_1_1},
		{FFA_RXTX_MAP_64, HOST_PA, HOST_PA + PG, 1},
		{FFA_RXTX_MAP_64, HOST_PA, HOST_PA + PG, 1}, /* DENIED: mapped */
		{FFA_PARTITION_INFO_GET_32},
		{FFA_VERSION_32, FFA_VERSION_1_0}, /* locked at 1.1 */
	};

	out[i] = host_call(e, calls[i][0], calls[i][1], calls[i][2], calls[i][3]);
}

static void run_sequence(struct env *e, struct smccc_regs *out)
{
	for (unsigned i = 0; i < 5; i++) {
		run_sequence_step(e, i, out);
	}
}

/*
 * The proxy's file-scope state is snapshotted after start-up and restored
 * per input: a restored machine answers every call exactly as a
 * cold-started one and ends in the same state (the proxy's statics, page
 * records, pins). The two machines run call by call in turn, so each call
 * swaps the proxy's statics: each instance keeps its own.
 */
static void test_restored_start_equals_cold_start(void **state)
{
	struct env *a = *state;
	static struct env cold;
	static struct pkvm snap, after_first, after_second;
	static struct spmc spmc_snap;
	static struct smccc_regs first[5], restored[5], fresh[5];
	struct mem_snapshot msnap;

	assert_int_equal(mem_snapshot_take(&a->mem, &msnap), FFA_OK);
	spmc_state_copy(&spmc_snap, &a->spmc);
	pkvm_copy(&snap, &a->pk);
	run_sequence(a, first);
	assert_int_equal(first[1].x[0], FFA_SUCCESS_32);
	assert_int_equal((int32_t)first[2].x[2], FFA_DENIED);
	pkvm_copy(&after_first, &a->pk);

	mem_restore(&a->mem, &msnap);
	spmc_state_copy(&a->spmc, &spmc_snap);
	pkvm_copy(&a->pk, &snap);
	env_start(&cold);
	for (unsigned i = 0; i < 5; i++) { /* interleaved, one call each */
		run_sequence_step(a, i, restored);
		run_sequence_step(&cold, i, fresh);
	}
	assert_memory_equal(restored, first, sizeof(first));
	assert_memory_equal(fresh, first, sizeof(first));
	assert_memory_equal(a->pk.pages, cold.pk.pages, sizeof(a->pk.pages));
	pkvm_copy(&after_second, &a->pk);
	assert_memory_equal(after_second.state, after_first.state, sizeof(after_first.state));
	mem_snapshot_free(&msnap);
	mem_fini(&cold.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_negotiates_1_1_with_the_spmc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_share_hyp_needs_an_owned_host_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unshare_hyp_of_a_pinned_page_is_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_share_ffa_is_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unshare_ffa_does_not_check_with_whom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warn_is_a_finding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_misuse_is_a_finding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unhandled_call_passes_through_unfiltered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_call_is_not_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restored_start_equals_cold_start, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
