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

/* --- Indirect messages --- */

struct fx_msg fx_msg_v1_2(ffa_id_t from, ffa_id_t to, uint32_t size)
{
	return (struct fx_msg){.hsize = HDR_V1_2, .offset = HDR_V1_2, .sender = from,
			       .receiver = to, .size = size};
}

struct fx_msg fx_msg_v1_1(ffa_id_t from, ffa_id_t to, uint32_t size)
{
	return (struct fx_msg){.hsize = HDR_V1_1, .offset = HDR_V1_1, .sender = from,
			       .receiver = to, .size = size};
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

uint8_t *fx_tx(struct fixture *f, ffa_id_t vm)
{
	const struct mailbox *mb = fx_mailbox(f, vm);
	uint8_t *tx;

	assert_true(mb->mapped);
	tx = mem_map(&f->mem, mb->tx_pa, mb->page_count, vm, MEM_PAGE_MAILBOX);
	assert_non_null(tx);
	return tx;
}

void fx_put_header(uint8_t *tx, const struct fx_msg *m)
{
	struct ffa_partition_msg_header h = {
		.offset = m->offset,
		.sender_receiver = ffa_sender_receiver(m->sender, m->receiver),
		.size = m->size,
		.uuid = m->uuid,
	};

	memcpy(tx, &h, m->hsize);
}

void fx_pattern(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(seed + i * 13U);
	}
}

void fx_assert_pattern(const uint8_t *p, uint32_t n, uint8_t seed)
{
	uint8_t *want = malloc(n > 0 ? n : 1);

	assert_non_null(want);
	fx_pattern(want, n, seed);
	if (memcmp(p, want, n) != 0) {
		free(want);
		fail_msg("the %u bytes are not pattern %#x", n, seed);
	}
	free(want);
}

void fx_put_msg(struct fixture *f, ffa_id_t vm, const struct fx_msg *m, uint8_t seed)
{
	uint8_t *tx = fx_tx(f, vm);
	uint32_t room = fx_mailbox(f, vm)->page_count * FFA_PAGE_SIZE;

	if (m->offset < room) {
		fx_pattern(tx + m->offset, min_u32(m->size, room - m->offset), seed);
	}
	fx_put_header(tx, m);
}

struct smccc_regs fx_send2(struct fixture *f, ffa_id_t vm, const struct fx_msg *m, uint8_t seed)
{
	fx_put_msg(f, vm, m, seed);
	return fx_call(f, vm, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
}

void fx_assert_send2_ok(struct smccc_regs r)
{
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
}

struct fixture *fixture_mailboxes(uint32_t v1, uint32_t v2)
{
	return fixture_mailboxes_with(NULL, v1, v2);
}

struct fixture *fixture_mailboxes_with(const struct mediator_config *cfg, uint32_t v1,
				       uint32_t v2)
{
	struct fixture *f = fixture_with(cfg);

	fx_negotiate(f, GUEST1, v1);
	fx_map_rxtx(f, GUEST1);
	if (v2 != 0) {
		fx_negotiate(f, GUEST2, v2);
		fx_map_rxtx(f, GUEST2);
	}
	return f;
}

struct fixture *fixture_two_page_pairs(void)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.rxtx_max_pages = 2;
	return fixture_with(&cfg);
}

void fx_map_two_pages(struct fixture *f, ffa_id_t vm)
{
	assert_ffa_success(fx_call(f, vm, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 2 * PAGE, 2, 0, 0));
	assert_int_equal(fx_mailbox(f, vm)->page_count, 2);
}

static void tamper_observer(void *ctx, const struct mediator_event *ev)
{
	struct fx_tamper *t = ctx;

	if (t->f == NULL || ev->kind != MEDIATOR_EV_SPMC_CALL || ffa_func(ev->regs) != t->on_fid) {
		return;
	}
	fx_put_header(fx_tx(t->f, t->vm), &t->evil);
	t->hits++;
}

struct fixture *fixture_tampered(struct fx_tamper *t)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	cfg.observe = tamper_observer;
	cfg.observe_ctx = t;
	f = fixture_with(&cfg);
	t->f = f;
	return f;
}

/* --- Notifications of the frameworks --- */

