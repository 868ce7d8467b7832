/*
 * The emulator: engine set-up, the trap hook, stub calls and guest code
 * blobs (see emu.h). Every uc_* call of our own set-up goes through uc_ok():
 * Unicorn failing there is our bug, so it aborts; a guest's own fault (an
 * unmapped access, an undefined instruction) is an emu_status error.
 */
#include "emu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "emu_stub.inc" /* emu_stub_code[], EMU_STUB_<ENTRY>: smccc-call.S and stub.S */

/* The kernel's stub stores x0-x17 at 8 * n of its block (emu/kernel/asm/asm-offsets.h). */
_Static_assert(sizeof(struct smccc_regs) == 18 * 8 && offsetof(struct smccc_regs, x[17]) == 17 * 8,
	       "struct smccc_regs is struct arm_smccc_1_2_regs");

static void uc_ok(uc_err err, const char *what)
{
	if (err != UC_ERR_OK) {
		fprintf(stderr, "emu: %s: %s\n", what, uc_strerror(err));
		abort();
	}
}

/* x0-x17 as Unicorn register IDs (UC_ARM64_REG_X0..X28 are contiguous). */
static int xreg(unsigned n)
{
	return UC_ARM64_REG_X0 + (int)n;
}

/*
 * UC_HOOK_INTR: the call's trap moves x0-x17 through the mediator; anything
 * else stops the run and is reported (Unicorn would re-execute an undefined
 * instruction forever if the hook just returned).
 */
static void on_trap(uc_engine *uc, uint32_t intno, void *user)
{
	struct emu *e = user;
	struct smccc_regs r;
	int ids[SMCCC_REG_COUNT];
	void *vals[SMCCC_REG_COUNT];

	if (intno != EMU_EXCP_SMC && !(intno == EMU_EXCP_HVC && e->hvc_enabled)) {
		e->exception = (int)intno;
		uc_ok(uc_emu_stop(uc), "stop on an unexpected exception");
		return;
	}
	for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
		ids[i] = xreg(i);
		vals[i] = &r.x[i];
	}
	uc_ok(uc_reg_read_batch(uc, ids, vals, SMCCC_REG_COUNT), "read x0-x17");
	if (!e->bare) {
		r = e->be->call(e->inst, e->vm, &r);
	}
	uc_ok(uc_reg_write_batch(uc, ids, vals, SMCCC_REG_COUNT), "write x0-x17");
	e->traps++;
}

/* Mark what [addr, +len) covers of the VM's RAM dirty (host writes through Unicorn). */
static void touch_window(struct emu *e, uint64_t addr, size_t len)
{
	uint64_t size = (uint64_t)e->window.page_count * MEM_PAGE_SIZE;

	if (addr < e->window.ipa_base + size && addr + len > e->window.ipa_base) {
		uint64_t from = addr > e->window.ipa_base ? addr : e->window.ipa_base;

		mem_touch(e->mem, e->window.pa_base + (from - e->window.ipa_base),
			  addr + len - from);
	}
}

int emu_init(struct emu *e, const struct backend_ops *be, void *inst, struct mem *mem,
	     const struct mem_window *w, ffa_id_t vm_id)
{
	uc_hook hook;
	uint8_t *ram;

	*e = (struct emu){.be = be, .inst = inst, .mem = mem, .vm = vm_id, .exception = -1};
	e->window = *w;
	ram = mem_host(mem, w->pa_base, w->page_count);
	if (ram == NULL) {
		return EMU_ERR_FAULT;
	}
	uc_ok(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &e->uc), "open");
	uc_ok(uc_mem_map(e->uc, EMU_CODE_BASE, EMU_CODE_SIZE, UC_PROT_ALL), "map code");
	uc_ok(uc_mem_write(e->uc, EMU_CODE_BASE, emu_stub_code, sizeof(emu_stub_code)), "stub");
	uc_ok(uc_mem_map(e->uc, EMU_DATA_BASE, EMU_DATA_SIZE, UC_PROT_READ | UC_PROT_WRITE),
	      "map data");
	/* Unicorn 2.0.1 G1: the stop address alone on its page, nothing just below. */
	uc_ok(uc_mem_map(e->uc, EMU_STOP, EMU_STOP_SIZE, UC_PROT_ALL), "map stop page");
	uc_ok(uc_mem_map_ptr(e->uc, w->ipa_base, (size_t)w->page_count * MEM_PAGE_SIZE, UC_PROT_ALL,
			     ram),
	      "map guest RAM");
	uc_ok(uc_hook_add(e->uc, &hook, UC_HOOK_INTR, (void *)on_trap, e, 1, 0), "trap hook");
	uc_ok(uc_context_alloc(e->uc, &e->clean), "context");
	uc_ok(uc_context_save(e->uc, e->clean), "save context");
	return EMU_OK;
}

