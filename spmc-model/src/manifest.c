/*
 * The SPMC model's manifest: a small line-based text format describing the
 * SPMC and its secure partitions (the format is documented at
 * spmc_manifest_parse() in spmc/spmc.h). Every error names the file, the
 * line and what was expected.
 *
 * Partition rules enforced here (DEN0077A v1.2 partition identification and
 * the "Partition properties" table; ffa-facts.md §2, §3.1): IDs are secure (bit 15 set), unique and not the SPMC's; every
 * partition has at least one non-Nil UUID; the REQ2 property bits need a
 * v1.2 partition.
 */
#include "spmc/spmc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINE 512
#define MAX_TOKENS 16

struct parser {
	const char *name;
	unsigned line;
	char *err;
	size_t err_len;
	struct spmc_manifest *mf;
	struct spmc_partition *cur; /* the partition being described, or NULL */
	unsigned cur_line;          /* the line of its 'partition' statement */
	unsigned rxtx_line;         /* the line of the last rxtx-*-pages statement */
};

__attribute__((format(printf, 3, 0))) static bool vfail(struct parser *p, unsigned line,
							  const char *fmt, va_list ap)
{
	int n = snprintf(p->err, p->err_len, "%s:%u: ", p->name, line);

	if (n >= 0 && (size_t)n < p->err_len) {
		vsnprintf(p->err + n, p->err_len - (size_t)n, fmt, ap);
	}
	return false;
}

/* An error on the line being parsed. Returns false. */
__attribute__((format(printf, 2, 3))) static bool fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, p->line, fmt, ap);
	va_end(ap);
	return false;
}

/* An error found later but caused on @line (a partition's first line). */
__attribute__((format(printf, 3, 4))) static bool fail_at(struct parser *p, unsigned line,
							  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(p, line, fmt, ap);
	va_end(ap);
	return false;
}

