/*
 * The backend table (mediator/backend.h) and the ref backend: our own
 * mediator (mediator_init(), mediator_call(), mediator_state_copy()) behind
 * the interface every consumer uses. Its profile is the config's.
 */
#include "mediator/backend.h"

#include <string.h>

#include "mediator/check.h"
#include "mediator/mediator.h"

void (*backend_finding_hook)(const char *rule, const char *detail);

static int ref_start(void *self, const struct mediator_config *cfg, struct mem *mem,
		     struct spmc *spmc)
{
	return mediator_init(self, cfg, mem, spmc);
}

static struct smccc_regs ref_call(void *self, ffa_id_t vm, const struct smccc_regs *call)
{
	return mediator_call(self, vm, call);
}

static void ref_copy(void *dst, const void *src)
{
	mediator_state_copy(dst, src);
}

static bool ref_mailbox(const void *self, ffa_id_t vm_id, struct mailbox *mb)
{
	const struct mediator_vm *vm = mediator_vm((struct mediator *)self, vm_id);

	if (vm == NULL || !vm->mailbox.mapped) {
		return false;
	}
	*mb = vm->mailbox;
	return true;
}

static const struct backend_deviation ref_deviations[] = {{0}};

const struct backend_ops backend_ref = {
	.name = "ref",
	.size = sizeof(struct mediator),
	.profile = MEDIATOR_PROFILE_SPEC, /* the config's profile rules: see fuzz/oracle.c */
	.start = ref_start,
	.call = ref_call,
	.copy = ref_copy,
	.mailbox = ref_mailbox,
	.mem_extent = mediator_config_mem_extent,
	.deviations = ref_deviations,
};

const struct backend_ops *backend_find(const char *name)
{
	static const struct backend_ops *const all[] = {&backend_ref, &backend_pkvm};

	for (size_t i = 0; name != NULL && i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(all[i]->name, name) == 0) {
			return all[i];
		}
	}
	return NULL;
}

const char *backend_names(void)
{
	return "ref, pkvm";
}

/* Whether @detail contains one of the '|'-separated texts of @texts. */
static bool detail_matches(const char *texts, const char *detail)
{
	char text[160];

	while (texts != NULL) {
		const char *bar = strchr(texts, '|');
		size_t n = bar != NULL ? (size_t)(bar - texts) : strlen(texts);

		CHECK(n < sizeof(text)); /* our own tables' texts */
		memcpy(text, texts, n);
		text[n] = '\0';
		if (strstr(detail, text) != NULL) {
			return true;
		}
		texts = bar != NULL ? bar + 1 : NULL;
	}
	return false;
}

bool backend_deviation_applies(const struct backend_deviation *d, const char *detail,
			       bool passthrough)
{
	return (d->detail == NULL || detail_matches(d->detail, detail)) &&
	       (d->scope == BACKEND_SCOPE_ALWAYS || passthrough);
}

const struct backend_deviation *backend_deviation_find(const struct backend_ops *b,
						       const char *rule, const char *detail,
						       bool passthrough)
{
	for (const struct backend_deviation *d = b->deviations; d->rule != NULL; d++) {
		if (strcmp(d->rule, rule) == 0 && backend_deviation_applies(d, detail, passthrough)) {
			return d;
		}
	}
	return NULL;
}
