/*
 * Stand-in for <nvhe/spinlock.h>. EL2 has no sleeping and no recursion: a
 * lock taken twice is a deadlock, an unlock of a free lock corrupts it, and
 * a lock still held when the handler returns stalls the next call. The shim
 * (shim.c) makes each of them a finding.
 */
#pragma once

#include "../linux/types.h"

typedef struct {
	u32 locked;
} hyp_spinlock_t;

#define __HYP_SPIN_LOCK_INITIALIZER { 0 }
#define __HYP_SPIN_LOCK_UNLOCKED ((hyp_spinlock_t)__HYP_SPIN_LOCK_INITIALIZER)
#define DEFINE_HYP_SPINLOCK(x) hyp_spinlock_t x = __HYP_SPIN_LOCK_UNLOCKED
#define hyp_spin_lock_init(l) (*(l) = __HYP_SPIN_LOCK_UNLOCKED)

void hyp_spin_lock(hyp_spinlock_t *lock);
void hyp_spin_unlock(hyp_spinlock_t *lock);
void hyp_assert_lock_held(hyp_spinlock_t *lock);
