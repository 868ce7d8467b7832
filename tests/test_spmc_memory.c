/*
 * The SPMC model's side of memory management on its own (spmc-model/src/
 * memory.c), the test playing the hypervisor through spmc_ns_call(): what it
 * records for a well-formed FFA_MEM_SHARE/LEND/DONATE, what it refuses as a
 * mediator fault (DEN0077A v1.2 "Memory management"; ffa-facts §2), the
 * partitions' retrieve and relinquish, and the isolation oracle
 * (spmc_isolation_check()) that compares its record with the pages. No
 * mediator moves the pages here: each test moves them itself, as the
 * mediator does before it forwards (tagged with a provisional hypervisor
 * handle) and after the SPMC's SUCCESS (tagged with the SPMC's handle).
 */
#include "fixture.h"

#include <string.h>

/*
 * Physical layout: the hypervisor's TX and RX pages (MEM_OWNER_HYP, marked as
 * a mailbox), two unowned pages, then four pages of VM 1 and two of VM 2.
 */
#define PG MEM_PAGE_SIZE
#define HYP_TX 0x10000000ULL
#define HYP_RX (HYP_TX + PG)
#define VM1_PA (HYP_TX + 4 * PG)
#define VM2_PA (HYP_TX + 8 * PG)
#define ENV_PAGES 10U
#define VM1 1
#define VM2 2
#define SP1 0x8001
#define SP2 0x8002
#define PROVISIONAL (FFA_HANDLE_ALLOCATOR_HYP | 0x42) /* the mediator's, before forwarding */

static int env_setup(void **state)
{
	struct fx_env *e = fx_env_hyp_pair(HYP_TX, ENV_PAGES);

	assert_int_equal(mem_assign(&e->mem, VM1_PA, 4, VM1), FFA_OK);
	assert_int_equal(mem_assign(&e->mem, VM2_PA, 2, VM2), FFA_OK);
	/* The usual start: FFA_VERSION(1.2), then the hypervisor's pair mapped. */
	assert_int_equal(fx_ns_call(e, FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0).x[0],
			 FFA_VERSION_1_2);
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, 0, 0));
	fx_assert_faults(e, 0, 0);
	*state = e;
	return 0;
}

static uint8_t *hyp_tx(struct fx_env *e)
{
	uint8_t *tx = mem_map(&e->mem, HYP_TX, 1, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);

	assert_non_null(tx);
	return tx;
}

/* @t in the hypervisor's TX at v1.2 (the version it negotiated). Returns the length. */
static uint32_t put(struct fx_env *e, const struct ffa_mem_txn *t)
{
	uint32_t len = ffa_mem_desc_write(t, FFA_VERSION_1_2, hyp_tx(e), PG);

	assert_int_not_equal(len, 0);
	return len;
}

/* The hypervisor sends @t with @fid in one fragment. */
static struct smccc_regs send(struct fx_env *e, uint32_t fid, const struct ffa_mem_txn *t)
{
	struct ffa_mem_txn sent = *t;
	uint32_t len;

	fx_mem_attributes_for(&sent, fid);
	len = put(e, &sent);

	return fx_ns_call(e, fid, len, len, 0, 0, 0);
}

/* Move @sender's @pages at @pa from PRIVATE to @state under @handle, as the mediator does. */
static void move(struct fx_env *e, ffa_id_t sender, uint64_t pa, uint32_t pages,
		 enum mem_page_state from, enum mem_page_state to, uint64_t handle)
{
	assert_int_equal(mem_transition_handle(&e->mem, pa, pages, sender, from, to, handle), FFA_OK);
}

