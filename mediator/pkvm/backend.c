/*
 * The pkvm backend (pkvm.h): start-up as pKVM does it, the host's SMC trap
 * path into the proxy, and the proxy's file-scope state per instance.
 *
 * Start-up: the host's pages (host_pa.., IPA = PA) are the host's OWNED
 * pages; the proxy's hyp_ffa_proxy_pages() follow them, owned by the
 * hypervisor (its TX and RX as mailbox pages, the descriptor buffer
 * private); hyp_ffa_init() runs as pKVM's setup does (its FFA_VERSION to EL3).
 *
 * The proxy's state: its statics live in the sections pkvm_ffa_bss and
 * pkvm_ffa_data (the build renames ffa.o's .bss and .data), one copy per
 * process. The live instance owns them; entering another instance saves
 * them into the live one's state[] and loads the other's. Under ASan the
 * range has redzones between the globals, so the copy is byte by byte in a
 * function built without ASan (pkvm-host.md).
 *
 * A data abort at EL2: an access of the proxy's that faults (SIGSEGV or
 * SIGBUS while it runs) is what a wild pointer does at EL2, where the
 * hypervisor panics. It ends the call and is the finding pkvm-el2-abort,
 * naming the function (when a sanitizer runtime can symbolize it), so a
 * known one can be masked while fuzzing like any other (the harness's
 * backend_finding_hook). A fault outside the proxy goes to the handler that
 * was there before ours (ASan's, libFuzzer's). An access that lands in
 * mapped memory does not fault: as at EL2, nothing sees it.
 */
#define _GNU_SOURCE
#include "pkvm.h"

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "mediator/check.h"
#include "spmc/spmc.h"

#include "include/asm/kvm_host.h"

/* The proxy's entry points (arch/arm64/kvm/hyp/include/nvhe/ffa.h), and its page budget. */
int hyp_ffa_init(void *pages);
bool kvm_host_ffa_handler(struct kvm_cpu_context *host_ctxt, uint32_t func_id);
unsigned long pkvm_proxy_pages(void);

#define SMCCC_CALL_HINTS (1ULL << 16) /* stripped by handle_host_smc() */

/* Linker-provided bounds of the renamed sections (weak: a tree may have no .data). */
extern uint8_t __start_pkvm_ffa_bss[] __attribute__((weak));
extern uint8_t __stop_pkvm_ffa_bss[] __attribute__((weak));
extern uint8_t __start_pkvm_ffa_data[] __attribute__((weak));
extern uint8_t __stop_pkvm_ffa_data[] __attribute__((weak));

/* The sanitizer runtime's symbolizer, when one is linked in (not in the AFL++ and bench builds). */
void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t len) __attribute__((weak));

static sigjmp_buf el2_abort;
static volatile sig_atomic_t in_proxy; /* the proxy is running: a fault is an EL2 data abort */
static void *volatile abort_pc, *volatile abort_addr;
static struct sigaction chained[2]; /* SIGSEGV's and SIGBUS's handlers before ours */

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	if (in_proxy) {
		in_proxy = 0;
		abort_addr = si->si_addr;
#if defined(__x86_64__)
		abort_pc = (void *)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
		abort_pc = (void *)((ucontext_t *)uc)->uc_mcontext.pc;
#endif
		siglongjmp(el2_abort, 1);
	}
	/* Not the proxy's: put the previous handler back; the access faults again into it. */
	sigaction(sig, &chained[sig == SIGBUS], NULL);
}

/* Put on_fault() in front of whatever handles SIGSEGV and SIGBUS now, chaining to it. */
static void install_on_fault(void)
{
	static const int sigs[2] = {SIGSEGV, SIGBUS};
	struct sigaction sa = {.sa_flags = SA_SIGINFO | SA_NODEFER}, now;

	sa.sa_sigaction = on_fault;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < 2; i++) {
		sigaction(sigs[i], NULL, &now);
		if (now.sa_sigaction != on_fault) {
			chained[i] = now;
			sigaction(sigs[i], &sa, NULL);
		}
	}
}

