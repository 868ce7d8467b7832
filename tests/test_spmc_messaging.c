/*
 * The SPMC model's notifications and direct messaging on their own
 * (spmc-model/src/notifications.c, direct_messaging.c), through
 * spmc_ns_call() with no mediator in between, and the manifest's behaviour
 * key (spmc-model/src/manifest.c). Each test plays the hypervisor at the NS
 * physical instance after FFA_VERSION(1.2): a request that breaks DEN0077A
 * v1.2 gets the FF-A error and, where the file headers say so, a mediator
 * fault naming the function ID.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ffa/notif_info.h"

#define SP_CRYPTO 0x8001  /* notification property, 8 execution contexts */
#define SP_STORAGE 0x8002 /* v1.1: no direct-req2-recv, 1 execution context */
#define SP_MULTI 0x8003   /* three UUIDs, 2 execution contexts */
#define SP_LEGACY 0x8004  /* v1.0 */
#define NOT_A_PARTITION 0x8009
#define ENV_BASE 0x10000000ULL
#define ENV_PAGES 4U

/* FFA_VERSION(1.2) from the hypervisor, which the SPMC at 1.2 must accept. */
static void ns_negotiate(struct fx_env *e)
{
	struct smccc_regs v = ffa_call(FFA_VERSION_32, FFA_VERSION_1_2, 0, 0, 0, 0);

	assert_int_equal(spmc_ns_call(&e->s, &v).x[0], FFA_VERSION_1_2);
}

/* A fresh SPMC for manifest @text (which must parse) in @e, FFA_VERSION(1.2) negotiated. */
static void restart_with_manifest(struct fx_env *e, const char *text)
{
	char err[256];

	assert_true(
		spmc_manifest_parse(text, strlen(text), "t.manifest", &e->mf, err, sizeof(err)));
	spmc_init(&e->s, &e->mf, &e->mem);
	ns_negotiate(e);
}

static int env_setup(void **state)
{
	struct fx_env *e = fx_env_new(ENV_BASE, ENV_PAGES);

	ns_negotiate(e);
	*state = e;
	return 0;
}

static void create_bitmap(struct fx_env *e, ffa_id_t vm, uint32_t vcpus)
{
	assert_ffa_success(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_CREATE_32, vm, vcpus, 0, 0, 0));
}

/* The hypervisor binds @bitmap of @vm's bitmap to partition @sp. */
static void bind_for(struct fx_env *e, ffa_id_t vm, ffa_id_t sp, uint32_t flags, uint64_t bitmap)
{
	assert_ffa_success(fx_ns_call(e, FFA_NOTIFICATION_BIND_32, ffa_sender_receiver(sp, vm),
				      flags, (uint32_t)bitmap, bitmap >> 32, 0));
}

/* Partition @sp sets @bitmap (per-vCPU ones on @vcpu) for @vm, run by @vm's direct request. */
static int32_t notify_from(struct fx_env *e, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap,
			   uint16_t vcpu)
{
	struct smccc_regs r;

	fx_behave(&e->s, sp, SPMC_BEHAVE_NOTIFY, bitmap, vcpu);
	r = fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(vm, sp), 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
	return spmc_sp_state(&e->s, sp)->last_send_status;
}

/* --- Bitmaps --- */

/* notifications.c header: creating a bitmap twice is a mediator fault (Hafnium: DENIED). */
static void test_bitmap_create_twice_denied_fault(void **state)
{
	struct fx_env *e = *state;
	struct spmc_ns *ns;

	create_bitmap(e, 1, 2);
	ns = spmc_ns_find(&e->s, 1);
	assert_non_null(ns);
	assert_true(ns->notif.created);
	assert_int_equal(ns->notif.vcpu_count, 2);
	fx_assert_faults(e, 0, 0);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_CREATE_32, 1, 4, 0, 0, 0),
			 FFA_DENIED);
	fx_assert_faults(e, 1, FFA_NOTIFICATION_BITMAP_CREATE_32);
	assert_int_equal(ns->notif.vcpu_count, 2);
}

