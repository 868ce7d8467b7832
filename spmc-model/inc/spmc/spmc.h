/*
 * A software SPMC: the mediator's secure-world peer (DEN0077A v1.2, the SPMC
 * side of chapters 13 and 14), with secure partitions described by a
 * manifest. It answers what Hafnium answers a hypervisor caller at the NS
 * physical instance, and it checks what the mediator sends it: a request
 * that breaks the spec is answered with the FF-A error *and* recorded as a
 * mediator fault that a test or a fuzzer can see.
 *
 * All state is in struct spmc; the manifest is read-only after parsing, so
 * one parsed manifest serves any number of spmc_init() calls.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"
#include "ffa/mem_desc.h"
#include "ffa/smccc.h"
#include "mediator/mailbox.h"
#include "mediator/mediator.h"
#include "mediator/mem.h"

#define SPMC_MAX_PARTITIONS 32
#define SPMC_MAX_UUIDS 4
#define SPMC_MAX_FAULTS 8
#define SPMC_NAME_LEN 32
#define SPMC_MAX_VCPUS 8      /* execution contexts per partition */
#define SPMC_MAX_NS 16        /* NS endpoints (VMs) with a bitmap or a registered pair */
#define SPMC_MAX_NS_VCPUS 16  /* vCPUs per NS endpoint, for notifications */
#define SPMC_MSG_CAPTURE 256  /* bytes of a received indirect message kept */
#define SPMC_MAX_TXNS 32      /* memory transactions on record */
#define SPMC_MEM_DESC_MAX 8192

/* --- Scripted partition behaviour (direct_messaging.c) --- */

enum spmc_behaviour_kind {
	SPMC_BEHAVE_ECHO,         /* respond with the request's payload */
	SPMC_BEHAVE_ERROR,        /* FFA_ERROR(arg) */
	SPMC_BEHAVE_YIELD,        /* FFA_YIELD; the next FFA_RUN finishes with an echo */
	SPMC_BEHAVE_INTERRUPT,    /* FFA_INTERRUPT(arg); the next FFA_RUN finishes */
	SPMC_BEHAVE_BUSY,         /* FFA_ERROR(BUSY), always */
	SPMC_BEHAVE_SEND_BACK,    /* SEND2 the payload to the requester, then echo */
	SPMC_BEHAVE_NOTIFY,       /* set notifications arg (vCPU arg2) for the requester, echo */
	SPMC_BEHAVE_RETRIEVE,     /* retrieve the memory handle in the payload, echo */
	SPMC_BEHAVE_RELINQUISH,   /* relinquish the memory handle in the payload, echo */
	/* Misbehaviours a mediator must survive: */
	SPMC_BEHAVE_WRONG_RESPONSE_ID, /* answer with FFA_MSG_SEND_DIRECT_REQ_32 */
	SPMC_BEHAVE_WRONG_RESPONDER,   /* a response naming another partition in w1 */
	SPMC_BEHAVE_GARBAGE_UPPER,     /* SMC32 response with x1-x7[63:32] set */
	SPMC_BEHAVE_RESP_TO_REQ2,      /* answer a REQ2 with FFA_MSG_SEND_DIRECT_RESP_64 */
	/* Last, so that the fuzz inputs' behaviour bytes keep their meaning: */
	SPMC_BEHAVE_ACCESS,  /* write the memory it retrieved (the handle in the payload); echo with the
			      * status in the payload register after the handle */
	SPMC_BEHAVE_COUNT
};

struct spmc_behaviour {
	enum spmc_behaviour_kind kind;
	uint64_t arg;  /* ERROR: status; INTERRUPT: interrupt ID; NOTIFY: bitmap */
	uint16_t arg2; /* NOTIFY: receiver vCPU for per-vCPU bits */
};

/* The manifest name of @kind ("echo", "send-back", ...). */
const char *spmc_behaviour_name(enum spmc_behaviour_kind kind);

/* --- The manifest (manifest.c) --- */

struct spmc_partition {
	ffa_id_t id;                /* a secure ID: bit 15 set */
	char name[SPMC_NAME_LEN];
	uint32_t version;           /* the partition's FF-A version */
	uint16_t exec_ctx_count;    /* execution contexts (vCPUs) */
	uint32_t properties;        /* FFA_PARTITION_* bits */
	uint32_t uuid_count;
	struct ffa_uuid uuids[SPMC_MAX_UUIDS]; /* uuids[0] is the default service */
	struct spmc_behaviour behaviour;       /* at boot; spmc_set_behaviour() changes it */
};

