/*
 * The fuzz input decoder: see input.h for the format.
 */
#include "input.h"

#include <string.h>

/* seq: every FF-A 1.2 function ID, then three IDs outside FF-A's range. */
static const uint32_t seq_abis[] = {
	FFA_ERROR_32, FFA_SUCCESS_32, FFA_SUCCESS_64, FFA_INTERRUPT_32, FFA_VERSION_32,
	FFA_FEATURES_32, FFA_RX_RELEASE_32, FFA_RXTX_MAP_32, FFA_RXTX_MAP_64, FFA_RXTX_UNMAP_32,
	FFA_PARTITION_INFO_GET_32, FFA_ID_GET_32, FFA_MSG_POLL_32, FFA_MSG_WAIT_32, FFA_YIELD_32,
	FFA_RUN_32, FFA_MSG_SEND_32, FFA_MSG_SEND_DIRECT_REQ_32, FFA_MSG_SEND_DIRECT_REQ_64,
	FFA_MSG_SEND_DIRECT_RESP_32, FFA_MSG_SEND_DIRECT_RESP_64, FFA_MEM_DONATE_32,
	FFA_MEM_DONATE_64, FFA_MEM_LEND_32, FFA_MEM_LEND_64, FFA_MEM_SHARE_32, FFA_MEM_SHARE_64,
	FFA_MEM_RETRIEVE_REQ_32, FFA_MEM_RETRIEVE_REQ_64, FFA_MEM_RETRIEVE_RESP_32,
	FFA_MEM_RELINQUISH_32, FFA_MEM_RECLAIM_32, FFA_MEM_OP_PAUSE_32, FFA_MEM_OP_RESUME_32,
	FFA_MEM_FRAG_RX_32, FFA_MEM_FRAG_TX_32, FFA_NORMAL_WORLD_RESUME_32,
	FFA_NOTIFICATION_BITMAP_CREATE_32, FFA_NOTIFICATION_BITMAP_DESTROY_32,
	FFA_NOTIFICATION_BIND_32, FFA_NOTIFICATION_UNBIND_32, FFA_NOTIFICATION_SET_32,
	FFA_NOTIFICATION_GET_32, FFA_NOTIFICATION_INFO_GET_32, FFA_NOTIFICATION_INFO_GET_64,
	FFA_RX_ACQUIRE_32, FFA_SPM_ID_GET_32, FFA_MSG_SEND2_32, FFA_SECONDARY_EP_REGISTER_32,
	FFA_SECONDARY_EP_REGISTER_64, FFA_MEM_PERM_GET_32, FFA_MEM_PERM_GET_64, FFA_MEM_PERM_SET_32,
	FFA_MEM_PERM_SET_64, FFA_CONSOLE_LOG_32, FFA_CONSOLE_LOG_64, FFA_PARTITION_INFO_GET_REGS_64,
	FFA_EL3_INTR_HANDLE_32, FFA_MSG_SEND_DIRECT_REQ2_64, FFA_MSG_SEND_DIRECT_RESP2_64,
	0x840000FFU, 0x84000000U, 0xC4000100U,
};

/* version: negotiation, and the calls that lock it or depend on it. */
static const uint32_t version_abis[] = {
	FFA_VERSION_32, FFA_FEATURES_32, FFA_ID_GET_32, FFA_SPM_ID_GET_32, FFA_RXTX_MAP_32,
	FFA_RXTX_MAP_64, FFA_RXTX_UNMAP_32, FFA_RX_RELEASE_32, FFA_PARTITION_INFO_GET_32,
	FFA_PARTITION_INFO_GET_REGS_64, FFA_MSG_SEND_DIRECT_REQ_32, FFA_MSG_SEND_DIRECT_REQ2_64,
};

/* rxtx: buffers, their ownership, and the calls that fill them. */
static const uint32_t rxtx_abis[] = {
	FFA_VERSION_32, FFA_RXTX_MAP_32, FFA_RXTX_MAP_64, FFA_RXTX_UNMAP_32, FFA_RX_RELEASE_32,
	FFA_RX_ACQUIRE_32, FFA_PARTITION_INFO_GET_32, FFA_PARTITION_INFO_GET_REGS_64,
	FFA_MSG_SEND2_32, FFA_MSG_SEND_DIRECT_REQ_32, FFA_NOTIFICATION_GET_32,
	FFA_NOTIFICATION_INFO_GET_64, FFA_FEATURES_32,
};

/* req2: direct messaging in both widths, and what may answer it. */
static const uint32_t req2_abis[] = {
	FFA_VERSION_32, FFA_FEATURES_32, FFA_MSG_SEND_DIRECT_REQ_32, FFA_MSG_SEND_DIRECT_REQ_64,
	FFA_MSG_SEND_DIRECT_REQ2_64, FFA_MSG_SEND_DIRECT_RESP_32, FFA_MSG_SEND_DIRECT_RESP_64,
	FFA_MSG_SEND_DIRECT_RESP2_64, FFA_RUN_32, FFA_MSG_WAIT_32, FFA_YIELD_32, FFA_INTERRUPT_32,
	FFA_PARTITION_INFO_GET_REGS_64,
};

