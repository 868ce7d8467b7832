/*
 * The FF-A mediator: what a hypervisor (pKVM, Xen) runs at EL2 between its
 * VMs and the SPMC. FF-A 1.0, 1.1 and 1.2 callers (DEN0077A v1.2), one
 * context per VM, all state in these structs so that one fuzz input can
 * never leak into the next.
 *
 * Data flow: a trapped call enters mediator_call(); the dispatcher applies
 * the guards and hands it to one handler; a handler either answers locally
 * or forwards to the SPMC through other_world_call(); the reply leaves
 * through smccc_conform(). The observer, when set, sees every guest call,
 * every guest-visible reply, every forwarded request and every SPMC reply.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"
#include "ffa/mem_desc.h"
#include "ffa/smccc.h"
#include "mediator/mailbox.h"
#include "mediator/mem.h"

#define MEDIATOR_MAX_VMS 16
#define MEDIATOR_MAX_SPS 32     /* secure partitions the mediator caches */
#define MEDIATOR_MAX_UUIDS 4    /* UUIDs per cached partition */
#define MEDIATOR_MAX_PENDING 4  /* preempted direct requests per VM */
#define MEDIATOR_MAX_VCPUS 16   /* vCPUs per VM */
#define MEDIATOR_MAX_TXNS 32        /* memory transactions outstanding, all VMs */
#define MEDIATOR_MAX_TXNS_PER_VM 8  /* ... and per lending VM */
#define MEDIATOR_MEM_DESC_MAX 8192  /* a descriptor, all fragments together */

struct spmc;

/* --- Version negotiation policy (ffa-facts.md §1.4, §5.2, §5.3) --- */

enum mediator_profile {
	MEDIATOR_PROFILE_SPEC, /* DEN0077A v1.2 §13.2.2 and the FF-A ACS */
	MEDIATOR_PROFILE_PKVM, /* Linux pKVM nvhe/ffa.c (single host client) */
	MEDIATOR_PROFILE_XEN,  /* Xen xen/arch/arm/tee/ffa.c (per VM) */
	MEDIATOR_PROFILE_COUNT
};

/* When the version a VM asked for becomes final. */
enum version_lock_point {
	VERSION_LOCK_FIRST_OTHER_CALL, /* the first FF-A call other than FFA_VERSION */
	VERSION_LOCK_FIRST_VERSION,    /* the first successful FFA_VERSION itself */
};

/* What FFA_VERSION does once the version is locked. */
enum version_relock_rule {
	VERSION_RELOCK_REJECT_DIFFERENT, /* another version gets NOT_SUPPORTED */
	VERSION_RELOCK_REJECT_LOWER,     /* a lower minor gets NOT_SUPPORTED */
	VERSION_RELOCK_ANSWER_ALWAYS,    /* always answers, never changes */
};

/* A profile: a table of named knobs, not a fork of the code. */
struct mediator_policy {
	const char *name;
	bool host_only;               /* only VM ID 0 (the host) is an FF-A client */
	bool check_version_mbz;       /* bit 31 of the requested version must be 0 */
	bool adopt_unknown_major;     /* major != 1 is answered as ours, not refused */
	bool reply_negotiated;        /* answer the negotiated version, not ours */
	enum version_lock_point lock; /* when negotiation ends */
	enum version_relock_rule relock;
	int32_t early_call_error; /* a non-VERSION call before FFA_VERSION gets this */
	bool vm_borrowers;        /* VMs may borrow memory from VMs (retrieve, relinquish) */
};

/**
 * mediator_policy_get() - the knob table of @profile.
 * Returns: a static policy; @profile must be a valid enum value.
 */
const struct mediator_policy *mediator_policy_get(enum mediator_profile profile);

/* --- Configuration --- */

