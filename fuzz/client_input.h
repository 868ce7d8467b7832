/*
 * The client target's input (fuzz/client.c): a program of Linux's FF-A
 * driver's own operations, made by the driver as the host of a fuzz machine
 * (fuzz/client_machine.h), and its byte form, which any byte string decodes
 * to and which scenarios (tools/SCENARIOS.md, "client" lines) compile to.
 *
 * Layout:
 *   header, 4 bytes: [0] profile (modulo MEDIATOR_PROFILE_COUNT)  [1] the
 *           SPMC model's lie (modulo SPMC_LIE_COUNT)  [2] bit 0: through the
 *           kernel's SMCCC stub under Unicorn, bit 1: the HVC conduit
 *           [3] unused
 *   then records of 16 bytes, at most FUZZ_CLIENT_MAX_OPS:
 *           [0] kind (modulo FUZZ_CLIENT_OP_COUNT)  [1] device  [2] arg
 *           [3] flags  [4] extra  [5] lie_at  [6] lie_reg  [7] unused
 *           [8..15] value, little-endian
 *   A short record at the end is ignored.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"

#define FUZZ_CLIENT_HEADER 4
#define FUZZ_CLIENT_RECORD 16
#define FUZZ_CLIENT_MAX_OPS 32

/* The driver's operations a program makes, and what each takes (struct fuzz_client_op). */
enum fuzz_client_op_kind {
	FUZZ_CLIENT_PARTITION_INFO, /* partition_info_get(uuid @arg: 0 Nil, n the manifest's nth) */
	FUZZ_CLIENT_DIRECT,         /* sync_send_receive, 32-bit if flag 1 */
	FUZZ_CLIENT_DIRECT2,        /* sync_send_receive2 (uuid @arg) */
	FUZZ_CLIENT_SEND2,          /* indirect_send of @arg bytes */
	FUZZ_CLIENT_MEM_SEND,       /* memory_lend if flag 1, else _share; TX buffer if flag 2 */
	FUZZ_CLIENT_RECLAIM,        /* memory_reclaim of kept handle @arg */
	FUZZ_CLIENT_NOTIFY_REQUEST, /* notify_request(id @arg), per vCPU if flag 1 */
	FUZZ_CLIENT_NOTIFY_RELINQUISH,
	FUZZ_CLIENT_NOTIFY_SEND,    /* notify_send(id @arg, vCPU @extra), per vCPU if flag 1 */
	FUZZ_CLIENT_SCHED_RECV,     /* sched_recv_cb_register if flag 1, else _unregister */
	FUZZ_CLIENT_RUN,            /* cpu_ops->run(vCPU @arg) */
	FUZZ_CLIENT_IRQ,            /* the NPI if flag 1, else the SRI */
	FUZZ_CLIENT_RELOAD,         /* unload the driver and probe it again */
	FUZZ_CLIENT_OP_COUNT
};

struct fuzz_client_op {
	enum fuzz_client_op_kind kind;
	uint8_t dev;     /* device index, modulo the devices there are */
	uint8_t arg;     /* the kind's argument */
	uint8_t flags;
	uint8_t extra;   /* MEM_SEND: access attributes; NOTIFY_SEND: vCPU; RECLAIM: flags */
	uint8_t lie_at;  /* 0, or the call of this operation whose answer the driver gets wrong */
	uint8_t lie_reg; /* ... in x<lie_reg % 18> ... */
	uint64_t value;  /* ... = value; and the kind's data (payload, tag, transaction flags) */
};

struct fuzz_client_program {
	enum mediator_profile profile;
	enum spmc_mem_lie lie;
	bool via_stub, hvc;
	unsigned op_count;
	struct fuzz_client_op ops[FUZZ_CLIENT_MAX_OPS];
};

/* fuzz_client_decode() - @size bytes of @data as a program into @p. Returns nothing: any bytes decode. */
void fuzz_client_decode(const uint8_t *data, size_t size, struct fuzz_client_program *p);

/*
 * fuzz_client_encode() - @p as bytes into @buf (@cap bytes), which
 * fuzz_client_decode() reads back to @p.
 * Returns: the size, or 0 if @cap is too small.
 */
size_t fuzz_client_encode(const struct fuzz_client_program *p, uint8_t *buf, size_t cap);
