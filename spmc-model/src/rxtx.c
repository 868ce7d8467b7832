/*
 * The hypervisor's RX/TX pair at the SPMC (DEN0077A v1.2 chapter 13:
 * FFA_RXTX_MAP, FFA_RXTX_UNMAP, FFA_RX_RELEASE and FFA_RX_ACQUIRE, as Hafnium
 * serves a hypervisor caller). The SPMC is
 * the producer of the hypervisor's RX buffer (partition information); the
 * hypervisor owns it from delivery until FFA_RX_RELEASE, or takes a free one
 * with FFA_RX_ACQUIRE.
 *
 * VM pairs: the hypervisor registers a VM's pair with the forwarded form of
 * FFA_RXTX_MAP_64 (x1 = x2 = w3 = 0; an endpoint RX/TX descriptor with one
 * composite of one constituent per buffer in the hypervisor's TX buffer,
 * offsets 8-byte aligned, Hafnium b9c1912c), unmaps it with
 * FFA_RXTX_UNMAP(w1 = VM ID << 16), and hands the VM's RX buffer back and
 * forth with FFA_RX_ACQUIRE / FFA_RX_RELEASE(w1 = VM ID). A partition then
 * delivers indirect messages into it (indirect_messaging.c).
 *
 * What the model checks and records as a mediator fault: mapping pages that
 * their owner (the hypervisor, or the VM a descriptor names) has not made a
 * mailbox (DENIED), mapping twice (DENIED), a malformed descriptor
 * (INVALID_PARAMETERS), unmapping or releasing the hypervisor's own pair when
 * it is not mapped or not held (INVALID_PARAMETERS / DENIED), naming an
 * endpoint the SPMC does not know in w1 (INVALID_PARAMETERS), and MBZ bits
 * set. A VM's release of an RX buffer it does not own is the VM's error,
 * passed on: DENIED, no fault. Parameter errors that only the SPMC's
 * configuration makes wrong (a size above its maximum) are plain errors.
 */
#include "internal.h"

#include <string.h>

/* The composite at @off in @desc (@len bytes): one constituent, @pages pages at *@pa. */
static bool read_composite(const uint8_t *desc, uint32_t len, uint32_t off, uint64_t *pa,
			   uint32_t *pages)
{
	struct ffa_composite_mem_region c;
	struct ffa_mem_region_constituent k;

	if (off % 8 != 0 || (uint64_t)off + sizeof(c) + sizeof(k) > len) {
		return false;
	}
	memcpy(&c, desc + off, sizeof(c));
	memcpy(&k, desc + off + sizeof(c), sizeof(k));
	*pa = k.address;
	*pages = k.page_count;
	return c.constituent_count == 1 && c.page_count == k.page_count && k.page_count != 0;
}

/* The forwarded form: register a VM's pair described in the hypervisor's TX. */
static struct smccc_regs register_vm_pair(struct spmc *s)
{
	struct mailbox *hyp = &s->hyp_mailbox;
	uint32_t len = hyp->page_count * MEM_PAGE_SIZE;
	const uint8_t *tx = hyp->mapped ? mem_map(s->mem, hyp->tx_pa, hyp->page_count,
						  MEM_OWNER_HYP, MEM_PAGE_MAILBOX)
					: NULL;
	struct ffa_endpoint_rxtx_descriptor d;
	uint64_t rx_pa, tx_pa;
	uint32_t rx_pages, tx_pages;
	struct spmc_ns *ns;

