/*
 * What excuses an oracle rule broken (fuzz/oracle.c violation(), and a
 * backend shim's findings through fuzz_backend_finding()): a deviation the
 * backend declares in its table (mediator/backend.h), or a known finding
 * being masked while fuzzing (FFA_EMU_SUPPRESS). Either is counted and
 * reported to oracle_deviation_hook, and the call goes on.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mediator/check.h"

void (*oracle_deviation_hook)(const struct backend_deviation *d, unsigned long count);

#define MAX_DEVIATIONS 16
#define MAX_KNOWN 32

/*
 * Known findings masked while fuzzing: FFA_EMU_SUPPRESS names a file of
 * lines "<rule> <text>" ('#' comments); a violation of <rule> whose detail
 * contains <text>, by a backend other than ref (ours has no known findings:
 * it gets fixed), is counted like a deviation and the call goes on, so a
 * campaign gets past a finding already triaged (corpus/known/). Replaying
 * corpus/known/ never sets it: there the known findings must still reproduce.
 */
static struct backend_deviation known[MAX_KNOWN];
static char known_text[MAX_KNOWN][2][160];
static unsigned known_count;

static void load_known(void)
{
	static char loaded[512];
	static const char *seen; /* getenv()'s answer last time: the environment is rarely changed */
	const char *path = getenv("FFA_EMU_SUPPRESS");
	char line[400];
	FILE *f;

	if (path == NULL || *path == '\0' || path == seen || strcmp(path, loaded) == 0) {
		return;
	}
	seen = path;
	snprintf(loaded, sizeof(loaded), "%s", path);
	known_count = 0;
	f = fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "ffa-emu: FFA_EMU_SUPPRESS=%s: cannot read\n", path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL && known_count < MAX_KNOWN) {
		char *rule = strtok(line, " \t\n"), *text = strtok(NULL, "\n");

		if (rule == NULL || rule[0] == '#' || text == NULL) {
			continue;
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

/* The known finding masking @rule with @detail, or NULL. */
static const struct backend_deviation *known_finding(const char *rule, const char *detail)
{
	load_known();
	for (unsigned i = 0; i < known_count; i++) {
		if (strcmp(known[i].rule, rule) == 0 && strstr(detail, known[i].reason) != NULL) {
			return &known[i];
		}
	}
	return NULL;
}

bool oracle_excused(const struct fuzz_machine *fm, const char *rule, const char *detail)
{
	static unsigned long counts[MAX_DEVIATIONS], known_counts[MAX_KNOWN];
	const struct backend_deviation *d;
	unsigned long *count = NULL;

	d = fm->be != NULL ? backend_deviation_find(fm->be, rule, detail, fm->passthrough) : NULL;
	if (d != NULL) {
		CHECK(d - fm->be->deviations < MAX_DEVIATIONS);
		count = &counts[d - fm->be->deviations];
	}
	if (d == NULL && !fuzz_is_ref(fm) && (d = known_finding(rule, detail)) != NULL) {
		count = &known_counts[d - known];
	}
	if (d == NULL) {
		return false;
	}
	++*count;
	if (oracle_deviation_hook != NULL) {
		oracle_deviation_hook(d, *count);
	}
	return true;
}

