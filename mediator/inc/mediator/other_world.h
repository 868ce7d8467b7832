/*
 * The seam between the mediator and the secure world: a call and an
 * interrupt line, chosen at link time. spmc-model/ implements it with the software SPMC; a test
 * replaces it with `-Wl,--wrap=other_world_call` to make the SPMC say what
 * no well-behaved SPMC would.
 */
#pragma once

#include <stdbool.h>

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

/**
 * other_world_sri_take() - the hypervisor's interrupt handler: whether the
 * secure world pended the schedule receiver interrupt (FFA_SRI_INTID) to
 * the NS world since the last take. Taking it acknowledges it.
 * Returns: true if it was pending.
 */
bool other_world_sri_take(struct spmc *spmc);
