/*
 * Memory transaction descriptors (DEN0077A v1.2 "Memory management": the
 * memory transaction descriptor, endpoint memory access descriptor,
 * composite and constituent descriptors) parsed into one internal form and
 * written back out, whatever the version: v1.0 (32-byte header, 16-byte
 * access descriptors at offset 32), v1.1 (48-byte header naming the access
 * descriptors' size, count and offset; 16-byte access descriptors) and v1.2
 * (32-byte access descriptors). Shared by the mediator and the SPMC model,
 * so both validate a descriptor exactly alike.
 *
 * ffa_mem_desc_parse() checks every field before use, with 64-bit
 * arithmetic so no offset can wrap (pKVM P5, P7, P8; Xen X18): header and
 * access descriptors inside the buffer; the access-descriptor size exactly
 * the caller's version's and its offset at least 48 and 16-byte aligned
 * (v1.1+); reserved fields zero; 1 to FFA_MEM_MAX_RECEIVERS distinct
 * receivers, each with a defined permission encoding; one composite
 * descriptor that every receiver names, 8-byte aligned, inside the buffer
 * with all its constituents; 1 to FFA_MEM_MAX_RANGES constituents, each
 * 4K-aligned with a non-zero page count; the composite's page count equal
 * to the constituents' sum. Transaction-type rules (flags, attributes) are
 * the caller's: see ffa_mem_txn_check(). A send descriptor ends exactly
 * with its last constituent: w1, its total length, says no more and no less.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"

#define FFA_MEM_MAX_RECEIVERS 4
#define FFA_MEM_MAX_RANGES 64    /* constituents per transaction */
#define FFA_MEM_MAX_PAGES 1024   /* pages per transaction */

enum ffa_mem_type {
	FFA_MEM_TYPE_SHARE = 1, /* the values of the retrieve flags' bits[4:3] */
	FFA_MEM_TYPE_LEND = 2,
	FFA_MEM_TYPE_DONATE = 3,
};

struct ffa_mem_receiver {
	ffa_id_t id;
	uint8_t perms; /* [1:0] data access, [3:2] instruction access */
	uint8_t flags; /* bit 0: non-retrieval borrower */
};

struct ffa_mem_range {
	uint64_t address; /* IPA or PA, as the writer's context says */
	uint32_t page_count;
};

/* A transaction descriptor in the internal form. */
struct ffa_mem_txn {
	ffa_id_t sender;
	uint16_t attributes;
	uint32_t flags;
	uint64_t handle;
	uint64_t tag;
	uint32_t receiver_count;
	struct ffa_mem_receiver receivers[FFA_MEM_MAX_RECEIVERS];
	uint32_t page_count; /* the composite's total */
	uint32_t range_count;
	struct ffa_mem_range ranges[FFA_MEM_MAX_RANGES];
	uint8_t impdef[FFA_MEM_MAX_RECEIVERS][16]; /* v1.2: each receiver's IMPLEMENTATION DEFINED value */
};

/**
 * ffa_mem_desc_parse() - parse the @len-byte descriptor at @buf, laid out
 * for FF-A @version, into @out. A @retrieve request may carry no composite
 * (every access descriptor's offset 0): then @out has no ranges.
 * Returns: FFA_OK; FFA_INVALID_PARAMETERS for any malformed field; or
 * FFA_NO_MEMORY when it is well formed but exceeds FFA_MEM_MAX_RECEIVERS,
 * FFA_MEM_MAX_RANGES or FFA_MEM_MAX_PAGES.
 */
int ffa_mem_desc_parse(const uint8_t *buf, uint32_t len, uint32_t version, bool retrieve,
		       struct ffa_mem_txn *out);

/**
 * ffa_mem_desc_first_fragment_min() - the bytes the first fragment of the
 * send descriptor at @buf (@len bytes of it so far) must carry at @version:
 * the header, every endpoint memory access descriptor and the composite
 * header after them (DEN0077A v1.2 fragmented transmission; Hafnium's
 * ffa_memory_send_validate() refuses less with INVALID_PARAMETERS).
 * Returns: that size, or the header's size if @len does not hold a valid
 * header (so @len is short of it).
 */
