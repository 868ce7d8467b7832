/*
 * make bench: a fuzz target's own cost, in process, on fixed 8-call inputs
 * (its seeds, each cut or cycled to exactly 8 calls with fuzz_encode(); the
 * client target's, to 8 driver operations after the driver's probe),
 * built without sanitizers or coverage and run without mutation. ROUNDS
 * rounds; in each the target runs for ROUND_SECONDS and, for emu, so does
 * the bare stub floor (fuzz_emu_bare_calls()) right after it, so both see
 * the same machine. Prints, for tools/bench, "name<TAB>value" lines: the
 * median executions per second; for emu, FF-A calls per second through the
 * stub and the floor's; the cost of starting an input (a snapshot restore,
 * fuzz_bench_restores()) in ns; and the process's peak resident memory in KiB.
 * FFA_EMU_MEDIATOR picks the backend, as for every fuzz binary.
 *
 * With -w DIR it writes the 8-call inputs to DIR and exits: tools/bench
 * fuzzes from them with libFuzzer and AFL++, beside empty targets. With
 * -g DIR N it writes N inputs made from them by the mutator (fuzz/mutate.c,
 * seeds 1..N) and exits: the stand-in crash corpus whose replay rate make
 * bench measures.
 *
 * Usage: bench_<target> <target> <seed directory> [-w DIR | -g DIR N]
 * Exit status 0, or 2 on a usage or input error.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "client_input.h"
#include "harness.h"
#include "mutate.h"

#define CALLS 8
#define MAX_INPUTS 64
#define ROUNDS 7
#define ROUND_SECONDS 0.3
#define FLOOR_BATCH 20000UL
#define RESTORES 20000UL

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	uint8_t bytes[2 * FUZZ_MAX_PAYLOAD];
	size_t len;
} inputs[MAX_INPUTS];
static unsigned input_count;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Executions per second of the target over the inputs, for about @seconds. */
static double target_rate(double seconds)
{
	double start = now(), elapsed;
	unsigned long runs = 0;

	do {
		for (unsigned k = 0; k < 64; k++, runs++) {
			LLVMFuzzerTestOneInput(inputs[runs % input_count].bytes,
					       inputs[runs % input_count].len);
		}
		elapsed = now() - start;
	} while (elapsed < seconds);
	return (double)runs / elapsed;
}

/* Bare stub calls per second (emu only), for about @seconds. */
static double floor_rate(double seconds)
{
	double start = now(), elapsed;
	unsigned long calls = 0;

	do {
		fuzz_emu_bare_calls(FLOOR_BATCH);
		calls += FLOOR_BATCH;
		elapsed = now() - start;
	} while (elapsed < seconds);
	return (double)calls / elapsed;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Write every loaded input to @dir as in-<n>. Returns: 0, or 2 on an error. */
static int write_inputs(const char *dir)
{
	for (unsigned i = 0; i < input_count; i++) {
		char path[1024];
		FILE *f;

		snprintf(path, sizeof(path), "%s/in-%02u", dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(inputs[i].bytes, 1, inputs[i].len, f) != inputs[i].len ||
		    fclose(f) != 0) {
			fprintf(stderr, "%s: cannot write\n", path);
			return 2;
		}
	}
	return 0;
}

/* Keep client program @raw (@n bytes) made exactly CALLS operations long (none: not kept). */
static void load_client(const uint8_t *raw, size_t n)
{
	static struct fuzz_client_program p, eight;

	fuzz_client_decode(raw, n, &p);
	if (p.op_count == 0 || input_count == MAX_INPUTS) {
		return;
	}
	eight = p;
	eight.op_count = CALLS;
	for (unsigned i = 0; i < CALLS; i++) {
		eight.ops[i] = p.ops[i % p.op_count];
	}
	n = fuzz_client_encode(&eight, inputs[input_count].bytes, sizeof(inputs[0].bytes));
	if (n != 0) {
		inputs[input_count++].len = n;
	}
}

/* Load @path, make it exactly CALLS calls long, keep it (@set NULL: a client program). */
static int load(const struct fuzz_abi_set *set, const char *path)
{
	static uint8_t raw[1 << 16];
	static struct fuzz_program p, eight;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		return 2;
	}
	n = fread(raw, 1, sizeof(raw), f);
	fclose(f);
	if (set == NULL) {
		load_client(raw, n);
		return 0;
	}
	fuzz_decode(set, raw, n, &p);
	if (p.call_count == 0 || input_count == MAX_INPUTS) {
		return 0;
	}
	eight = p;
	eight.call_count = CALLS;
	for (unsigned i = 0; i < CALLS; i++) {
		eight.calls[i] = p.calls[i % p.call_count];
	}
	n = fuzz_encode(set, &eight, inputs[input_count].bytes, sizeof(inputs[0].bytes));
	if (n != 0) {
		inputs[input_count++].len = n;
	}
	return 0;
}

