/*
 * Scenario files: the parser and the writer (see scenario.h and
 * tools/SCENARIOS.md for the format). One line at a time, one word at a
 * time; every error names the file, line and column and what was expected.
 */
#include "scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ffa/mem_desc.h"
#include "mediator/mem.h"

static const char *const profiles[] = {"spec", "pkvm", "xen"};
static const char *const lies[] = {
	"none",          "handle-zero",        "handle-reused",        "handle-hyp",
	"frag-offset",   "early-success",      "frag-rx-after-last",   "frag-offset-near-end",
	"huge-count",    "size-near-end",
};
_Static_assert(sizeof(profiles) / sizeof(profiles[0]) == MEDIATOR_PROFILE_COUNT, "a name per profile");
_Static_assert(sizeof(lies) / sizeof(lies[0]) == SPMC_LIE_COUNT, "a name per lie");


const char *scenario_profile_name(enum mediator_profile profile)
{
	return profile < MEDIATOR_PROFILE_COUNT ? profiles[profile] : "?";
}

const char *scenario_lie_name(enum spmc_mem_lie lie)
{
	return lie < SPMC_LIE_COUNT ? lies[lie] : "?";
}

/* --- The parser --- */

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
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *ps, const char *fmt, ...)
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
static const char *next_word(struct parser *ps)
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

static bool number(const char *t, uint64_t *v)
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

