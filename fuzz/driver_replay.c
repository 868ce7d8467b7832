/*
 * The replay driver: links with any target in place of libFuzzer and runs
 * every file given, or every file under every directory given, once through
 * LLVMFuzzerTestOneInput(). This is how `make test` replays the seed,
 * regression and crash corpora under ASan and UBSan: an oracle violation or
 * sanitizer report aborts, naming the file first.
 *
 * Options, before the paths:
 *   -v    print every call and reply (x0-x7, hex) of fuzz targets that run
 *         through fuzz_run_direct();
 *   -k    keep going past an input that breaks an oracle rule: each such
 *         input is listed at the end ("reproduces: FILE: RULE"), as make
 *         regress needs (a sanitizer report still ends the process; the
 *         input it was running is the last "replay: FILE" line);
 *   -r N  run every input N times and print the inputs per second (make
 *         bench), without the per-file lines.
 * Files named *.md, *.txt and *.ffa are notes and scenarios, not inputs.
 *
 * Exit status: 0 when every input ran clean; 1 when one reproduced (-k);
 * 2 when a path cannot be read, or when no input was found at all (a
 * corpus that went missing is a failure, not a pass).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned ran, reproduced, repeat = 1;
static bool keep_going;
static jmp_buf next_input;

static void oracle_broke(const char *rule, const char *detail)
{
	(void)detail;
	fprintf(stderr, "ffa-emu oracle: %s: %s\n", rule, detail);
	longjmp(next_input, 1);
}

/* Run one file. Returns 0, or 2 if it cannot be read. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		if (f != NULL) {
			fclose(f);
		}
		return 2;
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		fclose(f);
		return 2;
	}
	fclose(f);
	if (repeat == 1) {
		fprintf(stderr, "replay: %s\n", path);
	}
	if (setjmp(next_input) != 0) {
		printf("replay: reproduces: %s\n", path);
		reproduced++;
	} else {
		for (unsigned i = 0; i < repeat; i++) {
			LLVMFuzzerTestOneInput(buf, (size_t)n);
		}
	}
	free(buf);
	ran++;
	return 0;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file in @dir, in name order. Returns 0 or 2. */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: cannot open directory\n", dir);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		char **grown;

		size_t n = strlen(e->d_name);

		/* Notes beside inputs (README.md, a finding's .txt) are not inputs. */
		if (e->d_name[0] == '.' ||
		    (n > 3 && (strcmp(e->d_name + n - 3, ".md") == 0 ||
			       (n > 4 && (strcmp(e->d_name + n - 4, ".txt") == 0 ||
					  strcmp(e->d_name + n - 4, ".ffa") == 0))))) {
			continue;
		}
		grown = realloc(names, (count + 1) * sizeof(*names));
		if (grown == NULL) {
			abort();
		}
		names = grown;
		names[count] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (names[count] == NULL) {
			abort();
		}
		sprintf(names[count++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (count == 0) {
		return 0; /* an empty directory: nothing to replay */
	}
	qsort(names, count, sizeof(*names), compare);
	for (size_t i = 0; i < count; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			rc |= run_file(names[i]);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int rc = 0, first = 1;
	double start;

	LLVMFuzzerInitialize(&argc, &argv);
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "-v") == 0) {
			fuzz_verbose = true;
		} else if (strcmp(argv[first], "-k") == 0) {
			keep_going = true;
			oracle_failure_hook = oracle_broke;
		} else if (strcmp(argv[first], "-r") == 0 && first + 1 < argc &&
			   (repeat = (unsigned)strtoul(argv[first + 1], NULL, 10)) > 0) {
			first++;
		} else {
			fprintf(stderr, "usage: %s [-v] [-k] [-r N] FILE|DIR...\n", argv[0]);
			return 2;
		}
	}
	start = now();
	for (int i = first; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			rc |= run_dir(argv[i]);
		} else {
			rc |= run_file(argv[i]);
		}
	}
	if (ran == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		return 2;
	}
	if (repeat > 1) {
		printf("replay: %u inputs %u times each: %.0f inputs/s\n", ran, repeat,
		       (double)ran * repeat / (now() - start));
	} else if (keep_going) {
		printf("replay: %u inputs, %u reproduce\n", ran, reproduced);
	} else {
		printf("replay: %u inputs ran clean\n", ran);
	}
	return rc != 0 ? rc : reproduced != 0;
}
