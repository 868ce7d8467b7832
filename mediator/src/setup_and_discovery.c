/*
 * Setup and discovery (DEN0077A v1.2 chapter 13): FFA_VERSION with per-VM
 * negotiation under a policy profile (§13.2.2 for the v1.2 lock),
 * FFA_FEATURES, FFA_ID_GET and FFA_SPM_ID_GET, plus the mediator's own
 * start-up exchange with the SPMC. Partition discovery is in
 * partition_info.c.
 *
 * Choices where the spec leaves room, each written where it is made:
 * - the mediator needs an SPMC at FF-A 1.1 or later (as Xen's
 *   FFA_MIN_SPMC_VERSION) and runs at min(1.2, the SPMC's version), so a VM
 *   never negotiates a newer version than the mediator has with the SPMC;
 * - a request for a newer minor than ours is answered with ours and the VM
 *   runs at ours (callee rule 1 of FF-A §8.1.2 as the ACS checklist quotes
 *   it: compatible means same major and caller minor <= callee minor; the
 *   caller then decides; ffa-facts.md §1.4).
 */
#include "internal.h"

#include "mediator/check.h"

/* --- Policy profiles: the knobs where real mediators differ --- */

static const struct mediator_policy policies[MEDIATOR_PROFILE_COUNT] = {
	[MEDIATOR_PROFILE_SPEC] = {
		/* DEN0077A v1.2 §13.2.2 and ACS ffa_version_negotiation. */
		.name = "spec",
		.check_version_mbz = true,
		.vm_borrowers = true,
		.lock = VERSION_LOCK_FIRST_OTHER_CALL,
		.relock = VERSION_RELOCK_REJECT_DIFFERENT,
		.early_call_error = FFA_NOT_SUPPORTED,
	},
	[MEDIATOR_PROFILE_PKVM] = {
		/* pKVM: one global client (the host), GENMASK(30,16) ignores bit 31,
		 * locked by the first successful FFA_VERSION, answers with the
		 * negotiated (possibly downgraded) version, refuses a lower minor
		 * afterwards (f414269392443), INVALID_PARAMETERS before it. Memory
		 * goes only to partitions (no VM borrowers). */
		.name = "pkvm",
		.host_only = true,
		.reply_negotiated = true,
		.lock = VERSION_LOCK_FIRST_VERSION,
		.relock = VERSION_RELOCK_REJECT_LOWER,
		.early_call_error = FFA_INVALID_PARAMETERS,
	},
	[MEDIATOR_PROFILE_XEN] = {
		/* Xen ad2d3a7daf: per VM, bit 31 unchecked, an unknown major is
		 * taken as 1.2, locks at the first other call, always answers 1.2
		 * and never refuses once locked; NOT_SUPPORTED before it. Memory
		 * goes only to partitions (Xen: one SP borrower). */
		.name = "xen",
		.adopt_unknown_major = true,
		.lock = VERSION_LOCK_FIRST_OTHER_CALL,
		.relock = VERSION_RELOCK_ANSWER_ALWAYS,
		.early_call_error = FFA_NOT_SUPPORTED,
	},
};

const struct mediator_policy *mediator_policy_get(enum mediator_profile profile)
{
	return &policies[profile];
}

/* --- FFA_VERSION --- */

uint32_t mediator_version_negotiate(const struct mediator_policy *p, uint32_t ours, uint32_t req,
				    enum vm_version_state *state, uint32_t *version)
{
	uint32_t wanted;

	if (req & FFA_VERSION_MBZ) {
		if (p->check_version_mbz) {
			return FFA_VERSION_NOT_SUPPORTED;
		}
		req &= ~FFA_VERSION_MBZ;
	}
	if (ffa_version_major(req) != 1) {
		if (!p->adopt_unknown_major) {
			return FFA_VERSION_NOT_SUPPORTED;
		}
		req = ours;
	}
	wanted = req < ours ? req : ours;

	if (*state == VM_VERSION_LOCKED) {
		if ((p->relock == VERSION_RELOCK_REJECT_DIFFERENT && wanted != *version) ||
		    (p->relock == VERSION_RELOCK_REJECT_LOWER && wanted < *version)) {
			return FFA_VERSION_NOT_SUPPORTED;
		}
	} else {
		*version = wanted;
		*state = p->lock == VERSION_LOCK_FIRST_VERSION ? VM_VERSION_LOCKED
							       : VM_VERSION_REQUESTED;
	}
	return p->reply_negotiated ? *version : ours;
}

/*
 * FFA_VERSION: w1 = requested version; w0 = our version, or NOT_SUPPORTED in
 * w0 itself; every other result register zero (ACS ffa_version checks seven
 * reserved registers; pKVM P10).
 */
struct smccc_regs mediator_ffa_version(struct mediator *m, struct mediator_vm *vm,
				       const struct smccc_regs *args)
{
	uint32_t w0 = mediator_version_negotiate(m->policy, m->version, ffa_w(args, 1),
						 &vm->version_state, &vm->version);

	return (struct smccc_regs){.x = {w0}};
}

/* --- FFA_FEATURES --- */

