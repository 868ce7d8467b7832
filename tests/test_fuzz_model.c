/*
 * The oracle's state model (fuzz/model/): each rule fires, under its own
 * name, on a well-formed but wrong answer built by hand (or a real answer
 * tampered with), after the mediator's real answers built the state it is
 * judged in, and stays quiet on those real answers. Rules and their spec
 * sources: the header of each file in fuzz/model/, and README "The state model".
 */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "oracle_fx.h"

#define SP1 0x8001
#define SP2 0x8002
#define SHARED_IPA (FUZZ_VM_IPA + 3 * FFA_PAGE_SIZE)

/* VM @vm's TX and RX, as it reads and writes them (IPA FUZZ_VM_IPA and the page after). */
static uint8_t *tx_of(ffa_id_t vm)
{
	return mem_host(&fm.mem, fm.cfg.vms[vm].pa_base, 1);
}

static uint8_t *rx_of(ffa_id_t vm)
{
	return mem_host(&fm.mem, fm.cfg.vms[vm].pa_base + FFA_PAGE_SIZE, 1);
}

static void map_from(ffa_id_t vm)
{
	assert_int_equal(real_from(vm, call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1)).x[0],
			 FFA_SUCCESS_32);
}

/* Both VMs at FF-A 1.2 with their pairs mapped. */
static void both_ready(void)
{
	negotiate_1_2_from(OTHER_VM);
	negotiate_1_2();
	map_from(OTHER_VM);
	map_from(VM);
}

static uint64_t handle_of(struct smccc_regs r)
{
	return (uint64_t)ffa_w(&r, 2) | (uint64_t)ffa_w(&r, 3) << 32;
}

/* VM shares its page at SHARED_IPA with @receiver: the handle. */
static uint64_t share_with(ffa_id_t receiver)
{
	struct ffa_mem_txn t = fx_mem_txn(VM, receiver, SHARED_IPA, 1);
	uint32_t len = ffa_mem_desc_write(&t, FFA_VERSION_1_2, tx_of(VM), FFA_PAGE_SIZE);
	struct smccc_regs r = real(call3(FFA_MEM_SHARE_64, len, len, 0));

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	return handle_of(r);
}

/* @vm's retrieve request for @handle, lent by VM to @vm, in @vm's TX: its length. */
static uint32_t put_retrieve(ffa_id_t vm, uint64_t handle)
{
	struct ffa_mem_txn r = fx_mem_txn(VM, vm, SHARED_IPA, 1);

	r.handle = handle;
	return ffa_mem_desc_write_request(&r, FFA_VERSION_1_2, tx_of(vm), FFA_PAGE_SIZE);
}

static void put_relinquish(ffa_id_t vm, uint64_t handle)
{
	struct ffa_mem_relinquish d = {.handle = handle, .endpoint_count = 1};

	memcpy(tx_of(vm), &d, sizeof(d));
	memcpy(tx_of(vm) + sizeof(d), &vm, sizeof(vm));
}

/* --- setup and discovery --- */

/* §13.3: a function reported supported is not refused, nor one reported not supported served. */
static void test_model_features_honoured(void **state)
{
	struct smccc_regs features = call3(FFA_FEATURES_32, FFA_RXTX_UNMAP_32, 0, 0);
	struct smccc_regs unmap = call3(FFA_RXTX_UNMAP_32, 0, 0, 0);
	struct smccc_regs id_get = call3(FFA_ID_GET_32, 0, 0, 0);

	(void)state;
	negotiate_1_2();
	assert_int_equal(real(features).x[0], FFA_SUCCESS_32);
	real(unmap); /* nothing mapped: INVALID_PARAMETERS, not a refusal */
	assert_string_equal(judge(unmap, error(unmap, FFA_NOT_SUPPORTED), NULL), "features-honoured");
	features.x[1] = FFA_ID_GET_32;
	assert_string_equal(judge(features, error(features, FFA_NOT_SUPPORTED), NULL), "");
	assert_string_equal(tampered_from(VM, id_get, NULL), "features-honoured");
	/* Told 16K buffers while its 4K pair is mapped: the pair it accepted breaks what it tells. */
	assert_true(fuzz_machine_init(&fm, &prog));
	negotiate_1_2();
	map_from(VM);
	features.x[1] = FFA_RXTX_MAP_64;
	assert_string_equal(judge(features, answer(features, FFA_SUCCESS_32, 2), NULL), "features-honoured");
}