uint32_t fx_get_framework(struct fixture *f, ffa_id_t vm, uint32_t flag)
{
	unsigned reg = flag == FFA_NOTIFICATION_GET_SPM ? 6 : 7;
	struct smccc_regs r = fx_call(f, vm, FFA_NOTIFICATION_GET_32, ffa_sender_receiver(0, vm),
				      flag, 0, 0, 0);

	assert_true(flag == FFA_NOTIFICATION_GET_SPM || flag == FFA_NOTIFICATION_GET_HYP);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < 8; i++) {
		if (i != reg) {
			assert_int_equal(r.x[i], 0);
		}
	}
	return (uint32_t)r.x[reg];
}

void fx_assert_info_get_no_data(struct fixture *f, ffa_id_t vm)
{
	assert_ffa_error(fx_call(f, vm, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0), FFA_NO_DATA);
}

void fx_assert_info_get_news_only_for(struct fixture *f, ffa_id_t vm, ffa_id_t other)
{
	struct smccc_regs r;

	fx_assert_info_get_no_data(f, other);
	r = fx_call(f, vm, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2], 1U << FFA_NOTIF_INFO_LIST_COUNT_SHIFT);
	assert_int_equal(r.x[3] & 0xFFFF, vm);
}

/* --- Partition behaviours --- */

void fx_behave(struct spmc *s, ffa_id_t sp, enum spmc_behaviour_kind kind, uint64_t arg,
	       uint16_t arg2)
{
	assert_true(spmc_set_behaviour(
		s, sp, (struct spmc_behaviour){.kind = kind, .arg = arg, .arg2 = arg2}));
}

/* --- The SPMC model alone --- */

struct fx_env *fx_env_new(uint64_t base, uint32_t pages)
{
	struct fx_env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	assert_int_equal(mem_init(&e->mem, base, pages), FFA_OK);
	spmc_init(&e->s, spmc_manifest_default(), &e->mem);
	return e;
}

struct fx_env *fx_env_hyp_pair(uint64_t base, uint32_t pages)
{
	struct fx_env *e = fx_env_new(base, pages);

	assert_int_equal(mem_assign(&e->mem, base, 2, MEM_OWNER_HYP), FFA_OK);
	assert_int_equal(mem_transition(&e->mem, base, 2, MEM_OWNER_HYP, MEM_PAGE_PRIVATE,
					MEM_PAGE_MAILBOX),
			 FFA_OK);
	return e;
}

int fx_env_teardown(void **state)
{
	struct fx_env *e = *state;

	mem_fini(&e->mem);
	free(e);
	return 0;
}

struct smccc_regs fx_ns_call(struct fx_env *e, uint32_t fid, uint64_t a1, uint64_t a2,
			     uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct smccc_regs r = ffa_call(fid, a1, a2, a3, a4, a5);

	return spmc_ns_call(&e->s, &r);
}

void fx_assert_faults(const struct fx_env *e, uint32_t count, uint32_t fid)
{
	assert_int_equal(e->s.fault_count, count);
	if (count > 0) {
		assert_int_equal(e->s.faults[count - 1].fid, fid);
		assert_non_null(e->s.faults[count - 1].reason);
		assert_true(strlen(e->s.faults[count - 1].reason) > 0);
	}
}

/* --- Notifications through the mediator --- */

uint32_t fx_version_1_0 = FFA_VERSION_1_0;
uint32_t fx_version_1_1 = FFA_VERSION_1_1;
uint32_t fx_version_1_2 = FFA_VERSION_1_2;

unsigned fx_spmc_calls;
unsigned fx_sris[FX_MAX_VM_ID + 1], fx_npis[FX_MAX_VM_ID + 1];

static void count_spmc_calls(void *ctx, const struct mediator_event *ev)
{
	(void)ctx;
	fx_spmc_calls += ev->kind == MEDIATOR_EV_SPMC_CALL;
	if (ev->kind == MEDIATOR_EV_GUEST_IRQ) {
		assert_true(ev->vm_id <= FX_MAX_VM_ID);
		fx_sris[ev->vm_id] += ev->regs->x[0] == FFA_SRI_INTID;
		fx_npis[ev->vm_id] += ev->regs->x[0] == FFA_NPI_INTID;
	}
}

