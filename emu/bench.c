/*
 * `make bench` for the emulator: FF-A calls per second made by the real
 * stub through the mediator (FFA_ID_GET), next to the bare Unicorn
 * trap-and-return floor measured in the same run: the same stub and the
 * same register traffic (x0-x17 loaded, trapped, moved by the hook, stored)
 * with no mediator behind the hook. The target: the stub path within 1.5x
 * of the floor. Built with -O2 and no sanitizers; wall-clock figures, best
 * of five rounds each, so a busy machine shows as noise rather than as a
 * slower mediator.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* The best calls-per-second of ROUNDS rounds of CALLS calls. */
static double measure(struct emu *e, const struct smccc_regs *in)
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

int main(void)
{
	struct mediator_config cfg;
	struct mediator *m = calloc(1, sizeof(*m));
	struct spmc *s = calloc(1, sizeof(*s));
	struct smccc_regs version = {.x = {FFA_VERSION_32, FFA_VERSION_1_2}}, out;
	struct smccc_regs id_get = {.x = {FFA_ID_GET_32}};
	struct mem mem;
	struct emu e;
	uint64_t base;
	uint32_t pages;
	double stub, floor;

	mediator_config_default(&cfg, MEDIATOR_PROFILE_SPEC);
	mediator_config_mem_extent(&cfg, &base, &pages);
	if (m == NULL || s == NULL || mem_init(&mem, base, pages) != FFA_OK) {
		return 1;
	}
	spmc_init(s, spmc_manifest_default(), &mem);
	if (mediator_init(m, &cfg, &mem, s) != FFA_OK || emu_init(&e, m, &mem, 1) != EMU_OK ||
	    emu_call(&e, EMU_SMC, &version, &out) != EMU_OK) {
		fprintf(stderr, "bench: set-up failed\n");
		return 1;
	}
	e.bare = true;
	floor = measure(&e, &id_get);
	e.bare = false;
	stub = measure(&e, &id_get);
	printf("emu: %.0f calls/s through the stub and the mediator (FFA_ID_GET)\n", stub);
	printf("emu: %.0f calls/s bare trap floor (same stub and register traffic, no mediator)\n",
	       floor);
	printf("emu: stub path costs %.2fx the floor (target: at most 1.50x)\n", floor / stub);
	emu_fini(&e);
	mem_fini(&mem);
	free(m);
	free(s);
	return floor / stub <= 1.5 ? 0 : 1;
}
