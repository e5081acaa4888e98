/* The wipe of form text on free (intake/form_check.c, text_free): every
 * byte of each field's allocation is zero at the moment it is handed back
 * to the allocator, including the bytes past len that CRLF folding and a
 * cut at the limit leave holding what the reporter wrote. A scan of memory
 * afterwards cannot tell a wiped buffer from one the allocator reused, so
 * this program watches the buffers where they are freed: its own free()
 * (or, under AddressSanitizer, ASan's free hook) looks at a watched
 * pointer before the memory goes back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "intake/http.h"
#include "util/asan.h"


#define WATCH_MAX 8
static struct {
	const void *p;
	size_t len;
	int freed, dirty;
} watch[WATCH_MAX];
static size_t nwatch;

static void
check_free(const void *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < nwatch; i++) {
		if (watch[i].p != p || watch[i].freed)
			continue;
		const volatile uint8_t *b = p;
		watch[i].freed = 1;
		for (size_t j = 0; j < watch[i].len; j++)
			if (b[j] != 0)
				watch[i].dirty = 1;
	}
}

#if CANDOUR_ASAN
/* libasan's (sanitizer/allocator_interface.h is not installed with gcc) */
int __sanitizer_install_malloc_and_free_hooks(
    void (*)(const volatile void *, size_t), void (*)(const volatile void *));
static void
malloc_hook(const volatile void *p, size_t n)
{
	(void)p, (void)n;
}
static void
free_hook(const volatile void *p)
{
	check_free((const void *)p);
}
static void
hooks_install(void)
{
	__sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook);
}
#else
/* glibc's own free: this program's free() runs first for every caller. */
extern void __libc_free(void *);
void
free(void *p)
{
	check_free(p);
	__libc_free(p);
}
static void
hooks_install(void)
{
}
#endif

static void
watch_add(const void *p, size_t len)
{
	assert_non_null(p);
	assert_true(nwatch < WATCH_MAX);
	watch[nwatch].p = p;
	watch[nwatch].len = len;
	watch[nwatch].freed = watch[nwatch].dirty = 0;
	nwatch++;
}

static void
watch_all_clean(void)
{
	for (size_t i = 0; i < nwatch; i++) {
		if (!watch[i].freed)
			fail_msg("watched buffer %zu was never freed", i);
		if (watch[i].dirty)
			fail_msg("watched buffer %zu was freed holding text", i);
	}
	nwatch = 0;
}

static uint8_t ckey[CSRF_KEY_BYTES];

static int
put(struct form *f, const char *k, const char *v)
{
	return form_part(f, k, NULL, NULL, v, 0, strlen(v));
}

/* The control: a buffer freed holding bytes is seen as dirty, so a
 * missing wipe cannot pass unnoticed. */
static void
test_hook_sees_unwiped_buffer(void **s)
{
	(void)s;
	char *p = malloc(64);
	memset(p, 'x', 64);
	watch_add(p, 64);
	free(p);
	assert_true(watch[0].freed);
	assert_true(watch[0].dirty);
	nwatch = 0;
}

/* CRLF folded to LF shrinks len: the bytes after it still hold the end
 * of what the reporter wrote, and must be wiped with the rest. */
static void
test_folded_text_wiped(void **s)
{
	(void)s;
	struct form *f = calloc(1, sizeof(*f));
	form_init(f, FORM_REPORT, NULL, ckey, 7200, NULL, 0);
	assert_int_equal(put(f, "what", "Hedgehog-secret one\r\nHedgehog-secret two\r\n"), 0);
	assert_int_equal(put(f, "refs", "REF/1\r\nREF/2\r\n"), 0);
	assert_int_equal(put(f, "team", "Team Hedgehog"), 0);
	assert_int_equal(form_end(f), 0);
	(void)form_validate(f, &(struct web){0});
	/* the fold happened: len is under what was written */
	assert_int_equal(f->what.len, strlen("Hedgehog-secret one\nHedgehog-secret two\n"));
	assert_true(f->what.cap > f->what.len + 2);
	watch_add(f->what.p, f->what.cap);
	watch_add(f->refs.p, f->refs.cap);
	watch_add(f->team.p, f->team.cap);
	form_abort(f);
	form_free(f);
	free(f);
	watch_all_clean();
}

/* A receipt typed far over its limit is cut, marked too long, and the
 * part that was kept is wiped on free. */
static void
test_overlong_receipt_wiped(void **s)
{
	(void)s;
	char in[CC_RCPT_INPUT_MAX * 3 + 1];
	struct form *f = calloc(1, sizeof(*f));

	memset(in, 'K', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	form_init(f, FORM_RECEIPT, NULL, ckey, 7200, NULL, 0);
	assert_int_equal(put(f, "receipt", in), 0);
	assert_int_equal(form_end(f), 0);
	assert_int_equal(f->receipt.seen, 2); /* too long */
	assert_int_not_equal(form_validate(f, &(struct web){0}), 0);
	assert_true(f->errors & FE_RECEIPT);
	watch_add(f->receipt.p, f->receipt.cap);
	form_abort(f);
	form_free(f);
	free(f);
	watch_all_clean();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hook_sees_unwiped_buffer),
	    cmocka_unit_test(test_folded_text_wiped),
	    cmocka_unit_test(test_overlong_receipt_wiped),
	};
	hooks_install();
	if (cc_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
