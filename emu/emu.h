/*
 * The emulator: Unicorn Engine (Debian's 2.0.1) runs Linux's own aarch64
 * SMCCC entry stub (arch/arm64/kernel/smccc-call.S from the kernel tree:
 * arm_smccc_1_2_smc/hvc, and __arm_smccc_smc/hvc for SMCCC 1.1 callers),
 * wrapped by emu/stub.S's canary entries, for one VM; the trap reaches the mediator
 * through a UC_HOOK_INTR hook, with x0-x17 moved as one register frame.
 * Guest RAM is the VM's pages of the platform memory (struct mem), mapped
 * into Unicorn at the VM's IPAs with uc_mem_map_ptr(): what guest code
 * writes is what the mediator reads, and the other way round. What the
 * emulator writes there is marked dirty for mem_reset() (mem_touch()): all
 * the VM's pages after a guest code blob, the bytes of emu_write(). The stub
 * itself stores only into its own results block, outside guest RAM; the
 * emu fuzz target makes guest RAM read-only to the CPU to hold it to that.
 *
 * One engine per VM, created once and reset per input with emu_reset()
 * (uc_context_restore); never a new engine per input. Designed around
 * Unicorn 2.0.1's defects (unicorn-notes.md): the stop address has a page of
 * its own with nothing mapped below it (G1), and no timeout is passed to
 * uc_emu_start (a timer thread per call).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffa/smccc.h"
#include "mediator/backend.h"
#include "mediator/mediator.h"

/* The memory map, outside every VM's IPA window. */
#define EMU_CODE_BASE 0x00010000ULL /* the stub, then guest code blobs */
#define EMU_CODE_SIZE 0x00010000ULL
#define EMU_BLOB_BASE (EMU_CODE_BASE + 0x8000ULL)
#define EMU_BLOB_MAX 0x8000U
#define EMU_DATA_BASE 0x00020000ULL /* argument and result blocks, then the stack */
#define EMU_DATA_SIZE 0x00010000ULL
#define EMU_ARGS (EMU_DATA_BASE + 0x000)
#define EMU_RESULTS (EMU_DATA_BASE + 0x100)
#define EMU_MASK (EMU_DATA_BASE + 0x200)
#define EMU_STACK_TOP (EMU_DATA_BASE + EMU_DATA_SIZE)
#define EMU_STOP 0x00100000ULL /* a page of its own; nothing mapped below it */
#define EMU_STOP_SIZE 0x1000ULL

/*
 * QEMU's internal exception numbers as UC_HOOK_INTR reports them
 * (qemu/target/arm/cpu.h; not exported by Unicorn's headers). With the
 * default engine an SMC arrives as 13 and, once SCR_EL3.HCE is set, an HVC
 * as 11; an undefined instruction is 1, a breakpoint 7.
 */
#define EMU_EXCP_UDEF 1
#define EMU_EXCP_BKPT 7
#define EMU_EXCP_HVC 11
#define EMU_EXCP_SMC 13

enum emu_conduit {
	EMU_SMC,
	EMU_HVC, /* needs emu_enable_hvc() */
};

enum emu_status {
	EMU_OK = 0,
	EMU_ERR_EXCEPTION = -1, /* an exception other than the call's trap: see e->exception */
	EMU_ERR_FAULT = -2,     /* Unicorn stopped on an error (unmapped access ...): e->uc_error */
	EMU_ERR_TOO_BIG = -3,   /* a blob larger than EMU_BLOB_MAX */
};

struct uc_struct;
struct uc_context;

struct emu {
	struct uc_struct *uc;
	struct uc_context *clean; /* CPU state right after setup, for emu_reset() */
	const struct backend_ops *be; /* the mediator the trap reaches: any backend */
	void *inst;
	struct mem *mem;
	struct mem_window window; /* the VM's RAM as the guest sees it */
	ffa_id_t vm;
	bool hvc_enabled;
	bool bare;         /* benchmark floor: the hook moves the registers, no mediator */
	int exception;     /* the unexpected exception number, or -1 */
	int uc_error;      /* the uc_err of the last failed run */
	uint64_t traps;    /* calls that reached the hook */
};

