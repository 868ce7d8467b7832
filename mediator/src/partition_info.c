/*
 * Partition discovery (DEN0077A v1.2 chapter 13: FFA_PARTITION_INFO_GET and
 * FFA_PARTITION_INFO_GET_REGS), forwarded to the SPMC on every call so that
 * a misbehaving SPMC model reaches these checks.
 *
 * FFA_PARTITION_INFO_GET: the VM's RX buffer must be mapped and free (BUSY,
 * as pKVM and Hafnium answer, otherwise), and is taken before anything is
 * asked of the SPMC (mediator_rx_write_begin(), with FFA_RX_ACQUIRE when the
 * pair is registered there); the mediator asks the SPMC for the
 * full list at its own version (24-byte descriptors in the mediator's RX),
 * bounds what comes back (Xen X12: size at least 24, count * size inside
 * the buffer), gives its RX back with FFA_RX_RELEASE only when ownership
 * passed to it (Xen X13), and rewrites the list for the caller:
 *   - v1.0 callers: 8-byte descriptors, properties bits[2:0] only, w3 = 0,
 *     w5 (flags) MBZ (INVALID_PARAMETERS);
 *   - v1.1 callers: 24-byte descriptors, properties bits[8:0], w3 = 24;
 *   - v1.0 and v1.1 callers see a partition with several UUIDs once (its
 *     first UUID); v1.2 callers once per UUID (Hafnium 48546b1e);
 *   - a non-Nil UUID query gets the UUID fields zeroed (Hafnium 9decd785,
 *     Xen 500ee5fe0f), whatever the SPMC wrote;
 *   - the count-only flag (v1.1) returns w2 = count, w3 = 0 and does not
 *     touch the caller's RX buffer;
 *   - a list that does not fit the caller's RX buffer gets NO_MEMORY.
 *
 * FFA_PARTITION_INFO_GET_REGS (v1.2 callers, SMC64 only: both enforced by
 * the dispatcher): x3[63:32] MBZ; forwarded as is; the reply must be
 * FFA_SUCCESS_64 with 24-byte descriptors and a current index between the
 * start index and the last index, at most five descriptors (else ABORTED).
 */
#include "internal.h"

#include <string.h>

#include "mediator/check.h"

#define MAX_PARTITIONS 256

/*
 * Ask the SPMC for the partitions matching @uuid and copy them into @out.
 * Returns: the count (>= 0), or a negative ffa_error.
 */
static int fetch_partitions(struct mediator *m, ffa_id_t vm_id, const struct ffa_uuid *uuid,
			    struct ffa_partition_info *out)
{
	struct mailbox *mb = &m->hyp_mailbox;
	struct smccc_regs r;
	const uint8_t *rx;
	uint64_t count, size;
	int ret;

	r = mediator_forward(m, vm_id,
			     ffa_call(FFA_PARTITION_INFO_GET_32, ffa_uuid_word32(uuid, 0),
				      ffa_uuid_word32(uuid, 1), ffa_uuid_word32(uuid, 2),
				      ffa_uuid_word32(uuid, 3), 0));
	if (!ffa_is_success(&r)) {
		return mediator_spmc_error(&r); /* no ownership passed: no RX_RELEASE (Xen X13) */
	}
	mb->rx = MAILBOX_RX_CONSUMER; /* the SPMC handed its RX buffer to us */
	count = ffa_w(&r, 2);
	size = ffa_w(&r, 3);
	rx = mem_map(m->mem, mb->rx_pa, mb->page_count, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);
	CHECK(rx != NULL);
	if (size < sizeof(struct ffa_partition_info) || count > MAX_PARTITIONS ||
	    count * size > (uint64_t)mb->page_count * MEM_PAGE_SIZE) {
		ret = FFA_ABORTED;
	} else {
		for (uint64_t i = 0; i < count; i++) {
			memcpy(&out[i], rx + i * size, sizeof(out[i]));
		}
		ret = (int)count;
	}
	r = mediator_forward(m, vm_id, ffa_call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	if (!ffa_is_success(&r)) {
		return FFA_ABORTED;
	}
	mb->rx = MAILBOX_RX_FREE;
	return ret;
}

/* Rewrite @list in place for a caller at @version; returns the new count. */
static uint32_t partitions_for_caller(struct ffa_partition_info *list, uint32_t count,
				      uint32_t version, bool zero_uuid)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < count; i++) {
		bool seen = false;

		for (uint32_t j = 0; j < n && version < FFA_VERSION_1_2; j++) {
			seen = seen || list[j].id == list[i].id;
		}
		if (seen) {
			continue;
		}
		list[n] = list[i];
		list[n].properties &= ffa_partition_props_mask(version);
		if (zero_uuid) {
			memset(&list[n].uuid, 0, sizeof(list[n].uuid));
		}
		n++;
	}
	return n;
}

int mediator_sps_discover(struct mediator *m)
{
	const struct ffa_uuid nil = {{0}};
	struct ffa_partition_info list[MAX_PARTITIONS];
	int count = fetch_partitions(m, FFA_HOST_ID, &nil, list);

	m->sp_count = 0;
	for (int i = 0; i < count; i++) {
		struct mediator_sp *sp = mediator_sp_find(m, list[i].id);

		if (!ffa_id_is_secure(list[i].id)) {
			return FFA_ABORTED; /* the SPMC lists only secure partitions */
		}
		if (sp == NULL) {
			if (m->sp_count == MEDIATOR_MAX_SPS) {
				return FFA_NO_MEMORY;
			}
			sp = &m->sps[m->sp_count++];
			*sp = (struct mediator_sp){.id = list[i].id,
						   .exec_ctx_count = list[i].exec_ctx_count,
						   .properties = list[i].properties};
		}
		/* v1.2 discovery lists a partition once per UUID. */
		if (!ffa_uuid_is_nil(&list[i].uuid) && sp->uuid_count < MEDIATOR_MAX_UUIDS) {
			sp->uuids[sp->uuid_count++] = list[i].uuid;
		}
	}
	return count < 0 ? count : FFA_OK;
}

