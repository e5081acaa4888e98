/*
 * CANDOUR_ASAN: 1 in an AddressSanitizer build, whichever compiler made
 * it; 0 otherwise. gcc defines __SANITIZE_ADDRESS__; clang 14 does not,
 * it answers __has_feature(address_sanitizer) only. Keyed on the first
 * alone, a clang ASan build took the plain build's branch: test_stream_big
 * streamed 1 GiB instead of 64 MiB (7.4 s of CPU against 0.9) and the
 * review tool's sandbox refused ptrace, which LeakSanitizer's check at
 * exit needs.
 */
#ifndef CANDOUR_UTIL_ASAN_H
#define CANDOUR_UTIL_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define CANDOUR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CANDOUR_ASAN 1
#endif
#endif
#ifndef CANDOUR_ASAN
#define CANDOUR_ASAN 0
#endif

#endif
