/*
 * FFA_MSG_SEND2 through the mediator (mediator/src/indirect_messaging.c):
 * the relay to a secure partition, every error the mediator answers itself
 * and the single read of the header (Xen X11). VM-to-VM delivery is in
 * test_vm_to_vm_messaging.c, partitions sending to VMs in test_send_back.c.
 *
 * Sources: DEN0077A v1.2 §"FFA_MSG_SEND2" (errors transcribed in the brief:
 * INVALID_PARAMETERS for w1 at a virtual instance, a bad sender/receiver,
 * offset below the header size, a payload outside TX, an unknown UUID; BUSY
 * for a receiver RX that is not free; DENIED for a receiver without
 * indirect messaging; NO_MEMORY), §"Partition message header" (ffa-facts.md
 * §3.5), ffa-facts.md §2 and §5.3 (Xen SEND2), §6.2 X10 and X11. The default
 * manifest: 0x8001 and 0x8002 take indirect messages, 0x8003 and 0x8004 do not.
 */
#include "fixture.h"
#include "ffa/notif_info.h"

#include <string.h>

#define SP1 0x8001U /* crypto: indirect-msg, UUID_CRYPTO */
#define SP2 0x8002U /* storage: indirect-msg */
#define SP3 0x8003U /* multi-service: no indirect-msg */
#define SP4 0x8004U /* legacy: no indirect-msg */

#define V1_0 FFA_VERSION_1_0
#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2

/* Partition @sp has received @count messages, the last from @sender: @size bytes of @seed. */
static void assert_sp_got(struct fixture *f, ffa_id_t sp, uint32_t count, ffa_id_t sender,
			  uint32_t size, uint8_t seed)
{
	const struct spmc_sp *st = spmc_sp_state(&f->spmc, sp);
	uint8_t want[SPMC_MSG_CAPTURE] = {0};

	assert_non_null(st);
	assert_int_equal(st->msg_count, count);
	assert_int_equal(st->msg_sender, sender);
	assert_int_equal(st->msg_size, size);
	fx_pattern(want, size < SPMC_MSG_CAPTURE ? size : SPMC_MSG_CAPTURE, seed);
	assert_memory_equal(st->msg, want, sizeof(want));
}

static void assert_sp_got_nothing(struct fixture *f, ffa_id_t sp)
{
	assert_int_equal(spmc_sp_state(&f->spmc, sp)->msg_count, 0);
}

/* @vm, the scheduler, runs @sp's vCPU 0: it reads and releases its message and waits. */
static void run_sp(struct fixture *f, ffa_id_t vm, ffa_id_t sp)
{
	struct smccc_regs r = fx_call(f, vm, FFA_RUN_32, (uint32_t)sp << 16, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_MSG_WAIT_32);
	assert_false(spmc_sp_state(&f->spmc, sp)->rx_full);
}

/* --- to a partition: what succeeds --- */

/* DEN0077A FFA_MSG_SEND2 + §"Partition message header" v1.2: 40-byte header, offset 40. */
static void test_msg_send2_v1_2_to_sp_delivered(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 32);

	(void)state;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x11));
	assert_sp_got(f, SP1, 1, GUEST1, 32, 0x11);
	assert_sp_got_nothing(f, SP2);
	/* The VM's own buffers are untouched by a relay. */
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * §15.6 FFA_MSG_SEND2, the compliance suite's v1.1 ffa_msg_send2 (checks 5-9):
 * the message fills the partition's RX; until the partition runs, a second
 * one is BUSY; the scheduler learns from INFO_GET that the partition has
 * news (its RX-full SPM framework notification), runs it (FFA_MSG_WAIT once
 * it read and released the message), and the next message arrives.
 */
static void test_msg_send2_to_sp_busy_until_run(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 32);
	struct ffa_info_list lists[FFA_NOTIF_INFO_MAX_IDS_64];
	struct smccc_regs r;

	(void)state;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x11));
	m.size = 7;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 0x22), FFA_BUSY);
	assert_sp_got(f, SP1, 1, GUEST1, 32, 0x11);

	r = fx_call(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0);
	assert_int_equal(ffa_info_lists_decode(&r, true, lists), 1);
	assert_int_equal(lists[0].id, SP1);
	assert_int_equal(lists[0].vcpu_count, 0);
	/* Told once. */
	fx_assert_info_get_no_data(f, GUEST1);

	run_sp(f, GUEST1, SP1);
	assert_int_equal(spmc_sp_state(&f->spmc, SP1)->notif.framework, 0);

	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x22));
	assert_sp_got(f, SP1, 2, GUEST1, 7, 0x22);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * §"Partition message header" v1.1 (ffa-facts.md §3.5): a v1.1 caller's header
 * is 20 bytes; bytes 20..39 are its payload, never a UUID (here they would be
 * an unknown UUID, which would be INVALID_PARAMETERS).
 */
