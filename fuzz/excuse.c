/*
 * What excuses an oracle rule broken (fuzz/oracle.c violation(), and a
 * backend shim's findings through fuzz_backend_finding()): a deviation the
 * backend declares in its table (mediator/backend.h), or a known finding
 * being masked while fuzzing (FFA_EMU_SUPPRESS). Either is counted and
 * reported to oracle_deviation_hook, and the call goes on.
 */
#include "harness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/check.h"

void (*oracle_deviation_hook)(const struct backend_deviation *d, unsigned long count);

#define MAX_DEVIATIONS 16
#define MAX_KNOWN 64

/*
 * Known findings masked while fuzzing: FFA_EMU_SUPPRESS names files,
 * separated by ':', of lines "<rule> <text>" ('#' comments); a violation of
 * <rule> whose detail contains <text>, by a backend other than ref (ours has
 * no known findings: it gets fixed) or by Linux's driver (a client-* rule,
 * whatever backend answers it), is counted like a deviation and the call
 * goes on, so a campaign gets past a finding already triaged
 * (corpus/known/). Replaying corpus/known/ masks only the other findings:
 * there each must still reproduce.
 */
static struct backend_deviation known[MAX_KNOWN];
static char known_text[MAX_KNOWN][2][160];
static unsigned known_count;
static unsigned known_generation = 1; /* bumped when the file is read again */

void oracle_known_reload(void)
{
	static char loaded[512];
	static const char *seen; /* getenv()'s answer last time: the environment is rarely changed */
	const char *path = getenv("FFA_EMU_SUPPRESS");
	char line[400];
	FILE *f;

	if (path == NULL || *path == '\0') {
		if (loaded[0] != '\0') { /* unset since: nothing is masked any more */
			loaded[0] = '\0';
			seen = NULL;
			known_count = 0;
			known_generation++;
		}
		return;
	}
	if (path == seen || strcmp(path, loaded) == 0) {
		return;
	}
	seen = path;
	known_generation++;
	snprintf(loaded, sizeof(loaded), "%s", path);
	known_count = 0;
	for (const char *p = path; *p != '\0'; p += *p == ':') {
		size_t n = strcspn(p, ":");
		char file[512];

		snprintf(file, sizeof(file), "%.*s", (int)n, p);
		p += n;
		f = fopen(file, "r");
		if (f == NULL) {
			fprintf(stderr, "ffa-emu: FFA_EMU_SUPPRESS: %s: cannot read\n", file);
			exit(2);
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			char *rule = strtok(line, " \t\n"), *text = strtok(NULL, "\n");

			if (rule == NULL || rule[0] == '#' || text == NULL) {
				continue;
			}
			if (known_count == MAX_KNOWN) {
				fprintf(stderr, "ffa-emu: FFA_EMU_SUPPRESS: %s: more than %d lines\n", file,
					MAX_KNOWN);
				exit(2);
			}
			snprintf(known_text[known_count][0], sizeof(known_text[0][0]), "%s", rule);
			snprintf(known_text[known_count][1], sizeof(known_text[0][1]), "%s", text);
			known[known_count] = (struct backend_deviation){
				.rule = known_text[known_count][0], .reason = known_text[known_count][1],
				.known_finding = true};
			known_count++;
		}
		fclose(f);
	}
}

/*
 * Which entries name a rule, resolved once per rule name: a violation is
 * checked after every call, often several per call (an SMC32 answer's
 * upper words, one per register), and comparing its name against every
 * table entry each time cost libFuzzer over half its executions (each
 * strcmp() is also a comparison its hooks record). Rule names are string
 * literals (harness.h), so the pointer names the rule.
 */
struct candidates {
	const char *rule;
	const struct backend_ops *be;
	unsigned known_generation;
	uint32_t deviations; /* bit i: deviations[i] names the rule */
	uint64_t known;      /* bit i: known[i] names the rule */
};

static const struct candidates *candidates(const struct fuzz_machine *fm, const char *rule)
{
	static struct candidates cache[32];
	static unsigned next;
	struct candidates *c;

	for (c = cache; c < cache + 32; c++) {
		if (c->rule == rule && c->be == fm->be && c->known_generation == known_generation) {
			return c;
		}
	}
	c = &cache[next++ % 32];
	*c = (struct candidates){.rule = rule, .be = fm->be, .known_generation = known_generation};
	for (unsigned i = 0; fm->be != NULL && fm->be->deviations[i].rule != NULL; i++) {
		CHECK(i < MAX_DEVIATIONS);
		if (strcmp(fm->be->deviations[i].rule, rule) == 0) {
			c->deviations |= 1u << i;
		}
	}
	/* Known findings mask a backend other than ref (ours gets fixed), and Linux's
	 * driver's (client-*) whatever backend answers it. */
	bool maskable = !fuzz_is_ref(fm) || strncmp(rule, "client-", 7) == 0;

	for (unsigned i = 0; maskable && i < known_count; i++) {
		if (strcmp(known[i].rule, rule) == 0) {
			c->known |= 1ull << i;
		}
	}
	return c;
}