int fixture_guests_setup(void **state)
{
	uint32_t version = *(const uint32_t *)*state;
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	cfg.observe = count_spmc_calls;
	memset(fx_sris, 0, sizeof(fx_sris));
	memset(fx_npis, 0, sizeof(fx_npis));
	f = fixture_with(&cfg);

	fx_negotiate(f, GUEST1, version);
	fx_negotiate(f, GUEST2, version);
	*state = f;
	return 0;
}

struct smccc_regs fx_nf_get(struct fixture *f, ffa_id_t vm, ffa_id_t receiver, uint32_t vcpu,
			    uint32_t flags)
{
	return fx_call(f, vm, FFA_NOTIFICATION_GET_32, vcpu << 16 | receiver, flags, 0, 0, 0);
}

void fx_bind_ok(struct fixture *f, ffa_id_t vm, ffa_id_t sp, uint32_t flags, uint64_t bitmap)
{
	assert_ffa_success(fx_call(f, vm, FFA_NOTIFICATION_BIND_32, ffa_sender_receiver(sp, vm),
				   flags, (uint32_t)bitmap, bitmap >> 32, 0));
}

int32_t fx_notify_from(struct fixture *f, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap,
		       uint16_t vcpu)
{
	struct smccc_regs r;

	fx_behave(&f->spmc, sp, SPMC_BEHAVE_NOTIFY, bitmap, vcpu);
	spmc_sp_state(&f->spmc, sp)->last_send_status = 1; /* not a status: must be overwritten */
	r = fx_call(f, vm, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(vm, sp), 0, 0x11, 0x22,
		    0x33);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], ffa_sender_receiver(sp, vm));
	assert_int_equal(r.x[3], 0x11);
	return spmc_sp_state(&f->spmc, sp)->last_send_status;
}

struct spmc_notif *fx_vm_notif(struct fixture *f, ffa_id_t vm)
{
	struct spmc_ns *ns = spmc_ns_find(&f->spmc, vm);

	assert_non_null(ns);
	assert_true(ns->notif.created);
	return &ns->notif;
}

void fx_assert_got(struct smccc_regs r, uint64_t sp, uint32_t spm, uint32_t hyp)
{
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[1], 0);
	assert_int_equal(r.x[2], (uint32_t)sp);
	assert_int_equal(r.x[3], sp >> 32);
	assert_int_equal(r.x[4], 0);
	assert_int_equal(r.x[5], 0);
	assert_int_equal(r.x[6], spm);
	assert_int_equal(r.x[7], hyp);
}

/* --- Memory sharing --- */

struct ffa_mem_txn fx_mem_txn(ffa_id_t sender, ffa_id_t receiver, uint64_t ipa, uint32_t pages)
{
	struct ffa_mem_txn t = {.sender = sender, .attributes = FX_MEM_ATTR};

	fx_mem_add_receiver(&t, receiver);
	fx_mem_add_range(&t, ipa, pages);
	return t;
}

void fx_mem_add_range(struct ffa_mem_txn *t, uint64_t ipa, uint32_t pages)
{
	assert_true(t->range_count < FFA_MEM_MAX_RANGES);
	t->ranges[t->range_count++] = (struct ffa_mem_range){.address = ipa, .page_count = pages};
	t->page_count += pages;
}

void fx_mem_add_receiver(struct ffa_mem_txn *t, ffa_id_t id)
{
	assert_true(t->receiver_count < FFA_MEM_MAX_RECEIVERS);
	t->receivers[t->receiver_count++] = (struct ffa_mem_receiver){.id = id, .perms = FX_MEM_PERMS};
}

void fx_mem_attributes_for(struct ffa_mem_txn *t, uint32_t fid)
{
	if (t->attributes == FX_MEM_ATTR && (ffa_mem_type_of(fid) == FFA_MEM_TYPE_DONATE ||
					     (ffa_mem_type_of(fid) == FFA_MEM_TYPE_LEND &&
					      t->receiver_count == 1))) {
		t->attributes &= (uint16_t)~FFA_MEM_ATTR_TYPE_MASK;
	}
}

