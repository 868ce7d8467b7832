/*
 * Notifications through the mediator (DEN0077A v1.1+ notifications chapter:
 * FFA_NOTIFICATION_BITMAP_CREATE/DESTROY, BIND, UNBIND, SET, GET, INFO_GET).
 *
 * The mediator creates each VM's bitmap at the SPMC at start-up (w1 = VM ID,
 * w2 = its vCPU count) and destroys it at teardown; a VM calling
 * BITMAP_CREATE or BITMAP_DESTROY gets NOT_SUPPORTED (physical instance
 * only; they are not in the dispatch table). Notifications between VMs are
 * not supported: a VM binds and gets notifications from partitions, and
 * sets them for partitions.
 *
 *   BIND / UNBIND: w1 = sender | receiver: the receiver is the caller, the
 *     sender a known partition; w2 bit 0 per-vCPU (BIND), every other bit
 *     MBZ; w3/w4 = bitmap low/high half, non-zero (INVALID_PARAMETERS);
 *     forwarded as is, the SPMC decides DENIED (bound to another sender,
 *     pending).
 *   SET: w1 = sender | receiver: the sender is the caller, the receiver a
 *     known partition (INVALID_PARAMETERS) taking notifications (DENIED);
 *     w2 bit 0 per-vCPU, bit 1 delay SRI, [15:2] MBZ, [31:16] the receiver's
 *     vCPU, which must be 0 unless per-vCPU and below its execution-context
 *     count; bitmap non-zero (INVALID_PARAMETERS).
 *   GET: w1 = vCPU << 16 | receiver: the receiver is the caller and the vCPU
 *     one of its own; w2[31:4] MBZ (INVALID_PARAMETERS). The partitions'
 *     bitmap (w2/w3) and the SPM framework bitmap (w6) come from the SPMC;
 *     the VMs' bitmap (w4/w5) is always 0; the hypervisor framework bitmap
 *     (w7) is the mediator's own: RX-full after a VM-to-VM SEND2. The
 *     mediator always fetches both SPMC bitmaps and holds what the VM did
 *     not ask for, split into global and per-vCPU bits by the bindings it
 *     forwarded, so that it knows exactly what is still pending.
 *   INFO_GET (32 or 64): the SPMC tells the hypervisor about every VM and
 *     every partition; the mediator keeps each VM's news and answers a VM
 *     with its own, then the partitions' (every VM may schedule partitions
 *     with FFA_RUN, as the compliance suite's ffa_msg_send2 does after a
 *     send to a partition), so one VM's call never consumes another's news.
 *     News is told once, and a VM's own is forgotten once a GET leaves
 *     nothing of it pending. NO_DATA when a VM has none.
 *
 * Interrupts: the SPMC pends the physical SRI whenever it makes something
 * pending (other_world_sri_take()); at the end of the call the mediator
 * takes it, learns the news with INFO_GET, and gives each VM (v1.1 or later)
 * that has news its virtual SRI (FFA_SRI_INTID; FFA_FEATURES tells it),
 * once until that VM calls INFO_GET: the VM is the scheduler of its own
 * notifications and of the partitions it runs, as Xen's guests are. A VM
 * whose own notifications became pending also gets the NPI (FFA_NPI_INTID),
 * once until it calls GET, as Hafnium signals its VMs (the compliance
 * suite's sp_signals_vm waits for it). A VM-to-VM message raises both the
 * same way.
 */
#include "internal.h"

#include "ffa/notif_info.h"
#include "mediator/other_world.h"

int mediator_notifications_setup(struct mediator *m)
{
	for (uint32_t i = 0; i < m->vm_count; i++) {
		const struct mediator_vm *vm = &m->vms[i];
		struct smccc_regs r =
			mediator_forward(m, vm->id, ffa_call(FFA_NOTIFICATION_BITMAP_CREATE_32,
							     vm->id, vm->vcpu_count, 0, 0, 0));

		if (!ffa_is_success(&r)) {
			return mediator_spmc_error(&r);
		}
	}
	return FFA_OK;
}

