/*
 * The fuzz machine: set-up from a program's header, frames with special
 * values resolved, and the direct run (see harness.h).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mediator/check.h"

#define HYP_PA 0x10000000ULL

/*
 * A binary built by oss-fuzz/build.sh runs where no one sets our environment
 * (OSS-Fuzz, ClusterFuzzLite): its name says the backend (<target>_pkvm), and
 * the known findings' masks lie beside it in ffa-emu-known/<backend>.suppressions
 * (and linux-driver.suppressions, the client target's). Each is taken only when
 * the environment does not say otherwise; a binary elsewhere is left alone.
 */
static void settings_from_binary(void)
{
	static bool done;
	char exe[2048], path[2200], masks[4500] = "";
	const char *base, *backend;
	ssize_t n;
	size_t len;

	if (done) {
		return;
	}
	done = true;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		return;
	}
	exe[n] = '\0';
	base = strrchr(exe, '/') != NULL ? strrchr(exe, '/') + 1 : exe;
	len = strlen(base);
	if (getenv("FFA_EMU_MEDIATOR") == NULL && len > 5 && strcmp(base + len - 5, "_pkvm") == 0) {
		setenv("FFA_EMU_MEDIATOR", "pkvm", 0);
	}
	backend = getenv("FFA_EMU_MEDIATOR") != NULL ? getenv("FFA_EMU_MEDIATOR") : "ref";
	if (getenv("FFA_EMU_SUPPRESS") != NULL) {
		return;
	}
	for (unsigned i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%.*s/ffa-emu-known/%s.suppressions", (int)(base - exe - 1), exe,
			 i == 0 ? backend : "linux-driver");
		if (access(path, R_OK) == 0) {
			len = strlen(masks);
			snprintf(masks + len, sizeof(masks) - len, "%s%s", len ? ":" : "", path);
		}
	}
	if (masks[0] != '\0') {
		setenv("FFA_EMU_SUPPRESS", masks, 0);
		/* Said once, on the engine's log: what this run masks, and on what. */
		fprintf(stderr, "ffa-emu: %s: mediator %s, known findings masked: %s\n", base, backend, masks);
	}
}

const struct backend_ops *fuzz_backend_from_env(void)
{
	const char *name;

	settings_from_binary();
	name = getenv("FFA_EMU_MEDIATOR");
	const struct backend_ops *be = backend_find(name != NULL && *name ? name : "ref");

	if (be == NULL) {
		fprintf(stderr, "ffa-emu: FFA_EMU_MEDIATOR=%s: no such mediator backend (%s)\n", name,
			backend_names());
		exit(2);
	}
	return be;
}

static const struct backend_ops *backend_of(const struct fuzz_machine *fm)
{
	return fm->be != NULL ? fm->be : &backend_ref;
}

ffa_id_t fuzz_vm_id(const struct fuzz_machine *fm, uint8_t index)
{
	return fm->cfg.vms[index % fm->cfg.vm_count].id;
}

struct smccc_regs fuzz_call(struct fuzz_machine *fm, ffa_id_t vm, const struct smccc_regs *call)
{
	if (fm->transport != NULL) {
		return fm->transport(fm->transport_ctx, vm, call);
	}
	return backend_of(fm)->call(fm->inst, vm, call);
}

/*
 * The index of @p's set-up (what start-up depends on of its header) in
 * fuzz_machine.snapshots. A host-only backend has one set-up: the header's
 * profile, VMs and sizes are our mediator's knobs.
 */
static unsigned setup_of(const struct fuzz_machine *fm, const struct fuzz_program *p)
{
	if (backend_of(fm)->host_only) {
		return 0;
	}
	return (((p->profile * FUZZ_MAX_VMS + (p->vm_count - 1)) * 8U + p->aarch32_mask) * 2U +
		p->big_buffers) * 2U + p->small_frags;
}