/* The same FFA_FEATURES question at the same version gets the same answer. */
static void test_model_features_stable(void **state)
{
	struct smccc_regs features = call3(FFA_FEATURES_32, FFA_RXTX_MAP_64, 0, 0), first;

	(void)state;
	negotiate_1_2();
	first = real(features);
	assert_string_equal(judge(features, error(features, FFA_NOT_SUPPORTED), NULL), "features-stable");
	assert_true(fuzz_machine_init(&fm, &prog));
	negotiate_1_2();
	first = real(features);
	first.x[2] ^= 1; /* another minimum buffer size */
	assert_string_equal(judge(features, first, NULL), "features-stable");
}

/* §13.6-13.7: FFA_ID_GET gives the caller's own ID, FFA_SPM_ID_GET the SPMC's. */
static void test_model_id_get_own(void **state)
{
	struct smccc_regs id = call3(FFA_ID_GET_32, 0, 0, 0), spm = call3(FFA_SPM_ID_GET_32, 0, 0, 0);

	(void)state;
	negotiate_1_2();
	assert_string_equal(judge(id, answer(id, FFA_SUCCESS_32, OTHER_VM), NULL), "id-get-own");
	assert_string_equal(judge(spm, answer(spm, FFA_SUCCESS_32, 0x8001), NULL), "id-get-own");
}

/* --- partition discovery --- */

static void count_off_by_one(struct smccc_regs *r)
{
	r->x[2]--;
}

static void second_entry_repeats_first(struct smccc_regs *r)
{
	(void)r;
	memcpy(rx_of(VM) + 24, rx_of(VM), 24);
}

static void wrong_properties(struct smccc_regs *r)
{
	(void)r;
	rx_of(VM)[4] ^= FFA_PARTITION_INDIRECT_MSG;
}

static void release(void)
{
	assert_int_equal(real(call3(FFA_RX_RELEASE_32, 0, 0, 0)).x[0], FFA_SUCCESS_32);
}

/* §13.8: the list is exactly the manifest's partitions, a v1.2 caller seeing one entry per UUID. */
static void test_model_partition_list(void **state)
{
	struct smccc_regs get = call3(FFA_PARTITION_INFO_GET_32, 0, 0, 0);

	void (*const wrong[])(struct smccc_regs *) = {count_off_by_one, second_entry_repeats_first,
						      wrong_properties};

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		assert_true(fuzz_machine_init(&fm, &prog)); /* a rule caught leaves the model mid-call */
		negotiate_1_2();
		map_from(VM);
		assert_int_equal(real(get).x[2], 6);
		release();
		assert_string_equal(tampered_from(VM, get, wrong[i]), "partition-list");
	}
}

static void first_entry_twice(struct smccc_regs *r)
{
	r->x[6] = r->x[3], r->x[7] = r->x[4], r->x[8] = r->x[5];
}

static void last_index_short(struct smccc_regs *r)
{
	r->x[2]--;
}

static void stray_register(struct smccc_regs *r)
{
	r->x[17] = 1;
}

/* §13.9: GET_REGS gives each index one entry of the list, the same on every call, none twice. */
static void test_model_partition_list_regs(void **state)
{
	struct smccc_regs from0 = call3(FFA_PARTITION_INFO_GET_REGS_64, 0, 0, 0), from5;

	(void)state;
	negotiate_1_2();
	/* Index 5 on, with the UUID info tag the first answer gave. */
	from5 = call3(FFA_PARTITION_INFO_GET_REGS_64, 0, 0,
		      5 | (real(from0).x[2] >> FFA_PART_INFO_REGS_TAG_OUT_SHIFT & 0xFFFF) << 16);
	assert_int_equal(real(from5).x[0], FFA_SUCCESS_64);
	assert_string_equal(tampered_from(VM, from0, first_entry_twice), "partition-list-regs");
	assert_string_equal(tampered_from(VM, from0, last_index_short), "partition-list-regs");
	assert_string_equal(tampered_from(VM, from5, stray_register), "partition-list-regs");
}

