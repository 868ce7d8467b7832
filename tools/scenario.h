/*
 * Readable scenarios (.ffa files): a fuzz program (fuzz/input.h) written as
 * text, plus expectations about what each call must return. A scenario
 * compiles to the binary input the fuzz targets read, and any binary input
 * decompiles to a scenario, so seeds can be written by hand and every crash
 * becomes a reproducer that can be read and committed. The format is
 * documented with examples in tools/SCENARIOS.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "client_input.h"
#include "input.h"

#define SCENARIO_MAX_EXPECTS 256
#define SCENARIO_MAX_RAM 32      /* "ram" lines */
#define SCENARIO_MAX_BINDS 8     /* "bind" lines */
#define SCENARIO_RAM_BYTES 4096  /* their bytes, all together */

enum expect_kind {
	EXPECT_REG,          /* register @reg (x, or w when @width32) equals @value */
	EXPECT_RX_PARTITION, /* entry @index of the partition info in the caller's RX */
	EXPECT_PAGE,         /* the page at the caller's IPA @value: owner and state */
	EXPECT_ORACLE,       /* the oracle rule @text breaks on this call */
	EXPECT_RX_BYTES,     /* the caller's RX holds @bytes at offset @index */
	EXPECT_IRQ,          /* the virtual interrupts the caller got during the call: @value (bit n: ID n) */
	EXPECT_RET,          /* a client scenario's driver operation returned @value (0 or -errno) */
};

/* Fields of a partition info entry; a field is checked when its bit is in @fields. */
enum { RX_ID = 1, RX_CONTEXTS = 2, RX_PROPERTIES = 4, RX_UUID = 8 };

struct scenario_expect {
	enum expect_kind kind;
	unsigned call;  /* the index of the call (a client scenario's: operation) it follows */
	unsigned line, col;
	unsigned reg;   /* EXPECT_REG */
	bool width32;
	uint64_t value; /* EXPECT_REG: the value; EXPECT_PAGE: the IPA */
	unsigned index; /* EXPECT_RX_PARTITION */
	unsigned fields;
	uint16_t id, contexts;
	uint32_t properties;
	uint8_t uuid[16];
	uint32_t owner; /* EXPECT_PAGE: an endpoint ID or MEM_OWNER_* */
	int state;      /* EXPECT_PAGE: enum mem_page_state, or -1 for any */
	char text[48];  /* EXPECT_ORACLE: the rule */
	uint8_t bytes[64]; /* EXPECT_RX_BYTES */
	unsigned nbytes;
	char source[160]; /* the line as written, for the report */
};

/* Bytes a "ram" line writes into a VM's memory before call @call (scenario-only). */
struct scenario_ram {
	unsigned call;
	uint8_t vm;
	uint64_t ipa;
	uint16_t off, len; /* into scenario.ram_bytes */
};

/* A partition's own FFA_NOTIFICATION_BIND, made before call @call (scenario-only). */
struct scenario_bind {
	unsigned call;
	uint16_t sp;
	uint8_t vm;
	bool per_vcpu;
	uint64_t bitmap;
};

struct scenario {
	char path[256];
	char manifest[512]; /* "manifest" line: the SPMC manifest's path, or "" for the default */
	char mediator[16];  /* "mediator" line: a backend's name (mediator/backend.h), or "" for ref */
	struct fuzz_program p;
	unsigned ram_count;
	struct scenario_ram ram[SCENARIO_MAX_RAM];
	uint16_t ram_used;
	uint8_t ram_bytes[SCENARIO_RAM_BYTES];
	unsigned bind_count;
	struct scenario_bind binds[SCENARIO_MAX_BINDS];
	unsigned call_line[FUZZ_MAX_CALLS];
	/* A client scenario ("client" line): Linux's FF-A driver, as VM 0, makes
	 * these operations instead of calls (profile and lie are p's). */
	bool client;
	struct fuzz_client_program cp;
	unsigned op_line[FUZZ_CLIENT_MAX_OPS];
	unsigned expect_count;
	struct scenario_expect expects[SCENARIO_MAX_EXPECTS];
};

/**
 * scenario_parse() - read the scenario @text (NUL-terminated) of file @path
 * into @s.
 * A "manifest" path is taken relative to the scenario's directory.
 * Returns: 0, or 2 for a malformed scenario with @err set to
 * "<path>:<line>:<column>: expected <what>, found '<text>'".
 */
int scenario_parse(const char *path, const char *text, struct scenario *s, char *err,
		   size_t err_len);

/*
 * scenario_write() - @p as a scenario (no expectations) on @f, under the
 * comment @title, run on backend @mediator (NULL: ref, no "mediator" line):
 * a scenario that scenario_parse() reads back to a program that runs the
 * same calls (tests/test_scenario_roundtrip.c). What the program means is
 * written, not its bytes: the header's AArch32 bits of VMs past its count
 * are left out, and a value a selector stands for is written as the caller
 * the backend serves makes it (on a host-only backend, pkvm, the host's).
 * Returns nothing; errors are @f's.
 */
void scenario_write(FILE *f, const struct fuzz_program *p, const char *title, const char *mediator);

/*
 * scenario_write_client() - @p as a client scenario (no expectations) on @f,
 * under the comment @title, on backend @mediator (NULL: ref): one that
 * scenario_parse() reads back to @p, operation for operation.
 * Returns nothing; errors are @f's.
 */
void scenario_write_client(FILE *f, const struct fuzz_client_program *p, const char *title,
			   const char *mediator);

/* scenario_write_op() - @op as a "driver" line, without its newline. Returns nothing; errors are @f's. */
void scenario_write_op(FILE *f, const struct fuzz_client_op *op);

/* The profile name scenarios use ("spec", "pkvm", "xen"). */
const char *scenario_profile_name(enum mediator_profile profile);

/* The name scenarios give the SPMC model's lie ("none", "handle-zero", ...). */
const char *scenario_lie_name(enum spmc_mem_lie lie);
