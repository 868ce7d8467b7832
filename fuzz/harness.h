/*
 * The machine every fuzz target drives: platform memory, the SPMC model and
 * the mediator, set up fresh for each input from its header, then the
 * program's calls made one by one with the oracle (oracle.c) checking each.
 * Nothing is printed unless the oracle fails, which aborts with a stable
 * rule name so a crash is a finding.
 */
#pragma once

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input.h"
#include "mediator/backend.h"
#include "model/model.h"

#define FUZZ_MAX_VMS 3
#define FUZZ_VM_RAM_PAGES 16   /* a VM's window: 16 pages of RAM, then, for ref, ... */
#define FUZZ_VM_RO_PAGES 1     /* ... a read-only page (MEM_KIND_READ_ONLY) ... */
#define FUZZ_VM_DEVICE_PAGES 1 /* ... and a device page (MEM_KIND_DEVICE) */
#define FUZZ_VM_PAGES (FUZZ_VM_RAM_PAGES + FUZZ_VM_RO_PAGES + FUZZ_VM_DEVICE_PAGES)
#define FUZZ_MAX_HANDLES 16
#define FUZZ_RX_MAX_PAGES 4 /* a VM's RX/TX maximum with the header's big-buffers bit */
#define FUZZ_NO_CALLER 0xFFFFU /* fuzz_machine.caller outside a VM's call */
/* Every set-up a header can give: profile, VM count, AArch32 mask, two flags. */
#define FUZZ_SETUPS (MEDIATOR_PROFILE_COUNT * FUZZ_MAX_VMS * 8 * 2 * 2)

/* What start-up depends on of a program's header. */
struct fuzz_setup {
	uint8_t profile, vm_count, aarch32_mask, big_buffers, small_frags;
};

/* A machine right after start-up, to restore instead of starting up again. */
struct fuzz_snapshot {
	struct mem_snapshot mem;
	struct spmc spmc;
	void *backend; /* the backend's instance, be->size bytes */
	struct mediator_config cfg;
};

/* A VM's version as the wire told it (the state model's, model/setup_and_discovery.c). */
struct fuzz_wire_vm {
	enum vm_version_state state;
	uint32_t version; /* in use: the lower of what it asked and what it was answered */
};

struct fuzz_machine {
	struct mem mem;
	struct spmc spmc;
	/* The mediator under test: its ops and instance (&m for ref; allocated otherwise). */
	const struct backend_ops *be;
	void *inst;
	struct mediator m;              /* ref's instance; its records are read by ref-only rules */
	struct mediator_config cfg;
	struct fuzz_model model;            /* the oracle's model of FF-A state (model/model.h) */
	uint64_t handles[FUZZ_MAX_HANDLES]; /* memory handles replies carried */
	unsigned handle_count;
	/* What the oracle watches across one call (oracle.c). */
	ffa_id_t caller;                    /* or FUZZ_NO_CALLER (start-up, teardown) */
	ffa_id_t send2_receiver;            /* the receiver a caller's SEND2 names, or FUZZ_NO_CALLER */
	struct smccc_regs call;             /* the caller's call, as made */
	struct smccc_regs spmc_reply;       /* the SPMC's last reply during it, if spmc_replied */
	bool spmc_replied;
	bool passthrough;                   /* the call was forwarded unfiltered (a backend's pass-through) */
	struct fuzz_snapshot *snapshots[FUZZ_SETUPS]; /* taken at each set-up's first start-up */
	const struct spmc_manifest *manifest; /* the SPMC model's partitions; NULL: the default */
	unsigned long restores;             /* starts served from a snapshot (a test reads it) */
	uint32_t max_version;               /* ref's mediator_config.max_version (0: 1.2) */
	bool plain_memory;                  /* every VM page RAM (the differential's reference) */
	/* How fuzz_call() reaches the backend when set (the emulator's stub); else directly. */
	struct smccc_regs (*transport)(void *ctx, ffa_id_t vm, const struct smccc_regs *call);
	void *transport_ctx;
};

/*
 * fuzz_machine_use_backend() - run @fm's mediator as @be from now on; its
 * memory and snapshots are remade. A machine is ref until told otherwise.
 */
