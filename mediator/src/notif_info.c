/*
 * FFA_NOTIFICATION_INFO_GET ID lists: see ffa/notif_info.h.
 */
#include "ffa/notif_info.h"

static unsigned max_ids(bool is64)
{
	return is64 ? FFA_NOTIF_INFO_MAX_IDS_64 : FFA_NOTIF_INFO_MAX_IDS_32;
}

static unsigned ids_per_reg(bool is64)
{
	return is64 ? 4 : 2;
}

void ffa_info_lists_init(struct ffa_info_lists *l, struct smccc_regs *res, bool is64)
{
	*l = (struct ffa_info_lists){.res = res, .is64 = is64};
	for (unsigned i = 2; i < 8; i++) {
		res->x[i] = 0;
	}
}

static bool push(struct ffa_info_lists *l, ffa_id_t id, const uint16_t *vcpus, unsigned n)
{
	unsigned per = ids_per_reg(l->is64);

	if (l->ids + 1 + n > max_ids(l->is64)) {
		return false;
	}
	for (unsigned i = 0; i <= n; i++, l->ids++) {
		uint16_t v = i == 0 ? id : vcpus[i - 1];

		l->res->x[3 + l->ids / per] |= (uint64_t)v << (16 * (l->ids % per));
	}
	l->res->x[2] |= (uint64_t)n << (FFA_NOTIF_INFO_LIST_SIZE_SHIFT + 2 * l->lists);
	l->lists++;
	return true;
}

bool ffa_info_lists_add(struct ffa_info_lists *l, ffa_id_t id, bool *global, uint32_t *vcpus)
{
	uint16_t v[FFA_NOTIF_INFO_MAX_VCPUS_PER_LIST] = {0};
	uint32_t left = *vcpus;
	unsigned k = 0;

	if (*global) {
		if (!push(l, id, v, 0)) {
			return false;
		}
		*global = false;
	}
	for (unsigned vcpu = 0; vcpu < 32 && left != 0; vcpu++) {
		if (left >> vcpu & 1) {
			v[k++] = (uint16_t)vcpu;
		}
		if (k > 0 && (k == FFA_NOTIF_INFO_MAX_VCPUS_PER_LIST || (left >> vcpu) == 1)) {
			if (!push(l, id, v, k)) {
				return false;
			}
			for (unsigned i = 0; i < k; i++) {
				*vcpus &= ~(1U << v[i]);
			}
			left = *vcpus;
			k = 0;
		}
	}
	return true;
}

unsigned ffa_info_lists_finish(struct ffa_info_lists *l, bool more)
{
	l->res->x[2] |= (uint64_t)l->lists << FFA_NOTIF_INFO_LIST_COUNT_SHIFT |
			(more ? FFA_NOTIF_INFO_MORE_PENDING : 0);
	return l->lists;
}

int ffa_info_lists_decode(const struct smccc_regs *r, bool is64,
			  struct ffa_info_list out[FFA_NOTIF_INFO_MAX_IDS_64])
{
	uint64_t x2 = r->x[2];
	unsigned lists = (unsigned)(x2 >> FFA_NOTIF_INFO_LIST_COUNT_SHIFT) &
			 FFA_NOTIF_INFO_LIST_COUNT_MASK;
	unsigned per = ids_per_reg(is64);
	unsigned id = 0;

	if (lists > max_ids(is64)) {
		return -1;
	}
	for (unsigned i = 0; i < lists; i++) {
		unsigned n = (unsigned)(x2 >> (FFA_NOTIF_INFO_LIST_SIZE_SHIFT + 2 * i)) & 3;

		if (id + 1 + n > max_ids(is64)) {
			return -1;
		}
		out[i].vcpu_count = n;
		for (unsigned j = 0; j <= n; j++, id++) {
			uint16_t v = (uint16_t)(r->x[3 + id / per] >> (16 * (id % per)));

			if (j == 0) {
				out[i].id = v;
			} else {
				out[i].vcpus[j - 1] = v;
			}
		}
	}
	return (int)lists;
}
