/*
 * The oracle's model of guest-visible FF-A state: what each VM may rely on,
 * kept from the wire alone (its calls and the answers, the requests the
 * mediator forwards and the SPMC's answers, the SPMC model's own state and
 * the page-ownership model), never from a mediator's private records. It is
 * written from DEN0077A v1.2 and ../shared/docs/ffa-facts.md, not from the
 * reference mediator, and judges every backend alike.
 *
 * For each call the model says which outcomes the spec allows from the state
 * it holds, checks that the reply is one of them and follows it: where the
 * spec allows several answers it accepts each and moves the way the one
 * given says (a checker, not a second mediator). A backend's documented
 * choices are its deviation table (struct backend_deviation), as for every
 * oracle rule.
 *
 * One file per FF-A concern, named as in mediator/src and spmc-model/src:
 *   setup_and_discovery.c  version, FFA_FEATURES answers, ID_GET
 *   partition_info.c       the partition list, in every layout and paging
 *   rxtx.c                 each VM's pair and who owns its RX
 *   direct_messaging.c     requests a partition has not finished, and who may
 *   indirect_messaging.c   FFA_MSG_SEND2 delivery
 *   memory.c               transactions, borrowers, pages
 *   notifications.c        bindings and pending bits per receiver and vCPU
 * model.c calls them in that order and counts the transitions each reaches.
 * The rules, with their spec sources: README.md "The state model".
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/smccc.h"
#include "mediator/mediator.h"

#define MODEL_MAX_VMS 3       /* fuzz machines' VMs (FUZZ_MAX_VMS) */
#define MODEL_RX_MAX_BYTES (4 * 4096) /* the largest RX a fuzz VM maps (FUZZ_RX_MAX_PAGES) */
#define MODEL_MAX_TXNS 16
#define MODEL_MAX_RANGES 8     /* constituents kept per transaction (the rest unchecked) */
#define MODEL_MAX_SPS 8        /* partitions whose requests are followed */
#define MODEL_MAX_VCPUS 8      /* execution contexts followed per partition */
#define MODEL_MAX_VM_VCPUS 16  /* per-vCPU notifications followed per VM */
#define MODEL_INFO_SLOTS 8     /* FFA_PARTITION_INFO_GET_REGS indices remembered */
#define MODEL_NOBODY 0xFFFFU

struct fuzz_machine;

/* What one VM was told, and what it may rely on. */
struct model_vm {
	ffa_id_t id;
	uint16_t vcpu_count;
	/* setup_and_discovery.c: the version in use and whether it is final. */
	enum vm_version_state vstate;
	uint32_t version;
	bool version_unknown; /* its last FFA_VERSION answer was no version word (a finding's) */
	/* FFA_FEATURES answers at this version: bit n for function 0x84000060 + n ([0]) or 0xC4000060 + n ([1]). */
	uint64_t told_yes[2], told_no[2];
	uint32_t rxtx_props;     /* w2 of FFA_FEATURES(FFA_RXTX_MAP)'s SUCCESS, when told_yes */
	bool ns_bit_told;        /* FFA_FEATURES(FFA_MEM_RETRIEVE_REQ) reported NS-bit handling */
	/* rxtx.c: the pair it mapped, at PAs, and whether it owns its RX. */
	bool mapped;
	uint64_t tx_pa, rx_pa;
	uint64_t tx_ipa, rx_ipa; /* as the VM named them */
	uint32_t pages;
	bool rx_full;     /* a producer filled it: the VM owns it until FFA_RX_RELEASE */
	bool rx_unknown;  /* whether it does cannot be told (a call served at an unknown version) */
	/* notifications.c: bindings (bit n bound to bound_to[n]) and what VMs set. */
	uint64_t bound, bound_per_vcpu;
	ffa_id_t bound_to[64];
	uint64_t vm_pending;
	uint64_t vm_pending_vcpu[MODEL_MAX_VM_VCPUS];
	/* What partitions and the SPM pended for it: every bit the SPMC model ever
	 * showed pending for it, until a GET returned it. */
	uint64_t sp_pending;
	uint64_t sp_pending_vcpu[MODEL_MAX_VM_VCPUS];
	uint32_t spm_pending;
	uint32_t hyp_pending; /* hypervisor framework: RX full after a VM's message to it */
	/* notifications.c: the schedule receiver interrupt and the news it announces. */
	bool sri_told;        /* FFA_FEATURES(SRI) gave it sri_intid */
	uint32_t sri_intid;
	uint32_t irqs_seen;   /* interrupts (bit n: ID n) it got since its last FFA_NOTIFICATION_INFO_GET,
			       * before it was told which one is the SRI too */
	uint32_t irqs;        /* virtual interrupts (bit n: ID n < 32) it got during the current call */
	uint32_t news;        /* how many times something new became pending for it */
};

