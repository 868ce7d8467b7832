/*
 * The scenario round trip (tools/scenario*.c, tools/SCENARIOS.md): any fuzz
 * input written as a scenario (ffa-run --from-input, scenario_write())
 * (a) parses (scenario_parse()) to the same call records, a value a
 * selector stands for written as the caller makes it; (b) runs, as ffa-run
 * runs a scenario, with the same set-up, the same calls (x0-x17, TX bytes,
 * behaviour changes) and the same replies as the input replayed through the
 * fuzz harness (fuzz_run(), backend ref), an oracle rule breaking at the
 * same call or at none; and (c) compiled back to an input (ffa-run
 * --to-input, fuzz_encode()) behaves the same again and writes the same
 * scenario. The "mediator pkvm" form, whose calls are all the host's, is
 * checked record by record. Inputs: pseudo-random byte strings from a fixed
 * seed for every fuzz target's ABI set, a third of them raw, a third shaped
 * like call records, a third the target's seeds (corpus/<target>/, run from
 * the repository's root) changed by the structure-aware mutator; and every
 * seed and regression input as it is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "harness.h"
#include "mediator/check.h"
#include "mutate.h"
#include "scenario.h"

#define INPUTS_PER_SET 500
#define MAX_INPUT 8192
#define SHOWN 4 /* failures described in full, per target */
#define MAX_SEEDS 64

/* What a program did when run: its calls and replies up to where it stopped. */
struct outcome {
	unsigned done;             /* calls made and checked */
	char rule[48];             /* the oracle rule that broke at call @done, or "" */
	struct smccc_regs calls[FUZZ_MAX_CALLS], replies[FUZZ_MAX_CALLS];
};

static struct fuzz_machine fm;
static jmp_buf caught;
static struct outcome *running; /* the outcome an oracle failure is recorded in */
static uint64_t rng;

static void catch_rule(const char *rule, const char *detail)
{
	(void)detail;
	snprintf(running->rule, sizeof(running->rule), "%s", rule);
	longjmp(caught, 1);
}

/* xorshift64*: the same inputs on every run. */
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() >> 33) % n;
}

/* The inputs of target @target kept in the corpus: its seeds and its regressions. */
static struct {
	uint8_t bytes[MAX_INPUT];
	size_t len;
} seeds[MAX_SEEDS];
static unsigned seed_count;

/* Read every input of directory @dir (not the .md notes and .ffa scenarios beside them). */
static void load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL && seed_count < MAX_SEEDS) {
		size_t len = strlen(e->d_name);
		char path[512];
		FILE *f;

		if (e->d_name[0] == '.' || (len > 3 && strcmp(e->d_name + len - 3, ".md") == 0) ||
		    (len > 4 && strcmp(e->d_name + len - 4, ".ffa") == 0)) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		seeds[seed_count].len = fread(seeds[seed_count].bytes, 1, MAX_INPUT, f);
		fclose(f);
		seed_count++;
	}
	if (d != NULL) {
		closedir(d);
	}
}

static void load_seeds(const char *target)
{
	char dir[128];

	seed_count = 0;
	snprintf(dir, sizeof(dir), "corpus/%s", target);
	load_dir(dir);
	assert_true(seed_count >= 4); /* run from the repository's root */
	snprintf(dir, sizeof(dir), "corpus/regressions/%s", target);
	load_dir(dir);
}

