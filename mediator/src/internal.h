/*
 * The mediator's private header: the ABI handlers the dispatcher calls and
 * the helpers the concern files share. One handler per ABI, named
 * mediator_ffa_<abi>; each takes the caller's arguments after smccc_conform()
 * and returns the frame to give back, which the dispatcher conforms again.
 */
#pragma once

#include "mediator/mediator.h"

typedef struct smccc_regs (*mediator_handler_fn)(struct mediator *m, struct mediator_vm *vm,
						  const struct smccc_regs *args);

/* --- dispatch.c --- */

/**
 * mediator_abi_is_handled() - whether @vm may call @fid now: the ABI is in
 * the dispatch table, the VM's negotiated version has it, and an AArch32 VM
 * is not asking for an SMC64 ID. FFA_FEATURES answers from this.
 */
bool mediator_abi_is_handled(const struct mediator *m, const struct mediator_vm *vm,
			     uint32_t fid);

/**
 * mediator_forward() - send @req to the SPMC on behalf of @vm_id (observed
 * both ways).
 * Returns: the SPMC's raw reply.
 */
struct smccc_regs mediator_forward(struct mediator *m, ffa_id_t vm_id, struct smccc_regs req);

/* True if the VM negotiated FF-A 1.2 or later (SMCCC v1.2 registers). */
static inline bool mediator_vm_regs18(const struct mediator_vm *vm)
{
	return vm->version_state != VM_VERSION_NONE && vm->version >= FFA_VERSION_1_2;
}

/* --- setup_and_discovery.c --- */

/* Start-up exchange with the SPMC; see mediator_init(). Returns an ffa_error. */
int mediator_spmc_setup(struct mediator *m);

/* Returns: w0 = the version per the policy, or FFA_VERSION_NOT_SUPPORTED in w0. */
struct smccc_regs mediator_ffa_version(struct mediator *m, struct mediator_vm *vm,
				       const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32 with the interface properties in w2, or NOT_SUPPORTED. */
struct smccc_regs mediator_ffa_features(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32 with the caller's ID in w2; no errors. */
struct smccc_regs mediator_ffa_id_get(struct mediator *m, struct mediator_vm *vm,
				      const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32 with the SPMC's ID in w2; no errors. */
struct smccc_regs mediator_ffa_spm_id_get(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args);

/* --- partition_info.c --- */

/*
 * Returns: FFA_SUCCESS_32 with w2 = count, w3 = descriptor size (0 for v1.0
 * and count-only); or INVALID_PARAMETERS (flags, unknown UUID), BUSY (RX not
 * mapped or not free), NO_MEMORY (list larger than RX), ABORTED (the SPMC
 * answered nonsense), or another error the SPMC returned.
 */
struct smccc_regs mediator_ffa_partition_info_get(struct mediator *m, struct mediator_vm *vm,
						  const struct smccc_regs *args);
/*
 * Returns: FFA_SUCCESS_64 with x2 = indices, tag and size and x3-x17 = up to
 * five descriptors; or INVALID_PARAMETERS (x3[63:32], unknown UUID, start
 * index), RETRY (stale tag), ABORTED (the SPMC answered nonsense).
 */
struct smccc_regs mediator_ffa_partition_info_get_regs(struct mediator *m,
						       struct mediator_vm *vm,
						       const struct smccc_regs *args);

/* --- rxtx.c --- */

/* Returns: FFA_SUCCESS_32, or INVALID_PARAMETERS or DENIED (rxtx.c's header lists each). */
struct smccc_regs mediator_ffa_rxtx_map(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32, INVALID_PARAMETERS (w1, nothing mapped) or DENIED (RX owned). */
struct smccc_regs mediator_ffa_rxtx_unmap(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32, INVALID_PARAMETERS (w1) or DENIED (RX not the VM's). */
struct smccc_regs mediator_ffa_rx_release(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args);

/**
 * mediator_rx_write_begin() - take @vm's RX buffer to fill it.
 * Returns: a pointer to its first byte and *@size its size in bytes, or NULL
 * with *@err = FFA_BUSY (not mapped, or not free).
 */
uint8_t *mediator_rx_write_begin(struct mediator *m, struct mediator_vm *vm, uint32_t *size,
				 int *err);

/* Hand the filled RX buffer to the VM (@deliver) or give it back unfilled. */
void mediator_rx_write_end(struct mediator_vm *vm, bool deliver);