static void test_msg_send2_v1_1_header_rest_is_payload(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_1, 0);
	struct fx_msg m = fx_msg_v1_1(GUEST1, SP1, 40);
	uint8_t *tx;

	(void)state;
	fx_put_msg(f, GUEST1, &m, 0xA5);
	tx = fx_tx(f, GUEST1);
	assert_int_not_equal(tx[24], 0); /* where a v1.2 UUID would start */
	fx_assert_send2_ok(fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0));
	assert_sp_got(f, SP1, 1, GUEST1, 40, 0xA5);
	/* To 0x8002, a v1.1 partition, as well. */
	m.receiver = SP2;
	m.size = 3;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x5A));
	assert_sp_got(f, SP2, 1, GUEST1, 3, 0x5A);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 v1.2 header UUID: one of the receiver's services is accepted. */
static void test_msg_send2_receiver_uuid_ok(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 16);

	(void)state;
	m.uuid = fx_uuid(UUID_CRYPTO);
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x31));
	assert_sp_got(f, SP1, 1, GUEST1, 16, 0x31);
	m.receiver = SP2;
	m.uuid = fx_uuid(UUID_STORAGE);
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x32));
	assert_sp_got(f, SP2, 1, GUEST1, 16, 0x32);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: "unrecognized UUID" -> INVALID_PARAMETERS (another SP's UUID too). */
static void test_msg_send2_unknown_uuid_invalid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 16);

	(void)state;
	m.uuid = fx_uuid(FOREIGN_UUID);
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	m.uuid = fx_uuid(UUID_STORAGE); /* 0x8002's, not 0x8001's */
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	assert_sp_got_nothing(f, SP1);
	assert_sp_got_nothing(f, SP2);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §3.5 (Xen: offset >= header size): a payload after a gap is taken from the offset. */
static void test_msg_send2_offset_above_header_ok(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 16);
	uint8_t *tx = fx_tx(f, GUEST1);

	(void)state;
	memset(tx + HDR_V1_2, 0xCC, 64 - HDR_V1_2); /* the gap: not the payload */
	m.offset = 64;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x40));
	assert_sp_got(f, SP1, 1, GUEST1, 16, 0x40);
	/* A v1.1 caller's offset above 20 as well. */
	fixture_free(f);
	f = fixture_mailboxes(V1_1, 0);
	m = fx_msg_v1_1(GUEST1, SP1, 9);
	m.offset = 21;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x41));
	assert_sp_got(f, SP1, 1, GUEST1, 9, 0x41);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 w2: bit 1 "delay Schedule Receiver Interrupt" is a valid flag. */
static void test_msg_send2_delay_sri_flag_ok(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 4);

	(void)state;
	fx_put_msg(f, GUEST1, &m, 0x77);
	fx_assert_send2_ok(
		fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0, FFA_MSG_SEND2_DELAY_SRI, 0, 0, 0));
	assert_sp_got(f, SP1, 1, GUEST1, 4, 0x77);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §3.5 (Hafnium f1dd1e13): header + payload may fill the 4K relay buffer exactly. */
static void test_msg_send2_payload_fills_page_ok(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, FFA_PAGE_SIZE - HDR_V1_2);

	(void)state;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x09));
	assert_sp_got(f, SP1, 1, GUEST1, FFA_PAGE_SIZE - HDR_V1_2, 0x09);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- the relay copy --- */

struct recorded_send2 {
	unsigned count;
	struct smccc_regs req;          /* the forwarded FFA_MSG_SEND2 */
	uint8_t hyp_tx[HDR_V1_2 + 16]; /* the hypervisor's TX when it was forwarded */
	struct fixture *f;
};