/* mem: transactions of every type and width, fragments, and partitions retrieving. */
static const uint32_t mem_abis[] = {
	FFA_VERSION_32, FFA_RXTX_MAP_64, FFA_RX_RELEASE_32, FFA_MEM_SHARE_32, FFA_MEM_SHARE_64,
	FFA_MEM_LEND_32, FFA_MEM_LEND_64, FFA_MEM_DONATE_32, FFA_MEM_DONATE_64,
	FFA_MEM_RETRIEVE_REQ_32, FFA_MEM_RETRIEVE_REQ_64, FFA_MEM_RELINQUISH_32,
	FFA_MEM_RECLAIM_32, FFA_MEM_FRAG_RX_32, FFA_MEM_FRAG_TX_32, FFA_MSG_SEND_DIRECT_REQ_32,
};

#define SET(name) {#name, name##_abis, sizeof(name##_abis) / sizeof(name##_abis[0])}
const struct fuzz_abi_set fuzz_abi_sets[] = {
	SET(seq), SET(version), SET(rxtx), SET(req2), SET(mem),
	{"emu", seq_abis, sizeof(seq_abis) / sizeof(seq_abis[0])}, /* seq through the stub */
};
const unsigned fuzz_abi_set_count = sizeof(fuzz_abi_sets) / sizeof(fuzz_abi_sets[0]);

const struct fuzz_abi_set *fuzz_abi_set(const char *name)
{
	for (unsigned i = 0; i < fuzz_abi_set_count; i++) {
		if (strcmp(fuzz_abi_sets[i].target, name) == 0) {
			return &fuzz_abi_sets[i];
		}
	}
	return NULL;
}

unsigned fuzz_abi_index(const struct fuzz_abi_set *set, uint32_t fid)
{
	unsigned i = 0;

	while (i < set->count && set->fids[i] != fid) {
		i++;
	}
	return i;
}

bool fuzz_selector_static(uint8_t sel, ffa_id_t vm, uint64_t *v)
{
	static const uint64_t fixed[] = {
		0,          1,          0x10002,    0x10001,    0x10000,    0x80010002,
		0x20002,    0x8001,     0x8002,     0x8003,     0x8004,     0x8000,
		63,         64,         0xFFFFFFFF, 0xFFFFFFFFFFFFFFFFULL,
	};
	unsigned k = (unsigned)(sel - 0xC0);
	ffa_id_t sp;

	if (sel < 0xC0) {
		return false;
	}
	if (k < sizeof(fixed) / sizeof(fixed[0])) {
		*v = fixed[k];
		return true;
	}
	k -= sizeof(fixed) / sizeof(fixed[0]);
	sp = (ffa_id_t)(0x8001 + k / 8 % 4);
	switch (k % 8) {
	case 0:
		*v = FUZZ_VM_IPA; /* the usual TX */
		return true;
	case 1:
		*v = FUZZ_VM_IPA + FFA_PAGE_SIZE; /* the usual RX */
		return true;
	case 2:
		*v = FUZZ_VM_IPA + (2 + k / 8 % 14) * FFA_PAGE_SIZE; /* a free page */
		return true;
	case 3:
		*v = ffa_sender_receiver(vm, sp);
		return true;
	case 4:
		*v = ffa_sender_receiver(sp, vm);
		return true;
	case 5:
		*v = ffa_target_info(sp, (uint16_t)(k / 32));
		return true;
	default:
		return false; /* FUZZ_SEL_HANDLE_LO / _HI: a handle seen at run time */
	}
}

/* A cursor over the input: reading past the end yields zeros and sets ended. */
struct cursor {
	const uint8_t *data;
	size_t len, pos;
	bool ended;
};

static uint8_t take8(struct cursor *c)
{
	if (c->pos >= c->len) {
		c->ended = true;
		return 0;
	}
	return c->data[c->pos++];
}

static uint64_t take_n(struct cursor *c, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)take8(c) << (8 * i);
	}
	return v;
}

static void decode_call(const struct fuzz_abi_set *set, struct cursor *c, struct fuzz_program *p,
			struct fuzz_call *call)
{
	uint8_t present;

	*call = (struct fuzz_call){.vm = (uint8_t)(take8(c) % p->vm_count)};
	call->fid = set->fids[take8(c) % set->count];
	present = take8(c);
	call->present = present & 0x7F;
	for (unsigned n = 1; n <= 7; n++) {
		uint8_t sel;

		if (!(present & (1U << (n - 1)))) {
			continue;
		}
		sel = take8(c);
		if (sel >= 0xC0) {
			call->special[n] = sel;
		} else {
			call->x[n] = take_n(c, 8);
		}
	}
	if (present & 0x80) {
		uint32_t len = (uint32_t)take_n(c, 2) % (FUZZ_MAX_PAYLOAD + 1);
		uint32_t room = (uint32_t)sizeof(p->payload) - p->payload_used;
		uint32_t have = c->pos < c->len ? (uint32_t)(c->len - c->pos) : 0;
		uint32_t n = len < have ? len : have;

		n = n < room ? n : room;
		memcpy(p->payload + p->payload_used, c->data + c->pos, n);
		call->payload_off = (uint16_t)p->payload_used;
		call->payload_len = (uint16_t)n;
		p->payload_used += n;
		c->pos += len < have ? len : have;
	}
	{
		uint8_t b = take8(c);

		if (b != 0) {
			call->behave_sp = (uint8_t)((b >> 5 & 3) + 1);
			call->behave = (uint8_t)(b % SPMC_BEHAVE_COUNT);
		}
	}
}

