/*
 * The hypervisor services Linux pKVM's FF-A proxy calls (what `nm -u ffa.o`
 * lists; pkvm-host.md), for the instance pkvm_shim_enter() made current:
 *
 * - memory ownership, with pKVM's rules (arch/arm64/kvm/hyp/nvhe/
 *   mem_protect.c, non-debug build, as pkvm-host.md tabulates them):
 *     __pkvm_host_share_hyp(pfn): host OWNED -> SHARED_OWNED, hypervisor
 *       NOPAGE -> SHARED_BORROWED; not host memory (or not OWNED): -EPERM.
 *     __pkvm_host_unshare_hyp(pfn): host SHARED_OWNED -> OWNED, hypervisor
 *       mapping removed; -EPERM if not SHARED_OWNED, -EBUSY while pinned. The
 *       hypervisor side is not checked (its ack is skipped for host-initiated
 *       transitions); removing a mapping it does not have fails inside
 *       do_unshare(), which is a WARN in pKVM.
 *     hyp_pin_shared_mem(from, to): every page host SHARED_OWNED and
 *       hypervisor SHARED_BORROWED, else -EPERM; pin count +1 each.
 *     hyp_unpin_shared_mem(from, to): pin count -1 each.
 *     __pkvm_host_share_ffa(pfn, n): all n host OWNED -> SHARED_OWNED, all
 *       or nothing (-EPERM); n = 0 succeeds. Share and lend alike.
 *     __pkvm_host_unshare_ffa(pfn, n): all n SHARED_OWNED -> OWNED, all or
 *       nothing (-EPERM); with whom a page was shared is not recorded.
 *   The platform memory model mirrors each host page: OWNED is private to
 *   the host; SHARED_OWNED is a mailbox page while the hypervisor maps it
 *   (the host's RX/TX) and a shared page otherwise (given to FF-A; pKVM
 *   keeps the host's access to lent memory too).
 * - the linear map: hypervisor VAs are the memory model's host pointers.
 * - spinlocks: taking a held lock (a deadlock at EL2) or releasing a free
 *   one is a finding at once; a lock still held when the handler returns is
 *   a finding in backend.c.
 * - WARN_ON: pKVM panics at EL2 (handle_exit.c), so a WARN is a finding.
 * - EL3: the proxy's SMCs reach the SPMC model with the observer told.
 *
 * A finding prints "ffa-emu backend: <rule>: <detail>" and aborts, or goes to
 * backend_finding_hook. Rules: pkvm-warn, pkvm-lock-twice, pkvm-unlock-free,
 * pkvm-lock-held (backend.c).
 */
#include "pkvm.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/asm/kvm_host.h"
#include "include/linux/arm-smccc.h"
#include "include/nvhe/mem_protect.h"
#include "include/nvhe/memory.h"
#include "include/nvhe/spinlock.h"
#include "mediator/check.h"
#include "mediator/finding.h"
#include "spmc/spmc.h"

__attribute__((noreturn)) void pkvm_shim_warn(const char *file, int line, const char *cond);

/* hyp_ffa_init() leaves FF-A off below SMCCC 1.2; pKVM hosts run 1.2 or later. */
struct kvm_host_psci_config kvm_host_psci_config = {.smccc_version = ARM_SMCCC_VERSION_1_2};

static struct pkvm *cur; /* the instance the proxy is running for */

void pkvm_shim_enter(struct pkvm *pk)
{
	cur = pk;
}

struct pkvm *pkvm_shim_current(void)
{
	return cur;
}

void pkvm_finding(const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	finding_report(backend_finding_hook, "backend", rule, fmt, ap);
}

void pkvm_shim_warn(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');

	pkvm_finding("pkvm-warn", "WARN_ON(%s) at %s:%d", cond, base ? base + 1 : file, line);
}

/* --- Spinlocks --- */

void hyp_spin_lock(hyp_spinlock_t *lock)
{
	if (lock->locked) {
		pkvm_finding("pkvm-lock-twice", "a lock taken while held: a deadlock at EL2");
	}
	lock->locked = 1;
	cur->locks_held++;
}

void hyp_spin_unlock(hyp_spinlock_t *lock)
{
	if (!lock->locked) {
		pkvm_finding("pkvm-unlock-free", "a lock released that was not held");
	}
	lock->locked = 0;
	cur->locks_held--;
}

void hyp_assert_lock_held(hyp_spinlock_t *lock)
{
	if (!lock->locked) {
		pkvm_finding("pkvm-lock-twice", "hyp_assert_lock_held() on a free lock");
	}
}

