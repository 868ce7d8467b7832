/*
 * Fuzz target "req2": direct messaging marshalling, DIRECT_REQ/RESP in SMC32
 * and SMC64 and DIRECT_REQ2/RESP2 with x8-x17 payload, FFA_RUN after a
 * yield or interrupt, with the partitions' misbehaviours (wrong response
 * ID or responder, garbage upper halves, RESP to a REQ2) switched on by the
 * input. The oracle's register-width and direct-response-id rules are this
 * target's point. Input format: input.h (ABI set "req2"). Seeds: corpus/req2/.
 */
#include "harness.h"

FUZZ_TARGET(req2)