static void record_send2(void *ctx, const struct mediator_event *ev)
{
	struct recorded_send2 *rec = ctx;
	const uint8_t *tx;

	if (rec->f == NULL || ev->kind != MEDIATOR_EV_SPMC_CALL ||
	    ffa_func(ev->regs) != FFA_MSG_SEND2_32) {
		return;
	}
	tx = mem_map(&rec->f->mem, rec->f->m.hyp_mailbox.tx_pa, 1, MEM_OWNER_HYP,
		     MEM_PAGE_MAILBOX);
	assert_non_null(tx);
	rec->count++;
	rec->req = *ev->regs;
	memcpy(rec->hyp_tx, tx, sizeof(rec->hyp_tx));
}

/*
 * indirect_messaging.c header, ffa-facts.md §2 SEND2 w1[31:16] and §3.5 (Xen
 * e040b94d0f): the relay is a v1.2 header at offset 40 in the hypervisor's
 * TX, w1 = VM ID << 16, w2 carried; a v1.1 sender's UUID is Nil.
 */
static void test_msg_send2_relay_is_v1_2_header_in_hyp_tx(void **state)
{
	struct recorded_send2 rec = {0};
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;
	struct fx_msg m = fx_msg_v1_1(GUEST1, SP1, 16);

	(void)state;
	cfg.observe = record_send2;
	cfg.observe_ctx = &rec;
	f = fixture_with(&cfg);
	rec.f = f;
	fx_negotiate(f, GUEST1, V1_1);
	fx_map_rxtx(f, GUEST1);
	m.offset = 28; /* a gap at 20..27, the payload at 28: where a v1.2 UUID would be */
	memset(fx_tx(f, GUEST1) + HDR_V1_1, 0xEE, 8);
	fx_put_msg(f, GUEST1, &m, 0x66);
	memset(fx_tx(f, GUEST1), 0xFF, 8); /* flags and reserved: SBZ, dropped by the relay */
	fx_assert_send2_ok(
		fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0, FFA_MSG_SEND2_DELAY_SRI, 0, 0, 0));
	assert_int_equal(rec.count, 1);
	assert_int_equal(rec.req.x[1], (uint64_t)GUEST1 << 16);
	assert_int_equal(rec.req.x[2], FFA_MSG_SEND2_DELAY_SRI);
	assert_int_equal(fx_rd32(rec.hyp_tx + 0), 0);
	assert_int_equal(fx_rd32(rec.hyp_tx + 4), 0);
	assert_int_equal(fx_rd32(rec.hyp_tx + 8), HDR_V1_2);
	assert_int_equal(fx_rd32(rec.hyp_tx + 12), ffa_sender_receiver(GUEST1, SP1));
	assert_int_equal(fx_rd32(rec.hyp_tx + 16), 16);
	assert_int_equal(fx_rd32(rec.hyp_tx + 20), 0);
	for (unsigned i = 24; i < HDR_V1_2; i++) {
		assert_int_equal(rec.hyp_tx[i], 0);
	}
	fx_assert_pattern(rec.hyp_tx + HDR_V1_2, 16, 0x66);
	assert_sp_got(f, SP1, 1, GUEST1, 16, 0x66);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- to a partition: every error --- */

/*
 * ffa-facts.md §2 SEND2: w1[31:16] is the sender a hypervisor forwards for;
 * from a VM, anything but 0 or its own ID there is INVALID_PARAMETERS.
 */
