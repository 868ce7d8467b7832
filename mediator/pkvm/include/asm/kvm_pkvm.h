/*
 * Stand-in for <asm/kvm_pkvm.h>: the proxy's page budget. One mailbox page
 * each for the hypervisor's TX and RX, and a descriptor buffer for the
 * largest fragmented FFA_MEM_RETRIEVE_RESP a reclaim may bring back: the
 * descriptor headers and SG_MAX_SEGMENTS constituents, as arm64 sizes it
 * (SG_MAX_SEGMENTS is 2048 where scatterlists chain, as on arm64).
 */
#pragma once

#include <linux/arm_ffa.h>

#define SG_MAX_SEGMENTS 2048
#define KVM_FFA_MBOX_NR_PAGES 1

static inline unsigned long hyp_ffa_proxy_pages(void)
{
	size_t desc_max = sizeof(struct ffa_mem_region) + sizeof(struct ffa_mem_region_attributes) +
			  sizeof(struct ffa_composite_mem_region) +
			  SG_MAX_SEGMENTS * sizeof(struct ffa_mem_region_addr_range);

	return (2 * KVM_FFA_MBOX_NR_PAGES) + DIV_ROUND_UP(desc_max, PAGE_SIZE);
}
