/*
 * Scenario files: the parser (see scenario.h and tools/SCENARIOS.md for the
 * format): set-up, call, behave and expect lines here, the lines that write
 * memory in scenario_tx.c. One line at a time, one word at a time; every
 * error names the file, line and column and what was expected.
 */
#include "scenario_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/backend.h"
#include "mediator/mem.h"

__attribute__((format(printf, 2, 3))) int sc_fail(struct parser *ps, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->err_len, "%s:%u:%u: expected %s, found '%s'", ps->path, ps->line,
		 ps->word_col, what, ps->word[0] ? ps->word : "end of line");
	return 2;
}

/* The next word of the line into ps->word ("" at the end); a quoted string is one word. */
const char *sc_next_word(struct parser *ps)
{
	size_t n = 0;

	while (*ps->pos == ' ' || *ps->pos == '\t') {
		ps->pos++;
	}
	ps->word_col = (unsigned)(ps->pos - ps->line_start) + 1;
	if (*ps->pos == '"') {
		ps->word[n++] = *ps->pos++;
		while (*ps->pos && *ps->pos != '"' && *ps->pos != '\n' && n < sizeof(ps->word) - 2) {
			ps->word[n++] = *ps->pos++;
		}
		if (*ps->pos == '"') {
			ps->word[n++] = *ps->pos++;
		}
	} else {
		while (*ps->pos && *ps->pos != ' ' && *ps->pos != '\t' && *ps->pos != '\n' &&
		       *ps->pos != '#' && n < sizeof(ps->word) - 1) {
			ps->word[n++] = *ps->pos++;
		}
	}
	ps->word[n] = '\0';
	return ps->word;
}

bool sc_number(const char *t, uint64_t *v)
{
	char *end;

	if (*t == '\0') {
		return false;
	}
	errno = 0;
	if (*t == '-') {
		long long s = strtoll(t, &end, 0);

		*v = (uint64_t)s;
	} else {
		*v = strtoull(t, &end, 0);
	}
	return errno == 0 && *end == '\0';
}

/* A function ID by its spec name; without a suffix, the _32 form, or else the _64 one. */
static bool func_id(const char *t, uint32_t *fid)
{
	const struct fuzz_abi_set *all = fuzz_abi_set("seq");
	static const char *const suffixes[] = {"", "_32", "_64"}; /* _64 only where there is no _32 */

	for (unsigned k = 0; k < 3; k++) {
		char name[80];

		snprintf(name, sizeof(name), "%s%s", t, suffixes[k]);
		for (unsigned i = 0; i < all->count; i++) {
			if (ffa_func_name(all->fids[i]) && strcmp(ffa_func_name(all->fids[i]), name) == 0) {
				*fid = all->fids[i];
				return true;
			}
		}
	}
	return false;
}

static bool status(const char *t, int32_t *err)
{
	for (int32_t e = 0; e >= FFA_NOT_READY; e--) {
		if (strcmp(ffa_error_name(e), t) == 0) {
			*err = e;
			return true;
		}
	}
	return false;
}

/* An endpoint: vmN, spN (0x8000 + N), hyp (0), or a number. */
bool sc_endpoint(const char *t, uint64_t *id)
{
	char *end;

	if (strncmp(t, "vm", 2) == 0 || strncmp(t, "sp", 2) == 0) {
		unsigned long n = strtoul(t + 2, &end, 10);

		if (end == t + 2 || *end != '\0' || n > 0x7FFF) {
			return false;
		}
		*id = t[0] == 's' ? 0x8000 + n : n;
		return true;
	}
	if (strcmp(t, "hyp") == 0) {
		*id = 0;
		return true;
	}
	return sc_number(t, id);
}

/* "name(a,b)" split: @a and @b get the arguments (b may be empty). */
static bool call_form(const char *t, const char *name, char *a, char *b, size_t cap)
{
	size_t n = strlen(name), len = strlen(t);
	const char *comma;

	if (strncmp(t, name, n) != 0 || t[n] != '(' || len < n + 2 || t[len - 1] != ')') {
		return false;
	}
	comma = memchr(t + n + 1, ',', len - n - 2);
	snprintf(a, cap, "%.*s", (int)((comma ? comma : t + len - 1) - (t + n + 1)), t + n + 1);
	snprintf(b, cap, "%.*s", comma ? (int)(t + len - 1 - comma - 1) : 0, comma ? comma + 1 : "");
	return true;
}