/* --- The linear map --- */

void *hyp_phys_to_virt(phys_addr_t phys)
{
	uint8_t *p = mem_host(cur->mem, phys & ~(uint64_t)(MEM_PAGE_SIZE - 1), 1);

	/* The proxy maps only pages pKVM checked are memory: anything else is the shim's bug. */
	CHECK(p != NULL);
	return p + (phys & (MEM_PAGE_SIZE - 1));
}

phys_addr_t hyp_virt_to_phys(void *addr)
{
	const uint8_t *p = addr;
	uint64_t size = (uint64_t)cur->mem->page_count * MEM_PAGE_SIZE;

	CHECK(p >= cur->mem->ram && p < cur->mem->ram + size);
	return cur->mem->pa_base + (uint64_t)(p - cur->mem->ram);
}

/* --- Host stage-2 ownership --- */

/* The host page at @pfn, or NULL if it is not host memory (pKVM: NOPAGE to the host). */
static struct pkvm_page *host_page(uint64_t pfn)
{
	uint64_t first = cur->host_pa / MEM_PAGE_SIZE;

	return pfn >= first && pfn - first < cur->host_pages ? &cur->pages[pfn - first] : NULL;
}

void pkvm_mirror_page(struct pkvm *pk, uint32_t index)
{
	const struct pkvm_page *pg = &pk->pages[index];
	uint64_t pa = pk->host_pa + (uint64_t)index * MEM_PAGE_SIZE;
	const struct mem_page *now = mem_page_at(pk->mem, pa);
	enum mem_page_state want = pg->host == PKVM_PAGE_OWNED ? MEM_PAGE_PRIVATE
				   : pg->hyp == PKVM_PAGE_SHARED_BORROWED ? MEM_PAGE_MAILBOX
									   : MEM_PAGE_SHARED;

	CHECK(now != NULL && now->owner == PKVM_HOST_ID);
	if (now->state != want) {
		CHECK(mem_transition(pk->mem, pa, 1, PKVM_HOST_ID, (enum mem_page_state)now->state,
				     want) == FFA_OK);
	}
}

/* Whether pages [pfn, +n) are all host memory with the host in @state. */
static bool host_range_in(uint64_t pfn, uint64_t n, enum pkvm_page_state state)
{
	for (uint64_t i = 0; i < n; i++) {
		const struct pkvm_page *pg = host_page(pfn + i);

		if (pg == NULL || pg->host != state) {
			return false;
		}
	}
	return true;
}

static void host_range_set(uint64_t pfn, uint64_t n, enum pkvm_page_state state)
{
	for (uint64_t i = 0; i < n; i++) {
		host_page(pfn + i)->host = state;
		pkvm_mirror_page(cur, (uint32_t)(pfn + i - cur->host_pa / MEM_PAGE_SIZE));
	}
}

int __pkvm_host_share_hyp(u64 pfn)
{
	if (!host_range_in(pfn, 1, PKVM_PAGE_OWNED)) {
		return -EPERM;
	}
	host_page(pfn)->hyp = PKVM_PAGE_SHARED_BORROWED;
	host_range_set(pfn, 1, PKVM_PAGE_SHARED_OWNED);
	return 0;
}

int __pkvm_host_unshare_hyp(u64 pfn)
{
	struct pkvm_page *pg;

	if (!host_range_in(pfn, 1, PKVM_PAGE_SHARED_OWNED)) {
		return -EPERM;
	}
	pg = host_page(pfn);
	if (pg->pins != 0) {
		return -EBUSY;
	}
	host_range_set(pfn, 1, PKVM_PAGE_OWNED);
	/* do_unshare(): WARN_ON(__do_unshare()) when the hypervisor had no mapping to remove. */
	if (pg->hyp != PKVM_PAGE_SHARED_BORROWED) {
		pkvm_shim_warn(__FILE__, __LINE__, "__do_unshare(): no hypervisor mapping to remove");
	}
	pg->hyp = PKVM_NOPAGE;
	pkvm_mirror_page(cur, (uint32_t)(pfn - cur->host_pa / MEM_PAGE_SIZE));
	return 0;
}

