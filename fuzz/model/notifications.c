/*
 * The state model, notifications (DEN0077A v1.2 chapter 10 and §17.2-17.7:
 * FFA_NOTIFICATION_BIND/UNBIND/SET/GET; ffa-facts.md §2 "Notifications").
 * A receiver binds bits to the one sender allowed to set them, globally or
 * per vCPU; a sender's SET pends them; the receiver's GET returns what is
 * pending for it (global bits and the named vCPU's) per source, and clears
 * what it returned.
 *
 * The model keeps each VM's bindings (from its BIND and UNBIND successes),
 * the bits VMs set for it, and what partitions and the SPM pended for it:
 * every bit the SPMC model showed pending for the VM, before and after each
 * call, until a GET returned it (a mediator may fetch bits from the SPMC
 * before the VM asks for them and hold them: they are pending still).
 *
 *   notification-bindings: BIND succeeds only for bits not bound to another
 *     sender (DENIED, §17.2; binding them again to the same sender may be
 *     refused, as Hafnium does, or take the new per-vCPU flag), UNBIND only
 *     for bits bound to that sender (DENIED, §17.3); a VM's SET to a VM
 *     succeeds only for bits the receiver bound to that sender, per vCPU
 *     exactly when they were bound so (DENIED / INVALID_PARAMETERS, §17.4);
 *     so does a VM's SET to a partition that bound bits itself (the SPMC
 *     model's record; the compliance suite's notification_set check 8).
 *   notification-get-exact: GET returns, for each source its flags ask for
 *     (w2 bit 0 partitions, bit 1 VMs, bit 2 SPM framework, bit 3 hypervisor
 *     framework: RX full after a VM's message, indirect_messaging.c), exactly the bits
 *     pending for the caller globally and on the vCPU it names, and zero for
 *     a source not asked for; the partition bits returned are no longer
 *     pending at the SPMC, the VM bits no longer pending at all (§17.5).
 *   sri-signalled: a VM that FFA_FEATURES told the schedule receiver
 *     interrupt's ID (feature ID 2) gets that interrupt by the end of a call
 *     in which something new became pending for it (a partition's or a VM's
 *     notification, an SPM or hypervisor framework notification: its RX
 *     filled), or in which its message filled a partition's RX (it schedules
 *     the partition: the compliance suite's ffa_msg_send2 waits for the SRI
 *     there), unless the interrupt reached it since its last
 *     FFA_NOTIFICATION_INFO_GET served (its lists or NO_DATA; a refused one
 *     acknowledges nothing), which the news waits for (DEN0077A v1.2
 *     chapter 10: the SRI tells the scheduler to call INFO_GET).
 */
#include "model.h"

#include <string.h>

#include "harness.h"

static uint64_t bitmap_of(const struct smccc_regs *r, unsigned lo)
{
	return ffa_notification_bitmap(ffa_w(r, lo), ffa_w(r, lo + 1));
}

static struct model_vm *vm_of(struct fuzz_machine *fm, ffa_id_t id)
{
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		if (fm->model.vms[i].id == id) {
			return &fm->model.vms[i];
		}
	}
	return NULL;
}

static void follow_bind(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
			bool bind)
{
	ffa_id_t sender = ffa_sender(call);
	uint64_t bits = bitmap_of(call, 3);
	bool per_vcpu = bind && (ffa_w(call, 2) & FFA_NOTIFICATION_FLAG_PER_VCPU);

	if (ffa_receiver(call) != v->id) {
		return; /* forwarded-names-caller's */
	}
	for (unsigned n = 0; n < 64; n++) {
		bool bound = v->bound >> n & 1;

		if (!(bits >> n & 1)) {
			continue;
		}
		if (bind ? bound && v->bound_to[n] != sender : !bound || v->bound_to[n] != sender) {
			oracle_violation(fm, "notification-bindings", "VM %#x %s bit %u %s %#x: %s", v->id,
					 bind ? "bound" : "unbound", n, bind ? "to" : "from", sender,
					 bound ? "bound otherwise" : "not bound");
			return;
		}
		if (bind) {
			v->bound_to[n] = sender;
		}
	}
	if (bind) {
		v->bound |= bits;
		v->bound_per_vcpu = per_vcpu ? v->bound_per_vcpu | bits : v->bound_per_vcpu & ~bits;
		model_count(MODEL_T_NOTIF_BOUND);
	} else {
		v->bound &= ~bits;
		v->bound_per_vcpu &= ~bits;
		model_count(MODEL_T_NOTIF_UNBOUND);
	}
}

/* The bindings a SET is judged against: a VM's (the model's) or a partition's (the SPMC model's). */
struct bindings {
	uint64_t bound, per_vcpu;
	const ffa_id_t *sender;
};

