/*
 * Scenario lines that put bytes in memory before a call (see SCENARIOS.md):
 * "tx HEX...", "tx mem VERSION ..." (a memory transaction descriptor of that
 * version, from named fields), "tx msg VERSION ..." (an indirect message
 * header and payload), and "ram vmN IPA HEX...".
 */
#include "scenario_internal.h"

#include <stdlib.h>
#include <string.h>

#include "ffa/mem_desc.h"

/* "tx mem VERSION key=value...": a memory transaction descriptor into the next call's TX. */
static int tx_mem(struct parser *ps)
{
	struct ffa_mem_txn t = {.attributes = FFA_MEM_ATTR_NORMAL_WB_INNER, .receiver_count = 0};
	bool explicit_attributes = false;
	uint64_t version, x, y;
	char a[64], b[64];

	if (!sc_value(sc_next_word(ps), &version, NULL) || (version != FFA_VERSION_1_0 &&
						      version != FFA_VERSION_1_1 &&
						      version != FFA_VERSION_1_2)) {
		return sc_fail(ps, "the descriptor's version, v1.0, v1.1 or v1.2");
	}
	while (*sc_next_word(ps)) {
		const char *eq = strchr(ps->word, '=');
		const char *v = eq ? eq + 1 : "";
		size_t key = eq ? (size_t)(eq - ps->word) : 0;

		if (key == 6 && strncmp(ps->word, "sender", 6) == 0 && sc_endpoint(v, &x) && x <= 0xFFFF) {
			t.sender = (ffa_id_t)x;
		} else if (key == 8 && strncmp(ps->word, "receiver", 8) == 0 && sc_endpoint(v, &x) &&
			   x <= 0xFFFF && t.receiver_count < FFA_MEM_MAX_RECEIVERS) {
			t.receivers[t.receiver_count++] = (struct ffa_mem_receiver){.id = (ffa_id_t)x, .perms = 0x2};
		} else if (key == 5 && strncmp(ps->word, "perms", 5) == 0 && t.receiver_count &&
			   (strcmp(v, "rw") == 0 || strcmp(v, "ro") == 0 || sc_number(v, &x))) {
			t.receivers[t.receiver_count - 1].perms =
				(uint8_t)(strcmp(v, "rw") == 0 ? 0x2 : strcmp(v, "ro") == 0 ? 0x1 : x);
		} else if (key == 5 && strncmp(ps->word, "range", 5) == 0 && strchr(v, ':') &&
			   t.range_count < FFA_MEM_MAX_RANGES &&
			   snprintf(a, sizeof(a), "%.*s", (int)(strchr(v, ':') - v), v) > 0 &&
			   sc_value(a, &x, NULL) && sc_number(strchr(v, ':') + 1, &y) && y <= 0xFFFFFFFF) {
			t.ranges[t.range_count++] = (struct ffa_mem_range){.address = x, .page_count = (uint32_t)y};
			t.page_count += (uint32_t)y;
		} else if (key == 10 && strncmp(ps->word, "attributes", 10) == 0 && sc_number(v, &x)) {
			t.attributes = (uint16_t)x;
			explicit_attributes = true;
		} else if (key == 5 && strncmp(ps->word, "flags", 5) == 0 && sc_number(v, &x)) {
			t.flags = (uint32_t)x;
		} else if (key == 6 && strncmp(ps->word, "handle", 6) == 0 && sc_number(v, &x)) {
			t.handle = x;
		} else if (key == 3 && strncmp(ps->word, "tag", 3) == 0 && sc_number(v, &x)) {
			t.tag = x;
		} else {
			(void)b;
			return sc_fail(ps, "sender=, receiver=, perms=rw|ro, range=IPA:PAGES, attributes=, "
					"flags=, handle= or tag=");
		}
	}
	x = ffa_mem_desc_write(&t, (uint32_t)version, ps->tx + ps->tx_len, sizeof(ps->tx) - ps->tx_len);
	if (x == 0) {
		return sc_fail(ps, "a descriptor that fits the TX payload (%u bytes)", FUZZ_MAX_PAYLOAD);
	}
	if (!explicit_attributes && ps->auto_count < sizeof(ps->auto_attr) / sizeof(ps->auto_attr[0])) {
		ps->auto_attr[ps->auto_count].off = ps->tx_len;
		ps->auto_attr[ps->auto_count++].receiver_count = t.receiver_count;
	}
	ps->tx_len += (uint32_t)x;
	return 0;
}