/* The handle of a SUCCESS_32 reply: w1 = 0, w2/w3 the handle, nothing else. */
static uint64_t handle_of(struct smccc_regs r)
{
	if (r.x[0] != FFA_SUCCESS_32) {
		fail_msg("expected FFA_SUCCESS_32, got x0=%#llx x2=%#llx", (unsigned long long)r.x[0],
			 (unsigned long long)r.x[2]);
	}
	assert_int_equal(r.x[1], 0);
	for (unsigned i = 4; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
	return r.x[2] | r.x[3] << 32;
}

/*
 * The whole good path of @fid: VM 1's @pages at @pa moved to @state under the
 * provisional handle, sent to @sp, then retagged with the SPMC's handle.
 */
static uint64_t good_send(struct fx_env *e, uint32_t fid, uint64_t pa, uint32_t pages,
			  enum mem_page_state state, ffa_id_t sp)
{
	struct ffa_mem_txn t = fx_mem_txn(VM1, sp, pa, pages);
	uint64_t h;

	if (ffa_mem_type_of(fid) == FFA_MEM_TYPE_DONATE) {
		t.receivers[0].perms = 0;
	}
	move(e, VM1, pa, pages, MEM_PAGE_PRIVATE, state, PROVISIONAL);
	h = handle_of(send(e, fid, &t));
	move(e, VM1, pa, pages, state, state, h);
	return h;
}

/* No transaction on the SPMC's record. */
static void assert_no_record(const struct fx_env *e)
{
	for (unsigned i = 0; i < SPMC_MAX_TXNS; i++) {
		assert_false(e->s.txns[i].used);
	}
}

static void assert_oracle(struct fx_env *e, bool agrees)
{
	char why[160] = "";

	if (spmc_isolation_check(&e->s, why, sizeof(why)) != agrees) {
		fail_msg("isolation check %s, expected %s: %s", agrees ? "failed" : "passed",
			 agrees ? "pass" : "fail", why);
	}
}

/* Partition @sp runs @kind on @handle for a direct request from VM 1: its status. */
static int32_t sp_does(struct fx_env *e, ffa_id_t sp, enum spmc_behaviour_kind kind,
		       uint64_t handle)
{
	struct smccc_regs r;

	fx_behave(&e->s, sp, kind, 0, 0);
	spmc_sp_state(&e->s, sp)->last_send_status = 1; /* not a status: must be overwritten */
	r = fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM1, sp), 0, handle, 0, 0);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	fx_behave(&e->s, sp, SPMC_BEHAVE_ECHO, 0, 0);
	return spmc_sp_state(&e->s, sp)->last_send_status;
}

/* --- Sends --- */