/* notification-bindings: VM @v's SET of @bits to @to, which bound them as @b says. Returns: whether it may. */
static bool set_allowed(struct fuzz_machine *fm, const struct model_vm *v, ffa_id_t to, struct bindings b,
			uint64_t bits, bool per_vcpu)
{
	for (unsigned n = 0; n < 64; n++) {
		if ((bits >> n & 1) && (!(b.bound >> n & 1) || b.sender[n] != v->id ||
					(b.per_vcpu >> n & 1) != per_vcpu)) {
			oracle_violation(fm, "notification-bindings", "VM %#x set bit %u%s for %#x, which bound it %s",
					 v->id, n, per_vcpu ? " per vCPU" : "", to,
					 !(b.bound >> n & 1) ? "to no one"
					 : b.sender[n] != v->id ? "to another sender"
					 : "with the other per-vCPU flag");
			return false;
		}
	}
	return true;
}

static void follow_set(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call)
{
	ffa_id_t to = ffa_receiver(call);
	struct model_vm *r = vm_of(fm, to);
	uint64_t bits = bitmap_of(call, 3);
	uint32_t flags = ffa_w(call, 2);
	bool per_vcpu = flags & FFA_NOTIFICATION_FLAG_PER_VCPU;
	uint32_t vcpu = flags >> FFA_NOTIFICATION_SET_VCPU_SHIFT;

	if (ffa_sender(call) != v->id) {
		return; /* a forged sender: forwarded-names-caller's */
	}
	if (r == NULL) {
		/* A partition takes every bit from every VM until it binds some itself (spmc_sp_bind()). */
		const struct spmc_sp *sp = spmc_partition_find(&fm->spmc, to) ? spmc_sp_state(&fm->spmc, to) : NULL;

		if (sp != NULL && sp->binds_own) {
			set_allowed(fm, v, to, (struct bindings){sp->notif.bound, sp->notif.per_vcpu, sp->notif.sender},
				    bits, per_vcpu);
		}
		return;
	}
	if (!set_allowed(fm, v, to, (struct bindings){r->bound, r->bound_per_vcpu, r->bound_to}, bits, per_vcpu)) {
		return;
	}
	r->news++;
	if (per_vcpu && vcpu < MODEL_MAX_VM_VCPUS) {
		r->vm_pending_vcpu[vcpu] |= bits;
	} else if (!per_vcpu) {
		r->vm_pending |= bits;
	}
	model_count(MODEL_T_NOTIF_SET_VM);
}

/*
 * A bitmap created or destroyed for VM @v (a caller at the physical
 * instance may: §17.8-17.9, passed through by some backends): no bindings,
 * nothing pending.
 */
static void forget(struct model_vm *v)
{
	if (v != NULL) {
		v->bound = v->bound_per_vcpu = 0;
		v->vm_pending = v->sp_pending = 0;
		v->spm_pending = v->hyp_pending = 0;
		memset(v->vm_pending_vcpu, 0, sizeof(v->vm_pending_vcpu));
		memset(v->sp_pending_vcpu, 0, sizeof(v->sp_pending_vcpu));
	}
}

void model_notifications_observe(struct fuzz_machine *fm)
{
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		struct model_vm *v = &fm->model.vms[i];
		const struct spmc_ns *ns = spmc_ns_find(&fm->spmc, v->id);

		if (ns == NULL || !ns->notif.created) {
			continue;
		}
		bool fresh = (ns->notif.pending & ~v->sp_pending) || (ns->notif.framework & ~v->spm_pending);

		v->sp_pending |= ns->notif.pending;
		v->spm_pending |= ns->notif.framework;
		for (unsigned c = 0; c < MODEL_MAX_VM_VCPUS && c < SPMC_MAX_NS_VCPUS; c++) {
			fresh = fresh || (ns->notif.pending_vcpu[c] & ~v->sp_pending_vcpu[c]);
			v->sp_pending_vcpu[c] |= ns->notif.pending_vcpu[c];
		}
		v->news += fresh;
	}
}

void model_irq(struct fuzz_machine *fm, ffa_id_t vm, uint32_t intid)
{
	struct model_vm *v = vm_of(fm, vm);

	if (v == NULL || intid >= 32) {
		return;
	}
	v->irqs |= 1U << intid;
	v->irqs_seen |= 1U << intid;
	if (v->sri_told && intid == v->sri_intid) {
		model_count(MODEL_T_SRI_RAISED);
	}
}

void model_sri_check(struct fuzz_machine *fm, const struct model_before *b)
{
	for (uint32_t i = 0; i < fm->model.vm_count; i++) {
		const struct model_vm *v = &fm->model.vms[i];

		if (v->sri_told && !(v->irqs_seen >> v->sri_intid & 1) && v->news != b->news[i]) {
			oracle_violation(fm, "sri-signalled", "VM %#x has news and was told the SRI is %u, yet did not get it",
					 v->id, v->sri_intid);
		}
	}
}

