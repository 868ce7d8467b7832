/*
 * Fuzz target "client": Linux's FF-A driver (emu/linux/) as the host of a
 * fuzz machine, making sequences of its own operations (fuzz_client_op():
 * partition info, direct requests in both widths and REQ2, indirect
 * messages, memory share, lend and reclaim with the driver's descriptor
 * building, notifications, FFA_RUN, the SRI and NPI, unload and reload),
 * with the oracle watching every call on the wire. Two ends under test:
 * the mediator (FFA_EMU_MEDIATOR picks it, as for every target) answers the
 * driver's real call sequences, and the driver meets the SPMC model's lies
 * and wrong answers of its own (an operation's nth answer changed in one
 * register): a crash, a sanitizer report or a client-* finding under them
 * is a finding in the driver.
 *
 * Input: client_input.h (a header: profile, the SPMC's lie, stub and
 * conduit; then records of 16 bytes, one operation each, at most 32).
 * Seeds: corpus/client/.
 */
#include <string.h>

#include "client_machine.h"

const char fuzz_target_name[] = "client";
static struct fuzz_machine fm;
static struct emu engine; /* the host's, made once: its window never moves */
static bool engine_used;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct fuzz_program p = {.vm_count = FUZZ_MAX_VMS};
	struct mem_window w;

	(void)argc;
	(void)argv;
	fuzz_machine_use_backend(&fm, fuzz_backend_from_env());
	oracle_deviation_hook = fuzz_record_deviation;
	backend_finding_hook = fuzz_backend_finding;
	if (!fuzz_machine_init(&fm, &p)) {
		oracle_fail("startup", "the mediator could not start");
	}
	fuzz_machine_warm_up(&fm);
	if (!mediator_config_window(&fm.cfg, 0, &w) ||
	    emu_init(&engine, fm.be, fm.inst, &fm.mem, &w, 0) != EMU_OK) {
		oracle_fail("emu-stub-failed", "no engine for the host");
	}
	emu_enable_hvc(&engine);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_client_program in;
	static struct fuzz_client fc;
	static struct fuzz_program p = {.vm_count = FUZZ_MAX_VMS}; /* no calls: the driver makes them */

	fuzz_current_input = data; /* what a deviation's first reproducer keeps */
	fuzz_current_size = size;
	fuzz_client_decode(data, size, &in);
	p.profile = in.profile;
	p.lie = in.lie;
	if (!fuzz_machine_init(&fm, &p)) {
		oracle_fail("startup", "the mediator could not start");
	}
	if (engine_used) {
		emu_reset(&engine);
		engine_used = false;
	}
	fuzz_abandon_machine = &fm;
	if (setjmp(fuzz_abandon_jmp) != 0) { /* a masked known finding ended the input */
		fuzz_abandon_machine = NULL;
		fc.c.broken = true; /* stopped midway: the driver is not unloaded, only reset */
		fuzz_client_remove(&fc);
		return 0;
	}
	engine_used = in.via_stub;
	fuzz_client_probe(&fc, &fm, 0, in.via_stub ? &engine : NULL, in.hvc);
	for (unsigned i = 0; i < in.op_count; i++) {
		fuzz_client_op(&fc, &in.ops[i]);
	}
	fuzz_client_remove(&fc);
	fuzz_abandon_machine = NULL;
	return 0;
}
