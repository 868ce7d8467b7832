/*
 * Force-included (-include) before every line of Linux's pKVM FF-A proxy,
 * the way Kbuild force-includes kconfig.h: the kernel-wide basics the file
 * and its headers use without including them (IS_ENABLED, errno values,
 * SZ_*, PAGE_SIZE, alignment, overflow checks, WARN_ON, barriers). Written
 * for the host from what each macro means in the kernel (pkvm-host.md);
 * nothing here changes what the proxy does.
 *
 * WARN_ON() is not a warning at pKVM's EL2: the hypervisor panics
 * (handle_exit.c). Here it reports a finding through pkvm_shim_warn().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define __KVM_NVHE_HYPERVISOR__ 1
#define CONFIG_64BIT 1
#define CONFIG_ARM64 1

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)
#define IS_BUILTIN(option) __is_defined(option)
#define IS_REACHABLE(option) __is_defined(option)

#define EPERM 1
#define ENOENT 2
#define EFAULT 14
#define EBUSY 16
#define EINVAL 22
#define ENOMEM 12
#define EOPNOTSUPP 95

#define SZ_4K 0x00001000
#define SZ_16K 0x00004000
#define SZ_64K 0x00010000

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __maybe_unused __attribute__((unused))
#define noinline __attribute__((noinline))

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() smp_mb()
#define smp_wmb() smp_mb()
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)

/* A WARN at pKVM's EL2 is a hypervisor panic: the shim reports a finding and does not return. */
__attribute__((noreturn)) void pkvm_shim_warn(const char *file, int line, const char *cond);
#define WARN_ON(cond)                                                                  \
	({                                                                             \
		bool __warn_c = !!(cond);                                              \
		if (unlikely(__warn_c))                                                \
			pkvm_shim_warn(__FILE__, __LINE__, #cond);                     \
		__warn_c;                                                              \
	})
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define BUG_ON(cond) WARN_ON(cond)
#define BUG() pkvm_shim_warn(__FILE__, __LINE__, "BUG()")