/* FFA_FEATURES(SRI) told @v the interrupt's ID. */
static void follow_features(struct model_vm *v, const struct smccc_regs *call, const struct smccc_regs *reply)
{
	if (ffa_w(call, 1) == FFA_FEATURE_SRI && ffa_func(reply) == FFA_SUCCESS_32 && ffa_w(reply, 2) < 32) {
		v->sri_told = true;
		v->sri_intid = ffa_w(reply, 2);
	}
}

/* A GET on @vcpu returned the global bits @global and that vCPU's of @per_vcpu: none pending now. */
static void got(uint64_t *global, uint64_t *per_vcpu, uint32_t vcpu)
{
	*global = 0;
	if (vcpu < MODEL_MAX_VM_VCPUS) {
		per_vcpu[vcpu] = 0;
	}
}

static void follow_get(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
		       const struct smccc_regs *reply)
{
	uint32_t flags = ffa_w(call, 2), vcpu = ffa_w(call, 1) >> 16;
	bool on_vcpu = vcpu < MODEL_MAX_VM_VCPUS;
	uint64_t vm_bits = v->vm_pending | (on_vcpu ? v->vm_pending_vcpu[vcpu] : 0);
	uint64_t sp_bits = v->sp_pending | (on_vcpu ? v->sp_pending_vcpu[vcpu] : 0);
	uint64_t want_sp = flags & FFA_NOTIFICATION_GET_SP ? sp_bits : 0;
	uint64_t want_vm = flags & FFA_NOTIFICATION_GET_VM ? vm_bits : 0;
	uint32_t want_spm = flags & FFA_NOTIFICATION_GET_SPM ? v->spm_pending : 0;
	uint32_t want_hyp = flags & FFA_NOTIFICATION_GET_HYP ? v->hyp_pending : 0;
	const struct spmc_ns *ns = spmc_ns_find(&fm->spmc, v->id);
	uint64_t left = 0;

	if (ffa_receiver(call) != v->id) {
		return;
	}
	if (ns != NULL && ns->notif.created) {
		left = (ns->notif.pending | (vcpu < SPMC_MAX_NS_VCPUS ? ns->notif.pending_vcpu[vcpu] : 0)) &
		       want_sp;
	}
	if (bitmap_of(reply, 2) != want_sp || bitmap_of(reply, 4) != want_vm || ffa_w(reply, 6) != want_spm ||
	    ffa_w(reply, 7) != want_hyp || left != 0) {
		oracle_violation(fm, "notification-get-exact", "VM %#x vCPU %u flags %#x got partitions %#llx VMs %#llx SPM %#x hypervisor %#x; pending %#llx %#llx %#x %#x%s",
				 v->id, vcpu, flags, (unsigned long long)bitmap_of(reply, 2),
				 (unsigned long long)bitmap_of(reply, 4), ffa_w(reply, 6), ffa_w(reply, 7),
				 (unsigned long long)want_sp, (unsigned long long)want_vm, want_spm, want_hyp,
				 left != 0 ? ", still pending at the SPMC" : "");
	}
	if (flags & FFA_NOTIFICATION_GET_HYP) {
		v->hyp_pending = 0;
	}
	if (flags & FFA_NOTIFICATION_GET_SP) {
		got(&v->sp_pending, v->sp_pending_vcpu, vcpu);
	}
	if (flags & FFA_NOTIFICATION_GET_VM) {
		got(&v->vm_pending, v->vm_pending_vcpu, vcpu);
	}
	if (flags & FFA_NOTIFICATION_GET_SPM) {
		v->spm_pending = 0;
	}
	if (want_sp != 0) {
		model_count(MODEL_T_NOTIF_GOT_SP);
	}
	if (want_vm != 0) {
		model_count(MODEL_T_NOTIF_GOT_VM);
	}
}

void model_notifications_check(struct fuzz_machine *fm, struct model_vm *v,
			       const struct smccc_regs *call, const struct smccc_regs *reply)
{
	if (ffa_func(reply) != FFA_SUCCESS_32) {
		return;
	}
	switch (ffa_func(call)) {
	case FFA_FEATURES_32:
		follow_features(v, call, reply);
		break;
	case FFA_NOTIFICATION_BIND_32:
		follow_bind(fm, v, call, true);
		break;
	case FFA_NOTIFICATION_UNBIND_32:
		follow_bind(fm, v, call, false);
		break;
	case FFA_NOTIFICATION_SET_32:
		follow_set(fm, v, call);
		break;
	case FFA_NOTIFICATION_GET_32:
		follow_get(fm, v, call, reply);
		break;
	case FFA_NOTIFICATION_BITMAP_CREATE_32:
	case FFA_NOTIFICATION_BITMAP_DESTROY_32:
		forget(vm_of(fm, (ffa_id_t)(ffa_w(call, 1) & 0xFFFF)));
		break;
	default:
		break;
	}
}
