/*
 * The SPMC side of notifications (DEN0077A v1.1+ notifications chapter:
 * FFA_NOTIFICATION_BITMAP_CREATE/DESTROY, BIND, UNBIND, SET, GET, INFO_GET)
 * for the hypervisor caller, which acts for its VMs.
 *
 * VM receivers: the hypervisor creates a VM's bitmap (w1[15:0] VM ID, w2
 * vCPU count), binds bits of it to a partition sender (each bit to one
 * sender, global or per-vCPU), gets and clears what is pending (SP bitmap in
 * w2/w3, SPM framework bitmap in w6; the VM and hypervisor bitmaps are the
 * hypervisor's own business, so asking for them here is INVALID_PARAMETERS),
 * and learns which VMs have news with INFO_GET. Partitions set VM
 * notifications through the notify behaviour, under the same binding rules
 * as FFA_NOTIFICATION_SET.
 *
 * Partition receivers: a VM's FFA_NOTIFICATION_SET to a partition with the
 * notification property is accepted for every bit while the partition has
 * bound none itself (a partition-side call no NS call can make; a scenario's
 * "bind" line makes it through spmc_sp_bind()): from its first bind, only
 * the bits bound to that VM, per vCPU exactly when bound so (DENIED,
 * INVALID_PARAMETERS), as for a VM receiver.
 * What is pending for a partition (those bits, and the RX-full SPM
 * framework notification of an indirect message) stays pending until the
 * scheduler runs it (FFA_RUN): it then gets them, as the compliance suite's
 * receivers do (ffa_msg_send2_server: NOTIFICATION_GET, read, RX_RELEASE,
 * MSG_WAIT).
 *
 * BIND, UNBIND and BITMAP_DESTROY are DENIED while a bit they touch is
 * pending, globally or on any vCPU (Hafnium vm_are_notifications_pending).
 *
 * Mediator faults: creating a bitmap twice, destroying one that does not
 * exist, naming a partition as the receiver of BIND, UNBIND or GET.
 */
#include "internal.h"

#include "ffa/notif_info.h"


/* Every pending bit of @n, global or on any vCPU. */
static uint64_t all_pending(const struct spmc_notif *n)
{
	uint64_t bits = n->pending;

	for (unsigned v = 0; v < SPMC_MAX_NS_VCPUS; v++) {
		bits |= n->pending_vcpu[v];
	}
	return bits;
}

struct smccc_regs spmc_ffa_notification_bitmap_create(struct spmc *s,
						      const struct smccc_regs *args)
{
	ffa_id_t vm = ffa_receiver(args);
	uint32_t vcpus = ffa_w(args, 2);
	struct spmc_ns *ns;

	if ((ffa_w(args, 1) >> 16) != 0 || ffa_id_is_secure(vm) || vcpus == 0 ||
	    vcpus > SPMC_MAX_NS_VCPUS) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	ns = spmc_ns_add(s, vm);
	if (ns == NULL) {
		return ffa_error(FFA_NO_MEMORY);
	}
	if (ns->notif.created) {
		return spmc_fault(s, FFA_NOTIFICATION_BITMAP_CREATE_32,
				  "bitmap created twice for one VM", FFA_DENIED);
	}
	ns->notif = (struct spmc_notif){.created = true, .vcpu_count = (uint16_t)vcpus};
	return ffa_success(0);
}

struct smccc_regs spmc_ffa_notification_bitmap_destroy(struct spmc *s,
						       const struct smccc_regs *args)
{
	struct spmc_ns *ns = spmc_ns_find(s, ffa_receiver(args));

	if ((ffa_w(args, 1) >> 16) != 0 || ns == NULL || !ns->notif.created) {
		return spmc_fault(s, FFA_NOTIFICATION_BITMAP_DESTROY_32,
				  "destroy of a bitmap that does not exist", FFA_DENIED);
	}
	if (all_pending(&ns->notif) != 0) {
		return ffa_error(FFA_DENIED); /* Hafnium: not while notifications are pending */
	}
	ns->notif = (struct spmc_notif){0};
	spmc_ns_forget_if_unused(ns);
	return ffa_success(0);
}