static bool parse_u32(const char *tok, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(tok, &end, 0);
	if (errno != 0 || *end != '\0' || tok[0] == '-' || v > UINT32_MAX) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* "1.N" with N <= @max_minor. */
static bool parse_version(const char *tok, uint32_t max_minor, uint32_t *out)
{
	if (tok[0] != '1' || tok[1] != '.' || tok[2] < '0' || tok[2] > (char)('0' + max_minor) ||
	    tok[3] != '\0') {
		return false;
	}
	*out = FFA_VERSION(1, (uint32_t)(tok[2] - '0'));
	return true;
}

static const struct {
	const char *name;
	uint32_t bit;
} property_names[] = {
	{"direct-req-recv", FFA_PARTITION_DIRECT_REQ_RECV},
	{"direct-req-send", FFA_PARTITION_DIRECT_REQ_SEND},
	{"indirect-msg", FFA_PARTITION_INDIRECT_MSG},
	{"notification", FFA_PARTITION_NOTIFICATION},
	{"vm-created", FFA_PARTITION_VM_CREATED},
	{"vm-destroyed", FFA_PARTITION_VM_DESTROYED},
	{"aarch64", FFA_PARTITION_AARCH64},
	{"direct-req2-recv", FFA_PARTITION_DIRECT_REQ2_RECV},
	{"direct-req2-send", FFA_PARTITION_DIRECT_REQ2_SEND},
};

static const char *const behaviour_names[SPMC_BEHAVE_COUNT] = {
	[SPMC_BEHAVE_ECHO] = "echo",
	[SPMC_BEHAVE_ERROR] = "error",
	[SPMC_BEHAVE_YIELD] = "yield",
	[SPMC_BEHAVE_INTERRUPT] = "interrupt",
	[SPMC_BEHAVE_BUSY] = "busy",
	[SPMC_BEHAVE_SEND_BACK] = "send-back",
	[SPMC_BEHAVE_NOTIFY] = "notify",
	[SPMC_BEHAVE_RETRIEVE] = "retrieve",
	[SPMC_BEHAVE_RELINQUISH] = "relinquish",
	[SPMC_BEHAVE_WRONG_RESPONSE_ID] = "wrong-response-id",
	[SPMC_BEHAVE_WRONG_RESPONDER] = "wrong-responder",
	[SPMC_BEHAVE_GARBAGE_UPPER] = "garbage-upper",
	[SPMC_BEHAVE_RESP_TO_REQ2] = "resp-to-req2",
	[SPMC_BEHAVE_ACCESS] = "access",
};

const char *spmc_behaviour_name(enum spmc_behaviour_kind kind)
{
	return kind < SPMC_BEHAVE_COUNT ? behaviour_names[kind] : "unknown";
}

/* "behaviour <name> [arg] [arg2]": which arguments each behaviour takes. */
static bool parse_behaviour(struct parser *p, char **tok, unsigned n)
{
	struct spmc_behaviour b = {.kind = SPMC_BEHAVE_COUNT};
	uint32_t v;

	for (unsigned k = 0; k < SPMC_BEHAVE_COUNT; k++) {
		if (n >= 2 && strcmp(tok[1], behaviour_names[k]) == 0) {
			b.kind = (enum spmc_behaviour_kind)k;
		}
	}
	if (b.kind == SPMC_BEHAVE_ERROR) {
		char *end = NULL;
		long e = n == 3 ? strtol(tok[2], &end, 0) : 0;

		if (n != 3 || *end != '\0' || e > -1 || e < FFA_NOT_READY) {
			return fail(p, "expected 'behaviour error <status -1..-10>'");
		}
		b.arg = (uint64_t)(uint32_t)(int32_t)e;
	} else if (b.kind == SPMC_BEHAVE_INTERRUPT) {
		if (n != 3 || !parse_u32(tok[2], &v)) {
			return fail(p, "expected 'behaviour interrupt <interrupt ID>'");
		}
		b.arg = v;
	} else if (b.kind == SPMC_BEHAVE_NOTIFY) {
		char *end;

		errno = 0;
		b.arg = n >= 3 ? strtoull(tok[2], &end, 0) : 0;
		if (n < 3 || n > 4 || errno != 0 || *end != '\0' || b.arg == 0 ||
		    (n == 4 && (!parse_u32(tok[3], &v) || v >= SPMC_MAX_NS_VCPUS))) {
			return fail(p, "expected 'behaviour notify <non-zero 64-bit bitmap> [vcpu]'");
		}
		b.arg2 = n == 4 ? (uint16_t)v : 0;
	} else if (b.kind == SPMC_BEHAVE_COUNT || n != 2) {
		return fail(p, "expected 'behaviour' and one of echo, error <status>, yield, "
			       "interrupt <id>, busy, send-back, notify <bitmap> [vcpu], "
			       "retrieve, relinquish, wrong-response-id, wrong-responder, garbage-upper, resp-to-req2");
	}
	p->cur->behaviour = b;
	return true;
}

static bool parse_property(struct parser *p, const char *tok)
{
	for (size_t i = 0; i < sizeof(property_names) / sizeof(property_names[0]); i++) {
		if (strcmp(tok, property_names[i].name) == 0) {
			p->cur->properties |= property_names[i].bit;
			return true;
		}
	}
	return fail(p, "unknown property '%s' (expected one of direct-req-recv, "
		       "direct-req-send, indirect-msg, notification, vm-created, "
		       "vm-destroyed, aarch64, direct-req2-recv, direct-req2-send)",
		    tok);
}

/* The checks that need a whole partition, run when the next one starts or at EOF. */
static bool partition_finish(struct parser *p)
{
	const struct spmc_partition *sp = p->cur;

	if (sp == NULL) {
		return true;
	}
	if (sp->uuid_count == 0) {
		return fail_at(p, p->cur_line,
			       "partition 0x%04x has no 'uuid' line (expected at least one)", sp->id);
	}
	if (sp->version < FFA_VERSION_1_2 &&
	    (sp->properties & (FFA_PARTITION_DIRECT_REQ2_RECV | FFA_PARTITION_DIRECT_REQ2_SEND))) {
		return fail_at(p, p->cur_line,
			       "partition 0x%04x: direct-req2-* properties need 'version 1.2'", sp->id);
	}
	return true;
}

static bool start_partition(struct parser *p, char **tok, unsigned n)
{
	struct spmc_manifest *mf = p->mf;
	uint32_t id;

	if (!partition_finish(p)) {
		return false;
	}
	if (n != 3) {
		return fail(p, "expected 'partition <id> <name>'");
	}
	if (!parse_u32(tok[1], &id) || id > 0xFFFF || !ffa_id_is_secure((ffa_id_t)id)) {
		return fail(p, "partition ID '%s': expected a secure ID 0x8000..0xffff", tok[1]);
	}
	if (id == mf->spmc_id) {
		return fail(p, "partition ID 0x%04x is the SPMC's own ID", id);
	}
	for (uint32_t i = 0; i < mf->partition_count; i++) {
		if (mf->partitions[i].id == id) {
			return fail(p, "partition ID 0x%04x is already used", id);
		}
	}
	if (mf->partition_count == SPMC_MAX_PARTITIONS) {
		return fail(p, "more than %d partitions", SPMC_MAX_PARTITIONS);
	}
	if (strlen(tok[2]) >= SPMC_NAME_LEN) {
		return fail(p, "partition name longer than %d characters", SPMC_NAME_LEN - 1);
	}
	p->cur = &mf->partitions[mf->partition_count++];
	p->cur_line = p->line;
	*p->cur = (struct spmc_partition){
		.id = (ffa_id_t)id,
		.version = FFA_VERSION_1_2,
		.exec_ctx_count = 1,
	};
	strcpy(p->cur->name, tok[2]);
	return true;
}

static bool partition_key(struct parser *p, char **tok, unsigned n)
{
	struct spmc_partition *sp = p->cur;
	uint32_t v;

	if (sp == NULL) {
		return fail(p, "'%s' outside a partition (expected 'partition <id> <name>' first)",
			    tok[0]);
	}
	if (strcmp(tok[0], "behaviour") == 0) {
		return parse_behaviour(p, tok, n);
	}
	if (strcmp(tok[0], "properties") == 0) {
		for (unsigned i = 1; i < n; i++) {
			if (!parse_property(p, tok[i])) {
				return false;
			}
		}
		return true;
	}
	if (n != 2) {
		return fail(p, "expected '%s <value>'", tok[0]);
	}
	if (strcmp(tok[0], "version") == 0) {
		if (!parse_version(tok[1], 2, &sp->version)) {
			return fail(p, "version '%s': expected 1.0, 1.1 or 1.2", tok[1]);
		}
	} else if (strcmp(tok[0], "uuid") == 0) {
		struct ffa_uuid u;

		if (!ffa_uuid_parse(tok[1], &u) || ffa_uuid_is_nil(&u)) {
			return fail(p, "uuid '%s': expected a non-Nil "
				       "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
				    tok[1]);
		}
		if (sp->uuid_count == SPMC_MAX_UUIDS) {
			return fail(p, "more than %d UUIDs in one partition", SPMC_MAX_UUIDS);
		}
		sp->uuids[sp->uuid_count++] = u;
	} else if (strcmp(tok[0], "execution-contexts") == 0) {
		if (!parse_u32(tok[1], &v) || v == 0 || v > SPMC_MAX_VCPUS) {
			return fail(p, "execution-contexts '%s': expected 1..%d", tok[1],
				    SPMC_MAX_VCPUS);
		}
		sp->exec_ctx_count = (uint16_t)v;
	} else {
		return fail(p, "unknown key '%s' (expected version, uuid, execution-contexts, "
			       "behaviour, properties or partition)",
			    tok[0]);
	}
	return true;
}

static bool global_key(struct parser *p, char **tok, unsigned n, bool *handled)
{
	struct spmc_manifest *mf = p->mf;
	uint32_t v;

	*handled = true;
	if (strcmp(tok[0], "spmc-version") == 0) {
		if (n != 2 || !parse_version(tok[1], 3, &mf->version)) {
			return fail(p, "expected 'spmc-version 1.0' .. 'spmc-version 1.3'");
		}
	} else if (strcmp(tok[0], "spmc-id") == 0) {
		if (n != 2 || !parse_u32(tok[1], &v) || v > 0xFFFF || !ffa_id_is_secure((ffa_id_t)v)) {
			return fail(p, "expected 'spmc-id <secure ID 0x8000..0xffff>'");
		}
		mf->spmc_id = (ffa_id_t)v;
	} else if (strcmp(tok[0], "rxtx-min-pages") == 0) {
		if (n != 2 || !parse_u32(tok[1], &v) || (v != 1 && v != 4 && v != 16)) {
			return fail(p, "expected 'rxtx-min-pages 1', '4' or '16'");
		}
		mf->rxtx_min_pages = v;
		p->rxtx_line = p->line;
	} else if (strcmp(tok[0], "rxtx-max-pages") == 0) {
		if (n != 2 || !parse_u32(tok[1], &v) || v == 0 || v > FFA_RXTX_PAGE_COUNT_MASK) {
			return fail(p, "expected 'rxtx-max-pages 1..63'");
		}
		mf->rxtx_max_pages = v;
		p->rxtx_line = p->line;
	} else {
		*handled = false;
	}
	return true;
}

/* Split @line at blanks, dropping a '#' comment. Returns the token count, or -1. */
static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *save = NULL;
	char *hash = strchr(line, '#');

	if (hash != NULL) {
		*hash = '\0';
	}
	for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_TOKENS) {
			return -1;
		}
		tok[n++] = t;
	}
	return n;
}

