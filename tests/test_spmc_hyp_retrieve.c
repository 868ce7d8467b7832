/*
 * The SPMC model serving a real hypervisor (Linux pKVM's FF-A proxy), the
 * test playing the hypervisor through spmc_ns_call(): its own retrieve
 * request (DEN0077A v1.2 §17.4.3 "Hypervisor retrieve request":
 * FFA_MEM_RETRIEVE_REQ with no receivers, answered FFA_MEM_RETRIEVE_RESP
 * into its RX buffer, continued by FFA_MEM_FRAG_RX / FFA_MEM_FRAG_TX;
 * spmc-model/src/memory_retrieve.c), and the per-SPMC page semantics of the
 * normal-world hypervisor (struct spmc_ns_pages: pKVM's mem_protect.c rules
 * as pkvm-host.md states them). No mediator moves the pages here: each test
 * moves them itself, as the hypervisor does before it sends.
 */
#include "fixture.h"
#include "mem_desc_fx.h"

#include <stdlib.h>
#include <string.h>

/*
 * Physical layout: the hypervisor's TX and RX pages (MEM_OWNER_HYP, marked as
 * a mailbox), two unowned pages, six pages of VM 1, then four of the host
 * (endpoint 0, the sender under pKVM, which shares only the host's memory).
 */
#define PG MEM_PAGE_SIZE
#define HYP_TX 0x10000000ULL
#define HYP_RX (HYP_TX + PG)
#define VM1_PA (HYP_TX + 4 * PG)
#define HOST_PA (HYP_TX + 10 * PG)
#define ENV_PAGES 14U
#define VM1 1
#define VM2 2
#define SP1 0x8001
#define SP2 0x8002
#define PROVISIONAL (FFA_HANDLE_ALLOCATOR_HYP | 0x42) /* the mediator's, before forwarding */
#define PKVM_REQUEST 48U /* sizeof pKVM's (v1.1) struct ffa_mem_region, at every version */

/* A fresh SPMC at the version *@state points at (1.2 if none), the hypervisor's pair mapped. */
static int env_setup(void **state)
{
	uint32_t version = *state != NULL ? *(const uint32_t *)*state : FFA_VERSION_1_2;
	struct fx_env *e = fx_env_hyp_pair(HYP_TX, ENV_PAGES);

	assert_int_equal(mem_assign(&e->mem, VM1_PA, 6, VM1), FFA_OK);
	assert_int_equal(mem_assign(&e->mem, HOST_PA, 4, FFA_HOST_ID), FFA_OK);
	assert_int_equal(fx_ns_call(e, FFA_VERSION_32, version, 0, 0, 0, 0).x[0],
			 FFA_VERSION_1_2);
	assert_int_equal(e->s.ns_version, version);
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_MAP_64, HYP_TX, HYP_RX, 1, 0, 0));
	fx_assert_faults(e, 0, 0);
	*state = e;
	return 0;
}

static uint8_t *hyp_page(struct fx_env *e, uint64_t pa)
{
	uint8_t *p = mem_map(&e->mem, pa, 1, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);

	assert_non_null(p);
	return p;
}

/* @sender's @pages at @pa from @from to @to under @handle, as the hypervisor moves them. */
static void move(struct fx_env *e, ffa_id_t sender, uint64_t pa, uint32_t pages,
		 enum mem_page_state from, enum mem_page_state to, uint64_t handle)
{
	assert_int_equal(mem_transition_handle(&e->mem, pa, pages, sender, from, to, handle),
			 FFA_OK);
}

/* The hypervisor sends @t with @fid in one fragment, at its version. */
static struct smccc_regs send(struct fx_env *e, uint32_t fid, const struct ffa_mem_txn *t)
{
	struct ffa_mem_txn sent = *t;
	uint32_t len;

	fx_mem_attributes_for(&sent, fid);
	len = ffa_mem_desc_write(&sent, e->s.ns_version, hyp_page(e, HYP_TX), PG);
	assert_int_not_equal(len, 0);
	return fx_ns_call(e, fid, len, len, 0, 0, 0);
}

/* The handle of a SUCCESS_32 reply to a send. */
static uint64_t handle_of(struct smccc_regs r)
{
	if (r.x[0] != FFA_SUCCESS_32) {
		fail_msg("expected FFA_SUCCESS_32, got x0=%#llx x2=%#llx", (unsigned long long)r.x[0],
			 (unsigned long long)r.x[2]);
	}
	return r.x[2] | r.x[3] << 32;
}

