/*
 * tools/seed-zip: the seed corpus archives OSS-Fuzz and ClusterFuzzLite take
 * (<target>_seed_corpus.zip), written and read without zip or Python, which a
 * Debian machine running make test may not have. A plain ZIP (APPNOTE 6.3):
 * each file stored uncompressed with its CRC-32, a central directory, the end
 * record; names are the files' base names (oss-fuzz/build.sh names seeds by
 * their SHA-1).
 *
 * Usage: seed-zip OUT.zip FILE...   write the archive
 *        seed-zip -x ZIP DIR        extract a stored archive into DIR, each
 *                                   file's CRC-32 checked
 * Exit status 0; 1 for an archive this reader cannot take (compressed,
 * corrupt, a CRC that does not match, a name with a '/'); 2 for a usage or
 * file error. Every error names the file.
 */
#define _DEFAULT_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 4096
#define MAX_SIZE (16u << 20)

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++) {
			c = c >> 1 ^ (0xEDB88320u & -(c & 1));
		}
	}
	return ~c;
}

static void put16(FILE *f, unsigned v)
{
	fputc((int)(v & 0xFF), f);
	fputc((int)(v >> 8 & 0xFF), f);
}

static void put32(FILE *f, uint32_t v)
{
	put16(f, v & 0xFFFF);
	put16(f, v >> 16);
}

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

/* The whole of @path into a malloc()ed buffer, its size in *@n. Returns: NULL with the error printed. */
static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(MAX_SIZE);

	*n = f != NULL && buf != NULL ? fread(buf, 1, MAX_SIZE, f) : 0;
	if (f == NULL || buf == NULL || ferror(f) || !feof(f)) {
		fprintf(stderr, "seed-zip: %s: cannot read (or larger than %u bytes)\n", path, MAX_SIZE);
		if (f != NULL) {
			fclose(f);
		}
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* One local header or central directory record: @central adds the fields only the latter has. */
static void header(FILE *f, bool central, const char *name, uint32_t crc, uint32_t size, uint32_t offset)
{
	put32(f, central ? 0x02014b50u : 0x04034b50u);
	if (central) {
		put16(f, 20); /* made by: version 2.0 */
	}
	put16(f, 20); /* needed to extract: 2.0 */
	put16(f, 0);  /* flags */
	put16(f, 0);  /* stored */
	put16(f, 0);  /* time */
	put16(f, 0x21); /* date: 1980-01-01 */
	put32(f, crc);
	put32(f, size);
	put32(f, size);
	put16(f, (unsigned)strlen(name));
	put16(f, 0); /* extra */
	if (central) {
		put16(f, 0); /* comment */
		put16(f, 0); /* disk */
		put16(f, 0); /* internal attributes */
		put32(f, 0); /* external attributes */
		put32(f, offset);
	}
	fputs(name, f);
}

static int write_zip(const char *out, int n, char **paths)
{
	static uint32_t crcs[MAX_FILES], sizes[MAX_FILES], offsets[MAX_FILES];
	FILE *f = fopen(out, "wb");
	uint32_t dir;

	if (f == NULL || n > MAX_FILES) {
		fprintf(stderr, "seed-zip: %s: cannot write%s\n", out, n > MAX_FILES ? " (too many files)" : "");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		const char *name = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
		size_t len;
		uint8_t *data = slurp(paths[i], &len);

		if (data == NULL) {
			fclose(f);
			return 2;
		}
		crcs[i] = crc32(data, len);
		sizes[i] = (uint32_t)len;
		offsets[i] = (uint32_t)ftell(f);
		header(f, false, name, crcs[i], sizes[i], 0);
		fwrite(data, 1, len, f);
		free(data);
	}
	dir = (uint32_t)ftell(f);
	for (int i = 0; i < n; i++) {
		const char *name = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];

		header(f, true, name, crcs[i], sizes[i], offsets[i]);
	}
	put32(f, 0x06054b50u); /* end of central directory */
	put16(f, 0);
	put16(f, 0);
	put16(f, (unsigned)n);
	put16(f, (unsigned)n);
	put32(f, (uint32_t)ftell(f) - 12 - dir);
	put32(f, dir);
	put16(f, 0);
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "seed-zip: %s: cannot write\n", out);
		return 2;
	}
	return 0;
}

static int bad(const char *zip, const char *what)
{
	fprintf(stderr, "seed-zip: %s: %s\n", zip, what);
	return 1;
}

static int extract(const char *zip, const char *dir)
{
	size_t n, off;
	uint8_t *z = slurp(zip, &n);
	uint32_t count, at;
	int rc = 0;

	if (z == NULL) {
		return 2;
	}
	if (n < 22 || get32(z + n - 22) != 0x06054b50u) {
		free(z);
		return bad(zip, "no end record (a comment after it is not read)");
	}
	count = get16(z + n - 22 + 10);
	at = get32(z + n - 22 + 16);
	for (uint32_t i = 0; i < count && rc == 0; i++) {
		char name[256], path[1024];
		uint32_t size, local, nlen;
		FILE *f;

		if (at + 46 > n || get32(z + at) != 0x02014b50u) {
			rc = bad(zip, "a central directory record is corrupt");
			break;
		}
		size = get32(z + at + 20);
		nlen = get16(z + at + 28);
		local = get32(z + at + 42);
		if (get16(z + at + 10) != 0 || size != get32(z + at + 24)) {
			rc = bad(zip, "a file is compressed (this reader takes stored files only)");
			break;
		}
		if (nlen == 0 || nlen >= sizeof(name) || at + 46 + nlen > n) {
			rc = bad(zip, "a name is empty, too long or corrupt");
			break;
		}
		memcpy(name, z + at + 46, nlen);
		name[nlen] = '\0';
		off = (size_t)local + 30 + get16(z + local + 26) + get16(z + local + 28);
		if (strchr(name, '/') != NULL || local + 30 > n || off + size > n) {
			rc = bad(zip, "a name holds '/', or a file lies past the end");
			break;
		}
		if (crc32(z + off, size) != get32(z + at + 16)) {
			fprintf(stderr, "seed-zip: %s: %s: CRC-32 does not match\n", zip, name);
			rc = 1;
			break;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(z + off, 1, size, f) != size || fclose(f) != 0) {
			fprintf(stderr, "seed-zip: %s: cannot write\n", path);
			rc = 2;
		}
		at += 46 + nlen + get16(z + at + 30) + get16(z + at + 32);
	}
	free(z);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "-x") == 0) {
		return extract(argv[2], argv[3]);
	}
	if (argc >= 3 && argv[1][0] != '-') {
		return write_zip(argv[1], argc - 2, argv + 2);
	}
	fprintf(stderr, "usage: seed-zip OUT.zip FILE...\n       seed-zip -x ZIP DIR\n");
	return 2;
}
