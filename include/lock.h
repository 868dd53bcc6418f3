/*
 * lock.h: one lock per VM, so two dvm commands never change the same VM
 * at once. The lock is an fcntl() record lock on a file in the cache
 * dir: the kernel drops it when the process dies, so a crashed dvm never
 * leaves a stale lock behind.
 */
#ifndef DVM_LOCK_H
#define DVM_LOCK_H

/*
 * Take the lock of vm without waiting. Returns an fd to keep open while
 * the work runs, or -1 after printing why ("busy" when another dvm holds
 * it).
 */
int lock_vm(const char *vm);
void unlock_vm(int fd);

#endif