/* BITMAP_CREATE: w1[15:0] an NS ID, w1[31:16] MBZ, w2 a vCPU count 1..16. */
static void test_bitmap_create_invalid_parameters(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_CREATE_32, 1, 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(
		fx_ns_call(e, FFA_NOTIFICATION_BITMAP_CREATE_32, 1, SPMC_MAX_NS_VCPUS + 1, 0, 0, 0),
		FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_CREATE_32, SP_CRYPTO, 1, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_CREATE_32, 1U << 16 | 1, 1, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_null(spmc_ns_find(&e->s, 1));
	create_bitmap(e, 1, SPMC_MAX_NS_VCPUS);
}

/* notifications.c header: destroying a bitmap that does not exist is a fault (DENIED). */
static void test_bitmap_destroy_missing_denied_fault(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_DESTROY_32, 5, 0, 0, 0, 0),
			 FFA_DENIED);
	fx_assert_faults(e, 1, FFA_NOTIFICATION_BITMAP_DESTROY_32);
	create_bitmap(e, 5, 1);
	assert_ffa_success(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_DESTROY_32, 5, 0, 0, 0, 0));
	assert_null(spmc_ns_find(&e->s, 5));
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_DESTROY_32, 5, 0, 0, 0, 0),
			 FFA_DENIED);
	fx_assert_faults(e, 2, FFA_NOTIFICATION_BITMAP_DESTROY_32);
}

/*
 * spmc.h: the model answers what Hafnium answers. Hafnium
 * ffa_notifications_bitmap_destroy(): "Check if there is any notification
 * pending" -> DENIED, and the bitmap stays.
 */
static void test_bitmap_destroy_with_pending_denied(void **state)
{
	struct fx_env *e = *state;

	create_bitmap(e, 1, 2);
	bind_for(e, 1, SP_CRYPTO, 0, 0x1);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x1, 0), FFA_OK);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BITMAP_DESTROY_32, 1, 0, 0, 0, 0),
			 FFA_DENIED);
	assert_non_null(spmc_ns_find(&e->s, 1));
}

/* --- BIND, UNBIND, GET --- */

/* notifications.c header: naming a partition as the receiver of BIND/UNBIND/GET is a fault. */
static void test_partition_as_receiver_invalid_fault(void **state)
{
	struct fx_env *e = *state;
	uint32_t w1 = ffa_sender_receiver(SP_STORAGE, SP_CRYPTO);

	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BIND_32, w1, 0, 1, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_NOTIFICATION_BIND_32);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_UNBIND_32, w1, 0, 1, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_NOTIFICATION_UNBIND_32);
	assert_ffa_error(
		fx_ns_call(e, FFA_NOTIFICATION_GET_32, SP_CRYPTO, FFA_NOTIFICATION_GET_SP, 0, 0, 0),
		FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 3, FFA_NOTIFICATION_GET_32);
	assert_int_equal(spmc_sp_state(&e->s, SP_CRYPTO)->notif.bound, 0);
}

/* DEN0077A BIND/GET: INVALID_PARAMETERS for a VM receiver without a bitmap. */
static void test_unknown_vm_receiver_invalid(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_BIND_32, ffa_sender_receiver(SP_CRYPTO, 7),
				    0, 1, 0, 0),
			 FFA_INVALID_PARAMETERS);
	assert_ffa_error(
		fx_ns_call(e, FFA_NOTIFICATION_GET_32, 7, FFA_NOTIFICATION_GET_SP, 0, 0, 0),
		FFA_INVALID_PARAMETERS);
	assert_null(spmc_ns_find(&e->s, 7));
}

/*
 * DEN0077A GET: at the NS physical instance the VM (bit 1) and hypervisor
 * (bit 3) flags are INVALID_PARAMETERS, as are flags[31:4] and a vCPU
 * outside the bitmap; none consumes what is pending.
 */