/* A memory transaction a send's SUCCESS created (memory.c). */
struct model_txn {
	bool live;
	uint64_t handle;
	ffa_id_t sender;
	uint8_t type; /* enum ffa_mem_type */
	bool borrowers_unknown; /* the send's descriptor could not be read: any VM may borrow */
	uint8_t receiver_count;
	ffa_id_t receivers[4];
	uint8_t held[4]; /* retrieves by that borrower (a VM) not yet relinquished */
	uint8_t range_count;
	uint64_t range_pa[MODEL_MAX_RANGES];
	uint32_t range_pages[MODEL_MAX_RANGES];
	uint8_t kinds; /* the kinds of its pages: bit K for enum mem_page_kind K */
	uint16_t attributes; /* the lender's memory region attributes (0: unknown or open) */
};

/* A send answered FFA_MEM_FRAG_RX: its descriptor is still arriving. */
struct model_pending_send {
	bool active;
	ffa_id_t sender;
	uint64_t handle;
	uint8_t type;
	struct model_txn first; /* what the first fragment said */
};

struct fuzz_model {
	uint32_t vm_count;
	struct model_vm vms[MODEL_MAX_VMS];
	uint32_t mediator_version; /* the newest a VM may be told: the mediator's and the SPMC's lower */
	/*
	 * direct_messaging.c: the request partition i's vCPU j has not finished:
	 * the VM that made it and the sender it named (the same, unless the
	 * backend forwarded another VM's ID unfiltered).
	 */
	struct {
		ffa_id_t maker, named;
	} unfinished[MODEL_MAX_SPS][MODEL_MAX_VCPUS];
	/* partition_info.c: what FFA_PARTITION_INFO_GET_REGS gave at each index, for one query. */
	ffa_id_t info_vm;
	uint32_t info_version;
	uint64_t info_uuid[2];
	uint8_t info_seen; /* bit i: info_slot[i] holds index i */
	uint64_t info_slot[MODEL_INFO_SLOTS][3];
	/* memory.c */
	struct model_txn txns[MODEL_MAX_TXNS];
	uint64_t dead[MODEL_MAX_TXNS]; /* handles reclaimed (a ring) */
	unsigned dead_next;
	struct model_pending_send sending;
	bool holds_unknown; /* a retrieve succeeded whose request the model could not read */
	/* Each VM's RX bytes when it came to own them (rxtx.c), compared after every call while
	 * owned. Last and never reset: only what model_rx_filled() copied is read. */
	uint8_t rx_copy[MODEL_MAX_VMS][MODEL_RX_MAX_BYTES];
};

/*
 * What the model reads before a call, of the state a reply is judged
 * against where the SPMC model's state moves during the call.
 */
struct model_before {
	uint32_t sp_msgs[MODEL_MAX_SPS]; /* indirect messages each partition received */
	uint32_t sp_rx_full;     /* bit i: partition i's RX held a message */
	uint32_t ns_rx_consumer; /* bit i: the SPMC records VM i's RX as handed to it */
	uint32_t rx_full;        /* bit i: VM i owned its RX */
	uint32_t news[MODEL_MAX_VMS]; /* each VM's news count */
	uint32_t irqs_seen[MODEL_MAX_VMS]; /* each VM's interrupts since its last INFO_GET */
};

/* Whether the model knows the version @v runs at (the layout of what it is given). */
static inline bool model_version_known(const struct model_vm *v)
{
	return v->vstate != VM_VERSION_NONE && !v->version_unknown;
}

