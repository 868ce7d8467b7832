/*
 * The state model, partition discovery (DEN0077A v1.2 §13.8
 * FFA_PARTITION_INFO_GET, §13.9 FFA_PARTITION_INFO_GET_REGS; ffa-facts.md
 * §2 and §3.1). The manifest is the secure world: every list a VM is given
 * must be exactly its partitions, for the VM's version and query.
 *
 * partition-list: a SUCCESS of FFA_PARTITION_INFO_GET gives
 *   - w2 = the number of entries the query matches: a Nil UUID, every
 *     partition (a v1.2 caller sees a partition once per UUID; older callers
 *     once, with its first UUID: DEN0077A v1.2 §13.8 and Hafnium 48546b1e);
 *     another UUID, the partitions that have it; none matched: SUCCESS is
 *     wrong (INVALID_PARAMETERS);
 *   - w3 = the descriptor size, 24 at v1.1 and later (0 for count only), 0
 *     at v1.0 (8-byte descriptors, which have no size register);
 *   - unless count only (v1.1 w5 bit 0), the entries in the caller's RX, in
 *     any order: ID, execution contexts, properties masked to the caller's
 *     version (later bits are reserved there, MBZ), the UUID of the entry for
 *     a Nil query and zero otherwise (ffa-facts.md §2: Hafnium 9decd785).
 * partition-list-regs: a SUCCESS_64 of FFA_PARTITION_INFO_GET_REGS gives
 *   x2 last index = entries - 1, a current index from the start index to
 *   the last and at most five entries on, descriptor size 24; each entry one
 *   of the query's (for a UUID query its UUID fields zero or that UUID), the
 *   same one at the same index on every call of that query, no two indices
 *   alike; the registers after the last entry zero.
 */
#include "model.h"

#include <string.h>

#include "harness.h"

#define MAX_ENTRIES 32

struct entry {
	uint64_t r0; /* ID | exec contexts << 16 | properties << 32, as GET_REGS packs it */
	struct ffa_uuid uuid;
};

/* The entries @version's query for @uuid matches, in manifest order. Returns: how many. */
static unsigned expected(const struct fuzz_machine *fm, uint32_t version, const struct ffa_uuid *uuid,
			 struct entry *out)
{
	const struct spmc_manifest *mf = fm->spmc.manifest;
	bool nil = ffa_uuid_is_nil(uuid);
	unsigned n = 0;

	for (uint32_t i = 0; i < mf->partition_count; i++) {
		const struct spmc_partition *p = &mf->partitions[i];
		uint32_t per = nil && version >= FFA_VERSION_1_2 ? p->uuid_count : 1;
		uint64_t r0 = p->id | (uint64_t)p->exec_ctx_count << 16 |
			      (uint64_t)(p->properties & ffa_partition_props_mask(version)) << 32;

		if (!nil && !ffa_uuid_in(p->uuids, p->uuid_count, uuid)) {
			continue;
		}
		for (uint32_t u = 0; u < per && n < MAX_ENTRIES; u++) {
			out[n].r0 = r0;
			out[n].uuid = nil ? p->uuids[u] : (struct ffa_uuid){{0}};
			n++;
		}
	}
	return n;
}

/* The index in @list of an entry equal to @e not yet @taken, or -1. */
static int find(const struct entry *list, unsigned n, uint64_t taken, const struct entry *e)
{
	for (unsigned i = 0; i < n; i++) {
		if (!(taken >> i & 1) && list[i].r0 == e->r0 && ffa_uuid_equal(&list[i].uuid, &e->uuid)) {
			return (int)i;
		}
	}
	return -1;
}

static void check_get(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
		      const struct smccc_regs *reply)
{
	struct ffa_uuid uuid = ffa_uuid_from_words32(ffa_w(call, 1), ffa_w(call, 2), ffa_w(call, 3),
						     ffa_w(call, 4));
	bool count_only = v->version >= FFA_VERSION_1_1 && (ffa_w(call, 5) & FFA_PARTITION_INFO_GET_COUNT_ONLY);
	uint32_t size = v->version >= FFA_VERSION_1_1 ? 24 : 8;
	struct entry want[MAX_ENTRIES];
	unsigned n = expected(fm, v->version, &uuid, want);
	const uint8_t *rx = model_rx(fm, v);
	uint64_t taken = 0;

	if (size == 8 && ffa_w(reply, 3) != 0) {
		oracle_violation(fm, "partition-list", "VM %#x: a v1.0 answer with w3 = %#x (reserved)", v->id,
				 ffa_w(reply, 3));
	} else if (ffa_w(reply, 3) != (count_only || size == 8 ? 0 : size)) {
		oracle_violation(fm, "partition-list", "VM %#x at %#x: descriptor size %u", v->id, v->version,
				 ffa_w(reply, 3));
		return;
	}
	if (ffa_w(reply, 2) != n) {
		oracle_violation(fm, "partition-list", "VM %#x at %#x: count %u, the manifest gives %u",
				 v->id, v->version, ffa_w(reply, 2), n);
		return;
	}
	if (count_only) {
		model_count(MODEL_T_INFO_COUNT_ONLY);
		return;
	}
	if (rx == NULL || (uint64_t)n * size > (uint64_t)v->pages * MEM_PAGE_SIZE) {
		oracle_violation(fm, "partition-list", "VM %#x: %u entries given with no RX to hold them", v->id, n);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		struct ffa_partition_info d = {0};
		struct entry e;
		int at;

		memcpy(&d, rx + (size_t)i * size, size);
		e.r0 = d.id | (uint64_t)d.exec_ctx_count << 16 | (uint64_t)d.properties << 32;
		e.uuid = d.uuid;
		if (size == 8) {
			e.uuid = (struct ffa_uuid){{0}};
			for (unsigned k = 0; k < n; k++) {
				want[k].uuid = e.uuid; /* v1.0 descriptors have no UUID */
			}
		}
		at = find(want, n, taken, &e);
		if (at < 0) {
			oracle_violation(fm, "partition-list", "VM %#x at %#x: entry %u (ID %#x, %u contexts, properties %#x) is not one of the manifest's",
					 v->id, v->version, i, d.id, d.exec_ctx_count, d.properties);
			return;
		}
		taken |= 1ULL << at;
	}
	model_count(MODEL_T_INFO_LIST);
}

