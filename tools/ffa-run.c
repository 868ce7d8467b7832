/*
 * tools/ffa-run: runs readable scenarios (tools/SCENARIOS.md) against the
 * mediator and the SPMC model, directly or through the real aarch64 stub
 * under Unicorn (--emu), with the fuzz oracle (fuzz/oracle.c) watching every
 * call, and prints a decoded trace: each call and reply by name, the
 * partition info a reply left in RX, each expectation with what was found.
 * It also turns fuzz inputs into scenarios (--from-input) and back
 * (--to-input). A client scenario ("client" line) has Linux's FF-A driver
 * make the calls instead (tools/run_client.c).
 *
 * Usage (ffa-run --help says the same):
 *   ffa-run [--emu] [-q] [--mediator M] FILE...   run scenarios (-q: print failures and totals only;
 *                                      M: the backend every scenario runs on, whatever its
 *                                      "mediator" line says: ref or pkvm)
 *   ffa-run --from-input [--target T] [--mediator M] INPUT   print the scenario INPUT decodes to
 *   ffa-run --to-input [--target T] -o OUT FILE    compile scenario FILE to input OUT
 * T is a fuzz target's name (default seq). Exit status: 0 when every
 * expectation holds and no oracle rule breaks unexpectedly; 1 when one does
 * not (expected against actual is printed); 2, before anything runs, for a
 * malformed scenario (file, line, column and what was expected), a malformed
 * or unreadable manifest (the scenario's file and line, then the manifest's
 * error), a scenario without a call, a path that is not a readable regular
 * file, or a usage error (the option named).
 */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "mediator/check.h"
#include "harness.h"
#include "run_client.h"
#include "scenario.h"
#include "trace.h"

static struct fuzz_machine fm;
static struct emu engines[FUZZ_MAX_VMS];
static bool engine_ready[FUZZ_MAX_VMS];
static bool quiet;
static const struct backend_ops *forced; /* --mediator */
static jmp_buf on_oracle;
char broken_rule[48], broken_detail[256];
jmp_buf *on_broken = &on_oracle;

static void oracle_broke(const char *rule, const char *detail)
{
	snprintf(broken_rule, sizeof(broken_rule), "%s", rule);
	snprintf(broken_detail, sizeof(broken_detail), "%s", detail);
	longjmp(*on_broken, 1);
}

/*
 * The whole of the regular file @path (@what: "a scenario file", ...),
 * NUL-terminated, its length in *@len (spmc_read_text()).
 * Returns: the text (free() it), or NULL with the error printed, naming @path.
 */
static char *slurp(const char *path, const char *what, size_t *len)
{
	char err[400];
	char *text = spmc_read_text(path, what, len, err, sizeof(err));

	if (text == NULL) {
		fprintf(stderr, "ffa-run: %s\n", err);
	}
	return text;
}

/* VM @vm's engine, made on first use (HVC enabled). */
static struct emu *engine_of(ffa_id_t vm)
{
	struct mem_window w;

	if (!engine_ready[vm]) {
		if (!mediator_config_window(&fm.cfg, vm, &w) ||
		    emu_init(&engines[vm], fm.be, fm.inst, &fm.mem, &w, vm) != EMU_OK) {
			oracle_fail("emu-stub-failed", "no engine for VM %u", vm);
		}
		emu_enable_hvc(&engines[vm]);
		engine_ready[vm] = true;
	}
	return &engines[vm];
}

static struct smccc_regs make_call(ffa_id_t vm, struct smccc_regs *call, bool emu)
{
	struct smccc_regs reply;

	if (!emu) {
		return fuzz_call(&fm, vm, call);
	}
	/* VM 1 traps through hvc, the others through smc, as the emu fuzz target makes them. */
	if (emu_call(engine_of(vm), vm == 1 ? EMU_HVC : EMU_SMC, call, &reply) != EMU_OK) {
		oracle_fail("emu-stub-failed", "the stub did not come back");
	}
	return reply;
}

