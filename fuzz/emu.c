/*
 * Fuzz target "emu": the seq program run twice on two machines built alike,
 * once through the real aarch64 SMCCC stub under Unicorn (emu/) and once
 * directly. After every call: the stub got back ("emu-stub-failed"), both
 * replies are identical in x0-x17 ("emu-reply-differs"), and the direct
 * machine passes the whole oracle; after the program, both guest memories
 * and page records are identical ("emu-memory-differs").
 *
 * One engine per VM, made before the first input, lives for the process and
 * is reset before the next input that follows one it ran in (unicorn-notes:
 * a fresh engine per input caps at about 2k exec/s); guest RAM stays mapped
 * because fuzz_machine_init() resets memory in place, and is read-only to
 * the CPU: the stub has no business storing there.
 * VM 1 calls through hvc, the others through smc. FFA_EMU_MEDIATOR picks the
 * backend both machines run (harness.h); a host-only one has one engine.
 * Input format: input.h (ABI set "emu", seq's). Seeds: corpus/emu/.
 */
#include <string.h>

#include "emu.h"
#include "harness.h"

const char fuzz_target_name[] = "emu";
static const struct fuzz_abi_set *abi_set; /* seq's, looked up once */
static struct fuzz_machine via_stub, direct;
static struct emu engines[FUZZ_MAX_VMS];
static bool engine_ready[FUZZ_MAX_VMS];
static bool engine_used[FUZZ_MAX_VMS]; /* ran since its last reset */

/* The engine of VM index @i, set up on first use (its window never moves). */
static struct emu *engine(uint8_t i)
{
	struct emu *e = &engines[i];
	struct mem_window w;

	if (!engine_ready[i]) {
		if (!mediator_config_window(&via_stub.cfg, fuzz_vm_id(&via_stub, i), &w) ||
		    emu_init(e, via_stub.be, via_stub.inst, &via_stub.mem, &w,
			     fuzz_vm_id(&via_stub, i)) != EMU_OK) {
			oracle_fail("emu-stub-failed", "no engine for VM index %u", i);
		}
		emu_enable_hvc(e);
		emu_guest_ram_readonly(e); /* a stub store into guest RAM is emu-stub-failed */
		engine_ready[i] = true;
	}
	return e;
}

/*
 * Both guest memories byte for byte and every page record. Only pages either
 * side may have written are compared: the rest are zero on both (mem.h
 * mem_reset()), which the emulator keeps true by marking guest stores.
 */
static void compare_memory(void)
{
	const struct mem *a = &via_stub.mem, *b = &direct.mem;

	for (uint32_t i = 0; i < a->page_count; i++) {
		size_t off = (size_t)i * MEM_PAGE_SIZE;

		if ((mem_page_dirty(a, i) || mem_page_dirty(b, i)) &&
		    memcmp(a->ram + off, b->ram + off, MEM_PAGE_SIZE) != 0) {
			oracle_fail("emu-memory-differs", "page %u's bytes differ after the program", i);
		}
		if (a->pages[i].owner != b->pages[i].owner || a->pages[i].state != b->pages[i].state ||
		    a->pages[i].handle != b->pages[i].handle) {
			oracle_fail("emu-memory-differs", "page %u's record differs", i);
		}
	}
}

/* Allocate both machines' memory and every VM's engine once, before any input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct fuzz_program p = {.vm_count = FUZZ_MAX_VMS};
	const struct backend_ops *be = fuzz_backend_from_env();

	(void)argc;
	(void)argv;
	abi_set = fuzz_abi_set("emu");
	fuzz_machine_use_backend(&via_stub, be);
	fuzz_machine_use_backend(&direct, be);
	oracle_deviation_hook = fuzz_record_deviation;
	backend_finding_hook = fuzz_backend_finding;
	if (!fuzz_machine_init(&via_stub, &p) || !fuzz_machine_init(&direct, &p)) {
		oracle_fail("startup", "the mediator could not start");
	}
	fuzz_machine_warm_up(&via_stub);
	fuzz_machine_warm_up(&direct);
	for (uint8_t i = 0; i < direct.cfg.vm_count; i++) {
		(void)engine(i);
	}
	return 0;
}

void fuzz_emu_bare_calls(unsigned long n)
{
	struct emu *e = engine(0);
	struct smccc_regs in = {.x = {FFA_ID_GET_32}}, out;

	e->bare = true;
	for (unsigned long i = 0; i < n; i++) {
		if (emu_call(e, EMU_SMC, &in, &out) != EMU_OK) {
			oracle_fail("emu-stub-failed", "a bare call did not come back");
		}
	}
	e->bare = false;
	engine_used[0] = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_program p;

	fuzz_current_input = data; /* what a deviation's first reproducer keeps */
	fuzz_current_size = size;
	fuzz_decode(abi_set, data, size, &p);
	if (!fuzz_machine_init(&via_stub, &p) || !fuzz_machine_init(&direct, &p)) {
		oracle_fail("startup", "the mediator could not start");
	}
	for (unsigned i = 0; i < FUZZ_MAX_VMS; i++) {
		if (engine_used[i]) { /* an engine no call ran on is still as it was reset */
			emu_reset(&engines[i]);
			engine_used[i] = false;
		}
	}
	/* The direct machine makes each call first: a masked known finding ends the input there. */
	fuzz_abandon_machine = &direct;
	if (setjmp(fuzz_abandon_jmp) != 0) {
		fuzz_abandon_machine = NULL;
		return 0;
	}
	for (uint32_t i = 0; i < p.call_count; i++) {
		const struct fuzz_call *c = &p.calls[i];
		uint8_t index = (uint8_t)(c->vm % direct.cfg.vm_count);
		ffa_id_t vm = fuzz_vm_id(&direct, c->vm);
		enum emu_conduit conduit = index == 1 ? EMU_HVC : EMU_SMC;
		struct smccc_regs call_a, call_b, reply_a, reply_b;

		fuzz_behave(&via_stub, c);
		fuzz_behave(&direct, c);
		call_a = fuzz_frame(&via_stub, &p, c);
		call_b = fuzz_frame(&direct, &p, c);
		reply_b = fuzz_call_checked(&direct, vm, &call_b);
		engine_used[index] = true;
		if (emu_call(engine(index), conduit, &call_a, &reply_a) != EMU_OK) {
			oracle_fail("emu-stub-failed", "call %u (%#x) did not come back", i,
				    (uint32_t)call_a.x[0]);
		}
		if (memcmp(&reply_a, &reply_b, sizeof(reply_a)) != 0) {
			oracle_fail("emu-reply-differs", "call %u (%#x): stub %#llx, direct %#llx", i,
				    (uint32_t)call_a.x[0], (unsigned long long)reply_a.x[0],
				    (unsigned long long)reply_b.x[0]);
		}
		fuzz_note_reply(&via_stub, &call_a, &reply_a);
	}
	fuzz_abandon_machine = NULL;
	compare_memory();
	return 0;
}
