/*
 * Small helpers both programs need that are neither crypto nor HTTP/SQL.
 * Returns 0 / -1 (errno set) unless said otherwise.
 */
#ifndef CANDOUR_UTIL_H
#define CANDOUR_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define UTIL_FILE_MAX ((size_t)64 << 20) /* util_read_file's hard ceiling */

/* Writes buf to path atomically: temp file beside it (O_EXCL, mode),
 * fsync, rename, fsync the directory. With excl, an existing path is
 * refused (EEXIST) instead of replaced. */
int util_write_file(const char *path, const void *buf, size_t len, int mode, int excl);

/* Reads a regular file (O_NOFOLLOW) of at most max bytes into a malloc'd
 * buffer with a NUL after the last byte. EFBIG when larger than max. */
int util_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);

/* Checks made before a command asks for a passphrase, so a mistyped path
 * costs no typing: NULL when path can be opened for reading as a regular
 * file (as util_read_file opens it: no symbolic link), else why not, in a
 * few words ("no such file", "is a directory", ...: a static string). */
const char *util_in_problem(const char *path);
/* The same for a directory a command will list (opened as opendir opens
 * it: a symbolic link to a directory is followed): NULL when path is a
 * directory that can be read, else why not ("no such directory", "is a
 * file, not a directory", ...: a static string). */
const char *util_dir_problem(const char *path);
/* NULL when a file can be written at path (its directory exists and a new
 * file can be made in it: one is made and removed at once; path is not a
 * directory or a device; with excl, path does not exist), else why not (a
 * static string). */
const char *util_out_problem(const char *path, int excl);

/* Strict UTF-8 (no overlongs, surrogates or > U+10FFFF) without control
 * characters; newline and tab allowed when multiline. Returns 1 or 0. */
int util_text_valid(const char *s, size_t len, int multiline);

/* fsync the directory holding path. */
int util_fsync_dir(const char *path);

/* Today's UTC date as YYYY-MM-DD (11 bytes with NUL). */
int util_today(char out[11]);
/* 1 if s is a valid YYYY-MM-DD calendar date. */
int util_date_valid(const char *s);

/* util_db_copy waits for another connection's lock this many times,
 * UTIL_DB_COPY_SLEEP_MS apart (2 s in all), then gives up with EBUSY. */
#define UTIL_DB_COPY_TRIES    200
#define UTIL_DB_COPY_SLEEP_MS 10

/* Copies one snapshot of the open database src into the existing file dst
 * (SQLite's online backup, one step), journal_mode DELETE so dst stands
 * alone. The caller fsyncs and renames. busy_ms is src's busy timeout,
 * set again afterwards (the copy waits by its own bound, not src's, and
 * SQLite cannot be asked what it was). EBUSY: src stayed locked through
 * every try; EIO: any other failure. */
struct sqlite3;
int util_db_copy(struct sqlite3 *src, int busy_ms, const char *dst);

/* Before a schema upgrade: a copy of the open database db (file path) as
 * PATH.pre-vTO_VERSION.bak (name in out), by util_db_copy, fsynced. An
 * existing copy is never replaced (EEXIST). */
int util_db_keep_copy(
    struct sqlite3 *db, int busy_ms, const char *path, int to_version, char *out, size_t outlen);

/* Bounded hex encoding; out needs 2*len+1. */
void util_hex(const uint8_t *in, size_t len, char *out);
int util_unhex(const char *in, uint8_t *out, size_t outlen);

/*
 * Fields: the plaintext inside every envelope the reporter or a reviewer
 * writes (SECURITY.md, "Envelope plaintexts"). Layout:
 *   MAGIC "\n"                       e.g. "candour-concern-v1\n"
 *   { NAME " " DECIMAL-LENGTH "\n" VALUE-BYTES "\n" }   zero or more
 *   "--\n"
 *   PAYLOAD                          the rest (attachment data; else empty)
 * NAME is [a-z0-9_]{1,FIELD_NAME_MAX}; a NAME may repeat (one per
 * reference, say). Values are bytes; callers validate text with
 * util_text_valid.
 */
#define FIELDS_MAX      64
#define FIELD_NAME_MAX  32
#define FIELD_VALUE_MAX ((size_t)1 << 20)

#define FIELDS_CONCERN    "candour-concern-v1"
#define FIELDS_MESSAGE    "candour-message-v1"
#define FIELDS_ATTACHMENT "candour-attachment-v1" /* fields: name, type; payload: file */
#define FIELDS_REPLY      "candour-reply-v1"      /* fields: kind (reply|outcome), text */

/* The reporter's voice (util/voice.c): optional fields of a
 * FIELDS_MESSAGE, "detriment" (yes|no|unsaid: "have you been treated
 * badly because you raised this?") and "again" (yes|no|unsure: "would you
 * speak up again?"). Answers are numbered 1..VOICE_ANSWERS; 0 is "not
 * answered" wherever one is stored. */
enum { VOICE_DETRIMENT = 0, VOICE_AGAIN = 1, VOICE_QUESTIONS = 2 };
enum { VOICE_NONE = 0, VOICE_YES = 1, VOICE_NO = 2, VOICE_OTHER = 3, VOICE_ANSWERS = 3 };
#define VOICE_VALUE_MAX 8 /* longest value ("unsaid", "unsure") with room */
/* The field name of question q, or NULL. */
const char *voice_field(int q);
/* The value of answer a (1..VOICE_ANSWERS) to q, or NULL. */
const char *voice_value(int q, int a);
/* Answer number (1..VOICE_ANSWERS) of the exact bytes v, or -1. */
int voice_parse(int q, const uint8_t *v, size_t len);

struct field {
	char name[FIELD_NAME_MAX + 1];
	const uint8_t *val;   /* decode: points into the input buffer */
	size_t len;
};

/* Header part only (magic, fields, "--\n") into a malloc'd buffer. */
int fields_encode(const char *magic, const struct field *f, size_t n,
    uint8_t **out, size_t *outlen);
/* Parses buf; fills up to max fields, *n the count, *payload_off where the
 * payload starts. -1 on any malformed byte, a wrong magic, or over limits. */
int fields_decode(const uint8_t *buf, size_t len, const char *magic,
    struct field *f, size_t max, size_t *n, size_t *payload_off);
/* First field called name, or NULL. */
const struct field *fields_get(const struct field *f, size_t n, const char *name);

#endif
