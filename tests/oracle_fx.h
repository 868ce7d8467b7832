/*
 * The fuzz oracle's test fixture (tests/test_fuzz_oracle.c, the wire rules;
 * tests/test_fuzz_model.c, the state model's rules): a fuzz machine started
 * fresh for each test, the mediator's real answers checked by the oracle
 * (they must pass), and hand-made wrong answers judged (the rule named).
 * The failure hook catches a rule instead of aborting.
 */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#define VM 1       /* the caller real() and judge() use */
#define OTHER_VM 0 /* the machine's other VM */
#define PATTERN 0xA5A5000000000000ULL

extern struct fuzz_machine fm;
extern struct fuzz_program prog; /* two VMs, the spec profile */

/* cmocka set-up: a fresh machine for prog, the failure hook set. */
int fresh(void **state);

/* A call with x1..x3 and the fuzz format's x8-x17 pattern. */
struct smccc_regs call3(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* The mediator's real answer to VM @vm's @call, checked by the oracle: it must pass. */
struct smccc_regs real_from(ffa_id_t vm, struct smccc_regs call);

/* real_from(VM, @call). */
struct smccc_regs real(struct smccc_regs call);

/*
 * The rule the oracle names for @reply to VM @vm's @call, "" for none;
 * @between (may be NULL) runs after the oracle's note of the state before.
 */
const char *judge_from(ffa_id_t vm, struct smccc_regs call, struct smccc_regs reply,
		       void (*between)(void));

/* judge_from(VM, ...). */
const char *judge(struct smccc_regs call, struct smccc_regs reply, void (*between)(void));

/*
 * The rule the oracle names for the mediator's real answer to VM @vm's
 * @call once @tamper (may be NULL) has changed it, or anything the answer
 * left in memory; "" for none.
 */
const char *tampered_from(ffa_id_t vm, struct smccc_regs call, void (*tamper)(struct smccc_regs *reply));

/* The rule the oracle's observer names for @ev, forwarded during the call being judged; "" for none. */
const char *observed(const struct mediator_event *ev);

/* @reply with @call's x8-x17, as a correct answer to an SMC32 call carries them back. */
struct smccc_regs keeping(struct smccc_regs call, struct smccc_regs reply);

/* A made-up answer @fid with w2 = @a2 to @call, x8-x17 kept. */
struct smccc_regs answer(struct smccc_regs call, uint32_t fid, uint64_t a2);

/* A made-up FFA_ERROR @err to @call, x8-x17 kept. */
struct smccc_regs error(struct smccc_regs call, int32_t err);

/* VM @vm negotiates FF-A 1.2 and locks it with FFA_ID_GET. */
void negotiate_1_2_from(ffa_id_t vm);

/* negotiate_1_2_from(VM). */
void negotiate_1_2(void);
