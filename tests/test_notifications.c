/*
 * Notifications through the mediator (mediator/src/notifications.c, whose
 * header comment is the rules) with the SPMC model behind it: DEN0077A v1.2
 * FFA_NOTIFICATION_BIND, _UNBIND, _SET and _GET from v1.1 and v1.2 guests
 * (most tests run for both, NT() in fixture.h), and BITMAP_CREATE and
 * _DESTROY, which only the mediator itself may call. FFA_NOTIFICATION_INFO_GET
 * is in test_notifications_info_get.c. Default machine: VMs 0, 1, 2 with two
 * vCPUs each; 0x8001 and 0x8002 have the notification property, 0x8003 and
 * 0x8004 not. A partition sets a VM's notifications by the SPMC model's
 * notify behaviour, run by a direct request (fx_notify_from()).
 */
#include "fixture.h"

#define SP_CRYPTO 0x8001  /* notification property, 8 execution contexts */
#define SP_STORAGE 0x8002 /* notification property, 1 execution context */
#define SP_MULTI 0x8003   /* no notification property */
#define SP_LEGACY 0x8004  /* no notification property, v1.0 */
#define NOT_A_PARTITION 0x8009

/* The mediator itself answers @call with FFA_ERROR(@err): nothing reaches the SPMC. */
#define assert_refused(call, err)                         \
	do {                                              \
		unsigned before_ = fx_spmc_calls;         \
		assert_ffa_error(call, err);              \
		assert_int_equal(fx_spmc_calls, before_); \
	} while (0)
#define assert_invalid(call) assert_refused(call, FFA_INVALID_PARAMETERS)

/* BIND, UNBIND or SET (@fid) from @vm: w1 = @sender | @receiver, w2 @flags, w3/w4 @bitmap. */
static struct smccc_regs nf_call(struct fixture *f, ffa_id_t vm, uint32_t fid, ffa_id_t sender,
				 ffa_id_t receiver, uint32_t flags, uint64_t bitmap)
{
	return fx_call(f, vm, fid, ffa_sender_receiver(sender, receiver), flags, (uint32_t)bitmap,
		       bitmap >> 32, 0);
}

#define nf_bind(f, vm, receiver, sender, flags, bitmap) \
	nf_call(f, vm, FFA_NOTIFICATION_BIND_32, sender, receiver, flags, bitmap)
#define nf_unbind(f, vm, receiver, sender, flags, bitmap) \
	nf_call(f, vm, FFA_NOTIFICATION_UNBIND_32, sender, receiver, flags, bitmap)
#define nf_set(f, vm, sender, receiver, flags, bitmap) \
	nf_call(f, vm, FFA_NOTIFICATION_SET_32, sender, receiver, flags, bitmap)

/* Guest 1 binds @bitmap to 0x8001 (@flags as fx_bind_ok()), which then sets it (on @vcpu). */
static void bind_and_notify(struct fixture *f, uint32_t flags, uint64_t bitmap, uint16_t vcpu)
{
	fx_bind_ok(f, GUEST1, SP_CRYPTO, flags, bitmap);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, bitmap, vcpu), FFA_OK);
}

/* --- Bitmaps: the mediator's own business --- */