struct mediator_sp *mediator_sp_find(struct mediator *m, ffa_id_t id)
{
	for (uint32_t i = 0; i < m->sp_count; i++) {
		if (m->sps[i].id == id) {
			return &m->sps[i];
		}
	}
	return NULL;
}

/* Copy @list into @rx (@size bytes) in the caller's layout. Returns an ffa_error. */
static int write_partitions(const struct mediator_vm *vm, uint8_t *rx, uint32_t size,
			    const struct ffa_partition_info *list, uint32_t count)
{
	uint32_t desc = vm->version >= FFA_VERSION_1_1 ? sizeof(struct ffa_partition_info)
						       : sizeof(struct ffa_partition_info_v1_0);

	if ((uint64_t)count * desc > size) {
		return FFA_NO_MEMORY;
	}
	for (uint32_t i = 0; i < count; i++) {
		memcpy(rx + i * desc, &list[i], desc); /* v1.0 is the 24-byte layout's prefix */
	}
	return FFA_OK;
}

struct smccc_regs mediator_ffa_partition_info_get(struct mediator *m, struct mediator_vm *vm,
						  const struct smccc_regs *args)
{
	struct ffa_uuid uuid = ffa_uuid_from_words32(ffa_w(args, 1), ffa_w(args, 2),
						     ffa_w(args, 3), ffa_w(args, 4));
	uint32_t flags = ffa_w(args, 5);
	uint32_t allowed = vm->version >= FFA_VERSION_1_1 ? FFA_PARTITION_INFO_GET_COUNT_ONLY : 0;
	bool count_only = (flags & FFA_PARTITION_INFO_GET_COUNT_ONLY) != 0;
	struct ffa_partition_info list[MAX_PARTITIONS];
	uint8_t *rx = NULL;
	uint32_t size = 0, written = 0;
	int count;
	int err = FFA_OK;

	if ((flags & ~allowed) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!count_only) {
		/* Take the caller's RX first: no SPMC traffic for a busy buffer. */
		rx = mediator_rx_write_begin(m, vm, &size, &err);
		if (rx == NULL) {
			return ffa_error(err);
		}
	}
	count = fetch_partitions(m, vm->id, &uuid, list);
	if (count >= 0) {
		count = (int)partitions_for_caller(list, (uint32_t)count, vm->version,
						   !ffa_uuid_is_nil(&uuid));
		err = count_only ? FFA_OK : write_partitions(vm, rx, size, list, (uint32_t)count);
		written = (uint32_t)count * (vm->version >= FFA_VERSION_1_1
						     ? (uint32_t)sizeof(struct ffa_partition_info)
						     : (uint32_t)sizeof(struct ffa_partition_info_v1_0));
	} else {
		err = count;
	}
	if (!count_only) {
		mediator_rx_write_end(m, vm, err == FFA_OK, written);
	}
	if (err != FFA_OK) {
		return ffa_error(err);
	}
	return (struct smccc_regs){
		.x = {FFA_SUCCESS_32, 0, (uint32_t)count,
		      count_only || vm->version < FFA_VERSION_1_1 ? 0
								  : sizeof(struct ffa_partition_info)},
	};
}

struct smccc_regs mediator_ffa_partition_info_get_regs(struct mediator *m,
						       struct mediator_vm *vm,
						       const struct smccc_regs *args)
{
	bool zero_uuid = ffa_x(args, 1) != 0 || ffa_x(args, 2) != 0;
	uint64_t start = ffa_x(args, 3) & FFA_PART_INFO_REGS_START_MASK;
	struct smccc_regs r, res = {.x = {FFA_SUCCESS_64}};
	uint64_t x2, last, cur, n;

	if ((ffa_x(args, 3) >> 32) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	r = mediator_forward(m, vm->id,
			     (struct smccc_regs){.x = {FFA_PARTITION_INFO_GET_REGS_64, ffa_x(args, 1),
						       ffa_x(args, 2), ffa_x(args, 3)}});
	if (ffa_func(&r) != FFA_SUCCESS_64) {
		return ffa_error(mediator_spmc_error(&r));
	}
	x2 = ffa_x(&r, 2);
	last = x2 & 0xFFFFU;
	cur = (x2 >> FFA_PART_INFO_REGS_CUR_SHIFT) & 0xFFFFU;
	n = cur - start + 1;
	if ((x2 >> FFA_PART_INFO_REGS_SIZE_SHIFT) != sizeof(struct ffa_partition_info) ||
	    cur < start || cur > last || n > FFA_PART_INFO_REGS_PER_CALL) {
		return ffa_error(FFA_ABORTED);
	}
	res.x[2] = x2;
	for (uint64_t i = 0; i < n; i++) {
		unsigned reg = 3 + (unsigned)i * FFA_PART_INFO_REGS_REGS_PER_DESC;
		/* reg+0 = ID | exec contexts << 16 | properties << 32 */
		uint64_t props = (ffa_x(&r, reg) >> 32) & ffa_partition_props_mask(vm->version);

		res.x[reg] = (ffa_x(&r, reg) & 0xFFFFFFFFU) | props << 32;
		res.x[reg + 1] = zero_uuid ? 0 : ffa_x(&r, reg + 1);
		res.x[reg + 2] = zero_uuid ? 0 : ffa_x(&r, reg + 2);
	}
	return res;
}
