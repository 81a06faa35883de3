/* init's program loader: every program but init itself, and every TA, is
 * built here at S-EL0 from an ELF file the kernel never reads (common/elf.c
 * checks it; SYS_PROC_CREATE, SYS_PROC_MAP and SYS_PROC_WRITE build it).
 * Programs and the firmware's TAs come from the boot file system in flash,
 * read through the flash driver (services/flash). */
#ifndef INIT_LOADER_H
#define INIT_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "mt.h"

/* Scratch places, one per thread of init that loads (a copy of the file is
 * made there: the kernel copies only from RAM, never from flash). */
#define LOADER_SLOT_MAIN 0 /* services and test programs */
#define LOADER_SLOT_SUP 1  /* TAs, for the gateway */
#define LOADER_SLOT_UTEE 2 /* the OP-TEE personality's program, while a TA image is in SUP */
#define LOADER_SLOTS 3
#define LOADER_VA(slot) (MT_USER_SHM + 0x20000000UL + (uintptr_t)(slot)*0x08000000UL)

/* Reads what init keeps of the boot file system (its table, and the flash
 * driver's program), the one time init maps flash itself: before the
 * flash driver runs. MT_OK or an error. */
long loader_init(void);
/* From now on, programs come from the boot file system through the flash
 * driver (`ep`: init's handle, badged to read it). Until then only the
 * flash driver itself can be loaded. */
void loader_use_flash(mt_handle_t ep);
/* Builds process `name` (not started) from the boot file system's entry of
 * that name: MT_ENOENT if there is none. flags: MT_SPAWN_*. Its quota is
 * carved out of init's (MT_ENOMEM, MT_EQUOTA: init has not that much left). */
long loader_spawn(const char *name, unsigned prio, const struct mt_quota *quota, unsigned flags,
		  int slot, mt_handle_t *proc);
/* Builds process `name` from the ELF file elf[0..len), which must lie in
 * init's RAM. MT_EINVAL if the file is not a loadable program. */
long loader_load_elf(const char *name, const uint8_t *elf, size_t len, unsigned prio,
		     const struct mt_quota *quota, unsigned flags, mt_handle_t *proc);
/* Whether elf[0..len) is a position-independent image (ET_DYN): an OP-TEE
 * TA, for loader_load_utee. */
int loader_is_pie(const uint8_t *elf, size_t len);
/* Gets the signed image of a shared TA library (by UUID) for
 * loader_load_utee, its signature checked, mapped read-only in init's
 * memory at a place for library i that stays until the next load:
 * *elf and *len its ELF file. MT_OK or an error. */
#define PIE_LIBS_MAX 2 /* common/pie.h's PIE_MAX_NEEDED */
/* Where init maps library i's image while it loads an OP-TEE TA. */
#define LOADER_LIB_VA(i) (MT_USER_SHM + 0x40000000UL + (uintptr_t)(i)*0x04000000UL)
typedef long (*loader_fetch_fn)(const uint8_t uuid[16], unsigned i, const uint8_t **elf,
                                size_t *len);
/* What a TA process holds besides the OP-TEE TA's images: the personality,
 * its stacks, heap and tables (its quota grows by the images' pages when
 * they leave less than this of a TA instance's). */
#define UTEE_RUNTIME_PAGES 120
/* Builds a TA process (not started) for the OP-TEE TA binary elf[0..len)
 * (services/init/loader_utee.c): the personality (UTEE_PROGRAM) from the
 * boot file system, the TA at UTEE_TA_BASE and the shared TA libraries it
 * needs above it (fetched by `fetch`), with their relocations applied and
 * their imports resolved, and the personality's info page
 * (include/microtee/utee.h). uuid: the UUID the image was signed for,
 * which its ta_head must name. MT_EINVAL: a malformed image or ta_head, an
 * import no module has; MT_ENOSYS: an image this loader cannot run (TLS, a
 * library of a library, an unknown relocation) or a library that cannot be
 * had; MT_ENOENT: no personality; MT_ENOMEM/MT_EQUOTA: no room. */
long loader_load_utee(const char *name, const uint8_t *elf, size_t len, const uint8_t uuid[16],
                      unsigned prio, const struct mt_quota *quota, unsigned flags,
                      mt_handle_t *proc, loader_fetch_fn fetch);
/* Pages of the largest program in the boot file system: init's scratch
 * copy of it while it loads. */
unsigned long loader_max_pages(void);

#endif
