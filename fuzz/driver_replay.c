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
 *         input is listed ("replay: reproduces: FILE"), as make regress
 *         needs; a sanitizer report still ends the process, naming the
 *         input it was running ("replay: FILE") as it dies;
 *   -r N  run every input N times and print the inputs per second (make
 *         bench), without the per-file lines;
 *   -h, --help  print the usage, every option explained, and exit 0.
 * Files named *.md, *.txt and *.ffa are notes and scenarios, not inputs.
 *
 * Exit status: 0 when every input ran clean; 1 when one reproduced (-k);
 * 2 when a path cannot be read, when no input was found at all (a
 * corpus that went missing is a failure, not a pass), or for a usage error
 * (an unknown option, named; a bad -r count; no path).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* The input being run, for the death callback. */
static const char *current;

/* Sanitizers call this as they end the process: name the input that did it. */
static void name_the_input(void)
{
	if (current != NULL) {
		fprintf(stderr, "replay: %s\n", current);
	}
}

/* The sanitizer runtime's hook, when a sanitizer is linked in (not in coverage builds). */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* Run one file. Returns 0, or 2 if it cannot be read. */
static int run_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t *buf = NULL;

	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		if (fd >= 0) {
			close(fd);
		}
		return 2;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return 0; /* a directory or a device among the inputs: not an input */
	}
	/* Exactly the input's size, as libFuzzer gives it: ASan sees a read past its end. */
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (buf == NULL || read(fd, buf, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(buf);
		close(fd);
		return 2;
	}
	close(fd);
	current = path;
	if (repeat == 1 && !keep_going) {
		fprintf(stderr, "replay: %s\n", path); /* -k names an input only if it ends the process */
	}
	if (setjmp(next_input) != 0) {
		printf("replay: reproduces: %s\n", path);
		reproduced++;
	} else {
		for (unsigned i = 0; i < repeat; i++) {
			LLVMFuzzerTestOneInput(buf, (size_t)st.st_size);
		}
	}
	current = NULL; /* @path may be freed next */
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

		/* Notes beside inputs (README.md, a finding's .txt) are not inputs; nor are directories. */
		if (e->d_name[0] == '.' || (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) ||
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
		rc |= run_file(names[i]);
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

#define USAGE "usage: %s [-v] [-k] [-r N] FILE|DIR...\n"

/* Print the usage of replay driver @prog, every option explained, for --help. */
static void usage(const char *prog)
{
	printf(USAGE
	       "Runs every FILE, and every file in every DIR (in name order; *.md, *.txt and *.ffa\n"
	       "are notes, skipped), once through this fuzz target with the oracle and the sanitizers on.\n"
	       "  -v          print every call and reply (x0-x7, hex) of a target that calls the\n"
	       "              mediator directly (every target but emu)\n"
	       "  -k          keep going past an input that breaks an oracle rule, listing each as\n"
	       "              'replay: reproduces: FILE'; a sanitizer report still ends the process,\n"
	       "              naming the input as it dies\n"
	       "  -r N        run every input N times (N > 0) and print the inputs per second,\n"
	       "              without the per-file lines\n"
	       "  -h, --help  print this help and exit\n"
	       "Environment: FFA_EMU_MEDIATOR=ref|pkvm, the backend (default ref); FFA_EMU_SUPPRESS=FILE,\n"
	       "the known findings to mask; FFA_EMU_DIFF=1, on a real backend each input on ref too;\n"
	       "FFA_EMU_DEVIATIONS=DIR, where the backend's deviations are recorded.\n"
	       "Exit status: 0 every input ran clean; 1 one reproduced (-k); 2 a path that cannot be\n"
	       "read, no input found at all, or a usage error.\n",
	       prog);
}

/* A usage error: @fmt says what is wrong, naming the option. Returns: 2, the exit status. */
__attribute__((format(printf, 2, 3))) static int usage_error(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n" USAGE "(--help explains every option)\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	int rc = 0, first = 1;
	double start;
	char *end;

	/* Options first: --help and a usage error need no machine started. */
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "-h") == 0 || strcmp(argv[first], "--help") == 0) {
			usage(argv[0]);
			return 0;
		} else if (strcmp(argv[first], "-v") == 0) {
			fuzz_verbose = true;
		} else if (strcmp(argv[first], "-k") == 0) {
			keep_going = true;
		} else if (strcmp(argv[first], "-r") == 0) {
			if (first + 1 >= argc) {
				return usage_error(argv[0], "-r: expected a count after it");
			}
			first++;
			repeat = (unsigned)strtoul(argv[first], &end, 10);
			if (argv[first][0] < '0' || argv[first][0] > '9' || *end != '\0' || repeat == 0) {
				return usage_error(argv[0], "-r '%s': expected a count above 0", argv[first]);
			}
		} else {
			return usage_error(argv[0], "unknown option '%s'", argv[first]);
		}
	}
	if (first >= argc) {
		return usage_error(argv[0], "expected files or directories, found none");
	}
	LLVMFuzzerInitialize(&argc, &argv);
	if (keep_going) {
		oracle_failure_hook = oracle_broke;
		if (__sanitizer_set_death_callback != NULL) {
			__sanitizer_set_death_callback(name_the_input);
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
	model_stats_write(); /* FFA_EMU_MODEL_STATS: the state model's transitions these inputs reached */
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