struct mediator_vm_config {
	ffa_id_t id;          /* FF-A ID; 0 is the host in the pKVM arrangement */
	bool aarch32;         /* an AArch32 caller: SMC64 IDs get NOT_SUPPORTED */
	uint64_t ipa_base;    /* the VM's IPA window ... */
	uint64_t pa_base;     /* ... backed by these physical pages ... */
	uint32_t page_count;  /* ... this many, assigned to the VM at init; of them, at the end, */
	uint32_t ro_pages;     /* ... these read-only (a ROM image: MEM_KIND_READ_ONLY) ... */
	uint32_t device_pages; /* ... then these a device's registers (MMIO: MEM_KIND_DEVICE) */
	uint16_t vcpu_count;  /* 1..MEDIATOR_MAX_VCPUS, for its notification bitmap */
};

struct mediator_event;
typedef void (*mediator_observer_fn)(void *ctx, const struct mediator_event *ev);

struct mediator_config {
	enum mediator_profile profile;
	uint32_t vm_count;
	struct mediator_vm_config vms[MEDIATOR_MAX_VMS];
	/* RX/TX buffers of VMs: minimum size and alignment, and maximum size. */
	uint32_t rxtx_min_pages; /* 1 (4K), 4 (16K) or 16 (64K) */
	uint32_t rxtx_max_pages; /* 1..63, a multiple of rxtx_min_pages */
	/* The mediator's own RX/TX buffers with the SPMC, owned by MEM_OWNER_HYP. */
	uint64_t hyp_pa_base;
	uint32_t hyp_buffer_pages; /* pages per buffer */
	/* Memory descriptors go to the SPMC in fragments of at most this many
	 * bytes (0: the mediator's TX buffer), to drive FFA_MEM_FRAG_TX/RX. */
	uint32_t spmc_frag_bytes;
	/* The newest FF-A version the mediator speaks (0: FF-A 1.2). A real
	 * mediator's era as the reference stands in for it: Linux 6.12's pKVM
	 * proxy negotiates FF-A 1.1 (fuzz/harness.c's differential). */
	uint32_t max_version;
	mediator_observer_fn observe; /* optional */
	void *observe_ctx;
};

/**
 * mediator_config_default() - a host (ID 0) and two guests (IDs 1 and 2)
 * with 16 pages of RAM each, then a read-only page and a device page, 4K
 * RX/TX buffers of one page, and @profile. Physical layout: hypervisor at
 * 0x1000_0000, VM n at 0x2000_0000 + n MiB; every VM's IPA window starts at
 * 0x8000_0000 (the read-only page at +0x10000, the device at +0x11000).
 */
void mediator_config_default(struct mediator_config *cfg, enum mediator_profile profile);

/**
 * mediator_config_window() - VM @vm_id's IPA window as @cfg lays it out.
 * Returns: true with *@w set, or false if @cfg has no VM @vm_id.
 */
bool mediator_config_window(const struct mediator_config *cfg, ffa_id_t vm_id,
			    struct mem_window *w);

/**
 * mediator_config_mem_extent() - the physical range [*base, *base + *pages
 * pages) that covers everything @cfg assigns, for sizing struct mem.
 */
void mediator_config_mem_extent(const struct mediator_config *cfg, uint64_t *base,
				uint32_t *pages);

/* --- State --- */

/* A secure partition as the mediator learnt it at start-up (Nil-UUID discovery). */
struct mediator_sp {
	ffa_id_t id;
	uint16_t exec_ctx_count;
	uint32_t properties;
	uint32_t uuid_count;
	struct ffa_uuid uuids[MEDIATOR_MAX_UUIDS]; /* uuids[0]: the default service */
};

/* A direct request of a VM that an SP preempted (FFA_YIELD / FFA_INTERRUPT). */
struct mediator_pending {
	bool active;
	uint32_t fid; /* the request's function ID: its response must match */
	ffa_id_t sp;
	uint16_t vcpu;
};

/* A memory transaction the mediator relayed (SP borrowers) or ran (VM borrowers). */
struct mediator_txn {
	bool used;
	enum ffa_mem_type type;
	bool vm_borrowers;          /* the mediator is the relayer; handle bit 63 set */
	struct ffa_mem_txn desc;    /* as sent, ranges translated to PAs, handle set */
	uint16_t retrieved[FFA_MEM_MAX_RECEIVERS]; /* VM borrowers: retrieves not relinquished */
	bool zero_on_relinquish[FFA_MEM_MAX_RECEIVERS]; /* its retrieve asked (flags bit 2) */
};