/* @t's pages moved to SHARED under a provisional handle, shared, then tagged with the handle. */
static uint64_t share(struct fx_env *e, const struct ffa_mem_txn *t)
{
	uint64_t h;

	for (uint32_t i = 0; i < t->range_count; i++) {
		move(e, t->sender, t->ranges[i].address, t->ranges[i].page_count, MEM_PAGE_PRIVATE,
		     MEM_PAGE_SHARED, PROVISIONAL);
	}
	h = handle_of(send(e, FFA_MEM_SHARE_64, t));
	for (uint32_t i = 0; i < t->range_count; i++) {
		move(e, t->sender, t->ranges[i].address, t->ranges[i].page_count, MEM_PAGE_SHARED,
		     MEM_PAGE_SHARED, h);
	}
	return h;
}

/* VM 1 to partitions 1 and 2: @ranges one-page constituents of its pages, tag 0x77. */
static struct ffa_mem_txn vm1_txn(uint32_t ranges)
{
	struct ffa_mem_txn t = fx_mem_txn(VM1, SP1, VM1_PA, 1);

	fx_mem_add_receiver(&t, SP2);
	for (uint32_t i = 1; i < ranges; i++) {
		fx_mem_add_range(&t, VM1_PA + i * PG, 1);
	}
	t.tag = 0x77;
	return t;
}

/* pKVM's request in the hypervisor's TX: its 48-byte struct, zero but for sender and handle. */
static void put_request(struct fx_env *e, ffa_id_t sender, uint64_t handle)
{
	uint8_t *tx = hyp_page(e, HYP_TX);

	memset(tx, 0, PKVM_REQUEST);
	memcpy(tx, &sender, sizeof(sender));     /* offset 0 in every version */
	memcpy(tx + 8, &handle, sizeof(handle)); /* offset 8 in every version */
}

/* put_request(), then FFA_MEM_RETRIEVE_REQ_64 with w1 = w2 = @len. */
static struct smccc_regs retrieve(struct fx_env *e, ffa_id_t sender, uint64_t handle, uint32_t len)
{
	put_request(e, sender, handle);
	return fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, len, len, 0, 0, 0);
}

/* FFA_MEM_FRAG_RX for @handle at @offset, w4 = @w4. */
static struct smccc_regs frag_rx(struct fx_env *e, uint64_t handle, uint32_t offset, uint32_t w4)
{
	return fx_ns_call(e, FFA_MEM_FRAG_RX_32, (uint32_t)handle, (uint32_t)(handle >> 32), offset,
			  w4, 0);
}

