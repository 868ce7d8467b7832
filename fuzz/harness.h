/*
 * The machine every fuzz target drives: platform memory, the SPMC model and
 * the mediator, set up fresh for each input from its header, then the
 * program's calls made one by one with the oracle (oracle.c) checking each.
 * Nothing is printed unless the oracle fails, which aborts with a stable
 * rule name so a crash is a finding.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"

#define FUZZ_MAX_VMS 3
#define FUZZ_VM_PAGES 16
#define FUZZ_MAX_HANDLES 16
#define FUZZ_NO_CALLER 0xFFFFU /* fuzz_machine.caller outside a VM's call */

struct fuzz_machine {
	struct mem mem;
	struct spmc spmc;
	struct mediator m;
	struct mediator_config cfg;
	uint64_t handles[FUZZ_MAX_HANDLES]; /* memory handles replies carried */
	unsigned handle_count;
	/* What the oracle watches across one call (oracle.c). */
	ffa_id_t caller;                    /* or FUZZ_NO_CALLER (start-up, teardown) */
};

/**
 * fuzz_machine_init() - a fresh machine for @p: compact memory (the
 * hypervisor's pages, then FUZZ_VM_PAGES for each of FUZZ_MAX_VMS VMs),
 * allocated on first use and reset in place afterwards, so its RAM keeps
 * its address for the life of the process (an emulator maps it once).
 * Returns: true, or false if the mediator's start-up failed (an oracle
 * failure for the shipped SPMC model: the caller aborts).
 */
bool fuzz_machine_init(struct fuzz_machine *fm, const struct fuzz_program *p);

/**
 * fuzz_frame() - the registers of @c, special values resolved for the
 * machine as it is now; its payload written to the caller's TX buffer when
 * one is mapped.
 */
struct smccc_regs fuzz_frame(struct fuzz_machine *fm, const struct fuzz_program *p,
			     const struct fuzz_call *c);

/* Apply @c's SPMC-stream byte: a partition's behaviour change. */
void fuzz_behave(struct fuzz_machine *fm, const struct fuzz_call *c);

/* Note a memory handle a reply carried, for later special values. */
void fuzz_note_reply(struct fuzz_machine *fm, const struct smccc_regs *call,
		     const struct smccc_regs *reply);

/* When set (the replay driver's -v), fuzz_run_direct() prints every call and reply. */
extern bool fuzz_verbose;

/**
 * fuzz_run_direct() - decode @data with the ABIs of @set and run it against
 * the mediator directly, the oracle checking every call.
 */
void fuzz_run_direct(const struct fuzz_abi_set *set, const uint8_t *data, size_t len);

/**
 * fuzz_warm_up() - run a program with no calls on three VMs once, so the
 * process's one-time work (the manifest parse, the memory allocation) is
 * done before fuzzing: AFL++ then sees the same edges on every run.
 */
void fuzz_warm_up(const struct fuzz_abi_set *set);

/*
 * FUZZ_TARGET(name) - the entry points of target @name: its ABI set
 * (input.c), run directly against the mediator. LLVMFuzzerInitialize() is
 * called once by libFuzzer and by both of our drivers before any input.
 */
#define FUZZ_TARGET(name)                                                                   \
	static const struct fuzz_abi_set *target_set;                                       \
	int LLVMFuzzerInitialize(int *argc, char ***argv);                                  \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                   \
	{                                                                                   \
		(void)argc;                                                                 \
		(void)argv;                                                                 \
		target_set = fuzz_abi_set(#name);                                           \
		fuzz_warm_up(target_set);                                                   \
		return 0;                                                                   \
	}                                                                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                       \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                        \
	{                                                                                   \
		fuzz_run_direct(target_set, data, size);                                    \
		return 0;                                                                   \
	}

/* --- oracle.c --- */

/* The observer the oracle needs on every forwarded request (cfg.observe). */
void oracle_observe(void *ctx, const struct mediator_event *ev);

/* Print "ffa-emu oracle: <rule>: <detail>" and abort: a finding. */
__attribute__((noreturn, format(printf, 2, 3))) void oracle_fail(const char *rule,
								  const char *fmt, ...);

/* What the oracle snapshots before a call. */
struct oracle_before {
	enum vm_version_state state;
	uint32_t version;
	bool rx_owned;
	uint64_t rx_hash;
	uint32_t faults;
};

/* Snapshot @vm of @fm before a call. */
void oracle_before(struct fuzz_machine *fm, ffa_id_t vm, struct oracle_before *b);

/**
 * oracle_check() - every rule after a call from @vm: @call as made, @reply
 * as returned. Aborts with "ffa-emu oracle: <rule>: ..." on a violation.
 */
void oracle_check(struct fuzz_machine *fm, ffa_id_t vm, const struct oracle_before *b,
		  const struct smccc_regs *call, const struct smccc_regs *reply);