/*
 * A value: a number, a version word (v1.2), an endpoint, pair(a,b), ipa(n),
 * target(sp,vcpu), a function name or a status name (as it travels in a
 * register: zero-extended). In a call, handle(n) and handle-hi(n) are
 * run-time selectors: *@sel gets one and the value is 0.
 */
bool sc_value(const char *t, uint64_t *v, uint8_t *sel)
{
	char a[64], b[64];
	uint64_t x, y;
	uint32_t fid;
	int32_t err;
	unsigned major, minor;
	char tail;

	if (sel) {
		*sel = 0;
	}
	if (sscanf(t, "v%u.%u%c", &major, &minor, &tail) == 2 && major < 0x8000 && minor <= 0xFFFF) {
		*v = FFA_VERSION(major, minor);
		return true;
	}
	if (call_form(t, "pair", a, b, sizeof(a))) {
		return sc_endpoint(a, &x) && sc_endpoint(b, &y) && x <= 0xFFFF && y <= 0xFFFF &&
		       (*v = x << 16 | y, true);
	}
	if (call_form(t, "ipa", a, b, sizeof(a))) {
		return !b[0] && sc_number(a, &x) && x < 0x100000 && (*v = FUZZ_VM_IPA + x * MEM_PAGE_SIZE, true);
	}
	if (call_form(t, "target", a, b, sizeof(a))) {
		return sc_endpoint(a, &x) && sc_number(b, &y) && x <= 0xFFFF && y <= 0xFFFF &&
		       (*v = ffa_target_info((ffa_id_t)x, (uint16_t)y), true);
	}
	if (sel && (call_form(t, "handle", a, b, sizeof(a)) || call_form(t, "handle-hi", a, b, sizeof(a)))) {
		if (b[0] || !sc_number(a, &x) || x > 5) {
			return false;
		}
		*sel = (uint8_t)(FUZZ_SEL_HANDLE_FIRST + x * 8 + (t[6] == '-' ? FUZZ_SEL_HANDLE_HI : FUZZ_SEL_HANDLE_LO));
		*v = 0;
		return true;
	}
	if (func_id(t, &fid)) {
		*v = fid;
		return true;
	}
	if (status(t, &err)) {
		*v = (uint32_t)err;
		return true;
	}
	return sc_endpoint(t, v);
}

static const char *const value_forms =
	"a value (a number, v1.2, vmN, spN, pair(a,b), ipa(n), target(sp,vcpu), handle(n), "
	"an FF-A function or status name)";

/* "xN=VALUE" or "wN=VALUE": @reg, @width32, the value and any selector. */
static int reg_item(struct parser *ps, unsigned max_reg, unsigned *reg, bool *width32, uint64_t *v,
		    uint8_t *sel)
{
	const char *t = ps->word, *eq = strchr(t, '=');
	char *end;
	unsigned long n;

	if ((t[0] != 'x' && t[0] != 'w') || eq == NULL) {
		return sc_fail(ps, "a register as xN=VALUE or wN=VALUE");
	}
	n = strtoul(t + 1, &end, 10);
	if (end == t + 1 || end != eq || n > max_reg) {
		return sc_fail(ps, "a register x0..x%u", max_reg);
	}
	if (!sc_value(eq + 1, v, sel)) {
		return sc_fail(ps, "%s after '='", value_forms);
	}
	*reg = (unsigned)n;
	*width32 = t[0] == 'w';
	if (*width32) {
		*v &= 0xFFFFFFFFU;
	}
	return 0;
}

int sc_vm_index(struct parser *ps, const char *t, uint8_t *vm)
{
	uint64_t id;

	if (strncmp(t, "vm", 2) != 0 || !sc_endpoint(t, &id) || id >= ps->s->p.vm_count) {
		return sc_fail(ps, "a VM, vm0..vm%u (the set-up's 'vms' gives how many)",
			    ps->s->p.vm_count - 1);
	}
	*vm = (uint8_t)id;
	return 0;
}

static int behaviour_kind(struct parser *ps, uint8_t *kind)
{
	sc_next_word(ps);
	for (unsigned k = 0; k < SPMC_BEHAVE_COUNT; k++) {
		if (strcmp(spmc_behaviour_name((enum spmc_behaviour_kind)k), ps->word) == 0) {
			*kind = (uint8_t)k;
			return 0;
		}
	}
	return sc_fail(ps, "a behaviour name (echo, error, yield, interrupt, busy, send-back, ...)");
}

