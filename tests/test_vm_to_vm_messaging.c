/*
 * FFA_MSG_SEND2 from one VM to another through the mediator
 * (mediator/src/indirect_messaging.c "To another VM"): delivery into the
 * receiver's RX buffer with a header of the receiver's version, the RX-full
 * hypervisor framework notification, BUSY and NO_MEMORY, and the single read
 * of the sender's header while the mediator takes the receiver's RX (Xen X11).
 * The relay to partitions and the checks every SEND2 passes are in
 * test_indirect_messaging.c.
 *
 * Sources: DEN0077A v1.2 §"FFA_MSG_SEND2" (BUSY: receiver RX not free;
 * NO_MEMORY), §"Partition message header" (ffa-facts.md §3.5), the
 * notifications chapter (FFA_NOTIFICATION_GET w7, bit 0 RX full;
 * FFA_NOTIFICATION_INFO_GET), ffa-facts.md §5.3 (Xen SEND2) and §6.2 X11.
 */
#include "fixture.h"

#include <string.h>

#define HDR_V1_1 20U
#define HDR_V1_2 40U
#define FOREIGN_UUID "deadbeef-0000-4000-8000-000000000001"

#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2

/* A partition message header as a test writes it into a TX buffer. */
struct msg {
	uint32_t hsize; /* bytes of the header written: 20 (v1.1) or 40 (v1.2) */
	uint32_t offset;
	ffa_id_t sender;
	ffa_id_t receiver;
	uint32_t size;
	struct ffa_uuid uuid;
};

static struct msg msg_v1_2(ffa_id_t from, ffa_id_t to, uint32_t size)
{
	return (struct msg){.hsize = HDR_V1_2, .offset = HDR_V1_2, .sender = from, .receiver = to,
			    .size = size};
}

static struct msg msg_v1_1(ffa_id_t from, ffa_id_t to, uint32_t size)
{
	return (struct msg){.hsize = HDR_V1_1, .offset = HDR_V1_1, .sender = from, .receiver = to,
			    .size = size};
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* @vm's mapped TX buffer, as the VM writes it. */
static uint8_t *tx_of(struct fixture *f, ffa_id_t vm)
{
	const struct mailbox *mb = fx_mailbox(f, vm);
	uint8_t *tx;

	assert_true(mb->mapped);
	tx = mem_map(&f->mem, mb->tx_pa, mb->page_count, vm, MEM_PAGE_MAILBOX);
	assert_non_null(tx);
	return tx;
}

static void put_header(uint8_t *tx, const struct msg *m)
{
	struct ffa_partition_msg_header h = {
		.offset = m->offset,
		.sender_receiver = ffa_sender_receiver(m->sender, m->receiver),
		.size = m->size,
		.uuid = m->uuid,
	};

	memcpy(tx, &h, m->hsize);
}

/* A payload that is nowhere zero: byte i is @seed + 13 i. */
static void pattern(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(seed + i * 13U);
	}
}

/* Put @m->size bytes of pattern @seed at @m->offset (as far as TX goes), then the header. */
static void put_msg(struct fixture *f, ffa_id_t vm, const struct msg *m, uint8_t seed)
{
	uint8_t *tx = tx_of(f, vm);
	uint32_t room = fx_mailbox(f, vm)->page_count * FFA_PAGE_SIZE;

	if (m->offset < room) {
		pattern(tx + m->offset, min_u32(m->size, room - m->offset), seed);
	}
	put_header(tx, m);
}

static struct smccc_regs send2(struct fixture *f, ffa_id_t vm, const struct msg *m, uint8_t seed)
{
	put_msg(f, vm, m, seed);
	return fx_call(f, vm, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
}

/* FFA_SUCCESS_32 with every result register zero (DEN0077A FFA_MSG_SEND2: no results). */
static void assert_send2_ok(struct smccc_regs r)
{
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < 8; i++) {
		assert_int_equal(r.x[i], 0);
	}
}

/* A default machine: guest 1 at @v1 with a pair; guest 2 at @v2 with a pair unless @v2 is 0. */
static struct fixture *machine(uint32_t v1, uint32_t v2)
{
	struct fixture *f = fixture_with(NULL);

	fx_negotiate(f, GUEST1, v1);
	fx_map_rxtx(f, GUEST1);
	if (v2 != 0) {
		fx_negotiate(f, GUEST2, v2);
		fx_map_rxtx(f, GUEST2);
	}
	return f;
}