/* The partition info entries a successful FFA_PARTITION_INFO_GET left in @vm's RX. */
static const uint8_t *rx_entries(ffa_id_t vm, const struct smccc_regs *call,
				 const struct smccc_regs *reply, uint32_t *count, uint32_t *size)
{
	struct mailbox mb;

	if (ffa_func(call) != FFA_PARTITION_INFO_GET_32 || reply->x[0] != FFA_SUCCESS_32 ||
	    !fm.be->mailbox(fm.inst, vm, &mb) || (ffa_w(call, 5) & 1)) {
		return NULL;
	}
	*count = ffa_w(reply, 2);
	*size = oracle_vm_version(&fm, vm).version >= FFA_VERSION_1_1 ? ffa_w(reply, 3) : 8;
	if (*size < 8 || (uint64_t)*count * *size > (uint64_t)mb.page_count * MEM_PAGE_SIZE) {
		return NULL;
	}
	return mem_map(&fm.mem, mb.rx_pa, mb.page_count, vm, MEM_PAGE_MAILBOX);
}

static void print_entries(const uint8_t *rx, uint32_t count, uint32_t size)
{
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = rx + (size_t)i * size;

		printf("    RX[%u] id=%#x contexts=%u properties=%#x", i, e[0] | e[1] << 8, e[2] | e[3] << 8,
		       (unsigned)(e[4] | e[5] << 8 | e[6] << 16 | (uint32_t)e[7] << 24));
		if (size >= 24) {
			printf(" uuid=");
			for (unsigned b = 8; b < 24; b++) {
				printf("%02x%s", e[b], b == 11 || b == 13 || b == 15 || b == 17 ? "-" : "");
			}
		}
		putchar('\n');
	}
}

/* The virtual interrupts each VM got during the call. */
static void print_irqs(void)
{
	for (uint32_t i = 0; i < fm.model.vm_count; i++) {
		for (uint32_t id = 0; id < 32; id++) {
			if (fm.model.vms[i].irqs >> id & 1) {
				printf("    interrupt %u%s -> vm%u\n", id,
				       id == FFA_SRI_INTID   ? " (SRI)"
				       : id == FFA_NPI_INTID ? " (NPI)"
							     : "",
				       fm.model.vms[i].id);
			}
		}
	}
}