void fuzz_machine_use_backend(struct fuzz_machine *fm, const struct backend_ops *be);

/*
 * fuzz_backend_from_env() - the backend FFA_EMU_MEDIATOR names ("ref" when
 * unset); an unknown name prints the known ones and exits 2. A binary of
 * oss-fuzz/build.sh ("<target>_pkvm", ffa-emu-known/ beside it) sets
 * FFA_EMU_MEDIATOR and FFA_EMU_SUPPRESS from them first, unless they are set.
 */
const struct backend_ops *fuzz_backend_from_env(void);

/* fuzz_is_ref() - whether @fm runs our own mediator (ref). */
static inline bool fuzz_is_ref(const struct fuzz_machine *fm)
{
	return fm->be == NULL || fm->be == &backend_ref;
}

/* fuzz_vm_id() - the FF-A ID of the VM call record @index names (a host-only backend: the host). */
ffa_id_t fuzz_vm_id(const struct fuzz_machine *fm, uint8_t index);

/* fuzz_call() - VM @vm's call @call through @fm's backend (its transport if set): x0-x17 after. */
struct smccc_regs fuzz_call(struct fuzz_machine *fm, ffa_id_t vm, const struct smccc_regs *call);

/*
 * fuzz_call_checked() - fuzz_call() with the oracle watching: its rules
 * before and after the call (a broken one is oracle_fail()), the handles
 * the reply carries noted. Returns: the reply.
 */
struct smccc_regs fuzz_call_checked(struct fuzz_machine *fm, ffa_id_t vm,
				    const struct smccc_regs *call);

/**
 * fuzz_machine_init() - a fresh machine for @p: compact memory (the
 * hypervisor's pages, then FUZZ_VM_PAGES for each of FUZZ_MAX_VMS VMs),
 * allocated on first use and reset in place afterwards, so its RAM keeps
 * its address for the life of the process (an emulator maps it once).
 * The first start-up for a set-up (struct fuzz_setup) is kept as a
 * snapshot; later ones restore it (the same state, a fraction of the cost),
 * then apply the header's partition behaviours and SPMC lie.
 * Returns: true, or false if the mediator's start-up failed (an oracle
 * failure for the shipped SPMC model: the caller aborts).
 */
bool fuzz_machine_init(struct fuzz_machine *fm, const struct fuzz_program *p);

/* fuzz_machine_fini() - release what @fm allocated (memory, snapshots, instance); it is then empty. */
void fuzz_machine_fini(struct fuzz_machine *fm);

/*
 * fuzz_machine_use_manifest() - start @fm with @manifest's partitions from
 * now on (NULL: the default manifest); the snapshots of another manifest's
 * start-ups are dropped. The fuzz targets always use the default; scenarios
 * may name another (tools/ffa-run).
 */
void fuzz_machine_use_manifest(struct fuzz_machine *fm, const struct spmc_manifest *manifest);

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
 * fuzz_run() - start @fm for @p and make its calls against the mediator
 * directly, the oracle checking every one; @replies (NULL, or room for
 * p->call_count) gets what each call returned.
 */
void fuzz_run(struct fuzz_machine *fm, const struct fuzz_program *p, struct smccc_regs *replies);

/**
 * fuzz_run_direct() - decode @data with the ABIs of @set and run it against
 * the mediator directly, the oracle checking every call.
 */
void fuzz_run_direct(const struct fuzz_abi_set *set, const uint8_t *data, size_t len);

/*
 * The differential (FFA_EMU_DIFF set, with a real backend picked): every
 * input runs on the real mediator and on the reference standing in for it,
 * ours under the backend's profile, host only, at the backend's era's FF-A
 * version (pKVM 6.12: 1.1); the oracle judges both, and the answer to each
 * call (w0, and an FFA_ERROR's status) and the host's page states after it (lend normalised to
 * share, as pKVM keeps the host's access) are compared. A divergence is not
 * a finding by itself (the two differ by design in places): it is counted
 * per ABI, with its first reproducer kept, as deviations are
 * (FFA_EMU_DEVIATIONS, named <backend>-diverges-<ABI>). Where the oracle
 * finds the real mediator wrong, that is a finding, as always.
 */
