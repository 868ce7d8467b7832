/*
 * The kernel services Linux's FF-A driver uses (kernel.h), for the client
 * that is live (client.h): its log, its pages in the guest's RAM, the
 * SMCCC conduit, locks, CPUs and CPU hotplug, interrupts and work, UUIDs,
 * the device model of the one FF-A bus, the xarray and the IDA.
 *
 * One thread runs the driver, so a lock found taken when the driver takes
 * it would never be released: the finding client-lock. The driver's calls
 * in one operation are bounded (cfg.call_limit): its FFA_YIELD/INTERRUPT
 * and MEM_OP_PAUSE loops against a mediator that keeps answering so would
 * spin for ever: the finding client-hang.
 */
#include <ctype.h>
#include <stdlib.h>

#include <linux/arm-smccc.h>

#include "client.h"
#include "mediator/finding.h"
#include "shim.h"

void (*ffa_client_finding_hook)(const char *rule, const char *detail);

struct ffa_client *ffa_shim_live;
unsigned int nr_cpu_ids = 1;
unsigned int ffa_shim_cpu;
const uuid_t uuid_null;

#define live ffa_shim_live
#define S ((struct ffa_shim *)live->shim)

__attribute__((noreturn, format(printf, 2, 3))) void ffa_shim_finding(const char *rule,
								       const char *fmt, ...)
{
	va_list ap;

	if (live != NULL) {
		live->broken = true;
	}
	va_start(ap, fmt);
	finding_report(ffa_client_finding_hook, "client", rule, fmt, ap);
}

/* --- printk --- */

void ffa_shim_log(char level, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (live == NULL) {
		return;
	}
	line[0] = level;
	line[1] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(line + 2, sizeof(line) - 3, fmt, ap);
	va_end(ap);
	n = n < 0 ? 0 : (n > (int)sizeof(line) - 4 ? (int)sizeof(line) - 4 : n);
	n += 2;
	if (line[n - 1] != '\n') {
		line[n++] = '\n';
	}
	/* Keep the last FFA_CLIENT_LOG - 1 bytes. */
	if (live->log_len + (size_t)n >= FFA_CLIENT_LOG) {
		size_t drop = live->log_len + (size_t)n - (FFA_CLIENT_LOG - 1);

		drop = drop > live->log_len ? live->log_len : drop;
		memmove(live->log, live->log + drop, live->log_len - drop);
		live->log_len -= drop;
	}
	memcpy(live->log + live->log_len, line, (size_t)n);
	live->log_len += (size_t)n;
	live->log[live->log_len] = '\0';
}

/* --- Memory --- */

/*
 * kmalloc and friends on the host heap, each allocation on the live
 * client's list: what a clean unload leaves is the finding client-leak
 * (ffa_shim_free_all()); after a finding, it is freed quietly.
 */
struct shim_alloc {
	struct shim_alloc *next, *prev;
	size_t size;
	max_align_t align[]; /* the caller's bytes */
};

/* The kernel's kmalloc() limit on arm64 with 4K pages: 2^(PAGE_SHIFT + MAX_PAGE_ORDER 10), 4 MiB. */
#define KMALLOC_MAX_SIZE (1UL << (PAGE_SHIFT + 10))

void *kmalloc(size_t size, gfp_t gfp)
{
	struct shim_alloc *a = size > KMALLOC_MAX_SIZE ? NULL : malloc(sizeof(*a) + size);

	(void)gfp;
	if (a == NULL) {
		return NULL;
	}
	a->size = size;
	a->prev = NULL;
	a->next = S->allocs;
	if (a->next != NULL) {
		a->next->prev = a;
	}
	S->allocs = a;
	return a->align;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp);

	if (p != NULL) {
		memset(p, 0, size);
	}
	return p;
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		return NULL;
	}
	return kzalloc(bytes, gfp);
}

void kfree(const void *p)
{
	struct shim_alloc *a;

	if (p == NULL) {
		return;
	}
	a = container_of(p, struct shim_alloc, align);
	if (a->prev != NULL) {
		a->prev->next = a->next;
	} else {
		S->allocs = a->next;
	}
	if (a->next != NULL) {
		a->next->prev = a->prev;
	}
	free(a);
}