/* Check expectation @e after its call. Returns: true if it holds; prints either way (unless quiet). */
static bool check(const struct scenario *s, const struct scenario_expect *e, ffa_id_t vm,
		  const struct smccc_regs *call, const struct smccc_regs *reply)
{
	char found[160] = "";
	bool ok = false;

	switch (e->kind) {
	case EXPECT_REG: {
		uint64_t v = e->width32 ? reply->x[e->reg] & 0xFFFFFFFFU : reply->x[e->reg];

		ok = v == e->value;
		snprintf(found, sizeof(found), "%c%u=%#llx", e->width32 ? 'w' : 'x', e->reg,
			 (unsigned long long)v);
		break;
	}
	case EXPECT_RX_PARTITION: {
		uint32_t count = 0, size = 0;
		const uint8_t *rx = rx_entries(vm, call, reply, &count, &size);
		const uint8_t *en = rx && e->index < count ? rx + (size_t)e->index * size : NULL;

		if (en == NULL) {
			snprintf(found, sizeof(found), "no entry %u in RX (%u entries)", e->index, count);
			break;
		}
		ok = (!(e->fields & RX_ID) || (en[0] | en[1] << 8) == e->id) &&
		     (!(e->fields & RX_CONTEXTS) || (en[2] | en[3] << 8) == e->contexts) &&
		     (!(e->fields & RX_PROPERTIES) ||
		      (uint32_t)(en[4] | en[5] << 8 | en[6] << 16 | (uint32_t)en[7] << 24) == e->properties) &&
		     (!(e->fields & RX_UUID) || (size >= 24 && memcmp(en + 8, e->uuid, 16) == 0));
		snprintf(found, sizeof(found), "id=%#x contexts=%u properties=%#x", en[0] | en[1] << 8,
			 en[2] | en[3] << 8, (unsigned)(en[4] | en[5] << 8 | en[6] << 16 | (uint32_t)en[7] << 24));
		break;
	}
	case EXPECT_PAGE: {
		struct mem_window w;
		const struct mem_page *pg = mediator_config_window(&fm.cfg, vm, &w) && e->value >= w.ipa_base
						    ? mem_page_at(&fm.mem, w.pa_base + (e->value - w.ipa_base))
						    : NULL;

		if (pg == NULL) {
			snprintf(found, sizeof(found), "no page at IPA %#llx", (unsigned long long)e->value);
			break;
		}
		ok = (e->owner == MEM_OWNER_NONE - 1 || pg->owner == e->owner) &&
		     (e->state < 0 || pg->state == e->state);
		snprintf(found, sizeof(found), "owner=%#x state=%u", pg->owner, pg->state);
		break;
	}
	case EXPECT_RX_BYTES: {
		struct mailbox mb = {0};
		const uint8_t *rx = fm.be->mailbox(fm.inst, vm, &mb) ? mem_host(&fm.mem, mb.rx_pa, mb.page_count)
								      : NULL;
		size_t size = (size_t)mb.page_count * MEM_PAGE_SIZE, n = 0;

		if (rx == NULL || e->index + e->nbytes > size) {
			snprintf(found, sizeof(found), "no RX buffer holding bytes %u..%u", e->index,
				 e->index + e->nbytes);
			break;
		}
		ok = memcmp(rx + e->index, e->bytes, e->nbytes) == 0;
		for (unsigned b = 0; b < e->nbytes && n + 4 < sizeof(found); b++) {
			n += (size_t)snprintf(found + n, sizeof(found) - n, "%02x ", rx[e->index + b]);
		}
		break;
	}
	case EXPECT_IRQ:
		ok = model_vm(&fm, vm)->irqs == e->value;
		snprintf(found, sizeof(found), "interrupts %#x (bit n: ID n)", model_vm(&fm, vm)->irqs);
		break;
	case EXPECT_RET: /* a driver operation's: scenario_parse() takes it in client scenarios only */
		CHECK(!"expect ret= outside a client scenario");
		break;
	case EXPECT_ORACLE:
		ok = strcmp(broken_rule, e->text) == 0;
		snprintf(found, sizeof(found), "%s", broken_rule[0] ? broken_rule : "no rule broken");
		break;
	}
	if (!ok) {
		printf("    FAILED %s:%u: expected %s, found %s\n", s->path, e->line,
		       e->source + strspn(e->source, " \t"), found);
	} else if (!quiet && !(e->kind == EXPECT_REG && e->reg == 2 && e != s->expects &&
			       strncmp(e[-1].source, "ERROR ", 6) == 0)) {
		printf("    ok: %s\n", e->source + strspn(e->source, " \t"));
	}
	return ok;
}

/* Make @s's "bind" lines for call @call. Returns: false if the SPMC model refuses one. */
static bool make_binds(const struct scenario *s, unsigned call)
{
	for (unsigned k = 0; k < s->bind_count; k++) {
		const struct scenario_bind *b = &s->binds[k];
		int err;

		if (b->call != call) {
			continue;
		}
		err = spmc_sp_bind(&fm.spmc, b->sp, fuzz_vm_id(&fm, b->vm), b->bitmap, b->per_vcpu);
		if (err != FFA_OK) {
			printf("    FAILED %s: bind %#x vm%u %#llx: the SPMC model refused it (%d)\n", s->path,
			       b->sp, b->vm, (unsigned long long)b->bitmap, err);
			return false;
		}
	}
	return true;
}

