/*
 * Stand-in for newer trees' <nvhe/arm-smccc.h>: hyp_smccc_1_2_smc() is a
 * tracing wrapper around arm_smccc_1_2_smc(); the shim has no tracing.
 */
#pragma once

#include "../linux/arm-smccc.h"

#define hyp_smccc_1_2_smc(args, res) arm_smccc_1_2_smc(args, res)
