/*
 * Linux's drivers/firmware/arm_ffa/bus.c from the kernel tree, compiled
 * unmodified in this unit, with what the client needs of its file scope:
 * the bus's init and exit, and its IDA back to empty.
 */
#include <arm_ffa/bus.c>

#include "unit.h"

int ffa_unit_bus_init(void)
{
	return arm_ffa_bus_init();
}

void ffa_unit_bus_exit(void)
{
	arm_ffa_bus_exit();
}

void ffa_unit_bus_reset(void)
{
	ida_destroy(&ffa_bus_id);
}
