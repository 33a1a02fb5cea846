/* The glibc-only entry points that Debian's glibc-built libmnl.a/libnftnl.a call, for a static musl
 * link (docker/lib/build-c.sh):
 * - _FORTIFY_SOURCE checks __snprintf_chk/__fprintf_chk: the same work, with glibc's size check:
 *   snprintf told it may write more than the object it writes to holds (maxlen > slen, the size the
 *   compiler knew) aborts, as glibc's __chk_fail does, instead of overflowing. __fprintf_chk has no
 *   size to check (its flag asks glibc to refuse %n in a writable format; no caller here uses %n);
 * - armhf's 64-bit time_t names (Debian's t64 ABI) __recvmsg64/__setsockopt64/__getsockopt64: musl's
 *   own functions, whose time_t is 64-bit already. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...) {
  (void)flag;
  if (maxlen > slen) abort();
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(s, maxlen, format, ap);
  va_end(ap);
  return n;
}

int __fprintf_chk(FILE *stream, int flag, const char *format, ...) {
  (void)flag;
  va_list ap;
  va_start(ap, format);
  int n = vfprintf(stream, format, ap);
  va_end(ap);
  return n;
}

ssize_t __recvmsg64(int fd, struct msghdr *msg, int flags) { return recvmsg(fd, msg, flags); }

int __setsockopt64(int fd, int level, int name, const void *value, socklen_t length) {
  return setsockopt(fd, level, name, value, length);
}

int __getsockopt64(int fd, int level, int name, void *value, socklen_t *length) {
  return getsockopt(fd, level, name, value, length);
}