/* notifications.c header: the mediator creates each VM's bitmap (w2 = vCPU count) at start-up. */
static void test_bitmaps_created_at_startup_for_every_vm(void **state)
{
	struct fixture *f = *state;

	for (ffa_id_t vm = HOST; vm <= GUEST2; vm++) {
		struct spmc_notif *n = fx_vm_notif(f, vm);

		assert_int_equal(n->vcpu_count, 2);
		assert_int_equal(n->bound, 0);
		assert_int_equal(n->pending, 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* mediator.h mediator_fini(): each VM's bitmap is destroyed (FFA_NOTIFICATION_BITMAP_DESTROY). */
static void test_bitmaps_destroyed_by_mediator_fini(void **state)
{
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	assert_int_equal(mediator_fini(&f->m), FFA_OK);
	for (ffa_id_t vm = HOST; vm <= GUEST2; vm++) {
		assert_null(spmc_ns_find(&f->spmc, vm));
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* ffa-facts §2: BITMAP_CREATE/DESTROY are physical-instance only (Xen: NOT_SUPPORTED to VMs). */
static void test_bitmap_create_destroy_from_vm_not_supported(void **state)
{
	struct fixture *f = *state;

	assert_refused(fx_call(f, GUEST1, FFA_NOTIFICATION_BITMAP_CREATE_32, GUEST1, 2, 0, 0, 0),
		       FFA_NOT_SUPPORTED);
	assert_refused(fx_call(f, GUEST1, FFA_NOTIFICATION_BITMAP_DESTROY_32, GUEST1, 0, 0, 0, 0),
		       FFA_NOT_SUPPORTED);
	assert_refused(fx_call(f, GUEST2, FFA_NOTIFICATION_BITMAP_DESTROY_32, GUEST1, 0, 0, 0, 0),
		       FFA_NOT_SUPPORTED);
	assert_int_equal(fx_vm_notif(f, GUEST1)->vcpu_count, 2);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- BIND --- */

/* ffa-facts §2 BIND: w3 = bitmap[31:0], w4 = bitmap[63:32]; Xen X5 swapped them. */
static void test_bind_uses_both_bitmap_halves(void **state)
{
	struct fixture *f = *state;
	struct spmc_notif *n;

	assert_ffa_success(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x8000000000000001ULL));
	n = fx_vm_notif(f, GUEST1);
	assert_int_equal(n->bound, 0x8000000000000001ULL);
	assert_int_equal(n->per_vcpu, 0);
	assert_int_equal(n->sender[0], SP_CRYPTO);
	assert_int_equal(n->sender[63], SP_CRYPTO);
	assert_int_equal(fx_vm_notif(f, GUEST2)->bound, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A BIND: INVALID_PARAMETERS for an invalid sender or receiver; the
 * header: receiver = caller, sender a partition, w2[31:1] MBZ, bitmap != 0.
 */
static void test_bind_invalid_parameters(void **state)
{
	struct fixture *f = *state;

	assert_invalid(nf_bind(f, GUEST1, GUEST2, SP_CRYPTO, 0, 0x1));
	assert_invalid(nf_bind(f, GUEST1, HOST, SP_CRYPTO, 0, 0x1));
	assert_invalid(nf_bind(f, GUEST1, GUEST1, GUEST2, 0, 0x1));
	assert_invalid(nf_bind(f, GUEST1, GUEST1, HOST, 0, 0x1));
	assert_invalid(nf_bind(f, GUEST1, GUEST1, NOT_A_PARTITION, 0, 0x1));
	assert_invalid(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0x2, 0x1));
	assert_invalid(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0x80000001U, 0x1));
	assert_invalid(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0));
	for (ffa_id_t vm = HOST; vm <= GUEST2; vm++) {
		assert_int_equal(fx_vm_notif(f, vm)->bound, 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A BIND: DENIED if a bit is bound to another sender; nothing of the call is done. */
static void test_bind_bits_bound_to_other_sender_denied(void **state)
{
	struct fixture *f = *state;
	struct spmc_notif *n = fx_vm_notif(f, GUEST1);

	fx_bind_ok(f, GUEST1, SP_STORAGE, 0, 0x3);
	assert_ffa_error(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x6), FFA_DENIED);
	assert_ffa_error(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 1, 0x100000001ULL), FFA_DENIED);
	assert_int_equal(n->bound, 0x3);
	assert_int_equal(n->sender[1], SP_STORAGE);
	/* Another VM's bitmap is its own. */
	fx_bind_ok(f, GUEST2, SP_CRYPTO, 0, 0x3);
	assert_int_equal(fx_vm_notif(f, GUEST2)->sender[0], SP_CRYPTO);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* ffa-facts §2 BIND: w2 bit 0 binds per-vCPU notifications. */
static void test_bind_per_vcpu_recorded(void **state)
{
	struct fixture *f = *state;
	struct spmc_notif *n = fx_vm_notif(f, GUEST1);

	fx_bind_ok(f, GUEST1, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x30);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	assert_int_equal(n->bound, 0x31);
	assert_int_equal(n->per_vcpu, 0x30);
	assert_int_equal(n->sender[4], SP_CRYPTO);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A BIND: DENIED if a bit is pending (a global notification). */
static void test_bind_global_pending_bit_denied(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, 0, 0x1, 0);
	assert_ffa_error(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x1), FFA_DENIED);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A BIND: DENIED if a bit is pending, per-vCPU ones included
 * (Hafnium vm_are_notifications_pending() checks every vCPU's pending bits).
 */
static void test_bind_per_vcpu_pending_bit_denied(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x4, 1);
	assert_int_equal(fx_vm_notif(f, GUEST1)->pending_vcpu[1], 0x4);
	/* Rebinding it as a global notification would lose the per-vCPU one. */
	assert_ffa_error(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x4), FFA_DENIED);
	assert_int_equal(fx_vm_notif(f, GUEST1)->per_vcpu, 0x4);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * DEN0077A BIND: DENIED if a bit is pending. The header: GET fetches both
 * SPMC bitmaps and the mediator holds what the VM did not ask for, so a bit
 * the mediator holds is still pending for the VM.
 */
static void test_bind_bit_held_by_mediator_denied(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, 0, 0x1, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_HYP), 0, 0, 0);
	assert_ffa_error(nf_bind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x1), FFA_DENIED);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
}

/* --- UNBIND --- */

/* ffa-facts §2 UNBIND: as BIND with w2 MBZ; the header: receiver = caller, sender a partition. */
static void test_unbind_invalid_parameters(void **state)
{
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x1);
	assert_invalid(nf_unbind(f, GUEST1, GUEST1, SP_CRYPTO, 1, 0x1));
	assert_invalid(nf_unbind(f, GUEST1, GUEST1, SP_CRYPTO, 0x80000000U, 0x1));
	assert_invalid(nf_unbind(f, GUEST2, GUEST1, SP_CRYPTO, 0, 0x1));
	assert_invalid(nf_unbind(f, GUEST1, GUEST1, NOT_A_PARTITION, 0, 0x1));
	assert_invalid(nf_unbind(f, GUEST1, GUEST1, GUEST2, 0, 0x1));
	assert_invalid(nf_unbind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0));
	assert_int_equal(fx_vm_notif(f, GUEST1)->bound, 0x1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A UNBIND: bits bound to another sender are DENIED, and stay bound. */
static void test_unbind_other_sender_denied(void **state)
{
	struct fixture *f = *state;
	struct spmc_notif *n = fx_vm_notif(f, GUEST1);

	fx_bind_ok(f, GUEST1, SP_STORAGE, 0, 0x1);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x2);
	assert_ffa_error(nf_unbind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x3), FFA_DENIED);
	assert_int_equal(n->bound, 0x3);
	assert_int_equal(n->sender[0], SP_STORAGE);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* UNBIND clears the bits (both halves), per-vCPU ones too; they can be bound again. */
static void test_unbind_clears_binding(void **state)
{
	struct fixture *f = *state;
	struct spmc_notif *n = fx_vm_notif(f, GUEST1);

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x10000000001ULL);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x30);
	assert_ffa_success(nf_unbind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x10000000010ULL));
	assert_int_equal(n->bound, 0x21);
	assert_int_equal(n->per_vcpu, 0x20);
	fx_bind_ok(f, GUEST1, SP_STORAGE, 0, 0x10000000010ULL);
	assert_int_equal(n->sender[4], SP_STORAGE);
	assert_int_equal(n->sender[40], SP_STORAGE);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * Hafnium api_ffa_notification_update_bindings(), shared by BIND and
 * UNBIND: "Check if there is a pending notification within those specified
 * in the bitmap" -> DENIED. Unbinding a pending notification is refused.
 */
