/*
 * Stand-in for <linux/device.h>: only what arm_ffa.h's bus declarations
 * name. The proxy never touches a device.
 */
#pragma once

struct device {
	void *driver_data;
};

struct device_driver {
	const char *name;
};

struct bus_type {
	const char *name;
};

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}
