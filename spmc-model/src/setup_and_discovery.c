/*
 * The SPMC side of setup and discovery (DEN0077A v1.2 chapter 13) for the
 * hypervisor caller: FFA_VERSION under the spec's rules (the same code the
 * mediator's "spec" profile runs: lock at the first other call, a different
 * version afterwards gets NOT_SUPPORTED), FFA_FEATURES, FFA_ID_GET (0 at the
 * NS physical instance) and FFA_SPM_ID_GET. Partition discovery is in
 * partition_info.c.
 */
#include "internal.h"

#include <stddef.h>
#include <string.h>

#include "mediator/check.h"
#include "mediator/mediator.h"

_Static_assert(offsetof(struct spmc, sps) < offsetof(struct spmc, frag) &&
		       offsetof(struct spmc, frag) < offsetof(struct spmc, txns) &&
		       offsetof(struct spmc, txns) + sizeof(((struct spmc *)0)->txns) +
				       _Alignof(struct spmc) >
			       sizeof(struct spmc),
	       "spmc_init() zeroes every field before sps: sps, frag and txns must stay last");

void spmc_init(struct spmc *s, const struct spmc_manifest *manifest, struct mem *mem)
{
	/*
	 * Every field zero, except the bytes of the large tables at the end that
	 * are never read: partitions past the manifest's, the reassembly buffer
	 * above frag.received, and free transaction slots (assigned whole when
	 * taken; only .used is read while free). Fuzzers restart the model for
	 * every input, and this spares them zeroing 100 KB each time.
	 */
	memset(s, 0, offsetof(struct spmc, sps));
	memset(s->sps, 0, manifest->partition_count * sizeof(s->sps[0]));
	memset(&s->frag, 0, offsetof(struct spmc_frag, buf));
	for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) {
		s->txns[i].used = false;
	}
	s->manifest = manifest;
	s->mem = mem;
	s->info_tag = 1;
	s->next_handle = 1;
	for (uint32_t i = 0; i < manifest->partition_count; i++) {
		s->sps[i].behaviour = manifest->partitions[i].behaviour;
		s->sps[i].notif.created = true; /* an SP's bitmap exists from boot */
		s->sps[i].notif.vcpu_count = manifest->partitions[i].exec_ctx_count;
	}
}

void spmc_state_copy(struct spmc *dst, const struct spmc *src)
{
	CHECK(src->frag.received <= sizeof(src->frag.buf));
	memcpy(dst, src, offsetof(struct spmc, sps));
	memcpy(dst->sps, src->sps, src->manifest->partition_count * sizeof(src->sps[0]));
	memcpy(&dst->frag, &src->frag, offsetof(struct spmc_frag, buf) + src->frag.received);
	for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) {
		if (src->txns[i].used) {
			dst->txns[i] = src->txns[i];
		} else {
			dst->txns[i].used = false;
		}
	}
}

void spmc_info_tag_bump(struct spmc *s)
{
	/* The tag is 16 bits and 0 means "no tag yet": skip it on wrap. */
	s->info_tag = (uint16_t)(s->info_tag + 1) != 0 ? (uint16_t)(s->info_tag + 1) : 1;
}

const struct spmc_partition *spmc_partition_find(const struct spmc *s, ffa_id_t id)
{
	for (uint32_t i = 0; i < s->manifest->partition_count; i++) {
		if (s->manifest->partitions[i].id == id) {
			return &s->manifest->partitions[i];
		}
	}
	return NULL;
}

struct spmc_sp *spmc_sp_state(struct spmc *s, ffa_id_t id)
{
	const struct spmc_partition *sp = spmc_partition_find(s, id);

	return sp ? &s->sps[sp - s->manifest->partitions] : NULL;
}

bool spmc_set_behaviour(struct spmc *s, ffa_id_t id, struct spmc_behaviour b)
{
	struct spmc_sp *st = spmc_sp_state(s, id);

	if (st == NULL || b.kind >= SPMC_BEHAVE_COUNT) {
		return false;
	}
	/* Field by field: the padding stays as spmc_init() zeroed it, so two models in
	 * the same state are the same bytes (tests/test_fuzz_snapshot.c compares them). */
	st->behaviour.kind = b.kind;
	st->behaviour.arg = b.arg;
	st->behaviour.arg2 = b.arg2;
	return true;
}

