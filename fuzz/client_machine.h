/*
 * Linux's FF-A driver (emu/linux/client.h) as a VM of a fuzz machine: its
 * pages are the VM's RAM, its SMCCC calls go through fuzz_call_checked(), so
 * the oracle watches the wire as for any other caller, and, with an engine,
 * through the kernel's own SMCCC stub under Unicorn (emu/). A finding in
 * the driver (client-hang, client-lock, ...) is an oracle failure.
 */
#pragma once

#include "client.h"
#include "emu.h"
#include "harness.h"

struct fuzz_client {
	struct ffa_client c;
	struct fuzz_machine *fm;
	ffa_id_t vm;
	struct emu *engine; /* NULL: the calls go to the backend directly */
};

/**
 * fuzz_client_probe() - load the driver as VM @vm of @fm (started), its
 * calls through @engine when not NULL (an engine of @fm's backend instance
 * for @vm, with HVC enabled when @hvc), the manifest's UUIDs in our client
 * driver's id_table.
 * Returns: the driver's probe result (0 or a negative Linux errno).
 */
int fuzz_client_probe(struct fuzz_client *fc, struct fuzz_machine *fm, ffa_id_t vm,
		      struct emu *engine, bool hvc);

/* fuzz_client_remove() - unload the driver; @fm is left as the driver left it. */
void fuzz_client_remove(struct fuzz_client *fc);
