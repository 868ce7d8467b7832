/*
 * The pkvm backend: Linux pKVM's FF-A proxy (arch/arm64/kvm/hyp/nvhe/ffa.c,
 * compiled unmodified from the kernel tree) inside a shim that stands for
 * the hypervisor around it (pkvm-host.md):
 *
 * - the host SMC trap path (hyp-main.c handle_host_smc()): the SMCCC call
 *   hint bit stripped from the function ID, kvm_host_ffa_handler() tried,
 *   and a call it does not handle forwarded to EL3 (the SPMC model) with
 *   x0-x17 as the host made them, the answer stored back unfiltered;
 * - the proxy's own calls to EL3 (arm_smccc_1_1_smc(): x0-x3 come back;
 *   arm_smccc_1_2_smc() for trees that use it: x0-x17);
 * - the host's stage-2 page states and the hypervisor's pin counts, with
 *   pKVM's transition rules (mem_protect.c), mirrored onto the platform
 *   memory model the SPMC model and the oracle read;
 * - the spinlocks, with misuse fatal; WARN_ON as a finding (a panic at EL2);
 * - the proxy's file-scope state (its .bss and .data, renamed at build time
 *   to pkvm_ffa_bss / pkvm_ffa_data) saved and restored per instance, so a
 *   snapshot taken after start-up restores exactly, and two instances (the
 *   emu target's twin machines) can live in one process.
 *
 * pKVM has one FF-A client, the host, ID 0; its IPA is its PA.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/smccc.h"
#include "mediator/backend.h"
#include "mediator/mem.h"

#define PKVM_HOST_ID 0
#define PKVM_MAX_HOST_PAGES 64
#define PKVM_STATE_MAX 8192 /* bytes of the proxy's file-scope state: sanitizer data and redzones included */

/* pKVM's page states (mem_protect.h enum pkvm_page_state), per component. */
enum pkvm_page_state {
	PKVM_NOPAGE,         /* not mapped for this component */
	PKVM_PAGE_OWNED,
	PKVM_PAGE_SHARED_OWNED,
	PKVM_PAGE_SHARED_BORROWED,
};

struct pkvm_page {
	uint8_t host; /* the host's stage-2 state */
	uint8_t hyp;  /* the hypervisor's own mapping of it */
	uint16_t pins; /* hyp_pin_shared_mem() count */
};

struct pkvm {
	/* Fixed at start. */
	struct mem *mem;
	struct spmc *spmc;
	mediator_observer_fn observe;
	void *observe_ctx;
	uint64_t host_pa;     /* host memory, IPA = PA */
	uint32_t host_pages;
	uint64_t proxy_pa;    /* hyp_ffa_proxy_pages() pages owned by the hypervisor */
	uint32_t proxy_pages;
	bool ffa_ready;       /* hyp_ffa_init() returned 0 */
	/* Changed by calls. */
	struct pkvm_page pages[PKVM_MAX_HOST_PAGES];
	uint32_t locks_held;
	bool in_call;         /* inside kvm_host_ffa_handler() */
	bool mapped;          /* the host's pair, seen on the wire (the mailbox() op) */
	uint64_t tx_pa, rx_pa;
	/* The proxy's file-scope state while another instance is live. */
	uint8_t state[PKVM_STATE_MAX];
};

/**
 * pkvm_start() - start @pk: host memory [@cfg->vms[0]] assigned, the proxy's
 * pages after it, hyp_ffa_init() run (its FFA_VERSION to the SPMC model).
 * Returns: FFA_OK; FFA_INVALID_PARAMETERS for a config pKVM cannot have
 * (not exactly one VM with ID 0, IPA != PA, too many pages); FFA_NOT_SUPPORTED
 * when hyp_ffa_init() failed or left FF-A off.
 */
int pkvm_start(struct pkvm *pk, const struct mediator_config *cfg, struct mem *mem,
	       struct spmc *spmc);

/**
 * pkvm_call() - the host's trapped SMC: @call's x0-x17 through the trap
 * path. Returns: the host's x0-x17 afterwards.
 */
struct smccc_regs pkvm_call(struct pkvm *pk, const struct smccc_regs *call);

/* pkvm_copy() - make @dst what @src is, its proxy state included; @dst keeps its pointers. */
void pkvm_copy(struct pkvm *dst, const struct pkvm *src);

/* pkvm_mem_extent() - the pages pkvm_start() needs for @cfg. */
void pkvm_mem_extent(const struct mediator_config *cfg, uint64_t *base, uint32_t *pages);

/**
 * pkvm_page_of() - the shim's record of host page @pa.
 * Returns: the record, or NULL if @pa is not host memory.
 */
const struct pkvm_page *pkvm_page_of(const struct pkvm *pk, uint64_t pa);

/* --- shim.c: what backend.c and the tests need of the hypervisor services --- */

/* Make @pk the instance the proxy's calls into the shim act on. */
void pkvm_shim_enter(struct pkvm *pk);

/* The instance entered last (NULL before any). */
struct pkvm *pkvm_shim_current(void);

/* Raise a shim finding @rule (does not return). */
__attribute__((noreturn, format(printf, 2, 3))) void pkvm_finding(const char *rule,
								   const char *fmt, ...);

/* Send @req to EL3 (the SPMC model) for @pk, observed; @unfiltered: the host's own call. */
struct smccc_regs pkvm_el3_call(struct pkvm *pk, const struct smccc_regs *req, bool unfiltered);

/*
 * pkvm_host_interrupts() - at the end of a host call: the SPMC's SRI, if it
 * pended one, reaches the host directly (pKVM does not trap the host's
 * interrupts), observed as the host's interrupt.
 */
void pkvm_host_interrupts(struct pkvm *pk);

/* Set the platform memory's record of host page @index from the shim's record. */
void pkvm_mirror_page(struct pkvm *pk, uint32_t index);
