/*
 * The test machine: see fixture.h.
 */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

/* The machine fixture_new() made last and fixture_free() has not freed yet. */
static struct fixture *live;

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
	live = f;
	return f;
}

void fixture_free(struct fixture *f)
{
	if (f == live) {
		live = NULL;
	}
	mem_fini(&f->mem);
	free(f);
}

struct fixture *fixture_with(const struct mediator_config *cfg)
{
	struct fixture *f = fixture_new(cfg, NULL);

	assert_int_equal(f->init_err, FFA_OK);
	return f;
}

struct mediator_config fixture_config(enum mediator_profile profile)
{
	struct mediator_config cfg;

	mediator_config_default(&cfg, profile);
	return cfg;
}

struct fixture *fixture_sized(uint32_t min_pages, uint32_t max_pages)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.rxtx_min_pages = min_pages;
	cfg.rxtx_max_pages = max_pages;
	return fixture_with(&cfg);
}

struct fixture *fixture_aarch32(ffa_id_t vm)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.vms[vm].aarch32 = true;
	return fixture_with(&cfg);
}

int fixture_setup(void **state)
{
	*state = fixture_with(NULL);
	return 0;
}

int fixture_teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

int fixture_teardown_leftover(void **state)
{
	(void)state;
	if (live != NULL) {
		fixture_free(live);
	}
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

struct ffa_uuid fx_uuid(const char *text)
{
	struct ffa_uuid u;

	assert_true(ffa_uuid_parse(text, &u));
	return u;
}

uint16_t fx_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t fx_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct fixture *fixture_profile(enum mediator_profile profile)
{
	struct mediator_config cfg = fixture_config(profile);

	return fixture_with(&cfg);
}

void fx_lock(struct fixture *f, ffa_id_t vm)
{
	struct smccc_regs r = fx_call(f, vm, FFA_ID_GET_32, 0, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], vm);
}

const struct mediator_vm *fx_vm(struct fixture *f, ffa_id_t vm)
{
	const struct mediator_vm *v = mediator_vm(&f->m, vm);

	assert_non_null(v);
	return v;
}

uint64_t fx_vm_pa(ffa_id_t vm, uint64_t ipa)
{
	return VM_PA_BASE + vm * VM_PA_STRIDE + (ipa - VM_IPA);
}

enum mem_page_state fx_page_state(struct fixture *f, uint64_t pa, uint32_t owner)
{
	const struct mem_page *p;

	assert_true(pa >= f->mem.pa_base);
	assert_true((pa - f->mem.pa_base) / PAGE < f->mem.page_count);
	p = &f->mem.pages[(pa - f->mem.pa_base) / PAGE];
	assert_int_equal(p->owner, owner);
	return (enum mem_page_state)p->state;
}

void fx_assert_all_pages(struct fixture *f, ffa_id_t vm, enum mem_page_state state)
{
	for (uint32_t i = 0; i < VM_PAGES; i++) {
		uint64_t pa = fx_vm_pa(vm, VM_IPA + i * PAGE);

		if (fx_page_state(f, pa, vm) != state) {
			fail_msg("VM %u page %u: state %d, expected %d", vm, i,
				 (int)fx_page_state(f, pa, vm), (int)state);
		}
	}
}

struct mailbox *fx_mailbox(struct fixture *f, ffa_id_t vm)
{
	struct mediator_vm *v = mediator_vm(&f->m, vm);

	assert_non_null(v);
	return &v->mailbox;
}

struct smccc_regs fx_call_regs(struct fixture *f, ffa_id_t vm, uint32_t fid,
				struct smccc_regs x)
{
	x.x[0] = fid;
	return mediator_call(&f->m, vm, &x);
}

void fx_deliver_partition_info(struct fixture *f, ffa_id_t vm)
{
	struct smccc_regs r = fx_call(f, vm, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_true(r.x[2] > 0);
	assert_int_equal(fx_mailbox(f, vm)->rx, MAILBOX_RX_CONSUMER);
}

void fx_assert_nothing_mapped(struct fixture *f, ffa_id_t vm)
{
	assert_false(fx_mailbox(f, vm)->mapped);
	fx_assert_all_pages(f, vm, MEM_PAGE_PRIVATE);
}
