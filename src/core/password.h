/*
 * password.h: running an account's password_command (e.g. "pass show xmpp")
 * without a shell and taking the first line of its output as the password.
 */
#ifndef WARD_PASSWORD_H
#define WARD_PASSWORD_H

#define PASSWORD_OUTPUT_MAX 4096  /* bytes read from the command at most */
#define PASSWORD_TIMEOUT_MS 30000 /* the command is killed after this */
#define PASSWORD_COMMAND_MAX 4096 /* bytes in the command line */

/*
 * Splits command into an argv, the way a shell would split words but with
 * nothing else of a shell: words are separated by spaces and tabs; '...'
 * keeps everything literally; "..." groups, and inside it \" and \\ stand
 * for " and \ (any other backslash is kept); outside quotes a backslash
 * makes the next character literal. Quoted parts join adjacent text
 * (a"b c" is one word), "" is an empty word. No globbing, no $variables,
 * no ;, |, $(...) or redirections: those are ordinary characters.
 * On success *argv_out is a malloc'd NULL-terminated array; free it with
 * password_argv_free(). Returns WARD_OK; WARD_ERR_INVAL for an empty
 * command, an unbalanced quote, a trailing backslash or a control
 * character; WARD_ERR_LIMIT past PASSWORD_COMMAND_MAX; WARD_ERR_NOMEM.
 */
int password_split(const char *command, char ***argv_out);
void password_argv_free(char **argv);

/*
 * Runs command (split by password_split(), found on $PATH, executed
 * directly: no "sh -c") with stdin and stderr on /dev/null, stdout on a
 * pipe and no other descriptors, in a process group of its own. Reads at
 * most PASSWORD_OUTPUT_MAX bytes and takes the first line (without its
 * "\n" or "\r\n") as the password. Blocks the caller until the command has
 * exited or PASSWORD_TIMEOUT_MS passed. The password is never logged.
 *
 * On success *out is a malloc'd string the caller owns and must free with
 * freezero_str(). *out is NULL on entry and on every failure. Returns:
 *   WARD_OK
 *   WARD_ERR_INVAL     the command cannot be split (see password_split())
 *   WARD_ERR_NOTFOUND  the program does not exist (or is not executable)
 *   WARD_ERR_AUTH      the command exited non-zero or died by a signal
 *   WARD_ERR_PARSE     empty first line, or a NUL byte in the output
 *   WARD_ERR_LIMIT     more than PASSWORD_OUTPUT_MAX bytes of output
 *   WARD_ERR_AGAIN     timed out; the command (its process group) was killed
 *   WARD_ERR_SYSTEM    pipe/fork/exec/wait failed (errno says why)
 *   WARD_ERR_NOMEM
 * The caller must not reap children with waitpid(-1) while this runs.
 */
int password_run(const char *command, char **out);
/* As password_run() with a timeout in milliseconds (tests use short ones). */
int password_run_timeout(const char *command, int timeout_ms, char **out);

/* A static one-line text for a password_run() result, for error events. */
const char *password_strerror(int err);

struct account_config;
/*
 * An account's password, the one way ward gets it (a session's login and
 * ward audit's): `password` from ward.conf (allowed only in a 0600 file)
 * when set, else password_command through password_run(). On success
 * *out is the caller's (freezero_str()). WARD_ERR_INVAL when neither is
 * set, else password_run()'s result; *why gets a static one-line reason
 * that never holds the password.
 */
int password_of_account(const struct account_config *ac, char **out,
			const char **why);

#endif