static bool parse_line(struct parser *p, char *line)
{
	char *tok[MAX_TOKENS];
	int n = tokenize(line, tok);
	bool handled;

	if (n < 0) {
		return fail(p, "more than %d words on one line", MAX_TOKENS);
	}
	if (n == 0) {
		return true;
	}
	if (strcmp(tok[0], "partition") == 0) {
		return start_partition(p, tok, (unsigned)n);
	}
	if (!global_key(p, tok, (unsigned)n, &handled)) {
		return false;
	}
	return handled || partition_key(p, tok, (unsigned)n);
}

bool spmc_manifest_parse(const char *text, size_t len, const char *name,
			 struct spmc_manifest *out, char *err, size_t err_len)
{
	struct parser p = {.name = name, .err = err, .err_len = err_len, .mf = out};
	size_t pos = 0;

	*out = (struct spmc_manifest){
		.version = FFA_VERSION_1_2,
		.spmc_id = 0x8000,
		.rxtx_min_pages = 1,
		.rxtx_max_pages = 1,
	};
	while (pos < len) {
		char line[MAX_LINE];
		size_t end = pos;

		p.line++;
		while (end < len && text[end] != '\n') {
			end++;
		}
		if (end - pos >= MAX_LINE) {
			return fail(&p, "line longer than %d characters", MAX_LINE - 1);
		}
		if (memchr(text + pos, '\0', end - pos) != NULL) {
			return fail(&p, "NUL byte (expected text)");
		}
		memcpy(line, text + pos, end - pos);
		line[end - pos] = '\0';
		if (!parse_line(&p, line)) {
			return false;
		}
		pos = end + 1;
	}
	if (!partition_finish(&p)) {
		return false;
	}
	if (out->partition_count == 0) {
		return fail(&p, "no partitions (expected at least one 'partition' line)");
	}
	if (out->rxtx_max_pages < out->rxtx_min_pages ||
	    out->rxtx_max_pages % out->rxtx_min_pages != 0) {
		return fail_at(&p, p.rxtx_line,
			       "rxtx-max-pages %u is not a multiple of rxtx-min-pages %u",
			       out->rxtx_max_pages, out->rxtx_min_pages);
	}
	return true;
}

