/*
 * A software SPMC: the mediator's secure-world peer (DEN0077A v1.2, the SPMC
 * side of chapters 13 and 14), with secure partitions described by a
 * manifest. It answers what Hafnium answers a hypervisor caller at the NS
 * physical instance, and it checks what the mediator sends it: a request
 * that breaks the spec is answered with the FF-A error *and* recorded as a
 * mediator fault that a test or a fuzzer can see.
 *
 * All state is in struct spmc; the manifest is read-only after parsing, so
 * one parsed manifest serves any number of spmc_init() calls.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"
#include "ffa/smccc.h"
#include "mediator/mailbox.h"
#include "mediator/mediator.h"
#include "mediator/mem.h"

#define SPMC_MAX_PARTITIONS 32
#define SPMC_MAX_UUIDS 4
#define SPMC_MAX_FAULTS 8
#define SPMC_NAME_LEN 32

/* --- The manifest (manifest.c) --- */

struct spmc_partition {
	ffa_id_t id;                /* a secure ID: bit 15 set */
	char name[SPMC_NAME_LEN];
	uint32_t version;           /* the partition's FF-A version */
	uint16_t exec_ctx_count;    /* execution contexts (vCPUs) */
	uint32_t properties;        /* FFA_PARTITION_* bits */
	uint32_t uuid_count;
	struct ffa_uuid uuids[SPMC_MAX_UUIDS]; /* uuids[0] is the default service */
};

struct spmc_manifest {
	uint32_t version;        /* the SPMC's own FF-A version */
	ffa_id_t spmc_id;        /* what FFA_SPM_ID_GET returns */
	uint32_t rxtx_min_pages; /* FFA_FEATURES(FFA_RXTX_MAP) minimum: 1, 4 or 16 */
	uint32_t rxtx_max_pages; /* ... and maximum, reported to v1.2 callers */
	uint32_t partition_count;
	struct spmc_partition partitions[SPMC_MAX_PARTITIONS];
};

/**
 * spmc_manifest_parse() - parse manifest @text (@len bytes) into @out.
 * @name: the file name used in error messages.
 * @err: on failure, "name:line: what was expected", NUL-terminated.
 *
 * The format, one statement per line, '#' starts a comment:
 *   spmc-version 1.2            (default 1.2)
 *   spmc-id 0x8000              (default 0x8000; must be a secure ID)
 *   rxtx-min-pages 1            (1, 4 or 16; default 1)
 *   rxtx-max-pages 1            (default 1)
 *   partition 0x8001 name       (starts a partition; the keys below follow)
 *     version 1.2
 *     uuid xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx   (one line per UUID)
 *     execution-contexts 4
 *     properties direct-req-recv direct-req-send indirect-msg notification
 *                vm-created vm-destroyed aarch64 direct-req2-recv
 *                direct-req2-send
 *
 * Returns: true, or false with @err set.
 */
bool spmc_manifest_parse(const char *text, size_t len, const char *name,
			 struct spmc_manifest *out, char *err, size_t err_len);

/**
 * spmc_manifest_load() - read and parse the manifest file at @path.
 * Returns: true, or false with @err set ("path: cannot read" or a parse error).
 */
bool spmc_manifest_load(const char *path, struct spmc_manifest *out, char *err,
			size_t err_len);

/**
 * spmc_manifest_default() - the default manifest shipped in
 * spmc-model/manifests/default.manifest (compiled in).
 * Returns: a static, parsed manifest.
 */
const struct spmc_manifest *spmc_manifest_default(void);

/* --- The model --- */

/* A request from the mediator that breaks the spec. */
struct spmc_fault {
	uint32_t fid;
	const char *reason; /* a static string */
};

struct spmc {
	const struct spmc_manifest *manifest;
	struct mem *mem;
	/* The NS physical instance (the hypervisor, ID 0) as a caller. */
	enum vm_version_state version_state; /* negotiated as mediator_version_negotiate() */
	uint32_t ns_version;
	struct mailbox hyp_mailbox; /* RX ownership: SPMC is the producer */
	/* FFA_PARTITION_INFO_GET_REGS UUID info tag; changes when the list does. */
	uint16_t info_tag;
	/* Mediator faults: the first SPMC_MAX_FAULTS kept, all counted. */
	uint32_t fault_count;
	struct spmc_fault faults[SPMC_MAX_FAULTS];
};

/**
 * spmc_init() - a fresh SPMC for @manifest, reading NS memory through @mem.
 * Both must outlive @s.
 */
void spmc_init(struct spmc *s, const struct spmc_manifest *manifest, struct mem *mem);

/**
 * spmc_ns_call() - one call from the NS physical instance (the hypervisor).
 * Returns: the SPMC's x0-x17, conformed to SMCCC.
 */
struct smccc_regs spmc_ns_call(struct spmc *s, const struct smccc_regs *req);

/**
 * spmc_info_tag_bump() - make the partition list "change": later
 * FFA_PARTITION_INFO_GET_REGS calls with the old tag get RETRY.
 */
void spmc_info_tag_bump(struct spmc *s);

/**
 * spmc_partition_find() - the partition with ID @id.
 * Returns: the partition, or NULL.
 */
const struct spmc_partition *spmc_partition_find(const struct spmc *s, ffa_id_t id);