static void rx_release(struct fx_env *e)
{
	assert_ffa_success(fx_ns_call(e, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
}

/* @got is @t as the SPMC holds it: @handle, flags[4:3] the type, the constituents as PAs. */
static void assert_same_txn(const struct ffa_mem_txn *got, const struct ffa_mem_txn *t,
			    uint64_t handle, enum ffa_mem_type type)
{
	struct ffa_mem_txn want = *t;

	want.handle = handle;
	want.flags |= (uint32_t)type << FFA_MEM_FLAG_TYPE_SHIFT;
	assert_txn_equal(got, &want);
}

/* @r is INVALID_PARAMETERS and the one fault recorded, for @fid; then forget it. */
static void assert_invalid_fault(struct fx_env *e, struct smccc_regs r, uint32_t fid)
{
	assert_ffa_error(r, FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, fid);
	e->s.fault_count = 0;
}

static void assert_oracle(struct fx_env *e, bool agrees)
{
	char why[160] = "";

	if (spmc_isolation_check(&e->s, why, sizeof(why)) != agrees) {
		fail_msg("isolation check %s, expected %s: %s", agrees ? "failed" : "passed",
			 agrees ? "pass" : "fail", why);
	}
}

/* --- The response --- */

/*
 * DEN0077A v1.2 §17.4.3: a request with no receivers naming the sender and
 * the handle gets the transaction on record in the hypervisor's RX, at its
 * version, in one fragment (w1 = w2): every receiver, the constituents as
 * PAs, flags[4:3] the type. pKVM's 48-byte request serves every version; a
 * v1.0 hypervisor may send just the 32-byte v1.0 header. Both widths.
 */
static void test_ffa_mem_retrieve_req_hyp_share_gets_descriptor(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(3);
	uint32_t header = hdr(e->s.ns_version);
	uint32_t total = header + 2 * esz(e->s.ns_version) + 16 + 3 * 16;
	uint64_t h = share(e, &t);
	struct ffa_mem_txn got;

	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), total, total);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(ffa_mem_desc_parse(hyp_page(e, HYP_RX), total, e->s.ns_version, false, &got),
			 FFA_OK);
	assert_same_txn(&got, &t, h, FFA_MEM_TYPE_SHARE);
	rx_release(e);

	/* The 32-bit ABI, the request naming the sender itself, and only the version's header. */
	put_request(e, VM1, h);
	memset(hyp_page(e, HYP_TX) + header, 0xA5, PKVM_REQUEST - header); /* past the request */
	fx_assert_retrieve_resp(fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_32, header, header, 0, 0, 0), total, total);
	memset(&got, 0, sizeof(got));
	assert_int_equal(ffa_mem_desc_parse(hyp_page(e, HYP_RX), total, e->s.ns_version, false, &got),
			 FFA_OK);
	assert_same_txn(&got, &t, h, FFA_MEM_TYPE_SHARE);
	/* Nothing on record changed: no receiver counts as having retrieved it. */
	assert_int_equal(spmc_txn_find(&e->s, h)->retrieved[0] + spmc_txn_find(&e->s, h)->retrieved[1],
			 0);
	assert_false(e->s.hyp_retrieve.active);
	fx_assert_faults(e, 0, 0);
}

/*
 * ffa-facts §2 RX ownership: after FFA_MEM_RETRIEVE_RESP the hypervisor owns
 * its RX buffer until FFA_RX_RELEASE; a second request before it is BUSY
 * (the SPMC cannot take the buffer as producer), and is no fault.
 */
static void test_ffa_mem_retrieve_req_hyp_rx_owned_until_release(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(1);
	uint64_t h = share(e, &t);
	uint32_t total = 48 + 2 * 32 + 16 + 16;

	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), total, total);
	memset(hyp_page(e, HYP_RX), 0xEE, PG); /* the hypervisor's, to do with as it likes */
	assert_ffa_error(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), FFA_BUSY);
	assert_int_equal(hyp_page(e, HYP_RX)[0], 0xEE); /* not written behind its back */
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
	fx_assert_faults(e, 0, 0);
	rx_release(e);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), total, total);
	fx_assert_faults(e, 0, 0);
}

/*
 * ffa-facts §2 FRAG_RX/FRAG_TX: a response longer than a fragment goes in
 * fragments; FFA_MEM_FRAG_RX (w3 = the bytes received so far) after
 * FFA_RX_RELEASE gets FFA_MEM_FRAG_TX (w1/w2 handle, w3 its length,
 * w4[31:16] the sender) into RX; before the release BUSY. Each fragment ends
 * on a constituent, the first holds everything before the constituents
 * (Hafnium's rule for a send's first fragment).
 */
static void test_ffa_mem_frag_rx_hyp_fragmented_response(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(5);
	uint32_t prefix = hdr(e->s.ns_version) + 2 * esz(e->s.ns_version) + 16;
	uint32_t total = prefix + 5 * 16;
	uint32_t lens[] = {prefix + 16, 32, 32};
	uint8_t whole[PG];
	uint32_t off;
	uint64_t h = share(e, &t);
	struct ffa_mem_txn got;
	struct smccc_regs r;

	e->s.retrieve_frag_bytes = 32; /* less than the first fragment must hold */
	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), total, lens[0]);
	memcpy(whole, hyp_page(e, HYP_RX), lens[0]);
	off = lens[0];
	assert_true(e->s.hyp_retrieve.active);
	assert_ffa_error(frag_rx(e, h, off, 0), FFA_BUSY); /* RX not released yet */
	fx_assert_faults(e, 0, 0);
	for (unsigned i = 1; i < 3; i++) {
		rx_release(e);
		r = frag_rx(e, h, off, (uint32_t)VM1 << 16);
		assert_int_equal(r.x[0], FFA_MEM_FRAG_TX_32);
		assert_int_equal(r.x[1], (uint32_t)h);
		assert_int_equal(r.x[2], (uint32_t)(h >> 32));
		assert_int_equal(r.x[3], lens[i]);
		assert_int_equal(r.x[4], (uint32_t)VM1 << 16);
		assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_CONSUMER);
		memcpy(whole + off, hyp_page(e, HYP_RX), lens[i]);
		off += lens[i];
	}
	assert_int_equal(off, total);
	assert_false(e->s.hyp_retrieve.active);
	assert_int_equal(ffa_mem_desc_parse(whole, total, e->s.ns_version, false, &got), FFA_OK);
	assert_same_txn(&got, &t, h, FFA_MEM_TYPE_SHARE);
	fx_assert_faults(e, 0, 0);
	/* After the last fragment there is nothing to continue: a fault. */
	rx_release(e);
	assert_ffa_error(frag_rx(e, h, off, 0), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_FRAG_RX_32);
}