/* A machine whose VMs may map pairs of up to two pages; nothing negotiated or mapped. */
static struct fixture *machine_two_pages(void)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);

	cfg.rxtx_max_pages = 2;
	return fixture_with(&cfg);
}

static void map_two_pages(struct fixture *f, ffa_id_t vm)
{
	assert_ffa_success(
		fx_call(f, vm, FFA_RXTX_MAP_64, VM_IPA, VM_IPA + 2 * PAGE, 2, 0, 0));
	assert_int_equal(fx_mailbox(f, vm)->page_count, 2);
}

/* --- the header is read once (Xen X11) --- */

/* Rewrites @vm's TX header with @evil when the mediator forwards @on_fid. */
struct tamper {
	struct fixture *f;
	uint32_t on_fid;
	ffa_id_t vm;
	struct msg evil;
	unsigned hits;
};

static void tamper_observer(void *ctx, const struct mediator_event *ev)
{
	struct tamper *t = ctx;

	if (t->f == NULL || ev->kind != MEDIATOR_EV_SPMC_CALL || ffa_func(ev->regs) != t->on_fid) {
		return;
	}
	put_header(tx_of(t->f, t->vm), &t->evil);
	t->hits++;
}

static struct fixture *tampered_machine(struct tamper *t)
{
	struct mediator_config cfg = fixture_config(MEDIATOR_PROFILE_SPEC);
	struct fixture *f;

	cfg.observe = tamper_observer;
	cfg.observe_ctx = t;
	f = fixture_with(&cfg);
	t->f = f;
	return f;
}

