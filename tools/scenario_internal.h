/*
 * What the scenario parser's files share (scenario.c, scenario_tx.c, scenario_client.c): the
 * parser's state and its word-level helpers. Not for other users.
 */
#pragma once

#include "scenario.h"

struct parser {
	const char *path;
	unsigned line;
	const char *line_start;
	const char *pos;
	char word[256];
	unsigned word_col;
	char *err;
	size_t err_len;
	struct scenario *s;
	int pending_call;     /* set-up is over once a call is seen */
	uint8_t tx[FUZZ_MAX_PAYLOAD];
	uint32_t tx_len;      /* TX bytes for the next call */
	uint8_t behave_sp, behave;
	/* "tx mem" descriptors with default attributes, for the call to settle (sc_settle_attributes()). */
	unsigned auto_count;
	struct {
		uint32_t off;            /* the descriptor's start in tx */
		uint32_t receiver_count;
	} auto_attr[8];
};

/* Set the parser's error to "<path>:<line>:<col>: expected <what>, found '<word>'". Returns: 2. */
__attribute__((format(printf, 2, 3))) int sc_fail(struct parser *ps, const char *fmt, ...);

/* The line's next word into ps->word ("" at its end); a quoted string is one word. */
const char *sc_next_word(struct parser *ps);

/* A number (decimal, 0x hex, or negative decimal) into *@v. Returns: false if @t is not one. */
bool sc_number(const char *t, uint64_t *v);

/* An endpoint (vmN, spN, hyp or a number) into *@id. Returns: false if @t is not one. */
bool sc_endpoint(const char *t, uint64_t *id);

/* A value (SCENARIOS.md "Values"); in calls @sel gets a run-time selector. Returns: false if malformed. */
bool sc_value(const char *t, uint64_t *v, uint8_t *sel);

/* VM @t (vmN) as an index into the program's VMs. Returns: 0, or 2 with the error set. */
int sc_vm_index(struct parser *ps, const char *t, uint8_t *vm);

/*
 * sc_settle_attributes() - the next call is @fid: "tx mem" descriptors left
 * with the default attributes (normal, write-back, inner shareable: 0x2F)
 * get the memory type cleared when @fid donates, or lends to one borrower,
 * which must leave it unspecified (mediator/src/mem_desc.c).
 */
void sc_settle_attributes(struct parser *ps, uint32_t fid);

/* The "tx ..." and "ram ..." lines (scenario_tx.c). Returns: 0, or 2 with the error set. */
int sc_tx_line(struct parser *ps);
int sc_ram_line(struct parser *ps);

/*
 * A client scenario's lines (scenario_client.c): "client [stub] [hvc]" and
 * "driver OP ...". Returns: 0, or 2 with the error set.
 */
int sc_client_line(struct parser *ps);
int sc_driver_line(struct parser *ps);

/* "ret=VALUE" of an "expect" line (@t): the value, a number or -ENAME. Returns: false if malformed. */
bool sc_errno_value(const char *t, uint64_t *v);

/* Write @title on @f as a comment ("# " before each of its lines). */
void sc_write_title(FILE *f, const char *title);

/* "bind spN vmM BITMAP [per-vcpu]": partition N binds BITMAP to VM M. Returns: 0, or sc_fail(). */
int sc_bind_line(struct parser *ps);