/* --- RX/TX --- */

/* §13.10-13.12: map once, unmap what is mapped, release only an RX the VM owns. */
static void test_model_rxtx_state(void **state)
{
	struct smccc_regs map = call3(FFA_RXTX_MAP_64, FUZZ_VM_IPA, FUZZ_VM_IPA + FFA_PAGE_SIZE, 1);
	struct smccc_regs unmap = call3(FFA_RXTX_UNMAP_32, 0, 0, 0);
	struct smccc_regs release_rx = call3(FFA_RX_RELEASE_32, 0, 0, 0);

	(void)state;
	negotiate_1_2();
	assert_string_equal(judge(unmap, answer(unmap, FFA_SUCCESS_32, 0), NULL), "rxtx-state");
	assert_string_equal(judge(release_rx, answer(release_rx, FFA_SUCCESS_32, 0), NULL), "rxtx-state");
	map_from(VM);
	/* An SMC64 call: a v1.2 caller's x8-x17 come back zero. */
	assert_string_equal(judge(map, (struct smccc_regs){.x = {FFA_SUCCESS_32}}, NULL), "rxtx-state");
}

static void list_again(struct smccc_regs *r)
{
	r->x[0] = FFA_SUCCESS_32, r->x[2] = 6, r->x[3] = 24;
}

/* §6.2.2: a call that fills RX does not succeed while the VM owns it (BUSY). */
static void test_model_rx_busy(void **state)
{
	struct smccc_regs get = call3(FFA_PARTITION_INFO_GET_32, 0, 0, 0), again;

	(void)state;
	negotiate_1_2();
	map_from(VM);
	real(get);
	again = real(get);
	assert_true(ffa_is_error(&again, FFA_BUSY));
	assert_string_equal(tampered_from(VM, get, list_again), "rx-busy");
}

/* --- direct messaging --- */

static void other_responder(struct smccc_regs *r)
{
	r->x[1] = ffa_sender_receiver(SP2, VM);
}

/* §15.3: the response comes from the partition asked, to the sender that asked. */
static void test_model_direct_response_endpoints(void **state)
{
	struct smccc_regs req = call3(FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM, SP1), 0, 7);

	(void)state;
	negotiate_1_2();
	real(req);
	assert_string_equal(tampered_from(VM, req, other_responder), "direct-response-endpoints");
}

/* §7, §14.1: a request a partition left unfinished is finished for the VM that made it, only. */
static void test_model_direct_unfinished(void **state)
{
	struct smccc_regs req = call3(FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM, SP1), 0, 7);
	struct smccc_regs run = call3(FFA_RUN_32, ffa_target_info(SP1, 0), 0, 0);
	struct smccc_regs done = keeping(run, (struct smccc_regs){
		.x = {FFA_MSG_SEND_DIRECT_RESP_32, ffa_sender_receiver(SP1, OTHER_VM), 0, 7}});

	(void)state;
	negotiate_1_2_from(OTHER_VM);
	negotiate_1_2();
	spmc_set_behaviour(&fm.spmc, SP1, (struct spmc_behaviour){.kind = SPMC_BEHAVE_YIELD});
	assert_int_equal(real(req).x[0], FFA_YIELD_32);
	real_from(OTHER_VM, run); /* refused: not its request */
	assert_string_equal(judge_from(OTHER_VM, run, done, NULL), "direct-unfinished");
	done.x[1] = ffa_sender_receiver(SP1, VM);
	assert_string_equal(judge_from(OTHER_VM, run, done, NULL), "direct-unfinished");
}

/* --- indirect messaging --- */

static void payload_lost(struct smccc_regs *r)
{
	(void)r;
	rx_of(OTHER_VM)[HDR_V1_2 + 1] ^= 0xFF;
}

