/*
 * The structure-aware mutator core: see mutate.h. Programs are decoded,
 * changed and encoded again with input.c; the values below are the ones
 * DEN0077A v1.2 gives meaning to, so a move is likely to reach a check.
 */
#include "mutate.h"

#include <string.h>

#include "ffa/abi.h"
#include "ffa/mem_desc.h"
#include "harness.h"

/* Register values with a meaning somewhere in FF-A (raw, not run-time selectors). */
static const uint64_t meaningful[] = {
	/* version words: 1.0, 1.1, 1.2, 1.3, 2.0, bit 31 set (MBZ), the largest 1.x */
	0x10000, 0x10001, 0x10002, 0x10003, 0x20000, 0x80010002, 0x1FFFF,
	/* endpoint IDs: the hypervisor, VMs 1 and 2, none, partitions, past the last, all ones */
	0, 1, 2, 3, 0x8000, 0x8001, 0x8002, 0x8003, 0x8004, 0x8005, 0xFFFF,
	/* page counts, sizes and alignments at the limits */
	4, 5, 0x3F, 0x40, 0xFFF, 0x1000, 0x1001, 0x10000, 0x7FFFFFFF,
	/* the sign bit, all ones in 32 and 64 bits, upper-half garbage for SMC32 */
	0x80000000, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFFULL, 0xDEADBEEF00000000ULL, 0x100000000ULL,
};

/* The endpoints of the default machine, for sender|receiver pairs. */
static const uint16_t endpoints[] = {0, 1, 2, 0x8001, 0x8002, 0x8003, 0x8004, 0x8005};

#define SELECTOR_FIRST 0xC0U /* input.h: selectors 0xC0..0xFF are resolved at run time */

struct rng {
	uint32_t s;
};

static uint32_t next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 17;
	r->s ^= r->s << 5;
	return r->s;
}

/* A number in [0, n); n > 0. */
static uint32_t below(struct rng *r, uint32_t n)
{
	return next(r) % n;
}

static struct fuzz_program prog, other; /* large: static, one mutation at a time */

/* The largest encoding: the header, every call with seven raw registers, all payload bytes. */
#define ENCODED_MAX (FUZZ_HEADER_SIZE + FUZZ_MAX_CALLS * (3 + 7 * 9 + 2 + 1) + sizeof(prog.payload))
static uint8_t scratch[ENCODED_MAX];

static uint64_t endpoint_pair(struct rng *r)
{
	uint16_t a = endpoints[below(r, sizeof(endpoints) / sizeof(endpoints[0]))];
	uint16_t b = endpoints[below(r, sizeof(endpoints) / sizeof(endpoints[0]))];

	return (uint64_t)a << 16 | b;
}

/*
 * Give register @n of @c another register's value: FF-A calls carry values
 * that must agree across registers (a send's total and fragment lengths in
 * w1/w2 of DEN0077A v1.2 FFA_MEM_SHARE; a handle's two halves; an endpoint
 * in two places), so equal values are where the checks between them are.
 * Returns: false if @c has no other register to copy.
 */
static bool copy_register(struct rng *r, struct fuzz_call *c, unsigned n)
{
	unsigned from = 1 + below(r, 7);

	if (from == n || !(c->present & (1U << (from - 1)))) {
		return false;
	}
	c->x[n] = c->x[from];
	c->special[n] = c->special[from];
	return true;
}

/* Give register @n of @c a new value: meaningful, a selector, a function ID, a nudge (by one or by a page), or a copy. */
static void mutate_register(const struct fuzz_abi_set *set, struct rng *r, struct fuzz_call *c,
			    unsigned n)
{
	unsigned move = below(r, 7);

	if (move == 6 && copy_register(r, c, n)) {
		c->present |= (uint8_t)(1U << (n - 1));
		return;
	}
	c->present |= (uint8_t)(1U << (n - 1));
	switch (move % 6) {
	case 0:
		c->special[n] = 0;
		c->x[n] = meaningful[below(r, sizeof(meaningful) / sizeof(meaningful[0]))];
		break;
	case 1:
		c->special[n] = (uint8_t)(SELECTOR_FIRST + below(r, 0x100 - SELECTOR_FIRST));
		break;
	case 2:
		c->special[n] = 0;
		c->x[n] = endpoint_pair(r);
		break;
	case 3:
		c->special[n] = 0;
		c->x[n] = set->fids[below(r, set->count)]; /* FFA_FEATURES' argument, or a stray ID */
		break;
	case 4: /* one either side, or a page either side: FF-A sizes and addresses count 4K pages */
		c->special[n] = 0;
		c->x[n] += (below(r, 2) ? 1 : (uint64_t)-1) * (below(r, 2) ? 1 : FFA_PAGE_SIZE);
		break;
	default:
		c->special[n] = 0;
		c->x[n] ^= 1ULL << below(r, 64);
		break;
	}
}