static void test_msg_send2_w1_nonzero_invalid(void **state)
{
	static const uint32_t w1s[] = {(uint32_t)GUEST2 << 16, ((uint32_t)GUEST1 << 16) | 1, 1, SP1,
				       0x80000000U};
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 8);

	(void)state;
	fx_put_msg(f, GUEST1, &m, 1);
	for (unsigned i = 0; i < sizeof(w1s) / sizeof(w1s[0]); i++) {
		assert_ffa_error(fx_call(f, GUEST1, FFA_MSG_SEND2_32, w1s[i], 0, 0, 0, 0),
				 FFA_INVALID_PARAMETERS);
	}
	assert_sp_got_nothing(f, SP1);
	/* x1[63:32] is not w1 (SMC32): ignored. */
	fx_assert_send2_ok(fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0xFFFFFFFF00000000ULL, 0, 0, 0, 0));
	assert_sp_got(f, SP1, 1, GUEST1, 8, 1);
	/* The caller's own ID in w1[31:16], the compliance suite's form, is accepted. */
	run_sp(f, GUEST1, SP1);
	fx_assert_send2_ok(fx_call(f, GUEST1, FFA_MSG_SEND2_32, (uint32_t)GUEST1 << 16, 0, 0, 0, 0));
	assert_sp_got(f, SP1, 2, GUEST1, 8, 1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 w2: every bit but bit 1 (delay SRI) MBZ -> INVALID_PARAMETERS. */
static void test_msg_send2_w2_mbz_invalid(void **state)
{
	static const uint32_t w2s[] = {1U << 0, 1U << 2, FFA_MSG_SEND2_DELAY_SRI | 1U,
				       FFA_MSG_SEND2_DELAY_SRI | 4U, 0x80000000U, 0xFFFFFFFFU};
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 8);

	(void)state;
	fx_put_msg(f, GUEST1, &m, 1);
	for (unsigned i = 0; i < sizeof(w2s) / sizeof(w2s[0]); i++) {
		assert_ffa_error(fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0, w2s[i], 0, 0, 0),
				 FFA_INVALID_PARAMETERS);
	}
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* Xen X10 (ffa-facts.md §6.2): SEND2 with no TX buffer mapped -> DENIED, no dereference. */
static void test_msg_send2_no_tx_denied(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	assert_ffa_error(fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0), FFA_DENIED);
	/* ... and after the pair was unmapped again. */
	fx_map_rxtx(f, GUEST1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_ffa_error(fx_call(f, GUEST1, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: offset smaller than the (v1.2, 40-byte) header -> INVALID_PARAMETERS. */
static void test_msg_send2_offset_below_v1_2_header_invalid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 8);

	(void)state;
	for (uint32_t off = 0; off < HDR_V1_2; off++) {
		m.offset = off;
		assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	}
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: offset smaller than the v1.1 20-byte header -> INVALID_PARAMETERS. */
static void test_msg_send2_offset_below_v1_1_header_invalid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_1, 0);
	struct fx_msg m = fx_msg_v1_1(GUEST1, SP1, 8);

	(void)state;
	for (uint32_t off = 0; off < HDR_V1_1; off++) {
		m.offset = off;
		assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	}
	assert_sp_got_nothing(f, SP1);
	m.offset = HDR_V1_1;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 2));
	assert_sp_got(f, SP1, 1, GUEST1, 8, 2);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §3.5 (Xen: size != 0): an empty message -> INVALID_PARAMETERS. */
static void test_msg_send2_size_zero_invalid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 0);

	(void)state;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: "payload does not fit the TX buffer" -> INVALID_PARAMETERS. */
static void test_msg_send2_payload_beyond_tx_invalid(void **state)
{
	static const struct {
		uint32_t offset, size;
	} cases[] = {{HDR_V1_2, FFA_PAGE_SIZE - HDR_V1_2 + 1}, {FFA_PAGE_SIZE - 1, 2},
		     {FFA_PAGE_SIZE, 1}, {HDR_V1_2, 0x10000}, {0x10000, 8}};
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 8);

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m.offset = cases[i].offset;
		m.size = cases[i].size;
		assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	}
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* Xen X10 (df8a0eec1c wrapping u32 add): offset + size past 2^32 -> INVALID_PARAMETERS. */
static void test_msg_send2_offset_size_wrap_invalid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 0x20);

	(void)state;
	m.offset = 0xFFFFFFF0U;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	m.offset = HDR_V1_2;
	m.size = 0xFFFFFFF0U;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	m.offset = 0xFFFFFFFFU;
	m.size = 0xFFFFFFFFU;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: a header sender that is not the caller -> INVALID_PARAMETERS. */
static void test_msg_send2_sender_not_caller_invalid(void **state)
{
	static const ffa_id_t senders[] = {GUEST2, HOST, SP2, 7};
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 8);

	(void)state;
	for (unsigned i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
		m.sender = senders[i];
		assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	}
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §5.3 (Xen: dst != self): the caller as receiver -> INVALID_PARAMETERS. */
static void test_msg_send2_receiver_is_caller_invalid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST1, 8);

	(void)state;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_int_equal(f->m.vms[GUEST1].hyp_framework_pending, 0);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: an invalid receiver (no such SP, VM, or the SPMC) -> INVALID_PARAMETERS. */