/* §15.6: a SEND2 that succeeded put the whole message, from its sender, in the receiver's RX. */
static void test_model_send2_delivered(void **state)
{
	struct smccc_regs send = call3(FFA_MSG_SEND2_32, 0, 0, 0);
	struct fx_msg m = fx_msg_v1_2(VM, OTHER_VM, 16);

	(void)state;
	both_ready();
	fx_pattern(tx_of(VM) + m.offset, m.size, 3);
	fx_put_header(tx_of(VM), &m);
	assert_string_equal(tampered_from(VM, send, payload_lost), "send2-delivered");
	/* Its RX is the receiver's now: a second message cannot have been delivered. */
	assert_string_equal(judge(send, answer(send, FFA_SUCCESS_32, 0), NULL), "send2-delivered");
}

/*
 * §15.6 (the compliance suite's ffa_msg_send2, checks 5-9): BUSY only while
 * the receiver's RX holds a message: a partition's until it runs.
 */
static void test_model_send2_busy(void **state)
{
	struct smccc_regs send = call3(FFA_MSG_SEND2_32, 0, 0, 0);
	struct fx_msg m = fx_msg_v1_2(VM, SP1, 16);
	struct smccc_regs r;

	(void)state;
	both_ready();
	fx_pattern(tx_of(VM) + m.offset, m.size, 3);
	fx_put_header(tx_of(VM), &m);
	assert_string_equal(judge(send, error(send, FFA_BUSY), NULL), "send2-busy");
	assert_int_equal(real(send).x[0], FFA_SUCCESS_32);
	/* Its RX is full now: BUSY is the answer (real() has the oracle agree). */
	r = real(send);
	assert_true(ffa_is_error(&r, FFA_BUSY));
	r = real(call3(FFA_RUN_32, ffa_target_info(SP1, 0), 0, 0));
	assert_int_equal(r.x[0], FFA_MSG_WAIT_32);
	assert_string_equal(judge(send, error(send, FFA_BUSY), NULL), "send2-busy");
	/* A VM receiver's free RX likewise. */
	m = fx_msg_v1_2(VM, OTHER_VM, 16);
	fx_put_header(tx_of(VM), &m);
	assert_string_equal(judge(send, error(send, FFA_BUSY), NULL), "send2-busy");
}

/* The SPMC shows a new partition notification pending for VM, as if a partition set it. */
static void news_for_vm(void)
{
	spmc_ns_find(&fm.spmc, VM)->notif.pending |= 1ULL << 40;
}

/* ... and the mediator gives VM its SRI. */
static void news_and_sri(void)
{
	news_for_vm();
	model_irq(&fm, VM, FFA_SRI_INTID);
}

/*
 * The rule the oracle names for VM's FFA_ID_GET, answered right, while
 * @between makes news: nothing pending for VM before it, at the SPMC or in
 * the model's record.
 */
static const char *judged_with(void (*between)(void))
{
	struct smccc_regs id_get = call3(FFA_ID_GET_32, 0, 0, 0);

	spmc_ns_find(&fm.spmc, VM)->notif.pending = 0;
	model_vm(&fm, VM)->sp_pending = 0;
	return judge(id_get, answer(id_get, FFA_SUCCESS_32, VM), between);
}

/* VM's FFA_NOTIFICATION_INFO_GET_64 as the model sees it refused (NOT_SUPPORTED: an AArch32 VM's SMC64 form). */
static void refused_info_get(void)
{
	struct smccc_regs info_get = call3(FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0);
	struct model_before b;

	model_before(&fm, VM, &info_get, &b);
	model_check(&fm, VM, &b, &info_get,
		    &(struct smccc_regs){.x = {FFA_ERROR_32, 0, (uint32_t)FFA_NOT_SUPPORTED}});
}