/* Write @s's "ram" lines for call @call into the VMs' memory. Returns: false if one misses the VM. */
static bool write_ram(const struct scenario *s, unsigned call)
{
	for (unsigned k = 0; k < s->ram_count; k++) {
		const struct scenario_ram *r = &s->ram[k];
		struct mem_window win;
		const struct mem_window *w = &win;
		uint64_t size;
		uint8_t *host;

		if (r->call != call) {
			continue;
		}
		CHECK(mediator_config_window(&fm.cfg, fuzz_vm_id(&fm, r->vm), &win));
		size = (uint64_t)w->page_count * MEM_PAGE_SIZE;
		if (r->ipa < w->ipa_base || r->ipa - w->ipa_base > size || r->len > size - (r->ipa - w->ipa_base)) {
			printf("    FAILED %s: ram vm%u %#llx: outside the VM's memory\n", s->path, r->vm,
			       (unsigned long long)r->ipa);
			return false;
		}
		host = mem_host(&fm.mem, w->pa_base, w->page_count);
		memcpy(host + (r->ipa - w->ipa_base), s->ram_bytes + r->off, r->len);
		mem_touch(&fm.mem, w->pa_base + (r->ipa - w->ipa_base), r->len);
	}
	return true;
}

/* The manifest the scenario being read or run names, and the path it was loaded from. */
static struct spmc_manifest manifest;
static char manifest_path[512];

/* The line of @text's last "manifest" line (the one scenario_parse() keeps). Returns: it, or 0. */
static unsigned manifest_line(const char *text)
{
	unsigned line = 0, found = 0;

	for (const char *l = text; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		const char *w = l + strspn(l, " \t");

		line++;
		if (strncmp(w, "manifest", 8) == 0 && (w[8] == ' ' || w[8] == '\t')) {
			found = line;
		}
	}
	return found;
}

/*
 * Load the manifest scenario @s names on its line @line into @manifest, once
 * per path. Returns: 0, or 2 with "<scenario>:<line>: manifest: <error>"
 * printed, the error naming the manifest (and its line) and what was expected.
 */
static int load_manifest(const struct scenario *s, unsigned line)
{
	char err[400];

	if (strcmp(manifest_path, s->manifest) == 0) {
		return 0;
	}
	fuzz_machine_use_manifest(&fm, NULL); /* drop what was started from the old one */
	manifest_path[0] = '\0';
	if (!spmc_manifest_load(s->manifest, &manifest, err, sizeof(err))) {
		fprintf(stderr, "%s:%u: manifest: %s\n", s->path, line, err);
		return 2;
	}
	snprintf(manifest_path, sizeof(manifest_path), "%s", s->manifest);
	return 0;
}

/*
 * Run the machine on @be from now on. Its memory is remade for the backend,
 * so the engines mapping the old RAM go too (made again on first use).
 */
static void use_backend(const struct backend_ops *be)
{
	if (be == fm.be) {
		return;
	}
	for (unsigned v = 0; v < FUZZ_MAX_VMS; v++) {
		if (engine_ready[v]) {
			emu_fini(&engines[v]);
			engine_ready[v] = false;
		}
	}
	fuzz_machine_use_backend(&fm, be);
}

/*
 * A real mediator's known findings (corpus/known/<backend>/suppressions,
 * FFA_EMU_SUPPRESS) are masked, so that a scenario documents what it answers
 * past them; FFA_EMU_SUPPRESS set by the caller wins. Run from the
 * repository's top directory, as every tool is.
 */
static void mask_known_findings(void)
{
	static bool told;
	char path[256];
	FILE *f;

	if (fm.be == &backend_ref || getenv("FFA_EMU_SUPPRESS") != NULL) {
		return;
	}
	snprintf(path, sizeof(path), "corpus/known/%s/suppressions", fm.be->name);
	if ((f = fopen(path, "r")) != NULL) {
		fclose(f);
		setenv("FFA_EMU_SUPPRESS", path, 0);
		if (!told && !quiet) {
			printf("ffa-run: %s's known findings are masked (%s)\n", fm.be->name, path);
			told = true;
		}
	}
}