static void test_unbind_pending_bit_denied(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, 0, 0x1, 0);
	assert_ffa_error(nf_unbind(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x1), FFA_DENIED);
	assert_int_equal(fx_vm_notif(f, GUEST1)->bound, 0x1);
}

/* --- A partition signals a VM; GET --- */

/* ffa-facts §2 GET: SP bitmap lo/hi in w2/w3; GET clears what it returns. */
static void test_get_returns_partition_notifications(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, 0, 0x100000001ULL, 0);
	/* Another VM gets nothing of it. */
	fx_assert_got(fx_nf_get(f, GUEST2, GUEST2, 0, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x100000001ULL, 0,
		      0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	assert_int_equal(fx_vm_notif(f, GUEST1)->pending, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * The header: the VMs' bitmap (w4/w5) is always 0, the hypervisor framework
 * bitmap (w7) the mediator's own; neither flag may reach the SPMC.
 */
static void test_get_vm_and_hyp_flags(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, 0, 0x5, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, 0), 0, 0, 0); /* no flags: a valid no-op */
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_VM), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_HYP), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1,
				FFA_NOTIFICATION_GET_VM | FFA_NOTIFICATION_GET_HYP),
		      0, 0, 0);
	/* None consumed the partitions' notifications; all four flags at once. */
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, 0xF), 0x5, 0, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A GET: INVALID for an unknown receiver, a vCPU not the caller's, flags[31:4] != 0. */
static void test_get_invalid_parameters(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, 0, 0x1, 0);
	assert_invalid(fx_nf_get(f, GUEST2, GUEST1, 0, FFA_NOTIFICATION_GET_SP));
	assert_invalid(fx_nf_get(f, GUEST1, SP_CRYPTO, 0, FFA_NOTIFICATION_GET_SP));
	assert_invalid(fx_nf_get(f, GUEST1, GUEST1, 2, FFA_NOTIFICATION_GET_SP));
	assert_invalid(fx_nf_get(f, GUEST1, GUEST1, 0xFFFF, FFA_NOTIFICATION_GET_SP));
	assert_invalid(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP | 0x10));
	assert_invalid(fx_nf_get(f, GUEST1, GUEST1, 0, 0x80000000U));
	/* None of them consumed anything. */
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* ffa-facts §2 GET: w1[31:16] names the vCPU whose per-vCPU notifications it returns. */
static void test_get_per_vcpu_only_on_its_vcpu(void **state)
{
	struct fixture *f = *state;

	bind_and_notify(f, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x10, 1);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1, FFA_NOTIFICATION_GET_SP), 0x10, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	/* Also once the mediator holds it (a GET of vCPU 1 without the SP flag). */
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x10, 1), FFA_OK);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1, FFA_NOTIFICATION_GET_VM), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 1, FFA_NOTIFICATION_GET_SP), 0x10, 0, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A SET: DENIED for bits not bound to the sender; nothing becomes pending. */
static void test_notify_unbound_bits_denied(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_DENIED);
	fx_bind_ok(f, GUEST1, SP_STORAGE, 0, 0x2);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x2, 0), FFA_DENIED);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x4);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x6, 0), FFA_DENIED);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	fx_assert_info_get_no_data(f, GUEST1);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* SPM framework (w6): RX full after a partition's indirect message to the VM. */
