/* test_dispatch's handler entry, inside the allowed range: x0 = the frame,
 * sp = the handler's stack. It calls test_on_dispatch(frame) and resumes the
 * frame's context with SYS_DISPATCH_RETURN; if that fails it reports the
 * error (test_return_failed, which does not return). */
#define SYS_DISPATCH_RETURN 33 /* include/microtee/syscall.h (C only); checked in main.c */
	.text
	.balign 4
	.global test_dispatch_entry
test_dispatch_entry:
	mov x19, x0
	mov x29, #0
	bl test_on_dispatch
	mov x8, #SYS_DISPATCH_RETURN
	svc #0
	bl test_return_failed
	b .