/*
 * TF-A c55b519ed: FFA_MEM_FRAG_RX names the bytes already delivered; another
 * offset, another handle or w4[15:0] set is a request no hypervisor may
 * send (INVALID_PARAMETERS, a fault); another sender in w4[31:16] is
 * INVALID_PARAMETERS (Hafnium), and 0, the hypervisor itself, passes.
 */
static void test_ffa_mem_frag_rx_hyp_bad_requests(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(3);
	uint64_t h = share(e, &t);
	uint32_t first = 48 + 2 * 32 + 16 + 16;

	e->s.retrieve_frag_bytes = 16;
	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), first + 32, first);
	rx_release(e);
	assert_ffa_error(frag_rx(e, h, first - 16, 0), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MEM_FRAG_RX_32);
	assert_ffa_error(frag_rx(e, h + 1, first, 0), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_MEM_FRAG_RX_32);
	assert_ffa_error(frag_rx(e, h, first, 1), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 3, FFA_MEM_FRAG_RX_32);
	assert_ffa_error(frag_rx(e, h, first, (uint32_t)VM2 << 16), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 3, FFA_MEM_FRAG_RX_32);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE); /* none of them wrote RX */
	assert_int_equal(frag_rx(e, h, first, 0).x[3], 16);
	rx_release(e);
	assert_int_equal(frag_rx(e, h, first + 16, 0).x[0], FFA_MEM_FRAG_TX_32);
	fx_assert_faults(e, 3, FFA_MEM_FRAG_RX_32);
}

/* --- Refusals --- */

/*
 * DEN0077A v1.2 §17.4.3: the handle must be one the SPMC holds (a send still
 * in fragments is not on record) and the sender field the transaction's or
 * the hypervisor's own 0: otherwise INVALID_PARAMETERS. A hypervisor may ask
 * about a handle a VM gave it, so none of this is a fault.
 */