static void test_get_spm_framework_rx_full(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r;

	fx_map_rxtx(f, GUEST1);
	fx_behave(&f->spmc, SP_CRYPTO, SPMC_BEHAVE_SEND_BACK, 0, 0);
	r = fx_call(f, GUEST1, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(GUEST1, SP_CRYPTO),
		    0, 1, 2, 3);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	assert_int_equal(spmc_sp_state(&f->spmc, SP_CRYPTO)->last_send_status, FFA_OK);
	/* SP only: the framework bitmap is neither returned nor consumed. */
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0, 0, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SPM), 0,
		      FFA_FRAMEWORK_NOTIF_RX_FULL, 0);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SPM), 0, 0, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- SET: a VM signals a partition --- */

/* ffa-facts §2 SET: w1 sender | receiver, w3/w4 bitmap lo/hi; pending at the partition. */
static void test_set_to_partition(void **state)
{
	struct fixture *f = *state;
	struct spmc_sp *sp = spmc_sp_state(&f->spmc, SP_CRYPTO);

	assert_ffa_success(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x100000002ULL));
	assert_int_equal(sp->notif.pending, 0x100000002ULL);
	assert_ffa_success(nf_set(f, GUEST2, GUEST2, SP_STORAGE, FFA_NOTIFICATION_FLAG_DELAY_SRI,
				  0x4));
	assert_int_equal(spmc_sp_state(&f->spmc, SP_STORAGE)->notif.pending, 0x4);
	assert_int_equal(f->spmc.fault_count, 0);
}