/* The VM receiver a BIND/UNBIND/GET names, or NULL (INVALID_PARAMETERS). */
static struct spmc_notif *vm_receiver(struct spmc *s, ffa_id_t id, uint32_t fid)
{
	struct spmc_ns *ns;

	if (ffa_id_is_secure(id)) {
		spmc_fault(s, fid, "a partition named as a receiver by the hypervisor",
			   FFA_INVALID_PARAMETERS);
		return NULL;
	}
	ns = spmc_ns_find(s, id);
	return ns != NULL && ns->notif.created ? &ns->notif : NULL;
}

/* BIND: w1 = sender | receiver, w2 bit 0 per-vCPU (rest MBZ), w3/w4 bitmap. */
struct smccc_regs spmc_ffa_notification_bind(struct spmc *s, const struct smccc_regs *args)
{
	struct spmc_notif *n = vm_receiver(s, ffa_receiver(args), FFA_NOTIFICATION_BIND_32);
	ffa_id_t sender = ffa_sender(args);
	uint32_t flags = ffa_w(args, 2);
	uint64_t bitmap = ffa_notification_bitmap(ffa_w(args, 3), ffa_w(args, 4));

	if (n == NULL || spmc_partition_find(s, sender) == NULL ||
	    (flags & ~FFA_NOTIFICATION_FLAG_PER_VCPU) != 0 || bitmap == 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if ((bitmap & all_pending(n)) != 0) {
		return ffa_error(FFA_DENIED); /* pending, globally or on any vCPU */
	}
	for (unsigned i = 0; i < 64; i++) {
		if ((bitmap >> i & 1) && (n->bound >> i & 1) && n->sender[i] != sender) {
			return ffa_error(FFA_DENIED); /* bound to another sender */
		}
	}
	for (unsigned i = 0; i < 64; i++) {
		if (bitmap >> i & 1) {
			n->sender[i] = sender;
		}
	}
	n->bound |= bitmap;
	n->per_vcpu = (flags & FFA_NOTIFICATION_FLAG_PER_VCPU) ? n->per_vcpu | bitmap
							       : n->per_vcpu & ~bitmap;
	return ffa_success(0);
}

/* UNBIND: w1 = sender | receiver, w2 MBZ, w3/w4 bitmap. */
struct smccc_regs spmc_ffa_notification_unbind(struct spmc *s, const struct smccc_regs *args)
{
	struct spmc_notif *n = vm_receiver(s, ffa_receiver(args), FFA_NOTIFICATION_UNBIND_32);
	ffa_id_t sender = ffa_sender(args);
	uint64_t bitmap = ffa_notification_bitmap(ffa_w(args, 3), ffa_w(args, 4));

	if (n == NULL || ffa_w(args, 2) != 0 || bitmap == 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if ((bitmap & all_pending(n)) != 0) {
		return ffa_error(FFA_DENIED); /* Hafnium: not while pending */
	}
	for (unsigned i = 0; i < 64; i++) {
		if ((bitmap >> i & 1) && (!(n->bound >> i & 1) || n->sender[i] != sender)) {
			return ffa_error(FFA_DENIED);
		}
	}
	n->bound &= ~bitmap;
	n->per_vcpu &= ~bitmap;
	return ffa_success(0);
}

/*
 * Whether @sender may set @bitmap in @n, global or @per_vcpu. Returns: FFA_OK;
 * DENIED (a bit not bound to @sender); INVALID_PARAMETERS (bits bound with
 * the other per-vCPU flag, or a mix of both).
 */
static int bound_for(const struct spmc_notif *n, ffa_id_t sender, uint64_t bitmap, bool per_vcpu)
{
	for (unsigned i = 0; i < 64; i++) {
		if ((bitmap >> i & 1) && (!(n->bound >> i & 1) || n->sender[i] != sender)) {
			return FFA_DENIED;
		}
	}
	return (n->per_vcpu & bitmap) == (per_vcpu ? bitmap : 0) ? FFA_OK : FFA_INVALID_PARAMETERS;
}

/* Make @bitmap pending in @n: global, or per-vCPU on @vcpu; the SRI is pended. */
static void make_pending(struct spmc *s, struct spmc_notif *n, uint64_t bitmap, bool per_vcpu,
			 uint16_t vcpu)
{
	s->sri_pending = true;
	if (per_vcpu) {
		n->pending_vcpu[vcpu] |= bitmap;
		n->info_vcpus |= 1U << vcpu;
	} else {
		n->pending |= bitmap;
		n->info_global = true;
	}
}

/*
 * SET from the hypervisor: a VM signals a partition. w1 = sender VM |
 * receiver SP; w2 bit 0 per-vCPU, bit 1 delay SRI, [15:2] MBZ, [31:16]
 * receiver vCPU (0 unless per-vCPU); w3/w4 bitmap, non-zero.
 */
struct smccc_regs spmc_ffa_notification_set(struct spmc *s, const struct smccc_regs *args)
{
	const struct spmc_partition *sp = spmc_partition_find(s, ffa_receiver(args));
	uint32_t flags = ffa_w(args, 2);
	bool per_vcpu = (flags & FFA_NOTIFICATION_FLAG_PER_VCPU) != 0;
	uint16_t vcpu = (uint16_t)(flags >> FFA_NOTIFICATION_SET_VCPU_SHIFT);
	uint64_t bitmap = ffa_notification_bitmap(ffa_w(args, 3), ffa_w(args, 4));
	struct spmc_sp *st;