static void test_ffa_mem_retrieve_req_hyp_unknown_handle_invalid(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(1);
	struct ffa_mem_txn other = fx_mem_txn(VM1, SP1, VM1_PA + 5 * PG, 1);
	uint8_t desc[PG];
	uint32_t len;
	uint64_t h;

	assert_ffa_error(retrieve(e, FFA_HOST_ID, 1, PKVM_REQUEST), FFA_INVALID_PARAMETERS);
	h = share(e, &t);
	assert_ffa_error(retrieve(e, FFA_HOST_ID, h + 1, PKVM_REQUEST), FFA_INVALID_PARAMETERS);
	assert_ffa_error(retrieve(e, FFA_HOST_ID, h | 1ULL << 32, PKVM_REQUEST),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(retrieve(e, VM2, h, PKVM_REQUEST), FFA_INVALID_PARAMETERS);
	/* A send in fragments has a handle (FRAG_RX told it) but is not on record yet. */
	move(e, VM1, VM1_PA + 5 * PG, 1, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	len = ffa_mem_desc_write(&other, FFA_VERSION_1_2, desc, sizeof(desc));
	memcpy(hyp_page(e, HYP_TX), desc, len - 16);
	assert_int_equal(fx_ns_call(e, FFA_MEM_SHARE_64, len, len - 16, 0, 0, 0).x[0],
			 FFA_MEM_FRAG_RX_32);
	assert_ffa_error(retrieve(e, FFA_HOST_ID, h + 1, PKVM_REQUEST), FFA_INVALID_PARAMETERS);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	fx_assert_faults(e, 0, 0);
	fx_assert_retrieve_resp(retrieve(e, VM1, h, PKVM_REQUEST), 48 + 64 + 32, 48 + 64 + 32);
}

/*
 * DEN0077A v1.2 §17.4.3 and ffa-facts §2 (FFA_MEM_RETRIEVE_REQ: x3 = 0 and
 * w4 = 0 for the TX buffer): what no hypervisor may send is
 * INVALID_PARAMETERS and a mediator fault: x3/w4 set, a length short of the
 * header or past the request, MBZ fields set. A request in fragments, or
 * naming receivers (a VM borrower's: the model has none), is only refused.
 */
static void test_ffa_mem_retrieve_req_hyp_malformed_invalid(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(1);
	uint64_t h = share(e, &t);
	uint8_t *tx = hyp_page(e, HYP_TX);
	/* v1.2 header: attributes, flags, tag, access descriptor size and offset, reserved. */
	static const unsigned mbz[] = {2, 4, 16, 24, 32, 40};
	uint32_t one = 1, bad_offset = 8;

	put_request(e, FFA_HOST_ID, h);
	assert_invalid_fault(e, fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, 48, 48, HYP_TX, 1, 0),
			     FFA_MEM_RETRIEVE_REQ_64);
	assert_invalid_fault(e, fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_32, 48, 48, 0, 1, 0),
			     FFA_MEM_RETRIEVE_REQ_32);
	assert_invalid_fault(e, retrieve(e, FFA_HOST_ID, h, 32), FFA_MEM_RETRIEVE_REQ_64); /* v1.2: 48 */
	assert_invalid_fault(e, retrieve(e, FFA_HOST_ID, h, 64), FFA_MEM_RETRIEVE_REQ_64);
	assert_invalid_fault(e, retrieve(e, FFA_HOST_ID, h, PG + 16), FFA_MEM_RETRIEVE_REQ_64);
	for (unsigned i = 0; i < sizeof(mbz) / sizeof(mbz[0]); i++) {
		put_request(e, FFA_HOST_ID, h);
		memcpy(tx + mbz[i], mbz[i] == 32 ? &bad_offset : &one, sizeof(one));
		assert_invalid_fault(e, fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, 48, 48, 0, 0, 0),
				     FFA_MEM_RETRIEVE_REQ_64);
	}
	/* Not faults: a request in fragments, and a borrower's request (count 1). */
	put_request(e, FFA_HOST_ID, h);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, 48, 40, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	memcpy(tx + 28, &one, sizeof(one));
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, 48, 48, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 0, 0);
	assert_int_equal(e->s.hyp_mailbox.rx, MAILBOX_RX_FREE);
	/* The access descriptors' size and offset may also say what the version's are. */
	put_request(e, FFA_HOST_ID, h);
	memcpy(tx + 24, &(uint32_t){32}, 4);
	memcpy(tx + 32, &(uint32_t){48}, 4);
	fx_assert_retrieve_resp(fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, 48, 48, 0, 0, 0), 48 + 64 + 32,
		    48 + 64 + 32);
	fx_assert_faults(e, 0, 0);
}

/* rxtx.c: a retrieve request with no RX/TX pair mapped has no buffer to be in: DENIED, fault. */
static void test_ffa_mem_retrieve_req_hyp_no_pair_denied(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(1);
	uint64_t h = share(e, &t);

	put_request(e, FFA_HOST_ID, h);
	assert_ffa_success(fx_ns_call(e, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RETRIEVE_REQ_64, 48, 48, 0, 0, 0), FFA_DENIED);
	fx_assert_faults(e, 1, FFA_MEM_RETRIEVE_REQ_64);
}

/* --- Reclaim --- */

/*
 * Hafnium ffa_memory_reclaim(): only borrowers that have not relinquished
 * block FFA_MEM_RECLAIM; the hypervisor's retrieve is no borrower's, so the
 * reclaim that follows it (pKVM's order: retrieve, then reclaim) succeeds,
 * even in the middle of a fragmented response, which then ends.
 */