extern bool fuzz_diff_mode;

/* fuzz_diff_warm_up() - turn the differential on and start its reference (fuzz_warm_up()). */
void fuzz_diff_warm_up(void);

/* fuzz_run_diff() - @p on @fm (a real mediator) and on the reference, compared (diff.c). */
void fuzz_run_diff(struct fuzz_machine *fm, const struct fuzz_program *p);

/*
 * fuzz_machine_warm_up() - start @fm once in every set-up, so that each
 * has its snapshot before fuzzing: every input then starts the same way
 * (restored), and AFL++ sees the same edges each time it runs one.
 */
void fuzz_machine_warm_up(struct fuzz_machine *fm);

/* fuzz_warm_up() - fuzz_machine_warm_up() on the machine fuzz_run_direct() uses. */
void fuzz_warm_up(void);

/*
 * fuzz_bench_restores() - make bench: start fuzz_run_direct()'s machine @n
 * times for an input with no calls (each a restore of its first set-up's
 * snapshot: memory, SPMC model and backend), what every input pays first.
 */
void fuzz_bench_restores(unsigned long n);

/* The target's name (its ABI set's), for the mutator: each target defines it. */
extern const char fuzz_target_name[];

/*
 * FUZZ_TARGET(name) - the entry points of target @name: its ABI set
 * (input.c), run directly against the mediator. LLVMFuzzerInitialize() is
 * called once by libFuzzer and by both of our drivers before any input.
 */
