/*
 * The test machine: see fixture.h.
 */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

struct fixture *fixture_new(const struct mediator_config *cfg,
			    const struct spmc_manifest *manifest)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint64_t base;
	uint32_t pages;

	assert_non_null(f);
	if (cfg != NULL) {
		f->cfg = *cfg;
	} else {
		mediator_config_default(&f->cfg, MEDIATOR_PROFILE_SPEC);
	}
	mediator_config_mem_extent(&f->cfg, &base, &pages);
	assert_int_equal(mem_init(&f->mem, base, pages), FFA_OK);
	spmc_init(&f->spmc, manifest ? manifest : spmc_manifest_default(), &f->mem);
	f->init_err = mediator_init(&f->m, &f->cfg, &f->mem, &f->spmc);
	return f;
}

void fixture_free(struct fixture *f)
{
	mem_fini(&f->mem);
	free(f);
}

int fixture_setup(void **state)
{
	struct fixture *f = fixture_new(NULL, NULL);

	assert_int_equal(f->init_err, FFA_OK);
	*state = f;
	return 0;
}

int fixture_teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

struct smccc_regs fx_call(struct fixture *f, ffa_id_t vm, uint32_t fid, uint64_t a1,
			  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct smccc_regs r = ffa_call(fid, a1, a2, a3, a4, a5);

	return mediator_call(&f->m, vm, &r);
}

void fx_negotiate(struct fixture *f, ffa_id_t vm, uint32_t version)
{
	struct smccc_regs r = fx_call(f, vm, FFA_VERSION_32, version, 0, 0, 0, 0);

	assert_int_not_equal(r.x[0], FFA_VERSION_NOT_SUPPORTED);
}

void fx_map_rxtx(struct fixture *f, ffa_id_t vm)
{
	assert_ffa_success(fx_call(f, vm, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + FFA_PAGE_SIZE, 1, 0, 0));
}

const uint8_t *fx_rx(struct fixture *f, ffa_id_t vm)
{
	struct mediator_vm *v = mediator_vm(&f->m, vm);
	const uint8_t *rx;

	assert_non_null(v);
	assert_true(v->mailbox.mapped);
	rx = mem_map(&f->mem, v->mailbox.rx_pa, v->mailbox.page_count, vm, MEM_PAGE_MAILBOX);
	assert_non_null(rx);
	return rx;
}