void fuzz_decode(const struct fuzz_abi_set *set, const uint8_t *data, size_t len,
		 struct fuzz_program *p)
{
	struct cursor c = {.data = data, .len = len};
	uint8_t h[FUZZ_HEADER_SIZE];

	for (unsigned i = 0; i < FUZZ_HEADER_SIZE; i++) {
		h[i] = take8(&c);
	}
	p->profile = (enum mediator_profile)(h[0] % MEDIATOR_PROFILE_COUNT);
	p->vm_count = (h[1] & 3U) % 3 + 1;
	p->aarch32_mask = (uint8_t)(h[1] >> 2 & 7);
	p->big_buffers = (h[1] & 0x20) != 0;
	p->small_frags = (h[1] & 0x40) != 0;
	p->lie = (enum spmc_mem_lie)(h[2] % SPMC_LIE_COUNT);
	for (unsigned i = 0; i < 4; i++) {
		p->behaviour[i] = (uint8_t)(h[3 + i] % SPMC_BEHAVE_COUNT);
	}
	p->call_count = 0;
	p->payload_used = 0;
	while (p->call_count < FUZZ_MAX_CALLS && c.pos < c.len) {
		struct fuzz_call call;

		decode_call(set, &c, p, &call);
		if (c.ended) {
			break; /* an incomplete call is no call */
		}
		p->calls[p->call_count++] = call;
	}
}

/* A writer that stops (and says so) at the end of its buffer. */
struct sink {
	uint8_t *out;
	size_t cap, pos;
	bool full;
};

static void put_n(struct sink *s, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8) {
		if (s->pos >= s->cap) {
			s->full = true;
			return;
		}
		s->out[s->pos++] = (uint8_t)v;
	}
}

/* The byte decode_call() reads as partition @sp (1..4) taking @kind, or 0. */
static uint8_t behave_byte(uint8_t sp, uint8_t kind)
{
	for (unsigned b = 1; sp != 0 && b < 256; b++) {
		if ((b >> 5 & 3) + 1 == sp && b % SPMC_BEHAVE_COUNT == kind) {
			return (uint8_t)b;
		}
	}
	return 0;
}

static bool encode_call(const struct fuzz_abi_set *set, struct sink *s,
			const struct fuzz_program *p, const struct fuzz_call *c)
{
	unsigned abi = fuzz_abi_index(set, c->fid);

	if (abi == set->count) {
		return false;
	}
	put_n(s, c->vm, 1);
	put_n(s, abi, 1);
	put_n(s, (c->present & 0x7FU) | (c->payload_len ? 0x80U : 0), 1);
	for (unsigned n = 1; n <= 7; n++) {
		if (!(c->present & (1U << (n - 1)))) {
			continue;
		}
		if (c->special[n] >= 0xC0) {
			put_n(s, c->special[n], 1);
		} else {
			put_n(s, 0, 1);
			put_n(s, c->x[n], 8);
		}
	}
	if (c->payload_len) {
		put_n(s, c->payload_len, 2);
		for (unsigned i = 0; i < c->payload_len; i++) {
			put_n(s, p->payload[c->payload_off + i], 1);
		}
	}
	put_n(s, behave_byte(c->behave_sp, c->behave), 1);
	return true;
}

size_t fuzz_encode(const struct fuzz_abi_set *set, const struct fuzz_program *p, uint8_t *out,
		   size_t cap)
{
	struct sink s = {.out = out, .cap = cap};

	put_n(&s, p->profile, 1);
	put_n(&s, (p->vm_count - 1) | (uint64_t)p->aarch32_mask << 2 |
			  (uint64_t)p->big_buffers << 5 | (uint64_t)p->small_frags << 6, 1);
	put_n(&s, p->lie, 1);
	for (unsigned i = 0; i < 4; i++) {
		put_n(&s, p->behaviour[i], 1);
	}
	put_n(&s, 0, 1);
	for (uint32_t i = 0; i < p->call_count; i++) {
		if (!encode_call(set, &s, p, &p->calls[i])) {
			return 0;
		}
	}
	return s.full ? 0 : s.pos;
}

uint32_t fuzz_keep_set(const struct fuzz_abi_set *set, const struct fuzz_program *in,
		       struct fuzz_program *out)
{
	*out = *in;
	out->call_count = 0;
	for (uint32_t i = 0; i < in->call_count; i++) {
		if (fuzz_abi_index(set, in->calls[i].fid) < set->count) {
			out->calls[out->call_count++] = in->calls[i];
		}
	}
	return out->call_count;
}