/* What excused a violation: deviations[i] for i < MAX_DEVIATIONS, else known[i - MAX_DEVIATIONS]. */
static unsigned long counts[MAX_DEVIATIONS + MAX_KNOWN];

static const struct backend_deviation *entry(const struct fuzz_machine *fm, unsigned i)
{
	return i < MAX_DEVIATIONS ? &fm->be->deviations[i] : &known[i - MAX_DEVIATIONS];
}

/* Count the excuse entry(@fm, @i) and tell oracle_deviation_hook. */
static void count(const struct fuzz_machine *fm, unsigned i)
{
	++counts[i];
	if (oracle_deviation_hook != NULL) {
		oracle_deviation_hook(entry(fm, i), counts[i]);
	}
}

/* The index of what excuses @rule broken as @detail in @fm's call, or -1. */
static int excuse(const struct fuzz_machine *fm, const char *rule, const char *detail)
{
	const struct candidates *c;

	oracle_known_reload();
	c = candidates(fm, rule);
	for (unsigned i = 0; i < MAX_DEVIATIONS; i++) {
		if ((c->deviations >> i & 1) &&
		    backend_deviation_applies(&fm->be->deviations[i], detail, fm->passthrough)) {
			return (int)i;
		}
	}
	/* The known findings candidates() found to apply to this backend. */
	for (unsigned i = 0; i < known_count; i++) {
		if ((c->known >> i & 1) && strstr(detail, known[i].reason) != NULL) {
			return (int)(MAX_DEVIATIONS + i);
		}
	}
	return -1;
}

bool oracle_excused(const struct fuzz_machine *fm, const char *rule, const char *detail)
{
	int i = excuse(fm, rule, detail);

	if (i >= 0) {
		count(fm, (unsigned)i);
	}
	return i >= 0;
}

/*
 * Excuses remembered by key: a rule about one register's value is broken
 * the same way in almost every input on a backend with a known finding in
 * its answers (pKVM's K1 leaves x4-x7 of most answers uninitialised), and
 * formatting and matching that detail each time cost libFuzzer a third of
 * its rate. The same key gives the same detail (oracle_key), so its excuse
 * is kept, for the backend, its passthrough state and the suppressions it
 * was matched under. A direct-mapped table: a collision only costs a match.
 */
struct memo {
	struct oracle_key key;
	const struct backend_ops *be;
	bool passthrough;
	unsigned known_generation;
	int index; /* excuse()'s answer; 0 with be NULL: an empty slot */
};

#define MEMO_SLOTS 1024
static struct memo memo[MEMO_SLOTS];

/* SplitMix64's finaliser: every bit of @x reaches the slot's index. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ x >> 30) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ x >> 27) * 0x94D049BB133111EBull;
	return x ^ x >> 31;
}

static struct memo *memo_slot(const struct oracle_key *k)
{
	uint64_t h = mix((uintptr_t)k->rule ^ (uint64_t)k->fid << 8 ^ (uint64_t)k->reg << 40 ^
			 (uint64_t)k->error << 47 ^ (uint64_t)(uint32_t)k->code << 48);

	return &memo[mix(h ^ k->value) % MEMO_SLOTS];
}

static bool memo_hit(const struct memo *m, const struct fuzz_machine *fm, const struct oracle_key *k)
{
	return m->be == fm->be && m->be != NULL && m->passthrough == fm->passthrough &&
	       m->known_generation == known_generation && m->key.rule == k->rule &&
	       m->key.fid == k->fid && m->key.error == k->error && m->key.code == k->code &&
	       m->key.reg == k->reg && m->key.value == k->value;
}

bool oracle_excused_before(const struct fuzz_machine *fm, const struct oracle_key *k)
{
	const struct memo *m = memo_slot(k);

	/* A new FFA_EMU_SUPPRESS makes every slot stale: oracle_known_reload(). */
	if (!memo_hit(m, fm, k)) {
		return false;
	}
	count(fm, (unsigned)m->index);
	return true;
}

bool oracle_excused_keyed(const struct fuzz_machine *fm, const struct oracle_key *k,
			  const char *detail)
{
	int i = excuse(fm, k->rule, detail);

	if (i < 0) {
		return false;
	}
	*memo_slot(k) = (struct memo){.key = *k, .be = fm->be, .passthrough = fm->passthrough,
				      .known_generation = known_generation, .index = i};
	count(fm, (unsigned)i);
	return true;
}
