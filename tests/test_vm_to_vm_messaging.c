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

#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2

/*
 * Guest 2's RX holds a message from guest 1: a header with offset @offset and
 * size @size, and @size bytes of pattern @seed at @offset.
 */
static const uint8_t *assert_guest2_got(struct fixture *f, uint32_t offset, uint32_t size,
					uint8_t seed)
{
	const uint8_t *rx = fx_rx(f, GUEST2);

	assert_int_equal(fx_rd32(rx + 8), offset);
	assert_int_equal(fx_rd32(rx + 12), ffa_sender_receiver(GUEST1, GUEST2));
	assert_int_equal(fx_rd32(rx + 16), size);
	fx_assert_pattern(rx + offset, size, seed);
	return rx;
}

/* --- the header is read once (Xen X11) --- */

/* Xen X11: a header rewritten while the mediator takes the receiver's RX is not re-read. */
static void test_msg_send2_header_read_once_to_vm(void **state)
{
	struct fx_tamper t = {.on_fid = FFA_RX_ACQUIRE_32, .vm = GUEST1};
	struct fixture *f = fixture_tampered(&t);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, 24);
	const uint8_t *rx;

	(void)state;
	t.evil = fx_msg_v1_2(GUEST1, GUEST2, FFA_PAGE_SIZE - HDR_V1_2);
	t.evil.offset = 0;
	fx_negotiate(f, GUEST1, V1_2);
	fx_map_rxtx(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x4D));
	assert_int_equal(t.hits, 1);
	rx = assert_guest2_got(f, HDR_V1_2, 24, 0x4D);
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
	return fx_get_framework(f, vm, FFA_NOTIFICATION_GET_HYP);
}

/*
 * indirect_messaging.c header, §"Partition message header" v1.1, DEN0077A
 * notifications (GET w7: hypervisor framework, bit 0 RX full): a v1.1
 * receiver gets a 20-byte header, owns its RX, and is told once.
 */
static void test_msg_send2_vm_to_v1_1_vm_delivered(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, V1_1);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, 48);
	const uint8_t *rx;

	(void)state;
	m.uuid = fx_uuid(FOREIGN_UUID);
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x5E));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	rx = assert_guest2_got(f, HDR_V1_1, 48, 0x5E);
	assert_int_equal(fx_rd32(rx + 0), 0);
	assert_int_equal(fx_rd32(rx + 4), 0);
	for (uint32_t i = HDR_V1_1 + 48; i < FFA_PAGE_SIZE; i++) {
		assert_int_equal(rx[i], 0);
	}
	/* INFO_GET tells guest 2 (and only guest 2) it has news: one list, its ID alone. */
	fx_assert_info_get_news_only_for(f, GUEST2, GUEST1);
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
	struct fixture *f = fixture_mailboxes(V1_2, V1_2);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, 8);

	(void)state;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x12));
	assert_int_equal(get_hyp_framework(f, GUEST2), FFA_FRAMEWORK_NOTIF_RX_FULL);
	fx_assert_info_get_no_data(f, GUEST2);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 BUSY ("receiver RX not free"); FFA_RX_RELEASE frees it for the next. */
static void test_msg_send2_vm_receiver_rx_owned_busy(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, V1_1);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, 8);
	uint8_t before[64];

	(void)state;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x10));
	memcpy(before, fx_rx(f, GUEST2), sizeof(before));
	m.size = 12;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 0x20), FFA_BUSY);
	assert_memory_equal(fx_rx(f, GUEST2), before, sizeof(before));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	m.size = 8;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x30));
	assert_int_equal(fx_rd32(fx_rx(f, GUEST2) + 16), 8);
	fx_assert_pattern(fx_rx(f, GUEST2) + HDR_V1_1, 8, 0x30);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* §"Partition message header" v1.2: a v1.2 receiver gets a 40-byte header with the sender's UUID. */
static void test_msg_send2_vm_to_v1_2_vm_carries_uuid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, V1_2);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, 20);
	struct ffa_uuid u = fx_uuid(FOREIGN_UUID);
	const uint8_t *rx;

	(void)state;
	m.uuid = u;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x61));
	rx = assert_guest2_got(f, HDR_V1_2, 20, 0x61);
	assert_int_equal(fx_rd32(rx + 0), 0);
	assert_int_equal(fx_rd32(rx + 4), 0);
	assert_int_equal(fx_rd32(rx + 20), 0);
	assert_memory_equal(rx + 24, u.b, sizeof(u.b));
	assert_int_equal(get_hyp_framework(f, GUEST2), FFA_FRAMEWORK_NOTIF_RX_FULL);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* ffa-facts.md §3.5 (Xen zeroes the UUID of v1.1 senders): Nil UUID, the 20..39 bytes stay payload. */
static void test_msg_send2_v1_1_vm_to_v1_2_vm_nil_uuid(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_1, V1_2);
	struct fx_msg m = fx_msg_v1_1(GUEST1, GUEST2, 40);
	const uint8_t *rx;

	(void)state;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 0x99));
	rx = assert_guest2_got(f, HDR_V1_2, 40, 0x99);
	for (unsigned i = 20; i < HDR_V1_2; i++) {
		assert_int_equal(rx[i], 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* indirect_messaging.c header / DEN0077A BUSY: a receiver with no RX mapped -> BUSY. */
static void test_msg_send2_vm_receiver_unmapped_busy(void **state)
{
	struct fixture *f = fixture_mailboxes(V1_2, 0);
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, 8);

	(void)state;
	fx_negotiate(f, GUEST2, V1_2);
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_BUSY);
	assert_false(fx_mailbox(f, GUEST2)->mapped);
	assert_int_equal(f->m.vms[GUEST2].hyp_framework_pending, 0);
	assert_int_equal(get_hyp_framework(f, GUEST2), 0);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_MSG_SEND2 NO_MEMORY: larger than the receiver's RX; RX given back on both sides. */
static void test_msg_send2_vm_larger_than_receiver_rx_no_memory(void **state)
{
	struct fixture *f = fixture_two_page_pairs();
	struct fx_msg m = fx_msg_v1_2(GUEST1, GUEST2, FFA_PAGE_SIZE);
	const struct spmc_ns *ns;

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_map_two_pages(f, GUEST1);
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_NO_MEMORY);
	m.size = FFA_PAGE_SIZE - HDR_V1_2 + 1;
	assert_ffa_error(fx_send2(f, GUEST1, &m, 1), FFA_NO_MEMORY);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	ns = spmc_ns_find(&f->spmc, GUEST2);
	assert_non_null(ns);
	assert_true(ns->mailbox.mapped);
	assert_int_equal(ns->mailbox.rx, MAILBOX_RX_FREE);
	assert_int_equal(get_hyp_framework(f, GUEST2), 0);
	/* The largest that fits is delivered. */
	m.size = FFA_PAGE_SIZE - HDR_V1_2;
	fx_assert_send2_ok(fx_send2(f, GUEST1, &m, 2));
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
