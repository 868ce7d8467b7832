/*
 * The structure-aware mutator core, one for both engines: libFuzzer's
 * LLVMFuzzerCustomMutator/CustomCrossOver (fuzz/mutator_libfuzzer.c) and
 * AFL++'s custom mutator library (fuzz/mutator_afl.c).
 *
 * An input is decoded as a program (input.h), changed as a program, and
 * encoded again, so every mutation lands on real ABIs with well-formed
 * records. Call level: insert a new call, delete, duplicate, swap, splice
 * calls from another input. Field level: the calling VM, the ABI, a register
 * set to a spec-meaningful value (endpoint IDs, sender|receiver pairs,
 * version words, page counts and alignments at the limits, function IDs,
 * upper-half garbage) or to a run-time selector (the VM's own buffers,
 * handles seen), a register nudged by one or a bit, a header field (profile,
 * VMs, AArch32 callers, SPMC lie, partition behaviours), a call's partition
 * behaviour, and TX payload words set to descriptor offsets and lengths near
 * their bounds.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "input.h"

/**
 * fuzz_mutate() - mutate the @size-byte input at @data in place as a program
 * of @set, one to four moves chosen from @seed. @max is the room at @data.
 * Returns: the new size (at most @max); @size unchanged if no move fitted.
 */
size_t fuzz_mutate(const struct fuzz_abi_set *set, uint8_t *data, size_t size, size_t max,
		   unsigned seed);

/**
 * fuzz_crossover() - a child of inputs @a and @b into @out (@max bytes):
 * @a's header and a prefix of its calls, then a run of @b's calls.
 * Returns: the child's size, or 0 if it does not fit.
 */
size_t fuzz_crossover(const struct fuzz_abi_set *set, const uint8_t *a, size_t a_len,
		      const uint8_t *b, size_t b_len, uint8_t *out, size_t max, unsigned seed);

/**
 * fuzz_drop_call() - the input at @data without its call @index (the trim
 * step of a structure-aware minimizer), into @out (@max bytes).
 * Returns: the new size, or 0 if @index is not a call of the input.
 */
size_t fuzz_drop_call(const struct fuzz_abi_set *set, const uint8_t *data, size_t size,
		      unsigned index, uint8_t *out, size_t max);

/* The number of calls the input at @data decodes to. */
unsigned fuzz_call_count(const struct fuzz_abi_set *set, const uint8_t *data, size_t size);
