/*
 * Linux's drivers/firmware/arm_ffa/driver.c from the kernel tree, compiled
 * unmodified in this unit (the build puts the tree's drivers/firmware on the
 * include path), with what the client needs of its file scope: its module
 * init and exit, and its two pointers back to where the kernel starts them.
 */
#include <arm_ffa/driver.c>

#include "unit.h"

int ffa_unit_driver_init(void)
{
	return ffa_init();
}

void ffa_unit_driver_exit(void)
{
	ffa_exit();
}

void ffa_unit_driver_reset(void)
{
	invoke_ffa_fn = NULL;
	drv_info = NULL;
}