void emu_fini(struct emu *e)
{
	if (e->clean != NULL) {
		uc_context_free(e->clean);
	}
	if (e->uc != NULL) {
		uc_close(e->uc);
	}
	*e = (struct emu){0};
}

void emu_enable_hvc(struct emu *e)
{
	/* SCR_EL3 (op0 3, op1 6, CRn 1, CRm 1, op2 0), bit 8 HCE (unicorn-notes.md). */
	uc_arm64_cp_reg scr = {.crn = 1, .crm = 1, .op0 = 3, .op1 = 6, .op2 = 0};

	uc_ok(uc_reg_read(e->uc, UC_ARM64_REG_CP_REG, &scr), "read SCR_EL3");
	scr.val |= 1ULL << 8;
	uc_ok(uc_reg_write(e->uc, UC_ARM64_REG_CP_REG, &scr), "write SCR_EL3");
	e->hvc_enabled = true;
	uc_ok(uc_context_save(e->uc, e->clean), "save context"); /* resets keep HCE */
}

int emu_write(struct emu *e, uint64_t addr, const void *buf, size_t len)
{
	if (uc_mem_write(e->uc, addr, buf, len) != UC_ERR_OK) {
		return EMU_ERR_FAULT;
	}
	touch_window(e, addr, len);
	return EMU_OK;
}

int emu_read(struct emu *e, uint64_t addr, void *buf, size_t len)
{
	return uc_mem_read(e->uc, addr, buf, len) == UC_ERR_OK ? EMU_OK : EMU_ERR_FAULT;
}

void emu_guest_ram_readonly(struct emu *e)
{
	uc_ok(uc_mem_protect(e->uc, e->window.ipa_base,
			     (size_t)e->window.page_count * MEM_PAGE_SIZE, UC_PROT_READ | UC_PROT_EXEC),
	      "protect guest RAM");
}

void emu_reset(struct emu *e)
{
	uc_ok(uc_context_restore(e->uc, e->clean), "restore context");
}

/* Run from @pc with stack pointer @sp until the code returns to EMU_STOP. */
static int run(struct emu *e, uint64_t pc, uint64_t sp)
{
	uint64_t lr = EMU_STOP;
	uc_err err;

	uc_ok(uc_reg_write(e->uc, UC_ARM64_REG_SP, &sp), "sp");
	uc_ok(uc_reg_write(e->uc, UC_ARM64_REG_X30, &lr), "lr");
	e->exception = -1;
	err = uc_emu_start(e->uc, pc, EMU_STOP, 0, 0);
	if (e->exception >= 0) {
		return EMU_ERR_EXCEPTION;
	}
	if (err != UC_ERR_OK) {
		e->uc_error = (int)err;
		return EMU_ERR_FAULT;
	}
	return EMU_OK;
}

/* Call the stub entry at @offset: x0 = arguments, x1 = results, x2 = mask word. */
static int call_entry(struct emu *e, uint64_t offset, const struct smccc_regs *in,
		      struct smccc_regs *out, uint32_t *changed)
{
	uint64_t args[3] = {EMU_ARGS, EMU_RESULTS, EMU_MASK};
	int ids[3] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2};
	void *vals[3] = {&args[0], &args[1], &args[2]};
	int err;

	uc_ok(uc_mem_write(e->uc, EMU_ARGS, in->x, sizeof(in->x)), "argument block");
	uc_ok(uc_reg_write_batch(e->uc, ids, vals, 3), "x0-x2");
	err = run(e, EMU_CODE_BASE + offset, EMU_STACK_TOP);
	if (err != EMU_OK) {
		return err;
	}
	uc_ok(uc_mem_read(e->uc, EMU_RESULTS, out->x, sizeof(out->x)), "result block");
	if (changed != NULL) {
		uc_ok(uc_mem_read(e->uc, EMU_MASK, changed, sizeof(*changed)), "mask");
	}
	return EMU_OK;
}