/* Bytes shaped like a header and call records (input.h), into @in (@cap bytes). Returns: their length. */
static size_t shaped_input(uint8_t *in, size_t cap)
{
	size_t n = 0;
	unsigned calls = 1 + below(FUZZ_MAX_CALLS + 4);

	for (; n < FUZZ_HEADER_SIZE; n++) {
		in[n] = (uint8_t)next();
	}
	for (unsigned c = 0; c < calls && n + 200 < cap; c++) {
		uint8_t present = (uint8_t)next();

		in[n++] = (uint8_t)next();
		in[n++] = (uint8_t)next();
		present = below(4) == 0 ? present | 0x80 : present & 0x7F;
		in[n++] = present;
		for (unsigned r = 0; r < 7; r++) {
			if (!(present >> r & 1)) {
				continue;
			}
			if (below(2) == 0) {
				in[n++] = (uint8_t)(0xC0 + below(64)); /* a selector */
				continue;
			}
			in[n++] = (uint8_t)below(0xC0);
			for (unsigned b = 0, len = 1 + below(8); b < 8; b++) {
				in[n++] = b < len ? (uint8_t)next() : 0;
			}
		}
		if (present & 0x80) {
			unsigned len = below(8) == 0 ? below(5000) : below(96); /* some run past the end */

			in[n++] = (uint8_t)len;
			in[n++] = (uint8_t)(len >> 8);
			for (unsigned b = 0; b < len && n + 8 < cap; b++) {
				in[n++] = (uint8_t)next();
			}
		}
		in[n++] = below(2) == 0 ? 0 : (uint8_t)next();
	}
	return n;
}

/*
 * The next input of target @set into @in (@cap bytes): raw bytes, bytes
 * shaped like call records, or a seed changed by the mutator.
 * Returns: its length.
 */
static size_t random_input(const struct fuzz_abi_set *set, uint8_t *in, size_t cap)
{
	size_t n = 0;

	switch (below(3)) {
	case 0:
		n = below(600);
		for (size_t i = 0; i < n; i++) {
			in[i] = (uint8_t)next();
		}
		return n;
	case 1:
		return shaped_input(in, cap);
	default: {
		unsigned k = below(seed_count), moves = 1 + below(2);

		n = seeds[k].len;
		memcpy(in, seeds[k].bytes, n);
		for (unsigned m = 0; m < moves; m++) {
			n = fuzz_mutate(set, in, n, cap, (unsigned)next());
		}
		return n;
	}
	}
}

/* Program @p as a scenario on backend @mediator (NULL: ref), NUL-terminated, into @text. */
static void write_text(const struct fuzz_program *p, const char *mediator, char **text)
{
	size_t size;
	FILE *f = open_memstream(text, &size);

	assert_non_null(f);
	scenario_write(f, p, "round trip", mediator);
	assert_int_equal(fclose(f), 0);
}

/* The input replayed through the fuzz harness, as the targets replay it (fuzz_run()). */
static void replay(const struct fuzz_program *p, struct outcome *o)
{
	o->done = 0;
	o->rule[0] = '\0';
	memset(o->replies, 0xEE, sizeof(o->replies)); /* unwritten: the call did not complete */
	running = o;
	if (setjmp(caught) == 0) {
		fuzz_run(&fm, p, o->replies);
	}
	fuzz_abandon_machine = NULL;
	while (o->done < p->call_count && o->replies[o->done].x[0] != 0xEEEEEEEEEEEEEEEEULL) {
		o->done++;
	}
}

/*
 * Program @p run as ffa-run runs a scenario (behave, frame, oracle, call,
 * note), each call's frame set beside the one @ref's call makes on the same
 * machine. Returns: the index of the first call whose registers, TX bytes or
 * behaviour change differ from @ref's, or p->call_count.
 */
