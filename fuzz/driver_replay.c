/*
 * The replay driver: links with any target in place of libFuzzer and runs
 * every file given, or every file under every directory given, once through
 * LLVMFuzzerTestOneInput(). This is how `make test` replays the seed,
 * regression and crash corpora under ASan and UBSan: an oracle violation or
 * sanitizer report aborts, naming the file first.
 *
 * -v, before the paths, prints every call and reply (x0-x7, hex) of fuzz
 * targets that run through fuzz_run_direct().
 *
 * Exit status: 0 when every input ran; 2 when a path cannot be read, or when
 * no input was found at all (a corpus that went missing is a failure, not a
 * pass).
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned ran;

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
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
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
			       (n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0)))) {
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

int main(int argc, char **argv)
{
	int rc = 0;

	int first = 1;

	LLVMFuzzerInitialize(&argc, &argv);

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		fuzz_verbose = true;
		first = 2;
	}
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
	printf("replay: %u inputs ran clean\n", ran);
	return rc;
}
