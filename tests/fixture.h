/*
 * The test machine: physical memory, the SPMC model and the mediator, built
 * fresh for every test, plus the FF-A assertions every test file uses.
 */
#pragma once

/* cmocka needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ffa/abi.h"
#include "ffa/smccc.h"
#include "mediator/mediator.h"
#include "spmc/spmc.h"

/* The default machine's VMs (mediator_config_default()). */
#define HOST 0
#define GUEST1 1
#define GUEST2 2
#define VM_IPA 0x80000000ULL

struct fixture {
	struct mem mem;
	struct spmc spmc;
	struct mediator m;
	struct mediator_config cfg;
	int init_err; /* what mediator_init() returned */
};

/**
 * fixture_new() - a machine for @cfg (NULL: the default with the spec
 * profile) and @manifest (NULL: the default manifest).
 */
struct fixture *fixture_new(const struct mediator_config *cfg,
			    const struct spmc_manifest *manifest);
void fixture_free(struct fixture *f);

/* cmocka setup/teardown: a default machine in *state. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* The VM's call with w0 = @fid and x1..x5 as given, the rest zero. */
struct smccc_regs fx_call(struct fixture *f, ffa_id_t vm, uint32_t fid, uint64_t a1,
			  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* FFA_VERSION(@version) from @vm, asserting it is not refused. */
void fx_negotiate(struct fixture *f, ffa_id_t vm, uint32_t version);

/* Map a one-page pair for @vm: TX at VM_IPA, RX at VM_IPA + 4K. */
void fx_map_rxtx(struct fixture *f, ffa_id_t vm);

/* The contents of @vm's mapped RX buffer. */
const uint8_t *fx_rx(struct fixture *f, ffa_id_t vm);

/* w0 = FFA_ERROR and x2 = @err zero-extended (0x00000000FFFFFFFE, never -2). */
#define assert_ffa_error(res, err)                                        \
	do {                                                              \
		struct smccc_regs r_ = (res);                             \
		assert_int_equal(r_.x[0], FFA_ERROR_32);                  \
		assert_int_equal(r_.x[2], (uint64_t)(uint32_t)(err));     \
	} while (0)

/* w0 = FFA_SUCCESS_32 or FFA_SUCCESS_64. */
#define assert_ffa_success(res)                                          \
	do {                                                             \
		struct smccc_regs r_ = (res);                            \
		if (r_.x[0] != FFA_SUCCESS_32 && r_.x[0] != FFA_SUCCESS_64) \
			fail_msg("expected FFA_SUCCESS, got x0=%#llx x2=%#llx", \
				 (unsigned long long)r_.x[0],            \
				 (unsigned long long)r_.x[2]);           \
	} while (0)