/*
 * The configuration a host-only backend (pKVM) gets: the host, ID 0, with
 * its IPA window where every fuzz VM's is (FUZZ_VM_IPA) and IPA = PA, one-page
 * RX/TX buffers. The header's profile, VM count, AArch32 mask and sizes do
 * not apply. Its pages are RAM: pKVM's host owns all its memory read-write,
 * and the shim models no device in the host's window (the hypervisor's own
 * pages follow the host's RAM, at 0x80010000).
 */
static void host_only_config(struct fuzz_machine *fm)
{
	struct mediator_config *cfg = &fm->cfg;

	mediator_config_default(cfg, backend_of(fm)->profile);
	cfg->vm_count = 1;
	cfg->vms[0].ipa_base = FUZZ_VM_IPA;
	cfg->vms[0].pa_base = FUZZ_VM_IPA;
	cfg->vms[0].page_count = FUZZ_VM_RAM_PAGES;
	cfg->vms[0].ro_pages = 0;
	cfg->vms[0].device_pages = 0;
	cfg->observe = oracle_observe;
	cfg->observe_ctx = fm;
}

/* Start the machine up for @p from nothing. Returns: the backend's start() result. */
static int start_up(struct fuzz_machine *fm, const struct fuzz_program *p)
{
	struct mediator_config *cfg = &fm->cfg;

	if (backend_of(fm)->host_only) {
		host_only_config(fm);
		mem_reset(&fm->mem);
		spmc_init(&fm->spmc, fm->manifest ? fm->manifest : spmc_manifest_default(), &fm->mem);
		memset(fm->inst, 0, backend_of(fm)->size);
		return backend_of(fm)->start(fm->inst, cfg, &fm->mem, &fm->spmc);
	}
	mediator_config_default(cfg, p->profile);
	cfg->max_version = fm->max_version;
	cfg->vm_count = p->vm_count;
	cfg->hyp_pa_base = HYP_PA;
	cfg->rxtx_max_pages = p->big_buffers ? FUZZ_RX_MAX_PAGES : 1;
	cfg->spmc_frag_bytes = p->small_frags ? 64 : 0;
	cfg->observe = oracle_observe;
	cfg->observe_ctx = fm;
	for (uint32_t i = 0; i < p->vm_count; i++) {
		cfg->vms[i].pa_base = HYP_PA + (2 + (uint64_t)i * FUZZ_VM_PAGES) * MEM_PAGE_SIZE;
		if (fm->plain_memory) { /* the host-only window above, as the real mediator's */
			cfg->vms[i].page_count = FUZZ_VM_RAM_PAGES;
			cfg->vms[i].ro_pages = cfg->vms[i].device_pages = 0;
		} else {
			cfg->vms[i].page_count = FUZZ_VM_PAGES;
			cfg->vms[i].ro_pages = FUZZ_VM_RO_PAGES;
			cfg->vms[i].device_pages = FUZZ_VM_DEVICE_PAGES;
		}
		cfg->vms[i].aarch32 = (p->aarch32_mask >> i & 1) != 0;
	}
	mem_reset(&fm->mem);
	spmc_init(&fm->spmc, fm->manifest ? fm->manifest : spmc_manifest_default(), &fm->mem);
	return mediator_init(&fm->m, cfg, &fm->mem, &fm->spmc);
}

static void drop_snapshots(struct fuzz_machine *fm)
{
	for (unsigned i = 0; i < FUZZ_SETUPS; i++) {
		if (fm->snapshots[i] != NULL) {
			mem_snapshot_free(&fm->snapshots[i]->mem);
			free(fm->snapshots[i]->backend);
			free(fm->snapshots[i]);
			fm->snapshots[i] = NULL;
		}
	}
}

void fuzz_machine_fini(struct fuzz_machine *fm)
{
	drop_snapshots(fm);
	if (fm->inst != NULL && fm->inst != &fm->m) {
		free(fm->inst);
	}
	fm->inst = NULL;
	if (fm->mem.ram != NULL) {
		mem_fini(&fm->mem);
	}
}