static void test_get_vm_or_hyp_flag_invalid(void **state)
{
	static const uint32_t bad[] = {
		FFA_NOTIFICATION_GET_VM,
		FFA_NOTIFICATION_GET_HYP,
		FFA_NOTIFICATION_GET_SP | FFA_NOTIFICATION_GET_VM,
		FFA_NOTIFICATION_GET_SP | FFA_NOTIFICATION_GET_SPM | FFA_NOTIFICATION_GET_HYP,
		FFA_NOTIFICATION_GET_SP | 0x10,
		0x80000000U,
	};
	struct fx_env *e = *state;
	struct smccc_regs r;

	create_bitmap(e, 1, 2);
	bind_for(e, 1, SP_CRYPTO, 0, 0x100000000ULL);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x100000000ULL, 0), FFA_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_GET_32, 1, bad[i], 0, 0, 0),
				 FFA_INVALID_PARAMETERS);
	}
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_GET_32, 2U << 16 | 1,
				    FFA_NOTIFICATION_GET_SP, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	r = fx_ns_call(e, FFA_NOTIFICATION_GET_32, 1, FFA_NOTIFICATION_GET_SP, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_32);
	assert_int_equal(r.x[2], 0);
	assert_int_equal(r.x[3], 1);
	fx_assert_faults(e, 0, 0);
}

/* DEN0077A SET: a partition's SET carries only global or only per-vCPU notifications. */
static void test_notify_mixing_global_and_per_vcpu_invalid(void **state)
{
	struct fx_env *e = *state;

	create_bitmap(e, 1, 2);
	bind_for(e, 1, SP_CRYPTO, 0, 0x1);
	bind_for(e, 1, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x2);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x3, 1), FFA_INVALID_PARAMETERS);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x2, 2), FFA_INVALID_PARAMETERS);
	assert_int_equal(spmc_ns_find(&e->s, 1)->notif.pending, 0);
	assert_int_equal(spmc_ns_find(&e->s, 1)->notif.pending_vcpu[1], 0);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x2, 1), FFA_OK);
	assert_int_equal(spmc_ns_find(&e->s, 1)->notif.pending_vcpu[1], 0x2);
}

/* --- INFO_GET --- */

/* DEN0077A INFO_GET: NO_DATA when nothing is pending. */
static void test_info_get_no_data(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0), FFA_NO_DATA);
	create_bitmap(e, 1, 2);
	bind_for(e, 1, SP_CRYPTO, 0, 0x1);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_INFO_GET_32, 0, 0, 0, 0, 0), FFA_NO_DATA);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0), FFA_NO_DATA);
	fx_assert_faults(e, 0, 0);
}

/* INFO_GET lists each VM's news once: global alone, per-vCPU with its vCPU IDs. */
static void test_info_get_lists(void **state)
{
	struct fx_env *e = *state;
	struct ffa_info_list got[FFA_NOTIF_INFO_MAX_IDS_64];
	struct smccc_regs r;

	create_bitmap(e, 1, 2);
	create_bitmap(e, 2, 4);
	bind_for(e, 1, SP_CRYPTO, 0, 0x1);
	bind_for(e, 2, SP_CRYPTO, FFA_NOTIFICATION_FLAG_PER_VCPU, 0x2);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x1, 0), FFA_OK);
	assert_int_equal(notify_from(e, SP_CRYPTO, 2, 0x2, 3), FFA_OK);
	r = fx_ns_call(e, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_SUCCESS_64);
	assert_int_equal(r.x[2] & FFA_NOTIF_INFO_MORE_PENDING, 0);
	assert_int_equal(ffa_info_lists_decode(&r, true, got), 2);
	assert_int_equal(got[0].id, 1);
	assert_int_equal(got[0].vcpu_count, 0);
	assert_int_equal(got[1].id, 2);
	assert_int_equal(got[1].vcpu_count, 1);
	assert_int_equal(got[1].vcpus[0], 3);
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0), FFA_NO_DATA);
	fx_assert_faults(e, 0, 0);
}

/* notifications.c: news about what a GET has since cleared is no news. */
static void test_info_get_after_get_no_data(void **state)
{
	struct fx_env *e = *state;

	create_bitmap(e, 1, 2);
	bind_for(e, 1, SP_CRYPTO, 0, 0x1);
	assert_int_equal(notify_from(e, SP_CRYPTO, 1, 0x1, 0), FFA_OK);
	assert_ffa_success(
		fx_ns_call(e, FFA_NOTIFICATION_GET_32, 1, FFA_NOTIFICATION_GET_SP, 0, 0, 0));
	assert_ffa_error(fx_ns_call(e, FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0), FFA_NO_DATA);
}

