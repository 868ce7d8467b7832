/*
 * Stand-in for <nvhe/memory.h>: the hypervisor's linear map. Host physical
 * addresses are the platform memory model's PAs (struct mem); the shim maps
 * them onto the model's host-backed RAM (shim.c). An address outside the
 * model is an invariant failure of ours, not the proxy's.
 */
#pragma once

#include "../linux/types.h"

void *hyp_phys_to_virt(phys_addr_t phys);
phys_addr_t hyp_virt_to_phys(void *addr);

#define hyp_phys_to_pfn(phys) ((phys) >> PAGE_SHIFT)
#define hyp_pfn_to_phys(pfn) ((phys_addr_t)((pfn) << PAGE_SHIFT))
#define hyp_virt_to_pfn(virt) hyp_phys_to_pfn(hyp_virt_to_phys((void *)(virt)))
#define __hyp_pa(virt) hyp_virt_to_phys((void *)(virt))
#define __hyp_va(phys) hyp_phys_to_virt((phys_addr_t)(phys))
