/*
 * Linux's FF-A driver (emu/linux/client.h) as a VM of a fuzz machine: its
 * pages are the VM's RAM, its SMCCC calls go through fuzz_call_checked(), so
 * the oracle watches the wire as for any other caller, and, with an engine,
 * through the kernel's own SMCCC stub under Unicorn (emu/). A finding in
 * the driver (client-hang, client-lock, ...) is an oracle failure.
 */
#pragma once

#include "client.h"
#include "client_input.h"
#include "emu.h"
#include "harness.h"

struct fuzz_client {
	struct ffa_client c;
	struct fuzz_machine *fm;
	ffa_id_t vm;
	struct emu *engine; /* NULL: the calls go to the backend directly */
	/* A wrong answer for the driver: call @lie_at (1..) of the current
	 * operation comes back with x<lie_reg> = @lie_value (0: no lie). The
	 * oracle has judged the real answer; the driver gets this one. */
	unsigned long lie_at;
	unsigned lie_reg;
	uint64_t lie_value;
	/* What the known-finding masks follow on the wire (client_machine.c). */
	uint32_t driver_version; /* what FFA_VERSION settled (0: not yet) */
	size_t rx_size;          /* the RX buffer the driver mapped */
	int first_count;         /* the count of a first FFA_PARTITION_INFO_GET, 0 if none */
	/* Called after each of the driver's calls (tools/ffa-run's trace): the
	 * call, the answer as the oracle judged it, and the registers the driver
	 * got (different when the operation lies). NULL: none. */
	void (*trace)(const struct smccc_regs *call, const struct smccc_regs *reply,
		      const uint64_t got[FFA_CLIENT_REGS]);
};

/*
 * fuzz_client_op() - make @op with the driver (probed; a RELOAD probes it
 * again, and a failed probe leaves the ops nothing to do).
 * Returns: what the driver's op returned (0 or a negative Linux errno).
 */
int fuzz_client_op(struct fuzz_client *fc, const struct fuzz_client_op *op);

/**
 * fuzz_client_probe() - load the driver as VM @vm of @fm (started), its
 * calls through @engine when not NULL (an engine of @fm's backend instance
 * for @vm, with HVC enabled when @hvc), the manifest's UUIDs in our client
 * driver's id_table. @fc is set up anew but for its trace, which stays.
 * Returns: the driver's probe result (0 or a negative Linux errno).
 */
int fuzz_client_probe(struct fuzz_client *fc, struct fuzz_machine *fm, ffa_id_t vm,
		      struct emu *engine, bool hvc);

/* The UUID of selector @sel: 0 the Nil UUID, n the manifest's nth UUID (wrapping). */
void fuzz_client_uuid(const struct fuzz_client *fc, uint8_t sel, uint8_t uuid[16]);

/* fuzz_client_remove() - unload the driver; @fm is left as the driver left it. */
void fuzz_client_remove(struct fuzz_client *fc);
