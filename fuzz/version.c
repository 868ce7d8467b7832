/*
 * Fuzz target "version": FFA_VERSION negotiation across up to three VMs
 * under every policy profile (DEN0077A v1.2 §13.2.2: per-VM negotiation,
 * the lock at the first other call), with the calls that lock it or depend
 * on the negotiated version (FEATURES, RXTX_MAP, PARTITION_INFO_GET(_REGS),
 * direct requests). The oracle's version-word, version-locked and
 * version-not-newer rules are this target's point.
 * Input format: input.h (ABI set "version"). Seeds: corpus/version/.
 */
#include "harness.h"

FUZZ_TARGET(version)