/* A 32-bit word of @c's TX payload set to an offset or a length near a bound. */
static void mutate_payload(struct rng *r, struct fuzz_program *p, struct fuzz_call *c)
{
	uint32_t len = c->payload_len, off, v;
	uint8_t *bytes = p->payload + c->payload_off;

	if (len < 4) {
		return;
	}
	off = below(r, len / 4) * 4;
	switch (below(r, 6)) {
	case 0:
		v = len + below(r, 3) - 1; /* the descriptor's own length, and one either side */
		break;
	case 1:
		v = 0xFFFFFFF0U + below(r, 16); /* wraps when an offset is added to it */
		break;
	case 2:
		v = below(r, 9) * 0x10; /* where descriptors and their parts start */
		break;
	case 3:
		v = (uint32_t)endpoint_pair(r);
		break;
	case 4:
		c->payload_len = (uint16_t)below(r, len); /* cut the descriptor short */
		return;
	default:
		v = (uint32_t)meaningful[below(r, sizeof(meaningful) / sizeof(meaningful[0]))];
		break;
	}
	memcpy(bytes + off, &v, sizeof(v));
}

/*
 * Give memory send @c (FFA_MEM_SHARE, LEND or DONATE) a well-formed
 * transaction descriptor in a v1.0, v1.1 or v1.2 layout, from the caller to
 * a partition or another VM, over one or two of the caller's free pages,
 * with w1 = w2 = its length (or longer: below) and x3 = w4 = 0 (no buffer
 * of its own: the TX buffer carries it; DEN0077A v1.2 FFA_MEM_SHARE). Byte mutations almost
 * never write one, and without one every check past the header, and every
 * retrieve, relinquish and reclaim after a send, stays out of reach.
 * Returns: false if @c is not a memory send or the payload area is full.
 */
static bool memory_payload(struct rng *r, struct fuzz_program *p, struct fuzz_call *c)
{
	static const uint32_t versions[] = {FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2};
	enum ffa_mem_type type = ffa_mem_type_of(c->fid);
	uint32_t pages = 1 + below(r, 2), len;
	struct ffa_mem_txn t = {
		.sender = c->vm,
		.attributes = 0x2F, /* normal memory, write-back, inner shareable */
		.receiver_count = 1,
		.receivers = {{.id = endpoints[below(r, sizeof(endpoints) / sizeof(endpoints[0]))],
			       .perms = type == FFA_MEM_TYPE_DONATE ? 0 : below(r, 2) ? 0x2 : 0x1}},
		.page_count = pages,
		.range_count = 1,
		/* past TX and RX (pages 0 and 1), inside the VM's RAM */
		.ranges = {{.address = FUZZ_VM_IPA + (2 + below(r, FUZZ_VM_PAGES - 3)) * FFA_PAGE_SIZE,
			    .page_count = pages}},
	};

	if (type == 0) {
		return false;
	}
	if (type != FFA_MEM_TYPE_SHARE) {
		t.attributes &= (uint16_t)~FFA_MEM_ATTR_TYPE_MASK; /* one borrower chooses the type */
	}
	len = ffa_mem_desc_write(&t, versions[below(r, 3)], p->payload + p->payload_used,
				 (uint32_t)(sizeof(p->payload) - p->payload_used));
	if (len == 0) {
		return false;
	}
	c->payload_off = (uint16_t)p->payload_used;
	c->payload_len = (uint16_t)len;
	p->payload_used += len;
	for (unsigned n = 1; n <= 4; n++) {
		c->x[n] = n <= 2 ? len : 0;
		c->special[n] = 0;
	}
	/*
	 * A quarter of the time both lengths claim a page or two more than was
	 * written: past a one-page TX buffer, where the fragment-length check
	 * against the buffer's size decides (FFA_MEM_SHARE's INVALID_PARAMETERS
	 * cases; ffa-facts.md 6.2 X19 and 6.1 P6 got it wrong).
	 */
	if (below(r, 4) == 0) {
		c->x[1] = c->x[2] = len + FFA_PAGE_SIZE * (1 + below(r, 2));
	}
	c->present |= 0xF;
	return true;
}

