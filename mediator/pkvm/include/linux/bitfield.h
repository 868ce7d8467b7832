/* Stand-in for <linux/bitfield.h>: FIELD_GET/FIELD_PREP on a contiguous mask. */
#pragma once

#include "bits.h"

#define __bf_shf(x) (__builtin_ffsll(x) - 1)
#define FIELD_GET(mask, reg) ((__typeof__(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val) (((__typeof__(mask))(val) << __bf_shf(mask)) & (mask))
