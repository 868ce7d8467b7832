/*
 * Client scenarios (tools/SCENARIOS.md, "Client scenarios"): Linux's FF-A
 * driver (emu/linux/) as VM 0 makes a program of its own operations, as the
 * client fuzz target's inputs do (fuzz/client_input.h): the "client" and
 * "driver" lines, their "expect ret=" and the writer.
 */
#include <string.h>

#include "scenario_internal.h"

/*
 * Each operation's name and the words for its fields: the flag bits' (bit
 * 0 up), and what its arg and extra mean. Every operation also takes the raw
 * fields: dev=, arg=, flags=, extra=, value=, and lie=CALL:xREG (the
 * operation's CALLth call comes back to the driver with xREG = value).
 */
static const struct {
	const char *name;
	const char *flags[3];
	const char *arg, *extra;
} ops[FUZZ_CLIENT_OP_COUNT] = {
	[FUZZ_CLIENT_PARTITION_INFO] = {"partition-info", {NULL}, "uuid", NULL},
	[FUZZ_CLIENT_DIRECT] = {"direct", {"w32"}, NULL, NULL},
	[FUZZ_CLIENT_DIRECT2] = {"direct2", {NULL}, "uuid", NULL},
	[FUZZ_CLIENT_SEND2] = {"send2", {NULL}, "bytes", NULL},
	[FUZZ_CLIENT_MEM_SEND] = {"mem-send", {"lend", "txbuf", "two-receivers"}, "ranges", "access"},
	[FUZZ_CLIENT_RECLAIM] = {"reclaim", {NULL}, "handle", "reclaim-flags"},
	[FUZZ_CLIENT_NOTIFY_REQUEST] = {"notify-request", {"per-vcpu"}, "id", NULL},
	[FUZZ_CLIENT_NOTIFY_RELINQUISH] = {"notify-relinquish", {NULL}, "id", NULL},
	[FUZZ_CLIENT_NOTIFY_SEND] = {"notify-send", {"per-vcpu"}, "id", "vcpu"},
	[FUZZ_CLIENT_SCHED_RECV] = {"sched-recv", {"register"}, NULL, NULL},
	[FUZZ_CLIENT_RUN] = {"run", {NULL}, "vcpu", NULL},
	[FUZZ_CLIENT_IRQ] = {"irq", {"npi"}, NULL, NULL},
	[FUZZ_CLIENT_RELOAD] = {"reload", {NULL}, NULL, NULL},
};

int sc_client_line(struct parser *ps)
{
	struct scenario *s = ps->s;

	if (s->p.call_count != 0 || s->client) {
		return sc_fail(ps, "one 'client' line, before any call");
	}
	s->client = true;
	s->p.vm_count = 3; /* the client target's machine: FUZZ_MAX_VMS (fuzz/harness.h) */
	while (*sc_next_word(ps)) {
		if (strcmp(ps->word, "stub") == 0) {
			s->cp.via_stub = true;
		} else if (strcmp(ps->word, "hvc") == 0) {
			s->cp.hvc = true;
		} else {
			return sc_fail(ps, "'stub' (through the kernel's SMCCC stub), 'hvc' or the end of the line");
		}
	}
	return 0;
}

/* A byte-sized field's value: a number up to 255 ("nil" is 0, for uuid=). */
static bool byte_value(const char *t, uint8_t *b)
{
	uint64_t v;

	if (strcmp(t, "nil") == 0) {
		*b = 0;
		return true;
	}
	if (!sc_number(t, &v) || v > 0xFF) {
		return false;
	}
	*b = (uint8_t)v;
	return true;
}

/* One "key=value" or flag word of operation @op's line. Returns: 0, or sc_fail(). */
static int op_item(struct parser *ps, struct fuzz_client_op *op)
{
	const char *w = ps->word, *eq = strchr(w, '=');
	size_t klen = eq ? (size_t)(eq - w) : strlen(w);
	uint64_t v;

	for (unsigned b = 0; b < 3 && !eq; b++) {
		if (ops[op->kind].flags[b] != NULL && strcmp(w, ops[op->kind].flags[b]) == 0) {
			op->flags |= (uint8_t)(1U << b);
			return 0;
		}
	}
#define KEY(k) (eq && klen == strlen(k) && strncmp(w, k, klen) == 0)
	if (KEY("dev")) {
		return byte_value(eq + 1, &op->dev) ? 0 : sc_fail(ps, "a device index, 0 to 255");
	}
	if (KEY("arg") || (ops[op->kind].arg && KEY(ops[op->kind].arg))) {
		return byte_value(eq + 1, &op->arg) ? 0 : sc_fail(ps, "a value 0 to 255 after '='");
	}
	if (KEY("extra") || (ops[op->kind].extra && KEY(ops[op->kind].extra))) {
		return byte_value(eq + 1, &op->extra) ? 0 : sc_fail(ps, "a value 0 to 255 after '='");
	}
	if (KEY("flags")) { /* bits besides the flag words, which it adds to */
		uint8_t b;

		if (!byte_value(eq + 1, &b)) {
			return sc_fail(ps, "flags, 0 to 255");
		}
		op->flags |= b;
		return 0;
	}
	if (KEY("value")) {
		return sc_number(eq + 1, &op->value) ? 0 : sc_fail(ps, "a 64-bit value");
	}
	if (KEY("lie")) { /* lie=CALL:xREG */
		const char *colon = strchr(eq + 1, ':');
		char call[24];
		uint64_t reg;

		snprintf(call, sizeof(call), "%.*s", colon ? (int)(colon - eq - 1) : 0, eq + 1);
		if (colon == NULL || !sc_number(call, &v) || v < 1 || v > 255 || colon[1] != 'x' ||
		    !sc_number(colon + 2, &reg) || reg > 17) {
			return sc_fail(ps, "lie=CALL:xREG (the operation's CALLth call, 1 to 255; x0 to x17)");
		}
		op->lie_at = (uint8_t)v;
		op->lie_reg = (uint8_t)reg;
		return 0;
	}
#undef KEY
	return sc_fail(ps, "a field of '%s' (dev=, arg=, flags=, extra=, value=, lie=CALL:xREG%s%s%s%s%s%s%s%s)",
		       ops[op->kind].name, ops[op->kind].arg ? ", " : "", ops[op->kind].arg ? ops[op->kind].arg : "",
		       ops[op->kind].arg ? "=" : "", ops[op->kind].extra ? ", " : "",
		       ops[op->kind].extra ? ops[op->kind].extra : "", ops[op->kind].extra ? "=" : "",
		       ops[op->kind].flags[0] ? ", " : "", ops[op->kind].flags[0] ? ops[op->kind].flags[0] : "");
}