struct spmc_manifest {
	uint32_t version;        /* the SPMC's own FF-A version */
	ffa_id_t spmc_id;        /* what FFA_SPM_ID_GET returns */
	uint32_t rxtx_min_pages; /* FFA_FEATURES(FFA_RXTX_MAP) minimum: 1, 4 or 16 */
	uint32_t rxtx_max_pages; /* ... and maximum, reported to v1.2 callers */
	uint32_t partition_count;
	struct spmc_partition partitions[SPMC_MAX_PARTITIONS];
};

/**
 * spmc_manifest_parse() - parse manifest @text (@len bytes) into @out.
 * @name: the file name used in error messages.
 * @err: on failure, "name:line: what was expected", NUL-terminated.
 *
 * The format, one statement per line, '#' starts a comment:
 *   spmc-version 1.2            (default 1.2)
 *   spmc-id 0x8000              (default 0x8000; must be a secure ID)
 *   rxtx-min-pages 1            (1, 4 or 16; default 1)
 *   rxtx-max-pages 1            (default 1)
 *   partition 0x8001 name       (starts a partition; the keys below follow)
 *     version 1.2
 *     uuid xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx   (one line per UUID)
 *     execution-contexts 4       (1..8)
 *     behaviour echo             (echo, error <status>, yield, interrupt <id>,
 *                                 busy, send-back, notify <bitmap> [vcpu],
 *                                 retrieve, relinquish,
 *                                 wrong-response-id, wrong-responder,
 *                                 garbage-upper, resp-to-req2)
 *     properties direct-req-recv direct-req-send indirect-msg notification
 *                vm-created vm-destroyed aarch64 direct-req2-recv
 *                direct-req2-send
 *
 * Returns: true, or false with @err set.
 */
bool spmc_manifest_parse(const char *text, size_t len, const char *name,
			 struct spmc_manifest *out, char *err, size_t err_len);

/**
 * spmc_read_text() - the whole of the regular file @path (@what names what
 * it should be, "a manifest file"), read to its end whatever size it had
 * when opened (a FIFO is refused, not waited on), NUL-terminated, its length
 * in *@len. The manifest loader's, and the scenario runner's for its files.
 * Returns: the text (free() it), or NULL with @err set to "<path>: cannot
 * read: ..." (a directory: "expected <what>, found a directory").
 */
char *spmc_read_text(const char *path, const char *what, size_t *len, char *err, size_t err_len);

/**
 * spmc_manifest_load() - read and parse the manifest file at @path.
 * Returns: true, or false with @err set ("path: cannot read" or a parse error).
 */
bool spmc_manifest_load(const char *path, struct spmc_manifest *out, char *err,
			size_t err_len);

/**
 * spmc_manifest_default() - the default manifest shipped in
 * spmc-model/manifests/default.manifest (compiled in).
 * Returns: a static, parsed manifest.
 */
const struct spmc_manifest *spmc_manifest_default(void);

/* --- The model --- */

/* A request from the mediator that breaks the spec. */
struct spmc_fault {
	uint32_t fid;
	const char *reason; /* a static string */
};

enum spmc_vcpu_state {
	SPMC_VCPU_WAITING,   /* in FFA_MSG_WAIT: takes a new request */
	SPMC_VCPU_BLOCKED,   /* yielded inside a request: FFA_RUN finishes it */
	SPMC_VCPU_PREEMPTED, /* interrupted inside a request: FFA_RUN finishes it */
};

struct spmc_vcpu {
	enum spmc_vcpu_state state;
	struct smccc_regs request; /* the request being served, when not WAITING */
};

/* One receiver's notifications (DEN0077A v1.1 notifications chapter). */
struct spmc_notif {
	bool created;            /* NS endpoints: FFA_NOTIFICATION_BITMAP_CREATE done */
	uint16_t vcpu_count;
	uint64_t bound;          /* bits bound to a sender ... */
	uint64_t per_vcpu;       /* ... of which these as per-vCPU notifications */
	ffa_id_t sender[64];     /* the sender each bound bit is bound to */
	uint64_t pending;        /* pending global notifications */
	uint64_t pending_vcpu[SPMC_MAX_NS_VCPUS];
	uint32_t framework;      /* pending SPM framework notifications (RX full) */
	bool info_global;        /* untold news for FFA_NOTIFICATION_INFO_GET: global ... */
	uint32_t info_vcpus;     /* ... and per-vCPU (bit n: vCPU n) */
};