#define MANY_VMS 12
#define MANY_VCPUS 16

/*
 * INFO_GET with more news than one reply holds: 12 VMs with 16 vCPUs each,
 * every one with global and per-vCPU news (23 IDs a VM). Each reply holds
 * at most @max IDs, sets "more pending" until the last, and every piece of
 * news comes exactly once; then NO_DATA.
 */
static void drain_many(struct fx_env *e, uint32_t fid)
{
	bool is64 = fid == FFA_NOTIFICATION_INFO_GET_64;
	unsigned max = is64 ? FFA_NOTIF_INFO_MAX_IDS_64 : FFA_NOTIF_INFO_MAX_IDS_32;
	bool global_seen[MANY_VMS + 1] = {false};
	uint32_t vcpus_seen[MANY_VMS + 1] = {0};
	unsigned calls = 0, total = 0;
	bool more = true;

	for (ffa_id_t vm = 1; vm <= MANY_VMS; vm++) {
		struct spmc_notif *n;

		create_bitmap(e, vm, MANY_VCPUS);
		n = &spmc_ns_find(&e->s, vm)->notif;
		n->pending = 1;
		n->info_global = true;
		for (unsigned v = 0; v < MANY_VCPUS; v++) {
			n->pending_vcpu[v] = 2;
		}
		n->info_vcpus = (1U << MANY_VCPUS) - 1;
	}
	while (more) {
		struct smccc_regs r = fx_ns_call(e, fid, 0, 0, 0, 0, 0);
		struct ffa_info_list got[FFA_NOTIF_INFO_MAX_IDS_64];
		int lists = ffa_info_lists_decode(&r, is64, got);
		unsigned ids = 0;

		assert_int_equal(r.x[0], is64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32);
		assert_true(lists > 0);
		calls++;
		assert_true(calls < 100);
		more = (r.x[2] & FFA_NOTIF_INFO_MORE_PENDING) != 0;
		for (int i = 0; i < lists; i++) {
			ffa_id_t vm = got[i].id;

			assert_true(vm >= 1 && vm <= MANY_VMS);
			ids += 1 + got[i].vcpu_count;
			if (got[i].vcpu_count == 0) {
				assert_false(global_seen[vm]);
				global_seen[vm] = true;
			}
			for (unsigned k = 0; k < got[i].vcpu_count; k++) {
				assert_true(got[i].vcpus[k] < MANY_VCPUS);
				assert_int_equal(vcpus_seen[vm] >> got[i].vcpus[k] & 1, 0);
				vcpus_seen[vm] |= 1U << got[i].vcpus[k];
			}
		}
		assert_true(ids <= max);
		total += ids;
	}
	assert_int_equal(total, MANY_VMS * (1 + 6 + MANY_VCPUS));
	assert_true(calls >= (total + max - 1) / max);
	for (ffa_id_t vm = 1; vm <= MANY_VMS; vm++) {
		assert_true(global_seen[vm]);
		assert_int_equal(vcpus_seen[vm], (1U << MANY_VCPUS) - 1);
	}
	assert_ffa_error(fx_ns_call(e, fid, 0, 0, 0, 0, 0), FFA_NO_DATA);
	fx_assert_faults(e, 0, 0);
}

static void test_info_get_more_pending_many_vms_64(void **state)
{
	drain_many(*state, FFA_NOTIFICATION_INFO_GET_64);
}

static void test_info_get_more_pending_many_vms_32(void **state)
{
	drain_many(*state, FFA_NOTIFICATION_INFO_GET_32);
}

/* --- Direct requests at the SPMC --- */