	if (tx == NULL) {
		return spmc_fault(s, FFA_RXTX_MAP_64, "forwarded RXTX_MAP with no hypervisor TX",
				  FFA_DENIED);
	}
	memcpy(&d, tx, sizeof(d));
	if (d.endpoint_id == FFA_HOST_ID || ffa_id_is_secure(d.endpoint_id) ||
	    !read_composite(tx, len, d.rx_composite_off, &rx_pa, &rx_pages) ||
	    !read_composite(tx, len, d.tx_composite_off, &tx_pa, &tx_pages) ||
	    rx_pages != tx_pages) {
		return spmc_fault(s, FFA_RXTX_MAP_64, "malformed endpoint RX/TX descriptor",
				  FFA_INVALID_PARAMETERS);
	}
	if (mem_map(s->mem, tx_pa, tx_pages, d.endpoint_id, MEM_PAGE_MAILBOX) == NULL ||
	    mem_map(s->mem, rx_pa, rx_pages, d.endpoint_id, MEM_PAGE_MAILBOX) == NULL) {
		return spmc_fault(s, FFA_RXTX_MAP_64,
				  "forwarded RXTX_MAP of pages the VM does not own as a mailbox",
				  FFA_DENIED);
	}
	ns = spmc_ns_add(s, d.endpoint_id);
	if (ns == NULL) {
		return ffa_error(FFA_NO_MEMORY);
	}
	if (ns->mailbox.mapped) {
		return spmc_fault(s, FFA_RXTX_MAP_64, "forwarded RXTX_MAP of a VM already mapped",
				  FFA_DENIED);
	}
	mailbox_map(&ns->mailbox, tx_pa, rx_pa, rx_pages);
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_rxtx_map(struct spmc *s, const struct smccc_regs *args)
{
	const struct spmc_manifest *mf = s->manifest;
	uint64_t tx = ffa_x(args, 1);
	uint64_t rx = ffa_x(args, 2);
	uint64_t x3 = ffa_x(args, 3);
	uint32_t count = (uint32_t)(x3 & FFA_RXTX_PAGE_COUNT_MASK);
	uint64_t granule = (uint64_t)mf->rxtx_min_pages * MEM_PAGE_SIZE;

	if (tx == 0 && rx == 0 && x3 == 0) {
		return register_vm_pair(s);
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

/*
 * The pair w1 names: the hypervisor's own for ID 0, else a registered VM's.
 * Returns NULL (after recording a fault) for an endpoint the SPMC does not know.
 */
static struct mailbox *named_pair(struct spmc *s, ffa_id_t id, uint32_t fid, bool *is_vm)
{
	struct spmc_ns *ns = id == FFA_HOST_ID ? NULL : spmc_ns_find(s, id);

	*is_vm = id != FFA_HOST_ID;
	if (id == FFA_HOST_ID) {
		return &s->hyp_mailbox;
	}
	if (ns == NULL || !ns->mailbox.mapped) {
		spmc_fault(s, fid, "an endpoint with no registered RX/TX pair named in w1",
			   FFA_INVALID_PARAMETERS);
		return NULL;
	}
	return &ns->mailbox;
}

struct smccc_regs spmc_ffa_rxtx_unmap(struct spmc *s, const struct smccc_regs *args)
{
	struct mailbox *mb;
	bool is_vm;

	if ((ffa_w(args, 1) & 0xFFFFU) != 0) {
		return spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP with w1[15:0] set",
				  FFA_INVALID_PARAMETERS);
	}
	mb = named_pair(s, ffa_sender(args), FFA_RXTX_UNMAP_32, &is_vm);
	if (mb == NULL) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!mb->mapped) {
		return spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP with nothing mapped",
				  FFA_INVALID_PARAMETERS);
	}
	if (mb->rx != MAILBOX_RX_FREE) {
		return is_vm ? ffa_error(FFA_DENIED)
			     : spmc_fault(s, FFA_RXTX_UNMAP_32, "RXTX_UNMAP while RX is owned",
					  FFA_DENIED);
	}
	mailbox_unmap(mb);
	if (is_vm) {
		spmc_ns_forget_if_unused(spmc_ns_find(s, ffa_sender(args)));
	}
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_rx_release(struct spmc *s, const struct smccc_regs *args)
{
	bool is_vm;
	struct mailbox *mb = (ffa_w(args, 1) >> 16) != 0
				     ? NULL
				     : named_pair(s, ffa_receiver(args), FFA_RX_RELEASE_32, &is_vm);

	if (mb == NULL) {
		return (ffa_w(args, 1) >> 16) != 0
			       ? spmc_fault(s, FFA_RX_RELEASE_32, "RX_RELEASE with w1[31:16] set",
					    FFA_INVALID_PARAMETERS)
			       : ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (mailbox_rx_release(mb) != FFA_OK) {
		/* A VM releasing what it does not own is its error; ours is a fault. */
		return is_vm ? ffa_error(FFA_DENIED)
			     : spmc_fault(s, FFA_RX_RELEASE_32,
					  "RX_RELEASE of a buffer the hypervisor does not hold",
					  FFA_DENIED);
	}
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_rx_acquire(struct spmc *s, const struct smccc_regs *args)
{
	bool is_vm;
	struct mailbox *mb = (ffa_w(args, 1) >> 16) != 0
				     ? NULL
				     : named_pair(s, ffa_receiver(args), FFA_RX_ACQUIRE_32, &is_vm);
	int err;

	if (mb == NULL) {
		/* Hafnium 67686054: an unknown VM ID must not crash the SPMC. */
		return (ffa_w(args, 1) >> 16) != 0
			       ? spmc_fault(s, FFA_RX_ACQUIRE_32, "RX_ACQUIRE with w1[31:16] set",
					    FFA_INVALID_PARAMETERS)
			       : ffa_error(FFA_INVALID_PARAMETERS);
	}
	err = mailbox_rx_take(mb);
	if (err == FFA_DENIED) {
		return spmc_fault(s, FFA_RX_ACQUIRE_32, "RX_ACQUIRE with nothing mapped",
				  FFA_DENIED);
	}
	return ffa_status(err);
}