/* A secure partition at run time. */
struct spmc_sp {
	struct spmc_behaviour behaviour;
	struct spmc_vcpu vcpus[SPMC_MAX_VCPUS];
	struct spmc_notif notif; /* notifications VMs set for it */
	/*
	 * Its RX buffer: an indirect message fills it, and it stays full (a
	 * second FFA_MSG_SEND2 is BUSY) until the partition runs (FFA_RUN),
	 * reads the message and releases it (indirect_messaging.c).
	 */
	bool rx_full;
	/* vCPUs (bit n) the SPMC pended the NPI to: notifications wait for it. */
	uint32_t npi_pending;
	/* It bound bits itself (spmc_sp_bind()): it takes only those (else every bit from any VM). */
	bool binds_own;
	/* The memory it last retrieved: the handle and its first range (the access behaviour). */
	uint64_t held_handle;
	uint64_t held_pa;
	uint32_t held_pages;
	/* The last indirect message it received. */
	uint32_t msg_count;
	ffa_id_t msg_sender;
	uint32_t msg_size;
	uint8_t msg[SPMC_MSG_CAPTURE];
	int32_t last_send_status; /* SEND_BACK / NOTIFY: how its own call went */
};

/* An NS endpoint (a VM) the hypervisor told the SPMC about. */
struct spmc_ns {
	bool used;
	ffa_id_t id;
	struct mailbox mailbox; /* registered by the forwarded FFA_RXTX_MAP */
	struct spmc_notif notif;
};

/* A memory transaction on the SPMC's record. */
struct spmc_txn {
	bool used;
	enum ffa_mem_type type;
	struct ffa_mem_txn desc; /* as the hypervisor sent it (PAs), with the handle */
	uint16_t retrieved[FFA_MEM_MAX_RECEIVERS]; /* per receiver, not relinquished */
};

/* Lies the model can tell (memory transactions, partition discovery), to test the mediator. */
enum spmc_mem_lie {
	SPMC_LIE_NONE,
	SPMC_LIE_HANDLE_ZERO,        /* FFA_SUCCESS with handle 0 (Xen X19's symptom) */
	SPMC_LIE_HANDLE_REUSED,      /* FFA_SUCCESS with a handle already on record */
	SPMC_LIE_HANDLE_HYP,         /* FFA_SUCCESS with bit 63 (hypervisor-allocated) */
	SPMC_LIE_FRAG_OFFSET,        /* FFA_MEM_FRAG_RX 16 bytes short of what arrived */
	SPMC_LIE_EARLY_SUCCESS,      /* FFA_SUCCESS before the last fragment */
	SPMC_LIE_FRAG_RX_AFTER_LAST, /* FFA_MEM_FRAG_RX after the last (OP-TEE 7f127d42b) */
	SPMC_LIE_FRAG_OFFSET_NEAR_END, /* FFA_MEM_FRAG_RX offset 0xFFFFFFF0 (TF-A a0bb4403d) */
	SPMC_LIE_HUGE_COUNT,         /* PARTITION_INFO_GET: count 0xFFFFFFFF (Xen X12, pKVM) */
	SPMC_LIE_SIZE_NEAR_END,      /* PARTITION_INFO_GET: descriptor size 0xFFFFFFF8 */
	SPMC_LIE_COUNT
};

/*
 * How the normal-world hypervisor keeps the pages it sends, as the SPMC judges
 * them: at a send's last fragment (the pages must already be in the type's
 * state) and in spmc_isolation_check(). All false, as spmc_init() leaves it,
 * is ffa-emu's own mediator: a lend moves the pages to MEM_PAGE_LENT, every
 * page of a transaction carries its handle, and a page shared, lent or being
 * donated under an SPMC handle belongs to a transaction on record.
 *
 * Linux pKVM's FF-A proxy keeps the host's pages by mem_protect.c's rules
 * (docs: pkvm-host.md, "Host memory ownership"): __pkvm_host_share_ffa()
 * moves every constituent OWNED -> SHARED_OWNED for a share and a lend
 * alike, so the host keeps its access to lent memory (lend_as_share); the
 * stage-2 records no FF-A handle, which the proxy learns only from the
 * SPMC's reply after the pages moved (untagged); and
 * __pkvm_host_unshare_ffa() does not record or check with whom a page was
 * shared, so pages may stay shared after a transaction failed, belonging to
 * none (untagged, too: a page that names no handle cannot be tied to one).
 * spmc_ns_pages_pkvm() is that backend's setting; spmc_set_ns_pages() sets it.
 */