/**
 * emu_init() - an engine for VM @vm_id of backend @be's instance @inst:
 * the stub and a data page mapped, the VM's IPA window @w mapped onto its
 * pages of @mem, the trap hook installed. Unicorn failing to set up is our
 * bug: it aborts.
 * Returns: EMU_OK, or EMU_ERR_FAULT if @w is not in @mem.
 */
int emu_init(struct emu *e, const struct backend_ops *be, void *inst, struct mem *mem,
	     const struct mem_window *w, ffa_id_t vm_id);

/* Release the engine. */
void emu_fini(struct emu *e);

/* Set SCR_EL3.HCE so that hvc #0 traps as EMU_EXCP_HVC (undefined before). */
void emu_enable_hvc(struct emu *e);

/**
 * emu_call() - one FF-A call made by Linux's arm_smccc_1_2_smc/hvc: @in to
 * the argument block, the stub loads x0-x17, traps through @conduit, stores
 * x0-x17 into @out.
 * Returns: EMU_OK or an emu_status error (the stub never got back).
 */
int emu_call(struct emu *e, enum emu_conduit conduit, const struct smccc_regs *in,
	     struct smccc_regs *out);

/**
 * emu_call_smccc11() - one call through Linux's SMCCC 1.1 entry
 * (__arm_smccc_smc/hvc): x0-x7 from @in, the result structure on the stack,
 * no quirk; @out gets x0-x3 as that entry stores them, x4-x17 zero (an
 * SMCCC 1.1 caller sees no more).
 * Returns: as emu_call().
 */
int emu_call_smccc11(struct emu *e, enum emu_conduit conduit, const struct smccc_regs *in,
		     struct smccc_regs *out);

/**
 * emu_call_canary() - emu_call() through the entry that fills x18-x29 with
 * canaries; *@changed gets the mask of those the call changed (bit n: xn).
 * Returns: as emu_call().
 */
int emu_call_canary(struct emu *e, enum emu_conduit conduit, const struct smccc_regs *in,
		    struct smccc_regs *out, uint32_t *changed);

/**
 * emu_run_blob() - run @len bytes of aarch64 code at EMU_BLOB_BASE with
 * x0-x17 from @regs until it returns (ret to x30); @regs gets x0-x17 back.
 * Every page of the VM's RAM is marked dirty afterwards (the code may have
 * stored anywhere in it).
 * Returns: EMU_OK or an emu_status error.
 */
int emu_run_blob(struct emu *e, const void *code, size_t len, struct smccc_regs *regs);

/**
 * emu_write() / emu_read() - guest memory at @addr (an IPA of the VM or the
 * emulator's own map), through Unicorn.
 * Returns: EMU_OK, or EMU_ERR_FAULT if a byte is not mapped.
 */
int emu_write(struct emu *e, uint64_t addr, const void *buf, size_t len);
int emu_read(struct emu *e, uint64_t addr, void *buf, size_t len);

/*
 * emu_guest_ram_readonly() - make the VM's RAM read-only to guest code, so
 * that any store into it stops the run with EMU_ERR_FAULT (UC_ERR_WRITE_PROT).
 * emu_write() and the mediator still write it.
 */
void emu_guest_ram_readonly(struct emu *e);

/* The CPU state as emu_init() left it (guest RAM is the caller's to reset). */
void emu_reset(struct emu *e);

/**
 * emu_compare() - the stub-versus-direct oracle: make each of @calls from VM
 * e->vm through the stub (e's backend instance) and directly (instance
 * @direct of the same backend, which must start in the same state), and
 * compare every register.
 * Returns: -1 if all agree, else the index of the first call that differs
 * (or that the stub failed to make).
 */
long emu_compare(struct emu *e, void *direct, const struct smccc_regs *calls, size_t n);