int sc_driver_line(struct parser *ps)
{
	struct scenario *s = ps->s;
	struct fuzz_client_op op = {0};
	unsigned k;

	if (!s->client) {
		return sc_fail(ps, "a 'client' line before the first 'driver' line");
	}
	if (s->cp.op_count == FUZZ_CLIENT_MAX_OPS) {
		return sc_fail(ps, "at most %d driver operations", FUZZ_CLIENT_MAX_OPS);
	}
	sc_next_word(ps);
	for (k = 0; k < FUZZ_CLIENT_OP_COUNT && strcmp(ps->word, ops[k].name) != 0; k++) {
	}
	if (k == FUZZ_CLIENT_OP_COUNT) {
		return sc_fail(ps, "a driver operation (partition-info, direct, direct2, send2, mem-send, "
				"reclaim, notify-request, notify-relinquish, notify-send, sched-recv, run, irq, "
				"reload)");
	}
	op.kind = (enum fuzz_client_op_kind)k;
	while (*sc_next_word(ps)) {
		int rc = op_item(ps, &op);

		if (rc != 0) {
			return rc;
		}
	}
	ps->pending_call = 1; /* set-up is over */
	s->op_line[s->cp.op_count] = ps->line;
	s->cp.ops[s->cp.op_count++] = op;
	return 0;
}

bool sc_errno_value(const char *t, uint64_t *v)
{
	static const struct {
		const char *name;
		int value;
	} names[] = {{"EPERM", 1}, {"ENOENT", 2}, {"EIO", 5},        {"ENXIO", 6},   {"ENOMEM", 12},
		     {"EACCES", 13}, {"EFAULT", 14}, {"EBUSY", 16},    {"EEXIST", 17}, {"ENODEV", 19},
		     {"EINVAL", 22}, {"ENOSPC", 28}, {"ERANGE", 34},   {"EOPNOTSUPP", 95},
		     {"ETIMEDOUT", 110}, {"EAGAIN", 11}};

	if (t[0] == '-' && t[1] == 'E') {
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strcmp(t + 1, names[i].name) == 0) {
				*v = (uint64_t)(int64_t)-names[i].value;
				return true;
			}
		}
		return false;
	}
	return sc_number(t, v);
}

void scenario_write_client(FILE *f, const struct fuzz_client_program *p, const char *title,
			   const char *mediator)
{
	sc_write_title(f, title);
	if (mediator != NULL) {
		fprintf(f, "mediator %s\n", mediator);
	}
	fprintf(f, "client%s%s\nprofile %s\n", p->via_stub ? " stub" : "", p->hvc ? " hvc" : "",
		scenario_profile_name(p->profile));
	if (p->lie != SPMC_LIE_NONE) {
		fprintf(f, "lie %s\n", scenario_lie_name(p->lie));
	}
	for (unsigned i = 0; i < p->op_count; i++) {
		scenario_write_op(f, &p->ops[i]);
		fputc('\n', f);
	}
}

void scenario_write_op(FILE *f, const struct fuzz_client_op *op)
{
	unsigned named = 0;

	fprintf(f, "driver %s", ops[op->kind].name);
	for (unsigned b = 0; b < 3; b++) {
		if (ops[op->kind].flags[b] != NULL && (op->flags >> b & 1)) {
			fprintf(f, " %s", ops[op->kind].flags[b]);
			named |= 1U << b;
		}
	}
	if (op->flags & ~named) {
		fprintf(f, " flags=%#x", op->flags & ~named);
	}
	if (op->dev) {
		fprintf(f, " dev=%u", op->dev);
	}
	if (op->arg) {
		fprintf(f, " %s=%u", ops[op->kind].arg ? ops[op->kind].arg : "arg", op->arg);
	}
	if (op->extra) {
		fprintf(f, " %s=%u", ops[op->kind].extra ? ops[op->kind].extra : "extra", op->extra);
	}
	if (op->value) {
		fprintf(f, " value=%#llx", (unsigned long long)op->value);
	}
	if (op->lie_at) {
		fprintf(f, " lie=%u:x%u", op->lie_at, op->lie_reg % 18);
	}
}