size_t ffa_shim_free_all(void)
{
	size_t n = 0;

	while (S->allocs != NULL) {
		kfree(S->allocs->align);
		n++;
	}
	return n;
}

/* The first run of @n free pages, marked used with its run length; zeroed. */
void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	uint32_t n = (uint32_t)(PAGE_ALIGN(size) / PAGE_SIZE), run = 0;

	(void)gfp;
	if (n == 0) {
		return NULL;
	}
	for (uint32_t i = 0; i < live->cfg.pages; i++) {
		run = S->page_run[i] != 0 ? 0 : run + 1;
		if (run == n) {
			uint32_t first = i + 1 - n;

			for (uint32_t j = first; j <= i; j++) {
				S->page_run[j] = UINT16_MAX;
			}
			S->page_run[first] = (uint16_t)n;
			memset(live->cfg.ram + (size_t)first * PAGE_SIZE, 0, (size_t)n * PAGE_SIZE);
			return live->cfg.ram + (size_t)first * PAGE_SIZE;
		}
	}
	return NULL;
}

/* The page index of @virt in the guest RAM, or -1. */
static long page_index(const volatile void *virt)
{
	const uint8_t *p = (const uint8_t *)virt;

	if (p < live->cfg.ram || p >= live->cfg.ram + (size_t)live->cfg.pages * PAGE_SIZE) {
		return -1;
	}
	return (long)((size_t)(p - live->cfg.ram) / PAGE_SIZE);
}

void free_pages_exact(void *virt, size_t size)
{
	long i = page_index(virt);
	uint32_t n = (uint32_t)(PAGE_ALIGN(size) / PAGE_SIZE);

	if (i < 0 || (size_t)((uint8_t *)virt - live->cfg.ram) % PAGE_SIZE != 0 ||
	    S->page_run[i] != n) {
		ffa_shim_finding("client-pages", "free_pages_exact(%p, %zu) frees no allocation of that size",
				 virt, size);
	}
	for (uint32_t j = 0; j < n; j++) {
		S->page_run[(uint32_t)i + j] = 0;
	}
}

phys_addr_t virt_to_phys(const volatile void *virt)
{
	long i = page_index(virt);

	if (i < 0) {
		ffa_shim_finding("client-not-modelled",
				 "virt_to_phys(%p): not in the guest RAM the shim's page allocator gives",
				 (const void *)virt);
	}
	return live->cfg.ipa_base + (phys_addr_t)((const uint8_t *)virt - live->cfg.ram);
}

/* --- SMCCC: the conduit --- */

u32 arm_smccc_get_version(void)
{
	return ARM_SMCCC_VERSION_1_2;
}

enum arm_smccc_conduit arm_smccc_1_1_get_conduit(void)
{
	return live->cfg.hvc ? SMCCC_CONDUIT_HVC : SMCCC_CONDUIT_SMC;
}

static void conduit_call(const struct arm_smccc_1_2_regs *args, struct arm_smccc_1_2_regs *res)
{
	uint64_t in[FFA_CLIENT_REGS], out[FFA_CLIENT_REGS];

	_Static_assert(sizeof(in) == sizeof(*args), "x0-x17 both ways");
	if (++live->op_calls > live->cfg.call_limit) {
		ffa_shim_finding("client-hang",
				 "%lu SMCCC calls in one operation, the last 0x%lx (the driver loops on the answers)",
				 live->op_calls, args->a0);
	}
	live->calls++;
	memcpy(in, args, sizeof(in));
	live->conduit.call(live->conduit.ctx, in, out);
	memcpy(res, out, sizeof(out));
}

void arm_smccc_1_2_smc(const struct arm_smccc_1_2_regs *args, struct arm_smccc_1_2_regs *res)
{
	conduit_call(args, res);
}