/* The FFA_RXTX_MAP interface properties a VM of @vm's version sees. */
static uint32_t rxtx_map_properties(const struct mediator *m, const struct mediator_vm *vm)
{
	uint32_t w2;

	switch (m->rxtx_min_pages) {
	case 4:
		w2 = FFA_FEAT_RXTX_MIN_SIZE_16K;
		break;
	case 16:
		w2 = FFA_FEAT_RXTX_MIN_SIZE_64K;
		break;
	default:
		w2 = FFA_FEAT_RXTX_MIN_SIZE_4K;
		break;
	}
	/* v1.2 added the maximum in w2[31:16]; before it w2[31:2] are MBZ. */
	if (vm->version >= FFA_VERSION_1_2) {
		w2 |= m->rxtx_max_pages << FFA_FEAT_RXTX_MAX_PAGES_SHIFT;
	}
	return w2;
}

/*
 * FFA_FEATURES: w1 = a function ID (bit 31 set) or a feature ID (bit 31
 * clear). Input properties in w2 are defined only for FFA_MEM_RETRIEVE_REQ
 * and ignored (SBZ, Hafnium 6fd6c1d6): its answer to a v1.1+ VM reports
 * NS-bit handling (w2 bit 1; memory_retrieve.c sets the NS bit in the
 * response), which the compliance suite's ffa_features_nsbit requires
 * whatever the input.
 * The only error is NOT_SUPPORTED. Feature IDs, for a VM at v1.1 or later
 * (notifications.c raises them): the SRI (FFA_SRI_INTID) and the NPI
 * (FFA_NPI_INTID), the ID in w2; the MEI (a partition's) is NOT_SUPPORTED,
 * as is any feature ID with bits[30:8] set or w2 non-zero (Hafnium
 * api_ffa_features).
 */
struct smccc_regs mediator_ffa_features(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args)
{
	uint32_t id = ffa_w(args, 1);

	if (!(id & SMCCC_FAST_CALL)) {
		if (ffa_w(args, 2) != 0 || vm->version < FFA_VERSION_1_1 ||
		    (id != FFA_FEATURE_SRI && id != FFA_FEATURE_NPI)) {
			return ffa_error(FFA_NOT_SUPPORTED);
		}
		return ffa_success(id == FFA_FEATURE_SRI ? FFA_SRI_INTID : FFA_NPI_INTID);
	}
	if (!smccc_is_ffa_fid(id) || !mediator_abi_is_handled(m, vm, id)) {
		return ffa_error(FFA_NOT_SUPPORTED);
	}
	if (id == FFA_RXTX_MAP_32 || id == FFA_RXTX_MAP_64) {
		return ffa_success(rxtx_map_properties(m, vm));
	}
	if ((id == FFA_MEM_RETRIEVE_REQ_32 || id == FFA_MEM_RETRIEVE_REQ_64) && vm->version >= FFA_VERSION_1_1) {
		return ffa_success(FFA_FEAT_RETRIEVE_NS_BIT);
	}
	return ffa_success(0);
}

/* --- FFA_ID_GET and FFA_SPM_ID_GET --- */

/* FFA_ID_GET: w2[15:0] = the caller's own ID. */
struct smccc_regs mediator_ffa_id_get(struct mediator *m, struct mediator_vm *vm,
				      const struct smccc_regs *args)
{
	(void)m;
	(void)args;
	return ffa_success(vm->id);
}

/* FFA_SPM_ID_GET (v1.1): w2[15:0] = the SPMC's ID, learnt at start-up. */
struct smccc_regs mediator_ffa_spm_id_get(struct mediator *m, struct mediator_vm *vm,
					  const struct smccc_regs *args)
{
	(void)vm;
	(void)args;
	return ffa_success(m->spmc_id);
}

/* --- Start-up exchange with the SPMC --- */

/* The SPMC's minimum RX/TX size from FFA_FEATURES w2[1:0], in 4K pages. */
static uint32_t spmc_min_pages(uint32_t w2)
{
	/* Mask w2: a v1.2 SPMC reports its maximum in w2[31:16] (pKVM P4). */
	switch (w2 & FFA_FEAT_RXTX_MIN_SIZE_MASK) {
	case FFA_FEAT_RXTX_MIN_SIZE_4K:
		return 1;
	case FFA_FEAT_RXTX_MIN_SIZE_16K:
		return 4;
	case FFA_FEAT_RXTX_MIN_SIZE_64K:
		return 16;
	default:
		return 0; /* reserved encoding */
	}
}

/* FFA_VERSION with the SPMC: the lower of its version, 1.2 and m->version if set (max_version). */
static int spmc_negotiate_version(struct mediator *m)
{
	uint32_t max = m->version;
	uint32_t ours = max != 0 && max < FFA_VERSION_1_2 ? max : FFA_VERSION_1_2;
	struct smccc_regs r =
		mediator_forward(m, FFA_HOST_ID, ffa_call(FFA_VERSION_32, ours, 0, 0, 0, 0));
	/* 32-bit compare: NOT_SUPPORTED arrives as 0x00000000FFFFFFFF (pKVM P3). */
	uint32_t v = ffa_w(&r, 0);

	if ((v & FFA_VERSION_MBZ) || ffa_version_major(v) != 1 || ffa_version_minor(v) < 1) {
		return FFA_NOT_SUPPORTED;
	}
	m->version = v < ours ? v : ours;
	return FFA_OK;
}

