/*
 * The SPMC side of partition discovery (DEN0077A v1.2 chapter 13:
 * FFA_PARTITION_INFO_GET and FFA_PARTITION_INFO_GET_REGS) for the
 * hypervisor caller.
 *
 * The list: with the Nil UUID, every partition, once per UUID for callers at
 * v1.2 and once (its first UUID) for older callers (Hafnium 48546b1e); with
 * another UUID, each partition that has it, with the UUID field zeroed
 * (Hafnium 9decd785); no match is INVALID_PARAMETERS. Properties are masked
 * to the caller's version.
 *
 * Lies (struct spmc.mem_lie): SPMC_LIE_HUGE_COUNT and SPMC_LIE_SIZE_NEAR_END
 * claim a count or descriptor size the buffer cannot hold.
 *
 * FFA_PARTITION_INFO_GET writes into the hypervisor's RX buffer, which must
 * be mapped and free (otherwise BUSY, and a mediator fault: the mediator
 * either forgot to map or forgot to release), and hands it over; w5 bit 0
 * (count only, v1.1) skips the buffer; other w5 bits are MBZ.
 *
 * FFA_PARTITION_INFO_GET_REGS: x3[15:0] start index, x3[31:16] UUID info
 * tag, x3[63:32] MBZ. A start index of 0 must carry tag 0
 * (INVALID_PARAMETERS, the Xen reading, ed6787f6d2). A later one carries the
 * tag the SPMC returned (RETRY if the list changed under the caller since),
 * or 0: a caller that does not follow the tag, as the compliance suite's
 * walk, which Hafnium (keeping no tag, RETRY for any non-zero one) serves;
 * DEN0077A v1.2 gives the tag to detect a change, and tag 0 asks for no such
 * check. Up to five 24-byte descriptors in x3-x17.
 */
#include "internal.h"

#include <string.h>

static struct ffa_partition_info descriptor(const struct spmc_partition *sp, uint32_t version,
					    const struct ffa_uuid *uuid)
{
	return (struct ffa_partition_info){
		.id = sp->id,
		.exec_ctx_count = sp->exec_ctx_count,
		.properties = sp->properties & ffa_partition_props_mask(version),
		.uuid = *uuid,
	};
}

/* The descriptors for a caller at @version asking for @uuid; returns the count. */
static uint32_t partitions_match(const struct spmc *s, const struct ffa_uuid *uuid,
				 uint32_t version, struct ffa_partition_info *out)
{
	const struct spmc_manifest *mf = s->manifest;
	const struct ffa_uuid nil = {{0}};
	uint32_t n = 0;

	for (uint32_t i = 0; i < mf->partition_count; i++) {
		const struct spmc_partition *sp = &mf->partitions[i];

		if (ffa_uuid_is_nil(uuid)) {
			uint32_t listed = version >= FFA_VERSION_1_2 ? sp->uuid_count : 1;

			for (uint32_t k = 0; k < listed; k++) {
				out[n++] = descriptor(sp, version, &sp->uuids[k]);
			}
		} else if (ffa_uuid_in(sp->uuids, sp->uuid_count, uuid)) {
			out[n++] = descriptor(sp, version, &nil);
		}
	}
	return n;
}

struct smccc_regs spmc_ffa_partition_info_get(struct spmc *s, const struct smccc_regs *args)
{
	struct ffa_uuid uuid = ffa_uuid_from_words32(ffa_w(args, 1), ffa_w(args, 2),
						     ffa_w(args, 3), ffa_w(args, 4));
	uint32_t flags = ffa_w(args, 5);
	uint32_t allowed = s->ns_version >= FFA_VERSION_1_1 ? FFA_PARTITION_INFO_GET_COUNT_ONLY : 0;
	uint32_t desc = s->ns_version >= FFA_VERSION_1_1 ? sizeof(struct ffa_partition_info)
							 : sizeof(struct ffa_partition_info_v1_0);
	struct ffa_partition_info list[SPMC_MAX_DESCRIPTORS];
	struct mailbox *mb = &s->hyp_mailbox;
	uint32_t count;
	uint8_t *rx;