	if (sp == NULL || ffa_id_is_secure(ffa_sender(args)) ||
	    (flags & FFA_NOTIFICATION_SET_MBZ) != 0 || bitmap == 0 ||
	    (!per_vcpu && vcpu != 0) || vcpu >= sp->exec_ctx_count) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!(sp->properties & FFA_PARTITION_NOTIFICATION)) {
		return ffa_error(FFA_DENIED);
	}
	st = spmc_sp_state(s, sp->id);
	if (st->binds_own) {
		int err = bound_for(&st->notif, ffa_sender(args), bitmap, per_vcpu);

		if (err != FFA_OK) {
			return ffa_error(err);
		}
	}
	make_pending(s, &st->notif, bitmap, per_vcpu, vcpu);
	st->npi_pending |= 1U << vcpu; /* a global notification: the vCPU that runs first, 0 */
	return ffa_success(0);
}

int spmc_notify_ns(struct spmc *s, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap, uint16_t vcpu)
{
	struct spmc_ns *ns = spmc_ns_find(s, vm);
	struct spmc_notif *n = ns != NULL && ns->notif.created ? &ns->notif : NULL;
	bool per_vcpu;
	int err;

	if (n == NULL || bitmap == 0 || vcpu >= n->vcpu_count) {
		return FFA_INVALID_PARAMETERS;
	}
	/* A SET carries only global or only per-vCPU notifications. */
	per_vcpu = (n->per_vcpu & bitmap) != 0;
	err = bound_for(n, sp, bitmap, per_vcpu);
	if (err != FFA_OK) {
		return err;
	}
	make_pending(s, n, bitmap, per_vcpu, per_vcpu ? vcpu : 0);
	return FFA_OK;
}

int spmc_sp_bind(struct spmc *s, ffa_id_t sp, ffa_id_t vm, uint64_t bitmap, bool per_vcpu)
{
	const struct spmc_partition *p = spmc_partition_find(s, sp);
	struct spmc_sp *st;

	if (p == NULL || ffa_id_is_secure(vm) || bitmap == 0) {
		return FFA_INVALID_PARAMETERS;
	}
	if (!(p->properties & FFA_PARTITION_NOTIFICATION)) {
		return FFA_DENIED;
	}
	st = spmc_sp_state(s, sp);
	for (unsigned i = 0; i < 64; i++) {
		if ((bitmap >> i & 1) && (st->notif.bound >> i & 1) && st->notif.sender[i] != vm) {
			return FFA_DENIED;
		}
	}
	for (unsigned i = 0; i < 64; i++) {
		if (bitmap >> i & 1) {
			st->notif.sender[i] = vm;
		}
	}
	st->notif.bound |= bitmap;
	st->notif.per_vcpu = per_vcpu ? st->notif.per_vcpu | bitmap : st->notif.per_vcpu & ~bitmap;
	st->binds_own = true;
	return FFA_OK;
}

void spmc_notify_framework(struct spmc *s, struct spmc_notif *n, uint32_t bits)
{
	s->sri_pending = true;
	n->framework |= bits;
	n->info_global = true;
}

void spmc_sp_notifications_take(struct spmc_sp *st, uint16_t vcpu)
{
	st->notif.pending = 0;
	st->notif.framework = 0;
	if (vcpu < SPMC_MAX_NS_VCPUS) {
		st->notif.pending_vcpu[vcpu] = 0;
	}
	st->npi_pending &= ~(1U << vcpu);
}

bool spmc_sri_take(struct spmc *s)
{
	bool was = s->sri_pending;

	s->sri_pending = false;
	return was;
}

/*
 * GET: w1 = vCPU << 16 | receiver VM; w2 flags (SP bit 0, SPM bit 2; VM
 * bit 1 and hypervisor bit 3 are INVALID at the NS physical instance;
 * [31:4] MBZ). Returns and clears the receiver's pending global and vCPU
 * notifications (w2/w3) and SPM framework notifications (w6).
 */
struct smccc_regs spmc_ffa_notification_get(struct spmc *s, const struct smccc_regs *args)
{
	struct spmc_notif *n = vm_receiver(s, ffa_receiver(args), FFA_NOTIFICATION_GET_32);
	uint16_t vcpu = ffa_sender(args);
	uint32_t flags = ffa_w(args, 2);
	struct smccc_regs res = {.x = {FFA_SUCCESS_32}};

