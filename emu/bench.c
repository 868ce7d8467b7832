/*
 * make bench for the mediator's two ways in: FF-A calls per second made
 * directly (mediator_call(): FFA_ID_GET, answered by the mediator, and
 * FFA_MSG_SEND_DIRECT_REQ2 to the first partition, a round trip through the
 * SPMC model), and made by the real aarch64 stub under Unicorn (FFA_ID_GET),
 * next to the bare Unicorn trap-and-return floor measured in the same run:
 * the same stub and register traffic (x0-x17 loaded, trapped, moved by the
 * hook, stored) with no mediator behind the hook. Built with -O2 and no
 * sanitizers; wall-clock figures, best of ROUNDS rounds each, so a busy
 * machine shows as noise rather than as a slower mediator.
 *
 * Prints one "name<TAB>value" line per figure for tools/bench (calls per
 * second, and the process's peak resident memory in KiB). Exit status 0, or
 * 1 if set-up or a call fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "emu.h"
#include "spmc/spmc.h"

#define CALLS 200000
#define ROUNDS 5

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The best calls-per-second of ROUNDS rounds of CALLS calls through the stub. */
static double measure_stub(struct emu *e, const struct smccc_regs *in)
{
	double best = 0;

	for (int round = 0; round < ROUNDS; round++) {
		struct smccc_regs out;
		double t0 = now(), rate;

		for (int i = 0; i < CALLS; i++) {
			if (emu_call(e, EMU_SMC, in, &out) != EMU_OK) {
				fprintf(stderr, "bench: the stub failed\n");
				exit(1);
			}
		}
		rate = CALLS / (now() - t0);
		best = rate > best ? rate : best;
	}
	return best;
}

/* The same, calling the mediator directly; each answer's w0 must be @answer. */
static double measure_direct(struct mediator *m, const struct smccc_regs *in, uint32_t answer)
{
	double best = 0;

	for (int round = 0; round < ROUNDS; round++) {
		double t0 = now(), rate;

		for (int i = 0; i < CALLS; i++) {
			if ((uint32_t)mediator_call(m, 1, in).x[0] != answer) {
				fprintf(stderr, "bench: call %#x was not answered %#x\n",
					(uint32_t)in->x[0], answer);
				exit(1);
			}
		}
		rate = CALLS / (now() - t0);
		best = rate > best ? rate : best;
	}
	return best;
}

int main(void)
{
	struct mediator_config cfg;
	struct mediator *m = calloc(1, sizeof(*m));
	struct spmc *s = calloc(1, sizeof(*s));
	struct smccc_regs version = {.x = {FFA_VERSION_32, FFA_VERSION_1_2}}, out;
	struct smccc_regs id_get = {.x = {FFA_ID_GET_32}};
	struct smccc_regs req2 = {.x = {FFA_MSG_SEND_DIRECT_REQ2_64}};
	struct rusage ru;
	struct mem mem;
	struct emu e;
	uint64_t base;
	uint32_t pages;

	mediator_config_default(&cfg, MEDIATOR_PROFILE_SPEC);
	mediator_config_mem_extent(&cfg, &base, &pages);
	if (m == NULL || s == NULL || mem_init(&mem, base, pages) != FFA_OK) {
		return 1;
	}
	spmc_init(s, spmc_manifest_default(), &mem);
	if (mediator_init(m, &cfg, &mem, s) != FFA_OK || emu_init(&e, &backend_ref, m, &mem, &mediator_vm(m, 1)->window, 1) != EMU_OK ||
	    emu_call(&e, EMU_SMC, &version, &out) != EMU_OK) {
		fprintf(stderr, "bench: set-up failed\n");
		return 1;
	}
	/* VM 1 to the first partition, a nil UUID: the partition's own. */
	req2.x[1] = (uint64_t)1 << 16 | s->manifest->partitions[0].id;
	printf("direct_id_get_calls_per_s\t%.0f\n", measure_direct(m, &id_get, FFA_SUCCESS_32));
	printf("direct_req2_calls_per_s\t%.0f\n",
	       measure_direct(m, &req2, FFA_MSG_SEND_DIRECT_RESP2_64));
	e.bare = true;
	printf("bare_trap_calls_per_s\t%.0f\n", measure_stub(&e, &id_get));
	e.bare = false;
	printf("stub_id_get_calls_per_s\t%.0f\n", measure_stub(&e, &id_get));
	getrusage(RUSAGE_SELF, &ru);
	printf("peak_rss_kb\t%ld\n", ru.ru_maxrss);
	emu_fini(&e);
	mem_fini(&mem);
	free(m);
	free(s);
	return 0;
}
