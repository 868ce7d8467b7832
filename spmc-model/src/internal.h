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

/* --- partition_info.c --- */

struct smccc_regs spmc_ffa_partition_info_get(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_partition_info_get_regs(struct spmc *s,
						   const struct smccc_regs *args);

/* --- rxtx.c --- */

struct smccc_regs spmc_ffa_rxtx_map(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_rxtx_unmap(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_rx_release(struct spmc *s, const struct smccc_regs *args);
struct smccc_regs spmc_ffa_rx_acquire(struct spmc *s, const struct smccc_regs *args);