	if ((flags & ~allowed) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	count = partitions_match(s, &uuid, s->ns_version, list);
	if (count == 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (flags & FFA_PARTITION_INFO_GET_COUNT_ONLY) {
		return ffa_success(count);
	}
	if (mailbox_rx_acquire(mb) != FFA_OK) {
		return spmc_fault(s, FFA_PARTITION_INFO_GET_32,
				  "PARTITION_INFO_GET without a mapped, free RX buffer", FFA_BUSY);
	}
	if ((uint64_t)count * desc > (uint64_t)mb->page_count * MEM_PAGE_SIZE) {
		mailbox_rx_abandon(mb);
		return ffa_error(FFA_NO_MEMORY);
	}
	rx = mem_map(s->mem, mb->rx_pa, mb->page_count, MEM_OWNER_HYP, MEM_PAGE_MAILBOX);
	if (rx == NULL) {
		mailbox_rx_abandon(mb);
		return spmc_fault(s, FFA_PARTITION_INFO_GET_32,
				  "the hypervisor's RX pages are no longer its mailbox", FFA_ABORTED);
	}
	for (uint32_t i = 0; i < count; i++) {
		memcpy(rx + i * desc, &list[i], desc);
	}
	mailbox_rx_deliver(mb);
	if (s->mem_lie == SPMC_LIE_HUGE_COUNT || s->mem_lie == SPMC_LIE_SIZE_NEAR_END) {
		/* Lies: the buffer holds what it holds; the registers claim more. */
		return (struct smccc_regs){
			.x = {FFA_SUCCESS_32, 0, s->mem_lie == SPMC_LIE_HUGE_COUNT ? 0xFFFFFFFFU : count,
			      s->mem_lie == SPMC_LIE_SIZE_NEAR_END ? 0xFFFFFFF8U : desc},
		};
	}
	return (struct smccc_regs){
		.x = {FFA_SUCCESS_32, 0, count, s->ns_version >= FFA_VERSION_1_1 ? desc : 0},
	};
}

struct smccc_regs spmc_ffa_partition_info_get_regs(struct spmc *s,
						   const struct smccc_regs *args)
{
	struct ffa_uuid uuid = ffa_uuid_from_words64(ffa_x(args, 1), ffa_x(args, 2));
	uint64_t x3 = ffa_x(args, 3);
	uint32_t start = (uint32_t)(x3 & FFA_PART_INFO_REGS_START_MASK);
	uint16_t tag = (uint16_t)(x3 >> FFA_PART_INFO_REGS_TAG_SHIFT);
	struct ffa_partition_info list[SPMC_MAX_DESCRIPTORS];
	struct smccc_regs res = {.x = {FFA_SUCCESS_64}};
	uint32_t count, cur;

	if ((x3 >> 32) != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	count = partitions_match(s, &uuid, s->ns_version, list);
	if (count == 0 || start >= count) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (start == 0 && tag != 0) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (start != 0 && tag != 0 && tag != s->info_tag) {
		return ffa_error(FFA_RETRY);
	}
	cur = start + FFA_PART_INFO_REGS_PER_CALL - 1 < count - 1
		      ? start + FFA_PART_INFO_REGS_PER_CALL - 1
		      : count - 1;
	res.x[2] = (uint64_t)(count - 1) | (uint64_t)cur << FFA_PART_INFO_REGS_CUR_SHIFT |
		   (uint64_t)s->info_tag << FFA_PART_INFO_REGS_TAG_OUT_SHIFT |
		   (uint64_t)sizeof(struct ffa_partition_info) << FFA_PART_INFO_REGS_SIZE_SHIFT;
	for (uint32_t i = start; i <= cur; i++) {
		unsigned reg = 3 + (i - start) * FFA_PART_INFO_REGS_REGS_PER_DESC;

		res.x[reg] = list[i].id | (uint64_t)list[i].exec_ctx_count << 16 |
			     (uint64_t)list[i].properties << 32;
		res.x[reg + 1] = ffa_uuid_word64(&list[i].uuid, 0);
		res.x[reg + 2] = ffa_uuid_word64(&list[i].uuid, 1);
	}
	return res;
}