/* spmc/src/memory.c header: handles allocated by the SPMC, bit 63 clear, never 0: 1, then 2. */
static void test_ffa_mem_share_64_well_formed_success_first_handle(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(VM1, SP1, VM1_PA, 2);
	const struct spmc_txn *x;

	fx_mem_add_receiver(&t, SP2);
	t.tag = 0x1234;
	move(e, VM1, VM1_PA, 2, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_int_equal(handle_of(send(e, FFA_MEM_SHARE_64, &t)), 1);
	fx_assert_faults(e, 0, 0);
	x = spmc_txn_find(&e->s, 1);
	assert_non_null(x);
	assert_true(x->used);
	assert_int_equal(x->type, FFA_MEM_TYPE_SHARE);
	assert_int_equal(x->desc.handle, 1);
	assert_int_equal(x->desc.sender, VM1);
	assert_int_equal(x->desc.tag, 0x1234);
	assert_int_equal(x->desc.attributes, FX_MEM_ATTR);
	assert_int_equal(x->desc.receiver_count, 2);
	assert_int_equal(x->desc.receivers[0].id, SP1);
	assert_int_equal(x->desc.receivers[0].perms, FX_MEM_PERMS);
	assert_int_equal(x->desc.receivers[1].id, SP2);
	assert_int_equal(x->desc.page_count, 2);
	assert_int_equal(x->desc.range_count, 1);
	assert_int_equal(x->desc.ranges[0].address, VM1_PA);
	assert_int_equal(x->desc.ranges[0].page_count, 2);
	assert_int_equal(x->retrieved[0] + x->retrieved[1], 0);
	move(e, VM1, VM1_PA, 2, MEM_PAGE_SHARED, MEM_PAGE_SHARED, 1);
	assert_oracle(e, true);
	assert_int_equal(good_send(e, FFA_MEM_SHARE_32, VM1_PA + 2 * PG, 1, MEM_PAGE_SHARED, SP1), 2);
	assert_oracle(e, true);
	fx_assert_faults(e, 0, 0);
}

/* spmc/src/memory.c header: the record keeps the type; LEND and DONATE of pages in their state. */
static void test_ffa_mem_lend_donate_recorded_with_type(void **state)
{
	struct fx_env *e = *state;
	uint64_t lend = good_send(e, FFA_MEM_LEND_64, VM1_PA, 1, MEM_PAGE_LENT, SP1);
	uint64_t donate = good_send(e, FFA_MEM_DONATE_32, VM1_PA + PG, 1, MEM_PAGE_DONATED, SP2);

	assert_int_equal(lend, 1);
	assert_int_equal(donate, 2);
	assert_int_equal(spmc_txn_find(&e->s, lend)->type, FFA_MEM_TYPE_LEND);
	assert_int_equal(spmc_txn_find(&e->s, donate)->type, FFA_MEM_TYPE_DONATE);
	assert_oracle(e, true);
	fx_assert_faults(e, 0, 0);
}

/* spmc/src/memory.c header: pages the mediator did not move to the type's state: DENIED, fault. */
static void test_ffa_mem_share_64_pages_not_moved_denied_fault(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(VM1, SP1, VM1_PA, 2);
	struct ffa_mem_txn other = fx_mem_txn(VM2, SP1, VM1_PA, 1);

	assert_ffa_error(send(e, FFA_MEM_SHARE_64, &t), FFA_DENIED); /* still PRIVATE */
	fx_assert_faults(e, 1, FFA_MEM_SHARE_64);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_ffa_error(send(e, FFA_MEM_SHARE_64, &t), FFA_DENIED); /* one of two moved */
	fx_assert_faults(e, 2, FFA_MEM_SHARE_64);
	assert_ffa_error(send(e, FFA_MEM_LEND_64, &t), FFA_DENIED); /* SHARED, sent as a lend */
	fx_assert_faults(e, 3, FFA_MEM_LEND_64);
	assert_ffa_error(send(e, FFA_MEM_SHARE_32, &other), FFA_DENIED); /* not VM 2's page */
	fx_assert_faults(e, 4, FFA_MEM_SHARE_32);
	assert_no_record(e);
}

/* spmc/src/memory.c header: a sender that is not an NS endpoint: INVALID, fault. */
static void test_ffa_mem_share_64_secure_sender_invalid_fault(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(SP2, SP1, VM1_PA, 1);

	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_ffa_error(send(e, FFA_MEM_SHARE_64, &t), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_SHARE_64);
	assert_no_record(e);
}

/* spmc/src/memory.c header: a receiver that is not a partition: INVALID, fault. */
static void test_ffa_mem_share_64_receiver_not_partition_invalid_fault(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn to_vm = fx_mem_txn(VM1, VM2, VM1_PA, 1);
	struct ffa_mem_txn to_nobody = fx_mem_txn(VM1, SP1, VM1_PA, 1);

	fx_mem_add_receiver(&to_nobody, 0x8009); /* a secure ID no partition has */
	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_ffa_error(send(e, FFA_MEM_SHARE_64, &to_vm), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_SHARE_64);
	assert_ffa_error(send(e, FFA_MEM_SHARE_64, &to_nobody), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_MEM_SHARE_64);
	assert_no_record(e);
}

/* ffa-facts §2 MEM_SHARE: x3 = 0 and w4 = 0 (no dynamically allocated buffer): INVALID, fault. */
static void test_ffa_mem_share_64_x3_w4_nonzero_invalid_fault(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(VM1, SP1, VM1_PA, 1);
	uint32_t len = put(e, &t);

	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_SHARE_64, len, len, HYP_TX, 1, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_SHARE_64);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_SHARE_64, len, len, 1ULL << 32, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_MEM_SHARE_64);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_SHARE_64, len, len, 0, 1, 0), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 3, FFA_MEM_SHARE_64);
	assert_no_record(e);
	assert_false(e->s.frag.active);
}

