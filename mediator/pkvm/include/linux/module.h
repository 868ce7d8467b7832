/* Stand-in for <linux/module.h>: arm_ffa.h's driver-registration macros need these names. */
#pragma once

struct module;
#define THIS_MODULE ((struct module *)0)
#define KBUILD_MODNAME "ffa-emu"
#define module_driver(drv, reg, unreg, ...)
