/*
 * Mediator configuration and start-up: checks a configuration, lays out the
 * VMs' and the hypervisor's pages, and runs the start-up exchange with the
 * SPMC (setup_and_discovery.c).
 */
#include "mediator/mediator.h"

#include <stddef.h>
#include <string.h>

#include "internal.h"
#include "mediator/check.h"

#define DEFAULT_HYP_PA 0x10000000ULL
#define DEFAULT_VM_PA 0x20000000ULL
#define DEFAULT_VM_STRIDE 0x100000ULL
#define DEFAULT_IPA 0x80000000ULL

void mediator_config_default(struct mediator_config *cfg, enum mediator_profile profile)
{
	*cfg = (struct mediator_config){
		.profile = profile,
		.vm_count = 3,
		.rxtx_min_pages = 1,
		.rxtx_max_pages = 1,
		.hyp_pa_base = DEFAULT_HYP_PA,
		.hyp_buffer_pages = 1,
	};
	for (uint32_t i = 0; i < cfg->vm_count; i++) {
		cfg->vms[i] = (struct mediator_vm_config){
			.id = (ffa_id_t)i,
			.ipa_base = DEFAULT_IPA,
			.pa_base = DEFAULT_VM_PA + i * DEFAULT_VM_STRIDE,
			.page_count = 18,
			.ro_pages = 1,
			.device_pages = 1,
			.vcpu_count = 2,
		};
	}
}

bool mediator_config_window(const struct mediator_config *cfg, ffa_id_t vm_id,
			    struct mem_window *w)
{
	for (uint32_t i = 0; i < cfg->vm_count && i < MEDIATOR_MAX_VMS; i++) {
		const struct mediator_vm_config *vc = &cfg->vms[i];

		if (vc->id == vm_id) {
			*w = (struct mem_window){.owner = vc->id,
						 .ipa_base = vc->ipa_base,
						 .pa_base = vc->pa_base,
						 .page_count = vc->page_count};
			return true;
		}
	}
	return false;
}

void mediator_config_mem_extent(const struct mediator_config *cfg, uint64_t *base,
				uint32_t *pages)
{
	uint64_t lo = cfg->hyp_pa_base;
	uint64_t hi = cfg->hyp_pa_base + 2ULL * cfg->hyp_buffer_pages * MEM_PAGE_SIZE;

	for (uint32_t i = 0; i < cfg->vm_count && i < MEDIATOR_MAX_VMS; i++) {
		uint64_t end = cfg->vms[i].pa_base + (uint64_t)cfg->vms[i].page_count * MEM_PAGE_SIZE;

		lo = cfg->vms[i].pa_base < lo ? cfg->vms[i].pa_base : lo;
		hi = end > hi ? end : hi;
	}
	*base = lo;
	*pages = (uint32_t)((hi - lo) / MEM_PAGE_SIZE);
}

static bool rxtx_sizes_valid(uint32_t min_pages, uint32_t max_pages)
{
	return (min_pages == 1 || min_pages == 4 || min_pages == 16) && max_pages >= min_pages &&
	       max_pages <= FFA_RXTX_PAGE_COUNT_MASK && max_pages % min_pages == 0;
}

/* Make @pages pages from page @first of the range at @pa of @kind (none if 0). */
static void set_kind(struct mem *mem, uint64_t pa, uint32_t first, uint32_t pages,
		     enum mem_page_kind kind)
{
	if (pages != 0) {
		CHECK(mem_set_kind(mem, pa + (uint64_t)first * MEM_PAGE_SIZE, pages, kind) == FFA_OK);
	}
}

