/*
 * The SPMC model's private header: its ABI handlers (spmc_ffa_<abi>), named
 * like the mediator's so that a reader moves between the two by name, and
 * the helpers its concern files share.
 */
#pragma once

#include "spmc/spmc.h"

/* Enough for every partition with every UUID listed. */
#define SPMC_MAX_DESCRIPTORS (SPMC_MAX_PARTITIONS * SPMC_MAX_UUIDS)

/* --- dispatch.c --- */

/* Whether the NS caller may call @fid now (FFA_FEATURES answers from this). */
bool spmc_abi_is_handled(const struct spmc *s, uint32_t fid);

/**
 * spmc_fault() - record that the mediator broke the spec with @fid.
 * Returns: FFA_ERROR with @err, the answer the request gets.
 */
struct smccc_regs spmc_fault(struct spmc *s, uint32_t fid, const char *reason, int32_t err);

/*
 * The handlers answer as the mediator's namesakes do (see mediator/src/
 * internal.h), and each file's header lists the errors; a request that
 * breaks the spec also goes through spmc_fault().
 */

/* --- setup_and_discovery.c --- */

struct smccc_regs spmc_ffa_version(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_features(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_id_get(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_spm_id_get(struct spmc *s, const struct smccc_regs *args);

/* Whether @sp offers service @uuid: Nil (its default service) or one of its UUIDs. */
static inline bool spmc_partition_has_service(const struct spmc_partition *sp,
					      const struct ffa_uuid *uuid)
{
	return ffa_uuid_is_nil(uuid) || ffa_uuid_in(sp->uuids, sp->uuid_count, uuid);
}

/* The entry for NS endpoint @id, made if needed. Returns NULL when full. */
struct spmc_ns *spmc_ns_add(struct spmc *s, ffa_id_t id);

/* Free @ns once neither a registered pair nor a bitmap needs it. */
void spmc_ns_forget_if_unused(struct spmc_ns *ns);

/* --- direct_messaging.c: the scripted partitions --- */

struct smccc_regs spmc_ffa_msg_send_direct_req(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_run(struct spmc *s, const struct smccc_regs *args);

/* --- indirect_messaging.c --- */

struct smccc_regs spmc_ffa_msg_send2(struct spmc *s, const struct smccc_regs *args);

/**
 * spmc_send_to_ns() - partition @sp sends an indirect message of @size bytes
 * to NS endpoint @vm: into its registered RX buffer, with the RX-full
 * framework notification.
 * Returns: FFA_OK, or INVALID_PARAMETERS (no registered pair, too large),
 * BUSY (RX not free).
 */
int spmc_send_to_ns(struct spmc *s, ffa_id_t sp, ffa_id_t vm, const void *payload,
		    uint32_t size);

/* spmc_sp_rx_release() - partition @st reads the message in its RX, if any, and releases it. */
void spmc_sp_rx_release(struct spmc_sp *st);

/* --- memory.c --- */

struct smccc_regs spmc_ffa_mem_send(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_mem_frag_tx(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_mem_reclaim(struct spmc *s, const struct smccc_regs *args);

/* The memory handle in w@lo (bits[31:0]) and w@lo+1 (bits[63:32]) of @r. */
static inline uint64_t spmc_handle_of(const struct smccc_regs *r, unsigned lo)
{
	return (uint64_t)ffa_w(r, lo) | (uint64_t)ffa_w(r, lo + 1) << 32;
}

/*
 * The SPMC's FFA_MEM_FRAG_RX or FFA_MEM_FRAG_TX (@fid), which share a layout
 * (ffa-facts §2): w1/w2 = @handle, w3 = @w3 (FRAG_RX: the bytes received so
 * far; FRAG_TX: this fragment's length), w4[31:16] = @sender.
 */
static inline struct smccc_regs spmc_mem_frag(uint32_t fid, uint64_t handle, uint32_t w3,
					      ffa_id_t sender)
{
	return (struct smccc_regs){.x = {fid, (uint32_t)handle, (uint32_t)(handle >> 32), w3,
					 (uint32_t)sender << 16}};
}

/* Partition @sp retrieves / relinquishes @handle. Returns an ffa_error. */
int spmc_mem_retrieve(struct spmc *s, ffa_id_t sp, uint64_t handle);
int spmc_mem_relinquish(struct spmc *s, ffa_id_t sp, uint64_t handle);

/*
 * spmc_mem_access() - partition @sp writes the first page of the memory it
 * retrieved with @handle, as a borrower touches what it borrowed.
 * Returns: FFA_OK; INVALID_PARAMETERS (it never retrieved @handle); DENIED
 * (it may not now: it relinquished it, or the lender reclaimed it).
 */
int spmc_mem_access(struct spmc *s, ffa_id_t sp, uint64_t handle);

/* --- memory_retrieve.c: the hypervisor's own retrieve request --- */

struct smccc_regs spmc_ffa_mem_retrieve_req(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_mem_frag_rx(struct spmc *s, const struct smccc_regs *args);

/* --- notifications.c --- */

struct smccc_regs spmc_ffa_notification_bitmap_create(struct spmc *s,
						      const struct smccc_regs *args);
struct smccc_regs spmc_ffa_notification_bitmap_destroy(struct spmc *s,
						       const struct smccc_regs *args);
struct smccc_regs spmc_ffa_notification_bind(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_notification_unbind(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_notification_set(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_notification_get(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_notification_info_get(struct spmc *s,
						 const struct smccc_regs *args);

/**
 * spmc_notify_ns() - partition @sp sets notifications @bitmap for NS
 * endpoint @vm (per-vCPU bits on @vcpu), as FFA_NOTIFICATION_SET from an SP.
 * Returns: FFA_OK, or INVALID_PARAMETERS (no bitmap, vCPU out of range, bits
 * mixing global and per-vCPU), DENIED (a bit not bound to @sp).
 */
int spmc_notify_ns(struct spmc *s, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap, uint16_t vcpu);

/* Raise framework notification @bits (FFA_FRAMEWORK_NOTIF_*) in @n; the SRI is pended. */
void spmc_notify_framework(struct spmc *s, struct spmc_notif *n, uint32_t bits);

/*
 * spmc_sp_notifications_take() - a partition running on @vcpu gets (and so
 * clears) what is pending for partition @st: its global notifications,
 * @vcpu's and the SPM framework's, as its FFA_NOTIFICATION_GET would, and
 * @vcpu's NPI is handled.
 */
void spmc_sp_notifications_take(struct spmc_sp *st, uint16_t vcpu);

/* --- partition_info.c --- */

struct smccc_regs spmc_ffa_partition_info_get(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_partition_info_get_regs(struct spmc *s,
						   const struct smccc_regs *args);

/* --- rxtx.c --- */

struct smccc_regs spmc_ffa_rxtx_map(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_rxtx_unmap(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_rx_release(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_rx_acquire(struct spmc *s, const struct smccc_regs *args);