int mediator_notifications_teardown(struct mediator *m, struct mediator_vm *vm)
{
	struct smccc_regs r;

	/* A bitmap with notifications pending cannot be destroyed: drop them with the VM. */
	for (uint16_t vcpu = 0; vcpu < vm->vcpu_count; vcpu++) {
		(void)mediator_forward(m, vm->id,
				       ffa_call(FFA_NOTIFICATION_GET_32,
						ffa_target_info(vcpu, vm->id),
						FFA_NOTIFICATION_GET_SP | FFA_NOTIFICATION_GET_SPM, 0,
						0, 0));
	}
	r = mediator_forward(m, vm->id,
			     ffa_call(FFA_NOTIFICATION_BITMAP_DESTROY_32, vm->id, 0, 0, 0, 0));
	return ffa_is_success(&r) ? FFA_OK : mediator_spmc_error(&r);
}

/* Every notification the mediator holds for @vm, global or on any vCPU. */
static uint64_t held_bits(const struct mediator_vm *vm)
{
	uint64_t bits = vm->held_global;

	for (unsigned v = 0; v < MEDIATOR_MAX_VCPUS; v++) {
		bits |= vm->held_vcpu[v];
	}
	return bits;
}

/* The frame forwarded for BIND, UNBIND and SET: w0-w4 as checked, nothing else. */
static struct smccc_regs checked_args(const struct smccc_regs *args)
{
	return ffa_call(ffa_func(args), ffa_w(args, 1), ffa_w(args, 2), ffa_w(args, 3),
			ffa_w(args, 4), 0);
}

