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
 * Input: a 4-byte header, then records of 16 bytes, at most 32:
 *   header  [0] profile (ref's, modulo 3)  [1] the SPMC's lie (modulo
 *           SPMC_LIE_COUNT)  [2] bit 0: through the kernel's SMCCC stub
 *           under Unicorn, bit 1: the HVC conduit  [3] unused
 *   record  [0] kind (modulo FUZZ_CLIENT_OP_COUNT)  [1] device  [2] arg
 *           [3] flags  [4] extra  [5] lie_at  [6] lie_reg  [7] unused
 *           [8..15] value, little-endian (struct fuzz_client_op)
 * Seeds: corpus/client/.
 */
#include <string.h>

#include "client_machine.h"

#define CLIENT_HEADER 4
#define CLIENT_RECORD 16
#define CLIENT_MAX_OPS 32

const char fuzz_target_name[] = "client";
static struct fuzz_machine fm;
static struct emu engine; /* the host's, made once: its window never moves */
static bool engine_used;

struct client_input {
	struct fuzz_program p; /* the machine's set-up: profile, three VMs, the lie */
	bool via_stub, hvc;
	unsigned op_count;
	struct fuzz_client_op ops[CLIENT_MAX_OPS];
};

static void decode(const uint8_t *data, size_t size, struct client_input *in)
{
	uint8_t h[CLIENT_HEADER] = {0};

	memset(in, 0, sizeof(*in));
	memcpy(h, data, size < CLIENT_HEADER ? size : CLIENT_HEADER);
	in->p.profile = (enum mediator_profile)(h[0] % MEDIATOR_PROFILE_COUNT);
	in->p.vm_count = FUZZ_MAX_VMS;
	in->p.lie = (enum spmc_mem_lie)(h[1] % SPMC_LIE_COUNT);
	in->via_stub = h[2] & 1;
	in->hvc = (h[2] & 2) != 0;
	for (size_t off = CLIENT_HEADER; off + CLIENT_RECORD <= size && in->op_count < CLIENT_MAX_OPS;
	     off += CLIENT_RECORD) {
		const uint8_t *r = data + off;
		struct fuzz_client_op *op = &in->ops[in->op_count++];

		op->kind = (enum fuzz_client_op_kind)(r[0] % FUZZ_CLIENT_OP_COUNT);
		op->dev = r[1];
		op->arg = r[2];
		op->flags = r[3];
		op->extra = r[4];
		op->lie_at = r[5];
		op->lie_reg = r[6];
		op->value = 0;
		for (unsigned i = 0; i < 8; i++) {
			op->value |= (uint64_t)r[8 + i] << (8 * i);
		}
	}
}

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
	static struct client_input in;
	static struct fuzz_client fc;

	fuzz_current_input = data; /* what a deviation's first reproducer keeps */
	fuzz_current_size = size;
	decode(data, size, &in);
	if (!fuzz_machine_init(&fm, &in.p)) {
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