struct spmc_ns_pages {
	/* A lend leaves the sender's pages MEM_PAGE_SHARED, as a share does. */
	bool lend_as_share;
	/*
	 * Pages never carry the handle (mem_page.handle stays 0): the isolation
	 * check checks that every transaction on record has its pages held by
	 * its sender in the expected state, not that a shared page belongs to a
	 * transaction.
	 */
	bool untagged;
};

/* Linux pKVM's page semantics (see struct spmc_ns_pages). */
static inline struct spmc_ns_pages spmc_ns_pages_pkvm(void)
{
	return (struct spmc_ns_pages){.lend_as_share = true, .untagged = true};
}

/*
 * The hypervisor's own retrieve request (memory_retrieve.c) whose response
 * goes out in fragments: FFA_MEM_FRAG_RX asks for the next one.
 */
struct spmc_hyp_retrieve {
	uint64_t handle;
	uint32_t total; /* the response's length */
	uint32_t sent;  /* bytes delivered into the hypervisor's RX so far */
	bool active;    /* a fragment is still to come */
};

/* A memory descriptor arriving from the hypervisor in fragments. */
struct spmc_frag {
	bool active;
	uint32_t fid;
	uint64_t handle;
	uint32_t total;
	uint32_t received;
	uint8_t buf[SPMC_MEM_DESC_MAX];
};

struct spmc {
	const struct spmc_manifest *manifest;
	struct mem *mem;
	/* The NS physical instance (the hypervisor, ID 0) as a caller. */
	enum vm_version_state version_state; /* negotiated as mediator_version_negotiate() */
	uint32_t ns_version;
	struct mailbox hyp_mailbox; /* RX ownership: SPMC is the producer */
	struct spmc_ns ns[SPMC_MAX_NS];
	/* FFA_PARTITION_INFO_GET_REGS UUID info tag; changes when the list does. */
	uint16_t info_tag;
	/* The schedule receiver interrupt, pended towards the NS world (spmc_sri_take()). */
	bool sri_pending;
	/* Memory management (memory.c). */
	uint64_t next_handle;
	enum spmc_mem_lie mem_lie; /* set by a test or fuzzer; SPMC_LIE_NONE by default */
	struct spmc_ns_pages ns_pages; /* spmc_set_ns_pages(); all false by default */
	/* Set by a test: the largest retrieve-response fragment; 0: the hypervisor's RX size. */
	uint32_t retrieve_frag_bytes;
	struct spmc_hyp_retrieve hyp_retrieve;
	/* The garbage-upper misbehaviour: dirty x1-x7[63:32] of this reply. */
	bool garble_upper;
	char isolation_why[160]; /* what the last failed isolation check found */
	/* spmc_isolation_check() skips its scan when neither side changed since it last passed. */
	uint64_t txn_epoch;      /* bumped whenever a transaction is recorded or dropped */
	bool isolation_passed;
	uint64_t passed_mem_epoch, passed_txn_epoch;
	/* Mediator faults: the first SPMC_MAX_FAULTS kept, all counted. */
	uint32_t fault_count;
	struct spmc_fault faults[SPMC_MAX_FAULTS];
	struct spmc_fault last_fault; /* the latest, kept past SPMC_MAX_FAULTS */
	/* The large tables stay last: spmc_init() resets only what is read of them. */
	struct spmc_sp sps[SPMC_MAX_PARTITIONS]; /* indexed like manifest->partitions */
	struct spmc_frag frag;
	struct spmc_txn txns[SPMC_MAX_TXNS];
};

/**
 * spmc_init() - a fresh SPMC for @manifest, reading NS memory through @mem.
 * Both must outlive @s.
 */
void spmc_init(struct spmc *s, const struct spmc_manifest *manifest, struct mem *mem);

/**
 * spmc_ns_call() - one call from the NS physical instance (the hypervisor).
 * Returns: the SPMC's x0-x17, conformed to SMCCC.
 */