static void test_ffa_mem_reclaim_after_hyp_retrieve_success(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(3);
	uint64_t h = share(e, &t);
	uint64_t h2;

	assert_int_equal(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST).x[0], FFA_MEM_RETRIEVE_RESP_32);
	rx_release(e);
	assert_ffa_success(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0));
	assert_null(spmc_txn_find(&e->s, h));
	move(e, VM1, VM1_PA, 3, MEM_PAGE_SHARED, MEM_PAGE_PRIVATE, 0); /* the reclaim's unshare */
	assert_oracle(e, true);
	assert_ffa_error(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), FFA_INVALID_PARAMETERS);

	/* Reclaimed in the middle of a fragmented response: FRAG_RX then finds nothing. */
	h2 = share(e, &t);
	e->s.retrieve_frag_bytes = 16;
	assert_int_equal(retrieve(e, FFA_HOST_ID, h2, PKVM_REQUEST).x[2], 48 + 64 + 16 + 16);
	rx_release(e);
	assert_ffa_success(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h2, 0, 0, 0, 0));
	move(e, VM1, VM1_PA, 3, MEM_PAGE_SHARED, MEM_PAGE_PRIVATE, 0);
	assert_ffa_error(frag_rx(e, h2, 48 + 64 + 16 + 16, 0), FFA_INVALID_PARAMETERS);
	assert_false(e->s.hyp_retrieve.active);
	fx_assert_faults(e, 0, 0);
}

/* Partition 1 runs @kind (retrieve or relinquish) on @handle for a direct request: its status. */
static int32_t sp1_does(struct fx_env *e, enum spmc_behaviour_kind kind, uint64_t handle)
{
	fx_behave(&e->s, SP1, kind, 0, 0);
	spmc_sp_state(&e->s, SP1)->last_send_status = 1; /* not a status: must be overwritten */
	assert_int_equal(fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM1, SP1), 0,
				    handle, 0, 0)
				 .x[0],
			 FFA_MSG_SEND_DIRECT_RESP_64);
	return spmc_sp_state(&e->s, SP1)->last_send_status;
}

/* A partition's retrieve still blocks reclaim (DENIED) until it relinquishes. */
static void test_ffa_mem_reclaim_partition_retrieve_still_denied(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(1);
	uint64_t h = share(e, &t);

	assert_int_equal(sp1_does(e, SPMC_BEHAVE_RETRIEVE, h), FFA_OK);
	assert_int_equal(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST).x[0], FFA_MEM_RETRIEVE_RESP_32);
	rx_release(e);
	assert_ffa_error(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0), FFA_DENIED);
	assert_int_equal(sp1_does(e, SPMC_BEHAVE_RELINQUISH, h), FFA_OK);
	assert_ffa_success(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0));
	fx_assert_faults(e, 0, 0);
}

/* --- Discovery --- */

/*
 * ffa-facts §2 FFA_FEATURES (Hafnium FFA_FEATURES_MEM_RETRIEVE_REQ_*): the NS
 * side sees FFA_MEM_RETRIEVE_REQ_32/64 (w2 bit 2: retrieval by the
 * hypervisor, from v1.1) and FFA_MEM_FRAG_RX; FFA_MEM_RETRIEVE_RESP stays a
 * response only.
 */
static void test_ffa_features_hyp_retrieve_reported(void **state)
{
	struct fx_env *e = *state;
	uint32_t w2 = e->s.ns_version >= FFA_VERSION_1_1 ? 1U << 2 : 0;
	struct smccc_regs r;

	r = fx_ns_call(e, FFA_FEATURES_32, FFA_MEM_RETRIEVE_REQ_32, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], w2);
	r = fx_ns_call(e, FFA_FEATURES_32, FFA_MEM_RETRIEVE_REQ_64, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], w2);
	r = fx_ns_call(e, FFA_FEATURES_32, FFA_MEM_FRAG_RX_32, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	assert_ffa_error(fx_ns_call(e, FFA_FEATURES_32, FFA_MEM_RETRIEVE_RESP_32, 0, 0, 0, 0),
			 FFA_NOT_SUPPORTED);
	fx_assert_faults(e, 0, 0);
}

/* --- The hypervisor's page semantics --- */