static unsigned play(const struct fuzz_program *p, const struct fuzz_program *ref, struct outcome *o)
{
	static unsigned differs;

	o->done = 0;
	o->rule[0] = '\0';
	differs = p->call_count != ref->call_count ? 0 : p->call_count;
	running = o;
	if (setjmp(caught) != 0) {
		return differs;
	}
	if (!fuzz_machine_init(&fm, p)) {
		snprintf(o->rule, sizeof(o->rule), "startup");
		return differs;
	}
	for (; o->done < p->call_count; o->done++) {
		const struct fuzz_call *c = &p->calls[o->done];
		ffa_id_t vm = fuzz_vm_id(&fm, c->vm);
		struct oracle_before before;
		struct smccc_regs theirs = {0};

		if (o->done < ref->call_count && differs == p->call_count) {
			const struct fuzz_call *r = &ref->calls[o->done];

			theirs = fuzz_frame(&fm, ref, r); /* first: the TX holds ours for the call */
			if (fuzz_vm_id(&fm, r->vm) != vm || r->behave_sp != c->behave_sp ||
			    (c->behave_sp && r->behave != c->behave) || r->payload_len != c->payload_len ||
			    memcmp(ref->payload + r->payload_off, p->payload + c->payload_off,
				   c->payload_len) != 0) {
				differs = o->done;
			}
		}
		fuzz_behave(&fm, c);
		o->calls[o->done] = fuzz_frame(&fm, p, c);
		if (o->done < ref->call_count && differs == p->call_count &&
		    memcmp(&theirs, &o->calls[o->done], sizeof(theirs)) != 0) {
			differs = o->done;
		}
		oracle_before(&fm, vm, &o->calls[o->done], &before);
		o->replies[o->done] = fuzz_call(&fm, vm, &o->calls[o->done]);
		oracle_check(&fm, vm, &before, &o->calls[o->done], &o->replies[o->done]);
		fuzz_note_reply(&fm, &o->calls[o->done], &o->replies[o->done]);
	}
	return differs;
}

/* Whether @a and @b start the same machine: what fuzz_machine_init() reads of a header. */
static bool same_setup(const struct fuzz_program *a, const struct fuzz_program *b)
{
	uint8_t vms = (uint8_t)((1U << a->vm_count) - 1);

	return a->profile == b->profile && a->vm_count == b->vm_count &&
	       (a->aarch32_mask & vms) == (b->aarch32_mask & vms) && a->big_buffers == b->big_buffers &&
	       a->small_frags == b->small_frags && a->lie == b->lie &&
	       memcmp(a->behaviour, b->behaviour, sizeof(a->behaviour)) == 0;
}

/* Whether @o ran as @want did: as far, the same rule, the same replies. */
static bool same_outcome(const struct outcome *o, const struct outcome *want)
{
	return o->done == want->done && strcmp(o->rule, want->rule) == 0 &&
	       memcmp(o->replies, want->replies, o->done * sizeof(o->replies[0])) == 0;
}

/* What one target's inputs did, and how many failed each way. */
struct tally {
	unsigned inputs, calls, broken, handles;
	unsigned parse, records, calls_differ, replies_differ, encode, text, pkvm;
	unsigned shown;
};

/* Count a failure in *@count; the first SHOWN of a target are described, with the scenario @text. */
static __attribute__((format(printf, 4, 5))) void failed(struct tally *t, unsigned *count,
							   const char *text, const char *fmt, ...)
{
	va_list ap;

	(*count)++;
	if (t->shown++ >= SHOWN) {
		return;
	}
	fprintf(stderr, "    ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", text ? text : "");
}

/*
 * Whether @q, parsed from what the writer made of @p, makes the same call
 * records: the same callers, ABIs, registers, TX bytes and behaviour
 * changes, a value a static selector of @p stands for (input.h) written as
 * the caller makes it: ID 0, the host, on a @host_only backend, else the
 * VM's own (its index); a handle selector kept as one. Returns: true if so;
 * false with *@call and *@reg naming the first difference (reg 0: not a
 * register).
 */
