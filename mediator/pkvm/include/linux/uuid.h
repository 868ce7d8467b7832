/* Stand-in for <linux/uuid.h>: the type arm_ffa.h declares fields of. */
#pragma once

#include "types.h"

typedef struct {
	u8 b[16];
} uuid_t;