/*
 * §17.4 (the compliance suite's notification_set check 8): once a partition
 * bound bits itself, a VM sets only those bound to it (DENIED), with the
 * per-vCPU flag they were bound with (INVALID_PARAMETERS).
 */
static void test_set_to_partition_that_bound(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(spmc_sp_bind(&f->spmc, SP_CRYPTO, GUEST1, 0x3, false), FFA_OK);
	assert_int_equal(spmc_sp_bind(&f->spmc, SP_CRYPTO, GUEST2, 0x2, false), FFA_DENIED);
	assert_int_equal(spmc_sp_bind(&f->spmc, SP_CRYPTO, GUEST2, 0x4, true), FFA_OK);
	assert_ffa_success(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x3));
	assert_ffa_error(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0x10000), FFA_DENIED);
	assert_ffa_error(nf_set(f, GUEST2, GUEST2, SP_CRYPTO, 0, 0x1), FFA_DENIED);
	assert_ffa_error(nf_set(f, GUEST2, GUEST2, SP_CRYPTO, 0, 0x4), FFA_INVALID_PARAMETERS);
	assert_ffa_success(nf_set(f, GUEST2, GUEST2, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x4));
	assert_int_equal(spmc_sp_state(&f->spmc, SP_CRYPTO)->notif.pending, 0x3);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* ffa-facts §2 SET: w2 bit 0 per-vCPU, w2[31:16] the receiver's vCPU. */
