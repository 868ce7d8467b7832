/*
 * The fixture of the VM-borrower memory tests (tests/test_memory_vm.c, the
 * send and the retrieve; tests/test_memory_vm_relinquish.c, the relinquish,
 * the reclaim and the profiles without VM borrowers): guest 1 lends its pages
 * to guest 2 through the mediator, which is the relayer.
 */
#pragma once

#include "fixture.h"

#include <string.h>

#define LENT_IPA (VM_IPA + 4 * PAGE) /* guest 1's pages 4 and 5 (0 and 1 are its pair) */
#define LENT_PAGES 2U
#define TAG 0x7A6ULL
#define SP1 0x8001
#define NX (FFA_INSTRUCTION_ACCESS_NX << FFA_INSTRUCTION_ACCESS_SHIFT)
#define X (FFA_INSTRUCTION_ACCESS_X << FFA_INSTRUCTION_ACCESS_SHIFT)
#define RW FFA_DATA_ACCESS_RW
#define RO FFA_DATA_ACCESS_RO

static const uint32_t send_fid[] = {0, FFA_MEM_SHARE_64, FFA_MEM_LEND_64, FFA_MEM_DONATE_64};

static inline uint64_t lent_pa(uint32_t i)
{
	return fx_vm_pa(GUEST1, LENT_IPA + i * PAGE);
}

/* cmocka setup: guest 1 at v1.2, guest 2 at the version *@state points at; both with a pair. */
static inline int borrower_setup(void **state)
{
	*state = fixture_mailboxes(FFA_VERSION_1_2, *(const uint32_t *)*state);
	return 0;
}

/* Guest 1 sends (@type) its pages [@ipa, +2) to guest 2 with @perms, @flags and TAG: the handle. */
static inline uint64_t give_at(struct fixture *f, uint32_t fid, uint64_t ipa, uint8_t perms,
			uint32_t flags)
{
	struct ffa_mem_txn t = fx_mem_txn(GUEST1, GUEST2, ipa, LENT_PAGES);

	t.receivers[0].perms = perms;
	t.flags = flags;
	t.tag = TAG;
	return fx_mem_send_ok(f, GUEST1, fid, &t);
}

static inline uint64_t give(struct fixture *f, enum ffa_mem_type type, uint8_t perms, uint32_t flags)
{
	return give_at(f, send_fid[type], LENT_IPA, perms, flags);
}

/* Guest 2's request for @handle: lender guest 1, tag TAG, itself the only receiver. */
static inline struct ffa_mem_txn request(uint64_t handle, uint8_t perms, uint32_t flags)
{
	struct ffa_mem_txn r = {.sender = GUEST1, .attributes = FX_MEM_ATTR, .flags = flags,
				.handle = handle, .tag = TAG, .receiver_count = 1};

	r.receivers[0] = (struct ffa_mem_receiver){.id = GUEST2, .perms = perms};
	return r;
}

static inline struct smccc_regs retrieve(struct fixture *f, ffa_id_t vm, const struct ffa_mem_txn *req)
{
	return fx_mem_retrieve(f, vm, FFA_MEM_RETRIEVE_REQ_64, req);
}

