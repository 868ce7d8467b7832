/*
 * Mediator backends: the one interface through which every consumer (the
 * fuzz harness and its oracle, the scenario runner, the emulator, regress,
 * bench and coverage) reaches a mediator, whoever wrote it.
 *
 *   ref   our own FF-A 1.2 mediator (mediator/src/), the executable spec,
 *         with its three profiles (struct mediator_policy);
 *   pkvm  Linux pKVM's arch/arm64/kvm/hyp/nvhe/ffa.c compiled unmodified
 *         from the kernel tree, inside a shim that stands for the hypervisor
 *         around it (mediator/pkvm/).
 *
 * A backend serves the VMs a struct mediator_config names, by FF-A ID, on
 * the platform memory model and the SPMC model it is given; it reports
 * every guest call, guest-visible reply and forwarded request to the
 * config's observer. A later Xen backend fits the same shape: per-VM
 * contexts keyed by the config's IDs (domains with their own IDs), its
 * start-up exchange in start(), its state in the instance.
 *
 * All of a backend's state is in its instance (size bytes, zeroed by the
 * caller before start()), so copy() can snapshot and restore it: one fuzz
 * input never leaks into the next.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffa/smccc.h"
#include "mediator/mediator.h"

/* Where a backend breaks an oracle rule by design (one table per backend). */
enum backend_scope {
	BACKEND_SCOPE_ALWAYS,      /* whenever the rule fires */
	BACKEND_SCOPE_PASSTHROUGH, /* only in a call the backend forwarded unfiltered */
};

struct backend_deviation {
	const char *rule;   /* the oracle rule name it breaks */
	const char *detail; /* ... when the finding's detail contains one of these texts,
			     * separated by '|' (NULL: any detail) */
	enum backend_scope scope;
	const char *reason; /* what the backend does, and where in its source */
	const char *clause; /* the spec clause the rule stands on */
	/* Not a design choice but a triaged finding, masked while fuzzing
	 * (fuzz/oracle.c FFA_EMU_SUPPRESS); reason is the detail it matches. */
	bool known_finding;
};

struct backend_ops {
	const char *name;
	size_t size; /* bytes of an instance */
	/* Who may call: VM IDs outside this are routed to a client (fuzz harness). */
	bool host_only;
	/* The version-negotiation knobs the oracle judges its FFA_VERSION answers by. */
	enum mediator_profile profile;
	/**
	 * start() - set @self up for @cfg on @mem and @spmc and run its
	 * start-up. @mem must cover what @cfg assigns (backend_mem_extent()).
	 * Returns: FFA_OK, or an FF-A error (the instance then answers
	 * NOT_SUPPORTED, as a hypervisor whose FF-A init failed).
	 */
	int (*start)(void *self, const struct mediator_config *cfg, struct mem *mem,
		     struct spmc *spmc);
	/* call() - one trapped call of VM @vm: x0-x17 as made, x0-x17 after. */
	struct smccc_regs (*call)(void *self, ffa_id_t vm, const struct smccc_regs *call);
	/* copy() - make @dst the instance @src is; @dst keeps its memory, SPMC and observer. */
	void (*copy)(void *dst, const void *src);
	/**
	 * mailbox() - VM @vm's RX/TX pair as the backend holds it (PAs), where a
	 * guest writes what a call reads and reads what it was given; the RX
	 * ownership state where the backend tracks one (else FREE).
	 * Returns: true with *@mb set, or false if no pair is mapped.
	 */
	bool (*mailbox)(const void *self, ffa_id_t vm, struct mailbox *mb);
	/* mem_extent() - the physical range @cfg needs: as mediator_config_mem_extent(). */
	void (*mem_extent)(const struct mediator_config *cfg, uint64_t *base, uint32_t *pages);
	/* The rules it breaks by design, terminated by a NULL rule. */
	const struct backend_deviation *deviations;
};

/*
 * backend_finding_hook - when set, a finding a backend's shim raises (a
 * WARN, lock misuse) calls it instead of printing "ffa-emu backend:
 * <rule>: <detail>" and aborting. It must not return (tests, ffa-run and
 * the replay driver's -k longjmp).
 */
extern void (*backend_finding_hook)(const char *rule, const char *detail);

extern const struct backend_ops backend_ref;
extern const struct backend_ops backend_pkvm;

/**
 * backend_find() - the backend called @name ("ref", "pkvm").
 * Returns: its ops, or NULL if there is none by that name.
 */
const struct backend_ops *backend_find(const char *name);

/* backend_names() - "ref, pkvm": for usage messages. */
const char *backend_names(void);

/**
 * backend_deviation_find() - @b's declared deviation from @rule, broken as
 * @detail says, in a call forwarded unfiltered (@passthrough) or not.
 * Returns: the entry, or NULL if the rule holds for @b there.
 */
const struct backend_deviation *backend_deviation_find(const struct backend_ops *b,
						       const char *rule, const char *detail,
						       bool passthrough);

/**
 * backend_deviation_applies() - whether @d, an entry for the rule broken,
 * covers it broken as @detail says, in a call forwarded unfiltered
 * (@passthrough) or not.
 * Returns: true if it does.
 */
bool backend_deviation_applies(const struct backend_deviation *d, const char *detail,
			       bool passthrough);