/*
 * pkvm-host.md "Host memory ownership": pKVM's __pkvm_host_share_ffa() moves
 * a lend's pages to SHARED_OWNED exactly like a share's and records no
 * handle. Under spmc_ns_pages_pkvm() a lend from the host with its pages
 * SHARED and untagged succeeds, the isolation oracle agrees, and pKVM's
 * whole reclaim (retrieve, reclaim, unshare) works; under the default the
 * same lend is a fault (pages not LENT).
 */
static void test_ns_pages_pkvm_lend_shared_untagged_success(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(FFA_HOST_ID, SP1, HOST_PA, 2);
	struct ffa_mem_txn got;
	uint32_t total = hdr(e->s.ns_version) + esz(e->s.ns_version) + 16 + 16;
	uint64_t h;

	/* Default semantics (the mediator's, its pages tagged provisionally): LENT, not SHARED. */
	move(e, FFA_HOST_ID, HOST_PA, 2, MEM_PAGE_PRIVATE, MEM_PAGE_SHARED, PROVISIONAL);
	assert_ffa_error(send(e, FFA_MEM_LEND_64, &t), FFA_DENIED);
	fx_assert_faults(e, 1, FFA_MEM_LEND_64);
	e->s.fault_count = 0;

	/* pKVM: the same pages, untagged. */
	move(e, FFA_HOST_ID, HOST_PA, 2, MEM_PAGE_SHARED, MEM_PAGE_SHARED, 0);
	spmc_set_ns_pages(&e->s, spmc_ns_pages_pkvm());
	h = handle_of(send(e, FFA_MEM_LEND_64, &t));
	assert_int_equal(spmc_txn_find(&e->s, h)->type, FFA_MEM_TYPE_LEND);
	assert_int_equal(mem_page_at(&e->mem, HOST_PA)->handle, 0);
	assert_oracle(e, true);
	assert_int_equal(fx_ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0).x[0], FFA_SUCCESS_32);
	fx_assert_faults(e, 0, 0);

	/* pKVM's reclaim: its retrieve request (sender 0, 48 bytes), RX_RELEASE, reclaim. */
	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), total, total);
	assert_int_equal(ffa_mem_desc_parse(hyp_page(e, HYP_RX), total, e->s.ns_version, false, &got),
			 FFA_OK);
	fx_mem_attributes_for(&t, FFA_MEM_LEND_64);
	assert_same_txn(&got, &t, h, FFA_MEM_TYPE_LEND);
	rx_release(e);
	assert_ffa_success(fx_ns_call(e, FFA_MEM_RECLAIM_32, (uint32_t)h, 0, 0, 0, 0));
	assert_int_equal(mem_transition(&e->mem, HOST_PA, 2, FFA_HOST_ID, MEM_PAGE_SHARED,
					MEM_PAGE_PRIVATE),
			 FFA_OK);
	assert_oracle(e, true);
	fx_assert_faults(e, 0, 0);
}

/*
 * pkvm-host.md "Host memory ownership": __pkvm_host_unshare_ffa() checks
 * nothing about with whom, so a page may stay shared, untagged, after a
 * failed transaction: under pKVM semantics the oracle allows it, under the
 * default it is a page shared outside any transaction. The forward
 * direction still holds under pKVM: a page of a transaction on record that
 * went back to PRIVATE is an isolation failure, a mediator fault at the
 * next call.
 */