/* DEN0077A v1.2 chapter 10: news for a VM that knows the SRI's ID brings the SRI. */
static void test_model_sri_signalled(void **state)
{
	(void)state;
	negotiate_1_2();
	/* Not told the SRI: news alone breaks nothing; the SRI it gets counts once it is told (bugbench 19's trial). */
	assert_string_equal(judged_with(news_and_sri), "");
	assert_int_equal(real(call3(FFA_FEATURES_32, FFA_FEATURE_SRI, 0, 0)).x[2], FFA_SRI_INTID);
	assert_string_equal(judged_with(news_for_vm), "");
	real(call3(FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0));
	assert_string_equal(judged_with(news_and_sri), "");
	/* Until its INFO_GET, more news needs no new SRI; a refused INFO_GET acknowledges nothing (the ref clean run's false positive). */
	assert_string_equal(judged_with(news_for_vm), "");
	refused_info_get();
	assert_string_equal(judged_with(news_for_vm), "");
	real(call3(FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0));
	assert_string_equal(judged_with(news_for_vm), "sri-signalled");
}

/* --- memory --- */

/* §11: a send's handle is no live transaction's. */
static void test_model_mem_handle_fresh(void **state)
{
	struct ffa_mem_txn t = fx_mem_txn(VM, SP1, SHARED_IPA, 1);
	struct smccc_regs share;
	uint64_t h;

	(void)state;
	negotiate_1_2();
	map_from(VM);
	h = share_with(SP1);
	share = call3(FFA_MEM_SHARE_64, ffa_mem_desc_size(&t, FFA_VERSION_1_2),
		      ffa_mem_desc_size(&t, FFA_VERSION_1_2), 0); /* the same descriptor again */
	assert_string_equal(judge(share, (struct smccc_regs){.x = {FFA_SUCCESS_32, 0, (uint32_t)h, h >> 32}}, NULL),
			    "mem-handle-fresh");
}

/* §16.4: FFA_MEM_FRAG_TX continues only the caller's own send in fragments. */
static void test_model_mem_fragments(void **state)
{
	struct smccc_regs frag = call3(FFA_MEM_FRAG_TX_32, 5, 0, 0x10);

	(void)state;
	negotiate_1_2();
	map_from(VM);
	assert_string_equal(judge(frag, answer(frag, FFA_SUCCESS_32, 5), NULL), "mem-fragments");
	/* VM's own send in fragments goes on after an error to one of them (pKVM, Hafnium: a refused length). */
	fm.model.sending = (struct model_pending_send){.active = true, .sender = VM, .handle = 5};
	assert_string_equal(judge(frag, error(frag, FFA_INVALID_PARAMETERS), NULL), "");
	assert_string_equal(judge(frag, keeping(frag, (struct smccc_regs){.x = {FFA_MEM_FRAG_RX_32, 5, 0, 16}}), NULL), "");
	assert_string_equal(judge_from(OTHER_VM, frag, answer(frag, FFA_SUCCESS_32, 5), NULL), "mem-fragments");
}

/* §16.6-16.8: only a borrower the transaction names retrieves it; only a holder relinquishes. */
static void test_model_mem_retrieve(void **state)
{
	struct smccc_regs retrieve, relinquish = call3(FFA_MEM_RELINQUISH_32, 0, 0, 0);
	uint64_t h;
	uint32_t len;

	(void)state;
	both_ready();
	h = share_with(OTHER_VM);
	len = put_retrieve(VM, h); /* the lender asks as if it were a borrower */
	retrieve = call3(FFA_MEM_RETRIEVE_REQ_64, len, len, 0);
	assert_string_equal(judge(retrieve, (struct smccc_regs){.x = {FFA_MEM_RETRIEVE_RESP_32, len, len}}, NULL),
			    "mem-retrieve");
	put_relinquish(OTHER_VM, h); /* it never retrieved */
	assert_string_equal(judge_from(OTHER_VM, relinquish, answer(relinquish, FFA_SUCCESS_32, 0), NULL),
			    "mem-retrieve");
}

/* The compliance suite's attribute-precedence checks: a retrieve served beyond the lender's attributes. */
static void test_model_mem_retrieve_attributes(void **state)
{
	struct ffa_mem_txn r = fx_mem_txn(VM, OTHER_VM, SHARED_IPA, 1);
	struct smccc_regs retrieve;
	uint32_t len;

	(void)state;
	both_ready();
	r.handle = share_with(OTHER_VM); /* normal write-back inner-shareable memory */
	r.attributes = FFA_MEM_ATTR_TYPE_NORMAL | 3U << FFA_MEM_ATTR_CACHEABILITY_SHIFT | 2U; /* outer */
	len = ffa_mem_desc_write_request(&r, FFA_VERSION_1_2, tx_of(OTHER_VM), FFA_PAGE_SIZE);
	retrieve = call3(FFA_MEM_RETRIEVE_REQ_64, len, len, 0);
	assert_string_equal(judge_from(OTHER_VM, retrieve,
				       (struct smccc_regs){.x = {FFA_MEM_RETRIEVE_RESP_32, len, len}}, NULL),
			    "mem-retrieve");
}