int hyp_pin_shared_mem(void *from, void *to)
{
	uint64_t start = hyp_virt_to_phys(from) & ~(uint64_t)(MEM_PAGE_SIZE - 1);
	uint64_t end = (uint64_t)((uint8_t *)to - (uint8_t *)from) + hyp_virt_to_phys(from);
	uint64_t first = start / MEM_PAGE_SIZE, n = (end + MEM_PAGE_SIZE - 1) / MEM_PAGE_SIZE - first;

	if (!host_range_in(first, n, PKVM_PAGE_SHARED_OWNED)) {
		return -EPERM;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (host_page(first + i)->hyp != PKVM_PAGE_SHARED_BORROWED) {
			return -EPERM;
		}
	}
	for (uint64_t i = 0; i < n; i++) {
		host_page(first + i)->pins++;
	}
	return 0;
}

void hyp_unpin_shared_mem(void *from, void *to)
{
	uint64_t start = hyp_virt_to_phys(from) & ~(uint64_t)(MEM_PAGE_SIZE - 1);
	uint64_t end = (uint64_t)((uint8_t *)to - (uint8_t *)from) + hyp_virt_to_phys(from);

	for (uint64_t pfn = start / MEM_PAGE_SIZE; pfn * MEM_PAGE_SIZE < end; pfn++) {
		struct pkvm_page *pg = host_page(pfn);

		/* pKVM's hyp_page_ref_dec() BUG()s on a count of zero. */
		if (pg == NULL || pg->pins == 0) {
			pkvm_finding("pkvm-warn", "hyp_unpin_shared_mem() of page %#llx not pinned",
				     (unsigned long long)(pfn * MEM_PAGE_SIZE));
		}
		pg->pins--;
	}
}

int __pkvm_host_share_ffa(u64 pfn, u64 nr_pages)
{
	if (!host_range_in(pfn, nr_pages, PKVM_PAGE_OWNED)) {
		return -EPERM;
	}
	host_range_set(pfn, nr_pages, PKVM_PAGE_SHARED_OWNED);
	return 0;
}

int __pkvm_host_unshare_ffa(u64 pfn, u64 nr_pages)
{
	if (!host_range_in(pfn, nr_pages, PKVM_PAGE_SHARED_OWNED)) {
		return -EPERM;
	}
	host_range_set(pfn, nr_pages, PKVM_PAGE_OWNED);
	return 0;
}

/* --- EL3 --- */

static void observe(struct pkvm *pk, enum mediator_event_kind kind, const struct smccc_regs *r,
		    bool unfiltered)
{
	if (pk->observe != NULL) {
		struct mediator_event ev = {
			.kind = kind, .vm_id = PKVM_HOST_ID, .regs = r, .unfiltered = unfiltered};

		pk->observe(pk->observe_ctx, &ev);
	}
}

struct smccc_regs pkvm_el3_call(struct pkvm *pk, const struct smccc_regs *req, bool unfiltered)
{
	struct smccc_regs res;

	observe(pk, MEDIATOR_EV_SPMC_CALL, req, unfiltered);
	res = spmc_ns_call(pk->spmc, req);
	observe(pk, MEDIATOR_EV_SPMC_REPLY, &res, unfiltered);
	return res;
}

void pkvm_host_interrupts(struct pkvm *pk)
{
	struct smccc_regs irq = {.x = {FFA_SRI_INTID}};

	if (spmc_sri_take(pk->spmc)) {
		observe(pk, MEDIATOR_EV_GUEST_IRQ, &irq, false);
	}
}

/*
 * SMCCC 1.1 from the proxy: x0-x7 as given; x8-x17 are not arguments of a
 * 1.1 call, and what the proxy's registers held there is not ours to know,
 * so they go as zero. Only x0-x3 come back.
 */
void pkvm_shim_smccc_1_1(unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3,
			 unsigned long a4, unsigned long a5, unsigned long a6, unsigned long a7,
			 struct arm_smccc_res *res)
{
	struct smccc_regs req = {.x = {a0, a1, a2, a3, a4, a5, a6, a7}};
	struct smccc_regs out = pkvm_el3_call(cur, &req, false);

	*res = (struct arm_smccc_res){out.x[0], out.x[1], out.x[2], out.x[3]};
}

void arm_smccc_1_2_smc(const struct arm_smccc_1_2_regs *args, struct arm_smccc_1_2_regs *res)
{
	struct smccc_regs req, out;

	_Static_assert(sizeof(*args) == sizeof(req.x), "x0-x17");
	memcpy(req.x, args, sizeof(req.x));
	out = pkvm_el3_call(cur, &req, false);
	memcpy(res, out.x, sizeof(out.x));
}