static inline void rx_release(struct fixture *f, ffa_id_t vm)
{
	assert_ffa_success(fx_call(f, vm, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
}

/* The mediator's transaction with @handle, or NULL. */
static const struct mediator_txn *txn(struct fixture *f, uint64_t handle)
{
	for (unsigned i = 0; i < MEDIATOR_MAX_TXNS; i++) {
		if (f->m.txns[i].used && f->m.txns[i].desc.handle == handle) {
			return &f->m.txns[i];
		}
	}
	return NULL;
}

/* Guest 2's retrievals of @handle not relinquished. */
static inline unsigned held(struct fixture *f, uint64_t handle)
{
	const struct mediator_txn *x = txn(f, handle);

	assert_non_null(x);
	return x->retrieved[0];
}

/* Guest 1's two pages at @ipa are @owner's, in @state, tagged @handle. */
#define assert_pages_at(f, ipa, owner, state, handle) \
	fx_mem_assert_pages(f, GUEST1, ipa, LENT_PAGES, owner, state, handle)
#define assert_pages(f, owner, state, handle) assert_pages_at(f, LENT_IPA, owner, state, handle)

/*
 * @r is FFA_MEM_RETRIEVE_RESP_32 with w1 = w2 = the length of the
 * transaction @handle of @type laid out in guest 2's RX in its version:
 * guest 1's LENT pages as PAs, flags bits[4:3] the type, guest 2 owning RX.
 */
static inline void assert_response(struct fixture *f, struct smccc_regs r, uint64_t handle,
			    enum ffa_mem_type type, uint8_t perms)
{
	uint32_t v = fx_vm(f, GUEST2)->version;
	uint32_t hsize = v >= FFA_VERSION_1_1 ? 48 : 32, esize = v >= FFA_VERSION_1_2 ? 32 : 16;
	uint32_t len = hsize + esize + 16 + 16; /* header, one EMAD, composite, one constituent */
	const uint8_t *rx;
	struct ffa_mem_txn resp;

	fx_assert_retrieve_resp(r, len, len);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	rx = fx_rx(f, GUEST2);
	/* ffa-facts §3.2/3.3: where the version puts the access descriptors. */
	assert_int_equal(fx_rd32(rx + 28), 1);
	if (v >= FFA_VERSION_1_1) {
		assert_int_equal(fx_rd32(rx + 24), esize);
		assert_int_equal(fx_rd32(rx + 32), 48);
	}
	assert_int_equal(fx_rd16(rx + hsize), GUEST2);
	assert_int_equal(fx_rd32(rx + hsize + 4), hsize + esize); /* the composite's offset */
	assert_int_equal(ffa_mem_desc_parse(rx, len, v, false, &resp), FFA_OK);
	assert_int_equal(resp.sender, GUEST1);
	assert_int_equal(resp.handle, handle);
	assert_int_equal(resp.tag, TAG);
	assert_int_equal((resp.flags & FFA_MEM_FLAG_TYPE_MASK) >> FFA_MEM_FLAG_TYPE_SHIFT, type);
	/* As sent, with the NS bit the relayer sets for a v1.1+ borrower. */
	assert_int_equal(resp.attributes, (type == FFA_MEM_TYPE_SHARE ? FX_MEM_ATTR
								  : FX_MEM_ATTR & ~FFA_MEM_ATTR_TYPE_MASK) |
						  (v >= FFA_VERSION_1_1 ? FFA_MEM_ATTR_NS : 0));
	assert_int_equal(resp.receiver_count, 1);
	assert_int_equal(resp.receivers[0].id, GUEST2);
	assert_int_equal(resp.receivers[0].perms, perms);
	assert_int_equal(resp.page_count, LENT_PAGES);
	assert_int_equal(resp.range_count, 1);
	assert_int_equal(resp.ranges[0].address, lent_pa(0));
	assert_int_equal(resp.ranges[0].page_count, LENT_PAGES);
}

/* Guest 1 gives (@type, RW) and guest 2 retrieves once and releases its RX: the handle. */
static inline uint64_t given_and_held(struct fixture *f, enum ffa_mem_type type)
{
	uint64_t h = give(f, type, RW, 0);
	struct ffa_mem_txn req = request(h, RW, 0);

	assert_response(f, retrieve(f, GUEST2, &req), h, type, RW);
	rx_release(f, GUEST2);
	return h;
}

/* @r is FFA_ERROR(@err) and nothing moved: pages, records, guest 2's RX, its retrievals. */
static inline void assert_refused(struct fixture *f, struct smccc_regs r, int32_t err,
			   const struct fx_mem_snap *s, uint64_t handle, unsigned retrievals)
{
	assert_ffa_error(r, err);
	fx_mem_assert_unchanged(f, s);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	if (txn(f, handle) != NULL) {
		assert_int_equal(held(f, handle), retrievals);
	}
}

/* assert_refused() of @call in a test with fixture f, snapshot s and handle h. */
#define REFUSED(call, err, n) assert_refused(f, (call), (err), &s, h, (n))

/* Guest 2's retrieve with @req: refused with @err, nothing moved, @h not retrieved. */
static inline void refuse_retrieve(struct fixture *f, uint64_t h, const struct ffa_mem_txn *req,
			    int32_t err)
{
	struct fx_mem_snap s;

	fx_mem_snap_take(f, &s);
	REFUSED(retrieve(f, GUEST2, req), err, 0);
}

/*
 * Guest 1 gives (@type, @perms); guest 2 asks for it with @req, its handle
 * set to the one given: refused with @err, nothing moved. Returns the handle.
 */
static inline uint64_t give_and_refuse(struct fixture *f, enum ffa_mem_type type, uint8_t perms,
				struct ffa_mem_txn *req, int32_t err)
{
	uint64_t h = give(f, type, perms, 0);

	req->handle = h;
	refuse_retrieve(f, h, req, err);
	return h;
}

#define V12(fn) cmocka_unit_test_prestate_setup_teardown(fn, borrower_setup, fixture_teardown, \
							  &fx_version_1_2)
#define VALL(fn)                                                                      \
	{#fn " (v1.0 borrower)", fn, borrower_setup, fixture_teardown, &fx_version_1_0}, \
	{#fn " (v1.1 borrower)", fn, borrower_setup, fixture_teardown, &fx_version_1_1}, \
	{#fn " (v1.2 borrower)", fn, borrower_setup, fixture_teardown, &fx_version_1_2}
#define OWN(fn) cmocka_unit_test_teardown(fn, fixture_teardown_leftover)
