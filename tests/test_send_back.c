/*
 * Indirect messages from partitions to VMs, and what makes them possible:
 * the registration of a guest's RX/TX pair at the SPMC (forwarded
 * FFA_RXTX_MAP with an endpoint RX/TX descriptor), the two producers of a
 * registered RX buffer (FFA_RX_ACQUIRE / FFA_RX_RELEASE towards the SPMC),
 * the SPM RX-full framework notification, and mediator_fini() undoing it all.
 * A partition sends with the scripted send-back behaviour: on a direct
 * request it SEND2s the request's x3-x7 to the requester, then echoes.
 *
 * Sources: mediator/src/rxtx.c and indirect_messaging.c header comments,
 * spmc-model/src/rxtx.c and indirect_messaging.c, DEN0077A v1.2
 * FFA_RX_RELEASE / FFA_RX_ACQUIRE / FFA_RXTX_UNMAP (ffa-facts.md §2),
 * §"Partition message header" (§3.5), §"Endpoint RX/TX descriptor" (§3.6),
 * Xen ffa-facts.md §5.3, mediator.h mediator_fini().
 */
#include "fixture.h"

#include <string.h>

#define SP1 0x8001U /* crypto: indirect-msg, direct-req-recv */
#define PAYLOAD 40U /* x3-x7 */

#define V1_1 FFA_VERSION_1_1
#define V1_2 FFA_VERSION_1_2

/* x3..x7 of the request: bytes 0, 1, ..., 39 in little-endian order. */
static const uint64_t req_payload[5] = {
	0x0706050403020100ULL, 0x0F0E0D0C0B0A0908ULL, 0x1716151413121110ULL,
	0x1F1E1D1C1B1A1918ULL, 0x2726252423222120ULL,
};

/* FFA_MSG_SEND_DIRECT_REQ_64 from @vm to 0x8001 with x3..x7 = req_payload; asserts the echo. */
static void direct_req(struct fixture *f, ffa_id_t vm)
{
	struct smccc_regs x = {.x = {0, ffa_sender_receiver(vm, SP1), 0}};
	struct smccc_regs r;

	memcpy(&x.x[3], req_payload, sizeof(req_payload));
	r = fx_call_regs(f, vm, FFA_MSG_SEND_DIRECT_REQ_64, x);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(r.x[1], ffa_sender_receiver(SP1, vm));
	assert_int_equal(r.x[2], 0);
	assert_memory_equal(&r.x[3], req_payload, sizeof(req_payload));
}

/* 0x8001 sends back to @vm; returns how its own SEND2 went. */
static int32_t send_back(struct fixture *f, ffa_id_t vm)
{
	fx_behave(&f->spmc, SP1, SPMC_BEHAVE_SEND_BACK, 0, 0);
	direct_req(f, vm);
	return spmc_sp_state(&f->spmc, SP1)->last_send_status;
}

/* spmc indirect_messaging.c: @vm's RX holds 0x8001's message, a v1.2 header and x3..x7. */
static void assert_rx_holds_sp1_message(struct fixture *f, ffa_id_t vm)
{
	const uint8_t *rx = fx_rx(f, vm);

	assert_int_equal(fx_rd32(rx + 0), 0);
	assert_int_equal(fx_rd32(rx + 4), 0);
	assert_int_equal(fx_rd32(rx + 8), HDR_V1_2);
	assert_int_equal(fx_rd32(rx + 12), ffa_sender_receiver(SP1, vm));
	assert_int_equal(fx_rd32(rx + 16), PAYLOAD);
	for (unsigned i = 20; i < HDR_V1_2; i++) {
		assert_int_equal(rx[i], 0); /* reserved, Nil UUID */
	}
	for (unsigned i = 0; i < PAYLOAD; i++) {
		assert_int_equal(rx[HDR_V1_2 + i], i);
	}
}

/* The SPMC's record of @vm's registered pair, or NULL. */
static const struct mailbox *spmc_pair(struct fixture *f, ffa_id_t vm)
{
	const struct spmc_ns *ns = spmc_ns_find(&f->spmc, vm);

	return ns != NULL && ns->mailbox.mapped ? &ns->mailbox : NULL;
}

/* The state of @vm's RX at the SPMC; the pair must be registered there. */
static enum mailbox_rx_state spmc_rx(struct fixture *f, ffa_id_t vm)
{
	const struct mailbox *at = spmc_pair(f, vm);

