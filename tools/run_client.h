/*
 * tools/ffa-run's runner of client scenarios (run_client.c).
 */
#pragma once

#include <setjmp.h>
#include <stdbool.h>

#include "client_machine.h"
#include "scenario.h"

/*
 * ffa-run.c's catch of an oracle rule broken or a shim's finding (its
 * oracle_failure_hook and backend_finding_hook): the rule and detail are
 * kept here, then it longjmp()s to *@on_broken, which run_client() points
 * at its own while it runs.
 */
extern char broken_rule[48], broken_detail[256];
extern jmp_buf *on_broken;

/**
 * run_client() - run client scenario @s on @fm (started with @s->p): Linux's
 * FF-A driver probes as VM 0, through the kernel's stub on @engine (an
 * engine of @fm for VM 0, HVC enabled) when not NULL, then makes @s's operations, each traced with every call it
 * made, the answer, any lie, and what it returned (unless @quiet), and
 * checks its expectations. A known finding masked (FFA_EMU_SUPPRESS) ends
 * the run there; a driver finding not masked fails it, as an oracle rule.
 * Returns: the number of failures (expectations, rules or findings not
 * expected, operations left unrun).
 */
unsigned run_client(struct fuzz_machine *fm, const struct scenario *s, struct emu *engine, bool quiet);
