/*
 * The hypervisor's RX/TX pair at the SPMC (DEN0077A v1.2 chapter 13:
 * FFA_RXTX_MAP, FFA_RXTX_UNMAP, FFA_RX_RELEASE and FFA_RX_ACQUIRE, as Hafnium
 * serves a hypervisor caller). The SPMC is
 * the producer of the hypervisor's RX buffer (partition information); the
 * hypervisor owns it from delivery until FFA_RX_RELEASE, or takes a free one
 * with FFA_RX_ACQUIRE.
 *
 * What the model checks and records as a mediator fault: mapping pages the
 * hypervisor does not own as a mailbox (DENIED), mapping twice (DENIED),
 * unmapping or releasing what is not mapped or not held (INVALID_PARAMETERS
 * / DENIED), naming an endpoint the SPMC does not know in w1 (the only NS
 * pair registered here is the hypervisor's own, ID 0; VM pairs arrive with
 * issue 3), and MBZ bits set. Parameter errors that only the SPMC's
 * configuration makes wrong (a size above its maximum) are plain errors.
 */
#include "internal.h"

struct smccc_regs spmc_ffa_rxtx_map(struct spmc *s, const struct smccc_regs *args)
{
	const struct spmc_manifest *mf = s->manifest;
	uint64_t tx = ffa_x(args, 1);
	uint64_t rx = ffa_x(args, 2);
	uint64_t x3 = ffa_x(args, 3);
	uint32_t count = (uint32_t)(x3 & FFA_RXTX_PAGE_COUNT_MASK);
	uint64_t granule = (uint64_t)mf->rxtx_min_pages * MEM_PAGE_SIZE;

	if (tx == 0 && rx == 0 && count == 0) {
		/* The forwarded endpoint RX/TX descriptor form: issue 3. */
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if ((x3 & ~(uint64_t)FFA_RXTX_PAGE_COUNT_MASK) != 0) {
		return spmc_fault(s, FFA_RXTX_MAP_64, "RXTX_MAP with x3[63:6] set",
				  FFA_INVALID_PARAMETERS);
	}
	if (count == 0 || count % mf->rxtx_min_pages != 0 || count > mf->rxtx_max_pages ||
	    tx % granule != 0 || rx % granule != 0 ||
	    mem_ranges_overlap(tx, (uint64_t)count * MEM_PAGE_SIZE, rx,
			       (uint64_t)count * MEM_PAGE_SIZE)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (s->hyp_mailbox.mapped) {
		return spmc_fault(s, FFA_RXTX_MAP_64, "RXTX_MAP while a pair is mapped",
				  FFA_DENIED);
	}
	if (mem_map(s->mem, tx, count, MEM_OWNER_HYP, MEM_PAGE_MAILBOX) == NULL ||
	    mem_map(s->mem, rx, count, MEM_OWNER_HYP, MEM_PAGE_MAILBOX) == NULL) {
		return spmc_fault(s, FFA_RXTX_MAP_64,
				  "RXTX_MAP of pages the hypervisor does not own as a mailbox",
				  FFA_DENIED);
	}
	mailbox_map(&s->hyp_mailbox, tx, rx, count);
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_rxtx_unmap(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t w1 = ffa_w(args, 1);

	if ((w1 & 0xFFFFU) != 0) {
		return spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP with w1[15:0] set",
				  FFA_INVALID_PARAMETERS);
	}
	if (ffa_sender(args) != FFA_HOST_ID) {
		return spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP for an unknown endpoint",
				  FFA_INVALID_PARAMETERS);
	}
	if (!s->hyp_mailbox.mapped) {
		return spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP with nothing mapped",
				  FFA_INVALID_PARAMETERS);
	}
	if (s->hyp_mailbox.rx != MAILBOX_RX_FREE) {
		return spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP while RX is owned",
				  FFA_DENIED);
	}
	mailbox_unmap(&s->hyp_mailbox);
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_rx_release(struct spmc *s, const struct smccc_regs *args)
{
	if (ffa_w(args, 1) != FFA_HOST_ID) {
		return spmc_fault(s, FFA_RX_RELEASE_32, "RX_RELEASE for an unknown endpoint",
				  FFA_INVALID_PARAMETERS);
	}
	if (mailbox_rx_release(&s->hyp_mailbox) != FFA_OK) {
		return spmc_fault(s, FFA_RX_RELEASE_32,
				  "RX_RELEASE of a buffer the hypervisor does not hold", FFA_DENIED);
	}
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_rx_acquire(struct spmc *s, const struct smccc_regs *args)
{
	int err;

	if (ffa_w(args, 1) != FFA_HOST_ID) {
		/* Hafnium 67686054: an unknown VM ID must not crash the SPMC. */
		return spmc_fault(s, FFA_RX_ACQUIRE_32, "RX_ACQUIRE for an unknown endpoint",
				  FFA_INVALID_PARAMETERS);
	}
	err = mailbox_rx_take(&s->hyp_mailbox);
	if (err == FFA_DENIED) {
		return spmc_fault(s, FFA_RX_ACQUIRE_32, "RX_ACQUIRE with nothing mapped",
				  FFA_DENIED);
	}
	return ffa_status(err);
}