static int partition_index(struct parser *ps, uint8_t *index)
{
	uint64_t id;

	if (!sc_endpoint(sc_next_word(ps), &id) || id < 0x8001 || id > 0x8004) {
		return sc_fail(ps, "one of the default manifest's partitions, sp1..sp4");
	}
	*index = (uint8_t)(id - 0x8001);
	return 0;
}

static struct scenario_expect *new_expect(struct parser *ps, enum expect_kind kind)
{
	struct scenario_expect *e = &ps->s->expects[ps->s->expect_count++];
	unsigned calls = ps->s->client ? ps->s->cp.op_count : ps->s->p.call_count;

	*e = (struct scenario_expect){.kind = kind, .call = calls - 1,
				      .line = ps->line, .col = ps->word_col, .state = -1};
	snprintf(e->source, sizeof(e->source), "%.*s", (int)strcspn(ps->line_start, "\n"), ps->line_start);
	return e;
}

static bool uuid_text(const char *t, uint8_t uuid[16])
{
	unsigned n = 0;

	for (; *t && n < 32; t++) {
		if (*t == '-') {
			continue;
		}
		if (!strchr("0123456789abcdefABCDEF", *t)) {
			return false;
		}
		uuid[n / 2] = (uint8_t)(uuid[n / 2] << 4 | (uint8_t)strtoul((char[]){*t, 0}, NULL, 16));
		n++;
	}
	return n == 32 && *t == '\0';
}

