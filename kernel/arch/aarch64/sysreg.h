#ifndef KERNEL_ARCH_SYSREG_H
#define KERNEL_ARCH_SYSREG_H
#include <stdint.h>

#define read_sysreg(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define write_sysreg(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")

/* GICv3 CPU interface and secure timer, by encoding (older assemblers). */
#define ICC_SRE_EL1 s3_0_c12_c12_5
#define ICC_PMR_EL1 s3_0_c4_c6_0
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7
#define ICC_IAR1_EL1 s3_0_c12_c12_0
#define ICC_EOIR1_EL1 s3_0_c12_c12_1
#define ICC_BPR1_EL1 s3_0_c12_c12_3
#define CNTPS_TVAL_EL1 s3_7_c14_c2_0
#define CNTPS_CTL_EL1 s3_7_c14_c2_1
#endif