/* The NS bit out of OTHER_VM's retrieve response in its RX (the attributes: byte 2). */
static void ns_bit_lost(struct smccc_regs *r)
{
	(void)r;
	rx_of(OTHER_VM)[2] &= (uint8_t)~FFA_MEM_ATTR_NS;
}

/* The compliance suite's mem_security_state_ns_bit_retrieve_check: NS-bit handling told is NS-bit handling done. */
static void test_model_mem_retrieve_ns_bit(void **state)
{
	struct smccc_regs features = call3(FFA_FEATURES_32, FFA_MEM_RETRIEVE_REQ_64, 0, 0);
	uint64_t h;
	uint32_t len;

	(void)state;
	both_ready();
	assert_int_equal(real_from(OTHER_VM, features).x[2], FFA_FEAT_RETRIEVE_NS_BIT);
	h = share_with(OTHER_VM);
	len = put_retrieve(OTHER_VM, h);
	assert_string_equal(tampered_from(OTHER_VM, call3(FFA_MEM_RETRIEVE_REQ_64, len, len, 0), ns_bit_lost),
			    "mem-retrieve");
}

/* VM's send (@fid) of its page @page to @to with @perms and @flags, written to its TX: the call. */
static struct smccc_regs send_of(uint32_t fid, uint32_t page, ffa_id_t to, uint8_t perms, uint32_t flags)
{
	struct ffa_mem_txn t = fx_mem_txn(VM, to, FUZZ_VM_IPA + page * FFA_PAGE_SIZE, 1);
	uint32_t len;

	t.receivers[0].perms = perms;
	t.flags = flags;
	fx_mem_attributes_for(&t, fid);
	len = ffa_mem_desc_write(&t, FFA_VERSION_1_2, tx_of(VM), FFA_PAGE_SIZE);
	return call3(fid, len, len, 0);
}

#define RO_PAGE FUZZ_VM_RAM_PAGES
#define DEVICE_PAGE (FUZZ_VM_RAM_PAGES + FUZZ_VM_RO_PAGES)

/* The compliance suite's read-only and MMIO send checks (mediator/src/memory.c check_kinds()). */
static void test_model_mem_page_kinds(void **state)
{
	struct smccc_regs ok, send, reclaim;
	uint64_t h;

	(void)state;
	both_ready();
	/* The SUCCESS each wrong send gets carries a handle ref's records hold (share-success-handle). */
	h = share_with(SP1);
	ok = (struct smccc_regs){.x = {FFA_SUCCESS_32, 0, (uint32_t)h, h >> 32}};
	send = send_of(FFA_MEM_SHARE_64, DEVICE_PAGE, SP1, FFA_DATA_ACCESS_RW, 0);
	assert_string_equal(judge(send, ok, NULL), "mem-page-kinds"); /* a device to a partition */
	send = send_of(FFA_MEM_DONATE_64, DEVICE_PAGE, OTHER_VM, 0, 0);
	assert_string_equal(judge(send, ok, NULL), "mem-page-kinds"); /* a device donated */
	send = send_of(FFA_MEM_SHARE_64, RO_PAGE, OTHER_VM, FFA_DATA_ACCESS_RW, 0);
	assert_string_equal(judge(send, ok, NULL), "mem-page-kinds"); /* write access to read-only */
	send = send_of(FFA_MEM_LEND_64, RO_PAGE, OTHER_VM, FFA_DATA_ACCESS_RO, FFA_MEM_FLAG_ZERO_MEMORY);
	assert_string_equal(judge(send, ok, NULL), "mem-page-kinds"); /* zeroing read-only */
	/* What the suite allows is quiet: a device lent to a VM, a read-only page lent read-only ... */
	assert_true(fuzz_machine_init(&fm, &prog));
	both_ready();
	assert_int_equal(real(send_of(FFA_MEM_LEND_64, DEVICE_PAGE, OTHER_VM, FFA_DATA_ACCESS_RW, 0)).x[0],
			 FFA_SUCCESS_32);
	h = handle_of(real(send_of(FFA_MEM_LEND_64, RO_PAGE, OTHER_VM, FFA_DATA_ACCESS_RO, 0)));
	/* ... but not its reclaim zeroing it. */
	reclaim = call3(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, FFA_MEM_FLAG_ZERO_MEMORY);
	assert_string_equal(judge(reclaim, answer(reclaim, FFA_SUCCESS_32, 0), NULL), "mem-page-kinds");
}

