/*
 * The one input format of every fuzz target, and its decoder. Any byte
 * string decodes to a valid program, so mutations land on real ABIs.
 *
 * Layout (all integers little-endian; a short input just ends early):
 *
 *   header, 8 bytes:
 *     [0] policy profile (mod MEDIATOR_PROFILE_COUNT)
 *     [1] bits 0-1: VM count - 1 (1..3 VMs: IDs 0, 1, 2); bits 2-4: which VMs
 *         are AArch32; bit 5: VMs get 4-page RX/TX maxima; bit 6: the
 *         mediator sends the SPMC 64-byte fragments
 *     [2] the SPMC model's lie (mod SPMC_LIE_COUNT)
 *     [3..6] each partition's (0x8001..0x8004) behaviour at start
 *            (mod SPMC_BEHAVE_COUNT)
 *     [7] reserved
 *   then up to FUZZ_MAX_CALLS call records:
 *     [0] the calling VM (mod VM count)
 *     [1] an index (mod its size) into the target's ABI set: seq's is
 *         every FF-A function ID plus a few outside FF-A's range; the
 *         focused targets' sets are the ABIs of their concern
 *     [2] which of x1..x7 follow (bit n-1 for xn); bit 7: a TX payload follows
 *     then, for each xn present, a selector byte then its value:
 *         selector < 0xC0: 8 bytes, the raw value;
 *         selector >= 0xC0: a spec-meaningful value, no more bytes
 *         (fuzz_selector_static(): endpoint IDs and sender|receiver pairs,
 *         version words, page counts, all-ones, IPAs of the VM's TX, RX and
 *         free pages, target info; or a handle replies carried so far)
 *     then, if bit 7: a 2-byte length and that many bytes (at most 4096),
 *         copied into the caller's TX buffer before the call
 *     then one byte, the stream the SPMC model reads: if non-zero,
 *         partition 0x8001 + (byte >> 5 & 3) takes behaviour
 *         byte % SPMC_BEHAVE_COUNT before the call
 *   x8-x17 are not in the input: every call carries a fixed non-zero
 *   pattern there (its index and the register number; fuzz_frame()), the
 *   payload REQ2 marshals and the registers others must preserve.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ffa/smccc.h"
#include "mediator/mediator.h"
#include "spmc/spmc.h"

#define FUZZ_MAX_CALLS 32
#define FUZZ_VM_IPA 0x80000000ULL /* where every VM's RAM starts: TX at +0, RX at +4 KiB */
#define FUZZ_MAX_PAYLOAD 4096
#define FUZZ_HEADER_SIZE 8

struct fuzz_call {
	uint8_t vm;              /* index into the configured VMs */
	uint32_t fid;
	uint8_t present;         /* x1..x7 given */
	uint64_t x[8];           /* raw values (x[0] unused) */
	uint8_t special[8];      /* 0, or the selector of a value resolved at run time */
	uint16_t payload_len;
	uint16_t payload_off;    /* into fuzz_program.payload */
	uint8_t behave_sp;       /* 0: none; else partition index + 1 */
	uint8_t behave;          /* enum spmc_behaviour_kind */
};

struct fuzz_program {
	enum mediator_profile profile;
	uint32_t vm_count;
	uint8_t aarch32_mask;
	bool big_buffers;
	bool small_frags;
	enum spmc_mem_lie lie;
	uint8_t behaviour[4];
	uint32_t call_count;
	struct fuzz_call calls[FUZZ_MAX_CALLS];
	uint32_t payload_used;
	uint8_t payload[4 * FUZZ_MAX_PAYLOAD]; /* all calls' payloads; later ones truncated to fit */
};

/* Selectors 0xD0.. come in eights; these two of each eight name a handle replies carried. */
#define FUZZ_SEL_HANDLE_FIRST 0xD0U
#define FUZZ_SEL_HANDLE_LO 6U /* (sel - FUZZ_SEL_HANDLE_FIRST) % 8: the low word of handle (sel - 0xD0) / 8 */
#define FUZZ_SEL_HANDLE_HI 7U /* ... and its high word */

/*
 * In the payload of a retrieve request or a relinquish, a handle field
 * (offset 8 of the transaction descriptor, offset 0 of the relinquish
 * descriptor) holding FUZZ_HANDLE_MARK | k stands for handle k % n of the n
 * that replies carried so far, as FUZZ_SEL_HANDLE_* do in registers
 * (fuzz_frame()); k = 0xFF is left alone: 0xFF...FF is the invalid handle.
 */
#define FUZZ_HANDLE_MARK 0xFFFFFFFFFFFFFF00ULL

/**
 * fuzz_selector_static() - the value selector @sel stands for in a call
 * from VM @vm, when it does not depend on the run: a fixed value (endpoint
 * IDs, version words, all-ones ...), the VM's TX, RX or a free page, a
 * sender|receiver pair with a partition, target info.
 * Returns: true with *@v set; false for a raw value or a handle selector.
 */
bool fuzz_selector_static(uint8_t sel, ffa_id_t vm, uint64_t *v);

/* The function IDs a target's call records choose from. */
struct fuzz_abi_set {
	const char *target;
	const uint32_t *fids;
	unsigned count;
};

/* seq, version, rxtx, req2, mem, emu (seq's): the targets' ABI sets. */
extern const struct fuzz_abi_set fuzz_abi_sets[];
extern const unsigned fuzz_abi_set_count;

/* The set of target @name, or NULL. */
const struct fuzz_abi_set *fuzz_abi_set(const char *name);

/* The index of @fid in @set, or set->count if it is not there. */
unsigned fuzz_abi_index(const struct fuzz_abi_set *set, uint32_t fid);

/*
 * fuzz_keep_set() - @out = @in with only the calls whose ABI is in @set
 * (seed writers: a target gets a flow's calls of its concern).
 * Returns: the number of calls kept.
 */
uint32_t fuzz_keep_set(const struct fuzz_abi_set *set, const struct fuzz_program *in,
		       struct fuzz_program *out);

/**
 * fuzz_decode() - turn @len bytes at @data into @p, ABIs from @set. Never fails: missing
 * bytes read as zero and end the program at the first incomplete call.
 */
void fuzz_decode(const struct fuzz_abi_set *set, const uint8_t *data, size_t len,
		 struct fuzz_program *p);

/**
 * fuzz_encode() - the inverse of fuzz_decode(): @p as bytes into @out
 * (@cap bytes), for seed generators and readable scenarios. A call's
 * behaviour byte is the smallest one that decodes to it.
 * Returns: the bytes written, or 0 if @cap is too small or @p names an ABI
 * outside @set.
 */
size_t fuzz_encode(const struct fuzz_abi_set *set, const struct fuzz_program *p, uint8_t *out,
		   size_t cap);