uint32_t fx_mem_write(struct fixture *f, ffa_id_t vm, const struct ffa_mem_txn *t)
{
	uint32_t room = fx_mailbox(f, vm)->page_count * FFA_PAGE_SIZE;
	uint32_t len = ffa_mem_desc_write(t, fx_vm(f, vm)->version, fx_tx(f, vm), room);

	assert_int_not_equal(len, 0);
	return len;
}

struct smccc_regs fx_mem_send(struct fixture *f, ffa_id_t vm, uint32_t fid,
			      const struct ffa_mem_txn *t)
{
	struct ffa_mem_txn sent = *t;
	uint32_t len;

	/* A donation leaves data access to the borrower (DEN0077A §10.10.3). */
	for (uint32_t i = 0; ffa_mem_type_of(fid) == FFA_MEM_TYPE_DONATE && i < sent.receiver_count;
	     i++) {
		sent.receivers[i].perms &= (uint8_t)~FFA_DATA_ACCESS_MASK;
	}
	fx_mem_attributes_for(&sent, fid);
	len = fx_mem_write(f, vm, &sent);

	return fx_call(f, vm, fid, len, len, 0, 0, 0);
}

uint64_t fx_mem_handle(struct smccc_regs r)
{
	if (r.x[0] != FFA_SUCCESS_32) {
		fail_msg("expected FFA_SUCCESS_32 with a handle, got x0=%#llx x2=%#llx",
			 (unsigned long long)r.x[0], (unsigned long long)r.x[2]);
	}
	assert_int_equal(r.x[1], 0);
	assert_true(r.x[2] <= UINT32_MAX && r.x[3] <= UINT32_MAX);
	return r.x[2] | r.x[3] << 32;
}

uint64_t fx_mem_send_ok(struct fixture *f, ffa_id_t vm, uint32_t fid, const struct ffa_mem_txn *t)
{
	return fx_mem_handle(fx_mem_send(f, vm, fid, t));
}

struct smccc_regs fx_mem_reclaim(struct fixture *f, ffa_id_t vm, uint64_t handle, uint32_t flags)
{
	return fx_call(f, vm, FFA_MEM_RECLAIM_32, (uint32_t)handle, (uint32_t)(handle >> 32), flags,
		       0, 0);
}

const struct mem_page *fx_mem_page(struct fixture *f, uint64_t pa)
{
	const struct mem_page *p = mem_page_at(&f->mem, pa);

	assert_non_null(p);
	return p;
}

enum mem_page_state fx_mem_state_of(uint32_t fid)
{
	switch (ffa_mem_type_of(fid)) {
	case FFA_MEM_TYPE_SHARE:
		return MEM_PAGE_SHARED;
	case FFA_MEM_TYPE_LEND:
		return MEM_PAGE_LENT;
	default:
		return MEM_PAGE_DONATED;
	}
}

void fx_mem_assert_pages(struct fixture *f, ffa_id_t vm, uint64_t ipa, uint32_t count,
			 uint32_t owner, enum mem_page_state state, uint64_t handle)
{
	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = ipa + i * PAGE;
		const struct mem_page *p = fx_mem_page(f, fx_vm_pa(vm, at));

		if (p->owner != owner || p->state != state || p->handle != handle) {
			fail_msg("VM %u IPA %#llx: owner %#x state %u handle %#llx, "
				 "expected %#x %u %#llx",
				 vm, (unsigned long long)at, p->owner, p->state,
				 (unsigned long long)p->handle, owner, state,
				 (unsigned long long)handle);
		}
	}
}

void fx_mem_assert_clean(struct fixture *f)
{
	char why[160] = "";

	if (!spmc_isolation_check(&f->spmc, why, sizeof(why))) {
		fail_msg("%s", why);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

unsigned fx_mem_mediator_txns(const struct fixture *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		n += f->m.txns[i].used;
	}
	return n;
}

unsigned fx_mem_spmc_txns(const struct fixture *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) {
		n += f->spmc.txns[i].used;
	}
	return n;
}

void fx_mem_snap_take(struct fixture *f, struct fx_mem_snap *s)
{
	for (ffa_id_t vm = 0; vm < 3; vm++) {
		for (uint32_t i = 0; i < VM_PAGES; i++) {
			s->pages[vm][i] = *fx_mem_page(f, fx_vm_pa(vm, VM_IPA + i * PAGE));
		}
	}
	s->mediator_txns = fx_mem_mediator_txns(f);
	s->spmc_txns = fx_mem_spmc_txns(f);
	s->frag_active = f->m.frag.active;
	s->spmc_frag_active = f->spmc.frag.active;
}