/* §16.9: reclaim only what no VM borrower holds, and the pages are the lender's again. */
static void test_model_mem_reclaim(void **state)
{
	struct smccc_regs reclaim;
	uint64_t h, sp_h;
	uint32_t len;

	(void)state;
	both_ready();
	h = share_with(OTHER_VM);
	len = put_retrieve(OTHER_VM, h);
	assert_int_equal(real_from(OTHER_VM, call3(FFA_MEM_RETRIEVE_REQ_64, len, len, 0)).x[0],
			 FFA_MEM_RETRIEVE_RESP_32);
	reclaim = call3(FFA_MEM_RECLAIM_32, (uint32_t)h, h >> 32, 0);
	assert_string_equal(judge(reclaim, answer(reclaim, FFA_SUCCESS_32, 0), NULL), "mem-reclaim");
	assert_true(fuzz_machine_init(&fm, &prog));
	negotiate_1_2();
	map_from(VM);
	sp_h = share_with(SP1);
	reclaim = call3(FFA_MEM_RECLAIM_32, (uint32_t)sp_h, sp_h >> 32, 0);
	/* SUCCESS, yet the page is still shared */
	assert_string_equal(judge(reclaim, answer(reclaim, FFA_SUCCESS_32, 0), NULL), "mem-reclaim");
}

/* --- notifications --- */

/* §17.2-17.4: bits bound to one sender; a VM's SET only of bits bound to it. */
static void test_model_notification_bindings(void **state)
{
	struct smccc_regs bind = call3(FFA_NOTIFICATION_BIND_32, ffa_sender_receiver(SP1, VM), 0, 1);
	struct smccc_regs set = call3(FFA_NOTIFICATION_SET_32, ffa_sender_receiver(OTHER_VM, VM), 0, 1 << 5);

	(void)state;
	negotiate_1_2_from(OTHER_VM);
	negotiate_1_2();
	assert_int_equal(real(bind).x[0], FFA_SUCCESS_32);
	bind.x[1] = ffa_sender_receiver(SP2, VM);
	assert_string_equal(judge(bind, answer(bind, FFA_SUCCESS_32, 0), NULL), "notification-bindings");
	assert_string_equal(judge_from(OTHER_VM, set, answer(set, FFA_SUCCESS_32, 0), NULL),
			    "notification-bindings");
	/* A partition that bound bit 0 to VM takes that bit from VM (real() agrees), not bit 5. */
	assert_int_equal(spmc_sp_bind(&fm.spmc, SP1, VM, 0x1, false), FFA_OK);
	set = call3(FFA_NOTIFICATION_SET_32, ffa_sender_receiver(VM, SP1), 0, 1);
	assert_int_equal(real(set).x[0], FFA_SUCCESS_32);
	set.x[3] = 1 << 5;
	assert_string_equal(judge(set, answer(set, FFA_SUCCESS_32, 0), NULL), "notification-bindings");
}

static void nothing_got(struct smccc_regs *r)
{
	r->x[2] = 0;
}