/* Returns: what a file of @mode that is not a regular file is, for an error message. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode)) {
		return "a directory";
	}
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		return "a device";
	}
	return S_ISFIFO(mode) ? "a FIFO" : S_ISSOCK(mode) ? "a socket" : "a special file";
}

char *spmc_read_text(const char *path, const char *what, size_t *len, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	char *text = NULL, *grown;
	size_t n = 0, cap;
	ssize_t got;

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "%s: cannot read: expected %s, found %s", path, what,
			 file_kind(st.st_mode));
		goto fail;
	}
	/* fstat()'s size, and a byte to see the end in: the file may change while it is read. */
	cap = (size_t)st.st_size + 2;
	if ((text = malloc(cap)) == NULL) {
		snprintf(err, err_len, "%s: cannot read: out of memory", path);
		goto fail;
	}
	while ((got = read(fd, text + n, cap - 1 - n)) != 0) {
		if (got < 0 && errno == EINTR) {
			continue;
		}
		if (got < 0) {
			snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
			goto fail;
		}
		n += (size_t)got;
		if (n == cap - 1) {
			if (cap > SIZE_MAX / 2 || (grown = realloc(text, cap * 2)) == NULL) {
				snprintf(err, err_len, "%s: cannot read: out of memory", path);
				goto fail;
			}
			text = grown;
			cap *= 2;
		}
	}
	close(fd);
	text[n] = '\0';
	*len = n;
	return text;

fail:
	free(text);
	if (fd >= 0) {
		close(fd);
	}
	return NULL;
}

bool spmc_manifest_load(const char *path, struct spmc_manifest *out, char *err, size_t err_len)
{
	size_t len;
	char *text = spmc_read_text(path, "a manifest file", &len, err, err_len);
	bool ok;

	if (text == NULL) {
		return false;
	}
	ok = spmc_manifest_parse(text, len, path, out, err, err_len);
	free(text);
	return ok;
}

/* spmc-model/manifests/default.manifest as a C string, generated by the Makefile. */
static const char default_manifest_text[] =
#include "default_manifest.inc"
	;

const struct spmc_manifest *spmc_manifest_default(void)
{
	static struct spmc_manifest mf;
	static bool parsed;
	char err[256];

	if (!parsed) {
		/* Our own shipped file: failing to parse it is our bug. */
		if (!spmc_manifest_parse(default_manifest_text, sizeof(default_manifest_text) - 1,
					 "default.manifest", &mf, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		parsed = true;
	}
	return &mf;
}