static bool same_records(const struct fuzz_program *p, const struct fuzz_program *q, bool host_only,
			 unsigned *call, unsigned *reg)
{
	*reg = 0;
	for (*call = 0; *call < p->call_count && *call < q->call_count; (*call)++) {
		const struct fuzz_call *a = &p->calls[*call], *b = &q->calls[*call];

		if (a->vm != b->vm || a->fid != b->fid || a->present != b->present ||
		    a->behave_sp != b->behave_sp || (a->behave_sp && a->behave != b->behave) ||
		    a->payload_len != b->payload_len ||
		    memcmp(p->payload + a->payload_off, q->payload + b->payload_off, a->payload_len) != 0) {
			return false;
		}
		for (*reg = 1; *reg <= 7; (*reg)++) {
			uint64_t want = a->x[*reg], got = b->special[*reg] ? b->special[*reg] : b->x[*reg];
			uint8_t sel = a->special[*reg];

			if (sel && !fuzz_selector_static(sel, host_only ? 0 : a->vm, &want)) {
				want = sel; /* a handle replies carried */
			}
			if (a->present >> (*reg - 1) & 1 && want != got) {
				return false;
			}
		}
		*reg = 0;
	}
	return p->call_count == q->call_count;
}

/* The "mediator pkvm" form of @p: parses, on pkvm, with every call the host's. */
static void check_host_only(struct tally *t, const struct fuzz_program *p)
{
	static struct scenario s;
	char *text = NULL, err[400];
	unsigned call = 0, reg = 0;

	write_text(p, "pkvm", &text);
	if (scenario_parse("roundtrip-pkvm.ffa", text, &s, err, sizeof(err)) != 0) {
		failed(t, &t->pkvm, text, "pkvm form: %s", err);
	} else if (strcmp(s.mediator, "pkvm") != 0 || !same_setup(&s.p, p) ||
		   !same_records(p, &s.p, true, &call, &reg)) {
		failed(t, &t->pkvm, text, "pkvm form: call %u x%u (or the set-up) is not what the host makes",
		       call, reg);
	}
	free(text);
}

/* One input of target @set through (a), (b) and (c). */
static void round_trip(struct tally *t, const struct fuzz_abi_set *set, const uint8_t *in, size_t len)
{
	static struct fuzz_program p, again;
	static struct scenario s;
	static struct outcome want, got;
	static uint8_t bytes[FUZZ_HEADER_SIZE + FUZZ_MAX_CALLS * 80 + sizeof(p.payload)];
	char *text = NULL, *text2 = NULL, err[400];
	unsigned differs = 0, reg = 0;
	size_t n;

	t->inputs++;
	fuzz_decode(set, in, len, &p);
	t->calls += p.call_count;
	write_text(&p, NULL, &text);
	/* (a) it parses, to the same records */
	if (scenario_parse("roundtrip.ffa", text, &s, err, sizeof(err)) != 0) {
		failed(t, &t->parse, text, "(a) %s", err);
		goto out;
	}
	if (!same_setup(&s.p, &p) || !same_records(&p, &s.p, false, &differs, &reg)) {
		failed(t, &t->records, text, "(a) call %u x%u (or the set-up) differs from the input's",
		       differs, reg);
		goto out;
	}
	/* (b) it runs as the input replays */
	replay(&p, &want);
	t->broken += want.rule[0] != '\0';
	if (want.rule[0] == '\0' && want.done != p.call_count) {
		failed(t, &t->replies_differ, text, "(b) the input replayed %u calls of %u", want.done,
		       p.call_count);
		goto out;
	}
	differs = play(&s.p, &p, &got);
	t->handles += fm.handle_count != 0;
	if (differs < s.p.call_count || s.p.call_count != p.call_count) {
		failed(t, &t->calls_differ, text, "(b) call %u differs (of %u)", differs, p.call_count);
		goto out;
	}
	if (!same_outcome(&got, &want)) {
		failed(t, &t->replies_differ, text, "(b) %u calls, rule '%s'; the input: %u calls, rule '%s'",
		       got.done, got.rule, want.done, want.rule);
		goto out;
	}
	/* (c) --to-input gives an input that behaves the same and writes the same scenario */
	n = fuzz_encode(set, &s.p, bytes, sizeof(bytes));
	if (n == 0) {
		failed(t, &t->encode, text, "(c) no input for the scenario");
		goto out;
	}
	fuzz_decode(set, bytes, n, &again);
	differs = play(&again, &p, &got);
	if (!same_setup(&again, &p) || differs < again.call_count || again.call_count != p.call_count) {
		failed(t, &t->encode, text, "(c) call %u differs (of %u), or the set-up", differs,
		       p.call_count);
		goto out;
	}
	if (!same_outcome(&got, &want)) {
		failed(t, &t->replies_differ, text, "(c) %u calls, rule '%s'; the input: %u calls, rule '%s'",
		       got.done, got.rule, want.done, want.rule);
		goto out;
	}
	write_text(&again, NULL, &text2);
	if (strcmp(text, text2) != 0) {
		failed(t, &t->text, text, "(c) the input written again differs:\n%s", text2);
	}
	check_host_only(t, &p);
out:
	free(text);
	free(text2);
}