/*
 * ffa-facts §2 FRAG_RX/FRAG_TX: the offset is the bytes received; SUCCESS after the last. A
 * first fragment without every access descriptor and the composite header is a fault
 * (Hafnium a9d6a31f): INVALID_PARAMETERS.
 */
static void test_ffa_mem_share_64_in_fragments_success(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(VM1, SP1, VM1_PA, 1);
	uint8_t desc[PG];
	uint32_t len = ffa_mem_desc_write(&t, FFA_VERSION_1_2, desc, sizeof(desc));
	struct smccc_regs r;

	assert_int_equal(len, 112); /* 48 + 32 + 16 + 16 */
	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	/* A first fragment short of the composite header (header 48 + access descriptor 32 + 16). */
	memcpy(hyp_tx(e), desc, 64);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_SHARE_64, len, 64, 0, 0, 0), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_SHARE_64);
	e->s.fault_count = 0;
	memcpy(hyp_tx(e), desc, 96);
	r = fx_ns_call(e, FFA_MEM_SHARE_64, len, 96, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_MEM_FRAG_RX_32);
	assert_int_equal(r.x[1], 2);
	assert_int_equal(r.x[2], 0);
	assert_int_equal(r.x[3], 96);
	assert_null(spmc_txn_find(&e->s, 2)); /* not on record before the last fragment */
	memcpy(hyp_tx(e), desc + 96, len - 96);
	assert_int_equal(handle_of(fx_ns_call(e, FFA_MEM_FRAG_TX_32, 2, 0, len - 96, 0, 0)), 2);
	assert_int_equal(spmc_txn_find(&e->s, 2)->desc.ranges[0].address, VM1_PA);
	fx_assert_faults(e, 0, 0);
}

/* spmc/src/memory.c header: a FRAG_TX naming another handle (or none at all): INVALID, fault. */
static void test_ffa_mem_frag_tx_unknown_handle_invalid_fault(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(VM1, SP1, VM1_PA, 1);
	uint32_t len = put(e, &t);

	assert_ffa_error(fx_ns_call(e, FFA_MEM_FRAG_TX_32, 1, 0, 16, 0, 0), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_FRAG_TX_32);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_int_equal(fx_ns_call(e, FFA_MEM_SHARE_64, len, 96, 0, 0, 0).x[0], FFA_MEM_FRAG_RX_32);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_FRAG_TX_32, 2, 0, len - 96, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_MEM_FRAG_TX_32);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_FRAG_TX_32, 1, 1, len - 64, 0, 0),
			 FFA_INVALID_PARAMETERS); /* bit 32 of the handle */
	fx_assert_faults(e, 3, FFA_MEM_FRAG_TX_32);
	assert_no_record(e);
}

/* spmc/src/memory.c header: FFA_MEM_RECLAIM of an unknown handle is INVALID; not a fault. */
static void test_ffa_mem_reclaim_unknown_handle_invalid_no_fault(void **state)
{
	struct fx_env *e = *state;
	uint64_t h;

	assert_ffa_error(fx_ns_call(e, FFA_MEM_RECLAIM_32, 1, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	h = good_send(e, FFA_MEM_SHARE_64, VM1_PA, 1, MEM_PAGE_SHARED, SP1);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)(h + 1), 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 1, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_non_null(spmc_txn_find(&e->s, h));
	fx_assert_faults(e, 0, 0);
	/* Its own handle is reclaimed; the record goes (the pages go back with the mediator). */
	assert_ffa_success(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0));
	assert_no_record(e);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_SHARED, MEM_PAGE_PRIVATE, 0);
	assert_oracle(e, true);
	fx_assert_faults(e, 0, 0);
}