static int spmc_read_ids(struct mediator *m)
{
	struct smccc_regs r = mediator_forward(m, FFA_HOST_ID, ffa_call(FFA_ID_GET_32, 0, 0, 0, 0, 0));

	/* "ID value 0 must be returned at the Non-secure physical FF-A instance". */
	if (!ffa_is_success(&r) || (ffa_w(&r, 2) & 0xFFFFU) != FFA_HOST_ID) {
		return FFA_NOT_SUPPORTED;
	}
	r = mediator_forward(m, FFA_HOST_ID, ffa_call(FFA_SPM_ID_GET_32, 0, 0, 0, 0, 0));
	if (!ffa_is_success(&r) || !ffa_id_is_secure((ffa_id_t)ffa_w(&r, 2))) {
		return FFA_NOT_SUPPORTED;
	}
	m->spmc_id = (ffa_id_t)ffa_w(&r, 2);
	return FFA_OK;
}

/*
 * Map the mediator's own RX/TX pair at the SPMC (as pKVM and Xen do at
 * init). Their addresses are in m->hyp_mailbox already: TX, then RX right
 * after it.
 */
static int spmc_map_buffers(struct mediator *m)
{
	struct mailbox *mb = &m->hyp_mailbox;
	struct smccc_regs r = mediator_forward(
		m, FFA_HOST_ID, ffa_call(FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0, 0, 0));
	uint32_t min, max;

	if (!ffa_is_success(&r)) {
		return FFA_NOT_SUPPORTED;
	}
	min = spmc_min_pages(ffa_w(&r, 2));
	max = m->version >= FFA_VERSION_1_2 ? ffa_w(&r, 2) >> FFA_FEAT_RXTX_MAX_PAGES_SHIFT : 0;
	/* Our buffers must meet the SPMC's size and alignment: a config error. */
	if (min == 0 || mb->page_count % min != 0 || (max != 0 && mb->page_count > max) ||
	    mb->tx_pa % ((uint64_t)min * MEM_PAGE_SIZE) != 0 ||
	    mb->rx_pa % ((uint64_t)min * MEM_PAGE_SIZE) != 0) {
		return FFA_NO_MEMORY;
	}
	/* The owner marks its pages as a mailbox; the SPMC checks that it did. */
	CHECK(mem_transition(m->mem, mb->tx_pa, 2 * mb->page_count, MEM_OWNER_HYP,
			     MEM_PAGE_PRIVATE, MEM_PAGE_MAILBOX) == FFA_OK);
	r = mediator_forward(m, FFA_HOST_ID,
			     ffa_call(FFA_RXTX_MAP_64, mb->tx_pa, mb->rx_pa, mb->page_count, 0, 0));
	if (!ffa_is_success(&r)) {
		CHECK(mem_transition(m->mem, mb->tx_pa, 2 * mb->page_count, MEM_OWNER_HYP,
				     MEM_PAGE_MAILBOX, MEM_PAGE_PRIVATE) == FFA_OK);
		return FFA_NOT_SUPPORTED;
	}
	mailbox_map(mb, mb->tx_pa, mb->rx_pa, mb->page_count);
	return FFA_OK;
}

int mediator_spmc_setup(struct mediator *m)
{
	int err = spmc_negotiate_version(m);

	if (err == FFA_OK) {
		err = spmc_read_ids(m);
	}
	if (err == FFA_OK) {
		err = spmc_map_buffers(m);
	}
	if (err == FFA_OK) {
		err = mediator_sps_discover(m);
	}
	if (err == FFA_OK) {
		err = mediator_notifications_setup(m);
	}
	return err;
}

int mediator_fini(struct mediator *m)
{
	struct mailbox *mb = &m->hyp_mailbox;
	int first = FFA_OK;

	if (m->ffa_ready) {
		mediator_memory_teardown(m);
	}
	for (uint32_t i = 0; m->ffa_ready && i < m->vm_count; i++) {
		struct mediator_vm *vm = &m->vms[i];
		int err = vm->mailbox.mapped ? mediator_rxtx_teardown(m, vm, true) : FFA_OK;

		first = first != FFA_OK ? first : err;
		err = mediator_notifications_teardown(m, vm);
		first = first != FFA_OK ? first : err;
	}
	if (mb->mapped) {
		struct smccc_regs r =
			mediator_forward(m, FFA_HOST_ID, ffa_call(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));

		first = first != FFA_OK ? first : (ffa_is_success(&r) ? FFA_OK : FFA_ABORTED);
		CHECK(mem_transition(m->mem, mb->tx_pa, 2 * mb->page_count, MEM_OWNER_HYP,
				     MEM_PAGE_MAILBOX, MEM_PAGE_PRIVATE) == FFA_OK);
		mailbox_unmap(mb);
	}
	m->ffa_ready = false;
	return first;
}
