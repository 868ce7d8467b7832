/*
 * AFL++'s side of the mutator core (mutate.h): a custom mutator library
 * (AFL_CUSTOM_MUTATOR_LIBRARY=build/afl/mutator.so, which tools/fuzz-run
 * sets) for the target named by the environment variable FFA_FUZZ_TARGET.
 * afl_custom_fuzz mutates a program or splices two; the trim steps drop one
 * call at a time, so AFL++'s trimmer never cuts a record in half (its own
 * byte trimmer would). AFL++'s havoc still runs beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"

#define OUT_MAX (1U << 20)

struct mutator {
	const struct fuzz_abi_set *set;
	unsigned seed;
	uint8_t *out;
	/* Trimming: the input being trimmed, the call to drop next, how many. */
	uint8_t *trim_in;
	size_t trim_len;
	unsigned trim_call, trim_calls, trim_steps; /* steps: what init_trim promised AFL++ */
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size);
size_t afl_custom_trim(void *data, uint8_t **out_buf);
int32_t afl_custom_post_trim(void *data, unsigned char success);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	const char *name = getenv("FFA_FUZZ_TARGET");
	struct mutator *m = calloc(1, sizeof(*m));

	(void)afl;
	if (m == NULL || name == NULL || (m->set = fuzz_abi_set(name)) == NULL ||
	    (m->out = malloc(OUT_MAX)) == NULL || (m->trim_in = malloc(OUT_MAX)) == NULL) {
		fprintf(stderr, "ffa-emu mutator: set FFA_FUZZ_TARGET to a target's name\n");
		afl_custom_deinit(m);
		return NULL;
	}
	m->seed = seed;
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct mutator *m = data;
	size_t max = max_size < OUT_MAX ? max_size : OUT_MAX;
	size_t n = 0;

	m->seed = m->seed * 1103515245U + 12345U;
	if (add_buf != NULL && m->seed % 8 == 0) {
		n = fuzz_crossover(m->set, buf, buf_size, add_buf, add_buf_size, m->out, max, m->seed);
	}
	if (n == 0) {
		n = buf_size < max ? buf_size : max;
		memcpy(m->out, buf, n);
		n = fuzz_mutate(m->set, m->out, n, max, m->seed);
	}
	*out_buf = m->out;
	return n;
}

int32_t afl_custom_init_trim(void *data, uint8_t *buf, size_t buf_size)
{
	struct mutator *m = data;

	m->trim_len = buf_size < OUT_MAX ? buf_size : OUT_MAX;
	memcpy(m->trim_in, buf, m->trim_len);
	m->trim_calls = fuzz_call_count(m->set, buf, buf_size);
	m->trim_call = 0;
	m->trim_steps = m->trim_calls;
	return (int32_t)m->trim_steps;
}

size_t afl_custom_trim(void *data, uint8_t **out_buf)
{
	struct mutator *m = data;
	size_t n = fuzz_drop_call(m->set, m->trim_in, m->trim_len, m->trim_call, m->out, OUT_MAX);

	*out_buf = m->out;
	return n != 0 ? n : m->trim_len;
}

int32_t afl_custom_post_trim(void *data, unsigned char success)
{
	struct mutator *m = data;

	if (success) { /* keep the shorter input; the same index is now the next call */
		m->trim_len = fuzz_drop_call(m->set, m->trim_in, m->trim_len, m->trim_call, m->out,
					     OUT_MAX);
		memcpy(m->trim_in, m->out, m->trim_len);
		m->trim_calls--;
	} else {
		m->trim_call++;
	}
	/* AFL++ stops when the step reaches what init_trim returned. */
	return (int32_t)(m->trim_call < m->trim_calls ? m->trim_call : m->trim_steps);
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
	(void)data;
	(void)max_description_len;
	return "ffa-program";
}

void afl_custom_deinit(void *data)
{
	struct mutator *m = data;

	if (m != NULL) {
		free(m->out);
		free(m->trim_in);
		free(m);
	}
}