static void test_ns_pages_pkvm_isolation_forward_only(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = fx_mem_txn(FFA_HOST_ID, SP1, HOST_PA, 1);
	char why[160] = "";
	uint64_t h;

	assert_int_equal(mem_transition(&e->mem, HOST_PA + 3 * PG, 1, FFA_HOST_ID,
					MEM_PAGE_PRIVATE, MEM_PAGE_SHARED),
			 FFA_OK); /* a stray: shared, in no transaction */
	assert_oracle(e, false);
	spmc_set_ns_pages(&e->s, spmc_ns_pages_pkvm());
	assert_oracle(e, true);

	assert_int_equal(mem_transition(&e->mem, HOST_PA, 1, FFA_HOST_ID, MEM_PAGE_PRIVATE,
					MEM_PAGE_SHARED),
			 FFA_OK);
	h = handle_of(send(e, FFA_MEM_SHARE_64, &t));
	assert_oracle(e, true);
	assert_int_equal(mem_transition(&e->mem, HOST_PA, 1, FFA_HOST_ID, MEM_PAGE_SHARED,
					MEM_PAGE_PRIVATE),
			 FFA_OK); /* behind the SPMC's back */
	assert_oracle(e, false);
	assert_int_equal(fx_ns_call(e, FFA_ID_GET_32, 0, 0, 0, 0, 0).x[0], FFA_SUCCESS_32);
	fx_assert_faults(e, 1, FFA_ID_GET_32);
	assert_non_null(strstr(e->s.faults[0].reason, "isolation"));

	/* Back to the default (the last pass forgotten): the stray fails the reverse scan. */
	assert_int_equal(mem_transition(&e->mem, HOST_PA, 1, FFA_HOST_ID, MEM_PAGE_PRIVATE,
					MEM_PAGE_SHARED),
			 FFA_OK);
	move(e, FFA_HOST_ID, HOST_PA, 1, MEM_PAGE_SHARED, MEM_PAGE_SHARED, h);
	assert_oracle(e, true);
	spmc_set_ns_pages(&e->s, (struct spmc_ns_pages){0});
	assert_false(spmc_isolation_check(&e->s, why, sizeof(why)));
	assert_non_null(strstr(why, "page 0x1000d000 ")); /* the stray, HOST_PA + 3 pages */
}

/*
 * spmc.h spmc_state_copy(): the page semantics, the fragment size and a
 * response in fragments are copied, so a restored model continues it.
 */
static void test_spmc_state_copy_keeps_hyp_retrieve(void **state)
{
	struct fx_env *e = *state;
	struct ffa_mem_txn t = vm1_txn(3);
	uint64_t h = share(e, &t);
	uint32_t first = 48 + 2 * 32 + 16 + 16;
	struct spmc *copy = calloc(1, sizeof(*copy));
	struct smccc_regs r;

	assert_non_null(copy);
	spmc_set_ns_pages(&e->s, (struct spmc_ns_pages){.lend_as_share = true});
	e->s.retrieve_frag_bytes = 16;
	fx_assert_retrieve_resp(retrieve(e, FFA_HOST_ID, h, PKVM_REQUEST), first + 32, first);
	rx_release(e);
	spmc_init(copy, e->s.manifest, &e->mem);
	spmc_state_copy(copy, &e->s);
	assert_true(copy->ns_pages.lend_as_share);
	assert_false(copy->ns_pages.untagged);
	assert_int_equal(copy->retrieve_frag_bytes, 16);
	r = spmc_ns_call(copy, &(struct smccc_regs){
				       .x = {FFA_MEM_FRAG_RX_32, (uint32_t)h, 0, first, 0}});
	assert_int_equal(r.x[0], FFA_MEM_FRAG_TX_32);
	assert_int_equal(r.x[3], 16);
	assert_int_equal(copy->fault_count, 0);
	free(copy);
}

#define V(fn)                                                                   \
	{#fn " (v1.0)", fn, env_setup, fx_env_teardown, &fx_version_1_0},       \
	{#fn " (v1.1)", fn, env_setup, fx_env_teardown, &fx_version_1_1},       \
	{#fn " (v1.2)", fn, env_setup, fx_env_teardown, &fx_version_1_2}

int main(void)
{
	const struct CMUnitTest tests[] = {
		V(test_ffa_mem_retrieve_req_hyp_share_gets_descriptor),
		ENV_TEST(test_ffa_mem_retrieve_req_hyp_rx_owned_until_release),
		V(test_ffa_mem_frag_rx_hyp_fragmented_response),
		ENV_TEST(test_ffa_mem_frag_rx_hyp_bad_requests),
		ENV_TEST(test_ffa_mem_retrieve_req_hyp_unknown_handle_invalid),
		ENV_TEST(test_ffa_mem_retrieve_req_hyp_malformed_invalid),
		ENV_TEST(test_ffa_mem_retrieve_req_hyp_no_pair_denied),
		ENV_TEST(test_ffa_mem_reclaim_after_hyp_retrieve_success),
		ENV_TEST(test_ffa_mem_reclaim_partition_retrieve_still_denied),
		V(test_ffa_features_hyp_retrieve_reported),
		V(test_ns_pages_pkvm_lend_shared_untagged_success),
		ENV_TEST(test_ns_pages_pkvm_isolation_forward_only),
		ENV_TEST(test_spmc_state_copy_keeps_hyp_retrieve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