/* A well-formed REQ_32 is echoed with RESP_32: w1 = receiver | sender, payload w3-w7. */
static void test_direct_req_echo(void **state)
{
	struct fx_env *e = *state;
	struct smccc_regs r = fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_32,
					 ffa_sender_receiver(1, SP_STORAGE), 0, 0x33, 0x44, 0x55);

	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_32);
	assert_int_equal(r.x[1], ffa_sender_receiver(SP_STORAGE, 1));
	assert_int_equal(r.x[2], 0);
	assert_int_equal(r.x[3], 0x33);
	assert_int_equal(r.x[5], 0x55);
	fx_assert_faults(e, 0, 0);
}

/* direct_messaging.c header: an unknown receiver is a fault (INVALID_PARAMETERS). */
static void test_direct_req_unknown_receiver_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_32,
				    ffa_sender_receiver(1, NOT_A_PARTITION), 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ_32);
	assert_ffa_error(
		fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(1, 2), 0, 0, 0, 0),
		FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_MSG_SEND_DIRECT_REQ_64);
}

/* direct_messaging.c header: a secure sender from the NS side is a fault. */
static void test_direct_req_secure_sender_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64,
				    ffa_sender_receiver(SP_STORAGE, SP_CRYPTO), 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ_64);
}

/* direct_messaging.c header: w2 (framework bit or MBZ bits) set is a fault. */
static void test_direct_req_w2_set_invalid_fault(void **state)
{
	struct fx_env *e = *state;

	assert_ffa_error(fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_32,
				    ffa_sender_receiver(1, SP_CRYPTO), FFA_DIRECT_MSG_FRAMEWORK, 0,
				    0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ_32);
	assert_ffa_error(fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64,
				    ffa_sender_receiver(1, SP_CRYPTO), 1, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_MSG_SEND_DIRECT_REQ_64);
}

/* A REQ2 frame: x2/x3 = UUID @u (byte 0 lowest), payload in x4.. */
static struct smccc_regs req2(struct fx_env *e, ffa_id_t sp, const struct ffa_uuid *u)
{
	struct smccc_regs c = {.x = {FFA_MSG_SEND_DIRECT_REQ2_64, ffa_sender_receiver(1, sp)}};

	c.x[2] = ffa_uuid_word64(u, 0);
	c.x[3] = ffa_uuid_word64(u, 1);
	c.x[4] = 0x44;
	c.x[17] = 0x1717;
	return spmc_ns_call(&e->s, &c);
}

/* direct_messaging.c header: a receiver whose properties refuse the request: DENIED + fault. */
static void test_direct_req_receiver_without_property_denied_fault(void **state)
{
	static const struct ffa_uuid nil;
	struct fx_env *e = *state;

	assert_ffa_error(req2(e, SP_STORAGE, &nil), FFA_DENIED);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ2_64);
	assert_ffa_error(req2(e, SP_LEGACY, &nil), FFA_DENIED);
	fx_assert_faults(e, 2, FFA_MSG_SEND_DIRECT_REQ2_64);
}

/* Direct request @fid from VM 1 to 0x8001, w2..w7 zero. */
static struct smccc_regs req_to_crypto(struct fx_env *e, uint32_t fid)
{
	return fx_ns_call(e, fid, ffa_sender_receiver(1, SP_CRYPTO), 0, 0, 0, 0);
}

/* The same for REQ, with a manifest whose partition does not receive direct requests. */
static void test_direct_req_no_direct_req_recv_denied_fault(void **state)
{
	static const char text[] = "partition 0x8001 quiet\n"
				   "    uuid " UUID_CRYPTO "\n"
				   "    properties direct-req-send notification\n";
	struct fx_env *e = *state;

	restart_with_manifest(e, text);
	assert_ffa_error(req_to_crypto(e, FFA_MSG_SEND_DIRECT_REQ_64), FFA_DENIED);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ_64);
}