#define FUZZ_TARGET(name)                                                                   \
	const char fuzz_target_name[] = #name;                                              \
	static const struct fuzz_abi_set *target_set;                                       \
	int LLVMFuzzerInitialize(int *argc, char ***argv);                                  \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                   \
	{                                                                                   \
		(void)argc;                                                                 \
		(void)argv;                                                                 \
		target_set = fuzz_abi_set(#name);                                           \
		fuzz_warm_up();                                                             \
		return 0;                                                                   \
	}                                                                                   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                       \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                        \
	{                                                                                   \
		fuzz_run_direct(target_set, data, size);                                    \
		return 0;                                                                   \
	}

/*
 * fuzz_emu_bare_calls() - emu target only (fuzz/emu.c): @n stub calls with
 * nothing behind the trap (the hook moves x0-x17 and returns), the floor
 * that make bench sets the target's calls beside. Weak here: other targets
 * do not have it.
 */
__attribute__((weak)) void fuzz_emu_bare_calls(unsigned long n);

/* --- oracle.c, excuse.c --- */

/* The observer the oracle needs on every forwarded request (cfg.observe). */
void oracle_observe(void *ctx, const struct mediator_event *ev);

/* Print "ffa-emu oracle: <rule>: <detail>" and abort: a finding. */
__attribute__((noreturn, format(printf, 2, 3))) void oracle_fail(const char *rule,
								  const char *fmt, ...);

/*
 * When set, oracle_fail() calls it instead of printing and aborting; it must
 * not return (tools/ffa-run longjmps to report the rule and go on with the
 * next scenario). NULL in every fuzz target.
 */
extern void (*oracle_failure_hook)(const char *rule, const char *detail);

/*
 * oracle_deviation_hook - called each time a rule fires that the backend
 * declares it breaks by design (struct backend_deviation), with how many
 * times it has fired in this process; the call goes on. NULL: only counted.
 * The fuzz targets set it to fuzz_record_deviation().
 */
extern void (*oracle_deviation_hook)(const struct backend_deviation *d, unsigned long count);

/*
 * fuzz_record_deviation() - when FFA_EMU_DEVIATIONS names a directory: the
 * input being run is kept there as <backend>-<rule>.input at the rule's
 * first firing (unless one is already kept), and <backend>-<rule>.count
 * holds how many times it fired, rewritten at each power of two and every
 * 4096 firings (a lower bound if the process is killed).
 */
void fuzz_record_deviation(const struct backend_deviation *d, unsigned long count);

/* The input fuzz_run_direct() is running, for fuzz_record_deviation(). */
extern const uint8_t *fuzz_current_input;
extern size_t fuzz_current_size;

/* What the oracle notes before a call. */
struct oracle_before {
	enum vm_version_state state;
	uint32_t version;
	uint32_t faults;
	struct model_before model;
};

/*
 * oracle_violation() - rule @rule is broken in the call @fm is making, as
 * the detail says: a finding (oracle_fail()), unless oracle_excused()
 * counts it and the call goes on. @rule must be a string literal.
 */
__attribute__((format(printf, 3, 4))) void oracle_violation(const struct fuzz_machine *fm,
							     const char *rule, const char *fmt, ...);

/* oracle_policy() - the version-negotiation knobs @fm's mediator answers by (its profile's). */
const struct mediator_policy *oracle_policy(const struct fuzz_machine *fm);

/**
 * oracle_excused() - whether @rule, broken as @detail says in the call @fm
 * is making, is a deviation @fm's backend declares or a known finding being
 * masked (FFA_EMU_SUPPRESS); if so it is counted (oracle_deviation_hook).
 * @rule must be a string literal: its address names the rule (fuzz/excuse.c).
 * Returns: true if excused; false if it is a finding.
 */
bool oracle_excused(const struct fuzz_machine *fm, const char *rule, const char *detail);

/*
 * oracle_known_reload() - read FFA_EMU_SUPPRESS again if it names another
 * file, or nothing, since the last time: fuzz_machine_init() calls it for
 * every input, so that a remembered excuse never outlives its mask.
 */
void oracle_known_reload(void);

/*
 * A violation's key, for a rule about one register of an answer: the same
 * key always gives the same detail, so what excused it can be remembered.
 */
struct oracle_key {
	const char *rule; /* a string literal, as for oracle_excused() */
	uint32_t fid;     /* the call */
	bool error;       /* the answer is FFA_ERROR ... */
	int32_t code;     /* ... with this status */
	unsigned reg;     /* the register, x<reg> */
	uint64_t value;   /* what it held */
};

/**
 * oracle_excused_before() - whether @k was excused before, under the same
 * backend, passthrough state and suppressions; if so it is counted again.
 * Returns: true if so; false if its detail must be formatted and judged
 * (oracle_excused_keyed()).
 */
bool oracle_excused_before(const struct fuzz_machine *fm, const struct oracle_key *k);

/**
 * oracle_excused_keyed() - oracle_excused() for @k's rule broken as @detail
 * says, remembering the answer for oracle_excused_before().
 * Returns: true if excused; false if it is a finding.
 */
bool oracle_excused_keyed(const struct fuzz_machine *fm, const struct oracle_key *k,
			  const char *detail);

/*
 * A finding a backend's shim raises (a WARN, an EL2 data abort) in the
 * middle of one of its calls leaves it in no state to go on: when it is a
 * known finding being masked, fuzz_backend_finding() (the fuzz targets'
 * backend_finding_hook) ends the input there, longjmp()ing to
 * fuzz_abandon_jmp, which fuzz_run() and the emu target set before their
 * calls with fuzz_abandon_machine; the next input starts from a snapshot.
 * Any other shim finding fails the oracle under its rule.
 */
extern jmp_buf fuzz_abandon_jmp;
extern struct fuzz_machine *fuzz_abandon_machine;
void fuzz_backend_finding(const char *rule, const char *detail);

/* oracle_vm_version() - VM @vm's version as the wire told it (the state model's). */
struct fuzz_wire_vm oracle_vm_version(const struct fuzz_machine *fm, ffa_id_t vm);

/* Snapshot @vm of @fm before it makes @call. */
void oracle_before(struct fuzz_machine *fm, ffa_id_t vm, const struct smccc_regs *call,
		   struct oracle_before *b);

/**
 * oracle_check() - every rule after a call from @vm: @call as made, @reply
 * as returned. Aborts with "ffa-emu oracle: <rule>: ..." on a violation.
 */
void oracle_check(struct fuzz_machine *fm, ffa_id_t vm, const struct oracle_before *b,
		  const struct smccc_regs *call, const struct smccc_regs *reply);