/* --- Partitions' retrieve and relinquish --- */

/* spmc/src/memory.c header: a partition retrieves only what it is a receiver of (INVALID). */
static void test_spmc_mem_retrieve_not_a_receiver_invalid(void **state)
{
	struct fx_env *e = *state;
	uint64_t h = good_send(e, FFA_MEM_LEND_64, VM1_PA, 2, MEM_PAGE_LENT, SP1);

	assert_int_equal(sp_does(e, SP2, SPMC_BEHAVE_RETRIEVE, h), FFA_INVALID_PARAMETERS);
	assert_int_equal(spmc_txn_find(&e->s, h)->retrieved[0], 0);
	assert_int_equal(sp_does(e, SP1, SPMC_BEHAVE_RETRIEVE, h + 1), FFA_INVALID_PARAMETERS);
	assert_int_equal(sp_does(e, SP2, SPMC_BEHAVE_RELINQUISH, h), FFA_INVALID_PARAMETERS);
	/* The receiver itself: retrieve; reclaim DENIED while it holds it; relinquish; reclaim. */
	assert_int_equal(sp_does(e, SP1, SPMC_BEHAVE_RELINQUISH, h), FFA_DENIED);
	assert_int_equal(sp_does(e, SP1, SPMC_BEHAVE_RETRIEVE, h), FFA_OK);
	assert_int_equal(spmc_txn_find(&e->s, h)->retrieved[0], 1);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0), FFA_DENIED);
	assert_int_equal(sp_does(e, SP1, SPMC_BEHAVE_RELINQUISH, h), FFA_OK);
	assert_ffa_success(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0));
	assert_no_record(e);
	fx_assert_faults(e, 0, 0);
}

/* spmc/src/memory.c header: a donation a partition retrieves becomes its own, off the record. */
static void test_spmc_mem_retrieve_donate_gives_pages_to_partition(void **state)
{
	struct fx_env *e = *state;
	uint64_t h = good_send(e, FFA_MEM_DONATE_64, VM1_PA, 2, MEM_PAGE_DONATED, SP1);

	assert_int_equal(sp_does(e, SP1, SPMC_BEHAVE_RETRIEVE, h), FFA_OK);
	for (uint32_t i = 0; i < 2; i++) {
		const struct mem_page *p = mem_page_at(&e->mem, VM1_PA + i * PG);

		assert_int_equal(p->owner, SP1);
		assert_int_equal(p->state, MEM_PAGE_PRIVATE);
		assert_int_equal(p->handle, 0);
	}
	assert_no_record(e);
	assert_oracle(e, true);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 0, 0);
}

/* --- The isolation oracle --- */

/* spmc.h spmc_isolation_check(): a recorded page back to PRIVATE behind the SPMC's back. */
static void test_spmc_isolation_page_private_behind_back_false(void **state)
{
	struct fx_env *e = *state;
	uint64_t h = good_send(e, FFA_MEM_SHARE_64, VM1_PA, 2, MEM_PAGE_SHARED, SP1);
	struct smccc_regs r;

	assert_int_equal(h, 1);
	assert_oracle(e, true);
	move(e, VM1, VM1_PA + PG, 1, MEM_PAGE_SHARED, MEM_PAGE_PRIVATE, 0);
	assert_oracle(e, false);
	assert_false(spmc_isolation_check(&e->s, e->s.isolation_why, sizeof(e->s.isolation_why)));
	assert_non_null(strstr(e->s.isolation_why, "handle 0x1 "));
	/* The model runs it at the start of every call: the next one records a fault. */
	r = fx_ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	fx_assert_faults(e, 1, FFA_ID_GET_32);
	assert_non_null(strstr(e->s.faults[0].reason, "isolation"));
}