void arm_smccc_1_2_hvc(const struct arm_smccc_1_2_regs *args, struct arm_smccc_1_2_regs *res)
{
	conduit_call(args, res);
}

/* --- Locks --- */

void mutex_init(struct mutex *m)
{
	m->held = 0;
}

void mutex_lock(struct mutex *m)
{
	if (m->held) {
		ffa_shim_finding("client-lock", "mutex %p taken while held (a deadlock)", (void *)m);
	}
	m->held = 1;
}

void mutex_unlock(struct mutex *m)
{
	if (!m->held) {
		ffa_shim_finding("client-lock", "mutex %p released while not held", (void *)m);
	}
	m->held = 0;
}

void rwlock_init(rwlock_t *l)
{
	*l = (rwlock_t){0};
}

void read_lock(rwlock_t *l)
{
	if (l->writer) {
		ffa_shim_finding("client-lock", "rwlock %p read-locked while write-locked (a deadlock)",
				 (void *)l);
	}
	l->readers++;
}

void read_unlock(rwlock_t *l)
{
	if (l->readers == 0) {
		ffa_shim_finding("client-lock", "rwlock %p read-unlocked with no reader", (void *)l);
	}
	l->readers--;
}

void write_lock(rwlock_t *l)
{
	if (l->writer || l->readers) {
		ffa_shim_finding("client-lock", "rwlock %p write-locked while held (a deadlock)",
				 (void *)l);
	}
	l->writer = 1;
}

void write_unlock(rwlock_t *l)
{
	if (!l->writer) {
		ffa_shim_finding("client-lock", "rwlock %p write-unlocked while not held", (void *)l);
	}
	l->writer = 0;
}

/* --- CPUs --- */

int smp_call_function_single(int cpu, void (*func)(void *info), void *info, int wait)
{
	unsigned int was = ffa_shim_cpu;

	(void)wait;
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids) {
		return -ENXIO;
	}
	ffa_shim_cpu = (unsigned int)cpu; /* the call runs as if on @cpu, then returns */
	func(info);
	ffa_shim_cpu = was;
	return 0;
}

void *__alloc_percpu(size_t size)
{
	return kcalloc(nr_cpu_ids, size, GFP_KERNEL);
}

void free_percpu(void *p)
{
	kfree(p);
}

/* Every CPU is online: the startup callback runs for each, the teardown at removal. */
int cpuhp_setup_state(enum cpuhp_state state, const char *name, int (*startup)(unsigned int cpu),
		      int (*teardown)(unsigned int cpu))
{
	(void)name;
	if (state != CPUHP_AP_ONLINE_DYN || S->cpuhp_set) {
		ffa_shim_finding("client-not-modelled", "cpuhp_setup_state(%d) beside one live", state);
	}
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		int ret = startup != NULL ? startup(cpu) : 0;

		if (ret < 0) {
			return ret;
		}
	}
	S->cpuhp_set = true;
	S->cpuhp_teardown = teardown;
	return CPUHP_AP_ONLINE_DYN + 1; /* the dynamic state allocated */
}

void cpuhp_remove_state(enum cpuhp_state state)
{
	(void)state;
	if (S->cpuhp_set && S->cpuhp_teardown != NULL) {
		for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			S->cpuhp_teardown(cpu);
		}
	}
	S->cpuhp_set = false;
}

void fsleep(unsigned long usecs)
{
	(void)usecs; /* time does not pass for the emulated CPU: the call loop is bounded instead */
}

/* --- UUIDs --- */

int uuid_parse(const char *str, uuid_t *u)
{
	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", bytes in text order (the kernel's uuid_index). */
	static const uint8_t at[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

	if (strlen(str) != 36 || str[8] != '-' || str[13] != '-' || str[18] != '-' || str[23] != '-') {
		return -EINVAL;
	}
	for (unsigned i = 0; i < 16; i++) {
		const char *h = str + at[i];
		unsigned v;

		if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]) ||
		    sscanf(h, "%2x", &v) != 1) {
			return -EINVAL;
		}
		u->b[i] = (u8)v;
	}
	return 0;
}
