/*
 * Memory transaction descriptors, parsed and written in every version: see
 * ffa/mem_desc.h for the rules and their sources.
 */
#include "ffa/mem_desc.h"

#include <stddef.h>
#include <string.h>

#include "ffa/smccc.h"

#define V1_0_HEADER ((uint32_t)sizeof(struct ffa_mem_region_v1_0))
#define V1_1_HEADER ((uint32_t)sizeof(struct ffa_mem_region))
#define COMPOSITE ((uint32_t)sizeof(struct ffa_composite_mem_region))
#define CONSTITUENT ((uint32_t)sizeof(struct ffa_mem_region_constituent))

static uint32_t header_size(uint32_t version)
{
	return version >= FFA_VERSION_1_1 ? V1_1_HEADER : V1_0_HEADER;
}

static uint32_t emad_size(uint32_t version)
{
	return version >= FFA_VERSION_1_2 ? sizeof(struct ffa_mem_access)
					  : sizeof(struct ffa_mem_access_v1_0);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

/* The header: fields into @out, the access descriptors' offset, size and count. */
static int parse_header(const uint8_t *buf, uint32_t len, uint32_t version,
			struct ffa_mem_txn *out, uint64_t *ep_off, uint64_t *ep_size,
			uint64_t *ep_count)
{
	if (version < FFA_VERSION_1_1) {
		struct ffa_mem_region_v1_0 h;

		if (len < sizeof(h)) {
			return FFA_INVALID_PARAMETERS;
		}
		memcpy(&h, buf, sizeof(h));
		if (h.reserved0 != 0 || h.reserved1 != 0) {
			return FFA_INVALID_PARAMETERS;
		}
		*out = (struct ffa_mem_txn){.sender = h.sender, .attributes = h.attributes,
					    .flags = h.flags, .handle = h.handle, .tag = h.tag};
		*ep_off = V1_0_HEADER;
		*ep_size = emad_size(version);
		*ep_count = h.ep_count;
		return FFA_OK;
	}
	struct ffa_mem_region h;

	if (len < sizeof(h)) {
		return FFA_INVALID_PARAMETERS;
	}
	memcpy(&h, buf, sizeof(h));
	/* v1.1: attributes bits[15:7] MBZ; the access descriptors at a 16-byte aligned offset. */
	if ((h.attributes & 0xFF80U) != 0 || !all_zero(h.reserved, sizeof(h.reserved)) ||
	    h.ep_mem_size != emad_size(version) || h.ep_mem_offset < V1_1_HEADER ||
	    h.ep_mem_offset % 16 != 0) {
		return FFA_INVALID_PARAMETERS;
	}
	*out = (struct ffa_mem_txn){.sender = h.sender, .attributes = h.attributes,
				    .flags = h.flags, .handle = h.handle, .tag = h.tag};
	*ep_off = h.ep_mem_offset;
	*ep_size = h.ep_mem_size;
	*ep_count = h.ep_count;
	return FFA_OK;
}

uint32_t ffa_mem_desc_first_fragment_min(const uint8_t *buf, uint32_t len, uint32_t version)
{
	uint32_t header = version < FFA_VERSION_1_1 ? V1_0_HEADER : V1_1_HEADER;
	struct ffa_mem_txn t;
	uint64_t ep_off, ep_size, ep_count, min;

	if (parse_header(buf, len, version, &t, &ep_off, &ep_size, &ep_count) != FFA_OK) {
		return len < header ? header : len + 1; /* short of a header, or not one: too short */
	}
	min = ep_off + ep_size * ep_count + sizeof(struct ffa_composite_mem_region);
	return min > UINT32_MAX ? UINT32_MAX : (uint32_t)min;
}

uint64_t ffa_mem_desc_total_of(const uint8_t *buf, uint32_t len, uint32_t version)
{
	struct ffa_mem_txn t;
	struct ffa_composite_mem_region c;
	uint64_t ep_off, ep_size, ep_count;
	uint32_t comp;

	if (parse_header(buf, len, version, &t, &ep_off, &ep_size, &ep_count) != FFA_OK ||
	    ep_count == 0 || ep_off + 8 > len) {
		return 0;
	}
	memcpy(&comp, buf + ep_off + 4, sizeof(comp)); /* every version: after the 4-byte permissions */
	if ((uint64_t)comp + sizeof(c) > len) {
		return 0;
	}
	memcpy(&c, buf + comp, sizeof(c));
	return (uint64_t)comp + sizeof(c) + (uint64_t)c.constituent_count * 16;
}

/* Access descriptor @i: its receiver into @out and its composite offset into *@comp. */
static bool parse_receiver(const uint8_t *at, uint32_t version, struct ffa_mem_txn *out,
			   uint32_t i, uint32_t *comp)
{
	struct ffa_mem_access e; /* v1.0/v1.1 use its first 16 bytes */
	struct ffa_mem_receiver *r = &out->receivers[i];

	memset(&e, 0, sizeof(e));
	memcpy(&e, at, emad_size(version));
	/* v1.0/v1.1: bytes 8-15 reserved; v1.2: 8-23 IMPDEF, 24-31 reserved. */
	if ((version < FFA_VERSION_1_2 ? !all_zero(at + 8, 8) : e.reserved != 0) ||
	    (e.perm.perms & 0xF0U) != 0 || (e.perm.perms & FFA_DATA_ACCESS_MASK) == 3 ||
	    (e.perm.perms & FFA_INSTRUCTION_ACCESS_MASK) == (3U << FFA_INSTRUCTION_ACCESS_SHIFT) ||
	    (e.perm.flags & ~1U) != 0) {
		return false;
	}
	for (uint32_t k = 0; k < i; k++) {
		if (out->receivers[k].id == e.perm.endpoint) {
			return false; /* a receiver named twice */
		}
	}
	*r = (struct ffa_mem_receiver){
		.id = e.perm.endpoint, .perms = e.perm.perms, .flags = e.perm.flags};
	memcpy(out->impdef[i], e.impdef, sizeof(out->impdef[i])); /* zero before v1.2 (memset above) */
	*comp = e.composite_off;
	return true;
}

static int parse_composite(const uint8_t *buf, uint32_t len, uint64_t off,
			   struct ffa_mem_txn *out)
{
	struct ffa_composite_mem_region c;
	uint64_t sum = 0;

	if (off % 8 != 0 || off + COMPOSITE > len) {
		return FFA_INVALID_PARAMETERS;
	}
	memcpy(&c, buf + off, sizeof(c));
	if (c.reserved != 0 || c.constituent_count == 0) {
		return FFA_INVALID_PARAMETERS;
	}
	if (off + COMPOSITE + (uint64_t)c.constituent_count * CONSTITUENT > len) {
		return FFA_INVALID_PARAMETERS;
	}
	if (c.constituent_count > FFA_MEM_MAX_RANGES) {
		return FFA_NO_MEMORY;
	}
	for (uint32_t k = 0; k < c.constituent_count; k++) {
		struct ffa_mem_region_constituent r;

		memcpy(&r, buf + off + COMPOSITE + (uint64_t)k * CONSTITUENT, sizeof(r));
		if (r.address % FFA_PAGE_SIZE != 0 || r.page_count == 0 || r.reserved != 0) {
			return FFA_INVALID_PARAMETERS;
		}
		out->ranges[k] = (struct ffa_mem_range){.address = r.address,
							.page_count = r.page_count};
		sum += r.page_count;
	}
	if (sum != c.page_count) {
		return FFA_INVALID_PARAMETERS;
	}
	if (sum > FFA_MEM_MAX_PAGES) {
		return FFA_NO_MEMORY;
	}
	/* w1 is the descriptor's total length: it ends with its last constituent (Hafnium). */
	if (off + COMPOSITE + (uint64_t)c.constituent_count * CONSTITUENT != len) {
		return FFA_INVALID_PARAMETERS;
	}
	out->page_count = c.page_count;
	out->range_count = c.constituent_count;
	return FFA_OK;
}

int ffa_mem_desc_parse(const uint8_t *buf, uint32_t len, uint32_t version, bool retrieve,
		       struct ffa_mem_txn *out)
{
	uint64_t ep_off, ep_size, ep_count;
	uint32_t composite = 0;
	int err = parse_header(buf, len, version, out, &ep_off, &ep_size, &ep_count);

	if (err != FFA_OK) {
		return err;
	}
	if (ep_count == 0 || ep_off + ep_size * ep_count > len) {
		return FFA_INVALID_PARAMETERS;
	}
	if (ep_count > FFA_MEM_MAX_RECEIVERS) {
		return FFA_NO_MEMORY;
	}
	for (uint32_t i = 0; i < ep_count; i++) {
		uint32_t off;

		if (!parse_receiver(buf + ep_off + i * ep_size, version, out, i, &off)) {
			return FFA_INVALID_PARAMETERS;
		}

		/*
		 * Every receiver names the same composite, after the access
		 * descriptors; a retrieve request may name none (offset 0).
		 */
		if ((off == 0 && !retrieve) || (i > 0 && off != composite) ||
		    (off != 0 && off < ep_off + ep_size * ep_count)) {
			return FFA_INVALID_PARAMETERS;
		}
		composite = off;
	}
	out->receiver_count = (uint32_t)ep_count;
	return composite == 0 ? FFA_OK : parse_composite(buf, len, composite, out);
}

uint32_t ffa_mem_desc_size(const struct ffa_mem_txn *t, uint32_t version)
{
	return header_size(version) + t->receiver_count * emad_size(version) + COMPOSITE +
	       t->range_count * CONSTITUENT;
}

uint32_t ffa_mem_desc_write(const struct ffa_mem_txn *t, uint32_t version, uint8_t *buf,
			    uint32_t size)
{
	uint32_t hsize = header_size(version);
	uint32_t esize = emad_size(version);
	uint32_t comp = hsize + t->receiver_count * esize;
	uint32_t total = ffa_mem_desc_size(t, version);
	struct ffa_composite_mem_region c = {.page_count = t->page_count,
					     .constituent_count = t->range_count};

	if (total > size) {
		return 0;
	}
	memset(buf, 0, total);
	if (version < FFA_VERSION_1_1) {
		struct ffa_mem_region_v1_0 h = {.sender = t->sender,
						.attributes = (uint8_t)t->attributes,
						.flags = t->flags,
						.handle = t->handle,
						.tag = t->tag,
						.ep_count = t->receiver_count};
		memcpy(buf, &h, sizeof(h));
	} else {
		struct ffa_mem_region h = {.sender = t->sender,
					   .attributes = t->attributes,
					   .flags = t->flags,
					   .handle = t->handle,
					   .tag = t->tag,
					   .ep_mem_size = esize,
					   .ep_count = t->receiver_count,
					   .ep_mem_offset = hsize};
		memcpy(buf, &h, sizeof(h));
	}
	for (uint32_t i = 0; i < t->receiver_count; i++) {
		struct ffa_mem_access e = {
			.perm = {.endpoint = t->receivers[i].id,
				 .perms = t->receivers[i].perms,
				 .flags = t->receivers[i].flags},
			.composite_off = comp,
		};

		memcpy(e.impdef, t->impdef[i], sizeof(e.impdef)); /* v1.2's: esize cuts it before */
		memcpy(buf + hsize + i * esize, &e, esize);
	}
	memcpy(buf + comp, &c, sizeof(c));
	for (uint32_t k = 0; k < t->range_count; k++) {
		struct ffa_mem_region_constituent r = {.address = t->ranges[k].address,
						       .page_count = t->ranges[k].page_count};
		memcpy(buf + comp + COMPOSITE + k * CONSTITUENT, &r, sizeof(r));
	}
	return total;
}

uint32_t ffa_mem_desc_request_size(const struct ffa_mem_txn *t, uint32_t version)
{
	return t->range_count != 0 ? ffa_mem_desc_size(t, version)
				   : header_size(version) + t->receiver_count * emad_size(version);
}

uint32_t ffa_mem_desc_write_request(const struct ffa_mem_txn *t, uint32_t version, uint8_t *buf,
				    uint32_t size)
{
	uint32_t hsize = header_size(version), esize = emad_size(version);
	const uint32_t none = 0;

	if (ffa_mem_desc_write(t, version, buf, size) == 0) {
		return 0;
	}
	for (uint32_t i = 0; i < t->receiver_count; i++) {
		memcpy(buf + hsize + i * esize + offsetof(struct ffa_mem_access, composite_off), &none,
		       sizeof(none));
	}
	return hsize + t->receiver_count * esize;
}

bool ffa_mem_attributes_within(uint16_t want, uint16_t given)
{
	static const uint8_t share_rank[4] = {0, 0, 2, 1}; /* non, reserved, outer, inner */
	uint32_t wc = (want >> FFA_MEM_ATTR_CACHEABILITY_SHIFT) & 3, gc = (given >> FFA_MEM_ATTR_CACHEABILITY_SHIFT) & 3;
	uint32_t wt = want & FFA_MEM_ATTR_TYPE_MASK, gt = given & FFA_MEM_ATTR_TYPE_MASK;

	if (wt == 0 || gt == 0) {
		return true;
	}
	if (wt == FFA_MEM_ATTR_TYPE_DEVICE || gt == FFA_MEM_ATTR_TYPE_DEVICE) {
		/* A device type's rank is its bits[3:2], nGnRnE 0 to GRE 3; Normal ranks above. */
		return (wt == FFA_MEM_ATTR_TYPE_DEVICE ? wc : 4) <= (gt == FFA_MEM_ATTR_TYPE_DEVICE ? gc : 4);
	}
	return wc <= gc && share_rank[want & FFA_MEM_ATTR_SHAREABILITY_MASK] <=
				   share_rank[given & FFA_MEM_ATTR_SHAREABILITY_MASK];
}

enum ffa_mem_type ffa_mem_type_of(uint32_t fid)
{
	switch (fid & ~SMCCC_SMC64) {
	case FFA_MEM_SHARE_32:
		return FFA_MEM_TYPE_SHARE;
	case FFA_MEM_LEND_32:
		return FFA_MEM_TYPE_LEND;
	case FFA_MEM_DONATE_32:
		return FFA_MEM_TYPE_DONATE;
	default:
		return 0;
	}
}

/*
 * Memory region attributes: no reserved encoding, no NS bit from a sender. A
 * donation, or a lend to a single borrower, leaves the memory type unspecified
 * (the borrower chooses it: DEN0077A v1.2 "Usage of other memory region
 * attributes"; Hafnium's ffa_memory_send_validate() refuses a type there); a
 * share, or a lend to several borrowers, names it.
 */
static bool attributes_valid(uint16_t a, enum ffa_mem_type type, uint32_t receiver_count)
{
	bool unspecified = type == FFA_MEM_TYPE_DONATE ||
			   (type == FFA_MEM_TYPE_LEND && receiver_count == 1);

	uint32_t kind = (a & FFA_MEM_ATTR_TYPE_MASK) >> FFA_MEM_ATTR_TYPE_SHIFT;
	uint32_t cache = (a >> FFA_MEM_ATTR_CACHEABILITY_SHIFT) & 3;

	if ((a & FFA_MEM_ATTR_NS) != 0 || (a & 0xFF80U) != 0 || kind == 3 ||
	    (a & FFA_MEM_ATTR_SHAREABILITY_MASK) == 1) {
		return false;
	}
	if (kind == 2 && (cache == 0 || cache == 2)) {
		return false; /* normal memory: only non-cacheable (01) or write-back (11) */
	}
	return unspecified ? kind == 0 : kind != 0;
}

int ffa_mem_txn_check(const struct ffa_mem_txn *t, enum ffa_mem_type type)
{
	uint32_t allowed = FFA_MEM_FLAG_TIME_SLICING |
			   (type != FFA_MEM_TYPE_SHARE ? FFA_MEM_FLAG_ZERO_MEMORY : 0);

	if ((t->flags & ~allowed) != 0 || t->handle != 0 || !attributes_valid(t->attributes, type, t->receiver_count) ||
	    (type == FFA_MEM_TYPE_DONATE && t->receiver_count != 1)) {
		return FFA_INVALID_PARAMETERS;
	}
	for (uint32_t i = 0; i < t->receiver_count; i++) {
		uint32_t data = t->receivers[i].perms & FFA_DATA_ACCESS_MASK;

		/*
		 * DEN0077A v1.1 §10.10.3 as Hafnium (ffa_memory_send_validate) and
		 * TF-A 92b99ee read it: the sender leaves instruction access not
		 * specified; a share or lend names RO or RW; a donation leaves data
		 * access to the borrower.
		 */
		if ((t->receivers[i].perms & FFA_INSTRUCTION_ACCESS_MASK) != 0 ||
		    (type == FFA_MEM_TYPE_DONATE ? data != FFA_DATA_ACCESS_NOT_SPECIFIED
						 : data == FFA_DATA_ACCESS_NOT_SPECIFIED)) {
			return FFA_INVALID_PARAMETERS;
		}
	}
	return FFA_OK;
}
