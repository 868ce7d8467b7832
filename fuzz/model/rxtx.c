/*
 * The state model, RX/TX buffers (DEN0077A v1.2 §13.10 FFA_RXTX_MAP, §13.11
 * FFA_RXTX_UNMAP, §13.12 FFA_RX_RELEASE, and the buffer ownership rules of
 * §6.2.2: a producer that fills the RX buffer hands it to the consumer, who
 * owns it until FFA_RX_RELEASE).
 *
 *   rxtx-state: FFA_RXTX_MAP succeeds only with no pair mapped (DENIED
 *     otherwise, ACS ffa_rxtx_map_and_unmap), FFA_RXTX_UNMAP only with one
 *     mapped (INVALID_PARAMETERS), FFA_RX_RELEASE only while the VM owns its
 *     RX (DENIED, ACS ffa_rx_release); after a successful unmap the pages are
 *     the VM's private pages again.
 *   mailbox-pages: every mapped pair is in pages the VM holds as a mailbox,
 *     in the page-ownership model, until it is unmapped.
 *   rx-busy: a call that would fill the caller's RX (a partition list in RX,
 *     a retrieve response) does not succeed while the VM owns it (BUSY).
 *   rx-owned-untouched: an RX buffer its VM owns is not written by anyone
 *     (any VM's call) until it is released.
 *   features-honoured (its RX/TX half): a pair mapped keeps to the sizes
 *     FFA_FEATURES(FFA_RXTX_MAP) told the VM.
 */
#include "model.h"

#include <string.h>

#include "harness.h"
#include "mediator/check.h"

/* Whether @reply to @call put something in the caller's RX. */
static bool fills_rx(const struct model_vm *v, const struct smccc_regs *call,
		     const struct smccc_regs *reply)
{
	switch (ffa_func(call)) {
	case FFA_PARTITION_INFO_GET_32:
		return ffa_func(reply) == FFA_SUCCESS_32 && ffa_w(reply, 2) != 0 &&
		       !(v->version >= FFA_VERSION_1_1 &&
			 (ffa_w(call, 5) & FFA_PARTITION_INFO_GET_COUNT_ONLY));
	case FFA_MEM_RETRIEVE_REQ_32:
	case FFA_MEM_RETRIEVE_REQ_64:
		return ffa_func(reply) == FFA_MEM_RETRIEVE_RESP_32;
	default:
		return false;
	}
}

/* VM @v's copy of its RX (model.h rx_copy). */
static uint8_t *rx_copy(struct fuzz_machine *fm, const struct model_vm *v)
{
	return fm->model.rx_copy[v - fm->model.vms];
}

/* VM @v owns its RX from now on, with the bytes it holds now. */
static void rx_owned(struct fuzz_machine *fm, struct model_vm *v)
{
	const uint8_t *rx = model_rx(fm, v);

	CHECK((size_t)v->pages * MEM_PAGE_SIZE <= MODEL_RX_MAX_BYTES);
	v->rx_full = true;
	if (rx != NULL) {
		memcpy(rx_copy(fm, v), rx, (size_t)v->pages * MEM_PAGE_SIZE);
	}
}

void model_rx_filled(struct fuzz_machine *fm, struct model_vm *v)
{
	rx_owned(fm, v);
	model_count(MODEL_T_RX_FILLED);
}

/* Whether pages [@pa, +@pages) are all @owner's in @state. */
static bool pages_in(const struct mem *mem, uint64_t pa, uint32_t pages, uint32_t owner,
		     enum mem_page_state state)
{
	for (uint32_t i = 0; i < pages; i++) {
		const struct mem_page *p = mem_page_at(mem, pa + (uint64_t)i * MEM_PAGE_SIZE);

		if (p == NULL || p->owner != owner || p->state != state) {
			return false;
		}
	}
	return true;
}

