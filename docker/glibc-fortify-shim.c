/* The two _FORTIFY_SOURCE entry points Debian's glibc-built libmnl.a/libnftnl.a call, for a static
 * musl link: the same work without the buffer-size check (musl has no __*_chk functions). */
#include <stdarg.h>
#include <stdio.h>

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...) {
  (void)flag;
  (void)slen;
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
