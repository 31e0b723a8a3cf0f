/*
 * Ground truth for scripts/check-floats.mjs: Redis 7.0's float paths, copied from util.c
 * (string2ld, ld2string LD_STR_HUMAN) and networking.c (addReplyDouble's %.17g), over glibc.
 * stdin lines: "d <hex bits of a double>" or "i <current>\t<increment>" ("-" = missing key).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LONG_DOUBLE_CHARS 5 * 1024

static int string2ld(const char *s, size_t slen, long double *dp) {
  char buf[MAX_LONG_DOUBLE_CHARS];
  long double value;
  char *eptr;
  if (slen == 0 || slen >= sizeof(buf)) return 0;
  memcpy(buf, s, slen);
  buf[slen] = '\0';
  errno = 0;
  value = strtold(buf, &eptr);
  if (isspace((unsigned char)buf[0]) || eptr[0] != '\0' || (size_t)(eptr - buf) != slen ||
      (errno == ERANGE && (value == HUGE_VAL || value == -HUGE_VAL || fpclassify(value) == FP_ZERO)) ||
      isnan(value))
    return 0;
  if (dp) *dp = value;
  return 1;
}

static int ld2string_human(char *buf, size_t len, long double value) {
  size_t l;
  if (isinf(value)) {
    strcpy(buf, value > 0 ? "inf" : "-inf");
    return (int)strlen(buf);
  }
  l = snprintf(buf, len, "%.17Lf", value);
  if (l + 1 > len) return 0;
  if (strchr(buf, '.') != NULL) {
    char *p = buf + l - 1;
    while (*p == '0') { p--; l--; }
    if (*p == '.') l--;
  }
  if (l == 2 && buf[0] == '-' && buf[1] == '0') { buf[0] = '0'; l = 1; }
  buf[l] = '\0';
  return (int)l;
}

int main(void) {
  static char line[3 * MAX_LONG_DOUBLE_CHARS];
  static char out[MAX_LONG_DOUBLE_CHARS];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == 'd') {
      unsigned long long bits = strtoull(line + 2, NULL, 16);
      double d;
      memcpy(&d, &bits, 8);
      printf("%.17g\n", d);
      continue;
    }
    char *tab = strchr(line + 2, '\t');
    *tab = '\0';
    const char *cur = line + 2, *inc = tab + 1;
    long double value = 0, incr;
    if (strcmp(cur, "-") != 0 && !string2ld(cur, strlen(cur), &value)) { puts("ERR value is not a valid float"); continue; }
    if (!string2ld(inc, strlen(inc), &incr)) { puts("ERR value is not a valid float"); continue; }
    value += incr;
    if (isnan(value) || isinf(value)) { puts("ERR increment would produce NaN or Infinity"); continue; }
    ld2string_human(out, sizeof out, value);
    puts(out);
  }
  return 0;
}
