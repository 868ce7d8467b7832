/*
 * The seam between the mediator and the secure world: one function, chosen
 * at link time. spmc-model/ implements it with the software SPMC; a test
 * replaces it with `-Wl,--wrap=other_world_call` to make the SPMC say what
 * no well-behaved SPMC would.
 */
#pragma once

#include "ffa/smccc.h"

struct spmc;

/**
 * other_world_call() - make the SMC the mediator would make at EL2: the
 * caller is the NS physical FF-A instance (ID 0). @req has already been
 * through smccc_conform().
 *
 * Returns: the secure world's x0-x17, unchecked: the caller validates them.
 */
struct smccc_regs other_world_call(struct spmc *spmc, const struct smccc_regs *req);