int emu_call(struct emu *e, enum emu_conduit conduit, const struct smccc_regs *in,
	     struct smccc_regs *out)
{
	return call_entry(e, conduit == EMU_HVC ? EMU_STUB_ARM_SMCCC_1_2_HVC
						: EMU_STUB_ARM_SMCCC_1_2_SMC,
			  in, out, NULL);
}

int emu_call_smccc11(struct emu *e, enum emu_conduit conduit, const struct smccc_regs *in,
		     struct smccc_regs *out)
{
	/* AAPCS64: the 9th and 10th arguments (res, quirk) on the stack. */
	uint64_t stacked[2] = {EMU_RESULTS, 0}, sp = EMU_STACK_TOP - sizeof(stacked);
	int ids[8];
	void *vals[8];
	int err;

	for (unsigned i = 0; i < 8; i++) {
		ids[i] = xreg(i);
		vals[i] = (void *)&in->x[i];
	}
	uc_ok(uc_mem_write(e->uc, sp, stacked, sizeof(stacked)), "stacked arguments");
	uc_ok(uc_reg_write_batch(e->uc, ids, vals, 8), "x0-x7");
	err = run(e,
		  EMU_CODE_BASE + (conduit == EMU_HVC ? EMU_STUB___ARM_SMCCC_HVC
						      : EMU_STUB___ARM_SMCCC_SMC),
		  sp);
	if (err != EMU_OK) {
		return err;
	}
	*out = (struct smccc_regs){0};
	uc_ok(uc_mem_read(e->uc, EMU_RESULTS, out->x, 4 * sizeof(out->x[0])), "struct arm_smccc_res");
	return EMU_OK;
}

int emu_call_canary(struct emu *e, enum emu_conduit conduit, const struct smccc_regs *in,
		    struct smccc_regs *out, uint32_t *changed)
{
	return call_entry(e,
			  conduit == EMU_HVC ? EMU_STUB_FFA_EMU_HVC_CANARY
					     : EMU_STUB_FFA_EMU_SMC_CANARY,
			  in, out, changed);
}

int emu_run_blob(struct emu *e, const void *code, size_t len, struct smccc_regs *regs)
{
	int ids[SMCCC_REG_COUNT];
	void *vals[SMCCC_REG_COUNT];
	int err;

	if (len > EMU_BLOB_MAX) {
		return EMU_ERR_TOO_BIG;
	}
	for (unsigned i = 0; i < SMCCC_REG_COUNT; i++) {
		ids[i] = xreg(i);
		vals[i] = &regs->x[i];
	}
	uc_ok(uc_mem_write(e->uc, EMU_BLOB_BASE, code, len), "blob");
	/* New code where old code ran: drop the old translations. */
	uc_ok(uc_ctl_remove_cache(e->uc, EMU_BLOB_BASE, EMU_BLOB_BASE + EMU_BLOB_MAX), "tb cache");
	uc_ok(uc_reg_write_batch(e->uc, ids, vals, SMCCC_REG_COUNT), "x0-x17");
	err = run(e, EMU_BLOB_BASE, EMU_STACK_TOP);
	uc_ok(uc_reg_read_batch(e->uc, ids, vals, SMCCC_REG_COUNT), "x0-x17");
	touch_window(e, e->window.ipa_base, (size_t)e->window.page_count * MEM_PAGE_SIZE);
	return err;
}

long emu_compare(struct emu *e, void *direct, const struct smccc_regs *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct smccc_regs via_stub;
		struct smccc_regs via_call = e->be->call(direct, e->vm, &calls[i]);

		if (emu_call(e, EMU_SMC, &calls[i], &via_stub) != EMU_OK ||
		    memcmp(&via_stub, &via_call, sizeof(via_call)) != 0) {
			return (long)i;
		}
	}
	return -1;
}