	assert_non_null(at);
	return at->rx;
}

/* The VM's FFA_NOTIFICATION_GET of the SPM framework bitmap (w6); the rest must be 0. */
static uint32_t get_spm_framework(struct fixture *f, ffa_id_t vm)
{
	return fx_get_framework(f, vm, FFA_NOTIFICATION_GET_SPM);
}

/* A VM-to-VM SEND2 of @size bytes 0xAB (v1.2 header) from @from to @to. */
static struct smccc_regs send2_to(struct fixture *f, ffa_id_t from, ffa_id_t to, uint32_t size)
{
	struct fx_msg m = fx_msg_v1_2(from, to, size);
	uint8_t *tx = fx_tx(f, from);

	fx_put_header(tx, &m);
	memset(tx + HDR_V1_2, 0xAB, size);
	return fx_call(f, from, FFA_MSG_SEND2_32, 0, 0, 0, 0, 0);
}

/* Guest 1 at v1.2 with a pair. */
static struct fixture *machine(void)
{
	return fixture_mailboxes(V1_2, 0);
}

/* --- a partition's message to a VM --- */

/* spmc indirect_messaging.c + ffa-facts.md §3.5: a v1.2 header (offset 40, sender 0x8001) and 40 bytes. */
static void test_send_back_delivers_into_guest_rx(void **state)
{
	struct fixture *f = machine();

	(void)state;
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	assert_rx_holds_sp1_message(f, GUEST1);
	/* The SPMC produced it: the mediator's own RX state is untouched (FREE). */
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_int_equal(spmc_rx(f, GUEST1), MAILBOX_RX_CONSUMER);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A notifications (GET w6: SPM framework, bit 0 RX full; INFO_GET), via the SPMC; told once. */
static void test_notification_get_spm_rx_full_after_send_back(void **state)
{
	struct fixture *f = machine();

	(void)state;
	assert_int_equal(get_spm_framework(f, GUEST1), 0);
	fx_negotiate(f, GUEST2, V1_2);
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	/* INFO_GET tells guest 1 (one list, its ID alone) and not guest 2. */
	fx_assert_info_get_news_only_for(f, GUEST1, GUEST2);
	assert_int_equal(get_spm_framework(f, GUEST1), FFA_FRAMEWORK_NOTIF_RX_FULL);
	assert_int_equal(get_spm_framework(f, GUEST1), 0);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * DEN0077A FFA_NOTIFICATION_INFO_GET lists endpoints with *pending*
 * notifications (Hafnium: GET clears pending and info_get_retrieved; the
 * SPMC model: "News about what a GET has since cleared is no news"): news of
 * guest 1's RX-full collected by guest 2's INFO_GET must not outlive guest
 * 1's GET of it.
 */
static void test_notification_info_get_after_get_of_partition_message_no_data(void **state)
{
	struct fixture *f = machine();

	(void)state;
	fx_negotiate(f, GUEST2, V1_2);
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	fx_assert_info_get_no_data(f, GUEST2);
	assert_int_equal(get_spm_framework(f, GUEST1), FFA_FRAMEWORK_NOTIF_RX_FULL);
	fx_assert_info_get_no_data(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * rxtx.c header (two producers; FFA_RX_ACQUIRE BUSY while a partition's
 * message is there): PARTITION_INFO_GET is BUSY, the guest's RX_RELEASE is
 * forwarded although the mediator's state was FREE, then discovery works.
 */
static void test_partition_info_get_busy_while_partition_message(void **state)
{
	struct fixture *f = machine();
	struct smccc_regs r;

	(void)state;
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	assert_ffa_error(fx_call(f, GUEST1, FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0), FFA_BUSY);
	assert_rx_holds_sp1_message(f, GUEST1); /* not overwritten */
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_int_equal(spmc_rx(f, GUEST1), MAILBOX_RX_CONSUMER);
	r = fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	assert_int_equal(spmc_rx(f, GUEST1), MAILBOX_RX_FREE);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	fx_deliver_partition_info(f, GUEST1);
	assert_int_equal(fx_rd16(fx_rx(f, GUEST1)), SP1); /* the first descriptor, not the message */
	assert_int_equal(spmc_rx(f, GUEST1), MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(spmc_rx(f, GUEST1), MAILBOX_RX_FREE);
	assert_int_equal(fx_mailbox(f, GUEST1)->rx, MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_RX_RELEASE: nothing to release (registered pair, RX free) -> DENIED, no fault. */
static void test_rx_release_registered_nothing_to_release_denied(void **state)
{
	struct fixture *f = machine();

	(void)state;
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_error(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_int_equal(spmc_rx(f, GUEST1), MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* spmc_send_to_ns(): no registered pair -> INVALID_PARAMETERS; the request still gets its RESP. */
static void test_send_back_to_unregistered_vm_invalid(void **state)
{
	struct fixture *f = fixture_with(NULL);
	const struct spmc_ns *host;

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	assert_int_equal(send_back(f, GUEST1), FFA_INVALID_PARAMETERS);
	assert_null(spmc_pair(f, GUEST1));
	/* The host maps a pair but is never registered (rxtx.c header): same answer. */
	fx_negotiate(f, HOST, V1_2);
	fx_map_rxtx(f, HOST);
	host = spmc_ns_find(&f->spmc, HOST);
	assert_true(host == NULL || !host->mailbox.mapped);
	spmc_sp_state(&f->spmc, SP1)->last_send_status = FFA_OK;
	assert_int_equal(send_back(f, HOST), FFA_INVALID_PARAMETERS);
	for (unsigned i = 0; i < 64; i++) {
		assert_int_equal(fx_rx(f, HOST)[i], 0);
	}
	assert_int_equal(fx_mailbox(f, HOST)->rx, MAILBOX_RX_FREE);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A §"RX/TX buffer ownership": a partition cannot write an RX the VM owns (BUSY). */
static void test_send_back_while_guest_owns_rx_busy(void **state)
{
	struct fixture *f = machine();
	uint8_t before[64];

	(void)state;
	fx_deliver_partition_info(f, GUEST1);
	memcpy(before, fx_rx(f, GUEST1), sizeof(before));
	assert_int_equal(send_back(f, GUEST1), FFA_BUSY);
	assert_memory_equal(fx_rx(f, GUEST1), before, sizeof(before));
	assert_int_equal(get_spm_framework(f, GUEST1), 0);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	/* A second partition message while the first is unreleased: BUSY too. */
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	assert_int_equal(send_back(f, GUEST1), FFA_BUSY);
	assert_rx_holds_sp1_message(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* rxtx.c header: a VM-to-VM SEND2 into an RX holding a partition's message -> BUSY (RX_ACQUIRE). */
static void test_msg_send2_vm_receiver_holds_partition_message_busy(void **state)
{
	struct fixture *f = machine();

	(void)state;
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	assert_int_equal(send_back(f, GUEST2), FFA_OK);
	assert_ffa_error(send2_to(f, GUEST1, GUEST2, 8), FFA_BUSY);
	assert_rx_holds_sp1_message(f, GUEST2);
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	assert_int_equal(spmc_rx(f, GUEST2), MAILBOX_RX_CONSUMER);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(send2_to(f, GUEST1, GUEST2, 8));
	assert_int_equal(fx_rd32(fx_rx(f, GUEST2) + 12), ffa_sender_receiver(GUEST1, GUEST2));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* rxtx.c header: a VM-to-VM message in RX keeps the partition out (the SPMC sees RX taken). */
static void test_send_back_while_vm_message_in_rx_busy(void **state)
{
	struct fixture *f = machine();

	(void)state;
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST2);
	assert_ffa_success(send2_to(f, GUEST1, GUEST2, 8));
	assert_int_equal(spmc_rx(f, GUEST2), MAILBOX_RX_CONSUMER);
	assert_int_equal(send_back(f, GUEST2), FFA_BUSY);
	assert_int_equal(fx_rd32(fx_rx(f, GUEST2) + 12), ffa_sender_receiver(GUEST1, GUEST2));
	assert_int_equal(fx_rd32(fx_rx(f, GUEST2) + 16), 8);
	/* The guest's release gives the buffer back at both ends. */
	assert_ffa_success(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_FREE);
	assert_int_equal(spmc_rx(f, GUEST2), MAILBOX_RX_FREE);
	assert_int_equal(send_back(f, GUEST2), FFA_OK);
	assert_rx_holds_sp1_message(f, GUEST2);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- registration of a guest's pair at the SPMC --- */

/* rxtx.c header + ffa-facts.md §3.6: RXTX_MAP_64 registers the pair (same PAs); UNMAP removes it. */
static void test_rxtx_map_64_registers_pair_at_spmc(void **state)
{
	struct fixture *f = fixture_with(NULL);
	const struct mailbox *at;

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	assert_null(spmc_pair(f, GUEST1));
	fx_map_rxtx(f, GUEST1);
	at = spmc_pair(f, GUEST1);
	assert_non_null(at);
	assert_int_equal(at->rx_pa, fx_mailbox(f, GUEST1)->rx_pa);
	assert_int_equal(at->tx_pa, fx_mailbox(f, GUEST1)->tx_pa);
	assert_int_equal(at->rx_pa, fx_vm_pa(GUEST1, VM_IPA + PAGE));
	assert_int_equal(at->tx_pa, fx_vm_pa(GUEST1, VM_IPA));
	assert_int_equal(at->page_count, 1);
	assert_int_equal(at->rx, MAILBOX_RX_FREE);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_null(spmc_pair(f, GUEST1));
	/* Mapped again elsewhere: the SPMC has the new pages. */
	assert_ffa_success(
		fx_call(f, GUEST1, FFA_RXTX_MAP_64, VM_IPA + 4 * PAGE, VM_IPA + 2 * PAGE, 1, 0, 0));
	at = spmc_pair(f, GUEST1);
	assert_non_null(at);
	assert_int_equal(at->tx_pa, fx_vm_pa(GUEST1, VM_IPA + 4 * PAGE));
	assert_int_equal(at->rx_pa, fx_vm_pa(GUEST1, VM_IPA + 2 * PAGE));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* rxtx.c header: the SMC32 form registers the pair as well. */
static void test_rxtx_map_32_registers_pair_at_spmc(void **state)
{
	struct fixture *f = fixture_with(NULL);
	const struct mailbox *at;

	(void)state;
	fx_negotiate(f, GUEST2, V1_1);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_MAP_32, VM_IPA, VM_IPA + PAGE, 1, 0, 0));
	at = spmc_pair(f, GUEST2);
	assert_non_null(at);
	assert_int_equal(at->rx_pa, fx_mailbox(f, GUEST2)->rx_pa);
	assert_int_equal(at->tx_pa, fx_mailbox(f, GUEST2)->tx_pa);
	assert_int_equal(at->page_count, 1);
	assert_null(spmc_pair(f, GUEST1));
	assert_ffa_success(fx_call(f, GUEST2, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_null(spmc_pair(f, GUEST2));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* rxtx.c header: the host (ID 0) shares the hypervisor's ID at the SPMC and is not registered. */
static void test_rxtx_map_host_not_registered(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	fx_negotiate(f, HOST, V1_2);
	fx_map_rxtx(f, HOST);
	assert_null(spmc_pair(f, HOST));
	fx_deliver_partition_info(f, HOST);
	assert_ffa_success(fx_call(f, HOST, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(fx_call(f, HOST, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_null(spmc_pair(f, HOST));
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* DEN0077A FFA_RXTX_UNMAP (Xen X15): a partition's message in RX -> DENIED, both sides keep the pair. */
static void test_rxtx_unmap_with_partition_message_denied(void **state)
{
	struct fixture *f = machine();
	uint64_t tx_pa = fx_mailbox(f, GUEST1)->tx_pa;

	(void)state;
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	assert_ffa_error(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0), FFA_DENIED);
	assert_true(fx_mailbox(f, GUEST1)->mapped);
	assert_non_null(spmc_pair(f, GUEST1));
	assert_int_equal(fx_page_state(f, tx_pa, GUEST1), MEM_PAGE_MAILBOX);
	assert_rx_holds_sp1_message(f, GUEST1);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(fx_call(f, GUEST1, FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	assert_null(spmc_pair(f, GUEST1));
	fx_assert_nothing_mapped(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/* --- teardown --- */

/* mediator.h mediator_fini(): every registration and bitmap removed at the SPMC, FFA_OK, no fault. */
static void test_mediator_fini_after_messaging_leaves_spmc_clean(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	fx_negotiate(f, HOST, V1_2);
	fx_negotiate(f, GUEST1, V1_2);
	fx_negotiate(f, GUEST2, V1_1);
	fx_map_rxtx(f, HOST);
	fx_map_rxtx(f, GUEST1);
	fx_map_rxtx(f, GUEST2);
	assert_non_null(spmc_pair(f, GUEST1));
	assert_non_null(spmc_pair(f, GUEST2));
	assert_ffa_success(send2_to(f, GUEST1, SP1, 16));
	assert_ffa_success(send2_to(f, GUEST1, GUEST2, 16));
	assert_ffa_success(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_ffa_success(send2_to(f, HOST, GUEST1, 16));
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	assert_ffa_success(fx_call(f, GUEST1, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(send_back(f, GUEST2), FFA_OK);
	assert_ffa_success(fx_call(f, GUEST2, FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	assert_int_equal(f->spmc.fault_count, 0);

	assert_int_equal(mediator_fini(&f->m), FFA_OK);
	assert_null(spmc_ns_find(&f->spmc, HOST));
	assert_null(spmc_ns_find(&f->spmc, GUEST1));
	assert_null(spmc_ns_find(&f->spmc, GUEST2));
	assert_false(f->spmc.hyp_mailbox.mapped);
	fx_assert_all_pages(f, HOST, MEM_PAGE_PRIVATE);
	fx_assert_all_pages(f, GUEST1, MEM_PAGE_PRIVATE);
	fx_assert_all_pages(f, GUEST2, MEM_PAGE_PRIVATE);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * mediator.h mediator_fini(): "tear down what mediator_init() set up at the
 * SPMC: each VM's RX/TX registration" - also while a VM still owns a
 * VM-to-VM message in its RX: Xen 309e8edfe3 (the X15 fix) denies a guest's
 * RXTX_UNMAP then, but at teardown releases the RX (FFA_RX_RELEASE(VM)) and
 * unmaps. Nothing may stay registered at the SPMC, pointing at VM pages.
 */
static void test_mediator_fini_with_vm_message_unreleased_unregisters(void **state)
{
	struct fixture *f = fixture_with(NULL);

	(void)state;
	fx_negotiate(f, GUEST1, V1_2);
	fx_negotiate(f, GUEST2, V1_2);
	fx_map_rxtx(f, GUEST1);
	fx_map_rxtx(f, GUEST2);
	assert_ffa_success(send2_to(f, GUEST1, GUEST2, 16));
	assert_int_equal(fx_mailbox(f, GUEST2)->rx, MAILBOX_RX_CONSUMER);
	(void)mediator_fini(&f->m);
	assert_null(spmc_ns_find(&f->spmc, GUEST1));
	assert_null(spmc_ns_find(&f->spmc, GUEST2));
	assert_false(f->spmc.hyp_mailbox.mapped);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

/*
 * mediator.h mediator_fini() as above, with a partition's message still in a
 * VM's RX: rxtx.c's header says FFA_RX_RELEASE(VM) "also releases a
 * partition's message that the mediator never saw", so teardown can give it
 * back and unmap; nothing may stay registered at the SPMC.
 */
static void test_mediator_fini_with_partition_message_unreleased_unregisters(void **state)
{
	struct fixture *f = machine();

	(void)state;
	assert_int_equal(send_back(f, GUEST1), FFA_OK);
	(void)mediator_fini(&f->m);
	assert_null(spmc_ns_find(&f->spmc, GUEST1));
	assert_false(f->spmc.hyp_mailbox.mapped);
	assert_int_equal(f->spmc.fault_count, 0);
	fixture_free(f);
}

int main(void)
{
#define T(name) cmocka_unit_test_teardown(name, fixture_teardown_leftover)
	const struct CMUnitTest tests[] = {
		T(test_send_back_delivers_into_guest_rx),
		T(test_notification_get_spm_rx_full_after_send_back),
		T(test_notification_info_get_after_get_of_partition_message_no_data),
		T(test_partition_info_get_busy_while_partition_message),
		T(test_rx_release_registered_nothing_to_release_denied),
		T(test_send_back_to_unregistered_vm_invalid),
		T(test_send_back_while_guest_owns_rx_busy),
		T(test_msg_send2_vm_receiver_holds_partition_message_busy),
		T(test_send_back_while_vm_message_in_rx_busy),
		T(test_rxtx_map_64_registers_pair_at_spmc),
		T(test_rxtx_map_32_registers_pair_at_spmc),
		T(test_rxtx_map_host_not_registered),
		T(test_rxtx_unmap_with_partition_message_denied),
		T(test_mediator_fini_after_messaging_leaves_spmc_clean),
		T(test_mediator_fini_with_vm_message_unreleased_unregisters),
		T(test_mediator_fini_with_partition_message_unreleased_unregisters),
	};

	return cmocka_run_group_tests_name("send_back", tests, NULL, NULL);
}