/* @target's seeds and regressions as they are, then INPUTS_PER_SET random inputs, through the round trip. */
static void round_trips(const char *target, uint64_t seed)
{
	static uint8_t in[MAX_INPUT];
	const struct fuzz_abi_set *set = fuzz_abi_set(target);
	struct tally t = {0};
	unsigned failures;

	assert_non_null(set);
	unsetenv("FFA_EMU_SUPPRESS");
	oracle_failure_hook = catch_rule;
	backend_finding_hook = catch_rule;
	fuzz_machine_use_backend(&fm, &backend_ref);
	load_seeds(target);
	for (unsigned k = 0; k < seed_count; k++) {
		round_trip(&t, set, seeds[k].bytes, seeds[k].len);
	}
	rng = seed;
	for (unsigned i = 0; i < INPUTS_PER_SET; i++) {
		round_trip(&t, set, in, random_input(set, in, sizeof(in)));
	}
	failures = t.parse + t.records + t.calls_differ + t.replies_differ + t.encode + t.text + t.pkvm;
	fprintf(stderr,
		"  %s: %u inputs, %u calls, %u with a memory handle, %u broke an oracle rule; failed: %u "
		"(parse %u, records %u, calls %u, replies %u, to-input %u, rewritten %u, pkvm form %u)\n",
		target, t.inputs, t.calls, t.handles, t.broken, failures, t.parse, t.records,
		t.calls_differ, t.replies_differ, t.encode, t.text, t.pkvm);
	assert_int_equal(failures, 0);
	assert_true(t.calls > INPUTS_PER_SET); /* the inputs made calls */
}

/* One test per fuzz target (fuzz_abi_sets[]): @state is its ABI set. */
static void test_round_trip(void **state)
{
	const struct fuzz_abi_set *set = *state;
	uint64_t seed = 0x5e91ULL; /* fixed per target: its name picks the inputs */

	for (const char *c = set->target; *c != '\0'; c++) {
		seed = seed * 31 + (uint8_t)*c;
	}
	round_trips(set->target, seed);
}

/*
 * The client target's inputs (fuzz/client_input.h): each written as a client
 * scenario (scenario_write_client(), ffa-run --from-input --target client)
 * parses to the same program, its set-up and every operation field for
 * field (a lie's register modulo 18, as the driver's machine reads it), and
 * compiles back (fuzz_client_encode(), --to-input) to bytes that decode to
 * it again. Inputs: the seeds (corpus/client/) and the known findings'
 * inputs, then random byte strings. Running them is tests/test_client.c's
 * and make test's replay of the seeds.
 */
static bool same_program(const struct fuzz_client_program *a, const struct fuzz_client_program *b)
{
	if (a->profile != b->profile || a->lie != b->lie || a->via_stub != b->via_stub || a->hvc != b->hvc ||
	    a->op_count != b->op_count) {
		return false;
	}
	for (unsigned i = 0; i < a->op_count; i++) {
		const struct fuzz_client_op *x = &a->ops[i], *y = &b->ops[i];

		if (x->kind != y->kind || x->dev != y->dev || x->arg != y->arg || x->flags != y->flags ||
		    x->extra != y->extra || x->value != y->value || x->lie_at != y->lie_at ||
		    (x->lie_at != 0 && x->lie_reg % 18 != y->lie_reg % 18)) {
			return false;
		}
	}
	return true;
}