struct spmc_ns *spmc_ns_find(struct spmc *s, ffa_id_t id)
{
	for (unsigned i = 0; i < SPMC_MAX_NS; i++) {
		if (s->ns[i].used && s->ns[i].id == id) {
			return &s->ns[i];
		}
	}
	return NULL;
}

struct spmc_ns *spmc_ns_add(struct spmc *s, ffa_id_t id)
{
	struct spmc_ns *ns = spmc_ns_find(s, id);

	for (unsigned i = 0; ns == NULL && i < SPMC_MAX_NS; i++) {
		if (!s->ns[i].used) {
			ns = &s->ns[i];
			*ns = (struct spmc_ns){.used = true, .id = id};
		}
	}
	return ns;
}

void spmc_ns_forget_if_unused(struct spmc_ns *ns)
{
	if (!ns->mailbox.mapped && !ns->notif.created) {
		*ns = (struct spmc_ns){0};
	}
}

struct smccc_regs spmc_ffa_version(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t w0 = mediator_version_negotiate(mediator_policy_get(MEDIATOR_PROFILE_SPEC),
						 s->manifest->version, ffa_w(args, 1),
						 &s->version_state, &s->ns_version);

	return (struct smccc_regs){.x = {w0}};
}

/* FFA_RXTX_MAP properties: minimum size in w2[1:0], v1.2 maximum in w2[31:16]. */
static uint32_t rxtx_map_properties(const struct spmc *s)
{
	const struct spmc_manifest *mf = s->manifest;
	uint32_t w2 = mf->rxtx_min_pages == 16  ? FFA_FEAT_RXTX_MIN_SIZE_64K
		      : mf->rxtx_min_pages == 4 ? FFA_FEAT_RXTX_MIN_SIZE_16K
						: FFA_FEAT_RXTX_MIN_SIZE_4K;

	if (s->ns_version >= FFA_VERSION_1_2) {
		w2 |= mf->rxtx_max_pages << FFA_FEAT_RXTX_MAX_PAGES_SHIFT;
	}
	return w2;
}

/*
 * FFA_MEM_RETRIEVE_REQ's interface properties (DEN0077A v1.1+; Hafnium's
 * FFA_FEATURES_MEM_RETRIEVE_REQ_*): bit 2, retrieval by the hypervisor
 * (memory_retrieve.c). No dynamic buffers (bit 0) and no NS bit in responses
 * (bit 1); v1.0 has no properties here (MBZ).
 */
#define FEAT_MEM_RETRIEVE_REQ_HYPERVISOR (1U << 2)

/*
 * FFA_FEATURES: only NOT_SUPPORTED as an error. Feature IDs at the NS
 * physical instance: the SRI (FFA_SRI_INTID) from v1.1, when notifications
 * exist; the NPI and MEI are the secure world's own (NOT_SUPPORTED, as TF-A's
 * tests expect at the NS endpoint); MBZ bits[30:8] or a non-zero w2 make any
 * feature ID NOT_SUPPORTED (Hafnium api_ffa_features).
 */
struct smccc_regs spmc_ffa_features(struct spmc *s, const struct smccc_regs *args)
{
	uint32_t id = ffa_w(args, 1);

	if (!(id & SMCCC_FAST_CALL)) {
		return id == FFA_FEATURE_SRI && ffa_w(args, 2) == 0 && s->ns_version >= FFA_VERSION_1_1
			       ? ffa_success(FFA_SRI_INTID)
			       : ffa_error(FFA_NOT_SUPPORTED);
	}
	if (!smccc_is_ffa_fid(id) || !spmc_abi_is_handled(s, id)) {
		return ffa_error(FFA_NOT_SUPPORTED);
	}
	if (id == FFA_MEM_RETRIEVE_REQ_32 || id == FFA_MEM_RETRIEVE_REQ_64) {
		return ffa_success(s->ns_version >= FFA_VERSION_1_1 ? FEAT_MEM_RETRIEVE_REQ_HYPERVISOR
								    : 0);
	}
	return ffa_success(id == FFA_RXTX_MAP_64 ? rxtx_map_properties(s) : 0);
}

struct smccc_regs spmc_ffa_id_get(struct spmc *s, const struct smccc_regs *args)
{
	(void)s;
	(void)args;
	return ffa_success(FFA_HOST_ID);
}

struct smccc_regs spmc_ffa_spm_id_get(struct spmc *s, const struct smccc_regs *args)
{
	(void)args;
	return ffa_success(s->manifest->spmc_id);
}