/*
 * Give retrieve request or relinquish @c a well-formed descriptor for a
 * handle a reply carried (FUZZ_HANDLE_MARK: fuzz_frame() puts the handle
 * in), the caller as the borrower: a request without composite at a
 * random layout naming a random lender, with w1 = w2 = its length; or a
 * relinquish of one endpoint, the caller. The flow a lend between two VMs
 * needs after the send (DEN0077A v1.2 §16.6-16.8), which byte mutations of
 * a handle inside a descriptor almost never build.
 * Returns: false if @c is neither or the payload area is full.
 */
static bool borrower_payload(struct rng *r, struct fuzz_program *p, struct fuzz_call *c)
{
	static const uint32_t versions[] = {FFA_VERSION_1_0, FFA_VERSION_1_1, FFA_VERSION_1_2};
	uint64_t handle = FUZZ_HANDLE_MARK | below(r, 4);
	uint8_t *at = p->payload + p->payload_used;
	uint32_t room = (uint32_t)(sizeof(p->payload) - p->payload_used), len;
	struct ffa_mem_txn t = {
		.sender = (ffa_id_t)below(r, 3),
		.attributes = 0x2F,
		.handle = handle,
		.receiver_count = 1,
		.receivers = {{.id = c->vm, .perms = below(r, 2) ? 0x2 : 0x1}},
	};

	if (c->fid == FFA_MEM_RELINQUISH_32) {
		struct ffa_mem_relinquish d = {.handle = handle, .endpoint_count = 1};
		uint16_t self = c->vm;

		len = sizeof(d) + sizeof(self);
		if (room < len) {
			return false;
		}
		memcpy(at, &d, sizeof(d));
		memcpy(at + sizeof(d), &self, sizeof(self));
	} else if (c->fid == FFA_MEM_RETRIEVE_REQ_32 || c->fid == FFA_MEM_RETRIEVE_REQ_64) {
		len = ffa_mem_desc_write_request(&t, versions[below(r, 3)], at, room);
		if (len == 0) {
			return false;
		}
		for (unsigned n = 1; n <= 4; n++) {
			c->x[n] = n <= 2 ? len : 0;
			c->special[n] = 0;
		}
		c->present |= 0xF;
	} else {
		return false;
	}
	c->payload_off = (uint16_t)p->payload_used;
	c->payload_len = (uint16_t)len;
	p->payload_used += len;
	return true;
}

/*
 * A new call of @set from a random VM with two or three meaningful
 * registers (a memory send, retrieve or relinquish: its descriptor, half the time).
 */
static struct fuzz_call new_call(const struct fuzz_abi_set *set, struct rng *r,
				 struct fuzz_program *p)
{
	struct fuzz_call c = {.vm = (uint8_t)below(r, p->vm_count), .fid = set->fids[below(r, set->count)]};
	unsigned regs = 1 + below(r, 3);

	if (below(r, 2) == 0 && (memory_payload(r, p, &c) || borrower_payload(r, p, &c))) {
		return c;
	}
	for (unsigned i = 0; i < regs; i++) {
		mutate_register(set, r, &c, 1 + below(r, 7));
	}
	return c;
}

static void insert_at(struct fuzz_program *p, uint32_t at, const struct fuzz_call *c)
{
	memmove(&p->calls[at + 1], &p->calls[at], (p->call_count - at) * sizeof(p->calls[0]));
	p->calls[at] = *c;
	p->call_count++;
}

static void delete_at(struct fuzz_program *p, uint32_t at)
{
	memmove(&p->calls[at], &p->calls[at + 1], (p->call_count - at - 1) * sizeof(p->calls[0]));
	p->call_count--;
}