/* model_reset() - @fm's model for its machine just started: nothing mapped, told or sent. */
void model_reset(struct fuzz_machine *fm);

/* model_before() - note in @b what the call @vm is about to make is judged against. */
void model_before(struct fuzz_machine *fm, ffa_id_t vm, const struct smccc_regs *call,
		  struct model_before *b);

/*
 * model_check() - judge @reply to @vm's @call against the model, then
 * follow it. A rule broken is oracle_violation() (excused by the backend's
 * deviations and masked known findings, else a finding).
 */
void model_check(struct fuzz_machine *fm, ffa_id_t vm, const struct model_before *b,
		 const struct smccc_regs *call, const struct smccc_regs *reply);

/* model_vm() - the model of VM @id; the harness calls only for configured VMs (CHECK()). */
struct model_vm *model_vm(struct fuzz_machine *fm, ffa_id_t id);

/*
 * The transitions the model follows, counted over a process: which model
 * states a corpus reaches (tools/fuzz-report, FFA_EMU_MODEL_STATS).
 */
enum model_transition {
#define MODEL_T(name, text) MODEL_T_##name,
#include "transitions.h"
#undef MODEL_T
	MODEL_T_COUNT
};

/* model_count() - one more of @t. */
void model_count(enum model_transition t);

/* model_counted() - how many times @t was taken in this process. */
unsigned long model_counted(enum model_transition t);

/*
 * model_stats_write() - when FFA_EMU_MODEL_STATS names a file, append
 * "<count> <transition>" for every transition (zeros too) to it.
 */
void model_stats_write(void);

/* --- Shared by the concern files --- */

/* The index of @fid among FF-A's 0x60..0x9F function numbers, or -1; *@w64 set for SMC64. */
int model_fid_index(uint32_t fid, int *w64);


/* The PA of VM @vm's IPA @ipa (@pages pages inside its window), or 0. */
uint64_t model_pa(const struct fuzz_machine *fm, ffa_id_t vm, uint64_t ipa, uint32_t pages);

/* The host view of @vm's RX (mapped) and of its TX, or NULL. */
const uint8_t *model_rx(struct fuzz_machine *fm, const struct model_vm *v);
const uint8_t *model_tx(struct fuzz_machine *fm, const struct model_vm *v);

/*
 * model_version_check() - follow @v's version through @call and @reply
 * (setup_and_discovery.c); the oracle calls it first, as the register rules
 * depend on the version the call leaves.
 */
void model_version_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			 const struct smccc_regs *reply);

/* The concern files' checks, in model.c's order. */
void model_setup_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
		       const struct smccc_regs *reply);
void model_partition_info_check(struct fuzz_machine *fm, struct model_vm *v,
				const struct smccc_regs *call, const struct smccc_regs *reply);
void model_rxtx_check(struct fuzz_machine *fm, struct model_vm *v, const struct model_before *b,
		      const struct smccc_regs *call, const struct smccc_regs *reply);
void model_direct_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			const struct smccc_regs *reply);
void model_indirect_check(struct fuzz_machine *fm, struct model_vm *v, const struct model_before *b,
			  const struct smccc_regs *call, const struct smccc_regs *reply);
void model_memory_check(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			const struct smccc_regs *reply);
void model_notifications_check(struct fuzz_machine *fm, struct model_vm *v,
			       const struct smccc_regs *call, const struct smccc_regs *reply);

/* notifications.c: add what the SPMC model shows pending for each VM to the model's record. */
void model_notifications_observe(struct fuzz_machine *fm);

/* notifications.c: the backend made virtual interrupt @intid pending for VM @vm. */
void model_irq(struct fuzz_machine *fm, ffa_id_t vm, uint32_t intid);

/* notifications.c: sri-signalled, at the end of each call (@b: the state before it). */
void model_sri_check(struct fuzz_machine *fm, const struct model_before *b);

/* rxtx.c: VM @v's RX was filled by a producer in this call (its bytes are its own until released). */
void model_rx_filled(struct fuzz_machine *fm, struct model_vm *v);