static int expect_line(struct parser *ps)
{
	uint64_t v;
	int32_t err;
	uint32_t fid;

	if (ps->s->client) { /* a driver operation's expectations */
		struct scenario_expect *e;

		if (ps->s->cp.op_count == 0) {
			return sc_fail(ps, "a 'driver' line before the first 'expect'");
		}
		sc_next_word(ps);
		if (strcmp(ps->word, "oracle") == 0) {
			e = new_expect(ps, EXPECT_ORACLE);
			snprintf(e->text, sizeof(e->text), "%.47s", sc_next_word(ps));
			return e->text[0] ? 0 : sc_fail(ps, "an oracle rule's name");
		}
		if (strncmp(ps->word, "ret=", 4) != 0 || !sc_errno_value(ps->word + 4, &v)) {
			return sc_fail(ps, "ret=VALUE (0, -22 or -EINVAL) or oracle RULE: what a driver "
					"operation can be expected to do");
		}
		e = new_expect(ps, EXPECT_RET);
		e->value = v;
		return ps->s->expect_count < SCENARIO_MAX_EXPECTS ? 0
			: sc_fail(ps, "at most %d expectations", SCENARIO_MAX_EXPECTS - 1);
	}
	if (ps->s->p.call_count == 0) {
		return sc_fail(ps, "a call before the first 'expect'");
	}
	if (strcmp(sc_next_word(ps), "rx") == 0) { /* expect rx partition N field=value... */
		struct scenario_expect *e;

		if (strcmp(sc_next_word(ps), "at") == 0) { /* expect rx at OFFSET HEX... */
			e = new_expect(ps, EXPECT_RX_BYTES);
			if (!sc_number(sc_next_word(ps), &v) || v >= 4 * FFA_PAGE_SIZE) {
				return sc_fail(ps, "an offset into the RX buffer");
			}
			e->index = (unsigned)v;
			while (*sc_next_word(ps)) {
				char *end;
				unsigned long b = strtoul(ps->word, &end, 16);

				if (strlen(ps->word) != 2 || *end != '\0' || e->nbytes == sizeof(e->bytes)) {
					return sc_fail(ps, "hex bytes (two digits each, at most %zu)", sizeof(e->bytes));
				}
				e->bytes[e->nbytes++] = (uint8_t)b;
			}
			return e->nbytes ? 0 : sc_fail(ps, "the bytes expected");
		}
		if (strcmp(ps->word, "partition") != 0) {
			return sc_fail(ps, "'partition' (the partition info in the caller's RX) or 'at OFFSET'");
		}
		if (!sc_number(sc_next_word(ps), &v) || v > 64) {
			return sc_fail(ps, "the entry's index");
		}
		e = new_expect(ps, EXPECT_RX_PARTITION);
		e->index = (unsigned)v;
		while (*sc_next_word(ps)) {
			if (strncmp(ps->word, "id=", 3) == 0 && sc_endpoint(ps->word + 3, &v)) {
				e->fields |= RX_ID, e->id = (uint16_t)v;
			} else if (strncmp(ps->word, "contexts=", 9) == 0 && sc_number(ps->word + 9, &v)) {
				e->fields |= RX_CONTEXTS, e->contexts = (uint16_t)v;
			} else if (strncmp(ps->word, "properties=", 11) == 0 && sc_number(ps->word + 11, &v)) {
				e->fields |= RX_PROPERTIES, e->properties = (uint32_t)v;
			} else if (strncmp(ps->word, "uuid=", 5) == 0 && uuid_text(ps->word + 5, e->uuid)) {
				e->fields |= RX_UUID;
			} else {
				return sc_fail(ps, "id=, contexts=, properties= or uuid=");
			}
		}
		return 0;
	}
	if (strcmp(ps->word, "page") == 0) { /* expect page IPA owner=... state=... */
		struct scenario_expect *e;

		if (!sc_value(sc_next_word(ps), &v, NULL)) {
			return sc_fail(ps, "the page's IPA (ipa(n) or a number)");
		}
		e = new_expect(ps, EXPECT_PAGE);
		e->value = v;
		e->owner = MEM_OWNER_NONE - 1; /* not checked */
		while (*sc_next_word(ps)) {
			static const char *const states[] = {"private", "mailbox", "shared", "lent", "donated"};

			if (strncmp(ps->word, "owner=", 6) == 0 && sc_endpoint(ps->word + 6, &v)) {
				e->owner = (uint32_t)v;
				continue;
			}
			if (strcmp(ps->word, "owner=none") == 0) {
				e->owner = MEM_OWNER_NONE;
				continue;
			}
			for (unsigned k = 0; k < 5; k++) {
				if (strncmp(ps->word, "state=", 6) == 0 && strcmp(ps->word + 6, states[k]) == 0) {
					e->state = (int)k;
				}
			}
			if (strncmp(ps->word, "state=", 6) != 0 || e->state < 0) {
				return sc_fail(ps, "owner=ENDPOINT|none or state=private|mailbox|shared|lent|donated");
			}
		}
		return 0;
	}
	if (strcmp(ps->word, "irq") == 0) { /* expect irq none | expect irq sri npi */
		struct scenario_expect *e = new_expect(ps, EXPECT_IRQ);

		if (strcmp(sc_next_word(ps), "none") == 0) {
			return 0;
		}
		do {
			if (strcmp(ps->word, "sri") == 0) {
				e->value |= 1U << FFA_SRI_INTID;
			} else if (strcmp(ps->word, "npi") == 0) {
				e->value |= 1U << FFA_NPI_INTID;
			} else {
				return sc_fail(ps, "none, or sri and/or npi, after irq");
			}
		} while (*sc_next_word(ps));
		return 0;
	}
	if (strcmp(ps->word, "oracle") == 0) {
		struct scenario_expect *e;

		if (!*sc_next_word(ps)) {
			return sc_fail(ps, "the oracle rule's name");
		}
		e = new_expect(ps, EXPECT_ORACLE);
		snprintf(e->text, sizeof(e->text), "%.47s", ps->word);
		return 0;
	}
	do { /* FFA_NAME, ERROR STATUS, xN=VALUE, wN=VALUE */
		struct scenario_expect *e;

		if (strcmp(ps->word, "ERROR") == 0) {
			if (!status(sc_next_word(ps), &err)) {
				return sc_fail(ps, "a status name after ERROR (DENIED, INVALID_PARAMETERS, ...)");
			}
			e = new_expect(ps, EXPECT_REG);
			e->reg = 0, e->value = FFA_ERROR_32;
			snprintf(e->source, sizeof(e->source), "ERROR %.150s", ps->word);
			e = new_expect(ps, EXPECT_REG);
			e->reg = 2, e->width32 = true, e->value = (uint32_t)err;
		} else if (func_id(ps->word, &fid)) {
			e = new_expect(ps, EXPECT_REG);
			e->reg = 0, e->value = fid;
		} else {
			unsigned reg;
			bool w;
			int rc;

			if (strchr(ps->word, '=') == NULL) {
				return sc_fail(ps, "FFA_NAME, ERROR STATUS, xN=VALUE or wN=VALUE; rx, page or oracle");
			}
			rc = reg_item(ps, 17, &reg, &w, &v, NULL);
			if (rc != 0) {
				return rc;
			}
			e = new_expect(ps, EXPECT_REG);
			e->reg = reg, e->width32 = w, e->value = v;
		}
		if (strncmp(e->source, "ERROR ", 6) != 0) {
			snprintf(e->source, sizeof(e->source), "%.159s", ps->word); /* this item only */
		}
		if (ps->s->expect_count >= SCENARIO_MAX_EXPECTS - 2) {
			return sc_fail(ps, "at most %d expectations", SCENARIO_MAX_EXPECTS - 2);
		}
	} while (*sc_next_word(ps));
	return 0;
}