static int vms_init(struct mediator *m, const struct mediator_config *cfg)
{
	for (uint32_t i = 0; i < cfg->vm_count; i++) {
		const struct mediator_vm_config *vc = &cfg->vms[i];
		struct mediator_vm *vm = &m->vms[i];
		int err;

		if (mediator_vm(m, vc->id) != NULL || vc->page_count == 0 || vc->vcpu_count == 0 ||
		    vc->vcpu_count > MEDIATOR_MAX_VCPUS || ffa_id_is_secure(vc->id) ||
		    vc->ipa_base % MEM_PAGE_SIZE != 0 ||
		    vc->ipa_base + (uint64_t)vc->page_count * MEM_PAGE_SIZE < vc->ipa_base) {
			return FFA_INVALID_PARAMETERS;
		}
		err = mem_assign(m->mem, vc->pa_base, vc->page_count, vc->id);
		if (err != FFA_OK || vc->ro_pages > vc->page_count ||
		    vc->device_pages > vc->page_count - vc->ro_pages) {
			return FFA_INVALID_PARAMETERS;
		}
		set_kind(m->mem, vc->pa_base, vc->page_count - vc->device_pages - vc->ro_pages,
			 vc->ro_pages, MEM_KIND_READ_ONLY);
		set_kind(m->mem, vc->pa_base, vc->page_count - vc->device_pages, vc->device_pages,
			 MEM_KIND_DEVICE);
		*vm = (struct mediator_vm){
			.id = vc->id,
			.aarch32 = vc->aarch32,
			.vcpu_count = vc->vcpu_count,
			.window = {.owner = vc->id,
				   .ipa_base = vc->ipa_base,
				   .pa_base = vc->pa_base,
				   .page_count = vc->page_count},
		};
		m->vm_count = i + 1;
	}
	return FFA_OK;
}

_Static_assert(offsetof(struct mediator, frag) < offsetof(struct mediator, txns) &&
		       offsetof(struct mediator, txns) + sizeof(((struct mediator *)0)->txns) +
				       _Alignof(struct mediator) >
			       sizeof(struct mediator),
	       "mediator_init() zeroes every field before frag: frag and txns must stay last");

int mediator_init(struct mediator *m, const struct mediator_config *cfg, struct mem *mem,
		  struct spmc *spmc)
{
	int err;

	/*
	 * Every field zero, except the bytes of the two large tables at the
	 * end: a transaction slot is assigned whole when taken (complete_send())
	 * and only its .used is read while it is free; the reassembly buffer is
	 * read only below frag.received. Fuzzers restart the mediator for every
	 * input, and this spares them zeroing 43 KB each time.
	 */
	memset(m, 0, offsetof(struct mediator, frag));
	memset(&m->frag, 0, offsetof(struct mediator_frag, buf));
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		m->txns[i].used = false;
	}
	m->mem = mem;
	m->spmc = spmc;
	m->observe = cfg->observe;
	m->observe_ctx = cfg->observe_ctx;
	m->rxtx_min_pages = cfg->rxtx_min_pages;
	m->rxtx_max_pages = cfg->rxtx_max_pages;
	m->spmc_frag_bytes = cfg->spmc_frag_bytes;
	m->next_handle = 1;
	if (cfg->profile >= MEDIATOR_PROFILE_COUNT || cfg->vm_count == 0 ||
	    cfg->vm_count > MEDIATOR_MAX_VMS ||
	    !rxtx_sizes_valid(cfg->rxtx_min_pages, cfg->rxtx_max_pages) ||
	    cfg->hyp_buffer_pages == 0 || cfg->hyp_buffer_pages > FFA_RXTX_PAGE_COUNT_MASK) {
		return FFA_INVALID_PARAMETERS;
	}
	m->policy = mediator_policy_get(cfg->profile);
	err = vms_init(m, cfg);
	if (err == FFA_OK) {
		err = mem_assign(mem, cfg->hyp_pa_base, 2 * cfg->hyp_buffer_pages, MEM_OWNER_HYP);
	}
	if (err != FFA_OK) {
		return FFA_INVALID_PARAMETERS;
	}
	m->hyp_mailbox = (struct mailbox){
		.tx_pa = cfg->hyp_pa_base,
		.rx_pa = cfg->hyp_pa_base + (uint64_t)cfg->hyp_buffer_pages * MEM_PAGE_SIZE,
		.page_count = cfg->hyp_buffer_pages,
	};
	m->version = cfg->max_version; /* the cap spmc setup negotiates under (0: none) */
	err = mediator_spmc_setup(m);
	m->ffa_ready = err == FFA_OK;
	return err;
}

void mediator_state_copy(struct mediator *dst, const struct mediator *src)
{
	CHECK(src->frag.received <= sizeof(src->frag.buf));
	memcpy(dst, src, offsetof(struct mediator, frag));
	memcpy(&dst->frag, &src->frag, offsetof(struct mediator_frag, buf) + src->frag.received);
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		if (src->txns[i].used) {
			dst->txns[i] = src->txns[i];
		} else {
			dst->txns[i].used = false;
		}
	}
}

struct mediator_vm *mediator_vm(struct mediator *m, ffa_id_t vm_id)
{
	for (uint32_t i = 0; i < m->vm_count; i++) {
		if (m->vms[i].id == vm_id) {
			return &m->vms[i];
		}
	}
	return NULL;
}
