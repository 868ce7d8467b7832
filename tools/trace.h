/*
 * Decoded traces of FF-A calls and replies for people to read: the ABI's
 * spec name, its arguments by name (sender and receiver IDs, version words,
 * buffer addresses, page counts, lengths, handles, flags) and the reply's
 * status by name. Used by tools/ffa-run.
 */
#pragma once

#include <stdio.h>

#include "ffa/smccc.h"

/* Print call @r from VM @vm on one line, e.g. "vm1 FFA_RXTX_MAP_64 tx=0x80000000 rx=... pages=1". */
void trace_call(FILE *f, ffa_id_t vm, const struct smccc_regs *r);

/* Print reply @r to @call on one line, e.g. "-> FFA_ERROR_32 DENIED" or "-> FFA_SUCCESS_32 w2=0x4". */
void trace_reply(FILE *f, const struct smccc_regs *call, const struct smccc_regs *r);