/* Run @s. Returns: the number of failures (expectations, or oracle rules broken unexpectedly). */
static unsigned run(const struct scenario *s, bool emu)
{
	static struct smccc_regs call, reply;
	volatile unsigned failures = 0, next = 0;
	volatile uint32_t i = 0;

	broken_rule[0] = '\0';
	use_backend(forced != NULL ? forced : backend_find(s->mediator[0] ? s->mediator : "ref"));
	mask_known_findings();
	fuzz_machine_use_manifest(&fm, s->manifest[0] ? &manifest : NULL); /* read_scenario() loaded it */
	if (!fuzz_machine_init(&fm, &s->p)) {
		printf("FAIL %s: the mediator could not start\n", s->path);
		return 1;
	}
	for (unsigned v = 0; v < FUZZ_MAX_VMS; v++) {
		if (engine_ready[v]) {
			emu_reset(&engines[v]);
		}
	}
	if (setjmp(on_oracle) != 0) {
		goto broken;
	}
	if (s->client) { /* through the stub with --emu or a "client stub" line */
		return run_client(&fm, s, emu || s->cp.via_stub ? engine_of(FFA_HOST_ID) : NULL, quiet);
	}
	for (; i < s->p.call_count; i++) {
		const struct fuzz_call *c = &s->p.calls[i];
		ffa_id_t vm = fuzz_vm_id(&fm, c->vm);
		struct oracle_before before;
		uint32_t count, size;
		const uint8_t *rx;

		fuzz_behave(&fm, c);
		if (!write_ram(s, i) || !make_binds(s, i)) {
			return failures + 1;
		}
		call = fuzz_frame(&fm, &s->p, c);
		if (!quiet) {
			printf("%s:%u: ", s->path, s->call_line[i]);
			trace_call(stdout, vm, &call);
		}
		oracle_before(&fm, vm, &call, &before);
		reply = make_call(vm, &call, emu);
		oracle_check(&fm, vm, &before, &call, &reply);
		fuzz_note_reply(&fm, &call, &reply);
		if (!quiet) {
			trace_reply(stdout, &call, &reply);
			if ((rx = rx_entries(vm, &call, &reply, &count, &size)) != NULL) {
				print_entries(rx, count, size);
			}
			print_irqs();
		}
		for (; next < s->expect_count && s->expects[next].call == i; next++) {
			failures += !check(s, &s->expects[next], vm, &call, &reply);
		}
	}
	return failures;

broken: /* an oracle rule broke during call i: nothing after it runs */
	printf("    oracle: %s: %s\n", broken_rule, broken_detail);
	{
		bool expected = false;

		for (; next < s->expect_count && s->expects[next].call == i; next++) {
			if (s->expects[next].kind == EXPECT_ORACLE) {
				expected = true;
				failures += !check(s, &s->expects[next], fuzz_vm_id(&fm, s->p.calls[i].vm), &call,
						   &reply);
			}
		}
		failures += !expected;
	}
	if (i + 1 < s->p.call_count || next < s->expect_count) {
		printf("    NOT RUN: calls %u to %u (lines %u-%u) and their expectations\n", i + 2,
		       s->p.call_count, i + 1 < s->p.call_count ? s->call_line[i + 1] : 0,
		       s->call_line[s->p.call_count - 1]);
		failures++;
	}
	return failures;
}

/*
 * Read and parse scenario file @path into @s, and load the manifest it names
 * unless @compile_only (--to-input, which refuses one).
 * Returns: 0, or 2 with the error printed.
 */