void fuzz_machine_use_manifest(struct fuzz_machine *fm, const struct spmc_manifest *manifest)
{
	if (manifest == fm->manifest) {
		return;
	}
	drop_snapshots(fm);
	fm->manifest = manifest;
}

void fuzz_machine_use_backend(struct fuzz_machine *fm, const struct backend_ops *be)
{
	if (be == backend_of(fm) && fm->inst != NULL) {
		return;
	}
	drop_snapshots(fm);
	if (fm->inst != NULL && fm->inst != &fm->m) {
		free(fm->inst);
	}
	if (fm->mem.ram != NULL) {
		mem_fini(&fm->mem); /* the new backend lays memory out its own way */
	}
	fm->be = be;
	fm->inst = be == &backend_ref ? (void *)&fm->m : calloc(1, be->size);
	if (fm->inst == NULL) {
		abort(); /* out of host memory: not a finding */
	}
}

/* Allocate @fm's memory for its backend, once: its RAM keeps its address from then on. */
static void machine_memory(struct fuzz_machine *fm)
{
	uint64_t base = HYP_PA;
	uint32_t pages = 2 + FUZZ_MAX_VMS * FUZZ_VM_PAGES;

	if (fm->inst == NULL) {
		fuzz_machine_use_backend(fm, backend_of(fm));
	}
	if (fm->mem.ram != NULL) {
		return;
	}
	if (backend_of(fm)->host_only) {
		host_only_config(fm);
		backend_of(fm)->mem_extent(&fm->cfg, &base, &pages);
	}
	if (mem_init(&fm->mem, base, pages) != FFA_OK) {
		abort(); /* out of host memory: not a finding */
	}
}

bool fuzz_machine_init(struct fuzz_machine *fm, const struct fuzz_program *p)
{
	unsigned setup;
	struct fuzz_snapshot *snap;

	machine_memory(fm);
	oracle_known_reload();
	setup = setup_of(fm, p);
	CHECK(setup < FUZZ_SETUPS);
	fm->handle_count = 0;
	fm->caller = FUZZ_NO_CALLER;
	snap = fm->snapshots[setup];
	if (snap != NULL) {
		mem_restore(&fm->mem, &snap->mem);
		spmc_state_copy(&fm->spmc, &snap->spmc);
		backend_of(fm)->copy(fm->inst, snap->backend);
		fm->cfg = snap->cfg;
		fm->restores++;
	} else {
		if (start_up(fm, p) != FFA_OK) {
			return false;
		}
		if (fm->spmc.fault_count != 0) { /* the per-call rule only counts faults from here on */
			oracle_fail("spmc-fault", "at start-up: %#x: %s", fm->spmc.faults[0].fid,
				    fm->spmc.faults[0].reason);
		}
		/* calloc: the tables' unused bytes are never touched, so cost no memory. */
		snap = calloc(1, sizeof(*snap));
		if (snap == NULL || (snap->backend = calloc(1, backend_of(fm)->size)) == NULL ||
		    mem_snapshot_take(&fm->mem, &snap->mem) != FFA_OK) {
			abort(); /* out of host memory: not a finding */
		}
		spmc_state_copy(&snap->spmc, &fm->spmc);
		backend_of(fm)->copy(snap->backend, fm->inst);
		snap->cfg = fm->cfg;
		fm->snapshots[setup] = snap;
	}
	/* What the header adds after start-up, which does not depend on it. */
	for (unsigned i = 0; i < 4; i++) {
		spmc_set_behaviour(&fm->spmc, (ffa_id_t)(0x8001 + i),
				   (struct spmc_behaviour){.kind = p->behaviour[i], .arg = 1});
	}
	fm->spmc.mem_lie = p->lie; /* lies only after an honest start-up */
	model_reset(fm);
	return true;
}

