/*
 * make bench: a fuzz target's executions per second on fixed 8-call inputs
 * (its seeds, each cut or cycled to exactly 8 calls with fuzz_encode()),
 * without sanitizers, coverage or mutation: the target's own cost. For emu
 * the FF-A calls per second through the stub are printed too (8 per
 * execution, each also made directly on the twin machine), to set beside
 * the bare stub rate emu_bench prints. (The comparison with an empty
 * libFuzzer target under the fuzzer's own overhead is not measured here.)
 *
 * Usage: bench_<target> <target> <seed directory> [seconds per measurement]
 * Exit status 0, or 2 on a usage or input error.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input.h"

#define CALLS 8
#define MAX_INPUTS 64

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

/* Executions per second of @fn over the inputs for about @seconds. */
static double rate(int (*fn)(const uint8_t *, size_t), double seconds)
{
	double start = now(), elapsed;
	unsigned long runs = 0;

	do {
		for (unsigned k = 0; k < 256; k++, runs++) {
			fn(inputs[runs % input_count].bytes, inputs[runs % input_count].len);
		}
		elapsed = now() - start;
	} while (elapsed < seconds);
	return (double)runs / elapsed;
}

/* Load @path, make it exactly CALLS calls long, keep it. */
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

int main(int argc, char **argv)
{
	const struct fuzz_abi_set *set = argc >= 3 ? fuzz_abi_set(argv[1]) : NULL;
	double seconds = argc >= 4 ? atof(argv[3]) : 2.0;
	double target;
	DIR *d;
	struct dirent *e;

	if (set == NULL || (d = opendir(argv[2])) == NULL) {
		fprintf(stderr, "usage: %s <target> <seed directory> [seconds]\n", argv[0]);
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
	LLVMFuzzerInitialize(&argc, &argv);
	target = rate(LLVMFuzzerTestOneInput, seconds);
	printf("fuzz %-8s %u inputs of %d calls: %.0f exec/s (no sanitizers, coverage or mutation)\n",
	       set->target, input_count, CALLS, target);
	if (strcmp(set->target, "emu") == 0) {
		printf("fuzz emu      FF-A calls through the stub: %.0f per second\n", target * CALLS);
	}
	return 0;
}