struct smccc_regs spmc_ns_call(struct spmc *s, const struct smccc_regs *req);

/**
 * spmc_sp_bind() - partition @sp's own FFA_NOTIFICATION_BIND: VM @vm may set
 * @bitmap, per vCPU if @per_vcpu. A partition that never bound takes every
 * bit from any VM; from its first bind, only the bits bound to that sender,
 * with the same per-vCPU flag (its FFA_NOTIFICATION_SET is DENIED, or
 * INVALID_PARAMETERS, otherwise, as for a VM receiver).
 * Returns: FFA_OK; INVALID_PARAMETERS (no such partition, a secure @vm, an
 * empty bitmap); DENIED (not a notification receiver, a bit bound to another
 * sender).
 */
int spmc_sp_bind(struct spmc *s, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap, bool per_vcpu);

/**
 * spmc_sri_take() - whether the SPMC pended the schedule receiver interrupt
 * (FFA_SRI_INTID) towards the NS world since the last take: it does so
 * whenever it makes a notification pending for an endpoint, a VM or a
 * partition, or fills a partition's RX, so that the NS scheduler calls
 * FFA_NOTIFICATION_INFO_GET and runs what has work. Taking it acknowledges
 * it. The "delay SRI" flag of FFA_NOTIFICATION_SET and FFA_MSG_SEND2 from
 * the NS side changes nothing: the call returns to the NS world at once.
 * Returns: true if it was pending.
 */
bool spmc_sri_take(struct spmc *s);

/**
 * spmc_info_tag_bump() - make the partition list "change": later
 * FFA_PARTITION_INFO_GET_REGS calls with the old tag get RETRY.
 */
void spmc_info_tag_bump(struct spmc *s);

/**
 * spmc_partition_find() - the partition with ID @id.
 * Returns: the partition, or NULL.
 */
const struct spmc_partition *spmc_partition_find(const struct spmc *s, ffa_id_t id);

/**
 * spmc_sp_state() - the run-time state of partition @id.
 * Returns: the state, or NULL if there is no such partition.
 */
struct spmc_sp *spmc_sp_state(struct spmc *s, ffa_id_t id);

/*
 * spmc_state_copy() - make @dst the SPMC model @src is: every field, its
 * partitions' state, the live transactions and the received fragment bytes,
 * skipping the table bytes spmc_init() leaves unset (see there). @dst keeps
 * @src's manifest and memory: a snapshot to restore into the same machine.
 */
void spmc_state_copy(struct spmc *dst, const struct spmc *src);

/**
 * spmc_set_behaviour() - make partition @id behave as @b from now on.
 * Returns: true, or false if there is no such partition.
 */
bool spmc_set_behaviour(struct spmc *s, ffa_id_t id, struct spmc_behaviour b);

/**
 * spmc_isolation_check() - the isolation oracle: every transaction on the
 * SPMC's record has each of its pages owned by its sender, in the state of
 * its type and tagged with its handle; every page shared, lent or being
 * donated under an SPMC handle (bit 63 clear) belongs to a transaction on
 * record. Under s->ns_pages, a lend's pages are expected SHARED
 * (lend_as_share), and with untagged neither the tags nor the second rule
 * are checked. The model runs it at the start of every call (a mismatch is
 * a mediator fault); a harness may run it after every mediator call. When
 * neither the page records (mem.epoch) nor the record (txn_epoch) changed
 * since it last passed, it passes without scanning.
 * Returns: true if they agree; false with @why set ("isolation: ...").
 */
bool spmc_isolation_check(struct spmc *s, char *why, size_t why_len);

/**
 * spmc_set_ns_pages() - judge the normal world's pages by @pages from now on
 * (see struct spmc_ns_pages). A harness sets it after spmc_init(), before
 * the first call; it also forgets the isolation check's last pass, so the
 * next check scans under the new rules.
 */
void spmc_set_ns_pages(struct spmc *s, struct spmc_ns_pages pages);

/**
 * spmc_txn_find() - the transaction on record with @handle.
 * Returns: the transaction, or NULL.
 */
struct spmc_txn *spmc_txn_find(struct spmc *s, uint64_t handle);

/**
 * spmc_ns_find() - what the SPMC knows of NS endpoint @id.
 * Returns: the entry, or NULL if it knows nothing of @id.
 */
struct spmc_ns *spmc_ns_find(struct spmc *s, ffa_id_t id);