/* A memory descriptor arriving in fragments (one at a time, any VM). */
struct mediator_frag {
	bool active;
	ffa_id_t vm;
	uint32_t fid;     /* SHARE/LEND/DONATE, 32 or 64 */
	uint64_t handle;  /* provisional, hypervisor-allocated, named in FRAG_RX/FRAG_TX */
	uint32_t total;
	uint32_t received;
	uint8_t buf[MEDIATOR_MEM_DESC_MAX];
};

enum vm_version_state {
	VM_VERSION_NONE,      /* no FFA_VERSION yet: only FFA_VERSION is allowed */
	VM_VERSION_REQUESTED, /* asked, may still change (lock at first other call) */
	VM_VERSION_LOCKED,    /* final for the VM's lifetime */
};

struct mediator_vm {
	/* Fixed at init. */
	ffa_id_t id;
	bool aarch32;
	struct mem_window window;
	/* Changed only by FFA_VERSION and the dispatcher's lock. */
	enum vm_version_state version_state;
	uint32_t version;
	/* Changed only by rxtx.c, and RX ownership through mailbox_rx_*(). */
	struct mailbox mailbox;
	bool mailbox_at_spmc; /* the pair is registered with the SPMC too */
	/* Changed only by direct_messaging.c. */
	struct mediator_pending pending[MEDIATOR_MAX_PENDING];
	/* Changed only by notifications.c (and indirect_messaging.c's RX-full). */
	uint16_t vcpu_count;
	uint64_t notif_per_vcpu;        /* bits it bound as per-vCPU (mirrors its BINDs) */
	uint64_t held_global;           /* fetched from the SPMC, not yet asked for: */
	uint64_t held_vcpu[MEDIATOR_MAX_VCPUS]; /* partition notifications, global and */
	uint32_t held_spm;              /* per-vCPU, and SPM framework notifications */
	uint32_t hyp_framework_pending; /* FFA_FRAMEWORK_NOTIF_* set by the mediator */
	bool news_global;               /* INFO_GET has untold news for this VM ... */
	uint32_t news_vcpus;            /* ... and for these vCPUs (bit n: vCPU n); */
	uint32_t news_sps;              /* partitions (bit i: sps[i]) with news for it ... */
	uint32_t news_sp_vcpus[MEDIATOR_MAX_SPS]; /* ... global, or on these vCPUs */
	bool sri_raised;                /* its virtual SRI told of news since its last INFO_GET */
	bool npi_raised;                /* its virtual NPI, of its own news, since its last GET */
};

struct mediator {
	const struct mediator_policy *policy;
	struct mem *mem;
	struct spmc *spmc;
	mediator_observer_fn observe;
	void *observe_ctx;
	uint32_t rxtx_min_pages;
	uint32_t rxtx_max_pages;
	/* Set by the start-up exchange with the SPMC (mediator_init()). */
	bool ffa_ready;        /* false: every call gets NOT_SUPPORTED */
	uint32_t version;      /* min(FF-A 1.2, the SPMC's version) */
	ffa_id_t spmc_id;      /* from FFA_SPM_ID_GET */
	struct mailbox hyp_mailbox; /* the mediator's own pair at the SPMC */
	uint32_t sp_count;
	struct mediator_sp sps[MEDIATOR_MAX_SPS];
	uint32_t vm_count;
	struct mediator_vm vms[MEDIATOR_MAX_VMS];
	/* Memory management (memory.c). */
	uint32_t spmc_frag_bytes;
	uint64_t next_handle; /* for VM-to-VM transactions and provisional handles */
	/* The two large tables stay last: mediator_init() resets only their markers. */
	struct mediator_frag frag;
	struct mediator_txn txns[MEDIATOR_MAX_TXNS];
};

/* --- Observation --- */

enum mediator_event_kind {
	MEDIATOR_EV_GUEST_CALL,  /* a VM's call as it arrived */
	MEDIATOR_EV_GUEST_REPLY, /* what the VM sees, after smccc_conform() */
	MEDIATOR_EV_SPMC_CALL,   /* a request the mediator forwards */
	MEDIATOR_EV_SPMC_REPLY,  /* the SPMC's answer, before any check */
	MEDIATOR_EV_GUEST_IRQ,   /* a virtual interrupt made pending for the VM: its ID in x0 */
};

