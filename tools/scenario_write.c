/*
 * Scenario files: the writer (any fuzz program as a scenario, for
 * ffa-run --from-input) and the names scenarios give profiles and lies.
 */
#include "scenario_internal.h"

#include <string.h>

#include "mediator/backend.h"

static const char *const profiles[] = {"spec", "pkvm", "xen"};
static const char *const lies[] = {
	"none",          "handle-zero",        "handle-reused",        "handle-hyp",
	"frag-offset",   "early-success",      "frag-rx-after-last",   "frag-offset-near-end",
	"huge-count",    "size-near-end",
};
_Static_assert(sizeof(profiles) / sizeof(profiles[0]) == MEDIATOR_PROFILE_COUNT, "a name per profile");
_Static_assert(sizeof(lies) / sizeof(lies[0]) == SPMC_LIE_COUNT, "a name per lie");

const char *scenario_profile_name(enum mediator_profile profile)
{
	return profile < MEDIATOR_PROFILE_COUNT ? profiles[profile] : "?";
}

const char *scenario_lie_name(enum spmc_mem_lie lie)
{
	return lie < SPMC_LIE_COUNT ? lies[lie] : "?";
}

/*
 * The FF-A ID call record @index is made by on backend @be (NULL: ref), as
 * fuzz_vm_id() resolves it: a host-only backend serves the host (ID 0) alone,
 * ref its VMs by index (IDs 0, 1, 2).
 */
static ffa_id_t caller_id(const struct backend_ops *be, uint8_t index)
{
	return be != NULL && be->host_only ? FFA_HOST_ID : index;
}

/* Call @c of @p, with its "tx" and "behave" lines, made by the endpoint whose ID is @id. */
static void write_call(FILE *f, const struct fuzz_program *p, const struct fuzz_call *c, ffa_id_t id)
{
	for (unsigned b = 0; b < c->payload_len; b++) {
		fprintf(f, "%s%02x%s", b % 16 == 0 ? "tx " : " ", p->payload[c->payload_off + b],
			b % 16 == 15 || b + 1 == c->payload_len ? "\n" : "");
	}
	if (c->behave_sp) {
		fprintf(f, "behave sp%u %s\n", c->behave_sp,
			spmc_behaviour_name((enum spmc_behaviour_kind)c->behave));
	}
	if (ffa_func_name(c->fid) != NULL) {
		fprintf(f, "vm%u %s", c->vm, ffa_func_name(c->fid));
	} else {
		fprintf(f, "vm%u %#x", c->vm, c->fid);
	}
	for (unsigned n = 1; n <= 7; n++) {
		uint8_t sel = c->special[n];
		uint64_t v;

		if (!(c->present >> (n - 1) & 1)) {
			continue;
		}
		/* A selector's value is the caller's: its ID, not its index, in a pair. */
		if (sel != 0 && fuzz_selector_static(sel, id, &v)) {
			fprintf(f, " x%u=%#llx", n, (unsigned long long)v);
		} else if (sel != 0) {
			fprintf(f, " x%u=handle%s(%u)", n,
				(sel - FUZZ_SEL_HANDLE_FIRST) % 8 == FUZZ_SEL_HANDLE_HI ? "-hi" : "",
				(sel - FUZZ_SEL_HANDLE_FIRST) / 8);
		} else {
			fprintf(f, " x%u=%#llx", n, (unsigned long long)c->x[n]);
		}
	}
	fputc('\n', f);
}

void sc_write_title(FILE *f, const char *title)
{
	fputs("# ", f);
	for (const char *t = title; *t; t++) { /* a title of several lines stays a comment */
		if (*t == '\n') {
			fputs("\n# ", f);
		} else {
			fputc(*t, f);
		}
	}
	fputc('\n', f);
}

void scenario_write(FILE *f, const struct fuzz_program *p, const char *title, const char *mediator)
{
	const struct backend_ops *be = mediator != NULL ? backend_find(mediator) : NULL;

	sc_write_title(f, title);
	if (mediator != NULL) {
		fprintf(f, "mediator %s\n", mediator);
	}
	fprintf(f, "profile %s\nvms %u\n", profiles[p->profile], p->vm_count);
	/* The header's AArch32 bits of VMs past the count name no VM: the machine ignores them. */
	for (unsigned vm = 0; vm < p->vm_count; vm++) {
		if (p->aarch32_mask >> vm & 1) {
			fprintf(f, "aarch32 vm%u\n", vm);
		}
	}
	fprintf(f, "%s%s", p->big_buffers ? "rxtx-max-pages 4\n" : "",
		p->small_frags ? "spmc-fragments 64\n" : "");
	if (p->lie != SPMC_LIE_NONE) {
		fprintf(f, "lie %s\n", lies[p->lie]);
	}
	for (unsigned i = 0; i < 4; i++) {
		fprintf(f, "behaviour sp%u %s\n", i + 1,
			spmc_behaviour_name((enum spmc_behaviour_kind)p->behaviour[i]));
	}
	if (p->call_count == 0) {
		fputs("# no call: the input ends before its first whole call record\n", f);
	}
	for (uint32_t i = 0; i < p->call_count; i++) {
		write_call(f, p, &p->calls[i], caller_id(be, p->calls[i].vm));
	}
}