static void test_msg_send2_unknown_receiver_invalid(void **state)
{
	static const ffa_id_t receivers[] = {0x8009, 7, 0x8000, 0xFFFF};
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 8);

	(void)state;
	for (unsigned i = 0; i < sizeof(receivers) / sizeof(receivers[0]); i++) {
		m.receiver = receivers[i];
		assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_INVALID_PARAMETERS);
	}
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2: receiver without the indirect-message property -> DENIED. */
static void test_msg_send2_receiver_without_indirect_msg_denied(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP3, 8);

	(void)state;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_DENIED);
	m.receiver = SP4;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_DENIED);
	/* A UUID of 0x8003's own does not change that. */
	m.receiver = SP3;
	m.uuid = fx_uuid(UUID_MULTI1);
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_DENIED);
	assert_sp_got_nothing(f, SP3);
	assert_sp_got_nothing(f, SP4);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §2: FFA_MSG_SEND2 is v1.1; a v1.0 caller gets NOT_SUPPORTED. */
static void test_msg_send2_v1_0_caller_not_supported(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_0, 0);
	struct fx_msg m = fx_msg_v1_1(GUEST1, SP1, 8);

	(void)state;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_NOT_SUPPORTED);
	assert_sp_got_nothing(f, SP1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 NO_MEMORY; ffa-facts.md §3.5 (max payload 4096 - header): too big to relay. */
static void test_msg_send2_larger_than_relay_no_memory(void **state)
{
	struct fixture *f = fixture_two_page_pairs();
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, FFA_PAGE_SIZE);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_map_two_pages(f, GUEST1);
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_NO_MEMORY);
	m.size = FFA_PAGE_SIZE - HDR_V1_2 + 1;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_NO_MEMORY);
	assert_sp_got_nothing(f, SP1);
	m.size = FFA_PAGE_SIZE - HDR_V1_2;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 3));
	assert_sp_got(f, SP1, 1, GUEST1, FFA_PAGE_SIZE - HDR_V1_2, 3);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- the header is read once (Xen X11) --- */

/* Xen X11 (c447b7308b): a header rewritten after the checks never reaches the partition. */
static void test_msg_send2_header_read_once_to_sp(void **state)
{
	struct fx_tamper t = {.on_fid = FFA_MSG_SEND2_32, .vm = GUEST1};
	struct fixture *f = fixture_tampered(&t);
	struct fx_msg m = fx_msg_v1_2(GUEST1, SP1, 24);

	(void)state;
	t.evil = fx_msg_v1_2(GUEST2, SP2, FFA_PAGE_SIZE);
	t.evil.offset = 0;
	fx_negotiate(f, GUEST1, V1_2);
	fx_map_rxtx(f, GUEST1);
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x3C));
	assert_int_equal(t.hits, 1);
	assert_sp_got(f, SP1, 1, GUEST1, 24, 0x3C);
	assert_sp_got_nothing(f, SP2);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_teardown(name, fixture_teardown_leftover)
	const struct CMUnitTest tests[] = {
		T(test_msg_send2_v1_2_to_sp_delivered),
		T(test_msg_send2_to_sp_busy_until_run),
		T(test_msg_send2_v1_1_header_rest_is_payload),
		T(test_msg_send2_receiver_uuid_ok),
		T(test_msg_send2_unknown_uuid_invalid),
		T(test_msg_send2_offset_above_header_ok),
		T(test_msg_send2_delay_sri_flag_ok),
		T(test_msg_send2_payload_fills_page_ok),
		T(test_msg_send2_relay_is_v1_2_header_in_hyp_tx),
		T(test_msg_send2_w1_nonzero_invalid),
		T(test_msg_send2_w2_mbz_invalid),
		T(test_msg_send2_no_tx_denied),
		T(test_msg_send2_offset_below_v1_2_header_invalid),
		T(test_msg_send2_offset_below_v1_1_header_invalid),
		T(test_msg_send2_size_zero_invalid),
		T(test_msg_send2_payload_beyond_tx_invalid),
		T(test_msg_send2_offset_size_wrap_invalid),
		T(test_msg_send2_sender_not_caller_invalid),
		T(test_msg_send2_receiver_is_caller_invalid),
		T(test_msg_send2_unknown_receiver_invalid),
		T(test_msg_send2_receiver_without_indirect_msg_denied),
		T(test_msg_send2_v1_0_caller_not_supported),
		T(test_msg_send2_larger_than_relay_no_memory),
		T(test_msg_send2_header_read_once_to_sp),
	};

	return cmocka_run_group_tests_name("indirect_messaging", tests, NULL, NULL);
}