/* direct_messaging.c header: a REQ2 UUID the receiver does not have: INVALID + fault. */
static void test_direct_req2_unknown_uuid_invalid_fault(void **state)
{
	static const struct ffa_uuid nil;
	struct fx_env *e = *state;
	struct ffa_uuid other = fx_uuid(UUID_MULTI0);
	struct ffa_uuid own = fx_uuid(UUID_CRYPTO);
	struct ffa_uuid second = fx_uuid(UUID_MULTI1);
	struct smccc_regs r;

	assert_ffa_error(req2(e, SP_CRYPTO, &other), FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ2_64);
	/* Nil (the default service), its own UUID, and any of a partition's UUIDs work. */
	r = req2(e, SP_CRYPTO, &nil);
	assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	assert_int_equal(r.x[17], 0x1717);
	assert_int_equal(req2(e, SP_CRYPTO, &own).x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	assert_int_equal(req2(e, SP_MULTI, &second).x[0], FFA_MSG_SEND_DIRECT_RESP2_64);
	fx_assert_faults(e, 1, FFA_MSG_SEND_DIRECT_REQ2_64);
}

/* direct_messaging.c header: FFA_RUN of an unknown partition or vCPU: INVALID + fault. */
static void test_run_unknown_partition_or_vcpu_invalid_fault(void **state)
{
	struct fx_env *e = *state;
	struct smccc_regs r;

	assert_ffa_error(fx_ns_call(e, FFA_RUN_32, ffa_target_info(NOT_A_PARTITION, 0), 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 1, FFA_RUN_32);
	assert_ffa_error(fx_ns_call(e, FFA_RUN_32, ffa_target_info(SP_STORAGE, 1), 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 2, FFA_RUN_32);
	assert_ffa_error(fx_ns_call(e, FFA_RUN_32, ffa_target_info(SP_CRYPTO, 8), 0, 0, 0, 0),
			 FFA_INVALID_PARAMETERS);
	fx_assert_faults(e, 3, FFA_RUN_32);
	/* The last vCPU exists: a waiting vCPU runs and waits again. */
	r = fx_ns_call(e, FFA_RUN_32, ffa_target_info(SP_CRYPTO, 7), 0, 0, 0, 0);
	assert_int_equal(r.x[0], FFA_MSG_WAIT_32);
	assert_int_equal(r.x[1], ffa_target_info(SP_CRYPTO, 7));
	fx_assert_faults(e, 3, FFA_RUN_32);
}

/*
 * direct_messaging.c header: a request to a vCPU that is blocked or
 * preempted inside another gets BUSY; not a fault. FFA_RUN finishes it.
 */
static void test_direct_req_blocked_or_preempted_vcpu_busy(void **state)
{
	static const enum spmc_behaviour_kind kinds[] = {SPMC_BEHAVE_YIELD, SPMC_BEHAVE_INTERRUPT};
	static const uint32_t answers[] = {FFA_YIELD_32, FFA_INTERRUPT_32};
	struct fx_env *e = *state;

	for (unsigned i = 0; i < 2; i++) {
		struct smccc_regs r;

		fx_behave(&e->s, SP_CRYPTO, kinds[i], 5, 0);
		r = fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64, ffa_sender_receiver(1, SP_CRYPTO), 0,
			       0xAA, 0, 0);
		assert_int_equal(r.x[0], answers[i]);
		assert_int_equal(r.x[1], ffa_target_info(SP_CRYPTO, 0));
		assert_ffa_error(fx_ns_call(e, FFA_MSG_SEND_DIRECT_REQ_64,
					    ffa_sender_receiver(2, SP_CRYPTO), 0, 0xBB, 0, 0),
				 FFA_BUSY);
		r = fx_ns_call(e, FFA_RUN_32, ffa_target_info(SP_CRYPTO, 0), 0, 0, 0, 0);
		assert_int_equal(r.x[0], FFA_MSG_SEND_DIRECT_RESP_64);
		assert_int_equal(r.x[1], ffa_sender_receiver(SP_CRYPTO, 1));
		assert_int_equal(r.x[3], 0xAA);
	}
	fx_assert_faults(e, 0, 0);
}

/* --- The manifest's behaviour key --- */

/* A one-partition manifest in @text whose third line is @line; returns its length. */
static size_t behaviour_manifest(char text[256], const char *line)
{
	int n = snprintf(text, 256, "partition 0x8001 a\n    uuid %s\n    %s\n", UUID_CRYPTO, line);

	assert_true(n > 0 && n < 256);
	return (size_t)n;
}

/* Parse a one-partition manifest whose third line is @line; returns its behaviour. */
static struct spmc_behaviour parse_behaviour_line(const char *line)
{
	struct spmc_manifest *mf = calloc(1, sizeof(*mf));
	struct spmc_behaviour b;
	char text[256];
	char err[256];
	size_t n = behaviour_manifest(text, line);

	assert_non_null(mf);
	if (!spmc_manifest_parse(text, n, "t.manifest", mf, err, sizeof(err))) {
		free(mf);
		fail_msg("\"%s\" rejected: %s", line, err);
	}
	b = mf->partitions[0].behaviour;
	free(mf);
	return b;
}

/* @line is rejected at t.manifest:3, with "behaviour" in the message. */
static void assert_behaviour_rejected(const char *line)
{
	struct spmc_manifest *mf = calloc(1, sizeof(*mf));
	char text[256];
	char err[256] = "";
	size_t n = behaviour_manifest(text, line);
	bool ok;

	assert_non_null(mf);
	ok = spmc_manifest_parse(text, n, "t.manifest", mf, err, sizeof(err));
	free(mf);
	if (ok) {
		fail_msg("\"%s\" accepted", line);
	}
	if (strncmp(err, "t.manifest:3: ", 14) != 0 || strstr(err, "behaviour") == NULL) {
		fail_msg("\"%s\": error \"%s\"", line, err);
	}
}

/* "behaviour <name of @kind>", with the arguments @kind needs, parsed; returns the behaviour. */
static struct spmc_behaviour parse_named_behaviour(unsigned kind)
{
	const char *args = kind == SPMC_BEHAVE_ERROR       ? " -6"
			   : kind == SPMC_BEHAVE_INTERRUPT ? " 5"
			   : kind == SPMC_BEHAVE_NOTIFY    ? " 0x1"
							   : "";
	char line[64];

	snprintf(line, sizeof(line), "behaviour %s%s",
		 spmc_behaviour_name((enum spmc_behaviour_kind)kind), args);
	return parse_behaviour_line(line);
}

/* spmc.h: behaviour error <status>, interrupt <id>, notify <bitmap> [vcpu]. */
static void test_manifest_behaviour_forms(void **state)
{
	struct spmc_behaviour b;

	(void)state;
	b = parse_behaviour_line("behaviour error -6");
	assert_int_equal(b.kind, SPMC_BEHAVE_ERROR);
	assert_int_equal(b.arg, (uint32_t)FFA_DENIED);
	b = parse_behaviour_line("behaviour error -10");
	assert_int_equal(b.arg, (uint32_t)FFA_NOT_READY);
	b = parse_behaviour_line("behaviour interrupt 5");
	assert_int_equal(b.kind, SPMC_BEHAVE_INTERRUPT);
	assert_int_equal(b.arg, 5);
	b = parse_behaviour_line("behaviour notify 0x3 1");
	assert_int_equal(b.kind, SPMC_BEHAVE_NOTIFY);
	assert_int_equal(b.arg, 0x3);
	assert_int_equal(b.arg2, 1);
	b = parse_behaviour_line("behaviour notify 0x8000000000000000");
	assert_int_equal(b.arg, 0x8000000000000000ULL);
	assert_int_equal(b.arg2, 0);
	/* Every behaviour without arguments, by its name. */
	for (unsigned k = 0; k < SPMC_BEHAVE_COUNT; k++) {
		if (k == SPMC_BEHAVE_ERROR || k == SPMC_BEHAVE_INTERRUPT ||
		    k == SPMC_BEHAVE_NOTIFY) {
			continue;
		}
		b = parse_named_behaviour(k);
		assert_int_equal(b.kind, k);
		assert_int_equal(b.arg, 0);
	}
	/* No behaviour line: echo. */
	assert_int_equal(spmc_manifest_default()->partitions[0].behaviour.kind, SPMC_BEHAVE_ECHO);
}

/* spmc_manifest_parse(): every error names file:line and what was expected. */
static void test_manifest_behaviour_bad_forms_rejected(void **state)
{
	static const char *const bad[] = {
		"behaviour",
		"behaviour nope",
		"behaviour error",
		"behaviour error 1",
		"behaviour error 0",
		"behaviour error -11",
		"behaviour error -6 -6",
		"behaviour interrupt",
		"behaviour interrupt -1",
		"behaviour notify",
		"behaviour notify 0",
		"behaviour notify 1 99",
		"behaviour notify 1 16",
		"behaviour notify 1 1 1",
		"behaviour notify 0x1zz",
		"behaviour echo 1",
		"behaviour ECHO",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_behaviour_rejected(bad[i]);
	}
}

/* As every other numeric key (parse_u32()): trailing garbage is not a number. */
static void test_manifest_behaviour_error_trailing_garbage_rejected(void **state)
{
	(void)state;
	assert_behaviour_rejected("behaviour error -6x");
	assert_behaviour_rejected("behaviour error abc");
}

/* A behaviour from the manifest is what the partition does after spmc_init(). */
static void test_manifest_behaviour_applies(void **state)
{
	static const char text[] = "partition 0x8001 a\n"
				   "    uuid " UUID_CRYPTO "\n"
				   "    properties direct-req-recv\n"
				   "    behaviour error -4\n";
	struct fx_env *e = *state;

	restart_with_manifest(e, text);
	assert_ffa_error(req_to_crypto(e, FFA_MSG_SEND_DIRECT_REQ_32), FFA_BUSY);
	fx_assert_faults(e, 0, 0);
}

/* spmc.h spmc_behaviour_name(): the manifest name of each kind. */
static void test_behaviour_names(void **state)
{
	(void)state;
	for (unsigned k = 0; k < SPMC_BEHAVE_COUNT; k++) {
		const char *name = spmc_behaviour_name((enum spmc_behaviour_kind)k);

		assert_non_null(name);
		assert_string_not_equal(name, "unknown");
		for (unsigned j = 0; j < k; j++) {
			assert_string_not_equal(name,
						spmc_behaviour_name((enum spmc_behaviour_kind)j));
		}
		/* The name is the manifest's: "behaviour <name>" parses back to the kind. */
		assert_int_equal(parse_named_behaviour(k).kind, k);
	}
	assert_string_equal(spmc_behaviour_name(SPMC_BEHAVE_COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ENV_TEST(test_bitmap_create_twice_denied_fault),
		ENV_TEST(test_bitmap_create_invalid_parameters),
		ENV_TEST(test_bitmap_destroy_missing_denied_fault),
		ENV_TEST(test_bitmap_destroy_with_pending_denied),
		ENV_TEST(test_partition_as_receiver_invalid_fault),
		ENV_TEST(test_unknown_vm_receiver_invalid),
		ENV_TEST(test_get_vm_or_hyp_flag_invalid),
		ENV_TEST(test_notify_mixing_global_and_per_vcpu_invalid),
		ENV_TEST(test_info_get_no_data),
		ENV_TEST(test_info_get_lists),
		ENV_TEST(test_info_get_after_get_no_data),
		ENV_TEST(test_info_get_more_pending_many_vms_64),
		ENV_TEST(test_info_get_more_pending_many_vms_32),
		ENV_TEST(test_direct_req_echo),
		ENV_TEST(test_direct_req_unknown_receiver_invalid_fault),
		ENV_TEST(test_direct_req_secure_sender_invalid_fault),
		ENV_TEST(test_direct_req_w2_set_invalid_fault),
		ENV_TEST(test_direct_req_receiver_without_property_denied_fault),
		ENV_TEST(test_direct_req_no_direct_req_recv_denied_fault),
		ENV_TEST(test_direct_req2_unknown_uuid_invalid_fault),
		ENV_TEST(test_run_unknown_partition_or_vcpu_invalid_fault),
		ENV_TEST(test_direct_req_blocked_or_preempted_vcpu_busy),
		cmocka_unit_test(test_manifest_behaviour_forms),
		cmocka_unit_test(test_manifest_behaviour_bad_forms_rejected),
		cmocka_unit_test(test_manifest_behaviour_error_trailing_garbage_rejected),
		ENV_TEST(test_manifest_behaviour_applies),
		cmocka_unit_test(test_behaviour_names),
	};

	return cmocka_run_group_tests_name("spmc_messaging", tests, NULL, NULL);
}