void fx_mem_assert_unchanged(struct fixture *f, const struct fx_mem_snap *s)
{
	for (ffa_id_t vm = 0; vm < 3; vm++) {
		for (uint32_t i = 0; i < VM_PAGES; i++) {
			const struct mem_page *was = &s->pages[vm][i];
			const struct mem_page *p = fx_mem_page(f, fx_vm_pa(vm, VM_IPA + i * PAGE));

			if (p->owner != was->owner || p->state != was->state || p->handle != was->handle) {
				fail_msg("VM %u page %u: owner %#x state %u handle %#llx, was %#x %u %#llx",
					 vm, i, p->owner, p->state, (unsigned long long)p->handle,
					 was->owner, was->state, (unsigned long long)was->handle);
			}
		}
	}
	assert_int_equal(fx_mem_mediator_txns(f), s->mediator_txns);
	assert_int_equal(fx_mem_spmc_txns(f), s->spmc_txns);
	assert_int_equal(f->m.frag.active, s->frag_active);
	assert_int_equal(f->spmc.frag.active, s->spmc_frag_active);
	fx_mem_assert_clean(f);
}

int fx_mem_setup(void **state)
{
	uint32_t version = *(const uint32_t *)*state;

	*state = fixture_mailboxes(version, version);
	return 0;
}

int32_t fx_mem_sp_does(struct fixture *f, ffa_id_t vm, ffa_id_t sp,
		       enum spmc_behaviour_kind kind, uint64_t handle)
{
	struct smccc_regs r;

	fx_behave(&f->spmc, sp, kind, 0, 0);
	spmc_sp_state(&f->spmc, sp)->last_send_status = 1; /* not a status: must be overwritten */
	r = fx_call(f, vm, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(vm, sp), 0, handle, 0, 0);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], ffa_sender_receiver(sp, vm));
	assert_int_equal(r.x[3], handle);
	fx_behave(&f->spmc, sp, SPMC_BEHAVE_ECHO, 0, 0);
	return spmc_sp_state(&f->spmc, sp)->last_send_status;
}

/* --- The borrower's side --- */

uint32_t fx_mem_retrieve_write(struct fixture *f, ffa_id_t vm, const struct ffa_mem_txn *t)
{
	uint32_t len = ffa_mem_desc_write_request(t, fx_vm(f, vm)->version, fx_tx(f, vm),
						  fx_mailbox(f, vm)->page_count * FFA_PAGE_SIZE);

	assert_int_not_equal(len, 0);
	return len;
}

struct smccc_regs fx_mem_retrieve(struct fixture *f, ffa_id_t vm, uint32_t fid,
				  const struct ffa_mem_txn *t)
{
	uint32_t len = fx_mem_retrieve_write(f, vm, t);

	return fx_call(f, vm, fid, len, len, 0, 0, 0);
}

struct smccc_regs fx_mem_relinquish(struct fixture *f, ffa_id_t vm, uint64_t handle,
				    uint32_t flags, ffa_id_t endpoint)
{
	struct ffa_mem_relinquish d = {.handle = handle, .flags = flags, .endpoint_count = 1};
	uint8_t *tx = fx_tx(f, vm);

	memcpy(tx, &d, sizeof(d));
	memcpy(tx + sizeof(d), &endpoint, sizeof(endpoint));
	return fx_call(f, vm, FFA_MEM_RELINQUISH_32, 0, 0, 0, 0, 0);
}

void fx_assert_retrieve_resp(struct smccc_regs r, uint32_t total, uint32_t len)
{
	if (r.x[0] != FFA_MEM_RETRIEVE_RESP_32) {
		fail_msg("expected FFA_MEM_RETRIEVE_RESP_32, got x0=%#llx x2=%#llx",
			 (unsigned long long)r.x[0], (unsigned long long)r.x[2]);
	}
	assert_int_equal(r.x[1], total);
	assert_int_equal(r.x[2], len);
	for (unsigned i = 3; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
}
