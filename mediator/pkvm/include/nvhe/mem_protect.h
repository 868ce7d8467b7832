/*
 * Stand-in for <nvhe/mem_protect.h>: the host stage-2 ownership calls the
 * FF-A proxy makes, implemented by the shim with pKVM's rules (shim.c,
 * pkvm-host.md "Host memory ownership"). Each returns 0 or a negative errno
 * as pKVM's do: -EPERM when a page is not in the state the transition needs
 * (or is not memory), -EBUSY for an unshare of a pinned page.
 */
#pragma once

#include "../linux/types.h"

int __pkvm_host_share_hyp(u64 pfn);
int __pkvm_host_unshare_hyp(u64 pfn);
int __pkvm_host_share_ffa(u64 pfn, u64 nr_pages);
int __pkvm_host_unshare_ffa(u64 pfn, u64 nr_pages);
int hyp_pin_shared_mem(void *from, void *to);
void hyp_unpin_shared_mem(void *from, void *to);
