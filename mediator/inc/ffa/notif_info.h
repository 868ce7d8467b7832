/*
 * The ID lists of FFA_NOTIFICATION_INFO_GET (DEN0077A v1.1+), encoded and
 * decoded in one place for the SPMC model (which tells the hypervisor) and
 * the mediator (which tells each VM its own).
 *
 * x2: bit 0 more pending; bits[11:7] number of lists; bits[12+2i+1:12+2i]
 * the number of vCPU IDs (0-3) after the endpoint ID of list i. x3 onwards:
 * the 16-bit IDs of every list in order, four per register for SMC64
 * (at most 20) and two per register for SMC32 (at most 10). An endpoint with
 * global (or framework) news appears alone in a list; per-vCPU news follows
 * its ID in lists of up to three vCPU IDs.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ffa/abi.h"
#include "ffa/smccc.h"

struct ffa_info_lists {
	struct smccc_regs *res; /* the reply being built: x2 and x3.. */
	bool is64;
	unsigned lists;
	unsigned ids;
};

/* One decoded list. */
struct ffa_info_list {
	ffa_id_t id;
	unsigned vcpu_count;
	uint16_t vcpus[FFA_NOTIF_INFO_MAX_VCPUS_PER_LIST];
};

/* Start building lists into @res (x2..x7 zeroed). */
void ffa_info_lists_init(struct ffa_info_lists *l, struct smccc_regs *res, bool is64);

/**
 * ffa_info_lists_add() - add what fits of endpoint @id's news: its global
 * news (*@global) and its per-vCPU news (*@vcpus, bit n for vCPU n).
 * What was added is cleared from *@global and *@vcpus.
 * Returns: true if everything fitted.
 */
bool ffa_info_lists_add(struct ffa_info_lists *l, ffa_id_t id, bool *global, uint32_t *vcpus);

/* Finish: write x2 with the list count and @more. Returns the list count. */
unsigned ffa_info_lists_finish(struct ffa_info_lists *l, bool more);

/**
 * ffa_info_lists_decode() - the lists of reply @r (SMC64 if @is64) into @out.
 * Returns: the number of lists, or -1 if x2 announces more lists or IDs
 * than the registers can hold.
 */
int ffa_info_lists_decode(const struct smccc_regs *r, bool is64,
			  struct ffa_info_list out[FFA_NOTIF_INFO_MAX_IDS_64]);