/* One move on @p. */
static void mutate_once(const struct fuzz_abi_set *set, struct rng *r, struct fuzz_program *p)
{
	struct fuzz_call *c = p->call_count ? &p->calls[below(r, p->call_count)] : NULL;
	struct fuzz_call fresh;

	switch (below(r, 12)) {
	case 0: /* insert */
	case 1:
		if (p->call_count < FUZZ_MAX_CALLS) {
			fresh = new_call(set, r, p);
			insert_at(p, below(r, p->call_count + 1), &fresh);
		}
		return;
	case 2: /* delete */
		if (p->call_count > 1) {
			delete_at(p, below(r, p->call_count));
		}
		return;
	case 3: /* duplicate */
		if (c != NULL && p->call_count < FUZZ_MAX_CALLS) {
			fresh = *c;
			insert_at(p, below(r, p->call_count + 1), &fresh);
		}
		return;
	case 4: /* swap */
		if (p->call_count > 1) {
			uint32_t a = below(r, p->call_count), b = below(r, p->call_count);

			fresh = p->calls[a];
			p->calls[a] = p->calls[b];
			p->calls[b] = fresh;
		}
		return;
	case 5: /* header */
		switch (below(r, 5)) {
		case 0:
			p->profile = (enum mediator_profile)below(r, MEDIATOR_PROFILE_COUNT);
			break;
		case 1:
			p->vm_count = 1 + below(r, 3);
			for (uint32_t i = 0; i < p->call_count; i++) {
				p->calls[i].vm = (uint8_t)(p->calls[i].vm % p->vm_count);
			}
			break;
		case 2:
			p->aarch32_mask ^= (uint8_t)(1U << below(r, 3));
			break;
		case 3:
			p->lie = (enum spmc_mem_lie)below(r, SPMC_LIE_COUNT);
			break;
		default:
			p->behaviour[below(r, 4)] = (uint8_t)below(r, SPMC_BEHAVE_COUNT);
			break;
		}
		return;
	default:
		break;
	}
	if (c == NULL) {
		return;
	}
	switch (below(r, 8)) {
	case 0:
		c->vm = (uint8_t)below(r, p->vm_count);
		break;
	case 1:
		c->fid = set->fids[below(r, set->count)];
		break;
	case 2:
		c->present ^= (uint8_t)(1U << below(r, 7));
		break;
	case 3:
		c->behave_sp = (uint8_t)below(r, 5);
		c->behave = c->behave_sp ? (uint8_t)below(r, SPMC_BEHAVE_COUNT) : 0;
		break;
	case 4:
	case 5: /* a new descriptor for a memory send, a payload word, or a register */
		if (below(r, 4) == 0 && (memory_payload(r, p, c) || borrower_payload(r, p, c))) {
			break;
		}
		if (c->payload_len != 0) {
			mutate_payload(r, p, c);
		} else {
			mutate_register(set, r, c, 1 + below(r, 7));
		}
		break;
	default:
		mutate_register(set, r, c, 1 + below(r, 7));
		break;
	}
}

size_t fuzz_mutate(const struct fuzz_abi_set *set, uint8_t *data, size_t size, size_t max,
		   unsigned seed)
{
	struct rng r = {.s = seed | 1};
	unsigned moves = 1 + below(&r, 4);
	size_t n;

	fuzz_decode(set, data, size, &prog);
	for (unsigned i = 0; i < moves; i++) {
		mutate_once(set, &r, &prog);
	}
	n = fuzz_encode(set, &prog, scratch, sizeof(scratch));
	if (n == 0 || n > max) {
		return size; /* too big for @max: the input stays as it was */
	}
	memcpy(data, scratch, n);
	return n;
}

size_t fuzz_crossover(const struct fuzz_abi_set *set, const uint8_t *a, size_t a_len,
		      const uint8_t *b, size_t b_len, uint8_t *out, size_t max, unsigned seed)
{
	struct rng r = {.s = seed | 1};
	uint32_t keep, from, take;

	fuzz_decode(set, a, a_len, &prog);
	fuzz_decode(set, b, b_len, &other);
	keep = below(&r, prog.call_count + 1);
	from = below(&r, other.call_count + 1);
	take = below(&r, other.call_count - from + 1);
	prog.call_count = keep;
	for (uint32_t i = 0; i < take && prog.call_count < FUZZ_MAX_CALLS; i++) {
		struct fuzz_call c = other.calls[from + i];
		uint32_t room = (uint32_t)sizeof(prog.payload) - prog.payload_used;

		c.vm = (uint8_t)(c.vm % prog.vm_count);
		c.payload_len = c.payload_len < room ? c.payload_len : (uint16_t)room;
		memcpy(prog.payload + prog.payload_used, other.payload + c.payload_off, c.payload_len);
		c.payload_off = (uint16_t)prog.payload_used;
		prog.payload_used += c.payload_len;
		prog.calls[prog.call_count++] = c;
	}
	return fuzz_encode(set, &prog, out, max);
}

size_t fuzz_drop_call(const struct fuzz_abi_set *set, const uint8_t *data, size_t size,
		      unsigned index, uint8_t *out, size_t max)
{
	fuzz_decode(set, data, size, &prog);
	if (index >= prog.call_count) {
		return 0;
	}
	delete_at(&prog, index);
	return fuzz_encode(set, &prog, out, max);
}

unsigned fuzz_call_count(const struct fuzz_abi_set *set, const uint8_t *data, size_t size)
{
	fuzz_decode(set, data, size, &prog);
	return prog.call_count;
}
