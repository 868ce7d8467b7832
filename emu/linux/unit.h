/*
 * The file scope of Linux's FF-A driver that the client reaches
 * (driver_unit.c, bus_unit.c): module init and exit, and the reset of the
 * file-scope variables after a client is removed, however it ended.
 * Returns: the init functions return the kernel's, 0 or a negative errno.
 */
#pragma once

int ffa_unit_bus_init(void);
void ffa_unit_bus_exit(void);
void ffa_unit_bus_reset(void);
int ffa_unit_driver_init(void);
void ffa_unit_driver_exit(void);
void ffa_unit_driver_reset(void);