/* spmc.h spmc_isolation_check(): a recorded page in another state, or tagged another handle. */
static void test_spmc_isolation_page_state_or_tag_changed_false(void **state)
{
	struct fx_env *e = *state;

	good_send(e, FFA_MEM_LEND_64, VM1_PA, 1, MEM_PAGE_LENT, SP1);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_LENT, MEM_PAGE_SHARED, 1);
	assert_oracle(e, false);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_SHARED, MEM_PAGE_LENT, PROVISIONAL);
	assert_oracle(e, false);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_LENT, MEM_PAGE_LENT, 1);
	assert_oracle(e, true);
}

/* spmc.h spmc_isolation_check(): a page under an SPMC handle (bit 63 clear) not on record. */
static void test_spmc_isolation_unrecorded_spmc_handle_false(void **state)
{
	struct fx_env *e = *state;
	char why[160] = "";

	move(e, VM2, VM2_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, 0x55);
	assert_false(spmc_isolation_check(&e->s, why, sizeof(why)));
	assert_non_null(strstr(why, "0x55"));
	assert_non_null(strstr(why, "0x10008000")); /* the page */
	move(e, VM2, VM2_PA, 1, MEM_PAGE_SHARED, MEM_PAGE_DONATED, 0x55);
	assert_oracle(e, false);
	/* Recorded handle, but the page is another sender's: not held so either. */
	good_send(e, FFA_MEM_SHARE_64, VM1_PA, 1, MEM_PAGE_SHARED, SP1);
	move(e, VM2, VM2_PA, 1, MEM_PAGE_DONATED, MEM_PAGE_SHARED, 1);
	assert_oracle(e, false);
}

/* spmc.h spmc_isolation_check(): pages under a hypervisor handle (bit 63) are ignored. */
static void test_spmc_isolation_hyp_handle_ignored(void **state)
{
	struct fx_env *e = *state;

	move(e, VM2, VM2_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, FFA_HANDLE_ALLOCATOR_HYP | 0x55);
	move(e, VM2, VM2_PA + PG, 1, MEM_PAGE_PRIVATE, MEM_PAGE_DONATED, FFA_HANDLE_ALLOCATOR_HYP | 1);
	move(e, VM1, VM1_PA, 1, MEM_PAGE_PRIVATE, MEM_PAGE_LENT, FFA_HANDLE_INVALID);
	assert_oracle(e, true);
	assert_int_equal(fx_ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0).x[0], FFA_SUCCESS_32);
	fx_assert_faults(e, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ENV_TEST(test_ffa_mem_share_64_well_formed_success_first_handle),
		ENV_TEST(test_ffa_mem_lend_donate_recorded_with_type),
		ENV_TEST(test_ffa_mem_share_64_pages_not_moved_denied_fault),
		ENV_TEST(test_ffa_mem_share_64_secure_sender_invalid_fault),
		ENV_TEST(test_ffa_mem_share_64_receiver_not_partition_invalid_fault),
		ENV_TEST(test_ffa_mem_share_64_x3_w4_nonzero_invalid_fault),
		ENV_TEST(test_ffa_mem_share_64_in_fragments_success),
		ENV_TEST(test_ffa_mem_frag_tx_unknown_handle_invalid_fault),
		ENV_TEST(test_ffa_mem_reclaim_unknown_handle_invalid_no_fault),
		ENV_TEST(test_spmc_mem_retrieve_not_a_receiver_invalid),
		ENV_TEST(test_spmc_mem_retrieve_donate_gives_pages_to_partition),
		ENV_TEST(test_spmc_isolation_page_private_behind_back_false),
		ENV_TEST(test_spmc_isolation_page_state_or_tag_changed_false),
		ENV_TEST(test_spmc_isolation_unrecorded_spmc_handle_false),
		ENV_TEST(test_spmc_isolation_hyp_handle_ignored),
	};

	return cmocka_run_group_tests_name("spmc_memory", tests, NULL, NULL);
}