/* BIND and UNBIND differ only in their w2 rule. */
static struct smccc_regs bind_or_unbind(struct mediator *m, struct mediator_vm *vm,
					const struct smccc_regs *args, uint32_t flags_allowed)
{
	struct smccc_regs r;

	uint64_t bits = ffa_notification_bitmap(ffa_w(args, 3), ffa_w(args, 4));

	if (ffa_receiver(args) != vm->id || mediator_sp_find(m, ffa_sender(args)) == NULL ||
	    (ffa_w(args, 2) & ~flags_allowed) != 0 || bits == 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if ((bits & held_bits(vm)) != 0) {
		return ffa_error(FFA_DENIED); /* pending, though held here rather than at the SPMC */
	}
	r = mediator_forward(m, vm->id, checked_args(args));
	if (ffa_is_success(&r)) {
		/* Mirror the binding's kind: GET splits what it holds by it. */
		vm->notif_per_vcpu = (ffa_w(args, 2) & FFA_NOTIFICATION_FLAG_PER_VCPU)
					     ? vm->notif_per_vcpu | bits
					     : vm->notif_per_vcpu & ~bits;
	}
	return mediator_spmc_status(&r);
}

struct smccc_regs mediator_ffa_notification_bind(struct mediator *m, struct mediator_vm *vm,
						 const struct smccc_regs *args)
{
	return bind_or_unbind(m, vm, args, FFA_NOTIFICATION_FLAG_PER_VCPU);
}

struct smccc_regs mediator_ffa_notification_unbind(struct mediator *m, struct mediator_vm *vm,
						   const struct smccc_regs *args)
{
	return bind_or_unbind(m, vm, args, 0);
}

struct smccc_regs mediator_ffa_notification_set(struct mediator *m, struct mediator_vm *vm,
						const struct smccc_regs *args)
{
	const struct mediator_sp *sp = mediator_sp_find(m, ffa_receiver(args));
	uint32_t flags = ffa_w(args, 2);
	bool per_vcpu = (flags & FFA_NOTIFICATION_FLAG_PER_VCPU) != 0;
	uint32_t vcpu = flags >> FFA_NOTIFICATION_SET_VCPU_SHIFT;
	struct smccc_regs r;

	if (ffa_sender(args) != vm->id || sp == NULL || (flags & FFA_NOTIFICATION_SET_MBZ) != 0 ||
	    (!per_vcpu && vcpu != 0) || vcpu >= sp->exec_ctx_count ||
	    ffa_notification_bitmap(ffa_w(args, 3), ffa_w(args, 4)) == 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!(sp->properties & FFA_PARTITION_NOTIFICATION)) {
		return ffa_error(FFA_DENIED);
	}
	r = mediator_forward(m, vm->id, checked_args(args));
	return mediator_spmc_status(&r);
}

struct smccc_regs mediator_ffa_notification_get(struct mediator *m, struct mediator_vm *vm,
						const struct smccc_regs *args)
{
	uint32_t flags = ffa_w(args, 2);
	uint16_t vcpu = ffa_sender(args);
	struct smccc_regs res = {.x = {FFA_SUCCESS_32}};
	struct smccc_regs r;
	uint64_t sp;

	if (ffa_receiver(args) != vm->id || vcpu >= vm->vcpu_count ||
	    (flags & FFA_NOTIFICATION_GET_MBZ) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	vm->npi_raised = false; /* acknowledged: what becomes pending from now on raises it again */
	r = mediator_forward(m, vm->id,
			     ffa_call(FFA_NOTIFICATION_GET_32, ffa_w(args, 1),
				      FFA_NOTIFICATION_GET_SP | FFA_NOTIFICATION_GET_SPM, 0, 0, 0));
	if (!ffa_is_success(&r)) {
		return ffa_error(mediator_spmc_error(&r));
	}
	sp = ffa_notification_bitmap(ffa_w(&r, 2), ffa_w(&r, 3));
	vm->held_global |= sp & ~vm->notif_per_vcpu;
	vm->held_vcpu[vcpu] |= sp & vm->notif_per_vcpu;
	vm->held_spm |= ffa_w(&r, 6);
	/* What the VM did not ask for stays pending here: that is news for INFO_GET. */
	if (!(flags & FFA_NOTIFICATION_GET_SP)) {
		vm->news_global = vm->news_global || (sp & ~vm->notif_per_vcpu) != 0;
		vm->news_vcpus |= (sp & vm->notif_per_vcpu) != 0 ? 1U << vcpu : 0;
	}
	if (!(flags & FFA_NOTIFICATION_GET_SPM) && ffa_w(&r, 6) != 0) {
		vm->news_global = true;
	}
	if (flags & FFA_NOTIFICATION_GET_SP) {
		sp = vm->held_global | vm->held_vcpu[vcpu];
		res.x[2] = (uint32_t)sp;
		res.x[3] = (uint32_t)(sp >> 32);
		vm->held_global = 0;
		vm->held_vcpu[vcpu] = 0;
	}
	if (flags & FFA_NOTIFICATION_GET_SPM) {
		res.x[6] = vm->held_spm;
		vm->held_spm = 0;
	}
	if (flags & FFA_NOTIFICATION_GET_HYP) {
		res.x[7] = vm->hyp_framework_pending;
		vm->hyp_framework_pending = 0;
	}
	/* News of what is no longer pending is no news. */
	vm->news_global = vm->news_global &&
			  (vm->held_global != 0 || vm->held_spm != 0 || vm->hyp_framework_pending != 0);
	if (vm->held_vcpu[vcpu] == 0) {
		vm->news_vcpus &= ~(1U << vcpu);
	}
	return res;
}

/*
 * A partition's news from the SPMC is news for every VM: each may schedule
 * partitions (FFA_RUN), and one VM's INFO_GET must not consume another's.
 */
static void note_sp_news(struct mediator *m, const struct ffa_info_list *list)
{
	for (uint32_t s = 0; s < m->sp_count; s++) {
		if (m->sps[s].id != list->id) {
			continue;
		}
		for (uint32_t i = 0; i < m->vm_count; i++) {
			struct mediator_vm *vm = &m->vms[i];

			for (unsigned k = 0; k < list->vcpu_count; k++) {
				if (list->vcpus[k] < m->sps[s].exec_ctx_count) {
					vm->news_sp_vcpus[s] |= 1U << list->vcpus[k];
				}
			}
			vm->news_sps |= list->vcpu_count == 0 ? 1U << s : 0;
		}
	}
}

/* Move what the SPMC knows into each VM's news (a few calls at most). */
static void collect_news(struct mediator *m, ffa_id_t caller)
{
	for (unsigned round = 0; round < 4; round++) {
		struct smccc_regs r = mediator_forward(
			m, caller, ffa_call(FFA_NOTIFICATION_INFO_GET_64, 0, 0, 0, 0, 0));
		struct ffa_info_list lists[FFA_NOTIF_INFO_MAX_IDS_64];
		int n = ffa_func(&r) == FFA_SUCCESS_64 ? ffa_info_lists_decode(&r, true, lists) : -1;

		for (int i = 0; i < n; i++) {
			struct mediator_vm *vm = mediator_vm(m, lists[i].id);

			if (ffa_id_is_secure(lists[i].id)) {
				note_sp_news(m, &lists[i]);
			}
			for (unsigned k = 0; vm != NULL && k < lists[i].vcpu_count; k++) {
				if (lists[i].vcpus[k] < vm->vcpu_count) {
					vm->news_vcpus |= 1U << lists[i].vcpus[k];
				}
			}
			if (vm != NULL && lists[i].vcpu_count == 0) {
				vm->news_global = true;
			}
		}
		if (n < 0 || !(r.x[2] & FFA_NOTIF_INFO_MORE_PENDING)) {
			return;
		}
	}
}

/* Whether @vm has news INFO_GET has not told it: its own or a partition's. */
static bool has_news(const struct mediator *m, const struct mediator_vm *vm)
{
	if (vm->news_global || vm->news_vcpus != 0 || vm->news_sps != 0) {
		return true;
	}
	for (uint32_t s = 0; s < m->sp_count; s++) {
		if (vm->news_sp_vcpus[s] != 0) {
			return true;
		}
	}
	return false;
}

void mediator_interrupts_deliver(struct mediator *m, ffa_id_t caller)
{
	if (other_world_sri_take(m->spmc)) {
		collect_news(m, caller);
	}
	for (uint32_t i = 0; i < m->vm_count; i++) {
		struct mediator_vm *vm = &m->vms[i];

		/* Notifications exist from v1.1: an older VM has no use for either. */
		if (vm->version_state == VM_VERSION_NONE || vm->version < FFA_VERSION_1_1) {
			continue;
		}
		if (!vm->sri_raised && has_news(m, vm)) {
			vm->sri_raised = true;
			mediator_inject_irq(m, vm->id, FFA_SRI_INTID);
		}
		if (!vm->npi_raised && (vm->news_global || vm->news_vcpus != 0)) {
			vm->npi_raised = true;
			mediator_inject_irq(m, vm->id, FFA_NPI_INTID);
		}
	}
}

struct smccc_regs mediator_ffa_notification_info_get(struct mediator *m, struct mediator_vm *vm,
						     const struct smccc_regs *args)
{
	bool is64 = ffa_func(args) == FFA_NOTIFICATION_INFO_GET_64;
	struct smccc_regs res = {.x = {is64 ? FFA_SUCCESS_64 : FFA_SUCCESS_32}};
	struct ffa_info_lists l;
	bool all;

	collect_news(m, vm->id);
	vm->sri_raised = false; /* acknowledged: news from now on raises it again */
	ffa_info_lists_init(&l, &res, is64);
	all = ffa_info_lists_add(&l, vm->id, &vm->news_global, &vm->news_vcpus);
	for (uint32_t s = 0; s < m->sp_count; s++) {
		bool global = vm->news_sps >> s & 1;

		all = ffa_info_lists_add(&l, m->sps[s].id, &global, &vm->news_sp_vcpus[s]) && all;
		vm->news_sps = (vm->news_sps & ~(1U << s)) | (uint32_t)global << s;
	}
	if (ffa_info_lists_finish(&l, !all) == 0) {
		return ffa_error(FFA_NO_DATA);
	}
	return res;
}
