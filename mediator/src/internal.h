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

/* mediator_inject_irq() - make virtual interrupt @intid pending for VM @vm (observed). */
void mediator_inject_irq(struct mediator *m, ffa_id_t vm, uint32_t intid);

/* An error the SPMC may legitimately return, passed on; anything else ABORTED. */
static inline int32_t mediator_spmc_error(const struct smccc_regs *r)
{
	int32_t err = ffa_error_code(r);

	if (ffa_func(r) == FFA_ERROR_32 && err < 0 && err >= FFA_NOT_READY) {
		return err;
	}
	return FFA_ABORTED;
}

/* The SPMC's reply to a call whose success carries nothing: SUCCESS or its error. */
static inline struct smccc_regs mediator_spmc_status(const struct smccc_regs *r)
{
	return ffa_is_success(r) ? ffa_success(0) : ffa_error(mediator_spmc_error(r));
}

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

/* Ask the SPMC for every partition and cache them in m->sps. Returns an ffa_error. */
int mediator_sps_discover(struct mediator *m);

/* The cached partition @id, or NULL if @id is not a known partition. */
struct mediator_sp *mediator_sp_find(struct mediator *m, ffa_id_t id);

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

/*
 * mediator_rx_write_end() - hand the RX buffer, filled with @written bytes,
 * to the VM (@deliver), the rest of it zeroed so nothing of an earlier
 * message shows behind this one (Hafnium cded984f, d89f5d43); or give it
 * back unfilled and untouched.
 */
void mediator_rx_write_end(struct mediator *m, struct mediator_vm *vm, bool deliver,
			   uint32_t written);

/* The mediator's own TX buffer (it is the only writer). */
uint8_t *mediator_hyp_tx(struct mediator *m, uint32_t *size);

/*
 * Forget @vm's pair at the SPMC and locally. @force (VM teardown) first
 * takes RX back from whoever holds it, locally and at the SPMC; without it
 * (the VM's own FFA_RXTX_UNMAP) an owned RX is DENIED.
 * Returns: an ffa_error.
 */
int mediator_rxtx_teardown(struct mediator *m, struct mediator_vm *vm, bool force);

/* --- direct_messaging.c --- */

/*
 * Returns: what the SPMC's partition answered, checked (direct_messaging.c's
 * header lists the allowed answers), or INVALID_PARAMETERS (IDs, w2, UUID),
 * DENIED (properties, another VM's preempted request), BUSY (too many of this
 * VM's requests preempted), ABORTED (the SPMC answered nonsense).
 */
struct smccc_regs mediator_ffa_msg_send_direct_req(struct mediator *m, struct mediator_vm *vm,
						   const struct smccc_regs *args);
struct smccc_regs mediator_ffa_run(struct mediator *m, struct mediator_vm *vm,
				   const struct smccc_regs *args);

/* --- indirect_messaging.c --- */

/*
 * Returns: FFA_SUCCESS_32, or INVALID_PARAMETERS (w1, w2, header, receiver,
 * UUID), DENIED (no TX buffer; receiver takes no indirect messages), BUSY
 * (receiver's RX not free), NO_MEMORY (message larger than the receiver's
 * RX or the relay buffer), or the SPMC's error.
 */
struct smccc_regs mediator_ffa_msg_send2(struct mediator *m, struct mediator_vm *vm,
					 const struct smccc_regs *args);

/* --- memory.c and memory_retrieve.c --- */

/* Teardown: every transaction ends, at the SPMC too (best effort); pages go home. */
void mediator_memory_teardown(struct mediator *m);

/* The kinds of the pages @t names (PAs): bit K for a page of enum mem_page_kind K. */
unsigned mediator_txn_kinds(const struct mediator *m, const struct ffa_mem_txn *t);

/* Return @x's pages to its lender (zeroed if @zero) and free @x. */
void mediator_txn_release_pages(struct mediator *m, struct mediator_txn *x, bool zero);

/*
 * Returns: FFA_SUCCESS_32 with w2/w3 = handle, FFA_MEM_FRAG_RX_32 while
 * fragments are due, or INVALID_PARAMETERS, DENIED, NO_MEMORY, BUSY,
 * ABORTED, or the SPMC's error (memory.c's header lists when).
 */
struct smccc_regs mediator_ffa_mem_send(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args);
struct smccc_regs mediator_ffa_mem_frag_tx(struct mediator *m, struct mediator_vm *vm,
					   const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32, INVALID_PARAMETERS, DENIED or the SPMC's error. */
struct smccc_regs mediator_ffa_mem_reclaim(struct mediator *m, struct mediator_vm *vm,
					   const struct smccc_regs *args);
/*
 * VM borrowers (policy vm_borrowers). Returns: FFA_MEM_RETRIEVE_RESP_32 with
 * w1 = w2 = the response's length in the caller's RX, or INVALID_PARAMETERS,
 * DENIED, BUSY, NO_MEMORY (memory_retrieve.c's header lists when).
 */
struct smccc_regs mediator_ffa_mem_retrieve_req(struct mediator *m, struct mediator_vm *vm,
						const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32, INVALID_PARAMETERS or DENIED. */
struct smccc_regs mediator_ffa_mem_relinquish(struct mediator *m, struct mediator_vm *vm,
					      const struct smccc_regs *args);
/* A borrower's FFA_MEM_FRAG_RX. Returns: INVALID_PARAMETERS (responses are never fragmented). */
struct smccc_regs mediator_ffa_mem_frag_rx(struct mediator *m, struct mediator_vm *vm,
					   const struct smccc_regs *args);

/* --- notifications.c --- */

/* Create every VM's bitmap at the SPMC (start-up). Returns an ffa_error. */
int mediator_notifications_setup(struct mediator *m);

/* Destroy @vm's bitmap at the SPMC (teardown). Returns an ffa_error. */
int mediator_notifications_teardown(struct mediator *m, struct mediator_vm *vm);

/* Returns: FFA_SUCCESS_32, INVALID_PARAMETERS, DENIED or the SPMC's error. */
struct smccc_regs mediator_ffa_notification_bind(struct mediator *m, struct mediator_vm *vm,
						 const struct smccc_regs *args);
struct smccc_regs mediator_ffa_notification_unbind(struct mediator *m, struct mediator_vm *vm,
						   const struct smccc_regs *args);
struct smccc_regs mediator_ffa_notification_set(struct mediator *m, struct mediator_vm *vm,
						const struct smccc_regs *args);
/* Returns: FFA_SUCCESS_32 with the four bitmaps in w2-w7, or INVALID_PARAMETERS. */
struct smccc_regs mediator_ffa_notification_get(struct mediator *m, struct mediator_vm *vm,
						const struct smccc_regs *args);
/*
 * mediator_interrupts_deliver() - at the end of @caller's call: take the
 * SPMC's SRI if it pended one (and learn its news), then give each VM with
 * news its virtual SRI.
 */
void mediator_interrupts_deliver(struct mediator *m, ffa_id_t caller);

/* Returns: FFA_SUCCESS with the caller's own ID lists, or NO_DATA. */
struct smccc_regs mediator_ffa_notification_info_get(struct mediator *m, struct mediator_vm *vm,
						     const struct smccc_regs *args);
