/*
 * RX buffer ownership transitions: see mediator/mailbox.h.
 */
#include "mediator/mailbox.h"

#include "ffa/abi.h"
#include "mediator/check.h"

void mailbox_map(struct mailbox *mb, uint64_t tx_pa, uint64_t rx_pa, uint32_t pages)
{
	*mb = (struct mailbox){
		.mapped = true,
		.tx_pa = tx_pa,
		.rx_pa = rx_pa,
		.page_count = pages,
		.rx = MAILBOX_RX_FREE,
	};
}

void mailbox_unmap(struct mailbox *mb)
{
	*mb = (struct mailbox){0};
}

int mailbox_rx_acquire(struct mailbox *mb)
{
	if (!mb->mapped || mb->rx != MAILBOX_RX_FREE) {
		return FFA_BUSY;
	}
	mb->rx = MAILBOX_RX_PRODUCER;
	return FFA_OK;
}

void mailbox_rx_deliver(struct mailbox *mb)
{
	CHECK(mb->mapped && mb->rx == MAILBOX_RX_PRODUCER);
	mb->rx = MAILBOX_RX_CONSUMER;
}

void mailbox_rx_abandon(struct mailbox *mb)
{
	CHECK(mb->mapped && mb->rx == MAILBOX_RX_PRODUCER);
	mb->rx = MAILBOX_RX_FREE;
}

int mailbox_rx_take(struct mailbox *mb)
{
	if (!mb->mapped) {
		return FFA_DENIED;
	}
	if (mb->rx != MAILBOX_RX_FREE) {
		return FFA_BUSY;
	}
	mb->rx = MAILBOX_RX_CONSUMER;
	return FFA_OK;
}

int mailbox_rx_release(struct mailbox *mb)
{
	if (!mb->mapped || mb->rx != MAILBOX_RX_CONSUMER) {
		return FFA_DENIED;
	}
	mb->rx = MAILBOX_RX_FREE;
	return FFA_OK;
}
