/*
 * Stand-in for <asm/kvm_host.h>: the host's saved register context (x0-x30,
 * as the EL2 trap saves it) and the PSCI/SMCCC configuration the proxy reads
 * at hyp_ffa_init().
 */
#pragma once

#include "../linux/types.h"

struct user_pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
};

struct kvm_cpu_context {
	struct user_pt_regs regs;
};

struct kvm_host_psci_config {
	u32 version;
	u32 smccc_version;
};

extern struct kvm_host_psci_config kvm_host_psci_config;

struct kvm_vcpu;