/*
 * Ours must be the handler while the proxy runs. Fuzzing engines install
 * theirs after the target's initialisation (libFuzzer does, after
 * LLVMFuzzerInitialize(), where start-up ran): so once at the first start,
 * and once again at the first call, which comes after them.
 */
static void catch_el2_aborts(bool first_call)
{
	static bool at_start, at_call;

	if (first_call ? !at_call : !at_start) {
		install_on_fault();
		*(first_call ? &at_call : &at_start) = true;
	}
}

/* Report the EL2 data abort just caught (does not return). */
static void el2_abort_finding(struct pkvm *pk, uint32_t func_id)
{
	char where[128] = "";

	pk->in_call = false;
	if (__sanitizer_symbolize_pc != NULL) {
		__sanitizer_symbolize_pc(abort_pc, "%f", where, sizeof(where));
	}
	pkvm_finding("pkvm-el2-abort", "%#x: a data abort at EL2 in %s (pc %p, address %p)", func_id,
		     where[0] ? where : "the proxy", abort_pc, abort_addr);
}

static struct pkvm *live; /* the instance whose state is in the sections */
static uint8_t pristine[PKVM_STATE_MAX]; /* the sections as loaded, before any instance ran */
static bool have_pristine;

static size_t bss_size(void)
{
	return (size_t)(__stop_pkvm_ffa_bss - __start_pkvm_ffa_bss);
}

static size_t data_size(void)
{
	return (size_t)(__stop_pkvm_ffa_data - __start_pkvm_ffa_data);
}

/* Copy @n bytes, redzones included: no ASan, and no memcpy (it is intercepted). */
__attribute__((no_sanitize("address"))) static void copy_raw(uint8_t *dst, const uint8_t *src,
							      size_t n)
{
	volatile uint8_t *d = dst;
	const volatile uint8_t *s = src;

	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
	}
}

static void state_save(uint8_t *state)
{
	CHECK(bss_size() + data_size() <= PKVM_STATE_MAX);
	copy_raw(state, __start_pkvm_ffa_bss, bss_size());
	copy_raw(state + bss_size(), __start_pkvm_ffa_data, data_size());
}

static void state_load(const uint8_t *state)
{
	copy_raw(__start_pkvm_ffa_bss, state, bss_size());
	copy_raw(__start_pkvm_ffa_data, state + bss_size(), data_size());
}

/* Make @pk the instance the proxy runs for: its state in the sections. */
static void enter(struct pkvm *pk)
{
	if (live != pk) {
		if (live != NULL) {
			state_save(live->state);
		}
		state_load(pk->state);
		live = pk;
	}
	pkvm_shim_enter(pk);
}

void pkvm_mem_extent(const struct mediator_config *cfg, uint64_t *base, uint32_t *pages)
{
	*base = cfg->vms[0].pa_base;
	*pages = cfg->vms[0].page_count + (uint32_t)pkvm_proxy_pages();
}

const struct pkvm_page *pkvm_page_of(const struct pkvm *pk, uint64_t pa)
{
	uint64_t i = (pa - pk->host_pa) / MEM_PAGE_SIZE;

	return pa >= pk->host_pa && i < pk->host_pages ? &pk->pages[i] : NULL;
}

int pkvm_start(struct pkvm *pk, const struct mediator_config *cfg, struct mem *mem,
	       struct spmc *spmc)
{
	const struct mediator_vm_config *host = &cfg->vms[0];
	uint32_t proxy = (uint32_t)pkvm_proxy_pages();
	int err;