uint32_t ffa_mem_desc_first_fragment_min(const uint8_t *buf, uint32_t len, uint32_t version);

/**
 * ffa_mem_desc_total_of() - the total length the send descriptor at @buf
 * (@len bytes of it so far) gives itself: its first access descriptor's
 * composite offset, the composite header and its constituents.
 * Returns: that length, or 0 while @len does not hold what it takes.
 */
uint64_t ffa_mem_desc_total_of(const uint8_t *buf, uint32_t len, uint32_t version);

/**
 * ffa_mem_desc_size() - the bytes ffa_mem_desc_write() needs for @t at @version.
 */
uint32_t ffa_mem_desc_size(const struct ffa_mem_txn *t, uint32_t version);

/**
 * ffa_mem_desc_write() - lay @t out for FF-A @version into @buf (@size
 * bytes): header, access descriptors right after it, then the composite.
 * Returns: the bytes written, or 0 if @size is too small.
 */
uint32_t ffa_mem_desc_write(const struct ffa_mem_txn *t, uint32_t version, uint8_t *buf,
			    uint32_t size);

/**
 * ffa_mem_desc_request_size() - the bytes of @t as a retrieve request at
 * @version: with its composite when it has ranges (ffa_mem_desc_size()),
 * else the header and the access descriptors alone.
 */
uint32_t ffa_mem_desc_request_size(const struct ffa_mem_txn *t, uint32_t version);

/**
 * ffa_mem_desc_write_request() - lay @t out for FF-A @version into @buf
 * (@size bytes) as a retrieve request that carries no composite: the
 * header and the access descriptors, each composite offset 0 (DEN0077A
 * v1.2 FFA_MEM_RETRIEVE_REQ: the borrower may leave the composite out).
 * Returns: the bytes of the request, or 0 if @size is too small for @t
 * with its composite (ffa_mem_desc_size()).
 */
uint32_t ffa_mem_desc_write_request(const struct ffa_mem_txn *t, uint32_t version, uint8_t *buf,
				    uint32_t size);

/**
 * ffa_mem_txn_check() - the rules of a send of type @type (DEN0077A
 * "Memory management" ABIs): flags other than zero-memory (not for SHARE)
 * and time-slicing MBZ; handle MBZ; attributes: NS bit clear (Xen X17),
 * reserved bits clear, no reserved encodings, SHARE must name a memory type;
 * permissions (§10.10.3 as Hafnium and TF-A read it): instruction access
 * not specified, data access RO or RW for SHARE and LEND and not specified
 * for DONATE; DONATE has one receiver.
 * Returns: FFA_OK or FFA_INVALID_PARAMETERS.
 */
int ffa_mem_txn_check(const struct ffa_mem_txn *t, enum ffa_mem_type type);

/**
 * ffa_mem_attributes_within() - whether the memory region attributes a
 * Borrower's retrieve asks for, @want, stay within the Sender's @given, in
 * DEN0077A v1.2's attribute precedence as the compliance suite reads it:
 * the memory type Device-nGnRnE before -nGnRE before -nGRE before -GRE
 * before Normal (share_device_attr, share_device_attr1); for Normal memory,
 * non-cacheable before write-back, non-shareable before inner before outer
 * shareable (lend_cache_attr1, lend/share_shareability_attr). Where either
 * leaves the type open (the lender of one borrower; a request with
 * attributes 0), the Borrower's choice stands.
 * Returns: true if within (a Relayer answers DENIED otherwise).
 */
bool ffa_mem_attributes_within(uint16_t want, uint16_t given);

/* The memory type a send function ID stands for, or 0 if it is not one. */
enum ffa_mem_type ffa_mem_type_of(uint32_t fid);
