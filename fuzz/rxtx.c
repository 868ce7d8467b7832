/*
 * Fuzz target "rxtx": RX/TX buffer pairs against guest memory (RXTX_MAP 32
 * and 64, UNMAP, RX_RELEASE, RX_ACQUIRE) and the calls that fill a VM's RX:
 * PARTITION_INFO_GET, SEND2 and a partition sending back, notifications.
 * The oracle's rx-owned-untouched and isolation rules are this target's
 * point. Input format: input.h (ABI set "rxtx"). Seeds: corpus/rxtx/.
 */
#include "harness.h"

FUZZ_TARGET(rxtx)