	*pk = (struct pkvm){.mem = mem, .spmc = spmc, .observe = cfg->observe,
			    .observe_ctx = cfg->observe_ctx};
	if (cfg->vm_count != 1 || host->id != PKVM_HOST_ID || host->ipa_base != host->pa_base ||
	    host->page_count == 0 || host->page_count > PKVM_MAX_HOST_PAGES) {
		return FFA_INVALID_PARAMETERS;
	}
	/* The SPMC judges the host's pages by pKVM's rules (spmc.h struct spmc_ns_pages). */
	spmc_set_ns_pages(spmc, spmc_ns_pages_pkvm());
	pk->host_pa = host->pa_base;
	pk->host_pages = host->page_count;
	pk->proxy_pa = host->pa_base + (uint64_t)host->page_count * MEM_PAGE_SIZE;
	pk->proxy_pages = proxy;
	err = mem_assign(mem, pk->host_pa, pk->host_pages, PKVM_HOST_ID);
	if (err == FFA_OK) {
		err = mem_assign(mem, pk->proxy_pa, proxy, MEM_OWNER_HYP);
	}
	/* The hypervisor's TX and RX (KVM_FFA_MBOX_NR_PAGES each) are its mailbox at EL3. */
	if (err == FFA_OK) {
		err = mem_transition(mem, pk->proxy_pa, 2, MEM_OWNER_HYP, MEM_PAGE_PRIVATE,
				     MEM_PAGE_MAILBOX);
	}
	if (err != FFA_OK) {
		return err;
	}
	for (uint32_t i = 0; i < pk->host_pages; i++) {
		pk->pages[i] = (struct pkvm_page){.host = PKVM_PAGE_OWNED, .hyp = PKVM_NOPAGE};
	}
	/* A cold start: the proxy's statics as the loader left them, whatever ran before. */
	if (!have_pristine) {
		CHECK(live == NULL);
		state_save(pristine);
		have_pristine = true;
	}
	if (live != NULL && live != pk) {
		state_save(live->state);
	}
	live = pk;
	memcpy(pk->state, pristine, sizeof(pk->state));
	state_load(pk->state);
	pkvm_shim_enter(pk);
	catch_el2_aborts(false);
	pk->in_call = true;
	in_proxy = 1;
	if (sigsetjmp(el2_abort, 0) != 0) { /* no mask to save: on_fault runs SA_NODEFER */
		el2_abort_finding(pk, 0);
	}
	err = hyp_ffa_init(mem_host(mem, pk->proxy_pa, proxy));
	in_proxy = 0;
	pk->in_call = false;
	if (pk->locks_held != 0) {
		pkvm_finding("pkvm-lock-held", "hyp_ffa_init() returned holding %u lock(s)",
			     pk->locks_held);
	}
	/*
	 * hyp_ffa_init() returns 0 also when it leaves FF-A off (old SMCCC, or
	 * the SPMC refused FFA_VERSION); the host then gets NOT_SUPPORTED
	 * answers from EL3 for every FF-A call, as on a machine without one.
	 */
	pk->ffa_ready = err == 0;
	return err == 0 ? FFA_OK : FFA_NOT_SUPPORTED;
}

struct smccc_regs pkvm_call(struct pkvm *pk, const struct smccc_regs *call)
{
	struct kvm_cpu_context ctxt;
	struct smccc_regs out;
	uint64_t func_id = call->x[0] & ~SMCCC_CALL_HINTS;
	bool handled;

	enter(pk);
	catch_el2_aborts(true);
	memset(&ctxt, 0, sizeof(ctxt));
	memcpy(ctxt.regs.regs, call->x, sizeof(call->x));
	pk->in_call = true;
	in_proxy = 1;
	if (sigsetjmp(el2_abort, 0) != 0) { /* no mask to save: on_fault runs SA_NODEFER */
		el2_abort_finding(pk, (uint32_t)func_id);
	}
	handled = pk->ffa_ready && kvm_host_ffa_handler(&ctxt, (uint32_t)func_id);
	in_proxy = 0;
	pk->in_call = false;
	if (pk->locks_held != 0) {
		pkvm_finding("pkvm-lock-held", "%#x returned holding %u lock(s)", (uint32_t)func_id,
			     pk->locks_held);
	}
	if (!handled) {
		/* default_host_smc_handler(): x0-x17 to EL3 as the host made them, and back. */
		out = pkvm_el3_call(pk, call, true);
	} else {
		memcpy(out.x, ctxt.regs.regs, sizeof(out.x));
	}
	/* The host's view of its own pair, from what crossed the wire (the mailbox() op). */
	if ((uint32_t)out.x[0] == FFA_SUCCESS_32) {
		if ((uint32_t)call->x[0] == FFA_RXTX_MAP_64) {
			pk->mapped = true;
			pk->tx_pa = call->x[1];
			pk->rx_pa = call->x[2];
		} else if ((uint32_t)call->x[0] == FFA_RXTX_UNMAP_32) {
			pk->mapped = false;
		}
	}
	pkvm_host_interrupts(pk);
	return out;
}