/*
 * rx-owned-untouched and mailbox-pages, for every VM, after any VM's call
 * (@unmapped: the caller's pair, just unmapped, is not checked as a mailbox).
 * A VM whose RX the SPMC now records as handed to it, with the RX-full
 * framework notification pending (a partition's FFA_MSG_SEND2 delivered
 * there, §10.3), owns it from now on.
 */
static void check_all_pairs(struct fuzz_machine *fm, const struct model_before *b, uint32_t cfid,
			    const struct model_vm *unmapped)
{
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		struct model_vm *o = &fm->model.vms[i];
		const uint8_t *rx = model_rx(fm, o);
		const struct spmc_ns *ns = spmc_ns_find(&fm->spmc, o->id);

		if (!o->mapped || o == unmapped) {
			continue;
		}
		if (!o->rx_full && !(b->ns_rx_consumer >> i & 1) && ns != NULL &&
		    ns->mailbox.rx == MAILBOX_RX_CONSUMER &&
		    (ns->notif.framework & FFA_FRAMEWORK_NOTIF_RX_FULL)) {
			model_rx_filled(fm, o);
		}
		if (!pages_in(&fm->mem, o->tx_pa, o->pages, o->id, MEM_PAGE_MAILBOX) ||
		    !pages_in(&fm->mem, o->rx_pa, o->pages, o->id, MEM_PAGE_MAILBOX)) {
			oracle_violation(fm, "mailbox-pages", "after %#x: VM %#x's pair TX %#llx RX %#llx",
					 cfid, o->id, (unsigned long long)o->tx_pa,
					 (unsigned long long)o->rx_pa);
		}
		if (o->rx_full && rx != NULL &&
		    memcmp(rx, rx_copy(fm, o), (size_t)o->pages * MEM_PAGE_SIZE) != 0) {
			oracle_violation(fm, "rx-owned-untouched", "VM %#x's RX changed under %#x", o->id, cfid);
			rx_owned(fm, o);
		}
	}
}

/*
 * features-honoured, RX/TX properties: a pair of @pages pages at @tx, @rx
 * (IPAs) that the mediator accepted keeps to the sizes FFA_FEATURES told
 * the VM: the minimum size and alignment (w2[1:0]: 4K, 64K or 16K) and, at
 * v1.2, the maximum (w2[31:16] pages, 0 for no limit) (DEN0077A v1.2 §13.3,
 * FFA_RXTX_MAP's properties). Checked when the pair is mapped after the
 * answer, and when the answer comes while the pair is mapped: either way
 * the mediator told one size and accepted another.
 */
static void check_told_sizes(struct fuzz_machine *fm, const struct model_vm *v, uint32_t pages,
			     uint64_t tx, uint64_t rx)
{
	static const uint32_t min_pages[4] = {1, 16, 4, 1};
	int w64, n = model_fid_index(FFA_RXTX_MAP_32, &w64);
	uint32_t min = min_pages[v->rxtx_props & 3], max = v->rxtx_props >> 16;
	uint64_t align = (uint64_t)min * MEM_PAGE_SIZE;

	if (!((v->told_yes[0] | v->told_yes[1]) >> n & 1)) {
		return;
	}
	if (pages % min != 0 || (v->version >= FFA_VERSION_1_2 && max != 0 && pages > max) ||
	    tx % align != 0 || rx % align != 0) {
		oracle_violation(fm, "features-honoured", "VM %#x has %u pages mapped at %#llx, %#llx; FFA_FEATURES(FFA_RXTX_MAP) told it w2 = %#x",
				 v->id, pages, (unsigned long long)tx, (unsigned long long)rx,
				 v->rxtx_props);
	}
}