static void check_regs(struct fuzz_machine *fm, struct model_vm *v, const struct smccc_regs *call,
		       const struct smccc_regs *reply)
{
	struct fuzz_model *md = &fm->model;
	struct ffa_uuid uuid = ffa_uuid_from_words64(call->x[1], call->x[2]);
	struct entry want[MAX_ENTRIES];
	unsigned n = expected(fm, v->version, &uuid, want);
	uint64_t x2 = reply->x[2], start = call->x[3] & FFA_PART_INFO_REGS_START_MASK;
	uint64_t last = x2 & 0xFFFF, cur = x2 >> FFA_PART_INFO_REGS_CUR_SHIFT & 0xFFFF;
	bool nil = ffa_uuid_is_nil(&uuid);
	unsigned reg = 3;

	if (n == 0 || last != n - 1 || cur < start || cur > last ||
	    cur - start >= FFA_PART_INFO_REGS_PER_CALL || x2 >> FFA_PART_INFO_REGS_SIZE_SHIFT != 24) {
		oracle_violation(fm, "partition-list-regs", "VM %#x from %llu: x2 = %#llx, the manifest gives %u",
				 v->id, (unsigned long long)start, (unsigned long long)x2, n);
		return;
	}
	if (md->info_vm != v->id || md->info_version != v->version || md->info_uuid[0] != call->x[1] ||
	    md->info_uuid[1] != call->x[2]) {
		md->info_vm = v->id;
		md->info_version = v->version;
		md->info_uuid[0] = call->x[1];
		md->info_uuid[1] = call->x[2];
		md->info_seen = 0;
	}
	for (uint64_t i = start; i <= cur; i++, reg += 3) {
		struct entry e = {.r0 = reply->x[reg],
				  .uuid = ffa_uuid_from_words64(reply->x[reg + 1], reply->x[reg + 2])};
		bool same_uuid = !nil && ffa_uuid_equal(&e.uuid, &uuid);

		if (same_uuid) {
			e.uuid = (struct ffa_uuid){{0}}; /* a UUID query may carry it back */
		}
		if (find(want, n, 0, &e) < 0) {
			oracle_violation(fm, "partition-list-regs", "VM %#x: index %llu (x%u = %#llx) is not one of the manifest's",
					 v->id, (unsigned long long)i, reg, (unsigned long long)reply->x[reg]);
			return;
		}
		for (unsigned k = 0; k < MODEL_INFO_SLOTS; k++) {
			bool seen = md->info_seen >> k & 1;
			bool alike = seen && md->info_slot[k][0] == reply->x[reg] &&
				     md->info_slot[k][1] == reply->x[reg + 1] &&
				     md->info_slot[k][2] == reply->x[reg + 2];

			if (seen && (k == i) != alike) {
				oracle_violation(fm, "partition-list-regs", "VM %#x: index %llu (x%u = %#llx) %s index %u before",
						 v->id, (unsigned long long)i, reg,
						 (unsigned long long)reply->x[reg],
						 k == i ? "differs from" : "repeats", k);
				return;
			}
		}
		if (i < MODEL_INFO_SLOTS) {
			md->info_slot[i][0] = reply->x[reg];
			md->info_slot[i][1] = reply->x[reg + 1];
			md->info_slot[i][2] = reply->x[reg + 2];
			md->info_seen |= (uint8_t)(1U << i);
		}
	}
	for (; reg < SMCCC_REG_COUNT; reg++) {
		if (reply->x[reg] != 0) {
			oracle_violation(fm, "partition-list-regs", "VM %#x: x%u = %#llx after the last entry",
					 v->id, reg, (unsigned long long)reply->x[reg]);
			return;
		}
	}
	model_count(MODEL_T_INFO_REGS);
	if (n <= MODEL_INFO_SLOTS && md->info_seen == (uint8_t)((1U << n) - 1)) {
		model_count(MODEL_T_INFO_REGS_WALKED);
	}
}

void model_partition_info_check(struct fuzz_machine *fm, struct model_vm *v,
				const struct smccc_regs *call, const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call);

	if (!model_version_known(v)) {
		return; /* served at a version the model could not follow: the layout is unknown */
	}
	if (cfid == FFA_PARTITION_INFO_GET_32 && ffa_func(reply) == FFA_SUCCESS_32) {
		check_get(fm, v, call, reply);
	} else if (cfid == FFA_PARTITION_INFO_GET_REGS_64 && ffa_func(reply) == FFA_SUCCESS_64) {
		check_regs(fm, v, call, reply);
	}
}
