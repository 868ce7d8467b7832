/*
 * Stand-in for <linux/arm-smccc.h> in assembly: the one quirk ID the
 * SMCCC 1.1 entry compares with (the value Linux gives
 * ARM_SMCCC_QUIRK_QCOM_A6; the emulator passes no quirk structure).
 */
#define ARM_SMCCC_QUIRK_NONE 0
#define ARM_SMCCC_QUIRK_QCOM_A6 1