/* Write @n mutants of the loaded inputs to @dir as mut-<i>. Returns: 0, or 2 on an error. */
static int write_mutants(const struct fuzz_abi_set *set, const char *dir, unsigned n)
{
	static uint8_t buf[2 * FUZZ_MAX_PAYLOAD];

	for (unsigned i = 0; i < n; i++) {
		char path[1024];
		size_t len = inputs[i % input_count].len;
		FILE *f;

		memcpy(buf, inputs[i % input_count].bytes, len);
		len = fuzz_mutate(set, buf, len, sizeof(buf), i + 1);
		snprintf(path, sizeof(path), "%s/mut-%05u", dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
			fprintf(stderr, "%s: cannot write\n", path);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct fuzz_abi_set *set = argc >= 3 ? fuzz_abi_set(argv[1]) : NULL;
	bool client = argc >= 3 && strcmp(argv[1], "client") == 0; /* no ABI set: driver programs */
	const char *out_dir = argc == 5 && strcmp(argv[3], "-w") == 0 ? argv[4] : NULL;
	const char *gen_dir = argc == 6 && strcmp(argv[3], "-g") == 0 ? argv[4] : NULL;
	double target[ROUNDS], floor[ROUNDS], restore[ROUNDS];
	struct rusage ru;
	DIR *d;
	struct dirent *e;

	if ((set == NULL && !client) || (argc != 3 && out_dir == NULL && gen_dir == NULL) ||
	    (client && gen_dir != NULL) ||
	    (d = opendir(argv[2])) == NULL) {
		fprintf(stderr, "usage: %s <target> <seed directory> [-w DIR | -g DIR N]\n", argv[0]);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		char path[1024];

		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", argv[2], e->d_name);
			if (load(set, path) != 0) {
				fprintf(stderr, "%s: cannot read\n", path);
				return 2;
			}
		}
	}
	closedir(d);
	if (input_count == 0) {
		fprintf(stderr, "%s: no inputs\n", argv[2]);
		return 2;
	}
	if (out_dir != NULL) {
		return write_inputs(out_dir);
	}
	if (gen_dir != NULL) {
		return write_mutants(set, gen_dir, (unsigned)strtoul(argv[5], NULL, 10));
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (unsigned r = 0; r < ROUNDS; r++) {
		target[r] = target_rate(ROUND_SECONDS);
		floor[r] = fuzz_emu_bare_calls != NULL ? floor_rate(ROUND_SECONDS) : 0;
	}
	printf("in_process_execs_per_s\t%.0f\n", median(target, ROUNDS));
	for (unsigned r = 0; r < ROUNDS; r++) {
		double start = now();

		fuzz_bench_restores(RESTORES);
		restore[r] = (now() - start) * 1e9 / RESTORES;
	}
	printf("restore_ns_per_input\t%.0f\n", median(restore, ROUNDS));
	if (fuzz_emu_bare_calls != NULL) {
		printf("emu_calls_per_s\t%.0f\n", median(target, ROUNDS) * CALLS);
		printf("emu_floor_calls_per_s\t%.0f\n", median(floor, ROUNDS));
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("peak_rss_kb\t%ld\n", ru.ru_maxrss);
	return 0;
}