/* "tx msg VERSION from=A to=B "text"": a partition message into the next call's TX. */
static int tx_msg(struct parser *ps)
{
	uint64_t version, from = 0, to = 0;
	struct ffa_partition_msg_header h = {0};
	uint32_t off, len = 0;
	const char *text = NULL;

	if (!sc_value(sc_next_word(ps), &version, NULL) ||
	    (version != FFA_VERSION_1_1 && version != FFA_VERSION_1_2)) {
		return sc_fail(ps, "the header's layout, v1.1 (20 bytes) or v1.2 (40 bytes)");
	}
	off = version == FFA_VERSION_1_1 ? 20 : 40;
	while (*sc_next_word(ps)) {
		if (strncmp(ps->word, "from=", 5) == 0 && sc_endpoint(ps->word + 5, &from) && from <= 0xFFFF) {
			continue;
		}
		if (strncmp(ps->word, "to=", 3) == 0 && sc_endpoint(ps->word + 3, &to) && to <= 0xFFFF) {
			continue;
		}
		if (ps->word[0] == '"' && strlen(ps->word) >= 2 && ps->word[strlen(ps->word) - 1] == '"') {
			text = ps->word + 1;
			len = (uint32_t)strlen(ps->word) - 2;
			continue;
		}
		return sc_fail(ps, "from=ENDPOINT, to=ENDPOINT or a \"quoted payload\"");
	}
	if (ps->tx_len + off + len > sizeof(ps->tx)) {
		return sc_fail(ps, "a message that fits the TX payload");
	}
	h.offset = off;
	h.sender_receiver = (uint32_t)(from << 16 | to);
	h.size = len;
	memcpy(ps->tx + ps->tx_len, &h, off < sizeof(h) ? off : sizeof(h));
	memcpy(ps->tx + ps->tx_len + off, text ? text : "", len);
	ps->tx_len += off + len;
	return 0;
}

/* "tx HEX..." bytes, or "tx mem ...", or "tx msg ...". */
int sc_tx_line(struct parser *ps)
{
	if (strcmp(sc_next_word(ps), "mem") == 0) {
		return tx_mem(ps);
	}
	if (strcmp(ps->word, "msg") == 0) {
		return tx_msg(ps);
	}
	do {
		char *end;
		unsigned long b = strtoul(ps->word, &end, 16);

		if (strlen(ps->word) != 2 || *end != '\0' || ps->tx_len == sizeof(ps->tx)) {
			return sc_fail(ps, "hex bytes (two digits each), 'mem' or 'msg'");
		}
		ps->tx[ps->tx_len++] = (uint8_t)b;
	} while (*sc_next_word(ps));
	return 0;
}

/* "ram vmN IPA HEX...": bytes written into a VM's memory before the next call. */
int sc_ram_line(struct parser *ps)
{
	struct scenario *s = ps->s;
	struct scenario_ram *r;
	uint64_t ipa;
	uint8_t vm;
	int rc = sc_vm_index(ps, sc_next_word(ps), &vm);

	if (rc != 0) {
		return rc;
	}
	if (!sc_value(sc_next_word(ps), &ipa, NULL)) {
		return sc_fail(ps, "an IPA in the VM (ipa(n) or a number)");
	}
	if (s->ram_count == SCENARIO_MAX_RAM) {
		return sc_fail(ps, "at most %d ram lines", SCENARIO_MAX_RAM);
	}
	r = &s->ram[s->ram_count];
	*r = (struct scenario_ram){.call = s->p.call_count, .vm = vm, .ipa = ipa, .off = s->ram_used};
	while (*sc_next_word(ps)) {
		char *end;
		unsigned long b = strtoul(ps->word, &end, 16);

		if (strlen(ps->word) != 2 || *end != '\0' || s->ram_used == SCENARIO_RAM_BYTES) {
			return sc_fail(ps, "hex bytes (two digits each)");
		}
		s->ram_bytes[s->ram_used++] = (uint8_t)b;
		r->len++;
	}
	if (r->len == 0) {
		return sc_fail(ps, "the bytes to write");
	}
	s->ram_count++;
	return 0;
}

int sc_bind_line(struct parser *ps)
{
	struct scenario *s = ps->s;
	struct scenario_bind *b = &s->binds[s->bind_count];
	uint64_t sp;
	int rc;

	if (s->bind_count == SCENARIO_MAX_BINDS) {
		return sc_fail(ps, "at most %d bind lines", SCENARIO_MAX_BINDS);
	}
	if (!sc_endpoint(sc_next_word(ps), &sp) || !ffa_id_is_secure((ffa_id_t)sp)) {
		return sc_fail(ps, "the binding partition (sp1, 0x8005)");
	}
	*b = (struct scenario_bind){.call = s->p.call_count, .sp = (uint16_t)sp};
	rc = sc_vm_index(ps, sc_next_word(ps), &b->vm);
	if (rc != 0) {
		return rc;
	}
	if (!sc_number(sc_next_word(ps), &b->bitmap) || b->bitmap == 0) {
		return sc_fail(ps, "the bitmap it binds (non-zero)");
	}
	if (*sc_next_word(ps)) {
		if (strcmp(ps->word, "per-vcpu") != 0) {
			return sc_fail(ps, "per-vcpu or the end of the line");
		}
		b->per_vcpu = true;
	}
	s->bind_count++;
	return 0;
}

void sc_settle_attributes(struct parser *ps, uint32_t fid)
{
	enum ffa_mem_type type = ffa_mem_type_of(fid);

	for (unsigned i = 0; i < ps->auto_count; i++) {
		if (type == FFA_MEM_TYPE_DONATE ||
		    (type == FFA_MEM_TYPE_LEND && ps->auto_attr[i].receiver_count == 1)) {
			/* The attributes: byte 2 of every version's header (u8 in v1.0, u16 after). */
			ps->tx[ps->auto_attr[i].off + 2] &= (uint8_t)~FFA_MEM_ATTR_TYPE_MASK;
		}
	}
	ps->auto_count = 0;
}
