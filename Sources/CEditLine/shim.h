#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <locale.h>
#include <langinfo.h>
#include <editline/readline.h>

/// Swift 6 cannot read C mutable globals directly: accessors for the ones kzqa uses.
static inline int kzqa_history_length(void) { return history_length; }

/// Set by SIGINT while a line is being read, so the REPL can abandon the line instead of leaving.
static volatile sig_atomic_t kzqa_interrupted_flag = 0;

static void kzqa_on_sigint(int signo) {
    (void)signo;
    kzqa_interrupted_flag = 1;
}

/// Installs the SIGINT handler without SA_RESTART: the pending read returns and readline gives up the line.
static inline void kzqa_install_sigint(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = kzqa_on_sigint;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
}

/// Returns whether SIGINT arrived since the last call, and clears it.
static inline int kzqa_take_interrupt(void) {
    int was = kzqa_interrupted_flag;
    kzqa_interrupted_flag = 0;
    return was;
}

/// Makes libedit read UTF-8 (character classes only, LC_CTYPE): the user's locale when it is UTF-8, C.UTF-8 otherwise.
static inline void kzqa_use_utf8_locale(void) {
    setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) {
        setlocale(LC_CTYPE, "C.UTF-8");
    }
}