/* Xen X11: a header rewritten while the mediator takes the receiver's RX is not re-read. */
static void test_msg_send2_header_read_once_to_vm(void **state)
{
	struct tamper t = {.on_fid = FFA_RX_ACQUIRE_32, .vm = GUEST1};
	struct fixture *f = tampered_machine(&t);
	struct msg m = msg_v1_2(GUEST1, GUEST2, 24);
	const uint8_t *rx;
	uint8_t want[24];

	(void)state;
	t.evil = msg_v1_2(GUEST1, GUEST2, FFA_PAGE_SIZE - HDR_V1_2);
	t.evil.offset = 0;
	fx_negotiate(f, GUEST1, V1_2);
	fx_map_rxtx(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	assert_send2_ok(send2(f, GUEST1, &m, 0x4D));
	assert_int_equal(t.hits, 1);
	rx = fx_rx(f, GUEST2);
	assert_int_equal(fx_rd32(rx + 8), HDR_V1_2);
	assert_int_equal(fx_rd32(rx + 12), ffa_sender_receiver(GUEST1, GUEST2));
	assert_int_equal(fx_rd32(rx + 16), 24);
	pattern(want, sizeof(want), 0x4D);
	assert_memory_equal(rx + HDR_V1_2, want, sizeof(want));
	for (uint32_t i = HDR_V1_2 + 24; i < FFA_PAGE_SIZE; i++) {
		assert_int_equal(rx[i], 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- VM to VM --- */

/* The VM's FFA_NOTIFICATION_GET of its hypervisor framework bitmap: w7, the rest 0. */
static uint32_t get_hyp_framework(struct fixture *f, ffa_id_t vm)
{
	struct smccc_regs r = fx_call(f, vm, FFA_NOTIFICATION_GET_32, ffa_sender_receiver(0, vm),
				      FFA_NOTIFICATION_GET_HYP, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	for (unsigned i = 1; i < 7; i++) {
		assert_int_equal(r.x[i], 0);
	}
	return (uint32_t)r.x[7];
}

/*
 * indirect_messaging.c header, §"Partition message header" v1.1, DEN0077A
 * notifications (GET w7: hypervisor framework, bit 0 RX full): a v1.1
 * receiver gets a 20-byte header, owns its RX, and is told once.
 */
static void test_msg_send2_vm_to_v1_1_vm_delivered(void **state)
{
	struct fixture *f = machine(V1_2, V1_1);
	struct msg m = msg_v1_2(GUEST1, GUEST2, 48);
	const uint8_t *rx;
	uint8_t want[48];
	struct smccc_regs r;

	(void)state;
	m.uuid = fx_uuid(FOREIGN_UUID);
	assert_send2_ok(send2(f, GUEST1, &m, 0x5E));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	rx = fx_rx(f, GUEST2);
	assert_int_equal(fx_rd32(rx + 0), 0);
	assert_int_equal(fx_rd32(rx + 4), 0);
	assert_int_equal(fx_rd32(rx + 8), HDR_V1_1);
	assert_int_equal(fx_rd32(rx + 12), (uint32_t)GUEST1 << 16 | GUEST2);
	assert_int_equal(fx_rd32(rx + 16), 48);
	pattern(want, sizeof(want), 0x5E);
	assert_memory_equal(rx + HDR_V1_1, want, sizeof(want));
	for (uint32_t i = HDR_V1_1 + 48; i < FFA_PAGE_SIZE; i++) {
		assert_int_equal(rx[i], 0);
	}
	/* INFO_GET tells guest 2 (and only guest 2) it has news: one list, its ID alone. */
	assert_ffa_error(fx_call(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0),
			 FFA_NO_DATA);
	r = fx_call(f, GUEST2, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2], 1U << FFA_NOTIF_INFO_LIST_COUNT_SHIFT);
	assert_int_equal(r.x[3] & 0xFFFF, GUEST2);
	assert_int_equal(get_hyp_framework(f, GUEST2), FFA_FRAMEWORK_NOTIF_RX_FULL);
	assert_int_equal(get_hyp_framework(f, GUEST2), 0);
	assert_int_equal(get_hyp_framework(f, GUEST1), 0);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * DEN0077A FFA_NOTIFICATION_INFO_GET lists endpoints with *pending*
 * notifications; Hafnium (inc/hf/vm.h notifications_state: "pending ...
 * cleared on call to FFA_NOTIFICATION_GET", INFO_GET reports pending bits
 * only) and the SPMC model ("News about what a GET has since cleared is no
 * news"): once the receiver's GET took RX-full, INFO_GET has nothing for it.
 */
static void test_notification_info_get_after_get_of_vm_message_no_data(void **state)
{
	struct fixture *f = machine(V1_2, V1_2);
	struct msg m = msg_v1_2(GUEST1, GUEST2, 8);

	(void)state;
	assert_send2_ok(send2(f, GUEST1, &m, 0x12));
	assert_int_equal(get_hyp_framework(f, GUEST2), FFA_FRAMEWORK_NOTIF_RX_FULL);
	assert_ffa_error(fx_call(f, GUEST2, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0),
			 FFA_NO_DATA);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 BUSY ("receiver RX not free"); FFA_RX_RELEASE frees it for the next. */
static void test_msg_send2_vm_receiver_rx_owned_busy(void **state)
{
	struct fixture *f = machine(V1_2, V1_1);
	struct msg m = msg_v1_2(GUEST1, GUEST2, 8);
	uint8_t before[64];
	uint8_t want[8];

	(void)state;
	assert_send2_ok(send2(f, GUEST1, &m, 0x10));
	memcpy(before, fx_rx(f, GUEST2), sizeof(before));
	m.size = 12;
	assert_ffa_error(send2(f, GUEST1, &m, 0x20), FFA_BUSY);
	assert_memory_equal(fx_rx(f, GUEST2), before, sizeof(before));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	m.size = 8;
	assert_send2_ok(send2(f, GUEST1, &m, 0x30));
	assert_int_equal(fx_rd32(fx_rx(f, GUEST2) + 16), 8);
	pattern(want, sizeof(want), 0x30);
	assert_memory_equal(fx_rx(f, GUEST2) + HDR_V1_1, want, sizeof(want));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* §"Partition message header" v1.2: a v1.2 receiver gets a 40-byte header with the sender's UUID. */
static void test_msg_send2_vm_to_v1_2_vm_carries_uuid(void **state)
{
	struct fixture *f = machine(V1_2, V1_2);
	struct msg m = msg_v1_2(GUEST1, GUEST2, 20);
	struct ffa_uuid u = fx_uuid(FOREIGN_UUID);
	const uint8_t *rx;
	uint8_t want[20];

	(void)state;
	m.uuid = u;
	assert_send2_ok(send2(f, GUEST1, &m, 0x61));
	rx = fx_rx(f, GUEST2);
	assert_int_equal(fx_rd32(rx + 0), 0);
	assert_int_equal(fx_rd32(rx + 4), 0);
	assert_int_equal(fx_rd32(rx + 8), HDR_V1_2);
	assert_int_equal(fx_rd32(rx + 12), (uint32_t)GUEST1 << 16 | GUEST2);
	assert_int_equal(fx_rd32(rx + 16), 20);
	assert_int_equal(fx_rd32(rx + 20), 0);
	assert_memory_equal(rx + 24, u.b, sizeof(u.b));
	pattern(want, sizeof(want), 0x61);
	assert_memory_equal(rx + HDR_V1_2, want, sizeof(want));
	assert_int_equal(get_hyp_framework(f, GUEST2), FFA_FRAMEWORK_NOTIF_RX_FULL);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §3.5 (Xen zeroes the UUID of v1.1 senders): Nil UUID, the 20..39 bytes stay payload. */
static void test_msg_send2_v1_1_vm_to_v1_2_vm_nil_uuid(void **state)
{
	struct fixture *f = machine(V1_1, V1_2);
	struct msg m = msg_v1_1(GUEST1, GUEST2, 40);
	const uint8_t *rx;
	uint8_t want[40];

	(void)state;
	assert_send2_ok(send2(f, GUEST1, &m, 0x99));
	rx = fx_rx(f, GUEST2);
	assert_int_equal(fx_rd32(rx + 8), HDR_V1_2);
	assert_int_equal(fx_rd32(rx + 12), (uint32_t)GUEST1 << 16 | GUEST2);
	assert_int_equal(fx_rd32(rx + 16), 40);
	for (unsigned i = 20; i < HDR_V1_2; i++) {
		assert_int_equal(rx[i], 0);
	}
	pattern(want, sizeof(want), 0x99);
	assert_memory_equal(rx + HDR_V1_2, want, sizeof(want));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* indirect_messaging.c header / DEN0077A BUSY: a receiver with no RX mapped -> BUSY. */
static void test_msg_send2_vm_receiver_unmapped_busy(void **state)
{
	struct fixture *f = machine(V1_2, 0);
	struct msg m = msg_v1_2(GUEST1, GUEST2, 8);

	(void)state;
	fx_negotiate(f, GUEST2, V1_2);
	assert_ffa_error(send2(f, GUEST1, &m, 1), FFA_BUSY);
	assert_false(fx_mailbox(f, GUEST2)->mapped);
	assert_int_equal(f->m.vms[GUEST2].hyp_framework_pending, 0);
	assert_int_equal(get_hyp_framework(f, GUEST2), 0);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 NO_MEMORY: larger than the receiver's RX; RX given back on both sides. */
static void test_msg_send2_vm_larger_than_receiver_rx_no_memory(void **state)
{
	struct fixture *f = machine_two_pages();
	struct msg m = msg_v1_2(GUEST1, GUEST2, FFA_PAGE_SIZE);
	const struct spmc_ns *ns;

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	map_two_pages(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	assert_ffa_error(send2(f, GUEST1, &m, 1), FFA_NO_MEMORY);
	m.size = FFA_PAGE_SIZE - HDR_V1_2 + 1;
	assert_ffa_error(send2(f, GUEST1, &m, 1), FFA_NO_MEMORY);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	ns = spmc_ns_find(&f->spmc, GUEST2);
	assert_non_null(ns);
	assert_true(ns->mailbox.mapped);
	assert_int_equal(ns->mailbox.rx, MAILBOX_RX_FREE);
	assert_int_equal(get_hyp_framework(f, GUEST2), 0);
	/* The largest that fits is delivered. */
	m.size = FFA_PAGE_SIZE - HDR_V1_2;
	assert_send2_ok(send2(f, GUEST1, &m, 2));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(fx_rd32(fx_rx(f, GUEST2) + 16), FFA_PAGE_SIZE - HDR_V1_2);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}
int main(void)
{
#define T(name) cmocka_unit_test_teardown(name, fixture_teardown_leftover)
	const struct CMUnitTest tests[] = {
		T(test_msg_send2_header_read_once_to_vm),
		T(test_msg_send2_vm_to_v1_1_vm_delivered),
		T(test_notification_info_get_after_get_of_vm_message_no_data),
		T(test_msg_send2_vm_receiver_rx_owned_busy),
		T(test_msg_send2_vm_to_v1_2_vm_carries_uuid),
		T(test_msg_send2_v1_1_vm_to_v1_2_vm_nil_uuid),
		T(test_msg_send2_vm_receiver_unmapped_busy),
		T(test_msg_send2_vm_larger_than_receiver_rx_no_memory),
	};

	return cmocka_run_group_tests_name("vm_to_vm_messaging", tests, NULL, NULL);
}
