/*
 * ui_edit.c: $EDITOR for a long message (M-e, the edit-in-editor action).
 * The input line goes to a file made 0600 inside a fresh 0700 directory,
 * curses is suspended and the editor ($VISUAL, else $EDITOR, else vi) runs
 * in its own process group in the terminal's foreground, while the loop
 * goes on (messages arrive, acknowledgements go out; the UI neither reads
 * the terminal nor paints). When it exits the text comes back into the
 * input line, never sent by itself, and the file and directory are
 * removed, whatever happened.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core.h"
#include "loop.h"
#include "ward.h"

#include "input/editor.h"
#include "term/term.h"
#include "ui_priv.h"

#define UI_EDIT_MAX (1 << 20) /* bytes read back at most */

/* Removes the file and its directory (each may be gone already). */
static void
edit_cleanup(struct ui *ui)
{
	if (ui->edit_file != NULL) {
		unlink(ui->edit_file);
		free(ui->edit_file);
		ui->edit_file = NULL;
	}
	if (ui->edit_dir != NULL) {
		rmdir(ui->edit_dir);
		free(ui->edit_dir);
		ui->edit_dir = NULL;
	}
}

/* Writes all of s to fd; 0 or -1. */
static int
edit_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The file's text (malloc'd, *len), without one final line break; NULL
 * when it cannot be read or is too long (*why says which). */
static char *
edit_read_back(const char *path, size_t *len, const char **why)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char *buf;
	size_t n = 0;
	ssize_t r;

	*why = NULL;
	if (fd < 0) {
		*why = "the editor left no file";
		return NULL;
	}
	buf = xmalloc(UI_EDIT_MAX + 1);
	while ((r = read(fd, buf + n, UI_EDIT_MAX + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (n += (size_t)r) > UI_EDIT_MAX) {
			*why = r < 0 ? "cannot read the edited file"
				     : "the edited text is longer than 1 MiB";
			close(fd);
			free(buf);
			return NULL;
		}
	}
	close(fd);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Takes the terminal back from the editor's process group. */
static void
edit_take_terminal(void)
{
	void (*old)(int) = signal(SIGTTOU, SIG_IGN);

	if (isatty(0))
		tcsetpgrp(0, getpgrp());
	signal(SIGTTOU, old);
}

static void
edit_done(struct ui *ui, int status)
{
	const char *why = NULL;
	char *text = NULL, *msg;
	size_t len = 0;

	ui->edit_pid = 0;
	edit_take_terminal();
	term_resume();
	ui_size(ui);
	loop_add_fd(ui->w->loop, 0, POLLIN, ui_stdin, ui);
	ui->full = 1;
	ui->input_dirty = 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		text = edit_read_back(ui->edit_file, &len, &why);
	else
		why = WIFEXITED(status) && WEXITSTATUS(status) == 127
			  ? "the editor could not be started"
			  : "the editor failed; the input line is unchanged";
	edit_cleanup(ui);
	if (text == NULL) {
		xasprintf(&msg, "$EDITOR: %s", why);
		model_note(&ui->m, NULL, LK_ERROR, msg);
		free(msg);
		return;
	}
	/* back into the input line: Enter sends it, as with a paste */
	editor_set(ui->ed, text, len);
	free(text);
}

static void
edit_sigchld(void *arg, int signo)
{
	struct ui *ui = arg;
	int status;
	pid_t r;

	(void)signo;
	if (ui->edit_pid <= 0)
		return;
	r = waitpid(ui->edit_pid, &status, WNOHANG | WUNTRACED);
	if (r != ui->edit_pid)
		return;
	if (WIFSTOPPED(status)) {
		/* ward does no job control: a stopped editor goes on */
		kill(-ui->edit_pid, SIGCONT);
		return;
	}
	edit_done(ui, status);
}

/* The editor's command line for sh -c, with the file as "$1". */
static char *
edit_command(void)
{
	const char *ed = getenv("VISUAL");
	char *cmd;

	if (ed == NULL || ed[0] == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || ed[0] == '\0')
		ed = "vi";
	xasprintf(&cmd, "%s \"$1\"", ed);
	return cmd;
}

void
ui_edit_start(struct ui *ui)
{
	const char *tmp = getenv("TMPDIR");
	size_t len;
	const char *text = editor_text(ui->ed, &len);
	char *cmd;
	int fd;
	pid_t pid;

	if (ui->edit_pid > 0)
		return;
	if (!ui->edit_sig) {
		loop_signal(ui->w->loop, SIGCHLD, edit_sigchld, ui);
		ui->edit_sig = 1;
	}
	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	xasprintf(&ui->edit_dir, "%s/ward-edit.XXXXXX", tmp);
	if (mkdtemp(ui->edit_dir) == NULL) { /* made 0700 */
		free(ui->edit_dir);
		ui->edit_dir = NULL;
		model_note(&ui->m, NULL, LK_ERROR,
			   "$EDITOR: cannot make a private directory");
		return;
	}
	xasprintf(&ui->edit_file, "%s/message.txt", ui->edit_dir);
	fd = open(ui->edit_file,
		  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 ||
	    edit_write_all(fd, text, len) != 0 ||
	    (len > 0 && edit_write_all(fd, "\n", 1) != 0) || close(fd) != 0) {
		if (fd >= 0)
			close(fd);
		edit_cleanup(ui);
		model_note(&ui->m, NULL, LK_ERROR,
			   "$EDITOR: cannot write the message file");
		return;
	}
	cmd = edit_command();
	/* the terminal is the editor's until it exits */
	loop_del_fd(ui->w->loop, 0);
	term_suspend();
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN);
		if (isatty(0))
			tcsetpgrp(0, getpid());
		exec_prepare(-1);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", ui->edit_file,
		      (char *)NULL);
		_exit(127);
	}
	free(cmd);
	if (pid < 0) {
		edit_done(ui, 1 << 8);
		return;
	}
	ui->edit_pid = pid;
	setpgid(pid, pid); /* both sides, whichever runs first */
	{
		void (*old)(int) = signal(SIGTTOU, SIG_IGN);
		if (isatty(0))
			tcsetpgrp(0, pid);
		signal(SIGTTOU, old);
	}
	/* an editor that already ended before SIGCHLD was watched */
	edit_sigchld(ui, SIGCHLD);
}

void
ui_edit_stop(struct ui *ui)
{
	int status;

	if (ui->edit_pid > 0) {
		kill(-ui->edit_pid, SIGTERM);
		waitpid(ui->edit_pid, &status, 0);
		ui->edit_pid = 0;
		edit_take_terminal();
	}
	edit_cleanup(ui);
}