	if (n == NULL || vcpu >= n->vcpu_count ||
	    (flags & (FFA_NOTIFICATION_GET_MBZ | FFA_NOTIFICATION_GET_VM |
		      FFA_NOTIFICATION_GET_HYP)) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (flags & FFA_NOTIFICATION_GET_SP) {
		uint64_t got = n->pending | n->pending_vcpu[vcpu];

		res.x[2] = (uint32_t)got;
		res.x[3] = (uint32_t)(got >> 32);
		n->pending = 0;
		n->pending_vcpu[vcpu] = 0;
	}
	if (flags & FFA_NOTIFICATION_GET_SPM) {
		res.x[6] = n->framework;
		n->framework = 0;
	}
	return res;
}

/* The vCPUs of @n with per-vCPU notifications pending, as a bit mask. */
static uint32_t vcpus_pending(const struct spmc_notif *n)
{
	uint32_t mask = 0;

	for (unsigned v = 0; v < n->vcpu_count && v < SPMC_MAX_NS_VCPUS; v++) {
		mask |= n->pending_vcpu[v] != 0 ? 1U << v : 0;
	}
	return mask;
}

/* Add @id's news in @n to @l, forgetting what a GET has since cleared. Returns: false when it did not all fit. */
static bool add_news(struct ffa_info_lists *l, ffa_id_t id, struct spmc_notif *n)
{
	n->info_global = n->info_global && (n->pending != 0 || n->framework != 0);
	n->info_vcpus &= vcpus_pending(n);
	return ffa_info_lists_add(l, id, &n->info_global, &n->info_vcpus);
}

/*
 * INFO_GET (32 or 64): for each endpoint with news since the last INFO_GET,
 * VMs first, then partitions (DEN0077A v1.2 chapter 10: the scheduler learns
 * which partitions to run as well as which VMs), a list with its ID alone
 * (global or framework notifications), then lists of its ID followed by up
 * to three vCPU IDs with per-vCPU notifications. News is told once; what
 * does not fit waits for the next call (x2 bit 0 says more is pending).
 * NO_DATA when no endpoint has news.
 */
struct smccc_regs spmc_ffa_notification_info_get(struct spmc *s, const struct smccc_regs *args)
{
	bool is64 = ffa_func(args) == FFA_NOTIFICATION_INFO_GET_64;
	struct smccc_regs res = {.x = {is64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32}};
	struct ffa_info_lists l;
	bool more = false;

	ffa_info_lists_init(&l, &res, is64);
	for (unsigned i = 0; i < SPMC_MAX_NS; i++) {
		if (s->ns[i].used) {
			more = !add_news(&l, s->ns[i].id, &s->ns[i].notif) || more;
		}
	}
	for (unsigned i = 0; i < s->manifest->partition_count; i++) {
		more = !add_news(&l, s->manifest->partitions[i].id, &s->sps[i].notif) || more;
	}
	if (ffa_info_lists_finish(&l, more) == 0) {
		return ffa_error(FFA_NO_DATA);
	}
	return res;
}