/* The value of selector @sel (>= 0xC0) for VM @vm: input.c, or a handle replies carried. */
static uint64_t special(const struct fuzz_machine *fm, ffa_id_t vm, uint8_t sel)
{
	unsigned k = (unsigned)(sel - FUZZ_SEL_HANDLE_FIRST) / 8;
	uint64_t v;

	if (fuzz_selector_static(sel, vm, &v)) {
		return v;
	}
	if ((sel - FUZZ_SEL_HANDLE_FIRST) % 8 == FUZZ_SEL_HANDLE_LO) {
		return fm->handle_count ? fm->handles[k % fm->handle_count] : 0;
	}
	return fm->handle_count ? fm->handles[k % fm->handle_count] >> 32 : FUZZ_VM_IPA;
}

/* A FUZZ_HANDLE_MARK in the handle field of @fid's descriptor (@len bytes at @tx) made a handle. */
static void resolve_handle_mark(const struct fuzz_machine *fm, uint32_t fid, uint8_t *tx, uint32_t len)
{
	uint32_t at = fid == FFA_MEM_RELINQUISH_32 ? 0 : 8;
	uint64_t v;

	if ((fid != FFA_MEM_RETRIEVE_REQ_32 && fid != FFA_MEM_RETRIEVE_REQ_64 &&
	     fid != FFA_MEM_RELINQUISH_32) || len < at + 8 || fm->handle_count == 0) {
		return;
	}
	memcpy(&v, tx + at, sizeof(v));
	if ((v & ~0xFFULL) == FUZZ_HANDLE_MARK && (v & 0xFF) != 0xFF) {
		v = fm->handles[(v & 0xFF) % fm->handle_count];
		memcpy(tx + at, &v, sizeof(v));
	}
}

struct smccc_regs fuzz_frame(struct fuzz_machine *fm, const struct fuzz_program *p,
			     const struct fuzz_call *c)
{
	ffa_id_t vm = fuzz_vm_id(fm, c->vm);
	struct smccc_regs r = {.x = {c->fid}};
	uint64_t index = (uint64_t)(c - p->calls);
	struct mailbox mb;

	/* x8-x17 carry a non-zero pattern, so a mediator that drops, leaks or
	 * fails to preserve them is seen (input.h). */
	for (unsigned n = 8; n < SMCCC_REG_COUNT; n++) {
		r.x[n] = 0xA5A5000000000000ULL | index << 8 | n;
	}
	for (unsigned n = 1; n <= 7; n++) {
		if (c->present & (1U << (n - 1))) {
			r.x[n] = c->special[n] ? special(fm, vm, c->special[n]) : c->x[n];
		}
	}
	if (c->payload_len != 0 && backend_of(fm)->mailbox(fm->inst, vm, &mb)) {
		uint8_t *tx = mem_map(&fm->mem, mb.tx_pa, mb.page_count, vm, MEM_PAGE_MAILBOX);
		uint32_t n = c->payload_len < mb.page_count * MEM_PAGE_SIZE ? c->payload_len
									    : mb.page_count * MEM_PAGE_SIZE;

		if (tx != NULL) {
			memcpy(tx, p->payload + c->payload_off, n);
			resolve_handle_mark(fm, c->fid, tx, n);
		}
	}
	return r;
}

void fuzz_behave(struct fuzz_machine *fm, const struct fuzz_call *c)
{
	if (c->behave_sp != 0) {
		spmc_set_behaviour(&fm->spmc, (ffa_id_t)(0x8000 + c->behave_sp),
				   (struct spmc_behaviour){.kind = c->behave, .arg = 1});
	}
}