/* Set register @n of @c to the raw value @v. */
static void set_reg(struct fuzz_call *c, unsigned n, uint64_t v)
{
	c->present |= (uint8_t)(1U << (n - 1));
	c->x[n] = v;
	c->special[n] = 0;
}

/*
 * "uuid=TEXT" in a call: the UUID in the registers the ABI carries it in,
 * packed as DEN0077A v1.2 says (ffa/abi.h): w1-w4 of FFA_PARTITION_INFO_GET,
 * x1-x2 of FFA_PARTITION_INFO_GET_REGS, x2-x3 of FFA_MSG_SEND_DIRECT_REQ2.
 */
static int uuid_item(struct parser *ps, struct fuzz_call *c)
{
	struct ffa_uuid u;
	unsigned first = c->fid == FFA_MSG_SEND_DIRECT_REQ2_64 ? 2 : 1;

	if (!ffa_uuid_parse(ps->word + 5, &u)) {
		return sc_fail(ps, "a UUID as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
	}
	if (c->fid == FFA_PARTITION_INFO_GET_32) {
		for (unsigned i = 0; i < 4; i++) {
			set_reg(c, 1 + i, ffa_uuid_word32(&u, i));
		}
	} else if (c->fid == FFA_PARTITION_INFO_GET_REGS_64 || c->fid == FFA_MSG_SEND_DIRECT_REQ2_64) {
		set_reg(c, first, ffa_uuid_word64(&u, 0));
		set_reg(c, first + 1, ffa_uuid_word64(&u, 1));
	} else {
		return sc_fail(ps, "uuid= only in FFA_PARTITION_INFO_GET, _GET_REGS_64 and "
				"FFA_MSG_SEND_DIRECT_REQ2_64");
	}
	return 0;
}

/* "vmN FFA_NAME xK=VALUE...": a call, with the TX and behaviour lines before it. */
static int call_line(struct parser *ps, uint8_t vm)
{
	struct fuzz_program *p = &ps->s->p;
	struct fuzz_call *c;
	uint32_t fid;

	if (p->call_count == FUZZ_MAX_CALLS) {
		return sc_fail(ps, "at most %d calls", FUZZ_MAX_CALLS);
	}
	if (!func_id(sc_next_word(ps), &fid)) {
		uint64_t raw;
		const struct fuzz_abi_set *all = fuzz_abi_set("seq");

		/* A number for the IDs that have no name: the few outside FF-A's range the fuzz format has. */
		if (!sc_number(ps->word, &raw) || raw > 0xFFFFFFFFU ||
		    fuzz_abi_index(all, (uint32_t)raw) == all->count) {
			return sc_fail(ps, "an FF-A function by its spec name (FFA_VERSION, FFA_RXTX_MAP_64, ...), "
					"or 0x840000ff, 0x84000000 or 0xc4000100");
		}
		fid = (uint32_t)raw;
	}
	c = &p->calls[p->call_count];
	*c = (struct fuzz_call){.vm = vm, .fid = fid, .behave_sp = ps->behave_sp, .behave = ps->behave};
	while (*sc_next_word(ps)) {
		unsigned reg;
		bool w;
		uint64_t v;
		uint8_t sel;
		int rc;

		if (strncmp(ps->word, "uuid=", 5) == 0) {
			rc = uuid_item(ps, c);
			if (rc != 0) {
				return rc;
			}
			continue;
		}
		rc = reg_item(ps, 7, &reg, &w, &v, &sel);

		if (rc != 0) {
			return rc;
		}
		if (reg == 0) {
			return sc_fail(ps, "x1..x7 (x0 is the function)");
		}
		c->present |= (uint8_t)(1U << (reg - 1));
		c->x[reg] = v;
		c->special[reg] = sel;
	}
	sc_settle_attributes(ps, fid);
	if (ps->tx_len != 0) {
		if (p->payload_used + ps->tx_len > sizeof(p->payload)) {
			return sc_fail(ps, "at most %zu TX bytes in all", sizeof(p->payload));
		}
		c->payload_off = (uint16_t)p->payload_used;
		c->payload_len = (uint16_t)ps->tx_len;
		memcpy(p->payload + p->payload_used, ps->tx, ps->tx_len);
		p->payload_used += ps->tx_len;
	}
	ps->s->call_line[p->call_count++] = ps->line;
	ps->tx_len = 0;
	ps->behave_sp = 0;
	ps->behave = 0;
	return 0;
}

/* A set-up line (before the first call). */
static int setup_line(struct parser *ps)
{
	struct fuzz_program *p = &ps->s->p;
	uint64_t v;
	uint8_t vm, index;

	if (ps->pending_call) {
		return sc_fail(ps, "set-up lines before the first call");
	}
	if (strcmp(ps->word, "profile") == 0) {
		sc_next_word(ps);
		for (unsigned k = 0; k < MEDIATOR_PROFILE_COUNT; k++) {
			if (strcmp(ps->word, scenario_profile_name((enum mediator_profile)k)) == 0) {
				p->profile = (enum mediator_profile)k;
				return 0;
			}
		}
		return sc_fail(ps, "a profile: spec, pkvm or xen");
	}
	if (strcmp(ps->word, "version") == 0) { /* "version vmN vX.Y": the VM's FFA_VERSION call */
		int rc = sc_vm_index(ps, sc_next_word(ps), &vm);
		struct fuzz_call *c;

		if (rc != 0) {
			return rc;
		}
		if (!sc_value(sc_next_word(ps), &v, NULL) || v > 0xFFFFFFFFU) {
			return sc_fail(ps, "a version word (v1.2)");
		}
		if (p->call_count == FUZZ_MAX_CALLS) {
			return sc_fail(ps, "at most %d calls", FUZZ_MAX_CALLS);
		}
		c = &p->calls[p->call_count];
		*c = (struct fuzz_call){.vm = vm, .fid = FFA_VERSION_32};
		set_reg(c, 1, v);
		ps->s->call_line[p->call_count++] = ps->line;
		return 0;
	}
	if (strcmp(ps->word, "vms") == 0) {
		if (p->call_count != 0) {
			return sc_fail(ps, "'vms' before any 'version' line");
		}
		if (!sc_number(sc_next_word(ps), &v) || v < 1 || v > 3) {
			return sc_fail(ps, "a VM count, 1 to 3");
		}
		p->vm_count = (uint32_t)v;
		return 0;
	}
	if (strcmp(ps->word, "aarch32") == 0) {
		int rc = sc_vm_index(ps, sc_next_word(ps), &vm);

		p->aarch32_mask |= (uint8_t)(rc == 0 ? 1U << vm : 0);
		return rc;
	}
	if (strcmp(ps->word, "rxtx-max-pages") == 0) {
		if (!sc_number(sc_next_word(ps), &v) || (v != 1 && v != 4)) {
			return sc_fail(ps, "1 or 4");
		}
		p->big_buffers = v == 4;
		return 0;
	}
	if (strcmp(ps->word, "spmc-fragments") == 0) {
		if (!sc_number(sc_next_word(ps), &v) || (v != 64 && v != 0)) {
			return sc_fail(ps, "64 (bytes per fragment to the SPMC) or 0 (whole descriptors)");
		}
		p->small_frags = v == 64;
		return 0;
	}
	if (strcmp(ps->word, "lie") == 0) {
		sc_next_word(ps);
		for (unsigned k = 0; k < SPMC_LIE_COUNT; k++) {
			if (strcmp(ps->word, scenario_lie_name((enum spmc_mem_lie)k)) == 0) {
				p->lie = (enum spmc_mem_lie)k;
				return 0;
			}
		}
		return sc_fail(ps, "an SPMC lie (none, handle-zero, handle-reused, handle-hyp, ...)");
	}
	if (strcmp(ps->word, "manifest") == 0) {
		const char *slash = strrchr(ps->path, '/');

		if (!*sc_next_word(ps)) {
			return sc_fail(ps, "the SPMC manifest's path");
		}
		snprintf(ps->s->manifest, sizeof(ps->s->manifest), "%.*s%s",
			 ps->word[0] == '/' || !slash ? 0 : (int)(slash - ps->path + 1), ps->path, ps->word);
		return 0;
	}
	if (strcmp(ps->word, "mediator") == 0) {
		if (backend_find(sc_next_word(ps)) == NULL) {
			return sc_fail(ps, "a mediator backend (ref, pkvm)");
		}
		snprintf(ps->s->mediator, sizeof(ps->s->mediator), "%.15s", ps->word);
		return 0;
	}
	if (strcmp(ps->word, "behaviour") == 0) {
		int rc = partition_index(ps, &index);

		return rc != 0 ? rc : behaviour_kind(ps, &p->behaviour[index]);
	}
	return sc_fail(ps, "a set-up line (mediator, profile, vms, aarch32, rxtx-max-pages, "
			"spmc-fragments, lie, manifest, behaviour), a call (vmN FFA_...), tx, ram, "
			"bind, behave or expect");
}

static int parse_line(struct parser *ps)
{
	uint8_t vm;
	int rc;

	if (!*sc_next_word(ps)) {
		return 0; /* blank or comment */
	}
	if (ps->s->client && (strncmp(ps->word, "vm", 2) == 0 || strcmp(ps->word, "version") == 0 ||
			      strcmp(ps->word, "aarch32") == 0 || strcmp(ps->word, "tx") == 0 ||
			      strcmp(ps->word, "ram") == 0 || strcmp(ps->word, "bind") == 0 ||
			      strcmp(ps->word, "behave") == 0)) {
		return sc_fail(ps, "a 'driver' line, set-up or 'expect' (a client scenario's driver makes "
				"every call)");
	}
	if (strcmp(ps->word, "client") == 0) {
		rc = sc_client_line(ps);
	} else if (strcmp(ps->word, "driver") == 0) {
		rc = sc_driver_line(ps);
	} else if (strncmp(ps->word, "vm", 2) == 0 && ps->word[2] >= '0' && ps->word[2] <= '9') {
		rc = sc_vm_index(ps, ps->word, &vm);
		if (rc == 0) {
			ps->pending_call = 1;
			rc = call_line(ps, vm);
		}
	} else if (strcmp(ps->word, "tx") == 0) {
		rc = sc_tx_line(ps);
	} else if (strcmp(ps->word, "ram") == 0) {
		rc = sc_ram_line(ps);
	} else if (strcmp(ps->word, "bind") == 0) {
		rc = sc_bind_line(ps);
	} else if (strcmp(ps->word, "behave") == 0) {
		uint8_t index;

		rc = partition_index(ps, &index);
		if (rc == 0) {
			ps->behave_sp = (uint8_t)(index + 1);
			rc = behaviour_kind(ps, &ps->behave);
		}
	} else if (strcmp(ps->word, "expect") == 0) {
		rc = expect_line(ps);
	} else {
		rc = setup_line(ps);
	}
	if (rc == 0 && *sc_next_word(ps)) {
		rc = sc_fail(ps, "the end of the line");
	}
	return rc;
}

int scenario_parse(const char *path, const char *text, struct scenario *s, char *err,
		   size_t err_len)
{
	static struct parser ps;
	const char *line = text;

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->p.vm_count = 2; /* VMs 0 and 1 unless the set-up says otherwise */
	ps = (struct parser){.path = path, .err = err, .err_len = err_len, .s = s};
	while (*line) {
		int rc;

		ps.line++;
		ps.line_start = ps.pos = line;
		rc = parse_line(&ps);
		if (rc != 0) {
			return rc;
		}
		line += strcspn(line, "\n");
		line += *line == '\n';
	}
	if (ps.tx_len != 0 || ps.behave_sp != 0 ||
	    (s->ram_count != 0 && s->ram[s->ram_count - 1].call == s->p.call_count) ||
	    (s->bind_count != 0 && s->binds[s->bind_count - 1].call == s->p.call_count)) {
		ps.word[0] = '\0';
		ps.word_col = 1;
		return sc_fail(&ps, "a call after the last 'tx', 'ram', 'bind' or 'behave' line");
	}
	s->cp.profile = s->p.profile; /* a client program's machine is set up as any other */
	s->cp.lie = s->p.lie;
	return 0;
}

