/*
 * Compiled against the kernel tree like ffa.c itself (the same flags and
 * headers): the proxy's page budget, hyp_ffa_proxy_pages() from the
 * <asm/kvm_pkvm.h> stand-in, which needs arm_ffa.h's descriptor sizes. The
 * shim asks it how many pages to give hyp_ffa_init().
 */
#include <asm/kvm_pkvm.h>

unsigned long pkvm_proxy_pages(void);

unsigned long pkvm_proxy_pages(void)
{
	return hyp_ffa_proxy_pages();
}