/* @in (@len bytes) through the client round trip. Returns: false, with the reason printed, if it fails. */
static bool client_round_trip(const uint8_t *in, size_t len)
{
	static struct fuzz_client_program p, back;
	static struct scenario sc;
	static char text[16384];
	static uint8_t bin[FUZZ_CLIENT_HEADER + FUZZ_CLIENT_MAX_OPS * FUZZ_CLIENT_RECORD];
	char err[400];
	FILE *f = fmemopen(text, sizeof(text), "w");
	size_t n;

	fuzz_client_decode(in, len, &p);
	scenario_write_client(f, &p, "client round trip", NULL);
	fclose(f);
	if (scenario_parse("client.ffa", text, &sc, err, sizeof(err)) != 0) {
		fprintf(stderr, "  client: does not parse: %s\n%s", err, text);
		return false;
	}
	if (!sc.client || !same_program(&p, &sc.cp)) {
		fprintf(stderr, "  client: parses to another program:\n%s", text);
		return false;
	}
	n = fuzz_client_encode(&sc.cp, bin, sizeof(bin));
	fuzz_client_decode(bin, n, &back);
	if (n == 0 || !same_program(&p, &back)) {
		fprintf(stderr, "  client: compiles to another program:\n%s", text);
		return false;
	}
	return true;
}

static void test_client_round_trip(void **state)
{
	static uint8_t in[FUZZ_CLIENT_HEADER + (FUZZ_CLIENT_MAX_OPS + 2) * FUZZ_CLIENT_RECORD];
	unsigned failures = 0, ops = 0;

	(void)state;
	seed_count = 0;
	load_dir("corpus/client");
	assert_true(seed_count >= 4); /* run from the repository's root */
	load_dir("corpus/known/linux-driver/client");
	for (unsigned k = 0; k < seed_count; k++) {
		failures += !client_round_trip(seeds[k].bytes, seeds[k].len);
	}
	rng = 0xc11e47ULL;
	for (unsigned i = 0; i < INPUTS_PER_SET; i++) {
		size_t len = below(sizeof(in) + 1);

		for (size_t b = 0; b < len; b++) {
			in[b] = (uint8_t)next();
		}
		ops += len > FUZZ_CLIENT_HEADER ? (unsigned)((len - FUZZ_CLIENT_HEADER) / FUZZ_CLIENT_RECORD) : 0;
		failures += !client_round_trip(in, len);
	}
	fprintf(stderr, "  client: %u seeds and %u random inputs (%u operations); failed: %u\n", seed_count,
		INPUTS_PER_SET, ops, failures);
	assert_int_equal(failures, 0);
}

static int teardown(void **state)
{
	(void)state;
	oracle_failure_hook = NULL;
	backend_finding_hook = NULL;
	fuzz_machine_fini(&fm);
	return 0;
}

int main(void)
{
	struct CMUnitTest tests[9];
	char names[8][48];

	CHECK(fuzz_abi_set_count <= 8);
	for (unsigned i = 0; i < fuzz_abi_set_count; i++) {
		snprintf(names[i], sizeof(names[i]), "test_round_trip (%s)", fuzz_abi_sets[i].target);
		tests[i] = (struct CMUnitTest){.name = names[i], .test_func = test_round_trip,
					       .initial_state = (void *)&fuzz_abi_sets[i]};
	}
	tests[fuzz_abi_set_count] = (struct CMUnitTest){.name = "test_client_round_trip",
							.test_func = test_client_round_trip};
	return _cmocka_run_group_tests("test_scenario_roundtrip", tests, fuzz_abi_set_count + 1, NULL,
				       teardown);
}