void fuzz_note_reply(struct fuzz_machine *fm, const struct smccc_regs *call,
		     const struct smccc_regs *reply)
{
	uint32_t cfid = ffa_func(call), rfid = ffa_func(reply);
	uint64_t h;

	/* A send's or FFA_MEM_FRAG_TX's SUCCESS (w2/w3), or its FFA_MEM_FRAG_RX (w1/w2). */
	if (ffa_mem_type_of(cfid) == 0 && cfid != FFA_MEM_FRAG_TX_32) {
		return;
	}
	if (rfid == FFA_SUCCESS_32) {
		h = (uint64_t)ffa_w(reply, 2) | (uint64_t)ffa_w(reply, 3) << 32;
	} else if (rfid == FFA_MEM_FRAG_RX_32) {
		h = (uint64_t)ffa_w(reply, 1) | (uint64_t)ffa_w(reply, 2) << 32;
	} else {
		return;
	}
	fm->handles[fm->handle_count % FUZZ_MAX_HANDLES] = h;
	fm->handle_count += fm->handle_count < FUZZ_MAX_HANDLES;
}

bool fuzz_verbose;

static void print_regs(const char *tag, ffa_id_t vm, const struct smccc_regs *r)
{
	fprintf(stderr, "  %s VM %u:", tag, vm);
	for (unsigned i = 0; i < 8; i++) {
		fprintf(stderr, " %llx", (unsigned long long)r->x[i]);
	}
	fputc('\n', stderr);
}

jmp_buf fuzz_abandon_jmp;
struct fuzz_machine *fuzz_abandon_machine;

void fuzz_backend_finding(const char *rule, const char *detail)
{
	if (fuzz_abandon_machine != NULL && oracle_excused(fuzz_abandon_machine, rule, detail)) {
		longjmp(fuzz_abandon_jmp, 1);
	}
	oracle_fail(rule, "%s", detail);
}

struct smccc_regs fuzz_call_checked(struct fuzz_machine *fm, ffa_id_t vm,
				    const struct smccc_regs *call)
{
	struct oracle_before before;
	struct smccc_regs reply;

	oracle_before(fm, vm, call, &before);
	reply = fuzz_call(fm, vm, call);
	if (fuzz_verbose) {
		print_regs("call ", vm, call);
		print_regs("reply", vm, &reply);
	}
	oracle_check(fm, vm, &before, call, &reply);
	fuzz_note_reply(fm, call, &reply);
	return reply;
}

void fuzz_run(struct fuzz_machine *fm, const struct fuzz_program *p, struct smccc_regs *replies)
{
	if (!fuzz_machine_init(fm, p)) {
		oracle_fail("startup", "the mediator could not start");
	}
	fuzz_abandon_machine = fm;
	if (setjmp(fuzz_abandon_jmp) != 0) {
		fuzz_abandon_machine = NULL;
		return; /* a masked known finding ended the input */
	}
	for (uint32_t i = 0; i < p->call_count; i++) {
		const struct fuzz_call *c = &p->calls[i];
		ffa_id_t vm = fuzz_vm_id(fm, c->vm);
		struct smccc_regs call, reply;

		fuzz_behave(fm, c);
		call = fuzz_frame(fm, p, c);
		reply = fuzz_call_checked(fm, vm, &call);
		if (replies != NULL) {
			replies[i] = reply;
		}
	}
	fuzz_abandon_machine = NULL;
}

static struct fuzz_machine direct_machine; /* fuzz_run_direct()'s, for the process's life */
const uint8_t *fuzz_current_input;
size_t fuzz_current_size;

void fuzz_run_direct(const struct fuzz_abi_set *set, const uint8_t *data, size_t len)
{
	static struct fuzz_program p;

	fuzz_current_input = data;
	fuzz_current_size = len;
	fuzz_decode(set, data, len, &p);
	if (fuzz_diff_mode) {
		fuzz_run_diff(&direct_machine, &p);
		return;
	}
	fuzz_run(&direct_machine, &p, NULL);
}