void pkvm_copy(struct pkvm *dst, const struct pkvm *src)
{
	struct pkvm keep = *dst;

	if (live == src) {
		state_save(live->state);
	}
	*dst = *src;
	dst->mem = keep.mem;
	dst->spmc = keep.spmc;
	dst->observe = keep.observe;
	dst->observe_ctx = keep.observe_ctx;
	if (live == dst) {
		state_load(dst->state);
	}
}

/* --- The backend ops --- */

static int be_start(void *self, const struct mediator_config *cfg, struct mem *mem,
		    struct spmc *spmc)
{
	return pkvm_start(self, cfg, mem, spmc);
}

static struct smccc_regs be_call(void *self, ffa_id_t vm, const struct smccc_regs *call)
{
	CHECK(vm == PKVM_HOST_ID);
	return pkvm_call(self, call);
}

static void be_copy(void *dst, const void *src)
{
	pkvm_copy(dst, src);
}

static bool be_mailbox(const void *self, ffa_id_t vm, struct mailbox *mb)
{
	const struct pkvm *pk = self;

	if (vm != PKVM_HOST_ID || !pk->mapped) {
		return false;
	}
	/* KVM_FFA_MBOX_NR_PAGES: an RXTX_MAP of any other count is refused. 6.12's
	 * proxy keeps no RX ownership of the host's buffer: it is always FREE here. */
	mailbox_map(mb, pk->tx_pa, pk->rx_pa, 1);
	return true;
}

/*
 * What 6.12's proxy does by design that an oracle rule would call a
 * finding. Each is counted and its first reproducer kept by the harness;
 * none aborts a run.
 */