struct mediator_event {
	enum mediator_event_kind kind;
	ffa_id_t vm_id; /* the VM on whose behalf (FFA_HOST_ID for start-up) */
	const struct smccc_regs *regs;
	/* SPMC_CALL/REPLY: the guest's call forwarded as it was made, unfiltered
	 * (a real hypervisor's pass-through; never set by our own mediator). */
	bool unfiltered;
};

/* --- Version negotiation, shared with the SPMC model --- */

/**
 * mediator_version_negotiate() - one FFA_VERSION call under policy @p, by a
 * caller whose negotiation state is *@state / *@version, to a callee at
 * version @ours with requested version word @req.
 * Returns: the w0 to answer: a version, or FFA_VERSION_NOT_SUPPORTED (in
 * which case *@state and *@version are unchanged).
 */
uint32_t mediator_version_negotiate(const struct mediator_policy *p, uint32_t ours, uint32_t req,
				    enum vm_version_state *state, uint32_t *version);

/* --- Entry points --- */

/**
 * mediator_init() - set up @m for @cfg and run the start-up exchange with the
 * SPMC: FFA_VERSION(1.2), FFA_ID_GET (must be 0), FFA_SPM_ID_GET,
 * FFA_FEATURES(FFA_RXTX_MAP_64), FFA_RXTX_MAP_64 of the mediator's own
 * buffers, FFA_PARTITION_INFO_GET (Nil UUID, cached) with FFA_RX_RELEASE,
 * and FFA_NOTIFICATION_BITMAP_CREATE for every VM. @mem must cover mediator_config_mem_extent(); its pages there
 * must be unowned. @spmc is passed to other_world_call() untouched.
 *
 * Returns: FFA_OK; FFA_INVALID_PARAMETERS for a bad @cfg (duplicate VM IDs,
 * overlapping pages, sizes out of range); or, when the SPMC refuses or
 * answers nonsense, the error, with @m left usable but answering
 * NOT_SUPPORTED to every call (as pKVM does when FF-A init fails).
 */
int mediator_init(struct mediator *m, const struct mediator_config *cfg, struct mem *mem,
		  struct spmc *spmc);

/*
 * mediator_state_copy() - make @dst the mediator @src is: every field, the
 * live transactions and the received fragment bytes, skipping the table
 * bytes mediator_init() leaves unset (see there). @dst keeps pointing where
 * @src points (memory, SPMC, observer): a snapshot to restore into the same
 * machine, with its memory restored alongside (mem_restore()).
 */
void mediator_state_copy(struct mediator *dst, const struct mediator *src);

/**
 * mediator_fini() - tear down what mediator_init() set up at the SPMC: every
 * memory transaction (reclaimed, best effort; the pages return to their
 * lenders), each VM's RX/TX registration and notification bitmap
 * (FFA_NOTIFICATION_BITMAP_DESTROY), then the mediator's own buffers.
 * Returns: FFA_OK, or the first error the SPMC returned (teardown goes on).
 */
int mediator_fini(struct mediator *m);

/**
 * mediator_call() - handle one FF-A call from VM @vm_id.
 * @call: the caller's x0-x17 as trapped.
 *
 * Returns: the caller's x0-x17 after the call. A function ID outside FF-A's
 * range gets w0 = SMCCC_UNKNOWN; anything else gets the FF-A answer.
 * @vm_id must be one of the configured VMs (an invariant of the caller).
 */
struct smccc_regs mediator_call(struct mediator *m, ffa_id_t vm_id,
				const struct smccc_regs *call);

/**
 * mediator_vm() - the context of VM @vm_id.
 * Returns: the context, or NULL if no VM has that ID.
 */
struct mediator_vm *mediator_vm(struct mediator *m, ffa_id_t vm_id);

/**
 * mediator_txn_find() - the memory transaction with @handle (memory.c).
 * Returns: the transaction, or NULL if none on record has that handle.
 */
struct mediator_txn *mediator_txn_find(struct mediator *m, uint64_t handle);