void model_rxtx_check(struct fuzz_machine *fm, struct model_vm *v, const struct model_before *b,
		      const struct smccc_regs *call, const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call);
	bool ok = ffa_func(reply) == FFA_SUCCESS_32;
	uint64_t mask = smccc_is_smc64(cfid) ? ~0ULL : 0xFFFFFFFFULL;

	if (!model_version_known(v) && cfid == FFA_PARTITION_INFO_GET_32 &&
	    ffa_func(reply) == FFA_SUCCESS_32) {
		v->rx_unknown = true; /* count only or not depends on the version */
		v->rx_full = false;
	} else if (fills_rx(v, call, reply)) {
		if (v->rx_full) {
			oracle_violation(fm, "rx-busy", "VM %#x owns its RX, yet %#x answered %#x", v->id,
					 cfid, ffa_func(reply));
			model_count(MODEL_T_RX_FULL_REFUSED);
		}
		model_rx_filled(fm, v);
	} else if (v->rx_full && (cfid == FFA_PARTITION_INFO_GET_32 || cfid == FFA_MEM_RETRIEVE_REQ_32 ||
				  cfid == FFA_MEM_RETRIEVE_REQ_64)) {
		model_count(MODEL_T_RX_FULL_REFUSED);
	}
	check_all_pairs(fm, b, cfid, cfid == FFA_RXTX_UNMAP_32 && ok ? v : NULL);
	if (cfid == FFA_FEATURES_32 && ok && (ffa_w(call, 1) & ~SMCCC_SMC64) == FFA_RXTX_MAP_32 &&
	    v->mapped) {
		check_told_sizes(fm, v, v->pages, v->tx_ipa, v->rx_ipa);
	}
	if ((cfid == FFA_RXTX_MAP_32 || cfid == FFA_RXTX_MAP_64) && ok) {
		uint32_t pages = ffa_w(call, 3) & FFA_RXTX_PAGE_COUNT_MASK;

		v->tx_ipa = call->x[1] & mask;
		v->rx_ipa = call->x[2] & mask;
		check_told_sizes(fm, v, pages, v->tx_ipa, v->rx_ipa);

		if (v->mapped) {
			oracle_violation(fm, "rxtx-state", "VM %#x mapped a second pair", v->id);
			model_count(MODEL_T_RXTX_REMAP);
		}
		v->mapped = true;
		v->pages = pages;
		v->tx_pa = model_pa(fm, v->id, call->x[1] & mask, pages);
		v->rx_pa = model_pa(fm, v->id, call->x[2] & mask, pages);
		v->rx_full = false;
		v->rx_unknown = false;
		v->mapped = v->tx_pa != 0 && v->rx_pa != 0 && pages != 0; /* else rxtx-map-params fired */
		model_count(MODEL_T_RXTX_MAPPED);
	} else if ((cfid == FFA_RXTX_MAP_32 || cfid == FFA_RXTX_MAP_64) && v->mapped) {
		model_count(MODEL_T_RXTX_REMAP);
	}
	if (cfid == FFA_RXTX_UNMAP_32 && ok) {
		if (!v->mapped) {
			oracle_violation(fm, "rxtx-state", "VM %#x unmapped a pair it does not have", v->id);
		} else if (!pages_in(&fm->mem, v->tx_pa, v->pages, v->id, MEM_PAGE_PRIVATE) ||
			   !pages_in(&fm->mem, v->rx_pa, v->pages, v->id, MEM_PAGE_PRIVATE)) {
			oracle_violation(fm, "rxtx-state", "VM %#x unmapped its pair, its pages are not private again",
					 v->id);
		}
		v->mapped = false;
		v->rx_full = false;
		v->rx_unknown = false;
		model_count(MODEL_T_RXTX_UNMAPPED);
	}
	if (cfid == FFA_RX_ACQUIRE_32 && ok && ffa_w(call, 1) == 0) {
		rx_owned(fm, v); /* taken as a consumer (§13.13): its own until released */
	}
	if (cfid == FFA_RX_RELEASE_32 && ok) {
		if (!v->rx_full && !v->rx_unknown) {
			oracle_violation(fm, "rxtx-state", "VM %#x released an RX it does not own", v->id);
		}
		v->rx_full = false;
		model_count(MODEL_T_RX_RELEASED);
	}
	if (cfid == FFA_RX_RELEASE_32 && (ok || ffa_is_error(reply, FFA_DENIED))) {
		v->rx_unknown = false; /* it owned RX until now, or did not at all */
	}
}