static void test_set_per_vcpu_to_partition(void **state)
{
	struct fixture *f = *state;
	struct spmc_sp *sp = spmc_sp_state(&f->spmc, SP_CRYPTO);

	assert_ffa_success(nf_set(f, GUEST1, GUEST1, SP_CRYPTO,
				  FFA_NOTIFICATION_FLAG_PER_VCPU | 3U << 16, 0x8));
	assert_int_equal(sp->notif.pending_vcpu[3], 0x8);
	assert_int_equal(sp->notif.pending, 0);
	assert_ffa_success(nf_set(f, GUEST1, GUEST1, SP_CRYPTO,
				  FFA_NOTIFICATION_FLAG_PER_VCPU | 7U << 16, 0x8));
	assert_int_equal(sp->notif.pending_vcpu[7], 0x8);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* DEN0077A SET: INVALID for unknown IDs, invalid flags, a bad vCPU, bitmap 0. */
static void test_set_invalid_parameters(void **state)
{
	struct fixture *f = *state;
	struct spmc_sp *sp = spmc_sp_state(&f->spmc, SP_CRYPTO);

	assert_invalid(nf_set(f, GUEST1, GUEST2, SP_CRYPTO, 0, 0x1));
	assert_invalid(nf_set(f, GUEST1, HOST, SP_CRYPTO, 0, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, GUEST2, 0, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, NOT_A_PARTITION, 0, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 0x4, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 0x8000, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 1U << 16, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, SP_STORAGE,
			      FFA_NOTIFICATION_FLAG_PER_VCPU | 1U << 16, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, SP_CRYPTO,
			      FFA_NOTIFICATION_FLAG_PER_VCPU | 8U << 16, 0x1));
	assert_invalid(nf_set(f, GUEST1, GUEST1, SP_CRYPTO, 0, 0));
	assert_int_equal(sp->notif.pending, 0);
	for (unsigned v = 0; v < SPMC_MAX_NS_VCPUS; v++) {
		assert_int_equal(sp->notif.pending_vcpu[v], 0);
	}
	assert_int_equal(f->spmc.fault_count, 0);
}

/* The header: a partition without the notification property takes none (DENIED). */
static void test_set_partition_without_property_denied(void **state)
{
	struct fixture *f = *state;

	assert_refused(nf_set(f, GUEST1, GUEST1, SP_MULTI, 0, 0x1), FFA_DENIED);
	assert_refused(nf_set(f, GUEST1, GUEST1, SP_LEGACY, 0, 0x1), FFA_DENIED);
	assert_int_equal(spmc_sp_state(&f->spmc, SP_MULTI)->notif.pending, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

/* --- Versions --- */

/* DEN0077A: notifications are v1.1 ABIs; a v1.0 caller gets NOT_SUPPORTED for each. */
/*
 * DEN0077A v1.2 chapter 10 (the SRI tells the scheduler to call INFO_GET):
 * a partition's notification for GUEST1 raises GUEST1's virtual SRI, once
 * until it calls INFO_GET; GUEST2, with no news, gets none.
 */
static void test_sri_raised_once_per_info_get(void **state)
{
	struct fixture *f = *state;
	struct smccc_regs r = fx_call(f, GUEST1, FFA_FEATURES_32, FFA_FEATURE_SRI, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], FFA_SRI_INTID);
	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x3);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_int_equal(fx_sris[GUEST1], 1);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x2, 0), FFA_OK);
	assert_int_equal(fx_sris[GUEST1], 1);
	r = fx_call(f, GUEST1, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[3] & 0xFFFF, GUEST1);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_int_equal(fx_sris[GUEST1], 2);
	assert_int_equal(fx_sris[GUEST2], 0);
	assert_int_equal(fx_sris[HOST], 0);
}

/*
 * ffa-facts.md §2 FFA_FEATURES feature IDs: a VM at v1.1+ has the SRI and the
 * NPI (the compliance suite's sp_signals_vm asks for it), never the MEI.
 */
static void test_sri_npi_features(void **state)
{
	struct fixture *f = *state;
	static const uint32_t no[] = {FFA_FEATURE_MEI, 0x100 | FFA_FEATURE_SRI, 0x100 | FFA_FEATURE_NPI, 4};
	struct smccc_regs r = fx_call(f, GUEST1, FFA_FEATURES_32, FFA_FEATURE_NPI, 0, 0, 0, 0);

	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], FFA_NPI_INTID);
	for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, no[i], 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	}
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_FEATURE_SRI, 1, 0, 0, 0), FFA_NOT_SUPPORTED);
}

/* The NPI: GUEST1's own notification raises it, once until its GET. */
static void test_npi_raised_once_per_get(void **state)
{
	struct fixture *f = *state;

	fx_bind_ok(f, GUEST1, SP_CRYPTO, 0, 0x3);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_int_equal(fx_npis[GUEST1], 1);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x2, 0), FFA_OK);
	assert_int_equal(fx_npis[GUEST1], 1);
	fx_assert_got(fx_nf_get(f, GUEST1, GUEST1, 0, FFA_NOTIFICATION_GET_SP), 0x3, 0, 0);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, GUEST1, 0x1, 0), FFA_OK);
	assert_int_equal(fx_npis[GUEST1], 2);
	assert_int_equal(fx_npis[GUEST2], 0);
}