static int read_scenario(const char *path, struct scenario *s, bool compile_only)
{
	size_t len;
	char *text = slurp(path, "a scenario file", &len), err[400];
	int rc = 0;

	if (text == NULL) {
		return 2;
	}
	if (strlen(text) != len) {
		fprintf(stderr, "ffa-run: %s: a NUL byte in the file\n", path);
		rc = 2;
	} else if (scenario_parse(path, text, s, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		rc = 2;
	} else if (!s->client && s->p.call_count == 0) { /* a client scenario's probe is its first step */
		fprintf(stderr, "ffa-run: %s: no call (expected at least one 'vmN FFA_...' line)\n", path);
		rc = 2;
	} else if (!compile_only && s->manifest[0] != '\0') {
		rc = load_manifest(s, manifest_line(text));
	}
	free(text);
	return rc;
}

#define USAGE \
	"usage: ffa-run [--emu] [-q] [--mediator M] FILE...\n" \
	"       ffa-run --from-input [--target T] [--mediator M] INPUT\n" \
	"       ffa-run --to-input [--target T] -o OUT FILE\n"

/* Print the usage, every option explained, for --help. */
static void usage(void)
{
	printf(USAGE
	       "Runs each scenario FILE (tools/SCENARIOS.md) against the mediator and the SPMC model,\n"
	       "the fuzz oracle watching every call, and prints a decoded trace and each expectation.\n"
	       "  --emu           make every call through the real aarch64 stub under Unicorn\n"
	       "  -q              print only failures and the totals, not the trace\n"
	       "  --mediator M    the backend every scenario runs on, whatever its 'mediator' line\n"
	       "                  says: %s (--from-input: the 'mediator' line it writes)\n"
	       "  --from-input    print the scenario the fuzz input INPUT decodes to\n"
	       "  --to-input      compile scenario FILE to the fuzz input OUT\n"
	       "  -o OUT          the file --to-input writes (required with it)\n"
	       "  --target T      the fuzz target whose ABI set the input uses, with --from-input\n"
	       "                  and --to-input: ",
	       backend_names());
	for (unsigned i = 0; i < fuzz_abi_set_count; i++) {
		printf("%s%s", i ? ", " : "", fuzz_abi_sets[i].target);
	}
	printf(", client (default seq; a client scenario is always client's input)\n"
	       "  -h, --help      print this help and exit\n"
	       "Exit status: 0 every expectation holds and no oracle rule breaks unexpectedly; 1 one\n"
	       "does not (after every file has run); 2, before anything runs, a malformed scenario or\n"
	       "manifest, a scenario without a call, a path that is not a readable regular file, or a\n"
	       "usage error.\n");
}

/* A usage error: @fmt says what is wrong, naming the option. Returns: 2, the exit status. */
__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ffa-run: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n" USAGE "(--help explains every option)\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct scenario s;
	const struct fuzz_abi_set *set = fuzz_abi_set("seq");
	const char *out = NULL;
	bool emu = false, from_input = false, to_input = false, client_target = false;
	unsigned files = 0, failed = 0;
	int first = 1, rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0); /* the trace up to a sanitizer's report, which aborts */
	for (; first < argc && argv[first][0] == '-'; first++) {
		const char *opt = argv[first], *arg = first + 1 < argc ? argv[first + 1] : NULL;

		if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
			usage();
			return 0;
		} else if (strcmp(opt, "--emu") == 0) {
			emu = true;
		} else if (strcmp(opt, "-q") == 0) {
			quiet = true;
		} else if (strcmp(opt, "--from-input") == 0) {
			from_input = true;
		} else if (strcmp(opt, "--to-input") == 0) {
			to_input = true;
		} else if ((strcmp(opt, "--target") == 0 || strcmp(opt, "--mediator") == 0 ||
			    strcmp(opt, "-o") == 0) && arg == NULL) {
			return usage_error("%s: expected a value after it", opt);
		} else if (strcmp(opt, "--target") == 0) {
			client_target = strcmp(arg, "client") == 0; /* its inputs are the driver's operations */
			if (!client_target && (set = fuzz_abi_set(arg)) == NULL) {
				return usage_error("--target '%s': not a fuzz target (--help lists them)", arg);
			}
			first++;
		} else if (strcmp(opt, "--mediator") == 0) {
			if ((forced = backend_find(arg)) == NULL) {
				return usage_error("--mediator '%s': not a mediator backend (%s)", arg,
						   backend_names());
			}
			first++;
		} else if (strcmp(opt, "-o") == 0) {
			out = arg;
			first++;
		} else {
			return usage_error("unknown option '%s'", opt);
		}
	}
	if (from_input && to_input) {
		return usage_error("--from-input and --to-input: expected one of them, found both");
	}
	if (to_input && out == NULL) {
		return usage_error("--to-input: expected '-o OUT'");
	}
	if (first >= argc || ((to_input || from_input) && first + 1 != argc)) {
		return usage_error("expected %s, found %d", to_input || from_input ? "one file" : "files",
				   argc - first);
	}
	if (from_input) {
		size_t len;
		uint8_t *data = (uint8_t *)slurp(argv[first], "a fuzz input file", &len);
		char title[400];

		if (data == NULL) {
			return 2;
		}
		if (client_target) {
			fuzz_client_decode(data, len, &s.cp);
			snprintf(title, sizeof(title), "decoded from %s (fuzz target client)", argv[first]);
			scenario_write_client(stdout, &s.cp, title,
					      forced != NULL && forced != &backend_ref ? forced->name : NULL);
			free(data);
			return 0;
		}
		fuzz_decode(set, data, len, &s.p);
		if (s.p.call_count == 0) {
			/* A scenario must make a call (read_scenario()): there is nothing to write. */
			fprintf(stderr, "ffa-run: %s: no complete call for fuzz target %s: nothing to write\n",
				argv[first], set->target);
			free(data);
			return 2;
		}
		snprintf(title, sizeof(title), "decoded from %s (fuzz target %s)", argv[first], set->target);
		scenario_write(stdout, &s.p, title,
			       forced != NULL && forced != &backend_ref ? forced->name : NULL);
		free(data);
		return 0;
	}
	/* Every file is read first: a malformed one stops everything before anything runs. */
	for (int a = first; a < argc; a++) {
		if (read_scenario(argv[a], &s, to_input) != 0) {
			return 2;
		}
	}
	oracle_failure_hook = oracle_broke;
	backend_finding_hook = oracle_broke;
	for (int a = first; a < argc; a++) {
		unsigned failures;

		if (read_scenario(argv[a], &s, to_input) != 0) {
			return 2;
		}
		if (to_input && (s.manifest[0] || s.ram_count || s.bind_count)) {
			fprintf(stderr, "ffa-run: %s: 'manifest', 'ram' and 'bind' lines have no fuzz input form\n",
				argv[a]);
			return 2;
		}
		if (to_input && s.client && (s.p.big_buffers || s.p.small_frags ||
					     memcmp(s.p.behaviour, (uint8_t[4]){0}, 4) != 0)) {
			fprintf(stderr, "ffa-run: %s: a client input has no 'rxtx-max-pages', 'spmc-fragments' or "
				"'behaviour' form\n", argv[a]);
			return 2;
		}
		if (to_input) {
			static uint8_t bin[FUZZ_MAX_CALLS * 80 + sizeof(s.p.payload) + FUZZ_HEADER_SIZE];
			size_t n = s.client ? fuzz_client_encode(&s.cp, bin, sizeof(bin))
					    : fuzz_encode(set, &s.p, bin, sizeof(bin));
			FILE *f = n ? fopen(out, "wb") : NULL;

			if (f == NULL || fwrite(bin, 1, n, f) != n || fclose(f) != 0) {
				fprintf(stderr, "ffa-run: %s: %s\n", out,
					n ? "cannot write" : "a call's ABI is not in the target's set");
				return 2;
			}
			return 0;
		}
		failures = run(&s, emu);
		files++;
		failed += failures != 0;
		printf("%s %s: %u %s, %u expectations%s\n", failures ? "FAIL" : "PASS", s.path,
		       s.client ? s.cp.op_count : s.p.call_count, s.client ? "driver operations" : "calls",
		       s.expect_count, failures ? ", failures above" : "");
		rc = failures ? 1 : rc;
	}
	printf("ffa-run: %u of %u scenarios passed%s\n", files - failed, files, emu ? " (through the stub)" : "");
	return rc;
}
