/*
 * libFuzzer's side of the mutator core (mutate.h), linked into the libFuzzer
 * builds only: LLVMFuzzerCustomMutator and LLVMFuzzerCustomCrossOver for the
 * target fuzz_target_name names. One mutation in four is libFuzzer's own
 * (LLVMFuzzerMutate: byte moves, the dictionary, the operands of comparisons
 * it traced), so values no table of ours holds still turn up.
 */
#include "harness.h"
#include "mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed);

static const struct fuzz_abi_set *target(void)
{
	static const struct fuzz_abi_set *set;

	if (set == NULL) {
		set = fuzz_abi_set(fuzz_target_name);
	}
	return set;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	if (seed % 4 == 0 || target() == NULL) { /* a target of its own format (client): libFuzzer's */
		return LLVMFuzzerMutate(data, size, max_size);
	}
	return fuzz_mutate(target(), data, size, max_size, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	if (target() == NULL) {
		return 0; /* no structure to splice by: libFuzzer mutates instead */
	}
	return fuzz_crossover(target(), data1, size1, data2, size2, out, max_out_size, seed);
}