static void test_v1_0_guest_not_supported(void **state)
{
	static const uint32_t fids[] = {
		FFA_NOTIFICATION_BITMAP_CREATE_32, FFA_NOTIFICATION_BITMAP_DESTROY_32,
		FFA_NOTIFICATION_BIND_32,          FFA_NOTIFICATION_UNBIND_32,
		FFA_NOTIFICATION_SET_32,           FFA_NOTIFICATION_GET_32,
		FFA_NOTIFICATION_INFO_GET_32,      FFA_NOTIFICATION_INFO_GET_64,
	};
	struct fixture *f = *state;

	/* A v1.2 host has a notification pending that no call of guest 1 may touch. */
	fx_negotiate(f, HOST, FFA_VERSION_1_2);
	fx_bind_ok(f, HOST, SP_CRYPTO, 0, 0x1);
	assert_int_equal(fx_notify_from(f, SP_CRYPTO, HOST, 0x1, 0), FFA_OK);
	for (size_t i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		uint32_t w1 = ffa_sender_receiver(SP_CRYPTO, GUEST1);

		assert_refused(fx_call(f, GUEST1, fids[i], w1, 0, 0x1, 0, 0), FFA_NOT_SUPPORTED);
	}
	assert_int_equal(fx_vm_notif(f, GUEST1)->bound, 0);
	assert_int_equal(spmc_sp_state(&f->spmc, SP_CRYPTO)->notif.pending, 0);
	/* No SRI for it either (the v1.2 host with news got one). */
	assert_ffa_error(fx_call(f, GUEST1, FFA_FEATURES_32, FFA_FEATURE_SRI, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	assert_int_equal(fx_sris[GUEST1], 0);
	assert_int_equal(fx_sris[HOST], 1);
	fx_assert_got(fx_nf_get(f, HOST, HOST, 0, FFA_NOTIFICATION_GET_SP), 0x1, 0, 0);
	assert_int_equal(f->spmc.fault_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		NT(test_bitmaps_created_at_startup_for_every_vm),
		NT(test_bitmaps_destroyed_by_mediator_fini),
		NT(test_bitmap_create_destroy_from_vm_not_supported),
		NT(test_bind_uses_both_bitmap_halves),
		NT(test_bind_invalid_parameters),
		NT(test_bind_bits_bound_to_other_sender_denied),
		NT(test_bind_per_vcpu_recorded),
		NT(test_bind_global_pending_bit_denied),
		NT(test_bind_per_vcpu_pending_bit_denied),
		NT(test_bind_bit_held_by_mediator_denied),
		NT(test_unbind_invalid_parameters),
		NT(test_unbind_other_sender_denied),
		NT(test_unbind_clears_binding),
		NT(test_unbind_pending_bit_denied),
		NT(test_get_returns_partition_notifications),
		NT(test_get_vm_and_hyp_flags),
		NT(test_get_invalid_parameters),
		NT(test_get_per_vcpu_only_on_its_vcpu),
		NT(test_notify_unbound_bits_denied),
		NT(test_get_spm_framework_rx_full),
		NT(test_set_to_partition),
		NT(test_set_per_vcpu_to_partition),
		NT(test_set_to_partition_that_bound),
		NT(test_set_invalid_parameters),
		NT(test_set_partition_without_property_denied),
		NT(test_sri_raised_once_per_info_get),
		NT(test_sri_npi_features),
		NT(test_npi_raised_once_per_get),
		{"test_v1_0_guest_not_supported", test_v1_0_guest_not_supported,
		 fixture_guests_setup, fixture_teardown, &fx_version_1_0},
	};

	return cmocka_run_group_tests_name("notifications", tests, NULL, NULL);
}