static const struct backend_deviation deviations[] = {
	{.rule = "spmc-fault",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "a call the proxy does not handle goes to EL3 with x0-x17 as the host made "
		   "them (hyp-main.c handle_host_smc -> default_host_smc_handler); the SPMC "
		   "checks it",
	 .clause = "DEN0077A v1.2: the SPMC validates the calls of the NS physical instance"},
	{.rule = "forwarded-names-caller",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "forwarded unfiltered: the host's own sender and receiver IDs reach EL3 "
		   "unchecked (the SPMC rejects a non-NS sender)",
	 .clause = "DEN0077A v1.2: the sender of a message is the caller"},
	{.rule = "smc32-zero-extension",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "forwarded unfiltered: EL3's x0-x17 reach the host as EL3 left them, upper "
		   "halves included (hyp-main.c default_host_smc_handler)",
	 .clause = "DEN0028 §2.6 (the SMC32 result registers)"},
	{.rule = "direct-response-id",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "forwarded unfiltered: whatever EL3 answers a direct request reaches the host",
	 .clause = "DEN0077A v1.2 FFA_MSG_SEND_DIRECT_REQ: the answers a request may get"},
	{.rule = "direct-response-endpoints",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "forwarded unfiltered: a direct response naming another partition or "
		   "endpoint (an SPMC's lie) reaches the host as EL3 made it",
	 .clause = "DEN0077A v1.2 §15.3: the response swaps the request's sender and receiver"},
	{.rule = "error-code-defined",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "forwarded unfiltered: an FFA_ERROR of EL3's reaches the host as EL3 made it",
	 .clause = "DEN0077A v1.2 FFA_ERROR: the status codes"},
	{.rule = "direct-payload-relayed",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "forwarded unfiltered: the payload is the host's own, whatever the width",
	 .clause = "DEN0077A v1.2 FFA_MSG_SEND_DIRECT_REQ/REQ2: the payload registers"},
	{.rule = "spmc-fault",
	 .detail = "PARTITION_INFO_GET without a mapped, free RX buffer",
	 .scope = BACKEND_SCOPE_ALWAYS,
	 .reason = "the proxy copies the list out of its RX but never releases it (ffa.c "
		   "do_ffa_part_get()): the host's own FFA_RX_RELEASE, passed through, frees it "
		   "at EL3, so a host that does not release gets BUSY from the SPMC next time",
	 .clause = "DEN0077A v1.2 FFA_PARTITION_INFO_GET and FFA_RX_RELEASE: RX ownership"},
	{.rule = "spmc-fault",
	 .detail = "a memory descriptor the mediator should have refused|memory sent to a receiver "
		   "that is no partition|memory send while another is in fragments|a first memory "
		   "fragment without every access descriptor|FRAG_TX",
	 .scope = BACKEND_SCOPE_ALWAYS,
	 .reason = "the proxy checks only what its stage-2 update depends on (ffa.c "
		   "__do_ffa_mem_xfer(): one receiver, sender 0, the composite offset, whole "
		   "constituents; do_ffa_mem_frag_tx(): whole constituents) and keeps no record of "
		   "transactions: the descriptor's other fields, its receivers, the fragments' order "
		   "and handles are the SPMC's to check",
	 .clause = "DEN0077A v1.2 memory management: the relayer's and the SPMC's checks"},
	{.rule = "rxtx-state",
	 .detail = "released an RX it does not own",
	 .scope = BACKEND_SCOPE_PASSTHROUGH,
	 .reason = "FFA_RX_RELEASE is passed through (the proxy keeps no record of the host's "
		   "RX): EL3 answers for the hypervisor's own RX, which a partition-info call the "
		   "proxy failed (ffa.c do_ffa_part_get(): ABORTED after the SPMC filled it) or "
		   "the host's own FFA_RX_ACQUIRE left held, not for the host's",
	 .clause = "DEN0077A v1.2 FFA_RX_RELEASE: DENIED unless the caller owns its RX"},
	{.rule = "partition-list",
	 .detail = "a v1.0 answer with w3",
	 .scope = BACKEND_SCOPE_ALWAYS,
	 .reason = "at v1.0 the proxy relays the SPMC's answer to FFA_PARTITION_INFO_GET with "
		   "its w3 as EL3 left it (ffa.c do_ffa_part_get() reads the size only from "
		   "v1.1 on); only a lying SPMC model (struct spmc.mem_lie) puts one there",
	 .clause = "DEN0077A v1.0 FFA_PARTITION_INFO_GET: w3 is reserved (MBZ)"},
	{.rule = "mem-handle-fresh",
	 .scope = BACKEND_SCOPE_ALWAYS,
	 .reason = "the proxy keeps no record of transactions and relays EL3's handle as it is "
		   "(ffa.c do_ffa_mem_xfer()); only a lying SPMC model (struct spmc.mem_lie) "
		   "answers a send with a handle already live",
	 .clause = "DEN0077A v1.2 §11: a handle names one transaction"},
	{.rule = "mem-reclaim",
	 .detail = "no borrower holds it (no pair mapped)",
	 .scope = BACKEND_SCOPE_ALWAYS,
	 .reason = "the proxy reclaims through its own pair at EL3 (ffa.c do_ffa_mem_reclaim() "
		   "retrieves the descriptor into hyp_buffers), which it holds only while the host "
		   "has a pair mapped: after the host's FFA_RXTX_UNMAP, EL3 refuses that retrieve "
		   "and the proxy relays DENIED; the host reclaims once it maps a pair again",
	 .clause = "DEN0077A v1.2 §16.9 FFA_MEM_RECLAIM: DENIED while a borrower holds the memory"},
	{.rule = "share-success-handle",
	 .scope = BACKEND_SCOPE_ALWAYS,
	 .reason = "the proxy relays EL3's answer to a share or lend as it is (it trusts EL3 "
		   "by design, as ffa.c do_ffa_mem_reclaim() says); only a lying SPMC model "
		   "(struct spmc.mem_lie) answers SUCCESS with a handle it does not hold",
	 .clause = "DEN0077A v1.2 FFA_MEM_SHARE: SUCCESS carries the transaction's handle"},
	{.rule = NULL},
};

const struct backend_ops backend_pkvm = {
	.name = "pkvm",
	.size = sizeof(struct pkvm),
	.host_only = true,
	.profile = MEDIATOR_PROFILE_PKVM,
	.start = be_start,
	.call = be_call,
	.copy = be_copy,
	.mailbox = be_mailbox,
	.mem_extent = pkvm_mem_extent,
	.deviations = deviations,
};
