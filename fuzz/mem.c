/*
 * Fuzz target "mem": memory transactions (SHARE, LEND, DONATE, 32 and 64)
 * with descriptors of every version in the TX payload, fragments both ways,
 * retrieve, relinquish and reclaim, partitions retrieving through their
 * behaviour, and the SPMC model's lies about handles and descriptors. The
 * oracle's isolation and share-success-handle rules are this target's
 * point. Input format: input.h (ABI set "mem"). Seeds: corpus/mem/.
 */
#include "harness.h"

FUZZ_TARGET(mem)