/* §17.5: GET returns exactly what is pending for the caller, and it is pending no more. */
static void test_model_notification_get_exact(void **state)
{
	struct smccc_regs bind = call3(FFA_NOTIFICATION_BIND_32, ffa_sender_receiver(SP1, VM), 0, 1);
	struct smccc_regs req = call3(FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(VM, SP1), 0, 7);
	struct smccc_regs get = call3(FFA_NOTIFICATION_GET_32, VM, FFA_NOTIFICATION_GET_SP, 0), got;

	(void)state;
	negotiate_1_2();
	assert_int_equal(real(bind).x[0], FFA_SUCCESS_32);
	spmc_set_behaviour(&fm.spmc, SP1, (struct spmc_behaviour){.kind = SPMC_BEHAVE_NOTIFY, .arg = 1});
	real(req); /* the partition pends bit 0 for VM */
	assert_string_equal(tampered_from(VM, get, nothing_got), "notification-get-exact");
	real(req);
	got = real(get);
	assert_int_equal(got.x[2], 1);
	assert_string_equal(judge(get, got, NULL), "notification-get-exact"); /* got twice */
}

/*
 * The deep-state seed corpus/seq/memory-vm-lend-lifecycle takes a lend
 * between two VMs through the borrower's retrieve and relinquish (each
 * naming the handle the send's reply carried: FUZZ_HANDLE_MARK) to the
 * lender's reclaim, and the model follows every step.
 */
static void test_model_follows_a_lend_between_vms(void **state)
{
	static const enum model_transition steps[] = {MODEL_T_MEM_SENT, MODEL_T_MEM_RETRIEVED,
						      MODEL_T_MEM_RELINQUISHED, MODEL_T_MEM_RECLAIMED,
						      MODEL_T_RXTX_UNMAPPED};
	static uint8_t bytes[8192];
	static struct fuzz_program lifecycle;
	static struct smccc_regs replies[FUZZ_MAX_CALLS];
	unsigned long before[5];
	FILE *f = fopen("corpus/seq/memory-vm-lend-lifecycle", "rb");
	size_t n;

	(void)state;
	assert_non_null(f);
	n = fread(bytes, 1, sizeof(bytes), f);
	fclose(f);
	fuzz_decode(fuzz_abi_set("seq"), bytes, n, &lifecycle);
	for (unsigned i = 0; i < 5; i++) {
		before[i] = model_counted(steps[i]);
	}
	fuzz_run(&fm, &lifecycle, replies);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(model_counted(steps[i]), before[i] + (i == 4 ? 2 : 1));
	}
	assert_int_equal(replies[5].x[0], FFA_MEM_RETRIEVE_RESP_32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_model_features_honoured, fresh),
		cmocka_unit_test_setup(test_model_features_stable, fresh),
		cmocka_unit_test_setup(test_model_id_get_own, fresh),
		cmocka_unit_test_setup(test_model_partition_list, fresh),
		cmocka_unit_test_setup(test_model_partition_list_regs, fresh),
		cmocka_unit_test_setup(test_model_rxtx_state, fresh),
		cmocka_unit_test_setup(test_model_rx_busy, fresh),
		cmocka_unit_test_setup(test_model_direct_response_endpoints, fresh),
		cmocka_unit_test_setup(test_model_direct_unfinished, fresh),
		cmocka_unit_test_setup(test_model_send2_delivered, fresh),
		cmocka_unit_test_setup(test_model_send2_busy, fresh),
		cmocka_unit_test_setup(test_model_sri_signalled, fresh),
		cmocka_unit_test_setup(test_model_mem_handle_fresh, fresh),
		cmocka_unit_test_setup(test_model_mem_fragments, fresh),
		cmocka_unit_test_setup(test_model_mem_retrieve, fresh),
		cmocka_unit_test_setup(test_model_mem_retrieve_ns_bit, fresh),
		cmocka_unit_test_setup(test_model_mem_retrieve_attributes, fresh),
		cmocka_unit_test_setup(test_model_mem_page_kinds, fresh),
		cmocka_unit_test_setup(test_model_mem_reclaim, fresh),
		cmocka_unit_test_setup(test_model_notification_bindings, fresh),
		cmocka_unit_test_setup(test_model_notification_get_exact, fresh),
		cmocka_unit_test_setup(test_model_follows_a_lend_between_vms, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