/* A function ID by its spec name, with or without the _32 suffix. */
static bool func_id(const char *t, uint32_t *fid)
{
	const struct fuzz_abi_set *all = fuzz_abi_set("seq");
	char with32[80];

	snprintf(with32, sizeof(with32), "%s_32", t);
	for (unsigned i = 0; i < all->count; i++) {
		const char *name = ffa_func_name(all->fids[i]);

		if (name && (strcmp(name, t) == 0 || strcmp(name, with32) == 0)) {
			*fid = all->fids[i];
			return true;
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
static bool endpoint(const char *t, uint64_t *id)
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
	return number(t, id);
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
static bool value(const char *t, uint64_t *v, uint8_t *sel)
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
		return endpoint(a, &x) && endpoint(b, &y) && x <= 0xFFFF && y <= 0xFFFF &&
		       (*v = x << 16 | y, true);
	}
	if (call_form(t, "ipa", a, b, sizeof(a))) {
		return !b[0] && number(a, &x) && x < 0x100000 && (*v = FUZZ_VM_IPA + x * MEM_PAGE_SIZE, true);
	}
	if (call_form(t, "target", a, b, sizeof(a))) {
		return endpoint(a, &x) && number(b, &y) && x <= 0xFFFF && y <= 0xFFFF &&
		       (*v = ffa_target_info((ffa_id_t)x, (uint16_t)y), true);
	}
	if (sel && (call_form(t, "handle", a, b, sizeof(a)) || call_form(t, "handle-hi", a, b, sizeof(a)))) {
		if (b[0] || !number(a, &x) || x > 5) {
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
	return endpoint(t, v);
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
		return fail(ps, "a register as xN=VALUE or wN=VALUE");
	}
	n = strtoul(t + 1, &end, 10);
	if (end == t + 1 || end != eq || n > max_reg) {
		return fail(ps, "a register x0..x%u", max_reg);
	}
	if (!value(eq + 1, v, sel)) {
		return fail(ps, "%s after '='", value_forms);
	}
	*reg = (unsigned)n;
	*width32 = t[0] == 'w';
	if (*width32) {
		*v &= 0xFFFFFFFFU;
	}
	return 0;
}

static int vm_index(struct parser *ps, const char *t, uint8_t *vm)
{
	uint64_t id;

	if (strncmp(t, "vm", 2) != 0 || !endpoint(t, &id) || id >= ps->s->p.vm_count) {
		return fail(ps, "a VM, vm0..vm%u (the set-up's 'vms' gives how many)",
			    ps->s->p.vm_count - 1);
	}
	*vm = (uint8_t)id;
	return 0;
}

static int behaviour_kind(struct parser *ps, uint8_t *kind)
{
	next_word(ps);
	for (unsigned k = 0; k < SPMC_BEHAVE_COUNT; k++) {
		if (strcmp(spmc_behaviour_name((enum spmc_behaviour_kind)k), ps->word) == 0) {
			*kind = (uint8_t)k;
			return 0;
		}
	}
	return fail(ps, "a behaviour name (echo, error, yield, interrupt, busy, send-back, ...)");
}

static int partition_index(struct parser *ps, uint8_t *index)
{
	uint64_t id;

	if (!endpoint(next_word(ps), &id) || id < 0x8001 || id > 0x8004) {
		return fail(ps, "one of the default manifest's partitions, sp1..sp4");
	}
	*index = (uint8_t)(id - 0x8001);
	return 0;
}

/* "tx mem VERSION key=value...": a memory transaction descriptor into the next call's TX. */
static int tx_mem(struct parser *ps)
{
	struct ffa_mem_txn t = {.attributes = 0x2F, .receiver_count = 0};
	uint64_t version, x, y;
	char a[64], b[64];

	if (!value(next_word(ps), &version, NULL) || (version != FFA_VERSION_1_0 &&
						      version != FFA_VERSION_1_1 &&
						      version != FFA_VERSION_1_2)) {
		return fail(ps, "the descriptor's version, v1.0, v1.1 or v1.2");
	}
	while (*next_word(ps)) {
		const char *eq = strchr(ps->word, '=');
		const char *v = eq ? eq + 1 : "";
		size_t key = eq ? (size_t)(eq - ps->word) : 0;

		if (key == 6 && strncmp(ps->word, "sender", 6) == 0 && endpoint(v, &x) && x <= 0xFFFF) {
			t.sender = (ffa_id_t)x;
		} else if (key == 8 && strncmp(ps->word, "receiver", 8) == 0 && endpoint(v, &x) &&
			   x <= 0xFFFF && t.receiver_count < FFA_MEM_MAX_RECEIVERS) {
			t.receivers[t.receiver_count++] = (struct ffa_mem_receiver){.id = (ffa_id_t)x, .perms = 0x2};
		} else if (key == 5 && strncmp(ps->word, "perms", 5) == 0 && t.receiver_count &&
			   (strcmp(v, "rw") == 0 || strcmp(v, "ro") == 0 || number(v, &x))) {
			t.receivers[t.receiver_count - 1].perms =
				(uint8_t)(strcmp(v, "rw") == 0 ? 0x2 : strcmp(v, "ro") == 0 ? 0x1 : x);
		} else if (key == 5 && strncmp(ps->word, "range", 5) == 0 && strchr(v, ':') &&
			   t.range_count < FFA_MEM_MAX_RANGES &&
			   snprintf(a, sizeof(a), "%.*s", (int)(strchr(v, ':') - v), v) > 0 &&
			   value(a, &x, NULL) && number(strchr(v, ':') + 1, &y) && y <= 0xFFFFFFFF) {
			t.ranges[t.range_count++] = (struct ffa_mem_range){.address = x, .page_count = (uint32_t)y};
			t.page_count += (uint32_t)y;
		} else if (key == 10 && strncmp(ps->word, "attributes", 10) == 0 && number(v, &x)) {
			t.attributes = (uint16_t)x;
		} else if (key == 5 && strncmp(ps->word, "flags", 5) == 0 && number(v, &x)) {
			t.flags = (uint32_t)x;
		} else if (key == 6 && strncmp(ps->word, "handle", 6) == 0 && number(v, &x)) {
			t.handle = x;
		} else if (key == 3 && strncmp(ps->word, "tag", 3) == 0 && number(v, &x)) {
			t.tag = x;
		} else {
			(void)b;
			return fail(ps, "sender=, receiver=, perms=rw|ro, range=IPA:PAGES, attributes=, "
					"flags=, handle= or tag=");
		}
	}
	x = ffa_mem_desc_write(&t, (uint32_t)version, ps->tx + ps->tx_len, sizeof(ps->tx) - ps->tx_len);
	if (x == 0) {
		return fail(ps, "a descriptor that fits the TX payload (%u bytes)", FUZZ_MAX_PAYLOAD);
	}
	ps->tx_len += (uint32_t)x;
	return 0;
}

/* "tx msg VERSION from=A to=B "text"": a partition message into the next call's TX. */
static int tx_msg(struct parser *ps)
{
	uint64_t version, from = 0, to = 0;
	struct ffa_partition_msg_header h = {0};
	uint32_t off, len = 0;
	const char *text = NULL;

	if (!value(next_word(ps), &version, NULL) ||
	    (version != FFA_VERSION_1_1 && version != FFA_VERSION_1_2)) {
		return fail(ps, "the header's layout, v1.1 (20 bytes) or v1.2 (40 bytes)");
	}
	off = version == FFA_VERSION_1_1 ? 20 : 40;
	while (*next_word(ps)) {
		if (strncmp(ps->word, "from=", 5) == 0 && endpoint(ps->word + 5, &from) && from <= 0xFFFF) {
			continue;
		}
		if (strncmp(ps->word, "to=", 3) == 0 && endpoint(ps->word + 3, &to) && to <= 0xFFFF) {
			continue;
		}
		if (ps->word[0] == '"' && strlen(ps->word) >= 2 && ps->word[strlen(ps->word) - 1] == '"') {
			text = ps->word + 1;
			len = (uint32_t)strlen(ps->word) - 2;
			continue;
		}
		return fail(ps, "from=ENDPOINT, to=ENDPOINT or a \"quoted payload\"");
	}
	if (ps->tx_len + off + len > sizeof(ps->tx)) {
		return fail(ps, "a message that fits the TX payload");
	}
	h.offset = off;
	h.sender_receiver = (uint32_t)(from << 16 | to);
	h.size = len;
	memcpy(ps->tx + ps->tx_len, &h, off < sizeof(h) ? off : sizeof(h));
	memcpy(ps->tx + ps->tx_len + off, text ? text : "", len);
	ps->tx_len += off + len;
	return 0;
}

/* "tx HEX..." bytes, or "tx mem ...", or "tx msg ...". */
static int tx_line(struct parser *ps)
{
	if (strcmp(next_word(ps), "mem") == 0) {
		return tx_mem(ps);
	}
	if (strcmp(ps->word, "msg") == 0) {
		return tx_msg(ps);
	}
	do {
		char *end;
		unsigned long b = strtoul(ps->word, &end, 16);

		if (strlen(ps->word) != 2 || *end != '\0' || ps->tx_len == sizeof(ps->tx)) {
			return fail(ps, "hex bytes (two digits each), 'mem' or 'msg'");
		}
		ps->tx[ps->tx_len++] = (uint8_t)b;
	} while (*next_word(ps));
	return 0;
}

/* "ram vmN IPA HEX...": bytes written into a VM's memory before the next call. */
static int ram_line(struct parser *ps)
{
	struct scenario *s = ps->s;
	struct scenario_ram *r;
	uint64_t ipa;
	uint8_t vm;
	int rc = vm_index(ps, next_word(ps), &vm);

	if (rc != 0) {
		return rc;
	}
	if (!value(next_word(ps), &ipa, NULL)) {
		return fail(ps, "an IPA in the VM (ipa(n) or a number)");
	}
	if (s->ram_count == SCENARIO_MAX_RAM) {
		return fail(ps, "at most %d ram lines", SCENARIO_MAX_RAM);
	}
	r = &s->ram[s->ram_count];
	*r = (struct scenario_ram){.call = s->p.call_count, .vm = vm, .ipa = ipa, .off = s->ram_used};
	while (*next_word(ps)) {
		char *end;
		unsigned long b = strtoul(ps->word, &end, 16);

		if (strlen(ps->word) != 2 || *end != '\0' || s->ram_used == SCENARIO_RAM_BYTES) {
			return fail(ps, "hex bytes (two digits each)");
		}
		s->ram_bytes[s->ram_used++] = (uint8_t)b;
		r->len++;
	}
	if (r->len == 0) {
		return fail(ps, "the bytes to write");
	}
	s->ram_count++;
	return 0;
}

static struct scenario_expect *new_expect(struct parser *ps, enum expect_kind kind)
{
	struct scenario_expect *e = &ps->s->expects[ps->s->expect_count++];

	*e = (struct scenario_expect){.kind = kind, .call = ps->s->p.call_count - 1,
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

	if (ps->s->p.call_count == 0) {
		return fail(ps, "a call before the first 'expect'");
	}
	if (strcmp(next_word(ps), "rx") == 0) { /* expect rx partition N field=value... */
		struct scenario_expect *e;

		if (strcmp(next_word(ps), "partition") != 0) {
			return fail(ps, "'partition' (the partition info in the caller's RX)");
		}
		if (!number(next_word(ps), &v) || v > 64) {
			return fail(ps, "the entry's index");
		}
		e = new_expect(ps, EXPECT_RX_PARTITION);
		e->index = (unsigned)v;
		while (*next_word(ps)) {
			if (strncmp(ps->word, "id=", 3) == 0 && endpoint(ps->word + 3, &v)) {
				e->fields |= RX_ID, e->id = (uint16_t)v;
			} else if (strncmp(ps->word, "contexts=", 9) == 0 && number(ps->word + 9, &v)) {
				e->fields |= RX_CONTEXTS, e->contexts = (uint16_t)v;
			} else if (strncmp(ps->word, "properties=", 11) == 0 && number(ps->word + 11, &v)) {
				e->fields |= RX_PROPERTIES, e->properties = (uint32_t)v;
			} else if (strncmp(ps->word, "uuid=", 5) == 0 && uuid_text(ps->word + 5, e->uuid)) {
				e->fields |= RX_UUID;
			} else {
				return fail(ps, "id=, contexts=, properties= or uuid=");
			}
		}
		return 0;
	}
	if (strcmp(ps->word, "page") == 0) { /* expect page IPA owner=... state=... */
		struct scenario_expect *e;

		if (!value(next_word(ps), &v, NULL)) {
			return fail(ps, "the page's IPA (ipa(n) or a number)");
		}
		e = new_expect(ps, EXPECT_PAGE);
		e->value = v;
		e->owner = MEM_OWNER_NONE - 1; /* not checked */
		while (*next_word(ps)) {
			static const char *const states[] = {"private", "mailbox", "shared", "lent", "donated"};

			if (strncmp(ps->word, "owner=", 6) == 0 && endpoint(ps->word + 6, &v)) {
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
				return fail(ps, "owner=ENDPOINT|none or state=private|mailbox|shared|lent|donated");
			}
		}
		return 0;
	}
	if (strcmp(ps->word, "oracle") == 0) {
		struct scenario_expect *e;

		if (!*next_word(ps)) {
			return fail(ps, "the oracle rule's name");
		}
		e = new_expect(ps, EXPECT_ORACLE);
		snprintf(e->text, sizeof(e->text), "%.47s", ps->word);
		return 0;
	}
	do { /* FFA_NAME, ERROR STATUS, xN=VALUE, wN=VALUE */
		struct scenario_expect *e;

		if (strcmp(ps->word, "ERROR") == 0) {
			if (!status(next_word(ps), &err)) {
				return fail(ps, "a status name after ERROR (DENIED, INVALID_PARAMETERS, ...)");
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
				return fail(ps, "FFA_NAME, ERROR STATUS, xN=VALUE or wN=VALUE; rx, page or oracle");
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
			return fail(ps, "at most %d expectations", SCENARIO_MAX_EXPECTS - 2);
		}
	} while (*next_word(ps));
	return 0;
}

/* "vmN FFA_NAME xK=VALUE...": a call, with the TX and behaviour lines before it. */
static int call_line(struct parser *ps, uint8_t vm)
{
	struct fuzz_program *p = &ps->s->p;
	struct fuzz_call *c;
	uint32_t fid;

	if (p->call_count == FUZZ_MAX_CALLS) {
		return fail(ps, "at most %d calls", FUZZ_MAX_CALLS);
	}
	if (!func_id(next_word(ps), &fid)) {
		uint64_t raw;
		const struct fuzz_abi_set *all = fuzz_abi_set("seq");

		/* A number for the IDs that have no name: the few outside FF-A's range the fuzz format has. */
		if (!number(ps->word, &raw) || raw > 0xFFFFFFFFU ||
		    fuzz_abi_index(all, (uint32_t)raw) == all->count) {
			return fail(ps, "an FF-A function by its spec name (FFA_VERSION, FFA_RXTX_MAP_64, ...), "
					"or 0x840000ff, 0x84000000 or 0xc4000100");
		}
		fid = (uint32_t)raw;
	}
	c = &p->calls[p->call_count];
	*c = (struct fuzz_call){.vm = vm, .fid = fid, .behave_sp = ps->behave_sp, .behave = ps->behave};
	while (*next_word(ps)) {
		unsigned reg;
		bool w;
		uint64_t v;
		uint8_t sel;
		int rc = reg_item(ps, 7, &reg, &w, &v, &sel);

		if (rc != 0) {
			return rc;
		}
		if (reg == 0) {
			return fail(ps, "x1..x7 (x0 is the function)");
		}
		c->present |= (uint8_t)(1U << (reg - 1));
		c->x[reg] = v;
		c->special[reg] = sel;
	}
	if (ps->tx_len != 0) {
		if (p->payload_used + ps->tx_len > sizeof(p->payload)) {
			return fail(ps, "at most %zu TX bytes in all", sizeof(p->payload));
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
		return fail(ps, "set-up lines before the first call");
	}
	if (strcmp(ps->word, "profile") == 0) {
		next_word(ps);
		for (unsigned k = 0; k < MEDIATOR_PROFILE_COUNT; k++) {
			if (strcmp(ps->word, profiles[k]) == 0) {
				p->profile = (enum mediator_profile)k;
				return 0;
			}
		}
		return fail(ps, "a profile: spec, pkvm or xen");
	}
	if (strcmp(ps->word, "vms") == 0) {
		if (!number(next_word(ps), &v) || v < 1 || v > 3) {
			return fail(ps, "a VM count, 1 to 3");
		}
		p->vm_count = (uint32_t)v;
		return 0;
	}
	if (strcmp(ps->word, "aarch32") == 0) {
		int rc = vm_index(ps, next_word(ps), &vm);

		p->aarch32_mask |= (uint8_t)(rc == 0 ? 1U << vm : 0);
		return rc;
	}
	if (strcmp(ps->word, "rxtx-max-pages") == 0) {
		if (!number(next_word(ps), &v) || (v != 1 && v != 4)) {
			return fail(ps, "1 or 4");
		}
		p->big_buffers = v == 4;
		return 0;
	}
	if (strcmp(ps->word, "spmc-fragments") == 0) {
		if (!number(next_word(ps), &v) || (v != 64 && v != 0)) {
			return fail(ps, "64 (bytes per fragment to the SPMC) or 0 (whole descriptors)");
		}
		p->small_frags = v == 64;
		return 0;
	}
	if (strcmp(ps->word, "lie") == 0) {
		next_word(ps);
		for (unsigned k = 0; k < SPMC_LIE_COUNT; k++) {
			if (strcmp(ps->word, lies[k]) == 0) {
				p->lie = (enum spmc_mem_lie)k;
				return 0;
			}
		}
		return fail(ps, "an SPMC lie (none, handle-zero, handle-reused, handle-hyp, ...)");
	}
	if (strcmp(ps->word, "manifest") == 0) {
		const char *slash = strrchr(ps->path, '/');

		if (!*next_word(ps)) {
			return fail(ps, "the SPMC manifest's path");
		}
		snprintf(ps->s->manifest, sizeof(ps->s->manifest), "%.*s%s",
			 ps->word[0] == '/' || !slash ? 0 : (int)(slash - ps->path + 1), ps->path, ps->word);
		return 0;
	}
	if (strcmp(ps->word, "behaviour") == 0) {
		int rc = partition_index(ps, &index);

		return rc != 0 ? rc : behaviour_kind(ps, &p->behaviour[index]);
	}
	return fail(ps, "a set-up line (profile, vms, aarch32, rxtx-max-pages, spmc-fragments, lie, "
			"manifest, behaviour), a call (vmN FFA_...), tx, ram, behave or expect");
}

static int parse_line(struct parser *ps)
{
	uint8_t vm;
	int rc;

	if (!*next_word(ps)) {
		return 0; /* blank or comment */
	}
	if (strncmp(ps->word, "vm", 2) == 0 && ps->word[2] >= '0' && ps->word[2] <= '9') {
		rc = vm_index(ps, ps->word, &vm);
		if (rc == 0) {
			ps->pending_call = 1;
			rc = call_line(ps, vm);
		}
	} else if (strcmp(ps->word, "tx") == 0) {
		rc = tx_line(ps);
	} else if (strcmp(ps->word, "ram") == 0) {
		rc = ram_line(ps);
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
	if (rc == 0 && *next_word(ps)) {
		rc = fail(ps, "the end of the line");
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
	    (s->ram_count != 0 && s->ram[s->ram_count - 1].call == s->p.call_count)) {
		ps.word[0] = '\0';
		ps.word_col = 1;
		return fail(&ps, "a call after the last 'tx', 'ram' or 'behave' line");
	}
	return 0;
}

/* --- The writer --- */

void scenario_write(FILE *f, const struct fuzz_program *p, const char *title)
{
	fprintf(f, "# %s\nprofile %s\nvms %u\n", title, profiles[p->profile], p->vm_count);
	for (unsigned vm = 0; vm < 3; vm++) {
		if (p->aarch32_mask >> vm & 1) {
			fprintf(f, "aarch32 vm%u\n", vm);
		}
	}
	fprintf(f, "%s%s", p->big_buffers ? "rxtx-max-pages 4\n" : "",
		p->small_frags ? "spmc-fragments 64\n" : "");
	if (p->lie != SPMC_LIE_NONE) {
		fprintf(f, "lie %s\n", lies[p->lie]);
	}
	for (unsigned i = 0; i < 4; i++) {
		fprintf(f, "behaviour sp%u %s\n", i + 1,
			spmc_behaviour_name((enum spmc_behaviour_kind)p->behaviour[i]));
	}
	for (uint32_t i = 0; i < p->call_count; i++) {
		const struct fuzz_call *c = &p->calls[i];

		for (unsigned b = 0; b < c->payload_len; b++) {
			fprintf(f, "%s%02x%s", b % 16 == 0 ? "tx " : " ", p->payload[c->payload_off + b],
				b % 16 == 15 || b + 1 == c->payload_len ? "\n" : "");
		}
		if (c->behave_sp) {
			fprintf(f, "behave sp%u %s\n", c->behave_sp,
				spmc_behaviour_name((enum spmc_behaviour_kind)c->behave));
		}
		if (ffa_func_name(c->fid) != NULL) {
			fprintf(f, "vm%u %s", c->vm, ffa_func_name(c->fid));
		} else {
			fprintf(f, "vm%u %#x", c->vm, c->fid);
		}
		for (unsigned n = 1; n <= 7; n++) {
			uint8_t sel = c->special[n];

			if (!(c->present >> (n - 1) & 1)) {
				continue;
			}
			uint64_t v;

			if (sel != 0 && fuzz_selector_static(sel, c->vm, &v)) {
				fprintf(f, " x%u=%#llx", n, (unsigned long long)v);
			} else if (sel != 0) {
				fprintf(f, " x%u=handle%s(%u)", n,
					(sel - FUZZ_SEL_HANDLE_FIRST) % 8 == FUZZ_SEL_HANDLE_HI ? "-hi" : "",
					(sel - FUZZ_SEL_HANDLE_FIRST) / 8);
			} else {
				fprintf(f, " x%u=%#llx", n, (unsigned long long)c->x[n]);
			}
		}
		fputc('\n', f);
	}
}
