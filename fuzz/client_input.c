/*
 * The client target's input: decoder and encoder (client_input.h).
 */
#include "client_input.h"

#include <string.h>

void fuzz_client_decode(const uint8_t *data, size_t size, struct fuzz_client_program *p)
{
	uint8_t h[FUZZ_CLIENT_HEADER] = {0};

	memset(p, 0, sizeof(*p));
	memcpy(h, data, size < FUZZ_CLIENT_HEADER ? size : FUZZ_CLIENT_HEADER);
	p->profile = (enum mediator_profile)(h[0] % MEDIATOR_PROFILE_COUNT);
	p->lie = (enum spmc_mem_lie)(h[1] % SPMC_LIE_COUNT);
	p->via_stub = h[2] & 1;
	p->hvc = (h[2] & 2) != 0;
	for (size_t off = FUZZ_CLIENT_HEADER;
	     off + FUZZ_CLIENT_RECORD <= size && p->op_count < FUZZ_CLIENT_MAX_OPS;
	     off += FUZZ_CLIENT_RECORD) {
		const uint8_t *r = data + off;
		struct fuzz_client_op *op = &p->ops[p->op_count++];

		*op = (struct fuzz_client_op){.kind = (enum fuzz_client_op_kind)(r[0] % FUZZ_CLIENT_OP_COUNT),
					      .dev = r[1], .arg = r[2], .flags = r[3], .extra = r[4],
					      .lie_at = r[5], .lie_reg = r[6]};
		for (unsigned i = 0; i < 8; i++) {
			op->value |= (uint64_t)r[8 + i] << (8 * i);
		}
	}
}

size_t fuzz_client_encode(const struct fuzz_client_program *p, uint8_t *buf, size_t cap)
{
	size_t size = FUZZ_CLIENT_HEADER + (size_t)p->op_count * FUZZ_CLIENT_RECORD;

	if (size > cap) {
		return 0;
	}
	memset(buf, 0, size);
	buf[0] = (uint8_t)p->profile;
	buf[1] = (uint8_t)p->lie;
	buf[2] = (uint8_t)(p->via_stub | p->hvc << 1);
	for (unsigned i = 0; i < p->op_count; i++) {
		const struct fuzz_client_op *op = &p->ops[i];
		uint8_t *r = buf + FUZZ_CLIENT_HEADER + (size_t)i * FUZZ_CLIENT_RECORD;

		r[0] = (uint8_t)op->kind, r[1] = op->dev, r[2] = op->arg, r[3] = op->flags;
		r[4] = op->extra, r[5] = op->lie_at, r[6] = op->lie_reg;
		for (unsigned b = 0; b < 8; b++) {
			r[8 + b] = (uint8_t)(op->value >> (8 * b));
		}
	}
	return size;
}