void fuzz_machine_warm_up(struct fuzz_machine *fm)
{
	static struct fuzz_program p;

	for (unsigned setup = 0; setup < FUZZ_SETUPS; setup++) {
		uint8_t header[FUZZ_HEADER_SIZE] = {0};
		unsigned v = setup;

		/* setup_of() backwards: small frags, big buffers, AArch32 mask, VM count, profile. */
		header[1] = (uint8_t)((v % 2) << 6);
		v /= 2;
		header[1] |= (uint8_t)((v % 2) << 5);
		v /= 2;
		header[1] |= (uint8_t)((v % 8) << 2);
		v /= 8;
		header[1] |= (uint8_t)(v % FUZZ_MAX_VMS);
		header[0] = (uint8_t)(v / FUZZ_MAX_VMS);
		fuzz_decode(fuzz_abi_set("seq"), header, sizeof(header), &p);
		if (backend_of(fm)->host_only) {
			setup = FUZZ_SETUPS; /* one set-up: this start is the only one */
		} else {
			CHECK(setup_of(fm, &p) == setup);
		}
		if (!fuzz_machine_init(fm, &p)) {
			oracle_fail("startup", "the mediator could not start");
		}
	}
}

void fuzz_warm_up(void)
{
	fuzz_machine_use_backend(&direct_machine, fuzz_backend_from_env());
	oracle_deviation_hook = fuzz_record_deviation;
	backend_finding_hook = fuzz_backend_finding;
	fuzz_machine_warm_up(&direct_machine);
	if (getenv("FFA_EMU_DIFF") != NULL && !fuzz_is_ref(&direct_machine)) {
		fuzz_diff_warm_up();
	}
}

void fuzz_bench_restores(unsigned long n)
{
	static struct fuzz_program p;
	static const uint8_t header[FUZZ_HEADER_SIZE];

	fuzz_decode(fuzz_abi_set("seq"), header, sizeof(header), &p);
	for (unsigned long i = 0; i < n; i++) {
		if (!fuzz_machine_init(&direct_machine, &p)) {
			oracle_fail("startup", "the mediator could not start");
		}
	}
}

/* Write @len bytes to @path, replacing it. */
static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f != NULL) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

void fuzz_record_deviation(const struct backend_deviation *d, unsigned long count)
{
	static const char *dir, *backend; /* every target's machines run FFA_EMU_MEDIATOR's backend */
	static bool looked;
	char path[4096], text[32], name[128];
	uint32_t hash = 5381;
	FILE *f;

	if (count != 1 && (count & (count - 1)) != 0 && count % 4096 != 0) {
		return; /* nothing to write this time: the common case */
	}
	if (!looked) {
		dir = getenv("FFA_EMU_DEVIATIONS");
		/* The name as given, not backend_find(): code AFL++ instruments, run once per
		 * process here, would be an edge only the first input takes (unstable). */
		backend = getenv("FFA_EMU_MEDIATOR");
		backend = backend != NULL && *backend != '\0' ? backend : "ref";
		looked = true;
	}
	if (dir == NULL || *dir == '\0') {
		return;
	}
	/* <backend>-<rule>, or <backend>-known-<rule>-<hash of the text it masks>. */
	for (const char *c = d->reason; d->known_finding && *c; c++) {
		hash = hash * 33 + (uint8_t)*c;
	}
	if (d->known_finding) {
		snprintf(name, sizeof(name), "%s-known-%s-%08x", backend, d->rule, hash);
	} else {
		snprintf(name, sizeof(name), "%s-%s", backend, d->rule);
	}
	if (count == 1 && fuzz_current_input != NULL) {
		snprintf(path, sizeof(path), "%s/%s.input", dir, name);
		f = fopen(path, "rb");
		if (f != NULL) {
			fclose(f);
		} else {
			write_file(path, fuzz_current_input, fuzz_current_size);
		}
	}
	if ((count & (count - 1)) == 0 || count % 4096 == 0) {
		snprintf(path, sizeof(path), "%s/%s.count.%ld", dir, name, (long)getpid());
		snprintf(text, sizeof(text), "%lu\n", count);
		write_file(path, text, strlen(text));
	}
}
